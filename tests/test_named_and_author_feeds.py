"""Named feeds, author feeds, summary feeds, the size cap and a page per feed, as `feeds build`
writes them (the SPEC's "Named feeds" and Output sections)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import feedparser
import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feeds.build import build_site
from feeds.cli import main
from feeds.feed_kinds import facts_of
from feeds.model import Author, Entry, NamedFeed, Site, microseconds
from feeds.select import select_feeds, shortlist
from feeds.slugs import slugify

from .conftest import SITE_YAML, entry_yaml

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)
FEEDS_YAML = SITE_YAML + """\
author_feeds: true
feeds:
  - name: breaking
    title: Breaking news
    description: The latest from the desk
    categories: [News, Middle East]
    authors: [Business desk]
    exclude_categories: [Sport]
    max_items: 2
    content: summary
  - name: everything
"""
ENTRIES = {
    "items/idlib.yaml": entry_yaml(title="Idlib talks stall", link="/idlib", published="2020-02-20 16:40",
                                   categories="[Middle East]", author="Middle East desk", body="'Talks *stall*.'"),
    "items/lira.yaml": entry_yaml(title="Lira slips", link="/lira", published="2020-02-21 09:00",
                                  categories="[Markets]", author="Business desk", body="'The lira slipped.'"),
    "items/derby.yaml": entry_yaml(title="Derby ends level", link="/derby", published="2020-02-22 20:00",
                                   categories="[News, Sport]", author="[Jo Byrne, Sam Lee]"),
    "items/storm.yaml": entry_yaml(title="Storm closes ports", link="/storm", published="2020-02-23 07:00",
                                   categories="[news]", author="jo byrne"),
    "items/unsigned.yaml": entry_yaml(title="Desk note", link="/note", published="2020-02-24 07:00",
                                      categories="[Weather]"),
}


@pytest.fixture
def site(make_site) -> Path:
    root = make_site(ENTRIES, site_yaml=FEEDS_YAML)
    assert build_site(root, now=NOW).check.ok
    return root


def titles(root: Path, folder: str) -> list[str]:
    parsed = feedparser.parse((root / "publish" / folder / "rss.xml").read_bytes())
    assert parsed.bozo == 0
    return [entry.title for entry in parsed.entries]


def test_a_named_feed_holds_items_in_its_categories_or_by_its_authors_newest_first(site):
    assert titles(site, "breaking") == ["Storm closes ports", "Lira slips"]  # max_items: 2 leaves Idlib out


def test_an_excluded_category_keeps_an_item_out_of_a_named_feed_it_otherwise_matches(site):
    assert "Derby ends level" not in titles(site, "breaking")


def test_a_named_feed_listing_neither_categories_nor_authors_holds_every_item_up_to_the_sites_max_items(site):
    assert titles(site, "everything") == ["Desk note", "Storm closes ports", "Derby ends level", "Lira slips",
                                          "Idlib talks stall"]


def test_a_named_feed_has_its_own_title_and_description(site):
    channel = feedparser.parse((site / "publish/breaking/atom.xml").read_bytes()).feed
    assert (channel.title, channel.subtitle) == ("Breaking news", "The latest from the desk")


def test_a_summary_named_feed_carries_no_body_in_any_format_while_the_site_feed_does(site):
    out = site / "publish"
    assert b"content:encoded" not in (out / "breaking/rss.xml").read_bytes()
    assert b"<content" not in (out / "breaking/atom.xml").read_bytes()
    items = json.loads((out / "breaking/feed.json").read_bytes())["items"]
    assert [(item["content_text"], "content_html" in item) for item in items] == [
        ("A short summary.", False), ("The lira slipped.", False)]
    assert b"content:encoded" in (out / "rss.xml").read_bytes()


def test_a_site_whose_content_is_summary_writes_no_body_anywhere(make_site):
    root = make_site(ENTRIES, site_yaml=FEEDS_YAML + "content: summary\n")
    assert build_site(root, now=NOW).check.ok
    assert not any(b"content:encoded" in path.read_bytes() for path in (root / "publish").rglob("rss.xml"))


def test_an_unsigned_item_is_by_the_sites_author_in_author_feeds(site):
    assert titles(site, "authors/test-desk") == ["Desk note"]


def test_an_item_with_several_authors_is_in_each_ones_feed(site):
    assert titles(site, "authors/sam-lee") == ["Derby ends level"]
    assert "Derby ends level" in titles(site, "authors/jo-byrne")


def test_author_spellings_that_differ_in_case_share_one_feed_named_by_the_first(site):
    assert titles(site, "authors/jo-byrne") == ["Storm closes ports", "Derby ends level"]
    assert feedparser.parse((site / "publish/authors/jo-byrne/rss.xml").read_bytes()).feed.title == (
        "Test Wire: Jo Byrne")


ARABIC_SITE_YAML = """\
title: الأخبار اليوم
link: https://news.example.com/
description: آخر الأخبار من غرفة الأخبار.
language: ar
author: مكتب الأخبار
author_feeds: true
"""


def test_on_an_english_site_category_and_author_feeds_are_described_by_their_names(site):
    described = {path: feedparser.parse((site / "publish" / path / "atom.xml").read_bytes()).feed.subtitle
                 for path in ("categories/sport", "authors/sam-lee")}
    assert described == {"categories/sport": "Sport from Test Wire", "authors/sam-lee": "Stories by Sam Lee from Test Wire"}


def test_on_a_site_in_another_language_category_and_author_feeds_are_described_by_the_sites_description(make_site):
    root = make_site({"items/a.yaml": entry_yaml(title="خبر", categories="[رياضة]")}, site_yaml=ARABIC_SITE_YAML)
    assert build_site(root, now=NOW).check.ok
    described = {feedparser.parse(path.read_bytes()).feed.subtitle
                 for folder in ("categories/رياضة", "authors/مكتب-الأخبار")
                 for path in (root / "publish" / folder).glob("*.xml")}
    assert described == {"آخر الأخبار من غرفة الأخبار."}


def test_author_folders_follow_the_sites_slug_style(make_site):
    entries = {"items/a.yaml": entry_yaml(author="Çağla Ünal"), "items/b.yaml": entry_yaml(link="/b", author="Cagla Unal")}
    root = make_site(entries, site_yaml=SITE_YAML + "author_feeds: true\nslugs: ascii\n")
    build_site(root, now=NOW)
    assert feedparser.parse((root / "publish/authors/cagla-unal/rss.xml").read_bytes()).feed.title == (
        "Test Wire: Cagla Unal")
    assert len(titles(root, "authors/cagla-unal")) == 2


def test_a_byline_with_no_letter_or_digit_is_published_with_a_warning_that_it_has_no_author_feed(make_site, capsys):
    root = make_site({"items/a.yaml": entry_yaml(author="—")}, site_yaml=SITE_YAML + "author_feeds: true\n")
    assert main(["build", str(root), "--now", NOW.isoformat()]) == 0
    assert ('items/a.yaml:4:9: warning: author: "—" has no letter or digit to name an author\'s feed by: with author_feeds '
            "on, the story is in no author's feed; write the author's name in words, or leave the byline out"
            in capsys.readouterr().err)
    assert json.loads((root / "publish/feed.json").read_text())["items"][0]["authors"] == [{"name": "—"}]
    assert not (root / "publish/authors").exists()


def test_with_ascii_slugs_a_named_feed_matches_every_spelling_that_shares_a_category_or_author_feed(make_site):
    """With `slugs: ascii`, Météo and Meteo are one category (categories/meteo/) and Çağla Ünal
    and Cagla Unal one author (authors/cagla-unal/): a named feed listing either spelling holds
    the stories of both, as their category and author feeds do, and excludes both."""
    entries = {"items/a.yaml": entry_yaml("Rain", "/a", "2020-02-20 09:00", categories="[Météo]"),
               "items/b.yaml": entry_yaml("Wind", "/b", "2020-02-21 09:00", categories="[Meteo]"),
               "items/c.yaml": entry_yaml("Column", "/c", "2020-02-22 09:00", author="Çağla Ünal"),
               "items/d.yaml": entry_yaml("Letter", "/d", "2020-02-23 09:00", author="Cagla Unal")}
    root = make_site(entries, site_yaml=SITE_YAML + """\
slugs: ascii
author_feeds: true
feeds:
  - name: weather
    categories: [meteo]
  - name: columns
    authors: [Cagla Unal]
  - name: dry
    exclude_categories: [Météo]
""")
    build_site(root, now=NOW)
    assert titles(root, "categories/meteo") == ["Wind", "Rain"]
    assert titles(root, "weather") == ["Wind", "Rain"]
    assert titles(root, "authors/cagla-unal") == ["Letter", "Column"]
    assert titles(root, "columns") == ["Letter", "Column"]
    assert titles(root, "dry") == ["Letter", "Column"]


def test_a_named_feed_may_name_a_category_by_the_folder_site_yaml_gives_it(make_site):
    """Sport's feed is categories/football/ (slug: football): a desk that lists football, the
    name it sees in the address, means Sport. Listed so, exclude_categories let the derby in
    and categories chose nothing, with no warning."""
    entries = {"items/a.yaml": entry_yaml("Derby ends level", "/a", "2020-02-20 09:00", categories="[sport]"),
               "items/b.yaml": entry_yaml("Storm closes ports", "/b", "2020-02-21 09:00", categories="[News]")}
    root = make_site(entries, site_yaml=SITE_YAML + """\
categories:
  Sport: {slug: football}
feeds:
  - name: football
    categories: [football]
  - name: no-football
    exclude_categories: [football]
  - name: no-sport
    exclude_categories: [Sport]
""")
    assert build_site(root, now=NOW).check.ok
    assert titles(root, "categories/football") == ["Derby ends level"]
    assert titles(root, "football") == ["Derby ends level"]
    assert titles(root, "no-football") == titles(root, "no-sport") == ["Storm closes ports"]


def test_a_named_feed_matches_an_unsigned_item_by_the_sites_author(make_site):
    root = make_site(ENTRIES, site_yaml=SITE_YAML + "feeds:\n  - name: desk\n    authors: [test desk]\n")
    build_site(root, now=NOW)
    assert titles(root, "desk") == ["Desk note"]


def test_a_named_feed_no_item_matches_is_written_valid_and_empty(make_site):
    root = make_site(ENTRIES, site_yaml=SITE_YAML + "feeds:\n  - name: culture\n    categories: [Culture]\n")
    build_site(root, now=NOW)
    assert titles(root, "culture") == []


TYPOS_YAML = SITE_YAML + """\
feeds:
  - name: front
    exclude_categories: [Sprot]
  - name: markets
    categories: [Markts]
categories:
  Whether: {title: "Test Wire: Weather"}
"""
TYPO_LINE = SITE_YAML.count("\n") + 1  # the line of feeds:
TYPO_WARNINGS = [
    f'site.yaml:{TYPO_LINE + 2}:26: warning: feeds[0].exclude_categories: no entry has the category "Sprot"; '
    'did you mean "Sport"?',
    f'site.yaml:{TYPO_LINE + 4}:18: warning: feeds[1].categories: no entry has the category "Markts"; '
    'did you mean "Markets"?',
    f'site.yaml:{TYPO_LINE + 6}:3: warning: categories.Whether: no entry has the category "Whether"; '
    'did you mean "Weather"?']


def unused_category_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if "no entry has the category" in line]


def test_a_category_site_yaml_names_that_no_entry_has_is_warned_of_with_the_closest_the_entries_have(
        make_site, capsys):
    root = make_site(ENTRIES, site_yaml=TYPOS_YAML)
    assert main(["check", str(root)]) == 0
    assert unused_category_lines(capsys.readouterr().err) == TYPO_WARNINGS
    assert main(["build", str(root), "--now", "2026-11-24 12:00"]) == 0
    assert unused_category_lines(capsys.readouterr().err) == TYPO_WARNINGS


def test_a_typo_is_warned_of_from_the_build_that_files_the_first_story_under_the_name_meant(make_site):
    root = make_site(ENTRIES, site_yaml=SITE_YAML + "feeds:\n  - name: culture\n    categories: [Cultre]\n")
    assert build_site(root, now=NOW).check.warnings == ()  # a category with no story yet
    (root / "items/play.yaml").write_text(entry_yaml(link="/play", categories="[Culture]"), encoding="utf-8")
    warning = (f'site.yaml:{TYPO_LINE + 2}:18: warning: feeds[0].categories: no entry has the category "Cultre"; '
               'did you mean "Culture"?')
    for _ in range(2):  # the second build finds nothing changed
        assert [str(problem) for problem in build_site(root, now=NOW).check.warnings] == [warning]
    (root / "items/play.yaml").unlink()
    assert build_site(root, now=NOW).check.warnings == ()


def test_a_category_no_entry_has_nor_nearly_has_is_taken_for_one_with_no_story_yet(make_site):
    root = make_site(ENTRIES, site_yaml=SITE_YAML + "feeds:\n  - name: vote\n    categories: [Elections, US]\n"
                     "    exclude_categories: [Election 2024]\ncategories:\n  Sport 2020: {title: Olympics}\n")
    (root / "items/sport.yaml").write_text(entry_yaml(link="/s", categories="[Sport 2024, UK, Votes]"),
                                           encoding="utf-8")
    assert build_site(root, now=NOW).check.warnings == ()


def test_a_name_a_first_letter_from_an_entrys_is_another_name_not_a_typo(make_site):
    """Wealth is no typo of Health: a typo keeps its first letter."""
    root = make_site(ENTRIES, site_yaml=SITE_YAML + "feeds:\n  - name: money\n    exclude_categories: [Health]\n")
    (root / "items/money.yaml").write_text(entry_yaml(link="/m", categories="[Wealth]"), encoding="utf-8")
    assert build_site(root, now=NOW).check.warnings == ()


@pytest.mark.parametrize("meant, written", [("أخبار", "اخبار"), ("اقتصاد", "إقتصاد"), ("Économie", "Economi")])
def test_a_typo_whose_first_letter_is_written_with_or_without_its_mark_is_warned_of(make_site, meant, written):
    """Arabic writes alef with a hamza or without, and a capital's accent is often left off:
    the first letters were taken for two, and the typo for a category with no story yet."""
    root = make_site({"items/a.yaml": entry_yaml(categories=f"[{meant}]")},
                     site_yaml=SITE_YAML + f"feeds:\n  - name: desk\n    categories: [{written}]\n")
    assert [str(problem) for problem in build_site(root, now=NOW).check.warnings] == [
        f'site.yaml:{TYPO_LINE + 2}:18: warning: feeds[0].categories: no entry has the category "{written}"; '
        f'did you mean "{meant}"?']


def test_a_category_site_yaml_spells_as_another_spelling_of_an_entrys_is_no_warning(make_site):
    root = make_site(ENTRIES, site_yaml=SITE_YAML + "slugs: ascii\nfeeds:\n  - name: desk\n"
                     "    categories: [middle-east, MARKETS]\n    exclude_categories: [Wéather]\n")
    assert build_site(root, now=NOW).check.warnings == ()


def test_a_category_listed_by_the_folder_site_yaml_gives_it_is_no_typo(make_site):
    """sports is Sport's folder: no warning that no entry has it, nor a did-you-mean sport."""
    root = make_site(ENTRIES, site_yaml=SITE_YAML + "categories:\n  Sport: {slug: sports}\n"
                     "feeds:\n  - name: desk\n    exclude_categories: [sports]\n")
    assert build_site(root, now=NOW).check.warnings == ()
    assert "Derby ends level" not in titles(root, "desk")


def test_a_typo_of_a_category_given_a_folder_of_its_own_is_still_warned_of(make_site):
    root = make_site(ENTRIES, site_yaml=SITE_YAML + "categories:\n  Sport: {slug: sports}\n"
                     "feeds:\n  - name: desk\n    exclude_categories: [Sprot]\n")
    assert [str(problem) for problem in build_site(root, now=NOW).check.warnings] == [
        f'site.yaml:{TYPO_LINE + 4}:26: warning: feeds[0].exclude_categories: no entry has the category "Sprot"; '
        'did you mean "Sport"?']


AUTHOR_TYPO = (f'site.yaml:{TYPO_LINE + 2}:15: warning: feeds[0].authors: no entry has the author "Jo Byrn"; '
               'did you mean "Jo Byrne"?')


def test_an_author_a_named_feed_lists_that_no_entry_has_is_warned_of_with_the_closest_the_entries_have(
        make_site, capsys):
    root = make_site(ENTRIES, site_yaml=SITE_YAML + "feeds:\n  - name: jo\n    authors: [Jo Byrn, Sam Lee]\n")
    assert main(["check", str(root)]) == 0
    assert [line for line in capsys.readouterr().err.splitlines() if "no entry has" in line] == [AUTHOR_TYPO]
    for _ in range(2):  # the second build finds nothing changed
        assert [str(problem) for problem in build_site(root, now=NOW).check.warnings] == [AUTHOR_TYPO]


def test_an_author_typo_is_warned_of_from_the_build_that_files_the_first_story_by_the_name_meant(make_site):
    entries = {path: text for path, text in ENTRIES.items() if path not in ("items/derby.yaml", "items/storm.yaml")}
    root = make_site(entries, site_yaml=SITE_YAML + "feeds:\n  - name: jo\n    authors: [Jo Byrn]\n")
    assert build_site(root, now=NOW).check.warnings == ()  # an author with no story yet
    (root / "items/storm.yaml").write_text(ENTRIES["items/storm.yaml"], encoding="utf-8")  # by jo byrne
    assert [str(problem) for problem in build_site(root, now=NOW).check.warnings] == [
        AUTHOR_TYPO.replace('"Jo Byrne"', '"jo byrne"')]
    (root / "items/storm.yaml").unlink()
    assert build_site(root, now=NOW).check.warnings == ()


def test_the_sites_author_listed_by_a_named_feed_is_no_typo(make_site):
    """Test Desk signs every unsigned story, though no entry names it."""
    root = make_site(ENTRIES, site_yaml=SITE_YAML + "feeds:\n  - name: desk\n    authors: [Test Desk]\n")
    assert build_site(root, now=NOW).check.warnings == ()


def test_a_named_feed_removed_from_site_yaml_stays_valid_and_empty(site):
    (site / "site.yaml").write_text(FEEDS_YAML.split("  - name: everything")[0], encoding="utf-8")
    result = build_site(site, now=NOW)
    assert "everything/" in [spec.path for spec in result.feeds]
    assert titles(site, "everything") == []


def test_author_feeds_are_written_only_when_asked_for(make_site):
    root = make_site(ENTRIES)
    build_site(root, now=NOW)
    assert not (root / "publish/authors").exists()


def test_every_feed_folder_has_a_page_listing_its_items(site):
    out = site / "publish"
    folders = {path.parent for path in out.rglob("rss.xml")} - {out}
    assert folders and all((folder / "index.html").is_file() for folder in folders)
    page = lxml.html.fromstring((out / "breaking/index.html").read_bytes())
    assert page.findtext(".//h1") == "Breaking news"
    assert page.xpath("//ol[@class='stories']//h3/a/text()") == ["Storm closes ports", "Lira slips"]


def test_the_top_page_lists_every_feed_and_links_each_feeds_page(site):
    out = site / "publish"
    page = lxml.html.fromstring((out / "index.html").read_bytes())
    linked = set(page.xpath("//section//h2/a/@href"))
    pages = {"/feeds/" + path.relative_to(out).as_posix() for path in out.glob("*/**/index.html")}
    assert pages and linked == pages
    assert page.xpath("//section[@id='feed-breaking']//h2/a/text()") == ["Breaking news"]


def test_named_feeds_are_listed_in_the_order_written_after_the_site_wide_feed(site):
    paths = [spec.path for spec in build_site(site, now=NOW).feeds]
    assert paths[:3] == ["", "breaking/", "everything/"]


def test_a_feed_over_max_bytes_is_cut_and_the_build_says_so(make_site, capsys):
    long_body = "'" + "Words of a long report. " * 400 + "'"
    entries = {f"items/{number}.yaml": entry_yaml(title=f"Report {number}", link=f"/r{number}",
                                                  published=f"2020-02-{10 + number} 09:00", body=long_body)
               for number in range(8)}
    root = make_site(entries, site_yaml=SITE_YAML + "max_bytes: 30000\ncategory_feeds: false\n")
    assert main(["build", str(root), "--now", "2026-11-24 12:00"]) == 0
    err = capsys.readouterr().err.splitlines()
    for name in ("rss.xml", "atom.xml", "feed.json"):
        data = (root / "publish" / name).read_bytes()
        assert len(data) <= 30_000
        kept = data.count(b"Report ")
        assert any(line.startswith(f"feed {name} cut to ") and "max_bytes (30,000 bytes)" in line for line in err)
        assert kept < 8
    assert titles(root, "")[0] == "Report 7"  # the newest stay
    assert main(["build", str(root), "--now", "2026-11-24 12:00"]) == 0  # nothing changed: still said
    assert sum("cut to" in line for line in capsys.readouterr().err.splitlines()) == 3


def test_a_rebuild_after_one_edit_renders_only_the_feeds_and_pages_that_hold_it(site):
    (site / "items/lira.yaml").write_text(entry_yaml(title="Lira slips further", link="/lira",
                                                     published="2020-02-21 09:00", categories="[Markets]",
                                                     author="Business desk", body="'The lira slipped.'"))
    result = build_site(site, now=NOW)
    changed = {path.rpartition("/")[0] for path in result.written if path != "index.html"}
    assert changed == {"", "breaking", "everything", "categories/markets", "authors/business-desk"}
    assert titles(site, "breaking") == ["Storm closes ports", "Lira slips further"]


def test_the_same_entries_give_the_same_bytes_in_every_new_file(make_site):
    first, second = (make_site(ENTRIES, site_yaml=FEEDS_YAML, name=name) for name in ("one", "two"))
    for root in (first, second):
        build_site(root, now=NOW)
    files = [{path.relative_to(root / "publish").as_posix(): path.read_bytes()
              for path in (root / "publish").rglob("*") if path.is_file()} for root in (first, second)]
    assert files[0] == files[1] and "authors/jo-byrne/index.html" in files[0]


# --- the property: a named feed holds exactly what its filter describes ---------------------

START = datetime(2020, 2, 20, tzinfo=timezone.utc)
CATEGORIES = ["News", "news", "Sport", "Middle East", "Météo"]
AUTHORS = ["Jane Doe", "jane doe", "Ali Veli", "Test Desk"]
SITE = Site(Path("."), "Test Wire", "https://x.example/", "D", "https://x.example/", authors=(Author("Test Desk"),))


@st.composite
def random_entries(draw) -> list[Entry]:
    made = []
    for number in range(draw(st.integers(0, 16))):
        published = START + timedelta(hours=draw(st.integers(0, 6)))
        expires = draw(st.none() | st.integers(1, 8).map(lambda hours, at=published: at + timedelta(hours=hours)))
        made.append(Entry(
            source=f"items/{number}.yaml", id=f"https://x.example/{(number * 7) % 17}", title="t",
            link="https://x.example/", published=published, expires=expires, draft=draw(st.booleans()),
            categories=tuple(draw(st.lists(st.sampled_from(CATEGORIES), max_size=3, unique=True))),
            authors=tuple(Author(name) for name in draw(st.lists(st.sampled_from(AUTHORS), max_size=2, unique=True))),
            summary="s"))
    return made


names = st.lists(st.sampled_from([*CATEGORIES, *AUTHORS]), max_size=2).map(tuple)
definitions = st.lists(st.builds(lambda categories, authors, exclude, max_items: NamedFeed(
    "x", "X", "D", categories, authors, exclude, max_items), names, names, names, st.integers(1, 4)),
    min_size=1, max_size=3)


@settings(max_examples=300, deadline=None)
@given(random_entries(), definitions, st.integers(0, 10))
def test_a_named_feed_holds_exactly_the_live_entries_its_filter_matches_newest_first_at_most_max_items(
        made, defined, hour):
    site = replace(SITE, feeds=tuple(feed._replace(name=f"feed-{number}") for number, feed in enumerate(defined)))
    now = START + timedelta(hours=hour)
    short = shortlist([(entry.source, facts_of(entry)) for entry in made], site, microseconds(now))
    chosen = [entry for entry in made if entry.source in short.paths]
    for candidates in (made, chosen):
        specs = {spec.path: spec for spec in select_feeds(candidates, site, now)}
        for feed in site.feeds:
            expected = sorted((entry for entry in made if _live(entry, now) and _matches(feed, entry)),
                              key=lambda entry: (-entry.published.timestamp(), entry.id))[: feed.max_items]
            assert specs[feed.path].entries == tuple(expected)


def _live(entry: Entry, now: datetime) -> bool:
    return not entry.draft and entry.published <= now and (entry.expires is None or now < entry.expires)


def _matches(feed: NamedFeed, entry: Entry) -> bool:
    """The SPEC's words, written again: any listed category or author (the site's for an
    unsigned item), every item when neither is listed; never an excluded category."""
    def slugs(names: tuple[str, ...]) -> set[str]:
        return {slugify(name) for name in names}

    categories = slugs(entry.categories)
    authors = slugs(tuple(author.name for author in entry.authors or SITE.authors))
    if slugs(feed.exclude_categories) & categories:
        return False
    return (not feed.categories and not feed.authors) or bool(
        slugs(feed.categories) & categories or slugs(feed.authors) & authors)
