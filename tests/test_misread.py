"""Markdown that publishes what the editor did not mean is a warning: pretty-printed HTML
shown as code, Markdown published inside HTML, a number opening a line made a list. Real
code blocks, HTML and numbered lists are no warning."""

from __future__ import annotations

import textwrap

import pytest

from feeds.cli import main
from feeds.misread import could_be_misread, misreadings

from .conftest import entry_yaml

ENTRY = "items/a.yaml"


def warnings_of(make_site, capsys, body: str) -> list[str]:
    """The warnings `feeds check` prints for an entry with this body (a `|` block), which passes."""
    root = make_site({ENTRY: entry_yaml(summary="Council vote.", body="|\n" + textwrap.indent(body, "  "))})
    assert main(["check", str(root)]) == 0
    return [line for line in capsys.readouterr().err.splitlines() if ": warning: " in line]


PRETTY_DIV = """\
<div class="article-body">
    <p>First paragraph of the story.</p>

    <p>Second paragraph, with <a href="/x">a link</a>.</p>
</div>
"""


def test_pretty_printed_html_indented_after_a_blank_line_is_a_warning_that_it_shows_as_code(make_site, capsys):
    assert warnings_of(make_site, capsys, PRETTY_DIV) == [
        f'{ENTRY}:5:7: warning: body: the HTML "<p>Second paragraph, with <a href=\\"/x\\">a link</a>.</p>" is '
        "indented four spaces after a blank line, so Markdown shows it as code: readers see its tags as text; "
        "take away the indent (or the blank line before it); to show HTML as code, fence it with ```"]


def test_a_table_cell_moved_into_code_by_a_blank_line_is_a_warning_that_counts_the_others(make_site, capsys):
    table = "<table>\n  <tr>\n    <td>Labour</td>\n\n    <td>12,345</td>\n  </tr>\n</table>\n"
    [warning] = warnings_of(make_site, capsys, PRETTY_DIV + "\n" + table)
    assert 'the HTML "<p>Second paragraph' in warning and "readers see its tags as text (and 1 more like it);" in warning


@pytest.mark.parametrize("body", [
    "The embed code:\n\n```html\n<p>Second paragraph.</p>\n```\n",  # a fence is deliberate
    "The code:\n\n    total = 1 < 2\n",  # code, not HTML
    "A line break:\n\n    <br>\n",  # a tag alone, no element ended
    '<div class="article-body">\n<p>First.</p>\n<p>Second.</p>\n</div>\n',  # HTML as HTML
    "<div>\n    <p>Indented, but no blank line: within the div's HTML</p>\n</div>\n"])
def test_code_blocks_and_html_that_read_as_written_are_no_warning(make_site, capsys, body):
    assert warnings_of(make_site, capsys, body) == []


def test_markdown_on_the_line_after_html_is_a_warning_that_it_is_published_as_typed(make_site, capsys):
    body = "<p>The council met on Tuesday.</p>\nThe vote was **7–2**, and the [full minutes](/minutes) are online.\n"
    assert warnings_of(make_site, capsys, body) == [
        f'{ENTRY}:5:7: warning: body: the line "The vote was **7–2**, and the [full minutes](/minutes) are …" '
        "follows HTML with no blank line between, so it is published as part of the HTML, its Markdown "
        "(** or [text](link)) as typed; leave a blank line after the HTML, so that Markdown reads the line"]


def test_markdown_on_a_line_that_opens_with_a_blocks_tag_is_a_warning_that_it_is_published_as_typed(make_site, capsys):
    body = '<div class="box">The vote was **7–2**: see [the minutes](/minutes).</div>\n'
    assert warnings_of(make_site, capsys, body) == [
        f'{ENTRY}:5:7: warning: body: the line "<div class=\\"box\\">The vote was **7–2**: see [the minutes](/m…" '
        "opens with HTML, so Markdown does not read it: its Markdown (** or [text](link)) is published as typed; "
        "put the tags on lines of their own, with a blank line between them and the Markdown, "
        'or write it in HTML (<strong>, <a href="…">)']


@pytest.mark.parametrize("body", [
    '<div class="box">\n\nThe vote was **7–2**: see [the minutes](/minutes).\n\n</div>\n',  # the hint's first fix
    '<div class="box">The vote was <strong>7–2</strong>: see <a href="/minutes">the minutes</a>.</div>\n',  # its second
    '<div class="box"><code>a**2</code> and <img alt="**" src="/a.png"> <span title="[x](y)">x</span></div>\n'],
    ids=["markdown apart", "html", "code and attributes"])
def test_markdown_apart_from_a_blocks_tags_or_written_in_html_is_no_warning(make_site, capsys, body):
    assert warnings_of(make_site, capsys, body) == []


@pytest.mark.parametrize("body", [
    "<p>In Markdown, write &#42;&#42;bold&#42;&#42; for bold.</p>\n",
    "<p>A link is written [text]&#40;address), bold &ast;&ast;so&ast;&ast;.</p>\n"],
    ids=["numeric escapes", "named escapes"])
def test_asterisks_and_brackets_written_as_escapes_on_a_tagged_line_are_no_warning(make_site, capsys, body):
    assert warnings_of(make_site, capsys, body) == []


@pytest.mark.parametrize("body", [
    "<p>The council met on Tuesday.</p>\n\nThe vote was **7–2**, see [the minutes](/minutes).\n",  # a blank line
    "<pre>\nx = a**2 + b**2\n</pre>\n",  # verbatim on purpose
    "<!--\nsee [the draft](/draft), **not yet**\n-->\n\nPorts shut.\n",  # a comment: unseen
    "<p>The vote was <strong>7–2</strong>.</p>\nPorts shut.\n",  # text, but no Markdown in it
    "Ports shut.\n\n<!-- held back:\n20. Februar 2020, to confirm\n<p>Met.</p>\nThe **7–2** vote -->\n"])
def test_html_followed_by_a_blank_line_or_holding_no_markdown_is_no_warning(make_site, capsys, body):
    assert warnings_of(make_site, capsys, body) == []


def test_a_dateline_written_with_a_day_and_a_dot_is_a_warning_to_escape_the_dot(make_site, capsys):
    body = ("20. Februar 2020 – Die Bundesregierung hat am Donnerstag neue Maßnahmen beschlossen.\n\n"
            "Weitere Details folgen.\n")
    assert warnings_of(make_site, capsys, body) == [
        f'{ENTRY}:5:7: warning: body: the line "20. Februar 2020 – Die Bundesregierung hat am Donnerstag ne…" '
        'opens with "20.", which Markdown reads as a numbered list starting at 20, not as text; if the number '
        "is part of the text (a date, a year, a name), write 20\\. Februar (a backslash before the dot)"]


@pytest.mark.parametrize("line, fix", [
    ("1. FC Köln gewinnt gegen Bayern.", "write 1\\. FC"), ("1984. That was the year the miners struck.", "write 1984\\. That"),
    ("2. Bundesliga: Hamburg verliert erneut.", "write 2\\. Bundesliga:"), ("1. Mai: Tausende demonstrieren.", "write 1\\. Mai:"),
    ("> 1984. That was the year.", "write 1984\\. That"), ("3. März 2021 – Der Landtag tagt.", "write 3\\. März"),
    ("1. tammikuu 2022 – Eduskunta kokoontuu.", "write 1\\. tammikuu"),
    ("1. janvāris: Saeima sanāk.", "write 1\\. janvāris:")])
def test_a_number_opening_a_paragraph_that_reads_as_a_date_a_year_or_a_name_is_a_warning(make_site, capsys, line, fix):
    [warning] = warnings_of(make_site, capsys, f"Berlin.\n\n{line}\n\nMehr folgt.\n")
    assert "which Markdown reads as a numbered list" in warning and fix in warning


@pytest.mark.parametrize("body", [
    "What we know:\n\n1. The fire started at 3am.\n2. Three people were hurt.\n",
    "What we know:\n\n1. The fire started at 3am.\n\nCrews came at once.\n\n2. Three people were hurt.\n",
    "The best cities:\n\n10. Paris\n\nIts museums.\n\n9. London\n\nIts parks.\n",  # counting down
    "The steps:\n\n1. Register to vote.\n",  # one step
    "The year so far:\n\n1. January: rates rose.\n2. February: they fell.\n",
    "Revenue by month:\n\n20) Februar, a typo's list\n",  # written with a parenthesis: no dot to escape
    "- Bullet\n\n  2. Nested in a list, counted there\n",
    "The plan, in code:\n\n```\n20. Februar 2020 – shown as written\n```\n"])
def test_real_numbered_lists_are_no_warning(make_site, capsys, body):
    assert warnings_of(make_site, capsys, body) == []


@pytest.mark.parametrize("body", [PRETTY_DIV, "20. Februar 2020 – Die Regierung.\n",
                                  "<p>Met.</p>\nThe vote was **7–2**.\n"])
def test_a_body_read_as_written_with_its_yaml_indent_is_read_as_yaml_gives_it(body):
    """A check of a big site reads each `|` block as written, every line still indented."""
    assert misreadings(textwrap.indent(body, "  ")) == misreadings(body) != []


def test_a_body_with_no_markup_and_no_numbered_line_is_not_read():
    """Most bodies (the benchmark's, every one): two searches, no parse."""
    assert not could_be_misread("Ports shut on the 20. day. [Our report](/news/x) says why.\n\n  More in 2020.")
