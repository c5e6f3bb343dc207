"""The manifest in .feeds/: which files in which publish directory this tool wrote.

A category feed whose entries have all gone is kept (valid and empty) when it is ours:
the manifest, not the file's bytes, says so. It is rewritten after every successful
build with that build's output, and outlives the cache (an upgrade does not forget it).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

MANIFEST_FILE = "manifest.json"
FORMAT = 1


class Written(NamedTuple):
    files: frozenset[str]  # relative to the publish directory
    unreadable: bool  # the manifest is there but cannot be read (damaged, or of another format): files is empty


def written_files(state_dir: Path, out_dir: Path) -> Written:
    """The files (relative to `out_dir`) the last build into `out_dir` wrote or kept."""
    dirs, unreadable = _read(state_dir)
    return Written(frozenset(dirs.get(_key(state_dir, out_dir), ())), unreadable)


def record_written(state_dir: Path, out_dir: Path, files: Iterable[str]) -> None:
    """Remember this build's output in `out_dir` (other publish directories' stay as they were)."""
    manifest, _ = _read(state_dir)
    manifest[_key(state_dir, out_dir)] = sorted(files)
    state_dir.mkdir(parents=True, exist_ok=True)
    temporary = state_dir / f".{MANIFEST_FILE}.tmp"  # one writer at a time: builds hold the lock
    try:
        # On one line: an indent takes the encoder written in Python, twice as slow over 15,000 paths.
        temporary.write_text(json.dumps({"format": FORMAT, "publish_dirs": manifest}), "utf-8")
        os.replace(temporary, state_dir / MANIFEST_FILE)
    finally:
        temporary.unlink(missing_ok=True)


def _key(state_dir: Path, out_dir: Path) -> str:
    """The publish directory relative to the site: the record holds when the site is moved."""
    return Path(os.path.relpath(os.path.abspath(out_dir), os.path.abspath(state_dir.parent))).as_posix()


def _read(state_dir: Path) -> tuple[dict[str, list[str]], bool]:
    """Each publish directory's files, and whether the manifest is there but cannot be read."""
    try:
        loaded = json.loads((state_dir / MANIFEST_FILE).read_text("utf-8"))
    except FileNotFoundError:
        return {}, False
    except (OSError, ValueError):
        return {}, True
    dirs = loaded.get("publish_dirs") if isinstance(loaded, dict) and loaded.get("format") == FORMAT else None
    if not isinstance(dirs, dict):
        return {}, True
    return {out: [path for path in paths if isinstance(path, str)]
            for out, paths in dirs.items() if isinstance(out, str) and isinstance(paths, list)}, False
