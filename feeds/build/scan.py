"""Finding the entry files: one walk of items/ with a stat of every file, all a rebuild
with no change reads."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, partial
from itertools import compress, islice
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

from .. import cache as stored_build
from ..cache import BUCKETS, StatKey, Stored
from ..model import ENTRY_SUFFIXES, ITEMS_DIR, SAVED_AS_TEXT
from ..problems import Problem, shell_path
from ..workers import Workers

EntryFile = tuple[str, StatKey | None]  # (path as shown, relative to the site; stat key, None: not a regular file)


@dataclass(frozen=True)
class Scan:
    """Every entry file under items/, in order, with its stat key and cache bucket."""

    root: str  # the site's folder, as the scan was given it
    files: tuple[EntryFile, ...]
    problems: tuple[Problem, ...]  # links that lead outside the site
    started_ns: int
    unsettled: frozenset[str]  # files changed too recently for their stat to show the next change, or unreadable
    numbers: bytes  # each file's cache bucket (cache.buckets_of), in the order of `files`
    digests: tuple[bytes, ...]  # each bucket's digest of its files' paths and stat keys (see bucket_digests)
    unlisted: tuple[str, ...] = ()  # folders the walk could not list (gone, or not readable), as shown
    kept: frozenset[str] = frozenset()  # the files in them the last build read, taken as it read them (with_kept)

    @property
    def files_checked(self) -> int:
        return len(self.files) + len(self.problems)  # refused links count as files

    @cached_property
    def digest(self) -> bytes:
        """Of every file's path and stat key: equal digests, unchanged files."""
        return hashlib.blake2b(b"".join(self.digests), digest_size=DIGEST_BYTES).digest()

    def on_disk(self, shown: str) -> str:
        return on_disk(self.root, shown)

    def with_kept(self, kept: Mapping[str, Stored]) -> Scan:
        """This scan, with the entries the last build found in the folders this one could not
        list, as it found them: they keep their versions (in the feeds and in the archives)
        rather than being taken for deleted while a disk is unmounted or a folder unreadable."""
        folders = tuple(folder + "/" for folder in self.unlisted)
        listed = {path for path, _ in self.files}
        missing = [(path, stored.key) for path, stored in kept.items() if path.startswith(folders) and path not in listed]
        if not missing:
            return self
        files = tuple(sorted([*self.files, *missing], key=lambda file: file[0].split("/")))
        numbers, digests = bucket_digests_of(files)
        return Scan(self.root, files, self.problems, self.started_ns, self.unsettled, numbers, digests, self.unlisted,
                    frozenset(path for path, _ in missing))

    def of_buckets(self, wanted: Collection[int]) -> Scan:
        """This scan's files in the `wanted` buckets alone (the others empty), with its problems."""
        chosen = [number in wanted for number in self.numbers]
        files = tuple(compress(self.files, chosen))
        return Scan(self.root, files, self.problems, self.started_ns,
                    self.unsettled.intersection(path for path, _ in files), bytes(compress(self.numbers, chosen)),
                    tuple(digest if number in wanted else EMPTY_BUCKET for number, digest in enumerate(self.digests)),
                    self.unlisted, self.kept)

    def without(self, paths: Collection[str]) -> Scan:
        """This scan without the files `paths` names (their buckets' digests as they are)."""
        chosen = [path not in paths for path, _ in self.files]
        files = tuple(compress(self.files, chosen))
        return Scan(self.root, files, self.problems, self.started_ns, self.unsettled.difference(paths),
                    bytes(compress(self.numbers, chosen)), self.digests, self.unlisted, self.kept)

    @property
    def settled(self) -> bool:
        """Every file's stat can be trusted to show its next change."""
        return not self.unsettled

    @cached_property
    def buckets(self) -> list[list[EntryFile]]:
        """The files by cache bucket (cache.bucket_of)."""
        grouped: list[list[EntryFile]] = [[] for _ in range(BUCKETS)]
        for number, file in zip(self.numbers, self.files):
            grouped[number].append(file)
        return grouped

    @cached_property
    def bucket_digests(self) -> tuple[bytes | None, ...]:
        """Each bucket's digest of its files' paths and stat keys, in order; None where one
        is too new to trust. A digest is of the bucket's files alone, whatever else changed."""
        untrusted = {stored_build.bucket_of(path) for path in self.unsettled}
        return tuple(None if number in untrusted else digest for number, digest in enumerate(self.digests))


def held_over(found: Scan, kept: Callable[[], Mapping[str, Stored]]) -> Scan:
    """`found`, with the entries the last build read (`kept`, loaded only if needed) in the
    folders it could not list."""
    return found.with_kept(kept()) if found.unlisted else found


def unaccounted_for(found: Scan, kept: Callable[[], Mapping[str, Stored]], published: Callable[[], bool]
                    ) -> list[Problem]:
    """The problems that stop a build for the folders the walk could not list whose entries
    nothing accounts for: items/ itself with no entry kept from the last build, or any folder
    when no record of the last build's entries is left (`kept`, loaded only if needed: empty
    when the cache was deleted, or made by another version of feeds or Python). A build cannot
    tell their stories from stories deleted, so it must not take them out of the feeds: it
    writes nothing. A site that never `published` has no feeds to keep: there the walk's own
    problem is the one told ("found none; … mkdir items"), which a first build with no items/
    followed with a second error for the same folder, about a last build there never was."""
    if not found.unlisted:
        return []
    record = kept()
    folders = [folder for folder in found.unlisted
               if (folder == ITEMS_DIR or not record) and not any(path.startswith(folder + "/") for path in found.kept)]
    if folders and not record and not published():
        return [problem for problem in found.problems if problem.path in folders]
    return [Problem(folder, 1, 1, "", "unaccounted-folder",
                    f"expected a record of the entries in {folder}/ from the last build, found none (.feeds/cache/ was "
                    "deleted, or made by another version of feeds, of Python or of a library feeds uses)",
                    "nothing was written, so the feeds keep every story: bring the folder back (mount its disk), then "
                    f"build; to take its stories out of the feeds, make {folder}/ an empty folder")
            for folder in folders]


def on_disk(root: str, shown: str) -> str:
    """A file's path to open: the scan keeps one string per file, not two (200,000 of them are 15 MB)."""
    return os.path.join(root, shown)


def is_settled(stored: Stored | None, started_ns: int) -> bool:
    """A file's stat key can be trusted (one that could not be read, or too new, cannot)."""
    return stored is not None and bool(stored.key) and stored_build.is_settled(stored_build.last_change(stored.key), started_ns)


def as_cached(stored: Stored, started_ns: int) -> Stored:
    """A file too new to trust is kept with a key that never matches: it is parsed again."""
    return stored if is_settled(stored, started_ns) else stored._replace(key=stored_build.UNSETTLED)


def find_entry_files(root: Path) -> tuple[list[Path], list[Problem]]:
    """Every *.yaml / *.yml under items/, sorted; links that lead outside the site are refused."""
    found = scan(Path(root))
    return [Path(found.on_disk(shown)) for shown, _ in found.files], list(found.problems)


def renamed(gone: Mapping[str, StatKey | None], new: Mapping[str, StatKey | None]) -> dict[str, str]:
    """Path now -> path before, of each file gone from one path (its stat key then) that is
    the file at a new one (its stat key now): renamed, not copied (cache.file_of)."""
    if not gone or not new:
        return {}
    found = {stored_build.file_of(key): path for path, key in new.items()}
    found.pop(None, None)
    moved = ((found.get(stored_build.file_of(key)), path) for path, key in gone.items())
    return {path: old for path, old in moved if path is not None}


MAX_DEPTH = 64  # folders below items/; deeper is a mistake (a loop of copies), not a newsroom's archive


def scan(root: Path, workers: Workers | None = None) -> Scan:
    """One os.scandir walk, and a stat of every entry file it finds, shared with `workers` on
    a big site: a stat is most of a scan's time, and it is the kernel's, not Python's. A
    worker stats each chunk of files listed while this process lists the next, and digests
    their buckets where it stats them."""
    started = time.time_ns()
    walked = _Walked([], [], [])
    stats = _stat_all(str(root), _walk(root, walked), stored_build.unsettled_from(started), workers)
    files = tuple(zip(walked.shown, stats.keys))
    unsettled = frozenset(walked.shown[number] for number in stats.unsettled)
    return Scan(str(root), files, tuple(walked.problems), started, unsettled, stats.numbers, stats.digests,
                tuple(walked.unlisted))


class _Walked(NamedTuple):
    """What the walk found, filled in as it goes."""

    shown: list[str]  # each entry file's path as shown, relative to the site, in order
    problems: list[Problem]
    unlisted: list[str]


class _Stats(NamedTuple):
    keys: list[StatKey | None]  # None: not a regular file, or gone
    unsettled: list[int]  # the files (by number) too new to trust, or with no key
    numbers: bytes  # each file's bucket
    digests: tuple[bytes, ...]  # each bucket's


class _StatChunk(NamedTuple):
    """What a stat job sends back: compact, for a worker's comes through a pipe."""

    packed: bytes  # the stat keys end to end (stat_keys)
    missing: tuple[int, ...]
    recent: tuple[int, ...]
    numbers: bytes
    parts: tuple[bytes, ...]  # each bucket's share of the bytes its digest is of (_bucket_parts)


STAT_CHUNK = 2048  # files a stat job takes; a site of one chunk is statted here alone (a fork costs more)


def _stat_all(root: str, shown: Iterator[str], recent: int, workers: Workers | None) -> _Stats:
    """The stats of the files `shown` yields, a chunk of them at a time as they come."""
    chunks = _chunked(shown, STAT_CHUNK)
    stat_chunk = partial(_stat_chunk, root=root, recent=recent)
    runs = workers.run_as_made(stat_chunk, chunks) if workers else map(stat_chunk, chunks)
    keys: list[StatKey | None] = []
    unsettled: list[int] = []
    numbers = bytearray()
    parts: list[tuple[bytes, ...]] = []
    for done in runs:
        first = len(keys)
        keys += _unpacked(done.packed, done.missing)
        unsettled += [first + number for number in (*done.missing, *done.recent)]
        numbers += done.numbers
        parts.append(done.parts)
    return _Stats(keys, unsettled, bytes(numbers), _digests(parts))


def _chunked(values: Iterator[str], size: int) -> Iterator[list[str]]:
    while chunk := list(islice(values, size)):
        yield chunk


def _stat_chunk(shown: Sequence[str], root: str, recent: int) -> _StatChunk:
    folder = os.path.join(root, "")  # as on_disk joins them
    packed, missing, changed = stat_keys([folder + path for path in shown], recent)
    width = stored_build.STAT_KEY.size
    numbers, parts = _bucket_parts(shown, [packed[start:start + width] for start in range(0, len(packed), width)])
    return _StatChunk(packed, missing, changed, numbers, parts)


NO_KEY = bytes(stored_build.STAT_KEY.size)  # packed where a file has no stat key


def stat_keys(paths: Sequence[str], recent: int) -> tuple[bytes, tuple[int, ...], tuple[int, ...]]:
    """The files' stat keys packed end to end (a key's width of zeros where a file has none),
    the numbers of those with none, and of those changed since `recent`."""
    pack = stored_build.STAT_KEY.pack
    is_regular = stat.S_ISREG
    packed: list[bytes] = []
    missing: list[int] = []
    changed: list[int] = []
    for number, path in enumerate(paths):  # once a file: 50,000 times a build, so stat_key is written out here
        try:
            info = os.stat(path)
        except OSError:
            info = None
        if info is None or not is_regular(info.st_mode):
            packed.append(NO_KEY)
            missing.append(number)
            continue
        mtime, ctime = info.st_mtime_ns, info.st_ctime_ns
        packed.append(pack(info.st_size, mtime, ctime, info.st_ino))
        if mtime >= recent or ctime >= recent:
            changed.append(number)
    return b"".join(packed), tuple(missing), tuple(changed)


def stat_key(info: os.stat_result) -> StatKey:
    """A file's stat key from its stat, as stat_keys packs it (written out there: it runs
    for every file of every build)."""
    return stored_build.STAT_KEY.pack(info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def _unpacked(packed: bytes, missing: tuple[int, ...]) -> list[StatKey | None]:
    width = stored_build.STAT_KEY.size
    keys: list[StatKey | None] = [packed[start:start + width] for start in range(0, len(packed), width)]
    for number in missing:
        keys[number] = None
    return keys


def bucket_digests_of(files: Sequence[EntryFile]) -> tuple[bytes, tuple[bytes, ...]]:
    """Each file's bucket, and each bucket's digest, as a scan that found `files` has them."""
    numbers, parts = _bucket_parts([path for path, _ in files], [NO_KEY if key is None else key for _, key in files])
    return numbers, _digests([parts])


_LENGTHS = [bytes((length,)) for length in range(256)]  # a key's length, before it: no two files' bytes read alike


def _bucket_parts(shown: Sequence[str], keys: Sequence[bytes]) -> tuple[bytes, tuple[bytes, ...]]:
    """Each file's bucket, and the bytes each bucket's digest is of: its files' paths and
    stat keys in order. A bucket's digest is then of its files alone, however the scan was
    cut into jobs (`_digests` joins their parts)."""
    numbers = stored_build.buckets_of(shown)
    parts: list[list[bytes]] = [[] for _ in range(BUCKETS)]
    for path, number, key in zip(shown, numbers, keys):
        parts[number] += (path.encode("utf-8", "surrogateescape"), _LENGTHS[len(key)], key)
    return bytes(numbers), tuple(b"".join(part) for part in parts)


DIGEST_BYTES = 16


def _digests(shares: Iterable[tuple[bytes, ...]]) -> tuple[bytes, ...]:
    """Each bucket's digest, of its parts from every job in turn."""
    hashers = [hashlib.blake2b(digest_size=DIGEST_BYTES) for _ in range(BUCKETS)]
    for parts in shares:
        for hasher, part in zip(hashers, parts):
            hasher.update(part)
    return tuple(hasher.digest() for hasher in hashers)


EMPTY_BUCKET = hashlib.blake2b(digest_size=DIGEST_BYTES).digest()


def _walk(root: Path, walked: _Walked) -> Iterator[str]:
    """The entry files under items/, in order, yielded as they are found (and kept in
    `walked`, with the problems met and the folders that could not be listed).

    Folders and files starting with "." are skipped (editor swap and backup files), links
    are followed while they stay inside the site, each folder is visited once. Visiting
    names in order, folders where they fall, lists files in the order of their paths' parts.
    The walk keeps its own stack, so no nesting can exhaust Python's; a folder that cannot
    be listed, or lies deeper than MAX_DEPTH, is a problem, never silently left out.
    """
    real_root = os.path.realpath(root)
    shown_paths, problems, unlisted = walked
    seen: set[str] = set()

    def within(real: str) -> bool:
        return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)

    def listing(folder: str, real: str, shown: str, depth: int) -> list[os.DirEntry[str]]:
        """The folder's entries in order; none, with a problem, if it cannot be visited."""
        if real in seen or not within(real):
            if real not in seen:
                problems.append(_outside(shown))
            return []
        seen.add(real)
        if depth > MAX_DEPTH:
            problems.append(_too_deep(shown))
            return []
        try:
            with os.scandir(folder) as found:
                return sorted(found, key=by_name)
        except FileNotFoundError:
            problems.append(_missing(shown, root))
            unlisted.append(shown)
            return []
        except NotADirectoryError:  # items/ itself a file: no permission would let feeds list it
            problems.append(_not_a_folder(shown, root))
            unlisted.append(shown)
            return []
        except OSError as error:
            problems.append(_link_loop(shown) if error.errno == errno.ELOOP else _unreadable(shown, error, root))
            unlisted.append(shown)
            return []

    items = str(root / ITEMS_DIR)
    items_real = os.path.realpath(items)
    stack = [(ITEMS_DIR, iter(listing(items, items_real, ITEMS_DIR, 0)), items_real)]
    while stack:
        shown, remaining, real = stack[-1]
        for item in remaining:  # until a folder, which is walked first: then on from here
            name = item.name
            if name[0] == ".":
                continue
            if not _is_utf8(name):
                problems.append(_not_utf8(f"{shown}/{name}", root))
                continue
            try:
                is_folder = item.is_dir()
            except OSError:
                is_folder = False
            if is_folder:
                # Only a link needs resolving: a plain folder's real path is its parent's and its name.
                real_folder = os.path.realpath(item.path) if item.is_symlink() else os.path.join(real, name)
                stack.append((f"{shown}/{name}", iter(listing(item.path, real_folder, f"{shown}/{name}", len(stack))),
                              real_folder))
                break
            if not name.endswith(ENTRY_SUFFIXES):
                if name.lower().endswith(ENTRY_SUFFIXES):  # STORY.YAML: meant as an entry, and never read
                    problems.append(_suffix_case(f"{shown}/{name}"))
                elif name.lower().endswith(SAVED_AS_TEXT):
                    problems.append(_saved_as_text(f"{shown}/{name}"))
                elif "." not in name and item.is_symlink() and not os.path.exists(item.path):  # a folder's link
                    problems.append(_gone_link(f"{shown}/{name}", item.path))  # a disk not mounted, or a loop
                    unlisted.append(f"{shown}/{name}")
                continue
            if item.is_symlink() and os.path.exists(item.path):  # one to nothing is read, and called so
                real_file = os.path.realpath(item.path)
                if not within(real_file):
                    problems.append(_outside(f"{shown}/{name}"))
                    continue
                if _read_on_its_own(real_file, items_real):
                    problems.append(_link_to_entry(f"{shown}/{name}", real_file, items_real))
                    continue
            shown_paths.append(f"{shown}/{name}")
            yield shown_paths[-1]
        else:
            stack.pop()


by_name = attrgetter("name")


def _outside(shown: str) -> Problem:
    return Problem(shown, 1, 1, "", "link-outside", "expected a file inside the site, found a link to outside it",
                   "copy the file into items/ instead of linking to it")


def _read_on_its_own(real: str, items_real: str) -> bool:
    """A link's target is an entry file the walk reads anyway (in items/, not hidden)."""
    if not real.startswith(items_real.rstrip(os.sep) + os.sep) or not real.endswith(ENTRY_SUFFIXES):
        return False
    hidden = any(part.startswith(".") for part in os.path.relpath(real, items_real).split(os.sep))
    return not hidden and os.path.isfile(real)


def _link_to_entry(shown: str, real: str, items_real: str) -> Problem:
    target = f"{ITEMS_DIR}/{Path(os.path.relpath(real, items_real)).as_posix()}"
    return Problem(shown, 1, 1, "", "link-to-entry",
                   f"expected each entry file once, found a link to {target}, which is read on its own",
                   f"remove the link: the story is published from {target}")


def _unreadable(shown: str, error: OSError, root: Path) -> Problem:
    why = error.strerror or str(error)
    return Problem(shown, 1, 1, "", "unreadable-folder",
                   f"expected a folder feeds can list, found one it cannot ({why})",
                   "until then its entries keep their last good versions; let feeds read it: "
                   f"chmod u+rx {shell_path(str(root / shown))}")


def _not_a_folder(shown: str, root: Path) -> Problem:
    return Problem(shown, 1, 1, "", "unreadable-folder",
                   f"expected a folder {shown}/ holding the entry files, found a file",
                   "until then its entries keep their last good versions; rename the file, then create the folder "
                   f"and put the entries in it: mkdir {shell_path(str(root / shown))}")


def _gone_link(shown: str, link: str) -> Problem:
    """A link with no file ending that leads nowhere: to a folder on a disk not mounted, or
    round a loop of links (which never led to a folder)."""
    try:
        os.stat(link)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return _link_loop(shown)
    return Problem(shown, 1, 1, "", "missing-folder",
                   f"expected a folder feeds can list, found a link to {os.readlink(link)}, which is gone",
                   "mount the disk it is on, or remove the link; until then its entries keep their last versions")


def _link_loop(shown: str) -> Problem:
    """A folder's link that leads round a loop of links: items/ itself too, which was told to
    `chmod u+rx items`, a fix that changes nothing."""
    return Problem(shown, 1, 1, "", "link-loop",
                   "expected a folder feeds can list, found a loop of links that leads back to itself",
                   "link it to the folder itself, or remove it")


def _missing(shown: str, root: Path) -> Problem:
    """items/ itself, or a folder that went between its listing and its own. The command is
    the folder's path from where feeds was run: `mkdir items` made it beside the site."""
    return Problem(shown, 1, 1, "", "missing-folder", f"expected a folder {shown}/ holding the entry files, found none",
                   f"create it and put the entries in it: mkdir {shell_path(str(root / shown))}")


def _is_utf8(name: str) -> bool:
    """Python gives a name's bytes that are not UTF-8 as lone surrogates, which no text can hold."""
    return name.isascii() or not any("\udc80" <= char <= "\udcff" for char in name)


def _not_utf8(shown: str, root: Path) -> Problem:
    """A name written by a system that is not UTF-8 (Latin-1, a Windows code page): its path
    names the entry in messages, the cache and the held state, all text. Everything else is
    read and published; this file or folder is not, until it is renamed."""
    return Problem(shown, 1, 1, "", "name-not-utf8",
                   "expected a file or folder name in UTF-8, found one with bytes that are not",
                   "rename it in UTF-8 by typing the name again, or with convmv, which renames only the names that "
                   f"are not: convmv -f latin1 -t utf8 -r --notest {shell_path(str(root / ITEMS_DIR))}")


def _suffix_case(shown: str) -> Problem:
    stem, _, suffix = shown.rpartition(".")
    return Problem(shown, 1, 1, "", "entry-suffix-case",
                   f"expected an entry file name ending in .yaml or .yml, found one ending in .{suffix}",
                   f"rename it {stem.rpartition('/')[2]}.{suffix.lower()}: feeds reads only those endings, "
                   "in lower case")


def _saved_as_text(shown: str) -> Problem:
    name = shown.rpartition("/")[2]
    stem, _, suffix = name[:-len(".txt")].rpartition(".")
    return Problem(shown, 1, 1, "", "entry-saved-as-text",
                   f"expected an entry file name ending in .yaml or .yml, found {name}, saved with .txt after it",
                   f"rename it {stem}.{suffix.lower()}: feeds reads only .yaml and .yml files "
                   "(in Notepad, save as \"All files\")")


def _too_deep(shown: str) -> Problem:
    return Problem(shown, 1, 1, "", "too-deep",
                   f"expected folders at most {MAX_DEPTH} deep under {ITEMS_DIR}/, found one deeper",
                   f"move its entries up, into a folder such as {ITEMS_DIR}/2020/02/")
