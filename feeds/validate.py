"""Validate stage: raw documents in, typed immutable Site and Entry values (or problems) out.

Every rule of the entry format lives here, and every problem found is collected: an
editor fixing a file sees all its mistakes at once, not one per build.
"""

from __future__ import annotations

import difflib
import re
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime, timezone, tzinfo
from functools import lru_cache, partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from . import placeholders
from .dates import DateError, parse_date
from .load import RawDocument
from .model import (
    CONTENT_MODES,
    DEFAULT_MAX_BYTES,
    FORMAT_NAMES,
    RESERVED_FEED_NAMES,
    Author,
    CategorySettings,
    ContentMode,
    Entry,
    NamedFeed,
    Site,
)
from .problems import Problem, ProblemList, describe, quote
from .remote import TargetError, parse_target
from .sanitise import removed_html
from .slugs import SLUG_STYLES, category_folder, slugify
from .urls import URLError, absolute_url, is_absolute_uri
from .yaml_node import Node

ENTRY_FIELDS = ("title", "link", "published", "updated", "author", "categories", "summary",
                "body", "image", "id", "draft", "expires")
SITE_FIELDS = ("title", "link", "description", "publish_url", "language", "timezone", "author",
               "copyright", "icon", "logo", "max_items", "formats", "category_feeds",
               "summary_length", "publish_dir",
               "content", "max_bytes", "author_feeds", "feeds", "hub", "publish_to", "cache_control",
               "slugs", "categories")
NAMED_FEED_FIELDS = ("name", "title", "description", "categories", "authors", "exclude_categories",
                     "max_items", "content")
CATEGORY_FIELDS = ("title", "description", "slug")
AUTHOR_FIELDS = ("name", "email", "uri")
# Names other tools use for the same field, so the hint can point the right way.
SYNONYMS = {"date": "published", "pubdate": "published", "created": "published", "modified": "updated",
            "tags": "categories", "tag": "categories", "category": "categories", "description": "summary",
            "excerpt": "summary", "url": "link", "permalink": "link", "content": "body", "text": "body",
            "guid": "id", "expiry": "expires", "expiry_date": "expires", "byline": "author", "by": "author",
            "writer": "author", "authors": "author", "standfirst": "summary", "dek": "summary", "lede": "summary",
            "headline": "title", "hed": "title", "story": "body",
            "exclude": "exclude_categories", "excluded_categories": "exclude_categories", "slug": "name",
            "limit": "max_items", "feed": "feeds", "named_feeds": "feeds"}

_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*\Z")
# The WHATWG (HTML) definition of a valid e-mail address, as browsers check it, with a dot
# required in the domain: no quotes, brackets or spaces that would break out of <email>.
_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+\Z")
_NAME_AND_EMAIL = re.compile(r"(.*)<([^<>]*)>\Z")
BYLINE = 'a name, "Name <email>", {name, email, uri}, or a list of these'
ENTRY_EXAMPLES = {"title": "title: Storm closes Black Sea ports", "link": "link: /news/storm-closes-ports",
                  "published": "published: 2020-02-20 16:40",
                  "summary": "summary: Ports shut as the storm reaches the coast."}
SITE_EXAMPLES = {"title": "title: Meridian Wire", "link": "link: https://news.example.com/",
                 "description": "description: News from our desk"}
STAND_IN_LINK = "https://invalid.example/"
MAX_CATEGORY = 100  # its slug names a folder, and file names stop at 255 bytes
MAX_CATEGORIES = 100  # on one entry; a newsroom's have under 20, and each is a feed to write
MIN_MAX_BYTES = 10_000  # a channel and one item with its summary; smaller cannot hold a feed
MAX_MAX_BYTES = 100_000_000


class _Fields:
    """Typed reads of one mapping's fields; each bad value becomes a problem, never an exception."""

    def __init__(self, root: Node, allowed: tuple[str, ...], problems: ProblemList, what: str,
                 examples: dict[str, str], prefix: str = "") -> None:
        self.problems = problems
        self.root = root
        self.what = what
        self.examples = examples
        self.prefix = prefix
        self.guessed: set[str] = set()
        self.is_mapping = isinstance(root.value, dict)
        if not self.is_mapping:
            problems.expected(root.line, root.column, prefix.rstrip("."), "not-a-mapping",
                              f"a mapping of fields ({what})", root.value,
                              "write one field per line, such as " + next(iter(examples.values())))
            self.values: dict[str, Node] = {}
            return
        self.values = root.value
        if not self.values.keys() <= _field_set(allowed):
            for name, node in self.values.items():
                if name not in allowed:
                    self._unknown(name, node, allowed)

    def _unknown(self, name: str, node: Node, allowed: tuple[str, ...]) -> None:
        synonym = SYNONYMS.get(name.lower()) if SYNONYMS.get(name.lower()) in allowed else None
        guess = synonym or next(iter(difflib.get_close_matches(name.lower(), allowed, 1, 0.6)), None)
        if guess:
            self.guessed.add(guess)
        hint = f"did you mean {guess}?" if guess else "the fields are " + ", ".join(allowed)
        self.problems.add(node.key_line, node.key_column, self.prefix + name, "unknown-field",
                          f"is not a field of {self.what}", hint)

    def node(self, name: str) -> Node | None:
        return self.values.get(name)

    def missing(self, name: str, what: str) -> None:
        """A required field is absent; not said when a misspelling of it, or a non-mapping, was reported."""
        if name in self.guessed or not self.is_mapping:
            return
        example = self.examples.get(name, f"{name}: ...")
        self.problems.add(self.root.line, self.root.column, self.prefix + name, "missing",
                          f"expected {what}, found no {name} field", f"add a line such as {example}")

    def wrong(self, node: Node, name: str, code: str, expected: str, found: Any, hint: str = "") -> None:
        """The one way a bad value is reported: 'name: expected X, found Y; hint'."""
        self.problems.expected(node.line, node.column, self.prefix + name, code, expected, found, hint)

    def bad(self, node: Node, name: str, code: str, message: str, hint: str = "") -> None:
        self.problems.add(node.line, node.column, self.prefix + name, code, message, hint)

    def text(self, name: str, what: str = "text", required: bool = False, flatten: bool = True) -> str | None:
        """Any scalar reads as the text the editor typed; lists and mappings are errors."""
        node = self.values.get(name)
        if node is None:
            if required:
                self.missing(name, what)
            return None
        value = node.value
        if type(value) is str:
            text = value
        elif value is None or isinstance(value, (list, dict)):
            self.wrong(node, name, "wrong-type", what, value, _type_hint(value, name, what))
            return None
        else:  # a number or boolean: the text as written
            text = node.text or ""
        text = " ".join(text.split()) if flatten else text.strip()
        if not text:
            self.wrong(node, name, "empty", what, text,
                       f"write {what} after the colon" + ("" if required else ", or remove the line"))
            return None
        return text if text.isascii() else self.not_encoded_twice(node, name, text)

    def not_encoded_twice(self, node: Node, name: str, text: str) -> str | None:
        """Refuse UTF-8 that was read as Latin-1 and saved again ("CafÃ©"): readers would undo it."""
        repaired = _encoded_twice(text)
        if repaired is None:
            return text
        self.bad(node, name, "encoded-twice",
                 f"expected text, found {quote(text)}, which looks like UTF-8 read as Latin-1",
                 f"did you mean {quote(repaired)}?")
        return None

    def boolean(self, name: str, default: bool) -> bool:
        node = self.node(name)
        if node is None:
            return default
        if not isinstance(node.value, bool):
            self.wrong(node, name, "wrong-type", "true or false", node.value,
                       "yes, no, on and off are text in YAML 1.2; write true or false")
            return default
        return node.value

    def integer(self, name: str, default: int, low: int, high: int) -> int:
        node = self.node(name)
        if node is None:
            return default
        if isinstance(node.value, bool) or not isinstance(node.value, int) or not low <= node.value <= high:
            self.wrong(node, name, "wrong-type", f"a whole number from {low:,} to {high:,}", node.value,
                       f"write it in digits, such as {name}: {default}")
            return default
        return node.value

    def date(self, name: str, zone: tzinfo, required: bool = False) -> datetime | None:
        node = self.node(name)
        if node is None:
            if required:
                self.missing(name, "a date")
            return None
        if isinstance(node.value, (list, dict, bool)) or node.value is None:
            self.wrong(node, name, "wrong-type", "a date", node.value,
                       f"write it as YYYY-MM-DD HH:MM, such as {name}: 2020-02-20 16:40")
            return None
        text = node.text if node.text is not None else str(node.value)
        try:
            return parse_date(text, zone)
        except DateError as error:
            self.bad(node, name, "bad-date", f"{quote(text)} {error}", error.hint)
            return None

    def url(self, name: str, base: str, required: bool = False) -> str | None:
        text = self.text(name, "a URL", required=required, flatten=False)
        if text is None:
            return None
        try:
            return absolute_url(text, base)
        except URLError as error:
            self.bad(self.values[name], name, "bad-url", f"expected an http(s) or relative URL, found {error}",
                     "write a path such as /news/story or a full https:// address")
            return None

    def authors(self, name: str) -> tuple[Author, ...]:
        """A byline: a name, "Name <email>", {name, email, uri}, or a list of these (each kept once)."""
        node = self.node(name)
        if node is None:
            return ()
        items = node.value if isinstance(node.value, list) else [node]
        if not items:
            self.wrong(node, name, "empty", BYLINE, items, "write author: Jo Byrne, or remove the line")
        found: list[Author] = []
        for item in items:
            author = self._author_mapping(name, item) if isinstance(item.value, dict) else self._author_text(name, item)
            if author is not None and author not in found:
                found.append(author)
        return tuple(found)

    def _author_text(self, name: str, node: Node) -> Author | None:
        """'Jo Byrne', or 'Jo Byrne <jo@news.example.com>' as a name and an email."""
        text = _scalar_text(node)
        if text is None:
            self.wrong(node, name, "wrong-type", BYLINE, node.value,
                       'write author: [Jo Byrne, "Sam Lee <sam@news.example.com>"]')
            return None
        if not text.isascii() and self.not_encoded_twice(node, name, text) is None:
            return None
        written = _NAME_AND_EMAIL.match(text)
        if written is None:
            return Author(text)
        author_name, email = written.group(1).strip(), written.group(2).strip()
        if not author_name or not _EMAIL.match(email):
            self.wrong(node, name, "bad-email", "a name and an email address, such as Jo Byrne <jo@news.example.com>",
                       text, "write the name, then the email address in angle brackets")
            return None
        return Author(author_name, email)

    def _author_mapping(self, name: str, node: Node) -> Author | None:
        sub = _Fields(node, AUTHOR_FIELDS, self.problems, "an author", {"name": "name: Middle East desk"},
                      prefix=f"{self.prefix}{name}.")
        author_name = sub.text("name", "the author's name", required=True)
        email = sub.text("email", "an email address")
        if email is not None and not _EMAIL.match(email):
            sub.wrong(node.value["email"], "email", "bad-email", "an email address", email,
                      "write it as desk@news.example.com")
            email = None
        uri = sub.url("uri", STAND_IN_LINK)
        return Author(author_name, email, uri) if author_name else None

    def categories(self, name: str, folder_of: Callable[[str], str]) -> tuple[str, ...]:
        """Each category once per feed folder: the first of names that share one (News and news,
        or Météo and Meteo with `slugs: ascii`) is kept."""
        node = self.node(name)
        if node is None:
            return ()
        items = node.value if isinstance(node.value, list) else [node]
        if len(items) > MAX_CATEGORIES:
            self.bad(node, name, "too-many-categories",
                     f"expected at most {MAX_CATEGORIES} categories, found {len(items):,}",
                     "an entry is filed under a few, each with a feed of its own: keep the ones readers follow")
            return ()
        found: dict[str, str] = {}
        for item in items:
            text = _scalar_text(item)
            if text is None:
                self.wrong(item, name, "wrong-type", "a category name", item.value,
                           "write categories: [News, Middle East]")
                continue
            slug = _category_slug(text)
            if isinstance(slug, tuple):
                code, message, hint = slug
                self.bad(item, name, code, message, hint)
            elif text.isascii() or self.not_encoded_twice(item, name, text) is not None:
                found.setdefault(folder_of(text), text)
        return tuple(found.values())


@lru_cache(maxsize=4096)  # a site has tens of categories, named in thousands of entries
def _category_slug(text: str) -> str | tuple[str, str, str]:
    """The folder a category's feeds go in, or why it cannot have one (code, message, hint)."""
    if ".." in re.split(r"[/\\]", text):
        return ("path-category", f"expected a category name, found the path {quote(text)}",
                "a category cannot contain a .. segment; name it in words")
    if len(text) > MAX_CATEGORY:
        return ("long-category", f"expected a category name of at most {MAX_CATEGORY} characters, found {describe(text)}",
                "shorten it: it names a folder of feeds")
    return slugify(text) or ("empty-category", f"expected a category with a letter or digit in it, found {quote(text)}",
                             "name the category in words, such as Middle East")


@lru_cache(maxsize=None)
def _field_set(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(names)


def _encoded_twice(text: str) -> str | None:
    """The text as first meant, if it is UTF-8 decoded as Latin-1 (feed readers repair that)."""
    if text.isascii():
        return None
    try:
        return text.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return None


def _scalar_text(node: Node) -> str | None:
    if node.value is None or isinstance(node.value, (list, dict)):
        return None
    text = node.value if isinstance(node.value, str) else (node.text or "")
    return " ".join(text.split()) or None


def _type_hint(value: Any, name: str, what: str) -> str:
    if isinstance(value, list):
        return f'write it as text; put it in quotes if it starts with [ or -, such as {name}: "[Live] Storm"'
    if isinstance(value, dict):
        return f'write it as text; put it in quotes if it starts with {{, such as {name}: "{{Live}} Storm"'
    return f"write {what} after the colon"


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
    fields = _Fields(doc.root, SITE_FIELDS, problems, "site.yaml", SITE_EXAMPLES)
    title = fields.text("title", "a title", required=True)
    description = fields.text("description", "a description", required=True)
    link = _site_link(fields)
    base = link or STAND_IN_LINK
    publish_url = _publish_url(fields, base)
    zone_name, zone = _timezone(fields)
    site = Site(
        root=root, title=title or "", link=base, description=description or "",
        publish_url=publish_url if publish_url.endswith("/") else publish_url + "/",
        language=_language(fields), timezone=zone, timezone_name=zone_name, authors=fields.authors("author"),
        copyright=fields.text("copyright", "text"), icon=fields.url("icon", base), logo=fields.url("logo", base),
        max_items=fields.integer("max_items", 50, 1, 10_000), formats=_formats(fields),
        category_feeds=fields.boolean("category_feeds", True),
        summary_length=fields.integer("summary_length", 300, 20, 10_000),
        publish_dir=Path(fields.text("publish_dir", "a folder name", flatten=False) or "publish"),
        content=_content_mode(fields, "full"),
        max_bytes=fields.integer("max_bytes", DEFAULT_MAX_BYTES, MIN_MAX_BYTES, MAX_MAX_BYTES),
        author_feeds=fields.boolean("author_feeds", False),
        hubs=_hubs(fields), publish_to=_publish_to(fields), cache_control=_cache_control(fields),
        slugs=_slug_style(fields), categories=_category_settings(fields),
    )
    site = replace(site, feeds=_named_feeds(fields, site))
    if description == placeholders.SITE_DESCRIPTION:
        node = fields.values["description"]
        problems.warn(node.line, node.column, "description", "placeholder",
                      "still says what feeds init wrote, which readers see under the feed's title",
                      "describe your site in a sentence, such as description: News from our desk")
    return replace(site, warnings=tuple(problems.warnings)), sorted(problems.items)


def _site_link(fields: _Fields) -> str | None:
    link = fields.url("link", STAND_IN_LINK, required=True)
    node = fields.node("link")
    if link is not None and node is not None and not re.match(r"https?://", str(node.value).strip(), re.I):
        fields.wrong(node, "link", "relative-site-link", "an absolute http(s) URL", node.value,
                     "write the home page in full, such as https://news.example.com/")
        return None
    return link


def _publish_url(fields: _Fields, base: str) -> str:
    """The folder the feeds go in: each feed's URL is this plus its file name, so a query or
    fragment would end up in the middle of every self link and id."""
    url = fields.url("publish_url", base)
    if url is None:
        return base
    parts = urlsplit(url)
    extra = f"the query ?{parts.query}" if parts.query else f"the fragment #{parts.fragment}" if parts.fragment else ""
    if extra:
        fields.bad(fields.values["publish_url"], "publish_url", "publish-url-query",
                   f"expected the address of the folder the feeds are published in, found "
                   f"{quote(fields.values['publish_url'].text or url)}, which has {extra}",
                   f"feed files are named after it, so remove {extra.split()[-1]}")
        return base
    return url


def _hubs(fields: _Fields) -> tuple[str, ...]:
    """hub: one URL or a list of them, each an absolute http(s) URL (a hub is another site)."""
    node = fields.node("hub")
    if node is None:
        return ()
    hubs: list[str] = []
    for item in node.value if isinstance(node.value, list) else [node]:
        text = _scalar_text(item)
        if text is None or not re.fullmatch(r"https?://[^/\s]+(/\S*)?", text, re.IGNORECASE):
            fields.wrong(item, "hub", "bad-hub", "the absolute http(s) URL of a WebSub hub", item.value,
                         "write hub: https://pubsubhubbub.appspot.com/, or a list of URLs")
        elif text not in hubs:
            hubs.append(text)
    return tuple(hubs)


def _publish_to(fields: _Fields) -> str | None:
    text = fields.text("publish_to", "an object-storage target")
    if text is None:
        return None
    try:
        return str(parse_target(text))
    except TargetError as error:
        fields.wrong(fields.values["publish_to"], "publish_to", "bad-target", error.expected, text, error.hint)
        return None


def _cache_control(fields: _Fields) -> str:
    text = fields.text("cache_control", "a Cache-Control header value")
    if text is None:
        return Site.cache_control
    if not re.fullmatch(r"[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?", text):
        fields.wrong(fields.values["cache_control"], "cache_control", "bad-cache-control",
                     "a Cache-Control header value in plain ASCII", text,
                     "write it as cache_control: public, max-age=300")
        return Site.cache_control
    return text


def _language(fields: _Fields) -> str:
    language = fields.text("language", "a language tag") or "en"
    if not _LANGUAGE.match(language):
        fields.wrong(fields.values["language"], "language", "bad-language", "a BCP 47 language tag", language,
                     "write it as en, pt-BR or zh-Hant")
        return "en"
    return language


def _timezone(fields: _Fields) -> tuple[str, tzinfo]:
    name = fields.text("timezone", "an IANA timezone") or "UTC"
    try:
        return name, ZoneInfo(name)
    except ValueError:  # not a key at all: an absolute path, or one with . or .. in it
        zone = name.rpartition("zoneinfo/")[2] if "zoneinfo/" in name else ""
        fields.bad(fields.values["timezone"], "timezone", "bad-timezone",
                   f"expected an IANA timezone, found the path {quote(name)}",
                   f"write the zone's name, not a file's: {zone}" if zone in available_timezones()
                   else "write the zone's name, not a file's, such as Europe/Istanbul or UTC")
        return "UTC", timezone.utc
    except ZoneInfoNotFoundError:
        guess = difflib.get_close_matches(name, sorted(available_timezones()), 1, 0.6)
        fields.wrong(fields.values["timezone"], "timezone", "bad-timezone", "an IANA timezone", name,
                     f"did you mean {guess[0]}?" if guess else "write a zone such as Europe/Istanbul or UTC")
        return "UTC", timezone.utc


def _slug_style(fields: _Fields) -> str:
    style = fields.text("slugs", "unicode or ascii") or "unicode"
    if style not in SLUG_STYLES:
        fields.wrong(fields.values["slugs"], "slugs", "bad-slugs", "unicode or ascii", style,
                     "write slugs: ascii for plain addresses (categories/meteo/), or slugs: unicode")
        return "unicode"
    return style


def _category_settings(fields: _Fields) -> tuple[CategorySettings, ...]:
    """`categories: {Économie: {title, description, slug}}`: each category's feed, as the desk wants it."""
    node = fields.node("categories")
    if node is None:
        return ()
    if not isinstance(node.value, dict):
        fields.wrong(node, "categories", "wrong-type", "a mapping of category names to their settings", node.value,
                     "write categories: {Économie: {title: Economy, slug: economy}}")
        return ()
    found: list[CategorySettings] = []
    folders: dict[str, str] = {}
    for name, settings in node.value.items():
        where = f"categories.{name}"
        key = _category_slug(name)
        if isinstance(key, tuple):
            code, message, hint = key
            fields.problems.add(settings.key_line, settings.key_column, where, code, message, hint)
            continue
        sub = _Fields(settings, CATEGORY_FIELDS, fields.problems, "a category's settings",
                      {"title": "title: Economy"}, prefix=where + ".")
        slug = sub.text("slug", "a slug")
        if slug is not None and slugify(slug) != slug:
            sub.wrong(settings.value["slug"], "slug", "bad-slug", "a slug (lowercase letters, digits and -)", slug,
                      f"write it as {slugify(slug) or 'economy'}")
            slug = None
        elif slug is not None and folders.setdefault(slug, name) != name:
            sub.wrong(settings.value["slug"], "slug", "taken-slug", "a slug no other category has", slug,
                      f"{folders[slug]} has it; give each category its own")
            slug = None
        found.append(CategorySettings(key, sub.text("title", "a feed title"),
                                      sub.text("description", "a feed description"), slug))
    return tuple(found)


def _formats(fields: _Fields) -> tuple[str, ...]:
    node = fields.node("formats")
    if node is None:
        return FORMAT_NAMES
    items = node.value if isinstance(node.value, list) else [node]
    chosen: list[str] = []
    for item in items:
        text = _scalar_text(item)
        if text not in FORMAT_NAMES:
            fields.wrong(item, "formats", "bad-format", "rss, atom or json", item.value,
                         "write formats: [rss, atom, json]")
        elif text not in chosen:
            chosen.append(text)
    if not items:
        fields.wrong(node, "formats", "bad-format", "at least one of rss, atom, json", items,
                     "write formats: [rss, atom, json], or remove the line for all three")
    return tuple(name for name in FORMAT_NAMES if name in chosen) or FORMAT_NAMES


def _content_mode(fields: _Fields, default: ContentMode) -> ContentMode:
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


def _named_feeds(fields: _Fields, site: Site) -> tuple[NamedFeed, ...]:
    """`feeds:`, a list of named feeds, each with the site's settings where it names none."""
    node = fields.node("feeds")
    if node is None:
        return ()
    if not isinstance(node.value, list):
        fields.wrong(node, "feeds", "wrong-type", "a list of named feeds", node.value,
                     "write feeds: and under it one feed a line, starting - name: breaking")
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
    feed = _Fields(node, NAMED_FEED_FIELDS, problems, "a named feed", {"name": "name: breaking"}, prefix)
    name = _feed_name(feed)
    title = feed.text("title", "a title")
    description = feed.text("description", "a description")
    categories = feed.categories("categories", slugify)
    authors = _author_names(feed, "authors")
    excluded = feed.categories("exclude_categories", slugify)
    max_items = feed.integer("max_items", site.max_items, 1, 10_000)
    content = _content_mode(feed, site.content)
    if name is None:
        return None
    return NamedFeed(name, title or f"{site.title}: {name}", description or site.description,
                     categories, authors, excluded, max_items, content)


def _feed_name(feed: _Fields) -> str | None:
    """A slug, for it names the feed's folder: publish/<name>/."""
    name = feed.text("name", "a feed name", required=True)
    if name is None:
        return None
    node = feed.values["name"]
    slug = slugify(name)
    if name != slug:
        feed.wrong(node, "name", "bad-feed-name", "a name of lowercase letters, digits and single dashes", name,
                   f"did you mean {slug}?" if slug else "name it in words, such as breaking")
        return None
    if name in RESERVED_FEED_NAMES:
        feed.wrong(node, "name", "reserved-feed-name",
                   f"a name other than {', '.join(RESERVED_FEED_NAMES[:-1])} or {RESERVED_FEED_NAMES[-1]}",
                   name, f"{name}/ holds the tool's own feeds; call it something else, such as {name}-desk")
        return None
    return name


def _author_names(fields: _Fields, name: str) -> tuple[str, ...]:
    """Author names to match by slug; a single name is a list of one."""
    node = fields.node(name)
    if node is None:
        return ()
    found: dict[str, str] = {}
    for item in node.value if isinstance(node.value, list) else [node]:
        text = _scalar_text(item)
        if text is None:
            fields.wrong(item, name, "wrong-type", "an author's name", item.value,
                         "write authors: [Middle East desk, Jane Doe]")
        elif not slugify(text):
            fields.wrong(item, name, "empty-author", "an author's name with a letter or digit in it", text,
                         "write the name as the entries give it, such as Middle East desk")
        else:
            found.setdefault(slugify(text), text)
    return tuple(found.values())


def validate_entry(doc: RawDocument, site: Site) -> Entry | list[Problem]:
    """One entry file -> Entry, or every problem in it."""
    problems = ProblemList(doc.path)
    fields = _Fields(doc.root, ENTRY_FIELDS, problems, "an entry", ENTRY_EXAMPLES)
    title = fields.text("title", "a title", required=True)
    link = fields.url("link", site.link, required=True)
    published = fields.date("published", site.timezone, required=True)
    updated = fields.date("updated", site.timezone)
    expires = fields.date("expires", site.timezone)
    summary = fields.text("summary", "a summary")
    body = fields.text("body", "a body", flatten=False)
    if "summary" not in fields.values and "body" not in fields.values:
        fields.missing("summary", "a summary or a body")
    given_id = _given_id(fields)
    _check_order(fields, published, updated, expires)
    authors = fields.authors("author")
    categories = fields.categories("categories", partial(category_folder, site))
    image = fields.url("image", link or site.link)
    draft = fields.boolean("draft", False)
    if not draft:
        _unfinished(fields, summary, body)
    if body is not None and "<" in body:  # markup starts with one: most bodies need no look
        _removed_markup(fields, body)
    if problems:
        return sorted(problems.items)
    id_node = fields.values.get("id") or fields.values["link"]
    return Entry(doc.path, given_id or link, title, link, published, updated, authors,  # type: ignore[arg-type]
                 categories, summary, body, body is not None, image, draft, expires, (id_node.line, id_node.column),
                 tuple(problems.warnings))


def _unfinished(fields: _Fields, summary: str | None, body: str | None) -> None:
    """A story still holding the sentences `feeds new` wrote is not finished: it must not go out."""
    for name, text, placeholder in (("summary", summary, placeholders.ENTRY_SUMMARY),
                                    ("body", body, placeholders.ENTRY_BODY)):
        if text is not None and placeholder in text:
            fields.bad(fields.values[name], name, "unfinished",
                       f"expected the story, found the placeholder feeds new wrote, {quote(placeholder, 120)}",
                       f"write the {name} in its place, or put back draft: true until it is finished")


def _removed_markup(fields: _Fields, body: str) -> None:
    """Warn of each kind of HTML the sanitiser will take out of the body: the editor put it there."""
    node = fields.values["body"]
    for removed, instead in removed_html(textwrap.dedent(body)):  # a body kept as written is still indented
        fields.problems.warn(node.line, node.column, "body", "html-removed", removed, instead)


def _given_id(fields: _Fields) -> str | None:
    given_id = fields.text("id", "an id")
    if given_id is not None and not is_absolute_uri(given_id):
        fields.wrong(fields.values["id"], "id", "bad-id", "a URI such as urn:uuid:… or tag:…", given_id,
                     "leave id out to use the link, or write a urn:uuid: value")
        return None
    return given_id


def _check_order(fields: _Fields, published: datetime | None,
                 updated: datetime | None, expires: datetime | None) -> None:
    if published is None:
        return
    written = quote(fields.values["published"].text or "")
    if updated is not None and updated < published:
        node = fields.values["updated"]
        fields.bad(node, "updated", "updated-before-published",
                   f"expected a time at or after published {written}, found {quote(node.text or '')}",
                   "an entry cannot be updated before it is published; fix one of the two dates")
    if expires is not None and expires <= published:
        node = fields.values["expires"]
        fields.bad(node, "expires", "expires-before-published",
                   f"expected a time after published {written}, found {quote(node.text or '')}",
                   "the entry would never appear; fix the date or remove expires")


def warnings_of(site: Site | None, entries: Iterable[Entry]) -> list[Problem]:
    """Every warning of a checked site: site.yaml's, then its entries' (the cache keeps them)."""
    found = list(site.warnings) if site is not None else []
    for entry in entries:
        if entry.warnings:
            found.extend(entry.warnings)
    return found


def find_duplicate_ids(entries: Iterable[Entry]) -> list[Problem]:
    """Two entries that will be published with one id: readers would merge or drop them."""
    first_seen: dict[str, Entry] = {}
    problems: list[Problem] = []
    for entry in sorted((e for e in entries if not e.draft), key=lambda e: e.source):
        earlier = first_seen.setdefault(entry.id, entry)
        if earlier is not entry:
            line, column = entry.id_position
            problems.append(Problem(entry.source, line, column, "id", "duplicate-id",
                                    f"expected an id no other entry has, found {quote(entry.id)}, "
                                    f"which {earlier.source} has too",
                                    "give one of them its own link, or an id: urn:uuid:… of its own"))
    return problems
