"""RSS items, Atom entries and JSON Feed items are written by hand (render/xml_text.py and
each format's item writer), not by building feedgen's tree or json.dumps's indenting
encoder for each: the bytes must be the library's, whatever the item holds."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feeds.characters import first_uncarriable
from feeds.model import Author, Item
from feeds.render import atom, jsonfeed, rss
from feeds.render.spliced import placeholder_feed

# Text as editors and validation let it through, and the characters escaping is about.
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]) | st.sampled_from("&<>\"'\r\n\t;#"),
               max_size=25).filter(lambda text: first_uncarriable(text) is None)  # no noncharacter (U+FFFE)
URLS = st.sampled_from(["https://news.example.com/a", "https://news.example.com/b?x=1&y=2&z=\"3\"",
                        "urn:story:7", "https://例え.jp/ä?q=<1>"])
ZONES = st.sampled_from([timezone.utc, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-8)),
                         timezone(timedelta(minutes=19, seconds=32))])
MOMENTS = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1), timezones=ZONES)
AUTHORS = st.builds(Author, TEXT.filter(str.strip), st.none() | st.just("desk@news.example.com"), st.none() | URLS)


@st.composite
def items(draw: st.DrawFn) -> Item:
    image = draw(st.none() | URLS)
    return Item(id=draw(URLS), title=draw(TEXT), link=draw(URLS), published=draw(MOMENTS), updated=draw(MOMENTS),
                authors=tuple(draw(st.lists(AUTHORS, max_size=2))), categories=tuple(draw(st.lists(TEXT, max_size=3))),
                summary=draw(TEXT), content_html=draw(st.none() | TEXT), image=image,
                image_type=draw(st.none() | st.sampled_from(["image/jpeg", "image/png"])) if image else None)


def library_items(renderer, some: list[Item]) -> list[bytes]:
    if renderer is jsonfeed:
        document = jsonfeed.library_document(placeholder_feed(some))
        return [part for part in _json_items(document)]
    return renderer.ITEMS.library_items(some, rss.library_document) if renderer is rss else \
        atom.ENTRIES.library_items(some, atom.library_document)


def _json_items(document: bytes) -> list[bytes]:
    import json

    return [json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n    ").encode()
            for item in json.loads(document)["items"]]


def outcome(write, some):
    try:
        return write(some)
    except ValueError as error:  # feedgen refuses an item it cannot write: so must the writer
        return type(error)


@settings(max_examples=400, deadline=None)
@given(st.lists(items(), min_size=1, max_size=3), st.sampled_from([rss, atom, jsonfeed]))
def test_each_item_is_written_byte_for_byte_as_the_library_writes_it(some, renderer):
    assert outcome(renderer.render_items, some) == outcome(lambda them: library_items(renderer, them), some)


def test_dates_are_written_in_english_whatever_the_locale(monkeypatch):
    import locale

    moment = datetime(2026, 3, 1, 9, 5, tzinfo=timezone(timedelta(hours=1)))
    assert rss.rfc_822(moment) == "Sun, 01 Mar 2026 09:05:00 +0100"
    try:
        locale.setlocale(locale.LC_TIME, "de_DE.UTF-8")
    except locale.Error:
        pytest.skip("no German locale on this machine")
    try:
        assert rss.rfc_822(moment) == "Sun, 01 Mar 2026 09:05:00 +0100"
    finally:
        locale.setlocale(locale.LC_TIME, "C")
