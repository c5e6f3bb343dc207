"""Which items named feeds and author feeds hold: the rules over slugs, in one place.

Both selection paths (entries, and the facts cached about them) call these, so a named
feed holds the same items however the build found them. Categories and authors are
compared by slug (feeds.slugs), so "Middle East", "middle east" and "Middle-East" are
one; an item's authors are its own, or the site's author when it names none.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import lru_cache
from typing import NamedTuple

from .languages import is_english
from .model import Author, NamedFeed, Site
from .slugs import ascii_slug, slugify

AUTHORS_FOLDER = "authors/"


@lru_cache(maxsize=1024)  # a site has a handful of definitions; each is asked once per item
def slugs_of(names: tuple[str, ...], ascii: bool = False) -> frozenset[str]:
    """The names' slugs; with `ascii` (`slugs: ascii`) transliterated, as the folders of
    category and author feeds are, so that Météo and Meteo, one feed there, are one here."""
    return frozenset(filter(None, map(ascii_slug if ascii else slugify, names)))


def item_authors(own: tuple[tuple[str, str], ...], site: Site) -> tuple[tuple[str, str], ...]:
    """An item's authors as (slug, name): its own, else the site's (the default byline).

    Applied when selecting, from the Site, so the cached facts of an entry hold only what
    the entry says."""
    return own or _site_authors(site.authors)


@lru_cache(maxsize=16)
def _site_authors(authors: tuple[Author, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((slugify(author.name), author.name) for author in authors)


def matches(definition: NamedFeed, category_slugs: Collection[str], author_slugs: Collection[str],
            ascii: bool = False, folder_of: Callable[[str], str] | None = None) -> bool:
    """Whether a named feed holds an item with these category and author slugs (made by
    slugs_of with the same `ascii`; with `folder_of`, the categories' folders it names).

    Any listed category or any listed author lets it in; a feed that lists neither lets in
    every item. A category in `exclude_categories` always keeps it out.
    """
    return lets_in(feed_filter(definition, ascii, folder_of), category_slugs, author_slugs)


class FeedFilter(NamedTuple):
    """A named feed's filter as folders and slugs, made once for the many entries of a site."""

    excluded: frozenset[str]
    categories: frozenset[str]
    authors: frozenset[str]


def feed_filter(definition: NamedFeed, ascii: bool = False, folder_of: Callable[[str], str] | None = None) -> FeedFilter:
    return FeedFilter(_folders(definition.exclude_categories, ascii, folder_of),
                      _folders(definition.categories, ascii, folder_of), slugs_of(definition.authors, ascii))


def lets_in(rule: FeedFilter, category_slugs: Collection[str], author_slugs: Collection[str]) -> bool:
    """matches, with the feed's filter made already (feed_filter)."""
    if not rule.excluded.isdisjoint(category_slugs):
        return False
    if not rule.categories and not rule.authors:
        return True
    return not rule.categories.isdisjoint(category_slugs) or not rule.authors.isdisjoint(author_slugs)


def _folders(names: tuple[str, ...], ascii: bool, folder_of: Callable[[str], str] | None) -> frozenset[str]:
    """The folders of the categories named: their slugs, or where site.yaml gives categories
    folders of their own (`folder_of`), those; so a feed may list Sport or football, its folder."""
    return slugs_of(names, ascii) if folder_of is None else frozenset(filter(None, map(folder_of, names)))


def author_feed_title(site: Site, name: str) -> str:
    return f"{site.title}: {name}"


def author_feed_description(site: Site, name: str) -> str:
    return default_description(site, f"Stories by {name} from {site.title}")


def default_description(site: Site, in_english: str) -> str:
    """A category's or author's feed description where site.yaml gives none: `in_english`
    on an English site, else the site's own description, as a named feed's default is: an
    Arabic site's feeds read 'أخبار from الأخبار اليوم', English words between its own."""
    return in_english if is_english(site.language) else site.description
