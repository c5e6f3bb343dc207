"""The build after a change: bring the entries up to date, select, render what changed, and
publish (build_site's quick path, when nothing changed, never imports this)."""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import replace
from datetime import datetime
from functools import partial
from pathlib import Path

from .. import cache as stored_build
from ..archive import ARCHIVE_DIR
from ..cache import HELD, BuildState, Output, StatKey, Stored, is_as_written, outputs
from ..feed_kinds import name_titled, published_feed
from ..manifest import MANIFEST_FILE, record_written, written_files
from ..model import STATE_DIR, Entry, FeedCut, FeedSpec, PublishedFeed, Site, microseconds
from ..own_files import InTheWay, feed_as_published, in_the_way, own_files_in
from ..problems import Problem, fix_for
from ..progress import ProgressCallback
from ..publish import (
    PublishError,
    Staged,
    Stager,
    begin_writing,
    discard,
    finish_writing,
    publish_files,
    put_in_place,
    refuse_links_out,
)
from ..select import Shortlist, ahead_moments, has_appeared, is_live, next_change, select_feeds, shortlist
from ..workers import Workers
from .archive_jobs import (
    NO_ARCHIVES,
    feed_histories,
    plan_archives,
    prepare_archived_items,
    remove_unlinked,
    render_pages,
    unlinked_pages,
)
from .category_warnings import author_warnings, category_warnings, spelling_warnings
from .clock_warnings import clock_warnings
from .held import save_hold_state
from .incremental import Update, facts_by_path, updated_entries
from .parse import entries_of
from .render_jobs import render_changed
from .results import BuildResult, CheckResult, Lazy
from .scan import Scan


def rebuild(site: Site, out_dir: Path, now: datetime, found: Scan, cache: stored_build.Cache,
           previous: BuildState | None, workers: Workers, progress: ProgressCallback,
           dry_run: bool, hold: bool) -> BuildResult:
    """Bring the entries up to date, select from a shortlist of them, render what changed,
    publish, and remember it all for the next build; a dry run stops short of publishing.
    A build with problems (entries held) leaves its selection with them (cache.HeldBack):
    the next that finds a few files changed, none of them those, brings it up to date and
    says them again. One that finds none changed says them again too (unchanged_build), as
    it says a clean build's warnings."""
    moment = microseconds(now)
    unreadable = _held_unreadable(cache)  # before this build rewrites it
    update = updated_entries(site, moment, found, cache, workers, progress, hold)
    check = CheckResult(site=site, entries=Lazy(update.valid, update.load_all), problems=tuple(sorted(update.problems)),
                        files_checked=found.files_checked,
                        warnings=(*site.warnings, *unreadable, *sorted([*update.warnings, *update.under_readers])))
    if update.selection is None:
        return _refused(check, out_dir, update)
    chosen = update.selection.entries
    short = _kept_shortlist(update) or shortlist(facts_by_path(chosen.items()), site, moment)
    candidates = entries_of(chosen[path] for path in short.paths)
    state_dir = site.root / STATE_DIR
    written_before, manifest_unreadable, feeds_before, recorded = written_files(state_dir, out_dir)
    if not (recorded or manifest_unreadable):
        written_before = own_files_in(out_dir, site.publish_url)
        feeds_before = _feeds_read_back(site, out_dir, written_before)
    specs = select_feeds(candidates, site, now,
                         {path: feeds_before.get(path) for path in _published_feeds(written_before, out_dir)})
    # The entries whose dates the clock warnings read: those shown, and those scheduled. A held
    # entry's file is not what is published, and its problem is reported already.
    clocked = [entry for entry in {entry.source: entry for spec in specs for entry in spec.entries}.values()
               if entry.source not in update.hold.entries]
    clocked += (entry for entry in candidates if not has_appeared(entry, now) and entry.source not in update.hold.entries)
    selected = [*clock_warnings(clocked, now, site.root), *category_warnings(site, update.selection.categories),
                *author_warnings(site, update.selection.authors),
                *spelling_warnings(site, update.selection.categories, partial(_first_stored_with, chosen, update.every_entry))]
    if selected or manifest_unreadable:
        check = replace(check, warnings=(*check.warnings, *(_MANIFEST_UNREADABLE,) * manifest_unreadable, *selected))
    keys = shown_keys(candidates, chosen, found)  # all a feed can show
    last = _last_build_into(out_dir, previous, cache)
    last_outputs = last.outputs if last is not None else {}
    every_entry = update.every_entry() if site.archive else {}
    histories = feed_histories(site, update, every_entry, found, moment, cache) if site.archive else None
    archives = plan_archives(site, specs, histories, last_outputs, out_dir) if histories is not None else NO_ARCHIVES
    held_items = {path: held.item for path, held in update.hold.entries.items()}
    planned: dict[str, bytes] = {}  # a dry run's files, which it compares with the published ones
    if site.archive:  # the archive's items may want both cores: fork before the writes' threads run, not beside them
        workers.start()
    # A cold build sweeps too: a version before the marker may have left temporaries.
    with _recording(state_dir):
        sweep = not dry_run and (begin_writing(state_dir, out_dir) or last is None)
    with _staging(out_dir, dry_run, sweep) as stager:  # each file written as the next renders
        rendered = render_changed(site, specs, keys, last_outputs, out_dir, cache, workers, progress, held_items,
                                  planned.__setitem__ if stager is None else stager.add, archives.links, update.bodies,
                                  [cut.path for cut in last.cuts] if last is not None else ())
        update.bodies.clear()  # the items are prepared: the bodies' memory goes before the archive's pages are made
        problems = rendered.problems or prepare_archived_items(site, archives, every_entry, cache, workers, held_items)
        if problems:
            return _refused(replace(check, problems=_together(check.problems, problems)), out_dir, update)
        upcoming = next_change(candidates, now)
        live = update.selection.live
        if stager is None:
            from ..dry_run import feed_changes, files_to_write  # here: only a dry run reads the files it would replace

            would_write = files_to_write(out_dir, planned)
            refuse_links_out(out_dir, [*(new.path for new in archives.new_pages), *would_write.written])
            _refuse_what_is_in_the_way(out_dir, [*(new.path for new in archives.new_pages), *would_write.written],
                                       written_before, last_outputs, dry_run)
            removed, _ = unlinked_pages(written_before, [*(new.path for new in archives.new_pages), *archives.reused,
                                                         *rendered.files, *rendered.reused], out_dir)
            return BuildResult(check=check, out_dir=out_dir, removed=tuple(removed),
                               written=(*(new.path for new in archives.new_pages), *would_write.written),
                               unchanged=(*would_write.unchanged, *archives.reused, *rendered.reused), feeds=specs,
                               items_published=live, next_change=upcoming, files_parsed=len(update.parsed),
                               feed_changes=feed_changes(out_dir, planned, would_write.written),
                               held=_shown_held(update, moment))
        to_write = [*(new.path for new in archives.new_pages), *rendered.files]
        _refuse_what_is_in_the_way(out_dir, to_write, written_before, last_outputs, dry_run)
        _claim_before_writing(state_dir, out_dir, written_before, to_write)
        staged = stager.staged()  # on disk beside their places
    total = len(archives.new_pages) + len(archives.reused) + len(rendered.files) + len(rendered.reused)
    written: list[str] = []
    left_behind = False
    try:  # the staged files go if anything stops the build now, a caller's progress callback too
        progress("writing", 0, total)
        for pages in render_pages(site, archives, every_entry, cache, workers, progress, held_items):  # feeds link them
            pages_put = publish_files(out_dir, pages, sweep=False)
            written += pages_put.written
            left_behind |= pages_put.left_behind
    except BaseException:
        discard(staged)
        raise
    new_pages = [new.path for new in archives.new_pages]
    try:
        owed, hubs_record_unreadable = _owe_the_hubs(site, out_dir, staged, _made_as_last_time(last, rendered.digests))
        result = put_in_place(staged)
    except BaseException:  # the feeds are put back as they were (put_in_place): the pages new to them go too
        _remove_new_pages(out_dir, set(written).intersection(new_pages))
        raise
    if not (left_behind or result.left_behind):  # else the next build sweeps what could not be removed
        with suppress(OSError):  # the next build then sweeps for nothing
            finish_writing(state_dir, out_dir)
    progress("writing", total, total)
    published = [*new_pages, *archives.reused, *rendered.files, *rendered.reused]
    unlinked, still_linked = unlinked_pages(written_before, published, out_dir)
    removed = remove_unlinked(out_dir, unlinked)
    published += still_linked
    left = _left_as_they_were(written_before, published, out_dir)
    published += left
    cuts = _cuts(rendered.cuts, rendered.reused, last)
    with _recording(state_dir, "published, but "):
        record_written(state_dir, out_dir, published, _as_published(specs, feeds_before, published))
        save_hold_state(cache, update.hold)
    clean = not update.problems
    warnings = tuple(sorted(update.warnings))
    passed, due = ahead_moments(clocked, now)  # the state, warnings and all, holds between these
    with suppress(OSError):  # the cache only saves work: the next build does it again
        # With entries held back, it holds until a newcomer's clash could end (HeldBack.clash_until).
        until = min(_known(short.valid_until, update.clash_until), default=None)
        selection = update.selection._replace(valid_from=short.valid_from, valid_until=until,
                            histories=histories.plain(archives.names) if histories is not None else None,
                            warnings=warnings, shortlist=(tuple(short.paths), *short[1:]))
        reusable = clean or selection.held_back is not None  # else the next build looks at every entry
        if reusable and (update.changed or selection != update.kept):  # a retitle leaves it as it was
            cache.save_selection(selection)
        cache.save_state(BuildState(  # its warnings are reported by a build that finds nothing changed, until `until`
            fingerprint=found.digest if found.settled else None, out_dir=os.path.abspath(out_dir),
            valid_from=_later(short.valid_from, passed),
            valid_until=_earlier(until, due), site=site,
            outputs={**outputs(out_dir, {**rendered.digests, **dict.fromkeys(new_pages, b"")}),
                     **{path: last_outputs[path] for path in archives.reused}},  # as plan_archives found them
            files_checked=found.files_checked, items_published=live,
            next_change=upcoming, feed_count=len(specs), feeds=pickle.dumps(specs, pickle.HIGHEST_PROTOCOL),
            warnings=tuple(sorted([*warnings, *selected])), cuts=cuts, left=tuple(left), problems=check.problems,
            held=_shown_held(update, moment)))
        cache.save_reading()
    return BuildResult(check=check, out_dir=out_dir, written=(*written, *result.written), removed=tuple(removed),
                       unchanged=(*sorted(set(new_pages).difference(written)), *archives.reused, *result.unchanged,
                                  *rendered.reused), feeds=specs, items_published=live,
                       next_change=upcoming, files_parsed=len(update.parsed),
                       feeds_rendered=rendered.feeds_rendered, cuts=cuts, left=tuple(left),
                       published=True, held=_shown_held(update, moment), owed=owed,
                       hubs_record_unreadable=hubs_record_unreadable)


def _kept_shortlist(update: Update) -> Shortlist | None:
    """The last build's shortlist, when its selection comes back with entries that read as
    they did (a retitle, or any site.yaml change that selects alike: the selection is keyed
    on the settings shortlist reads) at a moment it holds at: shortlisting them again gives
    the same. At 50,000 entries with 55 feeds that was 27 ms of a retitle's 0.5 s."""
    kept = update.kept
    if kept is None or kept.shortlist is None or update.selection is None or not _read_alike(update):
        return None
    paths, *rest = kept.shortlist
    return Shortlist(list(paths), *rest)


def _read_alike(update: Update) -> bool:
    """Every entry the update parsed is one it had and reads as it did (its Facts, all the
    shortlist reads of it): a file too new to trust at a build is parsed again at the next,
    unchanged, and a retitle just after it shortlisted the selection's entries again."""
    had = update.replaced or {}
    return all(new is not None and path in had and new.facts == had[path].facts
               for path, new in (update.changed or {}).items())


@contextmanager
def _staging(out_dir: Path, dry_run: bool, sweep: bool) -> Iterator[Stager | None]:
    """A Stager for the feed files, none for a dry run; what it staged is removed unless the
    build took it (Stager.staged) to put in place."""
    if dry_run:
        yield None
        return
    stager = Stager(out_dir, sweep)
    try:
        yield stager
    finally:
        stager.abandon()


def _shown_held(update: Update, moment: int) -> tuple[str, ...]:
    """The files of the held entries the feeds show at their last good versions (live ones)."""
    return tuple(held.file_at(path) for path, held in update.hold.entries.items() if is_live(held.stored.facts, moment))


def _remove_new_pages(out_dir: Path, paths: Iterable[str]) -> None:
    """Archive pages this build added, which no feed links once the feeds are put back: the
    publish directory is as it was (the next build makes them again)."""
    for path in paths:
        with suppress(OSError):
            (out_dir / path).unlink()


def _held_unreadable(cache: stored_build.Cache) -> list[Problem]:
    """A warning if .feeds/held is there but cannot be read (damaged, or of another release):
    what this build cannot do without it. The build writes it anew."""
    if not cache.held_is_unreadable():
        return []
    return [Problem(f"{STATE_DIR}/{HELD}", 1, 1, "", "state-unreadable",
                    "expected the record of the invalid entries held at their last good versions, found one it cannot "
                    "read", "entries held before, and still invalid, are left out of the feeds until they are fixed: "
                    "fix them now (feeds check lists them)", "warning")]


def _first_stored_with(shortlisted: Mapping[str, Stored], every_entry: Callable[[], Mapping[str, Stored]],
                       name: str) -> str:
    """The first file (by path) of an entry in category `name`: in the shortlist, else among
    every entry, read only for a name the shortlist lacks (and a warning to give)."""
    return min([path for path, stored in shortlisted.items() if _in_category(stored, name)]
               or (path for path, stored in every_entry().items() if _in_category(stored, name)))


def _in_category(stored: Stored, name: str) -> bool:
    return any(written == name for _, written in stored.facts.categories)


_MANIFEST_UNREADABLE = Problem(f"{STATE_DIR}/{MANIFEST_FILE}", 1, 1, "", "state-unreadable",
                               "expected the record of the files feeds wrote, found one it cannot read",
                               "the next build that publishes writes it anew; until then feeds no longer written (a "
                               "category with no story left) and archive pages no longer linked stay in the publish "
                               "directory as they were: remove them by hand if they should go", "warning")


def _later(moment: int | None, clock: datetime | None) -> int | None:
    """The later of a moment (microseconds) and a time, either of which may be None."""
    moments = [value for value in (moment, None if clock is None else microseconds(clock)) if value is not None]
    return max(moments, default=None)


def _known(*moments: int | None) -> list[int]:
    return [moment for moment in moments if moment is not None]


def _earlier(moment: int | None, clock: datetime | None) -> int | None:
    """The earlier of a moment (microseconds) and a time, either of which may be None."""
    moments = [value for value in (moment, None if clock is None else microseconds(clock)) if value is not None]
    return min(moments, default=None)


def _together(checked: Iterable[Problem], found: Iterable[Problem]) -> tuple[Problem, ...]:
    """The check's problems and those found rendering, each once: an entry read again to
    render it may fail as it did when it was checked."""
    return tuple(sorted({*checked, *found}))


def shown_keys(candidates: Iterable[Entry], chosen: Mapping[str, Stored], found: Scan) -> dict[str, StatKey]:
    """Each entry's stat key, which its Item, its renders and the digests of the feeds that
    show it are kept by. A file too new to trust may change again under the same stat key (a
    file system's times may have whole seconds): it is keyed on this scan instead, which no
    later build's matches, so the next build prepares and renders it again."""
    untrusted = stored_build.UNSETTLED + found.started_ns.to_bytes(8, "big")
    return {entry.source: untrusted if entry.source in found.unsettled else chosen[entry.source].key
            for entry in candidates}


def _cuts(rendered: Mapping[str, FeedCut], reused: Iterable[str], last: BuildState | None) -> tuple[FeedCut, ...]:
    """The feed files published cut by max_bytes: those cut now, and those the last build cut that stay as it left them."""
    kept = {cut.path: cut for cut in last.cuts if cut.path in set(reused)} if last is not None else {}
    return tuple(sorted({**kept, **rendered}.values()))


def _refuse_what_is_in_the_way(out_dir: Path, paths: Iterable[str], written_before: frozenset[str],
                               last_outputs: Mapping[str, Output], dry_run: bool) -> None:
    """InTheWay, before anything is put in place, if a file feeds did not write stands where
    this build would write one: replacing it would destroy it (own_files.py)."""
    def vouched(path: str) -> bool:
        return path in written_before and path in last_outputs and is_as_written(out_dir / path, last_outputs[path])

    found = in_the_way(out_dir, paths, vouched)
    if found:
        raise InTheWay(out_dir, found, dry_run)


def _claim_before_writing(state_dir: Path, out_dir: Path, written_before: frozenset[str], paths: list[str]) -> None:
    """Record files about to be written for the first time as ours before writing them: a
    build killed midway then leaves no archive document that the next one would not know
    to remove once nothing links to it. (A listed file never written is harmless.)"""
    new = [path for path in paths if path not in written_before]
    if new:
        with _recording(state_dir):
            record_written(state_dir, out_dir, [*written_before, *new])


def _owe_the_hubs(site: Site, out_dir: Path, staged: Staged, as_last_time: frozenset[str]) -> tuple[tuple[str, ...], str]:
    """Record the feeds about to change as owed to the hubs before they are put in place, as
    the manifest records new files: the hubs were told only after the build, and one killed
    in between (kill -9, a power cut, or while it uploads) left them untold for good, since
    the next build found those feeds unchanged and on the target. A hub may then hear of a
    feed once more than needed, never once less. A preview's folder owes no reader anything,
    and nor does a feed missing from the publish directory that is made `as_last_time`:
    readers were told of those bytes; the folder was emptied (a CI job that builds into a
    fresh folder and rsyncs it told the hubs of every feed at every build). The feeds owed
    that no hub was owed before, which the delivery forgives if the target holds them; and
    the line that says the record of what the hubs were owed was found damaged (and written
    anew), said as the delivery says it: given as an entry's warning, --quiet hid it where the
    build changed feeds and showed it where nothing changed."""
    if not site.hubs or os.path.realpath(out_dir) != os.path.realpath(site.root / site.publish_dir):
        return (), ""
    from ..websub import feed_urls, owe, unreadable_line

    changing = feed_urls(site.publish_url, [path for path, temp in staged.temporaries.items() if temp is not None
                                            and not (path in as_last_time and not os.path.lexists(out_dir / path))])
    if not changing:
        return (), ""
    owed = owe(site.hubs, changing, site.root / STATE_DIR)
    return owed.urls, unreadable_line() * owed.unreadable


def _last_build_into(out_dir: Path, previous: BuildState | None, cache: stored_build.Cache) -> BuildState | None:
    """The last good build, whatever site.yaml said then, if it wrote into `out_dir`: what
    it left there (each file's digest, size and mtime, and which it cut to max_bytes)."""
    last = previous or cache.last_build()
    return last if last is not None and last.out_dir == os.path.abspath(out_dir) else None


def _made_as_last_time(last: BuildState | None, digests: Mapping[str, bytes]) -> frozenset[str]:
    """The files this build makes of what the last build into its folder (`last`) made
    them of, and so with the bytes it published."""
    if last is None:
        return frozenset()
    return frozenset(path for path, digest in digests.items() if path in last.outputs and last.outputs[path][0] == digest)


@contextmanager
def _recording(state_dir: Path, done: str = "") -> Iterator[None]:
    """What the manifest and the held entries say must reach .feeds/: without it, a later build
    could not tell which archive pages are its own to remove, or would withdraw held stories."""
    try:
        yield
    except OSError as error:
        raise PublishError(f"{done}cannot record what was written in {state_dir}: {error.strerror or error}; "
                           f"{fix_for(error)}, then build again") from error


def _refused(check: CheckResult, out_dir: Path, update: Update) -> BuildResult:
    """A build that writes nothing, for the problems in `check`."""
    return BuildResult(check=check, out_dir=out_dir, files_parsed=len(update.parsed))


def _left_as_they_were(written_before: Iterable[str], published: Iterable[str], out_dir: Path) -> list[str]:
    """Feed files and pages an earlier build wrote that this one did not (their kind of feed
    or their format switched off), still there: still the tool's. Switched back on, such a
    feed is found (_published_feeds), and emptied if its stories went meanwhile."""
    done = set(published)
    return [path for path in written_before
            if path not in done and not path.startswith(ARCHIVE_DIR) and (out_dir / path).is_file()]


def _as_published(specs: Iterable[FeedSpec], before: Mapping[str, PublishedFeed],
                  published: Iterable[str]) -> dict[str, PublishedFeed]:
    """What the manifest keeps of each feed: what it was called, and its date if it holds no
    item; of a feed whose files are left as they were (its kind switched off), what it kept."""
    folders = {path.rpartition("/")[0] + "/" if "/" in path else "" for path in published}
    return {**{folder: feed for folder, feed in before.items() if folder in folders},
            **{spec.path: PublishedFeed(spec.category or spec.label or "", None if spec.entries else spec.updated)
               for spec in specs}}


def _published_feeds(written_before: Iterable[str], out_dir: Path) -> list[str]:
    """The folders of feed files this tool wrote into `out_dir` that are still there (one
    file found is enough)."""
    return sorted(folder for folder, paths in _feed_files_by_folder(written_before).items()
                  if any((out_dir / path).is_file() for path in paths))


def _feeds_read_back(site: Site, out_dir: Path, written_before: Iterable[str]) -> dict[str, PublishedFeed]:
    """What the manifest would say of each feed, read from the feed's own bytes, for a build
    with no record of `out_dir`: a category feed whose last story went in such a build was
    titled by its folder ("Meridian Wire: culture", not "Meridian Wire: Culture") and dated
    2000-01-01, where with the record it kept its name and was dated when it was emptied."""
    found = {}
    for folder, paths in _feed_files_by_folder(written_before).items():
        key = published_feed(folder)
        feed = feed_as_published(out_dir, paths) if key is not None else None
        if key is not None and feed is not None:
            found[folder] = PublishedFeed(name_titled(site, key, feed.title), None if feed.holds_items else feed.updated)
    return found


def _feed_files_by_folder(written_before: Iterable[str]) -> dict[str, list[str]]:
    """The files this tool wrote, by the folder of their feed (archive documents are no feed's)."""
    by_folder: dict[str, list[str]] = {}
    for path in written_before:
        if "/" in path and not path.startswith(ARCHIVE_DIR):
            by_folder.setdefault(path.rpartition("/")[0] + "/", []).append(path)
    return by_folder
