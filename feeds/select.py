"""Select stage: given the entries and `now`, which items go in which feed, in what order.

The rules are written once, over what an entry's `Facts` say, and read two ways:
`select_feeds` over whole entries, `shortlist` over the cached facts of every entry
(without loading them), which finds the few entries `select_feeds` can need, and
`history`, also over facts, every item each feed would hold with no `max_items` (the
RFC 5005 archives).

A kind of feed is one `FeedKind` in `FEED_KINDS`: which feeds of it an entry belongs
to, and what such a feed is called. Both readings take every kind from there.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any, NamedTuple, Protocol

from .feed_filters import AUTHORS_FOLDER, author_feed_description, author_feed_title, item_authors, matches
from .model import RESERVED_FEED_NAMES, ContentMode, Entry, FeedSpec, NamedFeed, Site, microseconds
from .slugs import ascii_slug, category_folder, category_settings, slugify

# The date of a feed that has never held an item. Fixed, as the bytes must be; not 1970,
# which the W3C validator calls implausible (it warns of any date before 1990).
NEVER_UPDATED = datetime(2000, 1, 1, tzinfo=timezone.utc)


class Facts(NamedTuple):
    """What selection needs to know of an entry, as plain values (moments in microseconds
    since 1970), so the cache can keep them for every entry and choose without loading it.

    The fields after `expires` are those that say which feeds the entry is in (feeds_of):
    `shortlist` works that out once for each distinct set of them."""

    id: str
    draft: bool
    published: int
    updated: int | None
    expires: int | None
    categories: tuple[tuple[str, str], ...]  # (slug, name as written)
    authors: tuple[tuple[str, str], ...]  # the entry's own bylines, (slug, name); the site's are added when selecting


_MEMBERSHIP = Facts._fields.index("expires") + 1  # see Facts


def facts_of(entry: Entry) -> Facts:
    return Facts(entry.id, entry.draft, microseconds(entry.published),
                 None if entry.updated is None else microseconds(entry.updated),
                 None if entry.expires is None else microseconds(entry.expires),
                 _slugged(entry.categories), _slugged(tuple(author.name for author in entry.authors)))


@lru_cache(maxsize=4096)
def _slugged(names: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """One tuple for each set of names, which marshal then writes (and reads) once."""
    return tuple((slugify(name), name) for name in names)


# --- The rules: live, appeared, newest first ------------------------------------------------


class _Dated(Protocol):
    """An Entry (moments as datetimes) or its Facts (moments as microseconds)."""

    @property
    def draft(self) -> bool: ...
    @property
    def published(self) -> Any: ...
    @property
    def expires(self) -> Any: ...


def has_appeared(entry: _Dated, now: Any) -> bool:
    """Seen by readers at some time up to now, even if it has since expired."""
    return not entry.draft and entry.published <= now


def is_live(entry: _Dated, now: Any) -> bool:
    """Published (not a draft, its time come) and not yet expired."""
    return has_appeared(entry, now) and (entry.expires is None or now < entry.expires)


def next_moment(entry: _Dated, now: Any) -> Any:
    """When this entry next changes what the feeds show: it falls due, or, live, expires.
    None if it never will (a draft, or expired already, or live for good)."""
    if entry.draft:
        return None
    if not has_appeared(entry, now):
        return entry.published
    return entry.expires if entry.expires is not None and now < entry.expires else None


def newest_first(published: int, entry_id: str) -> tuple[int, str]:
    """A feed's order: newest published first, ties broken by id."""
    return (-published, entry_id)


def _entry_order(entry: Entry) -> tuple[int, str]:
    return newest_first(microseconds(entry.published), entry.id)


# --- The kinds of feed -------------------------------------------------------------------

FeedKey = tuple[int, str]  # (its kind's place in FEED_KINDS, its slug within the kind)


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


@dataclass(frozen=True)
class FeedKind:
    """One kind of feed: which feeds of it an entry is in, and how one is named.

    A feed of a kind is known by a slug; the spelling an entry gives it (`name`) that
    sorts first names it. A kind whose feeds are published under `folder` keeps a feed
    whose entries are all gone (see select_feeds)."""

    folder: str | None  # None for the site-wide feed; else its feeds go in folder + slug + "/"
    wanted: Callable[[Site], bool]
    members: Callable[[Facts, Site], Iterable[tuple[str, str]]]  # (slug, name) of every feed of it the entry is in
    looks: Callable[[Site, str], FeedLook]  # name -> title, description, ...
    named_by_folder: Callable[[Site, str], str]  # the name of a published feed no entry names any more
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


def _category_members(facts: Facts, site: Site) -> Iterable[tuple[str, str]]:
    """Each category's folder: its slug, unless site.yaml names a folder or asks for ASCII."""
    if site.slugs == "unicode" and not site.categories:
        return facts.categories
    return tuple((category_folder(site, name), name) for _, name in facts.categories)


def _category_looks(site: Site, name: str) -> FeedLook:
    settings = category_settings(site, name)
    return FeedLook(settings.title or f"{site.title}: {name}", settings.description or f"{name} from {site.title}",
                    name)


def _category_named_by_folder(site: Site, folder: str) -> str:
    """A published folder no entry fills any more: named as site.yaml names its category, or by itself."""
    return next((settings.key for settings in site.categories if settings.slug == folder), folder)


def _named_members(facts: Facts, site: Site) -> Iterable[tuple[str, str]]:
    """The named feeds whose filter (feed_filters.matches) lets the entry in."""
    categories = {slug for slug, _ in facts.categories}
    authors = {slug for slug, _ in item_authors(facts.authors, site)}
    return tuple((feed.name, feed.name) for feed in site.feeds if matches(feed, categories, authors))


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


def _author_members(facts: Facts, site: Site) -> Iterable[tuple[str, str]]:
    """One feed per author (its own, or the site's), in the site's slug style; an entry
    counts once in a feed two of its spellings share."""
    folders: dict[str, str] = {}
    for slug, name in item_authors(facts.authors, site):
        folder = ascii_slug(name) if site.slugs == "ascii" else slug
        if folder:
            folders[folder] = min(folders.get(folder, name), name)
    return tuple(folders.items())


def _author_looks(site: Site, name: str) -> FeedLook:
    return FeedLook(author_feed_title(site, name), author_feed_description(site, name), label=name)


def _by_folder(site: Site, folder: str) -> str:
    return folder


FEED_KINDS = (
    FeedKind(None, lambda site: True, lambda facts, site: (("", ""),),
             lambda site, name: FeedLook(site.title, site.description), _by_folder, lambda site: ("",)),
    FeedKind("", lambda site: True, _named_members, _named_looks, _by_folder,
             lambda site: tuple(feed.name for feed in site.feeds), _named_max_items),
    FeedKind("categories/", lambda site: site.category_feeds, _category_members, _category_looks,
             _category_named_by_folder),
    FeedKind(AUTHORS_FOLDER, lambda site: site.author_feeds, _author_members, _author_looks, _by_folder),
)


def feeds_of(facts: Facts, site: Site) -> tuple[tuple[FeedKey, str], ...]:
    """Every feed the entry belongs to, with the name it gives that feed."""
    return tuple(((number, slug), name) for number, kind in enumerate(FEED_KINDS) if kind.wanted(site)
                 for slug, name in kind.members(facts, site))


def _published_feed(path: str) -> FeedKey | None:
    """The feed published at `path` (as "folder/slug/"), if a kind of feed publishes there."""
    for number, kind in enumerate(FEED_KINDS):
        slug = kind.published_slug(path)
        if slug is not None:
            return number, slug
    return None


def _max_items(key: FeedKey, site: Site) -> int:
    return FEED_KINDS[key[0]].max_items(site, key[1])


# --- Selecting from whole entries ----------------------------------------------------------


def select_feeds(entries: Sequence[Entry], site: Site, now: datetime,
                 published_feeds: Iterable[str] = ()) -> tuple[FeedSpec, ...]:
    """Every feed of every kind, in FEED_KINDS order, then by slug.

    `published_feeds` are the folders of feeds already out there: one whose entries have
    all been deleted stays, valid and empty, so a withdrawn article leaves it and readers
    do not take a vanished feed for a dead one.
    """
    appeared = [entry for entry in entries if has_appeared(entry, now)]
    groups: dict[FeedKey, tuple[str, list[Entry]]] = {
        (number, slug): (slug, []) for number, kind in enumerate(FEED_KINDS) if kind.wanted(site)
        for slug in kind.defined(site)}
    for entry in appeared:
        for key, name in feeds_of(facts_of(entry), site):
            first, members = groups.get(key, (name, []))
            members.append(entry)
            groups[key] = (min(first, name), members)
    for path in published_feeds:
        kept = _published_feed(path)
        if kept is not None and FEED_KINDS[kept[0]].wanted(site):
            groups.setdefault(kept, (FEED_KINDS[kept[0]].named_by_folder(site, kept[1]), []))  # no entry names it
    return tuple(_feed(key, name, members, site, now) for key, (name, members) in sorted(
        groups.items(), key=lambda group: _feed_order(group[0], site)))


def _feed_order(key: FeedKey, site: Site) -> tuple[int, int, str]:
    """By kind; within one, the feeds site.yaml defines in the order written, then by slug."""
    number, slug = key
    defined = FEED_KINDS[number].defined(site)
    return number, defined.index(slug) if slug in defined else len(defined), slug


def _feed(key: FeedKey, name: str, appeared: Sequence[Entry], site: Site, now: datetime) -> FeedSpec:
    number, slug = key
    kind = FEED_KINDS[number]
    look = kind.looks(site, name)
    live = sorted((entry for entry in appeared if is_live(entry, now)), key=_entry_order)[: _max_items(key, site)]
    return FeedSpec(kind.path(slug), look.title, look.description, look.category, tuple(live),
                    _last_change(live, appeared, now), look.label, look.content, _max_items(key, site))


def _last_change(shown: Sequence[Entry], appeared: Iterable[Entry], now: datetime) -> datetime:
    """When the feed last changed, from the data alone: an item's update, or an item expiring."""
    moments = [entry.last_modified for entry in shown]
    moments += [entry.expires for entry in appeared if entry.expires is not None and entry.expires <= now]
    return max(moments, default=NEVER_UPDATED)


def next_change(entries: Iterable[Entry], now: datetime) -> datetime | None:
    """The next instant at which a build would publish something different: a scheduled
    entry falling due or a live one expiring."""
    moments = (next_moment(entry, now) for entry in entries)
    return min((moment for moment in moments if moment is not None), default=None)


# --- Choosing over cached facts, without loading every entry -----------------------------


@dataclass(frozen=True)
class Shortlist:
    paths: list[str]  # the entries select_feeds could use, in the order given
    live: int  # entries published and not expired
    valid_from: int | None  # the selection is the same at every moment in [valid_from, valid_until)
    valid_until: int | None


class _Live(NamedTuple):
    order: tuple[int, str]  # newest_first
    path: str
    feeds: tuple[tuple[FeedKey, str], ...]


class _Expired(NamedTuple):
    expires: int
    path: str
    feeds: tuple[tuple[FeedKey, str], ...]


def shortlist(entries: Iterable[tuple[str, Facts]], site: Site, now: int, spare: int = 0) -> Shortlist:
    """What select_feeds can use: per feed, its newest max_items live entries, the one that
    expired last and one entry per spelling of its name; and the next entry to fall due or
    expire. Selecting from these gives what selecting from all gives (tests check it).

    With `spare`, that many more of each: after up to `spare` of all the entries change or
    go, these (less those) and the changed ones are still enough (build.incremental)."""
    order: list[str] = []
    live: list[_Live] = []
    expired: list[_Expired] = []
    upcoming: list[tuple[int, str]] = []
    feeds_by_membership: dict[tuple[Any, ...], tuple[tuple[FeedKey, str], ...]] = {}  # one of each, not one an entry
    for path, facts in entries:
        order.append(path)
        moment = next_moment(facts, now)
        if moment is not None:
            upcoming.append((moment, path))
        if not has_appeared(facts, now):
            continue
        membership = facts[_MEMBERSHIP:]
        feeds = feeds_by_membership.get(membership)
        if feeds is None:
            feeds = feeds_by_membership[membership] = feeds_of(facts, site)
        if is_live(facts, now):
            live.append(_Live(newest_first(facts.published, facts.id), path, feeds))
        else:
            expired.append(_Expired(facts.expires, path, feeds))  # type: ignore[arg-type]
    newest = _newest(live, site, spare)
    keep = {candidate.path for candidate in newest}
    keep.update(_last_expired(expired, 1 + spare))
    keep.update(_spellings([*live, *expired], keep, 1 + spare))
    soonest = heapq.nsmallest(1 + spare, upcoming)
    keep.update(path for _, path in soonest)
    # Selection changes only when an entry appears or expires: it holds from the last of
    # those moments (the newest live entry's, or the last expiry) until the next.
    passed = ([-newest[0].order[0]] if newest else []) + ([max(expired).expires] if expired else [])
    return Shortlist([path for path in order if path in keep], len(live), max(passed, default=None),
                     soonest[0][0] if soonest else None)


def history(entries: Iterable[tuple[str, Facts]], site: Site, now: int) -> dict[str, list[tuple[str, str]]]:
    """Every item each feed would hold with no max_items, oldest first, as (id, path) by the
    feed's path: its live entries (an expired entry has left the feed, so it leaves the
    archives too), in the feed's order reversed. The newest max_items are what select_feeds
    puts in the feed. A feed with no live entry is not in it."""
    by_feed: dict[str, list[tuple[tuple[int, str], str, str]]] = {}
    for path, facts in entries:
        if is_live(facts, now):
            order = history_order(facts.published, facts.id, path)
            for feed in feed_paths(facts, site):
                by_feed.setdefault(feed, []).append(order)
    return {feed: [(entry_id, path) for _, entry_id, path in sorted(members, reverse=True)]
            for feed, members in by_feed.items()}


def history_order(published: int, entry_id: str, path: str) -> tuple[tuple[int, str], str, str]:
    """Where an entry sorts in a feed's history, newest first (history gives it reversed)."""
    return newest_first(published, entry_id), entry_id, path


def feed_paths(facts: Facts, site: Site) -> tuple[str, ...]:
    """The paths of the feeds an entry is in (if it is live)."""
    return tuple(FEED_KINDS[number].path(slug) for (number, slug), _ in feeds_of(facts, site))


def _newest(live: list[_Live], site: Site, spare: int) -> list[_Live]:
    """The newest live entries of every feed, as many as it keeps and `spare` more, in
    select_feeds' order. Most of the archive is never looked at: the walk stops once every
    feed has all it can have."""
    members = Counter(key for candidate in live for key, _ in candidate.feeds)
    wanted = Counter({key: min(number, _max_items(key, site) + spare) for key, number in members.items()})
    looked_at = max(sum(wanted.values()), 1)
    while True:
        taken: Counter[FeedKey] = Counter()
        kept = []
        for candidate in heapq.nsmallest(looked_at, live):
            wanted_here = False
            for key, _ in candidate.feeds:
                if taken[key] < wanted[key]:
                    taken[key] += 1
                    wanted_here = True
            if wanted_here:
                kept.append(candidate)
        if taken == wanted or looked_at >= len(live):
            return kept
        looked_at *= 2


def _last_expired(expired: list[_Expired], count: int) -> set[str]:
    """Per feed, the `count` entries whose expiries came last: the last dates the feed."""
    by_feed: dict[FeedKey, list[tuple[int, str]]] = {}
    for candidate in expired:
        for key, _ in candidate.feeds:
            by_feed.setdefault(key, []).append((candidate.expires, candidate.path))
    return {path for members in by_feed.values() for _, path in heapq.nlargest(count, members)}


def _spellings(appeared: list[_Live | _Expired], keep: set[str], count: int) -> set[str]:
    """For each spelling of a feed's name, `count` entries that have it (or all there are,
    counting those kept already): a feed is named by the spelling that sorts first."""
    wanted = Counter(spelling for candidate in appeared for spelling in candidate.feeds)
    have = Counter(spelling for candidate in appeared if candidate.path in keep for spelling in candidate.feeds)
    short = {spelling for spelling, total in wanted.items() if have[spelling] < min(total, count)}
    found: set[str] = set()
    for candidate in appeared:
        if not short:
            break
        if candidate.path in keep or short.isdisjoint(candidate.feeds):
            continue
        found.add(candidate.path)
        for spelling in candidate.feeds:
            have[spelling] += 1
            if have[spelling] >= min(wanted[spelling], count):
                short.discard(spelling)
    return found
