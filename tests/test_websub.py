"""WebSub: every feed names its hubs, `feeds serve` sends them, and each build tells the
hubs (real HTTP servers on 127.0.0.1) which feeds changed, and only those."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import feedparser
import pytest
from lxml import etree

import feeds.cache
from feeds.build import build_site
from feeds.cli import main
from feeds.deliver import deliver
from feeds.serve import make_server
from feeds.websub import notify_hubs

from .conftest import SITE_YAML, entry_yaml
from .servers import closed_port, hub

FEED_FILES = ("rss.xml", "atom.xml", "feed.json")
PUBLISH_URL = "https://news.example.com/feeds/"


def site_with_hubs(make_site, *hubs: str, entries: dict[str, str] | None = None) -> Path:
    listed = ", ".join(f'"{url}"' for url in hubs)
    entries = entries if entries is not None else {"items/a.yaml": entry_yaml(categories="[Sport]")}
    return make_site(entries, site_yaml=SITE_YAML + f"hub: [{listed}]\n")


def every_feed_url(root: Path) -> list[str]:
    return sorted(PUBLISH_URL + path.relative_to(root / "publish").as_posix()
                  for path in (root / "publish").rglob("*") if path.name in FEED_FILES)


def test_every_feed_names_its_hubs_in_its_own_format(make_site):
    hubs = ("https://hub.example.com/", "https://pubsubhubbub.appspot.com/")
    root = site_with_hubs(make_site, *hubs)
    assert build_site(root).check.ok
    publish = root / "publish"
    for name in ("rss.xml", "atom.xml"):
        parsed = feedparser.parse((publish / name).read_bytes())
        assert parsed.bozo == 0
        assert [link.href for link in parsed.feed.links if link.rel == "hub"] == list(hubs)
    rss = etree.fromstring((publish / "rss.xml").read_bytes())
    atom_links = rss.findall("channel/{http://www.w3.org/2005/Atom}link")
    assert [(link.get("rel"), link.get("href")) for link in atom_links][1:] == [("hub", hub_url) for hub_url in hubs]
    document = json.loads((publish / "feed.json").read_bytes())
    assert document["hubs"] == [{"type": "WebSub", "url": hub_url} for hub_url in hubs]


def test_a_feed_without_hubs_names_none(make_site):
    root = make_site({"items/a.yaml": entry_yaml()})
    build_site(root)
    assert b'rel="hub"' not in (root / "publish" / "rss.xml").read_bytes()
    assert "hubs" not in json.loads((root / "publish" / "feed.json").read_bytes())


@pytest.mark.parametrize("hub_value", ["/relative/hub", "ftp://hub.example.com/", "[https://ok.example/, 7]",
                                       '"http://[::1"', "http://hub.example:99999/"])
def test_a_hub_that_is_not_an_http_url_is_reported_at_its_line_and_column(make_site, capsys, hub_value):
    root = make_site({"items/a.yaml": entry_yaml()}, site_yaml=SITE_YAML + f"hub: {hub_value}\n")
    assert main(["build", str(root)]) == 1
    line = len(SITE_YAML.splitlines()) + 1
    assert f"site.yaml:{line}:" in capsys.readouterr().err
    assert not (root / "publish").exists()


def test_a_hub_written_without_https_is_told_to_write_its_own_address_with_it_and_nothing_glued_after(make_site,
                                                                                                      capsys):
    """It was told 'write hub: https://pubsubhubbub.appspot.com/, or a list': done word for word, the site's
    notices went to another hub, and a copy up to the comma made the URL end in ','."""
    root = make_site({"items/a.yaml": entry_yaml()}, site_yaml=SITE_YAML + "hub: hub.news.example.com/\n")
    assert main(["check", str(root)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f'site.yaml:{len(SITE_YAML.splitlines()) + 1}:6: hub: expected the absolute http(s) URL of a WebSub hub, '
        'found text "hub.news.example.com/"; write hub: https://hub.news.example.com/ (or a list of such URLs)')


def test_a_hub_written_without_https_in_a_list_is_told_the_list_with_it(make_site, capsys):
    """It was told 'write hub: https://hub.news.example.com/ (or a list of such URLs)': done
    word for word, the list's other hub was told nothing again."""
    root = make_site({"items/a.yaml": entry_yaml()},
                     site_yaml=SITE_YAML + "hub: [hub.news.example.com/, https://pubsubhubbub.appspot.com/]\n")
    assert main(["check", str(root)]) == 1
    assert capsys.readouterr().err.splitlines()[0].endswith(
        'found text "hub.news.example.com/"; write hub: [https://hub.news.example.com/, https://pubsubhubbub.appspot.com/]')


def test_a_hub_that_is_no_http_url_in_a_list_is_told_to_mend_it_in_its_place(make_site, capsys):
    """It was told 'write the hub's URL, such as hub: https://pubsubhubbub.appspot.com/ (or a
    list of URLs)': done word for word, the list's other hub was dropped."""
    root = make_site({"items/a.yaml": entry_yaml()},
                     site_yaml=SITE_YAML + "hub: [ftp://hub.news.example.com/, https://pubsubhubbub.appspot.com/]\n")
    assert main(["check", str(root)]) == 1
    assert capsys.readouterr().err.splitlines()[0].endswith(
        'found text "ftp://hub.news.example.com/"; write the hub\'s URL in its place in the list, '
        "such as https://pubsubhubbub.appspot.com/")


def test_a_hub_url_with_a_password_is_refused_without_showing_it(make_site, capsys):
    root = make_site({"items/a.yaml": entry_yaml()}, site_yaml=SITE_YAML + 'hub: "https://desk:s3cret@hub.example/"\n')
    assert main(["build", str(root)]) == 1
    err = capsys.readouterr().err
    assert ("hub: expected the public URL of a WebSub hub, found a URL with a user name or password in it, "
            "which every reader would see" in err)
    assert "s3cret" not in err and not (root / "publish").exists()


def test_more_hubs_than_a_site_uses_are_refused(make_site, capsys):
    hubs = ", ".join(f"https://hub{number}.example/" for number in range(11))
    root = make_site({"items/a.yaml": entry_yaml()}, site_yaml=SITE_YAML + f"hub: [{hubs}]\n")
    assert main(["check", str(root)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f"site.yaml:{len(SITE_YAML.splitlines()) + 1}:6: hub: expected at most 10 hubs, found 11; a site announces its "
        "feeds to one or two hubs; keep those it uses")


def test_serve_sends_the_hub_and_self_links_with_each_feed(make_site):
    root = site_with_hubs(make_site, "https://hub.example.com/")
    build_site(root)
    server = make_server(root / "publish", 0, hubs=("https://hub.example.com/",), publish_url=PUBLISH_URL)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        headers = {}
        for path in ("/categories/sport/atom.xml", "/index.html"):
            connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=5)
            connection.request("GET", path)
            headers[path] = connection.getresponse().getheader("Link")
            connection.close()
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    assert headers["/categories/sport/atom.xml"] == (
        f'<https://hub.example.com/>; rel="hub", <{PUBLISH_URL}categories/sport/atom.xml>; rel="self"')
    assert headers["/index.html"] is None


def test_the_first_build_notifies_each_hub_of_every_feed(make_site):
    with hub() as first, hub() as second:
        root = site_with_hubs(make_site, first.url, second.url)
        assert main(["build", str(root), "--quiet"]) == 0
    for server in (first, second):
        assert len(server.posts) == 1
        post = server.posts[0]
        assert post["content_type"] == "application/x-www-form-urlencoded"
        assert post["modes"] == ["publish"]
        assert sorted(server.notified_urls()) == every_feed_url(root)
        assert len(server.notified_urls()) == 6  # the site's three feeds and Sport's three


def test_a_build_in_which_nothing_changed_notifies_no_hub(make_site):
    with hub() as server:
        root = site_with_hubs(make_site, server.url)
        main(["build", str(root), "--quiet"])
        main(["build", str(root), "--quiet"])
    assert len(server.posts) == 1


def test_an_edited_entry_notifies_exactly_the_feeds_whose_bytes_changed(make_site):
    entries = {"items/a.yaml": entry_yaml(categories="[Sport]"),
               "items/b.yaml": entry_yaml("Markets calm", "/news/markets", categories="[Business]")}
    with hub() as server:
        root = site_with_hubs(make_site, server.url, entries=entries)
        main(["build", str(root), "--quiet"])
        (root / "items/b.yaml").write_text(entry_yaml("Markets fall", "/news/markets", categories="[Business]"),
                                           encoding="utf-8")
        main(["build", str(root), "--quiet"])
    assert sorted(server.posts[1]["urls"]) == sorted(  # type: ignore[arg-type]
        PUBLISH_URL + path for path in (*FEED_FILES, *(f"categories/business/{name}" for name in FEED_FILES)))


def test_a_build_into_an_emptied_publish_directory_notifies_only_the_feeds_whose_bytes_changed(make_site, monkeypatch):
    """A CI job that builds into a fresh folder and rsyncs it, .feeds/ kept, told the hubs of
    every feed at every build, nothing changed."""
    monkeypatch.setattr(feeds.cache, "RACY_WINDOW_NS", 0)  # the files' stats are trusted at once, as a minute later
    with hub() as server:
        root = site_with_hubs(make_site, server.url)
        main(["build", str(root), "--quiet"])
        shutil.rmtree(root / "publish")
        main(["build", str(root), "--quiet"])
        assert len(server.posts) == 1
        (root / "items/b.yaml").write_text(entry_yaml("Markets fall", "/news/markets", categories="[Business]"),
                                           encoding="utf-8")
        shutil.rmtree(root / "publish")
        main(["build", str(root), "--quiet"])
    assert sorted(server.posts[1]["urls"]) == sorted(  # type: ignore[arg-type]
        PUBLISH_URL + path for path in (*FEED_FILES, *(f"categories/business/{name}" for name in FEED_FILES)))


def test_a_build_that_holds_back_an_invalid_entry_notifies_the_feeds_it_wrote(make_site):
    with hub() as server:
        root = site_with_hubs(make_site, server.url)
        main(["build", str(root), "--quiet"])
        (root / "items/b.yaml").write_text(entry_yaml("Markets fall", "/news/markets"), encoding="utf-8")
        (root / "items/broken.yaml").write_text("title: Half-written\n", encoding="utf-8")
        assert main(["build", str(root), "--quiet"]) == 1
    assert len(server.posts) == 2
    assert sorted(server.posts[1]["urls"]) == sorted(PUBLISH_URL + name for name in FEED_FILES)  # type: ignore[arg-type]


def test_a_hub_that_answers_500_is_reported_and_the_exit_status_stays_0(make_site, capsys):
    with hub(status=500) as failing:
        root = site_with_hubs(make_site, failing.url)
        assert main(["build", str(root), "--quiet"]) == 0
    assert f"feeds: warning: WebSub hub {failing.url} answered 500" in capsys.readouterr().err
    pending = json.loads((root / ".feeds/websub-pending.json").read_bytes())
    assert sorted(pending[failing.url]) == every_feed_url(root)


@pytest.mark.parametrize("status, reason", [(404, "Not Found"), (410, "Gone")])
def test_a_hub_that_refuses_the_notice_is_told_it_once_with_the_fix_and_not_again(make_site, capsys, status, reason):
    """Kept pending, the notice was sent again at every build, and refused again: a warning in
    cron's mail every minute, and a watch that retried it every minute, for an address only
    site.yaml can mend."""
    with hub(status=status) as refusing:
        root = site_with_hubs(make_site, refusing.url)
        assert main(["build", str(root), "--quiet"]) == 0
        assert main(["build", str(root), "--quiet"]) == 0  # nothing changed
    assert len(refusing.posts) == 1
    assert capsys.readouterr().err == (
        f"feeds: warning: WebSub hub {refusing.url} answered {status} {reason}, a refusal of the notice that sending "
        "it again would only repeat: check the hub's address in site.yaml (hub); 6 feeds will not be sent to it "
        "again\n")
    assert json.loads((root / ".feeds/websub-pending.json").read_bytes()) == {}


@pytest.mark.parametrize("status", [408, 429])
def test_a_hub_that_is_busy_keeps_its_notifications_for_the_next_build(make_site, capsys, status):
    with hub(status=status) as busy:
        root = site_with_hubs(make_site, busy.url)
        assert main(["build", str(root), "--quiet"]) == 0
        busy.status = 204
        assert main(["build", str(root), "--quiet"]) == 0
    assert "6 feeds will be notified again at the next build" in capsys.readouterr().err
    assert sorted(busy.posts[1]["urls"]) == every_feed_url(root)  # type: ignore[arg-type]


def test_a_hub_that_cannot_be_reached_keeps_its_notifications_for_the_next_build(make_site, capsys):
    dead = f"http://127.0.0.1:{closed_port()}/hub"
    with hub() as alive:
        root = site_with_hubs(make_site, dead, alive.url)
        assert main(["build", str(root), "--quiet"]) == 0
        assert f"WebSub hub {dead} could not be reached" in capsys.readouterr().err
        assert sorted(alive.notified_urls()) == every_feed_url(root)
    with hub() as later:
        state = root / ".feeds"
        result = notify_hubs([dead, later.url], [], state)
        assert sorted(result.pending[dead]) == every_feed_url(root)
        assert later.posts == []  # it was told of nothing: it had nothing pending


def test_notifications_kept_by_a_failure_go_out_at_the_next_build(make_site, capsys):
    with hub(status=503) as server:
        root = site_with_hubs(make_site, server.url)
        main(["build", str(root), "--quiet"])
        server.status = 204
        main(["build", str(root), "--quiet"])  # nothing changed locally
    assert len(server.posts) == 2
    assert sorted(server.posts[1]["urls"]) == every_feed_url(root)  # type: ignore[arg-type]
    assert json.loads((root / ".feeds/websub-pending.json").read_bytes()) == {}


def test_notifications_stay_pending_when_a_build_is_stopped_while_it_tells_the_hubs(make_site, monkeypatch):
    import feeds.websub

    def stopped(*args: object) -> None:
        raise KeyboardInterrupt  # Ctrl-C, or SIGTERM to a watch, while the hubs are slow to answer

    with hub() as server:
        root = site_with_hubs(make_site, server.url)
        with monkeypatch.context() as stopping:
            stopping.setattr(feeds.websub, "publish_pings", stopped)
            assert main(["build", str(root), "--quiet"]) == 130
        assert main(["build", str(root), "--quiet"]) == 0  # nothing changed locally
    assert sorted(server.notified_urls()) == every_feed_url(root)


def test_a_build_killed_once_its_feeds_are_in_place_leaves_the_hubs_owed_them(make_site):
    with hub() as server:
        root = site_with_hubs(make_site, server.url)
        build_site(root)  # the feeds in place, as a build killed (kill -9) before it told the hubs left them
        assert main(["build", str(root), "--quiet"]) == 0  # nothing changed locally
    assert sorted(server.notified_urls()) == every_feed_url(root)


def test_a_change_two_overlapping_builds_publish_is_notified_once(make_site):
    """Cron's build wrote the change and owed it; the watch's build, between that build and its
    delivery, found nothing new and sent what was owed; cron's delivery then sent it again."""
    with hub() as server:
        root = site_with_hubs(make_site, server.url)
        deliver(build_site(root), root)
        (root / "items/b.yaml").write_text(entry_yaml("Markets fall", "/news/markets"), encoding="utf-8")
        by_cron = build_site(root)
        by_watch = build_site(root)
        deliver(by_watch, root)
        deliver(by_cron, root)
    assert len(server.posts) == 2
    assert sorted(server.posts[1]["urls"]) == sorted(PUBLISH_URL + name for name in FEED_FILES)  # type: ignore[arg-type]


def test_a_preview_into_another_folder_leaves_the_hubs_owed_nothing(make_site, tmp_path):
    with hub() as server:
        root = site_with_hubs(make_site, server.url)
        main(["build", str(root), "--quiet"])
        (root / "items/a.yaml").write_text(entry_yaml("Storm reopens ports", categories="[Sport]"), encoding="utf-8")
        build_site(root, out=tmp_path / "preview")
    assert json.loads((root / ".feeds/websub-pending.json").read_bytes()) == {}


def test_a_hub_slower_than_the_timeout_is_reported_without_holding_the_build(tmp_path):
    with hub(delay=2.0) as slow:
        result = notify_hubs([slow.url], [PUBLISH_URL + "rss.xml"], tmp_path, timeout=0.3)
    assert result.failures[0].reason == "did not answer within 0.3 s"
    assert result.pending == {slow.url: (PUBLISH_URL + "rss.xml",)}


def test_hubs_that_do_not_answer_hold_the_build_one_timeout_not_one_each_nor_the_hub_after_them(tmp_path):
    with hub(delay=2.0) as slow, hub(delay=2.0) as slower, hub(delay=2.0) as slowest, hub() as alive:
        started = time.monotonic()
        result = notify_hubs([slow.url, slower.url, slowest.url, alive.url], [PUBLISH_URL + "rss.xml"], tmp_path,
                             timeout=0.5)
        took = time.monotonic() - started
    assert took < 1.0  # told one after another, 1.5 s
    assert [failure.hub for failure in result.failures] == [slow.url, slower.url, slowest.url]
    assert result.notified == {alive.url: (PUBLISH_URL + "rss.xml",)}


def test_a_hub_that_answers_a_byte_at_a_time_is_given_up_on_at_the_timeout(tmp_path):
    with hub(trickle=0.1) as slow:  # never silent for the timeout, but 4 s to answer in all
        started = time.monotonic()
        result = notify_hubs([slow.url], [PUBLISH_URL + "rss.xml"], tmp_path, timeout=0.5)
        took = time.monotonic() - started
    assert took < 2
    assert result.failures[0].reason == "did not answer within 0.5 s"
    assert result.pending == {slow.url: (PUBLISH_URL + "rss.xml",)}


@pytest.mark.parametrize("answer", [b"SSH-2.0-OpenSSH_9.6\r\n", b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * 70000 + b"\r\n\r\n"])
def test_a_hub_that_does_not_answer_in_http_is_reported_and_kept_pending(tmp_path, answer):
    with hub(raw=answer) as wrong, hub() as right:
        result = notify_hubs([wrong.url, right.url], [PUBLISH_URL + "rss.xml"], tmp_path)
    assert result.failures[0].reason.startswith("did not answer in HTTP (")
    assert result.pending == {wrong.url: (PUBLISH_URL + "rss.xml",)}
    assert right.notified_urls() == [PUBLISH_URL + "rss.xml"]


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_hub_that_redirects_is_not_counted_as_notified_and_its_new_address_is_named(tmp_path, status):
    with hub() as moved_to, hub(status=status, location="") as moved:
        moved.location = moved_to.url
        result = notify_hubs([moved.url], [PUBLISH_URL + "rss.xml"], tmp_path)
    assert moved_to.posts == []  # a redirect followed by urllib is a GET without the notification
    assert result.notified == {}
    assert result.failures[0].reason.startswith(f"answered {status} ")
    assert moved_to.url in result.failures[0].reason
    assert result.pending == {moved.url: (PUBLISH_URL + "rss.xml",)}


def test_no_notify_keeps_the_notifications_pending_for_the_next_build(make_site):
    with hub() as server:
        root = site_with_hubs(make_site, server.url)
        assert main(["build", str(root), "--quiet", "--no-notify"]) == 0
        assert server.posts == []
        main(["build", str(root), "--quiet"])
    assert sorted(server.notified_urls()) == every_feed_url(root)


def test_notifications_owed_to_a_hub_dropped_from_site_yaml_are_forgotten(make_site):
    with hub(status=503) as server:
        root = site_with_hubs(make_site, server.url)
        main(["build", str(root), "--quiet"])
    assert json.loads((root / ".feeds/websub-pending.json").read_bytes()) != {}
    (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    assert main(["build", str(root), "--quiet"]) == 0
    assert json.loads((root / ".feeds/websub-pending.json").read_bytes()) == {}


def test_a_site_with_no_target_and_no_hub_delivers_nothing_and_loads_neither(make_site):
    root = make_site({"items/a.yaml": entry_yaml()})
    script = ("import sys, feeds; built = feeds.build_site(sys.argv[1]); "
              "print(feeds.deliver(built, sys.argv[1]), 'feeds.mirror' in sys.modules, 'feeds.websub' in sys.modules)")
    ran = subprocess.run([sys.executable, "-c", script, str(root)], capture_output=True, text=True, check=True)
    assert ran.stdout.split() == ["None", "False", "False"]
    assert not (root / ".feeds/websub-pending.json").exists()


def test_a_preview_build_into_another_folder_notifies_no_hub(make_site, tmp_path):
    with hub() as server:
        root = site_with_hubs(make_site, server.url)
        assert main(["build", str(root), "--quiet", "--out", str(tmp_path / "preview")]) == 0
    assert server.posts == []


def test_watch_notifies_the_hubs_after_each_rebuild(make_site):
    with hub() as server:
        root = site_with_hubs(make_site, server.url)
        watcher = subprocess.Popen([sys.executable, "-m", "feeds", "watch", str(root), "--quiet", "--poll", "--poll-interval", "0.1"],
                                   cwd=Path(__file__).parent.parent, stderr=subprocess.PIPE)
        try:
            wait_for(lambda: len(server.posts) == 1)
            (root / "items/a.yaml").write_text(entry_yaml("Storm reopens ports", categories="[Sport]"),
                                               encoding="utf-8")
            wait_for(lambda: len(server.posts) == 2)
        finally:
            watcher.terminate()
            _, errors = watcher.communicate(timeout=10)
    assert watcher.returncode == 0, errors
    assert sorted(server.posts[1]["urls"]) == every_feed_url(root)  # type: ignore[arg-type]


def test_watch_notifies_a_hub_that_failed_again_on_a_timer_with_no_edit(make_site):
    with hub(status=500) as server:
        root = site_with_hubs(make_site, server.url)
        watcher = subprocess.Popen([sys.executable, "-m", "feeds", "watch", str(root), "--quiet", "--poll",
                                    "--retry-interval", "0.3"], cwd=Path(__file__).parent.parent,
                                   stderr=subprocess.PIPE)
        try:
            wait_for(lambda: len(server.posts) >= 2)  # the build's notification, then a retry on the timer
            server.status = 204  # the hub recovers
            wait_for(lambda: pending(root) == {})
            posts = len(server.posts)
            time.sleep(1.0)  # three retry intervals
            assert len(server.posts) == posts  # once everything went out, the retries stop
        finally:
            watcher.terminate()
            _, errors = watcher.communicate(timeout=10)
    assert watcher.returncode == 0, errors
    assert sorted(server.posts[-1]["urls"]) == every_feed_url(root)  # type: ignore[arg-type]
    assert f"WebSub hub {server.url} answered 500" in errors.decode()


def test_watch_does_not_build_again_for_a_hub_that_refused_the_notice(make_site):
    with hub(status=410) as refusing:
        root = site_with_hubs(make_site, refusing.url)
        watcher = subprocess.Popen([sys.executable, "-m", "feeds", "watch", str(root), "--poll",
                                    "--retry-interval", "0.3"], cwd=Path(__file__).parent.parent,
                                   stderr=subprocess.PIPE)
        try:
            wait_for(lambda: pending(root) == {})
            time.sleep(1.0)  # three retry intervals
        finally:
            watcher.terminate()
            _, errors = watcher.communicate(timeout=10)
    assert len(refusing.posts) == 1
    assert errors.decode().count("files written") == 1, errors


def pending(root: Path) -> dict[str, list[str]] | None:
    """The notifications kept for the next try, None before any was kept."""
    try:
        return dict(json.loads((root / ".feeds/websub-pending.json").read_bytes()))
    except (OSError, ValueError):
        return None


def wait_for(condition: Callable[[], bool], seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the watch did not notify in time"
        time.sleep(0.05)


@pytest.mark.parametrize("line", ['hub: "http://alice:S3cretPW@[::1"', 'hub: "http:alice:S3cretPW@hub.example.com"',
                                  "publish_to: 's3://AKIAX:S3cretPW@qa-bucket/p'"])
def test_a_malformed_value_with_a_password_is_refused_without_repeating_the_password(make_site, capsys, line):
    root = make_site({"items/a.yaml": entry_yaml()}, site_yaml=SITE_YAML + line + "\n")
    assert main(["check", str(root)]) == 1
    err = capsys.readouterr().err
    assert "S3cretPW" not in err and "…@" in err


def test_a_hub_url_is_written_as_every_url_is_its_schemes_own_port_dropped(make_site):
    root = make_site({"items/a.yaml": entry_yaml()}, site_yaml=SITE_YAML + "hub: https://Hub.Example.com:0443/\n")
    assert main(["build", str(root), "--quiet", "--no-notify"]) == 0
    assert '<atom:link href="https://hub.example.com/" rel="hub"/>' in (root / "publish" / "rss.xml").read_text("utf-8")


UNREADABLE = ("expected the record of the feeds the WebSub hubs are still to be told of, found one it cannot read; "
              "feeds it held are told to the hubs when they change next; it is written anew")


@pytest.mark.parametrize("damaged", [b'{"http://hub.example.com/": ["https://news.exa', b"\xff\xfe\x00", b"[]",
                                     b'{"http://hub.example.com/": [1, 2]}', b'{"http://hub.example.com/": null}'])
def test_a_damaged_record_of_the_feeds_owed_is_told_once_and_written_anew(make_site, capsys, damaged):
    """Cut short, not JSON, or of another shape, it was taken for none without a word."""
    with hub() as server:
        root = site_with_hubs(make_site, server.url)
        (root / ".feeds").mkdir()
        (root / ".feeds/websub-pending.json").write_bytes(damaged)
        assert main(["build", str(root)]) == 0
        assert main(["build", str(root)]) == 0  # nothing changed
    err = capsys.readouterr().err
    assert f"feeds: warning: .feeds/websub-pending.json: {UNREADABLE}\n" in err
    assert err.count("cannot read") == 1
    assert sorted(server.notified_urls()) == every_feed_url(root)
    assert json.loads((root / ".feeds/websub-pending.json").read_bytes()) == {}


def test_a_damaged_record_of_the_feeds_owed_is_told_under_quiet_by_a_build_that_changes_feeds_too(make_site, capsys):
    """Told as an entry's warning where the build changed feeds, --quiet hid it there, while
    a build that changed nothing told it as a `feeds: warning:` line, which --quiet keeps."""
    with hub() as server:
        root = site_with_hubs(make_site, server.url)
        (root / ".feeds").mkdir()
        (root / ".feeds/websub-pending.json").write_bytes(b"[]")
        assert main(["build", str(root), "--quiet"]) == 0
    assert capsys.readouterr().err == f"feeds: warning: .feeds/websub-pending.json: {UNREADABLE}\n"


def test_a_pipe_in_place_of_the_record_of_the_feeds_owed_is_told_once_and_replaced(make_site, capsys):
    with hub(status=503) as server:
        root = site_with_hubs(make_site, server.url)
        assert main(["build", str(root), "--quiet"]) == 0
        (root / ".feeds/websub-pending.json").unlink()
        os.mkfifo(root / ".feeds/websub-pending.json")
        capsys.readouterr()
        assert main(["build", str(root), "--quiet"]) == 0  # nothing changed: the delivery reads it
        assert main(["build", str(root), "--quiet"]) == 0
    assert capsys.readouterr().err == f"feeds: warning: .feeds/websub-pending.json: {UNREADABLE}\n"
    assert json.loads((root / ".feeds/websub-pending.json").read_bytes()) == {}


def test_a_record_that_owes_a_hub_one_url_not_a_list_sends_the_hub_no_characters_as_feeds(make_site):
    """`{"hub": "https://…/rss.xml"}` was read as the URL's characters, each sent as a hub.url."""
    with hub() as server:
        root = site_with_hubs(make_site, server.url)
        (root / ".feeds").mkdir()
        (root / ".feeds/websub-pending.json").write_text(json.dumps({server.url: PUBLISH_URL + "rss.xml"}))
        assert main(["build", str(root), "--quiet"]) == 0
    assert sorted(server.notified_urls()) == every_feed_url(root)
