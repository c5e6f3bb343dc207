"""<feed folder>/index.html: one feed, for a person who followed a link to it.

Browsers no longer style feeds (XSLT is on its way out), so every feed folder gets a page:
the feed's title and description, how to subscribe (a link per format and its address in a
read-only field, to select and copy without any script), and its items with their dates
on the site's clock. It looks like the top index.html (render.html_parts) and, like it,
its bytes depend only on the data. Its links to the feed files and the way back are paths
from the host's root (html_parts.from_the_root); its autodiscovery tags, like the addresses
shown, are the published ones.
"""

from __future__ import annotations

from datetime import timezone
from html import escape
from typing import NamedTuple

from ..model import Item, Site
from .html_parts import (
    FeedLink,
    alternate,
    count,
    formats_compared,
    from_the_root,
    head,
    in_english,
    in_site_language,
    label,
    shown_url,
    stories,
)

_PAGE_STYLE = """
.wrap.page { max-width: 46rem; }
.page main { display: block; background: var(--card); border: 1px solid var(--line); border-radius: .6rem;
  padding: 1rem 1rem .4rem; }
.up { margin: 0 0 .8rem; font-size: .9rem; }
.up a { color: var(--muted); }
.subscribe { margin: 0 0 1.25rem; }
.subscribe h2, .stories-head h2 { margin: 0 0 .5rem; }
.subscribe .how { color: var(--muted); margin: 0 0 .75rem; }
ul.formats input { flex: 1; min-width: 0; padding: .3rem .45rem; border: 1px solid var(--line); border-radius: .35rem;
  font: .8rem/1.35 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: var(--fg); background: var(--bg); }
ul.formats input:focus { outline: 2px solid var(--accent); outline-offset: 1px; }
.stories-head { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between;
  gap: .25rem .75rem; margin: 0 0 .25rem; }
"""


STORIES_HEAD = b'<div class="stories-head"'
STORIES_END = b"\n</main>"


class FeedPage(NamedTuple):
    """One feed folder's page: the feed as people see it, and its items newest first."""

    path: str  # its folder in the publish directory: "categories/news/", "authors/jane-doe/", "breaking/"
    title: str
    description: str
    links: tuple[FeedLink, ...]  # one per format, absolute URLs (shown to copy)
    items: tuple[Item, ...]


def render(site: Site, page: FeedPage) -> bytes:
    return with_stories(site, page, len(page.items), stories(page.items, site.timezone or timezone.utc, site.language))


def with_stories(site: Site, page: FeedPage, count_shown: int, listed: str) -> bytes:
    """The page with `listed`, the stories of its `count_shown` items as `stories` lists
    them: made for these items now, or read back from the page as published (stories_in)."""
    up = escape(from_the_root(site.publish_url))
    english = in_english(site.language)
    html = head(site.language, page.title, page.description, _autodiscovery(page), _PAGE_STYLE) + f"""<body>
<div class="wrap page">
<header>
<p class="up"{english}><a href="{up}index.html">← <bdi{in_site_language(site.language)}>{escape(site.title)}</bdi>: all feeds</a></p>
<h1>{escape(page.title)}</h1>
<p class="lede">{escape(page.description)}</p>
</header>
{_subscribe(page, english)}
<main aria-labelledby="stories-title">
<div class="stories-head"{english}><h2 id="stories-title">Latest stories</h2><span class="count">{count(count_shown)}</span></div>
{listed}
</main>
{_footer(site)}
</div>
</body>
</html>
"""
    return html.encode("utf-8")


def stories_in(page: bytes) -> str | None:
    """The stories of a page as published, as with_stories takes them back; None if it is
    not shaped so. Between the list's heading and the end of <main>: its text is escaped."""
    head = page.find(STORIES_HEAD)
    start = page.find(b"</div>\n", head) + len(b"</div>\n")
    end = page.rfind(STORIES_END)
    if head < 0 or start < head or end < start:
        return None
    try:
        return page[start:end].decode("utf-8")
    except UnicodeDecodeError:
        return None


def _autodiscovery(page: FeedPage) -> str:
    return "\n".join(alternate(page.title, link) for link in page.links)


def _subscribe(page: FeedPage, english: str) -> str:
    """A link per format, and beside it the address in a read-only field: a tap or click
    selects it, ready to copy into a reader, with no script. The field is left to right on
    any page: on an Arabic one it was set from the right, and showed a phone the address's
    end, its start (https://news.example.com/…) out of sight."""
    how = " ".join(filter(None, ("Copy an address into your feed reader.",
                                 formats_compared(link.format_name for link in page.links))))
    rows = "".join(
        f'<li><a href="{escape(from_the_root(link.url))}" type="{escape(link.media_type)}">{label(link)}</a>'
        f'<input type="url" readonly dir="ltr" value="{escape(shown_url(link.url))}" aria-label="{label(link)} address" '
        f'id="address-{escape(link.format_name.lower())}"></li>' for link in page.links)
    return f"""<section class="subscribe" aria-labelledby="subscribe-title">
<h2 id="subscribe-title"{english}>Subscribe</h2>
<p class="how"{english}>{how}</p>
<ul class="formats"{english}>{rows}</ul>
</section>"""


def _footer(site: Site) -> str:
    rights = f"<bdi{in_site_language(site.language)}>{escape(site.copyright)}</bdi>. " if site.copyright else ""
    return (f"<footer><p{in_english(site.language)}>Times are {escape(site.timezone_name)}. {rights}"
            f"Feeds published with feeds.</p></footer>")
