"""The simple shape most entry files have, read without libyaml: several times quicker.

An entry is nearly always a column of `field: value` lines: plain or quoted one-line
values (double-quoted ones with the common escapes), a plain or quoted value wrapped over several
lines (as `yaml.dump` and many editors write a long summary), `[a, b]` and `{name: x}`
on one line, `- item` lists, a one-level mapping, and a `|` or `>` block, after a `---`
line if the file starts with one (as `yaml.dump(explicit_start=True)` and linters want). `read_simple`
reads exactly that shape and gives the Node tree libyaml's reading
(load.parse_document) gives. Anything else, however ordinary (a quoted value over two
lines, a `>` block with indented lines, a tab, a repeated field) is not guessed at: it
returns None and libyaml reads the file, so every unusual file, and every message about
a malformed one, is libyaml's. The test suite compares the two readings on generated
documents.

It reads the text line by line with one regular expression per line, keeping offsets
rather than splitting the file: per file, that is most of what a cold build costs.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from .yaml_node import MAX_VALUES, Node, plain_scalar

_NAME = r"[A-Za-z_][A-Za-z0-9_-]{0,127}"  # libyaml allows 1024 characters in a key: we need far fewer
# One top-level line: `key: value` (its value taken apart here when it is the commonest kind,
# "double-quoted" without escapes), `key:` alone, a comment, or a blank line.
_LINE = re.compile(rf'(?:({_NAME}):(?: +(?:"([^"\\\n\t]*)"(?: +#[^\n\t]*)? *(?=\n|\Z)|([^\n]*)))?|#[^\n]*| *)(?:\n|\Z)')
_NOT_KEYS = frozenset({"null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE"})
# A plain value may not start with an indicator, nor hold ": " or " #", nor end in ":".
_PLAIN_START = frozenset("-?:,[]{}#&*!|>'\"%@` ")
_COMMENT = r"(?: +#.*)?\Z"  # what may follow a value on its line
_DOUBLE = re.compile(r'"((?:[^"\\]|\\.)*)"' + _COMMENT)
_ESCAPE = re.compile(r"\\(?:x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|(.))")
_ESCAPED = {'"': '"', "\\": "\\", "n": "\n", "t": "\t"}
# A plain value's next line, indented (a comment there would end it).
_CONTINUED = re.compile(r" +([^#\s][^\t\n]*)(?:\n|\Z)")
# A double-quoted value that goes on over lines, up to its closing quote and what may follow it.
_DOUBLE_LINES = re.compile(r'"((?:[^"\\\t]|\\[^\n])*)"(?: +#[^\n]*)? *(?:\n|\Z)')
# A single-quoted one, as yaml.dump wraps a long text that needs quotes ("Minister: talks...").
_SINGLE_LINES = re.compile(r"'((?:[^'\t]|'')*)'(?: +#[^\n]*)? *(?:\n|\Z)")
_SINGLE = re.compile(r"'((?:[^']|'')*)'" + _COMMENT)
_AFTER_FLOW = re.compile(_COMMENT)
_BLOCK_HEADER = re.compile(r"([|>])(-?)" + _COMMENT)
_FLOW_ITEM = re.compile(r""" *(?P<item>"(?P<double>[^"\\]*)"|'(?P<single>(?:[^']|'')*)'"""
                        r"""|(?P<plain>[^-?:,\[\]{}#&*!|>'"%@`\s](?:[^:,\[\]{}#"']*[^:,\[\]{}#"' ])?)) *(?P<end>[,\]}])""")
_FLOW_KEY = re.compile(rf" *({_NAME}): +")
_LIST_ITEM = re.compile(r"( *)- +([^\n]*)(?:\n|\Z)")
_MAPPING_LINE = re.compile(rf"( *)({_NAME}): +([^\n]*)(?:\n|\Z)")
_INDENT = re.compile(r" *")
_BLANK_LINES = re.compile(r"\n*")
_DOCUMENT_START = re.compile(r"--- *(?:\n|\Z)")  # the marker alone on the first line
# libyaml reads these as line breaks (or, the BOM, as a new stream): never simple.
_BREAKS = ("\r", "\x85", "\u2028", "\u2029", "\ufeff")


def _node(value: Any, line: int, column: int, text: str | None = None, key_line: int = 0,
          key_column: int = 0) -> Node:
    """Node(...) without the class call: half the time, for tens of nodes per file."""
    return _new_tuple(Node, (value, line, column, text, key_line, key_column))


_new_tuple = tuple.__new__


class _NotSimple(Exception):
    """Internal: the file is not of the simple shape; libyaml reads it."""


def read_simple(text: str, blocks_as_written: bool = False) -> Node | None:
    """The document's Node tree, as libyaml would give it, or None when the file is not simple.

    `blocks_as_written` leaves each `|` block's lines indented, which saves a copy of the
    body for a caller that only checks it and drops it: it has the same characters, and
    is never empty (its first line has some), just as the block's value."""
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    if any(char in text for char in _BREAKS):
        return None
    try:
        return _Reader(text, blocks_as_written).document()
    except _NotSimple:
        return None


class _Reader:
    """One pass down one file; `at` is an offset in its text, `line` the 1-based line there."""

    def __init__(self, text: str, blocks_as_written: bool) -> None:
        self.text = text
        self.blocks_as_written = blocks_as_written
        self.count = 1  # values made, counted high: past MAX_VALUES, libyaml says so

    def document(self) -> Node:
        text = self.text
        fields: dict[str, Node] = {}
        start = 0
        at, line, end = 0, 1, len(text)
        if text.startswith("---") and (marker := _DOCUMENT_START.match(text)):
            at, line = marker.end(), 2
        while at < end:
            match = _LINE.match(text, at)
            if not match:  # an indented line here would be a value going on, or a structure we leave alone
                raise _NotSimple
            key, quoted, rest = match.group(1, 2, 3)
            if key is None:  # a comment or a blank line
                at, line = match.end(), line + 1
                continue
            if key in fields or key in _NOT_KEYS:
                raise _NotSimple
            start = start or line
            if quoted is not None:
                self.count += 3
                fields[key] = _node(quoted, line, match.start(2) - at, quoted, line, 1)
                at, line = match.end(), line + 1
                continue
            rest = rest.rstrip(" ") if rest else ""
            if "\t" in rest:
                raise _NotSimple
            self.count += 2
            if rest[:1] == "#" and rest[1:2] not in ("", " "):  # `categories: #News`, a hashtag read as a comment
                raise _NotSimple
            if not rest or rest[0] == "#":
                fields[key], at, line = self._nested(match, line)
            elif rest[0] in "|>":
                fields[key], at, line = self._block(match, rest, line)
            elif text.startswith(" ", match.end()) and rest[0] not in "[{":  # a value going on
                column = match.start(3) - at + 1
                fields[key], at, line = (self._wrapped_quoted(match.start(3), line, column) if rest[0] in "\"'"
                                         else self._wrapped(rest, match.end(), line, column))
            else:  # one line; were the next indented, _LINE would not match it
                column = match.start(3) - at + 1
                fields[key] = (self._flow(rest, line, column) if rest[0] in "[{"
                               else self._scalar(rest, line, column, line, 1))
                at, line = match.end(), line + 1
        if not fields or self.count > MAX_VALUES:
            raise _NotSimple
        return _node(fields, start, 1)

    def _scalar(self, text: str, line: int, column: int, key_line: int = 0, key_column: int = 0) -> Node:
        """A one-line scalar: plain, "double-quoted" without escapes, or 'single-quoted'."""
        self.count += 1
        first = text[0]
        if first == '"':
            match = _DOUBLE.match(text)
            if not match:
                raise _NotSimple
            value = match.group(1)
            if "\\" in value:
                value = _ESCAPE.sub(_unescape, value)
            return _node(value, line, column, value, key_line, key_column)
        if first == "'":
            match = _SINGLE.match(text)
            if not match:
                raise _NotSimple
            value = match.group(1).replace("''", "'")
            return _node(value, line, column, value, key_line, key_column)
        comment = text.find(" #")
        if comment >= 0:
            if text[comment + 2:comment + 3].strip():  # " #1 seed": text lost to a comment; libyaml's reader says so
                raise _NotSimple
            text = text[:comment].rstrip(" ")
        if first in _PLAIN_START or ": " in text or text[-1] == ":":
            raise _NotSimple
        return _node(plain_scalar(text), line, column, text, key_line, key_column)

    def _wrapped(self, first: str, at: int, key_line: int, column: int) -> tuple[Node, int, int]:
        """A plain value over several lines, each further one indented: libyaml joins them
        with spaces. Only unbroken runs of lines that start with a word are taken."""
        text = self.text
        parts, line = [first], key_line + 1
        while match := _CONTINUED.match(text, at):
            parts.append(match.group(1).rstrip(" "))
            at, line = match.end(), line + 1
        if line == key_line + 1 or text.startswith(" ", at):
            raise _NotSimple  # indented, but not as a plain value's next line
        for part in parts:
            if " #" in part or ": " in part or part[-1] == ":":
                raise _NotSimple
        if first[0] in _PLAIN_START:
            raise _NotSimple
        self.count += 1
        value = " ".join(parts)
        return _node(plain_scalar(value), key_line, column, value, key_line, 1), at, line

    def _wrapped_quoted(self, at: int, key_line: int, column: int) -> tuple[Node, int, int]:
        """A quoted value over several lines, each further one indented, none blank: libyaml
        joins them with spaces (in double quotes, an escaped line break is left to it)."""
        double = self.text[at] == '"'
        match = (_DOUBLE_LINES if double else _SINGLE_LINES).match(self.text, at)
        if not match:
            raise _NotSimple
        first, *more = match.group(1).split("\n")
        parts = [first.rstrip(" ")]
        for number, part in enumerate(more, 1):  # spaces around a line break go; those at the quotes stay
            if not part.startswith(" ") or not part.strip(" "):
                raise _NotSimple
            parts.append(part.lstrip(" ") if number == len(more) else part.strip(" "))
        value = " ".join(parts)
        if not double:
            value = value.replace("''", "'")
        elif "\\" in value:
            value = _ESCAPE.sub(_unescape, value)
        self.count += 1
        return _node(value, key_line, column, value, key_line, 1), match.end(), key_line + 1 + len(more)

    def _flow(self, text: str, line: int, column: int) -> Node:
        """[a, "b"] or {name: a, email: "b"}, whole on one line, holding scalars only."""
        is_list = text[0] == "["
        closing = "]" if is_list else "}"
        items: list[Node] = []
        fields: dict[str, Node] = {}
        position = len(text) - len(text[1:].lstrip(" "))
        if text[position:position + 1] == closing and _AFTER_FLOW.match(text, position + 1):
            return _node(items if is_list else fields, line, column, None, line, 1)
        while True:
            if not is_list:
                key = _FLOW_KEY.match(text, position)
                if not key or key.group(1) in _NOT_KEYS or key.group(1) in fields:
                    raise _NotSimple
                position = key.end()
            match = _FLOW_ITEM.match(text, position)
            if not match:
                raise _NotSimple
            value = self._flow_scalar(match, line, column + match.start("item"))
            if is_list:
                items.append(value)
            else:
                fields[key.group(1)] = _node(value.value, value.line, value.column, value.text,  # type: ignore[union-attr]
                                            line, column + key.start(1))  # type: ignore[union-attr]
            position = match.end()
            if match.group("end") != ",":
                break
        if match.group("end") != closing or not _AFTER_FLOW.match(text, position) or self.count > MAX_VALUES:
            raise _NotSimple
        return _node(items if is_list else fields, line, column, None, line, 1)

    def _flow_scalar(self, match: re.Match[str], line: int, column: int) -> Node:
        self.count += 2
        double, single, plain = match.group("double", "single", "plain")
        if double is not None:
            return _node(double, line, column, double)
        if single is not None:
            value = single.replace("''", "'")
            return _node(value, line, column, value)
        return _node(plain_scalar(plain), line, column, plain)

    def _nested(self, key_match: re.Match[str], key_line: int) -> tuple[Node, int, int]:
        """After `key:` alone: a `- item` list, a one-level mapping, or nothing (null)."""
        text = self.text
        at = key_match.end()
        blank = _BLANK_LINES.match(text, at).end()  # type: ignore[union-attr]
        if blank == len(text) or text[blank] not in " -":
            # libyaml places an empty value just after the colon, however many spaces follow it
            column = len(key_match.group(1)) + 2
            return _node(None, key_line, column, "", key_line, 1), at, key_line + 1
        line = key_line + 1 + blank - at
        indent = _INDENT.match(text, blank).end() - blank  # type: ignore[union-attr]
        if text.startswith("- ", blank + indent):
            return self._list(blank, line, indent, key_line)
        if indent == 0:
            raise _NotSimple
        return self._mapping(blank, line, indent, key_line)

    def _list(self, at: int, line: int, indent: int, key_line: int) -> tuple[Node, int, int]:
        """`- item` lines, one scalar each, all at one indent."""
        found, after, next_line = self._nested_lines(at, line, _LIST_ITEM, indent)
        items: list[Node] = []
        for match, number in found:
            value = match.group(2).rstrip(" ")
            if not value or "\t" in value:
                raise _NotSimple
            items.append(self._scalar(value, number, match.start(2) - match.start() + 1))
        return _node(items, line, indent + 1, None, key_line, 1), after, next_line

    def _mapping(self, at: int, line: int, indent: int, key_line: int) -> tuple[Node, int, int]:
        """`name: value` lines at one indent, each value a one-line scalar."""
        found, after, next_line = self._nested_lines(at, line, _MAPPING_LINE, indent)
        fields: dict[str, Node] = {}
        for match, number in found:
            key, value = match.group(2), match.group(3).rstrip(" ")
            if key in fields or key in _NOT_KEYS or not value or value[0] in "[{|" or "\t" in value:
                raise _NotSimple
            self.count += 2
            fields[key] = self._scalar(value, number, match.start(3) - match.start() + 1, number, indent + 1)
        return _node(fields, line, indent + 1, None, key_line, 1), after, next_line

    def _nested_lines(self, at: int, line: int, pattern: re.Pattern[str], indent: int
                      ) -> tuple[list[tuple[re.Match[str], int]], int, int]:
        """The lines from `at` that `pattern` matches at exactly this indent (blank lines
        between them skipped), each with its number; then where the next line starts, and
        its number. That line must be a top-level field, a comment, or the end."""
        text = self.text
        found: list[tuple[re.Match[str], int]] = []
        while at < len(text):
            if text[at] == "\n":
                at, line = at + 1, line + 1
                continue
            match = pattern.match(text, at)
            if not match or len(match.group(1)) != indent:
                break
            found.append((match, line))
            at, line = match.end(), line + 1
        if text[at:at + 1] in (" ", "-"):
            raise _NotSimple
        return found, at, line

    def _block(self, key_match: re.Match[str], header: str, key_line: int) -> tuple[Node, int, int]:
        """A `|` or `|-` literal block: its lines as written, less their common indent; or a
        `>` or `>-` folded one, its lines joined."""
        chomp = _BLOCK_HEADER.match(header)
        if not chomp:
            raise _NotSimple
        text = self.text
        first = key_match.end()
        indent = _INDENT.match(text, first).end() - first  # type: ignore[union-attr]
        if not indent or first + indent >= len(text) or text[first + indent] in "\n\t":
            raise _NotSimple  # no first line, or one that is blank or indented with a tab
        lines, indentation = _block_patterns(indent)
        # Its lines, each after a line break: the block ends where a line is not one of them,
        # which must be a line starting at column 1, or the end (after a line break).
        end = lines.match(text, first - 1).end()  # type: ignore[union-attr]
        if end == len(text):
            if text[-1] != "\n":  # the file ends inside the block, without a line break
                raise _NotSimple
        elif text[end] != "\n" or text[end + 1:end + 2] in ("", " ", "\n", "\t"):
            raise _NotSimple
        block = text[first - 1:end]
        if chomp.group(1) == ">":
            value = _folded(block[1:], indent) + ("" if chomp.group(2) else "\n")
        elif self.blocks_as_written:
            value = block[1:]
        else:
            value = indentation.sub("\n", block)[1:].rstrip("\n") + ("" if chomp.group(2) else "\n")
        self.count += 1
        column = key_match.start(3) - key_match.start() + 1
        return _node(value, key_line, column, value, key_line, 1), end + 1, key_line + 1 + block.count("\n")


@lru_cache(maxsize=None)
def _block_patterns(indent: int) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """For a block indented this much: its lines, each after a line break (text past the
    indent, or a blank line; not spaces alone past the indent, which libyaml keeps some
    of, nor a tab where the indent ends), and the indent to take off each line."""
    return (re.compile(rf"(?:\n(?: {{{indent}}}(?:[^ \t\n][^\n]*| +[^ \n][^\n]*)?| {{0,{indent - 1}}})(?=\n|\Z))*"),
            re.compile(rf"\n {{0,{indent}}}"))


def _folded(block: str, indent: int) -> str:
    """A `>` block's text: lines joined with a space, paragraphs by a line break per blank
    line between them. Only lines at the block's indent and empty ones are taken: libyaml
    keeps the breaks around more-indented lines, which this does not follow."""
    value, blank = "", 0
    for row in block.rstrip("\n").split("\n"):
        if not row:
            blank += 1
            continue
        if len(row) <= indent or row[indent] in " \t" or not row.startswith(" " * indent):
            raise _NotSimple
        value += ("\n" * blank if blank else " ") + row[indent:] if value else row[indent:]
        blank = 0
    return value


def _unescape(escape: re.Match[str]) -> str:
    """One escape of a double-quoted value: only those for characters a feed can carry."""
    hex_code, unicode_code, char = escape.groups()
    if char is not None:
        if char not in _ESCAPED:
            raise _NotSimple
        return _ESCAPED[char]
    code = int(hex_code or unicode_code, 16)
    if not (0x20 <= code <= 0x7E or 0xA0 <= code <= 0xD7FF or 0xE000 <= code <= 0xFDCF):
        raise _NotSimple
    return chr(code)
