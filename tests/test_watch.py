"""`feeds watch`: rebuilds on an edit, and on time for a scheduled entry, with no cron."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from feeds import watch as watch_module
from feeds.build import BuildResult
from feeds.watch import BuildOutcome, FileEvents, watch

from .conftest import entry_yaml

DEADLINE_SECONDS = 30  # generous: waits end as soon as the effect shows, this only bounds a failure


class Watcher:
    """`watch` on a thread, with every outcome and notice it reports kept for the test to look at."""

    def __init__(self, root: Path, poll: float, events: bool) -> None:
        self.outcomes: list[BuildOutcome] = []
        self.notices: list[str] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=watch, args=(root, self.outcomes.append),
                                       kwargs={"poll": poll, "stop": self.stop, "events": events,
                                               "on_notice": self.notices.append}, daemon=True)

    def wait_for(self, condition: Callable[[], bool]) -> float:
        """Seconds until `condition` held; fails after DEADLINE_SECONDS."""
        started = time.monotonic()
        while not condition():
            assert time.monotonic() - started < DEADLINE_SECONDS, f"outcomes so far: {self.outcomes}"
            time.sleep(0.02)
        return time.monotonic() - started


@pytest.fixture
def start_watching() -> Iterator[Callable[..., Watcher]]:
    watchers: list[Watcher] = []

    def start(root: Path, poll: float = 0.1, events: bool = True) -> Watcher:
        watcher = Watcher(root, poll, events)
        watchers.append(watcher)
        watcher.thread.start()
        watcher.wait_for(lambda: len(watcher.outcomes) >= 1)
        return watcher

    yield start
    for watcher in watchers:
        watcher.stop.set()
        watcher.thread.join(timeout=DEADLINE_SECONDS)


def titles(root: Path) -> list[str]:
    return [item["title"] for item in json.loads((root / "publish/feed.json").read_bytes())["items"]]


def feed_title(root: Path) -> str:
    return str(json.loads((root / "publish/feed.json").read_bytes())["title"])


EITHER_WAY = pytest.mark.parametrize("events", [True, False], ids=["file-events", "polling"])


@EITHER_WAY
def test_an_edit_is_in_the_feed(make_site, start_watching, events):
    root = make_site({"items/a.yaml": entry_yaml(title="First")})
    watcher = start_watching(root, events=events)
    assert titles(root) == ["First"]
    (root / "items/a.yaml").write_text(entry_yaml(title="Edited"), encoding="utf-8")
    watcher.wait_for(lambda: titles(root) == ["Edited"])


@EITHER_WAY
def test_a_new_entry_file_is_picked_up(make_site, start_watching, events):
    root = make_site({"items/a.yaml": entry_yaml(title="First")})
    watcher = start_watching(root, events=events)
    (root / "items/2020/02").mkdir(parents=True)
    (root / "items/2020/02/b.yaml").write_text(entry_yaml(title="Second", link="/b", published="2020-02-21 09:00"),
                                               encoding="utf-8")
    watcher.wait_for(lambda: titles(root) == ["Second", "First"])


@EITHER_WAY
def test_a_deleted_entry_file_leaves_the_feed(make_site, start_watching, events):
    root = make_site({"items/a.yaml": entry_yaml(title="First"),
                      "items/b.yaml": entry_yaml(title="Second", link="/b", published="2020-02-21 09:00")})
    watcher = start_watching(root, events=events)
    assert titles(root) == ["Second", "First"]
    (root / "items/b.yaml").unlink()
    watcher.wait_for(lambda: titles(root) == ["First"])


@EITHER_WAY
def test_a_site_yaml_change_is_in_the_feed(make_site, start_watching, events):
    root = make_site({"items/a.yaml": entry_yaml(title="First")})
    watcher = start_watching(root, events=events)
    site_yaml = root / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8").replace("title: ", "title: Renamed ", 1),
                         encoding="utf-8")
    watcher.wait_for(lambda: feed_title(root).startswith("Renamed "))


@EITHER_WAY
def test_a_folder_moved_out_of_items_leaves_the_feed_whatever_its_name(make_site, start_watching, tmp_path, events):
    root = make_site({"items/a.yaml": entry_yaml(title="First"),
                      "items/2020.02/b.yaml": entry_yaml(title="Second", link="/b", published="2020-02-21 09:00")})
    watcher = start_watching(root, events=events)
    assert titles(root) == ["Second", "First"]
    (root / "items/2020.02").rename(tmp_path / "withdrawn")  # the event names only the folder, now gone
    watcher.wait_for(lambda: titles(root) == ["First"])


@EITHER_WAY
def test_an_items_folder_swapped_for_another_is_in_the_feed(make_site, start_watching, tmp_path, events):
    root = make_site({"items/a.yaml": entry_yaml(title="First")})
    (root / "items.new").mkdir()
    (root / "items.new/b.yaml").write_text(entry_yaml(title="Second", link="/b"), encoding="utf-8")
    watcher = start_watching(root, events=events)
    (root / "items").rename(root / "items.old")  # a deploy that swaps the whole folder: one event each
    (root / "items.new").rename(root / "items")
    watcher.wait_for(lambda: titles(root) == ["Second"])


@EITHER_WAY
def test_edits_through_items_made_a_link_while_watching_are_in_the_feed(make_site, start_watching, events):
    """A deploy that points items/ at a release's folder in the site, then at the next, and
    edits the folder by its own name: events followed only the links there when they
    started, and those that came under the folder's own name were not taken for items/."""
    root = make_site({"items/a.yaml": entry_yaml(title="First")})
    releases = root / "releases"
    watcher = start_watching(root, events=events)
    shutil.rmtree(root / "items")
    for number in range(3):
        release = releases / str(number)
        release.mkdir(parents=True)
        (release / "a.yaml").write_text(entry_yaml(title=f"Release {number}"), encoding="utf-8")
        (root / "items.next").symlink_to(release)
        (root / "items.next").replace(root / "items")
        watcher.wait_for(lambda number=number: titles(root) == [f"Release {number}"])
        time.sleep(0.2)  # the events started anew after that build
        (release / "a.yaml").write_text(entry_yaml(title=f"Release {number}, edited"), encoding="utf-8")  # its own path
        watcher.wait_for(lambda number=number: titles(root) == [f"Release {number}, edited"])


def test_a_site_on_a_network_filesystem_is_polled(make_site, start_watching, monkeypatch):
    monkeypatch.setattr(watch_module, "network_filesystem", lambda root: "nfs")
    root = make_site({"items/a.yaml": entry_yaml(title="First")})
    watcher = start_watching(root)
    assert len(watcher.notices) == 1 and "network filesystem (nfs)" in watcher.notices[0]
    (root / "items/a.yaml").write_text(entry_yaml(title="Edited"), encoding="utf-8")
    watcher.wait_for(lambda: titles(root) == ["Edited"])


def test_a_watch_told_to_poll_says_so(make_site, start_watching):
    watcher = start_watching(make_site({"items/a.yaml": entry_yaml(title="First")}), events=False)
    assert watcher.notices == ["--poll: polling every 0.1 s, not waiting for file events"]


def test_file_events_that_cannot_start_fall_back_to_polling(make_site, start_watching, monkeypatch):
    def no_events(root: Path) -> None:
        raise OSError("OS file watch limit reached")

    monkeypatch.setattr(watch_module, "FileEvents", no_events)
    root = make_site({"items/a.yaml": entry_yaml(title="First")})
    watcher = start_watching(root)
    assert watcher.notices == ["file events are not available (OS file watch limit reached): polling every 0.1 s"]
    (root / "items/a.yaml").write_text(entry_yaml(title="Edited"), encoding="utf-8")
    watcher.wait_for(lambda: titles(root) == ["Edited"])


def test_a_link_in_items_out_of_the_site_is_polled_not_followed_and_events_come_back_when_it_goes(
        make_site, start_watching, tmp_path, monkeypatch):
    """File events follow links: one to / or a media share took an OS watch for every folder there."""
    (tmp_path / "media/2020/02").mkdir(parents=True)
    root = make_site({"items/a.yaml": entry_yaml(title="First")})
    (root / "items/media").symlink_to(tmp_path / "media")
    started = []
    monkeypatch.setattr(watch_module, "FileEvents", lambda root: started.append(root) or FileEvents(root))
    watcher = start_watching(root)
    assert watcher.notices == ["file events are not available (items/media is a link out of the site, "
                               "which they would follow into every folder there): polling every 0.1 s"]
    (root / "items/media").unlink()
    (root / "items/a.yaml").write_text(entry_yaml(title="Edited"), encoding="utf-8")
    watcher.wait_for(lambda: titles(root) == ["Edited"])
    assert len(started) == 2 and len(watcher.notices) == 1  # the second started the events


def test_a_site_whose_path_is_not_utf8_is_polled_not_a_traceback(make_site, start_watching):
    """watchfiles takes paths of UTF-8 text alone: a folder named in Latin-1 raised UnicodeEncodeError."""
    root = make_site({"items/a.yaml": entry_yaml(title="First")}, name="r\udce9daction")  # rédaction in Latin-1
    watcher = start_watching(root)
    assert watcher.notices == ["file events are not available (the site's path is not UTF-8 text, which file events "
                               "take alone; rename its folders in UTF-8 for them, such as with convmv -f latin1 -t utf8 "
                               "--notest): polling every 0.1 s"]
    (root / "items/a.yaml").write_text(entry_yaml(title="Edited"), encoding="utf-8")
    watcher.wait_for(lambda: titles(root) == ["Edited"])


@pytest.mark.parametrize(("relative", "is_source"), [
    ("site.yaml", True), ("items", True), ("items/a.yaml", True), ("items/2020/02/b.yml", True), ("items/2020", True),
    ("items/.a.yaml.swp", False), ("items/a.yaml~", False), ("items/.git/HEAD", False), ("items/notes.txt", False),
    ("publish/rss.xml", False), ("publish/categories", False), (".feeds/cache", False), ("other.yaml", False),
])
def test_only_site_yaml_and_entry_files_wake_a_watch(tmp_path, relative, is_source):
    path = tmp_path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.mkdir() if "." not in path.name else path.write_text("", encoding="utf-8")
    events = FileEvents(tmp_path)
    try:
        assert events.is_source(str(tmp_path.resolve() / relative)) is is_source
    finally:
        events.close()


@pytest.mark.parametrize("name", ["2020.02", "v1.0"])
def test_a_folder_in_items_wakes_a_watch_whatever_its_name_and_so_does_one_gone(tmp_path, name):
    (tmp_path / "items" / name).mkdir(parents=True)
    events = FileEvents(tmp_path)
    try:
        assert events.is_source(str(tmp_path.resolve() / "items" / name))
        assert events.is_source(str(tmp_path.resolve() / "items" / "gone.d"))  # moved out: a folder, or was
    finally:
        events.close()


def test_polling_every_zero_seconds_waits_for_a_change_not_spins(make_site, monkeypatch):
    """A poll interval of 0 would turn the watch into a tight loop, a core spent on it."""
    root = make_site({"items/storm.yaml": entry_yaml(title="Storm", link="/storm")})
    looks = []
    monkeypatch.setattr(watch_module, "snapshot", lambda root: looks.append(root) or {})
    stop = threading.Event()
    threading.Timer(0.5, stop.set).start()
    started = time.monotonic()
    assert watch_module.Polling(root, 0).wait(None, stop) is False
    assert time.monotonic() - started >= 0.45
    assert len(looks) <= 0.5 / watch_module.SHORTEST_POLL_SECONDS + 2


def test_polling_a_site_that_takes_long_to_look_at_keeps_to_a_fifth_of_a_core(make_site, monkeypatch):
    """300,000 folders under items/ took 2 s a look: looks every 0.5 s kept a core busy for ever."""
    root = make_site({"items/storm.yaml": entry_yaml(title="Storm", link="/storm")})
    looks = []

    def slow_look(root: Path) -> dict[str, tuple[int, int, int]]:
        looks.append(root)
        time.sleep(0.2)
        return {}

    monkeypatch.setattr(watch_module, "snapshot", slow_look)
    stop = threading.Event()
    threading.Timer(3, stop.set).start()
    assert watch_module.Polling(root, 0.1).wait(None, stop) is False
    assert len(looks) <= 1 + 3 / (0.2 + 0.2 * watch_module.POLL_WAIT_PER_LOOK) + 1  # not 3 / (0.2 + 0.1): 10


def test_a_scheduled_entry_goes_out_at_its_time_without_any_edit(make_site, start_watching):
    due = (datetime.now(timezone.utc) + timedelta(seconds=2)).replace(microsecond=0) + timedelta(seconds=1)
    root = make_site({"items/a.yaml": entry_yaml(title="Now"),
                      "items/later.yaml": entry_yaml(title="Later", link="/later", published=due.isoformat())})
    # No poll before the deadline: only the wake-up at `due` can build it in time.
    watcher = start_watching(root, poll=DEADLINE_SECONDS * 6)
    assert titles(root) == ["Now"]
    watcher.wait_for(lambda: len(watcher.outcomes) == 2)
    assert titles(root) == ["Later", "Now"]  # so that build ran at or after `due`, not before
    first, last = watcher.outcomes
    assert isinstance(first, BuildResult) and first.next_change == due
    assert isinstance(last, BuildResult) and last.next_change is None


def test_a_clock_set_forward_while_waiting_does_not_delay_a_scheduled_entry(make_site, start_watching, monkeypatch):
    """A wait is timed on the monotonic clock, which NTP setting the clock forward at boot does
    not move: a story due in a day waited a day more than the clock said."""
    due = datetime.now(timezone.utc) + timedelta(days=1)
    root = make_site({"items/a.yaml": entry_yaml(title="Now"),
                      "items/later.yaml": entry_yaml(title="Later", link="/later", published=due.isoformat())})
    monkeypatch.setattr(watch_module, "LONGEST_WAIT_SECONDS", 0.1)
    watcher = start_watching(root, poll=DEADLINE_SECONDS * 6)
    monkeypatch.setattr(watch_module, "utc_now", lambda: due)  # the clock set forward to the story's time
    watcher.wait_for(lambda: len(watcher.outcomes) == 2)


def test_problems_are_reported_and_the_last_good_feeds_stay(make_site, start_watching):
    root = make_site({"items/a.yaml": entry_yaml(title="Good")})
    watcher = start_watching(root)
    good = (root / "publish/feed.json").read_bytes()
    (root / "items/a.yaml").write_text(entry_yaml(title="Broken", published="Feb 30 2020"), encoding="utf-8")
    watcher.wait_for(lambda: len(watcher.outcomes) == 2)
    outcome = watcher.outcomes[1]
    assert isinstance(outcome, BuildResult) and [p.path for p in outcome.check.problems] == ["items/a.yaml"]
    assert (root / "publish/feed.json").read_bytes() == good
    (root / "items/a.yaml").write_text(entry_yaml(title="Fixed"), encoding="utf-8")
    watcher.wait_for(lambda: titles(root) == ["Fixed"])


def test_ctrl_c_stops_watching_cleanly(make_site):
    root = make_site({"items/a.yaml": entry_yaml()})
    process = subprocess.Popen([sys.executable, "-m", "feeds", "watch", str(root)], stderr=subprocess.PIPE,
                               text=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert process.stderr.readline().startswith("watching ")
    assert re.match(r"\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+03:00 \((\d{4}-\d\d-\d\d )?\d\d:\d\d:\d\d UTC\)\] "
                    "4 files written, 0 unchanged", process.stderr.readline())
    process.send_signal(signal.SIGINT)
    rest = process.stderr.read()
    assert process.wait(timeout=5) == 0
    assert rest == "stopped watching\n"


@pytest.mark.parametrize("site", ["no-such-site", "site.yaml"])
def test_a_site_that_is_not_a_folder_is_wrong_usage_not_watched_for_ever(tmp_path, site):
    (tmp_path / "site.yaml").write_text("title: A file, not a site\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "feeds", "watch", str(tmp_path / site)], capture_output=True,
                          text=True, timeout=DEADLINE_SECONDS)
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1].startswith("feeds: error: argument SITE: expected the site's folder, found ")


def test_each_watched_rebuild_line_is_stamped_with_the_time(make_site, capsys):
    import argparse

    from feeds.build import build_site
    from feeds.cli_build import report_watched_build

    root = make_site({"items/a.yaml": entry_yaml(), "items/b.yaml": "title: [\n"})
    args = argparse.Namespace(quiet=False, verbose=False, site=str(root), to=None, notify=True, out=None, lock_timeout=1)
    report_watched_build(args, build_site(root))
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 3
    assert all(re.match(r"\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+03:00 \(.*UTC\)\] ", line) for line in lines)


def test_a_watched_build_that_could_not_write_is_stamped_on_the_sites_clock_too(make_site, capsys):
    import argparse

    from feeds.cli_build import report_watched_build
    from feeds.publish import PublishError

    root = make_site({"items/a.yaml": entry_yaml()})  # the site's timezone is Europe/Istanbul (+03:00)
    args = argparse.Namespace(quiet=False, verbose=False, site=str(root), to=None, notify=True, out=None, lock_timeout=1)
    report_watched_build(args, PublishError("cannot write publish: No space left on device"))
    line = capsys.readouterr().err
    assert re.match(r"\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+03:00 \(.*UTC\)\] feeds: error: cannot write", line), line


def test_a_watched_warning_is_stamped_like_every_other_line(capsys):
    from feeds.report import Report

    Report(stamp="[2026-12-01 09:00:00 UTC] ").warning("https://hub.example/ did not answer")
    assert capsys.readouterr().err == "[2026-12-01 09:00:00 UTC] feeds: warning: https://hub.example/ did not answer\n"


def test_polling_waits_for_a_burst_of_changes_to_end_before_it_builds(make_site):
    """A git checkout caught half-way by a poll published 380 of 400 stories until the next one."""
    root = make_site({"items/storm.yaml": entry_yaml(title="Storm", link="/storm")})
    polling = watch_module.Polling(root, 0.05)

    def checkout() -> None:
        (root / "items" / "a.yaml").write_text(entry_yaml(title="A", link="/a"), encoding="utf-8")
        time.sleep(0.1)
        (root / "items" / "b.yaml").write_text(entry_yaml(title="B", link="/b"), encoding="utf-8")

    writer = threading.Thread(target=checkout)
    writer.start()
    assert polling.wait(5, threading.Event()) is True
    writer.join()
    assert {name.rsplit("/", 1)[-1] for name in polling.seen} >= {"a.yaml", "b.yaml"}


def test_polling_sees_an_edit_of_the_same_size_and_mtime_as_the_last(make_site):
    """Two saves within one second, the second given the first's mtime: the poll saw the
    same mtime, size and inode, and the feeds kept the first version."""
    root = make_site({"items/storm.yaml": entry_yaml(title="Storm AAAA", link="/storm")})
    entry = root / "items" / "storm.yaml"
    first = entry.stat()
    polling = watch_module.Polling(root, 0.05)
    time.sleep(0.01)  # a ctime tick later
    entry.write_text(entry_yaml(title="Storm BBBB", link="/storm"), encoding="utf-8")
    os.utime(entry, ns=(first.st_atime_ns, first.st_mtime_ns))
    assert polling.wait(2, threading.Event()) is True
