"""`feeds serve`: the publish directory over HTTP, as a feed reader or a CDN would fetch it."""

from __future__ import annotations

import http.client
import re
import socket
import struct
import subprocess
import sys
import threading
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from feeds.build import build_site
from feeds.cli import main
from feeds.serve import PreviewServer, make_server

from .conftest import entry_yaml, shell_words


@pytest.fixture
def site(make_site) -> Path:
    root = make_site({"items/a.yaml": entry_yaml(categories="[Middle East]")})
    assert build_site(root).check.ok
    (root / "secret.txt").write_text("outside the publish directory", encoding="utf-8")
    return root


@pytest.fixture
def server(site: Path) -> Iterator[PreviewServer]:
    server = make_server(site / "publish", port=0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def port(server: PreviewServer) -> int:
    return server.server_address[1]


def fetch(port: int, path: str, method: str = "GET", **headers: str) -> tuple[http.client.HTTPResponse, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request(method, path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


@pytest.mark.parametrize(("path", "media_type"), [
    ("/rss.xml", "application/rss+xml; charset=utf-8"),
    ("/atom.xml", "application/atom+xml; charset=utf-8"),
    ("/feed.json", "application/feed+json; charset=utf-8"),
    ("/categories/middle-east/rss.xml", "application/rss+xml; charset=utf-8"),
    ("/index.html", "text/html; charset=utf-8"),
    ("/", "text/html; charset=utf-8"),
])
def test_each_file_is_served_with_its_media_type_and_charset(site, port, path, media_type):
    response, body = fetch(port, path)
    assert response.status == 200
    assert response.getheader("Content-Type") == media_type
    expected = site / "publish" / (path.lstrip("/") or "index.html")
    assert body == expected.read_bytes()


def test_a_file_carries_a_strong_etag_and_last_modified(port):
    response, _ = fetch(port, "/rss.xml")
    assert re.fullmatch(r'"[0-9a-f]{32}"', response.getheader("ETag"))
    assert response.getheader("Last-Modified").endswith(" GMT")


def test_a_matching_if_none_match_gets_304_with_no_body(port):
    first, _ = fetch(port, "/atom.xml")
    again, body = fetch(port, "/atom.xml", **{"If-None-Match": first.getheader("ETag")})
    assert (again.status, body) == (304, b"")
    assert again.getheader("ETag") == first.getheader("ETag")


def test_a_stale_if_none_match_gets_the_file(port):
    response, body = fetch(port, "/atom.xml", **{"If-None-Match": '"0000"'})
    assert response.status == 200 and body.startswith(b"<?xml")


def test_if_modified_since_gets_304_until_the_file_changes(site, port):
    first, _ = fetch(port, "/feed.json")
    again, _ = fetch(port, "/feed.json", **{"If-Modified-Since": first.getheader("Last-Modified")})
    assert again.status == 304
    before, _ = fetch(port, "/feed.json", **{"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})
    assert before.status == 200


def test_a_rebuild_that_changes_a_file_changes_its_etag_and_one_that_does_not_keeps_it(site, port):
    first, _ = fetch(port, "/rss.xml")
    assert build_site(site).check.ok
    assert fetch(port, "/rss.xml")[0].getheader("ETag") == first.getheader("ETag")
    (site / "items/a.yaml").write_text(entry_yaml(title="Edited", categories="[Middle East]"), encoding="utf-8")
    assert build_site(site).check.ok
    assert fetch(port, "/rss.xml")[0].getheader("ETag") != first.getheader("ETag")


def test_head_sends_the_headers_without_the_body(port):
    response, body = fetch(port, "/rss.xml", method="HEAD")
    assert response.status == 200 and body == b""
    assert int(response.getheader("Content-Length")) > 0


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_a_method_that_would_change_a_file_is_not_allowed_and_the_ones_that_are_named(port, method):
    response, body = fetch(port, "/rss.xml", method=method)
    assert (response.status, response.getheader("Allow"), body) == (405, "GET, HEAD, OPTIONS", b"")


def test_options_names_the_methods_served(port):
    response, _ = fetch(port, "/rss.xml", method="OPTIONS")
    assert (response.status, response.getheader("Allow")) == (204, "GET, HEAD, OPTIONS")


def test_a_missing_file_is_404(port):
    assert fetch(port, "/nothing.xml")[0].status == 404


def test_a_folder_is_never_listed_and_a_feed_folder_serves_its_page(port):
    assert fetch(port, "/categories/")[0].status == 404
    response, body = fetch(port, "/categories/middle-east/")
    assert response.status == 200 and b'<h2 id="stories-title">Latest stories</h2>' in body


@pytest.mark.parametrize("path, location", [("/categories/middle-east", "/categories/middle-east/"),
                                            ("/categories/middle-east?utm_source=mail", "/categories/middle-east/?utm_source=mail")])
def test_a_feed_folder_named_without_its_slash_is_redirected_with_its_query(port, path, location):
    response, _ = fetch(port, path)
    assert response.status == 301 and response.getheader("Location") == location


@pytest.fixture
def served_at_its_path(site: Path) -> Iterator[int]:
    """A preview of a site whose publish_url is https://news.example.com/feeds/."""
    server = make_server(site / "publish", port=0, publish_url="https://news.example.com/feeds/")
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.mark.parametrize("path, file", [("/feeds/", "index.html"), ("/feeds/categories/middle-east/rss.xml",
                                        "categories/middle-east/rss.xml"), ("/rss.xml", "rss.xml")])
def test_the_preview_serves_the_publish_directory_at_publish_urls_path_as_the_pages_link_to_it_and_at_the_root(
        site, served_at_its_path, path, file):
    """The pages link from the host's root (/feeds/categories/middle-east/rss.xml), which
    the preview, serving only at /, answered with 404."""
    response, body = fetch(served_at_its_path, path)
    assert response.status == 200 and body == (site / "publish" / file).read_bytes()


@pytest.mark.parametrize("path, location", [("/feeds", "/feeds/"), ("/feeds/categories/middle-east",
                                                                   "/feeds/categories/middle-east/")])
def test_a_folder_at_publish_urls_path_named_without_its_slash_is_redirected_there(served_at_its_path, path, location):
    response, _ = fetch(served_at_its_path, path)
    assert response.status == 301 and response.getheader("Location") == location


@pytest.mark.parametrize("path", ["/rss.xml/", "/index.html/", "/categories/middle-east/index.html/"])
def test_a_file_named_as_a_folder_is_404_so_no_page_is_served_whose_links_lead_nowhere(port, path):
    response, _ = fetch(port, path)
    assert response.status == 404


@pytest.mark.parametrize("path", [
    "/../secret.txt", "/%2e%2e/secret.txt", "/categories/../../secret.txt", "/categories/%2E%2E/%2e%2e/secret.txt",
    "/..%2fsecret.txt", "/..%5csecret.txt", "//../secret.txt", "/%00/rss.xml", "/../site.yaml",
    "http://127.0.0.1/../secret.txt", "http://127.0.0.1/%2e%2e/secret.txt", "/%C0%AE%C0%AE/secret.txt",
])
def test_no_path_leads_out_of_the_publish_directory(port, path):
    response, body = fetch(port, path)
    assert response.status == 404 and b"outside the publish directory" not in body


def test_a_request_naming_the_whole_url_is_served_as_its_path(site, port):
    response, body = fetch(port, f"http://127.0.0.1:{port}/categories/middle-east/rss.xml")
    assert response.status == 200 and body == (site / "publish/categories/middle-east/rss.xml").read_bytes()


def test_a_path_sent_in_raw_utf8_is_served_as_its_escaped_form_is(site, port):
    (site / "publish/météo.txt").write_text("rain", encoding="utf-8")
    with socket.create_connection(("127.0.0.1", port)) as client:
        client.sendall("GET /météo.txt HTTP/1.0\r\n\r\n".encode())
        answer = b"".join(iter(lambda: client.recv(4096), b""))
    assert answer.startswith(b"HTTP/1.0 200 ") and answer.endswith(b"\r\n\r\nrain")


@pytest.mark.parametrize("host", ["rebind.attacker.example", "rebind.attacker.example:8000", "127.0.0.1.nip.io"])
def test_a_request_for_another_name_is_refused_so_no_page_elsewhere_can_read_the_preview(port, host):
    response, body = fetch(port, "/rss.xml", Host=host)
    assert response.status == 403 and b"<rss" not in body
    assert f"not served to pages of {host}: open http://127.0.0.1:{port}/".encode() in body


def test_a_request_in_absolute_form_for_another_name_is_refused(port):
    assert fetch(port, "http://rebind.attacker.example/rss.xml", Host="127.0.0.1")[0].status == 403


@pytest.mark.parametrize(("target", "host"), [("/rss.xml", "[::1"), ("/rss.xml", "[bad]:8000"),
                                             ("http://[::1/rss.xml", "127.0.0.1")])
def test_a_request_whose_host_is_no_host_is_a_bad_request_with_no_traceback(port, capsys, target, host):
    response, body = fetch(port, target, Host=host)
    assert response.status == 400 and f"expected a host such as 127.0.0.1:{port}, found ".encode() in body
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.1:8000", "localhost:8000", "LOCALHOST", "news.localhost",
                                  "[::1]:8000"])
def test_a_request_for_this_machine_by_address_or_as_localhost_is_served(port, host):
    assert fetch(port, "/rss.xml", Host=host)[0].status == 200


def test_a_link_to_outside_is_not_followed(site, port):
    (site / "publish/leak.txt").symlink_to(site / "secret.txt")
    assert fetch(port, "/leak.txt")[0].status == 404


def test_hidden_files_such_as_a_builds_temporaries_are_not_served(site, port):
    (site / "publish/.feeds-tmp-1-00000000-rss.xml").write_text("<rss", encoding="utf-8")
    assert fetch(port, "/.feeds-tmp-1-00000000-rss.xml")[0].status == 404


def test_a_link_to_a_hidden_file_is_not_followed(site, port):
    (site / "publish/.secret").write_text("hidden", encoding="utf-8")
    (site / "publish/x.txt").symlink_to(".secret")
    response, body = fetch(port, "/x.txt")
    assert response.status == 404 and b"hidden" not in body


def test_a_link_to_a_hidden_folder_is_not_followed(site, port):
    (site / "publish/.git").mkdir()
    (site / "publish/.git/config").write_text("hidden", encoding="utf-8")
    (site / "publish/repo").symlink_to(".git")
    assert fetch(port, "/repo/config")[0].status == 404


def test_a_link_to_a_visible_file_inside_is_served(site, port):
    (site / "publish/latest.xml").symlink_to("rss.xml")
    response, body = fetch(port, "/latest.xml")
    assert response.status == 200 and body == (site / "publish/rss.xml").read_bytes()


def wait_until_every_request_is_answered() -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any("process_request_thread" in thread.name for thread in threading.enumerate()):
        time.sleep(0.02)


def test_a_reader_that_goes_away_mid_download_prints_no_traceback(site, port, capsys):
    (site / "publish/podcast.mp3").write_bytes(bytes(8_000_000))  # a newsroom's own file, far bigger than a socket's buffer
    with socket.create_connection(("127.0.0.1", port)) as reader:
        reader.sendall(b"GET /podcast.mp3 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        reader.recv(100)
        reader.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # closed as a tab is: reset
    wait_until_every_request_is_answered()
    assert "Traceback" not in capsys.readouterr().err


def test_a_big_file_is_sent_a_piece_at_a_time_never_held_whole(site, port):
    (site / "publish/video.mp4").write_bytes(bytes(20_000_000))  # a newsroom's own file beside the feeds
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    tracemalloc.start()
    try:
        connection.request("GET", "/video.mp4")
        response = connection.getresponse()
        received = sum(len(piece) for piece in iter(lambda: response.read(65536), b""))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        connection.close()
    assert received == 20_000_000 and peak < 2_000_000


def test_a_client_that_connects_and_never_sends_is_let_go(server, port):
    server.idle_timeout = 0.2
    with socket.create_connection(("127.0.0.1", port)) as idle:
        idle.settimeout(5)
        assert idle.recv(1) == b""


def test_a_client_that_connects_and_never_sends_holds_up_no_other(port):
    with socket.create_connection(("127.0.0.1", port)):
        response, _ = fetch(port, "/rss.xml")
    assert response.status == 200


def test_the_command_prints_its_url_on_stderr_and_serves_on_127_0_0_1(site):
    process = subprocess.Popen([sys.executable, "-m", "feeds", "serve", str(site), "--port", "0"],
                               stderr=subprocess.PIPE, text=True)
    try:
        line = process.stderr.readline()
        match = re.fullmatch(r"serving .*publish at http://127\.0\.0\.1:(\d+)/ \(Ctrl-C to stop\)\n", line)
        assert match, line
        response, _ = fetch(int(match.group(1)), "/rss.xml")
        assert response.status == 200
    finally:
        process.terminate()
        process.wait(timeout=5)


def test_a_port_out_of_range_is_wrong_usage(site, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["serve", str(site), "--port", "70000"])
    assert stopped.value.code == 2
    assert "expected a port number from 0 to 65535" in capsys.readouterr().err


def test_a_busy_port_suggests_port_0_and_exits_2(site, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", str(site), "--port", str(port)]) == 2
    assert capsys.readouterr().err == (
        f"feeds: error: cannot listen on 127.0.0.1 port {port}: it is in use (another feeds serve, or another "
        f"server); run feeds serve {site} --port 0 to take a free port, or name another with --port N\n")


def _taken_port() -> socket.socket:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    return taken


def test_the_command_a_busy_port_is_told_to_run_serves_the_site_and_folder_served_not_the_current_folder(
        make_site, capsys, monkeypatch, tmp_path):
    """'run feeds serve --port 0', pasted where `feeds serve "my site"` was run, served no site."""
    make_site(name="my site")
    monkeypatch.chdir(tmp_path)
    with _taken_port() as taken:
        assert main(["serve", "my site", "--out", "my site/pub", "--port", str(taken.getsockname()[1])]) == 2
    command = capsys.readouterr().err.split("; run ")[1].split(" to take")[0]
    assert shell_words(command) == ["feeds", "serve", "my site", "--out", "my site/pub", "--port", "0"]


def _stopped_at_once(server: PreviewServer) -> None:
    raise KeyboardInterrupt


def test_serving_a_site_not_yet_built_says_to_build_that_site(make_site, capsys, monkeypatch, tmp_path):
    make_site(name="my site")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(PreviewServer, "serve_forever", _stopped_at_once)
    assert main(["serve", "my site", "--port", "0"]) == 0
    assert capsys.readouterr().err.startswith("nothing is published in my site/publish yet: run feeds build 'my site' "
                                              "(or feeds watch 'my site')\n")


def test_serving_a_site_with_a_file_where_the_publish_directory_goes_says_to_move_it(make_site, capsys, monkeypatch):
    """Told to run feeds build, which failed for the file in the way."""
    root = make_site()
    (root / "publish").write_text("notes")
    monkeypatch.setattr(PreviewServer, "serve_forever", _stopped_at_once)
    assert main(["serve", str(root), "--port", "0"]) == 0
    assert capsys.readouterr().err.startswith(
        f"{root}/publish is no folder (a file, a pipe or a link that leads to none is in its place), so nothing is "
        f"published there: move it aside, then run feeds build {root}\n")


def test_serve_refuses_out_in_the_sites_own_folders(site, capsys):
    assert main(["serve", str(site), "--out", str(site / "items")]) == 2
    assert "is the site's items/ folder" in capsys.readouterr().err


def test_serve_refuses_an_out_that_is_a_file_rather_than_serve_nothing_for_ever(site, tmp_path, capsys):
    (tmp_path / "feed.xml").write_text("<rss/>")
    assert main(["serve", str(site), "--out", str(tmp_path / "feed.xml")]) == 2
    assert capsys.readouterr().err == (f"feeds: error: --out {tmp_path / 'feed.xml'} is a file: name the folder to "
                                       "serve, such as the build's --out\n")
