"""CPU an idle `feeds watch` uses, with file events and with --poll, on a generated site.

    python bench/watch_idle.py /tmp/feeds-bench-10000 [--seconds 30]

Each watch is started, left until its first build is done, then its user + system CPU
time (/proc/PID/stat) is read over `--seconds` with no change to the site.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def idle_share(site: Path, seconds: float, poll: bool) -> float:
    """CPU seconds per second of an idle watch, after its first build."""
    command = [sys.executable, "-m", "feeds", "watch", str(site), *(["--poll"] if poll else [])]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        assert process.stderr is not None
        while "written" not in process.stderr.readline():  # the first build's summary line
            if process.poll() is not None:
                raise SystemExit(f"feeds watch ended: {process.stderr.read()}")
        time.sleep(2)  # let the first build's workers and their clean-up finish
        before = cpu_seconds(process.pid)
        time.sleep(seconds)
        return (cpu_seconds(process.pid) - before) / seconds
    finally:
        process.send_signal(signal.SIGTERM)  # as systemd stops it (SIGINT may be ignored in a background job)
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    files = sum(1 for _ in (args.site / "items").rglob("*.y*ml"))
    for poll in (False, True):
        share = idle_share(args.site, args.seconds, poll)
        print(f"{files:,} entries, {'--poll      ' if poll else 'file events '}: "
              f"{share:.2%} of one core idle over {args.seconds:g} s")


if __name__ == "__main__":
    main()
