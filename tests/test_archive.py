"""The SPEC's Archives (RFC 5005) section: the layout of a feed's history in archive pages,
and the archive documents as readers fetch them."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import feedparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from feeds.archive import (
    ArchiveLayout,
    ArchivePage,
    archive_layout,
    archived_feed,
    channel_fingerprint,
    item_digest,
)
from feeds.layout import Kind, kind
from feeds.model import FeedDocument, FeedSpec, Item, Site
from feeds.render import FORMATS

FINGERPRINT = "channel"
HISTORY_NS = "http://purl.org/syndication/history/1.0"
ATOM_NS = "http://www.w3.org/2005/Atom"
SITE = Site(root=Path("."), title="Test Wire", link="https://news.example.com/",
            description="Test stories from a test desk.", publish_url="https://news.example.com/feeds/")
START = datetime(2020, 1, 1, tzinfo=timezone.utc)


def history_of(count: int, version: str = "v1") -> list[tuple[str, str]]:
    return [(f"story-{number}", version) for number in range(count)]


def chain_from_feed(layout: ArchiveLayout) -> list[ArchivePage]:
    """The pages a reader fetches: prev-archive from the feed to the oldest page, then the
    oldest page's next-archive, which must lead to a page already fetched."""
    by_name = {page.name: page for page in layout.pages}
    fetched: list[ArchivePage] = []
    name = layout.pages[-1].name if layout.pages else None
    while name:
        assert name not in {page.name for page in fetched}, "the chain loops"
        fetched.append(by_name[name])
        name = by_name[name].prev_name
    if fetched:
        oldest = fetched[-1]
        assert oldest.next_name is None or oldest.next_name in {page.name for page in fetched}
    return fetched


def assert_whole_history_once(history: list[tuple[str, str]], page_size: int, layout: ArchiveLayout) -> None:
    archived = [item_id for page in chain_from_feed(layout) for item_id in page.items]
    assert len(archived) == len(set(archived)), "an item is in two archive pages"
    assert set(archived) | set(layout.feed_items) == {item_id for item_id, _ in history}
    assert layout.feed_items == tuple(item_id for item_id, _ in history[-page_size:])


def assert_no_lone_page(layout: ArchiveLayout) -> None:
    """The W3C validator's ArchiveIncomplete: every page links to another."""
    for page in layout.pages:
        assert page.prev_name or page.next_name
        assert (page.prev_name is None) == (page.number == 1)


# --- the layout ------------------------------------------------------------------------

def test_a_history_that_fits_the_feed_has_no_archive_and_is_complete():
    layout = archive_layout(history_of(5), 5, FINGERPRINT)
    assert layout.complete and layout.pages == ()
    assert layout.feed_items == tuple(item_id for item_id, _ in history_of(5))


def test_full_pages_are_archived_and_the_newest_partial_page_stays_in_the_feed():
    layout = archive_layout(history_of(11), 3, FINGERPRINT)
    assert [page.items for page in layout.pages] == [("story-0", "story-1", "story-2"),
                                                     ("story-3", "story-4", "story-5"),
                                                     ("story-6", "story-7", "story-8")]
    assert layout.feed_items == ("story-8", "story-9", "story-10")


def test_a_single_full_page_is_cut_in_two_so_that_no_archive_document_is_alone():
    layout = archive_layout(history_of(5), 4, FINGERPRINT)
    assert [page.items for page in layout.pages] == [("story-0", "story-1"), ("story-2", "story-3")]
    assert_no_lone_page(layout)


def test_only_the_oldest_page_links_forward():
    pages = archive_layout(history_of(13), 3, FINGERPRINT).pages
    assert pages[0].next_name == pages[1].name
    assert all(page.next_name is None for page in pages[1:])
    assert [page.prev_name for page in pages] == [None] + [page.name for page in pages[:-1]]


def test_a_new_channel_setting_renames_every_page():
    before = archive_layout(history_of(9), 3, FINGERPRINT).pages
    after = archive_layout(history_of(9), 3, "another channel").pages
    assert not {page.name for page in before} & {page.name for page in after}


def test_the_channel_fingerprint_covers_site_settings_and_the_feed_but_not_where_the_site_lives():
    spec = FeedSpec("categories/sport/", "Sport", "Sport stories.", "Sport", (), START)
    fingerprint = channel_fingerprint(SITE, spec)
    assert channel_fingerprint(replace(SITE, root=Path("/elsewhere")), spec) == fingerprint
    assert channel_fingerprint(replace(SITE, language="tr"), spec) != fingerprint
    assert channel_fingerprint(SITE, spec._replace(title="Spor")) != fingerprint
    assert channel_fingerprint(SITE, spec._replace(updated=START + timedelta(days=1))) == fingerprint


def test_an_item_digest_changes_with_anything_the_item_shows():
    item = make_item(1, "v1")
    assert item_digest(item) == item_digest(make_item(1, "v1"))
    assert item_digest(item) != item_digest(make_item(1, "v2"))


# --- properties over edit sequences -----------------------------------------------------

EDITS = st.lists(st.tuples(st.sampled_from(["add newest", "add old", "edit", "withdraw"]),
                           st.integers(min_value=0, max_value=10_000)), max_size=25)


def apply(history: list[tuple[str, str]], edit: tuple[str, int], serial: int) -> list[tuple[str, str]]:
    kind, where = edit
    history = list(history)
    if kind == "add newest":
        history.append((f"new-{serial}", "v1"))
    elif kind == "add old":
        history.insert(where % (len(history) + 1), (f"old-{serial}", "v1"))
    elif history and kind == "edit":
        item_id, _ = history[where % len(history)]
        history[where % len(history)] = (item_id, f"v{serial}")
    elif history:
        del history[where % len(history)]
    return history


@settings(max_examples=150, deadline=None)
@given(start=st.integers(min_value=0, max_value=40), page_size=st.integers(min_value=1, max_value=6), edits=EDITS)
def test_walking_the_chain_from_the_feed_yields_the_whole_history_once_after_any_edits(start, page_size, edits):
    history = history_of(start)
    for serial, edit in enumerate([("add newest", 0), *edits]):
        history = apply(history, edit, serial)
        layout = archive_layout(history, page_size, FINGERPRINT)
        assert_whole_history_once(history, page_size, layout)
        assert_no_lone_page(layout)
        assert layout.complete == (len(history) <= page_size)


@settings(max_examples=150, deadline=None)
@given(start=st.integers(min_value=0, max_value=40), page_size=st.integers(min_value=1, max_value=6), edits=EDITS)
def test_a_page_name_always_names_the_same_content(start, page_size, edits):
    seen: dict[str, tuple] = {}
    history = history_of(start)
    for serial, edit in enumerate([("add newest", 0), *edits]):
        history = apply(history, edit, serial)
        digests = dict(history)
        for page in archive_layout(history, page_size, FINGERPRINT).pages:
            content = (page.number, tuple((item_id, digests[item_id]) for item_id in page.items),
                       page.prev_name, page.next_name)
            assert seen.setdefault(page.name, content) == content


@settings(max_examples=150, deadline=None)
@given(count=st.integers(min_value=0, max_value=60), page_size=st.integers(min_value=1, max_value=6))
def test_a_new_newest_entry_never_renames_an_older_page_once_two_pages_are_full(count, page_size):
    before = archive_layout(history_of(count), page_size, FINGERPRINT).pages
    after = archive_layout(history_of(count) + [("newest", "v1")], page_size, FINGERPRINT).pages
    if count >= 2 * page_size:
        assert after[:len(before)] == before
        assert len(after) - len(before) in (0, 1)
    else:
        assert len(after) <= 2


@settings(max_examples=200, deadline=None)
@given(count=st.integers(min_value=1, max_value=60), page_size=st.integers(min_value=1, max_value=6),
       where=st.integers(min_value=0, max_value=10_000), withdraw=st.booleans())
def test_an_old_edit_renames_its_page_and_newer_ones_and_no_older_one(count, page_size, where, withdraw):
    """...but the oldest page, which links to the second, when the edit is in the second."""
    history = history_of(count)
    before = archive_layout(history, page_size, FINGERPRINT).pages
    after = archive_layout(apply(history, ("withdraw" if withdraw else "edit", where), 99), page_size,
                           FINGERPRINT).pages
    if count < 2 * page_size:
        return  # a single full page, cut in two: any change may rename both halves
    edited_page = where % count // page_size + 1
    older = [page for page in before if page.number < edited_page and not (page.number == 1 and edited_page == 2)]
    assert set(older) <= set(after)
    assert not {page.name for page in before[edited_page - 1:]} & {page.name for page in after}


# --- the documents ----------------------------------------------------------------------

def make_item(number: int, version: str, item_id: str | None = None) -> Item:
    """An item whose every field is a function of its place in the history and its version,
    as a prepared entry's is of its file."""
    published = START + timedelta(hours=number)
    return Item(id=item_id or f"https://news.example.com/news/{number}", title=f"Story {number} ({version})",
                link=f"https://news.example.com/news/{number}", published=published,
                updated=published + timedelta(minutes=len(version)), authors=(), categories=("News",),
                summary=f"Summary of story {number}, {version}.",
                content_html=f"<p>Body of story {number}, {version} &amp; more.</p>", image=None, image_type=None)


def feed_document(items: list[Item], format_name: str, feed_path: str = "") -> FeedDocument:
    shown = tuple(reversed(items[-SITE.max_items:]))
    return FeedDocument(SITE, SITE.title, SITE.description, SITE.link,
                        SITE.publish_url + feed_path + FORMATS[format_name].filename, None,
                        max((item.updated for item in shown), default=START), shown)


def site_files(items: list[Item], page_size: int, feed_path: str = "") -> dict[str, bytes]:
    """Every file of one feed with its history, in every format, as the build will write them."""
    history = archive_layout([(item.id, item_digest(item)) for item in items], page_size, FINGERPRINT)
    by_id = {item.id: item for item in items}
    files: dict[str, bytes] = {}
    for format_name, format_ in FORMATS.items():
        feed = feed_document([by_id[item_id] for item_id in history.feed_items], format_name, feed_path)
        linked_feed, pages = archived_feed(feed, history, by_id, feed_path, format_.filename)
        files[feed_path + format_.filename] = format_.render(linked_feed)
        files.update((path, format_.render(page)) for path, page in pages.items())
    return files


def links(parsed: feedparser.FeedParserDict) -> dict[str, str]:
    return {link.rel: link.href for link in parsed.feed.get("links", [])}


def walk(files: dict[str, bytes], start: str, format_name: str) -> list[list[str]]:
    """Follow the archive links from a feed as a reader does: the item ids of each document."""
    fetched: list[list[str]] = []
    path: str | None = start
    while path:
        data = files[path]
        if format_name == "json":
            document = json.loads(data)
            fetched.append([item["id"] for item in document["items"]])
            url = document.get("next_url")
        else:
            parsed = feedparser.parse(data)
            assert parsed.bozo == 0, parsed.get("bozo_exception")
            fetched.append([entry.id for entry in parsed.entries])
            url = links(parsed).get("prev-archive")
        path = url.removeprefix(SITE.publish_url) if url else None
    return fetched


def test_every_format_leads_a_reader_from_the_feed_through_the_whole_history_once():
    items = [make_item(number, "v1") for number in range(23)]
    files = site_files(items, 5)
    for format_name, format_ in FORMATS.items():
        feed, *archive = walk(files, format_.filename, format_name)
        archived = [item_id for page in archive for item_id in page]
        assert len(archived) == len(set(archived)) == 20
        assert set(archived) | set(feed) == {item.id for item in items}


def test_archive_documents_are_marked_and_name_their_feed():
    files = site_files([make_item(number, "v1") for number in range(12)], 4, "categories/sport/")
    pages = sorted(path for path in files if path.startswith("archive/categories/sport/") and path.endswith(".xml"))
    assert len(pages) == 2 * 3
    for path in pages:
        root = etree.fromstring(files[path])
        assert root.find(f".//{{{HISTORY_NS}}}archive") is not None
        assert root.find(f".//{{{HISTORY_NS}}}complete") is None
        feed_file = path.rsplit(".", 2)[-2] + ".xml"
        assert links(feedparser.parse(files[path]))["current"] == SITE.publish_url + "categories/sport/" + feed_file


def test_the_oldest_archive_document_links_forward_to_the_second():
    files = site_files([make_item(number, "v1") for number in range(12)], 4)
    oldest, second = sorted(path for path in files if path.endswith(".atom.xml"))[:2]
    assert links(feedparser.parse(files[oldest]))["next-archive"] == SITE.publish_url + second
    assert "prev-archive" not in links(feedparser.parse(files[oldest]))
    assert "next-archive" not in links(feedparser.parse(files[second]))


def test_an_archive_document_in_atom_has_its_feeds_id():
    files = site_files([make_item(number, "v1") for number in range(12)], 4)
    for path in (path for path in files if path.endswith(".atom.xml")):
        assert feedparser.parse(files[path]).feed.id == SITE.publish_url + "atom.xml"


def test_a_json_archive_page_names_its_feed_and_the_next_older_page():
    files = site_files([make_item(number, "v1") for number in range(12)], 4)
    newest, older = sorted((path for path in files if path.endswith(".feed.json")), reverse=True)[:2]
    page = json.loads(files[newest])
    assert page["feed_url"] == SITE.publish_url + "feed.json"
    assert page["next_url"] == SITE.publish_url + older
    assert json.loads(files["feed.json"])["next_url"] == SITE.publish_url + newest


def test_a_feed_that_holds_its_whole_history_is_marked_complete_with_no_archive_links():
    files = site_files([make_item(number, "v1") for number in range(3)], 4)
    assert sorted(files) == ["atom.xml", "feed.json", "rss.xml"]
    for name in ("rss.xml", "atom.xml"):
        assert etree.fromstring(files[name]).find(f".//{{{HISTORY_NS}}}complete") is not None
        assert not {"prev-archive", "next-archive", "current"} & set(links(feedparser.parse(files[name])))
    assert "next_url" not in json.loads(files["feed.json"])


def test_archive_file_names_say_their_feed_number_and_name():
    files = site_files([make_item(number, "v1") for number in range(12)], 4, "categories/sport/")
    pages = [path for path in files if path.startswith("archive/")]
    assert all(path.split("/")[-1].split("-")[0] in ("0001", "0002", "0003") for path in pages)
    assert {path.split(".", 1)[1] for path in pages} == {"rss.xml", "atom.xml", "feed.json"}


@settings(max_examples=20, deadline=None)
@given(start=st.integers(min_value=0, max_value=14), page_size=st.integers(min_value=2, max_value=4),
       edits=st.lists(st.tuples(st.sampled_from(["add newest", "add old", "edit", "withdraw"]),
                                st.integers(min_value=0, max_value=10_000)), max_size=8))
def test_no_archive_file_ever_changes_its_bytes(start, page_size, edits):
    written: dict[str, bytes] = {}
    history = history_of(start)
    for serial, edit in enumerate([("add newest", 0), *edits]):
        history = apply(history, edit, serial)
        items = [make_item(number, version, item_id) for number, (item_id, version) in enumerate(history)]
        for path, data in site_files(items, page_size).items():
            if path.startswith("archive/"):
                assert written.setdefault(path, data) == data, path


@settings(max_examples=15, deadline=None)
@given(start=st.integers(min_value=0, max_value=14), page_size=st.integers(min_value=2, max_value=4),
       edits=st.lists(st.tuples(st.sampled_from(["add newest", "add old", "edit", "withdraw"]),
                                st.integers(min_value=0, max_value=10_000)), max_size=6))
def test_after_any_edits_every_format_leads_a_reader_through_the_whole_history_once(start, page_size, edits):
    history = history_of(start)
    for serial, edit in enumerate([("add newest", 0), *edits]):
        history = apply(history, edit, serial)
        files = site_files([make_item(number, version, item_id) for number, (item_id, version) in enumerate(history)],
                           page_size)
        for format_name, format_ in FORMATS.items():
            feed, *archive = walk(files, format_.filename, format_name)
            archived = [item_id for page in archive for item_id in page]
            assert len(archived) == len(set(archived))
            assert set(archived) | set(feed) == {item_id for item_id, _ in history}


@pytest.mark.parametrize(("path", "expected"), [
    ("archive/0001-9f2c1ab4e0d1.rss.xml", Kind.ARCHIVE),
    ("archive/categories/archive/0002-9f2c1ab4e0d1.atom.xml", Kind.ARCHIVE),
    ("categories/archive/rss.xml", Kind.FEED),
    ("authors/archive/feed.json", Kind.FEED),
    ("categories/archive/index.html", Kind.PAGE),
])
def test_only_the_top_level_archive_folder_holds_archive_documents(path, expected):
    assert kind(path) is expected  # the object-storage mirror uploads Kind.ARCHIVE as immutable
