"""A progress bar for long builds, drawn on stderr only where a person is watching.

Nothing is drawn when stderr is not a terminal (cron, CI, a pipe), with --quiet, or
for a build that ends within a second: quick builds stay as quiet as they were.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

# Told of progress as (stage, done, total); stage is "parsing", "rendering" or "writing".
ProgressCallback = Callable[[str, int, int], None]


def no_progress(stage: str, done: int, total: int) -> None:
    """The callback of a caller that is not told."""
DELAY_SECONDS = 1.0
BAR_WIDTH = 30


class ProgressBar:
    """A callback (stage, done, total) that redraws one line in place, once DELAY has passed."""

    def __init__(self, stream: TextIO, delay: float = DELAY_SECONDS,
                 clock: Callable[[], float] = time.monotonic, columns: int | None = None) -> None:
        self.stream = stream
        self.delay = delay
        self.clock = clock
        self.started = clock()
        self.columns = columns or shutil.get_terminal_size().columns
        self.shown = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.clock() - self.started < self.delay:
            return
        line = progress_line(stage, done, total)[: self.columns - 1]
        if line != self.shown:
            self.stream.write("\r" + line.ljust(len(self.shown)))
            self.stream.flush()
            self.shown = line

    def clear(self) -> None:
        """Blank the line, so what is printed next starts on a clean one."""
        if self.shown:
            self.stream.write("\r" + " " * len(self.shown) + "\r")
            self.stream.flush()
            self.shown = ""


def progress_line(stage: str, done: int, total: int) -> str:
    """'rendering [###########-------------------]   120/320'"""
    filled = BAR_WIDTH * done // total if total else BAR_WIDTH
    width = len(f"{total:,}")
    return f"{stage:<9} [{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {done:>{width},}/{total:,}"


def _ignore(stage: str, done: int, total: int) -> None:
    return None


@contextmanager
def progress_bar(stream: TextIO, enabled: bool = True, delay: float | None = None,
                 clock: Callable[[], float] = time.monotonic) -> Iterator[ProgressCallback]:
    """A bar on `stream` if it is a terminal and `enabled`, else a callback that does nothing.

    The line is cleared on the way out, even when the build raises.
    """
    if not enabled or not _is_terminal(stream):
        yield _ignore
        return
    bar = ProgressBar(stream, DELAY_SECONDS if delay is None else delay, clock)
    try:
        yield bar
    finally:
        bar.clear()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
