"""A transcript of the sample site (the repository's own site.yaml and items/) published
to a real S3 server and a WebSub hub, both on 127.0.0.1: moto's server mode, reached by
boto3 through AWS_ENDPOINT_URL as production reaches AWS, R2 or MinIO, and a small hub
that logs every publish notification. Each step runs the real `feeds build` command.

    python bench/remote_demo.py > transcript.txt

Steps: the first build (every file uploaded, every feed notified); a build with nothing
changed (no upload, no notification); a dry run of an edit, then the edit built (exactly
the changed files uploaded and feeds notified); an edit built while the endpoint is down
(exit 3, no hub told); the endpoint back with nothing changed locally (the target catches
up, the hub is told). After each step: the objects PUT (the bucket keeps every version, so
each PUT is counted) and what the hub received.
"""

from __future__ import annotations

import logging
import os
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

REPO = Path(__file__).resolve().parent.parent
BUCKET = "meridian-wire"
PREFIX = "feeds/"
NOW = "2026-11-30 12:00"  # fixed, so that the transcript reads the same on every run
EDITED = "items/2026/08/total-solar-eclipse-spain-iceland.yaml"
ALSO_EDITED = "items/2026/10/category-feeds-added.yaml"
LEASE_NAME = ".feeds-lease"


class Hub(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        self.log: list[str] = []
        super().__init__(("127.0.0.1", 0), _HubHandler)


class _HubHandler(BaseHTTPRequestHandler):
    server: Hub

    def do_POST(self) -> None:
        fields = parse_qsl(self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode("ascii"))
        urls = [value for name, value in fields if name == "hub.url"]
        modes = ",".join(value for name, value in fields if name == "hub.mode")
        self.server.log.append(f"POST {self.path} {self.headers.get('Content-Type')} hub.mode={modes} "
                               f"{len(urls)} hub.url:")
        self.server.log.extend(f"    {url}" for url in urls)
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> None:
    import boto3
    from moto.server import ThreadedMotoServer

    port = free_port()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # verbose=False still logged each request
    store = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    store.start()
    hub = Hub()
    threading.Thread(target=hub.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{port}"
    env = {**os.environ, "AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "AKIADEMO0000000000",
           "AWS_SECRET_ACCESS_KEY": "demo-secret", "AWS_DEFAULT_REGION": "us-east-1", "PYTHONPATH": str(REPO)}
    for name in ("AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        env.pop(name, None)
    os.environ.update({key: env[key] for key in env if key.startswith("AWS_")})
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    hub_url = f"http://127.0.0.1:{hub.server_address[1]}/hub"
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "meridian"
        site.mkdir()
        shutil.copy(REPO / "site.yaml", site / "site.yaml")
        shutil.copytree(REPO / "items", site / "items")
        with open(site / "site.yaml", "a", encoding="utf-8") as settings:
            settings.write(f"publish_to: s3://{BUCKET}/{PREFIX.rstrip('/')}\nhub: {hub_url}\n")
        say(f"# The sample site (site.yaml and items/ of the repository), with two lines added to site.yaml:\n"
            f"#   publish_to: s3://{BUCKET}/{PREFIX.rstrip('/')}\n#   hub: {hub_url}\n"
            f"# S3: moto {_moto_version()} server mode on {endpoint} (a versioned bucket: every PUT is counted);\n"
            f"# credentials and endpoint only in the environment (AWS_*). Every build runs with --now '{NOW}'.\n"
            f"# Counts and listings leave out {PREFIX}{LEASE_NAME}, the lease put and removed around each upload.")
        seen = Seen(s3, hub)

        step("1. First build: every file uploaded, every feed notified")
        build(site, env)
        seen.report(full_listing=True)

        step("2. Nothing changed: no upload, no notification")
        build(site, env)
        seen.report()

        step("3. One entry edited (its title): a dry run first, then the build")
        retitle(site / EDITED, "Total solar eclipse darkens skies over Iceland and Spain",
                "Total solar eclipse darkens skies over Spain and Iceland")
        say(f"edit {EDITED}: title 'Total solar eclipse darkens skies over Spain and Iceland'")
        build(site, env, "--dry-run")
        seen.report()
        build(site, env, "--verbose")
        seen.report()

        step("4. Another entry edited while the endpoint is down: exit 3, the hub is not told")
        retitle(site / ALSO_EDITED, "Every Meridian Wire section now has its own feed",
                "Every Meridian Wire section now has a feed of its own")
        say(f"edit {ALSO_EDITED}: title 'Every Meridian Wire section now has a feed of its own'")
        down = {**env, "AWS_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}"}
        build(site, down)
        seen.report()

        step("5. The endpoint back, nothing changed locally: the target catches up, the hub is told")
        build(site, env, "--verbose")
        seen.report(full_listing=True)
    hub.shutdown()
    store.stop()


class Seen:
    """What changed on the target and at the hub since the last report."""

    def __init__(self, s3: Any, hub: Hub) -> None:
        self.s3, self.hub = s3, hub
        self.versions: dict[str, int] = {}
        self.hub_lines = 0

    def report(self, full_listing: bool = False) -> None:
        versions = self._versions()
        put = sorted(key for key, count in versions.items() if count > self.versions.get(key, 0))
        self.versions = versions
        say(f"target: {len(put)} object(s) PUT by this step" + (":" if put and not full_listing else ""))
        if not full_listing:
            for key in put:
                say(f"    s3://{BUCKET}/{key}")
        if full_listing:
            say(f"listing of s3://{BUCKET}/{PREFIX} (size, Content-Type, Cache-Control, versions):")
            for page in self.s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=PREFIX):
                for item in (item for item in page.get("Contents", ()) if not item["Key"].endswith(LEASE_NAME)):
                    head = self.s3.head_object(Bucket=BUCKET, Key=item["Key"])
                    say(f"    {item['Key']:<42} {item['Size']:>6}  {head['ContentType']:<38} "
                         f"{head.get('CacheControl', '-'):<22} v{versions[item['Key']]}")
        new = self.hub.log[self.hub_lines:]
        self.hub_lines = len(self.hub.log)
        say("hub log: " + ("nothing received" if not new else f"{len([line for line in new if line.startswith('POST')])} request(s)"))
        for line in new:
            say(f"    {line}")

    def _versions(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for page in self.s3.get_paginator("list_object_versions").paginate(Bucket=BUCKET, Prefix=PREFIX):
            for version in page.get("Versions", ()):
                if not version["Key"].endswith(LEASE_NAME):
                    counts[version["Key"]] = counts.get(version["Key"], 0) + 1
        return counts


def build(site: Path, env: dict[str, str], *options: str) -> None:
    say(f"$ {shlex.join(['feeds', 'build', *options, '--now', NOW])}")
    done = subprocess.run([sys.executable, "-m", "feeds", "build", str(site), *options, "--now", NOW],
                          cwd=site, env=env, capture_output=True, text=True)
    for line in (done.stdout + done.stderr).replace(str(site) + "/", "").splitlines():
        say(f"  {line}")
    say(f"  (exit status {done.returncode})")


def retitle(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert f"title: {old}\n" in text, path
    path.write_text(text.replace(f"title: {old}\n", f"title: {new}\n"), encoding="utf-8")


def _moto_version() -> str:
    from importlib.metadata import version

    return version("moto")


def step(title: str) -> None:
    say(f"\n## {title}")


def say(text: str) -> None:
    print(text, flush=True)


if __name__ == "__main__":
    main()
