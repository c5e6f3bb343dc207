"""The entries after this build's changes, as selection needs them: from the last build's
shortlist and the few files that changed, or else from every entry."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass, replace
from functools import partial

from .. import cache as stored_build
from ..cache import BUCKETS, BuildState, Selection, Stored, id_digest
from ..model import Entry, Site
from ..problems import Problem
from ..progress import ProgressCallback
from ..select import is_live, shortlist
from ..workers import Workers
from .parse import Checked, check_entries, duplicates, entries_of, whole_entries
from .scan import Scan, as_cached

MARGIN = 64  # entries that may change or go before a build selects from every entry again
FEW_BUCKETS = BUCKETS // 2  # changed buckets a build reads before reading them all is as quick


@dataclass(frozen=True, kw_only=True)
class Update:
    selection: Selection | None  # None when an entry has problems
    count: int  # valid entries
    problems: list[Problem]
    parsed: list[str]  # the files parsed by this build; the others came from the cache
    load_all: Callable[[], tuple[Entry, ...]]  # every valid entry, read on first use
    warnings: list[Problem]  # of every valid entry


def updated_entries(site: Site, now: int, scan: Scan, cache: stored_build.Cache, workers: Workers,
                    progress: ProgressCallback) -> Update:
    """The last selection brought up to date if it can be, else one made from every entry."""
    return (_update_selection(site, now, scan, cache, workers, progress)
            or _select_from_all(site, now, scan, cache, workers, progress))


def _select_from_all(site: Site, now: int, scan: Scan, cache: stored_build.Cache, workers: Workers,
                     progress: ProgressCallback) -> Update:
    """Check every file (parsing those whose stat changed), then shortlist from every entry.
    Entries are held light (what selection needs); those shortlisted are then read whole.
    Work for both cores is ahead (parsing, or rendering every feed): the workers start now,
    before the entries are loaded (see Workers.start)."""
    workers.start()
    cached = cache.light_entries()
    checked = check_entries(site, scan, cached, workers, progress, cache)
    _save_entries(cache, checked, cached.keys() - checked.entries.keys(), scan)
    del cached
    warned = {path: stored.warnings for path, stored in checked.entries.items() if stored.warnings}
    problems = [*checked.problems, *duplicates(site, checked.entries, cache)]
    load_all = partial(entries_in_cache, cache)
    if not problems:
        spare = shortlist(facts_by_path(checked.entries.items()), site, now, MARGIN)
        chosen, problems = whole_entries(site, {path: checked.entries[path] for path in spare.paths}, cache)
    if problems:
        return Update(selection=None, count=len(checked.entries), problems=problems, parsed=checked.parsed,
                      load_all=load_all, warnings=stored_build.warnings_of(warned))
    ids = frozenset(id_digest(stored.facts.id) for stored in checked.entries.values() if not stored.facts.draft)
    selection = Selection(entries=chosen, warnings=warned, ids=ids, live=spare.live, margin=MARGIN,
                          buckets=scan.bucket_digests)
    return Update(selection=selection, count=len(checked.entries), problems=[], parsed=checked.parsed,
                  load_all=load_all, warnings=stored_build.warnings_of(warned))


def _update_selection(site: Site, now: int, scan: Scan, cache: stored_build.Cache, workers: Workers,
                      progress: ProgressCallback) -> Update | None:
    """When few files changed since the last good build and no scheduled moment has passed:
    parse those, and bring its selection up to date; None when that cannot be done (then
    every entry is looked at, and any problem reported in full)."""
    kept = cache.selection()
    if kept is None or not holds_at(kept, now):
        return None
    changed = [number for number, digest in enumerate(scan.bucket_digests)
               if digest is None or digest != kept.buckets[number]]
    if len(changed) > FEW_BUCKETS:
        return None
    cached = {path: stored for number in changed for path, stored in cache.bucket(number).items()}
    looked_at = replace(scan, files=tuple(file for number in changed for file in scan.buckets[number]))
    checked = check_entries(site, looked_at, cached, workers, progress)
    if checked.problems:
        return None
    gone = cached.keys() - checked.entries.keys()
    replaced = [*(path for path in checked.parsed if path in cached), *gone]
    if len(replaced) > kept.margin:
        return None
    before = [cached[path] for path in replaced]
    after = [checked.entries[path] for path in checked.parsed]
    ids = _ids_after(kept.ids, before, after)
    if ids is None:
        return None
    _save_entries(cache, checked, gone, scan)
    dropped = set(replaced)
    entries = {path: stored for path, stored in kept.entries.items() if path not in dropped}
    entries.update((path, checked.entries[path]) for path in checked.parsed)
    warned = {path: warnings for path, warnings in kept.warnings.items() if path not in dropped}
    warned.update((path, checked.entries[path].warnings) for path in checked.parsed if checked.entries[path].warnings)
    live = kept.live - _live_count(before, now) + _live_count(after, now)
    selection = Selection(entries=entries, warnings=warned, ids=ids, live=live, margin=kept.margin - len(replaced),
                          buckets=scan.bucket_digests)
    return Update(selection=selection, count=len(scan.files), problems=[], parsed=checked.parsed,
                  load_all=partial(entries_in_cache, cache), warnings=stored_build.warnings_of(warned))


def holds_at(state: BuildState | Selection, now: int) -> bool:
    """No entry has appeared or expired since that build: it selected what a build now would."""
    return ((state.valid_from is None or state.valid_from <= now)
            and (state.valid_until is None or now < state.valid_until))


def _ids_after(ids: frozenset[bytes], before: list[Stored], after: list[Stored]) -> frozenset[bytes] | None:
    """The ids (as id_digest) once `before` became `after`; None if two entries would share one."""
    now_taken = set(ids).difference(id_digest(stored.facts.id) for stored in before if not stored.facts.draft)
    for stored in after:
        if not stored.facts.draft:
            digest = id_digest(stored.facts.id)
            if digest in now_taken:
                return None
            now_taken.add(digest)
    return frozenset(now_taken)


def _live_count(entries: Iterable[Stored], now: int) -> int:
    return sum(1 for stored in entries if is_live(stored.facts, now))


def facts_by_path(entries: Iterable[tuple[str, Stored]]) -> Iterable[tuple[str, stored_build.Facts]]:
    """What select.shortlist reads of each entry."""
    return ((path, stored.facts) for path, stored in entries)


def _save_entries(cache: stored_build.Cache, checked: Checked, gone: Iterable[str], scan: Scan) -> None:
    """The files parsed, as the cache keeps them (a file too new to trust, with a key that
    never matches), and the files gone. The last selection no longer matches the entries:
    it goes first, and this build saves its own if it succeeds."""
    fresh = {path: as_cached(checked.entries[path], scan.started_ns)
             for path in checked.unsaved if path in checked.entries}
    with suppress(OSError):
        cache.forget_selection()
        cache.save_entries(fresh, [*checked.unsaved, *gone])


def entries_in_cache(cache: stored_build.Cache) -> tuple[Entry, ...]:
    """Every cached entry, in the order of the scan (of their paths' parts)."""
    cached = cache.entries()
    return entries_of(cached[path] for path in sorted(cached, key=lambda path: path.split("/")))



