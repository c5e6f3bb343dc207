"""The simple shape most entry files have, read without libyaml: several times quicker.

An entry is nearly always a column of `field: value` lines: plain or quoted one-line
values, `[a, b]` and `{name: x}` on one line, `- item` lists, a one-level mapping, and a
`|` block for the body. `read_simple` reads exactly that shape and gives the Node tree
libyaml's reading (load.parse_document) gives. Anything else, however ordinary (a comment
after a value, an escape, a folded `>` block, a value over two lines, a tab, a repeated
field) is not guessed at: it returns None and libyaml reads the file, so every unusual
file, and every message about a malformed one, is libyaml's. The test suite compares
the two readings on generated documents.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .load import MAX_VALUES, Node, plain_scalar

_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]{0,127}):(?: +|\Z)")
_NOT_KEYS = frozenset({"null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE"})
# A plain value may not start with an indicator, nor hold ": " or " #", nor end in ":".
_PLAIN_START = frozenset("-?:,[]{}#&*!|>'\"%@` ")
_COMMENT = r"(?: +#.*)?\Z"  # what may follow a value on its line
_DOUBLE = re.compile(r'"([^"\\]*)"' + _COMMENT)
_SINGLE = re.compile(r"'((?:[^']|'')*)'" + _COMMENT)
_AFTER_FLOW = re.compile(_COMMENT)
_BLOCK_HEADER = re.compile(r"\|(-?)" + _COMMENT)
_FLOW_ITEM = re.compile(r""" *(?P<item>"(?P<double>[^"\\]*)"|'(?P<single>(?:[^']|'')*)'"""
                        r"""|(?P<plain>[^-?:,\[\]{}#&*!|>'"%@`\s][^:,\[\]{}#"']*?)) *(?P<end>[,\]}])""")
_FLOW_KEY = re.compile(r" *([A-Za-z_][A-Za-z0-9_-]{0,127}): +")
_INDENT = re.compile(r" *")
_UNINDENTED = re.compile(r"\n[^ \n]")  # searched for from a line break: sre then skips along quickly
# libyaml reads these as line breaks (or, the BOM, as a new stream): never simple.
_BREAKS = ("\r", "\x85", "\u2028", "\u2029", "\ufeff")


class _NotSimple(Exception):
    """Internal: the file is not of the simple shape; libyaml reads it."""


def read_simple(text: str) -> Node | None:
    """The document's Node tree, as libyaml would give it, or None when the file is not simple."""
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    if any(char in text for char in _BREAKS):
        return None
    try:
        return _Reader(text.split("\n")).document()
    except _NotSimple:
        return None


class _Reader:
    """One pass down the lines of one file."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.count = 1  # values made, counted high: past MAX_VALUES, libyaml says so

    def document(self) -> Node:
        lines = self.lines
        fields: dict[str, Node] = {}
        start = number = 0
        while number < len(lines):
            line = lines[number]
            if not line or line[0] == "#" or (line.isspace() and "\t" not in line):
                number += 1
                continue
            key, value_at = self._key(line, 0)
            if key in fields:
                raise _NotSimple
            start = start or number + 1
            fields[key], number = self._value(number, value_at)
        if not fields or self.count > MAX_VALUES:
            raise _NotSimple
        return Node(fields, start, 1)

    def _key(self, line: str, indent: int) -> tuple[str, int]:
        """The key a line at this indent starts with, and the column its value starts at (0-based)."""
        match = _KEY.match(line, indent)
        if not match or match.group(1) in _NOT_KEYS or "\t" in line:
            raise _NotSimple
        self.count += 2
        return match.group(1), match.end()

    def _value(self, number: int, at: int) -> tuple[Node, int]:
        """The value starting at column `at` of line `number`, and the number of the line after it."""
        rest = self.lines[number][at:].rstrip(" ")
        if not rest or rest[0] == "#":
            return self._nested(number, at)
        if rest[0] == "|":
            return self._block(number, at, rest)
        # A one-line value: were the next line indented, it would go on there, and
        # document() would find that line is not a field and give up.
        if rest[0] in "[{":
            return self._flow(number + 1, at, rest), number + 1
        return self._scalar(rest, number + 1, at + 1, number + 1, 1), number + 1

    def _scalar(self, text: str, line: int, column: int, key_line: int = 0, key_column: int = 0) -> Node:
        """A one-line scalar: plain, "double-quoted" without escapes, or 'single-quoted'."""
        self.count += 1
        first = text[0]
        if first == '"':
            match = _DOUBLE.match(text)
            if not match:
                raise _NotSimple
            return Node(match.group(1), line, column, match.group(1), key_line, key_column)
        if first == "'":
            match = _SINGLE.match(text)
            if not match:
                raise _NotSimple
            value = match.group(1).replace("''", "'")
            return Node(value, line, column, value, key_line, key_column)
        comment = text.find(" #")
        if comment >= 0:
            text = text[:comment].rstrip(" ")
        if first in _PLAIN_START or ": " in text or text[-1] == ":":
            raise _NotSimple
        return Node(plain_scalar(text), line, column, text, key_line, key_column)

    def _flow(self, line: int, at: int, text: str) -> Node:
        """[a, "b"] or {name: a, email: "b"}, whole on one line, holding scalars only."""
        is_list = text[0] == "["
        closing = "]" if is_list else "}"
        items: list[Node] = []
        fields: dict[str, Node] = {}
        position = len(text) - len(text[1:].lstrip(" "))
        if text[position:position + 1] == closing and _AFTER_FLOW.match(text, position + 1):
            return Node(items if is_list else fields, line, at + 1, None, line, 1)
        while True:
            if not is_list:
                key = _FLOW_KEY.match(text, position)
                if not key or key.group(1) in _NOT_KEYS or key.group(1) in fields:
                    raise _NotSimple
                position = key.end()
            match = _FLOW_ITEM.match(text, position)
            if not match:
                raise _NotSimple
            value = self._flow_scalar(match, line, at + match.start("item") + 1)
            if is_list:
                items.append(value)
            else:
                fields[key.group(1)] = Node(value.value, value.line, value.column, value.text,  # type: ignore[union-attr]
                                            line, at + key.start(1) + 1)  # type: ignore[union-attr]
            position = match.end()
            if match.group("end") != ",":
                break
        if match.group("end") != closing or not _AFTER_FLOW.match(text, position) or self.count > MAX_VALUES:
            raise _NotSimple
        return Node(items if is_list else fields, line, at + 1, None, line, 1)

    def _flow_scalar(self, match: re.Match[str], line: int, column: int) -> Node:
        self.count += 2
        double, single, plain = match.group("double", "single", "plain")
        if double is not None:
            return Node(double, line, column, double)
        if single is not None:
            value = single.replace("''", "'")
            return Node(value, line, column, value)
        return Node(plain_scalar(plain), line, column, plain)

    def _nested(self, number: int, at: int) -> tuple[Node, int]:
        """After `key:` alone: a `- item` list, a one-level mapping, or nothing (null)."""
        lines = self.lines
        following = number + 1
        while following < len(lines) and not lines[following]:
            following += 1
        if following == len(lines) or lines[following][0] not in " -":
            self.count += 1
            # libyaml places an empty value just after the colon, however many spaces follow it
            return Node(None, number + 1, lines[number].index(":") + 2, "", number + 1, 1), number + 1
        line = lines[following]
        indent = len(_INDENT.match(line).group())  # type: ignore[union-attr]
        if line.startswith("- ", indent):
            return self._list(following, indent, number + 1)
        if indent == 0:
            raise _NotSimple
        return self._mapping(following, indent, number + 1)

    def _list(self, number: int, indent: int, key_line: int) -> tuple[Node, int]:
        """`- item` lines, one scalar each, all at one indent."""
        lines = self.lines
        items: list[Node] = []
        start = number
        prefix = " " * indent + "- "
        while number < len(lines):
            line = lines[number]
            if not line:
                number += 1
                continue
            if not line.startswith(prefix):
                break
            if "\t" in line:
                raise _NotSimple
            value_at = len(_INDENT.match(line, indent + 2).group()) + indent + 2  # type: ignore[union-attr]
            text = line[value_at:].rstrip(" ")
            if not text:
                raise _NotSimple
            items.append(self._scalar(text, number + 1, value_at + 1))
            number += 1
        if self.count > MAX_VALUES:
            raise _NotSimple
        self._top_level_next(number)
        return Node(items, start + 1, indent + 1, None, key_line, 1), number

    def _mapping(self, number: int, indent: int, key_line: int) -> tuple[Node, int]:
        """`name: value` lines at one indent, each value a one-line scalar."""
        lines = self.lines
        fields: dict[str, Node] = {}
        start = number
        while number < len(lines):
            line = lines[number]
            if not line:
                number += 1
                continue
            if len(line) - len(line.lstrip(" ")) != indent:
                break
            key, value_at = self._key(line, indent)
            text = line[value_at:].rstrip(" ")
            if key in fields or not text or text[0] in "[{|":
                raise _NotSimple
            fields[key] = self._scalar(text, number + 1, value_at + 1, number + 1, indent + 1)
            number += 1
        self._top_level_next(number)
        return Node(fields, start + 1, indent + 1, None, key_line, 1), number

    def _top_level_next(self, number: int) -> None:
        """After a nested list or mapping comes a top-level field, a comment or the end."""
        lines = self.lines
        if number < len(lines) and lines[number][:1] in (" ", "-"):
            raise _NotSimple

    def _block(self, number: int, at: int, header: str) -> tuple[Node, int]:
        """A `|` or `|-` literal block: its lines as written, less their common indent."""
        chomp = _BLOCK_HEADER.match(header)
        if not chomp:
            raise _NotSimple
        lines = self.lines
        first = number + 1
        if first >= len(lines) or lines[first][:1] != " " or lines[first].isspace():
            raise _NotSimple
        indent = len(_INDENT.match(lines[first]).group())  # type: ignore[union-attr]
        rest = "\n".join(lines[first:])
        after = _UNINDENTED.search(rest)  # the block ends where a line starts at column 1
        block = rest[:after.start() + 1] if after else rest
        end = first + block.count("\n") if after else len(lines)
        unsimple, indentation = _block_patterns(indent)
        if unsimple.search(block) or (lines[first][indent] == "\t"):
            raise _NotSimple
        if not after and lines[-1]:  # the file ends inside the block, without a line break
            raise _NotSimple
        if after and lines[end][0] != "#" and not _KEY.match(lines[end]):
            raise _NotSimple
        content = indentation.sub("\n", block[indent:]).rstrip("\n")
        value = content + ("" if chomp.group(1) else "\n")
        self.count += 1
        return Node(value, number + 1, at + 1, value, number + 1, 1), end


@lru_cache(maxsize=None)
def _block_patterns(indent: int) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """For a block indented this much: a line it cannot hold simply (one less indented, a tab
    where the indent ends, or spaces alone past the indent: libyaml keeps some), and the
    indent to take off each line."""
    return (re.compile(rf"\n(?: {{{indent}}}(?: +(?=\n|\Z)|\t)|(?! {{{indent}}}| *(?:\n|\Z)))"),
            re.compile(rf"\n {{0,{indent}}}"))
