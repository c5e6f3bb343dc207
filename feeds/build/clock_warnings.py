"""Warnings that depend on the build's clock, so they are made by every build that selects
and by every check, never kept with an entry in the cache (where one would outlive its
time): a live entry's `updated` ahead of the clock (select.updated_ahead)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from ..model import Entry
from ..problems import Problem
from ..select import updated_ahead
from ..validate import updated_ahead_warning


def clock_warnings(entries: Iterable[Entry], now: datetime, root: Path) -> list[Problem]:
    """`entries`: those the feeds show (a build), or every valid one (a check)."""
    return sorted(updated_ahead_warning(entry, root) for entry in updated_ahead(entries, now))
