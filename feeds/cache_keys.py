"""What the cache's files are keyed on: the tool and its world, and the site.yaml settings
that reading an entry (`reading_settings`), selecting among entries (`selection_settings`)
and preparing an item (`item_settings`) read."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path
from typing import Any

from ._version import __version__
from .model import Site

FORMAT = b"feeds-cache-8\n"


def tool_key(root: Path) -> bytes:
    """Whatever, changed, makes every cached record stale: the site's place, this tool, Python
    and every installed distribution."""
    digest = hashlib.blake2b(FORMAT, digest_size=16)
    for part in (str(root.resolve()), __version__, sys.version, _source_files(), _distributions()):
        digest.update(repr(part).encode("utf-8", "surrogateescape"))
    return digest.digest()


def reading_settings(site: Site) -> tuple[Any, ...]:
    """Every setting validate_entry reads: the base of relative links, the zone of times
    written without one, and what names a category's folder (an entry keeps one spelling
    of each folder). An entry read under equal settings is the same entry."""
    return (site.link, site.timezone_name, site.slugs,
            tuple((settings.key, settings.slug) for settings in site.categories if settings.slug))


def selection_settings(site: Site) -> tuple[Any, ...]:
    """Every setting select.shortlist and select.history read (through feed_kinds), besides
    the entries and reading_settings: which feeds there are, which entries each holds, how
    many it keeps, and whether the feeds' histories are kept. Titles, descriptions, formats
    and the like only name and render the feeds: a selection made under equal settings
    holds whatever they are."""
    return (site.max_items, site.category_feeds, site.author_feeds, site.archive,
            tuple(author.name for author in site.authors),
            tuple((feed.name, feed.categories, feed.authors, feed.exclude_categories, feed.max_items)
                  for feed in site.feeds))


def item_settings(site: Site) -> tuple[Any, ...]:
    """Every setting prepare_item reads, besides the entry: the summary's length, the byline."""
    return (site.summary_length, tuple(tuple(author) for author in site.authors))


def derived(key: bytes, part: Any) -> bytes:
    return hashlib.blake2b(key + repr(part).encode("utf-8", "surrogateescape"), digest_size=16).digest()


def _source_files() -> list[tuple[str, int, int]]:
    """This tool's own modules: an edited checkout is a new version even if __version__ is not."""
    package = Path(__file__).parent
    found = []
    for folder, folders, names in os.walk(package):
        folders[:] = [name for name in folders if name != "__pycache__"]
        for name in sorted(names):
            if name.endswith(".py"):
                info = os.stat(os.path.join(folder, name))
                found.append((os.path.join(folder, name), info.st_size, info.st_mtime_ns))
    return sorted(found)


def _distributions() -> list[str]:
    """The name and version of every installed distribution (their metadata folders' names)."""
    names: list[str] = []
    for folder in sys.path:
        try:
            names += (name for name in os.listdir(folder or ".") if name.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
    return sorted(names)
