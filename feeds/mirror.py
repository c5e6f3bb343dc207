"""Mirror stage: bring an S3-compatible object store to the state of the local publish
directory, which stays the source of truth.

What the target holds is learned from one listing of the prefix (ListObjectsV2, a
thousand keys a request), compared with the local files by size and ETag: the MD5 of the
bytes for a single-part PUT, which is all this module makes. Stores whose ETag is not an
MD5 (encrypted with KMS, some S3 clones) are compared with the ETag they answered when
this module uploaded those bytes, remembered in `.feeds/`. So a build in which nothing
changed makes no PUT, and an object the target lost is uploaded again by the next build.

Only objects this module wrote are ever deleted, and only while they still hold the bytes
it wrote, or, with no record (another machine's build wrote them), archive documents the
publish directory does not hold whose bytes say feeds wrote them; an object it has no
record of writing is replaced only when its bytes say feeds wrote it (as in a publish
directory, own_files.py); no key outside the prefix is read or written. Credentials, region and endpoint
come from boto3's own configuration (environment, profiles), never from site.yaml, and no
message here carries them. boto3 is an extra, imported only when a target is used.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import queue
import secrets
import stat
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from itertools import groupby
from pathlib import Path
from typing import Any, TypeVar

from .layout import Kind, kind, media_type
from .model import read_state_file
from .own_files import HEAD_BYTES, TAIL_BYTES, ends_of, is_ours
from .publish import write_atomically
from .remote import S3_EXTRA, MirrorError, Target

IMMUTABLE = "public, max-age=31536000, immutable"  # archive documents never change
LEASE_NAME = ".feeds-lease"  # under the prefix; held while one builder uploads
LEASE_SECONDS = 900  # a lease older than this was left by a builder that died
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 30.0
MAX_ATTEMPTS = 3  # each request, including the first: bounded, so cron never hangs
REQUESTS_AT_ONCE = 8  # in flight together: uploads, all of one kind of file, or reads


_Answer = TypeVar("_Answer")


@dataclass(frozen=True)
class MirrorResult:
    uploaded: tuple[str, ...]  # paths in the publish directory, in the order they went up
    changed: tuple[str, ...]  # those of them whose bytes the target lacked (the others, only their Cache-Control)
    deleted: tuple[str, ...]
    unchanged: int
    exclusive: bool | None  # the lease held off other builders; False: the store ignores
    # conditional writes; None: nothing was written, so no lease was taken
    skipped: tuple[str, ...] = ()  # links, and what is not a file or cannot be read: never uploaded (_State.scan)
    lacking: tuple[str, ...] = ()  # feed files on the target that the publish directory lacks, of no record here
    held: tuple[str, ...] = ()  # files whose bytes the target held though no build here uploaded them (a standby's first)


@dataclass(frozen=True)
class _Local:
    size: int
    md5: str


def mirror(publish_dir: Path, target: Target, cache_control: str, state_dir: Path,
           changed: list[str] | None = None) -> MirrorResult:
    """Upload every file of `publish_dir` whose bytes (or Cache-Control) the target lacks, in
    link order, then delete what this module wrote there that is gone from `publish_dir`.
    MirrorError if the target cannot be reached or refuses; what went up before that stays
    remembered. `changed`, when given, is filled with the files whose bytes the target lacked,
    a kind of file at a time before they go up: a caller stopped mid-upload (Ctrl-C, SIGTERM)
    knows which new files may be live."""
    from botocore.exceptions import BotoCoreError, ClientError  # type: ignore[import-untyped]

    state = _State.load(state_dir, target)
    changed = [] if changed is None else changed
    try:
        local, skipped = state.scan(publish_dir)
        client = _client(target)
        remote = _listing(client, target)
        plan = _Plan(local, remote, state.written, cache_control)
        unlinked = _unlinked_elsewhere(client, target, plan.unrecorded_pages, remote)
        lacking = plan.lacking
        if not plan and not unlinked:
            return MirrorResult((), (), (), len(local), None, skipped, lacking, plan.held)
        with _lease(client, target, state) as exclusive:
            remote = _listing(client, target)  # another builder may have been first
            plan = _Plan(local, remote, state.written, cache_control)
            _refuse_foreign(client, target, publish_dir, [path for path in plan.changed if path in remote
                                                          and not _as_written(path, remote, state.written)], remote)
            for _, group in groupby(plan.uploads, key=kind):  # a kind links only to kinds before it
                paths = tuple(group)
                changed.extend(path for path in paths if path in plan.changed)  # before their PUTs: one
                # stopped in flight may be up (a hub told of one that is not only looks)
                _at_once(paths, lambda path: _put(client, target, path, (publish_dir / path).read_bytes(),
                                                  _cache_control(path, cache_control)), state.written.__setitem__)
            for path in plan.deletions:
                client.delete_object(Bucket=target.bucket, Key=target.prefix + path)
                del state.written[path]
            for path in plan.forgotten:
                del state.written[path]
            unlinked = [path for path in unlinked if path in remote]
            for path in unlinked:
                client.delete_object(Bucket=target.bucket, Key=target.prefix + path)
        return MirrorResult(plan.uploads, tuple(path for path in plan.uploads if path in plan.changed),
                            tuple(sorted([*plan.deletions, *unlinked])), len(local) - len(plan.uploads), exclusive,
                            skipped, lacking, plan.held)
    except (BotoCoreError, ClientError) as error:
        raise MirrorError(f"cannot publish to {target}: {_reason(error)}") from None
    except OSError as error:  # a file of the publish directory removed or unreadable meanwhile
        raise MirrorError(f"cannot publish to {target}: cannot read {error.filename}: {error.strerror}") from None
    finally:
        state.save()


class _Plan:
    """What to send so that the target holds what `local` holds, and what to take back.
    `changed`: the uploads whose bytes the target lacks, as against those sent again only for
    a new Cache-Control, whose feeds readers (and hubs) have no news in."""

    def __init__(self, local: Mapping[str, _Local], remote: Mapping[str, tuple[str, int]],
                 written: Mapping[str, dict[str, str]], cache_control: str) -> None:
        self.changed = frozenset(path for path, file in local.items()
                                 if not _holds(remote.get(path), file, written.get(path)))
        restyled = [path for path in local if path not in self.changed
                    and _restyled(written.get(path), _cache_control(path, cache_control))]
        self.uploads = tuple(sorted([*self.changed, *restyled], key=lambda path: (kind(path), path.split("/"))))
        # Bytes the target held that no build here uploaded: another machine's build put them
        # there (and told the hubs), not one of this machine's, whose delivery may yet owe them.
        self.held = tuple(sorted(path for path, file in local.items() if path not in self.changed
                                 and (written.get(path) or {}).get("md5") != file.md5))
        gone = [path for path in written if path not in local]
        self.deletions = tuple(sorted(path for path in gone if _as_written(path, remote, written)))
        self.forgotten = tuple(path for path in gone if path not in self.deletions)
        unrecorded = sorted(path for path in remote if path not in local and path not in written)
        self.unrecorded_pages = tuple(path for path in unrecorded if kind(path) is Kind.ARCHIVE)
        # Feeds another machine, or this one before `.feeds/` was lost, kept on the target, which
        # this build does not write: a build from an empty publish directory keeps no feed alive
        # that its entries do not make (a category whose last story was withdrawn).
        self.lacking = tuple(path for path in unrecorded if kind(path) is Kind.FEED)

    def __bool__(self) -> bool:
        return bool(self.uploads or self.deletions or self.forgotten)


def _at_once(paths: Sequence[str], request: Callable[[str], _Answer], record: Callable[[str, _Answer], None]) -> None:
    """request(path) for each of `paths`, REQUESTS_AT_ONCE at a time, and record(path, answer)
    in this thread as each is answered; the first failure is raised once no other request
    will start and those in flight have been answered and recorded, so that none lands after
    the build has let go of the target (a PUT landing late could put an older page over the
    next build's). One PUT after another, a store 100 ms away took 34 s over 304 files, and one
    that took 3 s an answer held a build (and its lock, so every cron build behind it) over 5
    minutes for 60. The workers are daemon threads: a Ctrl-C is not held up by the requests
    in flight."""
    todo: queue.SimpleQueue[str] = queue.SimpleQueue()
    for path in paths:
        todo.put(path)
    answers: queue.SimpleQueue[tuple[str, _Answer | BaseException]] = queue.SimpleQueue()
    stop = threading.Event()

    def work() -> None:
        while not stop.is_set():
            try:
                path = todo.get_nowait()
            except queue.Empty:
                return
            try:
                answers.put((path, request(path)))
            except BaseException as error:  # passed on to the build, as if it had run there
                stop.set()
                answers.put((path, error))

    workers = [threading.Thread(target=work, daemon=True, name="feeds mirror")
               for _ in range(min(REQUESTS_AT_ONCE, len(paths)))]
    for worker in workers:
        worker.start()
    try:
        for _ in paths:
            path, answer = answers.get()
            if isinstance(answer, BaseException):
                _record_in_flight(workers, answers, record)
                raise answer
            record(path, answer)
    finally:
        stop.set()


def _record_in_flight(workers: Sequence[threading.Thread], answers: queue.SimpleQueue[tuple[str, _Answer | BaseException]],
                      record: Callable[[str, _Answer], None]) -> None:
    """Wait for the requests under way when one failed (no other starts: `work` sees the stop
    it set), and record those answered."""
    for worker in workers:
        worker.join()
    while not answers.empty():
        path, answer = answers.get()
        if not isinstance(answer, BaseException):
            record(path, answer)


def _refuse_foreign(client: Any, target: Target, publish_dir: Path, unknown: list[str],
                    remote: Mapping[str, tuple[str, int]]) -> None:
    """MirrorError, before anything is uploaded, if an object this module has no record of
    writing (or one replaced since) stands where one of feeds' files goes and its bytes do
    not say feeds wrote it: a
    publish_to at the website's own folder must not put the feeds' index.html over the
    homepage, as a publish_dir there may not (own_files.py). Objects this module wrote, whose
    record was lost with `.feeds/`, are known by their bytes; a file of the publish directory
    that feeds did not write either (an ads.txt put there by hand) goes up as before."""
    foreign: list[str] = []

    def keep_if_foreign(path: str, ours: bool) -> None:
        if not ours:
            foreign.append(path)

    _at_once([path for path in unknown if _is_ours_locally(publish_dir / path, path)],
             lambda path: is_ours(path, *_remote_ends(client, target, path, remote[path][1])), keep_if_foreign)
    foreign.sort()
    if foreign:
        named = [f"s3://{target.bucket}/{target.prefix}{path}" for path in foreign[:3]]
        if len(foreign) > 3:
            named.append(f"{len(foreign) - 3:,} more")
        objects = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
        there, them = ("an object there was", "it") if len(foreign) == 1 else ("the objects there were", "them")
        raise MirrorError(f"cannot publish to {target}: {there} not written by feeds, which never replaces an "
                          f"object it did not write: {objects}; move {them} away, or give publish_to (or --to) a "
                          f"prefix of feeds' own, such as s3://{target.bucket}/{target.prefix}feeds; "
                          "nothing was uploaded")


def _unlinked_elsewhere(client: Any, target: Target, pages: Sequence[str],
                        remote: Mapping[str, tuple[str, int]]) -> list[str]:
    """The archive documents among `pages` (on the target, in no record of this module's, and
    not in the publish directory) whose bytes say feeds wrote them: pages another machine's
    build put there (a standby's, the builder before a move, a CI job from a fresh clone), or
    this one's before `.feeds/` was lost, which no feed of this build links. A build removes
    such pages from its publish directory; on the target, with no record, they were kept for
    ever, a withdrawn story in them. The publish directory holds every page its feeds link."""
    found: list[str] = []

    def keep_if_ours(path: str, ours: bool) -> None:
        if ours:
            found.append(path)

    _at_once(pages, lambda path: is_ours(path, *_remote_ends(client, target, path, remote[path][1])), keep_if_ours)
    return sorted(found)


def _is_ours_locally(file: Path, path: str) -> bool:
    try:
        return is_ours(path, *ends_of(file))
    except OSError:  # gone meanwhile: the upload says so
        return True


def _remote_ends(client: Any, target: Target, path: str, size: int) -> tuple[bytes, bytes]:
    """An object's opening and end, as own_files.ends_of reads a file's: one ranged GET each,
    or one GET of a small object."""
    key = target.prefix + path
    if size <= HEAD_BYTES:
        data = client.get_object(Bucket=target.bucket, Key=key)["Body"].read()
        return data, data[-TAIL_BYTES:]
    head = client.get_object(Bucket=target.bucket, Key=key, Range=f"bytes=0-{HEAD_BYTES - 1}")["Body"].read()
    tail = client.get_object(Bucket=target.bucket, Key=key, Range=f"bytes=-{TAIL_BYTES}")["Body"].read()
    return head, tail


def _as_written(path: str, remote: Mapping[str, tuple[str, int]], written: Mapping[str, dict[str, str]]) -> bool:
    """The object at `path` holds what this module uploaded there: the ETag the store answered.
    One put over it since (a homepage uploaded by hand) is another's, to be known by its bytes."""
    return path in remote and path in written and remote[path][0] == written[path]["etag"]


def _holds(remote: tuple[str, int] | None, file: _Local, written: dict[str, str] | None) -> bool:
    """Whether the target's object has the local bytes: same size and an ETag that is their
    MD5, or the very ETag the store answered when these bytes were uploaded."""
    if remote is None or remote[1] != file.size:
        return False
    etag = remote[0]
    return etag == file.md5 or (written is not None and (written["md5"], written["etag"]) == (file.md5, etag))


def _restyled(written: dict[str, str] | None, cache_control: str) -> bool:
    """Whether this module uploaded the object with another Cache-Control than it would give it
    now (site.yaml's may change). A record from before Cache-Control was kept is taken to hold
    the current one."""
    return written is not None and written.get("cache_control", cache_control) != cache_control


def _cache_control(path: str, site_setting: str) -> str:
    """An archive document never changes under its name: cached for good; anything else as site.yaml says."""
    return IMMUTABLE if kind(path) is Kind.ARCHIVE else site_setting


def _client(target: Target) -> Any:
    """An S3 client as the environment and AWS config describe it. MirrorError for an endpoint
    boto3 cannot parse, whose text (it may carry a user and password) is not repeated."""
    try:
        import boto3  # type: ignore[import-untyped]
        from botocore.config import Config  # type: ignore[import-untyped]
        from botocore.exceptions import BotoCoreError
    except ImportError as error:  # installed in part (botocore missing), or for another Python
        raise MirrorError(f"cannot publish to {target}: boto3 cannot be imported ({error}); "
                          f"install it with {S3_EXTRA}") from None

    config = Config(connect_timeout=CONNECT_TIMEOUT, read_timeout=READ_TIMEOUT,
                    retries={"total_max_attempts": MAX_ATTEMPTS, "mode": "standard"})  # max_attempts counts retries only
    try:
        return boto3.session.Session().client("s3", config=config)
    except BotoCoreError:  # some are ValueErrors too (a bad region): each has its own reason
        raise
    except ValueError:
        raise MirrorError(f"cannot publish to {target}: {_BAD_ENDPOINT}") from None


_BAD_ENDPOINT = ("the store's endpoint is not a URL (check AWS_ENDPOINT_URL, or endpoint_url in the AWS config: "
                 "write it as https://HOST[:PORT], with no user or password in it)")


def _listing(client: Any, target: Target) -> dict[str, tuple[str, int]]:
    """path under the prefix -> (ETag without quotes, size), for every object there."""
    found = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=target.bucket, Prefix=target.prefix):
        for item in page.get("Contents", ()):
            path = item["Key"][len(target.prefix):]
            if path != LEASE_NAME:
                found[path] = (item["ETag"].strip('"'), item["Size"])
    return found


def _put(client: Any, target: Target, path: str, data: bytes, cache_control: str) -> dict[str, str]:
    """One object, its integrity checked by the store (Content-MD5); what it answered."""
    digest = hashlib.md5(data, usedforsecurity=False)
    answer = client.put_object(Bucket=target.bucket, Key=target.prefix + path, Body=data,
                               ContentType=media_type(path), CacheControl=cache_control,
                               ContentMD5=base64.b64encode(digest.digest()).decode("ascii"))
    if not answer.get("ETag"):  # a web server at the endpoint answers 200 to anything, and stores nothing
        raise MirrorError(f"cannot publish to {target}: the endpoint does not answer as an S3 store does "
                          "(an upload got no ETag); check that AWS_ENDPOINT_URL is the store's S3 endpoint")
    return {"md5": digest.hexdigest(), "etag": answer["ETag"].strip('"'), "cache_control": cache_control}


@contextmanager
def _lease(client: Any, target: Target, state: _State) -> Iterator[bool]:
    """Hold the prefix's lease object while uploading, so that two builders of one target
    never interleave. It is created with PutObject If-None-Match: *, which fails when the
    object exists on a store that supports conditional writes. Yields False, without
    exclusion, on a store that ignores the condition (a second create succeeds).
    Its token is remembered in `.feeds/` until it is given back, so that a lease this site
    left behind (the store went away mid-upload) does not stop its own next build; a build
    takes the lease with that same token, so that one which fails before it holds the lease
    (the store refused to remove the old one) leaves the token as it was."""
    import socket  # here: every build imports this module, few lease a target

    from botocore.exceptions import ClientError

    key = target.prefix + LEASE_NAME
    left_behind = state.lease_token
    state.lease_token = left_behind or secrets.token_hex(8)
    body = json.dumps({"host": socket.gethostname(), "pid": os.getpid(), "token": state.lease_token,
                       "since": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                       "processes": _processes(), "started": _started(os.getpid())}).encode()
    state.save()
    try:
        created = _create(client, target, key, body)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "NotImplemented":
            raise
        client.put_object(Bucket=target.bucket, Key=key, Body=body, ContentType="application/json")
        created = True  # a store that refuses conditional writes: no exclusion
    if not created:
        holder = _break_if_stale(client, target, key, left_behind)
        if not _create(client, target, key, body):
            raise MirrorError(f"cannot publish to {target}: another builder is publishing to it "
                              f"{_held(holder, f's3://{target.bucket}/{key}')}")
    try:
        exclusive = not _create(client, target, key, body)
    except ClientError:
        exclusive = False
    try:
        yield exclusive
    finally:
        client.delete_object(Bucket=target.bucket, Key=key)
        state.lease_token = None


def _create(client: Any, target: Target, key: str, body: bytes) -> bool:
    """PutObject only if no object has the key; False if one has it."""
    from botocore.exceptions import ClientError

    try:
        client.put_object(Bucket=target.bucket, Key=key, Body=body, IfNoneMatch="*",
                          ContentType="application/json", CacheControl="no-store")
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("PreconditionFailed", "ConditionalRequestConflict"):
            return False
        raise
    return True


@dataclass(frozen=True)
class _Holder:
    """Who holds the lease, as its object says (None: not said, or not as a machine names
    itself: anyone who may write to the bucket may write the lease, and a terminal acts on
    control characters), and since when by the store's clock."""

    host: str | None
    since: datetime


def _held(holder: _Holder | None, lease: str) -> str:
    """Who holds the lease, and what to do when it is a builder that died mid-upload (the
    primary, at a failover): its lease stops every other builder until it lapses."""
    if holder is None:  # given back meanwhile
        return f"(it holds {lease}); the next build will finish the job"
    lapses = holder.since + timedelta(seconds=LEASE_SECONDS)
    return (f"({holder.host or 'a builder'} has held {lease} since {holder.since:%H:%M:%S} UTC); the next build "
            f"will finish the job; if that builder died (a failover), its lease lapses at {lapses:%H:%M:%S} UTC, "
            f"when a build takes over, or delete {lease} once it is surely down and build again")


def _break_if_stale(client: Any, target: Target, key: str, left_behind: str | None) -> _Holder | None:
    """Remove a lease left by this site's own failed build, or by a builder that died
    (older than LEASE_SECONDS); who holds one that stays (None: gone meanwhile)."""
    from botocore.exceptions import ClientError

    try:
        held = client.get_object(Bucket=target.bucket, Key=key)
        lease = json.loads(held["Body"].read())
        token, host = lease.get("token"), lease.get("host")
    except ClientError:
        return None  # gone meanwhile
    except (ValueError, AttributeError):
        lease = token = host = None  # not a lease feeds wrote: only its age can free it
    since = held["LastModified"].astimezone(timezone.utc)
    if ((left_behind is not None and token == left_behind) or _died_here(lease)
            or datetime.now(timezone.utc) - since > timedelta(seconds=LEASE_SECONDS)):
        client.delete_object(Bucket=target.bucket, Key=key)
    return _Holder(host if isinstance(host, str) and host.isprintable() and len(host) <= 253 else None, since)


def _died_here(lease: Any) -> bool:
    """The lease was taken by a process among this one's (this machine, since its boot, in
    this pid namespace) that is no longer running: its pid names no process, or one started
    at another moment (the pid used again). A build killed (kill -9, the OOM killer) holding
    the lease stopped a build of the same target from another folder of this machine (a
    second checkout, a CI workspace) for 15 minutes, while this machine could see it was
    gone; another machine cannot, and waits."""
    here = _processes()
    if here is None or not isinstance(lease, dict) or lease.get("processes") != here:
        return False
    pid = lease.get("pid")
    if not isinstance(pid, int) or pid <= 0:
        return False
    started = _started(pid)
    if started is None and _runs(pid):  # hidden from /proc (hidepid): running, for all this build can tell
        return False
    return started != lease.get("started")


def _processes() -> str | None:
    """What names the processes this one can see: the kernel's boot and the pid namespace
    (a container has its own); None where the system does not say (not Linux)."""
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text("ascii").strip()
        return f"{boot} {os.readlink('/proc/self/ns/pid')}"
    except (OSError, ValueError):
        return None


def _runs(pid: int) -> bool:
    """Whether a process `pid` runs, by signal 0, which /proc's hidepid does not hide: there
    another user's build, reading as gone, had its lease broken in the middle of its upload."""
    try:
        os.kill(pid, 0)
    except PermissionError:  # another user's
        return True
    except (OSError, OverflowError):  # no such process; or a pid no process can have
        return False
    return True


def _started(pid: int) -> int | None:
    """When the process `pid` started, in clock ticks since boot; None: no such process."""
    try:
        stat_line = Path(f"/proc/{pid}/stat").read_text("ascii", "replace")
        return int(stat_line.rsplit(")", 1)[1].split()[19])  # after its name, which may hold ") "
    except (OSError, ValueError, IndexError):
        return None


def _reason(error: Exception) -> str:
    """Why, in words a newsroom can act on; never the endpoint's URL nor a credential."""
    from botocore.exceptions import (
        ClientError,
        ConnectionError,
        EndpointProviderError,
        HTTPClientError,
        InvalidRegionError,
        NoCredentialsError,
        NoRegionError,
        PartialCredentialsError,
        ProfileNotFound,
        ReadTimeoutError,
    )

    if isinstance(error, NoCredentialsError):
        return "no AWS credentials found (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE)"
    if isinstance(error, PartialCredentialsError):  # names the variable missing, never a value
        return (f"incomplete AWS credentials: {error.kwargs.get('cred_var')} is missing "
                "(set AWS_SECRET_ACCESS_KEY with AWS_ACCESS_KEY_ID, or both in the AWS profile)")
    if isinstance(error, ProfileNotFound):
        return (f'the AWS profile "{error.kwargs.get("profile")}" is not in the AWS config '
                "(check AWS_PROFILE, ~/.aws/config and ~/.aws/credentials)")
    if isinstance(error, NoRegionError):
        return "no AWS region set (set AWS_DEFAULT_REGION, or region in the AWS profile)"
    if isinstance(error, InvalidRegionError):
        return (f'the region "{error.kwargs.get("region_name")}" is not a region name '
                "(set AWS_DEFAULT_REGION, or region in the AWS profile, to one such as eu-west-1)")
    if isinstance(error, EndpointProviderError):
        return _BAD_ENDPOINT
    if isinstance(error, ReadTimeoutError):
        return f"the store did not answer within {READ_TIMEOUT:g} s ({MAX_ATTEMPTS} attempts)"
    if isinstance(error, HTTPClientError):  # the connection reset or closed before the answer (a store gone mid-upload)
        return (f"the store closed the connection before it answered ({MAX_ATTEMPTS} attempts); "
                "check AWS_ENDPOINT_URL and the network")
    if isinstance(error, ConnectionError):
        return f"the store could not be reached ({MAX_ATTEMPTS} attempts); check AWS_ENDPOINT_URL and the network"
    if isinstance(error, ClientError):
        code = error.response.get("Error", {}).get("Code")
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if not code or code == str(status):  # botocore's stand-in when the answer held no S3 error
            return f"the store refused: HTTP {status}, with no S3 error code (check that AWS_ENDPOINT_URL is the store's S3 endpoint)"
        what_to_do = _WHAT_TO_DO.get(code) or (_PASSING if isinstance(status, int) and status >= 500 else None)
        return f"the store refused: {code} (HTTP {status})" + (f"; {what_to_do}" if what_to_do else "")
    return f"the request failed ({type(error).__name__})"


_PASSING = "the store is busy or failing for now: the next build uploads what it still lacks"
_PERMISSIONS = ("the credentials may not do this: give them s3:ListBucket on the bucket, and s3:GetObject, "
                "s3:PutObject and s3:DeleteObject under the prefix")
_REGION = "the bucket is in another region: set AWS_DEFAULT_REGION (or the AWS profile's region) to the bucket's"
_EXPIRED = ("the temporary credentials have expired or are not valid: renew them (a new AWS_SESSION_TOKEN, or "
            "aws sso login for the profile)")
# What a newsroom can do about each refusal the S3 API documents for these requests; a code
# not here is named as the store gave it, and any 5xx is taken to pass.
_WHAT_TO_DO = {
    "AccessDenied": _PERMISSIONS,
    "AllAccessDisabled": _PERMISSIONS,
    "InvalidAccessKeyId": "the store knows no such access key: check AWS_ACCESS_KEY_ID (or the AWS profile's)",
    "SignatureDoesNotMatch": ("the secret key is not the access key's: check AWS_SECRET_ACCESS_KEY "
                              "(or the AWS profile's)"),
    "ExpiredToken": _EXPIRED,
    "InvalidToken": _EXPIRED,
    "TokenRefreshRequired": _EXPIRED,
    "NoSuchBucket": "create the bucket, or correct its name in publish_to (or --to)",
    "RequestTimeTooSkewed": "this machine's clock is more than 15 minutes off: set it right (NTP)",
    "AuthorizationHeaderMalformed": _REGION,
    "PermanentRedirect": _REGION,
    "IllegalLocationConstraintException": _REGION,
    "SlowDown": _PASSING,
    "RequestTimeout": _PASSING,
}


class _State:
    """What this module knows of one target, kept in `.feeds/`: the objects it wrote
    (path -> MD5 and the ETag the store answered) and the MD5 of each local file by its
    stat, so that an unchanged file is not read again; and the token of its lease while held."""

    def __init__(self, path: Path, written: dict[str, dict[str, str]], digests: dict[str, list[Any]],
                 lease_token: str | None = None) -> None:
        self.path = path
        self.written = written
        self.digests = digests
        self.lease_token = lease_token  # of a lease taken and not yet given back

    @classmethod
    def load(cls, state_dir: Path, target: Target) -> _State:
        name = hashlib.sha256(str(target).encode()).hexdigest()[:16]
        path = state_dir / f"mirror-{name}.json"
        try:
            stored = json.loads(read_state_file(path))
            return cls(path, dict(stored["written"]), dict(stored["digests"]), stored.get("lease_token"))
        except (OSError, ValueError, KeyError, TypeError):
            return cls(path, {}, {})

    def scan(self, publish_dir: Path) -> tuple[dict[str, _Local], tuple[str, ...]]:
        """Every file of the publish directory but hidden ones (a build's temporaries), and
        apart, what is never uploaded: a link (it may lead out of the publish directory, to
        /etc/passwd or a hidden file, as `feeds serve` refuses to), anything that is not a
        file, and a file that cannot be read. One stray such thing must not stop the wire."""
        files: dict[str, _Local] = {}
        skipped: list[str] = []
        digests: dict[str, list[Any]] = {}
        for folder, subfolders, names in os.walk(publish_dir):
            links = [name for name in subfolders if Path(folder, name).is_symlink()]
            skipped += (Path(folder, name).relative_to(publish_dir).as_posix() for name in links)
            subfolders[:] = sorted(name for name in subfolders if not name.startswith(".") and name not in links)
            for name in sorted(name for name in names if not name.startswith(".")):
                full = Path(folder, name)
                path = full.relative_to(publish_dir).as_posix()
                md5 = None
                with suppress(OSError):
                    info = full.lstat()
                    stamp = [info.st_size, info.st_mtime_ns, info.st_ino]
                    known = self.digests.get(path)
                    if stat.S_ISREG(info.st_mode):  # not a link, nor a device: never followed
                        md5 = known[3] if known and known[:3] == stamp else _md5_of(full)
                if md5 is None:
                    skipped.append(path)
                    continue
                digests[path] = [*stamp, md5]
                files[path] = _Local(info.st_size, md5)
        self.digests = digests
        return files, tuple(sorted(skipped))

    def save(self) -> None:
        data = json.dumps({"written": self.written, "digests": self.digests, "lease_token": self.lease_token},
                          sort_keys=True).encode()
        try:
            write_atomically(self.path, data)
        except OSError:
            pass  # only an optimisation: the next build lists the target and compares again


def _md5_of(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
