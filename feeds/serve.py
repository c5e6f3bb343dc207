"""`feeds serve`: preview the publish directory over HTTP, served the way a careful
web server would serve it, so feed readers and validators can be pointed at it.

Bound to 127.0.0.1 only: it is a preview, not a production server. It sends the feed
media types with charset=utf-8, a strong ETag (a hash of the bytes sent) and
Last-Modified, and answers conditional requests with 304. It never lists a folder and
never serves a file outside the publish directory or a hidden one (such as a build's
temporary file).
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import socket
import sys
from collections.abc import Iterator, Sequence
from email.message import Message
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote, unquote, unquote_to_bytes, urlsplit

from .layout import Kind, kind, media_type, public_url

HOST = "127.0.0.1"
DEFAULT_PORT = 8000
# How long a connection may wait for the client (its request, or room to send the answer):
# one that connects and never sends held a thread and a socket for as long as it stayed.
IDLE_TIMEOUT = 30.0
CHUNK = 1 << 16
ALLOWED = "GET, HEAD, OPTIONS"


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, publish_dir: Path, port: int, hubs: Sequence[str] = (), publish_url: str = "") -> None:
        self.publish_dir = Path(publish_dir)
        self.hubs = tuple(hubs)
        self.publish_url = publish_url
        self.served_at = unquote(urlsplit(publish_url).path) or "/"  # "/feeds/": the pages' links start so
        self.idle_timeout = IDLE_TIMEOUT
        super().__init__((HOST, port), PublishDirHandler)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"

    def handle_error(self, request: socket.socket | tuple[bytes, socket.socket], client_address: object) -> None:
        """A client that went away or stalled mid-answer (a tab closed, a reader giving up)
        is the client's doing, not an error of the preview: socketserver printed its traceback."""
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


def make_server(publish_dir: Path | str, port: int = DEFAULT_PORT, hubs: Sequence[str] = (),
                publish_url: str = "") -> PreviewServer:
    """Bind (port 0: any free port; see `.url`). Raises OSError if the port is taken.
    With `hubs`, each feed is sent with WebSub's Link headers, `publish_url` + path as its self."""
    return PreviewServer(Path(publish_dir), port, hubs, publish_url)


def websub_links(hubs: Sequence[str], feed_url: str) -> str:
    """WebSub discovery by HTTP header: `<HUB>; rel="hub", ..., <FEED_URL>; rel="self"`."""
    return ", ".join([*(f'<{hub}>; rel="hub"' for hub in hubs), f'<{feed_url}>; rel="self"'])


def locate(publish_dir: Path, target: str, served_at: str = "/") -> Path | None:
    """The file or folder a request names inside `publish_dir`, or None when it names
    nothing there: dot-segments, hidden names and links that lead outside are refused.
    The rules apply to the path asked for and to the real path it resolves to, so a
    link cannot lead to a hidden file or out of the folder."""
    path = from_publish_dir(request_path(target), served_at)
    if not path.startswith("/") or "\x00" in path or "\\" in path:
        return None
    segments = [segment for segment in path.split("/") if segment]
    if _is_hidden(segments):
        return None
    root = publish_dir.resolve()
    try:
        found = publish_dir.joinpath(*segments).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if found != root and root not in found.parents:
        return None
    return None if _is_hidden(found.relative_to(root).parts) else found


def from_publish_dir(path: str, served_at: str) -> str:
    """The path asked for, from the publish directory: publish_url's path ('/feeds/') taken
    off where it leads, as the pages link from the host's root ('/feeds/categories/news/'),
    so a preview follows them; the publish directory is served at '/' as well."""
    if served_at != "/" and is_under(path, served_at):
        return "/" + path[len(served_at):]
    return path


def is_under(path: str, served_at: str) -> bool:
    return (path + "/").startswith(served_at)


def request_path(target: str) -> str:
    """The path a request's target names, decoded. Also in absolute form (GET
    http://127.0.0.1:8000/rss.xml, which RFC 9112 has servers accept), and written in raw
    UTF-8 (/categories/météo/, as some clients send it and nginx serves it), which
    http.server reads as Latin-1: both were 404."""
    target = target.split("#", 1)[0]
    if target.lower().startswith(("http://", "https://")):
        target = urlsplit(target).path or "/"
    return unquote_to_bytes(target.split("?", 1)[0].encode("latin-1", "replace")).decode("utf-8", "replace")


def is_this_machine(host: str | None) -> bool:
    """Whether a request's host names this machine as a person reaches it: by an address
    (127.0.0.1, [::1]) or as localhost. A page elsewhere that points its own name at
    127.0.0.1 (DNS rebinding) is refused, or it could read the preview as its own site:
    a --now preview's embargoed stories among them. No Host (HTTP/1.0) is a tool, not a page.
    Raises ValueError for a host that is no name ("[::1", "[bad]:8000")."""
    if not host:
        return True
    name = urlsplit(f"//{host}").hostname or ""
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _is_hidden(segments: Sequence[str]) -> bool:
    return any(segment.startswith(".") for segment in segments)


def read_chunks(stream: BinaryIO, size: int) -> Iterator[bytes]:
    """A file's first `size` bytes, its size when opened, a chunk at a time: a file as big as
    a video (a newsroom's own, beside the feeds) was read whole for each request, 1.5 GB for
    five readers of a 300 MB file; and what is sent is what Content-Length says."""
    stream.seek(0)
    left = size
    while left > 0:
        chunk = stream.read(min(CHUNK, left))
        if not chunk:
            return
        left -= len(chunk)
        yield chunk


def file_etag(stream: BinaryIO, size: int) -> str:
    """A strong ETag: a hash of the bytes, so a rebuild that leaves a file's bytes as they
    were leaves its ETag too."""
    digest = hashlib.sha256()
    for chunk in read_chunks(stream, size):
        digest.update(chunk)
    return f'"{digest.hexdigest()[:32]}"'


def is_not_modified(headers: Message, etag: str, mtime: float) -> bool:
    """RFC 9110: If-None-Match (weak comparison) wins; else If-Modified-Since, to the second."""
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or etag in tags
    if_modified_since = headers.get("If-Modified-Since")
    if not if_modified_since:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError):
        return False
    return since.tzinfo is not None and int(mtime) <= since.timestamp()


class PublishDirHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "feeds-serve"

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.idle_timeout)

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def _not_allowed(self) -> None:
        """A method HTTP defines but a folder of files does not take: 405 and the methods it
        does (RFC 9110), not http.server's 501, which says the server knows no such method."""
        self.send_response(HTTPStatus.METHOD_NOT_ALLOWED)
        self.send_header("Allow", ALLOWED)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_POST = do_PUT = do_DELETE = do_PATCH = _not_allowed

    def do_OPTIONS(self) -> None:
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_header("Allow", ALLOWED)
        self.end_headers()

    def _respond(self, send_body: bool) -> None:
        host = self._host()
        try:
            here = is_this_machine(host)
        except ValueError:  # RFC 9112: a Host that is no host is a bad request
            self.send_error(HTTPStatus.BAD_REQUEST, explain=f"expected a host such as {self.server.url[7:-1]}, "
                                                            f"found {host}")
            return
        if not here:
            explain = (f"not served to pages of {host}: open {self.server.url} (only 127.0.0.1, [::1] and localhost "
                       "are served, so that no page elsewhere can read the preview)")
            self.log_error("%s", explain)
            self.send_error(HTTPStatus.FORBIDDEN, explain=explain)
            return
        found = locate(self.server.publish_dir, self.path, self.server.served_at)
        if found is not None and found.is_dir():
            found = self._index_of(found)
            if found is None:
                return
        elif found is not None and self.path.split("?", 1)[0].endswith("/"):
            found = None  # a file named as a folder: its page's relative links would lead nowhere
        if found is None or not found.is_file():
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        try:
            stream = open(found, "rb")
        except OSError:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        with stream:
            status = os.fstat(stream.fileno())
            try:
                etag = file_etag(stream, status.st_size)
            except OSError:  # unreadable: said before anything is sent
                self.send_error(HTTPStatus.NOT_FOUND)
                return
            self._send_file(found, stream, status.st_size, etag, status.st_mtime, send_body)

    def _host(self) -> str | None:
        """The host a request names: its target's in absolute form, which wins (RFC 9112), else its Host.
        As written: is_this_machine reads it."""
        if self.path.lower().startswith(("http://", "https://")):
            return self.path.split("/", 3)[2]
        return self.headers.get("Host")

    def _send_file(self, found: Path, stream: BinaryIO, size: int, etag: str, mtime: float, send_body: bool) -> None:
        if is_not_modified(self.headers, etag, mtime):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self._validators(etag, mtime)
            self.end_headers()
            return
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", media_type(found.name))
        self.send_header("Content-Length", str(size))
        self._websub_links(found)
        self._validators(etag, mtime)
        self.end_headers()
        if send_body:
            for chunk in read_chunks(stream, size):
                self.wfile.write(chunk)

    def _index_of(self, folder: Path) -> Path | None:
        """A folder's index.html; a folder named without its trailing slash is redirected
        (so relative links in the page resolve); a folder without one is never listed."""
        index = folder / "index.html"
        if not index.is_file():
            self.send_error(HTTPStatus.NOT_FOUND)
            return None
        path, mark, query = self.path.partition("?")
        if not path.endswith("/"):
            relative = folder.relative_to(self.server.publish_dir.resolve())
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)  # the query goes along (a cache-buster, a tracking tag)
            base = self.server.served_at if is_under(request_path(path), self.server.served_at) else "/"
            self.send_header("Location", quote(base + "".join(f"{part}/" for part in relative.parts)) + mark + query)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        return index

    def _websub_links(self, found: Path) -> None:
        path = found.relative_to(self.server.publish_dir.resolve()).as_posix()
        if self.server.hubs and kind(path) is Kind.FEED:
            self.send_header("Link", websub_links(self.server.hubs, public_url(self.server.publish_url, path)))

    def _validators(self, etag: str, mtime: float) -> None:
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", formatdate(mtime, usegmt=True))
        self.send_header("Cache-Control", "no-cache")  # a preview: always revalidate
