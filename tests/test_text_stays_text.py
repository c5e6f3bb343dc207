"""Text stays text: a title, summary or category that looks like markup reaches every
reader as exactly the characters the editor wrote, in every format and on index.html."""

from __future__ import annotations

import html
import json
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from feeds.build import build_site

from .conftest import SITE_YAML, entry_yaml

ATOM = "{http://www.w3.org/2005/Atom}"

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)
LOOKS_LIKE_MARKUP = ["<br>", "a < b", "&amp;", "A & B", "R&D: <i>not italic</i>", "x > y", "&#169; 5 > 4"]


def as_read(detail: feedparser.FeedParserDict) -> str:
    """What a reader shows: HTML is rendered (entities undone), text is taken as it is."""
    return html.unescape(detail.value) if detail.type == "text/html" else detail.value


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("site")
    (root / "site.yaml").write_text("title: R&D <Wire>\nlink: https://news.example.com/\n"
                                    "description: News & <b>views</b>\npublish_url: https://news.example.com/feeds/\n")
    for number, text in enumerate(LOOKS_LIKE_MARKUP):
        entry = entry_yaml(title=json.dumps(f"T {text}"), link=f"/news/{number}", published=f"2020-02-{10 + number} 16:40",
                           summary=json.dumps(text), categories=f"[{json.dumps(f'C {text}')}]")
        (root / "items").mkdir(exist_ok=True)
        (root / f"items/{number}.yaml").write_text(entry)
    result = build_site(root, now=NOW)
    assert result.check.ok, [str(problem) for problem in result.check.problems]
    return result.out_dir


def entries_by_link(path: Path) -> dict[str, feedparser.FeedParserDict]:
    parsed = feedparser.parse(path.read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return {entry.link.rsplit("/", 1)[-1]: entry for entry in parsed.entries}


@pytest.mark.parametrize("feed", ["rss.xml", "atom.xml"])
@pytest.mark.parametrize("number", range(len(LOOKS_LIKE_MARKUP)))
def test_a_title_summary_and_category_written_as_markup_reach_feed_readers_as_text(out, feed, number):
    text = LOOKS_LIKE_MARKUP[number]
    entry = entries_by_link(out / feed)[str(number)]
    assert as_read(entry.title_detail) == f"T {text}"
    assert as_read(entry.summary_detail) == text
    assert [tag.term for tag in entry.tags] == [f"C {text}"]


@pytest.mark.parametrize("feed", ["rss.xml", "atom.xml"])
def test_a_site_title_and_description_written_as_markup_reach_feed_readers_as_text(out, feed):
    parsed = feedparser.parse((out / feed).read_bytes())
    assert as_read(parsed.feed.title_detail) == "R&D <Wire>"
    assert as_read(parsed.feed.subtitle_detail) == "News & <b>views</b>"


def test_a_category_feed_named_as_markup_is_titled_as_text(out):
    for feed in ("rss.xml", "atom.xml"):
        parsed = feedparser.parse((out / "categories/c-r-d-i-not-italic-i" / feed).read_bytes())
        assert as_read(parsed.feed.title_detail) == "R&D <Wire>: C R&D: <i>not italic</i>"


@pytest.mark.parametrize("number", range(len(LOOKS_LIKE_MARKUP)))
def test_json_feed_carries_the_text_as_written(out, number):
    text = LOOKS_LIKE_MARKUP[number]
    item = next(item for item in json.loads((out / "feed.json").read_text())["items"] if item["url"].endswith(f"/{number}"))
    assert (item["title"], item["summary"], item["content_text"], item["tags"]) == (f"T {text}", text, text, [f"C {text}"])



PLAIN_AMPERSANDS = ["AT&T", "Q&A: 5 < 6", "R&D & M&S", "x > y"]


@pytest.mark.parametrize("title", PLAIN_AMPERSANDS)
def test_a_title_whose_ampersand_html_reads_as_itself_reaches_plain_text_readers_as_written(make_site, title):
    """Newsboat, rss-parser, feed-extractor and feedsmith show an RSS <title>'s text as it is, and
    the `reader` library drops an Atom title's type: "AT&T", sent as the HTML "AT&amp;T", was shown
    as "AT&amp;T". HTML reads "AT&T" as itself, so it needs no escaping for readers that render it."""
    site_yaml = SITE_YAML.replace("title: Test Wire", f"title: {json.dumps(title)}")
    root = make_site({"items/a.yaml": entry_yaml(title=json.dumps(title))}, site_yaml=site_yaml)
    result = build_site(root, now=NOW)
    assert result.check.ok, [str(problem) for problem in result.check.problems]
    rss = etree.fromstring((result.out_dir / "rss.xml").read_bytes())
    assert rss.findtext("channel/title") == rss.findtext("channel/item/title") == title
    atom = etree.fromstring((result.out_dir / "atom.xml").read_bytes())
    for element in (atom.find(f"{ATOM}title"), atom.find(f"{ATOM}entry/{ATOM}title")):
        assert (element.get("type", "text"), element.text) == ("text", title)
    for name in ("rss.xml", "atom.xml"):
        parsed = feedparser.parse((result.out_dir / name).read_bytes())
        assert as_read(parsed.feed.title_detail) == as_read(parsed.entries[0].title_detail) == title


def test_an_atom_summary_holding_an_ampersand_is_html_for_readers_that_render_any_summary_as_html(make_site):
    """newsboat renders an Atom summary as HTML whatever its type: a type="text" "AT&T & M&S,
    5 < 6 and 7 > 3" was shown as "ATT & M&S, 5 3". Declared html and escaped, it reads right."""
    summary = "AT&T & M&S, 5 < 6 and 7 > 3"
    root = make_site({"items/a.yaml": entry_yaml(summary=json.dumps(summary))})
    result = build_site(root, now=NOW)
    element = etree.fromstring((result.out_dir / "atom.xml").read_bytes()).find(f"{ATOM}entry/{ATOM}summary")
    assert (element.get("type"), html.unescape(element.text)) == ("html", summary)

class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.pieces.append(data)


def test_the_index_page_shows_titles_and_categories_as_text(out):
    page = _Text()
    page.feed((out / "index.html").read_text())
    for text in LOOKS_LIKE_MARKUP[:5]:
        assert f"T {text}" in page.pieces
    for text in ("<br>", "&amp;", "R&D: <i>not italic</i>"):
        assert f"C {text}" in page.pieces
    assert "i" not in page.tags and "br" not in page.tags


TYPOGRAPHY = "10\u00a0000 lecteurs \u00abLe\u202fMonde\u202f\u00bb\u202f: 5\u2009%"


def test_no_break_and_thin_spaces_reach_readers_as_typed_while_wrapped_lines_join(make_site):
    wrapped = "  " + TYPOGRAPHY.replace(" lecteurs", "\n  lecteurs")  # a plain value wrapped over two lines
    root = make_site({"items/a.yaml": entry_yaml(title=json.dumps(TYPOGRAPHY), summary=">\n" + wrapped,
                                                 categories='["Le\u00a0Monde", "Le Monde"]')})
    result = build_site(root, now=NOW)
    assert result.check.ok, [str(problem) for problem in result.check.problems]
    item = json.loads((result.out_dir / "feed.json").read_text(encoding="utf-8"))["items"][0]
    assert (item["title"], item["summary"]) == (TYPOGRAPHY, TYPOGRAPHY)
    assert item["tags"] == ["Le Monde"]  # a name is matched as typed: every kind of space reads as one


def test_a_summary_drawn_from_the_body_keeps_its_no_break_spaces(make_site):
    root = make_site({"items/a.yaml": entry_yaml(body='"10&nbsp;000 readers,\\n  and more."')})
    result = build_site(root, now=NOW)
    item = json.loads((result.out_dir / "feed.json").read_text(encoding="utf-8"))["items"][0]
    assert item["summary"] == "10\u00a0000 readers, and more."


@pytest.mark.parametrize("edge", ["\u00a0", "\u202f", "\u3000", "\u2028", "\u2003"])
def test_a_space_of_any_kind_at_either_end_is_trimmed_so_every_format_carries_the_same_text(make_site, edge):
    """Spaces inside stay as typed; at the ends, where no reader shows them, every kind goes:
    feedparser (and so many readers) strips them from RSS and Atom, JSON Feed would keep them."""
    root = make_site({"items/a.yaml": entry_yaml(title=json.dumps(f"{edge}10\u00a0000 readers{edge}"),
                                                 summary=json.dumps(f"{edge}Ports shut.{edge}"))})
    result = build_site(root, now=NOW)
    assert result.check.ok, [str(problem) for problem in result.check.problems]
    item = json.loads((result.out_dir / "feed.json").read_text(encoding="utf-8"))["items"][0]
    found = {"feed.json": (item["title"], item["summary"])}
    for name in ("rss.xml", "atom.xml"):
        entry = feedparser.parse((result.out_dir / name).read_bytes()).entries[0]
        found[name] = (as_read(entry.title_detail), as_read(entry.summary_detail))
    assert set(found.values()) == {("10\u00a0000 readers", "Ports shut.")}, found


@pytest.mark.parametrize("title", ['"\\u200b"', '"\\u00a0\\u202f"', '"\\u200e\\u2060"', '"\\u3164"', '"\\u115f\\u1160"',
                                   '"\\u2800 \\u2800"', '"\\uffa0"'])
def test_a_title_a_reader_would_see_as_blank_is_refused(make_site, title):
    """Hangul's fillers and the blank Braille cell, letters fonts draw as nothing, made a
    blank headline until the forty-seventh stop."""
    root = make_site({"items/a.yaml": entry_yaml(title=title)})
    result = build_site(root, now=NOW)
    assert [problem.code for problem in result.check.problems] == ["empty"]


def test_a_spacer_paragraph_is_not_taken_for_the_summary(make_site):
    root = make_site({"items/a.yaml": entry_yaml(body='"<p>&nbsp;</p>\\n\\nMinisters met on Tuesday."')})
    item = json.loads((build_site(root, now=NOW).out_dir / "feed.json").read_text(encoding="utf-8"))["items"][0]
    assert item["summary"] == "Ministers met on Tuesday."


def test_a_mailto_link_in_capitals_is_kept():
    from feeds.sanitise import sanitise_html

    assert 'href="MAILTO:desk@example.com"' in sanitise_html('<a href="MAILTO:desk@example.com">desk</a>', "https://x.example/")
