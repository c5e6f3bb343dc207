"""What a newsroom's two cores promise: `feeds check` of 10,000 entries finishes, and a
`feeds build` of them whose worker is killed by SIGKILL mid-job finishes correctly or exits 3
with a message: it never hangs and never leaves the lock held."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from feeds.build import build_site
from feeds.cli import main
from feeds.publish import build_lock
from feeds.workers import cpus

from .conftest import SITE_YAML

COUNT = 10_000
NOW = "2026-01-01 00:00+00:00"
MOMENT = datetime(2026, 1, 1, tzinfo=timezone.utc)
REPO = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def big_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("big") / "site"
    (root / "items").mkdir(parents=True)
    (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    for number in range(COUNT):
        folder = root / "items" / f"{number // 500:02d}"
        folder.mkdir(exist_ok=True)
        (folder / f"{number:05d}.yaml").write_bytes(
            b"title: Story %d\nlink: /news/%d\npublished: 2020-02-%02d 16:40\ncategories: [Desk %d]\n"
            b"summary: Short.\n" % (number, number, 1 + number % 28, number % 9))
    return root


def published(out: Path) -> dict[str, bytes]:
    return {path.relative_to(out).as_posix(): path.read_bytes() for path in sorted(out.rglob("*")) if path.is_file()}


def test_check_of_10000_entries_finishes_with_no_problems(big_site, capsys):
    started = time.monotonic()
    assert main(["check", str(big_site)]) == 0
    assert capsys.readouterr().err.splitlines()[-1] == "10,000 entries checked, no problems"
    assert time.monotonic() - started < 120


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as listed:
            return [int(child) for child in listed.read().split()]
    except OSError:
        return []


@pytest.mark.skipif(cpus() < 2 or not sys.platform.startswith("linux"), reason="workers are forked on two CPUs, on Linux")
def test_a_build_whose_worker_is_killed_mid_job_finishes_correctly_and_frees_the_lock(big_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(big_site, site)
    build = subprocess.Popen([sys.executable, "-m", "feeds", "build", str(site), "--now", NOW],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)
    killed = None
    deadline = time.monotonic() + 60
    while killed is None and build.poll() is None and time.monotonic() < deadline:
        workers = _children(build.pid)
        if workers:
            time.sleep(0.1)  # busy with its first chunks
            killed = workers[0]
            kill(killed)
        time.sleep(0.01)
    try:
        _, err = build.communicate(timeout=180)  # a hang fails here
    finally:
        build.kill()
    assert killed is not None, "the build shared no work with a worker"
    assert build.returncode in (0, 3), err
    assert "Traceback" not in err
    if build.returncode == 0:
        cold = tmp_path / "cold"
        shutil.copytree(big_site, cold)
        build_site(cold, now=MOMENT)
        assert published(site / "publish") == published(cold / "publish")
    with build_lock(site / ".feeds", timeout=1):
        pass


def kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:  # it ended first: the build must finish all the same
        pass
