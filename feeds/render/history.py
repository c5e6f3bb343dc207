"""RFC 5005 feed history in RSS and Atom: a feedgen extension that writes a document's
archive links (atom:link current, prev-archive, next-archive) and its fh:archive or
fh:complete mark. feedgen knows none of these, and in RSS it would take any channel link
it is given for the channel's <link>."""

from __future__ import annotations

from functools import partial

from feedgen.ext.base import BaseExtension  # type: ignore[import-untyped]
from feedgen.feed import FeedGenerator  # type: ignore[import-untyped]
from lxml import etree  # type: ignore[import-untyped]

from ..model import ArchiveLinks

HISTORY_NS = "http://purl.org/syndication/history/1.0"
ATOM_NS = "http://www.w3.org/2005/Atom"


def add_history(generator: FeedGenerator, links: ArchiveLinks, rss: bool) -> None:
    generator.register_extension("fh", partial(_History, links), atom=not rss, rss=rss)


class _History(BaseExtension):  # type: ignore[misc]
    def __init__(self, links: ArchiveLinks) -> None:
        self.links = links

    def extend_ns(self) -> dict[str, str]:
        return {"fh": HISTORY_NS}

    def extend_rss(self, feed: etree._Element) -> etree._Element:
        self._write(feed.find("channel"), f"{{{ATOM_NS}}}link")
        return feed

    def extend_atom(self, feed: etree._Element) -> etree._Element:
        self._write(feed, "link")  # feedgen writes Atom elements in the default namespace
        return feed

    def _write(self, parent: etree._Element, link_tag: str) -> None:
        relations = (("current", self.links.current), ("prev-archive", self.links.prev_archive),
                     ("next-archive", self.links.next_archive))
        for rel, href in relations:
            if href:
                etree.SubElement(parent, link_tag, {"rel": rel, "href": href})
        if self.links.is_archive:
            etree.SubElement(parent, f"{{{HISTORY_NS}}}archive")
        if self.links.complete:
            etree.SubElement(parent, f"{{{HISTORY_NS}}}complete")
