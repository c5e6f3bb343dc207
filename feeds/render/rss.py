"""RSS 2.0 with content:encoded, dc:creator, Media RSS images and an atom:link to itself."""

from __future__ import annotations

from feedgen.feed import FeedGenerator

from .. import __version__
from ..model import FeedDocument, Item


def render(feed: FeedDocument) -> bytes:
    generator = FeedGenerator()
    generator.load_extension("dc", atom=False, rss=True)
    generator.load_extension("media", atom=False, rss=True)
    generator.title(feed.title)
    generator.link(href=feed.feed_url, rel="self", type="application/rss+xml")
    generator.link(href=feed.home_url, rel="alternate")  # last: feedgen makes it the channel <link>
    generator.description(feed.description)
    generator.language(feed.site.language)
    generator.generator(f"feeds {__version__}")
    generator.lastBuildDate(feed.updated)
    if feed.site.copyright:
        generator.copyright(feed.site.copyright)
    if feed.site.logo or feed.site.icon:
        generator.image(url=feed.site.logo or feed.site.icon, title=feed.title, link=feed.home_url)
    for item in feed.items:
        _add_item(generator, item)
    document: bytes = generator.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    return hex_escaped(document)


def hex_escaped(document: bytes) -> bytes:
    """Write '&' and '<' as &#x26; and &#x3C;: the same XML, but RSS readers that take
    plain text for HTML (and the W3C validator, which warns of them) read it right."""
    return document.replace(b"&amp;", b"&#x26;").replace(b"&lt;", b"&#x3C;")


def _add_item(generator: FeedGenerator, item: Item) -> None:
    entry = generator.add_entry(order="append")
    entry.title(item.title)
    entry.link(href=item.link)
    entry.guid(item.id, permalink=item.id == item.link)
    entry.description(item.summary)
    if item.content_html:
        entry.content(item.content_html)
    entry.pubDate(item.published)
    entry.updated(item.updated)
    for category in item.categories:
        entry.category(term=category)
    for author in item.authors:  # RSS's own <author> must be an email address: dc:creator names each one
        entry.dc.dc_creator(author.name)
    if item.image:
        media = {"url": item.image, "medium": "image"}
        if item.image_type:
            media["type"] = item.image_type
        entry.media.content(media, group=None)
