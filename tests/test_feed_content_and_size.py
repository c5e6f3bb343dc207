"""`content: summary` feeds carry no body HTML; `max_bytes` leaves out the oldest items until a
feed fits, never fewer than one, in a few renders rather than one per item left out."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import feedparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feeds.model import Author, FeedDocument, Item, Site
from feeds.render import FORMATS
from feeds.render.fit import render_within
from feeds.report import cut_line

SITE = Site(root=Path("."), title="Test Wire", link="https://news.example.com/", description="Test stories.",
            publish_url="https://news.example.com/feeds/", timezone=timezone.utc, authors=(Author("Test Desk"),))
START = datetime(2020, 2, 20, 16, 40, tzinfo=timezone.utc)


def item(number: int, body_words: int = 40) -> Item:
    """Item `number`, one hour newer than item number - 1, with a body of about 6 * body_words bytes."""
    when = START + timedelta(hours=number)
    body = f"<p>{' '.join(['story'] * body_words)} {number}</p>" if body_words else None
    return Item(id=f"https://news.example.com/news/{number}", title=f"Story {number}",
                link=f"https://news.example.com/news/{number}", published=when, updated=when,
                authors=(Author("Jane Doe"),), categories=("News",), summary=f"Summary of story {number}.",
                content_html=body, image=None, image_type=None)


def document(items: list[Item], content: str = "full", format_name: str = "rss") -> FeedDocument:
    newest_first = tuple(sorted(items, key=lambda i: i.published, reverse=True))
    updated = max((i.updated for i in newest_first), default=START)
    url = f"https://news.example.com/feeds/{FORMATS[format_name].filename}"
    return FeedDocument(SITE, "Test Wire", "Test stories.", SITE.link, url, None, updated, newest_first,
                        content=content)  # type: ignore[arg-type]


def parsed(format_name: str, doc: FeedDocument) -> feedparser.FeedParserDict:
    result = feedparser.parse(FORMATS[format_name].render(doc))
    assert result.bozo == 0, result.get("bozo_exception")
    return result


def titles(format_name: str, data: bytes) -> list[str]:
    if format_name == "json":
        return [entry["title"] for entry in json.loads(data)["items"]]
    result = feedparser.parse(data)
    assert result.bozo == 0, result.get("bozo_exception")
    return [entry.title for entry in result.entries]


# --- content: summary -------------------------------------------------------------------------

def test_a_summary_rss_feed_has_a_description_and_no_content_encoded():
    data = FORMATS["rss"].render(document([item(1)], "summary"))
    assert b"content:encoded" not in data and b"story story" not in data
    assert parsed("rss", document([item(1)], "summary")).entries[0].summary == "Summary of story 1."


def test_a_summary_atom_feed_has_a_summary_and_no_content():
    data = FORMATS["atom"].render(document([item(1)], "summary", "atom"))
    assert b"<content" not in data and b"story story" not in data
    assert parsed("atom", document([item(1)], "summary", "atom")).entries[0].summary == "Summary of story 1."


def test_a_summary_json_feed_has_the_summary_as_content_text_and_summary_and_no_content_html():
    entry = json.loads(FORMATS["json"].render(document([item(1)], "summary", "json")))["items"][0]
    assert "content_html" not in entry
    assert (entry["content_text"], entry["summary"]) == ("Summary of story 1.", "Summary of story 1.")


@pytest.mark.parametrize("format_name", ["rss", "atom", "json"])
def test_a_full_feed_still_carries_the_body(format_name):
    assert b"story story" in FORMATS[format_name].render(document([item(1)], "full", format_name))


def test_a_summary_document_is_the_full_one_without_bodies_and_nothing_else():
    summary = document([item(1), item(2)], "summary")
    assert [i.content_html for i in summary.items] == [None, None]
    assert summary.items[0].summary == document([item(2)]).items[0].summary


# --- max_bytes ---------------------------------------------------------------------------------

class CountingRenderer:
    def __init__(self, format_name: str) -> None:
        self.render = FORMATS[format_name].render
        self.calls = 0

    def __call__(self, doc: FeedDocument) -> bytes:
        self.calls += 1
        return self.render(doc)


@pytest.mark.parametrize("format_name", ["rss", "atom", "json"])
def test_a_feed_within_max_bytes_is_rendered_once_and_whole(format_name):
    renderer = CountingRenderer(format_name)
    doc = document([item(n) for n in range(5)], format_name=format_name)
    fitted = render_within(renderer, doc, 1_000_000)
    assert (fitted.data, fitted.items_kept, fitted.items_cut, renderer.calls) == (renderer.render(doc), 5, 0, 1)


@pytest.mark.parametrize("format_name", ["rss", "atom", "json"])
def test_a_feed_over_max_bytes_keeps_its_newest_items_that_fit(format_name):
    doc = document([item(n) for n in range(60)], format_name=format_name)
    max_bytes = len(FORMATS[format_name].render(doc)) // 3
    fitted = render_within(FORMATS[format_name].render, doc, max_bytes)
    assert len(fitted.data) <= max_bytes
    assert fitted.items_kept + fitted.items_cut == 60 and 0 < fitted.items_kept < 60
    assert titles(format_name, fitted.data) == [f"Story {n}" for n in range(59, 59 - fitted.items_kept, -1)]


@pytest.mark.parametrize("format_name", ["rss", "atom", "json"])
def test_one_more_item_would_not_fit(format_name):
    items = [item(n, body_words=n % 7 * 30) for n in range(40)]
    doc = document(items, format_name=format_name)
    max_bytes = 12_000
    fitted = render_within(FORMATS[format_name].render, doc, max_bytes)
    one_more = FORMATS[format_name].render(document(items[-fitted.items_kept - 1:], format_name=format_name))
    assert len(fitted.data) <= max_bytes < len(one_more)


def test_a_feed_whose_newest_item_alone_is_too_big_keeps_that_one_item():
    doc = document([item(1, body_words=5000), item(2, body_words=5000)])
    fitted = render_within(FORMATS["rss"].render, doc, 10_000)
    assert (fitted.items_kept, fitted.items_cut, fitted.over_cap) == (1, 1, True)
    assert titles("rss", fitted.data) == ["Story 2"]


def test_a_feed_of_one_item_too_big_is_written_whole_and_said_to_be_over():
    fitted = render_within(FORMATS["atom"].render, document([item(1, body_words=5000)], format_name="atom"), 10_000)
    assert (fitted.items_kept, fitted.items_cut, fitted.over_cap) == (1, 0, True)


def test_cutting_a_long_feed_takes_a_few_renders_not_one_per_item():
    renderer = CountingRenderer("atom")
    doc = document([item(n, body_words=n % 13 * 20) for n in range(1000)], format_name="atom")
    fitted = render_within(renderer, doc, 100_000)
    assert fitted.items_cut > 500
    assert renderer.calls <= 6


def test_cut_feeds_are_deterministic():
    doc = document([item(n) for n in range(50)])
    assert render_within(FORMATS["rss"].render, doc, 15_000) == render_within(FORMATS["rss"].render, doc, 15_000)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 400), min_size=1, max_size=40), st.integers(3_000, 40_000),
       st.sampled_from(["rss", "atom", "json"]))
def test_the_cut_keeps_exactly_the_most_newest_items_that_fit(body_words, max_bytes, format_name):
    render = FORMATS[format_name].render
    items = [item(n, words) for n, words in enumerate(body_words)]
    fitted = render_within(render, document(items, format_name=format_name), max_bytes)
    kept = fitted.items_kept
    assert fitted.data == render(document(items[len(items) - kept:], format_name=format_name))
    assert kept >= 1 and kept + fitted.items_cut == len(items)
    if len(fitted.data) > max_bytes:
        assert kept == 1 and fitted.over_cap
    if kept < len(items):
        assert len(render(document(items[len(items) - kept - 1:], format_name=format_name))) > max_bytes


def test_the_build_line_says_which_feed_was_cut_and_to_how_many_items():
    assert cut_line("breaking/atom.xml", 120, 1_000_000) == (
        "feed breaking/atom.xml cut to 120 items to fit max_bytes (1,000,000 bytes)")
    assert cut_line("rss.xml", 1, 10_000, over_cap=True) == (
        "feed rss.xml is over max_bytes (10,000 bytes) with only its newest item; it is written anyway")
