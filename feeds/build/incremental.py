"""The entries after this build's changes, as selection needs them: from the last build's
shortlist and the few files that changed, or else from every entry."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import suppress
from functools import partial
from typing import Any, NamedTuple, TypeVar

from .. import cache as stored_build
from ..cache import BUCKETS, UNSETTLED, HeldBack, Selection, Stored, bucket_of, id_digest
from ..model import Entry, Site
from ..problems import Problem
from ..progress import ProgressCallback
from ..select import is_live, shortlist
from ..workers import Workers
from .held import NOTHING_HELD, HeldEntry, HoldState, found_again, held_entries, hold_state, save_hold_state
from .parse import Checked, check_entries, duplicates, published_ids
from .reader_warnings import claimed_by, last_build_moment, reader_warnings
from .scan import Scan, as_cached
from .unchanged import entries_in_cache, holds_at

Kept = TypeVar("Kept")

MARGIN = 64  # entries that may change or go before a build selects from every entry again
FEW_BUCKETS = BUCKETS // 2  # changed buckets a build reads before reading them all is as quick


class Update(NamedTuple):
    selection: Selection | None  # None when an entry has problems and the build stops for them
    valid: int  # how many entries are valid
    problems: list[Problem]
    parsed: list[str]  # the files parsed by this build; the others came from the cache
    load_all: Callable[[], tuple[Entry, ...]]  # every valid entry, read on first use
    every_entry: Callable[[], Mapping[str, Stored]]  # every valid entry as cached, by path (for the archives)
    warnings: list[Problem]  # of every valid entry, in no particular order
    bodies: dict[str, str]  # of entries parsed now, if kept (parse._keeps_bodies)
    hold: HoldState = NOTHING_HELD  # invalid entries kept at their last good versions
    # Since the last good build, when this one brought its selection up to date: each entry
    # parsed again (its new version) or gone (None); and that build's feed histories. None:
    # every entry was looked at.
    changed: Mapping[str, Stored | None] | None = None
    replaced: Mapping[str, Stored] | None = None  # the last good build's records of the changed entries it had
    histories: Any = None
    kept: Selection | None = None  # the selection as the last good build left it, when brought up to date
    under_readers: list[Problem] = []  # what changes now in stories readers have (reader_warnings): told once
    clash_until: int | None = None  # when an entry that claims another's id appears or expires (_clash_until)


def updated_entries(site: Site, now: int, scan: Scan, cache: stored_build.Cache, workers: Workers,
                    progress: ProgressCallback, hold: bool) -> Update:
    """The last selection brought up to date if it can be, else one made from every entry.
    With `hold`, entries with problems are held (held.py) and the valid ones selected."""
    return (_update_selection(site, now, scan, cache, workers, progress, hold)
            or _select_from_all(site, now, scan, cache, workers, progress, hold))


def _select_from_all(site: Site, now: int, scan: Scan, cache: stored_build.Cache, workers: Workers,
                     progress: ProgressCallback, hold: bool) -> Update:
    """Check every file (parsing those whose stat changed), then shortlist from every entry:
    the valid ones, and with `hold` the last good versions of the invalid ones. Work for
    both cores is ahead (parsing, or rendering every feed): the workers start now, before
    the entries are loaded (see Workers.start)."""
    workers.start()
    cached = _cached_entries(cache, scan)
    last = cache.last_reading()  # site.yaml changed how entries read since the last build
    read_before = _cached_entries(last, scan) if last is not None and not cached else None  # parsing overwrites them
    last_good = cached or _last_good(read_before or {})  # none cached: under other settings
    checked = check_entries(site, scan, cached, workers, progress, cache, last)
    if last is not None:
        with suppress(OSError):  # parsing wrote the entries under this build's keys
            cache.save_reading(items_too=False)
        if checked.problems:
            last_good = {**_kept_by_parsing(cache, checked.problems), **last_good}
    before = hold_state(cache) if hold else NOTHING_HELD
    held = (held_entries(checked.problems, last_good, before.entries, last or cache, dict(scan.files))
            if checked.problems and hold else {})
    newcomers, owners, clash_until, contested = _newcomers(checked.entries, cached, held, before.owners, cache, now)
    valid = _without(checked.entries, newcomers)
    problems = [*checked.problems, *newcomers]
    if newcomers and hold:  # a newcomer readers had keeps its last good version too, if its id is free
        taken = {stored.facts.id for stored in valid.values() if not stored.facts.draft}
        held = {path: entry for path, entry in held_entries(problems, last_good, before.entries, last or cache,
                                                            dict(scan.files)).items()
                if entry.stored.facts.id not in taken}
    _keep_held(cache, before, held)
    # Saved once the last good versions to hold are read: a newcomer's goes from the cache.
    _save_entries(cache, checked, valid, [*(cached.keys() - checked.entries.keys()), *_in_cache(newcomers, cached, checked)],
                  scan)
    if not hold:  # refused (--strict): the last good versions stay cached, for the next build that holds them
        _keep_last_good(cache, {path: cached[path] for path in _paths(checked.problems) if path in cached})
        if checked.problems and last is not None:  # read under the last settings: this build overwrote that cache
            kept = hold_state(cache)
            _keep_held(cache, kept, held_entries(checked.problems, last_good, kept.entries, last, dict(scan.files)))
    under_readers = reader_warnings(site, cache, cached, before, read_before, valid, checked.parsed, now,
                                    claimed_by(valid), upgraded=last is not None and last.tool != cache.tool,
                                    last_moment=last_build_moment(last or cache))
    del cached, last_good, read_before
    load_all = partial(_every_entry_of, cache, valid)
    warnings = [warning for warning in checked.warnings if warning.path in valid]
    if problems and not hold:
        return Update(selection=None, valid=len(valid), problems=problems, parsed=checked.parsed, load_all=load_all,
                      warnings=warnings, every_entry=valid.copy, bodies={}, under_readers=under_readers)
    entries = _in_scan_order({**valid, **{path: entry.stored for path, entry in held.items()}}) if held else valid
    spare = shortlist(facts_by_path(entries.items()), site, now, MARGIN)
    ids = frozenset(id_digest(stored.facts.id) for stored in entries.values() if not stored.facts.draft)
    selection = Selection(entries=cache.completed({path: entries[path] for path in spare.paths}), ids=ids,
                          live=spare.live, margin=MARGIN, buckets=scan.bucket_digests,
                          digest=scan.digest if scan.settled else None,
                          categories=_names_after({}, [], entries.values(), _categories),
                          authors=_names_after({}, [], entries.values(), _authors),
                          held_back=None if last is not None else _held_back(site, scan, problems, held, contested,
                                                                             clash_until, _paths(newcomers)))
    return Update(selection=selection, valid=len(valid), problems=problems, parsed=checked.parsed,
                  load_all=load_all, warnings=warnings, hold=HoldState(held, owners),
                  every_entry=entries.copy, bodies=checked.bodies, under_readers=under_readers, clash_until=clash_until)


def _held_back(site: Site, scan: Scan, problems: Iterable[Problem], held: Mapping[str, HeldEntry],
               contested: frozenset[bytes] | None, clash_until: int | None,
               newcomers: Iterable[str]) -> HeldBack | None:
    """What the next build needs to say these problems again without parsing their files,
    and to hold the same entries (HeldBack); None when none, or when a stat of the files
    cannot tell that they stand: a problem of the walk's (a link out of the site), a file
    too new to trust, or archives (their histories read every entry's record, the held
    versions too, which the cache's buckets do not hold), or a newcomer's message that the
    next build words otherwise (`contested` None: _newcomers)."""
    problems = tuple(sorted(problems))
    if not problems or contested is None or site.archive or scan.problems or scan.unlisted:
        return None
    files = dict(scan.files)
    keys = {path: files.get(path) for path in _paths(problems)}
    if any(key is None or key == UNSETTLED or path in scan.unsettled for path, key in keys.items()):
        return None
    return HeldBack(problems, {path: key for path, key in keys.items() if key is not None}, tuple(held), contested,
                    clash_until, tuple(sorted(newcomers)))


def _kept_by_parsing(cache: stored_build.Cache, problems: Iterable[Problem]) -> dict[str, Stored]:
    """The last good records of the files invalid now, as parsing kept them in the buckets
    it wrote under new settings or a new release (parse._last_good_versions): also those
    of files unchanged since, which the new settings or release alone made invalid."""
    return cache.records({problem.path for problem in problems})


def _keep_held(cache: stored_build.Cache, before: HoldState, held: Mapping[str, HeldEntry]) -> None:
    """Keep now the last good versions of the entries held for the first time: this build
    overwrites the records they came from (an invalid file's record goes from the cache;
    under new settings, the whole cache is keyed anew), and if it publishes nothing (a dry
    run, an output it cannot write) the next build would find them nowhere. The entries
    held before stay as they were; the build that publishes saves its own hold state. A
    build refused (--strict) under new settings keeps them so too: the records it leaves in
    the cache are keyed on the new settings, and gone if they change back."""
    new = {path: entry for path, entry in held.items() if path not in before.entries}
    if new:
        with suppress(OSError):
            save_hold_state(cache, HoldState({**before.entries, **new}, before.owners))


def _keep_last_good(cache: stored_build.Cache, records: Mapping[str, Stored]) -> None:
    """Put back the records of invalid files, as they were: their stat keys are not the
    files', so no build takes them for the files, but one that holds entries finds them."""
    if records:
        with suppress(OSError):
            cache.save_entries(records, records)


def _cached_entries(cache: stored_build.Cache, scan: Scan) -> dict[str, Stored]:
    """Every cached entry, light (see Cache.completed) but for those whose file changed or
    went: parsing may overwrite their records in the cache, and an entry held or refused
    now keeps its last good one."""
    cached = cache.entries(light=True)
    keys = dict(scan.files)
    cached.update(cache.completed({path: stored for path, stored in cached.items() if keys.get(path) != stored.key}))
    return cached


def _last_good(read_before: Mapping[str, Stored]) -> dict[str, Stored]:
    """Of the records under the settings the last build read them with, those of the entries
    whose files changed since: those that break now are held as readers had them, though
    site.yaml changed how entries read in the same interval. (One that breaks unchanged, by
    the new settings alone, had its record read light, and is not held.)"""
    return {path: stored for path, stored in read_before.items() if stored.entry}


def _newcomers(entries: Mapping[str, Stored], cached: Mapping[str, Stored], held: Mapping[str, HeldEntry],
               owners: Mapping[str, str], cache: stored_build.Cache,
               moment: int) -> tuple[list[Problem], dict[str, str], int | None, frozenset[bytes] | None]:
    """The entries that take an id another entry already has, who keeps each such id (the
    one named to keep it before, else a held entry, else the one that had it at the last
    build, else one live at `moment`: validate._keeper), until when that holds, and those
    ids (as id_digest). The ids are None when the next build would word a newcomer's message
    otherwise with nothing changed: a story the last build had, still to come, its id taken
    by one out now, is told so from the record, which the next build no longer has (a
    newcomer's record goes from the cache). One that expired is told so from its dates
    alike at every build: until the forty-seventh stop it too was worded otherwise."""
    every = {**entries, **{path: entry.stored for path, entry in held.items()}}
    published = published_ids(entries, cached)
    published.update((entry.stored.facts.id, path) for path, entry in held.items() if not entry.stored.facts.draft)
    published.update((entry_id, path) for entry_id, path in owners.items()
                     if path in every and every[path].facts.id == entry_id)
    clashes = duplicates(every, published, cache, moment)
    refused = _paths(clashes)
    kept = {every[problem.path].facts.id for problem in clashes}
    keepers = {stored.facts.id: path for path, stored in every.items()
               if stored.facts.id in kept and path not in refused and not stored.facts.draft}
    clashing = [stored for stored in every.values() if stored.facts.id in kept]
    steady = not any(published.get(every[path].facts.id) == path and every[path].facts.published > moment
                     for path in refused)
    return ([problem for problem in clashes if problem.path in entries], keepers, _clash_until(clashing, moment),
            frozenset(id_digest(entry_id) for entry_id in kept) if steady else None)


def _clash_until(clashing: Iterable[Stored], moment: int) -> int | None:
    """The next moment one of the entries that claim one id appears or expires: the one live
    then may keep the id instead, so a build with nothing changed cannot say what this one
    said after it. A newcomer is in no selection, whose moments would tell."""
    moments = [at for stored in clashing for at in (stored.facts.published, stored.facts.expires)
               if at is not None and at > moment]
    return min(moments, default=None)


def _in_cache(problems: Iterable[Problem], cached: Mapping[str, Stored], checked: Checked) -> list[str]:
    """The refused files the cache holds a record of: kept by the last build, or written
    with their bucket by this one's parse. A newcomer parsed on its own was never saved."""
    unsaved = set(checked.unsaved)
    return [path for path in _paths(problems) if path in cached or path not in unsaved]


def _without(entries: dict[str, Stored], problems: Iterable[Problem]) -> dict[str, Stored]:
    refused = _paths(problems)
    return {path: stored for path, stored in entries.items() if path not in refused} if refused else entries


def _paths(problems: Iterable[Problem]) -> set[str]:
    return {problem.path for problem in problems}


def _in_scan_order(entries: dict[str, Kept]) -> dict[str, Kept]:
    return {path: entries[path] for path in sorted(entries, key=lambda path: path.split("/"))}


def _update_selection(site: Site, now: int, scan: Scan, cache: stored_build.Cache, workers: Workers,
                      progress: ProgressCallback, hold: bool) -> Update | None:
    """When few files changed since the last good build and no scheduled moment has passed:
    parse those, and bring its selection up to date (and its warnings); None when that cannot
    be done (then every entry is looked at, and any problem reported in full). A build that
    held entries back left its problems with its selection: they stand while the files that
    have them are as they were (edited, still invalid: then theirs are told as parsed now;
    fixed: then it is an entry edited, out of the hold), a file broken since is held or left
    out as a full build would (_may_hold), and no entry changed has an id another one claims."""
    kept = cache.selection()
    if kept is None or not holds_at(kept, now):
        return None
    held_back = kept.held_back
    before_held = NOTHING_HELD if held_back is None else hold_state(cache)
    if held_back is not None and not _holds_back(held_back, scan, before_held, hold):
        return None
    refused = {} if held_back is None else held_back.keys
    unchanged = scan.settled and kept.digest == scan.digest  # site.yaml changed, no entry did: no bucket to digest
    buckets = kept.buckets if unchanged else scan.bucket_digests
    changed = [number for number, digest in enumerate(buckets) if digest is None or digest != kept.buckets[number]]
    if len(changed) > FEW_BUCKETS:
        return None
    cached = {path: stored for number in changed for path, stored in cache.bucket(number).items()}
    looked_at = scan.of_buckets(set(changed))
    again = _edited_invalid(held_back, set(changed), looked_at, cached) if held_back is not None else []
    if again is None:
        return None
    checked = check_entries(site, looked_at.without(refused.keys() - set(again)), cached, workers, progress)
    invalid = _paths(checked.problems)
    fixed, broken = set(again) - invalid, invalid - set(again)
    gone = cached.keys() - checked.entries.keys() - invalid
    if (again or broken) and gone:  # a file gone may be one moved: the full build tells whether it is a held story
        return None
    if (fixed and not _may_release(before_held, fixed)
            or broken and not _may_hold(site, looked_at, cache, hold, broken, held_back)):
        return None
    keys = dict(looked_at.files)
    newly_held = held_entries(checked.problems, {path: cached[path] for path in broken if path in cached}, {}, cache,
                              keys) if broken else {}
    released = [before_held.entries[path].stored for path in fixed if path in before_held.entries]
    parsed = [path for path in checked.parsed if path in checked.entries]  # not the invalid files edited
    dropped = [path for path in broken if path in cached and path not in newly_held]  # out of the feeds now
    replaced = [*(path for path in parsed if path in cached), *gone, *dropped]
    if len(replaced) + len(released) > kept.margin:
        return None
    before = [*(cached[path] for path in replaced), *released]
    after = [checked.entries[path] for path in parsed]
    ids = _ids_after(kept.ids, before, after)
    if ids is None or held_back is not None and _claims_contested(
            cache, held_back.contested, {path: cached[path] for path in replaced}, released,
            {path: checked.entries[path] for path in parsed}):
        return None
    carried, held_now = _carried(held_back, before_held, checked.problems, fixed, newly_held, looked_at)
    _keep_held(cache, before_held, newly_held)
    _save_entries(cache, checked, checked.entries, [*gone, *(path for path in broken if path in cached)], scan)
    entries = {path: stored for path, stored in kept.entries.items() if path not in set(replaced)}
    entries.update((path, checked.entries[path]) for path in parsed)
    live = kept.live - _live_count(before, now) + _live_count(after, now)
    selection = Selection(entries=entries, ids=ids, live=live, margin=kept.margin - len(replaced) - len(released),
                          buckets=buckets, digest=scan.digest if scan.settled else None,
                          categories=_names_after(kept.categories, before, after, _categories),
                          authors=_names_after(kept.authors, before, after, _authors), held_back=carried)
    looked = set(changed)
    warnings = [*(warning for warning in kept.warnings if bucket_of(warning.path) not in looked),
                *checked.warnings]
    refused_now = {} if carried is None else carried.keys
    return Update(selection=selection, valid=len(scan.files) - len(refused_now),
                  problems=[] if carried is None else list(carried.problems), parsed=checked.parsed,
                  load_all=partial(entries_in_cache, cache, frozenset(refused_now)),
                  every_entry=partial(_EntriesAfter, cache, looked, checked.entries, entries),
                  warnings=warnings, histories=kept.histories, kept=kept,
                  changed={path: checked.entries.get(path) for path in [*parsed, *gone, *dropped]},
                  replaced={path: cached[path] for path in replaced},
                  bodies=checked.bodies, under_readers=reader_warnings(site, cache, cached, before_held, None,
                                                                       checked.entries, checked.parsed, now,
                                                                       lambda entry_id: id_digest(entry_id) in ids,
                                                                       last_moment=lambda: kept.valid_from),
                  hold=held_now, clash_until=None if carried is None else carried.clash_until)


def _holds_back(held_back: HeldBack, scan: Scan, held: HoldState, hold: bool) -> bool:
    """The last build's problems can be said again, and its entries held as they were: this
    build holds (not --strict), what it holds is what that build held, and the walk met no
    problem of its own (a link out of the site) nor a folder it could not list."""
    return hold and not scan.problems and not scan.unlisted and tuple(held.entries) == held_back.held


def _edited_invalid(held_back: HeldBack, changed: set[int], looked_at: Scan,
                    cached: Mapping[str, Stored]) -> list[str] | None:
    """The files invalid at the last build that were edited since, to parse again; None when
    the last build's problems cannot be carried: a file with one is gone, or has a record in
    the cache (a build that holds removes them, a --strict one puts them back, and a held
    entry is found from one). The others are in buckets whose digests did not change. A
    newcomer edited is one of them: given an id of its own, it is an entry added (_ids_after
    tells whether it still claims one another entry has, which every entry is looked at for)."""
    keys = dict(looked_at.files)
    again = []
    for path, key in held_back.keys.items():
        if bucket_of(path) not in changed or keys.get(path) == key and path not in cached:
            continue
        if keys.get(path) is None or path in cached:
            return None
        again.append(path)
    return again


def _may_release(held: HoldState, fixed: set[str]) -> bool:
    """The files fixed since can be taken as edits: none is the invalid file of an entry held
    under another path (moved while invalid: the full build tells which story it is now)."""
    return not any(entry.file and entry.file in fixed for entry in held.entries.values())


def _may_hold(site: Site, scan: Scan, cache: stored_build.Cache, hold: bool, broken: set[str],
              held_back: HeldBack | None) -> bool:
    """The files broken since can be held or left out here as a full build would: this build
    holds (not --strict), the next can carry their problems (each file has a stat; no
    archives, no problem of the walk's: _held_back), a clean last build left nothing held
    (a refused one may have kept last good versions: _keep_held), and the settings and the
    release are those of the last build (else a story's last good Item is under the last
    build's keys: a summary_length changed as ferry broke left ferry out of the feeds)."""
    keys = dict(scan.files)
    return (hold and not site.archive and not scan.problems and not scan.unlisted
            and all(keys.get(path) is not None for path in broken)
            and (held_back is not None or hold_state(cache) == NOTHING_HELD) and cache.last_reading() is None)


def _carried(held_back: HeldBack | None, held: HoldState, problems: list[Problem], fixed: set[str],
             newly_held: Mapping[str, HeldEntry], scan: Scan) -> tuple[HeldBack | None, HoldState]:
    """The last build's problems brought up to date: those of the files fixed since go, those
    of the files edited since (still invalid, or broken now) are told as parsed now; and the
    entries held, less those fixed, with those newly held, each invalid file with its stat
    key now (held_entries). A newcomer edited is one no longer: fixed, or invalid now. A file
    too new to trust is kept with a key that never matches its own, so the next build parses
    it (one saved and built at once, as `feeds watch` does, looked at every entry). None and
    nothing held once no file has a problem."""
    last = held_back or HeldBack((), {}, (), frozenset(), None, ())  # a clean build held nothing back
    told = _paths(problems)
    found = [problem for problem in last.problems if problem.path not in told and problem.path not in fixed]
    if not found and not problems:
        return None, NOTHING_HELD
    keys = dict(scan.files)
    new_keys = {path: keys[path] or UNSETTLED for path in told}
    entries = _in_scan_order({**{path: entry for path, entry in found_again(held.entries, new_keys).items()
                                 if path not in fixed}, **newly_held})
    trusted = {path: UNSETTLED if path in scan.unsettled else key for path, key in new_keys.items()}
    keys_now = {path: key for path, key in {**last.keys, **trusted}.items() if path not in fixed}
    newcomers = tuple(path for path in last.newcomers if path not in fixed and path not in told)
    return (last._replace(problems=tuple(sorted([*found, *problems])), keys=keys_now, held=tuple(entries),
                          newcomers=newcomers),
            held._replace(entries=entries))


def _claims_contested(cache: stored_build.Cache, contested: frozenset[bytes], replaced: Mapping[str, Stored],
                      released: Iterable[Stored], after: Mapping[str, Stored]) -> bool:
    """An entry gone, added or edited (`replaced` by `after`) had, or has now, an id a
    newcomer claims: which one keeps it, and the newcomer's message, depend on every entry
    that claims it. Not one edited that claims it as it did (_claims_alike): the story that
    keeps the id, its title or body edited, looked at every entry (1.4 s at 50,000 entries
    with 452 files broken, where an edit beside them took 0.5 s)."""
    def contests(stored: Stored) -> bool:
        return id_digest(stored.facts.id) in contested

    gone_or_new = [*(stored for path, stored in replaced.items() if path not in after), *released,
                   *(stored for path, stored in after.items() if path not in replaced)]
    edited = [(path, replaced[path], stored) for path, stored in after.items() if path in replaced]
    return (any(map(contests, gone_or_new))
            or any((contests(before) or contests(now)) and not _claims_alike(cache, path, before, now)
                   for path, before, now in edited))


def _claims_alike(cache: stored_build.Cache, path: str, before: Stored, after: Stored) -> bool:
    """The entry claims its id as it did: the same id, a draft or not as it was, due and
    expiring at the same moments, its id its link or not. The one that keeps an id
    (validate._keeper) and each newcomer's message (validate._duplicate_fix) read nothing
    else of it."""
    was, now = before.facts, after.facts
    if (was.id, was.draft, was.published, was.expires) != (now.id, now.draft, now.published, now.expires):
        return False
    old, new = (stored_build.entry_of(cache.completed({path: stored})[path].entry) for stored in (before, after))
    return (old.id == old.link) == (new.id == new.link)


class _EntriesAfter(Mapping[str, Stored]):
    """The cached entries of the buckets that did not change, and the valid entries of those
    that did. A bucket is read when one of its entries is asked for that the selection does
    not hold: the archives ask for the few a rebuild adds to them, most often entries that
    just left a feed, which the selection holds (its margin); pages renamed (a retitle, an
    old entry edited) ask for many, so buckets are held as light records (Cache.completed)."""

    def __init__(self, cache: stored_build.Cache, changed: set[int], entries: Mapping[str, Stored],
                 selected: Mapping[str, Stored]) -> None:
        self.cache = cache
        self.changed = changed
        self.entries = entries
        self.selected = selected  # the selection's records, as the cache holds them
        self._buckets: dict[int, dict[str, Stored]] = {}

    def __getitem__(self, path: str) -> Stored:
        number = bucket_of(path)
        if number in self.changed:
            return self.entries[path]
        selected = self.selected.get(path)
        return selected if selected is not None else self._bucket(number)[path]

    def __iter__(self) -> Iterator[str]:
        for number in range(BUCKETS):
            if number not in self.changed:
                yield from self._bucket(number)
        yield from self.entries

    def __len__(self) -> int:
        return sum(len(self._bucket(number)) for number in range(BUCKETS) if number not in self.changed) + len(
            self.entries)

    def _bucket(self, number: int) -> dict[str, Stored]:
        found = self._buckets.get(number)
        if found is None:
            found = self._buckets[number] = self.cache.light_bucket(number)
        return found


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


def _names_after(counts: Mapping[str, int], before: Iterable[Stored], after: Iterable[Stored],
                 names: Callable[[Stored], tuple[tuple[str, str], ...]]) -> dict[str, int]:
    """How many entries have each category or author (`names`: by name as written) once
    `before` became `after`: what the warnings of the names site.yaml lists read
    (build/category_warnings)."""
    found = Counter(counts)
    found.subtract(name for stored in before for _, name in names(stored))
    found.update(name for stored in after for _, name in names(stored))
    return {name: count for name, count in found.items() if count > 0}


def _categories(stored: Stored) -> tuple[tuple[str, str], ...]:
    return stored.facts.categories


def _authors(stored: Stored) -> tuple[tuple[str, str], ...]:
    """The entry's own bylines: the site's author, every unsigned story's, is site.yaml's own."""
    return stored.facts.authors


def _live_count(entries: Iterable[Stored], now: int) -> int:
    return sum(1 for stored in entries if is_live(stored.facts, now))


def facts_by_path(entries: Iterable[tuple[str, Stored]]) -> Iterable[tuple[str, stored_build.Facts]]:
    """What select.shortlist reads of each entry."""
    return ((path, stored.facts) for path, stored in entries)


def _save_entries(cache: stored_build.Cache, checked: Checked, valid: Mapping[str, Stored], gone: Iterable[str],
                  scan: Scan) -> None:
    """The valid files parsed, as the cache keeps them (a file too new to trust, with a key
    that never matches), and the files gone or refused that it holds (`gone`). The last
    selection no longer matches the entries: it goes first, and this build saves its own if
    it succeeds. With none of those (a retitle, or the same invalid files as at the last
    build), the entries and the selection stay as they are: an invalid file parsed again
    has no record to remove, and 500 of them read 60 of 64 buckets at every build."""
    fresh = {path: as_cached(valid[path], scan.started_ns) for path in checked.unsaved if path in valid}
    touched = [*fresh, *gone]
    if not touched:
        return
    with suppress(OSError):
        cache.forget_selection()
        cache.save_entries(fresh, touched)


def _every_entry_of(cache: stored_build.Cache, entries: Mapping[str, Stored]) -> tuple[Entry, ...]:
    return tuple(stored_build.entry_of(stored.entry) for stored in cache.completed(entries).values())

