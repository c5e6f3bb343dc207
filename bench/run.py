"""Time real `feeds build` runs on a generated newsroom site, against floors measured on the
same files in the same run, and report each as seconds and as a ratio to its floor.

    python bench/run.py --entries 50000            # site in /tmp/feeds-bench-50000
    python bench/run.py --entries 10000 --site DIR --seed 1
    python bench/run.py --entries 1000 --hugo       # Hugo's cold and no-change builds too
    python bench/run.py --entries 10000 --archive   # with archive: true (and a cold build without)
    python bench/run.py --entries 50000 --feed-kinds   # 3 named feeds, author feeds (10 authors)

Builds run as `python -m feeds build SITE` subprocesses, as cron runs them (the real
clock, no --now). Floors: a stat of every entry file (os.scandir + stat, the least a
rebuild must do to see what changed), a read of every file, and yaml's CSafeLoader over
every file in one process (the least a cold build must do to understand them). Files are
read once before anything is timed, so every figure is with a warm page cache. Floors are
the best of three; builds, cold ones too, the median of three (`--repeat`): edits retitle the newest
entry (in every feed it belongs to) or the oldest (in none); additions are published now;
and the site is retitled in site.yaml (every feed changes, no entry reads differently).
Memory is the build's peak RSS: of its largest process (from wait4), and of all its
processes together (sampled every 50 ms from /proc); and the peak of their summed PSS, which
counts a page a forked worker shares with the build once, not once per process (the sum of
RSS counts it twice): the memory the build holds, which the target is about. The report also gives the share of
entry files the quick reader (feeds/simple_yaml.py) reads and the share left to libyaml.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(1, str(Path(__file__).parent.parent))  # feeds itself, for the reader shares and version
import generate  # noqa: E402
import hugo  # noqa: E402

TARGETS_FROM = 50_000
SAMPLE_SECONDS = 0.05
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
TARGETS = {"cold": ("csafe", 1.0), "no change": ("stat", 3.0), "one entry edited": ("stat", 5.0),
           "one old entry edited": ("stat", 5.0), "one entry added": ("stat", 5.0), "site.yaml retitled": ("stat", 5.0),
           "cold, no archive": ("csafe", 1.0)}


@dataclass(frozen=True)
class Run:
    seconds: float
    max_rss_kb: int  # the largest single process
    tree_rss_kb: int  # all of the build's processes together, sampled
    tree_pss_kb: int  # the same, each shared page counted once (split between its sharers)
    summary: str


def entry_files(site: Path) -> Iterator[os.DirEntry[str]]:
    def walk(folder: str) -> Iterator[os.DirEntry[str]]:
        with os.scandir(folder) as listing:
            for item in listing:
                if item.is_dir():
                    yield from walk(item.path)
                elif item.name.endswith((".yaml", ".yml")):
                    yield item
    yield from walk(str(site / "items"))


def floor_stat(site: Path) -> float:
    started = time.perf_counter()
    for item in entry_files(site):
        item.stat()
    return time.perf_counter() - started


def floor_read(paths: list[str]) -> float:
    started = time.perf_counter()
    for path in paths:
        with open(path, "rb") as stream:
            stream.read()
    return time.perf_counter() - started


def floor_csafe(paths: list[str]) -> float:
    import yaml

    started = time.perf_counter()
    for path in paths:
        with open(path, "rb") as stream:
            yaml.load(stream.read(), Loader=yaml.CSafeLoader)
    return time.perf_counter() - started


def reader_shares(paths: list[str]) -> dict[str, int]:
    """How many files each reader path takes: every file given to the quick reader as a build gives it."""
    from feeds.simple_yaml import read_simple

    quick = sum(read_simple(Path(path).read_bytes().decode("utf-8-sig")) is not None for path in paths)
    return {"quick reader": quick, "libyaml": len(paths) - quick}


def best(measure: Callable[[], float], times: int = 3) -> float:
    return min(measure() for _ in range(times))


# The tool runs as pip installs it, its modules' bytecode compiled (compile_tool): a
# container's PYTHONDONTWRITEBYTECODE=1 would time compiling its source at every build.
AS_INSTALLED = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def compile_tool() -> None:
    import feeds

    subprocess.run([sys.executable, "-m", "compileall", "-q", os.path.dirname(feeds.__file__)], check=True,
                   env=AS_INSTALLED)


def build(site: Path) -> Run:
    """One `python -m feeds build` in its own process; its time, peak memory and summary line."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "feeds", "build", str(site)], stderr=subprocess.PIPE,
                               stdout=subprocess.DEVNULL, text=True, env=AS_INSTALLED)
    sampler = _TreeSampler(process.pid)
    sampler.start()
    stderr = process.stderr.read() if process.stderr else ""
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    sampler.stop()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"feeds build failed ({process.returncode}):\n{stderr}")
    return Run(seconds, usage.ru_maxrss, sampler.peak_kb, sampler.peak_pss_kb, stderr.strip().splitlines()[-1])


class _TreeSampler(threading.Thread):
    """The peak of the summed RSS of a process and its descendants, read from /proc.

    Every 50 ms, from statm: the build has two cores to use, and a sampler that reads
    /proc every few milliseconds takes a noticeable share of one (it made cold builds
    measure 10-15% slower). Memory in a build rises and falls over seconds, not
    milliseconds; the largest process's peak comes exactly from wait4 anyway."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self.peak_pss_kb, self._done = pid, 0, 0, threading.Event()

    def run(self) -> None:
        while not self._done.wait(SAMPLE_SECONDS):
            tree = _tree(self.pid)
            self.peak_kb = max(self.peak_kb, sum(_rss_kb(pid) for pid in tree))
            self.peak_pss_kb = max(self.peak_pss_kb, sum(_pss_kb(pid) for pid in tree))

    def stop(self) -> None:
        self._done.set()
        self.join()


def _tree(pid: int) -> list[int]:
    found = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as children:
                for child in children.read().split():
                    found += _tree(int(child))
    except OSError:
        pass
    return found


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as statm:
            return int(statm.read().split()[1]) * PAGE_KB
    except (OSError, IndexError, ValueError):
        return 0


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            return next((int(line.split()[1]) for line in rollup if line.startswith("Pss:")), 0)
    except (OSError, IndexError, ValueError):
        return 0


def cold_build(site: Path) -> Run:
    """A build with no cache and an empty publish folder."""
    for state in (site / ".feeds", site / "publish"):
        subprocess.run(["rm", "-rf", str(state)], check=True)
    return build(site)


def has_entries(site: Path, count: int) -> bool:
    return (site / "items").is_dir() and sum(1 for _ in entry_files(site)) == count


def median(runs: list[Run]) -> Run:
    return sorted(runs, key=lambda run: run.seconds)[(len(runs) - 1) // 2]


def newest_entry(site: Path) -> Path:
    """The file of the first item of the site-wide feed (the generator's links name their files)."""
    feed = json.loads((site / "publish" / "feed.json").read_text(encoding="utf-8"))
    path = feed["items"][0]["url"].split("/news/", 1)[1]
    return site / "items" / f"{path}.yaml"


def oldest_entry(site: Path) -> Path:
    """An entry no feed shows: the first of the first month."""
    folder = min((site / "items").iterdir())
    month = min(folder.iterdir())
    return min(month.glob("*.yaml"))


def edit_and_build(site: Path, path: Path, number: int) -> Run:
    """Retitle one entry, as an editor correcting it would, then build."""
    text = path.read_bytes().decode("utf-8")  # CRLF files stay CRLF
    edited = re.sub(r"^title: ([\"']?)", rf"title: \g<1>Updated {number}, ", text, count=1, flags=re.M)
    assert edited != text, f"no title line in {path}"
    path.write_text(edited, encoding="utf-8", newline="")
    return build(site)


def retitle_and_build(site: Path, number: int) -> Run:
    """A new title in site.yaml, which changes every feed but how no entry reads, then build."""
    path = site / "site.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^title: .*$", f"title: Benchmark Wire {number}", text, count=1, flags=re.M),
                    encoding="utf-8")
    return build(site)


def add_and_build(site: Path, number: int, seed: int, added: list[Path]) -> Run:
    """A new article, published a minute ago (the site's zone is UTC) so it enters the feeds, then build."""
    import random
    from datetime import datetime, timedelta, timezone

    relative, text = generate.entry(random.Random(seed + number), number)
    moment = datetime.now(timezone.utc) - timedelta(minutes=1)
    text = re.sub(r"^published: .*$", f"published: {moment:%Y-%m-%d %H:%M}", text, count=1, flags=re.M)
    text = re.sub(r"^(updated|expires): .*\n", "", text, flags=re.M)
    path = site / "items" / "2025" / "12" / Path(relative).name
    path.write_text(text, encoding="utf-8")
    added.append(path)
    return build(site)


def set_archive(site: Path, on: bool) -> None:
    """site.yaml with `archive: true` (RFC 5005 archive documents), or without the line."""
    path = site / "site.yaml"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("archive:")]
    path.write_text("\n".join([*lines, *(["archive: true"] if on else [])]) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--site", type=Path, help="default: /tmp/feeds-bench-ENTRIES (generated if missing)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--uniform", action="store_true", help="generate every file in one shape (see generate.py)")
    parser.add_argument("--hugo", action="store_true", help="also time Hugo on the same articles (see hugo.py)")
    parser.add_argument("--feed-kinds", action="store_true",
                        help="three named feeds and author feeds on, ten authors (see generate.py)")
    parser.add_argument("--repeat", type=int, default=3, help="builds of each kind to take the median of")
    parser.add_argument("--archive", action="store_true",
                        help="build with archive: true; the cold build without archives is timed first")
    args = parser.parse_args()
    suffix = ("-uniform" if args.uniform else "") + ("-kinds" if args.feed_kinds else "")
    site = args.site or Path(f"/tmp/feeds-bench-{args.entries}{suffix}")
    if not has_entries(site, args.entries):
        print(f"generating {args.entries:,} entries in {site} ...", flush=True)
        generate.generate(site, args.entries, args.seed, args.uniform, args.feed_kinds)
    compile_tool()
    time.sleep(1.5)  # let the newest files settle: a build trusts no stat younger than a second

    paths = [item.path for item in entry_files(site)]
    floor_read(paths)  # warm the page cache
    floors = {"stat": best(lambda: floor_stat(site)), "read": best(lambda: floor_read(paths)),
              "csafe": best(lambda: floor_csafe(paths), 2)}
    shares = reader_shares(paths)
    set_archive(site, False)
    runs: dict[str, Run] = {}
    if args.archive:
        runs["cold, no archive"] = median([cold_build(site) for _ in range(args.repeat)])
        set_archive(site, True)
    runs["cold"] = median([cold_build(site) for _ in range(args.repeat)])
    runs["no change"] = median([build(site) for _ in range(args.repeat)])
    newest, oldest = newest_entry(site), oldest_entry(site)
    originals = {path: path.read_bytes() for path in (newest, oldest)}
    runs["one entry edited"] = median([edit_and_build(site, newest, n) for n in range(args.repeat)])
    runs["one old entry edited"] = median([edit_and_build(site, oldest, n) for n in range(args.repeat)])
    added: list[Path] = []
    runs["one entry added"] = median([add_and_build(site, args.entries + n, args.seed, added)
                                      for n in range(args.repeat)])
    site_yaml = (site / "site.yaml").read_bytes()
    runs["site.yaml retitled"] = median([retitle_and_build(site, n) for n in range(args.repeat)])
    (site / "site.yaml").write_bytes(site_yaml)
    for path, data in originals.items():
        path.write_bytes(data)
    for path in added:
        path.unlink()
    set_archive(site, False)
    hugo_runs = hugo.measure(site, args.repeat) if args.hugo else {}
    report(args.entries, floors, shares, runs, hugo_runs)


def report(entries: int, floors: dict[str, float], shares: dict[str, int], runs: dict[str, Run],
           hugo_runs: dict[str, tuple[float, int]]) -> None:
    from feeds import __version__

    names = {"stat": "stat every file", "read": "read every file", "csafe": "yaml CSafeLoader, every file, 1 process"}
    print(f"feeds {__version__} benchmark: {entries:,} entries; Python {platform.python_version()}, "
          f"{os.cpu_count()} CPUs, {platform.machine()}")
    for key, seconds in floors.items():
        print(f"  floor {names[key]:<44} {seconds:7.3f} s")
    print("  entry files read by " + ", ".join(f"{path} {count:,} ({count / entries:.0%})" for path, count in shares.items()))
    if entries < TARGETS_FROM:
        print(f"  (the targets are set for {TARGETS_FROM:,} entries; at fewer, startup weighs more against the floors)")
    for name, run in runs.items():
        floor, target = TARGETS.get(name, ("stat", None))
        target = target if entries >= TARGETS_FROM else None
        ratio = run.seconds / floors[floor]
        goal = f"  target <= {target:g}x: {'met' if ratio <= target else 'NOT met'}" if target else ""
        print(f"  build {name:<20} {run.seconds:7.3f} s = {ratio:6.2f}x {names[floor]:<40}{goal}")
        print(f"        peak RSS {run.max_rss_kb / 1024:6.1f} MB largest process, {run.tree_rss_kb / 1024:6.1f} MB "
              f"all processes; PSS {run.tree_pss_kb / 1024:6.1f} MB all processes; {run.summary.split(';')[0]}")
    peak = max(max(run.max_rss_kb, run.tree_pss_kb) for run in runs.values()) / 1024
    rss_sum = max(run.tree_rss_kb for run in runs.values()) / 1024
    goal = f"  target < 400 MB: {'met' if peak < 400 else 'NOT met'}" if entries >= TARGETS_FROM else ""
    print(f"  peak memory of any build: {peak:.1f} MB (largest process, or all processes' PSS; "
          f"their RSS summed: {rss_sum:.1f} MB){goal}")
    for name, (seconds, rss_kb) in hugo_runs.items():
        ours = runs[name].seconds
        print(f"  hugo  {name:<20} {seconds:7.3f} s, peak RSS {rss_kb / 1024:6.1f} MB; feeds takes {ours / seconds:.2f}x Hugo's time")


if __name__ == "__main__":
    main()
