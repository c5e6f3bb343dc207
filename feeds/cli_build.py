"""The build and watch commands: run the build, then say what it did, in the same lines for both."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timezone, tzinfo
from pathlib import Path

from .build import BuildResult, CheckResult, OutDirError, PreviewError, build_site, is_future, live_publish_dir, load_site
from .exit_codes import EXIT_USAGE
from .model import STATE_DIR, Site
from .problems import Problem, shell_path, shell_word
from .progress import progress_bar
from .publish import PublishError, out_dir_clash
from .report import Report, cut_line, left_line, on_the_sites_clock, plural


def stop_as_on_ctrl_c() -> None:
    """SIGTERM (systemd's stop, `kill`) and SIGHUP (a closed terminal) end a build or a watch
    as Ctrl-C does: the files it staged are removed, none is left half in place. Left to
    their defaults, they ended it at once and left its temporaries in the publish directory."""
    import signal

    for number in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if number is not None:
            signal.signal(number, signal.default_int_handler)


def run_build(args: argparse.Namespace) -> int:
    stop_as_on_ctrl_c()
    report = Report(quiet=args.quiet, verbose=args.verbose)
    now = None
    if args.now is not None:  # --now "" is a mistake to report, not a build without --now
        site = load_site(args.site)
        zone, language = (site.timezone, site.language) if isinstance(site, Site) else (timezone.utc, "en")
        now = parse_now(args.now, zone, report, language)
        if now is None:
            return report.exit_code
        if args.to and is_future(now, datetime.now(timezone.utc)):  # wrong usage: refused before anything is built
            report.failure(_preview_to(args), EXIT_USAGE)
            return report.exit_code
    try:
        with progress_bar(sys.stderr, enabled=not args.quiet) as progress:
            result = build_site(args.site, now=now, out=out_from_here(args), lock_timeout=args.lock_timeout, progress=progress,
                                dry_run=args.dry_run, strict=args.strict)
    except PreviewError as error:
        report.failure(_refused_preview(args, error), EXIT_USAGE)
        return report.exit_code
    except OutDirError as error:
        report.failure(f"--out {OutDirError(args.out, error.clash)}", EXIT_USAGE)
        return report.exit_code
    except PublishError as error:
        report.failure(_as_typed(args, error))
        return report.exit_code
    report_build(args, result, report, unpublished="nothing was written")
    return report.exit_code


def run_watch(args: argparse.Namespace) -> int:
    from .watch import watch

    stop_as_on_ctrl_c()
    if args.out is not None and (clash := out_dir_clash(Path(args.site), args.out.absolute(),
                                                        live_publish_dir(Path(args.site)))) is not None:
        report = Report(quiet=args.quiet)
        report.failure(f"--out {OutDirError(args.out, clash)}", EXIT_USAGE)
        return report.exit_code
    Report(quiet=args.quiet).status(f"watching {Path(args.site).resolve()} for changes (Ctrl-C to stop)")
    try:
        watch(args.site, lambda outcome: report_watched_build(args, outcome), out=out_from_here(args),
              lock_timeout=args.lock_timeout, poll=args.poll_interval, events=not args.poll,
              on_notice=Report(quiet=args.quiet).status, delivery_retry=args.retry_interval)
    except KeyboardInterrupt:
        pass
    Report(quiet=args.quiet).status("stopped watching")
    return 0


def report_watched_build(args: argparse.Namespace, outcome: BuildResult | PublishError) -> bool:
    """The same lines a build prints, stamped with the time; problems and failures do not end the
    watch. True when an upload or a hub notification failed: the watch tries again on a timer."""
    site = outcome.check.site if isinstance(outcome, BuildResult) else _site_or_none(args.site)
    zone = site.timezone if site is not None else timezone.utc
    stamp = f"[{on_the_sites_clock(datetime.now(timezone.utc).replace(microsecond=0), zone, seconds=True)}] "
    report = Report(quiet=args.quiet, verbose=args.verbose, stamp=stamp)
    if isinstance(outcome, PublishError):
        report.failure(_as_typed(args, outcome))
        return False  # the watch retries a build that could not write by itself
    return report_build(args, outcome, report, unpublished="nothing was written; the last good feeds stay")


def _site_or_none(root: str) -> Site | None:
    """The site's settings, for the clock a failed build's line is stamped on, as every other line is."""
    site = load_site(root)
    return site if isinstance(site, Site) else None


def _as_typed(args: argparse.Namespace, error: PublishError) -> str:
    """A failure to publish, the files in the way named under --out as it was typed, and so
    the file that could not be written: `--out ../ro`, read-only, was told 'cannot write
    /home/desk/site/../ro/rss.xml', neither typed nor resolved. Only a path that starts
    with it is: a link's target that holds it (/srv/home/desk/web/x) is named as it is."""
    from .own_files import InTheWay  # here: only a failed build needs it, and it cost every build 4 ms of imports

    if args.out is None:
        return str(error)
    if isinstance(error, InTheWay):
        return str(InTheWay(args.out, error.paths, error.dry_run))
    return re.sub(r"(?<![^\s])" + re.escape(str(out_from_here(args))) + r"(?=[/:;\s]|\Z)", lambda _: str(args.out),
                  str(error))


def out_from_here(args: argparse.Namespace) -> Path | None:
    """--out as the library takes it: read from where the command runs, as every path typed
    on a command line is (a relative one given to the library is read from the site)."""
    return None if args.out is None else args.out.absolute()


def report_build(args: argparse.Namespace, result: BuildResult, report: Report, *, unpublished: str) -> bool:
    """The problems, then the plan (dry run), the summary and the delivery, or `unpublished`.
    True when something failed and is still owed (an upload, a notification). The publish
    directory is named as --out was typed, from where feeds runs: `--out ../web` was shown
    as /home/desk/site/../web, neither typed nor resolved."""
    if args.out is not None:
        result = replace(result, out_dir=args.out)
    report.problems(with_warnings(result.check), result.check.files_checked)
    if result.dry_run and result.feeds:
        _dry_run_summary(report, result)
        return False
    if not result.published:
        report.status(unpublished)
        return False
    _build_summary(report, result)
    if result.hubs_record_unreadable:
        report.warning(result.hubs_record_unreadable)
    return _deliver(args, result, report)


def with_warnings(check: CheckResult) -> list[Problem]:
    """The errors found, and the warnings of site.yaml and of every entry, in file order."""
    return sorted([*check.problems, *check.warnings])


def _refused_preview(args: argparse.Namespace, error: PreviewError) -> str:
    """Why a build dated after the clock was refused, in the command line's words."""
    if error.live is None:
        fix = "add --out DIR to build it into a scratch folder, or --dry-run to see what would change"
    else:
        fix = (f"--out {args.out} is the live publish directory {error.live} (or overlaps it): "
               "give --out a scratch folder outside it, or use --dry-run")
    return (f'--now "{args.now}" is later than the clock, and a preview must not reach readers: {fix}; '
            "the live publish directory is left as it is")


def parse_now(text: str, zone: tzinfo, report: Report, language: str = "en") -> datetime | None:
    """--now, any date an entry may give: in the site's zone, and its language's month names."""
    from .dates import DateError, parse_date  # here, not above: a build without --now never needs dateutil

    try:
        return parse_date(text, zone, language)
    except DateError as error:
        report.failure(f'--now: "{text}" {error}; {error.hint}', EXIT_USAGE)
        return None


def _preview_to(args: argparse.Namespace) -> str:
    return (f'--to {args.to}: a build dated after the clock (--now "{args.now}") is a preview, and goes to no target '
            "and no hub; build it without --to")


def _elsewhere(args: argparse.Namespace, result: BuildResult) -> bool:
    """The build went into another folder than the site's publish_dir (--out): a preview,
    which reaches no target and no hub unless --to names one. An --out that names the
    publish_dir itself is no preview."""
    site = result.check.site
    if args.out is None or site is None:
        return args.out is not None
    return os.path.realpath(result.out_dir) != os.path.realpath(Path(args.site) / site.publish_dir)


def _deliver(args: argparse.Namespace, result: BuildResult, report: Report) -> bool:
    """Put the built files on the target, if any, and notify the hubs: failures reported.
    True when something failed and is still owed (an upload, a notification)."""
    from .deliver import deliver
    from .remote import MirrorError

    if result.preview and args.to:  # --now fell due only while parsing: refused, though built
        report.failure(_preview_to(args) + f"; it is in {result.out_dir} only", EXIT_USAGE)
        return False
    try:
        delivery = deliver(result, args.site, to=args.to, notify=args.notify, preview=_elsewhere(args, result),
                           lock_timeout=args.lock_timeout)
    except (MirrorError, PublishError) as error:
        report.failure(str(error))
        return True
    if delivery is None:
        return False
    if delivery.mirrored is not None:
        for path in delivery.mirrored.uploaded:
            report.detail(f"uploaded {delivery.target}{path}")
        for path in delivery.mirrored.deleted:
            report.detail(f"deleted {delivery.target}{path}, gone from {result.out_dir}")
        deleted = f"{len(delivery.mirrored.deleted):,} deleted, " if delivery.mirrored.deleted else ""
        report.status(f"{plural(len(delivery.mirrored.uploaded), 'file')} uploaded to {delivery.target}, "
                      f"{deleted}{delivery.mirrored.unchanged:,} already there")
        for path in delivery.mirrored.skipped:
            report.warning(f"{result.out_dir / path} is a link, not a file, or cannot be read: not uploaded to "
                           f"{delivery.target} (feeds uploads the files in {result.out_dir}, never what a link leads to)")
        if delivery.mirrored.lacking:
            report.warning(_lacking(delivery.mirrored.lacking, str(delivery.target), result.out_dir, Path(args.site)))
        if delivery.mirrored.exclusive is False:
            report.status(f"{delivery.target} ignores conditional writes: publish to it from one machine only")
    if delivery.notified.unreadable:
        report.warning(delivery.notified.unreadable)
    for hub, urls in delivery.notified.notified.items():
        report.status(f"notified {hub} of {plural(len(urls), 'feed')}")
    for failure in delivery.notified.failures:
        report.warning(str(failure))
    if not args.notify and delivery.notified.pending:
        report.status(f"--no-notify: {plural(len(delivery.notified.pending), 'hub')} left to notify at the next build")
    return any(failure.pending for failure in delivery.notified.failures)  # a hub that refused is not asked again


def _lacking(paths: Sequence[str], target: str, out_dir: Path, site_root: Path) -> str:
    """Feed files on the target that no build here wrote, and the publish directory lacks: a
    build from an empty one (a CI job's fresh clone, a standby) cannot keep them up to date.
    With no record of the publish directory, a build takes the feeds' own files there for its
    own (own_files.own_files_in), so copying the target in is the fix."""
    from .manifest import MANIFEST_FILE

    shown = [*paths[:3], *([f"{len(paths) - 3:,} more"] if len(paths) > 3 else [])]
    named = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
    manifest = shell_path(str(site_root / STATE_DIR / MANIFEST_FILE))
    return (f"{target} holds {plural(len(paths), 'feed file')} that {out_dir} lacks and no build here wrote "
            f"({named}): left as they are, they get no new story and keep what they hold, a withdrawn story too; a "
            "build from an empty publish directory (a fresh clone in CI, a standby taking over) knows only the feeds "
            "its entries make: copy the target into the publish directory and build again with no record of it "
            f"(rm -f {manifest}; aws s3 sync {shell_word(target)} {shell_path(str(out_dir))}), or keep the publish "
            "directory and .feeds/ between builds; if those feeds are retired, delete them from the target")


def _build_summary(report: Report, result: BuildResult) -> None:
    for path in result.written:
        report.detail(f"wrote {result.out_dir / path}")
    for path in result.removed:
        report.detail(f"removed {result.out_dir / path}")
    if result.check.site is not None:
        for cut in result.cuts:
            report.status(cut_line(cut.path, cut.items_kept, result.check.site.max_bytes, cut.over_cap))
    if result.left:
        report.status(left_line(result.left))
    removed = f", {len(result.removed):,} removed" if result.removed else ""
    report.status(f"{plural(len(result.written), 'file')} written{removed}, {len(result.unchanged):,} unchanged "
                  f"({plural(len(result.feeds), 'feed')} in {result.out_dir}); "
                  f"{plural(result.items_published, 'item')} published{_held(result)}; {_upcoming(result)}")


def _held(result: BuildResult) -> str:
    """How many invalid entries this build held back (those readers had keep their last good
    versions), and how many it took as they were from folders it could not read."""
    invalid = result.check.entries_with_problems
    with_problems = {problem.path for problem in result.check.problems}
    kept = sum(1 for path in result.held if path in with_problems)
    unread = len(result.held) - kept
    return ((f", {plural(invalid, 'invalid entry')} held back until fixed "
             f"({kept:,} at {'its' if kept == 1 else 'their'} last good version, {invalid - kept:,} left out)"
             if invalid else "")
            + (f", {plural(unread, 'entry')} of folders it cannot read taken as they were" if unread else ""))


def _dry_run_summary(report: Report, result: BuildResult) -> None:
    """The plan on stdout (one line a file, one line an item, for grep), the counts on stderr."""
    for path in result.written:
        report.data(f"would write {result.out_dir / path}")
    for path in result.removed:
        report.data(f"would remove {result.out_dir / path}")
    for change in result.feed_changes:
        folder = f"{result.out_dir / change.folder}/"
        for verb, items in (("gains", change.gained), ("loses", change.lost), ("changes", change.updated)):
            for item in items:
                report.data(f"{folder} {verb} {item}")
    removed = f", {len(result.removed):,} removed" if result.removed else ""
    report.status(f"dry run: {plural(len(result.written), 'file')} would be written{removed}, "
                  f"{len(result.unchanged):,} unchanged ({plural(len(result.feeds), 'feed')} in {result.out_dir}); "
                  f"{plural(result.items_published, 'item')} published{_held(result)}; {_upcoming(result)}; "
                  f"nothing was written, and no target or hub was contacted")


def _upcoming(result: BuildResult) -> str:
    """When the feeds change next by themselves, on the site's clock."""
    if result.next_change is None:
        return "nothing scheduled"
    zone = result.check.site.timezone if result.check.site is not None else timezone.utc
    return f"next scheduled change {on_the_sites_clock(result.next_change, zone)}"
