"""What a build does again while files are invalid, and what it does not: every problem is
found again (invalid files are never cached), but nothing the last build did for them is
redone per problem. A newsroom's site of 50,000 entries with 500 files broken, rebuilt with
nothing changed, took five times as long as the same site with none broken."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from itertools import count
from pathlib import Path

import feedparser
import pytest

from feeds import cache
from feeds.build import build_site
from feeds.cli import main

from .conftest import entry_yaml
from .test_folders import cannot_list

NOW = "2026-01-01 09:00+00:00"
MOMENT = datetime(2026, 1, 1, 9, tzinfo=timezone.utc)
STORM = entry_yaml(title="Storm closes ports", link="/storm", published="2020-02-21 09:00")
FERRY = entry_yaml(title="Ferry resumes", link="/ferry", published="2020-02-20 09:00")
HALF_WRITTEN = 'title: "Half-written draft\nlink: /t7\n'


@pytest.fixture(autouse=True)
def trust_fresh_files(monkeypatch):
    """Files written by a test are seconds old; trust their stat as if they were older."""
    monkeypatch.setattr(cache, "RACY_WINDOW_NS", 0)


def build(root: Path) -> int:
    return main(["build", str(root), "--now", NOW])


def valid_neighbour(path: str) -> dict[str, str]:
    """A valid entry in the cache bucket of `path`: a bucket parsed whole is written whole,
    as on a site of a few files; a big site's invalid files share theirs with valid ones."""
    name = next(name for number in count() if cache.bucket_of(name := f"items/n{number}.yaml") == cache.bucket_of(path))
    return {name: entry_yaml(title=f"Neighbour {name}", link=f"/{name}", published="2020-02-20 09:00")}


def test_a_rebuild_with_the_same_invalid_file_and_newcomer_saves_nothing_to_the_cache(make_site, monkeypatch,
                                                                                        capsys):
    root = make_site({"items/storm.yaml": STORM, "items/t7.yaml": HALF_WRITTEN,
                      "items/tide.yaml": STORM.replace("Storm closes ports", "Tide turns"),
                      **valid_neighbour("items/t7.yaml"), **valid_neighbour("items/tide.yaml")})
    assert build(root) == 1
    capsys.readouterr()
    saved = []
    monkeypatch.setattr(cache.Cache, "save_entries", lambda self, entries, touched: saved.append(list(touched)))
    assert build(root) == 1
    err = capsys.readouterr().err
    assert "items/t7.yaml:1:8: malformed YAML" in err
    assert "items/tide.yaml is the newcomer" in err
    assert saved == []


def test_a_story_beside_an_unreadable_folder_whose_name_begins_the_same_is_published_as_edited(make_site, monkeypatch):
    root = make_site({"items/2020/ferry.yaml": entry_yaml(title="Ferry resumes", link="/ferry"),
                      "items/2020-desk/storm.yaml": STORM})
    assert build(root) == 0
    cannot_list(monkeypatch, root / "items/2020")
    edited = root / "items/2020-desk/storm.yaml"
    edited.write_text(STORM.replace("Storm closes ports", "Storm closes every port"), encoding="utf-8")
    os.utime(edited, ns=(edited.stat().st_mtime_ns + 10**9,) * 2)
    assert build(root) == 1
    titles = {entry.title for entry in feedparser.parse((root / "publish" / "rss.xml").read_bytes()).entries}
    assert titles == {"Ferry resumes", "Storm closes every port"}


def test_a_rebuild_with_nothing_changed_says_the_held_entries_problems_again_and_parses_no_file(make_site):
    root = make_site({"items/storm.yaml": STORM, "items/t7.yaml": HALF_WRITTEN,
                      "items/tide.yaml": STORM.replace("Storm closes ports", "Tide turns")})
    first = build_site(root, now=MOMENT)
    again = build_site(root, now=MOMENT)
    assert [problem.path for problem in again.check.problems] == ["items/t7.yaml", "items/tide.yaml"]
    assert again.check.problems == first.check.problems
    assert (again.files_parsed, again.written, again.items_published) == (0, (), 1)


def test_a_strict_build_with_nothing_changed_since_a_build_that_held_entries_writes_nothing(make_site, capsys):
    root = make_site({"items/storm.yaml": STORM, "items/t7.yaml": HALF_WRITTEN})
    assert build(root) == 1
    capsys.readouterr()
    assert main(["build", str(root), "--now", NOW, "--strict"]) == 1
    err = capsys.readouterr().err
    assert "items/t7.yaml:1:8: malformed YAML" in err
    assert err.endswith("nothing was written\n")


def test_a_newcomer_that_falls_due_takes_the_id_of_an_expired_story_with_nothing_else_changed(make_site, capsys):
    root = make_site({"items/storm.yaml": entry_yaml(title="Storm closes ports", link="/storm",
                                                     published="2020-02-21 09:00", expires="2025-12-01"),
                      "items/tide.yaml": entry_yaml(title="Tide turns", link="/storm",
                                                    published="2026-01-01 10:00+00:00")})
    assert main(["build", str(root), "--now", "2026-01-01 09:00+00:00"]) == 1
    assert "items/tide.yaml is the newcomer" in capsys.readouterr().err
    main(["build", str(root), "--now", "2026-01-01 10:01+00:00"])
    assert "items/tide.yaml is the newcomer" not in capsys.readouterr().err
    assert "<title>Tide turns</title>" in (root / "publish" / "rss.xml").read_text(encoding="utf-8")


def test_a_rebuild_with_nothing_changed_gives_the_valid_entries_a_build_that_held_gave(make_site):
    root = make_site({"items/storm.yaml": STORM, "items/ferry.yaml": FERRY,
                      "items/tide.yaml": STORM.replace("Storm closes ports", "Tide turns")})
    build_site(root, now=MOMENT)
    ferry = root / "items/ferry.yaml"
    ferry.write_text(HALF_WRITTEN, encoding="utf-8")  # another size: a stat key of its own, however soon
    held = [entry.title for entry in build_site(root, now=MOMENT).check.entries]
    assert main(["build", str(root), "--now", NOW, "--strict"]) == 1  # puts back the ferry's last good record
    again = build_site(root, now=MOMENT)
    assert again.files_parsed == 0
    assert held == ["Storm closes ports"]
    assert len(again.check.entries) == 1
    assert [entry.title for entry in again.check.entries] == held
