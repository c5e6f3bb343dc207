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
from collections.abc import Iterable, Mapping, Sequence
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
from ..cache import Output, StatKey, Stored, bucket_of, entry_of, is_as_written, is_settled, last_change
from ..model import ArchiveLinks, FeedDocument, FeedSpec, Item, Site
from ..problems import Problem
from ..progress import ProgressCallback
from ..render import FORMATS
from ..select import history
from ..workers import Workers, chunks_of
from .render_jobs import ITEM_CHUNK, PARALLEL_ITEMS, FeedFile, feed_document, prepare_chunk, render_job
from .scan import Scan

PAGES_PER_JOB = 8  # archive pages rendered as one job


@dataclass(frozen=True, kw_only=True)
class Archives:
    links: dict[str, ArchiveLinks]  # each feed file's own links, by its path
    files: dict[str, bytes]  # the pages rendered by this build, by path
    reused: list[str]  # the pages published already, as the last build left them
    problems: list[Problem]  # an archived entry that could not be read again: then nothing else


NO_ARCHIVES = Archives(links={}, files={}, reused=[], problems=[])  # archive: false


@dataclass(frozen=True)
class _NewPage:
    file: FeedFile  # the feed file the page belongs to
    layout: ArchiveLayout
    page: ArchivePage
    path: str


def build_archives(site: Site, specs: Sequence[FeedSpec], every_entry: Mapping[str, Stored], scan: Scan, now: int,
                   previous: Mapping[str, Output], out_dir: Path, cache: stored_build.Cache, workers: Workers,
                   progress: ProgressCallback) -> Archives:
    """The archive links of every feed file and the archive pages not yet published."""
    histories = history(((path, stored.facts) for path, stored in every_entry.items()), site, now)
    digests = _content_digests(scan, {path for members in histories.values() for _, path in members}, cache)
    links: dict[str, ArchiveLinks] = {}
    reused: list[str] = []
    new_pages: list[_NewPage] = []
    paths_of: dict[str, str] = {}  # entry id -> path, for the archived entries
    for spec in specs:
        members = histories.get(spec.path, [])
        paths_of.update(members)
        layout = archive_layout([(entry_id, digests[path]) for entry_id, path in members], site.max_items,
                                channel_fingerprint(site, spec))
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
    wanted = {(paths_of[entry_id], digests[paths_of[entry_id]]) for new in new_pages for entry_id in new.page.items}
    items, problems = _archived_items(site, wanted, digests, every_entry, cache, workers)
    if problems:
        return Archives(links=links, files={}, reused=[], problems=problems)
    by_id = {item_id: items[paths_of[item_id], digests[paths_of[item_id]]] for new in new_pages
             for item_id in new.page.items}
    files = _render_pages(site, new_pages, by_id, workers, progress)
    return Archives(links=links, files=files, reused=reused, problems=[])


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


def _archived_items(site: Site, wanted: set[tuple[str, str]], digests: Mapping[str, str],
                    every_entry: Mapping[str, Stored], cache: stored_build.Cache,
                    workers: Workers) -> tuple[dict[tuple[str, str], Item], list[Problem]]:
    """The Item of each (path, content digest) wanted: from the cache's buckets that hold
    them, else prepared (its body read again) and kept there."""
    buckets: dict[int, dict[tuple[str, str], Item]] = {}
    for number in sorted({bucket_of(path) for path, _ in wanted}):
        buckets[number] = cache.archive_items(number)
    items = {key: buckets[bucket_of(key[0])][key] for key in wanted if key in buckets[bucket_of(key[0])]}
    missing = sorted(key for key in wanted if key not in items)
    entries = [entry_of(every_entry[path].entry) for path, _ in missing]
    problems: list[Problem] = []
    prepared: list[Item | list[Problem]] = []
    for results in workers.run(partial(prepare_chunk, site), chunks_of(entries, ITEM_CHUNK),
                               len(entries) >= PARALLEL_ITEMS):
        prepared.extend(results)
    by_id = {result.id: result for result in prepared if isinstance(result, Item)}
    problems = [problem for result in prepared if not isinstance(result, Item) for problem in result]
    if problems:
        return items, problems
    for key, entry in zip(missing, entries):
        items[key] = buckets[bucket_of(key[0])][key] = by_id[entry.id]
    with suppress(OSError):
        for number in sorted({bucket_of(path) for path, _ in missing}):
            current = {key: item for key, item in buckets[number].items() if digests.get(key[0]) == key[1]}
            cache.save_archive_items(number, current)  # an older version, or a file gone, is not kept
    return items, []


def _render_pages(site: Site, new_pages: Sequence[_NewPage], items: Mapping[str, Item], workers: Workers,
                  progress: ProgressCallback) -> dict[str, bytes]:
    """Each new page in its format, several pages a job, shared with the workers."""
    documents = [(new.path, new.file.format, _page_document(site, new, items)) for new in new_pages]
    jobs = list(chunks_of(documents, PAGES_PER_JOB))
    files: dict[str, bytes] = {}
    for done, results in enumerate(workers.run(render_job, jobs, len(jobs) > 1), 1):
        files.update(results)
        progress("archiving", done, len(jobs))
    return files


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


