"""Validate stage: raw documents in, typed immutable Site and Entry values (or problems) out.

Every rule of the entry format lives here, and every problem found is collected: an
editor fixing a file sees all its mistakes at once, not one per build.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from datetime import datetime
from functools import partial

from . import placeholders
from .fields import Fields
from .load import RawDocument
from .model import (
    Entry,
    Site,
)
from .problems import Problem, ProblemList, quote
from .sanitise import removed_html
from .slugs import category_folder
from .urls import is_absolute_uri

ENTRY_FIELDS = ("title", "link", "published", "updated", "author", "categories", "summary",
                "body", "image", "id", "draft", "expires")
ENTRY_EXAMPLES = {"title": "title: Storm closes Black Sea ports", "link": "link: /news/storm-closes-ports",
                  "published": "published: 2020-02-20 16:40",
                  "summary": "summary: Ports shut as the storm reaches the coast."}


def validate_entry(doc: RawDocument, site: Site) -> Entry | list[Problem]:
    """One entry file -> Entry, or every problem in it."""
    problems = ProblemList(doc.path)
    fields = Fields(doc.root, ENTRY_FIELDS, problems, "an entry", ENTRY_EXAMPLES)
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


def _unfinished(fields: Fields, summary: str | None, body: str | None) -> None:
    """A story still holding the sentences `feeds new` wrote is not finished: it must not go out."""
    for name, text, placeholder in (("summary", summary, placeholders.ENTRY_SUMMARY),
                                    ("body", body, placeholders.ENTRY_BODY)):
        if text is not None and placeholder in text:
            fields.bad(fields.values[name], name, "unfinished",
                       f"expected the story, found the placeholder feeds new wrote, {quote(placeholder, 120)}",
                       f"write the {name} in its place, or put back draft: true until it is finished")


def _removed_markup(fields: Fields, body: str) -> None:
    """Warn of each kind of HTML the sanitiser will take out of the body: the editor put it there."""
    node = fields.values["body"]
    for removed, instead in removed_html(textwrap.dedent(body)):  # a body kept as written is still indented
        fields.problems.warn(node.line, node.column, "body", "html-removed", removed, instead)


def _given_id(fields: Fields) -> str | None:
    given_id = fields.text("id", "an id")
    if given_id is not None and not is_absolute_uri(given_id):
        fields.wrong(fields.values["id"], "id", "bad-id", "a URI such as urn:uuid:… or tag:…", given_id,
                     "leave id out to use the link, or write a urn:uuid: value")
        return None
    return given_id


def _check_order(fields: Fields, published: datetime | None,
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


def find_duplicate_ids(entries: Iterable[Entry], published: Mapping[str, str] | None = None) -> list[Problem]:
    """Two entries that would be published with one id: readers would merge or drop them.

    The entry that had the id at the last build (`published`: id -> its path) keeps it, since
    readers know it by that id; any other is the newcomer, reported and held back. With no
    such entry, the first by path keeps it."""
    published = published or {}
    first_seen: dict[str, Entry] = {}
    problems: list[Problem] = []
    for entry in sorted((e for e in entries if not e.draft), key=lambda e: (published.get(e.id) != e.source, e.source)):
        earlier = first_seen.setdefault(entry.id, entry)
        if earlier is not entry:
            line, column = entry.id_position
            problems.append(Problem(entry.source, line, column, "id", "duplicate-id",
                                    f"expected an id no other entry has, found {quote(entry.id)}, "
                                    f"which {earlier.source} has too",
                                    f"{entry.source} is the newcomer: give it its own link, or an id: urn:uuid:… "
                                    f"of its own; {earlier.source} keeps its id, which readers know it by"))
    return problems
