"""Real servers for the tests, each on 127.0.0.1 and a free port: an S3 store (moto's
server mode, reached by boto3 through AWS_ENDPOINT_URL as production is) and WebSub hubs."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TypeVar
from urllib.parse import parse_qsl, quote, unquote, urlsplit

import pytest

FAKE_KEY_ID = "AKIAFEEDSTESTKEY0001"
FAKE_SECRET = "feeds-test-secret-do-not-print-me"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def closed_port() -> int:
    """A port nothing listens on (just freed), for a dead endpoint."""
    return free_port()


def use_s3_endpoint(monkeypatch: pytest.MonkeyPatch, endpoint: str) -> None:
    """Fake credentials and the endpoint, in the environment where boto3 reads them, and no
    profile or config file of the machine's in the way."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", FAKE_KEY_ID)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", FAKE_SECRET)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    for name in ("AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        monkeypatch.delenv(name, raising=False)


@contextmanager
def s3_server() -> Iterator[str]:
    """A moto S3 server; yields its endpoint URL."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


class Hub(ThreadingHTTPServer):
    """A WebSub hub that records every publish notification's form fields."""

    daemon_threads = True

    def __init__(self, status: int = 204, delay: float = 0.0, location: str | None = None, trickle: float = 0.0,
                 raw: bytes | None = None) -> None:
        self.status = status
        self.delay = delay
        self.location = location  # sent as Location (a hub that moved answers 301 with it)
        self.trickle = trickle  # seconds between the bytes of its answer: slow, never silent long
        self.raw = raw  # sent as the whole answer, HTTP or not (a hub's address that is another server's port)
        self.posts: list[dict[str, object]] = []
        super().__init__(("127.0.0.1", 0), _HubHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hub"

    def notified_urls(self) -> list[str]:
        """Every hub.url received, in order."""
        return [url for post in self.posts for url in post["urls"]]  # type: ignore[attr-defined]


class _HubHandler(BaseHTTPRequestHandler):
    server: Hub

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode("ascii")
        fields = parse_qsl(body)
        self.server.posts.append({
            "content_type": self.headers.get("Content-Type"),
            "modes": [value for name, value in fields if name == "hub.mode"],
            "urls": [value for name, value in fields if name == "hub.url"],
        })
        time.sleep(self.server.delay)
        if self.server.raw is not None:
            self.wfile.write(self.server.raw)
            return
        if self.server.trickle:
            for byte in f"HTTP/1.1 {self.server.status} OK\r\nContent-Length: 0\r\n\r\n".encode():
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(self.server.trickle)
            return
        self.send_response(self.server.status)
        if self.server.location is not None:
            self.send_header("Location", self.server.location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        return None


@contextmanager
def hub(status: int = 204, delay: float = 0.0, location: str | None = None, trickle: float = 0.0,
        raw: bytes | None = None) -> Iterator[Hub]:
    with _serving(Hub(status, delay, location, trickle, raw)) as server:
        yield server


S = TypeVar("S", bound=ThreadingHTTPServer)


@contextmanager
def _serving(server: S) -> Iterator[S]:
    """The server answering on a thread of its own until the block ends, then stopped and closed."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class Website(ThreadingHTTPServer):
    """Not an S3 store at an endpoint: a web server that answers every request with a page
    (`status`), or, with `hang_up`, a store that lists an empty bucket and then closes the
    connection on every upload (one that dies or is cut off mid-publish), or, with
    `error_code`, a store that refuses every request with that S3 error and `status`."""

    daemon_threads = True

    def __init__(self, status: int = 200, hang_up: bool = False, error_code: str | None = None) -> None:
        self.status = status
        self.hang_up = hang_up
        self.error_code = error_code
        self.requests = 0
        super().__init__(("127.0.0.1", 0), _WebsiteHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


_EMPTY_LISTING = (b'<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>news</Name><KeyCount>0</KeyCount>'
                  b"<IsTruncated>false</IsTruncated></ListBucketResult>")


class _WebsiteHandler(BaseHTTPRequestHandler):
    server: Website
    protocol_version = "HTTP/1.1"

    def _answer(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.server.requests += 1
        if self.server.hang_up and self.command == "PUT":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if self.server.error_code is not None:
            body = f"<Error><Code>{self.server.error_code}</Code><Message>Refused</Message></Error>".encode()
        else:
            body = _EMPTY_LISTING if self.server.hang_up else b"<html><body>Welcome to the news</body></html>"
        self.send_response(self.server.status)
        self.send_header("Content-Type", "text/html" if body.startswith(b"<html>") else "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_PUT = do_DELETE = do_POST = _answer

    def log_message(self, format: str, *args: object) -> None:
        return None


@contextmanager
def website(status: int = 200, hang_up: bool = False, error_code: str | None = None) -> Iterator[Website]:
    with _serving(Website(status, hang_up, error_code)) as server:
        yield server


class NoRedirectHost(ThreadingHTTPServer):
    """A host that serves a folder's index.html for the folder named without its final slash,
    instead of redirecting to it (as some hosts and CDNs do): the publish directory at `at`."""

    daemon_threads = True

    def __init__(self, publish_dir: Path, at: str) -> None:
        self.publish_dir = publish_dir
        self.at = at
        super().__init__(("127.0.0.1", 0), _NoRedirectHandler)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{self.at}{quote(path)}"


class _NoRedirectHandler(BaseHTTPRequestHandler):
    server: NoRedirectHost

    def do_GET(self) -> None:
        path = unquote(urlsplit(self.path).path) + "/"
        file = self.server.publish_dir / path.removeprefix(self.server.at).strip("/")
        if file.is_dir():
            file = file / "index.html"
        if not path.startswith(self.server.at) or not file.is_file():
            self.send_error(404)
            return
        body = file.read_bytes()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return None


@contextmanager
def no_redirect_host(publish_dir: Path, at: str) -> Iterator[NoRedirectHost]:
    with _serving(NoRedirectHost(publish_dir, at)) as server:
        yield server
