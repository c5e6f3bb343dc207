"""The library API: `import feeds`, then load, check and build a site from Python."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

import feeds

from .conftest import entry_yaml

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


def test_import_feeds_loads_none_of_the_pipeline():
    code = "import sys, feeds; print(sorted(m for m in sys.modules if m.startswith('feeds')))"
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert shown == "['feeds']\n"


def test_every_exported_name_resolves_to_its_definition():
    from feeds.build import BuildResult, build_site
    from feeds.problems import Problem

    assert (feeds.build_site, feeds.BuildResult, feeds.Problem) == (build_site, BuildResult, Problem)
    assert all(getattr(feeds, name) is not None for name in feeds.__all__)


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="module 'feeds' has no attribute 'bulid_site'"):
        feeds.bulid_site  # noqa: B018


def test_the_package_is_marked_typed():
    assert (Path(feeds.__file__).parent / "py.typed").is_file()


def test_load_site_gives_the_settings_with_defaults_filled_in(make_site):
    site = feeds.load_site(make_site())
    assert isinstance(site, feeds.Site)
    assert (site.title, site.timezone_name, site.max_items, site.formats) == (
        "Test Wire", "Europe/Istanbul", 50, ("rss", "atom", "json"))


def test_load_site_gives_problem_records_for_a_bad_site(make_site):
    problems = feeds.load_site(make_site(site_yaml="title: Test Wire\n"))
    assert isinstance(problems, list)
    assert [(problem.path, problem.field, problem.code) for problem in problems] == [
        ("site.yaml", "description", "missing"), ("site.yaml", "link", "missing")]


def test_load_site_given_an_entry_names_the_site_it_is_in(make_site):
    root = make_site({"items/2020/a.yaml": entry_yaml()})
    problems = feeds.load_site(root / "items" / "2020" / "a.yaml")
    assert isinstance(problems, list)
    assert [(problem.message, problem.hint) for problem in problems] == [
        (f"expected the site's folder, found the file {root / 'items' / '2020' / 'a.yaml'}",
         f"name the folder that holds site.yaml, such as {root}")]


def test_check_site_gives_every_problem_as_a_record(make_site):
    result = feeds.check_site(make_site({"items/a.yaml": entry_yaml(published="Feb 30 2020"),
                                         "items/b.yaml": entry_yaml(link="/b")}))
    assert not result.ok
    assert result.files_checked == 2
    assert [(p.path, p.line, p.column, p.field, p.code) for p in result.problems] == [
        ("items/a.yaml", 3, 12, "published", "bad-date")]
    assert isinstance(result.problems[0], feeds.Problem)


def test_check_site_gives_the_valid_entries(make_site):
    result = feeds.check_site(make_site({"items/a.yaml": entry_yaml(title="Storm closes ports")}))
    assert result.ok
    assert [(entry.title, entry.link) for entry in result.entries] == [
        ("Storm closes ports", "https://news.example.com/news/storm")]
    assert isinstance(result.entries[0], feeds.Entry)


def test_build_site_with_a_given_now_says_what_it_wrote(make_site):
    result = feeds.build_site(make_site({"items/a.yaml": entry_yaml(categories="[News]")}), now=NOW)
    assert result.check.ok
    assert sorted(result.written) == ["atom.xml", "categories/news/atom.xml", "categories/news/feed.json",
                                      "categories/news/index.html", "categories/news/rss.xml", "feed.json", "index.html", "rss.xml"]
    assert result.items_published == 1
    feed = json.loads((result.out_dir / "feed.json").read_text(encoding="utf-8"))
    assert [item["url"] for item in feed["items"]] == ["https://news.example.com/news/storm"]


def test_build_site_again_rewrites_nothing(make_site):
    root = make_site({"items/a.yaml": entry_yaml()})
    first = feeds.build_site(root, now=NOW)
    second = feeds.build_site(root, now=NOW)
    assert (second.written, sorted(second.unchanged)) == ((), sorted(first.written))


def test_a_strict_build_site_of_an_invalid_site_writes_nothing(make_site):
    result = feeds.build_site(make_site({"items/a.yaml": entry_yaml(published="Feb 30 2020")}), now=NOW, strict=True)
    assert (result.check.ok, result.written, result.out_dir.exists()) == (False, (), False)


@pytest.mark.parametrize("seconds", [float("nan"), -1.0])
def test_build_site_refuses_a_lock_timeout_no_wait_can_reach(make_site, seconds):
    with pytest.raises(ValueError, match="lock_timeout is a number of seconds from 0 up"):
        feeds.build_site(make_site({"items/a.yaml": entry_yaml()}), now=NOW, lock_timeout=seconds)


def test_build_site_raises_publish_error_when_the_output_cannot_be_written(make_site):
    root = make_site({"items/a.yaml": entry_yaml()})
    (root / "publish").write_text("a file where the folder should be")
    with pytest.raises(feeds.PublishError):
        feeds.build_site(root, now=NOW)


def test_build_site_reports_progress_by_stage(make_site):
    seen: list[tuple[str, int, int]] = []
    feeds.build_site(make_site({"items/a.yaml": entry_yaml()}), now=NOW,
                     progress=lambda stage, done, total: seen.append((stage, done, total)))
    assert seen == [("parsing", 1, 1), ("rendering", 1, 1), ("writing", 0, 4), ("writing", 4, 4)]


def test_build_site_reads_a_now_without_a_time_zone_on_the_sites_clock(make_site):
    root = make_site({"items/a.yaml": entry_yaml(published="2020-02-20 16:40")})  # the site's clock is Istanbul's
    before = feeds.build_site(root, now=datetime(2020, 2, 20, 16, 39), dry_run=True)
    at = feeds.build_site(root, now=datetime(2020, 2, 20, 16, 40), dry_run=True)
    assert (before.items_published, at.items_published) == (0, 1)


def test_new_entry_dates_a_now_without_a_time_zone_on_the_sites_clock(make_site):
    site = feeds.load_site(make_site())
    assert isinstance(site, feeds.Site)
    path = feeds.new_entry(site, "Storm closes ports", now=datetime(2020, 2, 20, 16, 40))
    assert "published: 2020-02-20 16:40+03:00\n" in (site.root / path).read_text(encoding="utf-8")


class Cancelled(Exception):
    """What a caller's progress callback raises to stop a build: its user cancelled it, say."""


def test_a_progress_callback_that_raises_as_writing_starts_leaves_no_temporary_in_the_publish_directory(make_site):
    def cancel_at_writing(stage: str, done: int, total: int) -> None:
        if stage == "writing":
            raise Cancelled

    root = make_site({"items/a.yaml": entry_yaml()})
    feeds.build_site(root, now=NOW)
    (root / "items/b.yaml").write_text(entry_yaml(title="Ferry strike ends", link="/news/ferry"), encoding="utf-8")
    with pytest.raises(Cancelled):
        feeds.build_site(root, now=NOW, progress=cancel_at_writing)
    assert sorted(path.name for path in (root / "publish").iterdir()) == ["atom.xml", "feed.json", "index.html",
                                                                         "rss.xml"]


def test_a_builds_entries_first_asked_for_after_the_next_build_are_refused_not_the_next_builds(make_site):
    root = make_site({"items/a.yaml": entry_yaml(title="Storm closes ports")})
    first = feeds.build_site(root, now=NOW)
    (root / "items/a.yaml").write_text(entry_yaml(title="Storm closes every port"), encoding="utf-8")
    feeds.build_site(root, now=NOW)
    with pytest.raises(feeds.StaleResult, match=r"^a build's entries are read from the site's cache \(.feeds/cache/\) "
                                                r"when first asked for, and it has changed since \(the site was built "
                                                r"again\): read them before the next build, or call check_site for the "
                                                r"entries as they are now$"):
        list(first.check.entries)


def test_a_builds_entries_read_before_the_next_build_stay_its_own(make_site):
    root = make_site({"items/a.yaml": entry_yaml(title="Storm closes ports")})
    first = feeds.build_site(root, now=NOW)
    assert [entry.title for entry in first.check.entries] == ["Storm closes ports"]
    (root / "items/a.yaml").write_text(entry_yaml(title="Storm closes every port"), encoding="utf-8")
    feeds.build_site(root, now=NOW)
    assert [entry.title for entry in first.check.entries] == ["Storm closes ports"]


def test_init_site_and_new_entry_make_a_site_that_builds(tmp_path):
    feeds.init_site(tmp_path / "site", now=NOW)
    site = feeds.load_site(tmp_path / "site")
    assert isinstance(site, feeds.Site)
    assert feeds.new_entry(site, "Storm closes ports", ["News"], now=NOW) == Path(
        "items/2026/01/storm-closes-ports.yaml")
    assert feeds.build_site(tmp_path / "site", now=NOW).items_published == 1


def test_new_entry_takes_a_single_string_as_one_category_as_an_entry_does(make_site):
    site = feeds.load_site(make_site())
    assert isinstance(site, feeds.Site)
    path = feeds.new_entry(site, "Storm closes ports", "Middle East", now=NOW)
    assert "categories: [Middle East]\n" in (site.root / path).read_text(encoding="utf-8")


def test_init_site_refuses_an_empty_folder_name_rather_than_make_the_current_folder_a_site(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(feeds.ScaffoldError, match="^expected a folder name, found nothing; give one, such as feeds init "
                                                  "newsroom$"):
        feeds.init_site("")
    assert list(tmp_path.iterdir()) == []


def test_every_type_the_readme_names_is_exported():
    import feeds

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Library API", 1)[1].split("\n## ", 1)[0]
    named = {name for name in ("ItemRef", "Problem", "PublishError", "PreviewError", "OutDirError", "ScaffoldError",
                               "CheckResult", "BuildResult", "Site", "Entry") if f"`{name}" in section}
    assert named <= set(feeds.__all__) and "ItemRef" in named
