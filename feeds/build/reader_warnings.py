"""Warnings of what would change under readers in stories they have: ids, and times no
correction moved. Readers know an item by its id alone (RSS guid, Atom id, JSON Feed id):
one whose id changes is shown again, as a new story, beside the one they have. The SPEC
makes an entry's id its absolute link when it gives none, so a slug corrected, an `id:`
added to a published story, or the site's `link` moved to https changes it (and a new
story written at a deleted one's link takes the id readers know that one by); and a time
written without an offset is on the site's clock, so a new `timezone` moves every such
story's published and updated times, and readers show them again as updated. The tool
publishes what the entries and site.yaml say, and says so, in `feeds check` and a dry run
before the build, and in the build that makes the change. Never kept with the entry or in
the build's state: once published, both versions are out there, and a warning repeated
after it would offer a fix that changes them again."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta
from pathlib import Path

from ..cache import UNSETTLED, Cache, Stored
from ..dates import format_iso
from ..model import EPOCH, SITE_FILE, Entry, Site
from ..problems import Problem, quote
from ..select import has_appeared, is_live
from .held import HoldState
from .parse import entries_of
from .scan import on_disk


def reader_warnings(site: Site, cache: Cache, cached: Mapping[str, Stored], held: HoldState,
                    read_before: Mapping[str, Stored] | None, valid: Mapping[str, Stored], parsed: Iterable[str],
                    moment: int, in_use: Callable[[str], bool], upgraded: bool = False,
                    last_moment: Callable[[], int | None] = lambda: None) -> list[Problem]:
    """A warning for each published entry whose id changes with its file (`cached`: the last
    build's records, and the versions `held` at the last build); or, when the settings entries
    are read under, or the release (`upgraded`), changed since (`read_before`: the last
    build's records, under those), one for all whose ids change and one for all whose times
    move though their files did not. Only an entry parsed again (`parsed`, of the `valid`
    ones) can change. An id another entry has now (`in_use`) is not offered back: it went
    with that entry (the duplicate-id rule), and taking it again would make them two.
    Readers had a story if the last build published it (`last_moment`: a moment its
    selection held at, read only if a warning may be due; None: `moment`): a story
    scheduled then, its link corrected before it fell due, is news to them under either id."""
    entries = {path: valid[path] for path in parsed if path in valid}
    then = _once(lambda: _or(last_moment(), moment))
    if read_before is None:
        known = {**{path: entry.stored for path, entry in held.entries.items()}, **cached}
        had = changed_ids(known, entries, moment, then)
        had = {path: entry_id for path, entry_id in had.items() if not in_use(entry_id)}
        taken = taken_ids(known, entries, site.root, moment, then)
        loaded = _loaded(cache, {**{path: entries[path] for path in [*had, *taken]},
                                 **{gone: entries.get(gone) or known[gone] for gone in taken.values()}})
        return [*(entry_id_warning(loaded[path], had[path]) for path in had),
                *(taken_id_warning(loaded[path], loaded[gone], entries.get(gone)) for path, gone in taken.items()
                  if loaded[path].title != loaded[gone].title)]
    had = changed_ids(read_before, entries, moment, then)
    # An entry whose file was edited since is told at its own line: its id changed with the
    # edit, not with site.yaml or the release, whose undoing would not keep it.
    edited = {path: entry_id for path, entry_id in had.items() if not as_it_was(read_before[path], entries[path])}
    told = {path: entry_id for path, entry_id in edited.items() if not in_use(entry_id)}
    loaded = _loaded(cache, {path: entries[path] for path in told})
    unedited = {path: entry_id for path, entry_id in had.items() if path not in edited}
    moved = moved_times(read_before, entries, moment, then)
    return [*(entry_id_warning(loaded[path], told[path]) for path in told),
            *([site_id_warning(site.root, unedited, {path: entries[path].facts.id for path in unedited}, upgraded)]
              if unedited else []),
            *([site_time_warning(site.root, moved, entries, upgraded)] if moved else [])]


def claimed_by(entries: Mapping[str, Stored]) -> Callable[[str], bool]:
    """Whether an entry of `entries` (but a draft) has an id: the set is made on the first question."""
    ids: set[str] = set()

    def has(entry_id: str) -> bool:
        if not ids:
            ids.update(stored.facts.id for stored in entries.values() if not stored.facts.draft)
        return entry_id in ids
    return has


def last_build_moment(cache: Cache) -> Callable[[], int | None]:
    """A moment the last good build's selection held at, the start of its span (not later than
    that build), which readers have its feeds as of; None where no build is recorded."""
    def read() -> int | None:
        state = cache.state()
        return state.valid_from if state is not None else None
    return read


def _or(value: int | None, default: int) -> int:
    return default if value is None else value


def _once(read: Callable[[], int]) -> Callable[[], int]:
    """read(), read on the first call alone."""
    found: list[int] = []

    def value() -> int:
        if not found:
            found.append(read())
        return found[0]
    return value


def taken_ids(known: Mapping[str, Stored], entries: Mapping[str, Stored], root: Path, moment: int,
              then: Callable[[], int]) -> dict[str, str]:
    """New path -> path of the story readers had: each entry new since the last build (not in
    `known`) and live at `moment` whose id is that of a story readers had by the last build
    (`then`), published at
    another time, which left it: its file is gone from items/, or it has another id now. A
    story moved to another file keeps its published time."""
    if not known:  # a cold build: nothing to compare with
        return {}
    new = {stored.facts.id: path for path, stored in entries.items()
           if path not in known and is_live(stored.facts, moment)}
    if not new:
        return {}
    return {new[was.facts.id]: path for path, was in known.items()
            if was.facts.id in new and was.facts.published != entries[new[was.facts.id]].facts.published
            and _left_its_id(root, path, was, entries.get(path)) and has_appeared(was.facts, then())}


def _left_its_id(root: Path, path: str, was: Stored, now: Stored | None) -> bool:
    """The story at `path` no longer has the id it had (`was`): its file is gone, or its id changed."""
    if now is not None:
        return now.facts.id != was.facts.id
    return not os.path.lexists(on_disk(str(root), path))


def _loaded(cache: Cache, records: Mapping[str, Stored]) -> dict[str, Entry]:
    """The entries of a few records, by path, read from the cache where the records are light."""
    return {entry.source: entry for entry in entries_of(cache.completed(records).values())}


def changed_ids(before: Mapping[str, Stored], after: Mapping[str, Stored], moment: int,
                then: Callable[[], int]) -> dict[str, str]:
    """Path -> the id readers had, for each entry live in its last build's version (`before`)
    at that build (`then`) and in this one (`after`) at `moment` whose id differs."""
    return {path: was.facts.id for path, stored in after.items()
            if (was := before.get(path)) is not None and was.facts.id != stored.facts.id
            and is_live(stored.facts, moment) and is_live(was.facts, then())}


def moved_times(before: Mapping[str, Stored], after: Mapping[str, Stored], moment: int,
                then: Callable[[], int]) -> dict[str, Stored]:
    """Path -> the last build's record, for each entry live at that build (`then`) and now whose file
    is as it was (its stat key, or one too new to trust then) but whose published or updated
    time is not. A time only one of them has was written or deleted: a file too new to
    trust may have been edited since (an `updated:` added), and a time is not moved by
    the timezone into being (it was a traceback, naming the missing time)."""
    return {path: was for path, stored in after.items()
            if (was := before.get(path)) is not None and as_it_was(was, stored)
            and any(old is not None and new is not None and old != new
                    for old, new in ((was.facts.published, stored.facts.published),
                                     (was.facts.updated, stored.facts.updated)))
            and is_live(stored.facts, moment) and is_live(was.facts, then())}


def as_it_was(was: Stored, now: Stored) -> bool:
    """The entry's file is as it was at the last build (its stat key, or one too new to trust then)."""
    return was.key in (now.key, UNSETTLED)


def entry_id_warning(entry: Entry, had: str) -> Problem:
    """At the entry's `id:` (or `link:`, its id when it gives none), with the line that keeps the old id."""
    line, column = entry.id_position
    return Problem(entry.source, line, column, "link" if entry.id == entry.link else "id", "id-changed",
                   f"expected the id readers know this published story by, {quote(had)}, found it changed to "
                   f"{quote(entry.id)}",
                   f"readers would show it again, as a new story; to keep its id, give the entry the line id: {had} "
                   f"(an id need not be its link)", "warning")


def taken_id_warning(entry: Entry, gone: Entry, still: Stored | None) -> Problem:
    """At the new entry's `id:` (or `link:`), which takes the id of a story readers had, its
    file gone from items/ or (`still` its record now) its id another."""
    left = "gone from items/" if still is None else f"its id changed to {quote(still.facts.id)}"
    line, column = entry.id_position
    return Problem(entry.source, line, column, "link" if entry.id == entry.link else "id", "id-taken",
                   f"expected an id readers have not had, found {quote(entry.id)}, the id of {gone.source} "
                   f"({quote(gone.title)}), {left} since the last build",
                   "readers would take this story for that one, edited, and not show it as new; if it is a new story, "
                   "give it an id: urn:uuid:… of its own (its link may stay)", "warning")


def site_id_warning(root: Path, had: Mapping[str, str], now: Mapping[str, str], upgraded: bool) -> Problem:
    """One warning at site.yaml's `link:` for the ids that changed with the settings entries are
    read under (the site's link moved) or with a release that writes links otherwise, not one
    for each of a whole archive's entries."""
    path = min(had)
    line, column = _place(root, "link")
    cause, undo = ("this release of feeds", "build with the release before") if upgraded else (
        "the site's link", "keep the link as it was")
    return Problem(SITE_FILE, line, column, "link", "ids-changed",
                   f"expected the ids readers know published stories by to stay, found those of {_stories(len(had))} changed with "
                   f"{cause} ({path}: {quote(had[path])} is now {quote(now[path])})",
                   f"readers would show each again, as a new story; to keep their ids, give each entry the id it had "
                   f"({path}: id: {had[path]}), or {undo}", "warning")


def site_time_warning(root: Path, moved: Mapping[str, Stored], now: Mapping[str, Stored], upgraded: bool) -> Problem:
    """One warning at site.yaml's `timezone:` for the published stories whose times moved with
    it (or with a release's time zone data), their files unchanged: no correction moved them.
    The time named is one that moved: a story published at a time with an offset may have
    an `updated:` without one."""
    path = min(moved)
    field = "published" if moved[path].facts.published != now[path].facts.published else "updated"
    was, is_now = (format_iso(EPOCH + timedelta(microseconds=getattr(stored.facts, field)))
                   for stored in (moved[path], now[path]))
    line, column = _place(root, "timezone")
    cause, undo = ("this release of feeds or its time zone data", "build with the release before") if upgraded else (
        "the timezone", "keep the timezone as it was")
    return Problem(SITE_FILE, line, column, "timezone", "times-moved",
                   f"expected the times of published stories to stay as readers have them, found those of {_stories(len(moved))} "
                   f"moved with {cause}, their files unchanged ({path}: {field} {was} is now {is_now})",
                   f"readers would show each again as updated; to keep them, write their times with an offset "
                   f"({path}: {field}: {was}), or {undo}", "warning")


def _stories(count: int) -> str:
    """How many stories a warning at site.yaml is for: "1 published story", "5,000 published stories"."""
    return f"{count:,} published {'story' if count == 1 else 'stories'}"


def _place(root: Path, key: str) -> tuple[int, int]:
    """The line and column of site.yaml's value of `key` (1, 1 if it cannot be read again)."""
    from ..load import RawDocument, read_document

    doc = read_document(root / SITE_FILE, SITE_FILE)
    node = doc.root.value.get(key) if isinstance(doc, RawDocument) and isinstance(doc.root.value, dict) else None
    return (1, 1) if node is None else (node.line, node.column)
