"""What each file of a publish directory is: a feed, an archive document, a page or the
top index.html, and the media type it is served with. Read by `serve`, the object-storage
mirror and WebSub, so that they all agree on it.
"""

from __future__ import annotations

import mimetypes
from enum import IntEnum
from pathlib import PurePosixPath
from urllib.parse import quote

from .archive import ARCHIVE_DIR
from .render import FORMATS

FEED_FILENAMES = frozenset(fmt.filename for fmt in FORMATS.values())
MEDIA_TYPES = {fmt.filename: f"{fmt.media_type}; charset=utf-8" for fmt in FORMATS.values()}
MEDIA_TYPES_BY_SUFFIX = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}


class Kind(IntEnum):
    """Ordered as files go up to a target: nothing links to a file of a later kind."""

    ARCHIVE = 0  # RFC 5005 archive documents: they link to nothing newer
    FEED = 1  # feeds link to their archive documents
    PAGE = 2  # pages link to feeds
    HOME = 3  # the top index.html links to everything


def kind(path: str) -> Kind:
    """The kind of a file named by its path in the publish directory ('categories/x/rss.xml').
    Archive documents are in the top-level archive/ folder only: a feed of a category or an
    author called "archive" (categories/archive/rss.xml) is a feed, and changes."""
    if path.startswith(ARCHIVE_DIR):
        return Kind.ARCHIVE
    parts = PurePosixPath(path).parts
    if parts[-1] in FEED_FILENAMES:
        return Kind.FEED
    return Kind.HOME if parts == ("index.html",) else Kind.PAGE


def media_type(name: str) -> str:
    """The Content-Type of a file, by its name: feeds (an archive document's name ends in its
    feed's, as in 0001-3f2a.rss.xml) and text with charset=utf-8."""
    name = PurePosixPath(name).name
    feed_name = ".".join(name.split(".")[-2:])
    if feed_name in MEDIA_TYPES:
        return MEDIA_TYPES[feed_name]
    suffix = PurePosixPath(name).suffix
    if suffix in MEDIA_TYPES_BY_SUFFIX:
        return MEDIA_TYPES_BY_SUFFIX[suffix]
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def public_url(publish_url: str, path: str) -> str:
    """Where readers fetch a file of the publish directory: publish_url + its path."""
    return publish_url + quote(path)
