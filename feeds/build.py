"""The pipeline end to end, as a library: load -> validate -> select -> render -> publish.

`check_site` and `build_site` are the API the command line (and a newsroom's own
tooling) calls. Bad input comes back as Problem records; only real I/O failures raise.

A build does only the work its changes need, with the cache in .feeds/ (cache.py): it
parses only entry files whose stat changed, loads only the entries a feed could show,
prepares and renders only feeds whose items changed, and when nothing changed at all it
stops after one stat of every file, before importing the pipeline. Big jobs are shared
with worker processes, this process taking its share.
"""

from __future__ import annotations

import gc
import heapq
import os
import pickle
import stat
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from functools import cached_property, partial
from operator import itemgetter
from itertools import chain, groupby
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from . import cache as stored_build
from .cache import BUCKETS, BuildState, Output, Selection, StatKey, Stored
from .model import Entry, FeedDocument, FeedSpec, Item, Site
from .problems import Problem
from .publish import PublishError, build_lock, publish_files
from .render import FORMATS
from .workers import Workers

SITE_FILE = "site.yaml"
ITEMS_DIR = "items"
STATE_DIR = ".feeds"
PARALLEL_THRESHOLD = 1000  # changed files worth sharing with worker processes
PARALLEL_ITEMS = 48  # items to prepare, or feed files to render, worth sharing
CHUNK = 250
WHOLE_BUCKET = 10 * CHUNK  # files in a bucket parsed as one chunk, which then writes it
ITEM_CHUNK = 16

# Told of progress as (stage, done, total); stage is "parsing", "rendering" or "writing".
ProgressCallback = Callable[[str, int, int], None]
T = TypeVar("T")


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


@dataclass(frozen=True)
class CheckResult:
    """What validation found: the site and entries if valid, and every problem.

    After a build, `entries` is read from the cache on first use: most builds never look.
    """

    site: Site | None
    entries: Sequence[Entry]
    problems: tuple[Problem, ...]
    files_checked: int

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def files_with_problems(self) -> int:
        return len({problem.path for problem in self.problems})


@dataclass(frozen=True)
class BuildResult:
    check: CheckResult
    out_dir: Path
    written: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    feeds: Sequence[FeedSpec] = ()
    items_published: int = 0
    next_change: datetime | None = None
    files_parsed: int = 0  # entry files parsed by this build (the rest came from the cache)
    feeds_rendered: int = 0  # feed files rendered by this build (the rest were unchanged)


class _Lazy(Sequence[T]):
    """A tuple made on first use, for results that are costly to make and seldom read."""

    def __init__(self, count: int, make: Callable[[], tuple[T, ...]]) -> None:
        self._count = count
        self._make: Callable[[], tuple[T, ...]] | None = make
        self._values: tuple[T, ...] = ()

    def _all(self) -> tuple[T, ...]:
        if self._make is not None:
            self._values, self._make = self._make(), None
        return self._values

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: Any) -> Any:
        return self._all()[index]

    def __iter__(self) -> Iterator[T]:
        return iter(self._all())

    def __repr__(self) -> str:
        return f"<{self._count} values, made on first use>"


def load_site(root: Path | str) -> Site | list[Problem]:
    """Read and validate site.yaml alone."""
    root = Path(root)
    return _site_from(root, _read_site_yaml(root))


def _read_site_yaml(root: Path) -> bytes | None:
    """Its bytes, read once: they key the cache and are what is validated. (At most 1 MiB
    and a byte, as the loader reads any file: the loader itself is not imported yet.)"""
    if not (root / SITE_FILE).is_file():
        return None
    try:
        with open(root / SITE_FILE, "rb") as stream:
            return stream.read((1 << 20) + 1)
    except OSError:
        return None


def _site_from(root: Path, site_yaml: bytes | None) -> Site | list[Problem]:
    from .load import parse_document, read_document
    from .validate import validate_site

    if not (root / SITE_FILE).is_file():
        return [Problem(SITE_FILE, 1, 1, "", "no-site", f"expected a site, found no {SITE_FILE} in {root}",
                        "run feeds init DIR to make one, or name the site's folder")]
    doc = read_document(root / SITE_FILE, SITE_FILE) if site_yaml is None else parse_document(site_yaml, SITE_FILE)
    if isinstance(doc, Problem):
        return [doc]
    return validate_site(doc, root)


def check_site(root: Path | str, progress: ProgressCallback = _no_progress) -> CheckResult:
    """Validate site.yaml and every entry, collecting every problem in every file.

    Entries whose files are unchanged since a build are read from the cache, not parsed;
    files with problems are never cached, so their problems are found every time.
    """
    root = Path(root)
    with _no_gc(), Workers() as workers:
        site_yaml = _read_site_yaml(root)
        site = _site_from(root, site_yaml)
        if not isinstance(site, Site):
            return _check_with_stand_in(root, site, workers, progress)
        scan = _scan(root)
        cached = _open_cache(root, site_yaml).entries()
        checked = _check_entries(site, scan, cached, workers, progress)
        entries = _entries_of(checked.entries.values())
    problems = [*checked.problems, *_find_duplicate_ids(entries)]
    return CheckResult(site, entries, tuple(sorted(problems)), scan.files_checked)


def _check_with_stand_in(root: Path, site_problems: list[Problem], workers: Workers,
                         progress: ProgressCallback) -> CheckResult:
    """When site.yaml has problems: entries are still checked, against its valid values and stand-ins."""
    stand_in = _stand_in_site(root)
    if stand_in is None:
        return CheckResult(None, (), tuple(site_problems), 0)
    scan = _scan(root)
    checked = _check_entries(stand_in, scan, {}, workers, progress)
    entries = _entries_of(checked.entries.values())
    problems = [*site_problems, *checked.problems, *_find_duplicate_ids(entries)]
    return CheckResult(None, (), tuple(sorted(problems)), scan.files_checked)


def _stand_in_site(root: Path) -> Site | None:
    from .load import RawDocument, read_document
    from .validate import read_site

    doc = read_document(root / SITE_FILE, SITE_FILE) if (root / SITE_FILE).is_file() else None
    return read_site(doc, root)[0] if isinstance(doc, RawDocument) else None


def build_site(root: Path | str, now: datetime | None = None, out: Path | str | None = None,
               lock_timeout: float = 60.0, progress: ProgressCallback = _no_progress) -> BuildResult:
    """Validate, then write every feed. Nothing is written unless every file is valid.

    `now` replaces the clock (the only place the build reads it). Raises PublishError
    when the output cannot be written.
    """
    root = Path(root)
    now = now or datetime.now(timezone.utc)
    with build_lock(root / STATE_DIR, lock_timeout), _no_gc(), Workers() as workers:
        return _build_or_reuse(root, now, out, workers, progress)


def _build_or_reuse(root: Path, now: datetime, out: Path | str | None, workers: Workers,
                    progress: ProgressCallback) -> BuildResult:
    """The build, or the last one's result if nothing changed. Everything it loads is gone
    by the time it returns, before the collector is back on and would look at it all."""
    site_yaml = _read_site_yaml(root)
    cache = _open_cache(root, site_yaml)
    scan = _scan(root)
    previous = cache.state()
    unchanged = _unchanged_build(root, out, now, scan, cache, previous)
    if unchanged is not None:
        return unchanged
    site = _site_from(root, site_yaml)
    if not isinstance(site, Site):
        return BuildResult(check_site(root, progress), root / (out or "publish"))
    out_dir = root / (out if out is not None else site.publish_dir)
    return _build(site, out_dir, now, scan, cache, previous, workers, progress)


def _build(site: Site, out_dir: Path, now: datetime, scan: _Scan, cache: stored_build.Cache,
           previous: BuildState | None, workers: Workers, progress: ProgressCallback) -> BuildResult:
    """Bring the entries up to date, select from a shortlist of them, render what changed,
    publish, and remember it all for the next build."""
    from .select import next_change, select_feeds

    moment = stored_build.microseconds(now)
    update = (_update_selection(site, moment, scan, cache, workers, progress)
              or _select_from_all(site, moment, scan, cache, workers, progress))
    check = CheckResult(site, _Lazy(update.count, update.load_all), tuple(sorted(update.problems)), scan.files_checked)
    if update.selection is None:
        return BuildResult(check, out_dir, files_parsed=len(update.parsed))
    chosen = update.selection.entries
    shortlist = _shortlist(chosen, site, moment)
    candidates = _entries_of(chosen[path] for path in shortlist.paths)
    specs = select_feeds(candidates, site, now, published_category_slugs(out_dir))
    keys = {entry.source: chosen[entry.source][0] for entry in candidates}  # all a feed can show
    outputs = previous.outputs if previous is not None else {}
    rendered = _render_changed(site, specs, keys, outputs, out_dir, cache, workers, progress)
    if isinstance(rendered, list):
        return BuildResult(replace(check, problems=tuple(rendered)), out_dir, files_parsed=len(update.parsed))
    files, reused, digests = rendered
    total = len(files) + len(reused)
    progress("writing", 0, total)
    result = publish_files(out_dir, files)
    progress("writing", total, total)
    upcoming = next_change(candidates, now)
    live = update.selection.live
    with suppress(OSError):
        cache.save_selection(replace(update.selection, valid_from=shortlist.valid_from,
                                     valid_until=shortlist.valid_until))
        cache.save_state(BuildState(
            scan.digest if scan.settled else None, os.path.abspath(out_dir), shortlist.valid_from,
            shortlist.valid_until, site, _outputs(out_dir, digests), scan.files_checked, live, upcoming,
            len(specs), pickle.dumps(specs, pickle.HIGHEST_PROTOCOL)))
    return BuildResult(check, out_dir, result.written, (*result.unchanged, *reused), specs, live,
                       upcoming, len(update.parsed), len(files) - 1)  # all but index.html were rendered


def published_category_slugs(out_dir: Path) -> list[str]:
    """Category folders in the publish directory holding a feed this tool wrote."""
    from .slugs import slugify

    slugs = []
    with suppress(OSError):
        for folder in sorted((out_dir / "categories").iterdir()):
            if folder.name == slugify(folder.name) and any(_written_by_feeds(folder / fmt.filename)
                                                           for fmt in FORMATS.values()):
                slugs.append(folder.name)
    return slugs


def _written_by_feeds(path: Path) -> bool:
    """Our feeds name their generator (RSS, Atom) or carry JSON Feed's version line first."""
    try:
        with open(path, "rb") as stream:
            head = stream.read(4096)
    except OSError:
        return False
    return (b"<generator>feeds " in head or b">feeds</generator>" in head
            or head.startswith(b'{\n  "version": "https://jsonfeed.org/version/1.1"'))


# --- The entries after this build's changes, as selection needs them ------------------------

MARGIN = 64  # entries that may change or go before a build selects from every entry again
FEW_BUCKETS = BUCKETS // 2  # changed buckets a build reads before reading them all is as quick


@dataclass(frozen=True)
class _Update:
    selection: Selection | None  # None when an entry has problems
    count: int  # valid entries
    problems: list[Problem]
    parsed: list[str]  # the files parsed by this build; the others came from the cache
    load_all: Callable[[], tuple[Entry, ...]]  # every valid entry, read on first use


def _select_from_all(site: Site, now: int, scan: _Scan, cache: stored_build.Cache, workers: Workers,
                     progress: ProgressCallback) -> _Update:
    """Check every file (parsing those whose stat changed), then shortlist from every entry."""
    cached = cache.entries()
    checked = _check_entries(site, scan, cached, workers, progress, cache)
    _save_entries(cache, checked, cached.keys() - checked.entries.keys(), scan)
    problems = [*checked.problems, *_duplicates(checked.entries)]
    load_all = partial(_every_entry_of, [entry for _, _, entry in checked.entries.values()])
    if problems:
        return _Update(None, len(checked.entries), problems, checked.parsed, load_all)
    spare = _shortlist(checked.entries, site, now, MARGIN)
    ids = frozenset(facts[0] for _, facts, _ in checked.entries.values() if not facts[1])
    selection = Selection({path: checked.entries[path] for path in spare.paths}, ids, spare.live, MARGIN,
                          scan.bucket_digests)
    return _Update(selection, len(checked.entries), [], checked.parsed, load_all)


def _update_selection(site: Site, now: int, scan: _Scan, cache: stored_build.Cache, workers: Workers,
                      progress: ProgressCallback) -> _Update | None:
    """When few files changed since the last good build and no scheduled moment has passed:
    parse those, and bring its selection up to date; None when that cannot be done (then
    every entry is looked at, and any problem reported in full)."""
    kept = cache.selection()
    if kept is None or not _holds_at(kept, now):
        return None
    changed = [number for number, digest in enumerate(scan.bucket_digests)
               if digest is None or digest != kept.buckets[number]]
    if len(changed) > FEW_BUCKETS:
        return None
    cached = {path: stored for number in changed for path, stored in cache.bucket(number).items()}
    looked_at = replace(scan, files=tuple(file for number in changed for file in scan.buckets[number]))
    checked = _check_entries(site, looked_at, cached, workers, progress)
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
    entries = {path: stored for path, stored in kept.entries.items() if path not in set(replaced)}
    entries.update((path, checked.entries[path]) for path in checked.parsed)
    live = kept.live - _live_count(before, now) + _live_count(after, now)
    selection = Selection(entries, ids, live, kept.margin - len(replaced), scan.bucket_digests)
    return _Update(selection, len(scan.files), [], checked.parsed, partial(_entries_in_cache, cache))


def _holds_at(state: BuildState | Selection, now: int) -> bool:
    """No entry has appeared or expired since that build: it selected what a build now would."""
    return ((state.valid_from is None or state.valid_from <= now)
            and (state.valid_until is None or now < state.valid_until))


def _ids_after(ids: frozenset[str], before: list[Stored], after: list[Stored]) -> frozenset[str] | None:
    """The ids once `before` became `after`; None if two entries would share one."""
    now_taken = set(ids).difference(facts[0] for _, facts, _ in before if not facts[1])
    for _, facts, _ in after:
        if not facts[1]:
            if facts[0] in now_taken:
                return None
            now_taken.add(facts[0])
    return frozenset(now_taken)


def _live_count(entries: Iterable[Stored], now: int) -> int:
    return sum(1 for _, (_, draft, published, _, expires, _), _ in entries
               if not draft and published <= now and (expires is None or now < expires))


def _save_entries(cache: stored_build.Cache, checked: _Checked, gone: Iterable[str], scan: _Scan) -> None:
    """The files parsed, as the cache keeps them (a file too new to trust, with a key that
    never matches), and the files gone. The last selection no longer matches the entries:
    it goes first, and this build saves its own if it succeeds."""
    fresh = {path: _as_cached(checked.entries[path], scan.started_ns)
             for path in checked.unsaved if path in checked.entries}
    with suppress(OSError):
        cache.forget_selection()
        cache.save_entries(fresh, [*checked.unsaved, *gone])


# --- The quick path: nothing changed -------------------------------------------------------


def _open_cache(root: Path, site_yaml: bytes | None) -> stored_build.Cache:
    return stored_build.Cache(root / STATE_DIR, stored_build.cache_key(root, site_yaml or b""))


def _unchanged_build(root: Path, out: Path | str | None, now: datetime, scan: _Scan,
                     cache: stored_build.Cache, previous: BuildState | None) -> BuildResult | None:
    """The last build's result, when no input changed, no scheduled moment has passed
    and every file it wrote is still as it left it; None otherwise."""
    if previous is None or previous.fingerprint is None or scan.problems:
        return None
    if not _holds_at(previous, stored_build.microseconds(now)):
        return None
    out_dir = root / (out if out is not None else previous.site.publish_dir)
    if os.path.abspath(out_dir) != previous.out_dir or scan.digest != previous.fingerprint:
        return None
    if not all(_is_as_written(out_dir / path, output) for path, output in previous.outputs.items()):
        return None
    entries = _Lazy(len(scan.files), partial(_entries_in_cache, cache))
    check = CheckResult(previous.site, entries, (), previous.files_checked)
    feeds = _Lazy(previous.feed_count, partial(pickle.loads, previous.feeds))
    return BuildResult(check, out_dir, (), tuple(previous.outputs), feeds, previous.items_published,
                       previous.next_change)


def _entries_in_cache(cache: stored_build.Cache) -> tuple[Entry, ...]:
    cached = cache.entries()
    return _entries_of(cached[path] for path in sorted(cached, key=lambda path: path.split("/")))


def _is_as_written(path: Path, output: Output) -> bool:
    try:
        info = os.stat(path)
    except OSError:
        return False
    return (info.st_size, info.st_mtime_ns) == (output.size, output.mtime_ns)


def _outputs(out_dir: Path, digests: Mapping[str, bytes]) -> dict[str, Output]:
    outputs = {}
    for path, digest in digests.items():
        info = os.stat(out_dir / path)
        outputs[path] = Output(digest, info.st_size, info.st_mtime_ns)
    return outputs


# --- Finding the entry files ---------------------------------------------------------------


@dataclass(frozen=True)
class _Scan:
    """Every entry file under items/, in order, with its stat key (None: not a regular file)."""

    files: tuple[tuple[str, str, StatKey | None], ...]  # (path as shown, path on disk, key)
    problems: tuple[Problem, ...]  # links that lead outside the site
    started_ns: int
    last_change_ns: int  # the latest mtime or ctime of any file

    @property
    def files_checked(self) -> int:
        return len(self.files) + len(self.problems)  # refused links count as files

    @cached_property
    def digest(self) -> bytes:
        """Of every file's path and stat key: equal digests, unchanged files."""
        return stored_build.fingerprint(self.files)

    @cached_property
    def settled(self) -> bool:
        """Every file's stat can be trusted to show its next change."""
        return stored_build.is_settled(self.last_change_ns, self.started_ns) and all(key for _, _, key in self.files)

    @cached_property
    def buckets(self) -> list[list[tuple[str, str, StatKey | None]]]:
        """The files by cache bucket (cache.bucket_of)."""
        grouped: list[list[tuple[str, str, StatKey | None]]] = [[] for _ in range(BUCKETS)]
        for file in self.files:
            grouped[stored_build.bucket_of(file[0])].append(file)
        return grouped

    @cached_property
    def bucket_digests(self) -> tuple[bytes | None, ...]:
        """Each bucket's digest of its files' paths and stat keys; None where one is too new to trust."""
        return tuple(stored_build.fingerprint(files) if self.settled or _all_settled(files, self.started_ns) else None
                     for files in self.buckets)


def _all_settled(files: Iterable[tuple[str, str, StatKey | None]], started_ns: int) -> bool:
    return all(key and stored_build.is_settled(stored_build.last_change(key), started_ns) for _, _, key in files)


def _is_settled(stored: Stored | None, started_ns: int) -> bool:
    """A file's stat key can be trusted (one that could not be read, or too new, cannot)."""
    return bool(stored and stored[0]) and stored_build.is_settled(stored_build.last_change(stored[0]), started_ns)


def find_entry_files(root: Path) -> tuple[list[Path], list[Problem]]:
    """Every *.yaml / *.yml under items/, sorted; links that lead outside the site are refused."""
    scan = _scan(Path(root))
    return [Path(path) for _, path, _ in scan.files], list(scan.problems)


def _scan(root: Path) -> _Scan:
    """One os.scandir walk with a stat of every file: all a rebuild with no change reads.

    Folders and files starting with "." are skipped (editor swap and backup files), links
    are followed while they stay inside the site, each folder is visited once. Visiting
    names in order, folders where they fall, lists files in the order of their paths' parts.
    """
    started = time.time_ns()
    real_root = os.path.realpath(root)
    files: list[tuple[str, str, StatKey | None]] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    last_change = 0
    pack = stored_build.STAT_KEY.pack

    def inside(path: str) -> bool:
        real = os.path.realpath(path)
        return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)

    def visit(folder: str, shown: str) -> None:
        nonlocal last_change
        real = os.path.realpath(folder)
        if real in seen or not inside(real):
            if real not in seen:
                problems.append(_outside(shown))
            return
        seen.add(real)
        try:
            with os.scandir(folder) as listing:
                found = sorted(listing, key=_name)
        except OSError:
            return
        prefix = shown + "/"
        for item in found:
            name = item.name
            if name.startswith("."):
                continue
            if _is_dir(item):
                visit(item.path, prefix + name)
            elif name.endswith((".yaml", ".yml")):
                if item.is_symlink() and not inside(item.path):
                    problems.append(_outside(prefix + name))
                    continue
                try:
                    info = item.stat()
                except OSError:
                    files.append((prefix + name, item.path, None))
                    continue
                if not stat.S_ISREG(info.st_mode):
                    files.append((prefix + name, item.path, None))
                    continue
                key = pack(info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
                files.append((prefix + name, item.path, key))
                last_change = max(last_change, info.st_mtime_ns, info.st_ctime_ns)

    visit(str(root / ITEMS_DIR), ITEMS_DIR)
    return _Scan(tuple(files), tuple(problems), started, last_change)


def _name(item: os.DirEntry[str]) -> str:
    return item.name


def _is_dir(item: os.DirEntry[str]) -> bool:
    try:
        return item.is_dir()
    except OSError:
        return False


def _outside(shown: str) -> Problem:
    return Problem(shown, 1, 1, "", "link-outside", "expected a file inside the site, found a link to outside it",
                   "copy the file into items/ instead of linking to it")


# --- Sharing work with other processes -----------------------------------------------------


@contextmanager
def _no_gc() -> Iterator[None]:
    """Loading makes many objects and no cycles: the collector would only rescan them, again and again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _chunks(values: Sequence[T], size: int) -> list[Sequence[T]]:
    return [values[start:start + size] for start in range(0, len(values), size)]


# --- Parsing and validating ----------------------------------------------------------------


@dataclass(frozen=True)
class _Checked:
    entries: dict[str, Stored]  # every valid entry, by path as shown, in scan order
    problems: list[Problem]
    parsed: list[str]  # the files parsed by this build; the others came from the cache
    unsaved: list[str]  # of those, the ones not written to the cache yet (see _check_entries)


def _check_entries(site: Site, scan: _Scan, cached: Mapping[str, Stored], workers: Workers,
                   progress: ProgressCallback, cache: stored_build.Cache | None = None) -> _Checked:
    """Parse and validate the files whose stat changed; take the others from the cache.

    Given the cache, a bucket of it that is parsed whole (every bucket, in a cold build)
    is written by the process that parsed it, in the parallel part of the build."""
    entries: dict[str, Stored | None] = {}
    changed = []
    for shown, path, key in scan.files:
        hit = cached.get(shown)
        if key is not None and hit is not None and hit[0] == key:
            entries[shown] = hit
        else:
            entries[shown] = None
            changed.append((shown, path, key))
    problems = list(scan.problems)
    done, total = len(scan.files) - len(changed), len(scan.files)
    if not changed and total:
        progress("parsing", total, total)
    chunks, whole = _parse_jobs(scan, changed, cache)
    saving = cache if whole else None
    if saving is not None:
        with suppress(OSError):
            saving.forget_selection()  # before any bucket changes
    job = partial(_parse_chunk, site, saving, scan.started_ns)
    for results in workers.run(job, chunks, len(changed) >= PARALLEL_THRESHOLD):
        for shown, result in results:
            if isinstance(result, tuple):
                entries[shown] = result
            else:
                del entries[shown]
                problems.extend(result)
        done += len(results)
        progress("parsing", done, total)
    if saving is not None:
        saving.reloaded(whole)
    unsaved = [shown for bucket, files in chunks if bucket not in whole for shown, _, _ in files]
    return _Checked(entries, problems, [shown for shown, _, _ in changed], unsaved)  # type: ignore[arg-type]


ParseJob = tuple[int, Sequence[tuple[str, str, StatKey | None]]]  # a bucket to write (or -1), the files


def _parse_jobs(scan: _Scan, changed: list[tuple[str, str, StatKey | None]],
                cache: stored_build.Cache | None) -> tuple[list[ParseJob], set[int]]:
    """The changed files in chunks, and the buckets whose chunk writes them: those whose
    every file changed (every bucket, after a cold start), if not too big to share. What
    such a bucket held before is replaced, or gone from items/."""
    if cache is None:
        return [(-1, chunk) for chunk in _chunks(changed, CHUNK)], set()
    changed_paths = {shown for shown, _, _ in changed}
    jobs: list[ParseJob] = []
    whole: set[int] = set()
    for number, files in enumerate(scan.buckets):
        stale = [file for file in files if file[0] in changed_paths]
        if stale and len(stale) == len(files) <= WHOLE_BUCKET:
            jobs.append((number, files))
            whole.add(number)
        else:
            jobs.extend((-1, chunk) for chunk in _chunks(stale, CHUNK))
    return jobs, whole


def _parse_chunk(site: Site, cache: stored_build.Cache | None, started_ns: int, job: ParseJob
                 ) -> list[tuple[str, Stored | list[Problem]]]:
    """Entries are kept without their bodies: only the few a feed shows are read again.
    A chunk that is a whole bucket writes it to the cache."""
    bucket, files = job
    from .load import RawDocument, read_document
    from .validate import validate_entry

    results: list[tuple[str, Stored | list[Problem]]] = []
    with _no_gc():
        for shown, path, key in files:
            # Bodies are dropped here: read without taking the indent off (see read_simple).
            doc = read_document(path, shown, blocks_as_written=True)
            result = validate_entry(doc, site) if type(doc) is RawDocument else [doc]
            if type(result) is list and type(doc) is RawDocument:  # each message exactly as it reads
                result = _validate(site, path, shown)
            if type(result) is Entry:
                results.append((shown, stored_build.store(result, key)))  # type: ignore[arg-type]
            else:
                results.append((shown, result))
        if cache is not None and bucket >= 0:
            entries = {shown: _as_cached(result, started_ns) for shown, result in results if type(result) is tuple}
            with suppress(OSError):
                cache.save_bucket(bucket, entries)  # type: ignore[arg-type]
    return results


def _as_cached(stored: Stored, started_ns: int) -> Stored:
    """A file too new to trust is kept with a key that never matches: it is parsed again."""
    return stored if _is_settled(stored, started_ns) else (stored_build.UNSETTLED, *stored[1:])  # type: ignore[return-value]


def validate_file(site: Site, path: Path) -> Entry | list[Problem]:
    return _validate(site, path, path.relative_to(site.root).as_posix())


def _validate(site: Site, path: Path | str, shown: str) -> Entry | list[Problem]:
    from .load import read_document
    from .validate import validate_entry

    doc = read_document(path, shown)
    if isinstance(doc, Problem):
        return [doc]
    return validate_entry(doc, site)


def _entries_of(stored: Iterable[Stored]) -> tuple[Entry, ...]:
    return tuple(stored_build.entry_of(entry) for _, _, entry in stored)


def _every_entry_of(entries: list[bytes]) -> tuple[Entry, ...]:
    return tuple(map(stored_build.entry_of, entries))


def _find_duplicate_ids(entries: Sequence[Entry]) -> list[Problem]:
    from .validate import find_duplicate_ids

    return find_duplicate_ids(entries)


def _duplicates(entries: Mapping[str, Stored]) -> list[Problem]:
    """Only entries whose id some other entry has can be duplicates: load just those."""
    counts = Counter(map(itemgetter(0), map(itemgetter(1), entries.values())))
    if len(counts) == len(entries):
        return []
    return _find_duplicate_ids(_entries_of(stored for stored in entries.values() if counts[stored[1][0]] > 1))


# --- Choosing, without loading every entry -------------------------------------------------


@dataclass(frozen=True)
class _Shortlist:
    paths: list[str]  # the entries selection could use, in scan order
    live: int  # entries published and not expired
    valid_from: int | None  # the selection is the same at every moment in [valid_from, valid_until)
    valid_until: int | None


Live = tuple[int, str, str, tuple[tuple[str, str], ...]]  # (-published, id, path, categories)


def _shortlist(entries: Mapping[str, Stored], site: Site, now: int, spare: int = 0) -> _Shortlist:
    """What select_feeds can use: per feed, its newest max_items live entries, the one that
    expired last and one entry per spelling of its category; and the next entry to fall due
    or expire. Selecting from these gives what selecting from all gives (tests check it).

    With `spare`, that many more of each: after up to `spare` of all the entries change or
    go, these (less those) and the changed ones are still enough (see _update_selection)."""
    live: list[Live] = []
    expired: list[tuple[int, str, tuple[tuple[str, str], ...]]] = []
    upcoming: list[tuple[int, str]] = []
    for path, (_, (entry_id, draft, published, _, expires, categories), _) in entries.items():
        if draft:
            continue
        if published > now:
            upcoming.append((published, path))
        elif expires is None:
            live.append((-published, entry_id, path, categories))
        elif expires <= now:
            expired.append((expires, path, categories))
        else:
            upcoming.append((expires, path))
            live.append((-published, entry_id, path, categories))
    if not site.category_feeds:
        live = [(published, entry_id, path, ()) for published, entry_id, path, _ in live]
    newest = _newest(live, site.max_items + spare)
    keep = {path for _, _, path, _ in newest}
    keep.update(_last_expired(expired, 1 + spare))
    keep.update(_spellings(live, expired, keep, 1 + spare))
    soonest = heapq.nsmallest(1 + spare, upcoming)
    keep.update(path for _, path in soonest)
    # Selection changes only when an entry appears or expires: it holds from the last of
    # those moments (the newest live entry's, or the last expiry) until the next.
    passed = ([-newest[0][0]] if newest else []) + ([max(expired)[0]] if expired else [])
    return _Shortlist([path for path in entries if path in keep], len(live), max(passed, default=None),
                      soonest[0][0] if soonest else None)


def _newest(live: list[Live], count: int) -> list[Live]:
    """The newest `count` live entries of the site-wide feed and of every category, in
    select.newest_first's order (newest published first, then id). Most of the archive is
    never looked at: the walk stops once every feed has all it can have."""
    members = Counter(map(itemgetter(0), chain.from_iterable(map(itemgetter(3), live))))
    wanted = Counter({slug: min(number, count) for slug, number in members.items()})
    wanted[None] = min(len(live), count)
    looked_at = count * len(wanted)
    while True:
        taken: Counter[str | None] = Counter()
        kept = []
        for candidate in heapq.nsmallest(looked_at, live):
            wanted_here = False
            for feed in (None, *map(itemgetter(0), candidate[3])):
                if taken[feed] < wanted[feed]:
                    taken[feed] += 1
                    wanted_here = True
            if wanted_here:
                kept.append(candidate)
        if taken == wanted or looked_at >= len(live):
            return kept
        looked_at *= 2


def _last_expired(expired: list[tuple[int, str, tuple[tuple[str, str], ...]]], count: int) -> set[str]:
    """Per feed, the `count` entries whose expiries came last: the last dates the feed."""
    by_feed: dict[str | None, list[tuple[int, str]]] = {}
    for expires, path, categories in expired:
        for feed in (None, *map(itemgetter(0), categories)):
            by_feed.setdefault(feed, []).append((expires, path))
    return {path for members in by_feed.values() for _, path in heapq.nlargest(count, members)}


def _spellings(live: list[Live], expired: list[tuple[int, str, tuple[tuple[str, str], ...]]], keep: set[str],
               count: int) -> set[str]:
    """For each spelling of a category, `count` entries that have it (or all there are,
    counting those kept already): a feed is named by the spelling that sorts first."""
    appeared = [*zip(map(itemgetter(2), live), map(itemgetter(3), live)),
                *zip(map(itemgetter(1), expired), map(itemgetter(2), expired))]
    wanted = Counter(chain.from_iterable(map(itemgetter(1), appeared)))
    have = Counter(chain.from_iterable(categories for path, categories in appeared if path in keep))
    short = {spelling for spelling, total in wanted.items() if have[spelling] < min(total, count)}
    found: set[str] = set()
    for path, categories in appeared:
        if not short:
            break
        if path in keep or short.isdisjoint(categories):
            continue
        found.add(path)
        for spelling in categories:
            have[spelling] += 1
            if have[spelling] >= min(wanted[spelling], count):
                short.discard(spelling)
    return found


# --- Preparing items and rendering feeds ---------------------------------------------------


@dataclass(frozen=True)
class _FeedFile:
    """One feed file: which feed, in which format, served at which URL."""

    spec: FeedSpec
    format: str
    url: str

    @property
    def path(self) -> str:
        return self.spec.path + FORMATS[self.format].filename


Rendered = tuple[dict[str, bytes], list[str], dict[str, bytes]]  # files to write, files reused, digests


def _render_changed(site: Site, specs: Sequence[FeedSpec], keys: Mapping[str, StatKey],
                    previous: Mapping[str, Output], out_dir: Path, cache: stored_build.Cache,
                    workers: Workers, progress: ProgressCallback) -> Rendered | list[Problem]:
    """Render the feed files whose items changed or that are not as the last build left them;
    the index page (cheap) every time. A feed file's digest names what it is made of."""
    feed_files = _feed_files(site, specs)
    digests = {file.path: _digest(file, keys) for file in feed_files}
    stale = [file for file in feed_files
             if not (file.path in previous and previous[file.path].digest == digests[file.path]
                     and _is_as_written(out_dir / file.path, previous[file.path]))]
    items = _items(site, [file.spec for file in stale], specs, keys, cache, workers) if stale else {}
    if isinstance(items, list):
        return items
    rendered = _render(site, stale, items, workers, progress)
    files = {file.path: rendered[file.path] for file in feed_files if file.path in rendered}
    files["index.html"] = _index_page(site, feed_files)
    reused = [file.path for file in feed_files if file.path not in rendered]
    return files, reused, {**digests, "index.html": b""}


def render_files(site: Site, specs: Sequence[FeedSpec], items: dict[str, Item],
                 progress: ProgressCallback = _no_progress) -> dict[str, bytes]:
    """Every output file's bytes, keyed by its path in the publish directory."""
    feed_files = _feed_files(site, specs)
    with Workers() as workers:
        files = _render(site, feed_files, items, workers, progress)
    files["index.html"] = _index_page(site, feed_files)
    return files


def _feed_files(site: Site, specs: Sequence[FeedSpec]) -> list[_FeedFile]:
    return [_FeedFile(spec, name, site.publish_url + quote(spec.path) + FORMATS[name].filename)
            for spec in specs for name in site.formats]


def _digest(file: _FeedFile, keys: Mapping[str, StatKey]) -> bytes:
    spec = file.spec
    return stored_build.fingerprint((file.path, file.url, spec.title, spec.description, spec.category,
                                     spec.updated.isoformat(), tuple((entry.source, keys[entry.source])
                                                                     for entry in spec.entries)))


def _items(site: Site, specs: Sequence[FeedSpec], every_spec: Sequence[FeedSpec], keys: Mapping[str, StatKey],
           cache: stored_build.Cache, workers: Workers) -> dict[str, Item] | list[Problem]:
    """The Item of every entry these feeds show: from the cache, else prepared (its body read
    again). The cache keeps the items of every feed, not only of these."""
    shown = {entry.id: entry for spec in specs for entry in spec.entries}
    cached = cache.items()
    item_key = {entry.id: (entry.source, keys[entry.source]) for entry in shown.values()}
    items = {entry_id: cached[key] for entry_id, key in item_key.items() if key in cached}
    missing = [entry for entry_id, entry in shown.items() if entry_id not in items]
    problems: list[Problem] = []
    for results in workers.run(partial(_prepare_chunk, site), _chunks(missing, ITEM_CHUNK),
                               len(missing) >= PARALLEL_ITEMS):
        for result in results:
            if isinstance(result, Item):
                items[result.id] = result
            else:
                problems.extend(result)
    if problems:
        return problems
    if missing:
        kept = {(entry.source, keys[entry.source]) for spec in every_spec for entry in spec.entries}
        with suppress(OSError):
            cache.save_items({**{key: item for key, item in cached.items() if key in kept},
                              **{item_key[item_id]: items[item_id] for item_id in item_key}})
    return items


def _prepare_chunk(site: Site, entries: Sequence[Entry]) -> list[Item | list[Problem]]:
    """Items for entries kept without their bodies: each body is read again from its file."""
    from .content import prepare_item

    results: list[Item | list[Problem]] = []
    for entry in entries:
        body = entry.body
        if body is None and entry.has_body:
            again = _validate(site, site.root / entry.source, entry.source)
            if not isinstance(again, Entry):
                results.append(again)
                continue
            body = again.body
        results.append(prepare_item(entry, body, site))
    return results


def _render(site: Site, feed_files: Sequence[_FeedFile], items: Mapping[str, Item], workers: Workers,
            progress: ProgressCallback) -> dict[str, bytes]:
    """Each feed's files as one job; reported feed by feed."""
    jobs = [[(file.path, file.format, FeedDocument(site, file.spec.title, file.spec.description, site.link, file.url,
                                                   file.spec.category, file.spec.updated,
                                                   tuple(items[entry.id] for entry in file.spec.entries)))
             for file in same_feed]
            for _, same_feed in groupby(feed_files, key=lambda file: file.spec.path)]
    files: dict[str, bytes] = {}
    for done, results in enumerate(workers.run(_render_job, jobs, len(feed_files) >= PARALLEL_ITEMS), 1):
        files.update(results)
        progress("rendering", done, len(jobs))
    return files


def _render_job(documents: Sequence[tuple[str, str, FeedDocument]]) -> list[tuple[str, bytes]]:
    return [(path, FORMATS[name].render(document)) for path, name, document in documents]


def _index_page(site: Site, feed_files: Sequence[_FeedFile]) -> bytes:
    from .render import index_page

    listed = []
    for _, same_feed in groupby(feed_files, key=lambda file: file.spec.path):
        files = list(same_feed)
        links = tuple(index_page.FeedLink(f"{file.spec.title} ({file.format.upper()})", FORMATS[file.format].media_type,
                                          file.format.upper(), file.url) for file in files)
        listed.append(index_page.ListedFeed(files[0].spec, links))
    return index_page.render(site, listed)


__all__ = ["BuildResult", "CheckResult", "PublishError", "build_site", "check_site", "load_site"]
