"""Validate stage, site.yaml: its raw document in, the typed immutable Site (or problems) out.

A wrong key or value in site.yaml is reported as an entry's would be, with its line and column."""

from __future__ import annotations

import difflib
import os
import posixpath
import re
import unicodedata
from dataclasses import replace
from datetime import timezone, tzinfo
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from . import placeholders
from .cache_control import cache_control_problem
from .fields import STAND_IN_LINK, Fields, category_slug
from .hosts import starts_with_host
from .languages import BY_NAME, LANGUAGES, TWO_LETTERS
from .load import RawDocument, with_reading_problems
from .model import (
    CONTENT_MODES,
    DEFAULT_MAX_BYTES,
    FORMAT_NAMES,
    RESERVED_FEED_NAMES,
    RESERVED_FOLDERS,
    SITE_FIELDS,
    CategorySettings,
    ContentMode,
    Mention,
    NamedFeed,
    Site,
)
from .problems import Problem, ProblemList, describe, quote, without_credentials
from .publish import A_FILE, publish_dir_clash
from .remote import S3_EXTRA, TargetError, parse_target, s3_available
from .slugs import MAX_FOLDER_BYTES, SLUG_STYLES, ascii_slug, author_folder, category_folder, folder_too_long, slug_of_style, slugify
from .urls import URLError, escape_not_utf8, resolve
from .yaml_node import Node, scalar_text
from .zone_abbreviations import zone_meant

NAMED_FEED_FIELDS = ("name", "title", "description", "categories", "authors", "exclude_categories",
                     "max_items", "content")
CATEGORY_FIELDS = ("title", "description", "slug")
SITE_EXAMPLES = {"title": "title: Meridian Wire", "link": "link: https://news.example.com/",
                 "description": "description: News from our desk"}
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*\Z")  # subtags of one character begin extensions: -x-
ON_INVALID = ("hold", "stop")
MIN_MAX_BYTES = 10_000  # a channel and one item with its summary; smaller cannot hold a feed
MAX_MAX_BYTES = 100_000_000


def validate_site(doc: RawDocument, root: Path) -> Site | list[Problem]:
    """site.yaml -> Site with every default filled in, or every problem in it."""
    site, problems = read_site(doc, root)
    return problems or site


def read_site(doc: RawDocument, root: Path) -> tuple[Site, list[Problem]]:
    """site.yaml -> a Site and every problem in it.

    Where a value is wrong the Site holds a stand-in (UTC, an invalid.example link), so
    that entries can still be checked against it; it must not be built from.
    """
    problems = ProblemList(doc.path)
    fields = Fields(doc.root, SITE_FIELDS, problems, "site.yaml", SITE_EXAMPLES)
    title = fields.text("title", "a title", required=True, is_prose=True)
    description = fields.text("description", "a description", required=True, is_prose=True)
    link = _site_link(fields)
    base = link or STAND_IN_LINK
    publish_url = _publish_url(fields, base)
    if "%" in publish_url:
        _feed_ids_not_normal(fields, publish_url)
    zone_name, zone = _timezone(fields)
    style = _slug_style(fields)
    site = Site(
        root=root, title=title or "", link=base, description=description or "",
        publish_url=publish_url if publish_url.endswith("/") else publish_url + "/",
        language=_language(fields), timezone=zone, timezone_name=zone_name,
        authors=fields.authors("author", base, slug_of_style(style)),
        copyright=fields.text("copyright", "text", is_prose=True), icon=fields.url("icon", base, example="/icon.png"),
        logo=fields.url("logo", base, example="/logo.png"),
        max_items=fields.integer("max_items", 50, 1, 10_000), formats=_formats(fields),
        category_feeds=fields.boolean("category_feeds", True),
        summary_length=fields.integer("summary_length", 300, 20, 10_000),
        publish_dir=_publish_dir(fields, root),
        content=_content_mode(fields, "full"),
        max_bytes=fields.integer("max_bytes", DEFAULT_MAX_BYTES, MIN_MAX_BYTES, MAX_MAX_BYTES),
        author_feeds=fields.boolean("author_feeds", False),
        hubs=_hubs(fields), publish_to=_publish_to(fields), cache_control=_cache_control(fields),
        slugs=style, categories=_category_settings(fields, style),
        on_invalid=_on_invalid(fields),
        archive=fields.boolean("archive", False),
    )
    site = replace(site, feeds=_named_feeds(fields, site))
    site = replace(site, category_mentions=_category_mentions(fields, site), author_mentions=_author_mentions(fields))
    fields.author_folders_fit("author", site.authors, partial(author_folder, site))
    if description == placeholders.SITE_DESCRIPTION:
        node = fields.values["description"]
        problems.warn(node.line, node.column, "description", "placeholder",
                      "still says what feeds init wrote, which readers see under the feed's title",
                      "describe your site in a sentence, such as description: News from our desk")
    return replace(site, warnings=tuple(problems.warnings)), with_reading_problems(doc, problems.items)


def _site_link(fields: Fields) -> str | None:
    link = fields.url("link", STAND_IN_LINK, required=True, example="https://news.example.com/", absolute=True)
    node = fields.node("link")
    if link is not None and node is not None and not re.match(r"https?://", str(node.value).strip(), re.I):
        fields.wrong(node, "link", "relative-site-link", "an absolute http(s) URL", node.value,
                     "write the home page in full, such as https://news.example.com/")
        return None
    return link


def _publish_url(fields: Fields, base: str) -> str:
    """The folder the feeds go in: each feed's URL is this plus its file name, so a query or
    fragment would end up in the middle of every self link and id."""
    url = fields.url("publish_url", base, example="/feeds/")
    if url is None:  # the site's link, less any query or fragment (a home page may have them; a folder not)
        return _folder_of(urlunsplit(urlsplit(base)._replace(query="", fragment="")))
    parts = urlsplit(url)
    extra = f"the query ?{parts.query}" if parts.query else f"the fragment #{parts.fragment}" if parts.fragment else ""
    if extra:
        fields.bad(fields.values["publish_url"], "publish_url", "publish-url-query",
                   f"expected the address of the folder the feeds are published in, found "
                   f"{quote(fields.values['publish_url'].text or url)}, which has {extra}",
                   f"feed files are named after it, so remove {extra.split()[-1]}")
        return base
    page = urlsplit(url).path.rsplit("/", 1)[-1]
    if re.search(r"\.[A-Za-z]{2,5}\Z", page):  # rss.xml, index.html: a folder's name seldom ends so
        fields.bad(fields.values["publish_url"], "publish_url", "publish-url-file",
                   f"expected the address of the folder the feeds are published in, found "
                   f"{quote(fields.values['publish_url'].text or url)}, which names the file {page}",
                   f"feed files are named after it, so write the folder that holds it, publish_url: "
                   f"{url[: len(url) - len(page)]} (or end it with / if it is a folder)")
        return base
    return url


def _feed_ids_not_normal(fields: Fields, publish_url: str) -> None:
    """Each Atom feed's id is its address: escapes there that spell no UTF-8 text (an old
    system's Latin-1) leave it no normal form, and the W3C validator warns of every feed."""
    found = escape_not_utf8(publish_url)
    if found is not None:
        name = "publish_url" if "publish_url" in fields.values else "link"
        node = fields.values[name]
        fields.problems.warn(node.line, node.column, name, "id-not-normal",
                             f"{quote(publish_url)} has {found}, which spells no UTF-8 text: each Atom feed's id is "
                             "its address under it, which the W3C validator then warns is not in normal form",
                             "write the folder's name in UTF-8 (é is %C3%A9), as the server can be set to serve it")


def _hubs(fields: Fields) -> tuple[str, ...]:
    """hub: one URL or a list of them, each an absolute http(s) URL (a hub is another site)."""
    node = fields.node("hub")
    if node is None:
        return ()
    hubs: list[str] = []
    for item in node.value if isinstance(node.value, list) else [node]:
        text = scalar_text(item)
        if text is None or not re.match(r"https?://", text, re.IGNORECASE):
            fields.wrong(item, "hub", "bad-hub", "the absolute http(s) URL of a WebSub hub",
                         without_credentials(item.value) if isinstance(item.value, str) else item.value,
                         _hub_hint(item.value, node.value if isinstance(node.value, list) else None))
            continue
        try:
            hub = resolve(text, text)  # the one rule for URLs: a host, a port, no user:password@ (urls.py)
        except URLError as error:
            fields.bad(item, "hub", "bad-hub", f"expected the public URL of a WebSub hub, found {error}",
                       _hub_hint(None))
            continue
        if hub not in hubs:
            hubs.append(hub)
    if len(hubs) > MAX_HUBS:
        fields.bad(node, "hub", "too-many-hubs", f"expected at most {MAX_HUBS} hubs, found {len(hubs):,}",
                   "a site announces its feeds to one or two hubs; keep those it uses")
        return tuple(hubs[:MAX_HUBS])
    return tuple(hubs)


# Every hub is told of each build's changes at once, on a thread and a connection of its own:
# 2,000 hubs (66 KB of site.yaml) would be 2,000 of each at every build.
MAX_HUBS = 10


def _hub_hint(text: object, items: list[Node] | None = None) -> str:
    """A hub written as its host (hub.example.com) is given https:// before it: the example hub
    in its place would move the site's notices to another hub. The URL ends the command, with
    no comma glued to it for a copy to take in. One in a list (`items`) is given it in the
    list: 'write hub: https://a.example (or a list of such URLs)', done as told, dropped the
    list's other hubs."""
    if not (isinstance(text, str) and " " not in text.strip() and starts_with_host(text.strip())):
        if items is not None:  # 'such as hub: https://…', done as told, dropped the list's other hubs too
            return "write the hub's URL in its place in the list, such as https://pubsubhubbub.appspot.com/"
        return "write the hub's URL, such as hub: https://pubsubhubbub.appspot.com/ (or a list of URLs)"
    if items is None:
        return f"write hub: https://{text.strip()} (or a list of such URLs)"
    mended = [_with_https(scalar_text(item)) for item in items]
    if any(url is None for url in mended):
        return f"write https://{text.strip()} in its place in the list"
    return f"write hub: [{', '.join(url for url in mended if url is not None)}]"


def _with_https(text: str | None) -> str | None:
    """A hub's URL as an item of a [list], https:// before a host alone; None for what is neither."""
    if text is None or re.search(r"[\s,\[\]{}#]", text.strip()):
        return None
    url = text.strip() if re.match(r"https?://", text.strip(), re.IGNORECASE) else f"https://{text.strip()}"
    return without_credentials(url) if starts_with_host(url.split("://", 1)[1]) else None


def _publish_to(fields: Fields) -> str | None:
    text = fields.text("publish_to", "an object-storage target")
    if text is None:
        return None
    try:
        target = str(parse_target(text))
    except TargetError as error:
        fields.wrong(fields.values["publish_to"], "publish_to", "bad-target", error.expected, without_credentials(text),
                     error.hint)
        return None
    if not s3_available():
        node = fields.values["publish_to"]
        fields.problems.warn(node.line, node.column, "publish_to", "s3-extra-missing",
                    f"boto3 is not installed here, so a build writes the publish folder but cannot upload it to "
                    f"{target} (exit 3)", f"install it with {S3_EXTRA}")
    return target


def _cache_control(fields: Fields) -> str:
    text = fields.text("cache_control", "a Cache-Control header value", flatten=False)  # a line break is refused, not joined
    if text is None:
        return Site.cache_control
    if not re.fullmatch(r"[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?", text):
        broken = not text.isprintable()  # a line break would end the header, and start another
        fields.bad(fields.values["cache_control"], "cache_control", "bad-cache-control",
                   f"expected a Cache-Control header value in plain ASCII, found {describe(text)}"
                   + (", which holds a line break or another control character" if broken else ""),
                   "write it on one line, such as cache_control: public, max-age=300")
        return Site.cache_control
    node = fields.values["cache_control"]
    if (problem := cache_control_problem(text)) is not None:  # sent as written: a warning never stops the wire
        found, hint = problem
        fields.problems.warn(node.line, node.column, "cache_control", "bad-cache-control",
                             f"expected a Cache-Control header value, found {quote(text)}, {found}", hint)
    if "publish_to" not in fields.values:
        fields.problems.warn(node.line, node.column, "cache_control", "cache-control-unused",
                             "is the Cache-Control of the files put on publish_to, which this site has none of, so "
                             "it does nothing but at a build given --to",
                             "set the header in the web server that serves the publish folder (the README shows "
                             "nginx's), and remove the line")
    return text


def _language(fields: Fields) -> str:
    """A BCP 47 tag whose language the W3C validator knows, the one part of the tag it reads
    (languages.py says which, and why); a tag it warns of is refused with one it takes."""
    language = fields.text("language", "a language tag") or "en"
    primary, dash, rest = language.partition("-")
    if not _LANGUAGE.match(language):
        named = BY_NAME.get(language.lower())
        hyphened = language.replace("_", "-").split(".")[0]  # a POSIX locale's en_GB.UTF-8
        hint = (f"write language: {named}, the tag for {language}" if named else
                f"write language: {hyphened}: a tag joins its parts with -" if _LANGUAGE.match(hyphened) else
                "write it as en, pt-BR or zh-Hant")
        fields.wrong(fields.values["language"], "language", "bad-language", "a BCP 47 language tag", language, hint)
    elif primary.lower() in TWO_LETTERS:
        two = TWO_LETTERS[primary.lower()] + dash + rest
        fields.wrong(fields.values["language"], "language", "bad-language", "a BCP 47 language tag", language,
                     f"BCP 47 names that language {TWO_LETTERS[primary.lower()]}: write language: {two}")
    elif primary.lower() not in LANGUAGES:
        fields.wrong(fields.values["language"], "language", "unknown-language",
                     "a language code feed validators know (ISO 639-1, or ISO 639-2 if it has none)", language,
                     "the W3C validator warns of any other; write the code of the language's group, and its script "
                     "or region if need be, such as ku-Arab for Sorani Kurdish or zh-yue for Cantonese")
    else:
        return language
    return "en"


_OFFSET = re.compile(r"(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?", re.IGNORECASE)  # UTC+3, +03:00, GMT-0500
_MACHINE_ZONES = ("localtime", "posixrules", "Factory")  # files beside the zones, not zones


_ZONE_PARTS = 4  # the most in any name of the zone files: posix/America/Argentina/Buenos_Aires


def _zone_info(name: str) -> ZoneInfo:
    """ZoneInfo(name); but a name of more parts than any zone's, and no path (which ZoneInfo
    refuses), is no zone, without a look: where no zone file has its name, zoneinfo imports
    tzdata's package of each part, and 300 parts (a/a/…/x) stopped every build with a
    RecursionError."""
    if name.count("/") >= _ZONE_PARTS and not name.startswith("/") and posixpath.normpath(name) == name:
        raise ZoneInfoNotFoundError(f"No time zone found with key {name}")
    return ZoneInfo(name)


def _timezone(fields: Fields) -> tuple[str, tzinfo]:
    name = fields.text("timezone", "an IANA timezone") or "UTC"
    if name in _MACHINE_ZONES:
        fields.wrong(fields.values["timezone"], "timezone", "machine-timezone", "an IANA timezone", name,
                     "that is whatever zone this machine is set to, and another machine reads the times "
                     "differently: write the zone's name, such as Europe/Istanbul or UTC")
        return "UTC", timezone.utc
    try:
        found = _zone_info(name)
    except ValueError:  # not a key at all: an absolute path, or one with . or .. in it
        zone = name.rpartition("zoneinfo/")[2] if "zoneinfo/" in name else ""
        fields.bad(fields.values["timezone"], "timezone", "bad-timezone",
                   f"expected an IANA timezone, found the path {quote(name)}",
                   f"write the zone's name, not a file's: {zone}" if zone in available_timezones()
                   else "write the zone's name, not a file's, such as Europe/Istanbul or UTC")
        return "UTC", timezone.utc
    except (ZoneInfoNotFoundError, OSError):  # OSError: a region's folder of zones (Europe), a name too long for a file
        cities = sorted(zone for zone in available_timezones() if zone.startswith(name + "/"))
        if cities:
            fields.bad(fields.values["timezone"], "timezone", "bad-timezone",
                       f"expected an IANA timezone, found the region {quote(name)}, a folder of zones",
                       f"write the zone of the city whose clock the desk keeps, such as {' or '.join(cities[:2])}")
            return "UTC", timezone.utc
        if (offset := _OFFSET.fullmatch(name.strip())) is not None:
            sign, hours, minutes = offset.group(1), int(offset.group(2)), int(offset.group(3) or 0)
            etc = (f"timezone: Etc/GMT{'-' if sign == '+' else '+'}{hours} for {sign}{hours:02}:00 all year "
                   "(Etc/ names turn the sign round)" if not minutes and (hours <= 14 if sign == "+" else hours <= 12)
                   else "the zone of a city with that offset")
            fields.bad(fields.values["timezone"], "timezone", "bad-timezone",
                       f"expected an IANA timezone, found the offset {quote(name)}, which keeps no summer time",
                       f"write the zone's name, such as Europe/Istanbul, or {etc}")
            return "UTC", timezone.utc
        if re.fullmatch(r"Etc/GMT[+-]\d+", name, re.IGNORECASE):  # difflib would offer Etc/GMT+4 for Etc/GMT+14
            fields.wrong(fields.values["timezone"], "timezone", "bad-timezone", "an IANA timezone", name,
                         "Etc/GMT zones run from Etc/GMT-14 to Etc/GMT+12, the sign turned round (Etc/GMT-3 is +03:00); "
                         "better, write the zone of a city with the desk's clock, such as Europe/Istanbul")
            return "UTC", timezone.utc
        fields.wrong(fields.values["timezone"], "timezone", "bad-timezone", "an IANA timezone", name,
                     _zone_hint(name))
        return "UTC", timezone.utc
    return name, found


def _zone_hint(name: str) -> str:
    """The zone meant by a name that is none: an abbreviation's by what it means (never a zone
    spelt like it, hours off), else one spelt like it (the city alone, Istanbul, included)."""
    if (meant := zone_meant(name)) is not None:
        zone, what = meant
        return f"did you mean {zone}? {name.strip()} is {what}" if what else f"did you mean {zone}?"
    zones = sorted(available_timezones())
    by_case = {zone.lower(): zone for zone in zones}
    if name.lower() in by_case:
        return f"did you mean {by_case[name.lower()]}?"
    if "/" in name:
        guess = difflib.get_close_matches(name, [zone for zone in zones if "/" in zone], 1, 0.6)
    elif not re.fullmatch(r"[A-Za-z]{1,5}", name):  # an abbreviation not known is spelt like others, hours off
        cities = {zone.rsplit("/", 1)[1].replace("_", " ").lower(): zone for zone in zones
                  if "/" in zone and not zone.startswith("Etc/")}
        guess = [cities[city] for city in difflib.get_close_matches(name.replace("_", " ").lower(), cities, 1, 0.75)]
    else:
        guess = []
    return f"did you mean {guess[0]}?" if guess else "write a zone such as Europe/Istanbul or UTC"


# ${name}, or $NAME in capitals, as environment variables are written: `news$feeds` or `$5off`
# is a folder's name (a shell would read the first as a variable, but nobody sets $feeds).
_VARIABLE = re.compile(r"\$(?:\{([A-Za-z_]\w*)\}|([A-Z_][A-Z0-9_]*)(?![a-z]))")


# in a folder's name, a line break splits each line naming it: the build's summary told
# '1 feed in pub' on one line and 'x); 3 items published' on the next
_LINE_BREAK = re.compile("[\n\r\x85\u2028\u2029]")


def _publish_dir(fields: Fields, root: Path) -> Path:
    """The folder the build writes: never the site's own folder, its items/ or .feeds/, where
    published files would mix with the entries or the tool's state, nor a file. `~/feeds` is
    in the home folder, as a shell reads it: not a folder named ~ in the site. An environment
    variable ($HOME) is refused, not expanded: cron's environment is not the shell's, and a
    build that finds site.yaml's bytes unchanged reuses the folder the last one found."""
    written = fields.text("publish_dir", "a folder name", flatten=False) or "publish"
    if (variable := _VARIABLE.search(written)) is not None:
        name = variable.group(1) or variable.group(2)
        fields.bad(fields.values["publish_dir"], "publish_dir", "publish-dir-variable",
                   f"expected a folder's path, found {quote(written)}, which names the environment variable {name}",
                   "feeds reads site.yaml alike in every environment (cron's is not the shell's): write "
                   + (f"~{written[variable.end():]}, in the home folder of the user the build runs as"
                      if name == "HOME" and variable.start() == 0 else "the folder's path itself, such as /var/www/feeds"))
        return Path("publish")
    if _LINE_BREAK.search(written):
        fields.bad(fields.values["publish_dir"], "publish_dir", "publish-dir-line-break",
                   f"expected a folder's path on one line, found {quote(written)}, which has a line break in it",
                   "write the path without it, such as /var/www/feeds: each line that names the folder would break "
                   "in two")
        return Path("publish")
    folder = Path(os.path.expanduser(written))
    if (too_long := _too_long_a_path(root / folder)) is not None:
        fields.bad(fields.values["publish_dir"], "publish_dir", "publish-dir-too-long",
                   f"expected a folder the file system can name, found {quote(written, 60)}, {too_long}",
                   "write a shorter path, such as /var/www/feeds")
        return Path("publish")
    taken = publish_dir_clash(root, folder)
    if taken is None and "publish_dir" in fields.values and (root / folder).exists() and not (root / folder).is_dir():
        taken = A_FILE
    if taken is None:
        return folder
    if "publish_dir" not in fields.values:  # the default's folder is a link into the site, or to one holding it
        fields.bad(fields.root, "publish_dir", "publish-dir-taken",
                   f"expected a folder of its own for the published files, found publish (the default), which is {taken}",
                   "remove the link publish, or write publish_dir: with a folder outside the site such as /var/www/feeds")
        return folder
    fields.bad(fields.values["publish_dir"], "publish_dir", "publish-dir-taken",
               f"expected a folder of its own for the published files, found {quote(written)}, which is {taken}",
               "write publish_dir: publish, or a folder outside the site such as /var/www/feeds")
    return Path("publish")


MAX_PATH_BYTES = 4095  # Linux's PATH_MAX, less its terminating NUL
MAX_NAME_BYTES = 255  # of one folder's name: NAME_MAX


def _too_long_a_path(path: Path) -> str | None:
    """Why the system cannot name `path`, in words (it raised "File name too long" from a
    look at whether it exists), or None."""
    if len(written := os.fsencode(path)) > MAX_PATH_BYTES:
        return f"a path of {len(written):,} bytes, where a file system takes {MAX_PATH_BYTES:,}"
    longest = max((len(os.fsencode(part)) for part in path.parts), default=0)
    if longest > MAX_NAME_BYTES:
        return f"which holds a folder name of {longest:,} bytes, where a file system takes {MAX_NAME_BYTES}"
    return None


def _folder_of(link: str) -> str:
    """The folder a home page's link names: itself, or the one holding the page it names
    (https://x.example/site/index.html -> https://x.example/site/)."""
    path = urlsplit(link).path
    last = path.rsplit("/", 1)[-1]
    return link[: len(link) - len(last)] if "." in last else link


def _slug_style(fields: Fields) -> str:
    style = fields.text("slugs", "unicode or ascii") or "unicode"
    if style not in SLUG_STYLES:
        fields.wrong(fields.values["slugs"], "slugs", "bad-slugs", "unicode or ascii", style,
                     f"write it in lower case: slugs: {style.lower()}" if style.lower() in SLUG_STYLES else
                     "write slugs: ascii for plain addresses (categories/meteo/), or slugs: unicode")
        return "unicode"
    return style


def _on_invalid(fields: Fields) -> str:
    choice = fields.text("on_invalid", "hold or stop") or "hold"
    if choice not in ON_INVALID:
        guess = difflib.get_close_matches(choice.lower(), ON_INVALID, 1, 0.6)
        fields.wrong(fields.values["on_invalid"], "on_invalid", "bad-on-invalid", "hold or stop", choice,
                     f"did you mean {guess[0]}?" if guess else
                     "write on_invalid: hold (publish the valid entries, hold back the invalid ones) "
                     "or on_invalid: stop (publish nothing while an entry is invalid)")
        return "hold"
    return choice


def _category_settings(fields: Fields, style: str) -> tuple[CategorySettings, ...]:
    """`categories: {Économie: {title, description, slug}}`: each category's feed, as the desk
    wants it. Each category once, and each in a folder of its own: two that shared one would
    be one feed."""
    feeds, written = fields.values.get("feeds"), fields.values.get("categories")
    after_feeds = feeds is not None and written is not None and isinstance(written.value, list) and feeds.line < written.line
    node = fields.of_kind("categories", dict, "a mapping of category names to their settings",
                          "a named feed's categories go under its - name:, indented as name: is; the site's own are "
                          "a mapping, such as categories: {Économie: {title: Economy, slug: economy}}" if after_feeds
                          else "write categories: {Économie: {title: Economy, slug: economy}}")
    if node is None:
        return ()
    found: list[CategorySettings] = []
    names: dict[str, str] = {}  # by key: the first spelling
    folders: dict[str, str] = {}  # folder -> the category in it: first by name, then by slug (below)
    for name, settings in node.value.items():
        has_slug = isinstance(settings.value, dict) and "slug" in settings.value
        if not has_slug and isinstance(key := category_slug(name), str):
            folders.setdefault(ascii_slug(name) if style == "ascii" else key, name)
    for name, settings in node.value.items():
        where = f"categories.{name}"
        key = category_slug(name)
        if isinstance(key, tuple):
            code, message, hint = key
            fields.problems.add(settings.key_line, settings.key_column, where, code, message, hint)
            continue
        same = ascii_slug(name) if style == "ascii" else key  # the feed it is in: Météo is Meteo's with ascii slugs
        if names.setdefault(same, name) != name:
            fields.problems.add(settings.key_line, settings.key_column, where, "same-category",
                                f"expected each category once, found {quote(name)}, which is {quote(names[same])} "
                                "again: names that differ only in case or punctuation"
                                + (", or in accents (slugs: ascii)," if style == "ascii" else "") + " share one feed",
                                "put their settings under one of them")
            continue
        sub = Fields(settings, CATEGORY_FIELDS, fields.problems, "a category's settings",
                      {"title": "title: Economy"}, prefix=where + ".")
        slug = sub.text("slug", "a slug")
        if slug is not None and not _is_slug(slug):
            sub.wrong(settings.value["slug"], "slug", "bad-slug", "a slug (lowercase letters, digits and -)", slug,
                      f"write it as {slugify(slug) or slugify(name) or 'economy'}")
            slug = None
        elif slug is not None and (size := folder_too_long(slug)) is not None:
            sub.wrong(settings.value["slug"], "slug", "long-slug", f"a slug of at most {MAX_FOLDER_BYTES} bytes",
                      slug, f"it names a folder, and it takes {size:,}: shorten it")
            slug = None
        elif slug is not None and folders.setdefault(slug, name) != name:
            sub.wrong(settings.value["slug"], "slug", "taken-slug", "a slug no other category has", slug,
                      f"it is {quote(folders[slug])}'s folder; give each category its own")
            slug = None
        found.append(CategorySettings(key, sub.text("title", "a feed title", is_prose=True),
                                      sub.text("description", "a feed description", is_prose=True), slug, name))
    return tuple(found)


def _category_mentions(fields: Fields, site: Site) -> tuple[Mention, ...]:
    """Where site.yaml names each category its feeds choose by or its settings are for:
    a name no entry has is most often a typo (build/category_warnings.py)."""
    mentions: list[Mention] = []
    feeds = fields.values.get("feeds")
    for index, item in enumerate(feeds.value if feeds is not None and isinstance(feeds.value, list) else []):
        for name in ("categories", "exclude_categories"):
            node = item.value.get(name) if isinstance(item.value, dict) else None
            for listed in (node.value if isinstance(node.value, list) else [node]) if node is not None else []:
                text = scalar_text(listed)
                if text is not None and isinstance(category_slug(text), str):
                    mentions.append(Mention(listed.line, listed.column, f"feeds[{index}].{name}", text))
    settings = fields.values.get("categories")
    if settings is not None and isinstance(settings.value, dict):
        mentions += (Mention(node.key_line, node.key_column, f"categories.{name}", name)
                     for name, node in settings.value.items()
                     if any(listed.key == category_slug(name) for listed in site.categories))
    return tuple(mentions)


def _author_mentions(fields: Fields) -> tuple[Mention, ...]:
    """Where site.yaml names each author a named feed chooses by: a name no entry has is most
    often a typo too (`authors: [Ana Lma]` left the feed without her stories, and no word)."""
    mentions: list[Mention] = []
    feeds = fields.values.get("feeds")
    for index, item in enumerate(feeds.value if feeds is not None and isinstance(feeds.value, list) else []):
        node = item.value.get("authors") if isinstance(item.value, dict) else None
        for listed in (node.value if isinstance(node.value, list) else [node]) if node is not None else []:
            text = scalar_text(listed)
            if text is not None and slugify(text):
                mentions.append(Mention(listed.line, listed.column, f"feeds[{index}].authors", text))
    return tuple(mentions)


def _is_slug(text: str) -> bool:
    """Words slugify keeps, joined by dashes (two in a row too: xn--wek, the Punycode folder
    `slugs: ascii` makes of a name it cannot spell, may be written as a slug)."""
    return bool(text) and text[0] != "-" and text[-1] != "-" and all(
        part == slugify(part) for part in text.split("-") if part)


def _formats_named(items: list[Node]) -> tuple[str, ...]:
    """The formats the values name as words (`rss, atom`, `rss atom`: a list not written as
    one), or all three when a word is none of them: the three, done word for word, published a
    format the desk had left out."""
    words = [word for item in items for word in re.split(r"[\s,;/]+", (scalar_text(item) or "-").strip().lower())]
    return tuple(name for name in FORMAT_NAMES if name in words) if set(words) <= set(FORMAT_NAMES) else FORMAT_NAMES


def _formats(fields: Fields) -> tuple[str, ...]:
    node = fields.node("formats")
    if node is None:
        return FORMAT_NAMES
    items = node.value if isinstance(node.value, list) else [node]
    chosen: list[str] = []
    for item in items:
        text = scalar_text(item)
        if text not in FORMAT_NAMES:
            fields.wrong(item, "formats", "bad-format", "rss, atom or json", item.value,
                         f"write it in lowercase: {text.lower()}" if text and text.lower() in FORMAT_NAMES
                         else f"write formats: [{', '.join(_formats_named(items))}]")
        elif text not in chosen:
            chosen.append(text)
    if not items:
        fields.wrong(node, "formats", "bad-format", "at least one of rss, atom, json", items,
                     "write formats: [rss, atom, json], or remove the line for all three")
    return tuple(name for name in FORMAT_NAMES if name in chosen) or FORMAT_NAMES


def _content_mode(fields: Fields, default: ContentMode) -> ContentMode:
    text = fields.text("content", "full or summary")
    for mode in CONTENT_MODES:
        if text == mode:
            return mode
    if text is not None:
        guess = difflib.get_close_matches(text.lower(), CONTENT_MODES, 1, 0.6)
        fields.wrong(fields.values["content"], "content", "bad-content", "full or summary", text,
                     f"did you mean {guess[0]}?" if guess else
                     "write content: full (summary and body) or content: summary (no body)")
    return default


def _named_feeds(fields: Fields, site: Site) -> tuple[NamedFeed, ...]:
    """`feeds:`, a list of named feeds, each with the site's settings where it names none."""
    node = fields.of_kind("feeds", list, "a list of named feeds",
                          "write feeds: and under it one feed a line, starting - name: breaking")
    if node is None:
        return ()
    named: list[NamedFeed] = []
    first_with: dict[str, int] = {}
    for index, item in enumerate(node.value):
        feed = _named_feed(item, f"feeds[{index}].", fields.problems, site)
        if feed is None:
            continue
        earlier = first_with.setdefault(feed.name, index)
        if earlier != index:
            name_node = item.value["name"]
            fields.problems.add(name_node.line, name_node.column, f"feeds[{index}].name", "duplicate-feed",
                                f"expected a name no other feed has, found {quote(feed.name)}, "
                                f"which feeds[{earlier}] has too", "give one of them another name")
            continue
        named.append(feed)
    return tuple(named)


def _named_feed(node: Node, prefix: str, problems: ProblemList, site: Site) -> NamedFeed | None:
    feed = Fields(node, NAMED_FEED_FIELDS, problems, "a named feed", {"name": "name: breaking"}, prefix)
    name = _feed_name(feed)
    title = feed.text("title", "a title", is_prose=True)
    description = feed.text("description", "a description", is_prose=True)
    categories = feed.categories("categories", slugify)
    authors = _author_names(feed, "authors")
    excluded = feed.categories("exclude_categories", slugify)
    same = partial(category_folder, site)  # which names are one category, as named feeds match them
    if not categories and not authors:
        _warn_of_an_empty_filter(feed)
    elif categories and not authors and {same(name) for name in categories} <= {same(name) for name in excluded}:
        _warn_of_a_feed_that_excludes_all_it_holds(feed)
    max_items = feed.integer("max_items", site.max_items, 1, 10_000)
    content = _content_mode(feed, site.content)
    if name is None:
        return None
    return NamedFeed(name, title or f"{site.title}: {name}", description or site.description,
                     categories, authors, excluded, max_items, content)


def _warn_of_an_empty_filter(feed: Fields) -> None:
    """`categories: []` reads as no filter: the feed holds every item, which the desk that
    wrote the line (meaning none yet, or a list still to fill) may not expect."""
    for name in ("categories", "authors"):
        node = feed.values.get(name)
        if node is not None and node.value == []:
            feed.problems.warn(node.line, node.column, feed.prefix + name, "empty-filter",
                               "an empty list chooses nothing: with neither categories nor authors, the feed "
                               "holds every item not excluded", f"list the {name} it holds, or remove the line")


def _warn_of_a_feed_that_excludes_all_it_holds(feed: Fields) -> None:
    node = feed.values["exclude_categories"]
    feed.problems.warn(node.line, node.column, feed.prefix + "exclude_categories", "excludes-all",
                       "excludes every category the feed holds: it is always empty",
                       "remove from exclude_categories the categories the feed is for")


def _feed_name(feed: Fields) -> str | None:
    """A slug, for it names the feed's folder: publish/<name>/."""
    name = feed.text("name", "a feed name", required=True)
    if name is None:
        return None
    node = feed.values["name"]
    slug = slugify(name)
    if slug != unicodedata.normalize("NFC", name):
        suggested = f"{slug}-desk" if slug in RESERVED_FEED_NAMES else slug  # never a name refused in turn
        feed.wrong(node, "name", "bad-feed-name", "a name of lowercase letters, digits and single dashes", name,
                   f"did you mean {suggested}?" if slug else "name it in words, such as breaking")
        return None
    name = slug  # é typed as e and a combining accent (as some Mac editors save it) is é: one folder either way
    if (size := folder_too_long(name)) is not None:
        feed.wrong(node, "name", "long-feed-name", f"a name of at most {MAX_FOLDER_BYTES} bytes", name,
                   f"it names the feed's folder, and it takes {size:,}: shorten it")
        return None
    if name in RESERVED_FEED_NAMES:
        feed.wrong(node, "name", "reserved-feed-name",
                   f"a name other than {', '.join(RESERVED_FEED_NAMES[:-1])} or {RESERVED_FEED_NAMES[-1]}",
                   name, f"{name}/ holds {RESERVED_FOLDERS[name]}; call it something else, such as {name}-desk")
        return None
    return name


def _author_names(fields: Fields, name: str) -> tuple[str, ...]:
    """Author names to match by slug; a single name is a list of one."""
    node = fields.node(name)
    if node is None:
        return ()
    found: dict[str, str] = {}
    for item in node.value if isinstance(node.value, list) else [node]:
        text = scalar_text(item)
        if text is None:
            fields.wrong(item, name, "wrong-type", "an author's name", item.value,
                         "write authors: [Middle East desk, Jane Doe]")
        elif not slugify(text):
            fields.wrong(item, name, "empty-author", "an author's name with a letter or digit in it", text,
                         "write the name as the entries give it, such as Middle East desk")
        else:
            found.setdefault(slugify(text), text)
    return tuple(found.values())


