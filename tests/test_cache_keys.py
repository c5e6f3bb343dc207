"""Each file of the cache is keyed on the site.yaml settings its contents depend on: an edit
of any other setting reuses it, and an edit of one of those builds what a cold build builds."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feeds import cache
from feeds.build import build_site, incremental, render_jobs
from feeds.content import prepare_item
from feeds.feed_kinds import facts_of
from feeds.load import parse_document
from feeds.model import Entry, microseconds
from feeds.select import history, shortlist
from feeds.validate import validate_entry
from feeds.validate_site import validate_site

from .conftest import SEED, SITE_YAML, entry_yaml
from .test_cache import ENTRIES, NOW, cold_build, published


def narrow_yaml(title: str = "Test Wire", byline: str = "Test Desk", max_items: int = 1, category_feeds: bool = False,
                author_feeds: bool = False, archive: bool = False, desk_categories: str = "Business, Sport",
                desk_excludes: str = "Sport", night_authors: str = "Night Desk", sport_max_items: int = 1) -> str:
    """By default, feeds that keep few items, so that the last build's selection, with no
    entries to spare (MARGIN 0), lacks entries that any one other value of a setting needs:
    kept when it should not be, it would show in the feeds."""
    return SITE_YAML.replace("Test Wire", title).replace("name: Test Desk", f"name: {byline}") + f"""\
max_items: {max_items}
category_feeds: {str(category_feeds).lower()}
author_feeds: {str(author_feeds).lower()}
archive: {str(archive).lower()}
feeds:
  - name: desk
    categories: [{desk_categories}]
    exclude_categories: [{desk_excludes}]
    max_items: 2
  - name: night
    authors: [{night_authors}]
    exclude_categories: [Weather]
    max_items: 1
  - name: sport
    categories: [Sport, Weather]
    max_items: {sport_max_items}
"""


NARROW_YAML = narrow_yaml()
MORE_ENTRIES = {
    **ENTRIES,
    "items/2022/e.yaml": entry_yaml(title="Derby drawn", link="/e", published="2022-05-01 18:00",
                                    categories="[Sport, News]", author="Sam Lee"),
    "items/2022/h.yaml": entry_yaml(title="Vote delayed", link="/h", published="2022-06-01 12:00",
                                    categories="[Politics]"),
    "items/2023/f.yaml": entry_yaml(title="Rain all week", link="/f", published="2023-01-10 07:00",
                                    categories="[Weather]"),
}
# Edits that change which entries a feed holds, or how many.
CHANGES_TO_SELECTION = {
    "max_items": narrow_yaml(max_items=3),
    "category_feeds": narrow_yaml(category_feeds=True),
    "author_feeds": narrow_yaml(author_feeds=True),
    "archive": narrow_yaml(archive=True),
    "byline": narrow_yaml(byline="Night Desk"),
    "named feed's categories": narrow_yaml(desk_categories="News, Sport"),
    "named feed's exclude_categories": narrow_yaml(desk_excludes="Weather"),
    "named feed's authors": narrow_yaml(night_authors="Sam Lee"),
    "named feed's max_items": narrow_yaml(sport_max_items=2),
}
# Edits that only name, describe or render the feeds.
CHANGES_OUTSIDE_SELECTION = {
    "title": narrow_yaml(title="Other Wire"),
    "description": NARROW_YAML.replace("Test stories", "Other stories"),
    "formats": NARROW_YAML + "formats: [atom]\n",
    "summary_length": NARROW_YAML + "summary_length: 20\n",
    "language": NARROW_YAML + "language: ja\n",  # one whose months a date names in English or kanji: read alike
    "content": NARROW_YAML + "content: summary\n",
    "copyright": NARROW_YAML + "copyright: © Test Wire\n",
    "hub": NARROW_YAML + "hub: https://hub.example.net/\n",
    "publish_url": NARROW_YAML.replace("/feeds/", "/syndication/"),
    "named feed's title": NARROW_YAML.replace("  - name: sport\n", "  - name: sport\n    title: Sport and weather\n"),
}


@pytest.fixture(autouse=True)
def trust_fresh_files(monkeypatch):
    """Files written by a test are seconds old; trust their stat as if they were older."""
    monkeypatch.setattr(cache, "RACY_WINDOW_NS", 0)


@pytest.fixture
def narrow(make_site, monkeypatch):
    monkeypatch.setattr(incremental, "MARGIN", 0)
    root = make_site(MORE_ENTRIES, site_yaml=NARROW_YAML)
    assert build_site(root, now=NOW).files_parsed == len(MORE_ENTRIES)
    return root


def selecting_from_every_entry_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    def every_entry(*args: object) -> None:
        raise AssertionError("selected from every entry")

    monkeypatch.setattr(incremental, "_select_from_all", every_entry)


def test_retitling_the_site_renders_every_feed_with_the_new_title_and_looks_at_no_entry(narrow, monkeypatch):
    (narrow / "site.yaml").write_text(NARROW_YAML.replace("Test Wire", "Other Wire"), encoding="utf-8")
    with monkeypatch.context() as patched:
        selecting_from_every_entry_refused(patched)
        again = build_site(narrow, now=NOW)
    assert again.check.ok and again.files_parsed == 0
    feed_files = [path for path in published(narrow) if path.endswith(("rss.xml", "atom.xml", "feed.json"))]
    assert len(feed_files) == 3 * len(again.feeds) and set(feed_files) <= set(again.written)
    assert all(b"Other Wire" in published(narrow)[path] and b"Test Wire" not in published(narrow)[path]
               for path in feed_files)
    assert published(narrow) == cold_build(narrow, NOW)


@pytest.mark.parametrize("site_yaml", [narrow_yaml(title="Other Wire"), NARROW_YAML.replace("Test stories", "Told")],
                         ids=["title", "description"])
def test_retitling_the_site_takes_each_feeds_items_as_published_and_renders_none(narrow, monkeypatch, site_yaml):
    documents: list[object] = []
    real = render_jobs.render_items_once
    monkeypatch.setattr(render_jobs, "render_items_once", lambda shown, *rest: documents.extend(shown) or real(shown, *rest))
    (narrow / "site.yaml").write_text(site_yaml, encoding="utf-8")
    again = build_site(narrow, now=NOW)
    assert again.check.ok and again.feeds_rendered == 3 * len(again.feeds) and documents == []
    assert published(narrow) == cold_build(narrow, NOW)


@pytest.mark.parametrize("site_yaml", CHANGES_OUTSIDE_SELECTION.values(), ids=CHANGES_OUTSIDE_SELECTION.keys())
def test_a_site_yaml_change_outside_selection_looks_at_no_entry_and_builds_what_a_cold_build_builds(
        narrow, monkeypatch, site_yaml):
    (narrow / "site.yaml").write_text(site_yaml, encoding="utf-8")
    with monkeypatch.context() as patched:
        selecting_from_every_entry_refused(patched)
        again = build_site(narrow, now=NOW)
    assert again.check.ok and again.files_parsed == 0 and again.feeds_rendered
    assert published(narrow) == cold_build(narrow, NOW)


def test_a_site_turned_from_german_to_english_reads_again_a_date_written_in_german(make_site):
    root = make_site({"items/a.yaml": entry_yaml(published='"11. Dezember 2019 09:30"')},
                     site_yaml=SITE_YAML + "language: de\n")
    assert build_site(root, now=NOW).check.ok
    (root / "site.yaml").write_text(SITE_YAML + "language: en\n", encoding="utf-8")
    assert [problem.code for problem in build_site(root, now=NOW).check.problems] == ["bad-date"]


@pytest.mark.parametrize("site_yaml", CHANGES_TO_SELECTION.values(), ids=CHANGES_TO_SELECTION.keys())
def test_a_site_yaml_change_to_selection_parses_no_entry_and_builds_what_a_cold_build_builds(narrow, site_yaml):
    (narrow / "site.yaml").write_text(site_yaml, encoding="utf-8")
    again = build_site(narrow, now=NOW)
    assert again.check.ok and again.files_parsed == 0
    assert published(narrow) == cold_build(narrow, NOW)


VALUES = {"title": st.sampled_from(["Test Wire", "Other Wire"]), "byline": st.sampled_from(["Test Desk", "Night Desk"]),
          "max_items": st.integers(1, 3), "category_feeds": st.booleans(), "author_feeds": st.booleans(),
          "archive": st.booleans(), "desk_categories": st.sampled_from(["Business, Sport", "News, Sport"]),
          "desk_excludes": st.sampled_from(["Sport", "Weather"]), "night_authors": st.sampled_from(["Night Desk", "Sam Lee"]),
          "sport_max_items": st.integers(1, 2)}
# One setting of narrow_yaml given a value, and the hours from NOW of the build that follows.
EDIT = st.sampled_from(sorted(VALUES)).flatmap(lambda name: st.tuples(st.just(name), VALUES[name]))


@settings(max_examples=30, deadline=None)
@given(steps=st.lists(st.tuples(EDIT, st.integers(0, 12)), min_size=1, max_size=4))
def test_site_yaml_edited_between_builds_builds_what_a_cold_build_builds(tmp_path_factory, steps):
    root = tmp_path_factory.mktemp("site")
    for relative, text in MORE_ENTRIES.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    chosen: dict[str, object] = {}
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(cache, "RACY_WINDOW_NS", 0)
        patched.setattr(incremental, "MARGIN", 0)
        for (name, value), hours in [(("title", "Test Wire"), 0), *steps]:
            chosen[name] = value
            (root / "site.yaml").write_text(narrow_yaml(**chosen), encoding="utf-8")
            now = NOW + timedelta(hours=hours)
            assert build_site(root, now=now).check.ok
            assert published(root) == cold_build(root, now)


class _Watched:
    """A Site that notes which of its settings are read."""

    def __init__(self, site, read: set[str]) -> None:
        self._site, self._read = site, read

    def __getattr__(self, name: str):
        self._read.add(name)
        return getattr(self._site, name)


def _site(root: Path, site_yaml: str):
    (root / "site.yaml").write_text(site_yaml, encoding="utf-8")
    site = validate_site(parse_document((root / "site.yaml").read_bytes(), "site.yaml"), root)
    assert not isinstance(site, list)
    return site


def test_reading_an_entry_reads_only_the_settings_its_cache_key_names(make_site):
    """What keys the cached entries (cache.reading_settings) must be all validate_entry reads."""
    root = make_site()
    site = _site(root, SITE_YAML + "slugs: ascii\ncategories:\n  News: {slug: headlines}\n")
    read: set[str] = set()
    entry = validate_entry(parse_document(SEED.encode(), "items/seed.yaml"), _Watched(site, read))
    assert isinstance(entry, Entry) and entry.categories
    assert read <= {"link", "timezone", "language", "slugs", "categories"}  # timezone as timezone_name names it
    read.clear()
    prepare_item(replace(entry, summary=None), entry.body, _Watched(site, read))
    assert read <= {"summary_length", "language", "authors"}  # cache.item_settings


def test_selecting_reads_only_the_settings_the_selections_key_names(make_site):
    """What keys the selection (cache.selection_settings, with reading_settings) must be all
    shortlist and history read."""
    root = make_site()
    site = _site(root, NARROW_YAML.replace("false", "true") + "slugs: ascii\ncategories:\n  News: {slug: headlines}\n")
    entry = validate_entry(parse_document(SEED.encode(), "items/seed.yaml"), site)
    assert isinstance(entry, Entry)
    facts = [(entry.source, facts_of(entry)), ("items/other.yaml", facts_of(replace(entry, authors=())))]
    read: set[str] = set()
    assert shortlist(facts, _Watched(site, read), microseconds(NOW)).paths
    assert history(facts, _Watched(site, read), microseconds(NOW))
    assert read <= {"max_items", "category_feeds", "author_feeds", "archive", "authors", "feeds",  # selection_settings
                    "slugs", "categories"}  # reading_settings


def test_the_cache_is_keyed_on_every_runtime_requirement_but_watchfiles_and_what_they_need():
    from importlib.metadata import requires

    from feeds.cache_keys import OUTPUT_DISTRIBUTIONS

    def needs(distribution: str) -> set[str]:
        return {re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].lower().replace("-", "_").replace(".", "_")
                for requirement in requires(distribution) or () if "extra ==" not in requirement}

    wanted, todo = set(), sorted(needs("feeds") - {"watchfiles"})
    while todo:
        if (name := todo.pop()) not in wanted:
            wanted.add(name)
            todo += needs(name)
    assert wanted == OUTPUT_DISTRIBUTIONS


@pytest.mark.parametrize("installed, stale", [("boto3-1.40.0.dist-info", False), ("lxml-99.0.dist-info", True),
                                              ("PyYAML-99.0.dist-info", True)])
def test_installing_a_distribution_makes_the_cache_stale_only_if_the_output_depends_on_it(
        tmp_path, monkeypatch, installed, stale):
    from feeds.cache_keys import tool_key

    before = tool_key()
    (tmp_path / "site-packages" / installed).mkdir(parents=True)
    monkeypatch.syspath_prepend(str(tmp_path / "site-packages"))
    assert (tool_key() != before) is stale


def _tool_key_of(package_copy: Path) -> str:
    """tool_key as the copy of feeds at `package_copy` (a folder holding `feeds/`) computes it."""
    code = "from feeds.cache_keys import tool_key; print(tool_key().hex())"
    return subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(package_copy)},
                          cwd=package_copy, capture_output=True, text=True, check=True).stdout  # not a checkout's feeds/


def test_the_same_release_in_another_environment_keeps_the_cache_and_an_edited_one_does_not(tmp_path):
    import feeds

    source = Path(feeds.__file__).parent
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(source, tmp_path / "venv-a" / "feeds", ignore=ignore)
    shutil.copytree(source, tmp_path / "venv-b" / "feeds", ignore=ignore)
    for module in (tmp_path / "venv-b" / "feeds").rglob("*.py"):
        os.utime(module, (1_000_000_000, 1_000_000_000))  # installed at another moment
    assert _tool_key_of(tmp_path / "venv-a") == _tool_key_of(tmp_path / "venv-b")
    edited = tmp_path / "venv-b" / "feeds" / "select.py"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert _tool_key_of(tmp_path / "venv-a") != _tool_key_of(tmp_path / "venv-b")
