"""The build cache in .feeds/cache/: what a rebuild may reuse instead of doing again.

- `entries-NN`: every valid entry file's stat key, its `Facts`, the Entry itself
  (without its body) and its warnings, in 64 buckets by path so that one edit rewrites
  one bucket.
- `items`: the prepared Item (body as HTML) of every entry a feed showed.
- `archive-digests`: with `archive: true`, a digest of every entry file's bytes by path,
  with the stat key it was read at, so the archive layout needs no file read again.
- `archive-items-N`: the prepared Item of every archived entry version, one file per 30 days
  of publication, so that each is prepared once and new archive pages, rendered oldest
  first, read one file at a time.
- `selection`: the last good build's shortlist with entries to spare, the ids (as
  digests) and the live count, so that a build that changed a few entries reads only
  their buckets.
- `held`: the last good version (record and Item) of each entry that is invalid now and
  held in the feeds (build/held.py).
- `state`: what the last good build saw, wrote and reported (its warnings too), so that a
  rebuild with nothing changed can stop after a stat of every file.

Every file is written beside and renamed into place, and carries a key and a checksum:
a crash, a truncated or garbage file, or an upgrade of Python, of this tool or of a
dependency, all read as an empty cache. Each file's key names only the site.yaml settings
its contents depend on: `state` and `selection` every setting (site.yaml's bytes); the
entries and `archive-digests` what reading an entry depends on (`reading_settings`), so
that retitling the site or changing `max_items` re-renders the feeds without parsing an
entry again; `items`, `archive-items-N` and `held` those and what preparing an item reads
(`item_settings`). The cache only ever saves work; every
output is the same without it.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import pickle
import struct
import sys
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import astuple, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from ._version import __version__
from .model import EPOCH, Author, Entry, FeedCut, Item, Site
from .problems import Problem
from .select import Facts, facts_of

FORMAT = b"feeds-cache-5\n"
BUCKETS = 64
# A file changed this recently may change again within the same timestamp tick, unseen
# by its stat key; such files are parsed every time until they settle.
RACY_WINDOW_NS = 1_000_000_000
_HEADER = len(FORMAT) + 16 + 4

# A file's size, mtime_ns, ctime_ns and inode, packed: one object to load, not five.
StatKey = bytes
STAT_KEY = struct.Struct("<qqqQ")


class Stored(NamedTuple):
    """One valid entry file as the cache keeps it. Written as a plain tuple (marshal takes
    no named ones) and named again as it is read."""

    key: StatKey
    facts: Facts
    entry: bytes  # the Entry's fields, marshalled, its body left out (see store)
    warnings: tuple[tuple[Any, ...], ...]  # the entry's warnings as plain Problem fields: read without the entry


UNSETTLED = b""  # the stat key kept for a file too new to trust: it never matches, so it is parsed again


@dataclass(frozen=True, kw_only=True)
class Selection:
    """What the last good build's selection needs from every entry, kept so a build that
    changed a few entries selects again from these and the changed ones alone."""

    entries: dict[str, Stored]  # a shortlist of every entry with `margin` to spare (select.shortlist)
    ids: frozenset[bytes]  # id_digest of every entry not a draft (no two alike, or the build failed)
    live: int  # entries published and not expired
    margin: int  # entries that can still change or go before selecting from all again
    buckets: tuple[bytes | None, ...]  # each bucket's stat digest in that build's scan; None: not to be trusted
    valid_from: int | None = None  # it holds while no entry appears or expires: from the last such moment
    valid_until: int | None = None  # to the next
    histories: Any = None  # with archives, every feed's history at that build, as plain values (build/archive_jobs)


@dataclass(frozen=True)
class Output:
    digest: bytes  # of what the file was made from; empty for files always remade
    size: int
    mtime_ns: int



def is_as_written(path: Path | str, output: Output) -> bool:
    """The file is as that build left it (its size and mtime)."""
    try:
        info = os.stat(path)
    except OSError:
        return False
    return (info.st_size, info.st_mtime_ns) == (output.size, output.mtime_ns)


def outputs(out_dir: Path, digests: Mapping[str, bytes]) -> dict[str, Output]:
    """The files just written, as this build leaves them: each one's digest, size and mtime."""
    found = {}
    for path, digest in digests.items():
        info = os.stat(out_dir / path)
        found[path] = Output(digest, info.st_size, info.st_mtime_ns)
    return found

@dataclass(frozen=True, kw_only=True)
class BuildState:
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


def is_settled(changed_ns: int, scan_started_ns: int) -> bool:
    """Changed long enough before the scan that a later change must show in its stat key."""
    return changed_ns < scan_started_ns - RACY_WINDOW_NS


def last_change(key: StatKey) -> int:
    _, mtime, ctime, _ = STAT_KEY.unpack(key)
    return max(mtime, ctime)


def store(entry: Entry, key: StatKey) -> Stored:
    """The entry as the cache keeps it, without its body (read again only for the entries a
    feed shows): its fields as plain values, moments in microseconds, which marshal writes
    and reads several times quicker than pickle writes the dataclass."""
    facts = facts_of(entry)
    warnings = tuple(astuple(warning) for warning in entry.warnings)
    record = (entry.source, entry.id, entry.title, entry.link, facts.published, facts.updated,
              tuple((author.name, author.email, author.uri) for author in entry.authors), entry.categories,
              entry.summary, entry.has_body, entry.image, entry.draft, facts.expires, entry.id_position,
              warnings)
    return Stored(key, facts, marshal.dumps(record), warnings)


def entry_of(stored: bytes) -> Entry:
    (source, entry_id, title, link, published, updated, authors, categories, summary, has_body, image, draft,
     expires, id_position, warnings) = marshal.loads(stored)
    return Entry(source, entry_id, title, link, _moment(published), _moment(updated),
                 tuple(Author(*author) for author in authors), categories, summary, None, has_body, image,
                 draft, _moment(expires), id_position, tuple(Problem(*warning) for warning in warnings))


def warnings_of(stored: Stored) -> list[Problem]:
    """An entry's warnings, as the cache keeps them, as Problems again."""
    return [Problem(*warning) for warning in stored.warnings]


def _moment(stored: int | None) -> Any:
    return None if stored is None else EPOCH + timedelta(microseconds=stored)


def tool_key(root: Path) -> bytes:
    """Whatever, changed, makes every cached record stale: the site's place, this tool, Python
    and every installed distribution."""
    digest = hashlib.blake2b(FORMAT, digest_size=16)
    for part in (str(root.resolve()), __version__, sys.version, _source_files(), _distributions()):
        digest.update(repr(part).encode("utf-8", "surrogateescape"))
    return digest.digest()


def reading_settings(site: Site) -> tuple[Any, ...]:
    """Every setting validate_entry reads: the base of relative links, the zone of times
    written without one, and what names a category's folder (an entry keeps one spelling
    of each folder). An entry read under equal settings is the same entry."""
    return (site.link, site.timezone_name, site.slugs,
            tuple((settings.key, settings.slug) for settings in site.categories if settings.slug))


def item_settings(site: Site) -> tuple[Any, ...]:
    """Every setting prepare_item reads, besides the entry: the summary's length, the byline."""
    return (site.summary_length, tuple(astuple(author) for author in site.authors))


def _derived(key: bytes, part: Any) -> bytes:
    return hashlib.blake2b(key + repr(part).encode("utf-8", "surrogateescape"), digest_size=16).digest()


def _source_files() -> list[tuple[str, int, int]]:
    """This tool's own modules: an edited checkout is a new version even if __version__ is not."""
    package = Path(__file__).parent
    found = []
    for folder, _, names in os.walk(package):
        for name in sorted(names):
            if name.endswith(".py"):
                info = os.stat(os.path.join(folder, name))
                found.append((os.path.join(folder, name), info.st_size, info.st_mtime_ns))
    return sorted(found)


def _distributions() -> list[str]:
    """The name and version of every installed distribution (their metadata folders' names)."""
    names: list[str] = []
    for folder in sys.path:
        try:
            names += (name for name in os.listdir(folder or ".") if name.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
    return sorted(names)


class Cache:
    """The files of .feeds/cache/ for one site: `key` (of the tool and site.yaml's bytes) keys
    the state and the selection; the entries and items are readable only once `reading`
    names the site whose settings key them."""

    def __init__(self, state_dir: Path, tool: bytes, site_yaml: bytes) -> None:
        self.folder = state_dir / "cache"
        self.tool = tool
        self.key = _derived(tool, site_yaml)
        self._entries_key = self._items_key = b""  # set by `reading`; no file carries an empty key
        self._buckets: list[dict[str, Stored] | None] = [None] * BUCKETS

    def reading(self, site: Site) -> Cache:
        """This cache, its entries and items keyed on what reading them under `site` depends on."""
        self._entries_key = _derived(self.tool, reading_settings(site))
        self._items_key = _derived(self._entries_key, item_settings(site))
        self._buckets = [None] * BUCKETS
        return self

    def __getstate__(self) -> tuple[Path, bytes, bytes, bytes]:
        """Sent to a worker process (which writes buckets) without the buckets it has read."""
        return self.folder, self.key, self._entries_key, self._items_key

    def __setstate__(self, state: tuple[Path, bytes, bytes, bytes]) -> None:
        self.folder, self.key, self._entries_key, self._items_key = state
        self.tool = b""
        self._buckets = [None] * BUCKETS

    def entries(self) -> dict[str, Stored]:
        """Every cached entry by path (as shown, relative to the site)."""
        found: dict[str, Stored] = {}
        for number in range(BUCKETS):
            found.update(self.bucket(number))
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

    def items(self) -> dict[Any, Item]:
        """Items by entry key; kept as their fields' tuples, which pickle in half the time."""
        kept = self._read_pickle("items", self._items_key)
        if not isinstance(kept, dict):
            return {}
        try:
            return {key: Item(*fields) for key, fields in kept.items()}
        except TypeError:  # kept by a version with other fields
            return {}

    def save_items(self, items: Mapping[Any, Item]) -> None:
        kept = {key: tuple(vars(item).values()) for key, item in items.items()}
        self._write("items", pickle.dumps(kept, pickle.HIGHEST_PROTOCOL), self._items_key)

    def archive_digests(self) -> dict[str, tuple[StatKey, str]]:
        """What each entry file's bytes were, by path: (stat key when read, digest of them)."""
        payload = self._read("archive-digests", self._entries_key)
        try:
            kept = marshal.loads(payload) if payload is not None else {}
        except (EOFError, ValueError, TypeError):
            return {}
        return kept if isinstance(kept, dict) else {}

    def save_archive_digests(self, digests: Mapping[str, tuple[StatKey, str]]) -> None:
        self._write("archive-digests", marshal.dumps(dict(digests)), self._entries_key)

    def archive_items(self, period: int) -> dict[Any, Item]:
        """The archived items published in one period of time, by (path, content digest)."""
        kept = self._read_pickle(f"archive-items-{period}", self._items_key)
        if not isinstance(kept, dict):
            return {}
        try:
            return {key: Item(*fields) for key, fields in kept.items()}
        except TypeError:  # kept by a version with other fields
            return {}

    def save_archive_items(self, period: int, items: Mapping[Any, Item]) -> None:
        kept = {key: tuple(vars(item).values()) for key, item in items.items()}
        self._write(f"archive-items-{period}", pickle.dumps(kept, pickle.HIGHEST_PROTOCOL), self._items_key)

    def held(self) -> Any:
        """What build/held.py keeps of the entries held in the feeds; None if nothing is held."""
        return self._read_pickle("held", self._items_key)

    def save_held(self, held: Any) -> None:
        """None: nothing is held any more."""
        if held is None:
            (self.folder / "held").unlink(missing_ok=True)
        else:
            self._write("held", pickle.dumps(held, pickle.HIGHEST_PROTOCOL), self._items_key)

    def state(self) -> BuildState | None:
        state = self._read_pickle("state", self.key)
        return state if isinstance(state, BuildState) else None

    def save_state(self, state: BuildState) -> None:
        self._write("state", pickle.dumps(state, pickle.HIGHEST_PROTOCOL), self.key)

    def selection(self) -> Selection | None:
        payload = self._read("selection", self.key)
        try:
            if payload is None:
                return None
            entries, ids, live, margin, buckets, valid_from, valid_until, histories = marshal.loads(payload)
            return Selection(entries=_named(entries), ids=frozenset(ids), live=live, margin=margin, buckets=buckets,
                             valid_from=valid_from, valid_until=valid_until, histories=histories)
        except (EOFError, ValueError, TypeError):
            return None

    def save_selection(self, selection: Selection) -> None:
        # The ids as a tuple: marshal takes thirty times as long over a set of 50,000 strings.
        self._write("selection", marshal.dumps((_plain(selection.entries), tuple(selection.ids),
                                                selection.live,
                                                selection.margin, selection.buckets, selection.valid_from,
                                                selection.valid_until, selection.histories)), self.key)

    def forget_selection(self) -> None:
        """Before the entries change in a way the selection does not follow."""
        (self.folder / "selection").unlink(missing_ok=True)

    def _read_pickle(self, name: str, key: bytes) -> Any:
        payload = self._read(name, key)
        if payload is None:
            return None
        try:
            return pickle.loads(payload)
        except Exception:  # written by a version this one cannot read: start again
            return None

    def _read(self, name: str, key: bytes) -> memoryview | None:
        """The payload, or None when the file is missing, written under another key, or damaged."""
        try:
            data = (self.folder / name).read_bytes()
        except OSError:
            return None
        payload = memoryview(data)[_HEADER:]
        if not key or data[:_HEADER] != FORMAT + key + zlib.crc32(payload).to_bytes(4, "big"):
            return None
        return payload

    def _write(self, name: str, payload: bytes, key: bytes) -> None:
        """Beside, then renamed over: a reader sees the old file or the new one, never half."""
        if not key:
            raise ValueError(f"the cache's {name} are keyed on a site's settings: open it with reading(site)")
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = self.folder / f".{name}.tmp"  # one writer at a time: builds hold the lock
        try:
            with open(temporary, "wb") as stream:
                stream.write(FORMAT + key + zlib.crc32(payload).to_bytes(4, "big"))
                stream.write(payload)
            os.replace(temporary, self.folder / name)
        finally:
            temporary.unlink(missing_ok=True)


def bucket_of(path: str) -> int:
    return zlib.crc32(path.encode("utf-8", "surrogateescape")) % BUCKETS


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


def _named(entries: dict[str, Any]) -> dict[str, Stored]:
    at = _CATEGORIES
    return {path: Stored(key, Facts._make((*facts[:at], _one_of(facts[at]), *facts[at + 1:])), entry, warnings)
            for path, (key, facts, entry, warnings) in entries.items()}


def sharing(stored: Stored) -> Stored:
    """The entry with the one copy in this process of its categories: an archive has a few
    thousand sets of them, and an entry's facts would otherwise spend a third of their bytes on its own."""
    facts = stored.facts
    categories = _one_of(facts.categories)
    return stored if categories is facts.categories else stored._replace(facts=facts._replace(categories=categories))


_CATEGORIES = Facts._fields.index("categories")
_SHARED: dict[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]] = {}
_SHARED_MAX = 1 << 16


def _one_of(categories: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    if len(_SHARED) >= _SHARED_MAX:
        _SHARED.clear()
    return _SHARED.setdefault(categories, categories)


def id_digest(entry_id: str) -> bytes:
    """An id as the selection keeps every entry's: 16 bytes, not the URL, for a set of them
    all that is quick to read and small to hold (two ids alike by chance: one in 2**128)."""
    return hashlib.blake2b(entry_id.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def fingerprint(parts: Iterable[Any]) -> bytes:
    """A digest of plain values (str, int, tuples of them) in order. Marshal format 0 writes
    equal values as equal bytes; later formats mark shared and interned objects."""
    return hashlib.blake2b(marshal.dumps(tuple(parts), 0), digest_size=16).digest()
