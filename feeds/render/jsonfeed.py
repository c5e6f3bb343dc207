"""JSON Feed 1.1, written with the standard library: each item encoded once (spliced.py)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from itertools import chain, islice
from typing import Any

from ..dates import format_iso
from ..model import Author, FeedDocument, Item
from .spliced import rendered_items

VERSION = "https://jsonfeed.org/version/1.1"
NO_ITEMS = b'"items": []'
ITEMS_OPENING = NO_ITEMS[:-1]
ITEM_INDENT = b"\n    "  # before each item, as json.dumps indents the list
ITEM_SEPARATOR = b"," + ITEM_INDENT
LIST_END_INDENT = b"\n  "  # before the list's closing bracket
ITEMS_CLOSING = LIST_END_INDENT + b"]"


def render(feed: FeedDocument) -> bytes:
    """json.dumps's document: the one without items, their encodings put in the empty list."""
    return with_items(empty_document(feed), rendered_items("json", feed.items, render_items) if feed.items else [])


def empty_document(feed: FeedDocument) -> bytes:
    """The document with an empty item list, as json.dumps writes it."""
    return library_document(feed, with_items=False)


def with_items(empty: bytes, items: Sequence[bytes]) -> bytes:
    """An empty_document with these items' bytes (render_items) in its list, as json.dumps would indent them."""
    if not items:
        return empty
    at = empty.rindex(NO_ITEMS) + len(NO_ITEMS) - 1
    separated = islice(chain.from_iterable((ITEM_SEPARATOR, item) for item in items), 1, None)  # none before the first
    return b"".join((empty[:at], ITEM_INDENT, *separated, LIST_END_INDENT, empty[at:]))  # the items copied once


def items_in(document: bytes) -> list[bytes] | None:
    """A document's items' bytes as with_items takes them, to put them in another channel:
    "items" is the document's last member, and no string holds a bare quote or line break."""
    opening = document.rfind(ITEMS_OPENING)
    if opening < 0:
        return None
    start = opening + len(ITEMS_OPENING)
    if document.startswith(b"]", start):
        return []
    end = document.rfind(ITEMS_CLOSING)
    if not document.startswith(ITEM_INDENT, start) or end < start:
        return None
    return [document[start + len(ITEM_INDENT):end]]


def render_items(items: Sequence[Item]) -> list[bytes]:
    return [_encoded(item).encode("utf-8") for item in items]


def _encoded(item: Item) -> str:
    """One item as json.dumps(_item(item), indent=2) writes it in the items list, written here
    with json's own string encoder: json.dumps indents with an encoder written in Python,
    which took five times as long (tests/test_item_writers.py compares the two). The keys
    are plain ASCII names, which JSON writes as they are."""
    members = []
    for key, value in _item(item).items():
        if key == "authors":
            people = ",\n".join("        {\n" + ",\n".join(f'          "{field}": {_string(text)}'
                                                        for field, text in author.items()) + "\n        }"
                                for author in value)
            members.append(f'      "authors": [\n{people}\n      ]')
        elif key == "tags":
            tags = ",\n".join(f"        {_string(tag)}" for tag in value)
            members.append(f'      "tags": [\n{tags}\n      ]')
        else:
            members.append(f'      "{key}": {_string(value)}')
    return "{\n" + ",\n".join(members) + "\n    }"


_string = json.encoder.encode_basestring  # type: ignore[attr-defined]  # json.dumps's, with ensure_ascii=False


def library_document(feed: FeedDocument, with_items: bool = True) -> bytes:
    """The whole document as json.dumps writes it."""
    document: dict[str, Any] = {
        "version": VERSION,
        "title": feed.title,
        "home_page_url": feed.home_url,
        "feed_url": feed.feed_url,
        "description": feed.description,
        "language": feed.site.language,
    }
    if feed.site.icon:  # JSON Feed's icon and favicon are square, a reader's avatar for the feed: not the wide logo
        document["icon"] = document["favicon"] = feed.site.icon
    if feed.site.hubs:
        document["hubs"] = [{"type": "WebSub", "url": hub} for hub in feed.site.hubs]
    if feed.site.authors:
        document["authors"] = [_author(author) for author in feed.site.authors]
    if feed.archive and feed.archive.current:
        document["feed_url"] = feed.archive.current  # an archive page is part of its feed
    if feed.archive and feed.archive.prev_archive:
        document["next_url"] = feed.archive.prev_archive  # JSON Feed pages go toward older items
    document["items"] = [_item(item) for item in feed.items] if with_items else []
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _author(author: Author) -> dict[str, str]:
    fields = {"name": author.name, "url": author.uri or (f"mailto:{author.email}" if author.email else None)}
    return {key: value for key, value in fields.items() if value}


def _item(item: Item) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": item.id, "url": item.link, "title": item.title}
    if item.content_html:
        entry["content_html"] = item.content_html
    else:
        entry["content_text"] = item.summary
    entry["summary"] = item.summary
    if item.image:
        entry["image"] = item.image
    entry["date_published"] = format_iso(item.published)
    entry["date_modified"] = format_iso(item.updated)
    if item.authors:
        entry["authors"] = [_author(author) for author in item.authors]
    if item.categories:
        entry["tags"] = list(item.categories)
    return entry
