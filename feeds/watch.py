"""`feeds watch`: rebuild whenever an entry or site.yaml changes, and by itself when a
scheduled entry falls due or a live one expires, so nothing waits for cron.

It polls (a stat of every entry file twice a second) rather than asking the OS for
events: no extra dependency, and it works the same on every filesystem, network
mounts included. A build that finds problems writes nothing, so the last good feeds
stay served until the entries are fixed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

from .build import SITE_FILE, BuildResult, build_site, find_entry_files
from .publish import PublishError

POLL_SECONDS = 0.5
RETRY_SECONDS = 10.0  # after the output could not be written (disk full, lock held)

# What the sources looked like: path -> (mtime_ns, size, inode). Editors that save by
# writing a new file and renaming it change the inode even within one clock tick.
Snapshot = dict[str, tuple[int, int, int]]
BuildOutcome = BuildResult | PublishError


def snapshot(root: Path) -> Snapshot:
    """The state of everything a build reads: site.yaml and every entry file."""
    files, _ = find_entry_files(root)
    state: Snapshot = {}
    for path in (root / SITE_FILE, *files):
        try:
            info = path.stat()
        except OSError:
            continue  # deleted between the listing and the stat: the next poll sees it gone
        state[str(path)] = (info.st_mtime_ns, info.st_size, info.st_ino)
    return state


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def watch(root: Path | str, on_build: Callable[[BuildOutcome], None], out: Path | str | None = None,
          lock_timeout: float = 60.0, poll: float = POLL_SECONDS, stop: threading.Event | None = None) -> None:
    """Build now, then again on every change and at every scheduled change, until `stop`
    is set. Each outcome (a BuildResult, or the PublishError that stopped a build) goes
    to `on_build`; problems and failures never end the watch."""
    root = Path(root)
    stop = stop or threading.Event()
    seen = snapshot(root)
    due = _build_once(root, on_build, out, lock_timeout)
    while not stop.wait(_pause(due, poll)):
        current = snapshot(root)
        if current != seen or (due is not None and utc_now() >= due):
            seen = current  # taken before the build: an edit made during it triggers the next
            due = _build_once(root, on_build, out, lock_timeout)


def _build_once(root: Path, on_build: Callable[[BuildOutcome], None], out: Path | str | None,
                lock_timeout: float) -> datetime | None:
    """One build; returns when the next one is due without any edit (None: only on an edit)."""
    try:
        result = build_site(root, out=out, lock_timeout=lock_timeout)
    except PublishError as error:
        on_build(error)
        return utc_now() + timedelta(seconds=RETRY_SECONDS)
    on_build(result)
    return result.next_change


def _pause(due: datetime | None, poll: float) -> float:
    """Until the next poll, or less when a scheduled change falls due before it."""
    if due is None:
        return poll
    return max(0.0, min(poll, (due - utc_now()).total_seconds()))
