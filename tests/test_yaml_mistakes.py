"""The YAML mistakes editors really make, said in their words, at the line of the mistake."""

from __future__ import annotations

import pytest

from feeds.cli import main

ENTRY = "items/t7.yaml"


def check_line(make_site, capsys, text: str) -> str:
    root = make_site({ENTRY: text})
    assert main(["check", str(root)]) == 1
    return capsys.readouterr().err.splitlines()[0]


def test_an_apostrophe_inside_single_quotes_says_write_it_twice_or_use_double_quotes(make_site, capsys):
    text = "link: /a\npublished: 2020-02-20\ntitle: 'It's a storm'\nsummary: Ports shut.\n"
    assert check_line(make_site, capsys, text) == (
        f"{ENTRY}:3:11: malformed YAML: the apostrophe in 'It's a storm' ends the quoted text early; "
        "inside single quotes write an apostrophe twice, such as 'It''s a storm', or use double quotes: \"It's a storm\"")


def test_a_quote_mark_inside_double_quotes_says_how_to_write_it(make_site, capsys):
    text = 'title: "The "Beast" storm"\nlink: /a\npublished: 2020-02-20\nsummary: Ports shut.\n'
    assert check_line(make_site, capsys, text) == (
        f'{ENTRY}:1:13: malformed YAML: the quote mark in "The "Beast" storm" ends the quoted text early; '
        'inside double quotes write a quote mark as \\", such as "The \\"Beast\\" storm", '
        "or put single quotes around the text: 'The \"Beast\" storm'")


@pytest.mark.parametrize("text, line", [
    ("title: a\nlink: /a\npublished: 2020-02-20\nsummary: x\nauthor:\n  name: Jo\n\temail: jo@example.com\n", 7),
    ("title: a\nlink: /a\npublished: 2020-02-20\ncategories:\n  - News\n\t- Sport\nsummary: x\n", 6),
    ("title: a\nlink: /a\n\tpublished: 2020-02-20\nsummary: x\n", 3),
])
def test_a_tab_in_the_indentation_is_named_at_its_own_line_and_says_use_spaces(make_site, capsys, text, line):
    assert check_line(make_site, capsys, text) == (
        f"{ENTRY}:{line}:1: malformed YAML: a tab in the indentation; YAML indents with spaces; "
        "replace the tab with spaces")


def test_an_unclosed_quote_is_named_where_it_opens_and_says_add_the_closing_quote(make_site, capsys):
    text = 'title: Storm\nlink: /a\npublished: 2020-02-20\nsummary: "Storm closes\nports\ndraft: true\n'
    assert check_line(make_site, capsys, text) == (
        f'{ENTRY}:4:10: malformed YAML: the quote " opened here is never closed; '
        'add the closing quote at the end of the text, such as "Storm closes ports"')


@pytest.mark.parametrize("written, meant", [
    ("byline", "author"), ("by", "author"), ("date", "published"), ("url", "link"), ("text", "body"),
    ("content", "body"), ("description", "summary"), ("standfirst", "summary")])
def test_did_you_mean_knows_the_words_editors_use(make_site, capsys, written, meant):
    text = f"title: Storm\nlink: /a\npublished: 2020-02-20\nsummary: Ports shut.\n{written}: Jo Byrne\n"
    assert check_line(make_site, capsys, text) == (
        f"{ENTRY}:5:1: {written}: is not a field of an entry; did you mean {meant}?")
