"""RFC 5005 archives: how one feed's whole history is laid out in immutable archive documents.

Pure functions over plain data; the build calls them and writes what they describe.

- While the history fits the feed (no more than `max_items`), there is no archive: the feed
  is marked complete.
- Otherwise the history, oldest first, is cut into full pages of `max_items`; the newest
  partial page is not archived, it is within the items the feed itself shows. With a single
  full page, that page is cut in two halves, so that no archive document is alone in its
  chain (the W3C validator warns of one with neither prev- nor next-archive).
- A page's name is a digest of everything its documents' bytes depend on: the channel, its
  items (id and content digest), its older neighbour's name, and, for the oldest page (the
  only one linking forward), the items of the page after it. So bytes never change under a
  name: an edited or withdrawn item gives its page, and every newer page, new names, while a
  new entry only ever adds a page at the newest end.
- Every page but the oldest links to the page before it (`prev-archive`); the oldest links
  to the second (`next-archive`). Newer pages carry no `next-archive`: it would change when
  the next page fills, and their bytes must not.
"""

from __future__ import annotations

import dataclasses
import hashlib
import marshal
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any, NamedTuple
from urllib.parse import quote

from .cache_keys import document_settings, writer_key
from .model import ArchiveLinks, FeedDocument, FeedSpec, Item, Site

ARCHIVE_DIR = "archive/"
NAME_LENGTH = 12  # hex digits of a page name: 48 bits, and the path adds the feed and page number


class ArchivePage(NamedTuple):
    """One archive document (in each format): its items' ids oldest first, and its links."""

    name: str
    number: int  # 1 for the oldest page
    items: tuple[str, ...] | None  # None: a page kept as the last build named it, its items not read (layout_after)
    prev_name: str | None
    next_name: str | None


class ArchiveLayout(NamedTuple):
    """A feed's history: its archive pages oldest first, and the ids the feed itself shows."""

    pages: tuple[ArchivePage, ...]
    feed_items: tuple[str, ...]  # oldest first: the newest max_items of the history
    unarchived: int = 0  # the newest items no page holds: the feed must show them, max_bytes or not

    @property
    def complete(self) -> bool:
        """The feed holds its whole history (RFC 5005 fh:complete)."""
        return not self.pages


def digest(parts: Iterable[Any]) -> str:
    """A hex digest of plain values (str, int, tuples of them); marshal format 0 writes equal
    values as equal bytes."""
    return hashlib.blake2b(marshal.dumps(tuple(parts), 0), digest_size=16).hexdigest()


def channel_fingerprint(site: Site, feed: FeedSpec) -> str:
    """What an archive document of this feed depends on besides its items and links: the
    site's settings, the feed's path, names and content mode, the code that writes it, and
    the rules of the site's zone, which the times written without an offset read by."""
    return digest((_renderers(), *document_settings(site), feed.path, feed.title, feed.description,
                   feed.category or "", feed.content or ""))


@cache
def _renderers() -> str:
    """This tool's code, Python and the libraries it writes with (writer_key), once a process:
    a release that writes a page otherwise (a summary made another way) names it anew, so
    the bytes under a published name never change. __version__ alone, the same over many
    releases, let an upgrade rewrite pages in place."""
    return writer_key().hex()


def item_digest(item: Item) -> str:
    """What an item's rendered form depends on: every field of the prepared item."""
    return digest(map(repr, item))


def archive_layout(history: Sequence[tuple[str, str]], page_size: int, fingerprint: str) -> ArchiveLayout:
    """The archive pages of a history of (id, content digest) pairs, oldest first, for a feed
    of `page_size` (its max_items) items."""
    if page_size < 1:
        raise ValueError(f"page_size must be at least 1, not {page_size}")
    history = tuple(history)
    feed_items = tuple(item_id for item_id, _ in history[-page_size:])
    chunks = _chunks(history, page_size)
    if not chunks:
        return ArchiveLayout((), feed_items, len(history))
    names: list[str] = []
    for number, chunk in enumerate(chunks, 1):
        following = chunks[1] if number == 1 else ()  # only the oldest page links forward
        names.append(_page_name(fingerprint, names[-1] if names else "", chunk, following))
    pages = tuple(ArchivePage(name, number, tuple(item_id for item_id, _ in chunk),
                              names[number - 2] if number > 1 else None,
                              names[1] if number == 1 else None)
                  for number, (name, chunk) in enumerate(zip(names, chunks), 1))
    return ArchiveLayout(pages, feed_items, unarchived(len(history), page_size))


def full_pages(count: int, page_size: int) -> int:
    """How many full pages a history of `count` items fills: none while the feed holds it all."""
    return count // page_size if count > page_size else 0


def unarchived(count: int, page_size: int) -> int:
    """The newest items of a history of `count` that no archive page holds (the newest
    partial page, within the items the feed shows): max_bytes may not cut the feed below
    them, or following its chain would miss them (and a cut complete feed would not be)."""
    return count - full_pages(count, page_size) * page_size


def _chunks(history: tuple[tuple[str, str], ...], page_size: int) -> list[tuple[tuple[str, str], ...]]:
    """Full pages oldest first; a single full page is cut in two (page_size is then >= 2)."""
    full = full_pages(len(history), page_size)
    chunks = [history[start:start + page_size] for start in range(0, full * page_size, page_size)]
    if len(chunks) == 1:
        half = page_size // 2
        chunks = [chunks[0][:half], chunks[0][half:]]
    return chunks


def layout_after(kept: Sequence[str], newer: Sequence[Sequence[tuple[str, str]]], fingerprint: str) -> ArchiveLayout:
    """archive_layout's pages, given the names of the oldest pages (`kept`: at least the
    first two, unchanged since the last build named them) and the (id, digest) pairs of
    each newer full page, oldest first. A page's name depends on its items, its channel and
    the page before it (the oldest's on the second's items too), so the kept names stand and
    only the newer pages are named; the kept pages' items are not read (None)."""
    if len(kept) < 2:
        raise ValueError("a layout after kept pages keeps the first two at least")
    names = list(kept)
    for chunk in newer:
        names.append(_page_name(fingerprint, names[-1], chunk, ()))
    pages = [ArchivePage(name, number, None, names[number - 2] if number > 1 else None, names[1] if number == 1 else None)
             for number, name in enumerate(kept, 1)]
    pages += [ArchivePage(names[number - 1], number, tuple(item_id for item_id, _ in chunk), names[number - 2], None)
              for number, chunk in enumerate(newer, len(kept) + 1)]
    return ArchiveLayout(tuple(pages), ())


def page_items(page: ArchivePage) -> tuple[str, ...]:
    """A page's items, which a page to render must have: a kept page's are not read."""
    if page.items is None:
        raise ValueError(f"archive page {page.name} was kept from the last build: lay its history out whole")
    return page.items


def _page_name(fingerprint: str, prev_name: str, chunk: Sequence[tuple[str, str]],
               following: Sequence[tuple[str, str]]) -> str:
    return digest((fingerprint, prev_name, tuple(chunk), tuple(following)))[:NAME_LENGTH]


def page_path(feed_path: str, page: ArchivePage, filename: str) -> str:
    """Where a page is written in the publish directory, e.g. feed path "categories/sport/",
    filename "atom.xml": archive/categories/sport/0003-9f2c1ab4e0d1.atom.xml."""
    return f"{ARCHIVE_DIR}{feed_path}{page.number:04d}-{page.name}.{filename}"


def feed_file_of(path: str) -> str:
    """The feed file whose chain holds the page at `path` (page_path's inverse):
    archive/categories/sport/0003-9f2c1ab4e0d1.atom.xml -> categories/sport/atom.xml."""
    folder, _, name = path.removeprefix(ARCHIVE_DIR).rpartition("/")
    return (folder + "/" if folder else "") + name.split(".", 1)[-1]


def page_url(publish_url: str, feed_path: str, page: ArchivePage, filename: str) -> str:
    return publish_url + quote(page_path(feed_path, page, filename))


def feed_links(history: ArchiveLayout, publish_url: str, feed_path: str, filename: str) -> ArchiveLinks:
    """The feed's own links in one format: to its newest archive page, or marked complete."""
    if history.complete:
        return ArchiveLinks(complete=True, unarchived=history.unarchived)
    return ArchiveLinks(prev_archive=page_url(publish_url, feed_path, history.pages[-1], filename),
                        unarchived=history.unarchived)


def page_links(history: ArchiveLayout, page: ArchivePage, publish_url: str, feed_path: str,
               filename: str) -> ArchiveLinks:
    """One archive page's links in one format: its feed, and its neighbours."""
    prev_page = history.pages[page.number - 2] if page.prev_name else None
    next_page = history.pages[page.number] if page.next_name else None
    return ArchiveLinks(current=publish_url + quote(feed_path) + filename,
                        prev_archive=page_url(publish_url, feed_path, prev_page, filename) if prev_page else None,
                        next_archive=page_url(publish_url, feed_path, next_page, filename) if next_page else None)


def page_document(feed: FeedDocument, items: Sequence[Item], page_url: str, links: ArchiveLinks) -> FeedDocument:
    """An archive page in one format: the feed's channel with the page's items (given oldest
    first, shown newest first like the feed) and a date that depends on those items only."""
    return dataclasses.replace(feed, feed_url=page_url, updated=max(item.updated for item in items),
                               items=tuple(reversed(items)), archive=links)


def archived_feed(feed: FeedDocument, history: ArchiveLayout, items: Mapping[str, Item], feed_path: str,
                  filename: str) -> tuple[FeedDocument, dict[str, FeedDocument]]:
    """One feed in one format with its history: the feed given its archive links, and each
    archive page's document by its path in the publish directory. `items` holds at least the
    archived ids. The build renders only pages whose path is not yet published: a page's
    bytes never change under its path."""
    publish_url = feed.site.publish_url
    pages = {page_path(feed_path, page, filename):
             page_document(feed, [items[item_id] for item_id in page_items(page)],
                           page_url(publish_url, feed_path, page, filename),
                           page_links(history, page, publish_url, feed_path, filename))
             for page in history.pages}
    return dataclasses.replace(feed, archive=feed_links(history, publish_url, feed_path, filename)), pages
