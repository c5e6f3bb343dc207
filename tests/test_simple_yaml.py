"""The quick reader of simple entry files agrees with libyaml, or steps aside.

For any text, `read_simple` either returns None (libyaml reads the file) or exactly the
Node tree libyaml's reading gives: values, types, lines and columns.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from feeds.load import RawDocument, parse_document
from feeds.simple_yaml import read_simple

from .conftest import SEED

SAMPLES = sorted((Path(__file__).parent.parent / "items").rglob("*.yaml"))


def libyaml_reading(text: str) -> object:
    """libyaml's tree, or the problem it reports."""
    doc = parse_document(text.encode("utf-8"), "x.yaml", libyaml_only=True)
    return doc.root if isinstance(doc, RawDocument) else [(problem.code, problem.line, problem.column) for problem in doc]


def assert_agrees(text: str) -> None:
    quick = read_simple(text)
    if quick is not None:
        assert quick == libyaml_reading(text), text


# --- Generated documents: near the simple shape, with every character that could trip it ---

TRICKY = ":#,[]{}'\"-?!&*|>%@` \t\\"
scalar_text = st.text(alphabet=st.sampled_from([*TRICKY, "a", "b", "Z", "0", "1", ".", "é", "東", "_", "/"]),
                      min_size=0, max_size=12)
words = st.sampled_from(["null", "true", "False", "yes", "on", "~", "12", "-3", "1.5", "1e3", ".5", "0x1F",
                         "2020-02-20 16:40", "Middle East", "Çavuşoğlu", "a: b", "a #b", "a#b", "http://x.y/z",
                         "'q'", '"q"', "it's", "[x]", "{x}", "- x", "x:", "", " ", "東京", "a  b"])
plain_words = st.text(alphabet=st.sampled_from([*"abcZ019._/-:#' ", "é", "東"]), min_size=1, max_size=10).filter(
    lambda text: text[0] not in "-:#' ")
scalars = st.one_of(words, scalar_text, plain_words, plain_words)


def double_quoted(text: str) -> str:
    return '"' + text + '"'


def single_quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


ESCAPES = ['\\"', "\\\\", "\\n", "\\t", "\\/", "\\x41", "\\xe9", "\\x7f", "\\x0", "\\u00e9", "\\u6771",
           "\\ud800", "\\u2028", "\\ufffe", "\\U0001F600", "\\q", "\\ ", "\\0", "\\N", "\\"]
escaped = st.lists(st.one_of(scalar_text.filter(lambda text: '"' not in text and "\\" not in text),
                             st.sampled_from(ESCAPES)), min_size=1, max_size=5).map("".join).map(double_quoted)
one_line = st.one_of(scalars, scalars.map(double_quoted), scalars.map(single_quoted), escaped,
                     st.lists(st.one_of(scalars, scalars.map(double_quoted)), max_size=4).map(
                         lambda items: "[" + st_join(items) + "]"),
                     st.lists(st.tuples(st.sampled_from(["name", "email", "uri", "null", "a b"]),
                                        st.one_of(scalars, scalars.map(double_quoted))), max_size=3).map(
                         lambda pairs: "{" + st_join(f"{key}: {value}" for key, value in pairs) + "}"))
comments = st.sampled_from(["", "", " # note", "  #x", "#x", " #", "\t# tab"])
keys = st.sampled_from(["title", "link", "summary", "body", "categories", "author", "x-y", "_u", "null", "True",
                        "a b", "-k", "k ", "title"])
indents = st.sampled_from(["", " ", "  ", "    ", "\t"])


def st_join(values: object) -> str:
    return ", ".join(values)  # type: ignore[arg-type]


@st.composite
def field(draw: st.DrawFn, key: str | None = None) -> str:
    key = key or draw(keys)
    shape = draw(st.sampled_from(["line", "line", "empty", "list", "mapping", "block", "wrapped", "folded",
                                  "wrapped-quoted", "wrapped-single"]))
    if shape == "line":
        return f"{key}: {draw(one_line)}{draw(comments)}"
    if shape == "wrapped":  # a value over several lines, as yaml.dump and editors wrap long text
        lines = draw(st.lists(st.one_of(plain_words, scalars, st.sampled_from(["", " ", "# c", "- x", "a  #b"])),
                              min_size=2, max_size=5))
        extra = draw(st.lists(indents, min_size=len(lines), max_size=len(lines)))
        return f"{key}: {lines[0]}" + "".join(f"\n{indent}{line}" for line, indent in zip(lines[1:], extra[1:]))
    if shape == "wrapped-quoted":  # "text over lines", as a long double-quoted summary is wrapped
        lines = draw(st.lists(st.one_of(plain_words, scalar_text.filter(lambda text: '"' not in text),
                                        st.sampled_from(ESCAPES), st.sampled_from(["", " ", '"', "a \\"])),
                              min_size=2, max_size=5))
        extra = draw(st.lists(indents, min_size=len(lines), max_size=len(lines)))
        return f'{key}: "{lines[0]}' + "".join(f"\n{indent}{line}" for line, indent in zip(lines[1:], extra[1:])) + '"'
    if shape == "wrapped-single":  # 'text over lines', as yaml.dump wraps a long text that needs quotes
        lines = draw(st.lists(st.one_of(plain_words, scalar_text, st.sampled_from(["", " ", "'", "''", "it''s", "a: b"])),
                              min_size=2, max_size=5))
        extra = draw(st.lists(indents, min_size=len(lines), max_size=len(lines)))
        return f"{key}: '{lines[0]}" + "".join(f"\n{indent}{line}" for line, indent in zip(lines[1:], extra[1:])) + "'"
    if shape == "folded":  # a `>` block of words, as editors write a summary
        header = draw(st.sampled_from([">", ">-", ">", "> # c", ">+", ">2"]))
        lines = draw(st.lists(st.one_of(plain_words, scalar_text, st.sampled_from(["", "", " ", "   x", "\tx"])),
                              min_size=1, max_size=6))
        indent = draw(st.sampled_from(["  ", "  ", " ", "    "]))
        return f"{key}: {header}\n" + "\n".join(f"{indent}{line}" if line else line for line in lines)
    if shape == "empty":
        return f"{key}:{draw(comments)}"
    indent = draw(indents)
    if shape == "list":
        items = draw(st.lists(st.one_of(scalars, scalars.map(double_quoted)), min_size=1, max_size=3))
        return f"{key}:{draw(comments)}\n" + "\n".join(f"{indent}- {item}{draw(comments)}" for item in items)
    if shape == "mapping":
        pairs = draw(st.lists(st.tuples(st.sampled_from(["name", "email", "name", "true"]), one_line),
                              min_size=1, max_size=3))
        return f"{key}:\n" + "\n".join(f"{indent}{name}: {value}" for name, value in pairs)
    header = draw(st.sampled_from(["|", "|-", "|+", ">", "|2", "| # c"]))
    lines = draw(st.lists(st.one_of(scalar_text, st.sampled_from(["", " ", "   ", "\t"])), min_size=1, max_size=5))
    extra = draw(st.lists(indents, min_size=len(lines), max_size=len(lines)))
    return f"{key}: {header}\n" + "\n".join(f"{indent}{more}{line}" if line else line
                                             for line, more in zip(lines, extra))


documents = st.lists(st.one_of(field(), st.sampled_from(["", "# comment", "  ", "---", "  indented: x"])),
                     min_size=1, max_size=6).map("\n".join)
# Well-formed more often: distinct keys, no stray lines.
tidy_documents = st.lists(st.sampled_from(["title", "link", "summary", "body", "categories", "author", "id"]),
                          min_size=1, max_size=5, unique=True).flatmap(
    lambda names: st.tuples(*(field(name) for name in names))).map("\n".join)
endings = st.sampled_from(["\n", "", "\n\n", "\r\n"])
starts = st.sampled_from(["", "", "", "---\n", "--- \n", "---\n\n", "--- # c\n", "---\n---\n", "...\n", "---"])


@pytest.mark.slow
@settings(max_examples=int(os.environ.get("SIMPLE_YAML_EXAMPLES", "2000")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(documents, tidy_documents), endings, starts)
@example("title: a\nbody: |\n  x\n", "", "")
@example("body: |\n  one\n\n  two\n  \n", "", "")
@example("body: |\n  one\n  \tx: y\nz: 1\n", "", "")
@example("body: |\n  one\n    \n  two\n", "", "")
@example("body: |\n  one\n one: 1\n", "", "")
@example("title: a\nsummary: wrapped\n  over lines\n", "", "---\n")
@example("summary: 'spaces before\n  the closing quote  '", "\n", "")
@example('summary: "spaces before\n  the closing quote  "', "\n", "")
def test_quick_reading_agrees_with_libyaml_or_steps_aside(document: str, ending: str, start: str) -> None:
    text = start + document + ending
    if ending == "\r\n":
        text = text.replace("\n", "\r\n")
    assert_agrees(text)


# --- The shapes it exists for are read quickly, not handed on ---


@pytest.mark.parametrize("text", [
    SEED,
    "title: a\nlink: /a\npublished: 2020-02-20\nsummary: 'it''s'\n",
    "title: a  # why\ncategories:\n  - News\n  - \"Middle East\"\nauthor:\n  name: Desk\n  email: d@x.org\n",
    "categories:\n- News\n- Sport\ndraft: true\nmax: 12\n",
    "# A comment first\n\ntitle: \"Storm: ports close\"\nbody: |-\n  line one\n\n  line two\nempty:\n",
    "author: {name: Zoë Brontë, email: desk6@news.example.com}  # the desk\ncategories: []\n",
    'title: "Minister calls talks \\"useful\\" \\u2014 tab\\tescape"\n',
    "summary: The government said on Monday that talks would go on\n  despite the storm, officials said.\ntitle: x\n",
    "summary: >\n  Talks will go on,\n  officials said.\n\n  A second paragraph.\nbody: >-\n  folded\n",
    'summary: "Talks will go on, \\"officials\\" said,\n  on Monday."\n',
    "title: a\r\ncategories:\r\n- News\r\nsummary: wrapped\r\n  over lines\r\n",
    "---\ntitle: a\ncategories:\n  - News\nbody: |\n  text\n",
    "summary: 'Minister: talks will go on despite the storm of criticism from opposition\n"
    "  leaders, it''s said, across the region.'\ntitle: 'Analysis: why'\n",
], ids=["seed", "quoted", "nested", "indentless-list", "comment-block-empty", "flow-mapping", "escapes",
        "wrapped-plain", "folded", "wrapped-quoted", "crlf", "document-start", "wrapped-single-quoted"])
def test_common_entry_shapes_are_read_without_libyaml(text: str) -> None:
    assert read_simple(text) is not None
    assert_agrees(text)


@pytest.mark.parametrize("text", [
    'title: "a next line \\x85"\n',
    "title: one\n\n  continued after a blank line\n",
    "body: >\n  folded\n    more indented\n",
    'title: "quoted\n\n  over a blank line"\n',
    'title: "an escaped \\\n  line break"\n',
    "title: a\ntitle: b\n",
    "title: &a x\nlink: *a\n",
    "title: !!str x\n",
    "- a\n- b\n",
    "title: a\n---\ntitle: b\n",
    "---\ntitle: a\n---\ntitle: b\n",
    "%YAML 1.1\n---\ntitle: a\n",
    "body: |\n  no final line break",
    "title: [a, [b]]\n",
], ids=["uncarriable-escape", "continued-after-blank", "folded-more-indented", "quoted-over-blank-line",
        "escaped-line-break", "repeated", "alias", "tag", "not-a-mapping", "two-documents", "two-marked-documents",
        "directive",
        "no-final-break", "nested-flow"])
def test_anything_unusual_is_left_to_libyaml(text: str) -> None:
    assert read_simple(text) is None


@pytest.mark.parametrize("path", SAMPLES, ids=[path.name for path in SAMPLES])
def test_every_sample_entry_reads_the_same_either_way(path: Path) -> None:
    assert_agrees(path.read_text(encoding="utf-8-sig"))


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tidy_documents)
def test_blocks_read_as_written_differ_only_in_indentation(document: str) -> None:
    """What the parse of every file relies on to skip taking the indent off bodies it drops."""
    exact, as_written = read_simple(document + "\n"), read_simple(document + "\n", blocks_as_written=True)
    assert (exact is None) == (as_written is None)
    if exact is None:
        return
    for name, node in exact.value.items():
        other = as_written.value[name]
        assert other[1:] == node[1:] or other.value.split() == node.value.split()
        if other != node:
            assert other.value.strip() and node.value.strip()


def test_the_reader_can_be_imported_before_the_loader() -> None:
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", "import feeds.simple_yaml"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
