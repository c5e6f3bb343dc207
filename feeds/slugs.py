"""Category slugs: the folder name a category's feeds live in."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from .model import CategorySettings, Site

SLUG_STYLES = ("unicode", "ascii")
MAX_FOLDER_BYTES = 255  # a file or folder name, in bytes, on every common file system and object store


def folder_too_long(folder: str) -> int | None:
    """The folder name's bytes when it is too long to be one (a feed's folder), else None."""
    size = len(folder.encode("utf-8", "surrogatepass"))
    return size if size > MAX_FOLDER_BYTES else None


@lru_cache(maxsize=4096)
def ascii_slug(text: str) -> str:
    """The slug of the text transliterated to ASCII ('Météo' -> 'meteo', 'Москва' -> 'moskva');
    where nothing of it is left in ASCII (a lone 'ー'), its Unicode slug in Punycode, as
    IDNA writes such a host name ('xn--1ck'): still ASCII, and still one folder a name."""
    from anyascii import anyascii

    slug = slugify(anyascii(text))
    if slug:
        return slug
    unicode_slug = slugify(text)
    return "xn--" + unicode_slug.encode("punycode").decode("ascii") if unicode_slug else ""


APOSTROPHES = frozenset("'’‘ʼ`\u05f3")  # and Hebrew's geresh, which a straight apostrophe stands in for


@lru_cache(maxsize=4096)  # a site has tens of categories, named in thousands of entries
def slugify(text: str) -> str:
    """Lowercase; letters, digits and marks of any script kept (a mark with the letter it is
    on: NFKC writes a spacing cedilla as a space and a combining one); apostrophes dropped;
    every other run one '-'.
    Compatibility forms are their plain letters (NFKC: 'Ｎｅｗｓ' is 'news', 'ﬁ' is 'fi').

    The result never contains '/', '.', or '-' at either end, so it can only ever name
    one folder directly inside categories/. It is empty when nothing is left; callers
    refuse such categories.
    """
    out: list[str] = []
    pending_dash = False
    lowered = unicodedata.normalize("NFKC", text).lower().replace("i\u0307", "i")  # 'İ' lowers to i + a dot
    for char in unicodedata.normalize("NFC", lowered):
        if char in APOSTROPHES:  # within a word: "Don't Miss" is "Dont Miss" (one feed), as slug makers write it
            continue
        kind = unicodedata.category(char)[0]
        if kind in "LN" or (kind == "M" and out and not pending_dash):  # a mark goes with the letter before it
            if pending_dash and out:
                out.append("-")
            pending_dash = False
            out.append(char)
        else:
            pending_dash = True
    return "".join(out)


def category_settings(site: Site, name: str) -> CategorySettings:
    """site.yaml's settings for the category, matched by slug (any spelling), or the defaults.
    With `slugs: ascii` the slug is the transliterated one: Meteo's settings are Météo's,
    whose folder (categories/meteo/) they share; a name listed as it is written comes first."""
    return _listed(site, name) or CategorySettings(slugify(name))


def _listed(site: Site, name: str) -> CategorySettings | None:
    key = slugify(name)
    found = next((settings for settings in site.categories if settings.key == key), None)
    if found is None and site.slugs == "ascii" and site.categories:
        folder = ascii_slug(name)
        found = next((settings for settings in site.categories if ascii_slug(settings.key) == folder), None)
    return found


def category_folder(site: Site, name: str) -> str:
    """The folder under categories/ of the category's feeds: its own slug from site.yaml, or
    the name's slug in the site's style (`slugs: ascii` transliterates)."""
    if not site.categories:  # most sites: nothing to look up (validation asks for every category named)
        return _styled_slug(site, name)
    settings = category_settings(site, name)
    return settings.slug or _styled_slug(site, name)


def folder_taken(site: Site, name: str) -> CategorySettings | None:
    """The site.yaml category whose own slug is the folder the category `name` would take
    by itself: the two would share one feed. None for a category site.yaml sets up."""
    if not site.categories:
        return None
    if _listed(site, name) is not None:
        return None  # its folder was checked with site.yaml's
    natural = _styled_slug(site, name)
    return next((settings for settings in site.categories if settings.slug == natural), None)


def author_folder(site: Site, name: str) -> str:
    """The folder under authors/ of an author's feed: the name's slug in the site's style."""
    return _styled_slug(site, name)


def _styled_slug(site: Site, name: str) -> str:
    """The name's slug in the site's style: transliterated with `slugs: ascii`."""
    return ascii_slug(name) if site.slugs == "ascii" else slugify(name)
