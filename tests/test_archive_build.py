"""The SPEC's Archives (RFC 5005) section, through real builds: `archive: true` gives every
feed a chain of archive documents holding its whole history once, whose bytes never change,
and a rebuild renders only the pages that are new."""

from __future__ import annotations

import json
import os
import shutil
import zoneinfo
from datetime import datetime, timedelta, timezone
from importlib import resources
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote

import feedparser
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

import feeds.archive
import feeds.build.archive_jobs
import feeds.cache
import feeds.cache_keys
import feeds.content
from feeds.build import build_site, check_site
from feeds.cli import main

PUBLISH_URL = "https://news.example.com/feeds/"
NOW = datetime(2024, 6, 1, tzinfo=timezone.utc)
START = datetime(2023, 1, 1, tzinfo=timezone.utc)
EXPIRED = datetime(2024, 1, 1, tzinfo=timezone.utc)  # what an expired story expires at
HISTORY_NS = "http://purl.org/syndication/history/1.0"
ATOM_NS = "http://www.w3.org/2005/Atom"
CATEGORIES = ("alpha", "beta")
SITE_YAML = f"""\
title: Test Wire
link: https://news.example.com/
description: Test stories from a test desk.
publish_url: {PUBLISH_URL}
timezone: UTC
archive: true
max_items: {{max_items}}
"""


def write_site(root: Path, max_items: int, archive: bool = True, max_bytes: int | None = None) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / "items").mkdir(exist_ok=True)
    (root / "site.yaml").write_text(SITE_YAML.format(max_items=max_items).replace(
        "archive: true", f"archive: {str(archive).lower()}") + (f"max_bytes: {max_bytes}\n" if max_bytes else ""), "utf-8")


LONG = " And more." * 400  # with max_bytes: 10000, two or three such stories are over it


def write_entry(root: Path, number: int, version: int = 0, categories: tuple[str, ...] = (), day: int | None = None,
                expired: bool = False, expires: datetime | None = None, padding: str = "") -> None:
    """Story `number`, published on day `day` counted from 2023-01-01 (its number by default),
    in `version`; expired before NOW, or expiring at `expires`."""
    day = number if day is None else day
    published = START + timedelta(days=day)
    lines = [f"title: Story {number} version {version}", f"link: /news/story-{number}",
             f"published: {published.isoformat()}", f"summary: Story {number} as told in version {version}.",
             f"body: Body of story {number}, version {version}.{padding}"]
    if categories:
        lines.append(f"categories: [{', '.join(categories)}]")
    if expired:
        lines.append(f"expires: {EXPIRED.isoformat()}")
    elif expires is not None:
        lines.append(f"expires: {expires.isoformat()}")
    (root / "items" / f"story-{number}.yaml").write_text("\n".join(lines) + "\n", "utf-8")


def archive_files(publish: Path) -> dict[str, bytes]:
    return {path.relative_to(publish).as_posix(): path.read_bytes()
            for path in sorted((publish / "archive").rglob("*")) if path.is_file()}


def local(publish: Path, url: str) -> Path:
    assert url.startswith(PUBLISH_URL), url
    return publish / unquote(url[len(PUBLISH_URL):])


def xml_links(data: bytes) -> dict[str, str]:
    root = etree.fromstring(data)
    return {link.get("rel"): link.get("href") for link in root.iter(f"{{{ATOM_NS}}}link")}


def chain_links(publish: Path, feed_path: str) -> list[str]:
    """The links of the items a reader finds from this feed file, in the feed and then in each
    archive document it reaches by prev-archive (JSON: next_url), checking each document on
    the way: marked fh:archive, naming its feed as current."""
    feed = (publish / feed_path).read_bytes()
    is_json = feed_path.endswith(".json")
    if is_json:
        found = [item["url"] for item in json.loads(feed)["items"]]
        following = json.loads(feed).get("next_url")
    else:
        found = [entry.link for entry in feedparser.parse(feed).entries]
        following = xml_links(feed).get("prev-archive")
    archived: list[str] = []
    seen = set()
    while following:
        assert following not in seen, "the chain loops"
        seen.add(following)
        page = local(publish, following).read_bytes()
        if is_json:
            document = json.loads(page)
            assert document["feed_url"] == PUBLISH_URL + feed_path
            archived += [item["url"] for item in document["items"]]
            following = document.get("next_url")
        else:
            parsed = feedparser.parse(page)
            assert parsed.bozo == 0
            assert etree.fromstring(page).find(f".//{{{HISTORY_NS}}}archive") is not None
            links = xml_links(page)
            assert links["current"] == PUBLISH_URL + feed_path
            archived += [entry.link for entry in parsed.entries]
            following = links.get("prev-archive")
    assert len(archived) == len(set(archived)), "an item is in two archive documents"
    return [*archived, *found]


class Story(NamedTuple):
    version: int
    categories: tuple[str, ...]
    published: datetime
    expires: datetime | None  # NOW and after: expired


def expected_links(stories: dict[int, Story], category: str | None, now: datetime) -> set[str]:
    """The links of the stories live at `now` in the site feed (category None) or a category's."""
    return {f"https://news.example.com/news/story-{number}" for number, story in stories.items()
            if story.published <= now and (story.expires is None or now < story.expires)
            and (category is None or category in story.categories)}


def assert_every_chain_holds_its_history(publish: Path, stories: dict[int, Story], now: datetime = NOW) -> None:
    feeds = {"": None, **{f"categories/{name}/": name for name in CATEGORIES}}
    for folder, category in feeds.items():
        if not (publish / folder / "rss.xml").exists():
            continue
        for filename in ("rss.xml", "atom.xml", "feed.json"):
            assert set(chain_links(publish, folder + filename)) == expected_links(stories, category, now), \
                folder + filename


# Each step: an edit of one story, then a build some days after the last one. "schedule"
# dates the story a few days after the next build (it falls due in a later one), "expire
# soon" makes it expire a few days after it (it leaves in a later one).
edits = st.lists(st.tuples(st.sampled_from(["add", "edit", "delete", "expire", "redate", "schedule", "expire soon"]),
                           st.integers(0, 30), st.sets(st.sampled_from(CATEGORIES)), st.integers(0, 6)),
                 min_size=1, max_size=6)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.integers(0, 9), max_items=st.integers(2, 3), steps=edits, cut=st.booleans())
def test_every_feed_leads_through_its_whole_history_once_and_no_archive_file_changes_in_place(
        tmp_path_factory, start, max_items, steps, cut):
    """`cut`: long stories and a max_bytes they are over, which may not cut an unarchived item."""
    root = tmp_path_factory.mktemp("site")
    write_site(root, max_items, max_bytes=10_000 if cut else None)
    padding = LONG if cut else ""
    stories: dict[int, Story] = {}
    for number in range(start):
        stories[number] = Story(0, CATEGORIES[: number % 3], START + timedelta(days=number), None)
        write_entry(root, number, 0, stories[number].categories, padding=padding)
    ever: dict[str, bytes] = {}
    now = NOW
    for build_number in range(len(steps) + 1):
        if build_number:
            action, number, categories, days = steps[build_number - 1]
            now += timedelta(days=days)
            before = stories.get(number)
            if action == "delete":
                (root / "items" / f"story-{number}.yaml").unlink(missing_ok=True)
                stories.pop(number, None)
            else:
                day = (before.published - START).days if before else number
                if action == "redate":
                    day = (day + 11) % 300
                elif action == "schedule":
                    day = (now - START).days + 1 + days
                elif action in ("expire", "expire soon"):
                    day = min(day, 300)  # published before it expires
                expires = {"expire": EXPIRED, "expire soon": now + timedelta(days=1 + days)}.get(action)
                stories[number] = Story(before.version + 1 if before else 1, tuple(sorted(categories)),
                                        START + timedelta(days=day), expires)
                write_entry(root, number, stories[number].version, stories[number].categories, day,
                            action == "expire", expires if action == "expire soon" else None, padding)
        result = build_site(root, now=now)
        assert result.check.ok, result.check.problems
        files = archive_files(result.out_dir)
        for path, data in files.items():
            assert ever.setdefault(path, data) == data, f"{path} changed in place"
        assert_every_chain_holds_its_history(result.out_dir, stories, now)
    cold = tmp_path_factory.mktemp("cold")
    shutil.copytree(root / "items", cold / "items")
    shutil.copy(root / "site.yaml", cold / "site.yaml")
    cold_result = build_site(cold, now=now)
    assert archive_files(cold_result.out_dir) == archive_files(root / "publish")
    for filename in ("rss.xml", "atom.xml", "feed.json"):
        assert (cold_result.out_dir / filename).read_bytes() == (root / "publish" / filename).read_bytes()


@pytest.fixture
def archived_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Ten stories, two a feed: four archive pages of the site feed per format."""
    monkeypatch.setattr(feeds.cache, "RACY_WINDOW_NS", 0)  # the files' stats are trusted at once, as a minute later
    write_site(tmp_path, 2)
    for number in range(10):
        write_entry(tmp_path, number, categories=("alpha",) if number % 2 else ())
    assert build_site(tmp_path, now=NOW).check.ok
    return tmp_path


def test_a_new_entry_renders_only_the_newest_page_of_each_feed_holding_it(archived_site):
    write_entry(archived_site, 10, categories=("alpha",))
    write_entry(archived_site, 11, categories=("alpha",))  # fills the partial page: one new page per feed
    result = build_site(archived_site, now=NOW)
    new_pages = [path for path in result.written if path.startswith("archive/")]
    assert sorted(path.rsplit(".", 2)[0].split("-")[0] for path in new_pages) == sorted(
        ["archive/0006"] * 3 + ["archive/categories/alpha/0003"] * 3)


def test_an_edited_old_entry_gets_new_pages_and_the_pages_that_held_it_are_removed(archived_site):
    before = archive_files(archived_site / "publish")
    write_entry(archived_site, 5, version=1, categories=("alpha",))  # on the site feed's third page of five
    result = build_site(archived_site, now=NOW)
    after = archive_files(result.out_dir)
    assert any(b"Story 5 version 1" in data for data in after.values())
    assert not any(b"Story 5 version 0" in data for data in after.values())
    removed = before.keys() - after.keys()
    assert removed and all(path.startswith("archive/") for path in removed)
    kept = before.keys() & after.keys()
    assert kept and all(before[path] == after[path] for path in kept)


def test_pages_written_by_a_build_killed_before_its_feeds_are_removed_once_nothing_links_to_them(
        archived_site, monkeypatch):
    import feeds.build.rebuild

    class Killed(BaseException):
        """kill -9 between the archive pages and the feeds that link to them."""

    def die(staged):
        raise Killed

    write_entry(archived_site, 5, version=1, categories=("alpha",))
    with monkeypatch.context() as patched:
        patched.setattr(feeds.build.rebuild, "put_in_place", die)  # the pages are in; the feeds never go in
        patched.setattr(feeds.build.rebuild, "_remove_new_pages", lambda *args: None)  # a kill runs no clean-up
        with pytest.raises(Killed):
            build_site(archived_site, now=NOW)
    assert any(b"Story 5 version 1" in data for data in archive_files(archived_site / "publish").values())
    write_entry(archived_site, 5, version=2, categories=("alpha",))
    build_site(archived_site, now=NOW)
    after = archive_files(archived_site / "publish")
    assert not any(b"Story 5 version 1" in data for data in after.values())
    assert_every_chain_holds_its_history(archived_site / "publish", {
        number: Story(2 if number == 5 else 0, ("alpha",) if number % 2 else (), START + timedelta(days=number), None)
        for number in range(10)})


def test_a_file_the_build_did_not_write_is_never_removed_from_the_archive_folder(archived_site):
    mine = archived_site / "publish" / "archive" / "notes.txt"
    mine.write_text("kept", "utf-8")
    write_entry(archived_site, 1, version=1)
    build_site(archived_site, now=NOW)
    assert mine.read_text("utf-8") == "kept"


def test_a_build_with_no_change_writes_nothing_and_a_missing_page_is_written_again(archived_site):
    again = build_site(archived_site, now=NOW)
    assert again.written == ()
    page = next(iter(archive_files(archived_site / "publish")))
    data = (archived_site / "publish" / page).read_bytes()
    (archived_site / "publish" / page).unlink()
    restored = build_site(archived_site, now=NOW)
    assert restored.written == (page,)
    assert (archived_site / "publish" / page).read_bytes() == data


def test_each_archived_item_is_prepared_once(archived_site, monkeypatch):
    prepared = []
    original = feeds.content.prepare_item
    monkeypatch.setattr(feeds.content, "prepare_item",
                        lambda entry, *rest: prepared.append(entry.id) or original(entry, *rest))
    shutil.rmtree(archived_site / "publish" / "archive")
    result = build_site(archived_site, now=NOW)
    assert len([path for path in result.written if path.startswith("archive/")]) == len(
        archive_files(result.out_dir)) > 0
    assert prepared == []


def test_turning_archives_off_removes_the_archive_documents_and_their_links(archived_site):
    write_site(archived_site, 2, archive=False)
    result = build_site(archived_site, now=NOW)
    assert archive_files(result.out_dir) == {}
    assert b"archive" not in (result.out_dir / "rss.xml").read_bytes()


def test_a_feed_over_max_bytes_keeps_the_items_no_archive_page_holds_and_says_so(tmp_path, capsys):
    write_site(tmp_path, 5, max_bytes=10_000)
    for number in range(8):  # five in a page, three in the feed alone: over max_bytes together
        write_entry(tmp_path, number, padding=LONG)
    assert main(["build", str(tmp_path), "--now", NOW.isoformat()]) == 0
    assert ("feed atom.xml is over max_bytes (10,000 bytes) with its 3 newest items, which no archive page holds "
            "yet; it is written anyway, so that its archives miss none") in capsys.readouterr().err
    for filename in ("rss.xml", "atom.xml", "feed.json"):
        assert sorted(chain_links(tmp_path / "publish", filename)) == sorted(
            f"https://news.example.com/news/story-{number}" for number in range(8))


def test_a_feed_that_holds_its_whole_history_is_marked_complete(tmp_path):
    write_site(tmp_path, 5)
    write_entry(tmp_path, 1)
    result = build_site(tmp_path, now=NOW)
    assert archive_files(result.out_dir) == {}
    assert etree.fromstring((result.out_dir / "atom.xml").read_bytes()).find(f"{{{HISTORY_NS}}}complete") is not None


def test_archive_must_be_true_or_false(tmp_path):
    write_site(tmp_path, 2)
    (tmp_path / "site.yaml").write_text((tmp_path / "site.yaml").read_text("utf-8").replace(
        "archive: true", "archive: sometimes"), "utf-8")
    problems = check_site(tmp_path).problems
    assert [problem.code for problem in problems if "archive" in problem.message or problem.line == 6]


def test_pages_swept_a_few_at_a_time_are_the_pages_rendered_all_at_once(tmp_path, monkeypatch):
    for name in ("all-at-once", "one-at-a-time"):
        write_site(tmp_path / name, 2)
        for number in range(0, 300, 7):  # a story a week: many periods of publication
            write_entry(tmp_path / name, number, categories=("alpha",) if number % 3 else ())
    expected = archive_files(build_site(tmp_path / "all-at-once", now=NOW).out_dir)
    monkeypatch.setattr(feeds.build.archive_jobs, "PAGES_PER_BATCH", 1)
    assert len(expected) > 60
    assert archive_files(build_site(tmp_path / "one-at-a-time", now=NOW).out_dir) == expected


def test_a_named_feeds_archive_pages_hold_its_own_max_items_and_its_content_mode(tmp_path):
    write_site(tmp_path, 5)
    with (tmp_path / "site.yaml").open("a", encoding="utf-8") as site_yaml:
        site_yaml.write("feeds:\n  - name: short\n    title: Short\n    description: Alpha, briefly\n"
                        "    categories: [alpha]\n    max_items: 2\n    content: summary\n")
    stories = {number: Story(0, ("alpha",) if number % 2 else (), START + timedelta(days=number), None)
               for number in range(11)}
    for number, story in stories.items():
        write_entry(tmp_path, number, categories=story.categories)
    result = build_site(tmp_path, now=NOW)
    assert result.check.ok, result.check.problems
    pages = {path: data for path, data in archive_files(result.out_dir).items() if path.startswith("archive/short/")}
    rss_pages = [data for path, data in pages.items() if path.endswith(".rss.xml")]
    assert len(rss_pages) == 2 and all(len(feedparser.parse(data).entries) == 2 for data in rss_pages)
    assert pages and not any(b"Body of story" in data for data in pages.values())
    alpha = expected_links(stories, "alpha", NOW)
    for filename in ("rss.xml", "atom.xml", "feed.json"):
        walked = chain_links(result.out_dir, "short/" + filename)
        assert set(walked) == alpha and len(walked) - len(alpha) <= 2, filename  # the feed may repeat its archive


def test_a_missing_items_folder_on_an_archived_site_keeps_the_feeds_and_their_archives(tmp_path, monkeypatch, capsys):
    from feeds import cache
    from feeds.cli import main

    monkeypatch.setattr(cache, "RACY_WINDOW_NS", 0)  # the files' stats are trusted at once, as a minute later
    write_site(tmp_path, 2)
    for number in range(10):
        write_entry(tmp_path, number)
    assert build_site(tmp_path, now=NOW).check.ok
    archived_site = tmp_path
    before = {path: path.read_bytes() for path in sorted((archived_site / "publish").rglob("*")) if path.is_file()}
    (archived_site / "items").rename(archived_site / "items.away")
    for extra in ([], ["--dry-run"]):
        assert main(["build", str(archived_site), "--now", NOW.isoformat(), *extra]) == 1
        err = capsys.readouterr().err
        assert "items:1:1: expected a folder items/" in err and "Traceback" not in err
    after = {path: path.read_bytes() for path in sorted((archived_site / "publish").rglob("*")) if path.is_file()}
    assert after == before


def test_a_feed_file_left_by_a_format_turned_off_keeps_the_chain_it_links(archived_site):
    site_yaml = archived_site / "site.yaml"
    site_yaml.write_text(site_yaml.read_text("utf-8") + "formats: [atom]\n", "utf-8")
    build_site(archived_site, now=NOW)
    publish = archived_site / "publish"
    assert (publish / "rss.xml").is_file()  # feeds never deletes a feed; this one is no longer written
    stories = {number: Story(0, ("alpha",) if number % 2 else (), START + timedelta(days=number), None)
               for number in range(10)}
    assert set(chain_links(publish, "rss.xml")) == expected_links(stories, None, NOW)
    (publish / "rss.xml").unlink()  # gone: its chain goes at the next build
    write_entry(archived_site, 3, version=1)
    build_site(archived_site, now=NOW)
    assert not [path for path in archive_files(publish) if path.endswith(".rss.xml") and "categories" not in path]


def test_a_left_feed_deleted_by_hand_takes_its_chain_with_it_at_the_next_build_though_no_story_changed(archived_site):
    site_yaml = archived_site / "site.yaml"
    site_yaml.write_text(site_yaml.read_text("utf-8") + "formats: [atom]\n", "utf-8")
    build_site(archived_site, now=NOW)
    publish = archived_site / "publish"
    (publish / "rss.xml").unlink()
    result = build_site(archived_site, now=NOW)
    assert not [path for path in archive_files(publish) if path.endswith(".rss.xml") and "categories" not in path]
    assert [path for path in result.removed if path.endswith(".rss.xml")]


def test_entries_of_a_missing_items_folder_saved_just_before_the_last_build_are_kept_too(tmp_path, capsys):
    """Files saved within a second of a build are cached with no trusted stat key; kept all the same."""
    from feeds.cli import main

    write_site(tmp_path, 2)
    for number in range(10):
        write_entry(tmp_path, number)
    assert build_site(tmp_path, now=NOW).check.ok
    (tmp_path / "items").rename(tmp_path / "items.away")
    for _ in range(2):
        assert main(["build", str(tmp_path), "--now", NOW.isoformat()]) == 1
        assert "Traceback" not in capsys.readouterr().err
        stories = {number: Story(0, (), START + timedelta(days=number), None) for number in range(10)}
        assert_every_chain_holds_its_history(tmp_path / "publish", stories)


def test_an_entry_file_that_cannot_be_read_is_held_with_its_archive_pages(archived_site, monkeypatch, capsys):
    import feeds.build.archive_jobs
    from feeds.cli import main

    real_digest = feeds.build.archive_jobs._file_digest
    unreadable = "items/story-4.yaml"

    def refuse(path, on_disk):
        if path == unreadable:
            raise PermissionError(13, "Permission denied", on_disk)
        return real_digest(path, on_disk)

    monkeypatch.setattr(feeds.build.archive_jobs, "_file_digest", refuse)
    write_entry(archived_site, 4, version=1)
    main(["build", str(archived_site), "--now", NOW.isoformat()])
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("added", ["on_invalid: stop\n", "cache_control: public, max-age=60\n",
                                   "publish_to: s3://news-bucket/feeds\n", "feeds: [{name: breaking, categories: [alpha]}]\n",
                                   "description: Test stories from a test desk.  # a note\n"])
def test_a_setting_no_archive_document_shows_renames_no_page(archived_site, added):
    before = archive_files(archived_site / "publish")
    site_yaml = archived_site / "site.yaml"
    text = site_yaml.read_text("utf-8")
    if added.startswith("description:"):
        text = "# a comment line that moves every line below it\n" + text
    else:
        text += added
    site_yaml.write_text(text, "utf-8")
    build_site(archived_site, now=NOW)
    after = archive_files(archived_site / "publish")
    assert {path: data for path, data in after.items() if path in before} == before
    assert not set(before) - set(after)


def test_a_new_release_of_feeds_names_every_page_anew_rather_than_write_one_in_place(archived_site, monkeypatch):
    """A release may write a page otherwise (a summary made another way): the bytes under a
    published name never change. The version number alone named them, and it changes
    seldom, so an upgrade rewrote pages in place that CDNs keep a year as immutable."""
    before = archive_files(archived_site / "publish")
    monkeypatch.setattr(feeds.archive, "_renderers", lambda: "the next release")
    shutil.rmtree(archived_site / ".feeds" / "cache")  # keyed on the tool: a new release finds none of it
    after = archive_files(build_site(archived_site, now=NOW).out_dir)
    assert before and after and not before.keys() & after.keys()
    assert_every_chain_holds_its_history(archived_site / "publish", {
        number: Story(0, ("alpha",) if number % 2 else (), START + timedelta(days=number), None) for number in range(10)})


def test_new_time_zone_data_renames_no_page_and_rewrites_no_feed(archived_site, monkeypatch):
    """Only the rules of the site's own zone name its pages. A tzdata update (for another
    country's clocks, or the file touched by a reinstall) renamed every archive page and
    rewrote every feed, which the hubs were told of."""
    before = {path: path.read_bytes() for path in (archived_site / "publish").rglob("*") if path.is_file()}
    distributions = feeds.cache_keys._distributions()
    monkeypatch.setattr(feeds.cache_keys, "_zone_data", lambda: [("/usr/share/zoneinfo", 1, 1)])
    monkeypatch.setattr(feeds.cache_keys, "_distributions", lambda: [*distributions, "tzdata-2099.1.dist-info"])
    feeds.archive._renderers.cache_clear()
    try:
        result = build_site(archived_site, now=NOW)
    finally:
        feeds.archive._renderers.cache_clear()
    assert {path: path.read_bytes() for path in result.out_dir.rglob("*") if path.is_file()} == before


def test_new_rules_for_the_sites_own_zone_rename_the_pages_whose_times_they_move(tmp_path):
    """An entry's digest is of its file, which new rules for the site's clocks leave as they
    were, so the pages name the rules of the site's zone: the times those rules move are
    published under new names, never written over the pages readers have."""
    write_site(tmp_path, 2)
    site_yaml = tmp_path / "site.yaml"
    site_yaml.write_text(site_yaml.read_text("utf-8").replace("timezone: UTC", "timezone: Europe/Istanbul"), "utf-8")
    for number in range(6):
        (tmp_path / "items" / f"story-{number}.yaml").write_text(
            f"title: Story {number}\nlink: /news/story-{number}\npublished: 2023-01-0{number + 1} 12:00\n"
            f"summary: Story {number}.\n", "utf-8")
    assert build_site(tmp_path, now=NOW).check.ok
    before = archive_files(tmp_path / "publish")
    rules = tmp_path / "zones" / "Europe" / "Istanbul"  # the rules moved: Istanbul's clocks set to Tokyo's
    rules.parent.mkdir(parents=True)
    rules.write_bytes(resources.files("tzdata.zoneinfo").joinpath("Asia/Tokyo").read_bytes())
    try:
        zoneinfo.reset_tzpath([str(tmp_path / "zones")])
        zoneinfo.ZoneInfo.clear_cache()
        feeds.cache_keys.zone_rules.cache_clear()
        after = archive_files(build_site(tmp_path, now=NOW).out_dir)
    finally:
        zoneinfo.reset_tzpath()
        zoneinfo.ZoneInfo.clear_cache()
        feeds.cache_keys.zone_rules.cache_clear()
    assert b"03:00:00" in b"".join(after.values())  # noon in Tokyo's clocks
    assert not before.keys() & after.keys()


@pytest.mark.parametrize("change", [("timezone: UTC", "timezone: Europe/Istanbul"), ("timezone: UTC", "timezone: UTC\nslugs: ascii")])
def test_a_setting_that_changes_how_entries_read_renames_the_pages_it_changes(tmp_path, change):
    """A time written without an offset is read in the site's timezone, and with `slugs: ascii`
    Météo and Meteo are one category of an entry: the items change, so their pages are renamed,
    never rewritten in place."""
    write_site(tmp_path, 2)
    for number in range(6):
        (tmp_path / "items" / f"story-{number}.yaml").write_text(
            f"title: Story {number}\nlink: /news/story-{number}\npublished: 2023-01-0{number + 1} 12:00\n"
            f"categories: [Météo, Meteo]\nsummary: Story {number}.\n", "utf-8")
    assert build_site(tmp_path, now=NOW).check.ok
    before = archive_files(tmp_path / "publish")
    site_yaml = tmp_path / "site.yaml"
    site_yaml.write_text(site_yaml.read_text("utf-8").replace(*change), "utf-8")
    assert build_site(tmp_path, now=NOW).check.ok
    after = archive_files(tmp_path / "publish")
    assert before and after != before
    assert {path: data for path, data in after.items() if path in before} == {
        path: data for path, data in before.items() if path in after}


def test_an_entry_held_keeps_its_archive_pages_and_a_build_without_the_cache_names_them_alike(tmp_path, monkeypatch):
    """The held version's content digest goes with it into .feeds/held: its file's bytes are
    gone, and the cache's digest of them with the cache."""
    monkeypatch.setattr(feeds.cache, "RACY_WINDOW_NS", 0)  # the files' stats are trusted at once, as a minute later
    root = tmp_path / "site"
    write_site(root, max_items=2)
    for number in range(5):
        write_entry(root, number)
    assert build_site(root, now=NOW).check.ok
    pages = archive_files(root / "publish")
    broken = (root / "items" / "story-1.yaml").read_text("utf-8") + "bogus: 1\n"
    (root / "items" / "story-1.yaml").write_text(broken, "utf-8")
    os.utime(root / "items" / "story-1.yaml", (START.timestamp(), START.timestamp()))
    held = build_site(root, now=NOW)
    assert held.held == ("items/story-1.yaml",) and archive_files(root / "publish") == pages
    cold = tmp_path / "cold"
    shutil.copytree(root, cold, ignore=lambda folder, _: ["cache"] if Path(folder).name == ".feeds" else [])
    assert build_site(cold, now=NOW).held == ("items/story-1.yaml",)
    assert every_file(cold / "publish") == every_file(root / "publish")


def every_file(publish: Path) -> dict[str, bytes]:
    return {path.relative_to(publish).as_posix(): path.read_bytes() for path in sorted(publish.rglob("*")) if path.is_file()}


def test_pages_no_feed_links_go_after_a_withdrawal_built_with_no_record_of_the_publish_directory(archived_site):
    """A CI job builds a fresh clone (no .feeds/) into the publish directory it restored from
    the target: the pages that held a withdrawn story stayed, though no feed linked them."""
    shutil.rmtree(archived_site / ".feeds")
    (archived_site / "items/story-0.yaml").unlink()
    build_site(archived_site, now=NOW)
    assert not [path for path, data in archive_files(archived_site / "publish").items() if b"story-0" in data]


def test_entries_checked_out_with_crlf_line_ends_keep_every_page_under_its_name(archived_site):
    """A build on a machine whose checkout writes CRLF (git's core.autocrlf on Windows) after
    one with LF renamed every page, and told the hubs of every feed, with no story changed."""
    before = archive_files(archived_site / "publish")
    for entry in (archived_site / "items").iterdir():
        entry.write_bytes(entry.read_bytes().replace(b"\n", b"\r\n"))
    build_site(archived_site, now=NOW)
    assert archive_files(archived_site / "publish") == before
