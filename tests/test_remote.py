"""Publishing to object storage: a real S3 server (moto's server mode on 127.0.0.1), reached
by boto3 through AWS_ENDPOINT_URL over HTTP exactly as production reaches AWS, R2 or MinIO."""

from __future__ import annotations

import hashlib
import itertools
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from feeds.build import build_site
from feeds.cli import main
from feeds.deliver import deliver
from feeds.mirror import LEASE_NAME
from feeds.remote import parse_target

from .conftest import SITE_YAML, entry_yaml
from .servers import FAKE_KEY_ID, FAKE_SECRET, closed_port, hub, s3_server, use_s3_endpoint, website

boto3 = pytest.importorskip("boto3")
_buckets = itertools.count()


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with s3_server() as url:
        yield url


@pytest.fixture
def aws(monkeypatch, endpoint) -> str:
    """Fake credentials and the endpoint, from the environment as boto3 reads them."""
    use_s3_endpoint(monkeypatch, endpoint)
    return endpoint


@pytest.fixture
def s3(aws) -> Any:
    return boto3.client("s3")


@pytest.fixture
def bucket(s3) -> str:
    """A fresh bucket that keeps every version, so that each PUT can be counted."""
    name = f"news-{next(_buckets)}"
    s3.create_bucket(Bucket=name)
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    return name


def site_publishing_to(make_site, bucket: str, extra: str = "", entries: dict[str, str] | None = None) -> Path:
    entries = entries if entries is not None else {"items/a.yaml": entry_yaml(categories="[Sport]")}
    return make_site(entries, site_yaml=SITE_YAML + f"publish_to: s3://{bucket}/feeds\n" + extra)


def local_files(root: Path) -> dict[str, bytes]:
    publish = root / "publish"
    return {path.relative_to(publish).as_posix(): path.read_bytes() for path in publish.rglob("*") if path.is_file()}


def puts(s3: Any, bucket: str, prefix: str = "feeds/") -> dict[str, int]:
    """key -> how many times it was PUT (every version, the lease object left out)."""
    counts: dict[str, int] = {}
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=prefix):
        for version in page.get("Versions", ()):
            if not version["Key"].endswith(LEASE_NAME):
                counts[version["Key"]] = counts.get(version["Key"], 0) + 1
    return counts


def test_the_first_build_uploads_every_file_with_its_bytes_media_type_and_cache_control(make_site, s3, bucket):
    root = site_publishing_to(make_site, bucket)
    assert main(["build", str(root), "--quiet"]) == 0
    files = local_files(root)
    assert set(puts(s3, bucket)) == {f"feeds/{path}" for path in files}
    media = {"rss.xml": "application/rss+xml", "atom.xml": "application/atom+xml",
             "feed.json": "application/feed+json", "index.html": "text/html"}
    for path, data in files.items():
        stored = s3.get_object(Bucket=bucket, Key=f"feeds/{path}")
        assert stored["Body"].read() == data
        assert stored["ContentType"] == media[Path(path).name] + "; charset=utf-8"
        assert stored["CacheControl"] == "public, max-age=300"


def test_archive_documents_go_up_with_their_feeds_media_types(make_site, s3, bucket):
    entries = {f"items/{day}.yaml": entry_yaml(title=f"Day {day}", link=f"/{day}", published=f"2020-02-{day} 09:00")
               for day in range(10, 16)}
    root = site_publishing_to(make_site, bucket, "archive: true\nmax_items: 2\n", entries)
    assert main(["build", str(root), "--quiet"]) == 0
    archived = [key for key in puts(s3, bucket) if key.startswith("feeds/archive/")]
    media = {".rss.xml": "application/rss+xml", ".atom.xml": "application/atom+xml",
             ".feed.json": "application/feed+json"}
    types = {suffix: {s3.head_object(Bucket=bucket, Key=key)["ContentType"] for key in archived if key.endswith(suffix)}
             for suffix in media}
    assert types == {suffix: {value + "; charset=utf-8"} for suffix, value in media.items()}
    assert sum(key.endswith(tuple(media)) for key in archived) == len(archived)


def test_cache_control_comes_from_site_yaml(make_site, s3, bucket):
    root = site_publishing_to(make_site, bucket, "cache_control: public, max-age=60, stale-while-revalidate=30\n")
    main(["build", str(root), "--quiet"])
    stored = s3.head_object(Bucket=bucket, Key="feeds/rss.xml")
    assert stored["CacheControl"] == "public, max-age=60, stale-while-revalidate=30"


def test_files_go_up_archives_then_feeds_then_pages_the_top_index_last_and_archives_immutable(
        make_site, s3, bucket, capsys):
    root = site_publishing_to(make_site, bucket)
    archive = root / "publish" / "archive"
    archive.mkdir(parents=True)
    (archive / "rss-1.xml").write_bytes(b"<rss/>")
    assert main(["build", str(root), "--verbose"]) == 0
    uploaded = [line.split(f"s3://{bucket}/feeds/", 1)[1]
                for line in capsys.readouterr().err.splitlines() if line.startswith("uploaded ")]
    assert uploaded[0] == "archive/rss-1.xml"
    assert uploaded[-1] == "index.html"
    middle = uploaded[1:-1]
    pages = [path for path in middle if Path(path).name == "index.html"]
    feeds = [path for path in middle if Path(path).name != "index.html"]
    assert pages and middle == feeds + pages
    assert {Path(path).name for path in feeds} == {"rss.xml", "atom.xml", "feed.json"}
    assert s3.head_object(Bucket=bucket, Key="feeds/archive/rss-1.xml")["CacheControl"] == \
        "public, max-age=31536000, immutable"


def test_files_of_one_kind_go_up_several_at_once_and_none_before_every_earlier_kind_is_up(
        make_site, s3, bucket, monkeypatch):
    import threading
    import time

    import feeds.mirror
    from feeds.layout import kind

    root = site_publishing_to(make_site, bucket, entries={
        f"items/{name}.yaml": entry_yaml(name, f"/news/{name}", categories=f"[{name}]") for name in "abcd"})
    real_put = feeds.mirror._put
    in_flight: list[str] = []
    seen_together: list[tuple[str, ...]] = []
    lock = threading.Lock()

    def slow_put(client: Any, target: Any, path: str, *args: Any) -> dict[str, str]:
        with lock:
            in_flight.append(path)
            seen_together.append(tuple(in_flight))
        time.sleep(0.1)  # a store 100 ms away
        try:
            return real_put(client, target, path, *args)
        finally:
            with lock:
                in_flight.remove(path)

    monkeypatch.setattr(feeds.mirror, "_put", slow_put)
    assert main(["build", str(root), "--quiet"]) == 0
    assert max(map(len, seen_together)) == 8  # REQUESTS_AT_ONCE: one after another, 1
    assert all(len({kind(path) for path in together}) == 1 for together in seen_together)
    assert set(puts(s3, bucket)) == {f"feeds/{path}" for path in local_files(root)}


def test_uploads_in_flight_when_one_fails_are_answered_before_the_build_ends(make_site, s3, bucket, capsys, monkeypatch):
    """Not one landing after the build has let go of the target, over the next build's."""
    import threading
    import time

    import botocore.exceptions

    import feeds.mirror

    root = site_publishing_to(make_site, bucket, entries={
        f"items/{name}.yaml": entry_yaml(name, f"/news/{name}", categories=f"[{name}]") for name in "abcd"})
    real_put = feeds.mirror._put
    all_started = threading.Barrier(8, timeout=10)  # REQUESTS_AT_ONCE
    in_flight: set[str] = set()

    def one_fails(client: Any, target: Any, path: str, *args: Any) -> dict[str, str]:
        in_flight.add(path)
        try:
            if all_started.wait() == 0:
                raise botocore.exceptions.EndpointConnectionError(endpoint_url="http://127.0.0.1:9/")
            time.sleep(0.2)  # still under way when the failure is answered
            return real_put(client, target, path, *args)
        finally:
            in_flight.discard(path)

    monkeypatch.setattr(feeds.mirror, "_put", one_fails)
    assert main(["build", str(root), "--quiet"]) == 3
    assert in_flight == set()
    assert len(puts(s3, bucket)) == 7


def test_a_build_in_which_nothing_changed_uploads_nothing(make_site, s3, bucket, capsys):
    root = site_publishing_to(make_site, bucket)
    main(["build", str(root), "--quiet"])
    before = puts(s3, bucket)
    assert main(["build", str(root)]) == 0
    assert puts(s3, bucket) == before
    assert f"0 files uploaded to s3://{bucket}/feeds/, 8 already there" in capsys.readouterr().err


def test_an_edited_entry_uploads_exactly_the_files_whose_bytes_changed(make_site, s3, bucket):
    entries = {"items/a.yaml": entry_yaml(categories="[Sport]"),
               "items/b.yaml": entry_yaml("Markets calm", "/news/markets", categories="[Business]")}
    root = site_publishing_to(make_site, bucket, entries=entries)
    main(["build", str(root), "--quiet"])
    before = local_files(root)
    (root / "items/b.yaml").write_text(entry_yaml("Markets fall", "/news/markets", categories="[Business]"),
                                       encoding="utf-8")
    main(["build", str(root), "--quiet"])
    changed = {f"feeds/{path}" for path, data in local_files(root).items() if before.get(path) != data}
    assert changed  # the site's feeds, Business's feeds and the index page
    assert {key for key, count in puts(s3, bucket).items() if count == 2} == changed


def test_a_build_that_holds_back_an_invalid_entry_still_uploads_the_valid_ones(make_site, s3, bucket):
    root = site_publishing_to(make_site, bucket)
    main(["build", str(root), "--quiet"])
    (root / "items/b.yaml").write_text(entry_yaml("Markets fall", "/news/markets"), encoding="utf-8")
    (root / "items/broken.yaml").write_text("title: Half-written\n", encoding="utf-8")
    assert main(["build", str(root), "--quiet"]) == 1
    for path, data in local_files(root).items():
        assert s3.get_object(Bucket=bucket, Key=f"feeds/{path}")["Body"].read() == data


def test_objects_it_did_not_write_are_never_touched(make_site, s3, bucket):
    s3.put_object(Bucket=bucket, Key="feeds/ads.txt", Body=b"placed by hand")
    s3.put_object(Bucket=bucket, Key="feeds/rss.xml.bak", Body=b"placed by hand")
    s3.put_object(Bucket=bucket, Key="site/index.html", Body=b"another prefix")
    root = site_publishing_to(make_site, bucket)
    main(["build", str(root), "--quiet"])
    (root / "publish" / "rss.xml.bak").write_bytes(b"gone soon")
    main(["build", str(root), "--quiet"])
    (root / "publish" / "rss.xml.bak").unlink()
    main(["build", str(root), "--quiet"])
    assert s3.get_object(Bucket=bucket, Key="feeds/ads.txt")["Body"].read() == b"placed by hand"
    assert puts(s3, bucket, "site/") == {"site/index.html": 1}
    # A file feeds did not write either goes over the object at its key, so that one it may take back.
    assert "feeds/rss.xml.bak" not in {item["Key"] for item in s3.list_objects_v2(Bucket=bucket)["Contents"]}


def never_replaced(bucket: str, path: str) -> str:
    """The error of a build that finds an object it did not write at the key of `path`."""
    return (f"feeds: error: cannot publish to s3://{bucket}/feeds/: an object there was not written by feeds, which "
            f"never replaces an object it did not write: s3://{bucket}/feeds/{path}; move it away, or give "
            f"publish_to (or --to) a prefix of feeds' own, such as s3://{bucket}/feeds/feeds; nothing was uploaded")


def test_an_object_it_did_not_write_where_its_file_goes_is_never_replaced_and_nothing_goes_up(
        make_site, s3, bucket, capsys):
    s3.put_object(Bucket=bucket, Key="feeds/index.html", Body=b"<html>The newsroom's homepage</html>")
    root = site_publishing_to(make_site, bucket)
    assert main(["build", str(root)]) == 3
    assert capsys.readouterr().err.splitlines()[-1] == never_replaced(bucket, "index.html")
    assert s3.get_object(Bucket=bucket, Key="feeds/index.html")["Body"].read() == b"<html>The newsroom's homepage</html>"
    assert puts(s3, bucket) == {"feeds/index.html": 1}
    assert (root / "publish" / "index.html").is_file()  # the local publish directory is complete


def test_an_object_it_wrote_then_replaced_by_another_is_never_replaced_and_nothing_goes_up(
        make_site, s3, bucket, capsys):
    root = site_publishing_to(make_site, bucket)
    assert main(["build", str(root), "--quiet"]) == 0
    s3.put_object(Bucket=bucket, Key="feeds/index.html", Body=b"<html>The newsroom's homepage</html>")
    (root / "items/a.yaml").write_text(entry_yaml("Storm closes every port", categories="[Sport]"), encoding="utf-8")
    assert main(["build", str(root)]) == 3
    assert capsys.readouterr().err.splitlines()[-1] == never_replaced(bucket, "index.html")
    assert s3.get_object(Bucket=bucket, Key="feeds/index.html")["Body"].read() == b"<html>The newsroom's homepage</html>"


def test_objects_it_wrote_are_known_by_their_bytes_once_its_own_record_is_deleted(make_site, s3, bucket):
    root = site_publishing_to(make_site, bucket)
    assert main(["build", str(root), "--quiet"]) == 0
    shutil.rmtree(root / ".feeds")
    (root / "items/a.yaml").write_text(entry_yaml("Storm closes every port", categories="[Sport]"), encoding="utf-8")
    assert main(["build", str(root), "--quiet"]) == 0
    for path, data in local_files(root).items():
        assert s3.get_object(Bucket=bucket, Key=f"feeds/{path}")["Body"].read() == data


def test_a_file_gone_from_the_publish_directory_is_deleted_only_if_it_still_holds_what_was_written(
        make_site, s3, bucket):
    root = site_publishing_to(make_site, bucket)
    (root / "publish").mkdir()
    (root / "publish" / "old.txt").write_bytes(b"ours")
    (root / "publish" / "kept.txt").write_bytes(b"ours")
    main(["build", str(root), "--quiet"])
    s3.put_object(Bucket=bucket, Key="feeds/kept.txt", Body=b"replaced by someone else")
    (root / "publish" / "old.txt").unlink()
    (root / "publish" / "kept.txt").unlink()
    main(["build", str(root), "--quiet"])
    keys = {item["Key"] for item in s3.list_objects_v2(Bucket=bucket)["Contents"]}
    assert "feeds/old.txt" not in keys
    assert "feeds/kept.txt" in keys


def test_an_object_the_target_lost_is_uploaded_again_with_nothing_changed_locally(make_site, s3, bucket):
    root = site_publishing_to(make_site, bucket)
    main(["build", str(root), "--quiet"])
    s3.delete_object(Bucket=bucket, Key="feeds/categories/sport/atom.xml")
    # overwritten by another copy of feeds' (a sync from an older publish directory): feeds' by its bytes
    s3.put_object(Bucket=bucket, Key="feeds/atom.xml", Body=(root / "publish/categories/sport/atom.xml").read_bytes())
    assert main(["build", str(root), "--quiet"]) == 0
    for path in ("categories/sport/atom.xml", "atom.xml"):
        assert s3.get_object(Bucket=bucket, Key=f"feeds/{path}")["Body"].read() == \
            (root / "publish" / path).read_bytes()


def test_an_unreachable_target_exits_3_naming_it_with_no_secret_then_the_next_build_recovers(
        make_site, s3, bucket, monkeypatch, capsys):
    root = site_publishing_to(make_site, bucket)
    with hub() as server:
        (root / "site.yaml").write_text(SITE_YAML + f"publish_to: s3://{bucket}/feeds\nhub: {server.url}\n",
                                        encoding="utf-8")
        live_endpoint = s3.meta.endpoint_url
        monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{closed_port()}")
        assert main(["build", str(root)]) == 3
        output = capsys.readouterr()
        assert f"feeds: error: cannot publish to s3://{bucket}/feeds/: the store could not be reached" in output.err
        for secret in (FAKE_SECRET, FAKE_KEY_ID, "127.0.0.1"):
            assert secret not in output.err + output.out
        assert (root / "publish" / "rss.xml").is_file()  # the local publish directory is complete
        assert server.posts == []  # nothing is in place on the target: no hub is told
        monkeypatch.setenv("AWS_ENDPOINT_URL", live_endpoint)
        assert main(["build", str(root), "--quiet"]) == 0  # nothing changed locally
    assert set(puts(s3, bucket)) == {f"feeds/{path}" for path in local_files(root)}
    assert len(server.notified_urls()) == 6


def test_feeds_that_went_up_before_an_upload_failed_are_announced_once_the_store_is_back(
        make_site, s3, bucket, monkeypatch, capsys):
    from botocore.exceptions import ClientError

    import feeds.mirror

    root = site_publishing_to(make_site, bucket)
    real_put = feeds.mirror._put

    def refuse_the_site_feed(client: Any, target: Any, path: str, *args: Any) -> dict[str, str]:
        if path == "rss.xml":
            raise ClientError({"Error": {"Code": "AccessDenied"}, "ResponseMetadata": {"HTTPStatusCode": 403}},
                              "PutObject")
        return real_put(client, target, path, *args)

    with hub() as server:
        (root / "site.yaml").write_text(SITE_YAML + f"publish_to: s3://{bucket}/feeds\nhub: {server.url}\n",
                                        encoding="utf-8")
        with monkeypatch.context() as failing:
            failing.setattr(feeds.mirror, "_put", refuse_the_site_feed)
            assert main(["build", str(root)]) == 3
        assert "the store refused: AccessDenied (HTTP 403)" in capsys.readouterr().err
        went_up = {key.removeprefix("feeds/") for key in puts(s3, bucket)}
        assert "categories/sport/rss.xml" in went_up and "rss.xml" not in went_up
        assert server.posts == []
        assert main(["build", str(root), "--quiet"]) == 0  # nothing changed locally; rss.xml goes up now
        told = set(server.notified_urls())
    feeds_ = {path for path in local_files(root) if path.endswith(("rss.xml", "atom.xml", "feed.json"))}
    assert told == {f"https://news.example.com/feeds/{path}" for path in feeds_}


@pytest.mark.parametrize("answers, reason", [
    ({"hang_up": True}, "the store closed the connection before it answered (3 attempts); check AWS_ENDPOINT_URL and "
                        "the network"),
    ({}, "the endpoint does not answer as an S3 store does (an upload got no ETag); check that AWS_ENDPOINT_URL is "
         "the store's S3 endpoint"),
    ({"status": 404}, "the store refused: HTTP 404, with no S3 error code (check that AWS_ENDPOINT_URL is the "
                      "store's S3 endpoint)"),
], ids=["a store that closes the connection mid-upload", "a web server that answers every request",
        "an endpoint that answers errors with no S3 error code"])
def test_an_endpoint_that_is_no_working_store_is_named_without_a_traceback(make_site, aws, monkeypatch, capsys,
                                                                           answers, reason):
    root = site_publishing_to(make_site, "news")
    with website(**answers) as store:
        monkeypatch.setenv("AWS_ENDPOINT_URL", store.url)
        assert main(["build", str(root)]) == 3
    assert capsys.readouterr().err.splitlines()[-1] == f"feeds: error: cannot publish to s3://news/feeds/: {reason}"


@pytest.mark.parametrize("code, status, what_to_do", [
    ("AccessDenied", 403, "the credentials may not do this: give them s3:ListBucket on the bucket, and s3:GetObject, "
                          "s3:PutObject and s3:DeleteObject under the prefix"),
    ("InvalidAccessKeyId", 403, "the store knows no such access key: check AWS_ACCESS_KEY_ID (or the AWS profile's)"),
    ("SignatureDoesNotMatch", 403, "the secret key is not the access key's: check AWS_SECRET_ACCESS_KEY (or the AWS "
                                   "profile's)"),
    ("ExpiredToken", 400, "the temporary credentials have expired or are not valid: renew them (a new "
                          "AWS_SESSION_TOKEN, or aws sso login for the profile)"),
    ("RequestTimeTooSkewed", 403, "this machine's clock is more than 15 minutes off: set it right (NTP)"),
    ("AuthorizationHeaderMalformed", 400, "the bucket is in another region: set AWS_DEFAULT_REGION (or the AWS "
                                          "profile's region) to the bucket's"),
    ("SlowDown", 503, "the store is busy or failing for now: the next build uploads what it still lacks"),
    ("InternalError", 500, "the store is busy or failing for now: the next build uploads what it still lacks"),
])
def test_a_refusal_says_what_to_do_about_it(make_site, aws, monkeypatch, capsys, code, status, what_to_do):
    root = site_publishing_to(make_site, "news")
    with website(status=status, error_code=code) as store:
        monkeypatch.setenv("AWS_ENDPOINT_URL", store.url)
        assert main(["build", str(root)]) == 3
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"feeds: error: cannot publish to s3://news/feeds/: the store refused: {code} (HTTP {status}); {what_to_do}")


def test_a_request_the_store_keeps_failing_is_sent_three_times_in_all(make_site, aws, monkeypatch):
    root = site_publishing_to(make_site, "news")
    with website(status=500) as failing:
        monkeypatch.setenv("AWS_ENDPOINT_URL", failing.url)
        assert main(["build", str(root)]) == 3
    assert failing.requests == 3  # the listing: its first attempt and two retries, as messages and README say


def test_feeds_that_went_up_before_a_build_was_stopped_are_announced_by_the_next_build(
        make_site, s3, bucket, monkeypatch):
    import feeds.mirror

    root = site_publishing_to(make_site, bucket)
    real_put = feeds.mirror._put

    def stopped_at_the_site_feed(client: Any, target: Any, path: str, *args: Any) -> dict[str, str]:
        answer = real_put(client, target, path, *args)
        if path == "rss.xml":
            raise KeyboardInterrupt  # Ctrl-C, or SIGTERM to a watch, while the store's answer was on its way
        return answer

    with hub() as server:
        (root / "site.yaml").write_text(SITE_YAML + f"publish_to: s3://{bucket}/feeds\nhub: {server.url}\n",
                                        encoding="utf-8")
        with monkeypatch.context() as stopping:
            stopping.setattr(feeds.mirror, "_put", stopped_at_the_site_feed)
            assert main(["build", str(root), "--quiet"]) == 130
        assert "rss.xml" in {key.removeprefix("feeds/") for key in puts(s3, bucket)}
        assert main(["build", str(root), "--quiet"]) == 0  # nothing changed locally; the rest go up now
        told = set(server.notified_urls())
    feeds_ = {path for path in local_files(root) if path.endswith(("rss.xml", "atom.xml", "feed.json"))}
    assert told == {f"https://news.example.com/feeds/{path}" for path in feeds_}


def test_a_bucket_that_does_not_exist_is_refused_with_exit_3(make_site, aws, capsys):
    root = site_publishing_to(make_site, "no-such-bucket")
    assert main(["build", str(root)]) == 3
    assert capsys.readouterr().err.splitlines()[-1] == (
        "feeds: error: cannot publish to s3://no-such-bucket/feeds/: the store refused: NoSuchBucket (HTTP 404); "
        "create the bucket, or correct its name in publish_to (or --to)")


def test_missing_credentials_are_named_without_a_traceback(make_site, aws, bucket, monkeypatch, tmp_path, capsys):
    root = site_publishing_to(make_site, bucket)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    assert main(["build", str(root)]) == 3
    assert "no AWS credentials found" in capsys.readouterr().err


def test_a_key_id_without_its_secret_is_named_without_a_traceback(make_site, aws, bucket, monkeypatch, tmp_path, capsys):
    root = site_publishing_to(make_site, bucket)
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    assert main(["build", str(root)]) == 3
    err = capsys.readouterr().err
    assert (f"cannot publish to s3://{bucket}/feeds/: incomplete AWS credentials: AWS_SECRET_ACCESS_KEY is missing "
            "(set AWS_SECRET_ACCESS_KEY with AWS_ACCESS_KEY_ID, or both in the AWS profile)") in err
    assert FAKE_KEY_ID not in err


def test_an_aws_profile_that_does_not_exist_is_named(make_site, aws, bucket, monkeypatch, tmp_path, capsys):
    root = site_publishing_to(make_site, bucket)
    monkeypatch.setenv("AWS_PROFILE", "newsroom")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    assert main(["build", str(root)]) == 3
    assert (f"cannot publish to s3://{bucket}/feeds/: the AWS profile \"newsroom\" is not in the AWS config "
            "(check AWS_PROFILE, ~/.aws/config and ~/.aws/credentials)") in capsys.readouterr().err


@pytest.mark.parametrize("endpoint", ["https://ci:s3cr3t@bad_host", "not-a-url", "http://[::1", "http://127.0.0.1:99999"])
def test_an_endpoint_that_is_not_a_url_is_named_without_its_text_or_a_traceback(make_site, aws, monkeypatch, capsys,
                                                                                endpoint):
    root = site_publishing_to(make_site, "wire")
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    assert main(["build", str(root)]) == 3
    err = capsys.readouterr().err
    assert "feeds: error: cannot publish to s3://wire/feeds/: the store's endpoint is not a URL (check AWS_ENDPOINT_URL" in err
    assert "s3cr3t" not in err and "Traceback" not in err
    assert (root / "publish" / "rss.xml").is_file()


def test_a_region_that_is_not_a_region_name_is_named(make_site, aws, monkeypatch, capsys):
    root = site_publishing_to(make_site, "wire")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu west 1")
    assert main(["build", str(root)]) == 3
    assert "cannot publish to s3://wire/feeds/: the region \"eu west 1\" is not a region name" in capsys.readouterr().err


def test_to_overrides_publish_to(make_site, s3, bucket):
    root = site_publishing_to(make_site, "elsewhere")
    assert main(["build", str(root), "--quiet", "--to", f"s3://{bucket}/mirror"]) == 0
    assert "mirror/rss.xml" in puts(s3, bucket, "mirror/")


def test_a_preview_into_another_folder_goes_to_no_target_unless_to_is_given(make_site, s3, bucket, tmp_path):
    root = site_publishing_to(make_site, bucket)
    assert main(["build", str(root), "--quiet", "--out", str(tmp_path / "preview")]) == 0
    assert puts(s3, bucket) == {}


def test_a_preview_dated_after_the_clock_goes_to_no_target_even_with_to(make_site, s3, bucket, tmp_path, capsys):
    from datetime import datetime, timedelta, timezone

    later = datetime.now(timezone.utc) + timedelta(days=2)
    embargoed = entry_yaml(title="Embargoed budget", link="/b", published=(later - timedelta(days=1)).isoformat())
    root = site_publishing_to(make_site, bucket, entries={"items/b.yaml": embargoed})
    status = main(["build", str(root), "--now", later.isoformat(), "--out", str(tmp_path / "preview"),
                   "--to", f"s3://{bucket}/feeds"])
    assert status == 2  # wrong usage: refused before anything is built
    assert "is a preview, and goes to no target and no hub; build it without --to" in capsys.readouterr().err
    assert not (tmp_path / "preview").exists()
    assert puts(s3, bucket) == {}


def test_another_builders_lease_stops_the_upload_with_exit_3(make_site, s3, bucket, capsys):
    root = site_publishing_to(make_site, bucket)
    s3.put_object(Bucket=bucket, Key=f"feeds/{LEASE_NAME}", Body=b"{}")
    assert main(["build", str(root)]) == 3
    assert "another builder is publishing to it" in capsys.readouterr().err
    assert puts(s3, bucket) == {}
    s3.delete_object(Bucket=bucket, Key=f"feeds/{LEASE_NAME}")
    assert main(["build", str(root), "--quiet"]) == 0
    assert "feeds/rss.xml" in puts(s3, bucket)


def test_the_lease_is_released_after_a_build(make_site, s3, bucket):
    root = site_publishing_to(make_site, bucket)
    main(["build", str(root), "--quiet"])
    keys = [version["Key"] for version in s3.list_object_versions(Bucket=bucket).get("Versions", ())]
    markers = [marker["Key"] for marker in s3.list_object_versions(Bucket=bucket).get("DeleteMarkers", ())]
    assert f"feeds/{LEASE_NAME}" in keys and f"feeds/{LEASE_NAME}" in markers  # taken, then given back


def test_without_boto3_a_target_is_refused_with_the_command_that_installs_it(make_site, monkeypatch, capsys):
    root = site_publishing_to(make_site, "news")
    monkeypatch.setitem(sys.modules, "boto3", None)
    assert main(["build", str(root)]) == 3
    assert ("boto3 is not installed; install it with pip install 'boto3>=1.28' in feeds' environment (the s3 "
            "extra: pip install '.[s3]' in its checkout)") in capsys.readouterr().err


@pytest.mark.parametrize("missing", ["boto3", "botocore"])
def test_without_boto3_check_warns_at_publish_to_before_a_build_fails_to_upload(make_site, monkeypatch, capsys,
                                                                              missing):
    """boto3 not installed, or installed without the botocore it stands on (pip --no-deps)."""
    root = site_publishing_to(make_site, "news")
    monkeypatch.setitem(sys.modules, missing, None)
    assert main(["check", str(root)]) == 0
    assert ("warning: publish_to: boto3 is not installed here, so a build writes the publish folder but cannot "
            "upload it to s3://news/feeds/ (exit 3); install it with pip install 'boto3>=1.28' in feeds' environment "
            "(the s3 extra: pip install '.[s3]' in its checkout)") in capsys.readouterr().err


@pytest.mark.parametrize("value", ["https://news-bucket.s3.amazonaws.com/feeds", "s3://Bad_Bucket/feeds",
                                   "s3://news-bucket/a/../b"])
def test_a_publish_to_that_is_not_an_s3_target_is_reported_at_its_line_and_column(make_site, capsys, value):
    root = make_site({"items/a.yaml": entry_yaml()}, site_yaml=SITE_YAML + f"publish_to: {value}\n")
    assert main(["check", str(root)]) == 1
    assert f"site.yaml:{len(SITE_YAML.splitlines()) + 1}:13: publish_to: expected" in capsys.readouterr().err


def test_a_cache_control_that_is_not_plain_ascii_is_refused(make_site, capsys):
    root = make_site({"items/a.yaml": entry_yaml()}, site_yaml=SITE_YAML + "cache_control: public, max-age=300 ✓\n")
    assert main(["check", str(root)]) == 1
    assert "cache_control: expected a Cache-Control header value" in capsys.readouterr().err


def test_a_cache_control_with_a_line_break_is_refused_not_joined(make_site, capsys):
    root = make_site({"items/a.yaml": entry_yaml()}, site_yaml=SITE_YAML + 'cache_control: "public\\nX-Evil: 1"\n')
    assert main(["check", str(root)]) == 1
    assert (f'site.yaml:{len(SITE_YAML.splitlines()) + 1}:16: cache_control: expected a Cache-Control header value in '
            'plain ASCII, found text "public X-Evil: 1", which holds a line break or another control character; write '
            "it on one line, such as cache_control: public, max-age=300") in capsys.readouterr().err.splitlines()


def test_a_to_that_is_not_an_s3_target_is_wrong_usage(make_site, capsys):
    root = make_site({"items/a.yaml": entry_yaml()})
    with pytest.raises(SystemExit) as stopped:
        main(["build", str(root), "--to", "/var/www/feeds"])
    assert stopped.value.code == 2
    assert "expected an object-storage target s3://BUCKET/PREFIX" in capsys.readouterr().err


@pytest.mark.parametrize(("text", "bucket", "prefix"), [
    ("s3://news-bucket/feeds", "news-bucket", "feeds/"), ("s3://news-bucket/feeds/world/", "news-bucket", "feeds/world/"),
    ("s3://news-bucket", "news-bucket", ""), ("s3://news.bucket/", "news.bucket", "")])
def test_a_target_names_its_bucket_and_prefix(text, bucket, prefix):
    assert parse_target(text) == parse_target(f"s3://{bucket}/{prefix}")
    assert (parse_target(text).bucket, parse_target(text).prefix) == (bucket, prefix)


def test_a_target_with_a_query_is_refused_with_the_target_without_it(make_site, capsys):
    """S3 reads ? as part of a key: the objects went under 'feeds?region=eu-west-1/'."""
    root = make_site({"items/a.yaml": entry_yaml()},
                     site_yaml=SITE_YAML + "publish_to: s3://news/feeds?region=eu-west-1\n")
    assert main(["check", str(root)]) == 1
    assert (f"site.yaml:{len(SITE_YAML.splitlines()) + 1}:13: publish_to: expected a prefix of plain folder names, "
            'with no query or fragment, found text "s3://news/feeds?region=eu-west-1"; the region, the endpoint and '
            "the credentials come from the AWS configuration, never the target: write it as s3://news/feeds"
            ) in capsys.readouterr().err.splitlines()


def test_an_unchanged_local_file_is_not_read_again_to_compare_it(make_site, s3, bucket, monkeypatch):
    root = site_publishing_to(make_site, bucket)
    main(["build", str(root), "--quiet"])
    hashed: list[int] = []
    real_md5 = hashlib.md5
    monkeypatch.setattr(hashlib, "md5", lambda *args, **kwargs: hashed.append(1) or real_md5(*args, **kwargs))
    main(["build", str(root), "--quiet"])
    assert hashed == []


def site_with_a_lease_left_behind(make_site, s3, bucket) -> Path:
    """A site published once whose lease a later build left on the store (the store went
    away mid-upload), and whose rss.xml has since gone from the store."""
    root = site_publishing_to(make_site, bucket)
    main(["build", str(root), "--quiet"])
    [state_file] = (root / ".feeds").glob("mirror-*.json")
    state = json.loads(state_file.read_bytes())
    state["lease_token"] = "left-by-a-build-whose-store-went-away"
    state_file.write_text(json.dumps(state), encoding="utf-8")
    s3.put_object(Bucket=bucket, Key=f"feeds/{LEASE_NAME}", Body=json.dumps({"token": state["lease_token"]}))
    s3.delete_object(Bucket=bucket, Key="feeds/rss.xml")
    return root


def test_a_lease_this_site_left_behind_does_not_stop_its_next_build(make_site, s3, bucket):
    root = site_with_a_lease_left_behind(make_site, s3, bucket)
    assert main(["build", str(root), "--quiet"]) == 0
    assert s3.get_object(Bucket=bucket, Key="feeds/rss.xml")["Body"].read() == (root / "publish/rss.xml").read_bytes()


def test_a_lease_this_site_left_behind_stays_its_own_after_a_build_that_could_not_take_it_back(
        make_site, s3, bucket, monkeypatch, capsys):
    from botocore.exceptions import ClientError

    import feeds.mirror

    root = site_with_a_lease_left_behind(make_site, s3, bucket)

    def refuse(*args: Any) -> None:
        raise ClientError({"Error": {"Code": "AccessDenied"}, "ResponseMetadata": {"HTTPStatusCode": 403}}, "DeleteObject")

    with monkeypatch.context() as refusing:
        refusing.setattr(feeds.mirror, "_break_if_stale", refuse)
        assert main(["build", str(root), "--quiet"]) == 3
    assert main(["build", str(root)]) == 0
    assert "another builder" not in capsys.readouterr().err
    assert s3.get_object(Bucket=bucket, Key="feeds/rss.xml")["Body"].read() == (root / "publish/rss.xml").read_bytes()


def test_a_link_in_the_publish_directory_is_never_uploaded_and_a_dangling_one_stops_nothing(
        make_site, s3, bucket, tmp_path, capsys):
    root = site_publishing_to(make_site, bucket)
    (tmp_path / "secret.txt").write_text("root:x:0:0", encoding="utf-8")
    publish = root / "publish"
    publish.mkdir()
    (publish / "pw").symlink_to(tmp_path / "secret.txt")
    (publish / ".hidden").write_text("secret", encoding="utf-8")
    (publish / "visible").symlink_to(".hidden")
    (publish / "broken").symlink_to(tmp_path / "nothing-there")
    (publish / "elsewhere").symlink_to(tmp_path, target_is_directory=True)
    assert main(["build", str(root)]) == 0
    err = capsys.readouterr().err
    for name in ("broken", "elsewhere", "pw", "visible"):
        assert (f"warning: {publish / name} is a link, not a file, or cannot be read: not uploaded to "
                f"s3://{bucket}/feeds/") in err
    uploaded = {key.removeprefix("feeds/") for key in puts(s3, bucket)}
    assert uploaded == {path for path in local_files(root) if "/" in path or path.endswith((".xml", ".json", ".html"))}
    assert not uploaded & {"pw", "visible", "broken", ".hidden"} and not any(key.startswith("elsewhere") for key in uploaded)


def test_a_changed_cache_control_goes_up_with_the_files_whose_bytes_are_unchanged(make_site, s3, bucket):
    root = site_publishing_to(make_site, bucket)
    assert main(["build", str(root), "--quiet"]) == 0
    (root / "site.yaml").write_text(SITE_YAML + f"publish_to: s3://{bucket}/feeds\ncache_control: public, max-age=60\n",
                                    encoding="utf-8")
    assert main(["build", str(root), "--quiet"]) == 0
    assert {s3.head_object(Bucket=bucket, Key=f"feeds/{path}")["CacheControl"] for path in local_files(root)} == {
        "public, max-age=60"}


def test_feeds_a_killed_build_put_on_the_target_are_announced_by_the_next_build(make_site, s3, bucket):
    from feeds.build import build_site
    from feeds.mirror import mirror
    from feeds.remote import parse_target

    root = site_publishing_to(make_site, bucket)
    with hub() as server:
        (root / "site.yaml").write_text(SITE_YAML + f"publish_to: s3://{bucket}/feeds\nhub: {server.url}\n",
                                        encoding="utf-8")
        build_site(root)
        mirror(root / "publish", parse_target(f"s3://{bucket}/feeds"), "public, max-age=300", root / ".feeds")
        # every file went up, and the build was killed (kill -9) before it told the hub
        assert main(["build", str(root), "--quiet"]) == 0  # nothing changed locally, nothing goes up
        told = set(server.notified_urls())
    feeds_ = {path for path in local_files(root) if path.endswith(("rss.xml", "atom.xml", "feed.json"))}
    assert told == {f"https://news.example.com/feeds/{path}" for path in feeds_}


def test_a_changed_cache_control_tells_no_hub_of_the_feeds_it_sends_again_with_their_bytes_unchanged(
        make_site, s3, bucket):
    root = site_publishing_to(make_site, bucket)
    with hub() as server:
        settings = SITE_YAML + f"publish_to: s3://{bucket}/feeds\nhub: {server.url}\n"
        (root / "site.yaml").write_text(settings, encoding="utf-8")
        assert main(["build", str(root), "--quiet"]) == 0
        (root / "site.yaml").write_text(settings + "cache_control: public, max-age=60\n", encoding="utf-8")
        assert main(["build", str(root), "--quiet"]) == 0
    assert len(server.posts) == 1  # the first build's: the second changed no feed's bytes
    assert s3.head_object(Bucket=bucket, Key="feeds/rss.xml")["CacheControl"] == "public, max-age=60"


def test_a_build_with_out_naming_the_publish_dir_is_no_preview_and_tells_the_hubs(make_site, capsys):
    root = make_site({"items/a.yaml": entry_yaml()})
    with hub() as server:
        (root / "site.yaml").write_text(SITE_YAML + f"hub: {server.url}\n", encoding="utf-8")
        assert main(["build", str(root), "--out", str(root / "publish"), "--quiet"]) == 0
        told = set(server.notified_urls())
    assert told == {f"https://news.example.com/feeds/{name}" for name in ("rss.xml", "atom.xml", "feed.json")}


def test_a_copy_to_another_target_tells_no_hub_of_the_feeds_readers_have(make_site, s3, bucket, capsys):
    root = site_publishing_to(make_site, bucket)
    with hub() as server:
        (root / "site.yaml").write_text(SITE_YAML + f"publish_to: s3://{bucket}/feeds\nhub: {server.url}\n",
                                        encoding="utf-8")
        assert main(["build", str(root), "--quiet"]) == 0
        told = len(server.posts)
        assert main(["build", str(root), "--to", f"s3://{bucket}/staging"]) == 0
        assert len(server.posts) == told
    assert "notified" not in capsys.readouterr().err
    assert {key.removeprefix("staging/") for key in puts(s3, bucket, "staging/")} == set(local_files(root))


def test_boto3_installed_without_botocore_stops_the_upload_in_words_not_a_traceback(make_site, monkeypatch, capsys):
    root = site_publishing_to(make_site, "news")
    monkeypatch.setitem(sys.modules, "botocore", None)
    assert main(["build", str(root)]) == 3
    err = capsys.readouterr().err
    assert "cannot publish to s3://news/feeds/: boto3 is not installed; install it with pip install" in err
    assert "Traceback" not in err


def standby_of(root: Path, tmp_path: Path) -> Path:
    """The site copied to a second machine: its entries and settings, no .feeds/ nor publish/ of its own."""
    return Path(shutil.copytree(root, tmp_path / "standby", ignore=shutil.ignore_patterns(".feeds", "publish")))


def archive_keys(s3: Any, bucket: str) -> set[str]:
    return {item["Key"].removeprefix("feeds/") for item in s3.list_objects_v2(Bucket=bucket)["Contents"]
            if item["Key"].startswith("feeds/archive/")}


def test_archive_documents_another_machine_wrote_are_deleted_once_no_feed_links_them(make_site, s3, bucket, tmp_path,
                                                                                     capsys):
    entries = {f"items/{day}.yaml": entry_yaml(f"Storm day {day}", f"/news/storm-{day}", f"2020-02-{day} 16:40")
               for day in ("10", "11", "12", "13", "14")}
    primary = site_publishing_to(make_site, bucket, "archive: true\nmax_items: 1\n", entries)
    assert main(["build", str(primary), "--quiet"]) == 0
    published = archive_keys(s3, bucket)
    standby = standby_of(primary, tmp_path)
    (standby / "items/10.yaml").unlink()  # withdrawn while the primary is down
    assert main(["build", str(standby)]) == 0
    local = {path for path in local_files(standby) if path.startswith("archive/")}
    assert f"uploaded to s3://{bucket}/feeds/, {len(published - local)} deleted, " in capsys.readouterr().err
    assert archive_keys(s3, bucket) == local
    assert not any(b"storm-10" in s3.get_object(Bucket=bucket, Key=f"feeds/{path}")["Body"].read() for path in local)


def test_a_standbys_first_build_that_gives_the_bytes_on_the_target_tells_no_hub(make_site, s3, bucket, tmp_path):
    """With no .feeds/ and an empty publish directory it owed the hubs every feed it wrote,
    and told them of all 6, though nothing went up."""
    with hub() as server:
        primary = site_publishing_to(make_site, bucket, f"hub: {server.url}\n")
        assert main(["build", str(primary), "--quiet"]) == 0
        assert main(["build", str(standby_of(primary, tmp_path)), "--quiet"]) == 0
    assert len(server.posts) == 1
    assert json.loads((tmp_path / "standby/.feeds/websub-pending.json").read_bytes()) == {}


def test_a_change_a_build_between_another_and_its_delivery_put_up_stays_owed_to_a_hub_that_failed(make_site, s3,
                                                                                                      bucket):
    """The watch's build, between cron's build and its delivery, uploaded the change and found
    the hub down (503); cron's delivery found the bytes on the target and let go of the 3
    feeds the hub was still owed: never told, pending {}."""
    with hub() as server:
        root = site_publishing_to(make_site, bucket, f"hub: {server.url}\n")
        deliver(build_site(root), root)
        (root / "items/b.yaml").write_text(entry_yaml("Markets fall", "/news/markets"), encoding="utf-8")
        by_cron = build_site(root)
        by_watch = build_site(root)
        server.status = 503
        deliver(by_watch, root)
        server.status = 204
        deliver(by_cron, root)
    assert len(server.posts) == 3 and server.posts[2]["urls"] == server.posts[1]["urls"]  # the 503, then told
    assert json.loads((root / ".feeds/websub-pending.json").read_bytes()) == {}


def test_a_lease_a_builder_that_died_left_names_it_and_says_when_a_build_takes_over(make_site, s3, bucket, capsys):
    """At a failover the primary's lease stopped the standby with 'the next build will finish
    the job', and no word of whose lease it was or that it held for 15 minutes."""
    root = site_publishing_to(make_site, bucket)
    lease = json.dumps({"host": "primary-1", "pid": 4242, "token": "0123456789abcdef", "since": "2026-01-01T00:00:00+00:00"})
    s3.put_object(Bucket=bucket, Key=f"feeds/{LEASE_NAME}", Body=lease.encode())
    taken = s3.head_object(Bucket=bucket, Key=f"feeds/{LEASE_NAME}")["LastModified"]
    assert main(["build", str(root)]) == 3
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"feeds: error: cannot publish to s3://{bucket}/feeds/: another builder is publishing to it (primary-1 has held "
        f"s3://{bucket}/feeds/{LEASE_NAME} since {taken:%H:%M:%S} UTC); the next build will finish the job; if that "
        f"builder died (a failover), its lease lapses at {taken + timedelta(minutes=15):%H:%M:%S} UTC, when a build "
        f"takes over, or delete s3://{bucket}/feeds/{LEASE_NAME} once it is surely down and build again")
    s3.delete_object(Bucket=bucket, Key=f"feeds/{LEASE_NAME}")  # as the message says
    assert main(["build", str(root), "--quiet"]) == 0


# A build that stops at its first upload, holding the lease: killed (kill -9), or still running.
_BUILD_STOPPED_AT_ITS_FIRST_UPLOAD = """
import os, signal, sys, time
import feeds.mirror
from feeds.cli import main
def stop(*args):
    if sys.argv[2] == "killed":
        os.kill(os.getpid(), signal.SIGKILL)
    print("holding", flush=True)
    time.sleep(60)
feeds.mirror._put = stop
main(["build", sys.argv[1], "--quiet"])
"""
_LINUX_PROCESSES = pytest.mark.skipif(not Path("/proc/self/ns/pid").exists(), reason="a lease names its process on Linux")


@_LINUX_PROCESSES
def test_a_lease_a_build_killed_on_this_machine_left_does_not_stop_a_build_from_another_folder(
        make_site, s3, bucket, tmp_path):
    """It stopped every build of the target from a second checkout for 15 minutes, though
    this machine could see that the build holding it was gone."""
    root = site_publishing_to(make_site, bucket)
    other = standby_of(root, tmp_path)
    killed = subprocess.run([sys.executable, "-c", _BUILD_STOPPED_AT_ITS_FIRST_UPLOAD, str(root), "killed"],
                            cwd=Path(__file__).parent.parent, capture_output=True)
    assert killed.returncode == -9
    assert s3.head_object(Bucket=bucket, Key=f"feeds/{LEASE_NAME}")  # left behind
    assert main(["build", str(other), "--quiet"]) == 0
    assert "feeds/rss.xml" in puts(s3, bucket)


@_LINUX_PROCESSES
def test_a_lease_a_running_build_on_this_machine_holds_stops_a_build_from_another_folder(
        make_site, s3, bucket, tmp_path, capsys):
    root = site_publishing_to(make_site, bucket)
    other = standby_of(root, tmp_path)
    holder = subprocess.Popen([sys.executable, "-c", _BUILD_STOPPED_AT_ITS_FIRST_UPLOAD, str(root), "running"],
                              cwd=Path(__file__).parent.parent, stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline().startswith(b"holding")  # up to 8 uploads at once
        assert main(["build", str(other), "--quiet"]) == 3
    finally:
        holder.kill()
        holder.wait()
    assert "another builder is publishing to it" in capsys.readouterr().err


@_LINUX_PROCESSES
def test_a_lease_of_a_running_build_that_proc_hides_stops_a_build_from_another_folder(
        make_site, s3, bucket, tmp_path, monkeypatch, capsys):
    """Under /proc's hidepid another user's build has no /proc entry: it read as gone, and
    its lease was broken in the middle of its upload."""
    import feeds.mirror

    root = site_publishing_to(make_site, bucket)
    other = standby_of(root, tmp_path)
    holder = subprocess.Popen([sys.executable, "-c", _BUILD_STOPPED_AT_ITS_FIRST_UPLOAD, str(root), "running"],
                              cwd=Path(__file__).parent.parent, stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline().startswith(b"holding")
        monkeypatch.setattr(feeds.mirror, "_started", lambda pid: None)  # what hidepid shows of it
        assert main(["build", str(other), "--quiet"]) == 3
    finally:
        holder.kill()
        holder.wait()
    assert "another builder is publishing to it" in capsys.readouterr().err


def test_a_lease_another_machine_left_waits_for_its_time_though_its_pid_is_free_here(make_site, s3, bucket, capsys):
    root = site_publishing_to(make_site, bucket)
    lease = {"host": "primary-1", "pid": 2 ** 22 + 1, "token": "0123456789abcdef", "started": 1,
             "processes": "00000000-0000-0000-0000-000000000000 pid:[4026531836]"}  # no pid here is that high
    s3.put_object(Bucket=bucket, Key=f"feeds/{LEASE_NAME}", Body=json.dumps(lease).encode())
    assert main(["build", str(root)]) == 3
    assert "(primary-1 has held " in capsys.readouterr().err


def download(s3: Any, bucket: str, publish: Path) -> None:
    """What aws s3 sync s3://BUCKET/feeds/ PUBLISH does: every object under the prefix, as a file."""
    for item in s3.list_objects_v2(Bucket=bucket, Prefix="feeds/")["Contents"]:
        file = publish / item["Key"].removeprefix("feeds/")
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read())


def test_feeds_on_the_target_a_build_from_an_empty_publish_directory_lacks_are_named_with_a_fix_that_works(
        make_site, s3, bucket, tmp_path, capsys):
    """A standby (or a CI job's fresh clone) knows only the feeds its entries make: the
    category feed whose last story it withdrew kept that story on the target, with no word."""
    entries = {"items/a.yaml": entry_yaml(categories="[Sport]"),
               "items/lone.yaml": entry_yaml("Lone story", "/news/lone", categories="[Legal]")}
    primary = site_publishing_to(make_site, bucket, entries=entries)
    assert main(["build", str(primary), "--quiet"]) == 0
    standby = standby_of(primary, tmp_path)
    (standby / "items/lone.yaml").unlink()
    assert main(["build", str(standby), "--quiet"]) == 0
    assert capsys.readouterr().err.splitlines() == [
        f"feeds: warning: s3://{bucket}/feeds/ holds 3 feed files that {standby / 'publish'} lacks and no build here "
        "wrote (categories/legal/atom.xml, categories/legal/feed.json and categories/legal/rss.xml): left as they are, "
        "they get no new story and keep what they hold, a withdrawn story too; a build from an empty publish "
        "directory (a fresh clone in CI, a standby taking over) knows only the feeds its entries make: copy the target "
        f"into the publish directory and build again with no record of it (rm -f {standby / '.feeds/manifest.json'}; "
        f"aws s3 sync 's3://{bucket}/feeds/' {standby / 'publish'}), or keep the publish directory and .feeds/ between "
        "builds; if those feeds are retired, delete them from the target"]
    (standby / ".feeds/manifest.json").unlink()  # as the warning says
    download(s3, bucket, standby / "publish")
    assert main(["build", str(standby), "--quiet"]) == 0
    assert capsys.readouterr().err == ""
    assert b"Lone story" not in s3.get_object(Bucket=bucket, Key="feeds/categories/legal/feed.json")["Body"].read()


@pytest.mark.parametrize("host", ["\x1b[2Jprimary", "p" * 254, None])
def test_a_lease_whose_holder_is_not_a_host_name_is_told_as_a_builders(make_site, s3, bucket, capsys, host):
    root = site_publishing_to(make_site, bucket)
    s3.put_object(Bucket=bucket, Key=f"feeds/{LEASE_NAME}", Body=json.dumps({"host": host}).encode())
    assert main(["build", str(root)]) == 3
    assert "another builder is publishing to it (a builder has held " in capsys.readouterr().err
