"""What the user is told, and the exit status: owned here and nowhere else.

Status and problems go to stderr; data (`check --format json`) goes to stdout.
"""

from __future__ import annotations

import errno
import json
import os
import re
import sys
from collections.abc import Sequence
from contextlib import suppress
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import TextIO

from .dates import clock_name
from .exit_codes import EXIT_INVALID, EXIT_OK, EXIT_WRITE_FAILED
from .model import is_entry_file
from .problems import Problem, one_line


class OutputError(Exception):
    """Standard output could not be written (a full disk under `> report.json`): one line, exit 3."""

    def __init__(self, error: OSError) -> None:
        super().__init__(f"cannot write to standard output: {(error.strerror or str(error)).lower()}")


def plural(count: int, word: str) -> str:
    if count == 1:
        return f"1 {word}"
    return f"{count:,} {word[:-1] + 'ies' if word.endswith('y') else word + 's'}"


class Report:
    def __init__(self, output_format: str = "text", quiet: bool = False, verbose: bool = False,
                 out: TextIO | None = None, err: TextIO | None = None, path_prefix: str = "",
                 stamp: str = "") -> None:
        self.format = output_format
        self.path_prefix = path_prefix  # the site's folder as seen from here, for GitHub's file=
        self.quiet = quiet
        self.verbose = verbose
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.exit_code = EXIT_OK
        self.stamp = stamp  # put before every line on stderr: `watch` says when each rebuild happened

    def problems(self, problems: Sequence[Problem], files_checked: int) -> None:
        """Every problem, then a count; sets exit status 1 if any is an error (warnings never do).
        Quiet lines leave the warnings out (cron mails whatever is printed); JSON, being data, keeps them."""
        if any(problem.is_error for problem in problems):
            self.exit_code = max(self.exit_code, EXIT_INVALID)
        if self.format == "json":
            # UTF-8, as RFC 8259 has JSON exchanged, whatever the locale: the same bytes everywhere
            self._out(json.dumps([problem.as_dict() for problem in problems], indent=2, ensure_ascii=False) + "\n",
                      utf8=True)
            return
        if self.quiet:
            problems = [problem for problem in problems if problem.is_error]
        for problem in problems:
            if self.format == "github":
                self._out(_github_annotation(problem, self.path_prefix) + "\n")
            else:
                self._line(str(problem))
        if problems:
            self._line(count_line(problems, files_checked))

    def data(self, line: str) -> None:
        """A result for scripts (a path, say): stdout, even with --quiet; one line (one_line)."""
        self._out(one_line(line) + "\n")

    def _out(self, text: str, utf8: bool = False) -> None:
        """`text` on stdout in its encoding, or in UTF-8 where it cannot carry the text (a path
        `feeds new` wrote, items/2026/café.yaml, under PYTHONIOENCODING=ascii was a traceback)
        or `utf8` asks for it."""
        if self.out is None:  # started with stdout closed (`>&-`)
            raise OutputError(OSError(errno.EBADF, os.strerror(errno.EBADF)))
        try:
            if utf8:
                _write_utf8(self.out, text)
            else:
                try:
                    self.out.write(text)
                except UnicodeEncodeError:
                    _write_utf8(self.out, text)
        except BrokenPipeError:
            raise  # the reader went away (`| head`): not an error of ours, main() says nothing
        except OSError as error:
            raise OutputError(error) from None

    def status(self, message: str) -> None:
        if not self.quiet:
            self._line(message)

    def detail(self, message: str) -> None:
        if self.verbose and not self.quiet:
            self._line(message)

    def warning(self, message: str) -> None:
        """Something went wrong that changes neither the output nor the exit status: said even with --quiet."""
        self._line(f"feeds: warning: {message}")

    def failure(self, message: str, exit_code: int = EXIT_WRITE_FAILED) -> None:
        """A real failure (I/O, a lock held too long): one line, no traceback."""
        self._line(f"feeds: error: {message}")
        self.exit_code = max(self.exit_code, exit_code)

    def _line(self, text: str) -> None:
        """A line of status on stderr, one line whatever a path in it holds (one_line). One that
        cannot be written (stderr on a full disk) is lost, as it must be: the build it reports
        on has happened, and its exit status says how."""
        with suppress(OSError, ValueError):
            self.err.write(f"{self.stamp}{one_line(text)}\n")


def _write_utf8(out: TextIO, text: str) -> None:
    """`text` as UTF-8 bytes beneath `out`'s own encoding, after what it holds; a stream of
    text alone (a test's StringIO) takes the text."""
    binary = getattr(out, "buffer", None)
    if binary is None:
        out.write(text)
        return
    out.flush()
    binary.write(text.encode("utf-8", "surrogateescape"))


def count_line(problems: Sequence[Problem], files_checked: int) -> str:
    """'3 errors and 1 warning in 2 of 120 entries' (or 'in site.yaml' when the site itself is wrong)."""
    paths = {problem.path for problem in problems}
    errors = sum(1 for problem in problems if problem.is_error)
    counts = [plural(count, word) for count, word in ((errors, "error"), (len(problems) - errors, "warning")) if count]
    if files_checked == 0:
        return f"{' and '.join(counts)} in {', '.join(sorted(paths))}"
    entries = {path for path in paths if is_entry_file(path)}
    where = sorted(paths - entries)  # site.yaml and folders: named, not counted as entries
    if entries:
        where.append(f"{len(entries):,} of {plural(files_checked, 'entry')}")
    return f"{' and '.join(counts)} in {' and '.join(where)}"


def on_the_sites_clock(moment: datetime, zone: tzinfo, with_date: bool = True, seconds: bool = False) -> str:
    """'2026-11-30 06:56 EST (11:56 UTC)': the site's wall clock, as the desk plans by, with UTC
    beside it (with its date too when that differs); seconds when there are some, or always
    with `seconds` (a log's stamps, which line up)."""
    utc = moment.astimezone(timezone.utc)
    local = moment.astimezone(zone)
    if local.utcoffset() == timedelta(0) and local.tzname() in ("UTC", "Z", None):
        return _clock(utc, with_date, seconds) + " UTC"
    utc_part = _clock(utc, with_date and utc.date() != local.date(), seconds)
    return f"{_clock(local, with_date, seconds)} {clock_name(local)} ({utc_part} UTC)"


def _clock(moment: datetime, with_date: bool, seconds: bool) -> str:
    return moment.strftime(("%Y-%m-%d " if with_date else "") + "%H:%M" + (":%S" if seconds or moment.second else ""))


def site_path_prefix(site: str) -> str:
    """'news/' for a site checked as `feeds check news`: GitHub wants paths from the checkout's root."""
    relative = Path(os.path.relpath(site)).as_posix()
    return "" if relative == "." else relative + "/"


def _github_annotation(problem: Problem, prefix: str = "") -> str:
    """GitHub Actions workflow command: shows the problem inline on a pull request."""
    message = f"{problem.field}: {problem.message}" if problem.field else problem.message
    if problem.hint:
        message += f"; {problem.hint}"
    properties = {"file": prefix + problem.path, "line": problem.line, "col": problem.column, "title": problem.code}
    written = ",".join(f"{name}={_escape_property(str(value))}" for name, value in properties.items())
    return f"::{problem.severity} {written}::{_escape_data(message)}"


def _escape_data(text: str) -> str:
    """A workflow command's message: '%' first, then the line breaks that would end it, then
    any other control character (an escape in a file name would colour the log), as %XX."""
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return _CONTROL.sub(lambda found: f"%{ord(found.group()):02X}", escaped)


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _escape_property(text: str) -> str:
    """A workflow command's property value: as a message, and ':' and ',' that end a value."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def left_line(paths: Sequence[str]) -> str:
    """Files earlier builds wrote and this one does not, still served to readers, who get no
    new story from them: feeds never deletes a feed, so the newsroom must."""
    ordered = sorted(paths, key=lambda path: (path.count("/"), path))  # the site's own feeds first
    shown = ", ".join(ordered[:3]) + (f" and {len(paths) - 3:,} more" if len(paths) > 3 else "")
    return (f"{plural(len(paths), 'file')} no longer written (a format or a kind of feed switched off) left as "
            f"{'it was' if len(paths) == 1 else 'they were'}, still served: {shown}; delete "
            f"{'it' if len(paths) == 1 else 'them'} to retire {'that feed' if len(paths) == 1 else 'those feeds'}")


def cut_line(path: str, kept: int, max_bytes: int, over_cap: bool = False) -> str:
    """The build's line for a feed file that max_bytes made leave out its oldest items."""
    if over_cap and kept > 1:
        return (f"feed {path} is over max_bytes ({max_bytes:,} bytes) with its {kept:,} newest items, which no archive "
                "page holds yet; it is written anyway, so that its archives miss none")
    if over_cap:
        return f"feed {path} is over max_bytes ({max_bytes:,} bytes) with only its newest item; it is written anyway"
    return f"feed {path} cut to {plural(kept, 'item')} to fit max_bytes ({max_bytes:,} bytes)"
