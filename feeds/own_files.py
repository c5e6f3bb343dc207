"""Which files in a publish directory are feeds' own, which a build may replace: renaming a
file over another destroys it as surely as deleting it, and the tool never deletes a file
it did not write. A publish_dir pointed at a web root must not put the feeds' index.html
over the newsroom's homepage.

A file is ours when the manifest lists it and it is as the last build left it (its size
and mtime), or when its bytes say feeds wrote it: after `.feeds/` is deleted only the
bytes can say, and a file the manifest lists may have been put back by hand since. A feed
names feeds as its generator; a page carries feeds' generator meta tag or, written before
it did, opens and ends as feeds' pages do; a JSON Feed, which has no generator field, opens
with the members feeds writes first, in feeds' order (in any layout). Each file is read as the kind its
path names: an RSS feed saved as atom.xml is not ours to replace.
"""

from __future__ import annotations

import html
import json
import os
import re
import stat
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from .archive import ARCHIVE_DIR, feed_file_of
from .layout import public_url
from .publish import PublishError
from .render.html_parts import GENERATOR

HEAD_BYTES = 65_536  # a feed's channel or a page's opening, before its first item, is well within this
TAIL_BYTES = 256

# What a tool may put before a document's root, and leave ours: a byte order mark, the XML
# declaration, a stylesheet's processing instruction (styling a feed for browsers), comments.
_PROLOGUE = rb"(?:\xef\xbb\xbf)?\s*(?:<\?[^>]*\?>\s*|<!--.*?-->\s*)*"
_RSS = re.compile(_PROLOGUE + rb"<rss [^>]*>\s*<channel>.*<generator>feeds [^<]*</generator>", re.DOTALL)
_ATOM = re.compile(_PROLOGUE + rb'<feed [^>]*xmlns="http://www\.w3\.org/2005/Atom"[^>]*>.*<generator[^>]*>feeds</generator>',
                   re.DOTALL)
_STRING = rb'\s*"(?:[^"\\]|\\.)*"\s*'
_JSON_FEED = re.compile(  # in any layout: a feed re-indented by hand is still ours
    rb'(?:\xef\xbb\xbf)?\s*\{\s*"version"\s*:\s*"https://jsonfeed\.org/version/1\.1"\s*,'
    + b",".join(rb'\s*"' + name + rb'"\s*:' + _STRING for name in (b"title", b"home_page_url", b"feed_url", b"description"))
    + rb',\s*"language"\s*:')
# A page, in any line ends or none (a sync tool's CRLF, a minifier): feeds' generator tag in
# its head, or, written before it had one, the head's look and the footer feeds wrote.
_PAGE_OPENING = re.compile(rb'(?:\xef\xbb\xbf)?\s*<!DOCTYPE html>\s*<html lang="[^"]*"(?: dir="rtl")?>\s*<head>\s*'
                           rb'<meta charset="utf-8">\s*')
_EARLIER_PAGE_HEAD = re.compile(  # the pages before the generator tag, from the first that had this look
    rb'<meta name="viewport" content="width=device-width, initial-scale=1">\s*'
    rb'<meta name="color-scheme" content="light dark">\s*<title>[^<]*</title>\s*'
    rb'<meta name="description" content="[^"]*">\s*<link rel="icon" href="data:,">')
_EARLIER_PAGE_END = re.compile(rb"Feeds published with feeds\.</p></footer>\s*</div>\s*</body>\s*</html>\s*\Z")


class InTheWay(PublishError):
    """Files feeds did not write stand where the build would write: nothing was written."""

    def __init__(self, out_dir: Path, paths: Sequence[str], dry_run: bool = False) -> None:
        named = [str(out_dir / path) for path in paths[:3]]
        if len(paths) > 3:
            named.append(f"{len(paths) - 3:,} more")
        files = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
        there = "a file there was" if len(paths) == 1 else "the files there were"
        them = "it" if len(paths) == 1 else "them"
        super().__init__(f"{'the build would stop: ' if dry_run else ''}cannot write {files}: {there} not written "
                         f"by feeds, which never replaces a file it did not write; move {them} away, or point "
                         "publish_dir in site.yaml (or --out) at a folder of feeds' own; nothing was written")
        self.paths = tuple(paths)
        self.dry_run = dry_run


def in_the_way(out_dir: Path, paths: Iterable[str], vouched: Callable[[str], bool]) -> list[str]:
    """The files among `paths` (relative to `out_dir`) that stand where a build would write
    and are not feeds' own. `vouched`: whether the manifest lists a path and it is as the
    last build left it (then nothing is read)."""
    return [path for path in paths if _is_foreign(out_dir / path, path, vouched)]


def _is_foreign(file: Path, path: str, vouched: Callable[[str], bool]) -> bool:
    try:
        mode = file.lstat().st_mode
    except OSError:  # nothing there, or a file where a folder goes (the write says so)
        return False
    if not stat.S_ISREG(mode):  # feeds writes no link (nor a pipe); a folder in the way, the rename reports
        return not stat.S_ISDIR(mode)
    if vouched(path):
        return False
    try:
        head, tail = ends_of(file)
    except OSError:  # it cannot be read: it cannot be known for ours
        return True
    return not is_ours(path, head, tail)


def own_files_in(out_dir: Path, publish_url: str) -> frozenset[str]:
    """The feeds, pages and archive documents in `out_dir` whose bytes say feeds wrote them
    there, for the site served at `publish_url`: what the manifest would list, for a build
    that finds no record of this publish directory (`.feeds/` deleted, a CI job's fresh clone
    with the publish directory restored from the target, the site moved away from a
    publish_dir outside it). Without it, such a build kept a category feed whose last story
    had just been withdrawn as it was, the story in it, for ever, and removed no archive page
    that no feed links. Links are not followed, and hidden files (a build's temporaries) are
    not read. A feed another site's feeds wrote (a frozen podcast feed copied in) names
    another address, and is not taken: the build would have emptied it as a feed of its own."""
    found = []
    for folder, subfolders, names in os.walk(out_dir):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        for name in names:
            file = Path(folder, name)
            path = file.relative_to(out_dir).as_posix()
            if name.startswith(".") or not name.endswith(_NAMES_FEEDS_WRITES) or not file.is_file() or file.is_symlink():
                continue
            try:
                head, tail = ends_of(file)
            except OSError:  # unreadable: not known for ours
                continue
            if is_ours(path, head, tail) and _written_at(path, head, publish_url):
                found.append(path)
    feeds_found = {path for path in found if not path.endswith(PAGE_NAME)}
    return frozenset(path for path in found if not path.endswith(PAGE_NAME)
                     or any(path.removesuffix(PAGE_NAME) + name in feeds_found for name in _FEED_NAMES))


def _written_at(path: str, head: bytes, publish_url: str) -> bool:
    """Whether a feed or archive document of feeds' names itself as served from `path` under
    `publish_url` (its self link; a JSON Feed's feed_url, an archive page's that of its feed).
    A page names no address: it is taken with a feed of its folder (own_files_in)."""
    if path.endswith(PAGE_NAME):
        return True
    if path.endswith("feed.json"):
        found = _FEED_URL.search(head)
        written = json.loads(found[1]) if found else None
        return written == public_url(publish_url, feed_file_of(path) if path.startswith(ARCHIVE_DIR) else path)
    found = _SELF_LINK.search(head.partition(b"<item>")[0].partition(b"<entry>")[0])
    return found is not None and html.unescape(found[1].decode("utf-8", "replace")) == public_url(publish_url, path)


PAGE_NAME = "index.html"
_FEED_NAMES = ("rss.xml", "atom.xml", "feed.json")
_FEED_URL = re.compile(rb'"feed_url"\s*:\s*("(?:[^"\\]|\\.)*")')
_SELF_LINK = re.compile(rb'<(?:atom:)?link (?=[^>]*rel="self")[^>]*href="([^"]*)"')


_NAMES_FEEDS_WRITES = (*_FEED_NAMES, PAGE_NAME)  # an archive document's ends in its feed's


def ends_of(file: Path) -> tuple[bytes, bytes]:
    """A file's opening and its end, all that is_ours reads of it."""
    with open(file, "rb") as stream:
        head = stream.read(HEAD_BYTES)
        stream.seek(max(0, stream.seek(0, 2) - TAIL_BYTES))
        return head, stream.read()


def is_ours(path: str, head: bytes, tail: bytes) -> bool:
    """Whether a file at `path` in a publish directory, which opens with `head` and ends with
    `tail`, is one feeds wrote, read as the kind of file its name says."""
    name = PurePosixPath(path).name
    if name.endswith("rss.xml"):  # an archive document's name ends in its feed's
        return _RSS.match(head.partition(b"<item>")[0]) is not None  # the channel's own elements
    if name.endswith("atom.xml"):
        return _ATOM.match(head.partition(b"<entry>")[0]) is not None
    if name.endswith("feed.json"):
        return _JSON_FEED.match(head) is not None
    opening = _PAGE_OPENING.match(head)
    if opening is None:
        return False
    rest = opening.end()
    return (head.startswith(GENERATOR.encode(), rest)
            or (_EARLIER_PAGE_HEAD.match(head, rest) is not None and _EARLIER_PAGE_END.search(tail) is not None))


class FeedAsPublished(NamedTuple):
    """What a feed of feeds' own says of itself in its bytes: for a build with no record of
    the publish directory, what the manifest would have said (an emptied category feed was
    renamed by its folder, "culture" for "Culture", and dated 2000-01-01)."""

    title: str
    updated: datetime | None  # None: its format dates no feed (a JSON Feed), or the date cannot be read
    holds_items: bool


def feed_as_published(out_dir: Path, paths: Iterable[str]) -> FeedAsPublished | None:
    """What the first readable of one folder's feed files (`paths`, relative to `out_dir`,
    each known for ours) says of the feed, Atom read first: it names its title and date."""
    for name, read in _READERS:
        for path in paths:
            if PurePosixPath(path).name == name and not path.startswith(ARCHIVE_DIR):
                try:
                    head, _ = ends_of(out_dir / path)
                except OSError:  # unreadable: another of its files may say
                    continue
                found = read(head)
                if found is not None:
                    return found
    return None


def _xml_feed(head: bytes, item: bytes, date: re.Pattern[bytes],
              parse: Callable[[str], datetime]) -> FeedAsPublished | None:
    opening, marker, _ = head.partition(item)
    title = _XML_TITLE.search(opening)
    if title is None:
        return None
    written = date.search(opening)
    try:
        updated = parse(html.unescape(written[1].decode())) if written else None
    except ValueError:
        updated = None
    return FeedAsPublished(html.unescape(title[1].decode("utf-8", "replace")),
                           updated if updated and updated.tzinfo else None, bool(marker))


def _json_feed(head: bytes) -> FeedAsPublished | None:
    title = _JSON_TITLE.search(head)
    try:
        return FeedAsPublished(json.loads(title[1]), None, _JSON_NO_ITEMS.search(head) is None) if title else None
    except ValueError:
        return None


def _rss_date(written: str) -> datetime:
    """An RSS date (RFC 822), read by email.utils, imported here: only a build with no
    record of its publish directory reads one, and the import (socket and email with it)
    cost every build 5 ms of a 140 ms build with nothing to do."""
    from email.utils import parsedate_to_datetime

    return parsedate_to_datetime(written)


_XML_TITLE = re.compile(rb"<title(?: [^>]*)?>([^<]*)</title>")
_JSON_TITLE = re.compile(rb'"title"\s*:\s*("(?:[^"\\]|\\.)*")')  # the feed's, before its items'
_JSON_NO_ITEMS = re.compile(rb'"items"\s*:\s*\[\s*\]')
_READERS: tuple[tuple[str, Callable[[bytes], FeedAsPublished | None]], ...] = (
    ("atom.xml", lambda head: _xml_feed(head, b"<entry>", re.compile(rb"<updated>([^<]*)</updated>"),
                                        datetime.fromisoformat)),
    ("rss.xml", lambda head: _xml_feed(head, b"<item>", re.compile(rb"<lastBuildDate>([^<]*)</lastBuildDate>"),
                                       _rss_date)),
    ("feed.json", _json_feed),
)
