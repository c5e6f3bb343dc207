"""Render jobs: the items of the feeds whose entries changed, prepared (from the cache when
it has them, else shared with the workers), and those feeds' files and pages put together
here, one job per feed, from each item's bytes (item_renders.py); the top index page."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from contextlib import suppress
from dataclasses import replace
from functools import partial
from itertools import groupby
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote

from .. import cache as stored_build
from ..cache import Output, StatKey, is_as_written
from ..cache_keys import document_settings, zone_rules
from ..cache_records import FINGERPRINT_BYTES
from ..model import ArchiveLinks, Entry, FeedCut, FeedDocument, FeedSpec, Item, Site
from ..problems import Problem
from ..progress import ProgressCallback
from ..render import FORMATS, feed_page
from ..render.fit import render_within
from ..render.html_parts import FeedLink
from ..render.spliced import forget_rendered
from ..workers import Workers, chunks_of
from .item_renders import render_items_once
from .parse import body_read_again, validate_entry_file

PARALLEL_ITEMS = 48  # items to prepare, or feed files to render, worth sharing
ITEM_CHUNK = 16
ITEMS_A_GROUP = 2048  # entries a run of feeds shows: a build holds the items and renders of one run at a time
PAGE = "page"  # a FeedFile's format for the feed folder's index.html
PAGE_NAME = "index.html"
INDEX_PAGE = PAGE_NAME  # the top one, listing every feed


class FeedFile(NamedTuple):
    """One file of a feed: in a format, or its page (PAGE), served at a URL."""

    spec: FeedSpec
    format: str
    url: str
    archive: ArchiveLinks | None = None

    @property
    def path(self) -> str:
        return self.spec.path + (PAGE_NAME if self.format == PAGE else FORMATS[self.format].filename)


class Rendered(NamedTuple):
    files: list[str]  # rendered now and handed to `deliver`, by path in the publish directory, in order
    reused: list[str]  # feed files and pages as the last build left them
    digests: dict[str, bytes]  # of what each output file is made of (see Output)
    cuts: dict[str, FeedCut]  # the feed files rendered now that max_bytes cut
    feeds_rendered: int  # feed files (not pages) rendered now
    problems: list[Problem]  # an entry shown that could not be read again: then nothing else


def render_changed(site: Site, specs: Sequence[FeedSpec], keys: Mapping[str, StatKey],
                   previous: Mapping[str, Output], out_dir: Path, cache: stored_build.Cache,
                   workers: Workers, progress: ProgressCallback, held: Mapping[str, Item],
                   deliver: Callable[[str, bytes], None],
                   archive_links: Mapping[str, ArchiveLinks] | None = None,
                   bodies: Mapping[str, str] | None = None, cut_before: Collection[str] = ()) -> Rendered:
    """Render the feed files and pages whose items changed or that are not as the last build
    left them, and the top index page if what it lists changed, each handed to `deliver` as soon as
    it is made (so it is written while the next renders); none when there are problems. A
    file's digest names what it is made of.
    `held`: the last good Items of the invalid entries held in the feeds, by path.
    `archive_links` (with `archive: true`) are each feed file's RFC 5005 links, by its path;
    `bodies`, the entries' bodies this build kept from parsing them, by path; `cut_before`, the
    feed files the last build cut to max_bytes."""
    feed_files = _feed_files(site, specs, archive_links or {})
    settings = stored_build.fingerprint(document_settings(site))
    shown = {spec.path: _shown_digest(spec, keys, held) for spec in specs}
    kept_as = _kept_as(site, cache.items_key)
    digests = {file.path: _digest(site, file, shown[file.spec.path], settings, kept_as) for file in feed_files}
    digests[INDEX_PAGE] = _index_digest(feed_files, specs, keys, settings)
    stale = [file for file in feed_files if not _as_left(out_dir, file.path, digests[file.path], previous)]
    links = {path: _links(list(same_feed)) for path, same_feed in groupby(feed_files, key=lambda file: file.spec.path)}
    published = _Published(out_dir, previous, digests, frozenset(cut_before), frozenset(held))
    items: dict[str, Item] = {}
    files: list[str] = []
    cuts: dict[str, FeedCut] = {}
    groups = _groups(stale)
    done, total = 0, len({file.spec.path for file in stale})
    for group in groups:
        remade = _from_published(site, group, links, published)
        items, problems = _items(site, [file.spec for file in group if file.path not in remade], keys, cache, workers,
                                 held, bodies or {})
        if problems:
            return Rendered(files=[], reused=[], digests={}, cuts={}, feeds_rendered=0, problems=problems)
        done = _render(site, group, links, items, remade, _Renders(keys, held.keys(), cache, workers),
                       _Progress(progress, done, total), deliver, files, cuts)
    if not _as_left(out_dir, INDEX_PAGE, digests[INDEX_PAGE], previous):
        site_wide = [spec for spec in specs if spec.kind == "site" and any(entry.id not in items for entry in spec.entries)]
        more, problems = _items(site, site_wide, keys, cache, workers, held, bodies or {}) if site_wide else ({}, [])
        if problems:
            return Rendered(files=[], reused=[], digests={}, cuts={}, feeds_rendered=0, problems=problems)
        deliver(INDEX_PAGE, _index_page(site, feed_files, {**items, **more}))
        files.append(INDEX_PAGE)
    rendered = set(files)
    reused = [path for path in (*(file.path for file in feed_files), INDEX_PAGE) if path not in rendered]
    return Rendered(files=files, reused=reused, digests=digests, cuts=cuts,
                    feeds_rendered=sum(1 for file in stale if file.format != PAGE), problems=[])


def _groups(stale: Sequence[FeedFile]) -> list[list[FeedFile]]:
    """The stale files, a run of whole feeds at a time, each run showing at most
    ITEMS_A_GROUP entries or the entries of its largest feed, which are held for that feed
    anyway: a build holds the items and renders of one run at a time. With thousands of
    category feeds every entry is shown somewhere, and holding them all took the cold build
    of 20,000 entries past 700 MB; an entry shown in several runs is read back from the
    cache, not prepared again, which made each feed within a feed of more than
    ITEMS_A_GROUP entries (max_items: 3000) a run of its own that read its entries back:
    1.4 x the build."""
    groups: list[list[FeedFile]] = []
    shown: set[str] = set()
    for _, same_feed in groupby(stale, key=lambda file: file.spec.path):
        files = list(same_feed)
        ids = {entry.id for entry in files[0].spec.entries}
        if groups and len(shown | ids) <= max(ITEMS_A_GROUP, len(shown), len(ids)):
            groups[-1] += files
            shown |= ids
        else:
            groups.append(files)
            shown = ids
    return groups


class _Progress(NamedTuple):
    """Rendering's progress over every run of feeds: `before` feeds done in the runs before."""

    progress: ProgressCallback
    before: int
    total: int


def _as_left(out_dir: Path, path: str, digest: bytes, previous: Mapping[str, Output]) -> bool:
    """The file is made of what the last build made it of, and is as that build left it."""
    return path in previous and previous[path][0] == digest and is_as_written(out_dir / path, previous[path])


def _feed_files(site: Site, specs: Sequence[FeedSpec], archive_links: Mapping[str, ArchiveLinks]) -> list[FeedFile]:
    """Every feed's files, and the page of every feed with a folder of its own (the site-wide
    feed's page is the top index.html)."""
    files = []
    for spec in specs:
        for name in (*site.formats, *((PAGE,) if spec.path else ())):
            filename = PAGE_NAME if name == PAGE else FORMATS[name].filename
            files.append(FeedFile(spec, name, site.publish_url + quote(spec.path) + filename,
                                  None if name == PAGE else archive_links.get(spec.path + filename)))
    return files


def _shown_digest(spec: FeedSpec, keys: Mapping[str, StatKey], held: Collection[str]) -> bytes:
    """What the entries a feed shows are made of, once for all its files: each one's stat
    key, and whether it is held (then its last good Item is shown, kept apart)."""
    return stored_build.fingerprint(tuple((entry.source, keys[entry.source], entry.source in held)
                                          for entry in spec.entries))


class _KeptAs(NamedTuple):
    """What the items' bytes of a file depend on besides the entries it shows."""

    feeds: bytes  # Cache.items_key: the tool, and the settings reading and preparing an entry depend on
    pages: bytes  # that, and the clock and language a page's stories are told in


def _kept_as(site: Site, items_key: bytes) -> _KeptAs:
    clock = (site.timezone_name, zone_rules(site.timezone_name), site.language)
    return _KeptAs(items_key, stored_build.fingerprint((items_key, *clock)))


def _digest(site: Site, file: FeedFile, shown: bytes, settings: bytes, kept_as: _KeptAs) -> bytes:
    """Everything the file's bytes depend on, in two halves: its channel (its feed, and
    `settings`, the digest of the rest of site.yaml's settings it is written with:
    document_settings), then its items (the entries it shows, and what their Items and
    renders are kept under). A file whose second half is as the last build's takes its
    items' bytes from the file as published (_from_published)."""
    spec = file.spec
    channel = stored_build.fingerprint((file.path, file.url, spec.title, spec.description, spec.category, spec.label,
                                        spec.content or site.content, site.max_bytes, site.formats,
                                        spec.updated.isoformat(), repr(file.archive), settings))
    kept = kept_as.pages if file.format == PAGE else kept_as.feeds
    return channel + stored_build.fingerprint((file.format, spec.content or site.content, shown, kept))


ITEMS_HALF = slice(FINGERPRINT_BYTES, None)  # of a feed file's or page's digest (_digest): after its channel's


class _Published(NamedTuple):
    """The files as the last build left them, for the items in them."""

    out_dir: Path
    previous: Mapping[str, Output]
    digests: Mapping[str, bytes]  # this build's
    cut: frozenset[str]  # by the last build, to max_bytes: they hold fewer items than their feeds
    held: frozenset[str]  # entries shown at their last good versions

    def as_published(self, file: FeedFile) -> bytes | None:
        """The file as published, if its items are those this build shows in it."""
        last = self.previous.get(file.path)
        if last is None or last[0][ITEMS_HALF] != self.digests[file.path][ITEMS_HALF] or file.path in self.cut \
                or any(entry.source in self.held for entry in file.spec.entries) \
                or not is_as_written(self.out_dir / file.path, last):
            return None
        try:
            return (self.out_dir / file.path).read_bytes()
        except OSError:
            return None


def _from_published(site: Site, stale: Sequence[FeedFile], links: Mapping[str, tuple[FeedLink, ...]],
                    published: _Published) -> dict[str, bytes]:
    """The stale files whose items are as published, made again around their bytes read
    back: their channel, or their page's head, as it is now. Retitling the site read each
    item's bytes of every feed from the cache, and each feed's Items for its page."""
    remade = {}
    for file in stale:
        last = published.as_published(file)
        data = _remade(site, file, links[file.spec.path], last) if last is not None else None
        if data is not None:
            remade[file.path] = data
    return remade


def _remade(site: Site, file: FeedFile, links: tuple[FeedLink, ...], last: bytes) -> bytes | None:
    """The file with the items in `last`, its bytes as published; None if they cannot be
    found there, or the file would be over max_bytes (which cuts it: see render_within)."""
    spec = file.spec
    if file.format == PAGE:
        listed = feed_page.stories_in(last)
        return None if listed is None else feed_page.with_stories(site, _page(spec, links, ()), len(spec.entries), listed)
    format_ = FORMATS[file.format]
    items = format_.items_in(last)
    if items is None:
        return None
    data = format_.with_items(format_.empty_document(feed_document(site, file, ())), items)
    return data if len(data) <= site.max_bytes else None


def _index_digest(feed_files: Sequence[FeedFile], specs: Sequence[FeedSpec], keys: Mapping[str, StatKey],
                  settings: bytes) -> bytes:
    """Everything the index page shows: each feed, its files, how many stories it holds and
    its headlines, when the newest story was published, and the site's `settings` (_digest)."""
    from ..render.index_page import headlines, newest

    moment = newest(specs)
    return stored_build.fingerprint((settings, moment.isoformat() if moment else "", *(
        (file.path, file.url, file.spec.kind, file.spec.title, file.spec.category, file.spec.label,
         len(file.spec.entries), tuple((entry.source, keys[entry.source]) for entry in headlines(file.spec)))
        for file in feed_files)))


def _items(site: Site, specs: Sequence[FeedSpec], keys: Mapping[str, StatKey],
           cache: stored_build.Cache, workers: Workers, held: Mapping[str, Item],
           bodies: Mapping[str, str]) -> tuple[dict[str, Item], list[Problem]]:
    """The Item of every entry these feeds show: held, or from the cache, else prepared (its
    body as parsed, or read again), and the problems of those that cannot be. The cache
    keeps the items of every entry in `keys` (all a feed shows or is dated by), not only of
    these feeds: an entry readers had that breaks is held with its Item (held.py)."""
    shown = {entry.id: entry for spec in specs for entry in spec.entries}
    item_key = {entry.id: (entry.source, keys[entry.source]) for entry in shown.values()}
    cached = cache.items(key for entry_id, key in item_key.items() if shown[entry_id].source not in held)
    items = {entry_id: cached[key] for entry_id, key in item_key.items() if key in cached}
    items.update((entry.id, held[entry.source]) for entry in shown.values() if entry.source in held)
    missing = [replace(entry, body=bodies[entry.source]) if entry.source in bodies else entry
               for entry_id, entry in shown.items() if entry_id not in items]
    problems: list[Problem] = []
    for results in workers.run(partial(prepare_chunk, site), chunks_of([(entry, keys[entry.source]) for entry in missing],
                                                                       ITEM_CHUNK), len(missing) >= PARALLEL_ITEMS):
        for result in results:
            if isinstance(result, Item):
                items[result.id] = result
            else:
                problems.extend(result)
    if problems:
        return items, problems
    if missing:
        with suppress(OSError):  # kept: every entry a feed shows or is dated by (held, if it breaks, for that)
            cache.save_items({item_key[entry.id]: items[entry.id] for entry in missing}, set(keys.items()))
    return items, []


def prepare_chunk(site: Site, entries: Sequence[tuple[Entry, StatKey]]) -> list[Item | list[Problem]]:
    """Items for entries, with their stat keys, some kept without their bodies: each such
    body is read again from its file (body_read_again)."""
    from ..content import prepare_item

    results: list[Item | list[Problem]] = []
    for entry, key in entries:
        body = entry.body
        if body is None and entry.has_body:
            again = body_read_again(site, entry.source, key)
            if isinstance(again, list):
                results.append(again)
                continue
            body = again
        results.append(prepare_item(entry, body, site))
    return results


def prepare_files(site: Site, paths: Sequence[str]) -> list[Item | list[Problem]]:
    """Items for entries read whole from their files again: an archive's pages hold entries
    whose records the cache keeps light, and each body is read from its file anyway."""
    from ..content import prepare_item

    results: list[Item | list[Problem]] = []
    for shown in paths:
        entry = validate_entry_file(site, site.root / shown, shown)
        results.append(prepare_item(entry, entry.body, site) if isinstance(entry, Entry) else entry)
    return results


# One file to render: its path, format (or PAGE), and the document or page it shows.
_Task = tuple[str, str, FeedDocument | feed_page.FeedPage]


class _Renders(NamedTuple):
    """What render_items_once needs besides the documents."""

    keys: Mapping[str, StatKey]
    held: Iterable[str]
    cache: stored_build.Cache
    workers: Workers


def _render(site: Site, stale: Sequence[FeedFile], links: Mapping[str, tuple[FeedLink, ...]],
            items: Mapping[str, Item], remade: Mapping[str, bytes], renders: _Renders, progress: _Progress,
            deliver: Callable[[str, bytes], None], files: list[str], cuts: dict[str, FeedCut]) -> int:
    """Each feed's stale files (its feed files and its page), delivered and reported feed by
    feed, each added to `files` (and to `cuts`, if cut): those `remade` from their published
    items as they are, the others' items rendered first, once each (item_renders.py), then
    each document put together here. The feeds done so far."""
    by_feed = [list(same_feed) for _, same_feed in groupby(stale, key=lambda file: file.spec.path)]
    jobs = [_tasks(site, [file for file in files if file.path not in remade], links[files[0].spec.path], items)
            for files in by_feed]
    render_items_once([(name, files[0].spec, shown) for files, job in zip(by_feed, jobs) for _, name, shown in job
                       if isinstance(shown, FeedDocument)], *renders)
    done = progress.before
    for done, (same_feed, results) in enumerate(zip(by_feed, map(partial(_render_job, site), jobs)),
                                                progress.before + 1):
        made = {path: (data, cut) for path, data, cut in results}
        for file in same_feed:
            data, cut = (remade[file.path], None) if file.path in remade else made[file.path]
            deliver(file.path, data)
            files.append(file.path)
            if cut is not None:
                cuts[file.path] = cut
        progress.progress("rendering", done, progress.total)
    forget_rendered()
    return done


def feed_document(site: Site, file: FeedFile, items: tuple[Item, ...]) -> FeedDocument:
    """What the renderer of one feed file is given (archive pages start from it too)."""
    spec = file.spec
    return FeedDocument(site, spec.title, spec.description, site.link, file.url, spec.category, spec.updated, items,
                        file.archive, content=spec.content or site.content)


def render_channels(documents: Sequence[tuple[str, str, FeedDocument]]) -> list[tuple[str, bytes]]:
    """Archive pages without their items, which are rendered apart (archive_jobs.render_pages).
    A page is never cut to max_bytes, as it holds a feed's max_items and no more."""
    return [(path, FORMATS[name].empty_document(document)) for path, name, document in documents]


def _tasks(site: Site, stale: Sequence[FeedFile], links: tuple[FeedLink, ...], items: Mapping[str, Item]) -> list[_Task]:
    if not stale:
        return []
    spec = stale[0].spec
    shown = tuple(items[entry.id] for entry in spec.entries)
    return [(file.path, file.format, _page(spec, links, shown) if file.format == PAGE else feed_document(site, file, shown))
            for file in stale]


def _page(spec: FeedSpec, links: tuple[FeedLink, ...], shown: tuple[Item, ...]) -> feed_page.FeedPage:
    return feed_page.FeedPage(spec.path, spec.title, spec.description, links, shown)


def _render_job(site: Site, tasks: Sequence[_Task]) -> list[tuple[str, bytes, FeedCut | None]]:
    """A feed's files: each format within max_bytes (saying so when cut), and its page."""
    results: list[tuple[str, bytes, FeedCut | None]] = []
    for path, name, shown in tasks:
        if isinstance(shown, feed_page.FeedPage):
            results.append((path, feed_page.render(site, shown), None))
            continue
        at_least = shown.archive.unarchived if shown.archive else 1
        fitted = render_within(FORMATS[name].render, shown, site.max_bytes, at_least)
        cut = FeedCut(path, fitted.items_kept, fitted.over_cap) if fitted.items_cut or fitted.over_cap else None
        results.append((path, fitted.data, cut))
    return results


def _links(files: Sequence[FeedFile]) -> tuple[FeedLink, ...]:
    """A feed's files in each format, as pages link them."""
    return tuple(FeedLink(f"{file.spec.title} ({file.format.upper()})", FORMATS[file.format].media_type,
                          file.format.upper(), file.url) for file in files if file.format != PAGE)


def _index_page(site: Site, feed_files: Sequence[FeedFile], items: Mapping[str, Item]) -> bytes:
    """The top page; `items` holds at least the site-wide feed's, which it lists as that feed's page."""
    from ..render import index_page

    listed = []
    for path, same_feed in groupby(feed_files, key=lambda file: file.spec.path):
        files = list(same_feed)
        spec = files[0].spec
        page = quote(path) + PAGE_NAME if any(file.format == PAGE for file in files) else None
        shown = tuple(items[entry.id] for entry in spec.entries) if spec.kind == "site" else ()
        listed.append(index_page.ListedFeed(spec, _links(files), page, shown))
    return index_page.render(site, listed)
