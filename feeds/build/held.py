"""Hold, don't stop: while an entry is invalid, readers keep its last good version.

An entry readers have had (a feed or an archive page showed it, so its Item is in the cache) that is invalid
now is held: its last good Stored record and Item are kept in .feeds/cache/held and stand
in for it in every build until its file is fixed or deleted. An invalid entry readers never
had stays out. The held record is taken the first time the entry is found invalid, from
the cache of the last build in which it was valid, and kept as it is after that. With it
is kept the stat key its invalid file had, so that a file moved to another folder while
invalid is still held: it is the same story.

When two entries claim one id, the one that keeps it is kept there too (`owners`), so every
later build, cold or not, names the same newcomer while the clash lasts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from .. import cache as stored_build
from ..cache import ItemKey, Stored
from ..model import Item, microseconds
from ..problems import Problem
from .scan import renamed


class HeldEntry(NamedTuple):
    """An invalid entry's last good version: what selection and the feeds need of it, and
    where its invalid file is (moved since, it is still the same story)."""

    stored: Stored
    item: Item
    file: str = ""  # the invalid file's path as shown, when the last build found it away from its own
    seen: stored_build.StatKey = stored_build.UNSETTLED  # that file's stat key then
    # The held version's content digest, which names the archive pages holding it: its file's
    # bytes are gone, and the cache's digest of them goes with the cache (_held_digest).
    digest: str = ""

    def file_at(self, path: str) -> str:
        """Where the invalid file of the entry held under `path` is."""
        return self.file or path


class HoldState(NamedTuple):
    entries: dict[str, HeldEntry]  # by path
    owners: dict[str, str]  # id -> the path that keeps it, for each id a newcomer also claims


NOTHING_HELD = HoldState({}, {})


def hold_state(cache: stored_build.Cache) -> HoldState:
    kept = cache.held()
    return kept if isinstance(kept, HoldState) else NOTHING_HELD


def save_hold_state(cache: stored_build.Cache, state: HoldState) -> None:
    cache.save_held(state if state.entries or state.owners else None)


def held_entries(problems: Iterable[Problem], cached: Mapping[str, Stored], before: Mapping[str, HeldEntry],
                 cache: stored_build.Cache, keys: Mapping[str, stored_build.StatKey | None]) -> dict[str, HeldEntry]:
    """Every entry to hold, by path: those with a problem now (or in a folder that has one)
    that were held before, or were valid at the last build and shown in a feed. An entry
    held whose invalid file was moved is held on under its own path, until the file is
    fixed or deleted. `keys`: every entry file's stat key now."""
    invalid = {problem.path for problem in problems}

    def is_invalid(path: str) -> bool:
        """The path, or a folder it is in, has a problem: looked up a folder at a time, as
        each path was matched against every problem's (500 problems made 50,000 paths 0.1 s)."""
        while path not in invalid:
            path, slash, _ = path.rpartition("/")
            if not slash:
                return False
        return True

    held = {path: entry for path, entry in before.items() if is_invalid(entry.file_at(path))}
    files = {entry.file_at(path) for path, entry in before.items()}
    moved = renamed({path: entry.seen for path, entry in before.items() if entry.file_at(path) not in keys},
                    {path: keys[path] for path in invalid if path in keys and path not in files})
    held.update((old, before[old]._replace(file=path)) for path, old in moved.items())
    files.update(moved)
    newly = {path: path for path in cached if is_invalid(path) and path not in held}
    newly.update(_moved_valid(cached, keys, held, invalid - files))
    if newly:
        kept = cache.items((path, cached[path].key) for path in newly if cached[path].key != stored_build.UNSETTLED)
        found = {path: item for path in newly
                 if (item := _last_item(cache, kept, path, cached[path].key) or _archived_item(cache, path, cached[path]))}
        records = cache.completed({path: cached[path] for path in found})  # with their entries' bytes, to keep
        digests = cache.archive_digests() if found else {}
        held.update((path, HeldEntry(records[path], item, file="" if newly[path] == path else newly[path],
                                     digest=_held_digest(path, records[path], digests)))
                    for path, item in found.items())
    return {path: _found_at(path, entry, keys) for path, entry in sorted(held.items(), key=lambda pair: pair[0].split("/"))}


def _moved_valid(cached: Mapping[str, Stored], keys: Mapping[str, stored_build.StatKey | None],
                 held: Mapping[str, HeldEntry], invalid: Iterable[str]) -> dict[str, str]:
    """Path before -> invalid file now, of each entry valid at the last build whose file was
    moved since and is invalid now: a move and a settings change that breaks it, in one
    interval. It is the same story, held under its own path as a held file moved is."""
    arrived = {path: keys[path] for path in invalid if path in keys and path not in cached}
    gone = {path: stored.key for path, stored in cached.items() if path not in keys and path not in held}
    return {old: path for path, old in renamed(gone, arrived).items()}


def _held_digest(path: str, stored: Stored, digests: Mapping[str, tuple[stored_build.StatKey, str]]) -> str:
    """The content digest of the version held: the one the archives read of its file at that
    stat key (so its pages keep their names), else one of its record, as the version's own."""
    known = digests.get(path)
    if known is not None and known[0] == stored.key:
        return known[1]
    return hashlib.blake2b(path.encode("utf-8", "surrogateescape") + b"\0held\0" + stored.entry,
                           digest_size=16).hexdigest()


def found_again(held: Mapping[str, HeldEntry], keys: Mapping[str, stored_build.StatKey | None]) -> dict[str, HeldEntry]:
    """The held entries, those whose invalid files are among `keys` (path -> stat key now) with those keys."""
    return {path: _found_at(path, entry, keys) if entry.file_at(path) in keys else entry for path, entry in held.items()}


def _found_at(path: str, entry: HeldEntry, keys: Mapping[str, stored_build.StatKey | None]) -> HeldEntry:
    """The held entry, with the stat key its invalid file has now (to know it if it moves)."""
    file = entry.file_at(path)
    return entry._replace(file="" if file == path else file, seen=keys.get(file) or stored_build.UNSETTLED)


def _last_item(cache: stored_build.Cache, kept: Mapping[ItemKey, Item], path: str,
               key: stored_build.StatKey) -> Item | None:
    """The Item made from this version of the entry (`kept`: those of every settled version
    newly held, read at once). A file saved too recently to trust its stat key is cached
    without it: then the one Item kept for its path, if only one is."""
    if key != stored_build.UNSETTLED:
        return kept.get((path, key))
    found = cache.items_at(path)
    return found[0] if len(found) == 1 else None


def _archived_item(cache: stored_build.Cache, path: str, stored: Stored) -> Item | None:
    """The Item an archive page holds of this version of the entry: a story newer ones
    pushed out of every feed is still published there (archive: true). The cache of
    archived items keeps one version of each file (an edit replaces the pages holding it);
    where it holds more, the one whose digest was read at this version's stat key. An
    older version than this one (its id, date or categories not this one's) is never taken."""
    facts = stored.facts
    kept = cache.archive_items(facts.published // stored_build.ARCHIVE_PERIOD)
    found = {digest: item for (source, digest), item in kept.items() if source == path
             and (item.id, microseconds(item.published), item.categories)
             == (facts.id, facts.published, tuple(name for _, name in facts.categories))}
    if len(found) == 1:
        return next(iter(found.values()))
    known = cache.archive_digests().get(path)
    return found.get(known[1]) if known is not None and known[0] == stored.key else None
