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
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any, NamedTuple, Protocol

from .feed_kinds import FEED_KINDS, Facts, FeedKey, Memberships, facts_of, feeds_of_each, max_items, per_membership, published_feed
from .model import Entry, FeedSpec, PublishedFeed, Site, microseconds

# The date of a feed that has never held an item. Fixed, as the bytes must be; not 1970,
# which the W3C validator calls implausible (it warns of any date before 1990).
NEVER_UPDATED = datetime(2000, 1, 1, tzinfo=timezone.utc)
LAST_MOMENT = datetime.max.replace(tzinfo=timezone.utc)


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


UPDATED_AHEAD = timedelta(minutes=10)  # the W3C validator's margin for a date ahead of its clock


def updated_ahead(entries: Iterable[Entry], now: datetime) -> list[Entry]:
    """The live entries whose `updated` is ahead of `now` by more than the validator's ten
    minutes: published as written, which readers sort first and the W3C validator calls
    implausible; usually a year typed wrong, or a timezone. Once each one's time comes, it is
    not ahead any more (`ahead_moments`)."""
    limit = ahead_of(now, UPDATED_AHEAD)
    return [entry for entry in entries if entry.updated is not None and entry.updated > limit and is_live(entry, now)]


SCHEDULED_FAR = timedelta(days=366)  # a story scheduled further ahead is more often a year typed wrong


def scheduled_far_ahead(entries: Iterable[Entry], now: datetime) -> list[Entry]:
    """The entries scheduled more than a year ahead of `now`: each goes out when its time
    comes, which for a year typed wrong (2204 for 2024) is never, and nothing else says so."""
    limit = ahead_of(now, SCHEDULED_FAR)
    return [entry for entry in entries if not entry.draft and entry.published > limit]


def ahead_of(now: datetime, margin: timedelta) -> datetime:
    """`now` + `margin`, or the last moment a date can hold when that is past it: a `--now`
    in the year 9999, which feeds accepts, has no year after it, and no entry is dated there."""
    try:
        return now + margin
    except OverflowError:
        return LAST_MOMENT


def ahead_moments(entries: Iterable[Entry], now: datetime) -> tuple[datetime | None, datetime | None]:
    """The last moment up to `now` at which one of these entries' `updated` stopped being
    ahead of the clock (updated_ahead), or its `published` stopped being far ahead
    (scheduled_far_ahead), and the next after it: a build's warnings of them hold between
    the two, and a state reused outside them would say the wrong thing."""
    moments = [moment for entry in entries
               for moment in (entry.updated and entry.updated - UPDATED_AHEAD, entry.published - SCHEDULED_FAR) if moment]
    return max((moment for moment in moments if moment <= now), default=None), min(
        (moment for moment in moments if moment > now), default=None)


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


# --- Selecting from whole entries ----------------------------------------------------------


def select_feeds(entries: Sequence[Entry], site: Site, now: datetime,
                 published_feeds: Mapping[str, PublishedFeed | None] | None = None) -> tuple[FeedSpec, ...]:
    """Every feed of every kind, in FEED_KINDS order, then by slug.

    `published_feeds` are the folders of feeds already out there, with what the manifest
    says of each: one whose entries have all been deleted stays, valid and empty, so a
    withdrawn article leaves it and readers do not take a vanished feed for a dead one. It
    keeps the name it was published under, and is dated when it was emptied: now, if it
    had items until now. One site.yaml defines (a named feed) too: it was dated 2000-01-01,
    as if it had never held an item.
    """
    appeared = [entry for entry in entries if has_appeared(entry, now)]
    live = {id(entry): _entry_order(entry) for entry in appeared if is_live(entry, now)}  # once an entry, not once a feed
    groups: dict[FeedKey, tuple[str, list[Entry]]] = {
        (number, slug): (slug, []) for number, kind in enumerate(FEED_KINDS) if kind.wanted(site)
        for slug in kind.defined(site)}
    feeds_of = feeds_of_each(site)
    for entry in appeared:
        for key, name in feeds_of(facts_of(entry)):
            first, members = groups.get(key, (name, []))
            members.append(entry)
            groups[key] = (min(first, name), members)
    emptied: dict[str, datetime] = {}
    for path, as_published in (published_feeds or {}).items():
        kept = published_feed(path)
        if kept is None or not FEED_KINDS[kept[0]].wanted(site) or groups.get(kept, ("", []))[1]:
            continue  # no feed of ours, or entries name it
        if kept not in groups:  # site.yaml does not define it (a named feed, a listed category): its name as published
            groups[kept] = (FEED_KINDS[kept[0]].named_by_folder(site, kept[1], as_published.name if as_published else ""),
                            [])
        emptied[path] = as_published.emptied or now.replace(microsecond=0) if as_published else NEVER_UPDATED
    specs = (_feed(key, name, members, live, site, now) for key, (name, members) in sorted(
        groups.items(), key=lambda group: _feed_order(group[0], site)))
    return tuple(spec._replace(updated=emptied[spec.path]) if spec.path in emptied else spec for spec in specs)


def _feed_order(key: FeedKey, site: Site) -> tuple[int, int, str]:
    """By kind; within one, the feeds site.yaml defines in the order written, then by slug."""
    number, slug = key
    defined = FEED_KINDS[number].defined(site)
    return number, defined.index(slug) if slug in defined else len(defined), slug


def _feed(key: FeedKey, name: str, appeared: Sequence[Entry], live: dict[int, tuple[int, str]], site: Site,
          now: datetime) -> FeedSpec:
    """The feed of these entries: its live ones (`live`: each one's order, by id()), newest first."""
    number, slug = key
    kind = FEED_KINDS[number]
    look = kind.looks(site, name)
    shown = sorted((entry for entry in appeared if id(entry) in live), key=lambda entry: live[id(entry)])
    shown = shown[: max_items(key, site)]
    return FeedSpec(kind.path(slug), look.title, look.description, look.category, tuple(shown),
                    _last_change(shown, appeared, now), look.label, look.content, max_items(key, site))


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


class Shortlist(NamedTuple):
    paths: list[str]  # the entries select_feeds could use, in the order given
    live: int  # entries published and not expired
    valid_from: int | None  # the selection is the same at every moment in [valid_from, valid_until)
    valid_until: int | None


class _Live(NamedTuple):
    order: tuple[int, str]  # newest_first
    path: str
    feeds: Memberships


class _Expired(NamedTuple):
    expires: int
    path: str
    feeds: Memberships


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
    feeds_of = feeds_of_each(site)
    for path, facts in entries:
        order.append(path)
        moment = next_moment(facts, now)
        if moment is not None:
            upcoming.append((moment, path))
        if not has_appeared(facts, now):
            continue
        feeds = feeds_of(facts)
        if is_live(facts, now):
            live.append(_Live(newest_first(facts.published, facts.id), path, feeds))
        else:
            expired.append(_Expired(facts.expires, path, feeds))  # type: ignore[arg-type]
    spellings = Counter(spelling for candidate in live for spelling in candidate.feeds)
    newest = _newest(live, spellings, site, spare)
    keep = {candidate.path for candidate in newest}
    keep.update(_last_expired(expired, 1 + spare))
    spellings.update(spelling for candidate in expired for spelling in candidate.feeds)  # now of all that appeared
    keep.update(_spellings([*live, *expired], spellings, keep, 1 + spare))
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
    paths_of = feed_paths_of_each(site)
    for path, facts in entries:
        if is_live(facts, now):
            order = history_order(facts.published, facts.id, path)
            for feed in paths_of(facts):
                by_feed.setdefault(feed, []).append(order)
    return {feed: [(entry_id, path) for _, entry_id, path in sorted(members, reverse=True)]
            for feed, members in by_feed.items()}


def history_order(published: int, entry_id: str, path: str) -> tuple[tuple[int, str], str, str]:
    """Where an entry sorts in a feed's history, newest first (history gives it reversed)."""
    return newest_first(published, entry_id), entry_id, path


def feed_paths_of_each(site: Site) -> Callable[[Facts], tuple[str, ...]]:
    """For many entries of `site`: the paths of the feeds each is in (if it is live)."""
    feeds_of = feeds_of_each(site)
    return per_membership(lambda facts: tuple(FEED_KINDS[number].path(slug) for (number, slug), _ in feeds_of(facts)))


def _newest(live: list[_Live], spellings: Counter[tuple[FeedKey, str]], site: Site, spare: int) -> list[_Live]:
    """The newest live entries of every feed, as many as it keeps and `spare` more, in
    select_feeds' order (`spellings`: how many live entries give each feed each name).
    Most of the archive is never looked at: the walk stops once every feed has all it can
    have. The sort is quick on an archive's order: files named by date are runs of it."""
    members: Counter[FeedKey] = Counter()
    for (key, _), number in spellings.items():
        members[key] += number
    wanted = {key: min(number, max_items(key, site) + spare) for key, number in members.items()}
    short = len(wanted)  # feeds that want more
    kept = []
    for candidate in sorted(live):
        wanted_here = False
        for key, _ in candidate.feeds:
            left = wanted[key]
            if left:
                wanted[key] = left - 1
                wanted_here = True
                if left == 1:
                    short -= 1
        if wanted_here:
            kept.append(candidate)
            if not short:
                break
    return kept


def _last_expired(expired: list[_Expired], count: int) -> set[str]:
    """Per feed, the `count` entries whose expiries came last: the last dates the feed."""
    by_feed: dict[FeedKey, list[tuple[int, str]]] = {}
    for candidate in expired:
        for key, _ in candidate.feeds:
            by_feed.setdefault(key, []).append((candidate.expires, candidate.path))
    return {path for members in by_feed.values() for _, path in heapq.nlargest(count, members)}


def _spellings(appeared: list[_Live | _Expired], wanted: Counter[tuple[FeedKey, str]], keep: set[str],
               count: int) -> set[str]:
    """For each spelling of a feed's name, `count` entries that have it (or all there are,
    counting those kept already; `wanted`: how many of `appeared` have each): a feed is
    named by the spelling that sorts first."""
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

