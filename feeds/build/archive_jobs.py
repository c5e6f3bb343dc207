"""Archive jobs (`archive: true`): every feed's history laid out in RFC 5005 archive pages
(feeds/archive.py), and only the pages not yet published rendered.

Nothing here renders to find out what exists. A feed's history comes from the cached facts
of every entry (select.history), or from the last build's histories and the entries changed
since (FeedHistories); an item's content digest is a digest of its entry file's bytes (kept
by stat key in the cache, so a rebuild reads only files that changed), which with the
channel fingerprint names every page. A page already published as the last build
left it is therefore the page: only new pages are rendered, their items prepared (or taken
from the cache of archived items, so each entry version is prepared once).
"""

from __future__ import annotations

import hashlib
import os
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote

from .. import cache as stored_build
from ..archive import (
    ARCHIVE_DIR,
    ArchiveLayout,
    ArchivePage,
    archive_layout,
    channel_fingerprint,
    feed_file_of,
    feed_links,
    full_pages,
    layout_after,
    page_document,
    page_items,
    page_links,
    page_path,
    page_url,
    unarchived,
)
from ..cache import ARCHIVE_PERIOD, UNSETTLED, Output, StatKey, Stored, is_as_written, is_settled, last_change
from ..model import ArchiveLinks, FeedDocument, FeedSpec, Item, Site
from ..problems import Problem
from ..progress import ProgressCallback
from ..render import FORMATS
from ..select import feed_paths_of_each, history, history_order, is_live
from ..workers import Workers, chunks_of
from .incremental import Update
from .item_renders import PARALLEL_RENDERS, RENDER_CHUNK, render_chunk
from .render_jobs import ITEM_CHUNK, PARALLEL_ITEMS, FeedFile, feed_document, prepare_files, render_channels
from .scan import Scan

PAGES_PER_JOB = 32  # archive pages whose channels are rendered as one job (their items apart)
PAGES_PER_BATCH = 64  # archive pages rendered, then written, before the next are rendered (at least)


class _NewPage(NamedTuple):
    file: FeedFile  # the feed file the page belongs to
    layout: ArchiveLayout
    page: ArchivePage
    path: str

    @property
    def items(self) -> tuple[str, ...]:
        return page_items(self.page)


class ArchivePlan(NamedTuple):
    """What the archives need, decided without rendering anything."""

    links: dict[str, ArchiveLinks]  # each feed file's own links, by its path
    reused: list[str]  # the pages published already, as the last build left them
    new_pages: list[_NewPage]  # the pages to render
    items: dict[str, tuple[str, str]]  # the new pages' items: id -> (path, content digest)
    names: dict[str, PageNames]  # each feed's page names, kept for the next build


NO_ARCHIVES = ArchivePlan(links={}, reused=[], new_pages=[], items={}, names={})  # archive: false

PageNames = tuple[str, int, tuple[str, ...]]  # a feed's channel fingerprint, page size, and its pages' names oldest first

Member = tuple[str, int, str]  # a live entry's id, published and content digest


class FeedHistories(NamedTuple):
    """Every feed's history (select.history) and each live entry's part in it, in plain
    values: kept with the selection, so that a rebuild after a few changes updates these
    with the changed entries alone, instead of reading every entry again."""

    members: dict[str, Member]  # by path
    feeds: dict[str, list[str]]  # each feed's entries' paths, newest first, by the feed's path
    names: dict[str, PageNames]  # the last build's page names, by feed path
    # By feed path: how many of its oldest entries are as they were when `names` were made
    # (a feed not named has every entry so); None when that is not known (no name is reused).
    unchanged: dict[str, int] | None = None

    def plain(self, names: Mapping[str, PageNames]) -> tuple[Any, ...]:
        return self.members, self.feeds, dict(names)

    def kept_pages(self, feed_path: str, fingerprint: str, page_size: int) -> tuple[str, ...]:
        """The names of the oldest pages that are as the last build named them: their
        entries, and those of every older page, are unchanged (and, for the oldest, the
        second's, which it links to). None but from a layout of three pages or more: below
        that a single full page is cut in halves."""
        last = self.names.get(feed_path)
        if self.unchanged is None or last is None or last[0] != fingerprint or last[1] != page_size:
            return ()
        names = last[2]
        unchanged = self.unchanged.get(feed_path, len(self.feeds.get(feed_path, ())))
        kept = min(unchanged // page_size, len(names))
        return names[:kept] if kept >= 2 and len(names) >= 3 else ()

    def of(self, feed_path: str) -> list[tuple[str, str]]:
        """The feed's history oldest first, as (id, content digest)."""
        return [(self.members[path][0], self.members[path][2]) for path in reversed(self.feeds.get(feed_path, ()))]


def feed_histories(site: Site, update: Update, every_entry: Mapping[str, Stored], scan: Scan, now: int,
                   cache: stored_build.Cache) -> FeedHistories:
    """Every feed's history now: the last good build's, brought up to date with the entries
    changed since, when this build selected from its selection (no entry has appeared or
    expired since: unchanged.holds_at); else made from every entry."""
    kept = _from_plain(update.histories)
    # A held entry's file is not the version held: its digest is the one kept by stat key
    # (_content_digests), which only the histories made from every entry look up.
    if kept is not None and update.changed is not None and not update.hold.entries.keys() & update.changed.keys():
        updated = _updated(site, kept, update.changed, update.replaced or {}, scan, now, cache)
        if updated is not None:
            return updated
    members = history(((path, stored.facts) for path, stored in every_entry.items()), site, now)
    digests = _content_digests(scan, {path: every_entry[path].key for paths in members.values() for _, path in paths},
                               cache, {path: held.digest for path, held in update.hold.entries.items() if held.digest})
    facts = {path: every_entry[path].facts for paths in members.values() for _, path in paths}
    return FeedHistories(
        members={path: (fact.id, fact.published, digests[path]) for path, fact in facts.items()},
        feeds={feed: [path for _, path in reversed(paths)] for feed, paths in members.items()}, names={})


def _from_plain(kept: Any) -> FeedHistories | None:
    try:
        members, feeds, names = kept
    except (TypeError, ValueError):
        return None
    if not (isinstance(members, dict) and isinstance(feeds, dict) and isinstance(names, dict)):
        return None
    return FeedHistories(members, feeds, names)


def _updated(site: Site, kept: FeedHistories, changed: Mapping[str, Stored | None], replaced: Mapping[str, Stored],
             scan: Scan, now: int, cache: stored_build.Cache) -> FeedHistories | None:
    """The histories with each changed entry taken out of its feeds and, if it is live, put
    back where its new version sorts; None if the kept histories do not hold together."""
    members = dict(kept.members)
    feeds = dict(kept.feeds)
    touched: set[str] = set()
    oldest: dict[str, tuple[tuple[int, str], str, str]] = {}  # by feed: the oldest place a change touches
    feed_paths = feed_paths_of_each(site)

    def order(path: str) -> tuple[tuple[int, str], str, str]:
        entry_id, published, _ = members[path]
        return history_order(published, entry_id, path)

    def touches(feed: str, place: tuple[tuple[int, str], str, str]) -> None:
        if feed not in oldest or oldest[feed] < place:
            oldest[feed] = place

    for path in changed:
        if path in members:
            if path not in replaced:
                return None
            for feed in feed_paths(replaced[path].facts):  # the feeds it was put in
                if feed not in touched:
                    feeds[feed] = list(feeds[feed])
                    touched.add(feed)
                touches(feed, order(path))
                at = bisect_left(feeds[feed], order(path), key=order)
                if at == len(feeds[feed]) or feeds[feed][at] != path:
                    return None
                del feeds[feed][at]
            del members[path]
    stat_keys = {path: key for path, key in scan.files if path in changed}  # one pass over every file's
    on_disk = {path: scan.on_disk(path) for path in stat_keys}
    read: dict[str, tuple[StatKey, str]] = {}  # kept by stat key, as _content_digests keeps them
    for path, stored in changed.items():
        if stored is None or not is_live(stored.facts, now) or path not in on_disk:
            continue
        facts = stored.facts
        try:
            members[path] = (facts.id, facts.published, _file_digest(path, on_disk[path]))
        except OSError:  # gone or unreadable since the scan: every entry is looked at instead
            return None
        if (key := stat_keys.get(path)) is not None:
            read[path] = (key if is_settled(last_change(key), scan.started_ns) else UNSETTLED, members[path][2])
        for feed in feed_paths(facts):
            if feed not in touched:
                feeds[feed] = list(feeds.get(feed, ()))
                touched.add(feed)
            touches(feed, order(path))
            insort(feeds[feed], path, key=order)
    unchanged = {feed: len(feeds[feed]) - bisect_right(feeds[feed], place, key=order) for feed, place in oldest.items()}
    if read:  # so that a later build holding one of these versions (its file broken) finds its digest
        with suppress(OSError):
            cache.add_archive_digests(read)
    return FeedHistories(members, {feed: paths for feed, paths in feeds.items() if paths}, kept.names, unchanged)


def plan_archives(site: Site, specs: Sequence[FeedSpec], histories: FeedHistories, previous: Mapping[str, Output],
                  out_dir: Path) -> ArchivePlan:
    """The archive links of every feed file, and which pages are published already."""
    links: dict[str, ArchiveLinks] = {}
    reused: list[str] = []
    new_pages: list[_NewPage] = []
    items: dict[str, tuple[str, str]] = {}
    names: dict[str, PageNames] = {}
    folder = os.path.join(out_dir, "")  # joined by hand: a feed's history is thousands of pages
    for spec in specs:
        page_size = spec.max_items or site.max_items
        fingerprint = channel_fingerprint(site, spec)
        layout = _layout(histories, spec.path, page_size, fingerprint)
        first_new = len(new_pages)
        for format_name in site.formats:
            filename = FORMATS[format_name].filename
            links[spec.path + filename] = feed_links(layout, site.publish_url, spec.path, filename)
            file = FeedFile(spec, format_name, site.publish_url + quote(spec.path) + filename)
            for page in layout.pages:
                path = page_path(spec.path, page, filename)
                if path in previous and is_as_written(folder + path, previous[path]):
                    reused.append(path)
                else:
                    new_pages.append(_NewPage(file, layout, page, path))
        if any(new.page.items is None for new in new_pages[first_new:]):  # a kept page to write again: its items
            full = archive_layout(histories.of(spec.path), page_size, fingerprint)
            new_pages[first_new:] = [_NewPage(new.file, full, full.pages[new.page.number - 1], new.path)
                                     for new in new_pages[first_new:]]
        names[spec.path] = (fingerprint, page_size, tuple(page.name for page in layout.pages))
        wanted = {item_id for new in new_pages[first_new:] for item_id in new.items}
        for path in histories.feeds.get(spec.path, ()) if wanted else ():  # newest first: where new pages mostly are
            entry_id, _, digest = histories.members[path]
            if entry_id in wanted:
                items[entry_id] = (path, digest)
                wanted.discard(entry_id)
                if not wanted:
                    break
    return ArchivePlan(links=links, reused=reused, new_pages=new_pages, items=items, names=names)


def _layout(histories: FeedHistories, feed_path: str, page_size: int, fingerprint: str) -> ArchiveLayout:
    """The feed's archive layout (archive.archive_layout), naming only the pages whose names
    the last build's do not give: the pages of the history's changed end (archive.layout_after)."""
    kept = histories.kept_pages(feed_path, fingerprint, page_size)
    if not kept:
        return archive_layout(histories.of(feed_path), page_size, fingerprint)
    newest_first = histories.feeds.get(feed_path, [])
    count = len(newest_first)
    full = full_pages(count, page_size)
    kept = kept[:full]
    if len(kept) < 2:
        return archive_layout(histories.of(feed_path), page_size, fingerprint)
    members = histories.members
    newer = [tuple((members[path][0], members[path][2]) for path in reversed(newest_first[start:stop]))
             for number in range(len(kept) + 1, full + 1)  # oldest first: a page's entries are the history's
             for start, stop in [(count - number * page_size, count - (number - 1) * page_size)]]
    return layout_after(kept, newer, fingerprint)._replace(unarchived=unarchived(count, page_size))


def _content_digests(scan: Scan, versions: Mapping[str, StatKey], cache: stored_build.Cache,
                     held: Mapping[str, str]) -> dict[str, str]:
    """A digest of the bytes (and path) of the version of each entry in use (`versions`: its
    stat key), by path: the cache's where it was read at that key, else the file is read.
    An entry held at its last good version (its file changed since, or cannot be read) has
    the digest kept of that version: by the cache, or with the entry held (`held`, by path),
    so that a build without the cache names its pages as one with it does."""
    cached = cache.archive_digests()
    kept = {**cached, **{path: (versions[path], digest) for path, digest in held.items() if path in versions}}
    digests: dict[str, str] = {}
    fresh: dict[str, tuple[StatKey, str]] = {}
    paths = versions.keys()
    for path, key in scan.files:
        if path not in versions or key is None or path in scan.kept:  # kept: in a folder that could not be listed
            continue
        known = kept.get(path)
        if known is not None and known[0] == versions[path] != key:  # held: the file is no longer that version
            digests[path], fresh[path] = known[1], known
            continue
        if known is not None and known[0] == key:
            digests[path] = known[1]
            fresh[path] = known
            continue
        try:
            digests[path] = _file_digest(path, scan.on_disk(path))
        except OSError:  # gone or unreadable since the scan: held, or reported, by the entries' check
            continue
        # A file saved too recently to trust its stat is kept under no key: never taken for the
        # file, but the digest of the version a held entry, or a folder that cannot be listed, keeps.
        fresh[path] = (key if is_settled(last_change(key), scan.started_ns) else UNSETTLED, digests[path])
    for path in paths - digests.keys():  # held, its file gone or unreadable: the last digest read, the version kept
        known = kept.get(path)
        if known is not None:
            digests[path], fresh[path] = known[1], known
        else:
            digests[path] = hashlib.blake2b(f"{path}\0held".encode("utf-8", "surrogateescape"),
                                            digest_size=16).hexdigest()
    if fresh != cached:
        with suppress(OSError):
            cache.save_archive_digests(fresh)
    return digests


def _file_digest(path: str, on_disk: str) -> str:
    """The digest of an entry's path and bytes, its line ends read as YAML reads them: a
    checkout with CRLF line ends (git's core.autocrlf on a Windows runner or desk) is the
    same story, and renamed every archive page of the site, and told the hubs of every feed
    that links them, each time the build moved between it and a machine with LF."""
    with open(on_disk, "rb") as stream:
        digest = hashlib.blake2b(path.encode("utf-8", "surrogateescape") + b"\0", digest_size=16)
        digest.update(stream.read().replace(b"\r\n", b"\n"))
    return digest.hexdigest()


def prepare_archived_items(site: Site, plan: ArchivePlan, every_entry: Mapping[str, Stored],
                           cache: stored_build.Cache, workers: Workers,
                           held: Mapping[str, Item] | None = None) -> list[Problem]:
    """Prepare the items of the new pages that neither the feeds' item cache nor the cache of
    archived items holds (each body read again), and keep them there, a period of time at a
    time; the problems of those that cannot be. Nothing is written to the publish directory
    until every item can be had. Items the feeds show are kept there too: once newer stories
    push them out of the feeds, the archive pages are the only place readers have them, and
    an entry broken then is held at that version (build/held.py), which its file no longer has.
    `held`: the held entries' Items, by path (their files are not that version)."""
    shown = _shown_items(plan, every_entry, cache, held or {})
    current = {path: digest for path, digest in plan.items.values()}
    for period, members in _by_period(plan, every_entry).items():
        kept = cache.archive_items(period)
        unkept = [item_id for item_id in members if plan.items[item_id] not in kept]
        missing = [item_id for item_id in unkept if item_id not in shown]
        if not unkept:
            continue
        kept.update((plan.items[item_id], shown[item_id]) for item_id in unkept if item_id in shown)
        prepared: list[Item | list[Problem]] = []
        paths = [plan.items[item_id][0] for item_id in missing]
        for results in workers.run(partial(prepare_files, site), chunks_of(paths, ITEM_CHUNK),
                                   len(paths) >= PARALLEL_ITEMS):
            prepared.extend(results)
        problems = [problem for result in prepared if not isinstance(result, Item) for problem in result]
        if problems:
            return problems
        kept.update((plan.items[item.id], item) for item in prepared if isinstance(item, Item))
        with suppress(OSError):  # an older version of a file is not kept
            cache.save_archive_items(period, {key: item for key, item in kept.items()
                                              if current.get(key[0], key[1]) == key[1]})
    return []


def render_pages(site: Site, plan: ArchivePlan, every_entry: Mapping[str, Stored], cache: stored_build.Cache,
                 workers: Workers, progress: ProgressCallback,
                 held: Mapping[str, Item] | None = None) -> Iterator[dict[str, bytes]]:
    """The new pages, rendered (shared with the workers) a batch at a time, in one sweep
    from the oldest period of time to the newest: an item is read when the sweep reaches it
    and dropped once the last new page holding it is rendered, so neither the items nor the
    bytes of a whole history are held at once."""
    periods = _by_period(plan, every_entry)
    period_of = {item_id: period for period, members in periods.items() for item_id in members}
    ready: dict[int, list[_NewPage]] = {}  # by the period of the newest item of the page
    last_use: dict[str, int] = {}
    for new in plan.new_pages:
        period = max(period_of[item_id] for item_id in new.items)
        ready.setdefault(period, []).append(new)
        for item_id in new.items:
            last_use[item_id] = max(last_use.get(item_id, period), period)
    shown = _shown_items(plan, every_entry, cache, held or {})
    live: dict[str, Item] = {}
    pending: list[_NewPage] = []
    done = 0
    for number, (period, members) in enumerate(periods.items(), 1):
        kept = cache.archive_items(period) if any(item_id not in shown for item_id in members) else {}
        unkept = [item_id for item_id in members if item_id not in shown and plan.items[item_id] not in kept]
        for item in prepare_files(site, [plan.items[item_id][0] for item_id in unkept]):
            if isinstance(item, Item):  # prepared already, but the cache could not keep it
                kept[plan.items[item.id]] = item
        live.update((item_id, shown[item_id] if item_id in shown else kept[plan.items[item_id]])
                    for item_id in members)
        del kept
        pending += ready.get(period, [])
        if len(pending) < PAGES_PER_BATCH and number < len(periods):
            continue
        files = _rendered_pages(site, pending, live, workers)
        done += len(pending)
        progress("archiving", done, len(plan.new_pages))
        yield files
        pending = []
        for item_id in [item_id for item_id in live if last_use[item_id] <= period]:
            del live[item_id]


def _rendered_pages(site: Site, pages: Sequence[_NewPage], items: Mapping[str, Item],
                    workers: Workers) -> dict[str, bytes]:
    """The pages' bytes, by path: each item rendered once in each format for every page that
    shows it (the site's, its categories', its author's; a summary feed's items are other
    items, without their bodies), each page's channel, then the two joined; the rendering
    shared with the workers."""
    documents = [(new.path, new.file.format, _page_document(site, new, items)) for new in pages]
    wanted = list(dict.fromkeys((name, item) for _, name, document in documents for item in document.items))
    chunks = [chunk for name in FORMATS for chunk in chunks_of([pair for pair in wanted if pair[0] == name],
                                                                 RENDER_CHUNK)]
    rendered: dict[tuple[str, Item], bytes] = {}
    for chunk, renders in zip(chunks, workers.run(render_chunk, chunks, len(wanted) >= PARALLEL_RENDERS)):
        rendered.update(zip(chunk, renders))
    shown = {path: (name, document.items) for path, name, document in documents}
    channels = [(path, name, replace(document, items=())) for path, name, document in documents]
    files: dict[str, bytes] = {}
    for results in workers.run(render_channels, list(chunks_of(channels, PAGES_PER_JOB)), len(channels) > 1):
        for path, empty in results:
            name, its_items = shown[path]
            files[path] = FORMATS[name].with_items(empty, [rendered[name, item] for item in its_items])
    return files


def _shown_items(plan: ArchivePlan, every_entry: Mapping[str, Stored], cache: stored_build.Cache,
                 held: Mapping[str, Item]) -> dict[str, Item]:
    """The items of the new pages that the feeds' item cache holds (the items feeds show), or
    that are held at their last good version (`held`, by path: never read from their files), by id."""
    if not plan.items:
        return {}
    cached = cache.items((path, every_entry[path].key) for path, _ in plan.items.values()
                         if path not in held and every_entry[path].key != UNSETTLED)
    found = {}
    for item_id, (path, _) in plan.items.items():
        if path in held:
            found[item_id] = held[path]
        elif (path, every_entry[path].key) in cached:
            found[item_id] = cached[path, every_entry[path].key]
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
    return page_document(channel, [items[item_id] for item_id in new.items],
                         page_url(site.publish_url, new.file.spec.path, new.page, filename),
                         page_links(new.layout, new.page, site.publish_url, new.file.spec.path, filename))


def unlinked_pages(written_before: Iterable[str], linked: Iterable[str], out_dir: Path) -> tuple[list[str], list[str]]:
    """Archive documents the last build wrote that no feed of this build links: (those to
    remove, those to keep). A feed file an earlier build wrote and this one does not (its
    format, or its kind of feed, turned off) stays as it was, linking its chain: that
    chain stays with it while the file is there."""
    keep = set(linked)
    unlinked = [path for path in written_before if path.startswith(ARCHIVE_DIR) and path not in keep]
    stale = {feed: (out_dir / feed).is_file() for feed in {feed_file_of(path) for path in unlinked} if feed not in keep}
    kept = sorted(path for path in unlinked if stale.get(feed_file_of(path), False))
    return sorted(set(unlinked) - set(kept)), kept


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


