"""The plain data passed between the stages: a site, its entries, and the feeds made of them."""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Literal, NamedTuple

from .problems import Problem

FORMAT_NAMES = ("rss", "atom", "json")
# A site's layout on disk: its settings, its entries, and the tool's own state.
SITE_FILE = "site.yaml"
ITEMS_DIR = "items"
ENTRY_SUFFIXES = (".yaml", ".yml")  # an entry file's name ends so; other files under items/ are not read
STATE_DIR = ".feeds"  # the lock, the cache and the manifest of what was published
# The fields an entry and site.yaml hold (validation reads them; the YAML reader tells a
# field indented by mistake from a wrapped line of text that holds ": " by them).
ENTRY_FIELDS = ("title", "link", "published", "updated", "author", "categories", "summary",
                "body", "image", "id", "draft", "expires")
MAX_CATEGORIES = 100  # on one entry; a newsroom's have under 20, and each is a feed to write


def too_many_categories(found: str) -> tuple[str, str, str]:
    """The refusal (code, message, hint) of an entry filed under more than MAX_CATEGORIES
    (`found`: how many): validation's, and the YAML reader's for a list it stops reading at
    10,000, which it told as "expected at most 10,000 values", a limit no entry comes near."""
    return ("too-many-categories", f"expected at most {MAX_CATEGORIES} categories, found {found}",
            "an entry is filed under a few, each with a feed of its own: keep the ones readers follow")


SITE_FIELDS = ("title", "link", "description", "publish_url", "language", "timezone", "author",
               "copyright", "icon", "logo", "max_items", "formats", "category_feeds",
               "summary_length", "publish_dir",
               "content", "max_bytes", "author_feeds", "feeds", "hub", "publish_to", "cache_control",
               "slugs", "categories", "archive", "on_invalid")
WEBSUB_PENDING_FILE = "websub-pending.json"  # in STATE_DIR: the feeds each hub is still to be told of
ContentMode = Literal["full", "summary"]
CONTENT_MODES: tuple[ContentMode, ...] = ("full", "summary")
# The folders the tool writes feeds of its own into: no named feed may take one.
# The publish directory's folders of the tool's own, by what each holds: no named feed takes one.
RESERVED_FOLDERS = {"categories": "the category feeds", "authors": "the author feeds",
                    "archive": "the archive documents of every feed"}
RESERVED_FEED_NAMES = tuple(RESERVED_FOLDERS)
DEFAULT_MAX_BYTES = 1_000_000
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MICROSECOND = timedelta(microseconds=1)


SAVED_AS_TEXT = tuple(suffix + ".txt" for suffix in ENTRY_SUFFIXES)  # story.yml.txt: Notepad's "Text Documents"


def named_as_entry(name: str) -> bool:
    """An entry file's name, or one meant as an entry's that the scan refuses for it
    (STORY.YAML, story.yml.txt)."""
    return name.lower().endswith((*ENTRY_SUFFIXES, *SAVED_AS_TEXT))


def is_entry_file(path: str) -> bool:
    """Whether a site-relative path (as problems name files) is an entry file, not site.yaml or a
    folder; STORY.YAML and story.yml.txt count, as entries the scan refuses for their names."""
    return path.startswith(ITEMS_DIR + "/") and named_as_entry(path)


def read_state_file(path: Path) -> bytes:
    """A file of the tool's own state in .feeds/, opened without blocking: a pipe put in its
    place would hold the build, and the site's lock, for ever (and a device give bytes for
    ever). Anything but a regular file raises OSError, which each reader takes as damaged."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with open(descriptor, "rb") as stream:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        return stream.read()


def microseconds(moment: datetime) -> int:
    """A moment as a plain int, as the cache keeps it and selection compares it."""
    return (moment - EPOCH) // _MICROSECOND


class Author(NamedTuple):
    name: str
    email: str | None = None
    uri: str | None = None


class NamedFeed(NamedTuple):
    """One feed of site.yaml's `feeds:`, every default filled in, published at `<name>/`.

    It holds the items in any of `categories` or by any of `authors` (both matched by slug;
    with neither, every item), never one in `exclude_categories`: see feed_filters.matches.
    Names are kept as written, for people; the filter compares their slugs.
    """

    name: str
    title: str
    description: str
    categories: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    exclude_categories: tuple[str, ...] = ()
    max_items: int = 50
    content: ContentMode = "full"

    @property
    def path(self) -> str:
        return f"{self.name}/"


class CategorySettings(NamedTuple):
    """site.yaml's settings for one category's feed; None where the default holds."""

    key: str  # the Unicode slug of the category's name: every spelling that shares it is this category
    title: str | None = None
    description: str | None = None
    slug: str | None = None  # its folder under categories/
    name: str | None = None  # as site.yaml spells it: the feed's name, whichever spelling an entry writes


class Mention(NamedTuple):
    """A category or an author site.yaml names (a named feed's filter, a key of
    `categories:`), where it is written: checked against the entries' once they are read."""

    line: int
    column: int
    field: str  # as problems name it: feeds[0].exclude_categories, categories.Sport, feeds[0].authors
    name: str


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
    content: ContentMode = "full"
    max_bytes: int = DEFAULT_MAX_BYTES
    author_feeds: bool = False
    feeds: tuple[NamedFeed, ...] = ()
    hubs: tuple[str, ...] = ()  # WebSub hubs every feed names and every build notifies
    publish_to: str | None = None  # an object-storage target, s3://BUCKET/PREFIX
    cache_control: str = "public, max-age=300"  # of the files put on publish_to
    slugs: str = "unicode"  # or "ascii": category folders transliterated (categories/meteo/)
    categories: tuple[CategorySettings, ...] = ()
    archive: bool = False  # RFC 5005 archive documents for every feed
    on_invalid: str = "hold"  # or "stop": while an entry is invalid, publish nothing
    warnings: tuple[Problem, ...] = field(default=(), compare=False)  # site.yaml's, reported at every build
    category_mentions: tuple[Mention, ...] = field(default=(), compare=False)
    author_mentions: tuple[Mention, ...] = field(default=(), compare=False)  # named feeds' `authors`


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


class FeedSpec(NamedTuple):
    """One feed to write: where it goes, what it is called, and which entries it holds."""

    path: str  # "" for the site-wide feeds, "categories/<slug>/" for a category
    title: str
    description: str
    category: str | None
    entries: tuple[Entry, ...]
    updated: datetime
    label: str | None = None  # what people call it, for pages: an author's name, a named feed's title
    content: ContentMode | None = None  # None: the site's
    max_items: int | None = None  # the newest items it shows, and its archive pages' size; None: the site's

    @property
    def kind(self) -> Literal["site", "category", "author", "named"]:
        """What chose its items, read from its folder (no named feed may take another kind's)."""
        if not self.path:
            return "site"
        folder = self.path.split("/", 1)[0]
        return "category" if folder == "categories" else "author" if folder == "authors" else "named"


class PublishedFeed(NamedTuple):
    """A feed a build published, as the manifest keeps it: what it was called, and when it
    was emptied (None while it holds items). A feed whose entries all go stays, empty, under
    that name and that date."""

    name: str
    emptied: datetime | None = None


class FeedCut(NamedTuple):
    """A feed file that max_bytes made leave out its oldest items (said by every build while it is so)."""

    path: str
    items_kept: int
    over_cap: bool  # the fewest items it may hold (one, or those no archive page holds) are over max_bytes: written anyway


class Item(NamedTuple):
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

    def __hash__(self) -> int:
        """By id alone: items key every render memo, and hashing all eleven fields (the
        authors' too) was a fifth of a retitle's rendering. Equal items have equal ids; two
        versions of one entry share a hash and are told apart by __eq__."""
        return hash(self.id)


class ArchiveLinks(NamedTuple):
    """A document's place in its feed's RFC 5005 history: an archive document names its feed
    (`current`) and is marked fh:archive; a feed names its newest archive document, or is
    marked fh:complete when it holds its whole history. URLs are of the same format."""

    current: str | None = None  # set on archive documents only: the URL of their feed
    prev_archive: str | None = None
    next_archive: str | None = None
    complete: bool = False
    unarchived: int = 0  # a feed's newest items no archive page holds: max_bytes may not cut them

    @property
    def is_archive(self) -> bool:
        return self.current is not None


@dataclass(frozen=True)
class FeedDocument:
    """Everything one renderer needs for one file: the channel, this feed, its items.

    A `content="summary"` document carries no body HTML: its items lose `content_html`
    here, so every renderer (RSS `description` only, Atom `summary` only, JSON Feed
    `content_text` = the summary) writes a summary feed without a rule of its own.
    """

    site: Site
    title: str
    description: str
    home_url: str
    feed_url: str  # this file's own URL
    category: str | None
    updated: datetime
    items: tuple[Item, ...]
    archive: ArchiveLinks | None = None  # None: archives are off, nothing RFC 5005 is written
    content: ContentMode = "full"

    def __post_init__(self) -> None:
        if self.content == "summary" and any(item.content_html is not None for item in self.items):
            object.__setattr__(self, "items", tuple(item._replace(content_html=None) for item in self.items))
