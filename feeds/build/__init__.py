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

import os
import pickle
from collections.abc import Iterable, Mapping
from contextlib import suppress
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from .. import cache as stored_build
from ..archive import ARCHIVE_DIR
from ..cache import BuildState, Stored, outputs
from ..dry_run import feed_changes, files_to_write
from ..manifest import record_written, written_files
from ..model import FeedCut, Site, microseconds
from ..problems import Problem
from ..progress import ProgressCallback, no_progress
from ..publish import PublishError, build_lock, publish_files
from ..select import next_change, select_feeds, shortlist
from ..site_file import SITE_FILE, STATE_DIR, load_site, read_site_yaml, stand_in_site
from ..workers import Workers, no_gc
from .archive_jobs import (
    NO_ARCHIVES,
    feed_histories,
    plan_archives,
    prepare_archived_items,
    remove_unlinked,
    render_pages,
    unlinked_pages,
)
from .held import save_hold_state
from .incremental import Update, facts_by_path, updated_entries
from .parse import check_entries, entries_of, find_duplicate_ids, published_ids
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
    newcomers = find_duplicate_ids(entries, published_ids(checked.entries, cached))
    problems = tuple(sorted([*site_problems, *checked.problems, *newcomers]))
    if site_problems:
        return CheckResult(site=None, entries=(), problems=problems, files_checked=found.files_checked)
    refused = {problem.path for problem in newcomers}
    warnings = (*site.warnings, *(warning for warning in checked.warnings if warning.path not in refused))
    return CheckResult(site=site, entries=entries, problems=problems, files_checked=found.files_checked,
                       warnings=warnings)


class PreviewError(ValueError):
    """A build dated after the real clock was asked to write the live publish directory,
    where readers would get embargoed entries early."""


def build_site(root: Path | str, now: datetime | None = None, out: Path | str | None = None,
               lock_timeout: float = 60.0, progress: ProgressCallback = no_progress,
               dry_run: bool = False, strict: bool = False) -> BuildResult:
    """Validate, then write every feed. An invalid entry is held (its last good version stays
    in the feeds, a new one stays out) and the rest published, unless `strict` or the site
    says `on_invalid: stop`: then nothing is written while any file is invalid. An invalid
    site.yaml always stops the build.

    `now` replaces the clock (the only place the build reads it); a `now` later than the
    clock is a preview, which needs `out` (or `dry_run`), or PreviewError is raised. Raises
    PublishError when the output cannot be written. A `dry_run` writes nothing but its own
    cache: its `written` are the files a build would write, its `feed_changes` what their
    items do.
    """
    root = Path(root)
    clock = datetime.now(timezone.utc)
    if now is not None and out is None and not dry_run and is_future(now, clock):
        raise PreviewError(f"a build dated {now.isoformat()}, later than the clock, would publish embargoed "
                           "entries early: give out= a scratch folder to preview it")
    now = now or clock
    with build_lock(root / STATE_DIR, lock_timeout), no_gc(), Workers() as workers:
        return replace(_build_or_reuse(root, now, out, workers, progress, dry_run, strict), dry_run=dry_run)


def is_future(now: datetime, clock: datetime) -> bool:
    """A preview: dated after the clock (to the second, as --now is typed)."""
    return now.replace(microsecond=0) > clock


def _build_or_reuse(root: Path, now: datetime, out: Path | str | None, workers: Workers,
                    progress: ProgressCallback, dry_run: bool, strict: bool) -> BuildResult:
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
    return _build(site, out_dir, now, found, cache.reading(site), previous, workers, progress, dry_run,
                  hold=not strict and site.on_invalid == "hold")


def _build(site: Site, out_dir: Path, now: datetime, found: Scan, cache: stored_build.Cache,
           previous: BuildState | None, workers: Workers, progress: ProgressCallback,
           dry_run: bool, hold: bool) -> BuildResult:
    """Bring the entries up to date, select from a shortlist of them, render what changed,
    publish, and remember it all for the next build; a dry run stops short of publishing.
    A build with problems (entries held) leaves no selection or fingerprint to reuse: the
    next looks at every entry again, and reports every problem again."""
    moment = microseconds(now)
    update = updated_entries(site, moment, found, cache, workers, progress, hold)
    check = CheckResult(site=site, entries=Lazy(update.count, update.load_all), problems=tuple(sorted(update.problems)),
                        files_checked=found.files_checked, warnings=(*site.warnings, *sorted(update.warnings)))
    if update.selection is None:
        return _refused(check, out_dir, update)
    chosen = update.selection.entries
    short = shortlist(facts_by_path(chosen.items()), site, moment)
    candidates = entries_of(chosen[path] for path in short.paths)
    state_dir = site.root / STATE_DIR
    specs = select_feeds(candidates, site, now, _published_feeds(state_dir, out_dir))
    keys = {entry.source: chosen[entry.source].key for entry in candidates}  # all a feed can show
    last_outputs = previous.outputs if previous is not None else {}
    every_entry = update.every_entry() if site.archive else {}
    histories = feed_histories(site, update, every_entry, found, moment, cache) if site.archive else None
    archives = plan_archives(site, specs, histories, last_outputs, out_dir) if histories is not None else NO_ARCHIVES
    held_items = {path: held.item for path, held in update.hold.entries.items()}
    rendered = render_changed(site, specs, keys, last_outputs, out_dir, cache, workers, progress, held_items,
                              archives.links, update.bodies)
    if rendered.problems:
        return _refused(replace(check, problems=tuple(rendered.problems)), out_dir, update)
    problems = prepare_archived_items(site, archives, every_entry, cache, workers)
    if problems:
        return _refused(replace(check, problems=tuple(problems)), out_dir, update)
    upcoming = next_change(candidates, now)
    live = update.selection.live
    if dry_run:
        planned = files_to_write(out_dir, rendered.files)
        return BuildResult(check=check, out_dir=out_dir,
                           written=(*(new.path for new in archives.new_pages), *planned.written),
                           unchanged=(*planned.unchanged, *archives.reused, *rendered.reused), feeds=specs,
                           items_published=live, next_change=upcoming, files_parsed=len(update.parsed),
                           feed_changes=feed_changes(out_dir, rendered.files, planned.written))
    total = len(archives.new_pages) + len(archives.reused) + len(rendered.files) + len(rendered.reused)
    progress("writing", 0, total)
    written: list[str] = []
    for pages in render_pages(site, archives, every_entry, cache, workers, progress):  # first: the feeds link to them
        written += publish_files(out_dir, pages).written
    result = publish_files(out_dir, rendered.files)
    progress("writing", total, total)
    new_pages = [new.path for new in archives.new_pages]
    published = [*new_pages, *archives.reused, *rendered.files, *rendered.reused]
    remove_unlinked(out_dir, unlinked_pages(written_files(state_dir, out_dir), published))
    cuts = _cuts(rendered.cuts, rendered.reused, previous)
    with suppress(OSError):
        record_written(state_dir, out_dir, published)
    clean = not update.problems
    warnings = tuple(sorted(update.warnings))
    with suppress(OSError):
        save_hold_state(cache, update.hold)
        if clean:
            cache.save_selection(replace(update.selection, valid_from=short.valid_from, valid_until=short.valid_until,
                                         histories=histories.plain() if histories is not None else None,
                                         warnings=warnings))
        cache.save_state(BuildState(
            fingerprint=found.digest if found.settled and clean else None, out_dir=os.path.abspath(out_dir),
            valid_from=short.valid_from, valid_until=short.valid_until, site=site,
            outputs={**outputs(out_dir, {**rendered.digests, **dict.fromkeys(new_pages, b"")}),
                     **{path: last_outputs[path] for path in archives.reused}},  # as plan_archives found them
            files_checked=found.files_checked, items_published=live,
            next_change=upcoming, feed_count=len(specs), feeds=pickle.dumps(specs, pickle.HIGHEST_PROTOCOL),
            warnings=warnings, cuts=cuts))
    return BuildResult(check=check, out_dir=out_dir, written=(*written, *result.written),
                       unchanged=(*sorted(set(new_pages).difference(written)), *archives.reused, *result.unchanged,
                                  *rendered.reused), feeds=specs, items_published=live,
                       next_change=upcoming, files_parsed=len(update.parsed),
                       feeds_rendered=rendered.feeds_rendered, cuts=cuts,
                       published=True, held=tuple(update.hold.entries))


def _cuts(rendered: Mapping[str, FeedCut], reused: Iterable[str], previous: BuildState | None) -> tuple[FeedCut, ...]:
    """The feed files published cut by max_bytes: those cut now, and those the last build cut that stay as it left them."""
    kept = {cut.path: cut for cut in previous.cuts if cut.path in set(reused)} if previous is not None else {}
    return tuple(sorted({**kept, **rendered}.values()))


def _refused(check: CheckResult, out_dir: Path, update: Update) -> BuildResult:
    """A build that writes nothing, for the problems in `check`."""
    return BuildResult(check=check, out_dir=out_dir, files_parsed=len(update.parsed))


def _published_feeds(state_dir: Path, out_dir: Path) -> list[str]:
    """The folders of feed files this tool wrote into `out_dir` that are still there (one
    file found is enough; archive documents are no feed's)."""
    by_folder: dict[str, list[str]] = {}
    for path in written_files(state_dir, out_dir):
        if "/" in path and not path.startswith(ARCHIVE_DIR):
            by_folder.setdefault(path.rpartition("/")[0] + "/", []).append(path)
    return sorted(folder for folder, paths in by_folder.items() if any((out_dir / path).is_file() for path in paths))


def _open_cache(root: Path, site_yaml: bytes | None) -> stored_build.Cache:
    return stored_build.Cache(root / STATE_DIR, stored_build.tool_key(root), site_yaml or b"")


__all__ = ["SITE_FILE", "BuildResult", "CheckResult", "PreviewError", "PublishError", "build_site", "check_site",
           "find_entry_files", "load_site"]
