"""The pipeline end to end, as a library: load -> validate -> select -> render -> publish.

`check_site` and `build_site` are the API the command line (and a newsroom's own
tooling) calls. Bad input comes back as Problem records; only real I/O failures raise.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

from .content import prepare_item
from .load import RawDocument, read_document
from .model import Entry, FeedDocument, FeedSpec, Item, Site
from .problems import Problem
from .publish import PublishError, build_lock, publish_files
from .render import FORMATS
from .select import is_live, next_change, select_feeds
from .validate import find_duplicate_ids, read_site, validate_entry, validate_site

SITE_FILE = "site.yaml"
ITEMS_DIR = "items"
STATE_DIR = ".feeds"
PARALLEL_THRESHOLD = 2000
CHUNK = 500

# Told of progress as (stage, done, total); stage is "parsing", "rendering" or "writing".
ProgressCallback = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


@dataclass(frozen=True)
class CheckResult:
    """What validation found: the site and entries if valid, and every problem."""

    site: Site | None
    entries: tuple[Entry, ...]
    problems: tuple[Problem, ...]
    files_checked: int

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def files_with_problems(self) -> int:
        return len({problem.path for problem in self.problems})


@dataclass(frozen=True)
class BuildResult:
    check: CheckResult
    out_dir: Path
    written: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    feeds: tuple[FeedSpec, ...] = ()
    items_published: int = 0
    next_change: datetime | None = None


def load_site(root: Path | str) -> Site | list[Problem]:
    """Read and validate site.yaml alone."""
    root = Path(root)
    if not (root / SITE_FILE).is_file():
        return [Problem(SITE_FILE, 1, 1, "", "no-site", f"expected a site, found no {SITE_FILE} in {root}",
                        "run feeds init DIR to make one, or name the site's folder")]
    doc = read_document(root / SITE_FILE, SITE_FILE)
    if isinstance(doc, Problem):
        return [doc]
    return validate_site(doc, root)


def check_site(root: Path | str, progress: ProgressCallback = _no_progress) -> CheckResult:
    """Validate site.yaml and every entry, collecting every problem in every file."""
    root = Path(root)
    site = load_site(root)
    checked_against = site if isinstance(site, Site) else _stand_in_site(root)
    if checked_against is None:
        return CheckResult(None, (), tuple(site), 0)
    files, problems = find_entry_files(root)
    files_checked = len(files) + len(problems)  # links refused as outside the site count as files
    entries: list[Entry] = []
    for done, result in enumerate(_validate_files(checked_against, files), 1):
        if done % 250 == 0 or done == len(files):
            progress("parsing", done, len(files))
        if isinstance(result, Entry):
            entries.append(result)
        else:
            problems.extend(result)
    problems.extend(find_duplicate_ids(entries))
    if not isinstance(site, Site):
        return CheckResult(None, (), tuple(sorted([*site, *problems])), files_checked)
    return CheckResult(site, tuple(entries), tuple(sorted(problems)), files_checked)


def _stand_in_site(root: Path) -> Site | None:
    """When site.yaml has problems: its valid values and stand-ins, so entries are checked too."""
    doc = read_document(root / SITE_FILE, SITE_FILE) if (root / SITE_FILE).is_file() else None
    return read_site(doc, root)[0] if isinstance(doc, RawDocument) else None


def build_site(root: Path | str, now: datetime | None = None, out: Path | str | None = None,
               lock_timeout: float = 60.0, progress: ProgressCallback = _no_progress) -> BuildResult:
    """Validate, then write every feed. Nothing is written unless every file is valid.

    `now` replaces the clock (the only place the build reads it). Raises PublishError
    when the output cannot be written.
    """
    root = Path(root)
    now = now or datetime.now(timezone.utc)
    with build_lock(root / STATE_DIR, lock_timeout):
        check = check_site(root, progress)
        if not check.ok or check.site is None:
            return BuildResult(check, root / (out or "publish"))
        site = check.site
        out_dir = root / (out if out is not None else site.publish_dir)
        specs = select_feeds(check.entries, site, now)
        items = _prepare_items(site, specs)
        if isinstance(items, list):
            return BuildResult(replace(check, problems=tuple(items)), out_dir)
        files = render_files(site, specs, items, progress)
        progress("writing", 0, len(files))
        result = publish_files(out_dir, files)
        progress("writing", len(files), len(files))
    return BuildResult(check, out_dir, result.written, result.unchanged, specs,
                       sum(1 for entry in check.entries if is_live(entry, now)),
                       next_change(check.entries, now))


def find_entry_files(root: Path) -> tuple[list[Path], list[Problem]]:
    """Every *.yaml / *.yml under items/, sorted; links that lead outside the site are refused."""
    items = root / ITEMS_DIR
    real_root = root.resolve()
    files: list[Path] = []
    problems: list[Problem] = []
    seen_dirs: set[Path] = set()
    for folder, dirs, names in os.walk(items, followlinks=True):
        real_folder = Path(folder).resolve()
        if real_folder in seen_dirs or not real_folder.is_relative_to(real_root):
            shown = Path(folder).relative_to(root).as_posix()
            if real_folder not in seen_dirs:
                problems.append(_outside(shown))
            dirs[:] = []
            continue
        seen_dirs.add(real_folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith(".") or not name.endswith((".yaml", ".yml")):
                continue
            path = Path(folder) / name
            if path.is_symlink() and not path.resolve().is_relative_to(real_root):
                problems.append(_outside(path.relative_to(root).as_posix()))
                continue
            files.append(path)
    return sorted(files), problems


def _outside(shown: str) -> Problem:
    return Problem(shown, 1, 1, "", "link-outside", "expected a file inside the site, found a link to outside it",
                   "copy the file into items/ instead of linking to it")


def _validate_files(site: Site, files: Sequence[Path]) -> Iterator[Entry | list[Problem]]:
    """In parallel for big sites; entries from other processes come without their bodies."""
    if len(files) < PARALLEL_THRESHOLD or (os.cpu_count() or 1) < 2:
        yield from (validate_file(site, path) for path in files)
        return
    chunks = [files[start:start + CHUNK] for start in range(0, len(files), CHUNK)]
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        for results in pool.map(_validate_chunk, [site] * len(chunks), chunks):
            yield from results


def _validate_chunk(site: Site, files: Sequence[Path]) -> list[Entry | list[Problem]]:
    results: list[Entry | list[Problem]] = []
    for path in files:
        result = validate_file(site, path)
        results.append(replace(result, body=None) if isinstance(result, Entry) else result)
    return results


def validate_file(site: Site, path: Path) -> Entry | list[Problem]:
    shown = path.relative_to(site.root).as_posix()
    doc = read_document(path, shown)
    if isinstance(doc, Problem):
        return [doc]
    return validate_entry(doc, site)


def _prepare_items(site: Site, specs: Sequence[FeedSpec]) -> dict[str, Item] | list[Problem]:
    """One Item per entry any feed shows, reading bodies back only for those entries."""
    items: dict[str, Item] = {}
    problems: list[Problem] = []
    for spec in specs:
        for entry in spec.entries:
            if entry.id in items:
                continue
            body = entry.body
            if body is None and entry.has_body:
                again = validate_file(site, site.root / entry.source)
                if not isinstance(again, Entry):
                    problems.extend(again)
                    continue
                body = again.body
            items[entry.id] = prepare_item(entry, body, site)
    return problems or items


def render_files(site: Site, specs: Sequence[FeedSpec], items: dict[str, Item],
                 progress: ProgressCallback = _no_progress) -> dict[str, bytes]:
    """Every output file's bytes, keyed by its path in the publish directory."""
    from .render import index_page

    files: dict[str, bytes] = {}
    listed = []
    for spec in specs:
        links = []
        for name in site.formats:
            fmt = FORMATS[name]
            url = site.publish_url + quote(spec.path) + fmt.filename
            document = FeedDocument(site, spec.title, spec.description, site.link, url, spec.category,
                                    spec.updated, tuple(items[entry.id] for entry in spec.entries))
            files[spec.path + fmt.filename] = fmt.render(document)
            links.append(index_page.FeedLink(f"{spec.title} ({name.upper()})", fmt.media_type, name.upper(), url))
        listed.append(index_page.ListedFeed(spec, tuple(links)))
        progress("rendering", len(listed), len(specs))
    files["index.html"] = index_page.render(site, listed)
    return files


__all__ = ["BuildResult", "CheckResult", "PublishError", "build_site", "check_site", "load_site"]
