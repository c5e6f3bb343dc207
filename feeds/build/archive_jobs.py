"""Archive jobs (`archive: true`): every feed's history laid out in RFC 5005 archive pages
(feeds/archive.py), and only the pages not yet published rendered.

Nothing here renders to find out what exists. A feed's history comes from the cached facts
of every entry (select.history); an item's content digest is a digest of its entry file's
bytes (kept by stat key in the cache, so a rebuild reads only files that changed), which
with the channel fingerprint names every page. A page already published as the last build
left it is therefore the page: only new pages are rendered, their items prepared (or taken
from the cache of archived items, so each entry version is prepared once).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from urllib.parse import quote

from .. import cache as stored_build
from ..archive import (
    ARCHIVE_DIR,
    ArchiveLayout,
    ArchivePage,
    archive_layout,
    channel_fingerprint,
    feed_links,
    page_document,
    page_links,
    page_path,
    page_url,
)
from ..cache import UNSETTLED, Output, StatKey, Stored, bucket_of, entry_of, is_as_written, is_settled, last_change
from ..model import ArchiveLinks, FeedDocument, FeedSpec, Item, Site
from ..problems import Problem
from ..progress import ProgressCallback
from ..render import FORMATS
from ..select import history
from ..workers import Workers, chunks_of
from .render_jobs import ITEM_CHUNK, PARALLEL_ITEMS, FeedFile, feed_document, prepare_chunk, render_job
from .scan import Scan

PAGES_PER_JOB = 8  # archive pages rendered as one job
PAGES_PER_BATCH = 64  # archive pages rendered, then written, before the next are rendered


@dataclass(frozen=True)
class _NewPage:
    file: FeedFile  # the feed file the page belongs to
    layout: ArchiveLayout
    page: ArchivePage
    path: str


@dataclass(frozen=True, kw_only=True)
class ArchivePlan:
    """What the archives need, decided without rendering anything."""

    links: dict[str, ArchiveLinks]  # each feed file's own links, by its path
    reused: list[str]  # the pages published already, as the last build left them
    new_pages: list[_NewPage]  # the pages to render
    items: dict[str, tuple[str, str]]  # the new pages' items: id -> (path, content digest)


NO_ARCHIVES = ArchivePlan(links={}, reused=[], new_pages=[], items={})  # archive: false


def plan_archives(site: Site, specs: Sequence[FeedSpec], every_entry: Mapping[str, Stored], scan: Scan, now: int,
                  previous: Mapping[str, Output], out_dir: Path, cache: stored_build.Cache) -> ArchivePlan:
    """The archive links of every feed file, and which pages are published already."""
    histories = history(((path, stored.facts) for path, stored in every_entry.items()), site, now)
    digests = _content_digests(scan, {path for members in histories.values() for _, path in members}, cache)
    links: dict[str, ArchiveLinks] = {}
    reused: list[str] = []
    new_pages: list[_NewPage] = []
    items: dict[str, tuple[str, str]] = {}
    for spec in specs:
        members = histories.get(spec.path, [])
        layout = archive_layout([(entry_id, digests[path]) for entry_id, path in members], site.max_items,
                                channel_fingerprint(site, spec))
        first_new = len(new_pages)
        for format_name in site.formats:
            filename = FORMATS[format_name].filename
            links[spec.path + filename] = feed_links(layout, site.publish_url, spec.path, filename)
            file = FeedFile(spec, format_name, site.publish_url + quote(spec.path) + filename)
            for page in layout.pages:
                path = page_path(spec.path, page, filename)
                if path in previous and is_as_written(out_dir / path, previous[path]):
                    reused.append(path)
                else:
                    new_pages.append(_NewPage(file, layout, page, path))
        wanted = {item_id for new in new_pages[first_new:] for item_id in new.page.items}
        if wanted:
            items.update((entry_id, (path, digests[path])) for entry_id, path in members if entry_id in wanted)
    return ArchivePlan(links=links, reused=reused, new_pages=new_pages, items=items)


def _content_digests(scan: Scan, paths: set[str], cache: stored_build.Cache) -> dict[str, str]:
    """A digest of each entry file's bytes (and path), by path: the cache's where the stat
    key is the one it was read at, else the file is read. Only settled files are kept."""
    kept = cache.archive_digests()
    digests: dict[str, str] = {}
    fresh: dict[str, tuple[StatKey, str]] = {}
    for path, on_disk, key in scan.files:
        if path not in paths or key is None:
            continue
        known = kept.get(path)
        if known is not None and known[0] == key:
            digests[path] = known[1]
            fresh[path] = known
            continue
        with open(on_disk, "rb") as stream:
            digest = hashlib.blake2b(path.encode("utf-8", "surrogateescape") + b"\0", digest_size=16)
            digest.update(stream.read())
            digests[path] = digest.hexdigest()
        if is_settled(last_change(key), scan.started_ns):
            fresh[path] = (key, digests[path])
    if fresh != kept:
        with suppress(OSError):
            cache.save_archive_digests(fresh)
    return digests


def archived_items(site: Site, plan: ArchivePlan, every_entry: Mapping[str, Stored], cache: stored_build.Cache,
                   workers: Workers) -> tuple[dict[str, Item], list[Problem]]:
    """The Item of each entry the new pages hold, by id: from the feeds' item cache (which
    holds the items the feeds show), else the cache of archived items, else prepared (its
    body read again) and kept there; and the problems of those that cannot be."""
    if not plan.items:
        return {}, []
    shown = cache.items()
    items: dict[str, Item] = {}
    for item_id, (path, _) in plan.items.items():
        stat_key = every_entry[path].key
        if stat_key != UNSETTLED and (path, stat_key) in shown:
            items[item_id] = shown[path, stat_key]
    del shown
    wanted = {key: item_id for item_id, key in plan.items.items() if item_id not in items}
    buckets = {number: cache.archive_items(number) for number in sorted({bucket_of(path) for path, _ in wanted})}
    for key, item_id in wanted.items():
        if key in buckets[bucket_of(key[0])]:
            items[item_id] = buckets[bucket_of(key[0])][key]
    missing = [key for key, item_id in wanted.items() if item_id not in items]
    prepared: list[Item | list[Problem]] = []
    for results in workers.run(partial(prepare_chunk, site), chunks_of([entry_of(every_entry[path].entry)
                                                                        for path, _ in missing], ITEM_CHUNK),
                               len(missing) >= PARALLEL_ITEMS):
        prepared.extend(results)
    problems = [problem for result in prepared if not isinstance(result, Item) for problem in result]
    if problems:
        return items, problems
    for key, item in zip(missing, [result for result in prepared if isinstance(result, Item)]):
        items[item.id] = buckets[bucket_of(key[0])][key] = item
    current = {path: digest for path, digest in plan.items.values()}
    with suppress(OSError):
        for number in sorted({bucket_of(path) for path, _ in missing}):
            kept = {key: item for key, item in buckets[number].items() if current.get(key[0], key[1]) == key[1]}
            cache.save_archive_items(number, kept)  # an older version of a file is not kept
    return items, []


def render_pages(site: Site, plan: ArchivePlan, items: Mapping[str, Item], workers: Workers,
                 progress: ProgressCallback) -> Iterator[dict[str, bytes]]:
    """The new pages, rendered (shared with the workers) a batch at a time, so that the
    bytes of a whole history are never held at once."""
    batches = list(chunks_of(plan.new_pages, PAGES_PER_BATCH))
    for done, batch in enumerate(batches, 1):
        documents = [(new.path, new.file.format, _page_document(site, new, items)) for new in batch]
        files: dict[str, bytes] = {}
        for results in workers.run(render_job, list(chunks_of(documents, PAGES_PER_JOB)), len(documents) > 1):
            files.update(results)
        progress("archiving", done, len(batches))
        yield files


def _page_document(site: Site, new: _NewPage, items: Mapping[str, Item]) -> FeedDocument:
    filename = FORMATS[new.file.format].filename
    channel = feed_document(site, new.file, ())
    return page_document(channel, [items[item_id] for item_id in new.page.items],
                         page_url(site.publish_url, new.file.spec.path, new.page, filename),
                         page_links(new.layout, new.page, site.publish_url, new.file.spec.path, filename))


def unlinked_pages(written_before: Iterable[str], linked: Iterable[str]) -> list[str]:
    """Archive documents the last build wrote that no feed's chain links to any more."""
    keep = set(linked)
    return sorted(path for path in written_before if path.startswith(ARCHIVE_DIR) and path not in keep)


def remove_unlinked(out_dir: Path, paths: Iterable[str]) -> list[str]:
    """Remove these archive documents (after the new chain is in place), and the folders
    they leave empty; the paths removed."""
    removed = []
    for path in paths:
        with suppress(FileNotFoundError):
            (out_dir / path).unlink()
            removed.append(path)
        folder = (out_dir / path).parent
        while folder != out_dir and folder.is_relative_to(out_dir / ARCHIVE_DIR):
            try:
                folder.rmdir()
            except OSError:
                break
            folder = folder.parent
    return removed


