"""The items feeds show, and each one's bytes in each format, kept in one SQLite file
(.feeds/cache/items.sqlite3) and read by key: a build reads the items and renders of the
feeds it renders again, not those of every feed. With thousands of category feeds every
entry is shown somewhere, and reading them all for one edit took seconds and hundreds of MB.

Each row carries the key of the settings it was made under (Cache.reading), so that the
last build's rows stay readable (Cache.last_reading) until this build saves its own, which
removes the others. Each row's bytes carry their checksum, as the other cache files do:
SQLite checks its pages' structure, not what they hold. A damaged or unreadable file, or
row, reads as empty and is started again: the cache only ever saves work.
"""

from __future__ import annotations

import pickle
import sqlite3
import stat
import zlib
from collections.abc import Callable, Collection, Iterable, Mapping
from contextlib import closing, suppress
from pathlib import Path
from typing import Any, TypeVar

from .cache_records import StatKey, items_of
from .model import Item

T = TypeVar("T")
FILE = "items.sqlite3"
PATHS_A_QUERY = 500
PAGE_BYTES = 16384  # an item's renders are 2 to 20 KB: at SQLite's 4 KB, most spilled into overflow pages
# An item by its entry's path and stat key; a render by its format, entry's path and stat
# key, and whether the document shows the item as a summary only (build/item_renders.py).
ItemKey = tuple[str, StatKey]
RenderKey = tuple[str, str, StatKey, bool]

# Rows of other settings, found through the key's index: `setting != ?` read every row (and
# its bytes) of a 40 MB file at every build that saved.
OTHER_SETTINGS = "DELETE FROM {table} WHERE setting < ? OR setting > ?"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    setting BLOB NOT NULL, path TEXT NOT NULL, stat BLOB NOT NULL, fields BLOB NOT NULL,
    PRIMARY KEY (setting, path, stat));
CREATE TABLE IF NOT EXISTS renders (
    setting BLOB NOT NULL, format TEXT NOT NULL, path TEXT NOT NULL, stat BLOB NOT NULL, summary INTEGER NOT NULL,
    data BLOB NOT NULL, PRIMARY KEY (setting, path, stat, format, summary));
"""


class ItemStore:
    """The item rows of one setting key in the cache folder."""

    def __init__(self, folder: Path, setting: bytes) -> None:
        self.path = folder / FILE
        self.setting = setting

    def items(self, keys: Iterable[ItemKey]) -> dict[ItemKey, Item]:
        """The items kept for these keys (those missing are left out)."""
        wanted = set(keys)
        rows = self._read(lambda database: self._rows(database, "SELECT path, stat, fields FROM items", wanted))
        return items_of(self._unpickled({(path, stat): fields for path, stat, fields in rows or ()
                                         if (path, stat) in wanted}))

    def items_at(self, path: str) -> list[Item]:
        """Every item kept for an entry path, whatever its stat key."""
        rows = self._read(lambda database: database.execute(
            "SELECT stat, fields FROM items WHERE setting = ? AND path = ?", (self.setting, path)).fetchall())
        return list(items_of(self._unpickled({(path, stat): fields for stat, fields in rows or ()})).values())

    def _unpickled(self, rows: Mapping[ItemKey, bytes]) -> dict[ItemKey, Any]:
        """The rows' items as pickled; none if one cannot be read (a page the disk damaged,
        which SQLite cannot tell): the file is started again."""
        try:
            return {key: pickle.loads(_opened(fields)) for key, fields in rows.items()}
        except Exception:
            self._start_again()
            return {}

    def save_items(self, new: Mapping[ItemKey, Item], keep: Collection[ItemKey]) -> None:
        """Add the new items; of the others, keep only those in `keep` (and none of another setting)."""
        def write(database: sqlite3.Connection) -> None:
            database.executemany("INSERT OR REPLACE INTO items VALUES (?, ?, ?, ?)",
                                 ((self.setting, path, stat, _sealed(pickle.dumps(tuple(item), pickle.HIGHEST_PROTOCOL)))
                                  for (path, stat), item in new.items()))
            stale = [(self.setting, path, stat) for path, stat in
                     database.execute("SELECT path, stat FROM items WHERE setting = ?", (self.setting,)).fetchall()
                     if (path, stat) not in keep and (path, stat) not in new]
            database.executemany("DELETE FROM items WHERE setting = ? AND path = ? AND stat = ?", stale)
            database.execute(OTHER_SETTINGS.format(table="items"), (self.setting, self.setting))

        self._write(write)

    def renders(self, keys: Iterable[RenderKey]) -> dict[RenderKey, bytes]:
        """The renders kept for these keys (those missing are left out)."""
        wanted = set(keys)
        rows = self._read(lambda database: self._rows(
            database, "SELECT format, path, stat, summary, data FROM renders", {key[1:3] for key in wanted}))
        try:
            return {key: _opened(data) for name, path, stat, summary, data in rows or ()
                    if (key := (name, path, stat, bool(summary))) in wanted}
        except ValueError:
            self._start_again()
            return {}

    def _rows(self, database: sqlite3.Connection, select: str, keys: Collection[ItemKey]) -> list[Any]:
        """The rows of these entry paths (of any stat key: the caller picks), a few hundred
        paths a query: a query per key took ten times as long."""
        paths = sorted({path for path, _ in keys})
        rows = []
        for start in range(0, len(paths), PATHS_A_QUERY):
            chosen = paths[start:start + PATHS_A_QUERY]
            rows += database.execute(f"{select} WHERE setting = ? AND path IN ({', '.join('?' * len(chosen))})",
                                     (self.setting, *chosen)).fetchall()
        return rows

    def save_renders(self, new: Mapping[RenderKey, bytes], shown: Collection[ItemKey]) -> None:
        """Add the new renders; of the others, keep only those of the entries in `shown`."""
        def write(database: sqlite3.Connection) -> None:
            database.executemany("INSERT OR REPLACE INTO renders VALUES (?, ?, ?, ?, ?, ?)",
                                 ((self.setting, name, path, stat, summary, _sealed(data))
                                  for (name, path, stat, summary), data in new.items()))
            stale = [(self.setting, path, stat) for path, stat in database.execute(
                     "SELECT DISTINCT path, stat FROM renders WHERE setting = ?", (self.setting,)).fetchall()
                     if (path, stat) not in shown]
            database.executemany("DELETE FROM renders WHERE setting = ? AND path = ? AND stat = ?", stale)
            database.execute(OTHER_SETTINGS.format(table="renders"), (self.setting, self.setting))

        self._write(write)

    def _read(self, read: Callable[[sqlite3.Connection], T]) -> T | None:
        """What `read` finds in the file; None if there is no file, or it cannot be read (then it is removed)."""
        if not self.path.exists():
            return None
        self._files_only()
        try:
            with closing(sqlite3.connect(self.path)) as database:
                return read(database)
        except sqlite3.DatabaseError:
            self._start_again()
            return None

    def _write(self, write: Callable[[sqlite3.Connection], None]) -> None:
        """`write` in one transaction. A file that cannot be read is started again; one that
        cannot be written is left as it is (the next build does the work again)."""
        for attempt in range(2):
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._files_only()
                with closing(sqlite3.connect(self.path)) as database:
                    database.execute("PRAGMA synchronous = OFF")  # a cache: a power cut costs the work again, no more
                    database.execute(f"PRAGMA page_size = {PAGE_BYTES}")  # before the tables: a new file's pages
                    database.executescript(_SCHEMA)
                    with database:
                        write(database)
                return
            except OSError:
                return
            except sqlite3.DatabaseError:  # "file is not a database", "disk I/O error", "database is full"...
                self._start_again()
                if attempt:
                    return

    def _files_only(self) -> None:
        """A pipe where the file or its journal goes would hold SQLite's open, and the build
        and the site's lock with it, for ever: anything but a file there is damage."""
        for name in (FILE, FILE + "-journal"):
            with suppress(OSError):
                if not stat.S_ISREG((self.path.parent / name).lstat().st_mode):
                    self._start_again()
                    return

    def _start_again(self) -> None:
        for name in (FILE, FILE + "-journal"):
            with suppress(OSError):
                (self.path.parent / name).unlink()


def _sealed(data: bytes) -> bytes:
    """A row's bytes after their checksum."""
    return zlib.crc32(data).to_bytes(4, "big") + data


def _opened(sealed: Any) -> bytes:
    """A row's bytes, their checksum checked; ValueError if they are not as written."""
    if not isinstance(sealed, bytes) or sealed[:4] != zlib.crc32(data := sealed[4:]).to_bytes(4, "big"):
        raise ValueError("a row of items.sqlite3 is not as it was written")
    return data
