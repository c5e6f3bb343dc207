"""What a build does again while files are invalid, and what it does not: every problem is
found again (invalid files are never cached), but nothing the last build did for them is
redone per problem. A newsroom's site of 50,000 entries with 500 files broken, rebuilt with
nothing changed, took five times as long as the same site with none broken."""

from __future__ import annotations

import os
from itertools import count
from pathlib import Path

import feedparser
import pytest

from feeds import cache
from feeds.cli import main

from .conftest import entry_yaml
from .test_folders import cannot_list

NOW = "2026-01-01 09:00+00:00"
STORM = entry_yaml(title="Storm closes ports", link="/storm", published="2020-02-21 09:00")
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
