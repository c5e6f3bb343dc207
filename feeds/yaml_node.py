"""A YAML value as both readers (load's libyaml one and simple_yaml's quick one) hand it
over, the limit they share, and how an unquoted scalar reads: one definition for both."""

from __future__ import annotations

import re
from typing import Any, NamedTuple

MAX_VALUES = 10_000  # values in one field of a file: more is refused, not read
MAX_FILE_VALUES = 4 * MAX_VALUES  # in the whole file

_MAYBE_NOT_TEXT = frozenset("0123456789+-.~nNtTfF")  # how a null, boolean or number begins
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT = re.compile(r"[-+]?[0-9]+\Z")
FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")  # a float, as feeds reads YAML


class Node(NamedTuple):
    """A YAML value with where it stands (1-based). Mappings keep each key's place too.

    A named tuple, not a dataclass: a build makes tens of them per file, for every file.
    """

    value: Any  # None, bool, int, float, str, list[Node] or dict[str, Node]
    line: int
    column: int
    text: str | None = None  # a scalar's source text, as the editor wrote it
    key_line: int = 0
    key_column: int = 0


def plain_scalar(text: str) -> Any:
    """An unquoted scalar's value: null, a boolean, a number, or else the text itself."""
    if text and text[0] not in _MAYBE_NOT_TEXT:  # most values: a word first
        return text
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if len(text) > 100:  # no one means a number that long (and Python refuses over 4,300 digits): it is text
        return text
    if _INT.match(text):
        return int(text)
    if FLOAT.match(text) and any(c.isdigit() for c in text):
        return float(text)
    return text


def scalar_text(node: Node) -> str | None:
    """The text of a value written as one (a number as typed), its white space as one space;
    None for a list, a mapping or nothing."""
    if node.value is None or isinstance(node.value, (list, dict)):
        return None
    text = node.value if isinstance(node.value, str) else (node.text or "")
    return " ".join(text.split()) or None
