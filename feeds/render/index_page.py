"""index.html: the feeds, for people, with autodiscovery links for browsers and readers.

One self-contained page (no script, font or image from anywhere) that reads well on a
phone and a desktop, light or dark. Its bytes depend only on the data, like the feeds.
Its links to feeds and pages are paths from the host's root (html_parts.from_the_root), so
they work where it is published, with or without a folder's final slash, and in a local
preview; the addresses shown to copy, and the autodiscovery tags, are the absolute ones
readers subscribe to. Each feed's heading links to that feed's own page (render.feed_page)
where it has one.

The site-wide feed's folder is the publish directory itself, so this page is also that
feed's page: its section lists every item the feed holds as a feed page does (title, date,
summary), where every other feed's section lists its newest few headlines.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timezone, tzinfo
from html import escape
from typing import NamedTuple

from ..languages import is_english
from ..model import Entry, FeedSpec, Item, Site
from .html_parts import (
    FeedLink,
    alternate,
    breakable,
    count,
    empty,
    formats_compared,
    from_the_root,
    head,
    in_english,
    in_site_language,
    label,
    stories,
    time_element,
    when,
)

__all__ = ["FeedLink", "ListedFeed", "headlines", "newest", "render"]


class ListedFeed(NamedTuple):
    spec: FeedSpec
    links: tuple[FeedLink, ...]
    page: str | None = None  # its page, URL-quoted, relative to the publish directory: "categories/news/index.html"
    items: tuple[Item, ...] = ()  # the site-wide feed's, which this page lists as its page (headlines)


LATEST_SHOWN = 3
_FOLLOW = "Follow these stories in a feed reader: copy a feed's address below and add it there."


def render(site: Site, feeds: Sequence[ListedFeed]) -> bytes:
    zone = site.timezone or timezone.utc
    page = head(site.language, _title(site), site.description, _autodiscovery(feeds)) + f"""<body>
<div class="wrap">
<header>
<h1><a href="{escape(site.link)}">{escape(site.title)}</a></h1>
<p class="lede">{escape(site.description)}</p>
<p class="how"{in_english(site.language)}>{chr(10).join(filter(None, (_FOLLOW, formats_compared(site.formats))))}</p>
</header>
{_navigation(site, feeds)}
<main>
{chr(10).join(_section(site, feed, zone) for feed in feeds)}
</main>
{_footer(site, feeds, zone)}
</div>
</body>
</html>
"""
    return page.encode("utf-8")


def _title(site: Site) -> str:
    """'Example News: news feeds' on an English page; elsewhere the site's title alone. A
    title has no lang of its own: an Arabic page's 'الأخبار اليوم: news feeds' was spoken,
    its English words too, in the page's Arabic voice."""
    return f"{site.title}: news feeds" if is_english(site.language) else site.title


def _autodiscovery(feeds: Sequence[ListedFeed]) -> str:
    """One <link rel="alternate"> per feed file, so browsers and readers find them all."""
    return "\n".join(alternate(feed.spec.title, link) for feed in feeds for link in feed.links)


def _navigation(site: Site, feeds: Sequence[ListedFeed]) -> str:
    """A chip per feed: the feeds' names, in the site's language but for 'All stories', in a
    list the page's own word 'Feeds' names."""
    if len(feeds) < 3:
        return ""
    chips = "".join(f'<li><a href="#{_anchor(feed.spec)}"{_heading_language(site, feed.spec)}>'
                    f"{escape(_heading(feed.spec))}</a></li>" for feed in feeds)
    return f'<nav aria-label="Feeds"{in_english(site.language)}><ul{in_site_language(site.language)}>{chips}</ul></nav>'


def _section(site: Site, feed: ListedFeed, zone: tzinfo) -> str:
    """A feed's heading, its newest headlines and its addresses; for the site-wide feed,
    whose page this is, its addresses and then every item it holds."""
    spec = feed.spec
    anchor = _anchor(spec)
    formats = "".join(
        f'<li><a href="{escape(from_the_root(link.url))}" type="{escape(link.media_type)}">{label(link)}</a>'
        f'<code>{breakable(link.url)}</code></li>' for link in feed.links)
    heading = escape(_heading(spec))
    title = f'<a href="{escape(from_the_root(site.publish_url + feed.page))}">{heading}</a>' if feed.page else heading
    english = in_english(site.language)
    number = f'<span class="count"{english}>{count(len(spec.entries))}</span>'
    subscribe = f'<ul class="formats" aria-label="{_subscribe_label(site, heading)}"{english}>{formats}</ul>'
    if spec.kind == "site":
        listed = f"{subscribe}\n{stories(feed.items, zone, site.language)}"
    else:
        latest = "".join(_headline(entry, zone, site.language) for entry in headlines(spec))
        listed = (f'<ol class="latest">{latest}</ol>' if latest else empty(site.language)) + f"\n{subscribe}"
    return f"""<section id="{anchor}" class="{_SECTION_CLASS[spec.kind]}" aria-labelledby="{anchor}-title">
<div class="head"><h2 id="{anchor}-title"{_heading_language(site, spec)}>{title}</h2>{number}</div>
{listed}
</section>"""


def _subscribe_label(site: Site, heading: str) -> str:
    """The format list's name: 'Subscribe to News' on an English page; elsewhere 'Subscribe',
    the feed named by the section and heading the list is in. A name is spoken in one voice,
    and an Arabic page's 'Subscribe to أخبار' read the Arabic in an English one."""
    return f"Subscribe to {heading}" if is_english(site.language) else "Subscribe"


def headlines(spec: FeedSpec) -> tuple[Entry, ...]:
    """The stories a feed's section lists: the site-wide feed's every one, another's newest few."""
    return spec.entries if spec.kind == "site" else spec.entries[:LATEST_SHOWN]


def newest(specs: Iterable[FeedSpec]) -> datetime | None:
    """When the newest story of any feed was published, which the footer tells."""
    return max((entry.published for spec in specs for entry in spec.entries), default=None)


def _headline(entry: Entry, zone: tzinfo, language: str) -> str:
    return (f'<li><a href="{escape(entry.link)}">{escape(entry.title)}</a>'
            f"{time_element(entry.published, zone, language)}</li>")


def _footer(site: Site, feeds: Sequence[ListedFeed], zone: tzinfo) -> str:
    moment = newest(feed.spec for feed in feeds)
    latest = f"Newest story {when(moment, zone)} ({escape(site.timezone_name)}). " if moment else ""
    rights = f"<bdi{in_site_language(site.language)}>{escape(site.copyright)}</bdi>. " if site.copyright else ""
    return f"<footer><p{in_english(site.language)}>{latest}{rights}Feeds published with feeds.</p></footer>"


_SECTION_CLASS = {"site": "site-wide", "category": "category", "author": "author", "named": "named"}
_ANCHOR_PREFIX = {"category": "category-", "author": "author-", "named": "feed-"}


def _heading(spec: FeedSpec) -> str:
    """What people call the feed: its category, its author, its title; 'All stories' for the site's."""
    if spec.kind == "site":
        return "All stories"
    return spec.category or spec.label or spec.title


def _heading_language(site: Site, spec: FeedSpec) -> str:
    """'All stories' is the page's own English; every other heading is the newsroom's."""
    return in_english(site.language) if spec.kind == "site" else ""


def _anchor(spec: FeedSpec) -> str:
    """An id for #links: 'all-stories', or the feed's kind and the last part of its folder:
    'category-news', 'author-jane-doe', 'feed-breaking'."""
    if spec.kind == "site":
        return "all-stories"
    return _ANCHOR_PREFIX[spec.kind] + spec.path.strip("/").rsplit("/", 1)[-1]
