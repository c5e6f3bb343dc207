"""A feed's items are rendered once each and spliced in (feeds/render/spliced.py): the bytes
are exactly what feedgen and json.dumps write for the whole document, whatever the items,
channel and archive links hold."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from feeds.characters import first_uncarriable
from feeds.model import ArchiveLinks, Author, FeedDocument, Item, Site
from feeds.render import atom, jsonfeed, rss, spliced

RENDERERS = {"rss": rss, "atom": atom, "json": jsonfeed}
# Text as the readers let it through: no noncharacter (U+FFFE) either, which lxml refuses.
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=30).filter(
    lambda text: first_uncarriable(text) is None)
MARKUP = st.sampled_from(["", "<br>", "a < b", "&amp;", "A & B", "<item>", "</channel>", "  <entry>", '"items": []'])
WORDS = st.builds(lambda text, markup: text + markup, TEXT, MARKUP).filter(str.strip)  # as validation lets through
URLS = st.sampled_from(["https://news.example.com/a", "https://news.example.com/b?x=1&y=2", "urn:story:7"])
MOMENTS = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(timezone.utc))
MOMENT = datetime(2026, 1, 1, tzinfo=timezone.utc)
AUTHORS = st.builds(Author, WORDS, st.none() | st.just("desk@news.example.com"), st.none() | URLS)


@st.composite
def items(draw: st.DrawFn) -> Item:
    published = draw(MOMENTS)
    image = draw(st.none() | st.sampled_from(["https://news.example.com/i.jpg", "https://news.example.com/i"]))
    return Item(id=draw(URLS), title=draw(WORDS), link=draw(URLS), published=published, updated=published,
                authors=tuple(draw(st.lists(AUTHORS, max_size=2))),
                categories=tuple(draw(st.lists(WORDS, max_size=3))),
                summary=draw(WORDS), content_html=draw(st.none() | WORDS.map(lambda text: f"<p>{text}</p>\n<p>2</p>")),
                image=image, image_type="image/jpeg" if image and image.endswith(".jpg") else None)


@st.composite
def documents(draw: st.DrawFn) -> FeedDocument:
    site = Site(root=Path("."), title=draw(WORDS), link="https://news.example.com/", description=draw(WORDS),
                publish_url="https://news.example.com/feeds/", authors=tuple(draw(st.lists(AUTHORS, max_size=2))),
                copyright=draw(st.none() | WORDS), logo=draw(st.none() | URLS), icon=draw(st.none() | URLS),
                hubs=tuple(draw(st.lists(URLS, max_size=2))))
    archive = draw(st.none() | st.builds(ArchiveLinks, st.none() | URLS, st.none() | URLS, st.none() | URLS,
                                         st.booleans()))
    return FeedDocument(site, draw(WORDS), draw(WORDS), site.link, "https://news.example.com/feeds/rss.xml", None,
                        draw(MOMENTS), tuple(draw(st.lists(items(), max_size=4))), archive,
                        content=draw(st.sampled_from(["full", "summary"])))


@settings(max_examples=60, deadline=None)
@given(st.lists(items(), min_size=1, max_size=5), st.sampled_from(sorted(RENDERERS)))
def test_items_rendered_together_are_each_as_the_library_writes_it_alone(some, format_name):
    renderer = RENDERERS[format_name]
    assert renderer.render_items(some) == [part for item in some for part in renderer.render_items([item])]


def test_items_whose_body_holds_what_looks_like_an_item_start_are_cut_right():
    body = "<pre>x\n    <item>\n  <entry>y</pre>"
    some = [Item(id=f"urn:story:{number}", title="T", link="https://news.example.com/", published=MOMENT,
                 updated=MOMENT, authors=(), categories=(), summary="S", content_html=body, image=None,
                 image_type=None) for number in range(3)]
    for renderer in (rss, atom):
        parts = renderer.render_items(some)
        assert [part.count(b"urn:story:") for part in parts] == [1, 1, 1]


@settings(max_examples=150, deadline=None)
@given(documents(), st.sampled_from(sorted(RENDERERS)))
def test_a_spliced_feed_is_byte_for_byte_the_librarys_whole_document(document, format_name):
    renderer = RENDERERS[format_name]
    assert renderer.render(document) == renderer.library_document(document)


@settings(max_examples=150, deadline=None)
@given(documents(), documents(), st.sampled_from(sorted(RENDERERS)))
def test_a_documents_items_taken_from_its_bytes_make_another_channel_the_librarys_whole_document(
        published, retitled, format_name):
    renderer = RENDERERS[format_name]
    retitled = replace(retitled, items=published.items, content=published.content)
    items = renderer.items_in(renderer.render(published))
    assert items is not None
    assert renderer.with_items(renderer.empty_document(retitled), items) == renderer.library_document(retitled)


@given(documents(), st.sampled_from(sorted(RENDERERS)))
def test_a_document_cut_short_has_no_items_to_take(document, format_name):
    renderer = RENDERERS[format_name]
    whole = renderer.render(document)
    assert renderer.items_in(whole[:len(whole) // 4]) is None


def test_an_item_in_two_feeds_is_rendered_once(monkeypatch):
    item = Item(id="urn:story:1", title=f"Storm {uuid.uuid4()}", link="https://news.example.com/storm",
                published=datetime(2026, 1, 1, tzinfo=timezone.utc), updated=datetime(2026, 1, 1, tzinfo=timezone.utc),
                authors=(), categories=("Weather",), summary="Storm.", content_html="<p>Storm.</p>", image=None,
                image_type=None)
    site = Site(root=Path("."), title="Wire", link="https://news.example.com/", description="News.",
                publish_url="https://news.example.com/feeds/")
    feeds = [FeedDocument(site, title, title, site.link, site.publish_url + "rss.xml", None, item.updated, (item,))
             for title in ("All", "Weather")]
    added = []
    write_item = rss._item
    monkeypatch.setattr(rss, "_item", lambda item: added.append(item) or write_item(item))
    for feed in feeds:
        assert item.title.encode() in rss.render(feed)
    assert added == [item]


def test_a_process_that_keeps_few_renders_still_renders_every_item(monkeypatch):
    monkeypatch.setattr(spliced, "RENDERS_KEPT_BYTES", 1000)
    some = [Item(id=f"urn:story:{uuid.uuid4()}", title=f"Story {number}", link="https://news.example.com/",
                 published=MOMENT, updated=MOMENT, authors=(), categories=(), summary="S", content_html=None,
                 image=None, image_type=None) for number in range(4)]
    first, second = (replace(spliced.placeholder_feed(items), title="Wire") for items in (some[:2], some[1:]))
    for renderer in RENDERERS.values():
        for document in (first, second):
            assert renderer.render(document) == renderer.library_document(document)


def test_two_versions_of_one_entry_are_each_rendered_as_they_are():
    first = Item(id=f"urn:story:{uuid.uuid4()}", title="Storm warning", link="https://news.example.com/storm",
                 published=MOMENT, updated=MOMENT, authors=(), categories=(), summary="S", content_html="<p>Old.</p>",
                 image=None, image_type=None)
    corrected = first._replace(content_html="<p>Corrected.</p>")
    for renderer in RENDERERS.values():
        for version, body in ((first, b"Old."), (corrected, b"Corrected."), (first, b"Old.")):
            rendered = renderer.render(replace(spliced.placeholder_feed([version]), title="Wire"))
            assert body in rendered and rendered.count(b"Corrected.") == (body == b"Corrected.")


def test_an_item_moved_to_another_utc_offset_at_the_same_instant_is_rendered_at_its_own():
    """Items equal as tuples (datetimes at one instant compare equal whatever their offsets)
    are not the same bytes: RSS and Atom write each date at its own offset."""
    utc = datetime(2026, 1, 1, 12, tzinfo=timezone.utc)
    istanbul = utc.astimezone(timezone(timedelta(hours=3)))
    first = Item(id=f"urn:story:{uuid.uuid4()}", title="Storm warning", link="https://news.example.com/storm",
                 published=utc, updated=utc, authors=(), categories=(), summary="S", content_html=None, image=None,
                 image_type=None)
    moved = first._replace(published=istanbul, updated=istanbul)
    for renderer in RENDERERS.values():
        for version in (first, moved, first):
            document = replace(spliced.placeholder_feed([version]), title="Wire")
            assert renderer.render(document) == renderer.library_document(document)
