"""index.html: the feeds, for people, with autodiscovery links for browsers and readers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from ..model import FeedSpec, Site


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


_STYLE = """
:root { color-scheme: light dark; --fg: #1b1b1b; --bg: #fdfdfc; --muted: #5f6368; --line: #dcdcdc; --accent: #b3261e; }
@media (prefers-color-scheme: dark) { :root { --fg: #e8e6e3; --bg: #16181a; --muted: #a0a4a8; --line: #34383c; --accent: #ff8a80; } }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 46rem; padding: 1.5rem 1rem 3rem; font: 1rem/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; } h2 { font-size: 1.15rem; margin: 0; }
p.lede { color: var(--muted); margin: 0 0 1.5rem; }
section { border-top: 1px solid var(--line); padding: 1rem 0; }
.count { color: var(--muted); font-size: .9rem; }
ul.latest { margin: .5rem 0; padding-left: 1.1rem; } ul.latest time { color: var(--muted); font-size: .85rem; }
.subscribe { display: flex; flex-wrap: wrap; gap: .5rem; margin-top: .5rem; }
.subscribe a { border: 1px solid var(--line); border-radius: .4rem; padding: .15rem .6rem; color: var(--accent); text-decoration: none; }
code { font-size: .8rem; word-break: break-all; color: var(--muted); }
"""

LATEST_SHOWN = 3


def render(site: Site, feeds: Sequence[ListedFeed]) -> bytes:
    head = [f'<link rel="alternate" type="{escape(link.media_type)}" title="{escape(link.title)}" '
            f'href="{escape(link.url)}">' for feed in feeds for link in feed.links]
    sections = [_section(feed) for feed in feeds]
    page = f"""<!DOCTYPE html>
<html lang="{escape(site.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(site.title)}: feeds</title>
{chr(10).join(head)}
<style>{_STYLE}</style>
</head>
<body>
<header>
<h1><a href="{escape(site.link)}">{escape(site.title)}</a></h1>
<p class="lede">{escape(site.description)}</p>
</header>
<main>
{chr(10).join(sections)}
</main>
</body>
</html>
"""
    return page.encode("utf-8")


def _section(feed: ListedFeed) -> str:
    spec = feed.spec
    count = len(spec.entries)
    latest = "".join(
        f'<li><a href="{escape(entry.link)}">{escape(entry.title)}</a> '
        f'<time datetime="{entry.published.isoformat()}">{entry.published:%d %b %Y}</time></li>'
        for entry in spec.entries[:LATEST_SHOWN])
    links = "".join(f'<a href="{escape(link.url)}" type="{escape(link.media_type)}">{escape(link.format_name)}</a>'
                    for link in feed.links)
    urls = "<br>".join(f"<code>{escape(link.url)}</code>" for link in feed.links)
    heading = escape(spec.category) if spec.category else "All stories"
    return f"""<section>
<h2>{heading} <span class="count">{count} item{'s' if count != 1 else ''}</span></h2>
{f'<ul class="latest">{latest}</ul>' if latest else ''}
<div class="subscribe">{links}</div>
<p>{urls}</p>
</section>"""
