"""Break a generated site's entry files the ways editors do, the same files for the same seed.

Of `--share` of the files (1 % by default), each is broken one way in turn: a date that is
no day (30 February), a date written day first (31/12/2019, which reads, so the file stays
valid), a tab in the indentation, a title whose quote is never closed, the title left out,
the link (and so the id) of another entry, a control character in the body, the file saved
as Latin-1, an empty file, and five files grown to 2 MB (past the 1 MiB an entry may be). A
tenth of them are among the 60 newest stories before `--now`, which the feeds show, so
that the build holds them at their last good versions; the rest are anywhere. Run it on a
site built once, so that there are last good versions to hold. Prints each file's kind:

    python bench/generate.py /tmp/site-50k --entries 50000
    python -m feeds build /tmp/site-50k
    python bench/break_files.py /tmp/site-50k [--seed 45] [--share 0.01] [--now 2026-12-02]
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

KINDS = ("date", "day-first", "tab", "quote", "no-title", "same-link", "control", "latin-1", "empty", "big")
BIG_FILES = 5
BIG_BYTES = 2_000_000


def published(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("\npublished: ", 1)[1][:16]


def broken(kind: str, text: str, other: str) -> str:
    """The entry's text broken one way (`other`: another entry's text, for its link)."""
    if kind == "date":
        return re.sub(r"(?m)^published: .*$", "published: 2019-02-30 10:00", text, count=1)
    if kind == "day-first":
        return re.sub(r"(?m)^published: .*$", "published: 31/12/2019", text, count=1)
    if kind == "tab":
        return tab_indented(text)
    if kind == "quote":
        return re.sub(r"(?m)^title: .*$", lambda found: 'title: "' + found[0][7:].strip("'\""), text, count=1)
    if kind == "no-title":
        return re.sub(r"(?m)^title: .*\n", "", text, count=1)
    if kind == "same-link":
        return re.sub(r"(?m)^link: .*$", re.search(r"(?m)^link: .*$", other)[0], text, count=1)
    if kind == "control":
        return re.sub(r"(?m)^body: [|>][-+]?\n  ", lambda found: found[0] + "\x07", text, count=1)
    if kind == "empty":
        return ""
    if kind == "latin-1":
        return text  # written as Latin-1 (main)
    paragraph = max(text.splitlines(), key=len)  # big: the body (always last) grown by its longest paragraph
    return text.rstrip("\n") + "\n\n" + "\n\n".join([paragraph] * (BIG_BYTES // len(paragraph.encode()))) + "\n"


def tab_indented(text: str) -> str:
    """The categories' first item indented with a tab, as an editor set to tabs types it."""
    lines = text.split("\n")
    at = next(number for number, line in enumerate(lines) if line.startswith("categories:"))
    if lines[at + 1].lstrip().startswith("- "):
        lines[at + 1] = "\t- " + lines[at + 1].lstrip()[2:]
    else:  # a flow list or one name: its first name, as a block list
        lines[at] = "categories:\n\t- " + lines[at].split(":", 1)[1].strip(" []").split(",")[0].strip()
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--seed", type=int, default=45)
    parser.add_argument("--share", type=float, default=0.01)
    parser.add_argument("--now", default="2026-12-02", help="the newest stories are those published before this")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    files = sorted((args.site / "items").rglob("*.yaml"))
    count = round(len(files) * args.share)
    shown = [path for path in sorted(files, key=published) if published(path) < args.now][-60:]
    chosen = list(dict.fromkeys([*rng.sample(files, count - count // 10), *rng.sample(shown, count // 10)]))
    big = 0
    for number, path in enumerate(chosen):
        kind = KINDS[number % len(KINDS)]
        if kind == "big":
            big += 1
            kind = kind if big <= BIG_FILES else KINDS[2 + number // len(KINDS) % 7]  # past five: tab to empty
        text = broken(kind, path.read_text(encoding="utf-8"), rng.choice(files).read_text(encoding="utf-8"))
        path.write_bytes(text.encode("latin-1", "replace") if kind == "latin-1" else text.encode("utf-8"))
        print(kind, path.relative_to(args.site))


if __name__ == "__main__":
    main()
