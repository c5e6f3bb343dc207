"""The time of the latest build timed by the machine's clock, kept in .feeds/clock, so that
a clock set back never takes back what readers already have. A machine that boots with its
clock a year behind (no hardware clock, a flat battery) or an NTP step backwards made a
stories published since then scheduled again: a build emptied every feed and removed the
archive documents, exit 0, and told the hubs and the store of the empty feeds. Such a build
is timed at the latest time a build saw instead, and says so.

Only a build that reads the clock is kept to it and recorded: a `--now` is the caller's own.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime, timezone
from pathlib import Path

from ..dates import format_iso
from ..model import read_state_file
from ..problems import Problem
from ..publish import write_atomically
from ..site_file import STATE_DIR

CLOCK_FILE = "clock"


def never_back(state_dir: Path, clock: datetime) -> tuple[datetime, Problem | None]:
    """The time to build at: the clock, or the last recorded time when the clock reads
    earlier (with the warning that says so). The later of the two is recorded."""
    last = _recorded(state_dir)
    if last is not None and clock < last:
        return last, _clock_behind(clock, last)
    with suppress(OSError):  # a read-only .feeds/ (a dry run's): this build is timed by the clock regardless
        write_atomically(state_dir / CLOCK_FILE, clock.isoformat().encode())
    return clock, None


def _recorded(state_dir: Path) -> datetime | None:
    """The recorded time; None when there is none, or it cannot be read (then the clock is taken):
    a pipe in its place is not waited on."""
    try:
        recorded = datetime.fromisoformat(read_state_file(state_dir / CLOCK_FILE).decode("ascii").strip())
    except (OSError, ValueError):
        return None
    return recorded.astimezone(timezone.utc) if recorded.utcoffset() is not None else None


def _clock_behind(clock: datetime, last: datetime) -> Problem:
    last_shown, clock_shown = (format_iso(moment.replace(microsecond=0)) for moment in (last, clock))
    return Problem(f"{STATE_DIR}/{CLOCK_FILE}", 1, 1, "", "clock-behind",
                   f"expected the clock at or after the last build's time, {last_shown}, found {clock_shown}: "
                   f"the clock was set back, so this build is timed {last_shown}, and no "
                   "story readers have is taken back",
                   "set the machine's clock (timedatectl status shows whether NTP keeps it); if the last build's "
                   f"time was the wrong one (a clock that ran ahead), delete {STATE_DIR}/{CLOCK_FILE} to build on "
                   "the clock as it reads", "warning")
