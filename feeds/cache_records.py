"""An entry as the cache keeps it (`Stored`: stat key, Facts, the Entry marshalled, its
warnings), and the small digests the cache and the build name things by."""

from __future__ import annotations

import hashlib
import marshal
import struct
from collections.abc import Iterable, Mapping
from dataclasses import astuple
from datetime import timedelta
from typing import Any, NamedTuple

from .feed_kinds import Facts, facts_of
from .model import EPOCH, Author, Entry, Item
from .problems import Problem

# A file's size, mtime_ns, ctime_ns and inode, packed: one object to load, not five.
StatKey = bytes
STAT_KEY = struct.Struct("<qqqQ")


class Stored(NamedTuple):
    """One valid entry file as the cache keeps it. Written as a plain tuple (marshal takes
    no named ones) and named again as it is read."""

    key: StatKey
    facts: Facts
    entry: bytes  # the Entry's fields, marshalled, its body left out (see store); IN_CACHE in a light record
    warnings: tuple[tuple[Any, ...], ...]  # the entry's warnings as plain Problem fields: read without the entry


# A light record's `entry`: its bytes are in the cache file only. Selecting reads Facts alone,
# and those bytes are half a record, so a build over every entry holds them only for the
# few a feed can show (Cache.completed); marshal never writes an empty tuple as b"".
IN_CACHE = b""


def light(stored: Stored) -> Stored:
    return stored._replace(entry=IN_CACHE)


UNSETTLED = b""  # the stat key kept for a file too new to trust: it never matches, so it is parsed again


def last_change(key: StatKey) -> int:
    _, mtime, ctime, _ = STAT_KEY.unpack(key)
    return max(mtime, ctime)


def file_of(key: StatKey | None) -> tuple[int, int, int] | None:
    """What a stat key says of the file wherever it is: renaming it changes its ctime, not
    its size, mtime or inode (a copy has an inode of its own). None: a key never trusted."""
    if not key:
        return None
    size, mtime, _, inode = STAT_KEY.unpack(key)
    return size, mtime, inode


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


def sharing(stored: Stored) -> Stored:
    """The entry with the one copy in this process of its categories: an archive has a few
    thousand sets of them, and an entry's facts would otherwise spend a third of their bytes on its own."""
    facts = stored.facts
    categories = one_of(facts.categories)
    return stored if categories is facts.categories else stored._replace(facts=facts._replace(categories=categories))


CATEGORIES = Facts._fields.index("categories")
_SHARED: dict[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]] = {}
_SHARED_MAX = 1 << 16


def one_of(categories: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    if len(_SHARED) >= _SHARED_MAX:
        _SHARED.clear()
    return _SHARED.setdefault(categories, categories)


def id_digest(entry_id: str) -> bytes:
    """An id as the selection keeps every entry's: 16 bytes, not the URL, for a set of them
    all that is quick to read and small to hold (two ids alike by chance: one in 2**128)."""
    return hashlib.blake2b(entry_id.encode("utf-8", "surrogatepass"), digest_size=16).digest()


FINGERPRINT_BYTES = 16


def fingerprint(parts: Iterable[Any]) -> bytes:
    """A digest of plain values (str, int, tuples of them) in order. Marshal format 0 writes
    equal values as equal bytes; later formats mark shared and interned objects. A slice at
    a time: the stat keys of 200,000 files would be 40 MB of bytes at once."""
    values = tuple(parts)
    digest = hashlib.blake2b(digest_size=FINGERPRINT_BYTES)
    for start in range(0, len(values), FINGERPRINT_SLICE):
        digest.update(marshal.dumps(values[start:start + FINGERPRINT_SLICE], 0))
    return digest.digest()


FINGERPRINT_SLICE = 4096


def items_of(kept: Mapping[Any, Any]) -> dict[Any, Item]:
    """Items kept as plain tuples of their fields, which pickle in half the time of named
    ones, and are named again without a call per item (an edit reads a thousand)."""
    made: dict[Any, Item] = {}
    for key, fields in kept.items():
        if type(fields) is not tuple or len(fields) != len(Item._fields):  # kept by a version with other fields
            return {}
        made[key] = _named_item(Item, fields)
    return made


_named_item = tuple.__new__


def fields_of(items: Mapping[Any, Item]) -> dict[Any, tuple[Any, ...]]:
    return {key: tuple(item) for key, item in items.items()}
