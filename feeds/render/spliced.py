"""Each item rendered once per format, then spliced into every feed that shows it.

An item sits in several feeds (the site's, its categories', its author's, named ones) and
a max_bytes search renders a feed more than once: rendering the whole document each time
rendered the same item again and again. Here a format's library (feedgen, json) renders
each item once, in a document of items that it cuts apart where each item starts a line
(an item's bytes depend on it alone), and each feed's document without items; the feed's
items go in where the library puts them, after everything else in the channel. The bytes
are the library's own for the whole document (tests/test_spliced_documents.py compares
them over generated feeds).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from ..model import EPOCH, FeedDocument, Item, Site

PLACEHOLDER_URL = "https://placeholder.invalid/"
RENDERS_KEPT_BYTES = 16 << 20  # of each format's item bytes a process keeps: what every feed of a build shows


Whole = Callable[[FeedDocument], bytes]  # a format's library writing a whole document
ItemsRenderer = Callable[[Sequence[Item]], list[bytes]]


class Splice(NamedTuple):
    """Where a format's items are in its documents: each item's first and last bytes, and
    what follows the last item (the item list's closing markup)."""

    starts: bytes
    ends: bytes
    closing: bytes

    def library_items(self, items: Sequence[Item], whole: Whole) -> list[bytes]:
        """Each item's bytes as the library writes them: a document of them all, cut apart."""
        return self.items_from(whole(placeholder_feed(items)), len(items))

    def items_from(self, document: bytes, count: int) -> list[bytes]:
        """The `count` items of a document, cut where each starts a line: text is escaped
        (every '<' in it), so only an item's own tag starts that way."""
        first = document.index(self.starts)
        end = document.rindex(self.ends) + len(self.ends)
        cuts = [first]
        at = document.find(b"\n" + self.starts, first, end)
        while at >= 0:
            cuts.append(at + 1)
            at = document.find(b"\n" + self.starts, at + 1, end)
        if len(cuts) != count:
            raise ValueError(f"expected {count} items in the document, found {len(cuts)} starts")
        return [document[start:stop] for start, stop in zip(cuts, [*cuts[1:], end])]

    def items_in(self, document: bytes) -> list[bytes] | None:
        """The items of a document `into` made, in one piece as `into` takes them back (none
        if it has none); None if the document is not shaped so. Only an item's own tag
        starts a line so (items_from), and the items end where the closing markup starts."""
        end = document.rfind(self.closing)
        if end < 0:
            return None
        first = document.find(b"\n" + self.starts, 0, end)
        return [] if first < 0 else [document[first + 1:end]]

    def into(self, empty: bytes, items: Iterable[bytes]) -> bytes:
        """The document `empty` (with no items) with `items` where the library puts them."""
        at = empty.rindex(self.closing)
        return b"".join((empty[:at], *items, empty[at:]))  # one copy of the items' bytes, not three


# By format: the items this process has rendered, by _exact key.
_RENDERED: dict[str, dict[tuple[Item, Any, Any], bytes]] = {}
_KEPT_BYTES: dict[str, int] = {}  # by format: the bytes of those renders


def rendered_items(format_name: str, items: Sequence[Item], render_items: ItemsRenderer) -> list[bytes]:
    """Each item's bytes in a format: as this process rendered it before, or was told by
    `remember` (Items are values), else rendered now, those missing all at once."""
    rendered = _RENDERED.setdefault(format_name, {})
    keys = [_exact(item) for item in items]
    missing = {key: item for key, item in zip(keys, items) if key not in rendered}
    new = dict(zip(missing, render_items(list(missing.values())))) if missing else {}
    found = [new[key] if key in new else rendered[key] for key in keys]
    remember(format_name, ((item, new[key]) for key, item in missing.items()))
    return found


def _exact(item: Item) -> tuple[Item, Any, Any]:
    """An item as its bytes depend on it: Items equal as tuples may hold the same instant at
    other UTC offsets (12:00+00:00 == 15:00+03:00), which RSS and Atom write as they are."""
    return item, item.published.utcoffset(), item.updated.utcoffset()


def remember(format_name: str, renders: Iterable[tuple[Item, bytes]]) -> None:
    """Items rendered before (in another process, or by an earlier build). Past
    RENDERS_KEPT_BYTES (within a build: see forget_rendered) it starts again from these;
    nothing added keeps what is kept: a build that hands over more than that, every item
    its feeds show, lost them all at its first feed, and rendered them again feed by feed."""
    added = {_exact(item): data for item, data in renders}
    if not added:
        return
    size = sum(map(len, added.values()))
    if _KEPT_BYTES.get(format_name, 0) + size > RENDERS_KEPT_BYTES:
        _RENDERED.pop(format_name, None)
        _KEPT_BYTES[format_name] = 0
    _RENDERED.setdefault(format_name, {}).update(added)
    _KEPT_BYTES[format_name] = _KEPT_BYTES.get(format_name, 0) + size


def forget_rendered() -> None:
    """Once a build's documents are made: their items' bytes are in the cache for the next
    build (build/item_renders.py), and an archive's pages, rendered next, need the memory."""
    _RENDERED.clear()
    _KEPT_BYTES.clear()


def placeholder_feed(items: Sequence[Item]) -> FeedDocument:
    """A document of these items to cut them out of: an item's bytes depend on it alone."""
    site = Site(root=Path("."), title="-", link=PLACEHOLDER_URL, description="-", publish_url=PLACEHOLDER_URL)
    return FeedDocument(site, "-", "-", PLACEHOLDER_URL, PLACEHOLDER_URL, None, EPOCH, tuple(items))
