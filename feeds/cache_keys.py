"""What the cache's files are keyed on: the tool and its world, and the site.yaml settings
that reading an entry (`reading_settings`), selecting among entries (`selection_settings`)
and preparing an item (`item_settings`) read."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import sys
from contextlib import suppress
from functools import cache
from pathlib import Path
from typing import Any

from ._version import __version__
from .model import Site
from .months import names_language

FORMAT = b"feeds-cache-8\n"


# The distributions whose code reads entries or makes the output (the runtime requirements
# but watchfiles, which only wakes a watch, and what they need: six for python-dateutil,
# typing_extensions for pyromark), as their metadata folders spell them; a test keeps this
# in step with pyproject.toml.
OUTPUT_DISTRIBUTIONS = frozenset({"anyascii", "feedgen", "lxml", "nh3", "pyromark", "python_dateutil", "pyyaml",
                                  "regex", "six", "typing_extensions", "tzdata"})


def tool_key() -> bytes:
    """Whatever, changed, makes every cached record stale: this tool, Python, the distributions
    it reads and writes with, and the system's time zone data. Installing anything else
    (boto3 for publish_to, a test runner) keeps the cache, and with it every held entry's
    last good version; so does moving the site's folder (its records name files from the
    site's root, and each file's stat says whether it is still the file read)."""
    return _key(_distributions(), _zone_data())


def writer_key() -> bytes:
    """What makes a document of the same prepared items: tool_key but the time zone data,
    whose only part a site's pages depend on is its own zone's rules (`zone_rules`, in the
    channel's fingerprint). With all of it in the key, a tzdata update for another country's
    clocks (or its file touched by a reinstall) renamed every archive page and sent every
    feed to the hubs."""
    return _key([name for name in _distributions() if not name.lower().startswith("tzdata-")], [])


@cache
def zone_rules(name: str) -> str:
    """A digest of the rules zoneinfo reads for the zone `name`, found as zoneinfo finds them
    (the system's zone data, then the tzdata distribution's), or "" for none: what every time
    written without an offset reads as. An entry's digest is of its file's bytes, which a
    new rule for the site's clocks does not change, so the pages of a feed name these rules."""
    import zoneinfo

    for folder in zoneinfo.TZPATH:
        with suppress(OSError):
            with open(os.path.join(folder, name), "rb") as rules:
                return hashlib.blake2b(rules.read(), digest_size=16).hexdigest()
    with suppress(ImportError, OSError, ValueError):
        from importlib import resources

        return hashlib.blake2b(resources.files("tzdata.zoneinfo").joinpath(name).read_bytes(),
                               digest_size=16).hexdigest()
    return ""


def _key(distributions: list[str], zone_data: list[tuple[str, int, int]]) -> bytes:
    digest = hashlib.blake2b(FORMAT, digest_size=16)
    for part in (__version__, sys.version, _source_files(), distributions, zone_data):
        digest.update(repr(part).encode("utf-8", "surrogateescape"))
    return digest.digest()


def reading_settings(site: Site) -> tuple[Any, ...]:
    """Every setting validate_entry reads: the base of relative links, the zone of times
    written without one, the language a date's month may be named in (`11. Dezember 2026`
    is a date on a site in German alone; a site turned from en to ja reads no entry again),
    and what names a category's folder (an entry
    keeps one spelling of each folder). An entry read under equal settings is the same entry."""
    return (site.link, site.timezone_name, names_language(site.language), site.slugs,
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
    """Every setting prepare_item reads, besides the entry: the summary's length, its
    quotation marks (the language), the byline."""
    return (site.summary_length, site.language, tuple(tuple(author) for author in site.authors))


# Site settings no feed file, page or archive document shows, or that reach one only through
# its feed (which feeds there are, their paths, titles and entries, how many items a page
# holds, the formats, max_bytes, the archive's links: each file's digest has them). Every other
# setting, and any added later, is in document_settings: a new setting renames archive pages
# and renders the feeds again, it never leaves a file as an earlier setting wrote it. `slugs`
# and the categories' `slug`s are here, but they decide which spellings of an entry's
# categories its items carry (Météo and Meteo are one with `slugs: ascii`): what reading an
# entry depends on (`reading_settings`) is in document_settings on its own.
_SETTINGS_NOT_IN_DOCUMENTS = frozenset({
    "root", "publish_dir", "timezone", "formats", "category_feeds", "max_items", "author_feeds", "feeds",
    "categories", "slugs", "max_bytes", "publish_to", "cache_control", "on_invalid", "archive", "warnings",
    "category_mentions", "author_mentions"})


def document_settings(site: Site) -> tuple[Any, ...]:
    """Every setting a feed file, page or archive document is written with, besides those
    its feed brings (_SETTINGS_NOT_IN_DOCUMENTS): the rest of the site's fields, what reading
    an entry depends on, and the rules of the site's zone, which the times written without an
    offset read by."""
    settings = tuple((field.name, repr(getattr(site, field.name))) for field in dataclasses.fields(site)
                     if field.name not in _SETTINGS_NOT_IN_DOCUMENTS)
    return settings, repr(reading_settings(site)), zone_rules(site.timezone_name)


def derived(key: bytes, part: Any) -> bytes:
    return hashlib.blake2b(key + repr(part).encode("utf-8", "surrogateescape"), digest_size=16).digest()


def _source_files() -> list[tuple[str, bytes]]:
    """This tool's own modules, by their place in the package and their bytes: an edited
    checkout is a new version even if __version__ is not, while the same release installed
    in another environment (a new venv, a rebuilt container) keeps the cache, and with it
    the last good version of an entry breaking at that build (1.5 ms a build)."""
    package = Path(__file__).parent
    found = []
    for folder, folders, names in os.walk(package):
        folders[:] = [name for name in folders if name != "__pycache__"]
        for name in names:
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                with open(path, "rb") as source:
                    found.append((os.path.relpath(path, package), hashlib.blake2b(source.read(), digest_size=16).digest()))
    return sorted(found)


def _zone_data() -> list[tuple[str, int, int]]:
    """The system's time zone data, which zoneinfo reads before the tzdata distribution's:
    an update of it (a country changing its clocks) changes what times entries read as."""
    import zoneinfo

    found = []
    for folder in zoneinfo.TZPATH:
        try:
            info = os.stat(os.path.join(folder, "tzdata.zi"))
        except OSError:
            continue
        found.append((folder, info.st_size, info.st_mtime_ns))
    return found


def _distributions() -> list[str]:
    """The name and version of each of OUTPUT_DISTRIBUTIONS installed (their metadata folders'
    names, NAME-VERSION.dist-info): a listing of each folder of the path, not importlib.metadata,
    whose import alone takes 30 ms of a no-change build."""
    names: list[str] = []
    for folder in sys.path:
        try:
            names += (name for name in os.listdir(folder or ".") if name.endswith((".dist-info", ".egg-info"))
                      and name.partition("-")[0].lower().replace(".", "_") in OUTPUT_DISTRIBUTIONS)
        except OSError:
            continue
    return sorted(names)
