"""What a dry run reports instead of publishing: which files a build would write (their
bytes differ from the publish directory's), and for each changed feed which items it
would gain, lose or carry changed.

The items are read back from the feed files themselves, the published one and the one
the build made, so the comparison is with what readers have now (whatever build or
machine wrote it), not with the cache's idea of it. Nothing here writes anything.
"""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ElementTree
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .layout import Kind, kind
from .publish import PublishResult

ATOM = "{http://www.w3.org/2005/Atom}"
# The format an item is read from when a feed has several: the simplest to read back.
READ_ORDER = ("feed.json", "atom.xml", "rss.xml")


@dataclass(frozen=True)
class ItemRef:
    """An item as a person recognises it: its title, and its id to tell two alike apart."""

    id: str
    title: str

    def __str__(self) -> str:
        return f'"{self.title}" ({self.id})'


@dataclass(frozen=True)
class FeedChange:
    """What one feed's readers would see change: its folder ('' for the site's own feeds,
    'categories/sport/'), read from one of its files that would be written."""

    folder: str
    gained: tuple[ItemRef, ...]
    lost: tuple[ItemRef, ...]
    updated: tuple[ItemRef, ...]  # the same id, other content (title, text, dates, categories)


def files_to_write(out_dir: Path, files: Mapping[str, bytes]) -> PublishResult:
    """Which of `files` a build would write (their bytes are not in `out_dir` yet) and
    which it would leave as they are; reads only."""
    written: list[str] = []
    unchanged: list[str] = []
    for path, data in files.items():
        (unchanged if _holds(out_dir / path, data) else written).append(path)
    return PublishResult(tuple(written), tuple(unchanged))


def feed_changes(out_dir: Path, files: Mapping[str, bytes], written: tuple[str, ...]) -> tuple[FeedChange, ...]:
    """For each feed with a file among `written`: the items it gains, loses and changes.
    A feed whose files change only outside its items (its title, say) gains nothing."""
    by_folder: dict[str, list[str]] = {}
    for path in written:
        if kind(path) is Kind.FEED:
            folder, _, name = path.rpartition("/")
            by_folder.setdefault(folder + "/" if folder else "", []).append(name)
    changes = []
    for folder, names in by_folder.items():  # in the order the feeds are written: site-wide, named, category, author
        name = min(names, key=READ_ORDER.index)
        before = _items(out_dir / folder / name)
        after = _items_of(name, files[folder + name])
        gained = tuple(ItemRef(id_, title) for id_, (title, _) in after.items() if id_ not in before)
        lost = tuple(ItemRef(id_, title) for id_, (title, _) in before.items() if id_ not in after)
        updated = tuple(ItemRef(id_, title) for id_, (title, content) in after.items()
                        if id_ in before and before[id_][1] != content)
        changes.append(FeedChange(folder, gained, lost, updated))
    return tuple(changes)


def _holds(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


# An item read back from a feed file: id -> (title, all it says), so that an edit
# anywhere in it shows as a change.
_Items = dict[str, tuple[str, bytes]]


def _items(path: Path) -> _Items:
    """The items of a published feed file; none when there is no such file yet."""
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    return _items_of(PurePosixPath(path).name, data)


def _items_of(name: str, data: bytes) -> _Items:
    """id -> item, in feed order, from a feed file's bytes; none from a file that cannot be
    read as its format (hand-edited, cut short), so every item of the new one is gained."""
    try:
        if name == "feed.json":
            items = [(str(item.get("id", "")), str(item.get("title", "")), json.dumps(item, sort_keys=True).encode())
                     for item in json.loads(data).get("items", ())]
        else:
            root = ElementTree.fromstring(data)
            if name == "atom.xml":
                items = [(_text(entry, f"{ATOM}id"), _atom_title(entry), ElementTree.tostring(entry))
                         for entry in root.iter(f"{ATOM}entry")]
            else:  # an RSS title is HTML, escaped where it looks like markup (render/text.py as_title)
                items = [(_text(item, "guid") or _text(item, "link"), html.unescape(_text(item, "title")),
                          ElementTree.tostring(item)) for item in root.iter("item")]
    except (ValueError, AttributeError, ElementTree.ParseError):
        return {}
    return {id_: (title or id_, content) for id_, title, content in items}


def _text(element: ElementTree.Element, tag: str) -> str:
    found = element.find(tag)
    return (found.text or "").strip() if found is not None else ""


def _atom_title(entry: ElementTree.Element) -> str:
    """An Atom title as text: one that looks like markup is written type="html", HTML-escaped."""
    found = entry.find(f"{ATOM}title")
    if found is None:
        return ""
    text = (found.text or "").strip()
    return html.unescape(text) if found.get("type") == "html" else text
