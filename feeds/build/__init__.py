"""The pipeline end to end, as a library: load -> validate -> select -> render -> publish.

`check_site` and `build_site` are the API the command line (and a newsroom's own
tooling) calls. Bad input comes back as Problem records; only real I/O failures raise.

A build does only the work its changes need, with the cache in .feeds/ (cache.py): it
parses only entry files whose stat changed (parse), loads only the entries a feed could
show (incremental, select.shortlist), prepares and renders only feeds whose items changed
(render_jobs), and when nothing changed at all it stops after one stat of every file
(scan, unchanged), before importing the pipeline. Big jobs are shared with worker
processes, this process taking its share.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from .. import cache as stored_build
from ..cache import BuildState, Stored, outputs
from ..manifest import record_written, written_files
from ..model import Site, microseconds
from ..problems import Problem
from ..progress import ProgressCallback, no_progress
from ..publish import PublishError, build_lock, publish_files
from ..select import next_change, select_feeds, shortlist
from ..site_file import SITE_FILE, STATE_DIR, load_site, read_site_yaml, stand_in_site
from ..workers import Workers, no_gc
from .incremental import Update, facts_by_path, updated_entries
from .parse import check_entries, entries_of, find_duplicate_ids
from .render_jobs import render_changed
from .results import BuildResult, CheckResult, Lazy
from .scan import Scan, find_entry_files, scan
from .unchanged import unchanged_build


def check_site(root: Path | str, progress: ProgressCallback = no_progress) -> CheckResult:
    """Validate site.yaml and every entry, collecting every problem in every file.

    Entries whose files are unchanged since a build are read from the cache, not parsed;
    files with problems are never cached, so their problems are found every time.
    """
    root = Path(root)
    with no_gc(), Workers() as workers:
        site_yaml = read_site_yaml(root)
        site = load_site(root, site_yaml)
        if isinstance(site, Site):
            return _check(root, site, _open_cache(root, site_yaml).reading(site).entries(), [], workers, progress)
        stand_in = stand_in_site(root, site_yaml)
        if stand_in is None:
            return CheckResult(site=None, entries=(), problems=tuple(site), files_checked=0)
        return _check(root, stand_in, {}, site, workers, progress)


def _check(root: Path, site: Site, cached: Mapping[str, Stored], site_problems: list[Problem], workers: Workers,
           progress: ProgressCallback) -> CheckResult:
    """Every entry checked against `site`; when site.yaml has problems, against its valid
    values and stand-ins for the rest (and then the result holds no site, and no entries)."""
    found = scan(root)
    checked = check_entries(site, found, cached, workers, progress)
    entries = entries_of(checked.entries.values())
    problems = tuple(sorted([*site_problems, *checked.problems, *find_duplicate_ids(entries)]))
    if site_problems:
        return CheckResult(site=None, entries=(), problems=problems, files_checked=found.files_checked)
    from ..validate import warnings_of

    return CheckResult(site=site, entries=entries, problems=problems, files_checked=found.files_checked,
                       warnings=tuple(warnings_of(site, entries)))


def build_site(root: Path | str, now: datetime | None = None, out: Path | str | None = None,
               lock_timeout: float = 60.0, progress: ProgressCallback = no_progress) -> BuildResult:
    """Validate, then write every feed. Nothing is written unless every file is valid.

    `now` replaces the clock (the only place the build reads it). Raises PublishError
    when the output cannot be written.
    """
    root = Path(root)
    now = now or datetime.now(timezone.utc)
    with build_lock(root / STATE_DIR, lock_timeout), no_gc(), Workers() as workers:
        return _build_or_reuse(root, now, out, workers, progress)


def _build_or_reuse(root: Path, now: datetime, out: Path | str | None, workers: Workers,
                    progress: ProgressCallback) -> BuildResult:
    """The build, or the last one's result if nothing changed. Everything it loads is gone
    by the time it returns, before the collector is back on and would look at it all."""
    site_yaml = read_site_yaml(root)
    cache = _open_cache(root, site_yaml)
    found = scan(root)
    previous = cache.state()
    unchanged = unchanged_build(root, out, now, found, cache, previous)
    if unchanged is not None:
        return unchanged
    site = load_site(root, site_yaml)
    if not isinstance(site, Site):
        return BuildResult(check=check_site(root, progress), out_dir=root / (out or "publish"))
    out_dir = root / (out if out is not None else site.publish_dir)
    return _build(site, out_dir, now, found, cache.reading(site), previous, workers, progress)


def _build(site: Site, out_dir: Path, now: datetime, found: Scan, cache: stored_build.Cache,
           previous: BuildState | None, workers: Workers, progress: ProgressCallback) -> BuildResult:
    """Bring the entries up to date, select from a shortlist of them, render what changed,
    publish, and remember it all for the next build."""
    moment = microseconds(now)
    update = updated_entries(site, moment, found, cache, workers, progress)
    check = CheckResult(site=site, entries=Lazy(update.count, update.load_all), problems=tuple(sorted(update.problems)),
                        files_checked=found.files_checked, warnings=(*site.warnings, *update.warnings))
    if update.selection is None:
        return _refused(check, out_dir, update)
    chosen = update.selection.entries
    short = shortlist(facts_by_path(chosen.items()), site, moment)
    candidates = entries_of(chosen[path] for path in short.paths)
    state_dir = site.root / STATE_DIR
    specs = select_feeds(candidates, site, now, _published_feeds(state_dir, out_dir))
    keys = {entry.source: chosen[entry.source].key for entry in candidates}  # all a feed can show
    rendered = render_changed(site, specs, keys, previous.outputs if previous is not None else {}, out_dir, cache,
                              workers, progress)
    if rendered.problems:
        return _refused(replace(check, problems=tuple(rendered.problems)), out_dir, update)
    total = len(rendered.files) + len(rendered.reused)
    progress("writing", 0, total)
    result = publish_files(out_dir, rendered.files)
    progress("writing", total, total)
    upcoming = next_change(candidates, now)
    live = update.selection.live
    with suppress(OSError):
        record_written(state_dir, out_dir, [*rendered.files, *rendered.reused])
    with suppress(OSError):
        cache.save_selection(replace(update.selection, valid_from=short.valid_from, valid_until=short.valid_until))
        cache.save_state(BuildState(
            fingerprint=found.digest if found.settled else None, out_dir=os.path.abspath(out_dir),
            valid_from=short.valid_from, valid_until=short.valid_until, site=site,
            outputs=outputs(out_dir, rendered.digests), files_checked=found.files_checked, items_published=live,
            next_change=upcoming, feed_count=len(specs), feeds=pickle.dumps(specs, pickle.HIGHEST_PROTOCOL),
            warnings=check.warnings))
    return BuildResult(check=check, out_dir=out_dir, written=result.written,
                       unchanged=(*result.unchanged, *rendered.reused), feeds=specs, items_published=live,
                       next_change=upcoming, files_parsed=len(update.parsed),
                       feeds_rendered=len(rendered.files) - 1)  # all but index.html were rendered


def _refused(check: CheckResult, out_dir: Path, update: Update) -> BuildResult:
    """A build that writes nothing, for the problems in `check`."""
    return BuildResult(check=check, out_dir=out_dir, files_parsed=len(update.parsed))


def _published_feeds(state_dir: Path, out_dir: Path) -> list[str]:
    """The folders of feed files this tool wrote into `out_dir` that are still there."""
    return sorted({path.rpartition("/")[0] + "/" for path in written_files(state_dir, out_dir)
                   if "/" in path and (out_dir / path).is_file()})


def _open_cache(root: Path, site_yaml: bytes | None) -> stored_build.Cache:
    return stored_build.Cache(root / STATE_DIR, stored_build.tool_key(root), site_yaml or b"")


__all__ = ["SITE_FILE", "BuildResult", "CheckResult", "PublishError", "build_site", "check_site",
           "find_entry_files", "load_site"]
