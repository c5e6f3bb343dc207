"""Each item a build shows is rendered in each format once (build/item_renders.py) and
spliced into every feed that shows it; a summary feed's items are rendered without their
bodies."""

from __future__ import annotations

from collections import Counter

import feedparser
import pytest

from feeds.build import build_site, render_jobs
from feeds.render import atom, jsonfeed, rss, spliced

from .conftest import SITE_YAML, entry_yaml

SUMMARY_FEED = SITE_YAML + """\
feeds:
  - name: digest
    content: summary
"""
ENTRIES = {f"items/{number}.yaml": entry_yaml(f"Story {number}", f"/news/{number}", f"2020-02-{10 + number} 16:40",
                                              categories=f"[Desk {number % 2}]", body=f"'Body of story {number}.'")
           for number in range(4)}


@pytest.fixture
def renders(monkeypatch) -> Counter[tuple[str, str, bool]]:
    """Every item each format renders: (format, item id, whether with its body)."""
    counted: Counter[tuple[str, str, bool]] = Counter()
    for name, module in (("rss", rss), ("atom", atom), ("json", jsonfeed)):
        def counting(items, name=name, render=module.render_items):
            counted.update((name, item.id, item.content_html is not None) for item in items)
            return render(items)
        monkeypatch.setattr(module, "render_items", counting)
    return counted


def test_a_cold_build_renders_each_item_once_per_format_whatever_number_of_feeds_show_it(make_site, renders):
    build_site(make_site(ENTRIES))
    ids = {f"https://news.example.com/news/{number}" for number in range(4)}
    assert renders == Counter({(name, item_id, True): 1 for name in ("rss", "atom", "json") for item_id in ids})


def test_a_summary_feeds_items_are_rendered_once_more_without_their_bodies(make_site, renders):
    result = build_site(make_site(ENTRIES, site_yaml=SUMMARY_FEED))
    assert set(renders.values()) == {1}
    assert {(name, with_body) for name, _, with_body in renders} == {
        (name, with_body) for name in ("rss", "atom", "json") for with_body in (True, False)}
    digest = feedparser.parse((result.out_dir / "digest" / "rss.xml").read_bytes())
    site_feed = feedparser.parse((result.out_dir / "rss.xml").read_bytes())
    assert digest.bozo == 0 and site_feed.bozo == 0
    assert [entry.get("content") for entry in digest.entries] == [None] * 4
    assert [entry.content[0].value for entry in site_feed.entries] == [f"<p>Body of story {number}.</p>"
                                                                      for number in (3, 2, 1, 0)]


def test_a_build_whose_renders_outgrow_what_a_process_keeps_still_renders_each_item_once(make_site, renders,
                                                                                       monkeypatch):
    """The renders a build hands its feeds are every item they show: past RENDERS_KEPT_BYTES
    they were all dropped at the first feed, and rendered again feed by feed (3,001 feeds of
    20,000 entries spent 24 s so)."""
    monkeypatch.setattr(spliced, "RENDERS_KEPT_BYTES", 1)
    build_site(make_site(ENTRIES))
    assert set(renders.values()) == {1}


def test_a_build_holds_the_items_of_a_few_feeds_at_a_time(make_site, monkeypatch):
    """With thousands of category feeds every entry is shown somewhere: the feeds are rendered
    in runs showing at most ITEMS_A_GROUP entries, not all at once."""
    monkeypatch.setattr(render_jobs, "ITEMS_A_GROUP", 2)
    held: list[int] = []
    render_items = render_jobs._render
    monkeypatch.setattr(render_jobs, "_render", lambda site, stale, feed_files, items, *rest: held.append(len(items))
                        or render_items(site, stale, feed_files, items, *rest))
    build_site(make_site(ENTRIES, site_yaml=SITE_YAML + "max_items: 2\n"))
    assert held == [2, 2, 2]


def test_feeds_rendered_a_few_at_a_time_are_the_bytes_of_feeds_rendered_all_at_once(make_site, monkeypatch):
    whole = build_site(make_site(ENTRIES, name="whole")).out_dir
    monkeypatch.setattr(render_jobs, "ITEMS_A_GROUP", 1)
    in_runs = build_site(make_site(ENTRIES, name="in-runs")).out_dir
    files = sorted(path.relative_to(whole) for path in whole.rglob("*") if path.is_file())
    assert files == sorted(path.relative_to(in_runs) for path in in_runs.rglob("*") if path.is_file())
    assert all((whole / path).read_bytes() == (in_runs / path).read_bytes() for path in files)


def test_the_feeds_within_a_feed_showing_more_than_a_run_are_rendered_in_its_run(make_site, monkeypatch):
    """A feed that shows more entries than a run holds is held whole anyway: the feeds that show
    only its entries (its categories, its authors) join its run, not one run each, which read
    every entry they show back from the cache (a site with max_items: 3000 built 1.4 x slower)."""
    monkeypatch.setattr(render_jobs, "ITEMS_A_GROUP", 2)
    held: list[int] = []
    render_items = render_jobs._render
    monkeypatch.setattr(render_jobs, "_render", lambda site, stale, feed_files, items, *rest: held.append(len(items))
                        or render_items(site, stale, feed_files, items, *rest))
    build_site(make_site(ENTRIES))
    assert held == [4]
