"""The time of the latest build timed by the machine's clock, kept in .feeds/clock, so that
a clock set back never takes back what readers already have. A machine that boots with its
clock a year behind (no hardware clock, a flat battery) or an NTP step backwards made a
stories published since then scheduled again: a build emptied every feed and removed the
archive documents, exit 0, and told the hubs and the store of the empty feeds. Such a build
is timed at the latest time a build saw instead, and says so.

Only a build that reads the clock is kept to it and recorded: a `--now` is the caller's own.
"""

from __future__ import annotations

import os
from contextlib import suppress
from datetime import datetime, timezone
from pathlib import Path

from ..dates import format_iso
from ..model import read_state_file
from ..problems import Problem
from ..site_file import STATE_DIR

CLOCK_FILE = "clock"


def never_back(state_dir: Path, clock: datetime) -> tuple[datetime, Problem | None]:
    """The time to build at: the clock, or the last recorded time when the clock reads
    earlier (with the warning that says so). The later of the two is recorded."""
    last = _recorded(state_dir)
    if last is not None and clock < last:
        return last, _clock_behind(clock, last)
    with suppress(OSError):  # a read-only .feeds/ (a dry run's): this build is timed by the clock regardless
        _record(state_dir / CLOCK_FILE, clock)
    return clock, None


def _record(path: Path, moment: datetime) -> None:
    """Written over in place, not beside and renamed as other state is: at every build, a rename
    that replaces a file frees its blocks, 0.5 to 1 ms on a disk trimmed as files are deleted,
    and a flush to disk more (3 ms of a 115 ms build with nothing to do, at 10,000 entries).
    32 bytes in one write are not seen torn, and a record that cannot be read is none (the
    clock is taken). Not through a link, nor waiting on a pipe (ENXIO, passed over)."""
    data = moment.astimezone(timezone.utc).isoformat(timespec="microseconds").encode()
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_NONBLOCK | os.O_NOFOLLOW, 0o666)
    try:
        os.pwrite(descriptor, data, 0)
        os.ftruncate(descriptor, len(data))
    finally:
        os.close(descriptor)


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
