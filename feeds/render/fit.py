"""max_bytes: a feed file rendered with as many of its newest items as fit the cap.

Readers choke on huge feeds (a 6 MB planet feed hangs a phone; the W3C validator refuses
anything over 2,000,000 bytes), so a feed too big is written without its oldest items,
never with fewer than one, nor without an item that no archive page holds. Rendering once per dropped item would be quadratic; instead
the search estimates where the cut falls from each item's share of the text, renders
there, and narrows between the sizes it has measured (a few renders, bisection at worst).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import replace
from itertools import accumulate
from typing import NamedTuple

from ..model import FeedDocument, Item

Renderer = Callable[[FeedDocument], bytes]
ITEM_MARKUP = 400  # bytes of tags and dates each item carries besides its text, roughly
GUESSES = 4  # estimated probes before the search falls back to halving


class FittedFeed(NamedTuple):
    """The bytes to write, and how many of the document's (oldest) items were left out."""

    data: bytes
    items_kept: int
    items_cut: int
    over_cap: bool = False  # even the fewest items it may hold are over max_bytes: written anyway, never empty


def render_within(render: Renderer, document: FeedDocument, max_bytes: int, at_least: int = 1) -> FittedFeed:
    """`render(document)`, or, when that is over `max_bytes`, the render of its newest items
    that fit (items are newest first), never fewer than `at_least` (one, or the newest items
    no archive page holds yet: cut, they would be in no document of the feed's chain)."""
    whole = render(document)
    count = len(document.items)
    if len(whole) <= max_bytes or count <= max(at_least, 1):
        return FittedFeed(whole, count, 0, over_cap=len(whole) > max_bytes)
    search = _Search(render, document, whole)
    kept = max(search.most_that_fit(max_bytes), at_least)
    data = search.rendered(kept)
    return FittedFeed(data, kept, count - kept, over_cap=len(data) > max_bytes)


class _Search:
    """Renders of the document's first k items, each done at most once."""

    def __init__(self, render: Renderer, document: FeedDocument, whole: bytes) -> None:
        self.render = render
        self.document = document
        self.sizes: dict[int, int] = {len(document.items): len(whole)}
        self.data: dict[int, bytes] = {len(document.items): whole}
        # weight[k]: the estimated bytes of the first k items, for interpolating between renders
        self.weight = [0, *accumulate(_estimated_bytes(item) for item in document.items)]

    def rendered(self, count: int) -> bytes:
        if count not in self.data:
            self.data[count] = self.render(replace(self.document, items=self.document.items[:count]))
            self.sizes[count] = len(self.data[count])
        return self.data[count]

    def size(self, count: int) -> int:
        self.rendered(count)
        return self.sizes[count]

    def most_that_fit(self, max_bytes: int) -> int:
        """The largest k >= 1 whose render is at most max_bytes (1 if none is)."""
        fits, too_big = 0, len(self.document.items)  # size(0), the bare channel, is treated as fitting
        self.size(0)
        probes = 0
        while too_big - fits > 1:
            probes += 1
            guess = self._estimate(fits, too_big, max_bytes) if probes <= GUESSES else (fits + too_big) // 2
            if self.size(guess) <= max_bytes:
                fits = guess
            else:
                too_big = guess
        return max(fits, 1)

    def _estimate(self, fits: int, too_big: int, max_bytes: int) -> int:
        """Where the cap falls between two measured renders, reading each item's share of the
        bytes from its text; always strictly between them, so every probe narrows the search."""
        low_size, high_size = self.sizes[fits], self.sizes[too_big]
        per_weight = (high_size - low_size) / max(1, self.weight[too_big] - self.weight[fits])
        budget = self.weight[fits] + (max_bytes - low_size) / per_weight if per_weight > 0 else self.weight[fits]
        guess = bisect_right(self.weight, budget) - 1
        return min(max(guess, fits + 1), too_big - 1)


def _estimated_bytes(item: Item) -> int:
    """An item's bytes in any format, roughly: its texts, plus markup. Only ratios matter."""
    texts = (item.title, item.link, item.id, item.summary, item.content_html or "", item.image or "", *item.categories)
    return ITEM_MARKUP + sum(len(text.encode("utf-8")) for text in texts)
