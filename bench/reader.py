"""Per-file cost of each YAML reader path on a generated site: the quick reader
(feeds/simple_yaml.py) on the files it reads, its cost to give up on the others, and
libyaml's compose (with the conversion to Node trees) on every file; and, as the worst
case for giving up, every file it reads with a line it does not take added at the end. Texts are decoded
once beforehand; each figure is the best of three passes, in µs per file.

    python bench/reader.py /tmp/feeds-bench-10000
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent))
from feeds.load import parse_document  # noqa: E402
from feeds.simple_yaml import read_simple  # noqa: E402


def per_file_us(read: Callable[[str], object], texts: list[str]) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for text in texts:
            read(text)
        best = min(best, time.perf_counter() - started)
    return best / max(len(texts), 1) * 1e6


def libyaml(text: str) -> object:
    return parse_document(text.encode("utf-8"), "x.yaml", libyaml_only=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    args = parser.parse_args()
    texts = [path.read_bytes().decode("utf-8-sig") for path in sorted((args.site / "items").rglob("*.yaml"))]
    taken = [text for text in texts if read_simple(text) is not None]
    left = [text for text in texts if read_simple(text) is None]
    print(f"{len(texts):,} files: quick reader takes {len(taken):,} ({len(taken) / len(texts):.0%}), "
          f"libyaml {len(left):,} ({len(left) / len(texts):.0%})")
    print(f"  quick reader, files it reads      {per_file_us(read_simple, taken):7.1f} µs/file")
    print(f"  quick reader, giving up           {per_file_us(read_simple, left):7.1f} µs/file")
    worst = [text + "extra: !!str x\n" for text in taken]  # not simple only at its last line
    print(f"  quick reader, giving up at the last line (worst case) {per_file_us(read_simple, worst):7.1f} µs/file")
    print(f"  libyaml compose + convert, all    {per_file_us(libyaml, texts):7.1f} µs/file")
    print(f"  libyaml, files the quick reader reads {per_file_us(libyaml, taken):7.1f} µs/file")


if __name__ == "__main__":
    main()
