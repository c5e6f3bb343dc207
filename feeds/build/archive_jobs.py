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
from ..cache import UNSETTLED, Output, StatKey, Stored, entry_of, is_as_written, is_settled, last_change
from ..model import ArchiveLinks, FeedDocument, FeedSpec, Item, Site
from ..problems import Problem
from ..progress import ProgressCallback
from ..render import FORMATS
from ..select import history
from ..workers import Workers, chunks_of
from .render_jobs import ITEM_CHUNK, PARALLEL_ITEMS, FeedFile, feed_document, prepare_chunk, render_job
from .scan import Scan

PAGES_PER_JOB = 8  # archive pages rendered as one job
PAGES_PER_BATCH = 64  # archive pages rendered, then written, before the next are rendered (at least)
ARCHIVE_PERIOD = 30 * 86_400 * 1_000_000  # microseconds: archived items are cached, and swept, 30 days at a time


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
        layout = archive_layout([(entry_id, digests[path]) for entry_id, path in members],
                                spec.max_items or site.max_items,
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


def prepare_archived_items(site: Site, plan: ArchivePlan, every_entry: Mapping[str, Stored],
                           cache: stored_build.Cache, workers: Workers) -> list[Problem]:
    """Prepare the items of the new pages that neither the feeds' item cache nor the cache of
    archived items holds (each body read again), and keep them there, a period of time at a
    time; the problems of those that cannot be. Nothing is written to the publish directory
    until every item can be had."""
    shown = _shown_items(plan, every_entry, cache)
    for period, members in _by_period(plan, every_entry).items():
        kept = cache.archive_items(period)
        missing = [item_id for item_id in members if item_id not in shown and plan.items[item_id] not in kept]
        if not missing:
            continue
        prepared: list[Item | list[Problem]] = []
        entries = [entry_of(every_entry[plan.items[item_id][0]].entry) for item_id in missing]
        for results in workers.run(partial(prepare_chunk, site), chunks_of(entries, ITEM_CHUNK),
                                   len(entries) >= PARALLEL_ITEMS):
            prepared.extend(results)
        problems = [problem for result in prepared if not isinstance(result, Item) for problem in result]
        if problems:
            return problems
        kept.update((plan.items[item.id], item) for item in prepared if isinstance(item, Item))
        current = {path: digest for path, digest in plan.items.values()}
        with suppress(OSError):  # an older version of a file is not kept
            cache.save_archive_items(period, {key: item for key, item in kept.items()
                                              if current.get(key[0], key[1]) == key[1]})
    return []


def render_pages(site: Site, plan: ArchivePlan, every_entry: Mapping[str, Stored], cache: stored_build.Cache,
                 workers: Workers, progress: ProgressCallback) -> Iterator[dict[str, bytes]]:
    """The new pages, rendered (shared with the workers) a batch at a time, in one sweep
    from the oldest period of time to the newest: an item is read when the sweep reaches it
    and dropped once the last new page holding it is rendered, so neither the items nor the
    bytes of a whole history are held at once."""
    periods = _by_period(plan, every_entry)
    period_of = {item_id: period for period, members in periods.items() for item_id in members}
    ready: dict[int, list[_NewPage]] = {}  # by the period of the newest item of the page
    last_use: dict[str, int] = {}
    for new in plan.new_pages:
        period = max(period_of[item_id] for item_id in new.page.items)
        ready.setdefault(period, []).append(new)
        for item_id in new.page.items:
            last_use[item_id] = max(last_use.get(item_id, period), period)
    shown = _shown_items(plan, every_entry, cache)
    live: dict[str, Item] = {}
    pending: list[_NewPage] = []
    done = 0
    for number, (period, members) in enumerate(periods.items(), 1):
        kept = cache.archive_items(period) if any(item_id not in shown for item_id in members) else {}
        unkept = [item_id for item_id in members if item_id not in shown and plan.items[item_id] not in kept]
        for item in prepare_chunk(site, [entry_of(every_entry[plan.items[item_id][0]].entry) for item_id in unkept]):
            if isinstance(item, Item):  # prepared already, but the cache could not keep it
                kept[plan.items[item.id]] = item
        live.update((item_id, shown[item_id] if item_id in shown else kept[plan.items[item_id]])
                    for item_id in members)
        del kept
        pending += ready.get(period, [])
        if len(pending) < PAGES_PER_BATCH and number < len(periods):
            continue
        documents = [(new.path, new.file.format, _page_document(site, new, live)) for new in pending]
        files: dict[str, bytes] = {}
        for results in workers.run(render_job, list(chunks_of(documents, PAGES_PER_JOB)), len(documents) > 1):
            files.update(results)
        done += len(pending)
        progress("archiving", done, len(plan.new_pages))
        yield files
        pending = []
        for item_id in [item_id for item_id in live if last_use[item_id] <= period]:
            del live[item_id]


def _shown_items(plan: ArchivePlan, every_entry: Mapping[str, Stored], cache: stored_build.Cache) -> dict[str, Item]:
    """The items of the new pages that the feeds' item cache holds (the items feeds show), by id."""
    if not plan.items:
        return {}
    cached = cache.items()
    found = {}
    for item_id, (path, _) in plan.items.items():
        stat_key = every_entry[path].key
        if stat_key != UNSETTLED and (path, stat_key) in cached:
            found[item_id] = cached[path, stat_key]
    return found


def _by_period(plan: ArchivePlan, every_entry: Mapping[str, Stored]) -> dict[int, list[str]]:
    """The new pages' items by period of publication (ARCHIVE_PERIOD), oldest first."""
    periods: dict[int, list[str]] = {}
    for item_id, (path, _) in plan.items.items():
        periods.setdefault(every_entry[path].facts.published // ARCHIVE_PERIOD, []).append(item_id)
    return dict(sorted(periods.items()))


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


