"""Every item of the feeds to render, in each format, rendered once (render/spliced.py): by an
earlier build (the cache keeps each item's bytes by its entry's key), else now, shared with
the workers. Then a feed's document is its channel and these bytes: retitling the site, or
editing one entry, renders no item that has not changed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from contextlib import suppress

from .. import cache as stored_build
from ..cache import RenderKey, StatKey
from ..model import FeedDocument, FeedSpec, Item
from ..render import FORMATS
from ..render.spliced import remember
from ..workers import Workers, chunks_of

PARALLEL_RENDERS = 96  # item renders worth sharing with the workers
RENDER_CHUNK = 32


def render_items_once(documents: Sequence[tuple[str, FeedSpec, FeedDocument]],
                      keys: Mapping[str, StatKey], held: Iterable[str], cache: stored_build.Cache,
                      workers: Workers) -> None:
    """Make this process's renderers know every item of `documents` (format, spec, document)
    in its format. Held entries' items (`held`, by path) are rendered, never kept."""
    wanted: dict[tuple[str, Item], RenderKey | None] = {}
    for name, spec, document in documents:
        summary = document.content == "summary"
        for entry, item in zip(spec.entries, document.items):
            wanted[name, item] = None if entry.source in held else (name, entry.source, keys[entry.source], summary)
    kept = cache.item_renders(key for key in wanted.values() if key is not None)
    known = {pair: kept[key] for pair, key in wanted.items() if key is not None and key in kept}
    missing = [pair for pair in wanted if pair not in known]
    chunks = [chunk for name in FORMATS  # each chunk of one format: its items go in one document
              for chunk in chunks_of([pair for pair in missing if pair[0] == name], RENDER_CHUNK)]
    for chunk, renders in zip(chunks, workers.run(render_chunk, chunks, len(missing) >= PARALLEL_RENDERS)):
        known.update(zip(chunk, renders))
    for name in FORMATS:
        remember(name, ((item, data) for (format_name, item), data in known.items() if format_name == name))
    new = {key: known[pair] for pair in missing if (key := wanted[pair]) is not None}
    if new:
        with suppress(OSError):  # kept: the renders of every entry a feed shows (keys), not only of those rendered now
            cache.save_item_renders(new, set(keys.items()))


def render_chunk(pairs: Sequence[tuple[str, Item]]) -> list[bytes]:
    """(format, Item) pairs of one format, rendered: as `render_items_once` and the archive's pages make their chunks."""
    return FORMATS[pairs[0][0]].render_items([item for _, item in pairs])
