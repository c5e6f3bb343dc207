"""The manifest in .feeds/: which files in which publish directory this tool wrote, and
what each feed there was called.

A category feed whose entries have all gone is kept (valid and empty) when it is ours:
the manifest, not the file's bytes, says so, and under the name it had, dated when it was
emptied. It is rewritten after every successful build with that build's output, and
outlives the cache (an upgrade, or deleting .feeds/cache/, does not forget it).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from .model import PublishedFeed, read_state_file

MANIFEST_FILE = "manifest.json"
FORMAT = 1


class Written(NamedTuple):
    files: frozenset[str]  # relative to the publish directory
    unreadable: bool  # the manifest is there but cannot be read (damaged, or of another format): files is empty
    feeds: Mapping[str, PublishedFeed] = {}  # by folder ("" for the site's)
    recorded: bool = True  # the manifest holds a record of this publish directory (empty or not)


def written_files(state_dir: Path, out_dir: Path) -> Written:
    """The files (relative to `out_dir`) the last build into `out_dir` wrote or kept, and its feeds."""
    loaded, unreadable = _read(state_dir)
    key = _key(state_dir, out_dir)
    return Written(frozenset(loaded.files.get(key, ())), unreadable, _feeds_of(loaded.feeds.get(key)),
                   key in loaded.files)


def record_written(state_dir: Path, out_dir: Path, files: Iterable[str],
                   feeds: Mapping[str, PublishedFeed] | None = None) -> None:
    """Remember this build's output in `out_dir` (other publish directories' stay as they
    were), and its feeds (None: as recorded)."""
    loaded, _ = _read(state_dir)
    key = _key(state_dir, out_dir)
    loaded.files[key] = sorted(files)
    if feeds is not None:
        loaded.feeds[key] = {folder: [feed.name, feed.emptied.isoformat() if feed.emptied else None]
                             for folder, feed in sorted(feeds.items())}
    state_dir.mkdir(parents=True, exist_ok=True)
    temporary = state_dir / f".{MANIFEST_FILE}.tmp"  # one writer at a time: builds hold the lock
    try:
        # On one line: an indent takes the encoder written in Python, twice as slow over 15,000 paths.
        temporary.write_text(json.dumps({"format": FORMAT, "publish_dirs": loaded.files, "feeds": loaded.feeds}),
                             "utf-8")
        os.replace(temporary, state_dir / MANIFEST_FILE)
    finally:
        temporary.unlink(missing_ok=True)


def _key(state_dir: Path, out_dir: Path) -> str:
    """The publish directory relative to the site: the record holds when the site is moved."""
    return Path(os.path.relpath(os.path.abspath(out_dir), os.path.abspath(state_dir.parent))).as_posix()


class _Manifest(NamedTuple):
    files: dict[str, list[str]]  # by publish directory
    feeds: dict[str, Any]  # by publish directory, as written: {folder: [name, emptied or None]}


def _read(state_dir: Path) -> tuple[_Manifest, bool]:
    """Each publish directory's files and feeds, and whether the manifest is there but cannot be read."""
    try:
        loaded = json.loads(read_state_file(state_dir / MANIFEST_FILE).decode("utf-8"))
    except FileNotFoundError:
        return _Manifest({}, {}), False
    except (OSError, ValueError):
        return _Manifest({}, {}), True
    dirs = loaded.get("publish_dirs") if isinstance(loaded, dict) and loaded.get("format") == FORMAT else None
    if not isinstance(dirs, dict):
        return _Manifest({}, {}), True
    feeds = loaded.get("feeds")  # not kept before the thirty-eighth stop
    return _Manifest({out: [path for path in paths if isinstance(path, str)]
                      for out, paths in dirs.items() if isinstance(out, str) and isinstance(paths, list)},
                     feeds if isinstance(feeds, dict) else {}), False


def _feeds_of(recorded: Any) -> dict[str, PublishedFeed]:
    """One publish directory's feeds as recorded; an entry that does not read is left out."""
    if not isinstance(recorded, dict):
        return {}
    found = {}
    for folder, value in recorded.items():
        if not (isinstance(folder, str) and isinstance(value, list) and len(value) == 2 and isinstance(value[0], str)):
            continue
        try:
            emptied = datetime.fromisoformat(value[1]) if isinstance(value[1], str) else None
        except ValueError:
            continue
        if emptied is None or emptied.tzinfo is not None:
            found[folder] = PublishedFeed(value[0], emptied)
    return found
