"""An entry's categories and authors: rendered in time linear in their number, and refused
past a limit no newsroom reaches, so one file cannot hold the site's lock for minutes nor
fill the disk with feeds."""

from __future__ import annotations

import time
from datetime import datetime, timezone

import feedparser
import pytest

from feeds.build import build_site, check_site
from feeds.fields import MAX_AUTHORS, MAX_CATEGORIES
from feeds.model import FeedDocument, Item, Site
from feeds.render import FORMATS

from .conftest import SITE_YAML, entry_yaml

MOMENT = datetime(2020, 2, 20, 16, 40, tzinfo=timezone.utc)


def document_with_categories(count: int, tmp_path) -> FeedDocument:
    site = Site(root=tmp_path, title="Wire", link="https://news.example.com/", description="News",
                publish_url="https://news.example.com/feeds/", timezone=timezone.utc)
    item = Item(id="https://news.example.com/a", title="Storm", link="https://news.example.com/a",
                published=MOMENT, updated=MOMENT, authors=(), categories=tuple(f"Topic {n}" for n in range(count)),
                summary="Ports shut.", content_html=None, image=None, image_type=None)
    return FeedDocument(site, "Wire", "News", site.link, site.publish_url + "rss.xml", None, MOMENT, (item,))


@pytest.mark.parametrize("name", ["rss", "atom"])
def test_rendering_an_item_takes_time_linear_in_its_categories(name, tmp_path):
    document = document_with_categories(6_000, tmp_path)
    started = time.perf_counter()
    rendered = FORMATS[name].render(document)
    assert time.perf_counter() - started < 1.5
    assert len(feedparser.parse(rendered).entries[0].tags) == 6_000


def test_an_entry_with_at_most_the_limit_of_categories_is_published_with_all_of_them(make_site):
    names = ", ".join(f"Topic {n}" for n in range(MAX_CATEGORIES))
    root = make_site({"items/a.yaml": entry_yaml(categories=f"[{names}]")}, name="limit")
    result = build_site(root, now=datetime(2026, 1, 1, tzinfo=timezone.utc))
    assert result.check.ok
    assert len(feedparser.parse((result.out_dir / "atom.xml").read_bytes()).entries[0].tags) == MAX_CATEGORIES


def test_an_entry_with_more_categories_than_the_limit_is_refused_with_the_limit(make_site):
    names = ", ".join(f"Topic {n}" for n in range(5_000))
    root = make_site({"items/a.yaml": entry_yaml(categories=f"[{names}]")})
    started = time.perf_counter()
    problems = check_site(root).problems
    assert time.perf_counter() - started < 5.0
    assert [str(problem) for problem in problems] == [(
        f"items/a.yaml:4:13: categories: expected at most {MAX_CATEGORIES} categories, found 5,000; "
        "an entry is filed under a few, each with a feed of its own: keep the ones readers follow")]


@pytest.mark.parametrize("listed, where", [
    ("[" + ", ".join(f"c{n}" for n in range(10_000)) + "]", "4:13"),
    ("".join(f"\n  - c{n}" for n in range(10_000)), "5:3")], ids=["flow", "block"])
def test_ten_thousand_categories_are_refused_with_the_categories_limit_not_the_yaml_readers(make_site, listed, where):
    """The YAML reader stops at 10,000 values in a field, and told only that: "categories:
    expected at most 10,000 values, found more", as if 9,999 would do."""
    root = make_site({"items/a.yaml": entry_yaml(categories=listed)})
    assert [str(problem) for problem in check_site(root).problems] == [(
        f"items/a.yaml:{where}: categories: expected at most {MAX_CATEGORIES} categories, found 10,000 or more; "
        "an entry is filed under a few, each with a feed of its own: keep the ones readers follow")]


def test_a_byline_with_more_authors_than_the_limit_is_refused_with_the_limit(make_site):
    names = ", ".join(f"Writer {n}" for n in range(3_000))
    root = make_site({"items/a.yaml": entry_yaml(author=f"[{names}]")},
                     site_yaml=SITE_YAML + "author_feeds: true\n")
    assert [str(problem) for problem in check_site(root).problems] == [(
        f"items/a.yaml:4:9: author: expected at most {MAX_AUTHORS} authors, found 3,000; "
        "a byline names the few who wrote the story; credit the others in the body")]


def test_a_byline_of_the_limit_gets_a_feed_for_each_author(make_site):
    names = ", ".join(f"Writer {n}" for n in range(MAX_AUTHORS))
    root = make_site({"items/a.yaml": entry_yaml(author=f"[{names}]")}, site_yaml=SITE_YAML + "author_feeds: true\n")
    result = build_site(root, now=datetime(2026, 1, 1, tzinfo=timezone.utc))
    assert result.check.ok
    assert len(list((result.out_dir / "authors").iterdir())) == MAX_AUTHORS


def test_a_name_given_twice_counts_once_against_the_author_limit(make_site):
    names = ", ".join(f"Writer {n % MAX_AUTHORS}" for n in range(MAX_AUTHORS + 10))
    root = make_site({"items/a.yaml": entry_yaml(author=f"[{names}]")})
    assert check_site(root).problems == ()
