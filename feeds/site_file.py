"""A site's layout on disk, and site.yaml read and validated: in one place for every caller."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .model import ITEMS_DIR, SITE_FILE, STATE_DIR, Site
from .problems import Problem

__all__ = ["ITEMS_DIR", "SITE_FILE", "STATE_DIR", "load_site", "read_site_yaml", "stand_in_site"]

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
                        f"name the folder that holds {SITE_FILE}, such as {root.parent}")]
    if not path.is_file():
        return [Problem(SITE_FILE, 1, 1, "", "no-site", f"expected a site, found no {SITE_FILE} in {root}",
                        "run feeds init DIR to make one, or name the site's folder")]
    doc = _document(root, site_yaml)
    if isinstance(doc, Problem):
        return [doc]
    return validate_site(doc, root)


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
