"""Each item rendered once per format, then spliced into every feed that shows it.

An item sits in several feeds (the site's, its categories', its author's, named ones) and
a max_bytes search renders a feed more than once: rendering the whole document each time
rendered the same item again and again. Here a format's library (feedgen, json) renders
each item once, inside a one-item document that it cuts the item's bytes out of, and each
feed's document without items; the feed's items go in where the library puts them, after
everything else in the channel. The bytes are the library's own for the whole document
(tests/test_spliced_documents.py compares them over generated feeds).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from pathlib import Path

from ..model import EPOCH, FeedDocument, Item, Site

PLACEHOLDER_URL = "https://placeholder.invalid/"
ITEMS_KEPT = 8192  # item renderings a process keeps: more than every feed of a build shows


@dataclass(frozen=True)
class Splice:
    """Where a format's items are in its documents: each item's first and last bytes, and
    what follows the last item (the item list's closing markup)."""

    starts: bytes
    ends: bytes
    closing: bytes

    def item_from(self, document: bytes) -> bytes:
        """The one item of a one-item document. Text before it is escaped, so it holds no
        `starts`; the item is last, so its `ends` are the last."""
        end = document.rindex(self.ends) + len(self.ends)
        return document[document.index(self.starts):end]

    def into(self, empty: bytes, items: Iterable[bytes], separator: bytes = b"") -> bytes:
        """The document `empty` (with no items) with `items` where the library puts them."""
        at = empty.rindex(self.closing)
        return empty[:at] + separator.join(items) + empty[at:]


_RENDERED: dict[str, dict[Item, bytes]] = {}  # by format: the items this process has rendered


def once_per_item(format_name: str) -> Callable[[Callable[[Item], bytes]], Callable[[Item], bytes]]:
    """A format's item renderer, remembering what it rendered (Items are values), or was
    told by `remember`, for every feed of the build that shows the item."""
    rendered = _RENDERED.setdefault(format_name, {})

    def remembering(render_item: Callable[[Item], bytes]) -> Callable[[Item], bytes]:
        @wraps(render_item)
        def render(item: Item) -> bytes:
            data = rendered.get(item)
            if data is None:
                if len(rendered) >= ITEMS_KEPT:  # a long `feeds watch` keeps only its recent items
                    rendered.clear()
                data = rendered[item] = render_item(item)
            return data
        return render
    return remembering


def remember(format_name: str, renders: Iterable[tuple[Item, bytes]]) -> None:
    """Items rendered before (in another process, or by an earlier build)."""
    _RENDERED.setdefault(format_name, {}).update(renders)


def placeholder_feed() -> FeedDocument:
    """The channel of the one-item documents items are cut out of."""
    site = Site(root=Path("."), title="-", link=PLACEHOLDER_URL, description="-", publish_url=PLACEHOLDER_URL)
    return FeedDocument(site, "-", "-", PLACEHOLDER_URL, PLACEHOLDER_URL, None, EPOCH, ())
