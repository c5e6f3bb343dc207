"""The build cache (.feeds/cache/): a rebuild reuses what did not change, and its output is
always byte for byte what a build with no cache writes."""

from __future__ import annotations

import importlib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from feeds import cache, cache_items, cache_records, validate
from feeds.build import build_site, check_site, incremental, parse, rebuild, render_jobs
from feeds.feed_kinds import facts_of
from feeds.load import parse_document
from feeds.model import Author, Entry, Item, microseconds
from feeds.render import index_page
from feeds.select import next_change, select_feeds, shortlist
from feeds.validate_site import validate_site

from .conftest import SITE_YAML, entry_yaml
from .test_simple_yaml import field

scan_module = importlib.import_module("feeds.build.scan")  # the module, not the function feeds.build exports

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)
ENTRIES = {
    "items/2020/a.yaml": entry_yaml(title="Storm closes ports", link="/a", published="2020-02-20 09:00",
                                    categories="[News, Middle East]", body="'Ports *shut* along the coast tonight. [More](/more)'",
                                    author="[Jo Byrne, Sam Lee]"),
    "items/2020/b.yaml": entry_yaml(title="Markets steady", link="/b", published="2020-02-21 10:00",
                                    categories="[Business]", expires="2025-06-01", author="jo byrne"),
    "items/2021/c.yaml": entry_yaml(title="Oil slips", link="/c", published="2021-03-01 08:00",
                                    categories="[business, News]"),
    "items/2025/d.yaml": entry_yaml(title="Scheduled", link="/d", published="2026-01-01 12:00",
                                    categories="[Sport]"),
}


@pytest.fixture(autouse=True)
def trust_fresh_files(monkeypatch):
    """Files written by a test are seconds old; trust their stat as if they were older."""
    monkeypatch.setattr(cache, "RACY_WINDOW_NS", 0)


def published(root: Path) -> dict[str, bytes]:
    out = root / "publish"
    return {path.relative_to(out).as_posix(): path.read_bytes() for path in sorted(out.rglob("*")) if path.is_file()}


def cold_build(root: Path, now: datetime) -> dict[str, bytes]:
    """What a build with no cache writes for the same entries: in a copy of the site with
    its publish folder and the manifest of what was published there (feeds of vanished
    categories stay) but nothing else of .feeds/."""
    fresh = root.parent / f"cold-{root.name}"
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(root, fresh, ignore=_all_but_the_manifest)
    assert build_site(fresh, now=now).check.ok
    return published(fresh)


def _all_but_the_manifest(folder: str, names: list[str]) -> list[str]:
    return [name for name in names if Path(folder).name == ".feeds" and name != "manifest.json"]


def write(root: Path, relative: str, text: str, age: int = 0) -> None:
    """Write a file with a distinct mtime, as an editor saving it `age` seconds ago would."""
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    moment = NOW.timestamp() - age
    os.utime(path, (moment, moment))


# Named feeds (one of summaries, one cut short) and author feeds: every rebuild below must
# build them as a cold build does, too.
KINDS_YAML = SITE_YAML + """\
author_feeds: true
feeds:
  - name: desk
    categories: [News]
    authors: [Sam Lee]
    exclude_categories: [Sport]
    max_items: 1
    content: summary
  - name: all
    authors: [Test Desk]
"""


@pytest.fixture(params=["plain", "named and author feeds"])
def built(make_site, request):
    root = make_site(ENTRIES, site_yaml=SITE_YAML if request.param == "plain" else KINDS_YAML)
    first = build_site(root, now=NOW)
    assert first.check.ok and first.files_parsed == 4
    return root


def test_a_rebuild_with_nothing_changed_parses_and_renders_nothing(built):
    again = build_site(built, now=NOW)
    assert (again.files_parsed, again.feeds_rendered, again.written) == (0, 0, ())
    assert again.items_published == 2 and len(again.check.entries) == 4
    assert len(again.feeds) == len(build_site(built, now=NOW).feeds) >= 4


def test_an_edit_parses_only_the_edited_file_and_builds_what_a_cold_build_builds(built):
    write(built, "items/2020/a.yaml", entry_yaml(title="Storm closes every port", link="/a",
                                                 published="2020-02-20 09:00", categories="[News]"))
    again = build_site(built, now=NOW)
    assert again.files_parsed == 1 and again.written
    assert published(built) == cold_build(built, NOW)


def kept_rows(root: Path) -> dict[str, set[tuple[str, bytes]]]:
    """The entry keys (path, stat key) of the items and of the renders .feeds/cache/ keeps."""
    with closing(sqlite3.connect(root / ".feeds/cache" / cache_items.FILE)) as database:
        return {table: set(database.execute(f"SELECT path, stat FROM {table}")) for table in ("items", "renders")}


def test_an_edit_replaces_in_the_cache_only_the_edited_entrys_item_and_renders(built):
    before = kept_rows(built)
    write(built, "items/2020/a.yaml", entry_yaml(title="Storm closes every port", link="/a",
                                                 published="2020-02-20 09:00", categories="[News]"))
    build_site(built, now=NOW)
    after = kept_rows(built)
    for table in ("items", "renders"):
        assert {path for path, _ in before[table] ^ after[table]} == {"items/2020/a.yaml"}


def test_an_edit_reads_from_the_cache_only_the_items_of_the_feeds_it_renders_again(make_site, monkeypatch):
    """The site's feed shows only the newest story (max_items: 1): editing an older one in
    News renders News's files again, and reads none of the newest story's renders; only its
    item, which the top page (the site-wide feed's page, rendered again for News's new
    headline) lists."""
    root = make_site({"items/old.yaml": entry_yaml(title="Storm", link="/old", categories="[News]"),
                      "items/new.yaml": entry_yaml(title="Oil", link="/new", published="2021-03-01 08:00",
                                                   categories="[Business]", body="Oil *slips*.")},
                     site_yaml=SITE_YAML + "max_items: 1\n")
    assert build_site(root, now=NOW).check.ok
    asked: dict[str, list[str]] = {"items": [], "renders": []}

    def spying(read, table):
        def spied(store, keys):
            keys = list(keys)
            asked[table].extend(key[0] if len(key) == 2 else key[1] for key in keys)
            return read(store, keys)
        return spied

    monkeypatch.setattr(cache_items.ItemStore, "items", spying(cache_items.ItemStore.items, "items"))
    monkeypatch.setattr(cache_items.ItemStore, "renders", spying(cache_items.ItemStore.renders, "renders"))
    write(root, "items/old.yaml", entry_yaml(title="Storm, later", link="/old", categories="[News]"))
    assert build_site(root, now=NOW).written
    assert set(asked["renders"]) == {"items/old.yaml"}
    assert set(asked["items"]) == {"items/old.yaml", "items/new.yaml"}
    assert published(root) == cold_build(root, NOW)


def test_the_index_page_is_rendered_again_only_when_what_it_lists_changes(make_site, monkeypatch):
    """It lists every story of the site's feed (here the five newest: max_items) and the three
    newest of each other feed; the named feed shows all seven."""
    stories = {f"items/{n}.yaml": entry_yaml(title=f"Story {n}", link=f"/{n}", published=f"2020-02-2{n} 09:00",
                                             categories="[News]") for n in range(1, 8)}
    root = make_site(stories, site_yaml=SITE_YAML + "max_items: 5\nfeeds:\n  - name: everything\n    max_items: 50\n")
    assert build_site(root, now=NOW).check.ok
    renders: list[int] = []
    real = index_page.render
    monkeypatch.setattr(index_page, "render", lambda site, feeds: renders.append(1) or real(site, feeds))
    write(root, "items/1.yaml", entry_yaml(title="Story 1, corrected", link="/1", published="2020-02-21 09:00",
                                           categories="[News]"))
    assert build_site(root, now=NOW).feeds_rendered and renders == []
    write(root, "items/7.yaml", entry_yaml(title="Story 7, corrected", link="/7", published="2020-02-27 09:00",
                                           categories="[News]"))
    assert "index.html" in build_site(root, now=NOW).written and renders == [1]
    assert published(root) == cold_build(root, NOW)


def test_a_small_site_renders_the_bodies_it_parsed_without_reading_a_file_again(make_site, monkeypatch):
    root = make_site(ENTRIES)
    read_again = []
    monkeypatch.setattr(render_jobs, "validate_entry_file", lambda *args: read_again.append(args[2]))
    assert build_site(root, now=NOW).check.ok
    assert read_again == []


def test_bodies_read_again_for_a_site_too_big_to_keep_them_give_the_same_feeds(make_site, monkeypatch):
    kept = published(built_at(make_site(ENTRIES, name="small"), NOW))
    monkeypatch.setattr(parse, "BODIES_KEPT_BYTES", 0)
    read_again = []
    read = render_jobs.body_read_again
    monkeypatch.setattr(render_jobs, "body_read_again", lambda *args: read_again.append(args[1]) or read(*args))
    assert published(built_at(make_site(ENTRIES, name="big"), NOW)) == kept
    assert read_again


def test_a_body_read_again_is_not_checked_again_when_its_file_is_as_it_was_checked(make_site, monkeypatch):
    monkeypatch.setattr(parse, "BODIES_KEPT_BYTES", 0)
    root = make_site(ENTRIES)
    checked = []
    check = validate.validate_entry
    monkeypatch.setattr(validate, "validate_entry", lambda doc, site: checked.append(doc.path) or check(doc, site))
    assert build_site(root, now=NOW).check.ok
    assert sorted(checked) == sorted(ENTRIES)


def test_a_file_changed_since_it_was_checked_is_checked_whole_before_its_body_is_rendered(make_site):
    root = make_site(ENTRIES)
    shown = "items/2020/a.yaml"
    key = scan_module.stat_key(os.stat(root / shown))
    site = validate_site(parse_document((root / "site.yaml").read_bytes(), "site.yaml"), root)
    assert parse.body_read_again(site, shown, key) == "Ports *shut* along the coast tonight. [More](/more)"
    write(root, shown, entry_yaml(title="Storm closes ports", link="/a", published="2020-02-20 09:00",
                                  body="Ports reopen."))
    assert parse.body_read_again(site, shown, key) == "Ports reopen."
    write(root, shown, "title: [broken\n")
    problems = parse.body_read_again(site, shown, key)
    assert isinstance(problems, list) and problems[0].path == shown


def built_at(root: Path, now: datetime) -> Path:
    assert build_site(root, now=now).check.ok
    return root


def test_an_edit_that_keeps_the_size_is_seen(built):
    text = (built / "items/2021/c.yaml").read_text(encoding="utf-8")
    write(built, "items/2021/c.yaml", text.replace("Oil slips", "Oil rises"), age=-5)
    build_site(built, now=NOW)
    assert published(built) == cold_build(built, NOW)


def test_an_addition_builds_what_a_cold_build_builds(built):
    write(built, "items/2021/e.yaml", entry_yaml(title="New story", link="/e", published="2021-05-05 05:05",
                                                 categories="[Business, Weather]"))
    assert build_site(built, now=NOW).files_parsed == 1
    assert published(built) == cold_build(built, NOW)


def test_a_deletion_builds_what_a_cold_build_builds(built):
    (built / "items/2021/c.yaml").unlink()
    assert build_site(built, now=NOW).files_parsed == 0
    assert published(built) == cold_build(built, NOW)


def test_a_rename_builds_what_a_cold_build_builds(built):
    (built / "items/2021/c.yaml").rename(built / "items/2020/c-renamed.yaml")
    build_site(built, now=NOW)
    assert published(built) == cold_build(built, NOW)


# site.yaml changes that leave every entry read as it was: the feeds they change are made again, no entry is parsed.
CHANGES_OUTSIDE_READING = {
    "title": SITE_YAML.replace("Test Wire", "Other Wire"),
    "description": SITE_YAML.replace("Test stories", "Other stories"),
    "max_items": SITE_YAML + "max_items: 1\n",
    "formats": SITE_YAML + "formats: [atom]\n",
    "category_feeds": SITE_YAML + "category_feeds: false\n",
    "summary_length": SITE_YAML + "summary_length: 20\n",
    "byline": SITE_YAML.replace("Test Desk", "Night Desk"),
    "language": SITE_YAML + "language: ja\n",  # its dates name months in English or kanji, as English's do
    "content": SITE_YAML + "content: summary\n",
    "category titles": SITE_YAML + "categories:\n  News: {title: All the news}\n",
    "named feeds": SITE_YAML + "feeds:\n  - name: desk\n    categories: News\n",
    "on_invalid": SITE_YAML + "on_invalid: stop\n",
    "hub": SITE_YAML + "hub: https://hub.example.net/\n",
    "publish_url": SITE_YAML.replace("/feeds/", "/syndication/"),
}
# ...and those that change how entries are read: every entry is parsed again.
CHANGES_TO_READING = {
    "timezone": SITE_YAML.replace("Europe/Istanbul", "Asia/Tokyo"),
    "link": SITE_YAML.replace("link: https://news.example.com/", "link: https://www.example.org/news/"),
    "slugs": SITE_YAML + "slugs: ascii\n",
    "category folder": SITE_YAML + "categories:\n  News: {slug: headlines}\n",
}


@pytest.mark.parametrize("site_yaml", CHANGES_OUTSIDE_READING.values(), ids=CHANGES_OUTSIDE_READING.keys())
def test_a_site_yaml_change_outside_reading_parses_no_entry_and_builds_what_a_cold_build_builds(built, site_yaml):
    (built / "site.yaml").write_text(site_yaml, encoding="utf-8")
    again = build_site(built, now=NOW)
    assert again.check.ok and again.files_parsed == 0
    assert published(built) == cold_build(built, NOW)


def test_a_retitle_shortlists_no_entry_again_and_builds_what_a_cold_build_builds(built, monkeypatch):
    retitle(built)
    monkeypatch.setattr(rebuild, "shortlist", lambda *args: pytest.fail("shortlisted the same entries again"))
    build_site(built, now=NOW)
    monkeypatch.undo()
    assert b"<title>Retitled Wire</title>" in (built / "publish/rss.xml").read_bytes()
    assert published(built) == cold_build(built, NOW)


def test_an_edit_that_leaves_what_selection_reads_shortlists_no_entry_again_and_builds_what_a_cold_build_builds(
        built, monkeypatch):
    text = (built / "items/2021/c.yaml").read_text(encoding="utf-8")
    write(built, "items/2021/c.yaml", text.replace("Oil slips", "Oil rises"), age=-5)
    monkeypatch.setattr(rebuild, "shortlist", lambda *args: pytest.fail("shortlisted entries that read as they did"))
    assert build_site(built, now=NOW).files_parsed == 1
    monkeypatch.undo()
    assert "Oil rises" in (built / "publish/rss.xml").read_text(encoding="utf-8")
    assert published(built) == cold_build(built, NOW)


def test_an_edit_to_what_selection_reads_shortlists_again_and_builds_what_a_cold_build_builds(built, monkeypatch):
    text = (built / "items/2021/c.yaml").read_text(encoding="utf-8")
    write(built, "items/2021/c.yaml", text.replace("[business, News]", "[Sport]"), age=-5)
    calls = []
    monkeypatch.setattr(rebuild, "shortlist", lambda *args: calls.append(args) or shortlist(*args))
    build_site(built, now=NOW)
    assert len(calls) == 1
    assert published(built) == cold_build(built, NOW)


def test_an_edit_after_a_retitle_shortlists_again_and_builds_what_a_cold_build_builds(built):
    retitle(built)
    build_site(built, now=NOW)
    write(built, "items/2021/n.yaml", entry_yaml(title="New", link="/n", published="2021-06-01 09:00",
                                                 categories="[News]"))
    assert build_site(built, now=NOW).files_parsed == 1
    assert published(built) == cold_build(built, NOW)


def retitle(root: Path) -> None:
    site_yaml = root / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8").replace("Test Wire", "Retitled Wire"), encoding="utf-8")


def test_a_site_yaml_change_to_one_named_feed_renders_that_feed_and_the_index_alone(make_site):
    root = make_site(ENTRIES, site_yaml=KINDS_YAML)
    build_site(root, now=NOW)
    (root / "site.yaml").write_text(KINDS_YAML.replace("  - name: desk\n", "  - name: desk\n    title: Desk picks\n"),
                                    encoding="utf-8")
    again = build_site(root, now=NOW)
    assert again.feeds_rendered == 3  # desk's three formats: no other feed's files were put together again
    assert sorted(again.written) == ["desk/atom.xml", "desk/feed.json", "desk/index.html", "desk/rss.xml", "index.html"]
    assert published(root) == cold_build(root, NOW)


@pytest.mark.parametrize("site_yaml", CHANGES_TO_READING.values(), ids=CHANGES_TO_READING.keys())
def test_a_site_yaml_change_to_reading_parses_every_entry_and_builds_what_a_cold_build_builds(built, site_yaml):
    (built / "site.yaml").write_text(site_yaml, encoding="utf-8")
    assert build_site(built, now=NOW).files_parsed == 4
    assert published(built) == cold_build(built, NOW)


def test_switching_to_ascii_slugs_reads_again_which_spellings_an_entry_keeps(make_site):
    root = make_site({"items/a.yaml": entry_yaml(categories="[Météo, Meteo]")})
    build_site(root, now=NOW)
    (root / "site.yaml").write_text(SITE_YAML + "slugs: ascii\n", encoding="utf-8")
    assert build_site(root, now=NOW).check.entries[0].categories == ("Météo",)
    assert published(root) == cold_build(root, NOW)


def test_site_yaml_changed_back_and_forth_builds_what_a_cold_build_builds(built):
    for site_yaml in (*CHANGES_TO_READING.values(), *CHANGES_OUTSIDE_READING.values(), SITE_YAML):
        (built / "site.yaml").write_text(site_yaml, encoding="utf-8")
        assert build_site(built, now=NOW).check.ok
        assert published(built) == cold_build(built, NOW)


def test_a_clock_past_a_scheduled_entry_builds_what_a_cold_build_builds(built):
    later = NOW + timedelta(hours=10)  # Scheduled is due at 09:00 UTC
    again = build_site(built, now=later)
    assert again.items_published == 3 and again.feeds_rendered
    assert published(built) == cold_build(built, later)


def test_a_clock_that_crosses_nothing_changes_nothing(built):
    again = build_site(built, now=NOW + timedelta(hours=8))
    assert (again.files_parsed, again.feeds_rendered, again.written) == (0, 0, ())


def test_a_clock_set_back_before_an_expiry_builds_what_a_cold_build_builds(built):
    earlier = datetime(2025, 1, 1, tzinfo=timezone.utc)
    build_site(built, now=earlier)
    assert published(built) == cold_build(built, earlier)


def test_a_deleted_output_file_is_written_again(built):
    (built / "publish/categories/news/atom.xml").unlink()
    again = build_site(built, now=NOW)
    assert again.written == ("categories/news/atom.xml",)
    assert published(built) == cold_build(built, NOW)


def test_a_deleted_cache_changes_nothing(built):
    before = published(built)
    shutil.rmtree(built / ".feeds/cache")
    again = build_site(built, now=NOW)
    assert (again.files_parsed, again.written, published(built)) == (4, (), before)


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty"])
def test_a_damaged_cache_is_rebuilt_silently_and_changes_nothing(built, damage):
    before = published(built)
    for path in (built / ".feeds/cache").iterdir():
        data = path.read_bytes()
        path.write_bytes({"truncate": data[: len(data) // 2], "garbage": os.urandom(len(data)), "empty": b""}[damage])
    write(built, "items/2021/e.yaml", entry_yaml(title="New story", link="/e", published="2021-05-05 05:05"))
    again = build_site(built, now=NOW)
    assert again.check.ok and again.files_parsed == 5
    assert published(built) == cold_build(built, NOW) != before



def test_a_pipe_in_place_of_a_state_file_is_read_as_damaged_not_waited_on_for_ever(built):
    """A pipe opened to read waits for a writer: the build held the site's lock for ever."""
    before = published(built)
    state = [path for path in (built / ".feeds").rglob("*")
             if path.is_file() and path.name not in ("lock", cache_items.FILE)]
    for path in state:
        path.unlink()
        os.mkfifo(path)
    os.mkfifo(built / ".feeds/cache" / f"{cache_items.FILE}-journal")  # beside a sound items file: SQLite opens it
    write(built, "items/2021/e.yaml", entry_yaml(title="New story", link="/e", published="2021-05-05 05:05"))
    run = subprocess.run([sys.executable, "-m", "feeds", "build", str(built), "--now", NOW.isoformat()],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stderr.startswith(".feeds/manifest.json:1:1: warning: expected the record of the files feeds wrote, "
                                 "found one it cannot read; the next build that publishes writes it anew")
    assert published(built) == cold_build(built, NOW) != before


@pytest.mark.parametrize("damage", [
    "UPDATE items SET fields = x'00'",
    "UPDATE renders SET data = CAST(REPLACE(CAST(data AS TEXT), 'Storm', 'Sturm') AS BLOB)",
], ids=["an item row that cannot be unpickled", "a render row whose bytes changed"])
def test_a_row_damaged_in_the_items_file_is_made_again(built, damage):
    """SQLite checks its pages' structure, not the bytes they hold: each row carries its checksum."""
    with closing(sqlite3.connect(built / ".feeds/cache" / cache_items.FILE)) as database, database:
        database.execute(damage)
    write(built, "items/2021/e.yaml", entry_yaml(title="New story", link="/e", published="2021-05-05 05:05"))
    assert build_site(built, now=NOW).check.ok
    assert published(built) == cold_build(built, NOW)


def test_a_cache_left_half_written_by_a_crash_changes_nothing(built):
    (built / ".feeds/cache/.state.tmp").write_bytes(b"feeds-cache-1\n half")
    state = built / ".feeds/cache/state"
    state.write_bytes(state.read_bytes()[:-7])
    assert build_site(built, now=NOW).check.ok
    assert published(built) == cold_build(built, NOW)


def test_an_invalid_entry_is_reported_by_every_build_and_check(built):
    write(built, "items/2021/bad.yaml", entry_yaml(link="/bad", published="Feb 30 2020"))
    for _ in range(2):
        assert [problem.code for problem in build_site(built, now=NOW).check.problems] == ["bad-date"]
        assert [problem.code for problem in check_site(built).problems] == ["bad-date"]


def test_check_reads_unchanged_entries_from_the_cache(built):
    result = check_site(built)
    assert result.ok and sorted(entry.title for entry in result.entries) == [
        "Markets steady", "Oil slips", "Scheduled", "Storm closes ports"]


def test_files_changed_just_before_a_build_are_parsed_again_by_the_next(make_site, monkeypatch):
    """A second change within the same timestamp tick would not show in the stat."""
    monkeypatch.setattr(cache, "RACY_WINDOW_NS", 10**18)  # every file is too new to trust
    root = make_site(ENTRIES)
    assert [build_site(root, now=NOW).files_parsed for _ in range(2)] == [4, 4]



def test_an_entry_saved_twice_in_one_timestamp_tick_is_published_as_saved_last(make_site, monkeypatch):
    """Where file times have whole seconds, two saves in one second at one size give one stat
    key: the build after the second save publishes that version, not the first."""
    real_stat_keys = scan_module.stat_keys
    second = (time.time_ns() // 10**9 - 5) * 10**9  # both saves' mtime and ctime

    def one_second_ticks(paths, recent):
        packed, missing, changed = real_stat_keys(paths, recent)
        keys = [cache.STAT_KEY.unpack_from(packed, start) for start in range(0, len(packed), cache.STAT_KEY.size)]
        return b"".join(cache.STAT_KEY.pack(size, second, second, inode) for size, _, _, inode in keys), missing, changed

    monkeypatch.setattr(scan_module, "stat_keys", one_second_ticks)
    root = make_site({"items/a.yaml": entry_yaml(title="Draft text", body="Draft one.")})
    monkeypatch.setattr(cache, "RACY_WINDOW_NS", 10**18)  # just saved: too new to trust
    assert build_site(root, now=NOW).check.ok
    (root / "items/a.yaml").write_text(entry_yaml(title="Final text", body="Final one."), encoding="utf-8")
    monkeypatch.setattr(cache, "RACY_WINDOW_NS", 0)  # a second later
    assert build_site(root, now=NOW).check.ok
    assert published(root) == cold_build(root, NOW)

MOMENTS = st.integers(0, 12).map(lambda hour: NOW + timedelta(hours=hour - 6))


@st.composite
def entries(draw):
    """Entries whose times cluster around NOW, with drafts, expiries and category spellings
    (and ids in no particular order, all different: a build with a duplicate stops before selection)."""
    made = []
    for number in range(draw(st.integers(0, 14))):
        published = draw(MOMENTS)
        expires = draw(st.none() | st.integers(1, 8).map(lambda hours, published=published: published + timedelta(hours=hours)))
        names = draw(st.lists(st.sampled_from(["News", "news", "NEWS!", "Sport", "Λέσβος"]), max_size=3, unique=True))
        bylines = draw(st.lists(st.sampled_from(["Jo Byrne", "jo byrne", "Sam Lee", "Test Desk"]), max_size=2,
                                unique=True))
        made.append(Entry(source=f"items/{number}.yaml", id=f"https://x.example/{(number * 7) % 15}",
                          title="t", link="https://x.example/", published=published, expires=expires,
                          categories=tuple(names), authors=tuple(Author(name) for name in bylines),
                          draft=draw(st.booleans()), summary="s"))
    return made


NAMED_FEEDS = st.sampled_from(["", "feeds:\n  - {name: desk, categories: [news], max_items: 1}\n",
                               "feeds:\n  - {name: desk, authors: [test desk], exclude_categories: [Sport]}\n"
                               "  - {name: sam, authors: [Sam Lee], max_items: 2}\n"])


@settings(max_examples=300, deadline=None)
@given(entries(), st.integers(1, 3), st.booleans(), st.booleans(), NAMED_FEEDS, MOMENTS, MOMENTS)
def test_selecting_from_the_shortlist_is_selecting_from_all(made, max_items, category_feeds, author_feeds, named,
                                                            now, other):
    site_yaml = (SITE_YAML + f"max_items: {max_items}\ncategory_feeds: {str(category_feeds).lower()}\n"
                 f"author_feeds: {str(author_feeds).lower()}\n" + named)
    site = _site(site_yaml)
    facts = [(entry.source, facts_of(entry)) for entry in made]
    short = shortlist(facts, site, microseconds(now))
    chosen = [entry for entry in made if entry.source in short.paths]
    assert select_feeds(chosen, site, now) == select_feeds(made, site, now)
    assert next_change(chosen, now) == next_change(made, now)
    assert short.live == sum(1 for entry in made if not entry.draft and entry.published <= now
                                 and (entry.expires is None or now < entry.expires))
    if (short.valid_from or 0) <= microseconds(other) < (short.valid_until or 1 << 62):
        assert select_feeds(made, site, other) == select_feeds(made, site, now)


def _site(text: str):
    site = validate_site(parse_document(text.encode(), "site.yaml"), Path("."))
    assert not isinstance(site, list)
    return site


def test_a_category_keeps_the_spelling_that_sorts_first_though_its_entry_is_not_shown(make_site):
    root = make_site({"items/old.yaml": entry_yaml(link="/old", published="2020-01-01 00:00", categories="[NEWS]"),
                      "items/new.yaml": entry_yaml(link="/new", published="2021-01-01 00:00", categories="[news]")},
                     site_yaml=SITE_YAML + "max_items: 1\n")
    build_site(root, now=NOW)
    write(root, "items/newer.yaml", entry_yaml(link="/newer", published="2022-01-01 00:00", categories="[news]"))
    build_site(root, now=NOW)
    assert b"<title>Test Wire: NEWS</title>" in (root / "publish/categories/news/rss.xml").read_bytes()
    assert published(root) == cold_build(root, NOW)


def test_a_category_respelt_in_site_yaml_is_renamed_as_a_cold_build_names_it(make_site):
    root = make_site({"items/a.yaml": entry_yaml(categories="[NEWS]")},
                     site_yaml=SITE_YAML + "categories: {news: {description: The news}}\n")
    build_site(root, now=NOW)
    write(root, "site.yaml", SITE_YAML + "categories: {News: {description: The news}}\n")
    build_site(root, now=NOW)
    assert b"<title>Test Wire: News</title>" in (root / "publish/categories/news/rss.xml").read_bytes()
    assert published(root) == cold_build(root, NOW)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(entries(), entries(), st.integers(1, 3), st.integers(0, 4), NAMED_FEEDS, MOMENTS, st.data())
def test_a_shortlist_with_spare_still_selects_after_that_many_changes(made, new, max_items, spare, named, now, data):
    """What a build keeps (a shortlist with `spare`) less the entries changed or gone, plus
    the new ones, selects what all of the entries after the change select."""
    site = _site(SITE_YAML + f"max_items: {max_items}\nauthor_feeds: true\n" + named)
    facts = [(entry.source, facts_of(entry)) for entry in made]
    kept = shortlist(facts, site, microseconds(now), spare).paths
    gone = set(data.draw(st.permutations(kept))[:spare])  # the worst to lose: kept ones
    added = [replace(entry, source=f"items/new-{entry.source}", id=entry.id + "/new")
             for entry in new[: data.draw(st.integers(0, 2))]]
    after = [entry for entry in made if entry.source not in gone] + added
    chosen = [entry for entry in after if entry.source in kept] + added
    assert select_feeds(chosen, site, now) == select_feeds(after, site, now)
    assert next_change(chosen, now) == next_change(after, now)


def test_many_small_rebuilds_in_a_row_each_build_what_a_cold_build_builds(built):
    for number in range(6):
        write(built, f"items/2021/n{number}.yaml", entry_yaml(title=f"New {number}", link=f"/n{number}",
                                                            published=f"2021-0{number + 1}-01 09:00",
                                                            categories="[News, Sport]"), age=-number)
        if number % 2:
            (built / f"items/2021/n{number - 1}.yaml").unlink()
        assert build_site(built, now=NOW).files_parsed == 1
        assert published(built) == cold_build(built, NOW)


def test_an_edit_that_makes_two_ids_alike_is_reported(built):
    write(built, "items/2021/c.yaml", entry_yaml(title="Oil slips", link="/a", published="2021-03-01 08:00"), age=-3)
    assert [problem.code for problem in build_site(built, now=NOW).check.problems] == ["duplicate-id"]


def test_a_shortlist_with_spare_keeps_spare_entries_of_a_rare_spelling():
    site = _site(SITE_YAML + "max_items: 1\n")
    made = [Entry(source=f"items/{name}.yaml", id=f"https://x.example/{name}", title="t", link="https://x.example/",
                  published=NOW - timedelta(hours=hours), categories=(spelling,), summary="s")
            for name, hours, spelling in [("a", 5, "NEWS"), ("b", 4, "NEWS"), ("c", 3, "news"), ("d", 2, "news"),
                                          ("e", 1, "news")]]
    facts = [(entry.source, facts_of(entry)) for entry in made]
    kept = shortlist(facts, site, microseconds(NOW), spare=1).paths
    after = made[1:]  # a goes: b still names the feed NEWS
    assert select_feeds([entry for entry in after if entry.source in kept], site, NOW) == select_feeds(after, site, NOW)


def test_a_small_change_is_built_from_the_last_selection_not_from_every_entry(built, monkeypatch):
    def every_entry(*args: object) -> None:
        raise AssertionError("selected from every entry")

    with monkeypatch.context() as patched:
        patched.setattr(incremental, "_select_from_all", every_entry)
        write(built, "items/2020/a.yaml", entry_yaml(title="Storm closes every port", link="/a",
                                                     published="2020-02-20 09:00", categories="[Sport]"))
        (built / "items/2021/c.yaml").unlink()
        assert build_site(built, now=NOW).files_parsed == 1
    assert published(built) == cold_build(built, NOW)


def test_an_edit_after_a_retitle_is_built_from_the_selection_the_retitle_kept(built, monkeypatch):
    site_yaml = built / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8").replace("Test Wire", "Other Wire"), encoding="utf-8")
    assert build_site(built, now=NOW).files_parsed == 0
    with monkeypatch.context() as patched:
        patched.setattr(incremental, "_select_from_all", lambda *args: pytest.fail("selected from every entry"))
        write(built, "items/2020/a.yaml", entry_yaml(title="Storm closes every port", link="/a",
                                                     published="2020-02-20 09:00", categories="[Sport]"))
        assert build_site(built, now=NOW).files_parsed == 1
    assert published(built) == cold_build(built, NOW)


def test_after_a_failed_build_the_next_builds_what_a_cold_build_builds(built):
    write(built, "items/2020/a.yaml", entry_yaml(title="Edited", link="/a", published="2020-02-20 09:00",
                                                 categories="[Weather]"))
    write(built, "items/2021/bad.yaml", entry_yaml(link="/bad", published="Feb 30 2020"))
    assert not build_site(built, now=NOW).check.ok
    (built / "items/2021/bad.yaml").unlink()
    assert build_site(built, now=NOW).check.ok
    assert published(built) == cold_build(built, NOW)


def test_a_cold_build_shared_with_a_worker_leaves_a_cache_the_next_build_reads_whole(make_site):
    """Past PARALLEL_THRESHOLD files, each bucket of the cache is written by the process that parsed it."""
    count = parse.PARALLEL_THRESHOLD + 200
    root = make_site({f"items/{number // 100}/{number}.yaml": entry_yaml(
        title=f"Story {number}", link=f"/{number}", published=f"2020-02-{1 + number % 28:02d} 09:00",
        categories=f"[Desk {number % 7}]") for number in range(count)})
    assert build_site(root, now=NOW).files_parsed == count
    assert len(list((root / ".feeds" / "cache").glob("entries-*"))) == cache.BUCKETS
    again = build_site(root, now=NOW)
    assert (again.files_parsed, again.written) == (0, ())
    write(root, "items/3/300.yaml", entry_yaml(title="Story 300, corrected", link="/300", published="2020-03-01 09:00",
                                                categories="[Desk 6]"))
    edited = build_site(root, now=NOW)
    assert edited.files_parsed == 1 and edited.written
    assert published(root) == cold_build(root, NOW)



def test_a_build_over_every_entry_holds_the_bytes_only_of_the_entries_it_can_show(make_site):
    """Selecting reads Facts alone: every other record is light, its entry's bytes left in the cache."""
    root = make_site({f"items/{number}.yaml": entry_yaml(title=f"Story {number}", link=f"/{number}",
                                                         published=f"2020-02-{1 + number % 28:02d} 09:{number % 60:02d}")
                      for number in range(150)}, site_yaml=SITE_YAML + "max_items: 1\ncategory_feeds: false\n")
    update = _updated_from_all(root)
    records = update.every_entry()
    kept = update.selection.entries
    assert len(records) == 150 and 0 < len(kept) < 150
    assert all(records[path].entry == cache.IN_CACHE for path in records.keys() - kept.keys())
    assert all(stored.entry != cache.IN_CACHE for stored in kept.values())
    assert [entry.title for entry in update.load_all()] == [f"Story {number}" for number in sorted(range(150), key=str)]


def _updated_from_all(root: Path) -> incremental.Update:
    from feeds.build.scan import scan
    from feeds.site_file import load_site, read_site_yaml
    from feeds.workers import Workers

    site_yaml = read_site_yaml(root)
    site = load_site(root, site_yaml)
    state = cache.Cache(root / ".feeds", cache.tool_key(), site_yaml).reading(site)
    with Workers() as workers:
        return incremental.updated_entries(site, microseconds(NOW), scan(root), state, workers, lambda *_: None, hold=True)


def test_a_light_record_is_completed_from_its_bucket(tmp_path):
    entry = Entry(source="items/a.yaml", id="https://x.example/a", title="Ports shut", link="https://x.example/a",
                  published=NOW, summary="s")
    full = cache.store(entry, cache.STAT_KEY.pack(1, 2, 3, 4))
    kept = _cache_for(tmp_path)
    kept.save_bucket(cache.bucket_of(entry.source), {entry.source: full})
    assert kept.completed({entry.source: cache.light(full)}) == {entry.source: full}


def test_a_light_record_gone_from_the_cache_is_an_error_not_a_wrong_entry(tmp_path):
    entry = Entry(source="items/a.yaml", id="https://x.example/a", title="Ports shut", link="https://x.example/a",
                  published=NOW, summary="s")
    with pytest.raises(cache.CacheChanged, match="items/a.yaml"):
        _cache_for(tmp_path).completed({entry.source: cache.light(cache.store(entry, cache.STAT_KEY.pack(1, 2, 3, 4)))})


def _cache_for(root: Path) -> cache.Cache:
    from feeds.site_file import load_site, read_site_yaml

    (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    return cache.Cache(root / ".feeds", b"tool", b"").reading(load_site(root, read_site_yaml(root)))


def test_an_edit_takes_site_yaml_as_the_last_good_build_validated_those_bytes(built, monkeypatch):
    import feeds.build

    def validated_again(*args: object) -> None:
        raise AssertionError("site.yaml validated again")

    write(built, "items/2021/c.yaml", entry_yaml(title="Oil slips again", link="/c", published="2021-03-01 08:00",
                                                 categories="[business, News]"))
    with monkeypatch.context() as patched:
        patched.setattr(feeds.build, "load_site", validated_again)
        assert build_site(built, now=NOW).files_parsed == 1
    assert published(built) == cold_build(built, NOW)
    (built / "site.yaml").write_text(SITE_YAML.replace("title:", "title: Renamed,", 1), encoding="utf-8")
    assert build_site(built, now=NOW).check.site.title.startswith("Renamed,")


def test_a_cache_changed_under_the_build_is_set_aside_and_the_build_done_without_it(built, monkeypatch):
    completed = cache.Cache.completed
    calls = []

    def changed_once(self: cache.Cache, records: object) -> object:
        calls.append(records)
        if len(calls) == 1:
            raise cache.CacheChanged("items/2021/c.yaml: its record left .feeds/cache/ during the build")
        return completed(self, records)  # type: ignore[arg-type]

    monkeypatch.setattr(cache.Cache, "completed", changed_once)
    (built / ".feeds" / "cache" / "selection").unlink()  # the next build selects from every entry
    write(built, "items/2021/c.yaml", entry_yaml(title="Oil slips further", link="/c", published="2021-03-01 08:00",
                                                 categories="[business, News]"))
    again = build_site(built, now=NOW)
    assert again.check.ok and again.files_parsed == 4 and len(calls) > 1
    assert published(built) == cold_build(built, NOW)


MOMENT_VALUES = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(timezone.utc))


@settings(max_examples=50, deadline=None)
@given(st.builds(Item, id=st.text(), title=st.text(), link=st.text(), published=MOMENT_VALUES, updated=MOMENT_VALUES,
                 authors=st.tuples(st.builds(Author, st.text())), categories=st.tuples(st.text()),
                 summary=st.text(), content_html=st.none() | st.text(), image=st.none() | st.text(),
                 image_type=st.none() | st.text()))
def test_items_read_back_from_the_cache_are_the_items_kept(item):
    """items_of fills each Item's fields in directly: the same value as the dataclass makes."""
    back = cache_records.items_of(cache_records.fields_of({"key": item}))["key"]
    assert back == item and hash(back) == hash(item) and repr(back) == repr(item)


def test_items_kept_by_a_version_with_other_fields_read_as_none():
    assert cache_records.items_of({"key": ("id", "title")}) == {}


@pytest.mark.parametrize("markdown, code", [
    ("".join("  " * level + "- item\n" for level in range(150)), "too-deep"),
    ("Storm.\n\n<iframe src=\"https://www.youtube.com/embed/x\"></iframe>\n", "html-removed"),
    ("It&#146;s on.\n", "bad-character"),
], ids=["too deep", "removed markup", "a Windows-1252 reference"])
def test_a_body_is_checked_as_markdown_reads_it_when_a_big_site_sees_it_as_written(make_site, monkeypatch, markdown,
                                                                                   code):
    """A big site's parse sees each `|` block still indented (four spaces: Markdown's code)."""
    body = "|\n" + "".join("    " + line + "\n" for line in markdown.splitlines())
    monkeypatch.setattr(parse, "BODIES_KEPT_BYTES", 0)
    check = check_site(make_site({"items/a.yaml": entry_yaml(body=body)}))
    assert [problem.code for problem in (*check.problems, *check.warnings)] == [code]


def test_archive_digests_read_a_few_at_a_time_are_kept_apart_and_merged_once_they_are_many(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "DIGESTS_SINCE_MERGED", 3)
    kept = _cache_for(tmp_path)
    kept.save_archive_digests({"items/a.yaml": (b"k1", "d1"), "items/b.yaml": (b"k1", "d2")})
    kept.add_archive_digests({"items/b.yaml": (b"k2", "d3")})
    folder = tmp_path / ".feeds" / "cache"
    assert (folder / "archive-digests-since").exists()
    assert kept.archive_digests() == {"items/a.yaml": (b"k1", "d1"), "items/b.yaml": (b"k2", "d3")}
    kept.add_archive_digests({f"items/{name}.yaml": (b"k", name) for name in "cde"})
    assert not (folder / "archive-digests-since").exists()
    assert len(kept.archive_digests()) == 5 and kept.archive_digests()["items/b.yaml"] == (b"k2", "d3")


def test_a_rebuild_after_an_edit_writes_what_changed_in_the_selection_not_the_whole(built):
    folder = built / ".feeds" / "cache"
    whole = (folder / "selection").read_bytes()
    for title in ("Oil slips again", "Oil slips once more"):
        write(built, "items/2021/c.yaml", entry_yaml(title=title, link="/c", published="2021-03-01 08:00",
                                                     categories="[business, News]"), age=-len(title))
        changes = (folder / "selection-changes").read_bytes()
        assert build_site(built, now=NOW).files_parsed == 1
        assert (folder / "selection").read_bytes() == whole and (folder / "selection-changes").read_bytes() != changes
        assert published(built) == cold_build(built, NOW)
    selection = _cache_of(built).selection()
    assert selection is not None and "Oil slips once more" in repr(selection.entries["items/2021/c.yaml"])


def test_a_rebuild_that_changed_much_of_the_selection_writes_it_whole_again(built):
    """Changes that carry a quarter as many records as the whole: the whole, under a new
    token, and no change beside it (four entries: more than two changed)."""
    folder = built / ".feeds" / "cache"
    whole = (folder / "selection").read_bytes()
    write(built, "items/2021/c.yaml", entry_yaml(title="Oil slips again", link="/c", published="2021-03-01 08:00",
                                                 categories="[business, News]"), age=-5)
    build_site(built, now=NOW)
    little = (folder / "selection-changes").stat().st_size
    for path, title in [("items/2021/c.yaml", "Oil rises"), ("items/2020/a.yaml", "Ports reopen"),
                        ("items/2020/b.yaml", "Markets slide")]:
        text = (built / path).read_text(encoding="utf-8")
        write(built, path, re.sub(r"^title: .*$", f"title: {title}", text, count=1, flags=re.M), age=-9)
    assert build_site(built, now=NOW).files_parsed == 3
    assert (folder / "selection").read_bytes() != whole
    assert (folder / "selection-changes").stat().st_size < little
    assert published(built) == cold_build(built, NOW)
    selection = _cache_of(built).selection()
    assert selection is not None and "Markets slide" in repr(selection.entries["items/2020/b.yaml"])


def test_a_selection_is_not_read_without_its_own_changes(built, tmp_path):
    folder = built / ".feeds" / "cache"
    assert _cache_of(built).selection() is not None
    other = shutil.copytree(built, tmp_path / "other")
    write(other, "items/2021/c.yaml", entry_yaml(title="Oil slips again", link="/c", published="2021-03-01 08:00",
                                                 categories="[business, News]"), age=-5)
    (other / ".feeds" / "cache" / "selection").unlink()  # its next build selects from every entry, and writes it whole
    build_site(other, now=NOW)
    shutil.copy(other / ".feeds" / "cache" / "selection-changes", folder / "selection-changes")
    assert _cache_of(built).selection() is None  # changes made to another build's selection
    (folder / "selection-changes").unlink()
    assert _cache_of(built).selection() is None  # forgotten


def test_a_selection_reads_back_the_archive_histories_it_was_saved_with(built):
    """Read back whole, or with the changes a later build wrote, they are the histories saved."""
    members = {f"items/{number}.yaml": (f"id-{number}", number * 1000, f"digest-{number}") for number in range(5)}
    histories = (members, {"": list(reversed(members)), "sport/": ["items/3.yaml"]}, {"": ("print", 2, ("a", "b"))})
    selection = _cache_of(built).selection()
    assert selection is not None
    _cache_of(built).save_selection(selection._replace(histories=histories))  # no base read: written whole
    kept = _cache_of(built)
    read = kept.selection()
    assert read is not None and read.histories == histories
    members = {**read.histories[0], "items/9.yaml": ("id-9", 9000, "digest-9")}
    changed = (members, {**read.histories[1], "": ["items/9.yaml", *read.histories[1][""]]}, read.histories[2])
    whole = (built / ".feeds" / "cache" / "selection").read_bytes()
    kept.save_selection(read._replace(histories=changed))
    assert (built / ".feeds" / "cache" / "selection").read_bytes() == whole  # the change alone was written
    again = _cache_of(built).selection()
    assert again is not None and again.histories == changed


def _cache_of(root: Path) -> cache.Cache:
    """The site's cache as its builds read it."""
    from feeds.site_file import load_site, read_site_yaml

    site_yaml = read_site_yaml(root)
    return cache.Cache(root / ".feeds", cache.tool_key(), site_yaml).reading(load_site(root, site_yaml))


@pytest.mark.parametrize("before, after", [(b"a" * 16, b"b" * 16), (b"b" * 16, b"a" * 16)],
                         ids=["the new key sorts after the old", "the new key sorts before the old"])
def test_items_saved_under_new_settings_remove_the_rows_of_the_old(tmp_path, before, after):
    item = Item(id="https://news.example.com/a", title="Storm", link="https://news.example.com/a", published=NOW,
                updated=NOW, authors=(), categories=(), summary="Ports shut.", content_html=None, image=None,
                image_type=None)
    key = ("items/a.yaml", cache.STAT_KEY.pack(1, 2, 3, 4))
    render = ("rss", *key, False)
    old = cache_items.ItemStore(tmp_path, before)
    old.save_items({key: item}, keep=())
    old.save_renders({render: b"<item>Storm</item>"}, shown=[key])
    assert old.items([key]) == {key: item} and old.renders([render]) == {render: b"<item>Storm</item>"}
    new = cache_items.ItemStore(tmp_path, after)
    new.save_items({key: item}, keep=())
    new.save_renders({render: b"<item>Storm</item>"}, shown=[key])
    assert old.items([key]) == {} and old.renders([render]) == {}
    assert new.items([key]) == {key: item} and new.renders([render]) == {render: b"<item>Storm</item>"}


def test_a_rebuild_with_nothing_changed_loads_no_yaml_markdown_feed_or_validation_code(built):
    """What it needs is the scan and the cache: the validation rules (and the URL, Markdown and
    sanitising code they import) were loaded by every build with nothing to do, for the two
    warnings of the clock, 20 ms of such a build at 1,000 entries."""
    code = ("import sys; from datetime import datetime; from feeds.build import build_site; "
            f"result = build_site(sys.argv[1], now=datetime.fromisoformat({NOW.isoformat()!r})); "
            "print(result.written, sorted(name for name in sys.modules if name.split('.')[0] in "
            "{'yaml', 'pyromark', 'feedgen', 'lxml', 'nh3', 'dateutil'} or name in "
            "{'feeds.validate', 'feeds.sanitise', 'feeds.urls', 'feeds.misread', 'feeds.build.rebuild'}))")
    shown = subprocess.run([sys.executable, "-c", code, str(built)], capture_output=True, text=True, check=True)
    assert shown.stdout == "() []\n"


@settings(max_examples=200, deadline=None)
@given(body=field(key="body"), ending=st.sampled_from(["\n", "\r\n"]))
def test_a_body_read_again_is_the_body_validation_gave(tmp_path_factory, body: str, ending: str):
    """Whatever shape the body is written in, reading it alone gives what checking the whole file gave."""
    root = tmp_path_factory.mktemp("site")
    (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    entry = root / "items" / "a.yaml"
    entry.parent.mkdir()
    entry.write_bytes((entry_yaml(link="/a") + body + "\n").replace("\n", ending).encode("utf-8"))
    site = validate_site(parse_document(SITE_YAML.encode(), "site.yaml"), root)
    whole = parse.validate_entry_file(site, entry, "items/a.yaml")
    assume(isinstance(whole, Entry) and whole.body is not None)
    assert parse.body_read_again(site, "items/a.yaml", scan_module.stat_key(os.stat(entry))) == whole.body
