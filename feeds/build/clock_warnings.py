"""Warnings that depend on the build's clock, so they are made by every build that selects
and by every check, never kept with an entry in the cache (where one would outlive its
time): a live entry's `updated` ahead of the clock (select.updated_ahead), and a story
scheduled more than a year ahead (select.scheduled_far_ahead)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from ..model import Entry
from ..problems import Problem
from ..select import scheduled_far_ahead, updated_ahead
from ..validate import scheduled_far_warning, updated_ahead_warning


def clock_warnings(entries: Iterable[Entry], now: datetime, root: Path) -> list[Problem]:
    """`entries`: those the feeds show and those scheduled (a build), or every valid one (a check)."""
    entries = list(entries)
    return sorted([*(updated_ahead_warning(entry, root) for entry in updated_ahead(entries, now)),
                   *(scheduled_far_warning(entry, root) for entry in scheduled_far_ahead(entries, now))])
