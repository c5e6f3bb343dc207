"""Category slugs: the folder name a category's feeds live in."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

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
    IDNA writes such a host name ('xn--1ck'): still ASCII, and still one folder a name.
    Transliterated as NFC writes it: a letter typed whole or as a letter and its mark (Hindi's
    ज़, U+095B or ज and a nukta) was two transliterations, and one name two folders."""
    from anyascii import anyascii

    slug = slugify(anyascii(unicodedata.normalize("NFC", text)))
    if slug:
        return slug
    unicode_slug = slugify(text)
    return "xn--" + unicode_slug.encode("punycode").decode("ascii") if unicode_slug else ""


APOSTROPHES = frozenset("'’‘ʼ`\u05f3")  # and Hebrew's geresh, which a straight apostrophe stands in for
TATWEEL = "\u0640"  # Arabic's kashida, a letter by Unicode's category, which only draws a word longer: أخـبار


@lru_cache(maxsize=4096)  # a site has tens of categories, named in thousands of entries
def slugify(text: str) -> str:
    """Lowercase; letters, digits and marks of any script kept (a mark with the letter it is
    on: NFKC writes a spacing cedilla as a space and a combining one); apostrophes and
    invisible format characters dropped; every other run one '-'.
    An invisible one (a soft hyphen pasted from Word, Persian's zero-width non-joiner, a
    mark of direction) is no punctuation a reader sees: as a '-' it split a category's
    feed in two under one visible name ('Wirt\u00adschaft' was categories/wirt-schaft/), and
    nor is Arabic's tatweel, which stretches a word for looks ('أخـبار' was a feed apart from 'أخبار').
    Compatibility forms are their plain letters (NFKC: 'Ｎｅｗｓ' is 'news', 'ﬁ' is 'fi').

    The result never contains '/', '.', or '-' at either end, so it can only ever name
    one folder directly inside categories/. It is empty when nothing is left; callers
    refuse such categories.
    """
    out: list[str] = []
    pending_dash = False
    lowered = _am_whole(unicodedata.normalize("NFKC", text)).lower().replace("i\u0307", "i")  # 'İ' lowers to i + a dot
    for char in unicodedata.normalize("NFC", lowered):
        if char in APOSTROPHES:  # within a word: "Don't Miss" is "Dont Miss" (one feed), as slug makers write it
            continue
        category = unicodedata.category(char)
        if category == "Cf" or char == TATWEEL:
            continue
        kind = category[0]
        if kind in "LN" or (kind == "M" and out and not pending_dash):  # a mark goes with the letter before it
            if pending_dash and out:
                out.append("-")
            pending_dash = False
            out.append(char)
        else:
            pending_dash = True
    return "".join(out)


def _am_whole(text: str) -> str:
    """Thai's sara am (ำ) and Lao's am (ຳ) as typed, one character each, where NFKC wrote two
    (ํ and า): 'น้ำท่วม' was the folder น้ําท่วม, an address no one types, and a named feed
    so called was refused as no slug, 'did you mean' the same word to the eye."""
    return text.replace("\u0e4d\u0e32", "\u0e33").replace("\u0ecd\u0eb2", "\u0eb3")


def category_settings(site: Site, name: str) -> CategorySettings:
    """site.yaml's settings for the category, matched by slug (any spelling), or the defaults.
    With `slugs: ascii` the slug is the transliterated one: Meteo's settings are Météo's,
    whose folder (categories/meteo/) they share; a name listed as it is written comes first."""
    return _listed(site, name) or CategorySettings(slugify(name))


def _listed(site: Site, name: str) -> CategorySettings | None:
    if not site.categories:
        return None
    listed = _listed_categories(site)
    found = listed.by_key.get(slugify(name))
    if found is None and site.slugs == "ascii":
        found = listed.by_ascii_key.get(ascii_slug(name))
    return found


class _Listed(NamedTuple):
    """site.yaml's categories by what a name is matched on, the first listed first."""

    categories: tuple[CategorySettings, ...]  # which they are of (held, so that its id is not another's)
    by_key: dict[str, CategorySettings]
    by_ascii_key: dict[str, CategorySettings]
    by_slug: dict[str, CategorySettings]


_LISTED: dict[int, _Listed] = {}


def _listed_categories(site: Site) -> _Listed:
    """Worked out once for a site's categories: a build asks of every category of every
    entry, and a look through the list each time took 20 s with 4,900 categories listed
    (and with `slugs: ascii`, past the memo of 4,096 slugs, a transliteration of each)."""
    found = _LISTED.get(id(site.categories))
    if found is not None and found.categories is site.categories:
        return found
    by_key: dict[str, CategorySettings] = {}
    by_ascii_key: dict[str, CategorySettings] = {}
    by_slug: dict[str, CategorySettings] = {}
    for settings in site.categories:
        by_key.setdefault(settings.key, settings)
        if site.slugs == "ascii":
            by_ascii_key.setdefault(ascii_slug(settings.key), settings)
        if settings.slug:
            by_slug.setdefault(settings.slug, settings)
    if len(_LISTED) >= 8:  # a site or two a process: tests make many
        _LISTED.clear()
    found = _LISTED[id(site.categories)] = _Listed(site.categories, by_key, by_ascii_key, by_slug)
    return found


def listed_with_folder(site: Site, folder: str) -> CategorySettings | None:
    """The site.yaml category whose own slug is `folder`, the first listed."""
    return _listed_categories(site).by_slug.get(folder) if site.categories else None


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
    return listed_with_folder(site, _styled_slug(site, name))


def author_folder(site: Site, name: str) -> str:
    """The folder under authors/ of an author's feed: the name's slug in the site's style."""
    return _styled_slug(site, name)


def _styled_slug(site: Site, name: str) -> str:
    """The name's slug in the site's style: transliterated with `slugs: ascii`."""
    return slug_of_style(site.slugs)(name)


def slug_of_style(style: str) -> Callable[[str], str]:
    """What names a feed's folder in a `slugs:` style: which names are one category or one author."""
    return ascii_slug if style == "ascii" else slugify


def same_name(first: str, second: str) -> bool:
    """Two spellings of one name: they differ only in case, accents, spaces, hyphens, dots or
    apostrophes (News and news, Météo and Meteo, Middle East and Middle-East, Women's and
    Women’s), not as C# and C++ do."""
    return _name_key(first) == _name_key(second)


@lru_cache(maxsize=4096)
def _name_key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char) and not char.isspace()
                   and char not in _SPELLING_MARKS)


_SPELLING_MARKS = frozenset("-_.\"“”") | APOSTROPHES  # a hyphen, a dot, an apostrophe of any kind: one name either way
