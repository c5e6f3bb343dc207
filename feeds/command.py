"""The `feeds` console script and `python -m feeds`: the command line, imported under a
guard. A Ctrl-C (or SIGINT) while Python still imports its modules or makes the parser (a
third of a second, a second on a busy machine) printed KeyboardInterrupt's traceback, twenty lines, and the
process died of the signal, where one a moment later says `feeds: interrupted`, exit 130."""

from __future__ import annotations

import os
import sys
from contextlib import suppress
from typing import NoReturn

from .exit_codes import EXIT_INTERRUPTED, INTERRUPTED


def run() -> NoReturn:
    """cli.run, and a Ctrl-C before its build takes it (while the parser is made, too)."""
    try:
        from .cli import run as command

        command()
    except KeyboardInterrupt:
        with suppress(OSError, ValueError, AttributeError):  # no stderr, or a closed one
            sys.stderr.write(INTERRUPTED)
            sys.stderr.flush()
        os._exit(EXIT_INTERRUPTED)
