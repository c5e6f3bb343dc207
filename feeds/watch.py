"""`feeds watch`: rebuild whenever an entry or site.yaml changes, and by itself when a
scheduled entry falls due or a live one expires, so nothing waits for cron.

Changes come as file events from the OS (inotify, FSEvents, ReadDirectoryChangesW, through
watchfiles): an idle watch does no work at any archive size. Where events cannot be had
(`--poll`, a network filesystem whose changes made on other machines raise no events here,
the OS's limit on watches reached, a link under items/ out of the site) it polls instead: a stat of every entry file twice a
second. A build that finds problems writes nothing, so the last good feeds stay served
until the entries are fixed.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Protocol

from .build import SITE_FILE, BuildResult, build_site, find_entry_files
from .model import ITEMS_DIR, named_as_entry
from .publish import PublishError

POLL_SECONDS = 0.5
SHORTEST_POLL_SECONDS = 0.05  # a poll of 0 would read the whole site in a tight loop
# A look at the site is followed by a wait of at least this many times what it took, so that
# polling keeps to a fifth of a core: 300,000 folders under items/ (more than the OS lets
# events watch) took 2 s a look, and looks every 0.5 s kept a core busy for ever.
POLL_WAIT_PER_LOOK = 4
RETRY_SECONDS = 10.0  # after the output could not be written (disk full, lock held)
DELIVERY_RETRY_SECONDS = 60.0  # after an upload or a hub notification failed
# A wait is timed on the monotonic clock, which a clock set forward (NTP at boot) or a machine
# suspended does not move: the time of day is read again this often, so a story is never late by more.
LONGEST_WAIT_SECONDS = 60.0
# Saves come in bursts (an editor's write and rename, a git checkout of many files): a burst
# has ended when nothing changes for STEP_MS, and is cut off after DEBOUNCE_MS at the most.
DEBOUNCE_MS = 1600
STEP_MS = 50
# Polling, a change seen is built once a look this much later finds no more of it (a git
# checkout caught half-way published 380 of 400 stories until the next poll), waiting at
# most as long as events do.
POLL_SETTLE_SECONDS = 0.2
# Filesystems where another machine's writes raise no events on this one.
NETWORK_FILESYSTEMS = frozenset({"nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "afs", "ceph", "glusterfs",
                                 "lustre", "davfs", "fuse.sshfs", "fuse.s3fs", "fuse.rclone", "fuse.glusterfs"})

# What the sources looked like: path -> (mtime_ns, ctime_ns, size, inode). Editors that save by
# writing a new file and renaming it change the inode even within one clock tick.
Snapshot = dict[str, tuple[int, int, int, int]]
BuildOutcome = BuildResult | PublishError
# Told each outcome; True when what the build made did not all go out (an upload or a hub
# notification failed), so that the watch tries again on a timer, with no edit needed.
OnBuild = Callable[[BuildOutcome], bool | None]


class ChangeSource(Protocol):
    def wait(self, seconds: float | None, stop: threading.Event) -> bool:
        """True as soon as a source file changed; False once `seconds` passed (None: no
        limit) or `stop` was set."""

    def renewed(self) -> ChangeSource:
        """Itself, or a new source for what the last change made of the site."""

    def close(self) -> None: ...


def snapshot(root: Path) -> Snapshot:
    """The state of everything a build reads: site.yaml and every entry file. Its ctime too:
    an edit of the same size whose mtime is the last edit's (within one tick of a coarse
    clock, or set back by an editor or `touch -r`) changes no other field, and a polling
    watch kept publishing the version before it."""
    files, _ = find_entry_files(root)
    state: Snapshot = {}
    for path in (root / SITE_FILE, *files):
        try:
            info = path.stat()
        except OSError:
            continue  # deleted between the listing and the stat: the next poll sees it gone
        state[str(path)] = (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)
    return state


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def watch(root: Path | str, on_build: OnBuild, out: Path | str | None = None,
          lock_timeout: float = 60.0, poll: float = POLL_SECONDS, stop: threading.Event | None = None,
          events: bool = True, on_notice: Callable[[str], None] = lambda notice: None,
          delivery_retry: float = DELIVERY_RETRY_SECONDS) -> None:
    """Build now, then again on every change and at every scheduled change, until `stop`
    is set. Each outcome (a BuildResult, or the PublishError that stopped a build) goes
    to `on_build`; problems and failures never end the watch. When `on_build` says the
    outcome did not all go out, the watch builds again after `delivery_retry` seconds
    (a build with nothing changed costs a stat of each file, and its delivery sends what
    is still owed). Changes are seen through file events, or by polling every `poll`
    seconds when `events` is False or events cannot be had (`on_notice` is told why)."""
    root = Path(root)
    stop = stop or threading.Event()
    source = _change_source(root, poll, events, on_notice)  # before the build: edits during it count
    try:
        due = _build_once(root, on_build, out, lock_timeout, delivery_retry)
        while not stop.is_set():
            try:
                changed = source.wait(_seconds_until(due), stop)
            except (OSError, RuntimeError) as error:  # the OS stopped sending events
                source.close()
                on_notice(f"file events stopped ({error}); polling every {poll:g} s instead")
                source, changed = Polling(root, poll), True  # what changed meanwhile is unknown: build
            if stop.is_set():
                break
            if changed:
                source = _renewed(source, root, poll, on_notice)
            if changed or (due is not None and utc_now() >= due):
                due = _build_once(root, on_build, out, lock_timeout, delivery_retry)
    finally:
        source.close()


def _renewed(source: ChangeSource, root: Path, poll: float, on_notice: Callable[[str], None]) -> ChangeSource:
    try:
        return source.renewed()
    except (OSError, RuntimeError) as error:  # closed, and no new one to be had
        on_notice(f"file events stopped ({error}); polling every {poll:g} s instead")
        return Polling(root, poll, events_again=isinstance(error, LinkOutOfSite))


def _change_source(root: Path, poll: float, events: bool, on_notice: Callable[[str], None]) -> ChangeSource:
    if not events:
        on_notice(f"--poll: polling every {max(poll, SHORTEST_POLL_SECONDS):g} s, not waiting for file events")
        return Polling(root, poll)
    network = network_filesystem(root)
    if network:
        on_notice(f"{root} is on a network filesystem ({network}), which may send no file events: "
                  f"polling every {poll:g} s")
        return Polling(root, poll)
    try:
        return FileEvents(root)
    except (OSError, RuntimeError) as error:
        on_notice(f"file events are not available ({error}): polling every {poll:g} s")
        return Polling(root, poll, events_again=isinstance(error, LinkOutOfSite))


class Polling:
    """A stat of site.yaml and every entry file every `poll` seconds; with `events_again`,
    file events once they can be had (the link out of the site that stopped them gone)."""

    def __init__(self, root: Path, poll: float, events_again: bool = False) -> None:
        self.root, self.poll = root, max(poll, SHORTEST_POLL_SECONDS)
        self.events_again = events_again
        self.between_looks = self.poll
        self.seen = self._look()

    def wait(self, seconds: float | None, stop: threading.Event) -> bool:
        deadline = None if seconds is None else time.monotonic() + seconds
        while True:
            left = self.between_looks if deadline is None else min(self.between_looks, deadline - time.monotonic())
            if left <= 0 or stop.wait(left):
                return False
            current = self._look()
            if current != self.seen:
                self.seen = self._settled(current, stop)  # taken before the build: an edit made during it triggers the next
                return True

    def renewed(self) -> ChangeSource:
        if self.events_again:
            with suppress(LinkOutOfSite):
                return FileEvents(self.root)
        return self  # each poll looks at the site afresh, through any link

    def _look(self) -> Snapshot:
        """The site as it is now; the wait before the next look grows with what this one took."""
        started = time.monotonic()
        current = snapshot(self.root)
        self.between_looks = max(self.poll, POLL_WAIT_PER_LOOK * (time.monotonic() - started))
        return current

    def _settled(self, current: Snapshot, stop: threading.Event) -> Snapshot:
        """The site once two looks POLL_SETTLE_SECONDS apart agree, or DEBOUNCE_MS have passed."""
        deadline = time.monotonic() + DEBOUNCE_MS / 1000
        while time.monotonic() < deadline and not stop.wait(POLL_SETTLE_SECONDS):
            again = snapshot(self.root)
            if again == current:
                break
            current = again
        return current

    def close(self) -> None:
        pass


class LinkOutOfSite(OSError):
    """A link under items/ leads out of the site (the build refuses it, and reads nothing
    through it); file events would follow it into every folder there: a link to / or to a
    media share took an OS watch for each, counted against the user's limit."""


def refuse_links_out(root: Path) -> None:
    """LinkOutOfSite, naming the first such link, if there is one."""
    _, problems = find_entry_files(root)
    links = [problem.path for problem in problems if problem.code == "link-outside"]
    if links:
        raise LinkOutOfSite(f"{links[0]} is a link out of the site, which they would follow into every folder there")


class FileEvents:
    """The OS's file events under the site folder, keeping those about site.yaml and the
    entry files (hidden files, editors' swap and backup files, and the published feeds
    and cache the builds write themselves are left out)."""

    def __init__(self, root: Path) -> None:
        from watchfiles._rust_notify import RustNotify

        folder = os.path.realpath(root)
        self.site_file = os.path.join(folder, SITE_FILE)
        self.entries = os.path.join(folder, ITEMS_DIR) + os.sep
        # items/ as a link (to a release's folder in the site: one outside is refused), whose
        # events come under the folder it names
        self.linked_entries = os.path.realpath(self.entries) + os.sep
        self.root = root
        refuse_links_out(root)
        try:
            self.notify = RustNotify([folder], False, False, 0, True, False)
        except UnicodeEncodeError as error:  # a folder named in Latin-1, say: watchfiles takes UTF-8 paths alone
            raise OSError("the site's path is not UTF-8 text, which file events take alone; "
                          "rename its folders in UTF-8 for them, such as with convmv -f latin1 -t utf8 --notest") from error
        self.linked = False  # a link (items/ itself, or a folder in it) made or changed: see renewed

    def wait(self, seconds: float | None, stop: threading.Event) -> bool:
        deadline = None if seconds is None else time.monotonic() + seconds
        while True:
            # 0 waits for ever; a due time already past still waits 1 ms, not for ever
            timeout_ms = 0 if deadline is None else max(1, math.ceil((deadline - time.monotonic()) * 1000))
            changes = self.notify.watch(DEBOUNCE_MS, STEP_MS, timeout_ms, stop)
            if changes == "signal":
                raise KeyboardInterrupt
            if isinstance(changes, str):  # "stop" or "timeout"
                return False
            sources = [path for _, path in changes if self.is_source(path)]
            if sources:
                self.linked = any(path == self.entries[:-1] or os.path.islink(path) for path in sources)
                return True
            if deadline is not None and time.monotonic() >= deadline:
                return False

    def is_source(self, path: str) -> bool:
        """site.yaml, items/, an entry file, or a folder under items/ (moved or deleted whole)."""
        if path in (self.site_file, self.entries[:-1]):  # items/ itself too: a folder swapped in whole
            return True
        if path.startswith(self.linked_entries) and self.linked_entries != self.entries:  # through items/ as a link
            path = self.entries + path[len(self.linked_entries):]
        if not path.startswith(self.entries):
            return False
        relative = path[len(self.entries):]
        if any(part.startswith(".") for part in relative.split(os.sep)):
            return False
        name = relative.rsplit(os.sep, 1)[-1]
        if named_as_entry(name) or "." not in name:  # STORY.YAML and story.yml.txt too: they are reported
            return True
        # A folder moved or deleted whole raises one event, for the folder, whatever its name
        # ("2020.02"): a folder, or a path now gone (which may have been one), wakes the watch.
        return os.path.isdir(path) or not os.path.lexists(path)

    def renewed(self) -> ChangeSource:
        """The events follow the links that were there when they started: after items/ was
        swapped for a link, or a link under it made or pointed elsewhere, no edit through
        it raised one, and the feeds stayed as they were. A link changed starts them anew."""
        if not self.linked:
            return self
        self.close()
        return FileEvents(self.root)

    def close(self) -> None:
        self.notify.close()


def network_filesystem(root: Path) -> str | None:
    """The type of the network filesystem the site is on, if it is on one (Linux; elsewhere None)."""
    try:
        with open("/proc/self/mounts", encoding="utf-8", errors="replace") as mounts:
            table = [line.split()[1:3] for line in mounts if len(line.split()) > 2]
    except OSError:
        return None
    folder = os.path.realpath(root)
    found, longest = None, -1
    for point, kind in table:
        point = point.replace("\\040", " ").replace("\\011", "\t").replace("\\134", "\\")
        inside = folder == point or folder.startswith(point.rstrip("/") + "/")
        if inside and len(point) > longest:
            found, longest = kind, len(point)
    return found if found in NETWORK_FILESYSTEMS else None


def _build_once(root: Path, on_build: OnBuild, out: Path | str | None, lock_timeout: float,
                delivery_retry: float) -> datetime | None:
    """One build; returns when the next one is due without any edit (None: only on an edit)."""
    try:
        result = build_site(root, out=out, lock_timeout=lock_timeout)
    except PublishError as error:
        on_build(error)
        return utc_now() + timedelta(seconds=RETRY_SECONDS)
    if not on_build(result):
        return result.next_change
    retry = utc_now() + timedelta(seconds=delivery_retry)
    return retry if result.next_change is None else min(result.next_change, retry)


def _seconds_until(due: datetime | None) -> float | None:
    """Until a scheduled change falls due, or the clock is to be read again (None: there is none)."""
    return None if due is None else min(max(0.0, (due - utc_now()).total_seconds()), LONGEST_WAIT_SECONDS)
