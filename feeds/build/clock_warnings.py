"""Warnings that depend on the build's clock, so they are made by every build that selects
and by every check, never kept with an entry in the cache (where one would outlive its
time): a live entry's `updated` ahead of the clock (select.updated_ahead), and a story
scheduled more than a year ahead (select.scheduled_far_ahead)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from ..dates import format_iso
from ..load import RawDocument, read_document
from ..model import Entry
from ..problems import Problem, quote
from ..select import scheduled_far_ahead, updated_ahead


def clock_warnings(entries: Iterable[Entry], now: datetime, root: Path) -> list[Problem]:
    """`entries`: those the feeds show and those scheduled (a build), or every valid one (a check)."""
    entries = list(entries)
    return sorted([*(_updated_ahead_warning(entry, root) for entry in updated_ahead(entries, now)),
                   *(_scheduled_far_warning(entry, root) for entry in scheduled_far_ahead(entries, now))])


def _written_again(entry: Entry, root: Path, field: str, moment: str) -> tuple[int, int, str]:
    """Where `field` stands in the entry's file and how it is written there, read again (a
    clock's warning is rare, and positions are not kept); its `moment` if it cannot be."""
    doc = read_document(root / entry.source, entry.source)
    node = doc.root.value.get(field) if isinstance(doc, RawDocument) and isinstance(doc.root.value, dict) else None
    if node is None:
        return 1, 1, moment
    return node.line, node.column, node.text if node.text is not None else moment


def _scheduled_far_warning(entry: Entry, root: Path) -> Problem:
    """The warning for an entry scheduled more than a year ahead (select.scheduled_far_ahead),
    at its `published:` line."""
    moment = format_iso(entry.published)
    line, column, written = _written_again(entry, root, "published", moment)
    return Problem(entry.source, line, column, "published", "scheduled-far-ahead",
                   f"found {quote(written)} ({moment}), more than a year ahead: the story is scheduled until then",
                   "if the year is typed wrong, correct it; a story meant for later stays out of the feeds until its "
                   "time", "warning")


def _updated_ahead_warning(entry: Entry, root: Path) -> Problem:
    """The warning for an entry whose `updated` is ahead of the clock (select.updated_ahead),
    at its `updated:` line, read again from its file (it is rare, and positions are not kept).
    A build that finds nothing changed repeats it, so it names no time but the entry's own."""
    moment = format_iso(entry.updated or entry.published)
    line, column, written = _written_again(entry, root, "updated", moment)
    return Problem(entry.source, line, column, "updated", "updated-ahead",
                   f"expected a time no later than the build's, found {quote(written)} ({moment}), ahead of the clock",
                   "it is published as written, which readers sort first and the W3C validator calls implausible: "
                   "check the year and the timezone", "warning")
