"""Publish stage: put files in place atomically, touch only what changed, one build at a time."""

from __future__ import annotations

import errno
import fcntl
import os
import secrets
import stat
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from itertools import takewhile
from pathlib import Path
from typing import Any, NamedTuple

from .model import ITEMS_DIR, STATE_DIR
from .problems import file_in_the_way, fix_for
from .workers import close_unshared, open_unshared

TEMP_PREFIX = ".feeds-tmp-"
COMPARED_AT_ONCE = 1 << 14  # bytes of a file read at a time to compare it (_holds)
STAGING_BYTES = 32 << 20  # of files handed to the Stager and not yet written
STALE_TEMP_SECONDS = 3600  # a temporary this old is stale even if its process id was reused


class PublishError(Exception):
    """The output could not be written (a real I/O failure, reported with exit status 3)."""


A_FILE = "a file"


class OutDirError(ValueError):
    """The folder to publish into is the site's own, holds it, or lies in its items/ or
    .feeds/: published files would mix with the entries or the tool's state, or the entries
    (drafts, embargoed stories) would be served with the feeds."""

    def __init__(self, folder: Path | str, clash: str) -> None:
        if clash == A_FILE:
            why = "name a folder to publish into (it is made if missing)"
        elif _LIVE in clash:
            why = ("readers would be served its files beside the live feeds (and publish_to mirror them); give it "
                   "a folder outside the live one")
        else:
            why = "the published files would mix with the site's own, and its entries be served with the feeds; " \
                  "give it a folder of its own"
        super().__init__(f"{folder} is {clash}: {why}")
        self.clash = clash


_LIVE = "the live publish directory"  # in a clash's words: OutDirError says why it matters


def publish_dir_clash(root: Path, folder: Path | str, live: Path | str | None = None) -> str | None:
    """What the publish folder `folder` (relative to the site `root`) would overlap, by real
    paths (a symlink is followed), as words; None when it is a folder of its own. `live`:
    the site's publish_dir, which `folder` may be, but not lie in or hold."""
    site = Path(os.path.realpath(root))
    where = Path(os.path.realpath(site / folder))
    clash = _site_clash(site, where)
    if clash is None and live is not None and (published := Path(os.path.realpath(site / live))) != where:
        if where.is_relative_to(published):
            return f"inside {_LIVE} {live}/"
        if published.is_relative_to(where):
            return f"a folder holding {_LIVE} {live}/"
    return clash


def out_dir_clash(root: Path, out: Path | str, live: Path | str | None) -> str | None:
    """publish_dir_clash for --out, which may also name a file (/etc/hostname): wrong usage,
    as the rest are, not a build that fails to write (exit 3) once it has rendered every feed."""
    if (root / out).exists() and not (root / out).is_dir():
        return A_FILE
    return publish_dir_clash(root, out, live)


def _site_clash(site: Path, where: Path) -> str | None:
    if where == site:
        return "the site's own folder"
    if where.is_relative_to(site):  # is_relative_to, not `in parents`: a path 100,000 deep made that a square
        inside = next((name for name in (ITEMS_DIR, STATE_DIR) if where.is_relative_to(site / name)), None)
        return None if inside is None else f"{'' if where == site / inside else 'inside '}the site's {inside}/ folder"
    return "a folder holding the site" if site.is_relative_to(where) else None


class PublishResult(NamedTuple):
    written: tuple[str, ...]
    unchanged: tuple[str, ...]
    left_behind: bool = False  # a replaced file's second name could not be removed: the next build sweeps it


def write_atomically(path: Path, data: bytes) -> bool:
    """Write beside the target, then rename over it: readers see the old file or the new
    one, never a torn one. Returns False, touching nothing, when the bytes are the same."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = _stage(path, data)
    if temp is None:
        return False
    _put_in_place(temp, path)
    return True


def _stage(path: Path, data: bytes) -> Path | None:
    """The bytes written and flushed to disk beside `path`; None when `path` holds them already.
    Renamed into place by _put_in_place: readers see the old file or the new one, never a torn one."""
    if _holds(path, data):
        return None
    temp = path.with_name(f"{TEMP_PREFIX}{os.getpid()}-{secrets.token_hex(4)}-{path.name}")
    try:
        descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def _holds(path: Path, data: bytes) -> bool:
    """The file holds `data` already, read a piece at a time up to the first difference: a
    retitle or a typo fixed keeps most feeds' sizes, and every such feed was read whole to
    find the title changed in its first lines (43 MB at 50,000 entries, 55 feeds)."""
    try:
        if path.stat().st_size != len(data):
            return False
        with open(path, "rb") as stream:
            view = memoryview(data)
            for start in range(0, len(data), COMPARED_AT_ONCE):
                if stream.read(COMPARED_AT_ONCE) != view[start:start + COMPARED_AT_ONCE]:
                    return False
            return not stream.read(1)
    except FileNotFoundError:
        return False


def _put_in_place(temp: Path, path: Path) -> None:
    try:
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def publish_files(out_dir: Path, files: Mapping[str, bytes], sweep: bool = True) -> PublishResult:
    """Write every file (paths relative to `out_dir`), renaming them into place in the given
    order, then make the renames durable, so a power cut cannot bring back the old files
    after we said done. (`sweep`: see stage_files.)"""
    return put_in_place(stage_files(out_dir, files, sweep))


class Staged(NamedTuple):
    """Files written beside their places, not yet renamed into them."""

    out_dir: Path
    temporaries: dict[str, Path | None]  # by path in out_dir, in the order to rename; None: the bytes are there
    made: list[Path]  # the folders made for them, parents first
    left_behind: bool = False  # the sweep kept a temporary that may be a live process's: a later build sweeps again


def stage_files(out_dir: Path, files: Mapping[str, bytes], sweep: bool = True) -> Staged:
    """Write each file beside its place, flushed, ready to be renamed in (put_in_place).
    A build stages its feeds before it writes their archive pages, and so does not hold
    their bytes meanwhile. `sweep` first removes what killed builds left."""
    stager = Stager(out_dir, sweep)
    try:
        for relative, data in files.items():
            stager.add(relative, data)
        return stager.staged()
    finally:
        stager.abandon()  # stopped first (Ctrl-C): the writes already started leave no temporary


class Stager:
    """Stages files as they come: each is written and flushed on a thread while the caller
    goes on (rendering the next one), so the disk's wait overlaps the work, and a build waits
    for its slowest file, not for the sum of them. `staged` waits for them all."""

    def __init__(self, out_dir: Path, sweep: bool = True) -> None:
        from concurrent.futures import Future, ThreadPoolExecutor

        self.out_dir = out_dir
        self._real_out_dir = os.path.realpath(out_dir)  # out_dir itself may be a link (to a web root, say)
        self._out_dir_dangling = os.path.islink(out_dir) and not os.path.exists(out_dir)
        self._plain: set[Path] = set()  # folders under out_dir seen to be folders, not links
        self._made: list[Path] = []  # the folders made for the files, parents first
        self._folders: set[Path] = set()
        self._staging: dict[str, Future[Path | None]] = {}
        self._in_flight: deque[tuple[Future[Path | None], int]] = deque()  # writes not yet waited for, oldest first
        self._bytes_in_flight = 0
        self._handed_over = False  # by `staged`
        self._pool = ThreadPoolExecutor(max_workers=8)
        self._failure: OSError | None = None
        self._kept: list[Path] = []  # by the sweep
        if sweep:
            self._attempt(_remove_stale_temporaries, out_dir, self._kept)

    def add(self, relative: str, data: bytes) -> None:
        """Start writing `data` beside out_dir/relative; after a failure, nothing (`staged` raises it)."""
        folder = (self.out_dir / relative).parent
        if folder not in self._folders and self._attempt(self._refuse_link_out, folder) \
                and self._attempt(_make_folder, folder, self._made):
            self._folders.add(folder)
        if self._failure is None:
            self._wait_for_room()
            future = self._pool.submit(_stage, self.out_dir / relative, data)
            self._staging[relative] = future
            self._in_flight.append((future, len(data)))
            self._bytes_in_flight += len(data)

    def _refuse_link_out(self, folder: Path) -> None:
        """_refuse_link_out, whose walk of the whole path from / (realpath) is needed only
        where a folder under out_dir is a link: each folder is looked at once a build, not
        once for every folder under it. The walks, 250 lstats for the 41 folders of a
        1,000-entry site, each waiting for the interpreter the writing threads held, took
        30 ms of its cold build."""
        if self._out_dir_dangling or self._link_on_the_way(folder):
            _refuse_link_out(folder, self.out_dir, self._real_out_dir)

    def _link_on_the_way(self, folder: Path) -> bool:
        """Whether `folder`, or a folder between it and out_dir, may be a link (or the path
        climbs out with ..). One that is not there ends the search: nothing under it is."""
        path = self.out_dir
        for part in folder.relative_to(self.out_dir).parts:
            path = path / part
            if path in self._plain:
                continue
            try:
                mode = os.lstat(path).st_mode
            except OSError:
                return part == ".."
            if not stat.S_ISDIR(mode) or part == "..":  # a link, or a file in the way (which the write names)
                return True
            self._plain.add(path)
        return False

    def _wait_for_room(self) -> None:
        """Wait for the oldest writes until those under way hold at most STAGING_BYTES: the
        bytes of a write are held until it is done, and rendering outruns the disk (3,001
        feeds, 12,004 files, held 1.2 GB of files waiting to be written)."""
        while self._bytes_in_flight > STAGING_BYTES:
            future, size = self._in_flight.popleft()
            future.exception()  # waits; a failure is told by `staged`
            self._bytes_in_flight -= size

    def staged(self) -> Staged:
        """Every file on disk beside its place; PublishError, and none left behind, if one could not be."""
        staged = self._so_far()
        self._handed_over = True
        failures = {self.out_dir / relative: error for relative, future in self._staging.items()
                    if (error := future.exception()) is not None}
        failure = self._failure or next(iter(failures.values()), None)
        if failure is not None:
            discard(staged)
            _remove_folders(self._made)
            if isinstance(failure, OSError):  # a file is named as readers know it, not by its temporary's name
                where = next(iter(failures)) if failure is not self._failure else failure.filename or self.out_dir
                raise PublishError(cannot_write(where, failure)) from failure
            raise failure
        return staged

    def abandon(self) -> None:
        """Remove what was staged, unless `staged` handed it over: the build stopped first."""
        staged = self._so_far()
        if not self._handed_over:
            discard(staged)
            _remove_folders(self._made)

    def _so_far(self) -> Staged:
        """The files staged, once every write has ended (one that failed left nothing)."""
        self._pool.shutdown()
        return Staged(self.out_dir, {relative: future.result() for relative, future in self._staging.items()
                                     if future.exception() is None}, self._made, bool(self._kept))

    def _attempt(self, step: Callable[..., None], *arguments: Any) -> bool:
        if self._failure is None:
            try:
                step(*arguments)
                return True
            except OSError as error:
                self._failure = error
        return False


class LinkOutOfPublish(OSError):
    """A folder of the publish directory leads out of it through a link: a build writes only
    inside it (a link planted in a web root a CMS can write to would have a build run as
    root put feeds into any folder of the machine). Or it leads through a link to nothing,
    which no folder can be made in."""


def refuse_links_out(out_dir: Path, paths: Iterable[str]) -> None:
    """PublishError, as a build would stop with it, if a folder the files at `paths` go in
    leads out of `out_dir` (a dry run's check: a build checks each folder as it stages)."""
    real_out_dir = os.path.realpath(out_dir)
    for folder in sorted({(out_dir / path).parent for path in paths}):
        try:
            _refuse_link_out(folder, out_dir, real_out_dir)
        except LinkOutOfPublish as error:
            raise PublishError(f"the build would stop: {cannot_write(folder, error)}") from error


def _refuse_link_out(folder: Path, out_dir: Path, real_out_dir: str) -> None:
    """Checked before the folder is made, so that nothing is made where the link leads."""
    real = os.path.realpath(folder)
    if real != real_out_dir and not real.startswith(real_out_dir.rstrip(os.sep) + os.sep):
        _refuse(folder, f"it leads out of the publish directory, to {real}, through a link, and feeds writes only "
                        "inside it; remove the link (feeds makes the folders it needs)")
    if (link := _link_to_nothing(folder, out_dir)) is not None:
        target = os.path.normpath(os.path.join(link.parent, os.readlink(link)))
        _refuse(folder, f"{link} is a link to {target}, which is not there; make that folder, or remove "
                        "the link (feeds makes the folders it needs)")


def _refuse(folder: Path, why: str) -> None:
    error = LinkOutOfPublish(why)
    error.filename = str(folder)
    raise error


def _link_to_nothing(folder: Path, out_dir: Path) -> Path | None:
    """The link, out_dir or a folder under it on the way to `folder`, whose target is not there:
    mkdir in it says only "No such file or directory", which a look at the disk does not explain."""
    for path in (folder, *folder.parents):
        if os.path.islink(path) and not os.path.exists(path):
            return path
        if path == out_dir:
            return None
    return None


def cannot_write(where: object, error: OSError) -> str:
    """Why `where` could not be written, and the fix: a file where a folder of the path goes
    (publish/ itself a file, say) is named, not the path beyond it that it left unmade."""
    if isinstance(error, LinkOutOfPublish):
        return f"cannot write {where}: {error.args[0]}"
    if isinstance(error, NotADirectoryError) and (file := file_in_the_way(where)) is not None:
        return f"cannot write {where}: {file} is a file, where a folder is needed; move it aside"
    return f"cannot write {where}: {error.strerror or error}; {fix_for(error)}"


def put_in_place(staged: Staged) -> PublishResult:
    """Rename the staged files into place in their order, then make the renames durable."""
    written: list[str] = []
    unchanged: list[str] = []
    temporaries = staged.temporaries
    replaced: dict[Path, Path] = {}  # each file a rename replaces -> its second name
    new: set[Path] = set()
    try:
        try:
            _hold_replaced(staged, replaced, new)  # inside: stopped midway, the names it gave are let go
            for relative, temp in temporaries.items():
                if temp is not None:
                    _put_in_place(temp, staged.out_dir / relative)
                    temporaries[relative] = None
                (written if temp is not None else unchanged).append(relative)
            _sync_directories(_directories_to_sync(staged.out_dir, written))
        except BaseException:  # no temporary is left behind, and the files renamed so far are put back
            _put_back(staged.out_dir, written, replaced, new)
            discard(staged)
            raise
    except OSError as error:
        _remove_folders(staged.made)
        where = error.filename2 or error.filename or staged.out_dir  # a rename's: the file in the way, not the temporary
        raise PublishError(cannot_write(where, error)) from error
    finally:
        left_behind = _let_go(list(replaced.values()))
    return PublishResult(tuple(written), tuple(unchanged), left_behind or staged.left_behind)


def _hold_replaced(staged: Staged, held: dict[Path, Path], new: set[Path]) -> None:
    """A second name (a temporary's) for each file a rename will replace. A rename that
    replaces a file frees its blocks, and where the disk is trimmed as files are deleted (a
    cloud disk mounted with `discard`) that takes 0.5 to 1 ms a file: held, the renames in
    their order only move names, and the old files are let go afterwards, side by side
    (_let_go). Held, they can also be put back if a rename fails midway (_put_back).
    Where a file system has no hard links, the renames free them as before. Each name is
    added to `held` (by the file it names) as it is given, and each file not there yet to `new`."""
    token = f"{TEMP_PREFIX}{os.getpid()}-{secrets.token_hex(4)}-replaced-"
    for relative, temp in staged.temporaries.items():
        if temp is None:
            continue
        target = staged.out_dir / relative
        second = target.with_name(token + target.name)
        try:
            os.link(target, second)
        except FileNotFoundError:
            new.add(target)  # nothing is replaced
            continue
        except OSError:
            break  # no hard links here
        held[target] = second


def _put_back(out_dir: Path, renamed: list[str], held: dict[Path, Path], new: set[Path]) -> None:
    """Undo the renames done (`renamed`, relative to `out_dir`) when a later one fails (a
    folder, or a file that cannot be replaced, in the way): each replaced file back from
    its second name, each new one removed, so that the publish directory is as it was. A
    file with no second name (no hard links here) keeps its new bytes: better than none."""
    for relative in reversed(renamed):
        target = out_dir / relative
        with suppress(OSError):
            if target in held:
                os.replace(held[target], target)
            elif target in new:
                target.unlink()


def _let_go(held: list[Path]) -> bool:
    """Remove the second names _hold_replaced gave, freeing the files (_unlink_all); True if
    one could not be, a temporary the next build must sweep, as it sweeps what a killed
    build left. A stop (Ctrl-C, SIGTERM, SIGHUP) that comes meanwhile waits for them: one
    that came while the names were handed to the threads left 91 of a build's files under
    their second names."""
    try:
        return _unlink_all(held)
    except BaseException:
        _unlink_all(held)  # those already gone are not there to remove
        raise


def _unlink_all(held: list[Path]) -> bool:
    """Eight at a time: the wait is the disk's. True if one could not be removed."""
    if len(held) < 4:
        return not all(map(_unlinked, held))
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=8) as pool:
        return not all(pool.map(_unlinked, held))


def _unlinked(path: Path) -> bool:
    try:
        path.unlink()
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return True


def discard(staged: Staged) -> None:
    """Remove the staged files not yet in place: a build that stops leaves no temporary behind."""
    for temp in staged.temporaries.values():
        if temp is not None:
            temp.unlink(missing_ok=True)


def _make_folder(folder: Path, made: list[Path]) -> None:
    """Make the folder, and those above it, appending each one that did not exist to `made`
    (parents first), so that a build that fails can take them away again."""
    missing = [folder, *takewhile(lambda parent: not parent.exists(), folder.parents)]
    for parent in reversed(missing):
        try:
            parent.mkdir()
        except FileExistsError:
            continue
        made.append(parent)


def _remove_folders(made: list[Path]) -> None:
    """The folders this build made, deepest first; one that holds anything now is kept."""
    for folder in reversed(made):
        try:
            folder.rmdir()
        except OSError:
            pass


def _directories_to_sync(out_dir: Path, written: list[str]) -> list[Path]:
    """Each folder a file was renamed into, and its parents up to `out_dir` (which may be new)."""
    folders: set[Path] = set()
    for relative in written:
        folder = (out_dir / relative).parent
        while folder not in folders:
            folders.add(folder)
            if folder == out_dir or out_dir not in folder.parents:
                break
            folder = folder.parent
    return sorted(folders)


def _sync_directories(directories: list[Path]) -> None:
    """fsync_directory each folder, eight at a time: one after another, a retitle's 57
    folders waited for the disk's journal 57 times (8 to 133 ms, by what else was being
    written), where side by side they share its commits."""
    if len(directories) < 4:
        for directory in directories:
            fsync_directory(directory)
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in pool.map(fsync_directory, directories):  # the first failure is raised
            pass


def fsync_directory(directory: Path) -> None:
    """Flush a folder's entries (the renames) to disk; a no-op where the OS or the file
    system cannot (some FUSE file systems answer ENOSYS)."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    except OSError as error:
        if error.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF, errno.ENOSYS):
            raise
    finally:
        os.close(descriptor)


def begin_writing(state_dir: Path, out_dir: Path) -> bool:
    """Mark writes into `out_dir` begun (in `state_dir`); True if the last ones there never
    finished (finish_writing): a build killed midway may have left temporaries, which the
    next one sweeps. Otherwise no sweep walks the publish folder (15,000 files with archives)."""
    marker = _writing_marker(state_dir, out_dir)
    unfinished = marker.exists()
    state_dir.mkdir(parents=True, exist_ok=True)
    marker.touch()
    return unfinished


def finish_writing(state_dir: Path, out_dir: Path) -> None:
    """Every file in place and no temporary left: the next build need not sweep."""
    _writing_marker(state_dir, out_dir).unlink(missing_ok=True)


def _writing_marker(state_dir: Path, out_dir: Path) -> Path:
    """One marker per folder, whatever path leads to it: by its own path, a build killed as
    /srv/news left its marker where a build through a link to the site (or to publish/) did
    not look, and that build's temporaries stayed in the publish folder for good."""
    import hashlib

    folder = hashlib.blake2b(os.fsencode(os.path.realpath(out_dir)), digest_size=8).hexdigest()
    return state_dir / f"writing-{folder}"


def _remove_stale_temporaries(out_dir: Path, kept: list[Path]) -> None:
    """A build killed mid-write leaves its temporary file behind; it is ours to remove.
    Runs under the build lock, so no live build of this site is writing it. One whose
    process id is alive (reused, for all we know) is added to `kept`: the build then leaves
    its writing mark, so that a later one sweeps again, not never."""
    for folder, _, names in os.walk(out_dir):  # a third of rglob's time over an archive's 15,000 files
        for name in names:
            if not name.startswith(TEMP_PREFIX):
                continue
            stale = _is_stale(temp := Path(folder, name))
            if stale:
                temp.unlink(missing_ok=True)
            elif stale is not None:
                kept.append(temp)


def _is_stale(temp: Path) -> bool | None:
    """None when `temp` is not a build's temporary (no process id in its name) or is gone."""
    pid = temp.name[len(TEMP_PREFIX):].split("-", 1)[0]
    if not pid.isdigit():
        return None
    try:
        age = time.time() - temp.lstat().st_mtime
    except FileNotFoundError:
        return None
    return age > STALE_TEMP_SECONDS or not _process_alive(int(pid))


def _process_alive(pid: int) -> bool:
    """Not a zombie either: a build killed in a container whose first process reaps no
    child keeps its id, dead, until the container ends."""
    try:
        os.kill(pid, 0)
    except OSError as error:
        return error.errno == errno.EPERM
    return _process_state(pid) != "Z"  # no /proc (macOS): alive, as the signal said


def _process_state(pid: int) -> str | None:
    """The state /proc gives a process ("R" running, "S" asleep, "T" stopped, "Z" a zombie),
    or None where it cannot be read (no such process, no /proc)."""
    try:
        return Path(f"/proc/{pid}/stat").read_bytes().rpartition(b")")[2].split()[0].decode("ascii")
    except (OSError, IndexError, UnicodeDecodeError):
        return None


class LockTimeout(PublishError):
    """Another build of the same site held the lock for too long."""


@contextmanager
def build_lock(state_dir: Path, timeout: float) -> Iterator[None]:
    """One build per site at a time: the second waits up to `timeout` seconds, then gives up."""
    if not timeout >= 0:  # NaN too, which no clock reaches: the wait would never end
        raise ValueError(f"lock_timeout is a number of seconds from 0 up, not {timeout!r}")
    try:
        state_dir.mkdir(parents=True, exist_ok=True)
        descriptor = open_unshared(state_dir / "lock", os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as error:
        lock = state_dir / "lock"
        if state_dir.is_symlink() and not state_dir.exists():
            found = f"{state_dir} is a link to nothing, where feeds keeps its own state"
        elif state_dir.exists() and not state_dir.is_dir():
            found = f"{state_dir} is a file, where feeds keeps its own state"
        elif lock.is_dir():
            found = f"{lock} is a folder, where feeds keeps its lock file"
        else:
            raise PublishError(f"cannot create the lock in {state_dir}: {error.strerror or error}; "
                               f"{fix_for(error, 'write there')}") from error
        raise PublishError(f"cannot create the lock in {state_dir}: {found}; move it aside") from error
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockTimeout(_held_too_long(state_dir / "lock", descriptor, timeout)) from None
                time.sleep(0.05)
        _sign(descriptor)
        yield
    finally:
        close_unshared(descriptor)


def _sign(descriptor: int) -> None:
    """Our process id in the lock file while we hold it, for a build that gives up waiting
    to name; a lock that cannot be signed (a full disk) still locks."""
    with suppress(OSError):
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, b"%d\n" % os.getpid(), 0)


def _holder(descriptor: int) -> int | None:
    """The process id _sign left in the lock file; None in one a release before it left empty."""
    try:
        return int(os.pread(descriptor, 24, 0))
    except (OSError, ValueError):
        return None


def _held_too_long(lock: Path, descriptor: int, timeout: float) -> str:
    """Who holds the lock, and what to do. A build stopped by Ctrl-Z in a terminal holds
    it until it is resumed: "try again when it finishes" had cron mail that every minute
    for a build that never would."""
    holder = _holder(descriptor)
    waited = f"gave up after waiting {timeout:g} s"
    if holder is not None and _process_state(holder) in ("T", "t"):
        return (f"another build of this site is stopped (process {holder} holds {lock}, stopped by Ctrl-Z in its "
                f"terminal or by SIGSTOP, and it will not finish until it is resumed); {waited}: resume it (fg in its "
                f"terminal, or kill -CONT {holder}) or end it (kill {holder})")
    held = "it holds" if holder is None else f"process {holder} holds"
    return (f"another build of this site is running ({held} {lock}); {waited}: try again when it finishes, "
            "or wait longer with --lock-timeout SECONDS")
