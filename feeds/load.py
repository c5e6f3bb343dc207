"""Load stage: YAML files in, raw documents out, every value keeping its line and column.

YAML is read with YAML 1.2 meanings (`yes`, `no`, `on`, `off` are text) and no tag
ever constructs an object. Files of the common simple shape are read by the quick reader
(simple_yaml); the rest are composed by libyaml and turned into plain values
(yaml_compose), with limits that stop alias bombs and runaway nesting.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

from . import simple_yaml
from .characters import PLAIN_BYTES, character_name, first_uncarriable, position, why_not, without_uncarriable
from .model import SITE_FILE
from .problems import Problem, ProblemList, fix_for
from .yaml_node import Node

MAX_FILE_BYTES = 1 << 20
MOST_CHARACTER_PROBLEMS = 10  # lines told of characters a feed cannot carry: enough to show a bad paste
SITE_TOO_LARGE = "site.yaml holds the site's settings, a few short lines: check that this is the right file"


class RawDocument(NamedTuple):
    path: str  # as shown to the user: relative to the site, with forward slashes
    root: Node
    # What reading found wrong that leaves the fields readable: characters a feed cannot
    # carry, each read as a space, so that the rest of the file's problems are told too.
    problems: tuple[Problem, ...] = ()


LoadResult = RawDocument | list[Problem]  # the document, or why it cannot be read: one problem, or a few


def read_document(file: Path | str, shown_as: str, blocks_as_written: bool = False) -> LoadResult:
    """Read one YAML file into a RawDocument, or say in problems why it cannot be read.
    (`blocks_as_written`: see simple_yaml.read_simple.)"""
    problems = ProblemList(shown_as)
    try:
        data, _ = _read_file(file)
    except OSError as error:
        if error.errno != errno.ENXIO:
            found, hint = _unreadable(Path(file), error)
            return [problems.refuse(1, 1, "", "unreadable", f"expected a readable file, found {found}", hint)]
        data = None  # a socket, which open() refuses before fstat could say what it is: told as a pipe is
    if data is None:  # a pipe or device would block or never end
        return [problems.refuse(1, 1, "", "not-a-file", "expected a file, found a pipe, socket or device",
                                "put only YAML files in items/")]
    return parse_document(data, shown_as, blocks_as_written=blocks_as_written)


def read_if_unchanged(file: Path | str, shown_as: str, unchanged: Callable[[os.stat_result], bool]) -> RawDocument | None:
    """The document, read as read_document reads it, if the file is still as `unchanged`
    says it was (by the stat of the very descriptor read, and every byte of it read); None
    if it is not, or cannot be read or parsed cleanly: the caller then reads and validates
    it whole."""
    try:
        data, info = _read_file(file)
    except OSError:
        return None
    if data is None or not unchanged(info) or len(data) != info.st_size:
        return None
    doc = parse_document(data, shown_as)
    return doc if type(doc) is RawDocument and not doc.problems else None


def least_fields(shown_as: str) -> str:
    """The fix for a file with no fields: what site.yaml needs, or what an entry does."""
    if shown_as == SITE_FILE:
        return "write at least title, link and description"
    return "write at least title, link, published and summary"


def _unreadable(path: Path, error: OSError) -> tuple[str, str]:
    """What stands where a file was expected, and what to do about it."""
    if error.errno == errno.ELOOP:
        return "a loop of links that leads back to itself", "link it to the entry file itself, or remove it"
    if error.errno == errno.ENOENT and path.is_symlink():
        return "a link to nothing", "remove the link, or link it to a file inside the site"
    if error.errno == errno.ENOENT:  # listed, then gone: a watch or a cron build met a `git pull` midway
        return ("no file: it was removed while the build read the site (a git pull, a deploy)",
                "the next build leaves it out; if it is to stay, restore it")
    return f"an error ({error.strerror or error})", fix_for(error, "read it")


def _read_file(file: Path | str) -> tuple[bytes | None, os.stat_result]:
    """A regular file's bytes, up to one more than the limit (None if it is not a regular
    file), and the stat of the descriptor they were read from.

    Opened without blocking (a pipe would wait for a writer) and sized by fstat, in as few
    system calls as a file can be read in: a build reads tens of thousands.
    """
    descriptor = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            return None, info
        data = os.read(descriptor, min(info.st_size, MAX_FILE_BYTES) + 1)
        while info.st_size < len(data) <= MAX_FILE_BYTES:  # it grew since the fstat: read on
            more = os.read(descriptor, MAX_FILE_BYTES + 1 - len(data))
            if not more:
                break
            data += more
        return data, info
    finally:
        os.close(descriptor)


def _wide_encoding(data: bytes) -> str | None:
    """UTF-16 or UTF-32 (Notepad's "Unicode", and wider), said as found: by the byte order
    mark the file starts with, or, with none, by its first bytes, which hold zeros (the high
    bytes of a field's ASCII name) and read in one of them as text with a field in it
    ("title: "), in Latin, Cyrillic or Chinese alike. None for any other file."""
    for mark, encoding in ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
                           (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16")):
        if data.startswith(mark):
            return f"{encoding} (the file starts with its byte order mark, {' '.join(f'0x{byte:02X}' for byte in mark)})"
    start = data[:200]
    if start.count(0) < 2:
        return None
    for encoding, width in (("utf-32-le", 4), ("utf-32-be", 4), ("utf-16-le", 2), ("utf-16-be", 2)):
        for end in (len(start) // width * width, len(start) // width * width - width):  # a pair cut at the end
            with suppress(UnicodeDecodeError):
                text = start[:end].decode(encoding)
                if "\x00" not in text and ": " in text:
                    return f"UTF-{width * 8} without a byte order mark"
    return None


def parse_document(data: bytes, shown_as: str, libyaml_only: bool = False,
                   blocks_as_written: bool = False) -> LoadResult:
    """Bytes to a RawDocument. Files of the simple common shape are read by simple_yaml,
    the rest by libyaml; `libyaml_only` skips the first (tests compare the two)."""
    problems = ProblemList(shown_as)
    if len(data) > MAX_FILE_BYTES:
        hint = SITE_TOO_LARGE if shown_as == SITE_FILE else "an entry is one article; move large media out of the YAML file"
        return [problems.refuse(1, 1, "", "too-large",
                                f"expected a file of at most 1 MiB ({MAX_FILE_BYTES:,} bytes), found more", hint)]
    wide = _wide_encoding(data)
    if wide is not None:
        return [problems.refuse(1, 1, "", "not-utf8", f"expected UTF-8 text, found {wide}",
                                "save the file as UTF-8 (the editor's Save As, Encoding: UTF-8)")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line, column = position(data[: error.start].decode("utf-8", "replace"), len(data[: error.start]))
        byte = data[error.start]
        legacy = bytes([byte]).decode("cp1252", "replace")
        meant = f", {legacy} in Windows-1252, as older editors save it" if legacy.isprintable() and legacy != "\ufffd" else ""
        return [problems.refuse(line, column, "", "not-utf8", f"expected UTF-8 text, found the byte 0x{byte:02X}{meant}",
                                "save the file as UTF-8 (the editor's Save As, Encoding: UTF-8)")]
    beyond_ascii = bool(data.translate(None, PLAIN_BYTES))
    uncarriable = _uncarriable(text, problems) if beyond_ascii else ()
    as_written = text
    if uncarriable:
        text = without_uncarriable(text, " ")
    stray = text.find("\ufeff") if beyond_ascii else -1  # one at the start was taken off with the decoding
    if stray >= 0:
        line, column = position(text, stray)
        return [problems.refuse(line, column, "", "stray-bom",
                                "expected text, found a byte order mark (U+FEFF), which YAML reads as the start "
                                "of a new file", "it came with text pasted from another file, and editors show "
                                "nothing there: delete it")]
    if not text or text.isspace():
        return [uncarriable[0]] if uncarriable else [problems.refuse(
            1, 1, "", "empty", "expected a mapping of fields, found an empty file", least_fields(shown_as))]
    simple = None if libyaml_only else simple_yaml.read_simple(text, blocks_as_written)
    if simple is not None:
        return RawDocument(shown_as, simple, uncarriable)
    from .yaml_compose import compose  # here: most builds read every file with the quick reader

    root = compose(text, problems, least_fields(shown_as))
    if isinstance(root, Problem) and uncarriable:  # the mistake may be a space's doing: read the file as mended
        left = compose(without_uncarriable(as_written, ""), ProblemList(shown_as), least_fields(shown_as))
        return sorted([*uncarriable, *_mistake_left(left, as_written)])
    if isinstance(root, Problem):
        return [root]
    return RawDocument(shown_as, root, uncarriable)


def _mistake_left(left: Node | Problem, as_written: str) -> list[Problem]:
    """The YAML mistake (`left`) the file still has with its characters a feed cannot carry
    deleted, as their hint says, at its column in the file as written. Read with a space for
    each, the file may be mistaken by a space's doing (an indent), so the characters alone
    were told, and `summary: Update: talks resume` two lines below a title with a stray \x07
    only at the next run: two mistakes, two runs; and until the forty-fifth stop, a mistake
    on a line with such a character too (`title: "Storm\x01 hits`, its quote never closed)."""
    if not isinstance(left, Problem):
        return []
    line = as_written.split("\n", left.line)[left.line - 1] if left.line >= 1 else ""
    column = left.column - 1  # in the line with the characters deleted, then as written
    bad = first_uncarriable(line)
    while bad is not None and bad.start() <= column:
        column += 1
        bad = first_uncarriable(line, bad.end())
    return [replace(left, column=column + 1)]


def _uncarriable(text: str, problems: ProblemList) -> tuple[Problem, ...]:
    """The first character a feed cannot carry on each line that holds one (on the first
    MOST_CHARACTER_PROBLEMS such lines), each as a problem."""
    found: list[Problem] = []
    bad = first_uncarriable(text)
    while bad is not None and len(found) < MOST_CHARACTER_PROBLEMS:
        line, column = position(text, bad.start())
        found.append(problems.refuse(line, column, "", "bad-character",
                                     f"expected characters a feed can carry, found {character_name(bad.group())}",
                                     f"{why_not(bad.group())}; delete it"))
        end = text.find("\n", bad.end())
        bad = None if end < 0 else first_uncarriable(text, end)
    return tuple(found)


def with_reading_problems(doc: RawDocument, found: Sequence[Problem]) -> list[Problem]:
    """Every problem of a document: those of reading it, then those of its fields, but for
    values on the lines reading told of that the character may have changed. A character a
    feed cannot carry was read as a space, so what is found of a value it stands in may be
    the space's doing (a title of one such character reads as empty); a field missing from
    the file is not, nor a value the character only follows or precedes on its line."""
    told: dict[int, list[int]] = {}
    for problem in doc.problems:
        told.setdefault(problem.line, []).append(problem.column)
    return sorted((*doc.problems, *(problem for problem in found if problem.line not in told
                                    or problem.code == "missing" or _beside(doc, problem, told[problem.line]))))


def _beside(doc: RawDocument, problem: Problem, columns: list[int]) -> bool:
    """Whether the field `problem` is of holds a one-line value none of the characters at
    `columns` on its line stands in: `published: 2026-13-01\x07`, whose space YAML trims,
    was told of its character alone, the month 13 at the next run."""
    fields = doc.root.value
    node = fields.get(problem.field) if isinstance(fields, dict) else None
    if node is None or node.line != problem.line or not node.text or "\n" in node.text:
        return False
    return all(not node.column <= column < node.column + len(node.text) for column in columns)

