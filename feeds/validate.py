"""Validate stage: raw documents in, typed immutable Site and Entry values (or problems) out.

Every rule of the entry format lives here, and every problem found is collected: an
editor fixing a file sees all its mistakes at once, not one per build.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from datetime import datetime, timezone, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from .dates import DateError, parse_date
from .load import Node, RawDocument
from .model import FORMAT_NAMES, Author, Entry, Site
from .problems import Problem, ProblemList, quote
from .slugs import slugify
from .urls import URLError, absolute_url, is_absolute_uri

ENTRY_FIELDS = ("title", "link", "published", "updated", "author", "categories", "summary",
                "body", "image", "id", "draft", "expires")
SITE_FIELDS = ("title", "link", "description", "publish_url", "language", "timezone", "author",
               "copyright", "icon", "logo", "max_items", "formats", "category_feeds",
               "summary_length", "publish_dir")
AUTHOR_FIELDS = ("name", "email", "uri")
# Names other tools use for the same field, so the hint can point the right way.
SYNONYMS = {"date": "published", "pubdate": "published", "created": "published", "modified": "updated",
            "tags": "categories", "tag": "categories", "category": "categories", "description": "summary",
            "excerpt": "summary", "url": "link", "permalink": "link", "content": "body", "text": "body",
            "guid": "id", "expiry": "expires", "expiry_date": "expires"}

_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*\Z")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+\Z")
_EXAMPLE = {"title": "title: Storm closes Black Sea ports", "link": "link: /news/storm-closes-ports",
            "published": "published: 2020-02-20 16:40", "description": "description: News from our desk"}


class _Fields:
    """Typed reads of one mapping's fields; each bad value becomes a problem, never an exception."""

    def __init__(self, doc: RawDocument, allowed: tuple[str, ...], problems: ProblemList, what: str) -> None:
        self.problems = problems
        self.root = doc.root
        if not isinstance(doc.root.value, dict):
            problems.expected(doc.root.line, doc.root.column, "", "not-a-mapping",
                              f"a mapping of fields ({what})", doc.root.value,
                              "write one field per line, such as title: Storm closes ports")
            self.values: dict[str, Node] = {}
            return
        self.values = doc.root.value
        for name, node in self.values.items():
            if name not in allowed:
                self._unknown(name, node, allowed)

    def _unknown(self, name: str, node: Node, allowed: tuple[str, ...]) -> None:
        guess = SYNONYMS.get(name.lower()) or next(iter(difflib.get_close_matches(name.lower(), allowed, 1, 0.6)), None)
        hint = f"did you mean {guess}?" if guess else "allowed fields: " + ", ".join(allowed)
        self.problems.add(node.key_line, node.key_column, name, "unknown-field", "is not a field", hint)

    def node(self, name: str) -> Node | None:
        return self.values.get(name)

    def missing(self, name: str, what: str) -> None:
        example = _EXAMPLE.get(name, f"{name}: ...")
        self.problems.add(self.root.line, self.root.column, name, "missing",
                          f"expected {what}, found no {name} field", f"add a line such as {example}")

    def text(self, name: str, what: str = "text", required: bool = False, flatten: bool = True) -> str | None:
        """Any scalar reads as the text the editor typed; lists and mappings are errors."""
        node = self.node(name)
        if node is None:
            if required:
                self.missing(name, what)
            return None
        if node.value is None or isinstance(node.value, (list, dict)):
            self.problems.expected(node.line, node.column, name, "wrong-type", what, node.value,
                                   _type_hint(node.value))
            return None
        text = str(node.value) if isinstance(node.value, str) else (node.text or "")
        text = " ".join(text.split()) if flatten else text.strip()
        if not text:
            self.problems.expected(node.line, node.column, name, "empty", what, text, "write the text after the colon")
            return None
        return text

    def boolean(self, name: str, default: bool) -> bool:
        node = self.node(name)
        if node is None:
            return default
        if not isinstance(node.value, bool):
            found = node.value if not isinstance(node.value, str) else node.value
            self.problems.expected(node.line, node.column, name, "wrong-type", "true or false", found,
                                   "yes, no, on and off are text in YAML 1.2; write true or false")
            return default
        return node.value

    def integer(self, name: str, default: int, low: int, high: int) -> int:
        node = self.node(name)
        if node is None:
            return default
        if isinstance(node.value, bool) or not isinstance(node.value, int) or not low <= node.value <= high:
            self.problems.expected(node.line, node.column, name, "wrong-type",
                                   f"a whole number from {low} to {high}", node.value)
            return default
        return node.value

    def date(self, name: str, zone: tzinfo, required: bool = False) -> datetime | None:
        node = self.node(name)
        if node is None:
            if required:
                self.missing(name, "a date")
            return None
        if isinstance(node.value, (list, dict, bool)) or node.value is None:
            self.problems.expected(node.line, node.column, name, "wrong-type", "a date such as 2020-02-20 16:40",
                                   node.value)
            return None
        text = node.text if node.text is not None else str(node.value)
        try:
            return parse_date(text, zone)
        except DateError as error:
            self.problems.add(node.line, node.column, name, "bad-date", f"{quote(text)} {error}",
                              "write it as YYYY-MM-DD HH:MM, e.g. 2020-02-20 16:40")
            return None

    def url(self, name: str, base: str, required: bool = False) -> str | None:
        text = self.text(name, "a URL", required=required, flatten=False)
        if text is None:
            return None
        try:
            return absolute_url(text, base)
        except URLError as error:
            node = self.values[name]
            self.problems.add(node.line, node.column, name, "bad-url",
                              f"expected an http(s) or relative URL, found {error}",
                              "write a path such as /news/story or a full https:// address")
            return None

    def author(self, name: str) -> Author | None:
        node = self.node(name)
        if node is None:
            return None
        if isinstance(node.value, dict):
            return self._author_mapping(name, node)
        author_name = self.text(name, "a name, or {name, email, uri}")
        return Author(author_name) if author_name else None

    def _author_mapping(self, name: str, node: Node) -> Author | None:
        sub = _Fields(RawDocument(self.problems.path, node), AUTHOR_FIELDS, self.problems, "an author")
        author_name = sub.text("name", "the author's name", required=False)
        if author_name is None and "name" not in node.value:
            self.problems.add(node.line, node.column, f"{name}.name", "missing",
                              "expected the author's name, found no name field", "add name: Middle East desk")
        email = sub.text("email", "an email address")
        if email is not None and not _EMAIL.match(email):
            at = node.value["email"]
            self.problems.expected(at.line, at.column, f"{name}.email", "bad-email", "an email address", email,
                                   "write it as desk@news.example.com")
            email = None
        uri = sub.url("uri", "https://invalid.example/")
        return Author(author_name, email, uri) if author_name else None

    def categories(self, name: str) -> tuple[str, ...]:
        node = self.node(name)
        if node is None:
            return ()
        items = node.value if isinstance(node.value, list) else [node]
        found: dict[str, str] = {}
        for item in items:
            text = _scalar_text(item)
            if text is None:
                self.problems.expected(item.line, item.column, name, "wrong-type", "a category name", item.value,
                                       "write categories: [News, Middle East]")
                continue
            if ".." in re.split(r"[/\\]", text):
                self.problems.add(item.line, item.column, name, "path-category",
                                  f"expected a category name, found a path {quote(text)}",
                                  "a category cannot contain a .. segment; name it in words")
                continue
            slug = slugify(text)
            if not slug:
                self.problems.add(item.line, item.column, name, "empty-category",
                                  f"expected a category with a letter or digit, found {quote(text)}",
                                  "name the category in words")
                continue
            found.setdefault(slug, text)
        return tuple(found.values())


def _scalar_text(node: Node) -> str | None:
    if node.value is None or isinstance(node.value, (list, dict)):
        return None
    text = node.value if isinstance(node.value, str) else (node.text or "")
    return " ".join(text.split()) or None


def _type_hint(value: Any) -> str:
    if isinstance(value, list):
        return "write it on one line, or quote it if it has a comma in brackets"
    if isinstance(value, dict):
        return "quote the text: a colon followed by a space starts a mapping"
    return "write the text after the colon"


def validate_site(doc: RawDocument, root: Path) -> Site | list[Problem]:
    """site.yaml -> Site with every default filled in, or every problem in it."""
    problems = ProblemList(doc.path)
    fields = _Fields(doc, SITE_FIELDS, problems, "the channel settings")
    title = fields.text("title", "a title", required=True)
    description = fields.text("description", "a description", required=True)
    link = fields.url("link", "https://invalid.example/", required=True)
    if link is not None and fields.values["link"].text and not re.match(r"https?://", fields.values["link"].text.strip(), re.I):
        node = fields.values["link"]
        problems.add(node.line, node.column, "link", "relative-site-link",
                     f"expected an absolute http(s) URL, found {quote(node.text)}",
                     "write the home page in full, such as https://news.example.com/")
        link = None
    base = link or "https://invalid.example/"
    publish_url = fields.url("publish_url", base) or link or ""
    if not publish_url.endswith("/"):
        publish_url += "/"
    language = fields.text("language", "a language tag such as en or pt-BR") or "en"
    if not _LANGUAGE.match(language):
        node = fields.values["language"]
        problems.expected(node.line, node.column, "language", "bad-language", "a BCP 47 language tag such as en or pt-BR",
                          language)
    zone_name, zone = _timezone(fields, problems)
    site = dict(
        title=title, link=link, description=description, publish_url=publish_url, language=language,
        timezone=zone, timezone_name=zone_name, author=fields.author("author"),
        copyright=fields.text("copyright", "text"), icon=fields.url("icon", base), logo=fields.url("logo", base),
        max_items=fields.integer("max_items", 50, 1, 10_000), formats=_formats(fields, problems),
        category_feeds=fields.boolean("category_feeds", True),
        summary_length=fields.integer("summary_length", 300, 20, 10_000),
        publish_dir=Path(fields.text("publish_dir", "a folder name", flatten=False) or "publish"),
    )
    if problems:
        return problems.items
    return Site(root=root, **site)  # type: ignore[arg-type]


def _timezone(fields: _Fields, problems: ProblemList) -> tuple[str, tzinfo]:
    name = fields.text("timezone", "an IANA timezone such as Europe/Istanbul") or "UTC"
    try:
        return name, ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        node = fields.values["timezone"]
        guess = difflib.get_close_matches(name, sorted(available_timezones()), 1, 0.6)
        problems.expected(node.line, node.column, "timezone", "bad-timezone",
                          "an IANA timezone such as Europe/Istanbul", name,
                          f"did you mean {guess[0]}?" if guess else "see the tz database's zone names")
        return "UTC", timezone.utc


def _formats(fields: _Fields, problems: ProblemList) -> tuple[str, ...]:
    node = fields.node("formats")
    if node is None:
        return FORMAT_NAMES
    items = node.value if isinstance(node.value, list) else [node]
    chosen: list[str] = []
    for item in items:
        text = _scalar_text(item)
        if text not in FORMAT_NAMES:
            problems.expected(item.line, item.column, "formats", "bad-format", "rss, atom or json",
                              item.value, "write formats: [rss, atom, json]")
        elif text not in chosen:
            chosen.append(text)
    if not items:
        problems.expected(node.line, node.column, "formats", "bad-format", "at least one of rss, atom, json",
                          "an empty list", "write formats: [rss, atom, json]")
    return tuple(name for name in FORMAT_NAMES if name in chosen) or FORMAT_NAMES


def validate_entry(doc: RawDocument, site: Site) -> Entry | list[Problem]:
    """One entry file -> Entry, or every problem in it."""
    problems = ProblemList(doc.path)
    fields = _Fields(doc, ENTRY_FIELDS, problems, "an entry")
    title = fields.text("title", "a title", required=True)
    link = fields.url("link", site.link, required=True)
    published = fields.date("published", site.timezone, required=True)
    updated = fields.date("updated", site.timezone)
    expires = fields.date("expires", site.timezone)
    summary = fields.text("summary", "a summary in plain text")
    body = fields.text("body", "the body, in Markdown", flatten=False)
    if summary is None and body is None and "summary" not in fields.values and "body" not in fields.values:
        if isinstance(doc.root.value, dict):
            fields.missing("summary", "a summary or a body")
    given_id = fields.text("id", "an id")
    if given_id is not None and not is_absolute_uri(given_id):
        node = fields.values["id"]
        problems.expected(node.line, node.column, "id", "bad-id", "a URI such as urn:uuid:… or tag:…", given_id,
                          "leave id out to use the link, or write a urn:uuid: value")
        given_id = None
    _check_order(fields, problems, published, updated, expires)
    entry = dict(
        title=title, link=link, published=published, updated=updated, expires=expires,
        author=fields.author("author"), categories=fields.categories("categories"),
        summary=summary, body=body, has_body=body is not None,
        image=fields.url("image", link or site.link), draft=fields.boolean("draft", False),
    )
    if problems:
        return problems.items
    id_node = fields.values.get("id") or fields.values["link"]
    return Entry(source=doc.path, id=given_id or link, id_position=(id_node.line, id_node.column),  # type: ignore[arg-type]
                 **entry)


def _check_order(fields: _Fields, problems: ProblemList, published: datetime | None,
                 updated: datetime | None, expires: datetime | None) -> None:
    if published is None:
        return
    if updated is not None and updated < published:
        node = fields.values["updated"]
        problems.add(node.line, node.column, "updated", "updated-before-published",
                     f"expected a time at or after published, found {quote(node.text or '')}, which is before it",
                     "an entry cannot be updated before it was published; fix one of the two")
    if expires is not None and expires <= published:
        node = fields.values["expires"]
        problems.add(node.line, node.column, "expires", "expires-before-published",
                     f"expected a time after published, found {quote(node.text or '')}",
                     "the entry would never be shown; fix the date or remove expires")


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
