"""The libyaml path of the load stage, for the files the quick reader (simple_yaml) declines:
nodes composed by libyaml and turned into plain values, with limits that stop alias bombs
and runaway nesting, and the parser's complaints said in an editor's words. Imported only
when a file needs it: most builds read every file with the quick reader."""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import islice
from typing import Any

import yaml

from .characters import character_name, first_uncarriable, why_not
from .model import ENTRY_FIELDS, SITE_FIELDS, SITE_FILE, too_many_categories
from .problems import Problem, ProblemList, quote
from .yaml_node import MAX_FILE_VALUES, MAX_VALUES, Node, plain_scalar

MAX_DEPTH = 32

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _ComposeOnly(_BaseLoader):  # type: ignore[misc, valid-type]
    """Resolves no implicit tags: every plain scalar stays text until `_scalar` reads it."""

    yaml_implicit_resolvers: dict = {}


_ALLOWED_TAGS = {"tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}  # as YAML reads plain values
# One written out, after an anchor if any: `!!str` reads as text like any plain value, and is
# refused like every other tag (`! text`, the tag with no name, is _text_lost's to explain).
_WRITTEN_TAG = re.compile(r"(?:&\S+[ \t]+)?!(?:!|<)")
_TAG_AS_WRITTEN = re.compile(r"(?:&\S+[ \t]+)?(!<[^>\s]*>|![^\s,\]}]*)")


class _Refused(Exception):
    """Internal: a document breaks a limit; carries the problem to report."""

    def __init__(self, node: yaml.Node, code: str, message: str, hint: str = "") -> None:
        super().__init__(message)
        mark = node.start_mark
        self.where = (mark.line + 1, mark.column + 1)
        self.code, self.message, self.hint = code, message, hint
        self.field = ""
        self.past_field_limit = False  # too many values in the field (not in the file)
        self.in_list = False  # the field named is a list

    def inside(self, key: str, value: yaml.Node) -> None:
        """Name the field the problem is in, outermost first: author.name (two levels at most).

        Too many values is the whole field's fault (aliases share nodes), so name the field
        they are counted in, and point at its value.
        """
        self.field = f"{key}.{self.field.split('.')[0]}" if self.field and self.code != "too-many-values" else key
        if self.code == "too-many-values":
            self.where = (value.start_mark.line + 1, value.start_mark.column + 1)
            self.in_list = isinstance(value, yaml.SequenceNode)


def compose(text: str, problems: ProblemList, empty_hint: str) -> Node | Problem:
    """A document libyaml reads, as plain values; or the one problem that stops it
    (`empty_hint`: what to write in a file that holds no fields)."""
    try:
        root = yaml.compose(text, Loader=_ComposeOnly)
    except yaml.MarkedYAMLError as error:
        lines = [_spaced_after_key(line) for line in _LINE_BREAK.split(text)]
        if (closing := _closing_marker(error, lines)) is not None:
            return compose(text[:closing], problems, empty_hint)
        if (after := _story_after_fields(error, lines, problems.path)) is not None:
            return problems.refuse(*after)
        return problems.refuse(*(_pasted_break(error, text, lines) or _no_break_space(error, lines) or _surrogate_escape(error, lines)
                                 or _unknown_escape(error, lines) or _star_item(error, lines)
                                 or _editors_mistake(error, lines)
                                 or _unquoted_text(error, lines) or _misplaced_key(error, lines)
                                 or _block_mistake(error, lines) or _block_line_outdented(error, lines) or _item_outdented(error, lines)
                                 or _outdented_in_list(error, lines)
                                 or _line_without_colon(error, lines) or _unclosed_bracket(error, lines)
                                 or _colon_in_text(error, lines) or _yaml_error(error, problems.path, lines)))
    except yaml.YAMLError as error:
        return problems.refuse(1, 1, "", "malformed-yaml", f"malformed YAML: {error}", _CHECK_LINE)
    except RecursionError:
        return problems.refuse(1, 1, "", "too-deep", *_TOO_DEEP)
    if root is None:
        return problems.refuse(1, 1, "", "empty", "expected a mapping of fields, found an empty document",
                               empty_hint)
    try:
        return _Converter(text).convert(root)
    except _Refused as refused:
        return problems.refuse(*refused.where, refused.field, *_as_its_field_limits(refused, problems.path))


def _as_its_field_limits(refused: _Refused, path: str) -> tuple[str, str, str]:
    """The refusal's code, message and hint: an entry's list of categories past MAX_VALUES is
    past the categories' own limit, which it is told (`categories: [c0, ..., c9999]` was told
    "expected at most 10,000 values, found more", as if 9,999 would do)."""
    if (refused.past_field_limit and refused.in_list and refused.field == "categories"
            and path != SITE_FILE):
        return too_many_categories(f"{MAX_VALUES:,} or more")
    return refused.code, refused.message, refused.hint


_CHECK_LINE = "check the indentation and quoting on this line or the one above"
# What libyaml counts as a line break, so that its marks index these lines (U+0085 is
# refused before: a feed cannot carry it). Editors show U+2028 and U+2029 as nothing.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_PASTED_BREAKS = ("\u2028", "\u2029")
_CONTEXT_NOUN = re.compile(r"^while (?:scanning|parsing) (?:for )?(?:an? |the )?")  # "while parsing a block mapping"
_KEY_LINE = re.compile(r"( *)([A-Za-z_][A-Za-z0-9_-]*):( +)(\S(?:.*\S)?) *$")  # no lazy part: linear in a line of spaces
_MARKUP_STARTS = "@`%*&!"  # indicators a plain value cannot start with
_LIST_FIELDS = frozenset({"categories", "author", "authors", "exclude_categories", "formats", "hub", "feeds"})
_TOO_DEEP = (f"expected at most {MAX_DEPTH} levels of nesting, found more",
             "a field holds text, a list or a mapping, not lists within lists; flatten it")


_SPACE_AFTER_KEY = re.compile(r"[ ]*(?:-[ ]+)*[A-Za-z_][A-Za-z0-9_-]*:([ \t]+)")


def _spaced_after_key(line: str) -> str:
    """The line as the mistakes below are read in it: a tab after a field's colon (values
    lined up with tabs) is a space, as it is to YAML there, one column for one. Read with the
    tab, `title:<tab>@user says` was told libyaml's 'found character that cannot start any
    token', and `categories:<tab>[News, Sport]]` 'look at line 1, column 1'."""
    found = _SPACE_AFTER_KEY.match(line)
    if found is None or "\t" not in found.group(1):
        return line
    return line[:found.start(1)] + " " * len(found.group(1)) + line[found.end(1):]


def _closing_marker(error: yaml.MarkedYAMLError, lines: list[str]) -> int | None:
    """Where a `---` that closes the fields, with nothing after it, begins: Jekyll's front
    matter is written between two, and the second starts an empty document, not a story."""
    mark = error.problem_mark
    if mark is None or "another document" not in (error.problem or "") or lines[mark.line].rstrip() != "---":
        return None
    if any(line.strip() and not line.lstrip().startswith("#") for line in lines[mark.line + 1:]):
        return None
    return mark.index


_NO_BREAK_SPACES = "\u00a0\u2007\u202f"
_NO_BREAK_AFTER_KEY = re.compile(rf"[ ]*(?:-[ ]+)?[\w-]+:([{_NO_BREAK_SPACES}])")  # a field's name, a nested one too
_NO_BREAK_IN_INDENT = re.compile(rf"([ ]*)[{_NO_BREAK_SPACES}]")
_MOST_NO_BREAKS_TRIED = 10


def _no_break_space(error: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, int, str, str, str, str] | None:
    """A no-break space where YAML needs a plain one, after a field's colon or in an indent,
    that is the mistake: made a plain space, the parser gets further than it did. (In a
    block's or a quoted value's text it is text, and changes nothing.) Typed with
    Option-Space, or pasted from a word processor, it looks like a space and is not."""
    stopped = error.problem_mark or error.context_mark
    if stopped is None:
        return None
    candidates = ((number, found.start(1), "after the colon") if (found := _NO_BREAK_AFTER_KEY.match(line)) else
                  (number, found.end(1), "in the indent") if (found := _NO_BREAK_IN_INDENT.match(line)) else None
                  for number, line in enumerate(lines))
    for number, at, where in islice(filter(None, candidates), _MOST_NO_BREAKS_TRIED):
        if _gets_further(lines, number, at, (stopped.line, stopped.column)):
            return (number + 1, at + 1, "", "no-break-space",
                    f"malformed YAML: {character_name(lines[number][at])} {where}, where YAML needs a plain space",
                    "replace it with a space (a word processor, or Option-Space on a Mac, types it)")
    return None


def _gets_further(lines: list[str], number: int, at: int, stopped: tuple[int, int]) -> bool:
    """Whether the text, with the character at line `number`, column `at` made a plain space,
    reads whole, or stops later than at `stopped` (line, column: the space keeps every other)."""
    fixed = [*lines[:number], lines[number][:at] + " " + lines[number][at + 1:], *lines[number + 1:]]
    try:
        yaml.compose("\n".join(fixed), Loader=_ComposeOnly)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        return mark is not None and (mark.line, mark.column) > stopped
    except yaml.YAMLError:
        return False
    return True


def _story_after_fields(error: yaml.MarkedYAMLError, lines: list[str], path: str
                        ) -> tuple[int, int, str, str, str, str] | None:
    """The story written after a `---` that closes the fields, as Jekyll and Hugo keep
    Markdown after their front matter: feeds reads an entry's story from `body:`."""
    mark = error.problem_mark
    if (mark is None or "another document" not in (error.problem or "") or path == SITE_FILE
            or mark.line >= len(lines) or lines[mark.line].rstrip() != "---"):
        return None
    first = next((line for line in lines[mark.line + 1:] if line.strip() and not line.lstrip().startswith("#")), "")
    if not first or _FIELD_START.match(first):
        return None  # fields again: a second entry, which the general message covers
    return (mark.line + 1, mark.column + 1, "", "text-after-fields",
            "expected one YAML document, found text after the --- that closes the fields",
            "feeds reads an entry's story from its body field: remove the --- and put the text under body: |, "
            "each line indented by two spaces")


_FIELD_START = re.compile(r"[a-z_]+:(?:\s|$)")  # fields are lower case; "Note: …" opens a story


def _yaml_error(error: yaml.MarkedYAMLError, path: str, lines: list[str]) -> tuple[int, int, str, str, str, str]:
    """The parser's complaint as a problem in the file at `path`: where it stopped, what it
    found, how to fix it."""
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = error.problem or error.context or "it cannot be read"
    if "another document" in problem:
        if all(not text.strip() or text.lstrip().startswith(("#", "---")) for text in lines[:line - 1]):
            return (line, column, "", "many-documents",
                    "expected one YAML document, found an empty one first: --- is written twice at the start",
                    "delete one of the two --- lines")
        return (line, column, "", "many-documents", "expected one YAML document, found a second one (after ---)",
                f"{SITE_FILE} holds the site's settings once; merge the second into the first" if path == SITE_FILE
                else "an entry file holds one article; move the second into a file of its own")
    if "nesting depth" in problem:
        return (line, column, "", "too-deep", *_TOO_DEEP)
    hint = _CHECK_LINE
    if "mapping values are not allowed" in problem:
        hint = 'text with ": " in it must be quoted, such as title: "Update: talks resume"'
    elif error.context and error.context_mark and error.problem:
        where, what = error.context_mark, _CONTEXT_NOUN.sub("", error.context)
        hint = f"look at line {where.line + 1}, column {where.column + 1}, where the {what} begins"
    return (line, column, "", "malformed-yaml", f"malformed YAML: {problem}", hint)


def _pasted_break(error: yaml.MarkedYAMLError, text: str, lines: list[str]) -> tuple[int, int, str, str, str, str] | None:
    """A line separator (U+2028, U+2029) that came with pasted text and broke the line the
    parser stopped on: YAML reads it as a new line, which the editor does not show."""
    if not any(char in text for char in _PASTED_BREAKS):
        return None
    for mark in (error.context_mark, error.problem_mark):
        if mark is None or not 0 < mark.line < len(lines):
            continue
        ending = next(islice(_LINE_BREAK.finditer(text), mark.line - 1, None)).group()  # the break before the mark's line
        if ending in _PASTED_BREAKS:
            return (mark.line, len(lines[mark.line - 1]) + 1, "", "line-separator",
                    f"malformed YAML: {character_name(ending)} here starts a new line: YAML reads it as a line break",
                    "replace it with a space (it comes with text pasted from a word processor or a web page)")
    return None


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}(?:\\u[dD][c-fC-F][0-9a-fA-F]{2})?|\\u[dD][c-fC-F][0-9a-fA-F]{2}")


def _surrogate_escape(error: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, int, str, str, str, str] | None:
    """A character beyond U+FFFF escaped in two UTF-16 halves ("\\ud83d\\ude00"), as JSON
    writers do by default: YAML reads neither half."""
    mark = error.problem_mark
    if mark is None or "escape code" not in (error.problem or "") or mark.line >= len(lines):
        return None
    found = next((escape for escape in _SURROGATE_ESCAPE.finditer(lines[mark.line]) if escape.end() >= mark.column), None)
    if found is None:
        return None
    written = found.group()
    if len(written) < 12:
        return (mark.line + 1, found.start() + 1, "", "malformed-yaml",
                f"malformed YAML: {written} is half of a character (a lone UTF-16 surrogate), which no text can hold",
                "write the character itself")
    char = written.encode("ascii").decode("unicode-escape").encode("utf-16", "surrogatepass").decode("utf-16")
    return (mark.line + 1, found.start() + 1, "", "malformed-yaml",
            f"malformed YAML: {written} writes {char} in two UTF-16 halves, as JSON does; YAML reads only whole characters",
            f"write {char} itself, or \\U{ord(char):08X} (a JSON writer: turn off ASCII-only output, "
            "such as Python's json.dump(..., ensure_ascii=False))")


def _star_item(error: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, int, str, str, str, str] | None:
    """A list item written `* News`, as Markdown allows: YAML reads `*` as an alias."""
    mark = error.context_mark
    if mark is None or "alias" not in (error.context or "") or mark.line >= len(lines):
        return None
    line = lines[mark.line]
    if not line[mark.column:].startswith("* ") or line[:mark.column].strip():
        return None
    item = line[mark.column + 2:].strip()
    return (mark.line + 1, mark.column + 1, "", "star-list-item",
            "malformed YAML: a list item starts with * here, which YAML reads as an alias",
            f"start it with a hyphen, as - {item}" if item else "start it with a hyphen, as - News")


# An escape YAML knows in double quotes, or (group 1) a backslash and what follows it, which it does not.
_ESCAPE = re.compile(r'\\(?:[0abt\tnvfre "/\\N_LP]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})|(\\.?)')
_DOUBLE_QUOTED = re.compile(r'"((?:\\.|[^"\\])*)"')


def _unknown_escape(error: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, int, str, str, str, str] | None:
    """A backslash in double quotes that starts no escape (`"AC\\DC"`, a Windows path): the
    editor meant the backslash, which single quotes keep."""
    problem, opened = error.problem or "", error.context_mark
    if opened is None or not ("unknown escape" in problem or "hexadecimal" in problem or "hexdecimal" in problem):
        return None
    line = lines[opened.line] if opened.line < len(lines) else ""
    bad = next((found for found in _ESCAPE.finditer(line, opened.column + 1) if found.group(1)), None)
    if bad is None:
        return None
    hint = "to write a backslash, write it twice, or put the text in single quotes, which keep it"
    if (whole := _DOUBLE_QUOTED.match(line, opened.column)) is not None:
        key = line[:opened.column].strip()
        hint += ": " + (f"{key} " if key.endswith(":") else "") + single_quoted(whole.group(1))
    written = bad.group(1)
    what = (f"{written} starts a character's number in hexadecimal, and none follows" if written[1:] in ("x", "u", "U")
            else f"{written} is no escape")
    return (opened.line + 1, bad.start() + 1, "", "unknown-escape",
            f"malformed YAML: {what}: in double quotes a backslash starts an escape, such as \\n for a new line", hint)


_EXTRA_CLOSING = re.compile(r"(\[[^\[\]]*\]|\{[^{}]*\})\s*([\]}]+)\s*(?:#.*)?")  # [News, Sport]]: one too many


def _unquoted_text(error: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, int, str, str, str, str] | None:
    """Text that starts as YAML markup does (@user, *Live*, [Live] updates, "50%" rise): it
    must be quoted whole. None for anything else."""
    mark = error.problem_mark
    if mark is None or mark.line >= len(lines) or not (found := _KEY_LINE.match(lines[mark.line])):
        return None
    key, value = found.group(2), found.group(4)
    column = found.end(3)  # the value's, 0-based
    first = value[0]
    problem = error.problem or ""
    if value[:2] in ("- ", "? ") and mark.column == column:  # a list item, a mapping's key, on the field's line
        if first == "-" and key in _LIST_FIELDS:
            return (mark.line + 1, column + 1, key, "list-item-on-field-line",
                    f"malformed YAML: the list item {quote(value, 40)} is on the line of {key}:",
                    f"write {key}: [{_shortened(value[2:].strip())}], or each item on a line of its own below {key}:")
        message = (f"malformed YAML: text that starts with {value[:2]!r} must be quoted: YAML reads it as "
                   f"{'a list item' if first == '-' else 'the key of a mapping'}")
    elif first in _MARKUP_STARTS and mark.column <= column + len(value):
        message = f"malformed YAML: text that starts with {first} must be quoted: YAML reads {first} as markup"
    elif first in "[{" and "expected key" in problem and (extra := _EXTRA_CLOSING.fullmatch(value)) is not None:
        return (mark.line + 1, column + extra.start(2) + 1, key, "extra-bracket",
                f"malformed YAML: {_brackets(extra.group(2))} after the {'list' if first == '[' else 'mapping'} closes nothing",
                f"remove it: {key}: {_shortened(extra.group(1))}")
    elif first in "[{'\"" and "expected key" in problem and mark.column > column + 1:
        message = (f"malformed YAML: {quote(value)} must be quoted whole: YAML takes what the "
                   f"{'brackets' if first in '[{' else 'quotes'} enclose as the value, and cannot read what follows")
    else:
        return None
    written = double_quoted(value) if '"' not in value and "\\" not in value else single_quoted(value)
    return (mark.line + 1, column + 1, key, "unquoted-text", message, f"put it in quotes: {key}: {_shortened(written)}")


def _misplaced_key(error: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, int, str, str, str, str] | None:
    """A field name run into its value (title:Storm) or indented under the field before it:
    the parser stops on a later line, or speaks of a simple key. None for anything else."""
    problem, mark = error.problem or "", error.problem_mark
    if "could not find expected ':'" in problem and error.context_mark is not None:
        run_in_line = error.context_mark.line  # where the "simple key" (the run-in line) begins
    elif "mapping values are not allowed" in problem and mark is not None:
        run_in_line = mark.line - 1
    else:
        return None
    if 0 <= run_in_line < len(lines):
        run_in = re.match(r"([A-Za-z_][A-Za-z0-9_-]*):(?=[^\s:/])", lines[run_in_line])
        if run_in is not None:
            key = run_in.group(1)
            return (run_in_line + 1, len(key) + 2, key, "no-space-after-colon",
                    f"malformed YAML: no space after the colon of {key}:",
                    f"write a space after it: {key}: {_shortened(lines[run_in_line][len(key) + 1:].strip())}")
    if mark is None or not 0 < mark.line < len(lines) or "mapping values" not in problem:
        return None
    before, indented = lines[mark.line - 1], _KEY_LINE.match(lines[mark.line])
    if indented is not None and indented.group(1) and (field := _KEY_LINE.match(before)) and not before.startswith(" "):
        key = indented.group(2)
        if key not in ENTRY_FIELDS and key not in SITE_FIELDS:  # text wrapped onto a line that holds ": "
            above = field.group(2)
            return (mark.line + 1, indented.end(2) + 1, above, "colon-in-wrapped-text",
                    f"malformed YAML: the line {quote(lines[mark.line].strip(), 40)} goes on from {above}, and its "
                    f'"{key}: " reads as a field',
                    f"write {above}: > and its text on the lines below, each indented by two spaces")
        return (mark.line + 1, 1, key, "indented-field",
                f"malformed YAML: the field {key} is indented, so YAML reads it as part of the line above",
                f"start it at the beginning of the line: {key}: {_shortened(indented.group(4))}")
    above = _FIELD_IN_LIST.match(before)
    if indented is not None and above is not None and len(indented.group(1)) > len(above.group(1)):
        key, width = indented.group(2), len(above.group(1))
        return (mark.line + 1, 1, key, "indented-field",
                f"malformed YAML: the field {key} is indented more than the field above it, so YAML reads it "
                "as part of that field's value", f"indent it by {width} spaces, as {above.group(2)}: above it")
    return None


# `  - name: sport`, `    title: Sport`: spaces, then each dash with the spaces after it, each space
# read one way only; read as `(?: *- +)* *`, a space after a dash could start the next dash's
# spaces too, and a line of 26 `-  ` that ends in no field held check 19 s, twice that for each more.
_FIELD_IN_LIST = re.compile(r"( *(?:- +)*)([A-Za-z_][A-Za-z0-9_-]*): +[^\s#]")
_ITEM_FIELD_NAME = re.compile(r"( *(?:- +)*)([A-Za-z_][A-Za-z0-9_-]*):")  # as _FIELD_IN_LIST, its value yet to come
_FIELD_NAME = re.compile(r"( *)([A-Za-z_][A-Za-z0-9_-]*):")  # a field's indentation and name


def _outdented_in_list(error: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, int, str, str, str, str] | None:
    """A field of a list item indented less than the field above it (`  - name: sport` then
    `  categories: [Sport]`): the parser expected another `- ` there. None for anything else."""
    mark = error.problem_mark
    if mark is None or "expected '-' indicator" not in (error.problem or "") or not 0 < mark.line < len(lines):
        return None
    field = _FIELD_NAME.match(lines[mark.line])
    above = next((lines[number] for number in range(mark.line - 1, -1, -1) if lines[number].strip()), "")
    in_list = _ITEM_FIELD_NAME.match(above)
    if field is None or in_list is None or "-" not in in_list.group(1) and not above.startswith(" "):
        return None
    if len(field.group(1)) >= len(in_list.group(1)):
        return None
    key, width = field.group(2), len(in_list.group(1))
    return (mark.line + 1, 1, key, "outdented-field",
            f"malformed YAML: the field {key} is indented less than the field above it, so YAML reads it as no part "
            "of that list item", f"indent it by {width} spaces, as {in_list.group(2)}: above it")


def _item_outdented(error: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, int, str, str, str, str] | None:
    """A list item indented less than the item above it, yet more than its field (`  - News`
    then ` - Sport`): YAML ends the list above it, and reads the line as no field. None for
    anything else."""
    mark = error.problem_mark
    if mark is None or "expected key" not in (error.problem or "") or not 0 < mark.line < len(lines):
        return None
    item = re.match(r"( +)- ", lines[mark.line])
    above = next((lines[number] for number in range(mark.line - 1, -1, -1) if lines[number].strip()), "")
    above_item = re.match(r"( *)- ", above)
    if item is None or above_item is None or len(item.group(1)) >= len(above_item.group(1)):
        return None
    width = len(above_item.group(1))
    return (mark.line + 1, len(item.group(1)) + 1, "", "outdented-item",
            "malformed YAML: a list item indented less than the item above it, so YAML reads it as no part of that list",
            f"indent it by {width} spaces, as the item above it")


def _block_line_outdented(error: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, int, str, str, str, str] | None:
    """A line of a `|` or `>` block indented less than the block's first line (yet more than
    its field): YAML ends the block above it, and the line is no field. None for anything else."""
    mark = error.problem_mark
    if mark is None or "expected key" not in (error.problem or "") or not 0 < mark.line < len(lines):
        return None
    indent = len(lines[mark.line]) - len(lines[mark.line].lstrip(" "))
    for number in range(mark.line - 1, -1, -1):
        line = lines[number]
        if not line.strip():
            continue
        header = _BLOCK_HEADER_LINE.match(line)
        if header is not None and len(header.group(1)) < indent:
            text = [row for row in lines[number + 1:mark.line] if row.strip()]
            wanted = min((len(row) - len(row.lstrip(" ")) for row in text), default=0)
            if indent >= wanted:
                return None
            key = header.group(2)
            return (mark.line + 1, indent + 1, key, "block-outdented",
                    f"malformed YAML: a line of {key}: {header.group(3)} indented less than the lines above it",
                    f"indent it by {wanted} spaces, as the rest of the text of {key}")
        if len(line) - len(line.lstrip(" ")) <= indent:
            return None
    return None


def _line_without_colon(error: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, int, str, str, str, str] | None:
    """A line of a mapping with no colon: a field name without one (`summary Ports shut`),
    or text meant to go on from the value above. The parser stops on the line after it, or
    at the next field's colon. None for anything else."""
    problem, mark = error.problem or "", error.problem_mark
    if "could not find expected ':'" in problem and error.context_mark is not None:
        number = error.context_mark.line
    elif "mapping values are not allowed" in problem and mark is not None and _KEY_LINE.match(lines[mark.line]):
        number = next((above for above in range(mark.line - 1, -1, -1) if lines[above].strip()), -1)
    else:
        return None
    if not 0 <= number < len(lines) or ":" in lines[number] or not lines[number].strip():
        return None
    line = lines[number]
    indent = len(line) - len(line.lstrip(" "))
    above = next((lines[before] for before in range(number - 1, -1, -1) if lines[before].strip()), "")
    if re.match(rf" {{{indent}}}- ", above):  # `  - News` then `  Sport`
        return (number + 1, indent + 1, "", "no-dash", "malformed YAML: a line with no dash in a list",
                f"write it as a list item: - {_shortened(line.strip())}")
    word, _, rest = line.strip().partition(" ")
    goes_on = _KEY_LINE.match(above) and not _BLOCK_HEADER_LINE.match(above)  # text that may have been meant to go on
    if goes_on and word not in ENTRY_FIELDS and word not in SITE_FIELDS:  # `the talks would resume`: the text wrapped
        return (number + 1, indent + 1, "", "no-colon", "malformed YAML: a line with no colon, where YAML expected a field",
                "if it goes on from the text above, indent it by two spaces")
    fixes = [f"put a colon after the field's name, such as {word}: {_shortened(rest)}"
             if rest and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", word) else "write it as name: text"]
    if goes_on:
        fixes.append("or, if it goes on from the text above, indent it by two spaces")
    return (number + 1, indent + 1, "", "no-colon", "malformed YAML: a line with no colon, where YAML expected a field",
            "; ".join(fixes))


def _unclosed_bracket(error: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, int, str, str, str, str] | None:
    """A [ or { never closed on its line (`categories: [News, Sport`, or `[` at the end of the
    file), or whose closing YAML reads as part of a comment (`[News #1, Sport]`): the parser
    stops at the next line, or at the end, which it reads as more of the list. None for
    anything else."""
    problem = error.problem or ""
    if "flow" not in (error.context or "") or not ("expected ','" in problem or "expected node content" in problem):
        return None
    mark = error.context_mark
    number = mark.line if mark is not None and mark.line < len(lines) and lines[mark.line].strip() else next(
        (above for above in range(min(len(lines), error.problem_mark.line if error.problem_mark else len(lines)) - 1, -1, -1)
         if lines[above].strip()), -1)
    if number < 0:
        return None
    line = lines[number]
    opened, comment = _open_brackets(line)
    if not opened:
        return None
    column, opening = opened[0]
    closing = "".join({"[": "]", "{": "}"}[bracket] for _, bracket in reversed(opened))
    if comment is not None and closing[-1] in line[comment:]:
        key = found.group(2) if (found := _KEY_LINE.match(line)) else "categories"
        mended = _hashtags_quoted(line[column:]) if opening == "[" else None
        return (number + 1, column + 1, "", "unclosed-bracket",
                f"malformed YAML: the {opening} opened here is never closed: YAML reads the rest of the line, from "
                f"{quote(line[comment:].strip(), 40)}, as a comment",
                f"put each name with a # in quotes: {key}: {mended}" if mended
                else f"put each name with a # in quotes, such as {key}: [News, \"#1 seed\"]")
    if line[:comment].rstrip().endswith(","):  # a list over several lines: it ends after its last item
        return (number + 1, column + 1, "", "unclosed-bracket",
                f"malformed YAML: the {opening} opened here is never closed",
                f"close it with {closing} after the last item of the list")
    return (number + 1, column + 1, "", "unclosed-bracket",
            f"malformed YAML: the {opening} opened here is never closed",
            f"close it at the end of the line: {_shortened(line[:comment].strip() + closing)}")


def _hashtags_quoted(written: str) -> str | None:
    """The one-line list `written` (`[#News, Sport]`) with each item holding a # in double
    quotes, if YAML reads that back as the names typed: the desk's own list, ready to paste.
    Spaces after it, or a note (`[#News, Sport]  # desk`), are no part of it: with them, the
    fix was the example `[News, "#1 seed"]`, which done as told filed the story under both."""
    end = written.rfind("]")
    after = written[end + 1:]
    if not after.strip() or (after[:1] in " \t" and after.lstrip().startswith("#")):
        written = written[:end + 1]
    if not (written.startswith("[") and written.endswith("]")):
        return None
    names = [name.strip() for name in written[1:-1].split(",")]
    if any(bracket in name for name in names for bracket in "[]{}"):
        return None
    mended = "[" + ", ".join(double_quoted(name) if "#" in name and name[0] not in "\"'" else name
                             for name in names) + "]"
    try:
        read = yaml.safe_load(mended)
    except yaml.YAMLError:
        return None
    return mended if read == [name.strip("\"'") for name in names] else None


def _open_brackets(line: str) -> tuple[list[tuple[int, str]], int | None]:
    """The [ and { a line leaves open (column, bracket), outermost first, and where a comment
    starts on it (a # outside quotes after a space, or, as libyaml reads it, right after
    [, { or a comma: `[#News, Sport]`), if one does."""
    opened: list[tuple[int, str]] = []
    quoted = ""
    for column, char in enumerate(line):
        if quoted:
            quoted = "" if char == quoted else quoted
        elif char in "\"'" and (column == 0 or line[column - 1] in " \t[{,:"):
            quoted = char
        elif char == "#" and (column == 0 or line[column - 1] in " \t[{,"):
            return opened, column
        elif char in "[{":
            opened.append((column, char))
        elif char in "]}" and opened:
            opened.pop()
    return opened, None


def _colon_in_text(error: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, int, str, str, str, str] | None:
    """A plain value with ": " in it (`summary: He said: "we will rebuild"`): quoted whole, it
    is text. None for anything else."""
    mark = error.problem_mark
    if mark is None or "mapping values are not allowed" not in (error.problem or "") or mark.line >= len(lines):
        return None
    found = _KEY_LINE.match(lines[mark.line])
    if found is None or mark.column <= found.end(3):
        return None
    key, value = found.group(2), found.group(4)
    hint = f"put it in quotes: {key}: {_shortened(_quoted(value))}"
    if len(value) > 2 and (value[0], value[-1]) in (("“", "”"), ("‘", "’")):  # autocorrect's quotes: text to YAML
        hint += f" (or, if the curly quotes were meant as quotes for YAML, {key}: {_shortened(_quoted(value[1:-1]))})"
    return (mark.line + 1, mark.column + 1, key, "colon-in-text", 'malformed YAML: text with ": " in it must be quoted',
            hint)


def _quoted(value: str) -> str:
    """The value quoted as YAML reads it back: in double quotes, or single where those would need escapes."""
    return double_quoted(value) if '"' not in value and "\\" not in value else single_quoted(value)


def _brackets(closing: str) -> str:
    """A run of closing brackets as a message shows it: a long one by its count, so that a
    line of 40,000 `]` after a list is still one readable line."""
    return closing if len(closing) <= 10 else f"{closing[:3]}… ({len(closing):,} closing brackets)"


def _shortened(value: str, limit: int = 120) -> str:
    """A value shown in a fix, cut short so that a problem stays one readable line."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _block_mistake(error: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, int, str, str, str, str] | None:
    """A `|` or `>` block written as one would write plain text: its text on the same line
    as the `|`, or its lines not indented under the field. None for anything else."""
    context, mark = error.context or "", error.context_mark
    if "block scalar" in context and mark is not None and mark.line < len(lines):
        header = _BLOCK_FIELD.match(lines[mark.line])
        if header is not None:
            key, rest = header.group(2), lines[mark.line][header.end(2) + 1:].strip()
            return (mark.line + 1, mark.column + 1, key, "block-text-inline",
                    f"malformed YAML: text after the {rest[0]} of a block, which starts its text on the next line",
                    f"put the text on the lines below, indented, or quote it: {key}: {double_quoted(rest)}")
    if "simple key" not in context or mark is None or not 0 < mark.line < len(lines):
        return None
    above = next((number for number in range(mark.line - 1, -1, -1) if lines[number].strip()), None)
    header = _BLOCK_HEADER_LINE.match(lines[above]) if above is not None else None
    if header is None or len(lines[mark.line]) - len(lines[mark.line].lstrip(" ")) > len(header.group(1)):
        return None
    key = header.group(2)
    return (mark.line + 1, mark.column + 1, key, "block-not-indented",
            f"malformed YAML: the text of {key}: {header.group(3)} is not indented under it",
            f"indent each of its lines by two spaces more than {key}:")


_BLOCK_FIELD = re.compile(r"( *)([A-Za-z_][A-Za-z0-9_-]*): +[|>]")
_BLOCK_HEADER_LINE = re.compile(r"( *)([A-Za-z_][A-Za-z0-9_-]*): +([|>][-+]?) *(?:#.*)?$")


def _stops_at_tab(error: yaml.MarkedYAMLError, lines: list[str]) -> bool:
    """libyaml says "found character that cannot start any token" and names no character:
    whether the one it stopped at is a tab."""
    mark = error.problem_mark
    return (mark is not None and "cannot start any token" in (error.problem or "") and mark.line < len(lines)
            and lines[mark.line][mark.column:mark.column + 1] == "\t")


def _editors_mistake(error: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, int, str, str, str, str] | None:
    """The mistakes people really make, said in their words at the line where they made them
    (the parser stops later, and speaks of tokens): a tab in the indentation, a quote mark
    inside quotes, a quote never closed. None for anything else."""
    problem, context = error.problem or "", error.context or ""
    if "tab" in problem or "'\\t'" in problem or _stops_at_tab(error, lines):
        tabbed = [number for number, line in enumerate(lines) if "\t" in line[: len(line) - len(line.lstrip())]]
        if tabbed and error.problem_mark is not None:
            stopped_line = error.problem_mark.line
            number = min(tabbed, key=lambda tabbed_line: (abs(tabbed_line - stopped_line), tabbed_line))
            return (number + 1, lines[number].index("\t") + 1, "", "tab-indent",
                    "malformed YAML: a tab in the indentation", "YAML indents with spaces; replace the tab with spaces")
    if ("quoted scalar" in context and "end of stream" in problem and error.context_mark is not None
            and error.context_mark.line < len(lines)):
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
    opened = _OPENING_QUOTE.match(line)
    if closing not in "'\"" or (opened is not None and opened.group(1) != closing):
        return None
    if opened is None or opened.start(1) == where.column - 1:  # the quote that ended the text is no quote of its own
        left_open = _left_open(lines, where.line, closing)
        if left_open is None:
            return None
        return (left_open[0] + 1, left_open[1] + 1, "", "unclosed-quote",
                f"malformed YAML: the quote {closing} opened here is not closed on its line, and YAML read on to "
                f"the quote on line {where.line + 1}",
                f"add the closing quote at the end of the text, such as {closing}Storm closes ports{closing}")
    if opened.end() > where.column - 1:
        return None
    value = line[opened.start(1):].rstrip()
    if closing == "'":
        inner = value[1:-1] if value.endswith("'") else value[1:]
        return (where.line + 1, where.column, "", "quote-in-quotes",
                f"malformed YAML: the apostrophe in {value} ends the quoted text early",
                "inside single quotes write an apostrophe twice, such as " + single_quoted(inner)
                + ", or use double quotes: " + double_quoted(inner))
    inner = value[1:-1] if value.endswith('"') else value[1:]
    return (where.line + 1, where.column, "", "quote-in-quotes",
            f"malformed YAML: the quote mark in {value} ends the quoted text early",
            "inside double quotes write a quote mark as \\\", such as " + double_quoted(inner)
            + ", or put single quotes around the text: " + single_quoted(inner))


_OPENING_QUOTE = re.compile(r"\s*(?:-\s+)?(?:[^\s:'\"][^:]*:\s+)?(['\"])")  # a value's (or list item's) first quote


def _left_open(lines: list[str], before: int, quote: str) -> tuple[int, int] | None:
    """(line, column) of the nearest value above line `before` opened with `quote` and not
    closed on its own line (inside double quotes \\" is no end; inside single ones '' is none)."""
    for number in range(before - 1, -1, -1):
        opened = _OPENING_QUOTE.match(lines[number])
        if opened is None or opened.group(1) != quote:
            continue
        rest = lines[number][opened.end():]
        rest = rest.replace("\\\\", "").replace('\\"', "") if quote == '"' else rest.replace("''", "")
        if quote not in rest:
            return number, opened.start(1)
    return None


def single_quoted(text: str) -> str:
    """The text as YAML reads it back in single quotes: an apostrophe written twice."""
    return "'" + text.replace("'", "''") + "'"


def double_quoted(text: str) -> str:
    """The text as YAML reads it back in double quotes: backslash and quote mark escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _Converter:
    """Turns composed nodes into plain values, counting as it goes so aliases cannot explode,
    and refusing plain text YAML would publish cut short (see _text_lost)."""

    def __init__(self, text: str) -> None:
        self.count = 0  # values in the file (a key is no value: each has one)
        self.in_field = 0  # values in the field being read, which a refusal names
        self.text = text
        self._aliases: frozenset[str] | None = None
        # The nodes whose tag and text were looked at (and as a key or not): an anchor's node is
        # visited once for each alias, and each look reads the anchor's name (5,000 aliases of a
        # node under a 500 KB name took 30 s).
        self._passed: set[tuple[int, bool]] = set()

    def aliases(self) -> frozenset[str]:
        """The names the document's aliases (`*name`) repeat: read once, however many anchors
        ask (a search of the file for each took a minute over a file of them)."""
        if self._aliases is None:
            self._aliases = frozenset(_ALIAS.findall(self.text))
        return self._aliases

    def too_many(self, node: yaml.Node) -> _Refused:
        """Too many values in the field the refusal names (the whole file counted once made
        2,400 named feeds too many for `feeds:`), or in the file."""
        where = "" if self.in_field > MAX_VALUES else " in the file"
        most = MAX_VALUES if self.in_field > MAX_VALUES else MAX_FILE_VALUES
        refused = _Refused(node, "too-many-values", f"expected at most {most:,} values{where}, found more",
                           "an entry or a site.yaml needs a few dozen" + (
                               "; aliases (*name) that repeat each other multiply them" if self.aliases() else ""))
        refused.past_field_limit = self.in_field > MAX_VALUES
        return refused

    def tag_as_written(self, node: yaml.Node) -> str:
        """`!<tag:yaml.org,2002:str>` as the file spells it, not as the `!!str` it means."""
        written = _TAG_AS_WRITTEN.match(self.text, node.start_mark.index)
        return written.group(1) if written else node.tag.replace("tag:yaml.org,2002:", "!!")

    def convert(self, node: yaml.Node, depth: int = 0, field: str | None = "") -> Node:
        """`field`: the one whose value `node` is, named in the quoting a hint suggests; None
        for a key, which is no text a reader sees."""
        self.count += field is not None
        self.in_field += field is not None
        if self.in_field > MAX_VALUES or self.count > MAX_FILE_VALUES:
            raise self.too_many(node)
        if depth > MAX_DEPTH:
            raise _Refused(node, "too-deep", *_TOO_DEEP)
        if (id(node), field is None) not in self._passed:  # an alias repeats a node: it is looked at once
            if node.tag not in _ALLOWED_TAGS or _WRITTEN_TAG.match(self.text, node.start_mark.index):
                raise _Refused(node, "tag", f"expected plain YAML, found the tag {self.tag_as_written(node)}",
                               "tags are not allowed; remove it, and quote the value if it is text")
            if isinstance(node, yaml.ScalarNode) and node.style in ("", None) and field is not None:
                _text_lost(node, self.text, field, self.aliases)
            self._passed.add((id(node), field is None))
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        if isinstance(node, yaml.ScalarNode):
            return Node(_scalar(node), line, column, text=node.value)
        if isinstance(node, yaml.SequenceNode):
            for item in node.value:
                _item_run_on(item, self.text)
            return Node([self.convert(item, depth + 1) for item in node.value], line, column)
        mapping: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = self.convert(key_node, depth + 1, None)
            if not isinstance(key.value, str) and isinstance(key_node, yaml.ScalarNode) and key.text:
                key = Node(key.text, key.line, key.column, key.text)  # 2024: or yes: names what was typed, as values do
            if not isinstance(key.value, str):
                raise _Refused(key_node, "bad-key", f"expected a field name, found {_key_text(key)}",
                               "field names are words such as title or link")
            if key.value in mapping:
                first = mapping[key.value]
                raise _Refused(key_node, "duplicate-key",
                               f"expected each field once, found {key.value} again (first on line {first.key_line})",
                               "keep one of them")
            if not depth:
                self.in_field = 0
            try:
                value = self.convert(value_node, depth + 1, key.value)
            except _Refused as refused:
                refused.inside(key.value, value_node)
                raise
            mapping[key.value] = Node(value.value, value.line, value.column, value.text, key.line, key.column)
        return Node(mapping, line, column)


def _item_run_on(item: yaml.Node, text: str) -> None:
    """Refuse a list item that runs on into a line starting with "- " (`- News` then `  - Sport`,
    indented under it): YAML reads that line as more of the item's text ("News - Sport").
    (The quick reader takes no list item over two lines, so this is the one place it is seen.)"""
    if not isinstance(item, yaml.ScalarNode) or item.style not in ("", None) or item.start_mark.line == item.end_mark.line:
        return
    written = text[item.start_mark.index:item.end_mark.index]
    dash = _RUN_ON_ITEM.search(written)
    if dash is not None:
        refused = _Refused(item, "item-runs-on", "expected one list item a line, found a dash indented under the "
                           f"item above, which YAML reads as more of its text: {quote(' '.join(item.value.split()))}",
                           "start each item at the same indentation, the dash first: - News, then - Sport below it")
        refused.where = (item.start_mark.line + 1 + written.count("\n", 0, dash.start(1)), dash.start(1)
                         - written.rfind("\n", 0, dash.start(1)))
        raise refused


_RUN_ON_ITEM = re.compile(r"\n[ ]*(-)[ ]")


def _text_lost(node: yaml.ScalarNode, text: str, field: str, aliases: Callable[[], frozenset[str]]) -> None:
    """Refuse a plain value YAML reads short of what the editor typed: one cut by a comment
    that looks like a hashtag (`Fans cheer as #1 seed wins`), or one after an anchor or a
    `!` (`&pizza opens`, `! Breaking`), which YAML takes for a name or a type and drops.
    A comment written as one (`# note`, with its space) is left alone."""
    start, end = node.start_mark.index, node.end_mark.index
    line_end = text.find("\n", end)
    rest = text[end:] if line_end < 0 else text[end:line_end]
    if start == end:  # no value at all: the fields say so, with what to write, unless a hashtag is all it is
        _hashtag_read_as_nothing(node, rest, field)
        return
    cut, line, column = _HASHTAG_COMMENT.match(rest), node.end_mark.line, node.end_mark.column
    following = text[line_end + 1:].split("\n", 1)[0] if cut is None and line_end >= 0 else ""
    next_line = _HASHTAG_COMMENT.match(following)
    if next_line and next_line.start(1) > _indent_of_line(text, start):  # indented as a line of the value would be
        cut, line, column, rest = next_line, line + 1, 0, following
    if cut and not _is_prose(node.value):  # `draft: false #ready`, `published: 2020-02-20 16:40 #utc`: a note
        cut = None
    dropped = text[start:start + 1] in ("&", "!") and node.tag == "tag:yaml.org,2002:str" and not text.startswith(
        "!!", start)
    if not (cut or dropped):  # nearly every value: nothing more to look at
        return
    typed = " ".join((text[start:end] + " " + rest).split())
    quoted = f"{field}: {double_quoted(typed)}" if field else double_quoted(typed)
    if cut:
        refused = _Refused(node, "comment-cut", f"expected the whole text, found {quote(cut.group(1).strip())} read "
                           f"as a comment: YAML ends a value at \" #\", so only {quote(' '.join(node.value.split()))} "
                           f"would be published", f"put the whole text in quotes: {quoted}")
        refused.where = (line + 1, column + cut.start(1) + 1)
        raise refused
    if dropped:
        # The value alone: the rest of its line is the list's in a [list] (`[&x News, Sport]` was
        # told to quote "&x News , Sport]", which broke the list, and 50,000 such items 539 KB).
        written = " ".join(text[start:end].split())
        name = written.split()[0]
        if name[0] == "&" and name[1:] in aliases():
            return  # an anchor some alias repeats: YAML as it is meant
        kind = "an anchor" if text[start] == "&" else "a tag"
        raise _Refused(node, "text-dropped", f"expected text, found {kind} {quote(name)} before "
                       f"{quote(node.value)}, which YAML reads as {'a name' if kind == 'an anchor' else 'a type'} "
                       "and leaves out", "put the whole text in quotes: "
                       + (f"{field}: {double_quoted(written)}" if field else double_quoted(written)))


def _hashtag_read_as_nothing(node: yaml.ScalarNode, rest: str, field: str) -> None:
    """Refuse a value that is a hashtag (`categories: #News`, or a list item `- #News`, whose
    `field` is ""): YAML reads it as a comment, so the field holds nothing, and "found nothing"
    left the editor looking at the #News they typed."""
    cut = _HASHTAG_COMMENT.match(rest)
    if cut is None:
        return
    typed = cut.group(1).strip()
    holder, written = ("the field", f"{field}: ") if field else ("the list item", "- ")
    refused = _Refused(node, "comment-cut", f"expected a value, found {quote(typed)} read as a comment: YAML "
                       f"reads \" #\" as the start of one, so {holder} would hold nothing",
                       f"put it in quotes: {written}{double_quoted(typed)}")
    refused.where = (node.end_mark.line + 1, node.end_mark.column + cut.start(1) + 1)
    raise refused


def _indent_of_line(text: str, index: int) -> int:
    """The spaces that start the line `index` is on: a plain value's next lines are indented more."""
    start = text.rfind("\n", 0, index) + 1
    return len(text[start:index]) - len(text[start:index].lstrip(" \t"))


def _is_prose(value: str) -> bool:
    """Text a reader would read, whose end a comment could have cut: not a number, a true or
    false, a date or a time, a URL or a path (none of which a comment after it shortens)."""
    return isinstance(plain_scalar(value), str) and not _NOT_PROSE.match(value)


_NOT_PROSE = re.compile(r"\d{4}-\d\d-\d\d|[A-Za-z][A-Za-z0-9+.-]*://|/\S*\Z|\S+@\S+\Z")
# " #1 seed wins", after a value or starting its next line: '#' then no space, unlike "  # a note"
_HASHTAG_COMMENT = re.compile(r"[ \t]+(#\S.*)")
_ALIAS = re.compile(r"(?<![^\s,\[{])\*([^\s,\[\]{}]+)")  # `*name` where YAML reads one: after a space, [, { or ,


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
