"""Notify stage: tell each WebSub hub which feeds changed, so that subscribers get the
news in seconds rather than at their next poll.

One POST per hub, every hub at once, `hub.mode=publish` with one `hub.url` for each
changed feed (the PubSubHubbub 0.4 publish ping, which the hubs readers use accept). A hub
that fails or does not answer within the timeout keeps its feeds pending in `.feeds/`, and is sent
them again, with whatever changed since, at the next build; one that refuses the notice itself
(a 4xx) is not. Nothing here changes what was published or the exit status: a failure is
only reported.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlencode, urljoin

from ._version import __version__
from .model import STATE_DIR, read_state_file
from .model import WEBSUB_PENDING_FILE as PENDING_FILE
from .publish import write_atomically

TIMEOUT = 10.0
PASSING = (408, 429)  # the 4xx a hub answers for now (Request Timeout, Too Many Requests): sent again
PENDING_PATH = f"{STATE_DIR}/{PENDING_FILE}"
UNREADABLE = ("expected the record of the feeds the WebSub hubs are still to be told of, found one it cannot read",
              "feeds it held are told to the hubs when they change next; it is written anew")


@dataclass(frozen=True)
class HubFailure:
    hub: str
    reason: str
    pending: int  # feeds the hub will be told of at the next build
    dropped: int = 0  # feeds not sent to it again: it refused the notice itself

    def __str__(self) -> str:
        if self.dropped:
            return (f"WebSub hub {self.hub} {self.reason}, a refusal of the notice that sending it again would "
                    f"only repeat: check the hub's address in site.yaml (hub); {_feeds(self.dropped)} will not be "
                    "sent to it again")
        return f"WebSub hub {self.hub} {self.reason}; {_feeds(self.pending)} will be notified again at the next build"


def _feeds(count: int) -> str:
    return f"{count} feed{'' if count == 1 else 's'}"


class Answer(NamedTuple):
    """A hub's answer to a notice: `reason` None if it accepted it, else why not; `refused`
    when it refused the notice itself (a 4xx but 408 and 429: a hub gone, 410, or an address
    that names no hub, 404), which it refuses again. Kept and sent at every build, such a
    notice had the hub refuse it at each of them, a warning in cron's mail every minute and
    a `feeds watch` retrying it every minute, while nothing but a new address in site.yaml
    would help (and a new address is owed nothing the old one was)."""

    reason: str | None
    refused: bool = False


@dataclass(frozen=True)
class NotifyResult:
    notified: dict[str, tuple[str, ...]]  # hub -> the feed URLs it accepted
    failures: tuple[HubFailure, ...]
    pending: dict[str, tuple[str, ...]]  # hub -> the feed URLs it is still to be told of
    unreadable: str = ""  # the record of those found cannot be read: UNREADABLE, as a line; it is written anew


class Owed(NamedTuple):
    urls: tuple[str, ...]  # the feed URLs that no hub was owed before
    unreadable: bool  # the record of what the hubs were owed was found damaged, and written anew


def feed_urls(publish_url: str, paths: Iterable[str]) -> list[str]:
    """The public URLs of the feeds among `paths` (files of the publish directory): readers
    subscribe to feeds, so hubs are never told of pages or archive documents."""
    from .layout import Kind, kind, public_url

    return [public_url(publish_url, path) for path in paths if kind(path) is Kind.FEED]


def owe(hubs: Sequence[str], changed: Sequence[str], state_dir: Path) -> Owed:
    """Add `changed` (feed URLs) to what each hub is still to be told, telling none; those of
    them that no hub was owed before."""
    owed_before = {url for urls in _load(state_dir)[0].values() for url in urls}
    result = notify_hubs(hubs, changed, state_dir, send=False)
    return Owed(tuple(url for url in changed if url not in owed_before), bool(result.unreadable))


def notify_hubs(hubs: Sequence[str], changed: Sequence[str], state_dir: Path, send: bool = True,
                timeout: float = TIMEOUT, forgiven: Sequence[str] = ()) -> NotifyResult:
    """Add `changed` (feed URLs) to what each hub is still to be told, take `forgiven` from
    it, then, if `send`, tell each hub; what a hub did not accept stays pending. Hubs no
    longer in `hubs` are dropped. A record found damaged is written anew, so that it is
    told once (UNREADABLE)."""
    stored, unreadable = _load(state_dir)
    pending = {hub: tuple(sorted({*stored.get(hub, ()), *changed}.difference(forgiven))) for hub in hubs}
    owed = {hub: urls for hub, urls in pending.items() if urls}
    if owed != stored or unreadable:  # saved before any is sent: a build stopped while it tells the hubs still owes them these
        _save(state_dir, owed)
    answers = publish_pings(owed, timeout) if send else {}
    notified = {hub: owed[hub] for hub, answer in answers.items() if answer.reason is None}
    failures = [HubFailure(hub, answer.reason, 0 if answer.refused else len(owed[hub]),
                           len(owed[hub]) if answer.refused else 0)
                for hub, answer in answers.items() if answer.reason is not None]
    refused = {hub for hub, answer in answers.items() if answer.refused}
    remaining = {hub: urls for hub, urls in owed.items() if hub not in notified and hub not in refused}
    if remaining != owed:
        _save(state_dir, remaining)
    return NotifyResult(notified, tuple(failures), remaining, unreadable_line() * unreadable)


def unreadable_line() -> str:
    """The warning for a damaged record of the feeds owed, in one wording whichever stage found it."""
    return "{}: {}; {}".format(PENDING_PATH, *UNREADABLE)


def publish_pings(owed: Mapping[str, Sequence[str]], timeout: float = TIMEOUT) -> dict[str, Answer]:
    """POST each hub its publish notification, all at once: hub -> its Answer. Told one
    after another, hubs that do not answer held a build 10 s each, and the hubs after them
    waited as long for the news (ten such hubs kept a build from cron past its minute).
    `timeout` bounds the whole exchange with every hub, not each read of a socket: a hub
    that answers a byte at a time (or a name that takes long to resolve) is given up on at
    the timeout. Its request goes on in a daemon thread until its socket times out, and is
    sent again at the next build, which a hub takes as one more ping."""
    answers: dict[str, Answer] = {}
    raised: list[BaseException] = []

    def ping(hub: str, feed_urls: Sequence[str]) -> None:
        try:
            answers[hub] = _post(hub, feed_urls, timeout)
        except BaseException as error:  # passed on to the build, as if it had run there
            raised.append(error)

    workers = [threading.Thread(target=ping, args=(hub, urls), daemon=True, name=f"websub {hub}")
               for hub, urls in owed.items()]
    for worker in workers:
        worker.start()
    deadline = time.monotonic() + timeout
    for worker in workers:
        worker.join(max(0.0, deadline - time.monotonic()))
    if raised:
        raise raised[0]
    answered = dict(answers)
    return {hub: answered[hub] if hub in answered else Answer(f"did not answer within {timeout:g} s") for hub in owed}


def _post(hub: str, feed_urls: Sequence[str], timeout: float) -> Answer:
    import http.client
    import urllib.error
    import urllib.request  # here: most builds notify no hub, and http.client is slow to import

    body = urlencode([("hub.mode", "publish"), *(("hub.url", url) for url in feed_urls)]).encode("ascii")
    request = urllib.request.Request(hub, data=body, method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded", "User-Agent": f"feeds/{__version__}"})
    try:
        with urllib.request.build_opener(_no_redirect_handler()).open(request, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        moved = error.headers.get("Location") if 300 <= error.code < 400 and error.headers else None
        if moved:
            from .problems import without_credentials

            return Answer(f"answered {error.code} {error.reason}, moved to "
                          f"{without_credentials(urljoin(hub, moved))}: put that address in site.yaml's hub")
        return Answer(f"answered {error.code} {error.reason}", 400 <= error.code < 500 and error.code not in PASSING)
    except TimeoutError:
        return Answer(f"did not answer within {timeout:g} s")
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            return Answer(f"did not answer within {timeout:g} s")
        return Answer(f"could not be reached ({getattr(error.reason, 'strerror', None) or error.reason})")
    except OSError as error:
        return Answer(f"could not be reached ({error.strerror or error})")
    except http.client.HTTPException as error:  # another server's port, or a broken answer
        return Answer(f"did not answer in HTTP ({type(error).__name__}): check the hub's address")
    return Answer(None if 200 <= status < 300 else f"answered {status}")


def _no_redirect_handler() -> type:
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        """A redirect is not followed: urllib would follow a 301, 302 or 303 with a GET that
        carries no notification, and count the hub's answer to it as the hub's to the ping."""

        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    return NoRedirect


def _load(state_dir: Path) -> tuple[dict[str, tuple[str, ...]], bool]:
    """What each hub is still to be told, and whether a record is there that cannot be read:
    cut short, not JSON, of another shape, or not a file. Such a record was taken for none
    without a word, and one whose hub held a URL, not a list of them, sent the hub each of
    its characters as a feed."""
    try:
        stored = json.loads(read_state_file(state_dir / PENDING_FILE))
    except FileNotFoundError:
        return {}, False
    except (OSError, ValueError):
        return {}, True
    if not isinstance(stored, dict) or not all(
            isinstance(urls, list) and all(isinstance(url, str) for url in urls) for urls in stored.values()):
        return {}, True
    return {hub: tuple(urls) for hub, urls in stored.items()}, False


def _save(state_dir: Path, pending: dict[str, tuple[str, ...]]) -> None:
    try:
        write_atomically(state_dir / PENDING_FILE, json.dumps(pending, indent=1, sort_keys=True).encode())
    except OSError:
        pass  # the build went out; only the next retry of these notifications is lost
