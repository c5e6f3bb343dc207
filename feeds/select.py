"""Select stage: given the entries and `now`, which items go in which feed, in what order."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timezone

from .model import Entry, FeedSpec, Site
from .slugs import category_folder, category_settings

# The date of a feed that has never held an item. Fixed, as the bytes must be; not 1970,
# which the W3C validator calls implausible (it warns of any date before 1990).
NEVER_UPDATED = datetime(2000, 1, 1, tzinfo=timezone.utc)


def is_live(entry: Entry, now: datetime) -> bool:
    """Published (not a draft, its time come) and not yet expired."""
    return (not entry.draft and entry.published <= now
            and (entry.expires is None or now < entry.expires))


def has_appeared(entry: Entry, now: datetime) -> bool:
    """Seen by readers at some time up to now, even if it has since expired."""
    return not entry.draft and entry.published <= now


def newest_first(entry: Entry) -> tuple[float, str]:
    return (-entry.published.timestamp(), entry.id)


def select_feeds(entries: Sequence[Entry], site: Site, now: datetime,
                 published_slugs: Iterable[str] = ()) -> tuple[FeedSpec, ...]:
    """The site-wide feed, then one feed per category in slug order.

    `published_slugs` are category feeds already out there: one whose entries have all
    been deleted stays, valid and empty, so a withdrawn article leaves it and readers
    do not take a vanished feed for a dead one.
    """
    appeared = [entry for entry in entries if has_appeared(entry, now)]
    feeds = [_feed("", site.title, site.description, None, appeared, site, now)]
    if site.category_feeds:
        groups = _categories(appeared, site)
        for folder in published_slugs:
            groups.setdefault(folder, (_named_by_folder(site, folder), []))
        for folder, (name, members) in sorted(groups.items()):
            settings = category_settings(site, name)
            feeds.append(_feed(f"categories/{folder}/", settings.title or f"{site.title}: {name}",
                               settings.description or f"{name} from {site.title}", name, members, site, now))
    return tuple(feeds)


def _named_by_folder(site: Site, folder: str) -> str:
    """A published folder no entry fills any more: named as site.yaml names its category, or by itself."""
    return next((settings.key for settings in site.categories if settings.slug == folder), folder)


def _categories(entries: Iterable[Entry], site: Site) -> dict[str, tuple[str, list[Entry]]]:
    """Group by folder; spellings that differ only in case or punctuation share one feed,
    as do names whose folders are the same (with `slugs: ascii`, Météo and Meteo)."""
    groups: dict[str, tuple[str, list[Entry]]] = {}
    for entry in entries:
        for category in entry.categories:  # validation keeps one name per folder
            folder = category_folder(site, category)
            name, members = groups.get(folder, (category, []))
            members.append(entry)
            groups[folder] = (min(name, category), members)
    return groups


def _feed(path: str, title: str, description: str, category: str | None,
          appeared: Sequence[Entry], site: Site, now: datetime) -> FeedSpec:
    live = sorted((entry for entry in appeared if is_live(entry, now)), key=newest_first)[: site.max_items]
    return FeedSpec(path, title, description, category, tuple(live), _last_change(live, appeared, now))


def _last_change(shown: Sequence[Entry], appeared: Iterable[Entry], now: datetime) -> datetime:
    """When the feed last changed, from the data alone: an item's update, or an item expiring."""
    moments = [entry.last_modified for entry in shown]
    moments += [entry.expires for entry in appeared if entry.expires is not None and entry.expires <= now]
    return max(moments, default=NEVER_UPDATED)


def next_change(entries: Iterable[Entry], now: datetime) -> datetime | None:
    """The next instant at which a build would publish something different: a scheduled
    entry falling due or a live one expiring."""
    upcoming = []
    for entry in entries:
        if entry.draft:
            continue
        if entry.published > now:
            upcoming.append(entry.published)
        if entry.expires is not None and entry.expires > now:
            upcoming.append(entry.expires)
    return min(upcoming, default=None)
