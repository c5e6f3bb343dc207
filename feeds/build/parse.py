"""Parse jobs: the entry files whose stat changed, parsed and validated (shared with the
workers), kept as the cache keeps them; a job that parsed a whole bucket writes it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from contextlib import suppress
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import NamedTuple

from .. import cache as stored_build
from ..cache import StatKey, Stored
from ..model import EPOCH, Entry, Site
from ..problems import Problem
from ..progress import ProgressCallback
from ..select import has_appeared, is_live
from ..workers import Workers, chunks_of, no_gc
from .scan import EntryFile, Scan, as_cached, on_disk, renamed, stat_key

PARALLEL_THRESHOLD = 1000  # changed files worth sharing with worker processes
CHUNK = 250
BODIES_KEPT_BYTES = 16 << 20  # changed entry files small enough in all for their bodies to be kept

ParseJob = tuple[int, Sequence[EntryFile]]  # a bucket to write (or -1), the files
Parsed = tuple[str, Stored | list[Problem], str | None]  # a file as shown, its entry or its problems, and its body


class Checked(NamedTuple):
    entries: dict[str, Stored]  # every valid entry, by path as shown, in scan order; light if its bucket is in the cache
    problems: list[Problem]
    warnings: list[Problem]  # of the valid entries, as the cache keeps them
    parsed: list[str]  # the files parsed by this build; the others came from the cache
    unsaved: list[str]  # of those, the ones not written to the cache yet (see check_entries)
    bodies: dict[str, str]  # the bodies of the entries parsed, when they were few enough to keep (see _keeps_bodies)


def check_entries(site: Site, scan: Scan, cached: Mapping[str, Stored], workers: Workers,
                  progress: ProgressCallback, cache: stored_build.Cache | None = None,
                  last: stored_build.Cache | None = None) -> Checked:
    """Parse and validate the files whose stat changed; take the others from the cache.

    Given the cache, a bucket of it that is parsed whole (every bucket, in a cold build)
    is written by the process that parsed it, in the parallel part of the build, with the
    last good records of its files invalid now: from it, or from `last`, the cache as the
    last build read it under other settings or another release (Cache.last_reading)."""
    entries: dict[str, Stored | None] = {}
    changed = []
    for shown, key in scan.files:
        hit = cached.get(shown)
        if hit is not None and (key is not None and hit.key == key or shown in scan.kept):
            entries[shown] = hit
        else:
            entries[shown] = None
            changed.append((shown, key))
    problems = list(scan.problems)
    done, total = len(scan.files) - len(changed), len(scan.files)
    if not changed and total:
        progress("parsing", total, total)
    jobs, whole = _parse_jobs(scan, changed, cache)
    saving = cache if whole else None
    if saving is not None:
        with suppress(OSError):
            saving.forget_selection()  # before any bucket changes
    job = partial(_parse_chunk, site, scan.root, saving, last if saving else None, scan.started_ns,
                  _keeps_bodies(changed))
    bodies: dict[str, str] = {}
    for results in workers.run(job, jobs, len(changed) >= PARALLEL_THRESHOLD):
        for shown, result, body in results:
            if isinstance(result, Stored):
                entries[shown] = stored_build.sharing(result)
                if body is not None:
                    bodies[shown] = body
            else:
                del entries[shown]
                problems.extend(result)
        done += len(results)
        progress("parsing", done, total)
    if saving is not None:
        saving.reloaded(whole)
    unsaved = [shown for bucket, files in jobs if bucket not in whole for shown, _ in files]
    valid = {shown: stored for shown, stored in entries.items() if stored is not None}
    warnings = [warning for stored in valid.values() if stored.warnings for warning in stored_build.warnings_of(stored)]
    return Checked(valid, problems, warnings, [shown for shown, _ in changed], unsaved, bodies)


def _keeps_bodies(changed: Sequence[EntryFile]) -> bool:
    """Parsing keeps the bodies it reads when the files are few or small: the feeds show most
    entries of a small site, and a changed entry is often shown; each body kept is a file
    not read and validated again to render it. A big archive's bodies would fill memory."""
    return sum(stored_build.STAT_KEY.unpack(key)[0] for _, key in changed if key) <= BODIES_KEPT_BYTES


def _parse_jobs(scan: Scan, changed: list[EntryFile], cache: stored_build.Cache | None) -> tuple[list[ParseJob], set[int]]:
    """The changed files in chunks, and the buckets whose chunk writes them: those whose
    every file changed (every bucket, after a cold start), each one chunk however big, so
    that the process that parsed an entry writes it and hands back a light record. What
    such a bucket held before is replaced, or gone from items/."""
    if cache is None:
        return [(-1, chunk) for chunk in chunks_of(changed, CHUNK)], set()
    changed_paths = {shown for shown, _ in changed}
    jobs: list[ParseJob] = []
    whole: set[int] = set()
    for number, files in enumerate(scan.buckets):
        stale = [file for file in files if file[0] in changed_paths]  # file[0]: its path as shown
        if stale and len(stale) == len(files):
            jobs.append((number, files))
            whole.add(number)
        else:
            jobs.extend((-1, chunk) for chunk in chunks_of(stale, CHUNK))
    return jobs, whole


def _parse_chunk(site: Site, root: str, cache: stored_build.Cache | None, last: stored_build.Cache | None,
                 started_ns: int, keep_bodies: bool, job: ParseJob) -> list[Parsed]:
    """Entries are cached without their bodies (only those a feed shows are rendered);
    unless `keep_bodies`, each body is dropped here and read again if a feed shows it.
    A chunk that is a whole bucket writes it to the cache, and sends back light records
    (their entries' bytes left there: see Cache.completed)."""
    bucket, files = job
    from ..load import RawDocument, read_document
    from ..validate import validate_entry

    results: list[Parsed] = []
    with no_gc():
        for shown, key in files:
            path = on_disk(root, shown)
            # A body to drop is read without taking the indent off (see read_simple).
            doc = read_document(path, shown, blocks_as_written=not keep_bodies)
            if type(doc) is not RawDocument:
                results.append((shown, doc, None))  # type: ignore[arg-type]
                continue
            result = validate_entry(doc, site)
            if type(result) is list:  # each message exactly as it reads
                result = validate_entry_file(site, path, shown)
            if type(result) is Entry:
                body = result.body if keep_bodies else None
                results.append((shown, stored_build.store(result, key or stored_build.UNSETTLED), body))
            else:
                results.append((shown, result, None))  # type: ignore[arg-type]
        if cache is not None and bucket >= 0:
            entries = {shown: as_cached(result, started_ns) for shown, result, _ in results if type(result) is Stored}
            with suppress(OSError):
                keys = dict(files)
                entries.update(_last_good_versions(cache, last, bucket, {shown: keys[shown] for shown, result, _ in results
                                                                         if type(result) is not Stored}))
                cache.save_bucket(bucket, entries)
                return [(shown, stored_build.light(result) if type(result) is Stored else result, body)
                        for shown, result, body in results]
    return results


def _last_good_versions(cache: stored_build.Cache, last: stored_build.Cache | None, bucket: int,
                        invalid: Mapping[str, stored_build.StatKey | None]) -> dict[str, Stored]:
    """The records the bucket held of the files invalid now (`invalid`: with their stat keys),
    or the last build's (`last`): kept in it until the build has kept them as held
    (incremental._keep_held). A build stopped in between, written without them, left the
    next build no last good version of any. No build may take one for its file: one whose
    file is unchanged (invalid by new settings or a new release alone) is kept unsettled."""
    if not invalid:
        return {}
    before = {**(last.bucket(bucket) if last is not None else {}), **cache.bucket(bucket)}
    return {shown: before[shown] if before[shown].key != key else before[shown]._replace(key=stored_build.UNSETTLED)
            for shown, key in invalid.items() if shown in before}


def validate_entry_file(site: Site, path: Path | str, shown: str) -> Entry | list[Problem]:
    """One entry file read whole (its body too) and validated."""
    from ..load import read_document
    from ..validate import validate_entry

    doc = read_document(path, shown)
    if isinstance(doc, list):
        return doc
    return validate_entry(doc, site)


def body_read_again(site: Site, shown: str, key: StatKey) -> str | None | list[Problem]:
    """The body of an entry this build validated and dropped the body of, read again to
    render it. A file whose stat is still the key it was validated under has its body read
    and nothing else checked (the cache trusts that key to skip a file altogether); one
    changed since, or too new to trust, is validated whole again: its problems if it is
    invalid now. At 10,000 entries the feeds show 1,067, and checking each whole again
    cost 0.2 ms of the 0.28 ms it took to read its body."""
    from ..load import read_if_unchanged
    from ..validate import body_of

    path = site.root / shown
    if len(key) == stored_build.STAT_KEY.size:
        doc = read_if_unchanged(path, shown, lambda info: stat_key(info) == key)
        if doc is not None:
            return body_of(doc)
    again = validate_entry_file(site, path, shown)
    return again if isinstance(again, list) else again.body


def entries_of(stored: Iterable[Stored]) -> tuple[Entry, ...]:
    return tuple(stored_build.entry_of(entry.entry) for entry in stored)


def find_duplicate_ids(entries: Sequence[Entry], published: Mapping[str, str], now: datetime) -> list[Problem]:
    """validate.find_duplicate_ids, an entry live at `now` preferred to keep an id no record gives."""
    from ..validate import find_duplicate_ids as find

    return find(entries, published, lambda entry: is_live(entry, now), lambda entry: not has_appeared(entry, now))


def duplicates(entries: Mapping[str, Stored], published: Mapping[str, str], cache: stored_build.Cache,
               moment: int) -> list[Problem]:
    """Only entries whose id some other entry has can be duplicates: load just those. The
    one `published` names (id -> path) keeps its id; the newcomers are the problems."""
    counts = Counter(stored.facts.id for stored in entries.values())
    if len(counts) == len(entries):
        return []
    alike = cache.completed({path: stored for path, stored in entries.items() if counts[stored.facts.id] > 1})
    return find_duplicate_ids(entries_of(alike.values()), published, EPOCH + timedelta(microseconds=moment))


def published_ids(entries: Mapping[str, Stored], before: Mapping[str, Stored]) -> dict[str, str]:
    """id -> path of each entry that had its id at the last build (`before`: its cached
    records), at that path or moved since: a story moved to another folder is still the
    one readers know by its id, whichever other file claims it."""
    gone = {path: stored.key for path, stored in before.items() if path not in entries}
    moved = renamed(gone, {path: stored.key for path, stored in entries.items() if path not in before}) if gone else {}
    published: dict[str, str] = {}
    for path, stored in entries.items():
        was = before.get(moved.get(path, path))
        if was is not None and was.facts.id == stored.facts.id and not stored.facts.draft:
            published[stored.facts.id] = path
    return published
