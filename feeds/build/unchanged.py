"""The quick path: nothing changed since the last build that published, which is its result."""

from __future__ import annotations

import os
import pickle
from datetime import datetime
from functools import partial
from pathlib import Path

from .. import cache as stored_build
from ..cache import BuildState, Selection, is_as_written
from ..model import Entry, microseconds
from .parse import entries_of
from .results import BuildResult, CheckResult, Lazy
from .scan import Scan


def unchanged_build(root: Path, out: Path | str | None, now: datetime, scan: Scan,
                    cache: stored_build.Cache, previous: BuildState | None, strict: bool) -> BuildResult | None:
    """The last build's result, when no input changed, no scheduled moment has passed,
    every file it wrote is still as it left it and every feed file it left in place is still
    there; None otherwise. A left feed deleted by hand takes the archive chain it links with
    it (one of `formats: [atom]`'s rss.xml kept its pages, removed only by a build that some
    edit sent past this path). Its problems (the entries
    it held back) are said again, as a build that parsed their files again would say them:
    those files are the same, and so is every other. With 500 files of 50,000 broken, such a
    build took five times a clean site's, selecting from every entry. `strict` refuses them."""
    if previous is None or previous.fingerprint is None or scan.problems or (strict and previous.problems):
        return None
    if not holds_at(previous, microseconds(now)):
        return None
    out_dir = root / (out if out is not None else previous.site.publish_dir)
    if os.path.abspath(out_dir) != previous.out_dir or scan.digest != previous.fingerprint:
        return None
    if not all(is_as_written(out_dir / path, output) for path, output in previous.outputs.items()):
        return None
    if not all((out_dir / path).is_file() for path in previous.left):
        return None
    refused = frozenset(problem.path for problem in previous.problems)
    entries = Lazy(len(scan.files) - len(refused), partial(entries_in_cache, cache.reading(previous.site), refused))
    check = CheckResult(site=previous.site, entries=entries, problems=previous.problems,
                        files_checked=previous.files_checked,
                        warnings=(*previous.site.warnings, *previous.warnings))
    feeds = Lazy(previous.feed_count, partial(pickle.loads, previous.feeds))
    return BuildResult(check=check, out_dir=out_dir, unchanged=tuple(previous.outputs), feeds=feeds,
                       items_published=previous.items_published, next_change=previous.next_change, published=True,
                       cuts=previous.cuts, left=previous.left,
                       held=previous.held)


def holds_at(state: BuildState | Selection, now: int) -> bool:
    """No entry has appeared or expired since that build: it selected what a build now would."""
    return ((state.valid_from is None or state.valid_from <= now)
            and (state.valid_until is None or now < state.valid_until))


def entries_in_cache(cache: stored_build.Cache, refused: frozenset[str] = frozenset()) -> tuple[Entry, ...]:
    """Every cached entry but those `refused`, in the order of the scan (of their paths'
    parts). The cache may hold a refused file's last good record: a build refused with
    --strict puts it back, for the next build that holds it."""
    cached = cache.entries()
    return entries_of(cached[path] for path in sorted(cached, key=lambda path: path.split("/")) if path not in refused)
