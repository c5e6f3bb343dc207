"""What the HTML pages for people share: their look, feed links, dates on the site's clock.

The top index.html and every feed folder's index.html are built from these, so they read
as one site: self-contained (no script, font or image from anywhere), light or dark, and
with bytes that depend only on the data.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import datetime, tzinfo
from functools import lru_cache
from html import escape
from typing import NamedTuple
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from ..dates import clock_name, is_repeated
from ..languages import is_english, is_right_to_left
from ..model import Item


class FeedLink(NamedTuple):
    title: str
    media_type: str
    format_name: str
    url: str


FORMAT_LABELS = {"RSS": "RSS", "ATOM": "Atom", "JSON": "JSON Feed"}
BY_READERS_REACH = ("RSS", "ATOM", "JSON")  # almost every reader takes RSS, nearly as many Atom, fewer JSON Feed
# Says feeds wrote the page, so that a build replaces its own pages and never a homepage in
# the way (own_files.py); just after the charset, where it is read.
GENERATOR = '<meta name="generator" content="feeds">'
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

STYLE = """
:root { color-scheme: light dark; --fg: #1b1b1b; --bg: #f6f5f3; --card: #fff; --muted: #5c6066;
  --line: #e0dedb; --accent: #a8231b; --on-accent: #fff; --chip: #fff; }
@media (prefers-color-scheme: dark) { :root { --fg: #e8e6e3; --bg: #121416; --card: #1b1e21;
  --muted: #a3a7ab; --line: #33373b; --accent: #ff8a80; --on-accent: #1b1010; --chip: #1b1e21; } }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--fg); background: var(--bg); overflow-wrap: anywhere; }
time, .count, .how, .empty, .up, footer p { unicode-bidi: plaintext; }
h1, h2, h3, .lede, nav a, ol.latest a, ol.stories p { unicode-bidi: plaintext; }
.wrap { max-width: 68rem; margin: 0 auto; padding: 1.5rem 1rem 2.5rem; }
h1 { font-size: clamp(1.6rem, 5vw, 2.3rem); line-height: 1.15; margin: 0 0 .4rem; }
h1 a { color: inherit; text-decoration: none; }
.lede { color: var(--muted); margin: 0 0 .6rem; max-width: 42rem; }
.how { margin: 0 0 1rem; font-size: .9rem; max-width: 42rem; }
nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .4rem; margin: 0 0 1.25rem; padding: 0; }
nav a { display: inline-block; max-width: 100%; padding: .2rem .7rem; border: 1px solid var(--line); border-radius: 999px;
  background: var(--chip); color: var(--fg); text-decoration: none; font-size: .9rem; }
main { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fill, minmax(min(100%, 20rem), 1fr)); }
section { min-width: 0; background: var(--card); border: 1px solid var(--line); border-radius: .6rem;
  padding: 1rem 1rem .9rem; scroll-margin-top: 1rem; }
section.site-wide { grid-column: 1 / -1; }
.head { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: .25rem .75rem; }
h2 { font-size: 1.2rem; line-height: 1.25; margin: 0; }
h2 a { color: inherit; text-decoration-color: var(--accent); text-underline-offset: .2em; }
.count { color: var(--muted); font-size: .85rem; white-space: nowrap; }
ol.latest { list-style: none; margin: .6rem 0 .8rem; padding: 0; }
ol.latest li { padding: .4rem 0; border-top: 1px solid var(--line); }
ol.latest a { color: var(--fg); text-decoration: none; font-weight: 500; }
ol.latest a:hover { text-decoration: underline; }
ol.latest time { display: block; color: var(--muted); font-size: .8rem; }
.empty { color: var(--muted); font-style: italic; margin: .6rem 0 .8rem; }
ol.stories { list-style: none; margin: 0; padding: 0; }
ol.stories li { padding: .85rem 0; border-top: 1px solid var(--line); }
ol.stories h3 { font-size: 1.05rem; line-height: 1.3; margin: 0 0 .15rem; }
ol.stories h3 a { color: var(--fg); text-decoration: none; }
ol.stories h3 a:hover { text-decoration: underline; }
ol.stories time { display: block; color: var(--muted); font-size: .8rem; margin: 0 0 .3rem; }
ol.stories p { margin: 0; }
ul.formats { list-style: none; display: grid; gap: .45rem; margin: 0; padding: 0; }
section.site-wide ul.formats { margin: .6rem 0 .4rem; }
ul.formats li { display: flex; align-items: center; gap: .6rem; min-width: 0; }
ul.formats a { flex: none; width: 5.5rem; padding: .2rem .4rem; border-radius: .35rem; text-align: center;
  font-size: .8rem; font-weight: 600; background: var(--accent); color: var(--on-accent); text-decoration: none; }
code { min-width: 0; font: .8rem/1.35 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  color: var(--muted); user-select: all; -webkit-user-select: all;
  direction: ltr; unicode-bidi: isolate; }
a:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
footer { margin-top: 1.5rem; color: var(--muted); font-size: .85rem; }
"""


def head(language: str, title: str, description: str, autodiscovery: str, style: str = "") -> str:
    """Every page's opening through </head>: one look, one set of meta tags, its feeds to discover.
    Text in, escaped here; `autodiscovery` is markup already (its <link> lines)."""
    return f"""<!DOCTYPE html>
<html lang="{escape(language)}"{' dir="rtl"' if is_right_to_left(language) else ""}>
<head>
<meta charset="utf-8">
{GENERATOR}
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>{escape(title)}</title>
<meta name="description" content="{escape(description)}">
<link rel="icon" href="data:,">
{autodiscovery}
<style>{STYLE}{style}</style>
</head>
"""


def in_english(language: str) -> str:
    """The attribute for the page's own English words ('Subscribe', '3 stories', a date, the
    footer) on a page in another language: on an Arabic site's page a screen reader's Arabic
    voice read 'Subscribe' as if it were Arabic (WCAG 3.1.2). None on an English page."""
    return "" if is_english(language) else ' lang="en"'


def in_site_language(language: str) -> str:
    """The attribute for the newsroom's words inside the page's own ('← <site title>: all
    feeds'), so that they are spoken in the site's language again. None on an English page."""
    return "" if is_english(language) else f' lang="{escape(language)}"'


def alternate(title: str, link: FeedLink) -> str:
    """A feed's autodiscovery tag, at the address it is published at, the one a page shows
    to copy: relative, a reader given '…/categories/news' (no final slash) took 'rss.xml' for
    …/categories/rss.xml and found nothing, and one given a preview's page subscribed to
    127.0.0.1, a feed gone when the preview stopped."""
    return (f'<link rel="alternate" type="{escape(link.media_type)}" title="{escape(title)} ({label(link)})" '
            f'href="{escape(link.url)}">')


def from_the_root(url: str) -> str:
    """A published address as the pages link to it, a path from the host's root
    ('/feeds/categories/news/rss.xml'): relative, 'rss.xml' on a page a server gave at
    …/categories/news, without its final slash and with no redirect (as some hosts and CDNs
    do), was …/categories/rss.xml, not found. Not the whole URL, so that a preview's links
    (feeds serve answers at publish_url's path too) stay in the preview."""
    return urlunsplit(("", "", *urlsplit(url)[2:]))


def label(link: FeedLink) -> str:
    return FORMAT_LABELS.get(link.format_name.upper(), link.format_name)


def formats_compared(format_names: Iterable[str]) -> str:
    """Which of the formats offered to choose, naming only those: a site publishing JSON
    Feed alone was told 'RSS suits almost every reader', and looked for an RSS link in vain."""
    offered = {name.upper() for name in format_names}
    widest, *others = [name for name in BY_READERS_REACH if name in offered] or [""]
    if not others:
        return ""
    rest = " and ".join(FORMAT_LABELS[name] for name in others)
    return f"{FORMAT_LABELS[widest]} suits almost every reader; {rest} {'carry' if len(others) > 1 else 'carries'} the same stories."


def breakable(url: str) -> str:
    """The URL as a person reads it (`shown_url`), escaped, allowed to wrap after each '/' on a
    narrow screen (copying is unchanged), each part in another script isolated: two Arabic
    parts side by side (عربي/عاجل) were shown in the other's place, the '/' between taken
    for Arabic."""
    scheme, separator, rest = shown_url(url).partition("://")
    return escape(scheme + separator) + "/<wbr>".join(
        escape(part) if part.isascii() else f"<bdi>{escape(part)}</bdi>" for part in rest.split("/"))


_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")


def shown_url(url: str) -> str:
    """The address as browsers show it, for the text of a page (its links keep the escapes):
    each escape of a letter, mark or digit in UTF-8 as that character, categories/أخبار/ where
    readers saw categories/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/. Any other stays escaped (%20,
    %2F, a direction control, bytes that are no UTF-8), as it is no part of a word."""
    return _ESCAPES.sub(lambda run: "".join(map(_shown_character, unquote(run[0], errors="surrogateescape"))), url)


def _shown_character(character: str) -> str:
    if character.isascii() or unicodedata.category(character)[0] not in "LMN":
        return quote(character, safe="", errors="surrogateescape")
    return character


def count(number: int) -> str:
    return f"{number:,} {'story' if number == 1 else 'stories'}"


def when(moment: datetime, zone: tzinfo) -> str:
    """'9 Mar 2020, 09:20' on the site's clock; month names fixed, never the machine's locale.
    In the hour the clocks go back over, the clock is named ('01:30 BST', '01:30 GMT'), or
    the two stories of that hour read alike, and out of order."""
    local = moment.astimezone(zone)
    named = f" {clock_name(local)}" if is_repeated(local) else ""
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}, {local:%H:%M}{named}"


def time_element(moment: datetime, zone: tzinfo, language: str) -> str:
    """The date people read, on the site's clock, marked with the instant machines read. HTML
    takes at most three digits of a second (an entry's .123456 made the attribute invalid)."""
    precision = "milliseconds" if moment.microsecond else "seconds"
    return (f'<time datetime="{moment.isoformat(timespec=precision)}"{in_english(language)}>'
            f"{when(moment, zone)}</time>")


def empty(language: str) -> str:
    return f'<p class="empty"{in_english(language)}>No stories in this feed right now.</p>'


def stories(items: Sequence[Item], zone: tzinfo, language: str) -> str:
    """A feed's items as its page lists them: each title linked, its date, its summary."""
    if not items:
        return empty(language)
    return '<ol class="stories">' + "".join(_story(item.link, item.title, item.published, item.summary, zone, language)
                                            for item in items) + "</ol>"


@lru_cache(maxsize=8192)  # an item is in several feeds' pages: a retitle renders every page
def _story(link: str, title: str, published: datetime, summary: str, zone: tzinfo, language: str) -> str:
    """Kept by what it shows, not by its Item: an Item holds its body's HTML, and the 8,192
    kept held 75 MB past the feeds that showed them."""
    return (f'<li><article><h3><a href="{escape(link)}">{escape(title)}</a></h3>'
            f"{time_element(published, zone, language)}"
            f"<p>{escape(summary)}</p></article></li>")
