"""The plain data passed between the stages: a site, its entries, and the feeds made of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path

from .problems import Problem

FORMAT_NAMES = ("rss", "atom", "json")


@dataclass(frozen=True)
class Author:
    name: str
    email: str | None = None
    uri: str | None = None


@dataclass(frozen=True)
class CategorySettings:
    """site.yaml's settings for one category's feed; None where the default holds."""

    key: str  # the Unicode slug of the category's name: every spelling that shares it is this category
    title: str | None = None
    description: str | None = None
    slug: str | None = None  # its folder under categories/


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
    authors: tuple[Author, ...] = ()  # the default byline
    copyright: str | None = None
    icon: str | None = None
    logo: str | None = None
    max_items: int = 50
    formats: tuple[str, ...] = FORMAT_NAMES
    category_feeds: bool = True
    summary_length: int = 300
    publish_dir: Path = Path("publish")
    slugs: str = "unicode"  # or "ascii": category folders transliterated (categories/meteo/)
    categories: tuple[CategorySettings, ...] = ()
    warnings: tuple[Problem, ...] = field(default=(), compare=False)  # site.yaml's, reported at every build


@dataclass(frozen=True)
class Entry:
    """One article as validated. Its body text is kept only while it is needed."""

    source: str
    id: str
    title: str
    link: str
    published: datetime
    updated: datetime | None = None
    authors: tuple[Author, ...] = ()
    categories: tuple[str, ...] = ()
    summary: str | None = None
    body: str | None = None
    has_body: bool = False
    image: str | None = None
    draft: bool = False
    expires: datetime | None = None
    id_position: tuple[int, int] = field(default=(1, 1), compare=False)  # line, column of id (or link)
    warnings: tuple[Problem, ...] = ()  # kept in the cache with the entry, so every build reports them

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
    authors: tuple[Author, ...]  # the entry's own, or the site's
    categories: tuple[str, ...]
    summary: str
    content_html: str | None
    image: str | None
    image_type: str | None


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
