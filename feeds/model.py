"""The plain data passed between the stages: a site, its entries, and the feeds made of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path

FORMAT_NAMES = ("rss", "atom", "json")
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MICROSECOND = timedelta(microseconds=1)


def microseconds(moment: datetime) -> int:
    """A moment as a plain int, as the cache keeps it and selection compares it."""
    return (moment - EPOCH) // _MICROSECOND


@dataclass(frozen=True)
class Author:
    name: str
    email: str | None = None
    uri: str | None = None


@dataclass(frozen=True)
class Site:
    """The channel settings of site.yaml, validated and with every default filled in."""

    root: Path
    title: str
    link: str
    description: str
    publish_url: str
    language: str = "en"
    timezone: tzinfo = field(default=None, compare=False)  # type: ignore[assignment]
    timezone_name: str = "UTC"
    author: Author | None = None
    copyright: str | None = None
    icon: str | None = None
    logo: str | None = None
    max_items: int = 50
    formats: tuple[str, ...] = FORMAT_NAMES
    category_feeds: bool = True
    summary_length: int = 300
    publish_dir: Path = Path("publish")


@dataclass(frozen=True)
class Entry:
    """One article as validated. Its body text is kept only while it is needed."""

    source: str
    id: str
    title: str
    link: str
    published: datetime
    updated: datetime | None = None
    author: Author | None = None
    categories: tuple[str, ...] = ()
    summary: str | None = None
    body: str | None = None
    has_body: bool = False
    image: str | None = None
    draft: bool = False
    expires: datetime | None = None
    id_position: tuple[int, int] = field(default=(1, 1), compare=False)  # line, column of id (or link)

    @property
    def last_modified(self) -> datetime:
        return self.updated or self.published


@dataclass(frozen=True)
class FeedSpec:
    """One feed to write: where it goes, what it is called, and which entries it holds."""

    path: str  # "" for the site-wide feeds, "categories/<slug>/" for a category
    title: str
    description: str
    category: str | None
    entries: tuple[Entry, ...]
    updated: datetime


@dataclass(frozen=True)
class Item:
    """An entry made ready for a feed: absolute URLs, HTML body, summary in plain text."""

    id: str
    title: str
    link: str
    published: datetime
    updated: datetime
    author: Author | None
    categories: tuple[str, ...]
    summary: str
    content_html: str | None
    image: str | None
    image_type: str | None


@dataclass(frozen=True)
class ArchiveLinks:
    """A document's place in its feed's RFC 5005 history: an archive document names its feed
    (`current`) and is marked fh:archive; a feed names its newest archive document, or is
    marked fh:complete when it holds its whole history. URLs are of the same format."""

    current: str | None = None  # set on archive documents only: the URL of their feed
    prev_archive: str | None = None
    next_archive: str | None = None
    complete: bool = False

    @property
    def is_archive(self) -> bool:
        return self.current is not None


@dataclass(frozen=True)
class FeedDocument:
    """Everything one renderer needs for one file: the channel, this feed, its items."""

    site: Site
    title: str
    description: str
    home_url: str
    feed_url: str  # this file's own URL
    category: str | None
    updated: datetime
    items: tuple[Item, ...]
    archive: ArchiveLinks | None = None  # None: archives are off, nothing RFC 5005 is written
