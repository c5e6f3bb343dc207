"""RSS 2.0 with content:encoded, dc:creator, Media RSS images and an atom:link to itself.

Descriptions are written as HTML-escaped text: RSS readers read a description as HTML, so
plain text that looks like markup ('<br>', '&amp;') would otherwise be shown as markup.
Readers guess whether a title is HTML, so a title is HTML-escaped only when it looks like
markup (text.as_title). Categories are plain text to every reader.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from feedgen.ext.base import BaseExtension  # type: ignore[import-untyped]
from feedgen.feed import FeedGenerator

# isort: split
# after feedgen.feed: feedgen.util, which these import, uses the lxml.etree feedgen.feed imports
from feedgen.ext.dc import DcEntryExtension, DcExtension  # type: ignore[import-untyped]
from feedgen.ext.media import MediaEntryExtension, MediaExtension  # type: ignore[import-untyped]

from .._version import __version__
from ..model import Author, FeedDocument, Item
from .history import add_history
from .spliced import Splice, rendered_items
from .text import as_html, as_title
from .xml_text import attribute, text

# RSS 2.0's <image> is a GIF, JPEG or PNG, and validators tell one by what follows the URL's
# last dot, query and fragment included: /logo.png?v=1.2 is a "2" to the W3C validator, and
# .jpe and .jfif, JPEG's other names, draw its warning too. So the whole URL must end so.
_RSS_IMAGE_ENDINGS = (".gif", ".jpg", ".jpeg", ".png")

ATOM_LINK = "{http://www.w3.org/2005/Atom}link"
ITEMS = Splice(starts=b"    <item>", ends=b"    </item>\n", closing=b"  </channel>")


def render(feed: FeedDocument) -> bytes:
    """feedgen's document, its items rendered once each (spliced.py)."""
    return with_items(empty_document(feed), rendered_items("rss", feed.items, render_items))


def empty_document(feed: FeedDocument) -> bytes:
    """The document without its items, as feedgen writes it."""
    return library_document(replace(feed, items=()))


def with_items(empty: bytes, items: Sequence[bytes]) -> bytes:
    """An empty_document with these items' bytes (render_items) where feedgen puts them."""
    return ITEMS.into(empty, items)


def items_in(document: bytes) -> list[bytes] | None:
    """A document's items' bytes as with_items takes them, to put them in another channel."""
    return ITEMS.items_in(document)


def render_items(items: Sequence[Item]) -> list[bytes]:
    """Each item as feedgen writes it in a document, written here: building and serialising
    feedgen's tree of each item took longer than all else an item costs. An item without a
    title, link, or summary or body (which validation never lets through) is left to feedgen."""
    return [hex_escaped(_item(item).encode()) if item.title and item.link and (item.summary or item.content_html)
            else ITEMS.library_items([item], library_document)[0] for item in items]


def library_document(feed: FeedDocument) -> bytes:
    """The whole document as feedgen writes it."""
    generator = _channel(feed)
    for item in feed.items:
        _add_item(generator, item)
    return _written(generator)


def _written(generator: FeedGenerator) -> bytes:
    return hex_escaped(generator.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True))


def _channel(feed: FeedDocument) -> FeedGenerator:
    generator = FeedGenerator()
    # by class, not load_extension: its import of the `dc_entry` module feedgen does not
    # have fails at every call, a search of sys.path (0.3 ms a call)
    generator.register_extension("dc", DcExtension, DcEntryExtension, atom=False, rss=True)
    generator.register_extension("media", MediaExtension, MediaEntryExtension, atom=False, rss=True)
    generator.title(as_title(feed.title))
    generator.link(href=feed.feed_url, rel="self", type="application/rss+xml")
    generator.link(href=feed.home_url, rel="alternate")  # last: feedgen makes it the channel <link>
    if feed.site.hubs:
        generator.register_extension("websub", _WebSubHubs, atom=False, rss=True)
        generator.websub.hubs = feed.site.hubs
    generator.description(as_html(feed.description))
    generator.language(feed.site.language)
    generator.generator(f"feeds {__version__}")
    generator.lastBuildDate(feed.updated)
    if feed.site.copyright:
        generator.copyright(as_html(feed.site.copyright))
    image = next((url for url in (feed.site.logo, feed.site.icon) if url and url.lower().endswith(_RSS_IMAGE_ENDINGS)),
                 None)
    if image:
        generator.image(url=image, title=as_title(feed.title), link=feed.home_url)
    if feed.archive:
        add_history(generator, feed.archive, rss=True)
    return generator


class _WebSubHubs(BaseExtension):  # type: ignore[misc]
    """feedgen writes only the self atom:link of an RSS channel: the hub links go beside it."""

    def __init__(self) -> None:
        self.hubs: tuple[str, ...] = ()

    def extend_rss(self, feed: Any) -> Any:
        channel = feed.find("channel")
        after_self = list(channel).index(channel.find(ATOM_LINK)) + 1
        for offset, hub in enumerate(self.hubs):
            channel.insert(after_self + offset, channel.makeelement(ATOM_LINK, {"href": hub, "rel": "hub"}))
        return feed


def hex_escaped(document: bytes) -> bytes:
    """Write '&' and '<' as &#x26; and &#x3C;: the same XML, but RSS readers that take
    plain text for HTML (and the W3C validator, which warns of them) read it right."""
    return document.replace(b"&amp;", b"&#x26;").replace(b"&lt;", b"&#x3C;")


def _item(item: Item) -> str:
    """An item's lines as _add_item has feedgen write them, pretty-printed (before hex_escaped)."""
    lines = ["    <item>", f"      <title>{text(as_title(item.title))}</title>", f"      <link>{text(item.link)}</link>"]
    summary = as_html(item.summary)
    if summary:
        lines.append(f"      <description>{text(summary)}</description>")
        if item.content_html:
            lines.append(f"      <content:encoded>{text(item.content_html)}</content:encoded>")
    elif item.content_html:  # feedgen's description is the body when there is no summary
        lines.append(f"      <description>{text(item.content_html)}</description>")
    permalink = "true" if item.id == item.link else "false"
    lines.append(f'      <guid isPermaLink="{permalink}">{text(item.id)}</guid>')
    lines += [f"      <category>{text(category)}</category>" for category in item.categories]
    lines.append(f"      <pubDate>{rfc_822(item.published)}</pubDate>")
    if item.authors:
        lines.append(f"      <dc:creator>{text(byline(item.authors))}</dc:creator>")
    if item.image:
        kind = f' type="{attribute(item.image_type)}"' if item.image_type else ""
        lines.append(f'      <media:content url="{attribute(item.image)}"{kind} medium="image"/>')
    lines.append("    </item>\n")
    return "\n".join(lines)


def byline(authors: Sequence[Author]) -> str:
    """Every author's name in one dc:creator: newsboat and feedparser show an item's last
    dc:creator, rss-parser its first, so a story by two showed one of them. Names are
    parted by commas, or by semicolons where a name holds a comma ("Smith, John; Lee,
    Ann"), as a library catalogue parts them: "Smith, John, Lee, Ann" reads as four."""
    names = [author.name for author in authors]
    return ("; " if any("," in name for name in names) else ", ").join(names)


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def rfc_822(moment: datetime) -> str:
    """As feedgen's formatRFC2822 writes it (strftime in the C locale), without setting the
    process's locale twice a date."""
    return (f"{_DAYS[moment.weekday()]}, {moment.day:02d} {_MONTHS[moment.month - 1]} {moment.strftime('%Y')} "
            f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d} {moment.strftime('%z')}")


def _add_item(generator: FeedGenerator, item: Item) -> Any:
    entry = generator.add_entry(order="append")
    entry.title(as_title(item.title))
    entry.link(href=item.link)
    entry.guid(item.id, permalink=item.id == item.link)
    entry.description(as_html(item.summary))
    if item.content_html:
        entry.content(item.content_html)
    entry.pubDate(item.published)
    entry.updated(item.updated)
    if item.categories:  # all at once: feedgen redoes its whole list on each call
        entry.category([{"term": category} for category in item.categories])
    if item.authors:  # RSS's own <author> must be an email address: dc:creator names them
        entry.dc.dc_creator(byline(item.authors))
    if item.image:
        media = {"url": item.image, "medium": "image"}
        if item.image_type:
            media["type"] = item.image_type
        entry.media.content(media, group=None)
    return entry
