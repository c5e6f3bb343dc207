"""feeds: publish RSS 2.0, Atom 1.0 and JSON Feed 1.1 files from YAML news entries.

The command line is built on this library API, for a newsroom's own tooling::

    import feeds

    result = feeds.check_site("mysite")          # validate; writes nothing
    for problem in result.problems:               # feeds.Problem records, never exceptions
        print(problem.path, problem.line, problem.message)
    built = feeds.build_site("mysite")            # raises feeds.PublishError on I/O failure
    print(built.out_dir, built.written)
    feeds.deliver(built, "mysite")                # to publish_to, then the hubs; raises feeds.MirrorError

Names are imported on first use, so `import feeds` itself loads nothing else.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Public name -> the module (inside feeds) that defines it.
_EXPORTS = {
    "__version__": "_version",
    "load_site": "build", "check_site": "build", "build_site": "build",
    "CheckResult": "build", "BuildResult": "build", "PreviewError": "build", "StaleResult": "build",
    "Problem": "problems", "Site": "model", "Entry": "model", "PublishError": "publish", "OutDirError": "publish",
    "init_site": "scaffold", "new_entry": "scaffold", "ScaffoldError": "scaffold",
    "deliver": "deliver", "Delivery": "deliver", "MirrorError": "remote", "ItemRef": "dry_run",
}

__all__ = ["BuildResult", "CheckResult", "Delivery", "Entry", "ItemRef", "MirrorError", "OutDirError", "PreviewError",
           "Problem",
           "PublishError", "ScaffoldError", "Site", "StaleResult", "__version__", "build_site", "check_site", "deliver", "init_site",
           "load_site", "new_entry"]

if TYPE_CHECKING:
    from ._version import __version__
    from .build import BuildResult, CheckResult, PreviewError, StaleResult, build_site, check_site, load_site
    from .deliver import Delivery, deliver
    from .dry_run import ItemRef
    from .model import Entry, Site
    from .problems import Problem
    from .publish import OutDirError, PublishError
    from .remote import MirrorError
    from .scaffold import ScaffoldError, init_site, new_entry


def __getattr__(name: str) -> Any:
    """Import an exported name's module the first time the name is used."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'feeds' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
