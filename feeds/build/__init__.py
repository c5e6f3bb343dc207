"""The pipeline end to end, as a library: load -> validate -> select -> render -> publish.

`check_site` and `build_site` are the API the command line (and a newsroom's own
tooling) calls. Bad input comes back as Problem records; only real I/O failures raise.

A build does only the work its changes need, with the cache in .feeds/ (cache.py): it
parses only entry files whose stat changed (parse), loads only the entries a feed could
show (incremental, select.shortlist), prepares and renders only feeds whose items changed
(render_jobs), with `archive: true` renders only archive pages not yet published
(archive_jobs), and when nothing changed at all it stops after one stat of every file
(scan, unchanged), before importing the pipeline. Big jobs are shared with worker
processes, this process taking its share.
"""

from __future__ import annotations

import errno
import shutil
from collections import Counter
from collections.abc import Mapping
from contextlib import ExitStack
from dataclasses import replace
from datetime import datetime, timezone
from functools import partial
from pathlib import Path

from .. import cache as stored_build
from ..cache import Stored
from ..dates import on_the_clock_of
from ..model import Site, microseconds
from ..problems import Problem
from ..progress import ProgressCallback, no_progress
from ..publish import OutDirError, PublishError, build_lock, out_dir_clash, publish_dir_clash
from ..site_file import ITEMS_DIR, SITE_FILE, STATE_DIR, load_site, read_site_yaml, stand_in_site
from ..workers import Workers, no_gc
from .category_warnings import author_warnings, category_warnings, first_with, spelling_warnings
from .clock_record import never_back
from .clock_warnings import clock_warnings
from .held import hold_state
from .parse import check_entries, entries_of, find_duplicate_ids, published_ids
from .reader_warnings import claimed_by, last_build_moment, reader_warnings
from .results import BuildResult, CheckResult, StaleResult, pinned
from .scan import Scan, find_entry_files, held_over, scan, unaccounted_for
from .unchanged import unchanged_build


def check_site(root: Path | str, progress: ProgressCallback = no_progress) -> CheckResult:
    """Validate site.yaml and every entry, collecting every problem in every file.

    Entries whose files are unchanged since a build are read from the cache, not parsed;
    files with problems are never cached, but the last build that held entries back kept
    their problems (cache.HeldBack): those of files unchanged since are said as it found them.
    """
    root = Path(root)
    with no_gc(), Workers() as workers:
        site_yaml = read_site_yaml(root)
        site = load_site(root, site_yaml)
        if isinstance(site, Site):
            cache = _open_cache(root, site_yaml).reading(site)
            return _check(root, site, cache.entries(), [], workers, progress, cache)
        stand_in = stand_in_site(root, site_yaml)
        if stand_in is None:
            return CheckResult(site=None, entries=(), problems=tuple(site), files_checked=0)
        return _check(root, stand_in, {}, site, workers, progress)


def _check(root: Path, site: Site, cached: Mapping[str, Stored], site_problems: list[Problem], workers: Workers,
           progress: ProgressCallback, cache: stored_build.Cache | None = None) -> CheckResult:
    """Every entry checked against `site`; when site.yaml has problems, against its valid
    values and stand-ins for the rest (and then the result holds no site, and no entries).
    With the `cache` the entries were read from, published stories whose ids would change are warned of."""
    found = held_over(scan(root, workers), lambda: cached)
    last = cache.last_reading() if cache is not None else None
    read_before = last.entries(light=True) if last is not None and not cached else None
    standing = _standing(cache, found, cached) if cache is not None and last is None else []
    checked = check_entries(site, found.without({problem.path for problem in standing}), cached, workers, progress)
    entries = entries_of(checked.entries.values())
    clock = datetime.now(timezone.utc)
    newcomers = find_duplicate_ids(entries, published_ids(checked.entries, cached), clock)
    problems = tuple(sorted([*site_problems, *checked.problems, *standing, *newcomers]))
    if site_problems:
        return CheckResult(site=None, entries=(), problems=problems, files_checked=found.files_checked)
    refused = {problem.path for problem in newcomers}
    ahead = clock_warnings((entry for entry in entries if entry.source not in refused), clock, root)
    counts = Counter(name for entry in entries for name in entry.categories)
    bylines = {author.name for entry in entries for author in entry.authors}
    unused = [*category_warnings(site, counts), *author_warnings(site, bylines),
              *spelling_warnings(site, counts, partial(first_with, entries))]
    valid = {path: stored for path, stored in checked.entries.items() if path not in refused}
    under_readers = reader_warnings(site, cache, cached, hold_state(cache), read_before, valid, checked.parsed,
                                    microseconds(clock), claimed_by(valid),
                                    upgraded=last is not None and last.tool != cache.tool,
                                    last_moment=last_build_moment(last or cache)) if cache is not None else []
    warnings = (*site.warnings, *unused,
                *sorted([*(warning for warning in checked.warnings if warning.path not in refused), *ahead,
                         *under_readers]))
    return CheckResult(site=site, entries=entries, problems=problems, files_checked=found.files_checked,
                       warnings=warnings)


def _standing(cache: stored_build.Cache, found: Scan, cached: Mapping[str, Stored]) -> list[Problem]:
    """The problems the last build that held entries back found in the invalid files unchanged
    since: they depend on the file and the settings alone (452 invalid files of 50,000, five
    of them 2 MB, parsed again made a check 1.13 x a clean copy's CPU time). Not a newcomer's,
    which depends on every entry that claims its id. The selection they are kept with is
    read only when a file has no record in the cache, as an invalid file never has."""
    if all(path in cached for path, _ in found.files):
        return []
    kept = cache.selection()
    held_back = kept.held_back if kept is not None else None
    if held_back is None:
        return []
    keys = dict(found.files)
    unchanged = {path for path, key in held_back.keys.items()
                 if keys.get(path) == key and path not in found.unsettled and path not in cached}
    unchanged.difference_update(held_back.newcomers)
    return [problem for problem in held_back.problems if problem.path in unchanged]


class PreviewError(ValueError):
    """A build dated after the real clock was asked to write the live publish directory,
    where readers would get embargoed entries early. `live` is that directory when `out`
    named it (or a folder inside it, or one holding it); None when no `out` was given."""

    def __init__(self, message: str, live: Path | None = None) -> None:
        super().__init__(message)
        self.live = live


def build_site(root: Path | str, now: datetime | None = None, out: Path | str | None = None,
               lock_timeout: float = 60.0, progress: ProgressCallback = no_progress,
               dry_run: bool = False, strict: bool = False) -> BuildResult:
    """Validate, then write every feed. An invalid entry is held (its last good version stays
    in the feeds, a new one stays out) and the rest published, unless `strict` or the site
    says `on_invalid: stop`: then nothing is written while any file is invalid. An invalid
    site.yaml always stops the build.

    `now` replaces the clock (the only place the build reads it; without a time zone, it is
    on the site's clock, as --now is); a `now` later than the clock is a preview, which
    needs `out` (or `dry_run`), or PreviewError is raised. An `out` that is a file, the
    site's folder, holds it, lies in items/ or .feeds/, or lies in or holds the live
    publish directory (serving its files to readers) raises OutDirError. Raises
    PublishError when the output cannot be written. A `dry_run` writes nothing but its own
    cache: its `written` are the files a build would write, its `feed_changes` what their
    items do.
    """
    root = Path(root)
    now = _on_the_sites_clock(root, now)
    clock = datetime.now(timezone.utc)
    preview = now is not None and is_future(now, clock)
    if now is not None and preview and not dry_run:
        _refuse_a_live_preview(root, now, out)
    if out is not None and (clash := out_dir_clash(root, out, live_publish_dir(root))) is not None:
        raise OutDirError(out, clash)
    clocked = now is None
    now = now or clock
    if not (root / SITE_FILE).is_file() or _nothing_to_cache(root, dry_run):  # nothing to lock, no .feeds/ left behind
        return BuildResult(check=check_site(root, progress), out_dir=root / (out or "publish"), dry_run=dry_run,
                           preview=preview)
    with ExitStack() as held:
        try:
            held.enter_context(build_lock(root / STATE_DIR, lock_timeout))
        except PublishError as error:  # a dry run writes only its cache: it reads a read-only .feeds as it is
            if not (dry_run and _read_only(error)):
                raise
        held.enter_context(no_gc())
        workers = held.enter_context(Workers())
        behind = None
        if clocked:
            now, behind = never_back(root / STATE_DIR, clock)
        try:
            built = _build_or_reuse(root, now, out, workers, progress, dry_run, strict)
        except stored_build.CacheChanged:  # something besides a build wrote .feeds/cache/: build without it
            shutil.rmtree(root / STATE_DIR / "cache", ignore_errors=True)
            built = _build_or_reuse(root, now, out, workers, progress, dry_run, strict)
        entries = pinned(built.check.entries, partial(stored_build.entries_version, root / STATE_DIR))
        warnings = built.check.warnings if behind is None else (behind, *built.check.warnings)
        return replace(built, check=replace(built.check, entries=entries, warnings=warnings), dry_run=dry_run,
                       preview=preview)


def _nothing_to_cache(root: Path, dry_run: bool) -> bool:
    """A dry run of a site never built, with no items/: it has no cache to refresh, yet it
    made .feeds/ (a lock, a clock) and then said 'nothing was written'."""
    return dry_run and not (root / STATE_DIR).exists() and not (root / ITEMS_DIR).is_dir()


def _on_the_sites_clock(root: Path, now: datetime | None) -> datetime | None:
    """`now`; without a time zone, on the site's clock (UTC when site.yaml cannot say), as --now is read."""
    if now is None or now.utcoffset() is not None:
        return now
    site = stand_in_site(root)
    return on_the_clock_of(now, timezone.utc if site is None else site.timezone)


def live_publish_dir(root: Path) -> Path | None:
    """The site's publish_dir, as site.yaml names it (None without a site.yaml to read)."""
    site = stand_in_site(root)
    return None if site is None else site.publish_dir


def _read_only(error: PublishError) -> bool:
    """The lock could not be made because .feeds/ may not be written (permissions, a read-only disk)."""
    cause = error.__cause__
    return isinstance(cause, OSError) and cause.errno in (errno.EACCES, errno.EPERM, errno.EROFS)


def _refuse_a_live_preview(root: Path, now: datetime, out: Path | str | None) -> None:
    """Raise PreviewError unless `out` keeps clear of the live publish directory: the same
    folder by another name (a relative path, a symlink) or one nested in the other would put
    embargoed entries where readers fetch them."""
    dated = f"a build dated {now.isoformat()}, later than the clock,"
    if out is None:
        raise PreviewError(f"{dated} would publish embargoed entries early: give out= a scratch folder to preview it")
    site = stand_in_site(root)
    if site is None:  # no site.yaml to read: the build writes nothing
        return
    live = (root / site.publish_dir).resolve()
    scratch = (root / out).resolve()
    if scratch == live or live in scratch.parents or scratch in live.parents:
        raise PreviewError(f"{dated} would publish embargoed entries early: out= {scratch} is not apart from "
                           f"the live publish directory {live}; give out= a scratch folder outside it", live)


def is_future(now: datetime, clock: datetime) -> bool:
    """A preview: dated after the clock (to the second, as --now is typed)."""
    return now.replace(microsecond=0) > clock


def _build_or_reuse(root: Path, now: datetime, out: Path | str | None, workers: Workers,
                    progress: ProgressCallback, dry_run: bool, strict: bool) -> BuildResult:
    """The build, or the last one's result if nothing changed. Everything it loads is gone
    by the time it returns, before the collector is back on and would look at it all."""
    site_yaml = read_site_yaml(root)
    cache = _open_cache(root, site_yaml)
    found = scan(root, workers)
    previous = cache.state()
    if previous is not None and out is None and publish_dir_clash(root, previous.site.publish_dir) is not None:
        previous = None  # the publish folder became a link into the site since: site.yaml's check says so
    unchanged = unchanged_build(root, out, now, found, cache, previous, strict)
    if unchanged is not None:
        return unchanged
    site = _site(root, site_yaml, previous)
    if not isinstance(site, Site):
        return BuildResult(check=check_site(root, progress), out_dir=root / (out or "publish"))
    out_dir = root / (out if out is not None else site.publish_dir)
    from .rebuild import rebuild  # the pipeline: imported only when something changed

    reading = cache.reading(site)
    found = held_over(found, lambda: reading.entries(light=True))
    unaccounted = unaccounted_for(found, lambda: reading.entries(light=True), partial(_published, root, site, out_dir))
    if unaccounted:  # as if --strict: nothing is written; a problem the walk told already is told once
        found = replace(found, problems=(*found.problems, *(p for p in unaccounted if p not in found.problems)))
    return rebuild(site, out_dir, now, found, reading, previous, workers, progress, dry_run,
                   hold=not strict and site.on_invalid == "hold" and not unaccounted)


def _published(root: Path, site: Site, out_dir: Path) -> bool:
    """Whether the site may have feeds out to keep: its publish directory is there, or a
    bucket it mirrors to, or the manifest (which outlives the cache) records a build into it."""
    from ..manifest import written_files  # here: only a build missing items/ asks; json with it cost every build 2 ms

    return out_dir.exists() or site.publish_to is not None or written_files(root / STATE_DIR, out_dir).recorded


def _site(root: Path, site_yaml: bytes | None, previous: stored_build.BuildState | None) -> Site | list[Problem]:
    """site.yaml validated: as the last good build validated these very bytes (its state is
    keyed on them, and on the tool), else now. An edit then reads no YAML but its entry's."""
    if previous is not None:
        return replace(previous.site, root=root)
    return load_site(root, site_yaml)


def _open_cache(root: Path, site_yaml: bytes | None) -> stored_build.Cache:
    return stored_build.Cache(root / STATE_DIR, stored_build.tool_key(), site_yaml or b"")


__all__ = ["SITE_FILE", "BuildResult", "CheckResult", "OutDirError", "PreviewError", "PublishError", "StaleResult",
           "build_site", "check_site",
           "find_entry_files", "load_site"]
