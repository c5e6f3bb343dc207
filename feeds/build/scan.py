"""Finding the entry files: one walk of items/ with a stat of every file, all a rebuild
with no change reads."""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .. import cache as stored_build
from ..cache import BUCKETS, StatKey, Stored
from ..problems import Problem
from ..site_file import ITEMS_DIR

EntryFile = tuple[str, StatKey | None]  # (path as shown, relative to the site; stat key, None: not a regular file)


@dataclass(frozen=True)
class Scan:
    """Every entry file under items/, in order, with its stat key. (Its path on disk is the
    site's folder joined to its path as shown, kept once for all: see `path`.)"""

    root: str
    files: tuple[EntryFile, ...]
    problems: tuple[Problem, ...]  # links that lead outside the site
    started_ns: int
    last_change_ns: int  # the latest mtime or ctime of any file

    @property
    def files_checked(self) -> int:
        return len(self.files) + len(self.problems)  # refused links count as files

    @cached_property
    def digest(self) -> bytes:
        """Of every file's path and stat key: equal digests, unchanged files."""
        return stored_build.fingerprint(self.files)

    @cached_property
    def settled(self) -> bool:
        """Every file's stat can be trusted to show its next change."""
        return stored_build.is_settled(self.last_change_ns, self.started_ns) and all(key for _, key in self.files)

    @cached_property
    def buckets(self) -> list[list[EntryFile]]:
        """The files by cache bucket (cache.bucket_of)."""
        grouped: list[list[EntryFile]] = [[] for _ in range(BUCKETS)]
        for file in self.files:
            grouped[stored_build.bucket_of(file[0])].append(file)  # file[0]: its path as shown
        return grouped

    @cached_property
    def bucket_digests(self) -> tuple[bytes | None, ...]:
        """Each bucket's digest of its files' paths and stat keys; None where one is too new to trust."""
        return tuple(stored_build.fingerprint(files) if self.settled or _all_settled(files, self.started_ns) else None
                     for files in self.buckets)


def _all_settled(files: Iterable[EntryFile], started_ns: int) -> bool:
    return all(key and stored_build.is_settled(stored_build.last_change(key), started_ns) for _, key in files)


def is_settled(stored: Stored | None, started_ns: int) -> bool:
    """A file's stat key can be trusted (one that could not be read, or too new, cannot)."""
    return stored is not None and bool(stored.key) and stored_build.is_settled(stored_build.last_change(stored.key), started_ns)


def as_cached(stored: Stored, started_ns: int) -> Stored:
    """A file too new to trust is kept with a key that never matches: it is parsed again."""
    return stored if is_settled(stored, started_ns) else stored._replace(key=stored_build.UNSETTLED)


def find_entry_files(root: Path) -> tuple[list[Path], list[Problem]]:
    """Every *.yaml / *.yml under items/, sorted; links that lead outside the site are refused."""
    found = scan(Path(root))
    return [Path(found.root, shown) for shown, _ in found.files], list(found.problems)


def scan(root: Path) -> Scan:
    """One os.scandir walk with a stat of every file.

    Folders and files starting with "." are skipped (editor swap and backup files), links
    are followed while they stay inside the site, each folder is visited once. Visiting
    names in order, folders where they fall, lists files in the order of their paths' parts.
    """
    started = time.time_ns()
    real_root = os.path.realpath(root)
    files: list[EntryFile] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    last_change = 0
    pack = stored_build.STAT_KEY.pack

    def inside(path: str) -> bool:
        real = os.path.realpath(path)
        return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)

    def visit(folder: str, shown: str) -> None:
        nonlocal last_change
        real = os.path.realpath(folder)
        if real in seen or not inside(real):
            if real not in seen:
                problems.append(_outside(shown))
            return
        seen.add(real)
        try:
            with os.scandir(folder) as listing:
                found = sorted(listing, key=_name)
        except OSError:
            return
        prefix = shown + "/"
        latest = last_change
        add, is_regular = files.append, stat.S_ISREG  # the loop runs once a file: names looked up once
        for item in found:
            name = item.name
            if name[0] == ".":
                continue
            try:
                is_dir = item.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                visit(item.path, prefix + name)
                latest = max(latest, last_change)
                continue
            if not name.endswith((".yaml", ".yml")):
                continue
            if item.is_symlink() and not inside(item.path):
                problems.append(_outside(prefix + name))
                continue
            try:
                info = item.stat()
            except OSError:
                add((prefix + name, None))
                continue
            if not is_regular(info.st_mode):
                add((prefix + name, None))
                continue
            modified, changed = info.st_mtime_ns, info.st_ctime_ns
            add((prefix + name, pack(info.st_size, modified, changed, info.st_ino)))
            if modified > latest:
                latest = modified
            if changed > latest:
                latest = changed
        last_change = latest

    visit(str(root / ITEMS_DIR), ITEMS_DIR)
    return Scan(str(root), tuple(files), tuple(problems), started, last_change)


def _name(item: os.DirEntry[str]) -> str:
    return item.name


def _outside(shown: str) -> Problem:
    return Problem(shown, 1, 1, "", "link-outside", "expected a file inside the site, found a link to outside it",
                   "copy the file into items/ instead of linking to it")
