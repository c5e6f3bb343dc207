"""The libyaml path of the load stage, for the files the quick reader (simple_yaml) declines:
nodes composed by libyaml and turned into plain values, with limits that stop alias bombs
and runaway nesting, and the parser's complaints said in an editor's words. Imported only
when a file needs it: most builds read every file with the quick reader."""

from __future__ import annotations

import re
from typing import Any

import yaml

from .characters import character_name, first_uncarriable, why_not
from .problems import Problem, ProblemList, quote
from .yaml_node import MAX_VALUES, Node, plain_scalar

MAX_DEPTH = 32

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _ComposeOnly(_BaseLoader):  # type: ignore[misc, valid-type]
    """Resolves no implicit tags: every plain scalar stays text until `_scalar` reads it."""

    yaml_implicit_resolvers: dict = {}


_ALLOWED_TAGS = {"tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}


class _Refused(Exception):
    """Internal: a document breaks a limit; carries the problem to report."""

    def __init__(self, node: yaml.Node, code: str, message: str, hint: str = "") -> None:
        super().__init__(message)
        mark = node.start_mark
        self.where = (mark.line + 1, mark.column + 1)
        self.code, self.message, self.hint = code, message, hint
        self.field = ""

    def inside(self, key: str, value: yaml.Node) -> None:
        """Name the field the problem is in, outermost first: author.name (two levels at most).

        Too many values is the whole field's fault (aliases share nodes), so point at its value.
        """
        self.field = f"{key}.{self.field.split('.')[0]}" if self.field else key
        if self.code == "too-many-values":
            self.where = (value.start_mark.line + 1, value.start_mark.column + 1)


def compose(text: str, problems: ProblemList) -> Node | Problem:
    """A document libyaml reads, as plain values; or the one problem that stops it."""
    try:
        root = yaml.compose(text, Loader=_ComposeOnly)
    except yaml.MarkedYAMLError as error:
        return problems.refuse(*(_editors_mistake(error, text) or _yaml_error(error)))
    except yaml.YAMLError as error:
        return problems.refuse(1, 1, "", "malformed-yaml", f"malformed YAML: {error}", _CHECK_LINE)
    except RecursionError:
        return problems.refuse(1, 1, "", "too-deep", *_TOO_DEEP)
    if root is None:
        return problems.refuse(1, 1, "", "empty", "expected a mapping of fields, found an empty document",
                               "write at least title, link, published and summary")
    try:
        return _Converter().convert(root)
    except _Refused as refused:
        return problems.refuse(*refused.where, refused.field, refused.code, refused.message, refused.hint)


_CHECK_LINE = "check the indentation and quoting on this line or the one above"
_TOO_DEEP = (f"expected at most {MAX_DEPTH} levels of nesting, found more",
             "a field holds text, a list or a mapping, not lists within lists; flatten it")


def _yaml_error(error: yaml.MarkedYAMLError) -> tuple[int, int, str, str, str, str]:
    """The parser's complaint as a problem: where it stopped, what it found, how to fix it."""
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = error.problem or error.context or "it cannot be read"
    if "another document" in problem:
        return (line, column, "", "many-documents", "expected one YAML document, found a second one (after ---)",
                "an entry file holds one article; move the second into a file of its own")
    if "nesting depth" in problem:
        return (line, column, "", "too-deep", *_TOO_DEEP)
    hint = _CHECK_LINE
    if "mapping values are not allowed" in problem:
        hint = 'text with ": " in it must be quoted, such as title: "Update: talks resume"'
    elif error.context and error.context_mark and error.problem:
        where, what = error.context_mark, error.context.split(" a ", 1)[-1]
        hint = f"look at line {where.line + 1}, column {where.column + 1}, where the {what} begins"
    return (line, column, "", "malformed-yaml", f"malformed YAML: {problem}", hint)


def _editors_mistake(error: yaml.MarkedYAMLError, text: str) -> tuple[int, int, str, str, str, str] | None:
    """The mistakes people really make, said in their words at the line where they made them
    (the parser stops later, and speaks of tokens): a tab in the indentation, a quote mark
    inside quotes, a quote never closed. None for anything else."""
    problem, context = error.problem or "", error.context or ""
    lines = text.split("\n")
    if "tab" in problem or "'\\t'" in problem:
        tabbed = [number for number, line in enumerate(lines) if "\t" in line[: len(line) - len(line.lstrip())]]
        if tabbed and error.problem_mark is not None:
            stopped_line = error.problem_mark.line
            number = min(tabbed, key=lambda tabbed_line: (abs(tabbed_line - stopped_line), tabbed_line))
            return (number + 1, lines[number].index("\t") + 1, "", "tab-indent",
                    "malformed YAML: a tab in the indentation", "YAML indents with spaces; replace the tab with spaces")
    if "quoted scalar" in context and "end of stream" in problem and error.context_mark is not None:
        mark = error.context_mark
        quote_mark = lines[mark.line][mark.column] if mark.column < len(lines[mark.line]) else '"'
        return (mark.line + 1, mark.column + 1, "", "unclosed-quote",
                f"malformed YAML: the quote {quote_mark} opened here is never closed",
                f"add the closing quote at the end of the text, such as {quote_mark}Storm closes ports{quote_mark}")
    where = error.problem_mark
    if where is None or where.column < 2 or where.line >= len(lines):
        return None
    line = lines[where.line]
    closing = line[where.column - 1]
    opened = re.match(r"\s*(?:-\s+)?(?:[^\s:'\"][^:]*:\s+)?(['\"])", line)
    if closing not in "'\"" or opened is None or opened.group(1) != closing or opened.end() > where.column - 1:
        return None
    value = line[opened.start(1):].rstrip()
    if closing == "'":
        inner = value[1:-1] if value.endswith("'") else value[1:]
        return (where.line + 1, where.column, "", "quote-in-quotes",
                f"malformed YAML: the apostrophe in {value} ends the quoted text early",
                "inside single quotes write an apostrophe twice, such as " + "'" + inner.replace("'", "''") + "'"
                + ", or use double quotes: " + '"' + inner + '"')
    inner = value[1:-1] if value.endswith('"') else value[1:]
    return (where.line + 1, where.column, "", "quote-in-quotes",
            f"malformed YAML: the quote mark in {value} ends the quoted text early",
            "inside double quotes write a quote mark as \\\", such as " + '"' + inner.replace('"', '\\"') + '"'
            + ", or put single quotes around the text: '" + inner + "'")


class _Converter:
    """Turns composed nodes into plain values, counting as it goes so aliases cannot explode."""

    def __init__(self) -> None:
        self.count = 0

    def convert(self, node: yaml.Node, depth: int = 0) -> Node:
        self.count += 1
        if self.count > MAX_VALUES:
            raise _Refused(node, "too-many-values", f"expected at most {MAX_VALUES:,} values, found more",
                           "an entry needs a few dozen; aliases (*name) that repeat each other multiply them")
        if depth > MAX_DEPTH:
            raise _Refused(node, "too-deep", *_TOO_DEEP)
        if node.tag not in _ALLOWED_TAGS:
            raise _Refused(node, "tag", f"expected plain YAML, found the tag {node.tag.replace('tag:yaml.org,2002:', '!!')}",
                           "tags are not allowed; remove it, and quote the value if it is text")
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        if isinstance(node, yaml.ScalarNode):
            return Node(_scalar(node), line, column, text=node.value)
        if isinstance(node, yaml.SequenceNode):
            return Node([self.convert(item, depth + 1) for item in node.value], line, column)
        mapping: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = self.convert(key_node, depth + 1)
            if not isinstance(key.value, str):
                raise _Refused(key_node, "bad-key", f"expected a field name, found {_key_text(key)}",
                               "field names are words such as title or link")
            if key.value in mapping:
                first = mapping[key.value]
                raise _Refused(key_node, "duplicate-key",
                               f"expected each field once, found {key.value} again (first on line {first.key_line})",
                               "keep one of them")
            try:
                value = self.convert(value_node, depth + 1)
            except _Refused as refused:
                refused.inside(key.value, value_node)
                raise
            mapping[key.value] = Node(value.value, value.line, value.column, value.text, key.line, key.column)
        return Node(mapping, line, column)


def _scalar(node: yaml.ScalarNode) -> Any:
    """The YAML 1.2 core schema: only true/false are booleans; quoted scalars are text."""
    text = node.value
    # Only escapes ("\x85") make characters the file's text, already searched, did not have.
    bad = first_uncarriable(text) if node.style == '"' else None
    if bad:
        raise _Refused(node, "bad-character",
                       f"expected characters a feed can carry, found {character_name(bad.group())}",
                       f"{why_not(bad.group())}; remove the escape that makes it")
    if node.style not in ("", None):  # quoted or block: always text
        return text
    return plain_scalar(text)


def _key_text(key: Node) -> str:
    if isinstance(key.value, (list, dict)):
        return "a list" if isinstance(key.value, list) else "a mapping"
    return quote(key.text) if key.text else "nothing"
