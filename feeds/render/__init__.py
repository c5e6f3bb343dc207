"""Render stage: one small module per format, each a `render(FeedDocument) -> bytes` and a
`render_items(items) -> list[bytes]` (each item rendered once, spliced into every feed: spliced.py).

The renderers see only plain data (`FeedDocument`, `Item`); they never read files,
the clock or the site's entries, which is what keeps their bytes deterministic.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import NamedTuple

from ..model import FeedDocument, Item


class Format(NamedTuple):
    name: str
    filename: str
    media_type: str
    module: str

    @property
    def render(self) -> Callable[[FeedDocument], bytes]:
        """Imported on first use, so a build with nothing to render never loads feedgen."""
        return importlib.import_module(f"{__name__}.{self.module}").render  # type: ignore[no-any-return]

    @property
    def empty_document(self) -> Callable[[FeedDocument], bytes]:
        """The document without its items, which `with_items` puts in: for a document whose
        items are rendered apart (an archive page's, each once for every page showing it)."""
        return importlib.import_module(f"{__name__}.{self.module}").empty_document  # type: ignore[no-any-return]

    @property
    def with_items(self) -> Callable[[bytes, Sequence[bytes]], bytes]:
        return importlib.import_module(f"{__name__}.{self.module}").with_items  # type: ignore[no-any-return]

    @property
    def items_in(self) -> Callable[[bytes], list[bytes] | None]:
        """A whole document's items' bytes, as `with_items` takes them (None: not shaped so):
        a document whose channel changed and items did not gets them from the file as published."""
        return importlib.import_module(f"{__name__}.{self.module}").items_in  # type: ignore[no-any-return]

    @property
    def render_items(self) -> Callable[[Sequence[Item]], list[bytes]]:
        """Each item's bytes as `render` splices them into every document that shows it."""
        return importlib.import_module(f"{__name__}.{self.module}").render_items  # type: ignore[no-any-return]


FORMATS = {
    "rss": Format("rss", "rss.xml", "application/rss+xml", "rss"),
    "atom": Format("atom", "atom.xml", "application/atom+xml", "atom"),
    "json": Format("json", "feed.json", "application/feed+json", "jsonfeed"),
}
