"""After a build: put the publish directory on its object-storage target, then tell the
WebSub hubs which feeds changed. The layer above `build_site`, called by `feeds build`
and by `feeds watch` after each rebuild.

The local publish directory is built first and stays the source of truth. With a target,
the feeds that changed are those the target lacked (so a feed written by a build whose
upload failed is notified once it is finally up); without one, those the build wrote, which
it owed the hubs in `.feeds/` before it put them in place: added here again, a build run
between that build and its delivery (cron beside `feeds watch`) sent them, and this one
sent them a second time. With a target, what the build owed that no hub was owed before
and the target held already, put there by no build here, is forgiven: readers had those
bytes. A standby's first build (no `.feeds/`, an empty publish directory) owed every feed it
wrote, and told the hubs of each, though nothing went up; a build killed after its upload
still leaves its feeds owed to the next build, which owes them before it. Feeds a build
here put up are not forgiven: the build run between another's rebuild and its delivery
(cron beside `feeds watch`) may have uploaded them and found the hub down, and the first
build's delivery let go of what that hub was still owed.
Pages and archive documents are never notified: readers subscribe to feeds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .build import STATE_DIR, BuildResult
from .model import WEBSUB_PENDING_FILE
from .publish import build_lock
from .remote import MirrorError, Target, parse_target

if TYPE_CHECKING:
    from .mirror import MirrorResult
    from .websub import NotifyResult


@dataclass(frozen=True)
class Delivery:
    target: Target | None
    mirrored: MirrorResult | None
    notified: NotifyResult


def deliver(result: BuildResult, root: Path | str, to: str | None = None, notify: bool = True,
            preview: bool = False, lock_timeout: float = 60.0) -> Delivery | None:
    """Mirror to `to` (else site.yaml's publish_to), then notify the hubs (kept pending when
    not `notify`). Only a build that published goes out: one that held back invalid entries
    does (its valid ones are on time), one that wrote nothing (`--strict`, a dry run) does
    not. A build into another folder than publish_dir (`preview`) goes out only
    with an explicit `to`, and one dated after the clock (`result.preview`) never, so no
    embargoed entry gets out: None, nothing done; so too with no target, no hub and no
    notification still owed to a hub that was dropped from site.yaml. The hubs are told of
    the feeds readers have: those publish_to got, or with no publish_to those the build
    wrote (owed already, by the build); a `to` other than publish_to is a copy elsewhere, of which no hub is told. Raises MirrorError
    when the target cannot be reached or refuses, and PublishError when `.feeds/` cannot
    be locked."""
    site = result.check.site
    if site is None or not result.published or result.preview or (preview and to is None):
        return None
    target_text = to or site.publish_to
    target = parse_target(target_text) if target_text else None
    state_dir = Path(root) / STATE_DIR
    if target is None and not site.hubs and not (state_dir / WEBSUB_PENDING_FILE).exists():
        return None  # most sites: nothing to put anywhere, no hub to tell (and no module of either imported)
    from .websub import NotifyResult, feed_urls, notify_hubs

    def feeds_among(paths: Sequence[str]) -> list[str]:
        return feed_urls(site.publish_url, paths)

    with build_lock(state_dir, lock_timeout):
        changed: list[str] = []  # filled as files whose bytes the target lacked go up
        try:
            mirrored = _mirror(result.out_dir, target, site.cache_control, state_dir, changed) if target else None
        except BaseException:  # refused, or stopped (Ctrl-C, SIGTERM): what went up before is live, its hubs are owed
            notify_hubs(site.hubs, feeds_among(changed), state_dir, send=False)
            raise
        if to is not None and site.publish_to is not None and parse_target(site.publish_to) != target:
            return Delivery(target, mirrored, NotifyResult({}, (), {}))  # a copy elsewhere: publish_to's build tells
        live = mirrored if to is None or site.publish_to is not None else None  # else readers have the local files
        news = feeds_among(live.changed) if live is not None else []
        held = set(feeds_among(live.held)) if live is not None else set()  # put there by no build here
        already_up = [url for url in result.owed if url in held]
        notified = notify_hubs(site.hubs, news, state_dir, send=notify, forgiven=already_up)
    return Delivery(target, mirrored, notified)


def _mirror(publish_dir: Path, target: Target, cache_control: str, state_dir: Path, changed: list[str]) -> MirrorResult:
    from .mirror import mirror
    from .remote import S3_EXTRA, s3_available

    if not s3_available():
        raise MirrorError(f"cannot publish to {target}: boto3 is not installed; install it with {S3_EXTRA}")
    return mirror(publish_dir, target, cache_control, state_dir, changed)
