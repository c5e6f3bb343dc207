"""Problems found in a site: plain records, one per mistake, never exceptions.

Every message is built here so that they all read alike: what was expected, what
was found, and how to fix it where that is knowable.
"""

from __future__ import annotations

import errno
import re
from collections.abc import Sized
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .characters import shows_nothing, unseen_shown


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in one file, pointing at the line and column of the bad value."""

    path: str
    line: int
    column: int
    field: str
    code: str
    message: str
    hint: str = ""
    severity: str = "error"  # or "warning": worth fixing, but the entry is published as it is

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __post_init__(self) -> None:
        """A file name that is not UTF-8 is shown with U+FFFD, so the report can always be printed."""
        shown = "".join("\ufffd" if "\ud800" <= char <= "\udfff" else char for char in self.path)
        object.__setattr__(self, "path", shown)

    def __str__(self) -> str:
        """One line: a file name with a line break or other control character in it is shown
        with the character escaped ("a\\nb.yaml"), so it cannot start a line of its own, in the
        message and the hint too, which name other files (an id that "items/new\\nline.yaml
        has too" was told on two lines, the second with no file of its own to start it)."""
        text = f"{self.field}: {self.message}" if self.field else self.message
        text = f"{text}; {self.hint}" if self.hint else text
        return (f"{shown_path(self.path)}:{self.line}:{self.column}: " + ("" if self.is_error else "warning: ")
                + one_line(text))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# what ends a line, or takes over a terminal (an escape), in a message: all but the tab
_LINE_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def shown_path(path: str) -> str:
    """A file name as the user is told it: a line break, an escape or any character that does
    not print written as its escape ("a\\nb.yaml"), so it can neither start a line of its own
    nor colour the terminal."""
    return path if path.isprintable() else "".join(char if char.isprintable() else repr(char)[1:-1] for char in path)


def one_line(text: str) -> str:
    """A line the user is told, with what would end it or take over the terminal (an escape in
    a path typed as `--out $'pub\\x1b[31m'`, which coloured the build's status line) written as
    its escape; a tab is kept."""
    return _LINE_CONTROL.sub(lambda found: repr(found.group())[1:-1], text)


def describe(value: Any) -> str:
    """Say what a YAML value is, the way an editor would: 'a list', 'text "x"'."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{'true' if value else 'false'} (a yes/no value)"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, (list, tuple)):
        return "a list" if value else "an empty list"
    if isinstance(value, dict):
        return "a mapping (key: value pairs)" if value else "an empty mapping"
    text = str(value)
    if not text.strip():
        return "empty text"
    if shows_nothing(text):
        return "only invisible characters (" + ", ".join(f"U+{ord(char):04X}" for char in dict.fromkeys(text)) + ")"
    return f"text {quote(text)}"


def without_credentials(text: str) -> str:
    """A URL-like value with all that stands before its last '@' shown as '…', but for its
    scheme (http://user:pass/word@host -> http://…@host): a problem never repeats a password,
    whatever characters it holds ('/' and '@' included)."""
    at = text.rfind("@")
    if at < 0:
        return text
    scheme = _SCHEME.match(text)
    return (scheme.group() if scheme else "") + "…" + text[at:]


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:/*")


def quote(text: str, limit: int = 60) -> str:
    """Quote a value for a message, shortened so one problem stays one line, each character
    that shows nothing or turns text around written as its code point (unseen_shown)."""
    flat = unseen_shown(" ".join(text.split()))
    if len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    return '"' + flat.replace('"', '\\"') + '"'


def and_more(found: Sized) -> str:
    """What a message that names the first of several mistakes of one kind adds: how many
    more there are, so that one warning stands for all of them."""
    return f" (and {len(found) - 1:,} more like it)" if len(found) > 1 else ""


def shell_word(text: str) -> str:
    """`text` as one word of a command a hint gives, quoted where a shell would split or read it;
    one with a character that does not print in bash's $'...', each such character as its
    escape: `cd 'x\\x1b[31m'`, the escape written out in single quotes, named no folder."""
    if text and all(char.isalnum() or char in "/._-" for char in text):
        return text
    if text.isprintable():
        return "'" + text.replace("'", "'\\''") + "'"
    return "$'" + "".join(_escaped_in_shell(char) for char in text) + "'"


def _escaped_in_shell(char: str) -> str:
    """A character as bash reads it in $'...': one that does not print as its code point (\\x
    only below 0x80, where it is one byte; above, \\u or \\U is the character in UTF-8)."""
    if char in "\\'":
        return "\\" + char
    if char.isprintable():
        return char
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x80 else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def shell_path(path: str) -> str:
    """A path as one word of a command a hint gives: one that starts with a dash gets ./ before
    it, since a command reads such a word as an option (mv -d/site.yml, feeds init -d)."""
    return shell_word(f"./{path}" if path.startswith("-") else path)


class ProblemList:
    """Collects the problems of one file; the one place a Problem is made."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.items: list[Problem] = []
        self.warnings: list[Problem] = []

    def add(self, line: int, column: int, field: str, code: str, message: str, hint: str = "") -> None:
        self.items.append(Problem(self.path, line, column, field, code, message, hint))

    def refuse(self, line: int, column: int, field: str, code: str, message: str, hint: str = "") -> Problem:
        """The one problem that stops a file being read any further: recorded, and returned."""
        self.add(line, column, field, code, message, hint)
        return self.items[-1]

    def warn(self, line: int, column: int, field: str, code: str, message: str, hint: str = "") -> None:
        """A problem that does not make the file wrong: reported, never stopping a build."""
        self.warnings.append(Problem(self.path, line, column, field, code, message, hint, "warning"))

    def expected(self, line: int, column: int, field: str, code: str, expected: str, found: Any, hint: str = "") -> None:
        """The usual shape of a message: 'expected X, found Y'."""
        self.add(line, column, field, code, f"expected {expected}, found {describe(found)}", hint)

    def __bool__(self) -> bool:
        """True when there are errors (warnings alone leave a file valid)."""
        return bool(self.items)


def file_in_the_way(path: object) -> Path | None:
    """The file standing where a folder on the way to `path` should be (items/ or publish/ as
    a file), which the error of writing there names only as "Not a directory"."""
    if not isinstance(path, (str, Path)):
        return None
    return next((folder for folder in (Path(path), *Path(path).parents) if folder.exists() and not folder.is_dir()), None)


def fix_for(error: OSError, doing: str = "read and write there") -> str:
    """What to do about an error of the file system, by what it says went wrong: one set of
    words for every place a build reads or writes (`doing`: what feeds needs to do there)."""
    code = error.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        return "make room on that disk"
    if code in (errno.EACCES, errno.EPERM):
        return f"let the user feeds runs as {doing} (check the permissions)"
    if code == errno.EROFS:
        return "that disk is mounted read-only: mount it read-write"
    if code in (errno.EISDIR, errno.ENOTDIR):
        return "a folder stands where a file goes, or a file where a folder goes: move it away"
    if code in (errno.EMFILE, errno.ENFILE):
        return "too many files are open: raise the limit (ulimit -n, or systemd's LimitNOFILE)"
    if code == errno.EFBIG:
        return "a file would pass the largest size feeds may write: raise the limit (ulimit -f, or systemd's LimitFSIZE)"
    if code == errno.EIO:
        return "the disk reports an input/output error: check it (dmesg says more)"
    return "check the disk and the permissions there"
