"""The kinds of feed, and what selection knows of an entry.

`Facts` are an entry's selection-relevant fields as plain values (the cache keeps them for
every entry). A kind of feed is one `FeedKind` in `FEED_KINDS`: which feeds of it an entry
belongs to (from its Facts), when the site wants them, what one is called and how many items
it keeps. Adding a kind of feed is one entry there; select.py reads every kind from it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache, partial
from typing import NamedTuple, TypeVar

from .feed_filters import (
    AUTHORS_FOLDER,
    author_feed_description,
    author_feed_title,
    default_description,
    feed_filter,
    item_authors,
    lets_in,
)
from .model import RESERVED_FEED_NAMES, ContentMode, Entry, NamedFeed, Site, microseconds
from .slugs import ascii_slug, author_folder, category_folder, category_settings, listed_with_folder, slugify


class Facts(NamedTuple):
    """What selection needs to know of an entry, as plain values (moments in microseconds
    since 1970), so the cache can keep them for every entry and choose without loading it.

    The fields after `expires` are those that say which feeds the entry is in (feeds_of_each):
    `shortlist` works that out once for each distinct set of them."""

    id: str
    draft: bool
    published: int
    updated: int | None
    expires: int | None
    categories: tuple[tuple[str, str], ...]  # (slug, name as written)
    authors: tuple[tuple[str, str], ...]  # the entry's own bylines, (slug, name); the site's are added when selecting


MEMBERSHIP = Facts._fields.index("expires") + 1  # see Facts
T = TypeVar("T")


def facts_of(entry: Entry) -> Facts:
    return Facts(entry.id, entry.draft, microseconds(entry.published),
                 None if entry.updated is None else microseconds(entry.updated),
                 None if entry.expires is None else microseconds(entry.expires),
                 _slugged(entry.categories), _slugged(tuple(author.name for author in entry.authors)))


@lru_cache(maxsize=4096)
def _slugged(names: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """One tuple for each set of names, which marshal then writes (and reads) once."""
    return tuple((slugify(name), name) for name in names)



# --- The kinds of feed -------------------------------------------------------------------

FeedKey = tuple[int, str]  # (its kind's place in FEED_KINDS, its slug within the kind)


Memberships = tuple[tuple[FeedKey, str], ...]
Members = Callable[[Facts], Iterable[tuple[str, str]]]  # an entry's feeds of one kind, (slug, name), on one site


class FeedLook(NamedTuple):
    """What a feed is called and carries, as its kind says."""

    title: str
    description: str
    category: str | None = None  # the category it is of, for a category feed
    label: str | None = None  # what people call it on pages: an author's name, a named feed's title
    content: ContentMode | None = None  # None: the site's


def _no_feeds(site: Site) -> tuple[str, ...]:
    return ()


def _site_max_items(site: Site, slug: str) -> int:
    return site.max_items


class FeedKind(NamedTuple):
    """One kind of feed: which feeds of it an entry is in, and how one is named.

    A feed of a kind is known by a slug; the spelling an entry gives it (`name`) that
    sorts first names it. A kind whose feeds are published under `folder` keeps a feed
    whose entries are all gone (see select_feeds)."""

    folder: str | None  # None for the site-wide feed; else its feeds go in folder + slug + "/"
    wanted: Callable[[Site], bool]
    members: Callable[[Site], Members]  # for a site's entries: (slug, name) of every feed of it an entry is in
    looks: Callable[[Site, str], FeedLook]  # name -> title, description, ...
    # The name of a published feed no entry names any more, from its folder and the name it
    # was published under ("" if the manifest does not say)
    named_by_folder: Callable[[Site, str, str], str]
    defined: Callable[[Site], tuple[str, ...]] = _no_feeds  # slugs of feeds that exist with no entry, in this order
    max_items: Callable[[Site, str], int] = _site_max_items  # slug -> the newest items it keeps

    def path(self, slug: str) -> str:
        return "" if self.folder is None else f"{self.folder}{slug}/"

    def published_slug(self, path: str) -> str | None:
        """The slug of this kind's feed published at `path` ("folder/slug/"), if it is one."""
        if self.folder is None or not path.startswith(self.folder):
            return None
        slug = path[len(self.folder):].rstrip("/")
        if not slug or "/" in slug or slug != slugify(slug) or (not self.folder and slug in RESERVED_FEED_NAMES):
            return None
        return slug


def _category_members(site: Site) -> Members:
    """Each category's folder: its slug, unless site.yaml names a folder or asks for ASCII."""
    if site.slugs == "unicode" and not site.categories:
        return _slugged_categories
    return lambda facts: tuple((category_folder(site, name), name) for _, name in facts.categories)


def _slugged_categories(facts: Facts) -> Iterable[tuple[str, str]]:
    return facts.categories


def _category_looks(site: Site, name: str) -> FeedLook:
    """Named as site.yaml spells the category where it lists it (Météo, though the entries
    write meteo or METEO), else by the entries' spelling that sorts first."""
    settings = category_settings(site, name)
    name = settings.name or name
    return FeedLook(settings.title or f"{site.title}: {name}",
                    settings.description or default_description(site, f"{name} from {site.title}"), name)


def _category_named_by_folder(site: Site, folder: str, published_as: str) -> str:
    """A published folder no entry fills any more: named as it was published ("Severe
    Weather", not severe-weather: readers keep the title they had), unless site.yaml now
    gives the folder to another category, named then by that one's key; else by itself."""
    settings = listed_with_folder(site, folder)
    if settings is None or (published_as and category_settings(site, published_as) == settings):
        return published_as or folder
    return settings.key


def _named_members(site: Site) -> Members:
    """The named feeds whose filter (feed_filters.lets_in) lets an entry in. Categories are
    compared as their feeds' folders are named: Météo and Meteo are one with `slugs: ascii`,
    and Sport is football where site.yaml gives it that slug, so a feed may list either.
    Each filter's names are made folders and slugs once for the site, not once an entry
    (26,561 times for 50,000 entries and three named feeds)."""
    if not site.feeds:
        return _no_members
    ascii = site.slugs == "ascii"
    folder_of = partial(category_folder, site) if site.categories else None
    filters = [(feed.name, feed_filter(feed, ascii, folder_of)) for feed in site.feeds]
    categories_of = _category_members(site)

    def members(facts: Facts) -> Iterable[tuple[str, str]]:
        authors = item_authors(facts.authors, site)
        categories = {folder for folder, _ in categories_of(facts)}
        author_slugs = {ascii_slug(name) for _, name in authors} if ascii else {slug for slug, _ in authors}
        return tuple((name, name) for name, rule in filters if lets_in(rule, categories, author_slugs))

    return members


def _no_members(facts: Facts) -> Iterable[tuple[str, str]]:
    return ()


def _named_feed(site: Site, name: str) -> NamedFeed | None:
    return next((feed for feed in site.feeds if feed.name == name), None)


def _named_looks(site: Site, name: str) -> FeedLook:
    """As site.yaml defines it; one removed from site.yaml (kept, empty) gets the defaults."""
    feed = _named_feed(site, name)
    if feed is None:
        return FeedLook(f"{site.title}: {name}", site.description, label=name)
    return FeedLook(feed.title, feed.description, label=feed.title, content=feed.content)


def _named_max_items(site: Site, name: str) -> int:
    feed = _named_feed(site, name)
    return site.max_items if feed is None else feed.max_items


def _author_members(site: Site) -> Members:
    """One feed per author (its own, or the site's), in the site's slug style; an entry
    counts once in a feed two of its spellings share."""
    def members(facts: Facts) -> Iterable[tuple[str, str]]:
        folders: dict[str, str] = {}
        for _, name in item_authors(facts.authors, site):
            folder = author_folder(site, name)
            if folder:
                folders[folder] = min(folders.get(folder, name), name)
        return tuple(folders.items())

    return members


def _the_site_feed(facts: Facts) -> Iterable[tuple[str, str]]:
    return (("", ""),)


def _author_looks(site: Site, name: str) -> FeedLook:
    return FeedLook(author_feed_title(site, name), author_feed_description(site, name), label=name)


def _by_folder(site: Site, folder: str, published_as: str = "") -> str:
    return folder


def _as_published(site: Site, folder: str, published_as: str) -> str:
    """An author's feed no entry fills any more: named as it was published, else by its folder."""
    return published_as or folder


FEED_KINDS = (
    FeedKind(None, lambda site: True, lambda site: _the_site_feed,
             lambda site, name: FeedLook(site.title, site.description), _by_folder, lambda site: ("",)),
    FeedKind("", lambda site: True, _named_members, _named_looks, _by_folder,
             lambda site: tuple(feed.name for feed in site.feeds), _named_max_items),
    FeedKind("categories/", lambda site: site.category_feeds, _category_members, _category_looks,
             _category_named_by_folder),
    FeedKind(AUTHORS_FOLDER, lambda site: site.author_feeds, _author_members, _author_looks, _as_published),
)




def per_membership(decide: Callable[[Facts], T]) -> Callable[[Facts], T]:
    """`decide`, for the many entries of one build, worked out once for each distinct set of
    the fields that say which feeds an entry is in (see Facts): most entries share theirs."""
    known: dict[tuple[object, ...], T] = {}

    def decided(facts: Facts) -> T:
        membership = facts[MEMBERSHIP:]
        found = known.get(membership, _UNKNOWN)
        if found is _UNKNOWN:
            found = known[membership] = decide(facts)
        return found  # type: ignore[return-value]

    return decided


_UNKNOWN = object()


def feeds_of_each(site: Site) -> Callable[[Facts], Memberships]:
    """Every feed an entry of `site` belongs to, with the name it gives that feed: each kind
    of feed made ready for the site once, and a memo for one pass over its entries (kept
    for the whole build, the memberships of 200,000 entries held 60 MB)."""
    kinds = [(number, kind.members(site)) for number, kind in enumerate(FEED_KINDS) if kind.wanted(site)]
    return per_membership(lambda facts: tuple(((number, slug), name) for number, members in kinds
                                              for slug, name in members(facts)))


def published_feed(path: str) -> FeedKey | None:
    """The feed published at `path` (as "folder/slug/"), if a kind of feed publishes there."""
    for number, kind in enumerate(FEED_KINDS):
        slug = kind.published_slug(path)
        if slug is not None:
            return number, slug
    return None


def name_titled(site: Site, key: FeedKey, title: str) -> str:
    """The name a feed of this kind was published under, read back from the title its `looks`
    gave it ("" if no name gives that title): what the manifest would have kept, for a build
    that has lost it. The kind's title is asked of a name no entry can spell and the rest of
    it taken off, so the title rule stays in `looks` alone."""
    looks = FEED_KINDS[key[0]].looks
    before, stands_in, after = looks(site, _NO_NAME).title.partition(_NO_NAME)
    if not stands_in or len(title) <= len(before) + len(after) or not title.startswith(before) \
            or not title.endswith(after):
        return ""
    name = title[len(before):len(title) - len(after)]
    return name if looks(site, name).title == title else ""


_NO_NAME = "\x00"  # a control character: no entry's category or byline holds one


def max_items(key: FeedKey, site: Site) -> int:
    return FEED_KINDS[key[0]].max_items(site, key[1])

