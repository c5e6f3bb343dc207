"""Where a site publishes beyond this machine: an `s3://BUCKET/PREFIX` target, read and
checked. Low in the house, so that validating site.yaml (publish_to) and the command line
(--to) read a target by the same rule as the mirror stage (mirror.py) that uses it."""

from __future__ import annotations

import importlib.util
import re
from typing import NamedTuple

S3_EXTRA = "pip install 'boto3>=1.28' in feeds' environment (the s3 extra: pip install '.[s3]' in its checkout)"
_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\Z")


class TargetError(ValueError):
    """A publish_to or --to value that names no S3 target."""

    def __init__(self, expected: str, hint: str) -> None:
        super().__init__(f"expected {expected}; {hint}")
        self.expected = expected
        self.hint = hint


class MirrorError(Exception):
    """The target could not be reached, or refused: a message that names it and holds no secret."""


class Target(NamedTuple):
    bucket: str
    prefix: str  # "" (the whole bucket) or a folder ending in "/"

    def __str__(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}"


def parse_target(text: str) -> Target:
    """'s3://bucket/some/prefix' -> Target('bucket', 'some/prefix/'); TargetError if it is not one."""
    match = re.fullmatch(r"s3://([^/]*)(?:/(.*))?", text.strip())
    if match is None:
        raise TargetError("an object-storage target s3://BUCKET/PREFIX",
                          "write it as s3://news-bucket/feeds (only S3-compatible stores are supported)")
    bucket, prefix = match.group(1), (match.group(2) or "").strip("/")
    if not _BUCKET.match(bucket) or ".." in bucket:
        raise TargetError("a bucket name of 3 to 63 lowercase letters, digits, dots and hyphens",
                          "write it as s3://news-bucket/feeds")
    if prefix and (any(segment in ("", ".", "..") for segment in prefix.split("/")) or "\\" in prefix):
        raise TargetError("a prefix of plain folder names", "write it as s3://news-bucket/feeds/world")
    if re.search(r"[?#]", prefix):
        raise TargetError("a prefix of plain folder names, with no query or fragment", _without_query(bucket, prefix))
    return Target(bucket, prefix + "/" if prefix else "")


def _without_query(bucket: str, prefix: str) -> str:
    """S3 takes a ? or # as part of a key, so s3://news/feeds?region=eu-west-1 put every
    object under the folder 'feeds?region=eu-west-1/', which publish_url's reader never
    reaches: the hint names the target without it, and where a region comes from."""
    folders = re.split(r"[?#]", prefix, maxsplit=1)[0].strip("/")
    return ("the region, the endpoint and the credentials come from the AWS configuration, never the target: "
            f"write it as s3://{bucket}" + (f"/{folders}" if folders else ""))


def s3_available() -> bool:
    """Whether the s3 extra is installed, boto3 and the botocore it stands on: `feeds check`
    says so of a publish_to before a build fails to upload. Looked for, not imported (0.3 s):
    boto3 is imported only when a target is used."""
    return all(importlib.util.find_spec(name) is not None for name in ("boto3", "botocore"))
