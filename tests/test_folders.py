"""Folders under items/ that cannot be walked: a folder that cannot be listed, or one nested
absurdly deep, is a problem with its path (exit 1), never a silent loss nor a traceback."""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import feedparser
import pytest

from feeds import cache
from feeds.cli import main

from .conftest import entry_yaml

scan_module = importlib.import_module("feeds.build.scan")  # the module, not the function feeds.build exports
NOW = "2026-01-01 00:00+00:00"
HIDDEN = "items/2020"

ENTRIES = {"items/2020/ferry.yaml": entry_yaml(title="Ferry resumes", link="/ferry", body="'The ferry runs.'"),
           "items/storm.yaml": entry_yaml(title="Storm closes ports", link="/storm", published="2020-02-21 09:00")}


def unreadable_line(root: Path) -> str:
    return (f"{HIDDEN}:1:1: expected a folder feeds can list, found one it cannot (Permission denied); until then its "
            f"entries keep their last good versions; let feeds read it: chmod u+rx {root / HIDDEN}")


@pytest.fixture(autouse=True)
def trust_fresh_files(monkeypatch):
    monkeypatch.setattr(cache, "RACY_WINDOW_NS", 0)


def titles(root: Path) -> set[str]:
    parsed = feedparser.parse((root / "publish" / "rss.xml").read_bytes())
    assert parsed.bozo == 0
    return {entry.title for entry in parsed.entries}


def cannot_list(monkeypatch, folder: Path) -> None:
    """os.scandir refuses `folder` as it would for a user without the right to list it."""
    real_scandir = os.scandir

    def scandir(path: str | os.PathLike[str] = ".") -> object:
        if os.path.realpath(path) == os.path.realpath(folder):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(scan_module.os, "scandir", scandir)


def test_an_unreadable_folder_is_a_problem_with_its_path_and_its_entries_keep_their_last_good_versions(
        make_site, monkeypatch, capsys):
    root = make_site(ENTRIES)
    assert main(["build", str(root), "--now", NOW]) == 0
    cannot_list(monkeypatch, root / HIDDEN)
    capsys.readouterr()
    assert main(["build", str(root), "--now", NOW]) == 1
    assert unreadable_line(root) in capsys.readouterr().err.splitlines()
    assert titles(root) == {"Ferry resumes", "Storm closes ports"}


def test_check_reports_an_unreadable_folder(make_site, monkeypatch, capsys):
    root = make_site(ENTRIES)
    cannot_list(monkeypatch, root / HIDDEN)
    assert main(["check", str(root)]) == 1
    assert unreadable_line(root) in capsys.readouterr().err.splitlines()


def _without_privileges() -> list[str] | None:
    """How to run a command as a user a chmod 000 folder keeps out: as is when not root;
    as root with every capability dropped (setpriv), which reads permissions as any user does."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    return [setpriv, "--bounding-set=-all", "--inh-caps=-all"] if setpriv else None


@pytest.mark.skipif(_without_privileges() is None, reason="running as root, and no setpriv to drop its rights")
def test_a_folder_chmod_000_for_a_real_user_is_a_problem_and_drops_nothing(make_site):
    root = make_site(ENTRIES)
    assert main(["build", str(root), "--now", NOW]) == 0
    (root / HIDDEN).chmod(0)
    try:
        run = subprocess.run([*_without_privileges(), sys.executable, "-m", "feeds", "build", str(root), "--now", NOW],
                             capture_output=True, text=True, timeout=120, cwd=Path(__file__).parent.parent)
    finally:
        (root / HIDDEN).chmod(0o755)
    assert run.returncode == 1, run.stderr
    assert unreadable_line(root) in run.stderr.splitlines()
    assert titles(root) == {"Ferry resumes", "Storm closes ports"}


def test_folders_nested_a_thousand_deep_are_a_problem_not_a_traceback(make_site, capsys):
    root = make_site({"items/storm.yaml": entry_yaml()})
    deep = str(root / "items")
    for _ in range(1000):  # one at a time: os.makedirs is itself recursive
        deep = os.path.join(deep, "d")
        os.mkdir(deep)
    Path(deep, "lost.yaml").write_text(entry_yaml(link="/lost"), encoding="utf-8")
    started = time.monotonic()
    try:
        status = main(["check", str(root)])
    finally:
        remove_deep(deep, root / "items")
    err = capsys.readouterr().err
    assert status == 1 and "Traceback" not in err
    too_deep = "items/" + "/".join(["d"] * (scan_module.MAX_DEPTH + 1))
    assert f"{too_deep}:1:1: expected folders at most {scan_module.MAX_DEPTH} deep under items/, found one deeper" in err
    assert time.monotonic() - started < 10


def remove_deep(deepest: str, top: Path) -> None:
    """Folder by folder from the bottom up: shutil.rmtree recurses, as deep as the folders."""
    os.remove(os.path.join(deepest, "lost.yaml"))
    folder = deepest
    while Path(folder) != top:
        os.rmdir(folder)
        folder = os.path.dirname(folder)


def test_the_build_line_counts_an_unreadable_folder_as_a_folder_not_an_invalid_entry(make_site, monkeypatch, capsys):
    root = make_site(ENTRIES)
    assert main(["build", str(root), "--now", NOW]) == 0
    cannot_list(monkeypatch, root / HIDDEN)
    capsys.readouterr()
    main(["build", str(root), "--now", NOW])
    err = capsys.readouterr().err.splitlines()
    assert err[1] == f"1 error in {HIDDEN}"
    assert "invalid entr" not in err[-1]


def test_an_empty_items_folder_is_every_story_taken_down(make_site, capsys):
    """Unlike a folder that is gone or cannot be read: an empty one is what deleting every entry leaves."""
    import shutil

    root = make_site(ENTRIES)
    assert main(["build", str(root), "--now", NOW]) == 0
    shutil.rmtree(root / "items")
    (root / "items").mkdir()
    assert main(["build", str(root), "--now", NOW]) == 0
    assert titles(root) == set()


def test_a_new_site_with_no_entries_yet_builds_empty_feeds(make_site):
    root = make_site({})
    assert main(["build", str(root), "--now", NOW]) == 0
    assert titles(root) == set()


def built_with_a_linked_folder_then_gone(make_site) -> Path:
    """A site whose items/wire links to ../wire, built, then ../wire gone (a disk not mounted)."""
    root = make_site({"items/storm.yaml": ENTRIES["items/storm.yaml"],
                      "wire/ferry.yaml": ENTRIES["items/2020/ferry.yaml"]})
    (root / "items" / "wire").symlink_to("../wire")
    assert main(["build", str(root), "--now", NOW]) == 0
    (root / "wire").rename(root / "wire.away")
    return root


def test_a_linked_folder_whose_target_is_gone_keeps_its_entries(make_site, capsys):
    root = built_with_a_linked_folder_then_gone(make_site)
    capsys.readouterr()
    assert main(["build", str(root), "--now", NOW]) == 1
    assert ("items/wire:1:1: expected a folder feeds can list, found a link to ../wire, which is gone; mount the disk "
            "it is on, or remove the link; until then its entries keep their last versions"
            in capsys.readouterr().err.splitlines())
    assert titles(root) == {"Ferry resumes", "Storm closes ports"}


def test_the_closing_line_counts_a_gone_folders_entries_apart_from_the_invalid_ones(make_site, capsys):
    root = built_with_a_linked_folder_then_gone(make_site)
    (root / "items/storm.yaml").write_text("title: [broken\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["build", str(root), "--now", NOW]) == 1
    assert ("1 invalid entry held back until fixed (1 at its last good version, 0 left out), "
            "1 entry of folders it cannot read taken as they were;") in capsys.readouterr().err


def test_a_scan_shared_with_a_worker_finds_what_a_scan_alone_finds(tmp_path, monkeypatch):
    """The stats of a big site are shared with the workers; the files, their keys, their
    order and which are too new to trust must not depend on who statted them."""
    from feeds.workers import Workers

    root = tmp_path / "site"
    for number in range(60):
        folder = root / "items" / f"{number % 7}" / ("deep" if number % 3 else "")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{number:03d}.yaml").write_text(f"title: Story {number}\n", encoding="utf-8")
    os.mkfifo(root / "items" / "0" / "pipe.yaml")  # not a regular file: no key, never trusted
    (root / "items" / "1" / "linked.yaml").symlink_to(root / "items" / "2" / "deep" / "002.yaml")  # refused
    time.sleep(0.05)
    settled_before = time.time_ns()
    time.sleep(0.05)
    (root / "items" / "5" / "deep" / "005.yaml").write_text("title: Story 5, changed just now\n", encoding="utf-8")
    monkeypatch.setattr(cache, "unsettled_from", lambda started: settled_before)
    monkeypatch.setattr(scan_module, "STAT_CHUNK", 4)
    alone = scan_module.scan(root)
    with Workers() as workers:
        shared = scan_module.scan(root, workers)
    assert shared.files == alone.files
    assert shared.unsettled == alone.unsettled == {"items/0/pipe.yaml", "items/5/deep/005.yaml"}
    assert shared.problems == alone.problems
    assert (shared.numbers, shared.digests) == (alone.numbers, alone.digests)
    assert len(shared.files) == 61


def test_a_buckets_digest_changes_with_its_own_files_alone(tmp_path, monkeypatch):
    """A build reads again only the buckets whose digests changed: one edited or added file
    changes its own bucket's, however the scan's stats were cut into jobs."""
    from feeds.workers import Workers

    root = tmp_path / "site"
    for number in range(40):
        folder = root / "items" / f"{number % 5}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{number:03d}.yaml").write_text(f"title: Story {number}\n", encoding="utf-8")
    before = scan_module.scan(root)
    (root / "items/3/003.yaml").write_text("title: Story 3, corrected\n", encoding="utf-8")
    (root / "items/0/new.yaml").write_text("title: A new story\n", encoding="utf-8")
    monkeypatch.setattr(scan_module, "STAT_CHUNK", 3)
    with Workers() as workers:
        after = scan_module.scan(root, workers)
    changed = {number for number, (old, new) in enumerate(zip(before.digests, after.digests)) if old != new}
    assert changed == {cache.bucket_of("items/3/003.yaml"), cache.bucket_of("items/0/new.yaml")}
    assert scan_module.bucket_digests_of(after.files) == (after.numbers, after.digests)  # as with_kept digests
    assert after.digest != before.digest


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.mark.parametrize("gone", ["items", HIDDEN])
def test_a_folder_gone_with_no_record_of_its_entries_stops_the_build_and_the_feeds_keep_every_story(
        make_site, monkeypatch, capsys, gone):
    """The cache deleted (or made by another version of feeds or Python), then items/ not
    mounted, or a folder in it unreadable: the build cannot tell their stories from stories
    deleted, so it writes nothing."""
    root = make_site(ENTRIES)
    assert main(["build", str(root), "--now", NOW]) == 0
    published = snapshot(root / "publish")
    shutil.rmtree(root / ".feeds" / "cache")
    if gone == "items":
        (root / gone).rename(root / "away")
    else:
        cannot_list(monkeypatch, root / gone)
    capsys.readouterr()
    assert main(["build", str(root), "--now", NOW]) == 1
    err = capsys.readouterr().err
    assert (f"{gone}:1:1: expected a record of the entries in {gone}/ from the last build, found none (.feeds/cache/ was "
            "deleted, or made by another version of feeds, of Python or of a library feeds uses); nothing was written, "
            "so the feeds keep every "
            f"story: bring the folder back (mount its disk), then build; to take its stories out of the feeds, make "
            f"{gone}/ an empty folder") in err.splitlines()
    assert err.endswith("nothing was written\n")
    assert snapshot(root / "publish") == published


def test_items_made_an_empty_folder_empties_the_feeds(make_site, capsys):
    root = make_site(ENTRIES)
    assert main(["build", str(root), "--now", NOW]) == 0
    shutil.rmtree(root / ".feeds" / "cache")
    shutil.rmtree(root / "items")
    (root / "items").mkdir()
    assert main(["build", str(root), "--now", NOW]) == 0
    assert titles(root) == set()
