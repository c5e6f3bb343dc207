"""The command line: parse arguments, call the library, let Report say what happened."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import datetime, timezone, tzinfo
from pathlib import Path

from . import __version__
from .build import BuildResult, build_site, check_site, load_site
from .dates import DateError, parse_date
from .model import Site
from .publish import PublishError
from .report import EXIT_USAGE, Report, plural


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        """Wrong usage: exit 2 with the usage line, as every Unix tool does."""
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"feeds: error: {message}\n")


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="feeds", description="Publish RSS, Atom and JSON feeds from YAML news entries.")
    parser.add_argument("--version", action="version", version=f"feeds {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    build = commands.add_parser(
        "build", help="validate every entry, then write the feeds",
        description="Validate every entry, then write the feeds into the publish directory.",
        epilog="example: feeds build mysite --now '2020-02-21 09:00'",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    _site_argument(build)
    build.add_argument("--out", metavar="DIR", help="publish here instead of publish_dir from site.yaml")
    build.add_argument("--now", metavar="WHEN", help="build as if it were WHEN (any date feeds accepts)")
    build.add_argument("--quiet", "-q", action="store_true", help="print errors only (for cron)")
    build.add_argument("--verbose", "-v", action="store_true", help="list every file written")
    build.add_argument("--lock-timeout", type=float, default=60.0, metavar="SECONDS",
                       help="how long to wait for another build of the same site (default 60)")
    build.set_defaults(run=run_build)

    check = commands.add_parser(
        "check", help="validate only; writes nothing",
        description="Validate site.yaml and every entry; write nothing.",
        epilog="example: feeds check --format github", formatter_class=argparse.RawDescriptionHelpFormatter)
    _site_argument(check)
    check.add_argument("--format", choices=("text", "json", "github"), default="text",
                       help="text on stderr (default), a JSON list on stdout, or GitHub annotations")
    check.set_defaults(run=run_check)
    return parser


def _site_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("site", nargs="?", default=".", metavar="SITE",
                        help="the site's folder (default: the current directory)")


def main(argv: Sequence[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        sys.stderr.write("feeds: interrupted\n")
        return 130


def run_check(args: argparse.Namespace) -> int:
    report = Report(args.format)
    result = check_site(args.site)
    report.problems(result.problems, result.files_checked)
    if result.ok and args.format == "text":
        report.status(f"{plural(result.files_checked, 'entry')} checked, no problems")
    return report.exit_code


def run_build(args: argparse.Namespace) -> int:
    report = Report(quiet=args.quiet, verbose=args.verbose)
    now = None
    if args.now:
        site = load_site(args.site)
        zone = site.timezone if isinstance(site, Site) else timezone.utc
        now = parse_now(args.now, zone, report)
        if now is None:
            return report.exit_code
    try:
        result = build_site(args.site, now=now, out=args.out, lock_timeout=args.lock_timeout)
    except PublishError as error:
        report.failure(str(error))
        return report.exit_code
    report.problems(result.check.problems, result.check.files_checked)
    if result.check.ok:
        _build_summary(report, result)
    else:
        report.status("nothing was written")
    return report.exit_code


def parse_now(text: str, zone: tzinfo, report: Report) -> datetime | None:
    try:
        return parse_date(text, zone)
    except DateError as error:
        report.failure(f'--now: "{text}" {error}', EXIT_USAGE)
        return None


def _build_summary(report: Report, result: BuildResult) -> None:
    for path in result.written:
        report.detail(f"wrote {result.out_dir / path}")
    upcoming = (f"next scheduled change {result.next_change:%Y-%m-%d %H:%M} UTC" if result.next_change
                else "nothing scheduled")
    report.status(f"{plural(len(result.written), 'file')} written, {len(result.unchanged):,} unchanged "
                  f"({plural(len(result.feeds), 'feed')} in {result.out_dir}); "
                  f"{plural(result.items_published, 'item')} published; {upcoming}")


if __name__ == "__main__":
    raise SystemExit(main())
