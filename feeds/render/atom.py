"""Atom 1.0: self and alternate links, html content, enclosure links for images.

Text constructs (title, subtitle, summary, rights) are type="text" unless the text has a
'<' or '&' in it (a title: unless it looks like markup to HTML, '<br>' or '&amp;' but not
'AT&T'); then they are declared type="html" and written HTML-escaped, which
every reader shows as the same characters and validators do not take for stray markup.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator
from lxml import etree

from .._version import __version__
from ..model import Author, FeedDocument, Item
from ..urls import id_form
from .history import add_history
from .spliced import Splice, rendered_items
from .text import as_html, looks_like_markup, looks_like_markup_to_html
from .xml_text import attribute, text

GENERATOR_URI = "https://pypi.org/project/feeds/"
TEXT_CONSTRUCTS = ("title", "subtitle", "summary", "rights")
ENTRIES = Splice(starts=b"  <entry>", ends=b"  </entry>\n", closing=b"</feed>")


class _Feed(FeedGenerator):  # type: ignore[misc]
    """feedgen writes every text construct untyped; declare the ones that look like markup."""

    def _create_atom(self, extensions: bool = True) -> tuple[etree._Element, etree._ElementTree]:
        feed, document = super()._create_atom(extensions)
        for element in feed.iter(*TEXT_CONSTRUCTS):
            if element.text and _needs_html(element.tag, element.text):
                element.text = as_html(element.text)
                element.set("type", "html")
        return feed, document


def render(feed: FeedDocument) -> bytes:
    """feedgen's document, its entries rendered once each (spliced.py)."""
    return with_items(empty_document(feed), rendered_items("atom", feed.items, render_items))


def empty_document(feed: FeedDocument) -> bytes:
    """The document without its entries, as feedgen writes it."""
    return library_document(replace(feed, items=()))


def with_items(empty: bytes, items: Sequence[bytes]) -> bytes:
    """An empty_document with these entries' bytes (render_items) where feedgen puts them."""
    return ENTRIES.into(empty, items)


def items_in(document: bytes) -> list[bytes] | None:
    """A document's entries' bytes as with_items takes them, to put them in another channel."""
    return ENTRIES.items_in(document)


def render_items(items: Sequence[Item]) -> list[bytes]:
    """Each entry as feedgen writes it in a document, written here: building and serialising
    feedgen's tree of each entry took twice as long. An entry without a title, which feedgen
    refuses, is left to feedgen to refuse."""
    return [_entry(item).encode() if item.title else ENTRIES.library_items([item], library_document)[0]
            for item in items]


def library_document(feed: FeedDocument) -> bytes:
    """The whole document as feedgen writes it."""
    generator = _channel(feed)
    for item in feed.items:
        _add_entry(generator, item)
    return _written(generator)


def _written(generator: _Feed) -> bytes:
    document: bytes = generator.atom_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    if b"&amp;" not in document:
        return document
    return _NAME.sub(lambda name: _name_text(name.group().decode()).encode(), document)


# An author's <name> is text with no type to declare it so: the W3C validator warns "name
# should not contain HTML" of one holding `&amp;`, `&nbsp;` or `&#169;`, unless its line has
# a hex character reference. So a name's '&' is written &#x26;, as RSS writes every one.
_NAME = re.compile(rb"<name>[^<]*</name>")


def _name_text(written: str) -> str:
    """An author's name as written in its element: its '&' as &#x26;, the same text."""
    return written.replace("&amp;", "&#x26;")


def _channel(feed: FeedDocument) -> _Feed:
    generator = _Feed()
    generator.id(id_form(feed.feed_url))
    generator.title(feed.title)
    generator.subtitle(feed.description)
    # the home page first: feed-extractor takes a feed's first link for it, whatever its rel
    generator.link(href=feed.home_url, rel="alternate", type="text/html")
    generator.link(href=feed.feed_url, rel="self", type="application/atom+xml")
    for hub in feed.site.hubs:
        generator.link(href=hub, rel="hub")
    generator.language(feed.site.language)
    generator.updated(feed.updated)
    generator.generator("feeds", version=__version__)
    # Atom requires an author for every entry: the site's, or failing that the site itself.
    for author in feed.site.authors or (Author(_as_a_name(feed.site.title)),):
        generator.author(_author(author))
    if feed.site.copyright:
        generator.rights(feed.site.copyright)
    if feed.site.icon:
        generator.icon(feed.site.icon)
    if feed.site.logo:
        generator.logo(feed.site.logo)
    if feed.archive:
        add_history(generator, feed.archive, rss=False)
        if feed.archive.current:
            generator.id(id_form(feed.archive.current))  # an archive document is part of its feed: the same atom:id
    return generator


def _as_a_name(title: str) -> str:
    """The site's title as the name of the feed's author: without the tags a title may hold as
    text ("<b>Wire</b>"), which the W3C validator warns of in a name (a title may hold them)."""
    return " ".join(_TAG.sub(" ", title).split()) or title


_TAG = re.compile(r"</?[A-Za-z][^<>]*>")


def _author(author: Author) -> dict[str, str]:
    fields = {"name": author.name, "email": author.email, "uri": author.uri}
    return {key: value for key, value in fields.items() if value}


class _Entry(FeedEntry):  # type: ignore[misc]
    """feedgen 1.0 writes entry links without their rel and type; write them ourselves."""

    def atom_entry(self, extensions: bool = True) -> etree._Element:
        element = super().atom_entry(extensions)
        for written in element.findall("link"):
            element.remove(written)
        for link in self.link():
            etree.SubElement(element, "link", {key: link[key] for key in ("href", "rel", "type") if link.get(key)})
        return element


def _entry(item: Item) -> str:
    """An entry's lines as _add_entry has feedgen and _Entry write them, pretty-printed."""
    lines = ["  <entry>", f"    <id>{text(item.id)}</id>", _construct("title", item.title, ""),
             f"    <updated>{item.updated.isoformat()}</updated>"]
    for author in item.authors:
        lines += ["    <author>", *(f"      <{key}>{_name_text(text(value)) if key == 'name' else text(value)}</{key}>"
                                     for key, value in _author(author).items()), "    </author>"]
    if item.content_html:
        lines.append(f'    <content type="html">{text(item.content_html)}</content>')
    lines.append(_construct("summary", item.summary, ' type="text"'))
    lines += [f'    <category term="{attribute(category)}"/>' for category in item.categories]
    lines += [f"    <published>{item.published.isoformat()}</published>",
              f'    <link href="{attribute(item.link)}" rel="alternate" type="text/html"/>']
    if item.image:
        kind = f' type="{attribute(item.image_type)}"' if item.image_type else ""
        lines.append(f'    <link href="{attribute(item.image)}" rel="enclosure"{kind}/>')
    lines.append("  </entry>\n")
    return "\n".join(lines)


def _needs_html(name: str, value: str) -> bool:
    """A title is html only when it looks like markup to HTML: the reader library and
    rss-parser drop the type, and showed an html 'AT&T' as 'AT&amp;T'. Others are html when
    they hold '<' or '&': newsboat renders a type="text" summary as HTML ('AT&T' as 'ATT')."""
    return looks_like_markup_to_html(value) if name == "title" else looks_like_markup(value)


def _construct(name: str, value: str, declared: str) -> str:
    """A text construct as _Feed types it: html when it needs to be (_needs_html), else as declared."""
    if _needs_html(name, value):
        value, declared = as_html(value), ' type="html"'
    return f"    <{name}{declared}>{text(value)}</{name}>" if value else f"    <{name}{declared}/>"


def _add_entry(generator: FeedGenerator, item: Item) -> _Entry:
    entry = generator.add_entry(_Entry(), order="append")
    entry.id(item.id)
    entry.title(item.title)
    entry.link(href=item.link, rel="alternate", type="text/html")
    if item.image:
        enclosure = {"href": item.image, "rel": "enclosure"}
        if item.image_type:
            enclosure["type"] = item.image_type
        entry.link(enclosure)
    entry.published(item.published)
    entry.updated(item.updated)
    for author in item.authors:  # one <author> each
        entry.author(_author(author))
    entry.summary(item.summary, type="text")
    if item.content_html:
        entry.content(item.content_html, type="html")
    if item.categories:  # all at once: feedgen redoes its whole list on each call
        entry.category([{"term": category} for category in item.categories])
    return entry
