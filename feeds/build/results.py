"""What check_site and build_site return: plain records, some values made on first use."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ..model import Entry, FeedCut, FeedSpec, Site, is_entry_file
from ..problems import Problem

if TYPE_CHECKING:  # the dry run's module is imported only by a dry run
    from ..dry_run import FeedChange

T = TypeVar("T")


@dataclass(frozen=True, kw_only=True)
class CheckResult:
    """What validation found: the site and entries if valid, and every problem.

    After a build, `entries` is read from the cache on first use: most builds never look.
    """

    site: Site | None
    entries: Sequence[Entry]
    problems: tuple[Problem, ...]
    files_checked: int
    warnings: tuple[Problem, ...] = ()  # site.yaml's and the valid entries': reported, never failing the check

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def entries_with_problems(self) -> int:
        """Entry files found invalid (a folder that cannot be read is not one)."""
        return len({problem.path for problem in self.problems if is_entry_file(problem.path)})


@dataclass(frozen=True, kw_only=True)
class BuildResult:
    check: CheckResult
    out_dir: Path
    written: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    feeds: Sequence[FeedSpec] = ()
    items_published: int = 0
    next_change: datetime | None = None
    files_parsed: int = 0  # entry files parsed by this build (the rest came from the cache)
    feeds_rendered: int = 0  # feed files rendered by this build (the rest were unchanged)
    dry_run: bool = False  # then `written` are the files a build would write, and nothing was
    removed: tuple[str, ...] = ()  # the archive documents no feed links any more, removed (a dry run's: to remove)
    feed_changes: tuple[FeedChange, ...] = ()  # a dry run's: what the items of each changed feed do
    published: bool = False  # the feeds were brought up to date (with problems, when entries are held)
    held: tuple[str, ...] = ()  # the invalid entries whose last good versions stay in the feeds (not expired)
    cuts: tuple[FeedCut, ...] = ()  # feed files max_bytes cut, by path
    preview: bool = False  # dated after the clock (`now`): delivered to no target and no hub
    left: tuple[str, ...] = ()  # files earlier builds wrote that this one does not (a format or a kind of feed switched off), still served
    owed: tuple[str, ...] = ()  # the feed URLs this build owed the hubs that no hub was owed before it
    hubs_record_unreadable: str = ""  # the record of what the hubs were owed was found damaged (written anew), as a line


class StaleResult(RuntimeError):
    """A build's entries were first asked for after another build of the site rewrote the
    cache they are read from: they would be that build's, not this one's."""


def pinned(entries: Sequence[T], version: Callable[[], object]) -> Sequence[T]:
    """`entries`; if they are still to be read from the cache, read only while `version()`
    (the cache's files) is as it is now, else StaleResult."""
    if not isinstance(entries, Lazy) or entries.made:
        return entries
    built = version()

    def made_unless_stale() -> tuple[T, ...]:
        if version() != built:
            raise StaleResult("a build's entries are read from the site's cache (.feeds/cache/) when first asked for, "
                              "and it has changed since (the site was built again): read them before the next build, "
                              "or call check_site for the entries as they are now")
        return tuple(entries)

    return Lazy(len(entries), made_unless_stale)


class Lazy(Sequence[T]):
    """A tuple made on first use, for results that are costly to make and seldom read."""

    def __init__(self, count: int, make: Callable[[], tuple[T, ...]]) -> None:
        self._count = count
        self._make: Callable[[], tuple[T, ...]] | None = make
        self._values: tuple[T, ...] = ()

    def _all(self) -> tuple[T, ...]:
        if self._make is not None:
            self._values, self._make = self._make(), None
        return self._values

    @property
    def made(self) -> bool:
        return self._make is None

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: Any) -> Any:
        return self._all()[index]

    def __iter__(self) -> Iterator[T]:
        return iter(self._all())

    def __repr__(self) -> str:
        return f"<{self._count} values, made on first use>"
