"""A site's layout on disk, and site.yaml read and validated: in one place for every caller."""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from .model import ITEMS_DIR, SITE_FILE, STATE_DIR, Site
from .problems import Problem, shell_path

__all__ = ["ITEMS_DIR", "SITE_FILE", "STATE_DIR", "load_site", "misnamed_settings", "no_site_in", "read_site_yaml",
           "rename", "site_above", "stand_in_site"]

if TYPE_CHECKING:
    from .load import LoadResult



def read_site_yaml(root: Path) -> bytes | None:
    """Its bytes, read once: they key the cache and are what is validated. (At most 1 MiB
    and a byte, as the loader reads any file: the loader itself is not imported yet.)"""
    if not (root / SITE_FILE).is_file():
        return None
    try:
        with open(root / SITE_FILE, "rb") as stream:
            return stream.read((1 << 20) + 1)
    except OSError:
        return None


def load_site(root: Path | str, site_yaml: bytes | None = None) -> Site | list[Problem]:
    """site.yaml validated (from `site_yaml`, its bytes, when read already)."""
    from .validate_site import validate_site

    root = Path(root)
    path = root / SITE_FILE
    if path.is_dir():
        return [Problem(SITE_FILE, 1, 1, "", "no-site", f"expected a file {SITE_FILE} in {root}, found a folder",
                        f"move the folder away, and write the site's settings in a file {SITE_FILE}")]
    if path.exists() and not path.is_file():
        return [Problem(SITE_FILE, 1, 1, "", "no-site",
                        f"expected a file {SITE_FILE} in {root}, found a pipe, socket or device",
                        f"remove it, and write the site's settings in a file {SITE_FILE}")]
    if root.is_file():  # `feeds build site.yaml`: the file named, not its folder
        return [Problem(SITE_FILE, 1, 1, "", "no-site", f"expected the site's folder, found the file {root}",
                        f"name the folder that holds {SITE_FILE}, such as {shell_path(str(folder_for(root)))}")]
    if (missing := no_site_in(root)) is not None:
        return [missing]
    if not path.exists():
        return [_link_to_nothing(root, path)]
    doc = _document(root, site_yaml)
    if isinstance(doc, list):
        return doc
    return validate_site(doc, root)


def _link_to_nothing(root: Path, path: Path) -> Problem:
    """site.yaml a link that leads to no file: to one not there, or round a loop of links (a
    link to itself was told it led to site.yaml, 'which is not there')."""
    if _is_loop(path):
        return Problem(SITE_FILE, 1, 1, "", "no-site",
                       f"expected a file {SITE_FILE} in {root}, found a loop of links that leads back to itself",
                       f"link it to the settings file itself, or replace the link with the file {SITE_FILE}")
    return Problem(SITE_FILE, 1, 1, "", "no-site",
                   f"expected a file {SITE_FILE} in {root}, found a link to {os.readlink(path)}, which is not there",
                   f"put the settings file there, or replace the link with the file {SITE_FILE}")


def _is_loop(path: Path) -> bool:
    try:
        os.stat(path)
    except OSError as error:
        return error.errno == errno.ELOOP
    return False


_SETTINGS_NAMED_ELSE = re.compile(r"site\.ya?ml(?:[.~].*)?", re.IGNORECASE)


def misnamed_settings(root: Path) -> list[str]:
    """The files in `root` named as its site.yaml might be by mistake (site.yml, Site.yaml, or
    site.yaml.txt from an editor that adds .txt), which feeds would never read."""
    try:
        with os.scandir(root) as found:
            names = sorted(entry.name for entry in found if not entry.is_dir())
    except OSError:
        return []
    return [name for name in names if name != SITE_FILE and _SETTINGS_NAMED_ELSE.fullmatch(name)]


def rename(root: Path, misnamed: str) -> str:
    """The way from a settings file misnamed to the site.yaml feeds reads."""
    return (f"if {misnamed} holds the site's settings, rename it: "
            f"mv {shell_path(str(root / misnamed))} {shell_path(str(root / SITE_FILE))}")


def site_above(root: Path) -> Path | None:
    """The site whose items/ folder `root` is in (feeds run from items/2024/), or None. Only
    there: a site.yaml further out (a stray one at /) is no site this folder belongs to."""
    try:
        resolved = root.resolve()
        return next((folder for folder in resolved.parents if (folder / SITE_FILE).is_file()
                     and resolved.is_relative_to((folder / ITEMS_DIR).resolve())), None)
    except (OSError, RuntimeError):
        return None


def site_above_as_written(root: Path) -> Path | None:
    """site_above, written as `root` is: from the current folder when `root` is relative."""
    above = site_above(root)
    return above if above is None or root.is_absolute() else Path(os.path.relpath(above))


def folder_for(file: Path) -> Path:
    """The folder to name where a file was named as the site: the site whose entry it is (a
    pre-commit hook passes the entries a commit changed), else the file's own folder, as
    site.yaml's. `items/a.yaml`'s own folder, offered before, is no site."""
    return site_above_as_written(file.parent) or file.parent


def no_site_in(root: Path, command: str = "feeds build", after: str = "") -> Problem | None:
    """Why `root` is no site, with the way to the one meant (`command` SITE `after`, the command
    to run there); None when something is named site.yaml in it (what is wrong with that,
    load_site says). A settings file under another name is named, and a site above."""
    if os.path.lexists(root / SITE_FILE):
        return None
    found = f"found no {SITE_FILE} in {root}"
    if misnamed := misnamed_settings(root):
        return Problem(SITE_FILE, 1, 1, "", "no-site", f"expected a site, {found}, only {' and '.join(misnamed)}",
                       f"feeds reads {SITE_FILE} alone; {rename(root, misnamed[0])}")
    if (site := site_above_as_written(root)) is not None:
        return Problem(SITE_FILE, 1, 1, "", "no-site", f"expected a site, {found}, a folder in {ITEMS_DIR}/ of the site {site}",
                       f"run {command} {shell_path(str(site))}{after}")
    return Problem(SITE_FILE, 1, 1, "", "no-site", f"expected a site, {found}",
                   "run feeds init DIR to make one, or name the site's folder")


def stand_in_site(root: Path, site_yaml: bytes | None = None) -> Site | None:
    """For a site.yaml with problems: its valid values and stand-ins for the rest, against
    which entries can still be checked; None when it cannot be read at all."""
    from .load import RawDocument
    from .validate_site import read_site

    if not (root / SITE_FILE).is_file():
        return None
    doc = _document(root, site_yaml)
    return read_site(doc, root)[0] if isinstance(doc, RawDocument) else None


def _document(root: Path, site_yaml: bytes | None) -> LoadResult:
    from .load import parse_document, read_document

    return read_document(root / SITE_FILE, SITE_FILE) if site_yaml is None else parse_document(site_yaml, SITE_FILE)
