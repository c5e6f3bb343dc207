"""index.html: the feeds, for people, with autodiscovery links for browsers and readers.

One self-contained page (no script, font or image from anywhere) that reads well on a
phone and a desktop, light or dark. Its bytes depend only on the data, like the feeds.
Feed links are relative, so the page works both where it is published and in a local
preview; the addresses shown to copy are the absolute ones readers subscribe to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo
from html import escape

from ..model import Entry, FeedSpec, Site


@dataclass(frozen=True)
class FeedLink:
    title: str
    media_type: str
    format_name: str
    url: str


@dataclass(frozen=True)
class ListedFeed:
    spec: FeedSpec
    links: tuple[FeedLink, ...]


FORMAT_LABELS = {"RSS": "RSS", "ATOM": "Atom", "JSON": "JSON Feed"}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
LATEST_SHOWN = 3
LATEST_SHOWN_SITE_WIDE = 5

_STYLE = """
:root { color-scheme: light dark; --fg: #1b1b1b; --bg: #f6f5f3; --card: #fff; --muted: #5c6066;
  --line: #e0dedb; --accent: #a8231b; --on-accent: #fff; --chip: #fff; }
@media (prefers-color-scheme: dark) { :root { --fg: #e8e6e3; --bg: #121416; --card: #1b1e21;
  --muted: #a3a7ab; --line: #33373b; --accent: #ff8a80; --on-accent: #1b1010; --chip: #1b1e21; } }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--fg); background: var(--bg); }
.wrap { max-width: 68rem; margin: 0 auto; padding: 1.5rem 1rem 2.5rem; }
h1 { font-size: clamp(1.6rem, 5vw, 2.3rem); line-height: 1.15; margin: 0 0 .4rem; }
h1 a { color: inherit; text-decoration: none; }
.lede { color: var(--muted); margin: 0 0 .6rem; max-width: 42rem; }
.how { margin: 0 0 1rem; font-size: .9rem; max-width: 42rem; }
nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .4rem; margin: 0 0 1.25rem; padding: 0; }
nav a { display: inline-block; padding: .2rem .7rem; border: 1px solid var(--line); border-radius: 999px;
  background: var(--chip); color: var(--fg); text-decoration: none; font-size: .9rem; }
main { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fill, minmax(min(100%, 20rem), 1fr)); }
section { min-width: 0; background: var(--card); border: 1px solid var(--line); border-radius: .6rem;
  padding: 1rem 1rem .9rem; scroll-margin-top: 1rem; }
section.site-wide { grid-column: 1 / -1; }
.head { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: .25rem .75rem; }
h2 { font-size: 1.2rem; line-height: 1.25; margin: 0; }
.count { color: var(--muted); font-size: .85rem; white-space: nowrap; }
ol.latest { list-style: none; margin: .6rem 0 .8rem; padding: 0; }
ol.latest li { padding: .4rem 0; border-top: 1px solid var(--line); }
ol.latest a { color: var(--fg); text-decoration: none; font-weight: 500; }
ol.latest a:hover { text-decoration: underline; }
ol.latest time { display: block; color: var(--muted); font-size: .8rem; }
.empty { color: var(--muted); font-style: italic; margin: .6rem 0 .8rem; }
ul.formats { list-style: none; display: grid; gap: .45rem; margin: 0; padding: 0; }
ul.formats li { display: flex; align-items: center; gap: .6rem; min-width: 0; }
ul.formats a { flex: none; width: 5.5rem; padding: .2rem .4rem; border-radius: .35rem; text-align: center;
  font-size: .8rem; font-weight: 600; background: var(--accent); color: var(--on-accent); text-decoration: none; }
code { min-width: 0; font: .8rem/1.35 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  color: var(--muted); overflow-wrap: anywhere; user-select: all; -webkit-user-select: all; }
a:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
footer { margin-top: 1.5rem; color: var(--muted); font-size: .85rem; }
"""


def render(site: Site, feeds: Sequence[ListedFeed]) -> bytes:
    zone = site.timezone or timezone.utc
    page = f"""<!DOCTYPE html>
<html lang="{escape(site.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>{escape(site.title)}: news feeds</title>
<meta name="description" content="{escape(site.description)}">
<link rel="icon" href="data:,">
{_autodiscovery(site, feeds)}
<style>{_STYLE}</style>
</head>
<body>
<div class="wrap">
<header>
<h1><a href="{escape(site.link)}">{escape(site.title)}</a></h1>
<p class="lede">{escape(site.description)}</p>
<p class="how">Follow these stories in a feed reader: copy a feed's address below and add it there.
RSS suits almost every reader; Atom and JSON Feed carry the same stories.</p>
</header>
{_navigation(feeds)}
<main>
{chr(10).join(_section(site, feed, zone) for feed in feeds)}
</main>
{_footer(site, feeds, zone)}
</div>
</body>
</html>
"""
    return page.encode("utf-8")


def _autodiscovery(site: Site, feeds: Sequence[ListedFeed]) -> str:
    """One <link rel="alternate"> per feed file, so browsers and readers find them all."""
    return "\n".join(
        f'<link rel="alternate" type="{escape(link.media_type)}" '
        f'title="{escape(_feed_name(site, feed.spec))} ({_label(link)})" href="{escape(_relative(site, link.url))}">'
        for feed in feeds for link in feed.links)


def _navigation(feeds: Sequence[ListedFeed]) -> str:
    if len(feeds) < 3:
        return ""
    chips = "".join(f'<li><a href="#{_anchor(feed.spec)}">{escape(_heading(feed.spec))}</a></li>' for feed in feeds)
    return f'<nav aria-label="Feeds"><ul>{chips}</ul></nav>'


def _section(site: Site, feed: ListedFeed, zone: tzinfo) -> str:
    spec = feed.spec
    anchor = _anchor(spec)
    shown = LATEST_SHOWN if spec.category else LATEST_SHOWN_SITE_WIDE
    latest = "".join(_headline(entry, zone) for entry in spec.entries[:shown])
    stories = f'<ol class="latest">{latest}</ol>' if latest else '<p class="empty">No stories in this feed right now.</p>'
    formats = "".join(
        f'<li><a href="{escape(_relative(site, link.url))}" type="{escape(link.media_type)}">{_label(link)}</a>'
        f'<code>{_breakable(link.url)}</code></li>' for link in feed.links)
    return f"""<section id="{anchor}" class="{'category' if spec.category else 'site-wide'}" aria-labelledby="{anchor}-title">
<div class="head"><h2 id="{anchor}-title">{escape(_heading(spec))}</h2><span class="count">{_count(len(spec.entries))}</span></div>
{stories}
<ul class="formats" aria-label="Subscribe to {escape(_heading(spec))}">{formats}</ul>
</section>"""


def _headline(entry: Entry, zone: tzinfo) -> str:
    return (f'<li><a href="{escape(entry.link)}">{escape(entry.title)}</a>'
            f'<time datetime="{entry.published.isoformat()}">{_when(entry.published, zone)}</time></li>')


def _footer(site: Site, feeds: Sequence[ListedFeed], zone: tzinfo) -> str:
    newest = max((entry.published for feed in feeds for entry in feed.spec.entries), default=None)
    latest = f"Newest story {_when(newest, zone)} ({escape(site.timezone_name)}). " if newest else ""
    rights = f"{escape(site.copyright)}. " if site.copyright else ""
    return f"<footer><p>{latest}{rights}Feeds published with feeds.</p></footer>"


def _heading(spec: FeedSpec) -> str:
    return spec.category or "All stories"


def _feed_name(site: Site, spec: FeedSpec) -> str:
    return f"{site.title}: {spec.category}" if spec.category else site.title


def _anchor(spec: FeedSpec) -> str:
    """An id for #links: 'all-stories', or 'category-' and the slug its feeds' folder has."""
    return "category-" + spec.path.strip("/").rsplit("/", 1)[-1] if spec.category else "all-stories"


def _label(link: FeedLink) -> str:
    return FORMAT_LABELS.get(link.format_name.upper(), link.format_name)


def _relative(site: Site, url: str) -> str:
    """The feed's URL relative to the publish directory, where index.html itself lives."""
    return url[len(site.publish_url):] if url.startswith(site.publish_url) else url


def _breakable(url: str) -> str:
    """The URL, escaped, allowed to wrap after each '/' on a narrow screen (copying is unchanged)."""
    scheme, separator, rest = url.partition("://")
    return escape(scheme + separator) + "/<wbr>".join(escape(part) for part in rest.split("/"))


def _count(number: int) -> str:
    return f"{number:,} {'story' if number == 1 else 'stories'}"


def _when(moment: datetime, zone: tzinfo) -> str:
    """'9 Mar 2020, 09:20' on the site's clock; month names fixed, never the machine's locale."""
    local = moment.astimezone(zone)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}, {local:%H:%M}"
