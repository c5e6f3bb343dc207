"""`feeds build --dry-run`: validate and say what a build would write, and which items each
changed feed would gain, lose or change; write nothing (publish directory, target, hubs)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from feeds import build_site
from feeds.cli import main

from .conftest import SITE_YAML, entry_yaml
from .servers import hub, s3_server, use_s3_endpoint

FEED_FILES = ("rss.xml", "atom.xml", "feed.json")
FEB_25 = datetime(2020, 2, 25, tzinfo=ZoneInfo("Europe/Istanbul"))  # --now 2020-02-25 on the site's clock


def newsroom(make_site) -> Path:
    """Two stories, one of them expiring on 1 March 2020, built on 25 February."""
    root = make_site({
        "items/storm.yaml": entry_yaml(categories="[Sport]"),
        "items/ferry.yaml": entry_yaml("Ferry strike ends", "/news/ferry", "2020-02-21 09:00", categories="[News]",
                                       expires="2020-03-01"),
    })
    assert main(["build", str(root), "--quiet", "--now", "2020-02-25"]) == 0
    return root


def state_of(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `folder`: its bytes and its mtime."""
    return {path.relative_to(folder).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
            for path in sorted(folder.rglob("*")) if path.is_file()}


def dry_run_lines(root: Path, capsys, *options: str) -> list[str]:
    capsys.readouterr()
    assert main(["build", str(root), "--dry-run", *options]) == 0
    return capsys.readouterr().out.splitlines()


def test_a_dry_run_leaves_every_published_file_as_it_was(make_site, capsys):
    root = newsroom(make_site)
    before = state_of(root / "publish")
    (root / "items/storm.yaml").write_text(entry_yaml("Storm closes every port", categories="[Sport]"), "utf-8")
    dry_run_lines(root, capsys, "--now", "2020-03-02")
    assert state_of(root / "publish") == before


def test_a_dry_run_names_the_archive_pages_the_build_then_removes(make_site, capsys):
    entries = {f"items/s{day}.yaml": entry_yaml(f"Story {day}", f"/s{day}", f"2020-02-0{day} 09:00") for day in range(1, 8)}
    root = make_site(entries, site_yaml=SITE_YAML + "max_items: 2\narchive: true\ncategory_feeds: false\n")
    assert main(["build", str(root), "--quiet", "--now", "2020-02-25"]) == 0
    before = {path.relative_to(root / "publish").as_posix() for path in (root / "publish/archive").rglob("*.*")}
    (root / "items/s1.yaml").unlink()  # withdrawn: the pages that held it give way to new ones
    planned = [line.removeprefix("would remove ") for line in dry_run_lines(root, capsys, "--now", "2020-02-25")
               if line.startswith("would remove ")]
    assert planned and all(line.startswith(str(root / "publish/archive/")) for line in planned)
    assert main(["build", str(root), "--quiet", "--now", "2020-02-25"]) == 0
    after = {path.relative_to(root / "publish").as_posix() for path in (root / "publish/archive").rglob("*.*")}
    assert sorted(str(root / "publish" / path) for path in before - after) == sorted(planned)


def test_a_dry_run_names_the_files_the_build_then_writes(make_site, capsys):
    root = newsroom(make_site)
    (root / "items/storm.yaml").write_text(entry_yaml("Storm closes every port", categories="[Sport]"), "utf-8")
    planned = [line.removeprefix("would write ") for line in dry_run_lines(root, capsys, "--now", "2020-02-25")
               if line.startswith("would write ")]
    build = build_site(root, now=FEB_25)
    assert planned == [str(build.out_dir / path) for path in build.written]
    assert sorted(build.written) == sorted([*FEED_FILES, *(f"categories/sport/{name}" for name in FEED_FILES),
                                            "categories/sport/index.html", "index.html"])


def test_a_dry_run_names_the_items_each_changed_feed_gains_loses_and_changes(make_site, capsys):
    root = newsroom(make_site)
    (root / "items/storm.yaml").write_text(entry_yaml("Storm closes every port", categories="[Sport]"), "utf-8")
    (root / "items/markets.yaml").write_text(
        entry_yaml("Markets calm", "/news/markets", "2020-02-26 10:00", categories="[Business]"), "utf-8")
    lines = dry_run_lines(root, capsys, "--now", "2020-03-02")  # the ferry story expired on 1 March
    items = [line for line in lines if not line.startswith("would write ")]
    publish = root / "publish"
    assert items == [
        f'{publish}/ gains "Markets calm" (https://news.example.com/news/markets)',
        f'{publish}/ loses "Ferry strike ends" (https://news.example.com/news/ferry)',
        f'{publish}/ changes "Storm closes every port" (https://news.example.com/news/storm)',
        f'{publish}/categories/business/ gains "Markets calm" (https://news.example.com/news/markets)',
        f'{publish}/categories/news/ loses "Ferry strike ends" (https://news.example.com/news/ferry)',
        f'{publish}/categories/sport/ changes "Storm closes every port" (https://news.example.com/news/storm)',
    ]


def test_a_dry_run_with_nothing_to_do_says_so(make_site, capsys):
    root = newsroom(make_site)
    capsys.readouterr()
    assert main(["build", str(root), "--dry-run", "--now", "2020-02-25"]) == 0
    output = capsys.readouterr()
    assert output.out == ""
    assert "dry run: 0 files would be written" in output.err
    assert "nothing was written" in output.err


def test_a_dry_run_with_now_in_the_future_previews_a_scheduled_entry_and_publishes_nothing(make_site, capsys):
    root = make_site({"items/now.yaml": entry_yaml(),
                      "items/later.yaml": entry_yaml("Election results", "/news/results", "2099-05-01 20:00")})
    assert main(["build", str(root), "--quiet"]) == 0
    before = state_of(root / "publish")
    lines = dry_run_lines(root, capsys, "--now", "2099-05-02")
    assert f'{root / "publish"}/ gains "Election results" (https://news.example.com/news/results)' in lines
    assert state_of(root / "publish") == before
    assert build_site(root).written == ()  # the preview left nothing for today's build to undo


def test_a_strict_dry_run_of_an_invalid_site_exits_1_and_plans_nothing(make_site, capsys):
    root = make_site({"items/bad.yaml": "title: No link\n"})
    capsys.readouterr()
    assert main(["build", str(root), "--dry-run", "--strict"]) == 1
    assert "would write" not in capsys.readouterr().out
    assert not (root / "publish").exists()


def test_a_dry_run_of_a_site_never_built_with_no_items_folder_makes_nothing(make_site, capsys):
    """It made .feeds/ (a lock, a clock), then said 'nothing was written'."""
    root = make_site()
    (root / "items").rmdir()
    capsys.readouterr()
    assert main(["build", str(root), "--dry-run"]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == "nothing was written"
    assert sorted(path.name for path in root.iterdir()) == ["site.yaml"]


def test_a_dry_run_with_an_invalid_entry_plans_the_valid_ones_exits_1_and_writes_nothing(make_site, capsys):
    root = make_site({"items/bad.yaml": "title: No link\n", "items/good.yaml": entry_yaml()})
    capsys.readouterr()
    assert main(["build", str(root), "--dry-run"]) == 1
    assert f"would write {root / 'publish' / 'rss.xml'}" in capsys.readouterr().out
    assert not (root / "publish").exists()


def test_the_library_dry_run_returns_the_plan_and_the_feed_changes(make_site):
    root = newsroom(make_site)
    (root / "items/ferry.yaml").unlink()
    plan = build_site(root, now=FEB_25, dry_run=True)
    assert plan.dry_run and plan.check.ok
    assert {change.folder: [item.title for item in change.lost] for change in plan.feed_changes} == {
        "": ["Ferry strike ends"], "categories/news/": ["Ferry strike ends"]}
    assert all(not change.gained and not change.updated for change in plan.feed_changes)


@pytest.fixture
def s3_target(monkeypatch) -> Iterator[object]:
    """A moto S3 server with a bucket, reached through the environment as boto3 reads it."""
    boto3 = pytest.importorskip("boto3")
    with s3_server() as endpoint:
        use_s3_endpoint(monkeypatch, endpoint)
        client = boto3.client("s3")
        client.create_bucket(Bucket="news")
        yield client


def test_a_dry_run_uploads_nothing_and_notifies_no_hub(make_site, s3_target, capsys):
    with hub() as server:
        root = make_site({"items/storm.yaml": entry_yaml(categories="[Sport]")},
                         site_yaml=SITE_YAML + f"publish_to: s3://news/feeds\nhub: {server.url}\n")
        assert main(["build", str(root), "--quiet"]) == 0
        objects = s3_target.list_objects_v2(Bucket="news")["Contents"]  # type: ignore[attr-defined]
        pending = sorted(path.name for path in (root / ".feeds").iterdir())
        (root / "items/storm.yaml").write_text(entry_yaml("Storm closes every port", categories="[Sport]"), "utf-8")
        assert any(" changes " in line for line in dry_run_lines(root, capsys))
        assert len(server.posts) == 1  # the first build's, and no other
    assert s3_target.list_objects_v2(Bucket="news")["Contents"] == objects  # type: ignore[attr-defined]
    assert sorted(path.name for path in (root / ".feeds").iterdir()) == pending



@pytest.mark.parametrize("formats", ["[rss]", "[atom]", "[rss, atom]"])
def test_a_dry_run_names_an_item_by_its_title_as_written_whatever_formats_the_site_writes(make_site, capsys, formats):
    """The title is read back from the feed file; RSS and Atom carry `<` and `&` HTML-escaped
    (text is text), and the dry run shows the title the editor wrote, not its escaping."""
    root = make_site({"items/storm.yaml": entry_yaml('"R&D: <i>storm</i> & a < b"', categories="[Sport]")},
                     site_yaml=SITE_YAML + f"formats: {formats}\n")
    assert main(["build", str(root), "--quiet", "--now", "2020-02-25"]) == 0
    (root / "items/storm.yaml").write_text(entry_yaml('"R&D: <i>storm</i> & a < b"', categories="[News]"), "utf-8")
    lines = dry_run_lines(root, capsys, "--now", "2020-02-25")
    assert 'publish/categories/news/ gains "R&D: <i>storm</i> & a < b" (https://news.example.com/news/storm)' in [
        line.replace(str(root) + "/", "") for line in lines]


def test_a_dry_run_names_the_feeds_items_in_the_order_it_writes_the_feeds(make_site, capsys):
    site_yaml = SITE_YAML + "author_feeds: true\nfeeds:\n  - name: breaking\n    categories: [Weather]\n"
    root = make_site({"items/a.yaml": entry_yaml(categories="[Weather, Arts]")}, site_yaml=site_yaml)
    assert main(["build", str(root), "--dry-run"]) == 0
    lines = capsys.readouterr().out.splitlines()
    written = list(dict.fromkeys(line.removeprefix("would write ").rpartition("/")[0]
                                 for line in lines if line.startswith("would write")))
    changed = list(dict.fromkeys(line.partition(" gains ")[0].rstrip("/") for line in lines if " gains " in line))
    assert changed == [folder for folder in written if folder in changed]
    assert [folder.removeprefix(str(root / "publish")) for folder in changed] == [
        "", "/breaking", "/categories/arts", "/categories/weather", "/authors/test-desk"]


def test_a_dry_run_counts_the_invalid_entries_it_would_hold_back(make_site, capsys):
    root = make_site({"items/a.yaml": entry_yaml(), "items/b.yaml": 'title: "half-written\n'})
    assert main(["build", str(root), "--dry-run"]) == 1
    assert ("1 item published, 1 invalid entry held back until fixed (0 at their last good version, 1 left out);"
            in capsys.readouterr().err.splitlines()[-1])


def test_a_dry_run_goes_on_where_feeds_folder_is_read_only_and_a_build_says_it_cannot_lock(make_site, capsys,
                                                                                          monkeypatch):
    import os

    root = make_site({"items/a.yaml": entry_yaml()})
    assert main(["build", str(root)]) == 0
    (root / ".feeds" / "lock").unlink()
    opened = os.open

    def read_only_state(path: object, flags: int, *args: object) -> int:
        if str(path).endswith(os.path.join(".feeds", "lock")):  # a read-only .feeds: a CI checkout, another user's
            raise PermissionError(13, "Permission denied", str(path))
        return opened(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", read_only_state)
    capsys.readouterr()
    assert main(["build", str(root), "--dry-run"]) == 0
    assert "dry run: 0 files would be written" in capsys.readouterr().err
    assert main(["build", str(root)]) == 3
    assert capsys.readouterr().err.endswith(f"cannot create the lock in {root / '.feeds'}: Permission denied; "
                                            "let the user feeds runs as write there (check the permissions)\n")


def test_a_build_says_which_archive_pages_it_removed_as_its_dry_run_said(make_site, capsys):
    entries = {f"items/s{day}.yaml": entry_yaml(f"Story {day}", f"/s{day}", f"2020-02-0{day} 09:00") for day in range(1, 8)}
    root = make_site(entries, site_yaml=SITE_YAML + "max_items: 2\narchive: true\ncategory_feeds: false\n")
    assert main(["build", str(root), "--quiet", "--now", "2020-02-25"]) == 0
    (root / "items/s1.yaml").unlink()
    planned = [line.removeprefix("would remove ") for line in dry_run_lines(root, capsys, "--now", "2020-02-25")
               if line.startswith("would remove ")]
    assert main(["build", str(root), "--verbose", "--now", "2020-02-25"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert [line.removeprefix("removed ") for line in err if line.startswith("removed ")] == planned
    assert f"written, {len(planned)} removed, " in err[-1]
