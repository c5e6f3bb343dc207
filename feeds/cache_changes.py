"""What changed between two versions of a large cached value, found by identity: a rebuild
keeps every record it did not touch as the very object it read, so comparing objects finds
the few it replaced without comparing their contents. The cache writes these changes beside
the version they change (cache.Cache.save_selection), instead of writing the whole again."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from itertools import compress, repeat
from operator import is_not
from typing import Any, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
T = TypeVar("T")

_MISSING = object()
_CHUNK = 512  # elements compared as one slice before one by one


def dict_changes(base: Mapping[K, V], new: Mapping[K, V]) -> tuple[dict[K, V], list[K]]:
    """The keys whose values are not base's objects (new or replaced), and the keys gone.
    Compared in C (map, compress): a loop in Python over 50,000 keys took three times as long."""
    keys = list(new)
    differs = map(is_not, map(base.get, keys, repeat(_MISSING)), new.values())
    changed = {key: new[key] for key in compress(keys, differs)}
    added = sum(1 for key in changed if key not in base)
    kept = len(new) - added  # base's keys still there: when that is all of them, none is gone
    return changed, [] if kept == len(base) else [key for key in base if key not in new]


def with_dict_changes(base: Mapping[K, V], changed: Mapping[K, V], gone: Sequence[K]) -> dict[K, V]:
    """`base` with `dict_changes` applied: a new dict, base untouched. Each changed key goes
    to the end, as a rebuild puts the entries it replaced."""
    result = dict(base)
    for key in gone:
        del result[key]
    for key in changed:
        result.pop(key, None)
    result.update(changed)
    return result


def splice(base: Sequence[T], new: Sequence[T]) -> tuple[int, int, list[T]]:
    """(start, stop, middle): new is base with base[start:stop] replaced by middle, the one
    run of elements where they differ."""
    start = _common_prefix(base, new)
    end = _common_suffix(base, new, min(len(base), len(new)) - start)
    return start, len(base) - end, list(new[start:len(new) - end])


def with_splice(base: Sequence[T], start: int, stop: int, middle: Sequence[T]) -> list[T]:
    if not 0 <= start <= stop <= len(base):
        raise ValueError(f"a splice of {start}:{stop} does not fit {len(base)} elements")
    return [*base[:start], *middle, *base[stop:]]


def lists_changes(base: Mapping[K, Sequence[T]], new: Mapping[K, Sequence[T]]
                  ) -> tuple[dict[K, tuple[int, int, list[T]]], list[K]]:
    """Each list not base's own object as a splice of base's (of an empty list if new), and
    the keys gone."""
    changed = {key: splice(base.get(key, ()), value) for key, value in new.items() if base.get(key) is not value}
    return changed, list(base.keys() - new.keys())


def with_lists_changes(base: Mapping[K, list[T]], changed: Mapping[K, tuple[int, int, Sequence[T]]],
                       gone: Sequence[K]) -> dict[K, list[T]]:
    """`base` with `lists_changes` applied: a new dict whose lists changed are new lists
    (base's are untouched); a key keeps its place, a new key goes to the end."""
    result = dict(base)
    for key in gone:
        del result[key]
    for key, (start, stop, middle) in changed.items():
        result[key] = with_splice(result.get(key, []), start, stop, middle)
    return result


def _common_prefix(first: Sequence[Any], second: Sequence[Any]) -> int:
    limit = min(len(first), len(second))
    start = 0
    while start + _CHUNK <= limit and first[start:start + _CHUNK] == second[start:start + _CHUNK]:
        start += _CHUNK
    while start < limit and first[start] == second[start]:
        start += 1
    return start


def _common_suffix(first: Sequence[Any], second: Sequence[Any], most: int) -> int:
    """How many last elements the two share, at most `most`."""
    end = 0
    while end + _CHUNK <= most and first[len(first) - end - _CHUNK:len(first) - end] == \
            second[len(second) - end - _CHUNK:len(second) - end]:
        end += _CHUNK
    while end < most and first[len(first) - end - 1] == second[len(second) - end - 1]:
        end += 1
    return end
