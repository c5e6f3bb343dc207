"""The build cache in .feeds/cache/: what a rebuild may reuse instead of doing again.

- `entries-NN`: every valid entry file's stat key, its `Facts`, the Entry itself
  (without its body) and its warnings, in 64 buckets by path so that one edit rewrites
  one bucket.
- `items.sqlite3` (cache_items.py): the prepared Item (body as HTML) of every entry a feed
  showed, and each one's bytes in each format, as every feed that shows it splices them
  in, so that a feed re-rendered renders only the items that changed; read by key, so
  that a build reads only those of the feeds it renders again.
- `archive-digests`: with `archive: true`, a digest of every entry file's bytes by path,
  with the stat key it was read at, so the archive layout needs no file read again;
  `archive-digests-since`, those read by the builds since (a few files each), so that a
  version held later (its file broken) is still found by its stat key.
- `archive-items-N`: the prepared Item of every archived entry version, one file per 30 days
  of publication, so that each is prepared once and new archive pages, rendered oldest
  first, read one file at a time.
- `selection`: the last good build's shortlist with entries to spare, the ids (as
  digests), the live count, the entries' warnings, with archives the feeds' histories,
  and when it held entries back their problems (HeldBack), so that a build that changed a
  few entries reads only their buckets; and
  `selection-changes`, what the builds since changed in it (the few records they replaced),
  so that such a build writes those alone. A build that changes entries removes
  `selection-changes` first: with it gone, the selection is not read.
- `../held` (in .feeds/, not in cache/): the last good version (record and Item) of each
  entry that is invalid now and held in the feeds (build/held.py). It is the only copy of
  what readers have of those stories, so it is keyed on this file format and the tool's
  release alone: deleting cache/ or changing a setting never withdraws a held story.
- `state`: what the last good build saw, wrote and reported (its warnings too), so that a
  rebuild with nothing changed can stop after a stat of every file.

Every other file is written beside and renamed into place, and carries a key and a checksum:
a crash, a truncated or garbage file, or an upgrade of Python, of this tool or of a
dependency, all read as an empty cache. Each file's key names only the site.yaml settings
its contents depend on: `state` every setting (site.yaml's bytes, kept inside it: what the
last build wrote outlives a change, each file's digest naming the settings it is written
with, see render_jobs and cache_keys.document_settings); the entries and
`archive-digests` what reading an entry depends on (`reading_settings`), so that changing
`max_items` re-renders the feeds without parsing an entry again; `selection` those and what
selecting reads (`selection_settings`), so that retitling the site re-renders the feeds
without looking at every entry; `items.sqlite3` and `archive-items-N` the reading settings
and what preparing an item reads (`item_settings`). The cache only ever saves work; every
output is the same without it.
"""

from __future__ import annotations

import marshal
import os
import pickle
import zlib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import astuple
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from .cache_changes import dict_changes, lists_changes, with_dict_changes, with_lists_changes
from .cache_items import ItemKey, ItemStore, RenderKey
from .cache_keys import FORMAT, derived, item_settings, reading_settings, selection_settings, tool_key
from .cache_records import (
    CATEGORIES,
    IN_CACHE,
    STAT_KEY,
    UNSETTLED,
    StatKey,
    Stored,
    entry_of,
    fields_of,
    file_of,
    fingerprint,
    id_digest,
    items_of,
    last_change,
    light,
    one_of,
    sharing,
    store,
    warnings_of,
)
from .feed_kinds import Facts
from .model import FeedCut, Item, Site, read_state_file
from .problems import Problem

# Entries as the cache keeps them, and the keys its files carry, are named here for the build.
__all__ = ["ARCHIVE_PERIOD", "BUCKETS", "IN_CACHE", "STAT_KEY", "UNSETTLED", "BuildState", "Cache", "CacheChanged", "Facts",
           "ItemKey", "RenderKey",
           "HeldBack", "Output", "Selection", "StatKey",
           "Stored", "bucket_of", "buckets_of", "entry_of", "file_of", "fingerprint", "id_digest", "is_as_written", "is_settled",
           "last_change", "light", "outputs", "sharing", "store", "tool_key", "warnings_of"]

BUCKETS = 64
# A file changed this recently may change again within the same timestamp tick, unseen
# by its stat key; such files are parsed every time until they settle.
RACY_WINDOW_NS = 1_000_000_000
DIGESTS_SINCE_MERGED = 2_000  # archive digests kept apart before they join the whole set
ARCHIVE_PERIOD = 30 * 86_400 * 1_000_000  # microseconds: archived items are cached (archive_items), and swept, 30 days at a time
KEY_BYTES = 16  # of a key (cache_keys.derived)
_HEADER = len(FORMAT) + KEY_BYTES + 4
READING = "reading"  # the keys of the settings the last build read the entries under


class Selection(NamedTuple):
    """What the last good build's selection needs from every entry, kept so a build that
    changed a few entries selects again from these and the changed ones alone. It is saved
    as the changes since it was last saved whole, found by identity (cache_changes.py):
    a build copies a dict or list of it before changing it, never changes one in place."""

    entries: dict[str, Stored]  # a shortlist of every entry with `margin` to spare (select.shortlist)
    ids: frozenset[bytes]  # id_digest of every entry not a draft (no two alike, or the build failed)
    live: int  # entries published and not expired
    margin: int  # entries that can still change or go before selecting from all again
    buckets: tuple[bytes | None, ...]  # each bucket's stat digest in that build's scan; None: not to be trusted
    valid_from: int | None = None  # it holds while no entry appears or expires: from the last such moment
    valid_until: int | None = None  # to the next
    histories: Any = None  # with archives, every feed's history at that build, as plain values (build/archive_jobs)
    warnings: tuple[Problem, ...] = ()  # every entry's, for a build that looks again at a few of them
    digest: bytes | None = None  # the whole scan's (Scan.digest) when every file's stat was trusted
    categories: dict[str, int] = {}  # how many entries have each category, by name as written
    authors: dict[str, int] = {}  # how many entries have each byline of their own, by name as written
    held_back: HeldBack | None = None  # the entries that build held back, when it held any
    shortlist: tuple[Any, ...] | None = None  # that build's select.Shortlist of `entries`, as plain values


class HeldBack(NamedTuple):
    """What a build that held entries back (invalid, or newcomers to an id) leaves for the
    next to bring its selection up to date: with 1 % of 50,000 files broken, an edit took
    3 x a clean site's time, selecting from every entry. The problems depend on their
    files alone (and the settings the selection is keyed on), but for the newcomers', which
    depend on the entries that claim their ids (`contested`) and on the moment
    (`clash_until`, when one of those appears or expires)."""

    problems: tuple[Problem, ...]  # every problem that build found
    keys: dict[str, StatKey]  # the stat key of each file with a problem
    held: tuple[str, ...]  # the paths of the entries it held at their last good versions
    contested: frozenset[bytes]  # id_digest of each id a newcomer claims
    clash_until: int | None  # see build/incremental._clash_until
    newcomers: tuple[str, ...]  # the paths of the valid files refused for claiming an id


# A file a build wrote: a digest of what it was made from (empty for files always remade), its
# size and its mtime. A plain tuple: the state pickles 15,000 of them with archives.
Output = tuple[bytes, int, int]


def entries_version(state_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """The entry files of the cache as they are on disk: a build that rewrites one (beside,
    then renamed over it) gives it a new inode."""
    try:
        found = sorted(os.scandir(state_dir / "cache"), key=lambda item: item.name)
    except OSError:
        return ()
    return tuple((item.name, item.inode(), item.stat().st_mtime_ns) for item in found if item.name.startswith("entries-"))


class CacheChanged(RuntimeError):
    """A record a build left in the cache is gone: something other than the build wrote .feeds/cache/."""


def is_as_written(path: Path | str, output: Output) -> bool:
    """The file is as that build left it (its size and mtime)."""
    try:
        info = os.stat(path)
    except OSError:
        return False
    return info.st_size == output[1] and info.st_mtime_ns == output[2]


def outputs(out_dir: Path, digests: Mapping[str, bytes]) -> dict[str, Output]:
    """The files just written, as this build leaves them: each one's digest, size and mtime."""
    found = {}
    for path, digest in digests.items():
        info = os.stat(out_dir / path)
        found[path] = (digest, info.st_size, info.st_mtime_ns)
    return found


class BuildState(NamedTuple):
    """The last good build: a fingerprint of its inputs, what it wrote and what it said."""

    fingerprint: bytes | None  # of the entry files' stats; None when one was too new to trust
    out_dir: str
    valid_from: int | None  # the selection holds for moments in [valid_from, valid_until)
    valid_until: int | None
    site: Site
    outputs: dict[str, Output]
    files_checked: int
    items_published: int
    next_change: datetime | None
    feed_count: int
    feeds: bytes  # the pickled FeedSpecs, read only if asked for
    warnings: tuple[Problem, ...] = ()  # the entries' (site.yaml's are the site's), reported by a build with no change
    cuts: tuple[FeedCut, ...] = ()  # the feed files max_bytes cut, said again while they stay so
    left: tuple[str, ...] = ()  # files earlier builds wrote that it no longer writes, said again while they are there
    problems: tuple[Problem, ...] = ()  # of the entries it held back, said again by a build with no change
    held: tuple[str, ...] = ()  # the files of the held entries its feeds show at their last good versions


def is_settled(changed_ns: int, scan_started_ns: int) -> bool:
    """Changed long enough before the scan that a later change must show in its stat key."""
    return changed_ns < unsettled_from(scan_started_ns)


def unsettled_from(scan_started_ns: int) -> int:
    """The first moment a change at which might not show in a file's next stat key."""
    return scan_started_ns - RACY_WINDOW_NS


class Cache:
    """The files of .feeds/cache/ for one site: `key` (of the tool and site.yaml's bytes) keys
    the state, the tool alone what the last build wrote; the entries, selection and items are readable only once `reading` names the
    site whose settings key them."""

    def __init__(self, state_dir: Path, tool: bytes, site_yaml: bytes) -> None:
        self.folder = state_dir / "cache"
        self.tool = tool
        self.key = derived(tool, site_yaml)
        self._entries_key = self._selection_key = self._items_key = b""  # set by `reading`; no file carries an empty key
        self._buckets: list[dict[str, Stored] | None] = [None] * BUCKETS
        self._base_selection: tuple[bytes, Selection] | None = None  # its token, as `selection` read it
        self._state: tuple[bytes, BuildState | None] | None = None  # the site.yaml key it was saved under, and it

    def reading(self, site: Site) -> Cache:
        """This cache, its entries, selection and items keyed on what reading them under `site` depends on."""
        self._entries_key = derived(self.tool, reading_settings(site))
        self._selection_key = derived(self._entries_key, selection_settings(site))
        self._items_key = derived(self._entries_key, item_settings(site))
        self._buckets = [None] * BUCKETS
        self._base_selection = None
        return self

    def save_reading(self, items_too: bool = True) -> None:
        """Which tool and settings the entries and items are kept under now, for `last_reading`.
        Not `items_too`: the entries alone, as parsing rewrote them, in a build that may save no
        items (a dry run, one refused): the items stay readable under the keys they have."""
        items = self._items_key
        if not items_too and (last := self.last_reading()) is not None:
            items = last._items_key
        self._write(READING, self.tool + self._entries_key + items, _RECORDS_KEY)

    def last_reading(self) -> Cache | None:
        """This cache as the last build read it, when site.yaml has changed how entries read
        since, or Python, this tool or a library it writes with is another version (its
        records and items stay readable until this build writes its own over them); None
        when nothing changed, or nothing says what did. Only the last good versions of
        entries invalid now are read from it: the records' shape is this release's
        (FORMAT), as the held entries' are."""
        payload = self._read(READING, _RECORDS_KEY)
        if payload is None or len(payload) != 3 * KEY_BYTES or payload == self.tool + self._entries_key + self._items_key:
            return None
        last = Cache(self.folder.parent, bytes(payload[:KEY_BYTES]), b"")
        last._entries_key = bytes(payload[KEY_BYTES:2 * KEY_BYTES])
        last._items_key = bytes(payload[2 * KEY_BYTES:])
        return last

    def __getstate__(self) -> tuple[Path, bytes, bytes, bytes, bytes]:
        """Sent to a worker process (which writes buckets) without the buckets it has read."""
        return self.folder, self.key, self._entries_key, self._selection_key, self._items_key

    def __setstate__(self, state: tuple[Path, bytes, bytes, bytes, bytes]) -> None:
        self.folder, self.key, self._entries_key, self._selection_key, self._items_key = state
        self.tool = b""
        self._buckets = [None] * BUCKETS
        self._base_selection = None
        self._state = None

    def entries(self, light: bool = False) -> dict[str, Stored]:
        """Every cached entry by path (as shown, relative to the site). `light` records leave
        their entry's bytes in the cache (see completed), and the buckets are not kept."""
        found: dict[str, Stored] = {}
        for number in range(BUCKETS):
            found.update(self.light_bucket(number) if light else self.bucket(number))
        return found

    def light_bucket(self, number: int) -> dict[str, Stored]:
        """A bucket's entries as light records (see completed); the bucket is not kept."""
        held = self._buckets[number]
        if held is not None:
            return {path: light(stored) for path, stored in held.items()}
        return _named(_loaded(self._read(f"entries-{number:02d}", self._entries_key)), light=True)

    def completed(self, records: Mapping[str, Stored]) -> dict[str, Stored]:
        """The records with their entries' bytes, those of light ones read from their
        buckets, one at a time. Raises CacheChanged if one is no longer there: nothing but a
        build, which holds the lock, writes the cache."""
        found = dict(records)
        by_bucket: dict[int, list[str]] = {}
        for path, stored in records.items():
            if not stored.entry:
                by_bucket.setdefault(bucket_of(path), []).append(path)
        for number, paths in sorted(by_bucket.items()):
            # As marshal reads it: naming every record of the bucket, for the few asked for, took ten times as long.
            bucket = self._buckets[number] or _loaded(self._read(f"entries-{number:02d}", self._entries_key))
            for path in paths:
                kept = bucket.get(path)  # a Stored, or the plain tuple marshal keeps it as: (key, facts, entry, warnings)
                if kept is None or kept[1] != records[path].facts:
                    raise CacheChanged(f"{path}: its record left .feeds/cache/ during the build")
                found[path] = records[path]._replace(entry=kept[2])
        return found

    def records(self, paths: Collection[str]) -> dict[str, Stored]:
        """The records the cache holds of these paths, whole; their buckets are read one at a
        time and not kept."""
        found: dict[str, Stored] = {}
        for number in sorted(set(buckets_of(paths))):
            bucket = self._buckets[number] or _unmarshal(self._read(f"entries-{number:02d}", self._entries_key))
            found.update((path, bucket[path]) for path in paths if path in bucket)
        return found

    def bucket(self, number: int) -> dict[str, Stored]:
        """The cached entries whose paths fall in one bucket (see bucket_of)."""
        loaded = self._buckets[number]
        if loaded is None:
            loaded = self._buckets[number] = _unmarshal(self._read(f"entries-{number:02d}", self._entries_key))
        return loaded

    def save_entries(self, entries: Mapping[str, Stored], touched: Iterable[str]) -> None:
        """Bring the paths touched (parsed again, or gone) up to date with `entries`,
        rewriting only their buckets."""
        by_bucket: dict[int, list[str]] = {}
        for path in touched:
            by_bucket.setdefault(bucket_of(path), []).append(path)
        for number, paths in sorted(by_bucket.items()):
            held = self._buckets[number] is not None
            bucket = self.bucket(number)
            dirty = False
            for path in paths:
                if path in entries and bucket.get(path) != entries[path]:
                    bucket[path] = entries[path]
                    dirty = True
                elif path not in entries and path in bucket:
                    del bucket[path]
                    dirty = True
            if dirty:
                self._write(f"entries-{number:02d}", _marshal_entries(bucket), self._entries_key)
            if not held:  # one bucket at a time in memory
                self._buckets[number] = None

    def save_bucket(self, number: int, entries: Mapping[str, Stored]) -> None:
        """One bucket's entries, all of them (in whichever process parsed them)."""
        self._write(f"entries-{number:02d}", _marshal_entries(entries), self._entries_key)

    def reloaded(self, numbers: Iterable[int]) -> None:
        """These buckets were written elsewhere: read them again if asked for."""
        for number in numbers:
            self._buckets[number] = None

    def items(self, keys: Iterable[ItemKey]) -> dict[ItemKey, Item]:
        """The items kept of these entry keys, (path, stat key); those missing are left out."""
        return self._items().items(keys)

    def items_at(self, path: str) -> list[Item]:
        """Every item kept of an entry path, whatever its stat key."""
        return self._items().items_at(path)

    def save_items(self, new: Mapping[ItemKey, Item], keep: Collection[ItemKey]) -> None:
        """The new items, and of those kept before the ones whose keys are in `keep` (the rows
        of other settings go: `reading` says so at once, for a build that saves nothing else)."""
        self._items().save_items(new, keep)
        self.save_reading()

    def item_renders(self, keys: Iterable[RenderKey]) -> dict[RenderKey, bytes]:
        """The bytes kept of these items in a format (build/item_renders.py); those missing are left out."""
        return self._items().renders(keys)

    def save_item_renders(self, new: Mapping[RenderKey, bytes], shown: Collection[ItemKey]) -> None:
        """The new renders, and of those kept before the ones of the entry keys in `shown`."""
        self._items().save_renders(new, shown)
        self.save_reading()

    @property
    def items_key(self) -> bytes:
        """What the items and their renders are kept under: the tool, and the settings reading
        and preparing an entry depend on. Equal keys and entries, equal items' bytes."""
        return self._items().setting

    def _items(self) -> ItemStore:
        if not self._items_key:
            raise ValueError("the cache's items are keyed on a site's settings: open it with reading(site)")
        return ItemStore(self.folder, self._items_key)

    def archive_digests(self) -> dict[str, tuple[StatKey, str]]:
        """What each entry file's bytes were, by path: (stat key when read, digest of them):
        those of the last build that read every entry's, and the ones read since."""
        return {**self._digests("archive-digests"), **self._digests("archive-digests-since")}

    def save_archive_digests(self, digests: Mapping[str, tuple[StatKey, str]]) -> None:
        """Every entry file's digest (a build that read every entry's)."""
        self._write("archive-digests", marshal.dumps(dict(digests)), self._entries_key)
        (self.folder / "archive-digests-since").unlink(missing_ok=True)

    def add_archive_digests(self, digests: Mapping[str, tuple[StatKey, str]]) -> None:
        """The digests a build that read a few files read, kept beside the whole set (a
        rebuild after one new entry rewrote 5 MB for it at 50,000 entries), and merged into
        it once they are many."""
        since = {**self._digests("archive-digests-since"), **digests}
        if len(since) > DIGESTS_SINCE_MERGED:
            self.save_archive_digests({**self._digests("archive-digests"), **since})
        else:
            self._write("archive-digests-since", marshal.dumps(since), self._entries_key)

    def _digests(self, name: str) -> dict[str, tuple[StatKey, str]]:
        payload = self._read(name, self._entries_key)
        try:
            kept = marshal.loads(payload) if payload is not None else {}
        except (EOFError, ValueError, TypeError):
            return {}
        return kept if isinstance(kept, dict) else {}

    def archive_items(self, period: int) -> dict[Any, Item]:
        """The archived items published in one period of time, by (path, content digest)."""
        return self._read_items(f"archive-items-{period}")

    def save_archive_items(self, period: int, items: Mapping[Any, Item]) -> None:
        self._write_items(f"archive-items-{period}", items)

    def _read_items(self, name: str) -> dict[Any, Item]:
        kept = self._read_pickle(name, self._items_key)
        return items_of(kept) if isinstance(kept, dict) else {}

    def _write_items(self, name: str, items: Mapping[Any, Item]) -> None:
        self._write(name, pickle.dumps(fields_of(items), pickle.HIGHEST_PROTOCOL), self._items_key)

    def held(self) -> Any:
        """What build/held.py keeps of the entries held in the feeds; None if nothing is held.
        The one file not in cache/ nor keyed on settings: it is the only copy of what readers
        have of those stories, so neither deleting cache/ nor changing site.yaml may lose it."""
        return self._read_pickle(HELD, _RECORDS_KEY, self.folder.parent)

    def held_is_unreadable(self) -> bool:
        """The record of held entries is there but cannot be read: damaged, or written by
        another version of feeds."""
        return (self.folder.parent / HELD).exists() and self.held() is None

    def save_held(self, held: Any) -> None:
        """None: nothing is held any more."""
        if held is None:
            (self.folder.parent / HELD).unlink(missing_ok=True)
        else:
            self._write(HELD, pickle.dumps(held, pickle.HIGHEST_PROTOCOL), _RECORDS_KEY, self.folder.parent)

    def state(self) -> BuildState | None:
        """The last good build's state, if it read site.yaml as it is now."""
        site_key, state = self._last_state()
        return state if site_key == self.key else None

    def last_build(self) -> BuildState | None:
        """The last good build's state whatever site.yaml said then, for what it wrote alone
        (`outputs`, `cuts`, `out_dir`): each file's digest names the settings it was written
        with, so a build after a site.yaml change keeps the files that change does not
        touch. Without it, changing one named feed's max_items rendered every feed again and
        read every published file to tell whether feeds wrote it."""
        return self._last_state()[1]

    def _last_state(self) -> tuple[bytes, BuildState | None]:
        if self._state is None:
            found = self._read_pickle("state", self.tool)
            valid = isinstance(found, tuple) and len(found) == 2 and isinstance(found[1], BuildState)
            self._state = found if valid else (b"", None)
        return self._state

    def save_state(self, state: BuildState) -> None:
        self._write("state", pickle.dumps((self.key, state), pickle.HIGHEST_PROTOCOL), self.tool)
        self._state = self.key, state

    def selection(self) -> Selection | None:
        """The last good build's selection: the one last written whole, with the changes
        written since; None when the changes are missing (forgotten) or are not that one's."""
        changes = self._read(SELECTION_CHANGES, self._selection_key)
        payload = self._read(SELECTION, self._selection_key) if changes is not None else None
        if changes is None or payload is None:
            return None
        try:
            token, *fields = marshal.loads(payload)
            base = _selection_of(*fields)
            changed_token, *changed = marshal.loads(changes)
            if changed_token != token:
                return None
            kept = _with_changes(base, *changed)
        except (EOFError, ValueError, TypeError, KeyError, IndexError):
            return None
        self._base_selection = token, base
        return kept

    def save_selection(self, selection: Selection) -> None:
        """Only what changed since the selection last written whole, when that is little (a
        rebuild after a few changes: 10 MB with archives at 50,000 entries, written again
        each time, took as long as the stat of every file); else the whole, and no change."""
        if self._base_selection is not None:
            token, base = self._base_selection
            changed = _changes(base, selection)
            if _size(changed) <= (len(base.entries) + len(base.ids)) // 4:  # else better written whole
                self._write(SELECTION_CHANGES, marshal.dumps((token, *changed)), self._selection_key)
                return
        token = os.urandom(16)
        # The ids as a tuple: marshal takes thirty times as long over a set of 50,000 strings.
        self._write(SELECTION, marshal.dumps((token, _plain(selection.entries), tuple(selection.ids), selection.live,
                                              selection.margin, selection.buckets, selection.valid_from,
                                              selection.valid_until, selection.histories,
                                              tuple(astuple(warning) for warning in selection.warnings),
                                              selection.digest, selection.categories, selection.authors,
                                              _plain_held_back(selection.held_back), selection.shortlist)),
                    self._selection_key)
        self._write(SELECTION_CHANGES, marshal.dumps((token, *_changes(selection, selection))),
                    self._selection_key)
        self._base_selection = token, selection

    def forget_selection(self) -> None:
        """Before the entries change in a way the selection does not follow."""
        (self.folder / SELECTION_CHANGES).unlink(missing_ok=True)

    def _read_pickle(self, name: str, key: bytes, folder: Path | None = None) -> Any:
        payload = self._read(name, key, folder)
        if payload is None:
            return None
        try:
            return pickle.loads(payload)
        except Exception:  # written by a version this one cannot read: start again
            return None

    def _read(self, name: str, key: bytes, folder: Path | None = None) -> memoryview | None:
        """The payload, or None when the file is missing, written under another key, or damaged."""
        try:
            data = read_state_file((folder or self.folder) / name)
        except OSError:
            return None
        payload = memoryview(data)[_HEADER:]
        if not key or data[:_HEADER] != FORMAT + key + zlib.crc32(payload).to_bytes(4, "big"):
            return None
        return payload

    def _write(self, name: str, payload: bytes, key: bytes, folder: Path | None = None) -> None:
        """Beside, then renamed over: a reader sees the old file or the new one, never half."""
        if not key:
            raise ValueError(f"the cache's {name} are keyed on a site's settings: open it with reading(site)")
        folder = folder or self.folder
        folder.mkdir(parents=True, exist_ok=True)
        temporary = folder / f".{name}.tmp"  # one writer at a time: builds hold the lock
        try:
            with open(temporary, "wb") as stream:
                stream.write(FORMAT + key + zlib.crc32(payload).to_bytes(4, "big"))
                stream.write(payload)
            os.replace(temporary, folder / name)
        finally:
            temporary.unlink(missing_ok=True)


SELECTION, SELECTION_CHANGES = "selection", "selection-changes"
HELD = "held"  # in .feeds/, beside cache/
# What outlives an upgrade of feeds, Python or a library (the held entries, and which tool and
# settings the last build read the entries under): keyed on the records' shape alone, FORMAT,
# which a release that changes it changes, and then starts again. (Keyed on the version number
# too, the first release to change it would have dropped every held story.)
_RECORDS_KEY = derived(FORMAT, "records")


def bucket_of(path: str) -> int:
    return buckets_of((path,))[0]


def buckets_of(paths: Iterable[str]) -> list[int]:
    """Each path's bucket: the scan asks for 50,000 at once, a call each would be a third of the time."""
    crc = zlib.crc32
    return [crc(path.encode("utf-8", "surrogateescape")) % BUCKETS for path in paths]


def _unmarshal(payload: memoryview | None) -> dict[str, Stored]:
    try:
        return _named(_loaded(payload))
    except (ValueError, TypeError):
        return {}


def _loaded(payload: memoryview | None) -> dict[Any, Any]:
    """A bucket's payload as marshal reads it; empty if it is not one."""
    if payload is None:
        return {}
    try:
        loaded = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _marshal_entries(entries: Mapping[str, Stored]) -> bytes:
    return marshal.dumps(_plain(entries))


def _plain(entries: Mapping[str, Stored]) -> dict[str, tuple[Any, ...]]:
    """As marshal writes them: tuples, not named tuples."""
    return {path: (key, tuple(facts), entry, warnings) for path, (key, facts, entry, warnings) in entries.items()}


def _selection_of(entries: dict[str, Any], ids: tuple[bytes, ...], live: int, margin: int,
                  buckets: tuple[bytes | None, ...], valid_from: int | None, valid_until: int | None, histories: Any,
                  warnings: tuple[tuple[Any, ...], ...], digest: bytes | None,
                  categories: dict[str, int], authors: dict[str, int], held_back: tuple[Any, ...] | None,
                  shortlist: tuple[Any, ...] | None) -> Selection:
    return Selection(entries=_named(entries), ids=frozenset(ids), live=live, margin=margin, buckets=buckets,
                     valid_from=valid_from, valid_until=valid_until, histories=histories,
                     warnings=tuple(Problem(*warning) for warning in warnings), digest=digest, categories=categories,
                     authors=authors, held_back=_held_back_of(held_back), shortlist=shortlist)


def _changes(base: Selection, new: Selection) -> tuple[Any, ...]:
    """What `selection-changes` holds: `new` as changes to `base`, compared by identity."""
    entries, gone = dict_changes(base.entries, new.entries)
    added, removed = tuple(new.ids - base.ids), tuple(base.ids - new.ids)
    histories = _histories_changes(base.histories, new.histories)
    return (_plain(entries), gone, added, removed, new.live, new.margin, new.buckets, new.valid_from,
            new.valid_until, histories, tuple(astuple(warning) for warning in new.warnings), new.digest,
            new.categories, new.authors, _plain_held_back(new.held_back), new.shortlist)


def _with_changes(base: Selection, entries: dict[str, Any], gone: list[str], added: tuple[bytes, ...],
                  removed: tuple[bytes, ...], live: int, margin: int, buckets: tuple[bytes | None, ...],
                  valid_from: int | None, valid_until: int | None, histories: tuple[Any, ...],
                  warnings: tuple[tuple[Any, ...], ...], digest: bytes | None,
                  categories: dict[str, int], authors: dict[str, int], held_back: tuple[Any, ...] | None,
                  shortlist: tuple[Any, ...] | None) -> Selection:
    return Selection(entries=with_dict_changes(base.entries, _named(entries), gone),
                     ids=base.ids.difference(removed).union(added), live=live, margin=margin, buckets=buckets,
                     valid_from=valid_from, valid_until=valid_until,
                     histories=_with_histories_changes(base.histories, histories),
                     warnings=tuple(Problem(*warning) for warning in warnings), digest=digest,
                     categories=categories, authors=authors, held_back=_held_back_of(held_back), shortlist=shortlist)


def _plain_held_back(held_back: HeldBack | None) -> tuple[Any, ...] | None:
    """As marshal writes it: plain tuples, no set."""
    if held_back is None:
        return None
    return (tuple(astuple(problem) for problem in held_back.problems), held_back.keys, held_back.held,
            tuple(held_back.contested), held_back.clash_until, held_back.newcomers)


def _held_back_of(plain: tuple[Any, ...] | None) -> HeldBack | None:
    if plain is None:
        return None
    problems, keys, held, contested, clash_until, newcomers = plain
    return HeldBack(tuple(Problem(*problem) for problem in problems), keys, held, frozenset(contested), clash_until,
                    newcomers)


# The feeds' histories (build/archive_jobs.FeedHistories.plain), when both are of that shape:
# members by path, each feed's paths newest first, the page names.
def _histories_changes(base: Any, new: Any) -> tuple[Any, ...]:
    if new is base:
        return ("same",)
    if not (_is_histories(base) and _is_histories(new)):
        return ("whole", new)
    return ("changed", *dict_changes(base[0], new[0]), *lists_changes(base[1], new[1]), new[2])


def _with_histories_changes(base: Any, changes: tuple[Any, ...]) -> Any:
    kind, *changed = changes
    if kind == "same":
        return base
    if kind == "whole":
        return changed[0]
    if kind != "changed" or not _is_histories(base):
        raise ValueError(f"changes of the histories of an unknown kind: {kind!r}")
    members, gone, feeds, feeds_gone, names = changed
    return with_dict_changes(base[0], members, gone), with_lists_changes(base[1], feeds, feeds_gone), names


def _is_histories(value: Any) -> bool:
    return isinstance(value, tuple) and len(value) == 3 and all(isinstance(part, dict) for part in value)


def _size(changes: tuple[Any, ...]) -> int:
    """How many records, ids and paths `_changes` carry."""
    entries, gone, added, removed, *_, histories, _, _, _, _, _, _ = changes
    return len(entries) + len(gone) + len(added) + len(removed) + _histories_size(histories)


def _histories_size(histories: tuple[Any, ...]) -> int:
    if histories[0] == "same":
        return 0
    if histories[0] == "whole":
        return len(histories[1][0]) if _is_histories(histories[1]) else 0
    _, members, gone, feeds, feeds_gone, _ = histories
    return len(members) + len(gone) + sum(len(middle) for _, _, middle in feeds.values()) + len(feeds_gone)


def _named(entries: dict[str, Any], light: bool = False) -> dict[str, Stored]:
    at = CATEGORIES
    return {path: Stored(key, Facts._make((*facts[:at], one_of(facts[at]), *facts[at + 1:])),
                         IN_CACHE if light else entry, warnings)
            for path, (key, facts, entry, warnings) in entries.items()}


