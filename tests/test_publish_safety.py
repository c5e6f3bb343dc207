"""Publishing safely: atomic files, one build at a time, and nothing touched that should not be."""

from __future__ import annotations

import contextlib
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from feeds import publish
from feeds.cli import main
from feeds.publish import TEMP_PREFIX, PublishError, begin_writing, build_lock, publish_files

from .conftest import entry_yaml

NOW = "2021-01-01 00:00+00:00"
REPO = Path(__file__).resolve().parent.parent
START = datetime(2020, 1, 1, tzinfo=timezone.utc)


def feeds_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "feeds", *args]


def write_big_site(root: Path, entries: int) -> None:
    """One entry an hour from START, in 20 categories: each later `now` changes every feed."""
    (root / "items").mkdir(parents=True)
    (root / "site.yaml").write_text("title: Big Wire\nlink: https://news.example.com/\n"
                                    "description: Many stories.\npublish_url: https://news.example.com/feeds/\n",
                                    encoding="utf-8")
    for number in range(entries):
        published = START + timedelta(hours=number)
        (root / "items" / f"story-{number:04d}.yaml").write_text(
            f"title: Story {number}\nlink: /news/{number}\npublished: {published:%Y-%m-%dT%H:%M:%SZ}\n"
            f"categories: [Desk {number % 20}, {'Even' if number % 2 else 'Odd'}]\n"
            f"summary: Summary of story {number}.\nbody: |\n  Story *{number}* in full, with [a link](/more).\n",
            encoding="utf-8")


def hour(number: int) -> str:
    return f"{START + timedelta(hours=number):%Y-%m-%dT%H:%M:%SZ}"


def published_files(out: Path) -> dict[str, bytes]:
    return {path.relative_to(out).as_posix(): path.read_bytes() for path in sorted(out.rglob("*")) if path.is_file()}


def files_and_mtimes(out: Path) -> dict[Path, tuple[bytes, int]]:
    return {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in out.rglob("*") if path.is_file()}


def assert_every_file_is_whole(out: Path) -> None:
    """Each feed parses completely: readers saw an old file or a new one, never a torn one."""
    for path in out.rglob("*"):
        if path.name.startswith(TEMP_PREFIX) or not path.is_file():
            continue  # a killed build's temporary: not a feed, removed by the next build
        if path.suffix == ".xml":
            etree.fromstring(path.read_bytes())
        elif path.suffix == ".json":
            json.loads(path.read_bytes())
        else:
            assert path.read_bytes().rstrip().endswith(b"</html>"), path


def outlives_its_build(group: int, grace: float = 3.0) -> bool:
    """Whether a process of a killed build (a worker) is still running after `grace`
    seconds; any such process is ended, so a test run leaves nothing behind either way."""
    deadline = time.monotonic() + grace
    while group_alive(group):
        if time.monotonic() > deadline:
            os.killpg(group, signal.SIGKILL)
            return True
        time.sleep(0.05)
    return False


def end_what_is_left(group: int) -> None:
    """Kill anything a killed build left, so a failing run of these tests leaks no process."""
    try:
        os.killpg(group, signal.SIGKILL)
    except ProcessLookupError:
        pass


def group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def assert_lock_is_free(site: Path) -> None:
    """A killed build leaves nothing behind that holds the lock (a forked worker would)."""
    with build_lock(site / ".feeds", timeout=5):
        pass


def kill_while_writing(process: subprocess.Popen[bytes], out: Path, within: float, rng: random.Random) -> None:
    """SIGKILL at a random moment of the write phase, which begins with rss.xml."""
    first = out / "rss.xml"
    before = first.stat().st_mtime_ns
    while first.stat().st_mtime_ns == before and process.poll() is None:
        time.sleep(0.001)
    time.sleep(rng.uniform(0, within))
    process.send_signal(signal.SIGKILL)


@pytest.mark.slow
def test_feeds_stay_whole_when_builds_are_killed_at_random_moments(tmp_path):
    site, clean = tmp_path / "site", tmp_path / "clean"
    write_big_site(site, 1200)
    shutil.copytree(site, clean)
    started = time.monotonic()
    subprocess.run(feeds_command("build", str(site), "--now", hour(600), "--quiet"), check=True)
    duration = time.monotonic() - started
    mtimes = [path.stat().st_mtime for path in (site / "publish").rglob("*.*")]
    writing = max(mtimes) - min(mtimes)
    rng = random.Random(4)
    for run in range(18):
        process = subprocess.Popen(feeds_command("build", str(site), "--now", hour(640 + 30 * run), "--quiet"),
                                   start_new_session=True)
        if run % 2:
            kill_while_writing(process, site / "publish", writing, rng)
        else:
            time.sleep(rng.uniform(0.2, 1.0) * duration)
            process.send_signal(signal.SIGKILL)
        process.wait()
        end_what_is_left(process.pid)
        assert_lock_is_free(site)
        assert_every_file_is_whole(site / "publish")
    final = ("--now", hour(1300), "--quiet")
    subprocess.run(feeds_command("build", str(site), *final), check=True)
    subprocess.run(feeds_command("build", str(clean), *final), check=True)
    assert published_files(site / "publish") == published_files(clean / "publish")


def test_a_killed_build_leaves_no_worker_process_behind(tmp_path):
    site = tmp_path / "site"
    write_big_site(site, 1200)
    process = subprocess.Popen(feeds_command("build", str(site), "--now", hour(600), "--quiet"),
                               start_new_session=True)
    while not (site / "publish/rss.xml").exists() and process.poll() is None:
        time.sleep(0.001)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert not outlives_its_build(process.pid)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP])
@pytest.mark.parametrize("moment", ["parsing", "writing"])
def test_a_build_stopped_by_sigterm_or_sighup_leaves_no_temporary_and_prints_no_traceback(tmp_path, stop, moment):
    """Sent to the whole process group, workers included, as systemd's stop and a closed
    terminal do: the build ends as on Ctrl-C, and the workers quietly."""
    site = tmp_path / "site"
    write_big_site(site, 1200)
    subprocess.run(feeds_command("build", str(site), "--now", hour(600), "--quiet"), check=True)
    if moment == "parsing":
        shutil.rmtree(site / ".feeds" / "cache")
    process = subprocess.Popen(feeds_command("build", str(site), "--now", hour(700), "--quiet"),
                               start_new_session=True, stderr=subprocess.PIPE)
    first = site / "publish/rss.xml"
    before = first.stat().st_mtime_ns
    if moment == "parsing":
        while not (site / ".feeds" / "cache").is_dir() and process.poll() is None:
            time.sleep(0.001)
    else:
        while first.stat().st_mtime_ns == before and process.poll() is None:  # writing has begun
            time.sleep(0.001)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, stop)
    _, err = process.communicate(timeout=30)
    end_what_is_left(process.pid)
    assert (process.returncode, err) in ((130, b"feeds: interrupted\n"), (0, b""))  # or it was done already
    assert [path.name for path in (site / "publish").rglob(TEMP_PREFIX + "*")] == []
    assert_every_file_is_whole(site / "publish")


def test_a_rename_that_fails_midway_puts_back_every_file_already_renamed(make_site, capsys):
    """A folder where feed.json goes (put there by hand): the renames before it are undone,
    so the publish directory is as it was (exit 3), and the message names that file."""
    root = make_site({"items/a.yaml": entry_yaml(categories="[News]")})
    assert main(["build", str(root)]) == 0
    publish = root / "publish"
    (publish / "feed.json").unlink()
    (publish / "feed.json").mkdir()
    before = published_files(publish)
    (root / "items/a.yaml").write_text(entry_yaml(title="Storm, later", categories="[News]"), encoding="utf-8")
    capsys.readouterr()
    assert main(["build", str(root)]) == 3
    assert capsys.readouterr().err.splitlines()[-1] == (f"feeds: error: cannot write {publish / 'feed.json'}: Is a directory; "
                                                        "a folder stands where a file goes, or a file where a folder goes: move it away")
    assert published_files(publish) == before
    assert [path.name for path in publish.rglob(TEMP_PREFIX + "*")] == []


def test_a_disk_that_cannot_make_the_renames_durable_gets_the_files_put_back(make_site, capsys, monkeypatch):
    """An fsync of the publish folder that fails (EIO) after the renames: exit 3 says the
    publish directory is as it was, so it must be, and no hub is told of a change."""
    root = make_site({"items/a.yaml": entry_yaml(categories="[News]")})
    assert main(["build", str(root)]) == 0
    publish_dir = root / "publish"
    before = published_files(publish_dir)
    (root / "items/a.yaml").write_text(entry_yaml(title="Storm, later", categories="[News]"), encoding="utf-8")

    def failing_fsync(directory: Path) -> None:
        raise OSError(5, "Input/output error", str(directory))

    monkeypatch.setattr(publish, "fsync_directory", failing_fsync)
    capsys.readouterr()
    assert main(["build", str(root)]) == 3
    assert capsys.readouterr().err.splitlines()[-1].startswith("feeds: error: cannot write ")
    assert published_files(publish_dir) == before
    assert [path.name for path in publish_dir.rglob(TEMP_PREFIX + "*")] == []
    monkeypatch.undo()
    assert main(["build", str(root)]) == 0
    assert "Storm, later" in (publish_dir / "rss.xml").read_text(encoding="utf-8")


def test_every_folder_a_file_is_renamed_into_is_made_durable_once(make_site, monkeypatch):
    root = make_site({f"items/{name}.yaml": entry_yaml(link=f"/{name}", categories=f"[{name}]")
                      for name in ("News", "Sport", "Arts", "Travel", "Science")})
    synced: list[Path] = []
    monkeypatch.setattr(publish, "fsync_directory", synced.append)
    assert main(["build", str(root)]) == 0
    publish_dir = root / "publish"
    assert sorted(synced) == sorted({publish_dir, publish_dir / "categories",
                                     *(publish_dir / "categories" / slug for slug in
                                       ("news", "sport", "arts", "travel", "science"))})


def test_many_folders_are_made_durable_side_by_side_not_one_disk_wait_after_another(make_site, monkeypatch):
    root = make_site({f"items/{name}.yaml": entry_yaml(link=f"/{name}", categories=f"[{name}]")
                      for name in ("News", "Sport", "Arts", "Travel", "Science")})
    together = threading.Barrier(2, timeout=10)  # the first two wait for each other: one at a time, the first never returns
    calls = iter(range(1000))
    sync = publish.fsync_directory

    def waiting_for_another(directory: Path) -> None:
        if next(calls) < 2:
            together.wait()
        sync(directory)

    monkeypatch.setattr(publish, "fsync_directory", waiting_for_another)
    assert main(["build", str(root)]) == 0


def test_a_disk_that_cannot_make_one_of_many_folders_durable_gets_the_files_put_back(make_site, capsys, monkeypatch):
    names = ("News", "Sport", "Arts", "Travel", "Science")
    root = make_site({f"items/{name}.yaml": entry_yaml(link=f"/{name}", categories=f"[{name}]") for name in names})
    assert main(["build", str(root)]) == 0
    publish_dir = root / "publish"
    before = published_files(publish_dir)
    for name in names:
        (root / f"items/{name}.yaml").write_text(entry_yaml(title=f"{name}, later", link=f"/{name}",
                                                            categories=f"[{name}]"), encoding="utf-8")
    sync = publish.fsync_directory

    def failing_for_arts(directory: Path) -> None:
        if directory.name == "arts":
            raise OSError(5, "Input/output error", str(directory))
        sync(directory)

    monkeypatch.setattr(publish, "fsync_directory", failing_for_arts)
    capsys.readouterr()
    assert main(["build", str(root)]) == 3
    assert capsys.readouterr().err.splitlines()[-1].startswith("feeds: error: cannot write ")
    assert published_files(publish_dir) == before
    assert [path.name for path in publish_dir.rglob(TEMP_PREFIX + "*")] == []


def test_a_stop_while_the_replaced_files_are_let_go_still_lets_every_one_go(tmp_path, monkeypatch):
    """SIGTERM or Ctrl-C arrives as an exception wherever the build is: one that came while
    the old files' second names were being removed left the rest of them in the publish
    directory (a process group stopped as writing began, under load)."""
    out_dir = tmp_path / "publish"
    files = {f"feed-{number}.xml": b"<rss/>" for number in range(12)}
    publish_files(out_dir, files)
    unlinked = publish._unlinked
    stops = iter([KeyboardInterrupt])

    def stopped_once(path: Path) -> bool:
        if (stop := next(stops, None)) is not None:
            raise stop
        return unlinked(path)

    monkeypatch.setattr(publish, "_unlinked", stopped_once)
    with pytest.raises(KeyboardInterrupt):
        publish_files(out_dir, {name: b"<rss>new</rss>" for name in files})
    assert [path.name for path in out_dir.rglob(TEMP_PREFIX + "*")] == []
    assert {path.read_bytes() for path in out_dir.iterdir()} == {b"<rss>new</rss>"}


# A build whose disk will not remove the second names of the files it replaces (EIO).
SECOND_NAMES_STAY = """
import sys
from pathlib import Path
unlink = Path.unlink
def failing_for_second_names(path, missing_ok=False):
    if "-replaced-" in path.name:
        raise OSError(5, "Input/output error", str(path))
    unlink(path, missing_ok=missing_ok)
Path.unlink = failing_for_second_names
from feeds.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_replaced_files_second_name_that_cannot_be_removed_is_swept_by_the_next_build(make_site):
    root = make_site({"items/a.yaml": entry_yaml(categories="[News]")})
    assert main(["build", str(root)]) == 0
    publish_dir = root / "publish"
    (root / "items/a.yaml").write_text(entry_yaml(title="Storm, later", categories="[News]"), encoding="utf-8")
    subprocess.run([sys.executable, "-c", SECOND_NAMES_STAY, "build", str(root)], check=True, capture_output=True)
    assert [path.name for path in publish_dir.rglob(TEMP_PREFIX + "*")]  # left, hidden
    (root / "items/a.yaml").write_text(entry_yaml(title="Storm, later still", categories="[News]"), encoding="utf-8")
    assert main(["build", str(root)]) == 0  # cron's next
    assert [path.name for path in publish_dir.rglob(TEMP_PREFIX + "*")] == []


def test_with_archives_a_rename_that_fails_midway_leaves_no_new_archive_page(make_site, capsys):
    from .conftest import SITE_YAML

    entries = {f"items/{day}.yaml": entry_yaml(title=f"Day {day}", link=f"/{day}", published=f"2020-02-{day} 09:00",
                                               categories="[News]") for day in (10, 11, 12)}
    root = make_site(entries, site_yaml=SITE_YAML + "archive: true\nmax_items: 2\n")
    assert main(["build", str(root)]) == 0
    publish = root / "publish"
    (publish / "categories/news/rss.xml").unlink()
    (publish / "categories/news/rss.xml").mkdir()
    before = published_files(publish)
    (root / "items/13.yaml").write_text(entry_yaml(title="Day 13", link="/13", published="2020-02-13 09:00",
                                                   categories="[News]"), encoding="utf-8")
    assert main(["build", str(root)]) == 3
    assert published_files(publish) == before
    assert [path.name for path in publish.rglob(TEMP_PREFIX + "*")] == []
    (publish / "categories/news/rss.xml").rmdir()
    assert main(["build", str(root)]) == 0  # the folder moved aside: the next build makes them all
    assert_every_file_is_whole(publish)
    assert any(path.name.startswith("0001-") for path in (publish / "archive").rglob("*.xml"))


def test_two_builds_at_once_both_succeed_and_equal_one_build(tmp_path):
    site, single = tmp_path / "site", tmp_path / "single"
    write_big_site(site, 300)
    shutil.copytree(site, single)
    command = feeds_command("build", str(site), "--now", hour(400), "--quiet")
    both = [subprocess.Popen(command, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outcomes = [(process.wait(), process.stderr.read()) for process in both]
    assert outcomes == [(0, ""), (0, "")]
    assert main(["build", str(single), "--now", hour(400), "--quiet"]) == 0
    assert published_files(site / "publish") == published_files(single / "publish")


def test_a_build_gives_up_on_a_held_lock_with_exit_3_and_says_why(make_site, capsys):
    root = make_site({"items/a.yaml": entry_yaml()})
    with build_lock(root / ".feeds", timeout=0):
        started = time.monotonic()
        assert main(["build", str(root), "--lock-timeout", "0.2"]) == 3
        waited = time.monotonic() - started
    err = capsys.readouterr().err
    assert err.startswith("feeds: error: another build of this site is running")
    assert "gave up after waiting 0.2 s" in err and "--lock-timeout" in err and "Traceback" not in err
    assert 0.2 <= waited < 2
    assert not (root / "publish").exists()


def holding_the_lock(root: Path, then: str) -> subprocess.Popen[bytes]:
    """Another build's process, holding the site's lock, which then runs `then` (Python)."""
    script = ("import os, signal, sys, time; from pathlib import Path; from feeds.publish import build_lock\n"
              "with build_lock(Path(sys.argv[1]), 0):\n    print('held', flush=True)\n    " + then)
    holder = subprocess.Popen([sys.executable, "-c", script, str(root / ".feeds")], stdout=subprocess.PIPE)
    assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
    return holder


def test_a_build_that_gives_up_on_the_lock_names_the_process_holding_it(make_site, capsys):
    root = make_site({"items/a.yaml": entry_yaml()})
    holder = holding_the_lock(root, "time.sleep(60)")
    try:
        assert main(["build", str(root), "--lock-timeout", "0.2"]) == 3
    finally:
        holder.kill()
        holder.wait()
    assert capsys.readouterr().err == (
        f"feeds: error: another build of this site is running (process {holder.pid} holds {root}/.feeds/lock); "
        "gave up after waiting 0.2 s: try again when it finishes, or wait longer with --lock-timeout SECONDS\n")


def test_a_build_stopped_with_ctrl_z_holding_the_lock_is_named_with_how_to_resume_it(make_site, capsys):
    root = make_site({"items/a.yaml": entry_yaml()})
    holder = holding_the_lock(root, "os.kill(os.getpid(), signal.SIGSTOP)")  # Ctrl-Z in the desk's terminal
    try:
        time.sleep(0.2)
        assert main(["build", str(root), "--lock-timeout", "0.2"]) == 3
    finally:
        holder.kill()
        holder.wait()
    assert capsys.readouterr().err == (
        f"feeds: error: another build of this site is stopped (process {holder.pid} holds {root}/.feeds/lock, "
        "stopped by Ctrl-Z in its terminal or by SIGSTOP, and it will not finish until it is resumed); gave up "
        f"after waiting 0.2 s: resume it (fg in its terminal, or kill -CONT {holder.pid}) or end it "
        f"(kill {holder.pid})\n")


def test_a_second_build_waits_for_the_lock_then_builds(make_site):
    root = make_site({"items/a.yaml": entry_yaml()})
    with build_lock(root / ".feeds", timeout=0):
        waiting = subprocess.Popen(feeds_command("build", str(root), "--quiet", "--lock-timeout", "30"))
        time.sleep(0.5)  # the first build's work, during which the second must wait
        released = time.time()
    assert waiting.wait(timeout=30) == 0
    assert (root / "publish/rss.xml").stat().st_mtime >= released - 0.01


def test_unchanged_files_keep_their_mtime(make_site):
    root = make_site({"items/a.yaml": entry_yaml(categories="[News]"),
                      "items/b.yaml": entry_yaml(link="/b", categories="[Sport]")})
    assert main(["build", str(root), "--now", NOW]) == 0
    long_ago = time.time() - 3600
    for path in (root / "publish").rglob("*.*"):
        os.utime(path, (long_ago, long_ago))
    before = published_files(root / "publish")
    (root / "items/b.yaml").write_text(entry_yaml(title="Edited", link="/b", categories="[Sport]"), encoding="utf-8")
    assert main(["build", str(root), "--now", NOW]) == 0
    after = published_files(root / "publish")
    rewritten = {name for name in after if (root / "publish" / name).stat().st_mtime > long_ago + 1}
    assert rewritten == {name for name in after if after[name] != before[name]}
    assert {"rss.xml", "categories/sport/rss.xml"} <= rewritten
    assert not rewritten & {"categories/news/rss.xml", "categories/news/atom.xml", "categories/news/feed.json"}


@given(on_disk=st.binary(max_size=3 * publish.COMPARED_AT_ONCE), new=st.binary(max_size=3 * publish.COMPARED_AT_ONCE),
       edit=st.integers(min_value=0))
@settings(max_examples=200)
def test_a_file_is_taken_for_unchanged_exactly_when_it_holds_the_same_bytes(tmp_path_factory, on_disk, new, edit):
    same_size = bytearray(on_disk)
    if same_size:
        same_size[edit % len(same_size)] ^= 1  # one byte differs, anywhere in the file, the last piece too
    path = tmp_path_factory.mktemp("file") / "rss.xml"
    path.write_bytes(on_disk)
    for data in (on_disk, new, bytes(same_size), on_disk + b"x", on_disk[:-1]):
        assert publish._holds(path, data) == (data == on_disk)


def test_a_feed_changed_in_its_first_lines_is_not_read_whole_to_tell(tmp_path, monkeypatch):
    path = tmp_path / "rss.xml"
    path.write_bytes(b"<title>Old Wire</title>" + b"x" * (20 * publish.COMPARED_AT_ONCE))
    read: list[int] = []
    opened = open

    def counting_open(file, *args, **kwargs):
        stream = opened(file, *args, **kwargs)
        read_piece = stream.read
        stream.read = lambda size=-1: read.append(size) or read_piece(size)
        return stream

    monkeypatch.setattr("builtins.open", counting_open)
    assert not publish._holds(path, b"<title>New Wire</title>" + b"x" * (20 * publish.COMPARED_AT_ONCE))
    assert read == [publish.COMPARED_AT_ONCE]


def test_an_invalid_entry_in_a_strict_build_exits_1_and_leaves_publish_exactly_as_it_was(make_site):
    root = make_site({"items/a.yaml": entry_yaml(categories="[News]")})
    assert main(["build", str(root), "--now", NOW]) == 0
    before = files_and_mtimes(root / "publish")
    (root / "items/a.yaml").write_text(entry_yaml(title="Edited", categories="[News]"), encoding="utf-8")
    (root / "items/broken.yaml").write_text(entry_yaml(published="Feb 30 2020"), encoding="utf-8")
    assert main(["build", str(root), "--now", "2022-01-01 00:00", "--strict"]) == 1
    after = files_and_mtimes(root / "publish")
    assert after == before


def test_a_publish_directory_that_is_a_file_exits_3_in_one_line_naming_it(make_site, capsys, monkeypatch):
    root = make_site({"items/a.yaml": entry_yaml(categories="[News]")})
    (root / "publish").write_text("a file where the publish folder should be", encoding="utf-8")
    monkeypatch.chdir(root)
    assert main(["build", "--quiet"]) == 3
    assert capsys.readouterr().err == ("feeds: error: cannot write publish/categories: publish is a file, where a "
                                       "folder is needed; move it aside\n")


@pytest.mark.parametrize("command", ["build", "watch"])
def test_out_naming_a_file_is_wrong_usage(make_site, capsys, command):
    root = make_site({"items/a.yaml": entry_yaml()})
    (root.parent / "notes.txt").write_text("not a folder", encoding="utf-8")
    assert main([command, str(root), "--out", str(root.parent / "notes.txt")]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"feeds: error: --out {root.parent / 'notes.txt'} is a file: name a folder to publish into (it is made if missing)")
    assert (root.parent / "notes.txt").read_text(encoding="utf-8") == "not a folder"


def test_a_build_that_cannot_start_a_thread_exits_3_in_one_line_saying_which_limit(make_site, capsys, monkeypatch):
    import threading

    root = make_site({"items/a.yaml": entry_yaml()})

    def no_threads_left(thread: threading.Thread) -> None:
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(threading.Thread, "start", no_threads_left)  # ulimit -u, ulimit -v, systemd's TasksMax
    assert main(["build", str(root)]) == 3
    assert capsys.readouterr().err == (
        "feeds: error: cannot start a thread: this user's limit on processes or memory is reached (ulimit -u or -v, "
        "or systemd's TasksMax or MemoryMax); raise it, then build again\n")


def test_a_folder_where_the_manifest_goes_is_named_as_in_the_way_not_as_a_full_disk(make_site, capsys):
    root = make_site({"items/a.yaml": entry_yaml()})
    (root / ".feeds").mkdir()
    (root / ".feeds" / "manifest.json").mkdir()
    assert main(["build", str(root)]) == 3
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"feeds: error: cannot record what was written in {root / '.feeds'}: Is a directory; a folder stands where a "
        "file goes, or a file where a folder goes: move it away, then build again")


def test_a_write_that_fails_removes_the_folders_it_made_and_nothing_else(tmp_path):
    out = tmp_path / "publish"
    (out / "categories/news").mkdir(parents=True)
    (out / "categories/news/rss.xml").write_bytes(b"<rss/>")
    (out / "zz").write_bytes(b"a file where a folder is wanted")
    files = {"categories/news/rss.xml": b"<rss>new</rss>", "categories/sport/2020/rss.xml": b"<rss/>",
             "zz/rss.xml": b"<rss/>"}
    with pytest.raises(PublishError):
        publish_files(out, files)
    assert sorted(path.relative_to(out).as_posix() for path in out.rglob("*")) == [
        "categories", "categories/news", "categories/news/rss.xml", "zz"]
    assert (out / "categories/news/rss.xml").read_bytes() == b"<rss/>"


def test_a_build_stopped_by_the_file_size_limit_exits_3_and_leaves_publish_as_it_was(make_site):
    root = make_site({"items/a.yaml": entry_yaml(categories="[News]")})
    assert main(["build", str(root), "--now", NOW]) == 0
    before = files_and_mtimes(root / "publish")
    folders = sorted(path for path in (root / "publish").rglob("*") if path.is_dir())
    (root / "items/b.yaml").write_text(entry_yaml(title="Match", link="/sport/match", categories="[Sport, Tennis]",
                                                  summary="x" * 5_000), encoding="utf-8")

    def limit_file_size() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (4_096, 4_096))

    build = subprocess.run([sys.executable, "-m", "feeds", "build", str(root), "--now", NOW], cwd=REPO,
                           preexec_fn=limit_file_size, capture_output=True, text=True, timeout=60, check=False)
    assert build.returncode == 3, build.stderr
    assert build.stderr.startswith("feeds: error: cannot write ")
    assert build.stderr.endswith(": File too large; a file would pass the largest size feeds may write: "
                                 "raise the limit (ulimit -f, or systemd's LimitFSIZE)\n")
    assert files_and_mtimes(root / "publish") == before
    assert sorted(path for path in (root / "publish").rglob("*") if path.is_dir()) == folders


def test_a_folder_linked_out_of_the_publish_directory_is_never_written_through(make_site, tmp_path, capsys):
    """A link planted in publish/ would have a build run as root put feeds in any folder of the machine."""
    root = make_site({"items/a.yaml": entry_yaml(categories="[News]")})
    assert main(["build", str(root), "--now", NOW]) == 0
    before = files_and_mtimes(root / "publish")
    (tmp_path / "elsewhere").mkdir()
    (root / "publish/categories/sport").symlink_to(tmp_path / "elsewhere")
    (root / "items/b.yaml").write_text(entry_yaml(title="Match", link="/sport/match", categories="[Sport]"),
                                       encoding="utf-8")
    why = (f"cannot write {root / 'publish/categories/sport'}: it leads out of the publish directory, to "
           f"{tmp_path / 'elsewhere'}, through a link, and feeds writes only inside it; remove the link "
           "(feeds makes the folders it needs)")
    assert main(["build", str(root), "--now", NOW, "--dry-run"]) == 3
    assert capsys.readouterr().err.splitlines()[-1] == f"feeds: error: the build would stop: {why}"
    assert main(["build", str(root), "--now", NOW]) == 3
    assert capsys.readouterr().err.splitlines()[-1] == f"feeds: error: {why}"
    assert list((tmp_path / "elsewhere").iterdir()) == []
    assert files_and_mtimes(root / "publish") == before


def test_a_folder_of_the_publish_directory_linked_to_nothing_is_named_with_the_fix_by_the_dry_run_and_the_build(
        make_site, capsys):
    """mkdir in a link to nothing says only "No such file or directory", and a dry run saw nothing wrong."""
    root = make_site({"items/a.yaml": entry_yaml(categories="[News]")})
    assert main(["build", str(root), "--now", NOW]) == 0
    (root / "publish/categories/sport").symlink_to("sport-2020")  # a folder since moved or never made
    (root / "items/b.yaml").write_text(entry_yaml(title="Match", link="/sport/match", categories="[Sport]"),
                                       encoding="utf-8")
    why = (f"cannot write {root / 'publish/categories/sport'}: {root / 'publish/categories/sport'} is a link to "
           f"{root / 'publish/categories/sport-2020'}, which is not there; make that folder, or remove the link "
           "(feeds makes the folders it needs)")
    assert main(["build", str(root), "--now", NOW, "--dry-run"]) == 3
    assert capsys.readouterr().err.splitlines()[-1] == f"feeds: error: the build would stop: {why}"
    assert main(["build", str(root), "--now", NOW]) == 3
    assert capsys.readouterr().err.splitlines()[-1] == f"feeds: error: {why}"
    (root / "publish/categories/sport-2020").mkdir()
    assert main(["build", str(root), "--now", NOW]) == 0
    assert (root / "publish/categories/sport-2020/rss.xml").is_file()


def test_a_publish_directory_that_is_a_link_is_written_where_it_leads(make_site, tmp_path):
    root = make_site({"items/a.yaml": entry_yaml(categories="[News]")})
    (tmp_path / "www/feeds").mkdir(parents=True)
    (root / "publish").symlink_to(tmp_path / "www/feeds")
    assert main(["build", str(root), "--now", NOW]) == 0
    assert (tmp_path / "www/feeds/categories/news/rss.xml").is_file()


def test_files_feeds_did_not_write_are_left_alone(make_site):
    root = make_site({"items/a.yaml": entry_yaml(categories="[News]")})
    ours = {"robots.txt": b"User-agent: *\n", "categories/news/README": b"kept\n", ".htaccess": b"# server\n"}
    for relative, data in ours.items():
        (root / "publish" / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / "publish" / relative).write_bytes(data)
    assert main(["build", str(root), "--now", NOW]) == 0
    assert {relative: (root / "publish" / relative).read_bytes() for relative in ours} == ours


def test_a_killed_builds_temporary_file_is_removed_by_the_next_build(make_site):
    root = make_site({"items/a.yaml": entry_yaml()})
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    leftover = root / "publish" / f"{TEMP_PREFIX}{dead.pid}-0a1b2c3d-rss.xml"
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"<?xml version='1.0'?><rss")
    assert main(["build", str(root), "--now", NOW]) == 0
    assert not leftover.exists()


def test_a_temporary_left_by_a_build_killed_while_writing_is_removed_by_the_next_rebuild(make_site):
    root = make_site({"items/a.yaml": entry_yaml()})
    assert main(["build", str(root), "--now", NOW]) == 0
    begin_writing(root / ".feeds", root / "publish")  # as the killed build did, and never finished
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    leftover = root / "publish" / f"{TEMP_PREFIX}{dead.pid}-0a1b2c3d-rss.xml"
    leftover.write_bytes(b"<?xml version='1.0'?><rss")
    (root / "items/b.yaml").write_text(entry_yaml(title="Second story", link="/b"), encoding="utf-8")
    assert main(["build", str(root), "--now", NOW]) == 0
    assert not leftover.exists()


def test_a_temporary_left_by_a_killed_build_is_removed_by_the_next_rebuild_through_a_link_to_the_site(
        make_site, tmp_path):
    root = make_site({"items/a.yaml": entry_yaml()})
    assert main(["build", str(root), "--now", NOW]) == 0
    begin_writing(root / ".feeds", root / "publish")  # killed while writing, built as /srv/news, say
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    leftover = root / "publish" / f"{TEMP_PREFIX}{dead.pid}-0a1b2c3d-rss.xml"
    leftover.write_bytes(b"<?xml version='1.0'?><rss")
    (tmp_path / "news").symlink_to(root)  # the same site by another path: a link in the desk's home folder
    (root / "items/b.yaml").write_text(entry_yaml(title="Second story", link="/b"), encoding="utf-8")
    assert main(["build", str(tmp_path / "news"), "--now", NOW]) == 0
    assert not leftover.exists()


def test_a_temporary_of_a_process_still_running_is_swept_by_a_later_rebuild_once_it_has_ended(make_site):
    root = make_site({"items/a.yaml": entry_yaml()})
    assert main(["build", str(root), "--now", NOW]) == 0
    begin_writing(root / ".feeds", root / "publish")  # killed while writing
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])  # its id, reused
    leftover = root / "publish" / f"{TEMP_PREFIX}{running.pid}-0a1b2c3d-rss.xml"
    leftover.write_bytes(b"<?xml version='1.0'?><rss")
    (root / "items/b.yaml").write_text(entry_yaml(title="Second story", link="/b"), encoding="utf-8")
    assert main(["build", str(root), "--now", NOW]) == 0
    assert leftover.exists()  # a live process's, for all the build can tell
    running.kill()
    running.wait()
    (root / "items/c.yaml").write_text(entry_yaml(title="Third story", link="/c"), encoding="utf-8")
    assert main(["build", str(root), "--now", NOW]) == 0
    assert not leftover.exists()


def dead_but_not_reaped(pid: int) -> None:
    """Wait for a killed process to be a zombie: a signal is not dealt with at once, and on a
    busy machine the build looked while the process still ran (a live process's, for all it
    could tell, so kept)."""
    stat_file = Path(f"/proc/{pid}/stat")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            if stat_file.read_text().rsplit(")", 1)[1].split()[0] in ("Z", "X"):
                return
        except FileNotFoundError:  # no /proc here: the build tells a zombie another way
            return
        time.sleep(0.01)


def test_a_temporary_of_a_killed_build_not_yet_reaped_is_removed_by_the_next_build(make_site):
    root = make_site({"items/a.yaml": entry_yaml()})
    assert main(["build", str(root), "--now", NOW]) == 0
    begin_writing(root / ".feeds", root / "publish")
    killed = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    killed.send_signal(signal.SIGKILL)  # and not waited for: a zombie, as under a container's first process
    dead_but_not_reaped(killed.pid)
    leftover = root / "publish" / f"{TEMP_PREFIX}{killed.pid}-0a1b2c3d-rss.xml"
    leftover.write_bytes(b"<?xml version='1.0'?><rss")
    (root / "items/b.yaml").write_text(entry_yaml(title="Second story", link="/b"), encoding="utf-8")
    try:
        assert main(["build", str(root), "--now", NOW]) == 0
        assert not leftover.exists()
    finally:
        killed.wait()


def test_a_rebuild_after_builds_that_finished_writing_does_not_walk_the_publish_folder(make_site, monkeypatch):
    root = make_site({"items/a.yaml": entry_yaml()})
    assert main(["build", str(root), "--now", NOW]) == 0
    swept: list[Path] = []
    monkeypatch.setattr(publish, "_remove_stale_temporaries", swept.append)
    (root / "items/b.yaml").write_text(entry_yaml(title="Second story", link="/b"), encoding="utf-8")
    assert main(["build", str(root), "--now", NOW]) == 0
    assert swept == []
    assert not list((root / ".feeds").glob("writing-*"))


def test_an_expired_category_keeps_a_valid_empty_feed(make_site):
    root = make_site({"items/a.yaml": entry_yaml(categories="[Brief]", published="2020-01-01 00:00+00:00",
                                                 expires="2020-06-01 00:00+00:00")})
    assert main(["build", str(root), "--now", "2020-02-01 00:00+00:00"]) == 0
    assert main(["build", str(root), "--now", "2020-07-01 00:00+00:00"]) == 0
    assert json.loads((root / "publish/categories/brief/feed.json").read_bytes())["items"] == []
    assert etree.fromstring((root / "publish/categories/brief/rss.xml").read_bytes()).find("channel/item") is None


def test_a_build_leaves_no_temporary_files_behind(make_site):
    root = make_site({"items/a.yaml": entry_yaml(categories="[News, Sport]")})
    assert main(["build", str(root), "--now", NOW]) == 0
    assert not [path for path in (root / "publish").rglob(f"{TEMP_PREFIX}*")]


def test_a_build_that_replaces_files_leaves_each_once_and_no_second_name_behind(make_site):
    """The files a build replaces are held under a second name while the renames run."""
    root = make_site({"items/a.yaml": entry_yaml(categories="[News, Sport]")})
    assert main(["build", str(root), "--now", NOW]) == 0
    (root / "site.yaml").write_text((root / "site.yaml").read_text().replace("title: ", "title: New ", 1))
    assert main(["build", str(root), "--now", NOW]) == 0
    assert not [path for path in (root / "publish").rglob(f"{TEMP_PREFIX}*")]
    feeds = list((root / "publish").rglob("rss.xml"))
    assert len(feeds) == 3 and all(path.stat().st_nlink == 1 and b"<title>New " in path.read_bytes() for path in feeds)


@pytest.mark.parametrize(("out", "clash"), [(".", "the site's own folder"), ("items", "the site's items/ folder"),
                                            ("items/feeds", "inside the site's items/ folder"),
                                            (".feeds", "the site's .feeds/ folder"), ("..", "a folder holding the site")])
def test_a_build_into_the_sites_own_folders_is_refused_as_wrong_usage(make_site, capsys, out, clash):
    root = make_site({"items/a.yaml": entry_yaml()})
    status = main(["build", str(root), "--out", str(root / out)])
    assert status == 2
    assert f"is {clash}: the published files would mix with the site's own" in capsys.readouterr().err
    assert not (root / out / "rss.xml").exists()


@pytest.mark.parametrize("command", ["build", "watch"])
def test_a_build_into_a_folder_in_the_live_publish_directory_is_refused_as_wrong_usage(make_site, capsys, command):
    """publish/preview would be served to readers, and mirrored to the bucket, with the live feeds."""
    root = make_site({"items/a.yaml": entry_yaml()})
    assert main([command, str(root), "--out", str(root / "publish" / "preview")]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"feeds: error: --out {root / 'publish' / 'preview'} is inside the live publish directory publish/: readers "
        "would be served its files beside the live feeds (and publish_to mirror them); give it a folder outside the "
        "live one")
    assert not (root / "publish").exists()


def test_a_build_into_a_folder_holding_the_live_publish_directory_is_refused(make_site, tmp_path):
    import feeds

    from .conftest import SITE_YAML

    live = tmp_path / "www" / "feeds"
    root = make_site({"items/a.yaml": entry_yaml()}, site_yaml=SITE_YAML + f"publish_dir: {live}\n")
    with pytest.raises(feeds.OutDirError, match=f"a folder holding the live publish directory {live}/"):
        feeds.build_site(root, out=tmp_path / "www")
    assert not (tmp_path / "www").exists()


def test_out_naming_the_live_publish_directory_itself_builds_it(make_site):
    root = make_site({"items/a.yaml": entry_yaml()})
    assert main(["build", str(root), "--out", str(root / "publish"), "--quiet"]) == 0
    assert (root / "publish" / "rss.xml").is_file()


def test_the_library_refuses_out_through_a_symlink_to_the_site(make_site, tmp_path):
    import feeds

    root = make_site({"items/a.yaml": entry_yaml()})
    (tmp_path / "alias").symlink_to(root)
    with pytest.raises(feeds.OutDirError, match="items/ folder"):
        feeds.build_site(root, out=tmp_path / "alias" / "items")
    assert not (root / "items" / "rss.xml").exists()


@pytest.mark.parametrize("publish_dir", ["..", "/", "../alias/items"])
def test_a_publish_dir_that_would_serve_the_entries_is_refused(make_site, tmp_path, capsys, publish_dir):
    from .conftest import SITE_YAML

    root = make_site({"items/a.yaml": entry_yaml()}, site_yaml=SITE_YAML + f"publish_dir: {publish_dir}\n")
    (tmp_path / "alias").symlink_to(root)
    assert main(["build", str(root)]) == 1
    assert "publish_dir: expected a folder of its own for the published files" in capsys.readouterr().err
    assert not (root / "items" / "rss.xml").exists() and not (tmp_path / "rss.xml").exists()


@pytest.mark.parametrize("target, clash", [("items", "the site's items/ folder"), (".", "the site's own folder"),
                                           ("..", "a folder holding the site")])
@pytest.mark.parametrize("built_before", [False, True])
def test_a_default_publish_folder_that_is_a_link_into_the_site_is_refused(make_site, capsys, target, clash, built_before):
    root = make_site({"items/a.yaml": entry_yaml()})
    if built_before:  # site.yaml's last check is kept: the link came after it
        assert main(["build", str(root)]) == 0
        shutil.rmtree(root / "publish")
    (root / "publish").symlink_to(target)
    capsys.readouterr()
    assert main(["build", str(root)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f"site.yaml:1:1: publish_dir: expected a folder of its own for the published files, found publish (the "
        f"default), which is {clash}; remove the link publish, or write publish_dir: with a folder outside the site "
        "such as /var/www/feeds")
    assert not (root / "items" / "rss.xml").exists() and not (root / "rss.xml").exists()
    assert not (root.parent / "rss.xml").exists()


def test_a_publish_dir_that_is_a_file_is_refused_in_site_yaml_not_at_the_first_write(make_site, capsys):
    from .conftest import SITE_YAML

    root = make_site({"items/a.yaml": entry_yaml()}, site_yaml=SITE_YAML + "publish_dir: site.yaml\n")
    assert main(["build", str(root)]) == 1
    assert ('publish_dir: expected a folder of its own for the published files, found "site.yaml", which is a file'
            in capsys.readouterr().err)


@pytest.mark.parametrize("folder, why", [
    ("a" * 256, "which holds a folder name of 256 bytes, where a file system takes 255"),
    ("a/" * 64_000, "a path of "),
])
def test_a_publish_dir_no_file_system_can_name_is_refused_in_words_not_a_traceback(make_site, capsys, folder, why):
    """A name over 255 bytes made a look at whether it exists raise; a path 64,000 deep took seconds to compare."""
    from .conftest import SITE_YAML

    root = make_site({"items/a.yaml": entry_yaml()}, site_yaml=SITE_YAML + f"publish_dir: {folder}\n")
    assert main(["check", str(root)]) == 1
    err = capsys.readouterr().err
    assert "publish_dir: expected a folder the file system can name, found " in err and why in err
    assert "Traceback" not in err


def test_a_publish_dir_in_the_home_folder_is_read_as_a_shell_reads_it(make_site, tmp_path, monkeypatch):
    from .conftest import SITE_YAML

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    root = make_site({"items/a.yaml": entry_yaml()}, site_yaml=SITE_YAML + "publish_dir: ~/www/feeds\n")
    assert main(["build", str(root), "--quiet"]) == 0
    assert (tmp_path / "home" / "www" / "feeds" / "rss.xml").exists() and not (root / "~").exists()


def test_watch_refuses_out_in_the_sites_own_folders_before_watching(make_site, capsys):
    root = make_site({"items/a.yaml": entry_yaml()})
    assert main(["watch", str(root), "--out", str(root / "items")]) == 2
    assert "is the site's items/ folder" in capsys.readouterr().err


def _full(*args, **kwargs):
    raise OSError(28, "No space left on device")


def test_a_build_that_cannot_claim_its_files_in_feeds_folder_writes_nothing_and_exits_3(make_site, capsys, monkeypatch):
    """Written but not listed as ours, an archive page could never be removed when unlinked."""
    from feeds.build import rebuild

    root = make_site({"items/a.yaml": entry_yaml()}, site_yaml="title: T\nlink: https://news.example.com/\n"
                     "description: A test wire for the build.\narchive: true\n")
    monkeypatch.setattr(rebuild, "record_written", _full)
    assert main(["build", str(root), "--now", NOW]) == 3
    err = capsys.readouterr().err
    assert "cannot record what was written in" in err and "No space left on device" in err
    assert not (root / "publish").exists() or not any((root / "publish").rglob("*.xml"))


def test_a_build_that_cannot_save_its_held_entries_says_so_with_exit_3(make_site, capsys, monkeypatch):
    """Lost, they would let the next build withdraw the stories they hold."""
    from feeds.build import rebuild

    root = make_site({"items/a.yaml": entry_yaml()})
    monkeypatch.setattr(rebuild, "save_hold_state", _full)
    assert main(["build", str(root), "--now", NOW]) == 3
    assert "published, but cannot record what was written in" in capsys.readouterr().err


class _StoppedAfter(dict):  # type: ignore[type-arg]
    """Files to publish whose listing is cut short by Ctrl-C (or a watch's SIGTERM) after `count`."""

    def __init__(self, files: dict[str, bytes], count: int) -> None:
        super().__init__(files)
        self.count = count

    def items(self):  # type: ignore[no-untyped-def, override]
        for number, item in enumerate(super().items()):
            if number == self.count:
                raise KeyboardInterrupt
            yield item


def test_a_publish_stopped_by_ctrl_c_while_its_files_are_written_leaves_no_temporary_behind(tmp_path):
    """An archive build publishes its pages a batch at a time; stopped mid-batch (watch's Ctrl-C
    or SIGTERM), the files already handed to the writer threads must not stay as temporaries."""
    out = tmp_path / "publish"
    files = {f"archive/{number}.xml": b"x" * 100_000 for number in range(40)}
    with pytest.raises(KeyboardInterrupt):
        publish_files(out, _StoppedAfter(files, 30), sweep=False)
    time.sleep(0.5)  # the writer threads' last writes land
    assert [path.name for path in out.rglob(f"{TEMP_PREFIX}*")] == []


def test_a_publish_stopped_by_ctrl_c_while_it_holds_the_files_it_replaces_leaves_no_temporary_behind(tmp_path,
                                                                                                  monkeypatch):
    """Ctrl-C (or a watch's SIGTERM) as the files to be replaced get their second names: neither
    those names nor the staged files may stay in publish/ as .feeds-tmp-* files."""
    out = tmp_path / "publish"
    files = {f"{number}.xml": b"old" for number in range(10)}
    publish_files(out, files)
    real_link, calls = os.link, []

    def link_then_stopped(*arguments: object) -> None:
        calls.append(arguments)
        if len(calls) == 5:
            raise KeyboardInterrupt
        real_link(*arguments)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "link", link_then_stopped)
    with pytest.raises(KeyboardInterrupt):
        publish_files(out, {path: b"new" for path in files})
    assert [path.name for path in out.rglob(f"{TEMP_PREFIX}*")] == []


def test_a_file_that_cannot_be_written_is_named_as_readers_know_it_not_by_its_temporary(tmp_path, monkeypatch):
    opened = os.open

    def read_only_disk(path: object, flags: int, *args: object) -> int:
        if Path(str(path)).name.startswith(TEMP_PREFIX):
            raise OSError(30, "Read-only file system", str(path))
        return opened(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", read_only_disk)
    with pytest.raises(PublishError) as stopped:
        publish_files(tmp_path / "publish", {"rss.xml": b"<rss/>", "categories/news/rss.xml": b"<rss/>"})
    assert str(stopped.value) == (f"cannot write {tmp_path / 'publish/rss.xml'}: Read-only file system; "
                                  "that disk is mounted read-only: mount it read-write")


@pytest.mark.parametrize("error, fix", [
    (PermissionError(13, "Permission denied"), "Permission denied; let the user feeds runs as write there (check the permissions)"),
    (OSError(30, "Read-only file system"), "Read-only file system; that disk is mounted read-only: mount it read-write"),
], ids=["another user's site", "a site on a read-only disk"])
def test_a_lock_that_cannot_be_made_says_why_and_what_to_do(tmp_path, monkeypatch, error, fix):
    def refused(*args: object) -> int:
        raise error

    monkeypatch.setattr(publish, "open_unshared", refused)
    with pytest.raises(PublishError) as stopped, build_lock(tmp_path / ".feeds", timeout=0):
        pass
    assert str(stopped.value) == f"cannot create the lock in {tmp_path / '.feeds'}: {fix}"


@pytest.mark.parametrize("in_the_way, found", [(".feeds", "is a file, where feeds keeps its own state"),
                                              (".feeds", "is a link to nothing, where feeds keeps its own state"),
                                              (".feeds/lock", "is a folder, where feeds keeps its lock file")])
def test_a_file_or_folder_where_the_lock_goes_is_named(make_site, capsys, tmp_path, in_the_way, found):
    root = make_site({"items/a.yaml": entry_yaml()})
    if "a file" in found:
        (root / in_the_way).write_text("not a folder", encoding="utf-8")
    elif "link" in found:
        (root / in_the_way).symlink_to(tmp_path / "nothing-there")
    else:
        (root / in_the_way).mkdir(parents=True)
    assert main(["build", str(root)]) == 3
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"feeds: error: cannot create the lock in {root / '.feeds'}: {root / in_the_way} {found}; move it aside")


def test_a_stager_waits_for_the_disk_once_the_files_handed_to_it_outgrow_staging_bytes(tmp_path, monkeypatch):
    """Rendering outruns the disk: 12,004 files of 3,001 feeds, all handed over before most
    were written, held hundreds of MB."""
    monkeypatch.setattr(publish, "STAGING_BYTES", 10)
    disk_free = threading.Event()
    write = publish._stage
    monkeypatch.setattr(publish, "_stage", lambda path, data: disk_free.wait() and write(path, data))
    stager = publish.Stager(tmp_path / "publish")
    handing_over = threading.Thread(target=lambda: [stager.add(f"{name}.xml", b"8 bytes!") for name in "abc"])
    handing_over.start()
    handing_over.join(0.5)
    assert handing_over.is_alive()
    disk_free.set()
    handing_over.join()
    assert sorted(stager.staged().temporaries) == ["a.xml", "b.xml", "c.xml"]
