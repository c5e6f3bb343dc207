"""The YAML mistakes editors really make, said in their words, at the line of the mistake."""

from __future__ import annotations

import time

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from feeds.cli import main
from feeds.problems import quote
from feeds.yaml_compose import double_quoted, single_quoted

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


@pytest.mark.parametrize("title, column, escape, kept", [
    ('"AC\\DC on tour"', 11, "\\D is no escape", "title: 'AC\\DC on tour'"),
    ('"Files in C:\\Users"', 20, "\\U starts a character's number in hexadecimal, and none follows",
     "title: 'Files in C:\\Users'"),
    ('[News, "A\\B"]', 17, "\\B is no escape", "'A\\B'")])
def test_a_backslash_that_starts_no_escape_in_double_quotes_says_how_to_keep_it(make_site, capsys, title, column,
                                                                                 escape, kept):
    text = f"title: {title}\nlink: /a\npublished: 2020-02-20\nsummary: Ports shut.\n"
    assert check_line(make_site, capsys, text) == (
        f"{ENTRY}:1:{column}: malformed YAML: {escape}: in double quotes a backslash starts an escape, such as \\n "
        f"for a new line; to write a backslash, write it twice, or put the text in single quotes, which keep it: {kept}")


def test_a_title_in_curly_quotes_with_a_colon_is_offered_both_readings(make_site, capsys):
    text = "title: “Breaking: Minister resigns”\nlink: /a\npublished: 2020-02-20\nsummary: x\n"
    assert check_line(make_site, capsys, text) == (
        f'{ENTRY}:1:17: title: malformed YAML: text with ": " in it must be quoted; put it in quotes: '
        'title: "“Breaking: Minister resigns”" (or, if the curly quotes were meant as quotes for YAML, '
        'title: "Breaking: Minister resigns")')


def test_a_story_after_jekylls_closing_fence_is_told_to_go_under_body(make_site, capsys):
    text = "---\ntitle: a\nlink: /a\npublished: 2020-02-20\nsummary: x\n---\nThe story starts here.\n\nMore.\n"
    assert check_line(make_site, capsys, text) == (
        f"{ENTRY}:6:1: expected one YAML document, found text after the --- that closes the fields; feeds reads an "
        "entry's story from its body field: remove the --- and put the text under body: |, each line indented by "
        "two spaces")


@pytest.mark.parametrize("text, where", [
    ("link: /a\ntitle:\u00a0Minister resigns\npublished: 2020-02-20\nsummary: x\n", "2:7: malformed YAML: the "
     "character U+00A0 (NO-BREAK SPACE) after the colon"),
    ("title:\u00a0Minister resigns\nlink: /a\npublished: 2020-02-20\nsummary: x\n", "1:7: malformed YAML: the "
     "character U+00A0 (NO-BREAK SPACE) after the colon"),
    ("title: a\nlink: /a\npublished: 2020-02-20\nbody: |\n\u00a0\u00a0Para one.\n", "5:1: malformed YAML: the "
     "character U+00A0 (NO-BREAK SPACE) in the indent")])
def test_a_no_break_space_where_yaml_needs_a_space_is_named(make_site, capsys, text, where):
    assert check_line(make_site, capsys, text) == (
        f"{ENTRY}:{where}, where YAML needs a plain space; replace it with a space (a word processor, "
        "or Option-Space on a Mac, types it)")


@pytest.mark.parametrize("text, where", [
    ("title: a\nlink: /a\npublished: 2020-02-20\nsummary: x\nauthor:\n  name:\u00a0Jo Byrne\n  email: jo@example.com\n",
     "6:8: malformed YAML: the character U+00A0 (NO-BREAK SPACE) after the colon"),
    ("title: a\nlink: /a\npublished: 2020-02-20\nsummary: x\ncategories:\n\u00a0 - News\n  - Sport\n",
     "6:1: malformed YAML: the character U+00A0 (NO-BREAK SPACE) in the indent")])
def test_a_no_break_space_in_a_nested_field_or_a_lists_indent_is_named(make_site, capsys, text, where):
    assert check_line(make_site, capsys, text).startswith(f"{ENTRY}:{where}")


@pytest.mark.parametrize("summary", ['"Talks stall.\n  Update:\u00a0ceasefire holds"', "'It''s on\n  Note:\u00a0more'",
                                     "Ministers met\n  Note:\u00a0talks resume"])
def test_a_no_break_space_in_text_over_lines_does_not_hide_the_real_mistake(make_site, capsys, summary):
    text = f"title: a\nlink: /a\npublished: 2020-02-20\nsummary: {summary}\ncategories: [News\n"
    assert check_line(make_site, capsys, text).startswith(f"{ENTRY}:6:13: malformed YAML: the [ opened here is never closed")


def test_a_no_break_space_in_a_bodys_text_does_not_hide_the_real_mistake_below_it(make_site, capsys):
    text = ("title: T\nlink: /x\npublished: 2024-05-02\nbody: |\n  Update:\u00a0police have confirmed it.\n"
            "summary: Breaking: this: bad\n")
    assert check_line(make_site, capsys, text).startswith(f"{ENTRY}:6:18: summary: malformed YAML: text with \": \" in it")


def test_a_list_item_written_with_a_star_says_to_start_it_with_a_hyphen(make_site, capsys):
    text = "title: a\nlink: /a\npublished: 2020-02-20\nsummary: x\ncategories:\n  * News\n  * Sport\n"
    assert check_line(make_site, capsys, text) == (
        f"{ENTRY}:6:3: malformed YAML: a list item starts with * here, which YAML reads as an alias; "
        "start it with a hyphen, as - News")


@pytest.mark.parametrize("text, line", [
    ("title: a\nlink: /a\npublished: 2020-02-20\nsummary: x\nauthor:\n  name: Jo\n\temail: jo@example.com\n", 7),
    ("title: a\nlink: /a\npublished: 2020-02-20\ncategories:\n  - News\n\t- Sport\nsummary: x\n", 6),
    ("title: a\nlink: /a\n\tpublished: 2020-02-20\nsummary: x\n", 3),
    ("title: a\nlink: /a\npublished: 2020-02-20\nsummary: x\ncategories:\n\t- News\n", 6),  # libyaml names no tab
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


@pytest.mark.parametrize("quote", ['"', "'"])
@pytest.mark.parametrize("rest, line", [
    ("summary: {q}Ports shut.{q}\n", 4),
    ("summary: Ports shut.\nbody: |\n  The harbour master said {q}no ships today{q} at noon.\n", 6),
], ids=["a later value opens one", "a quote in the body"])
def test_a_quote_left_open_until_the_next_quote_mark_is_named_where_it_opens(make_site, capsys, quote, rest, line):
    """YAML reads on to the next quote mark (one that opens a later value, or one inside the
    body's text) and stops just after it: the mistake is the quote left open lines above."""
    text = f"title: {quote}Storm closes ports\nlink: /a\npublished: 2020-02-20\n" + rest.format(q=quote)
    assert check_line(make_site, capsys, text) == (
        f"{ENTRY}:1:8: malformed YAML: the quote {quote} opened here is not closed on its line, and YAML read on "
        f"to the quote on line {line}; add the closing quote at the end of the text, such as "
        f"{quote}Storm closes ports{quote}")


@pytest.mark.parametrize("text, where", [
    ('title: x\rsummary: "oops\r', "2:10"),  # lines ended by CR alone (old Mac files): libyaml counts them
    ('title: "Minister\u2028resigns"\nlink: /x\npublished: 2024-01-01\nsummary: "oops', "5:10"),
])
def test_an_unclosed_quote_after_lines_libyaml_breaks_unlike_python_is_still_named(make_site, capsys, text, where):
    assert check_line(make_site, capsys, text) == (
        f'{ENTRY}:{where}: malformed YAML: the quote " opened here is never closed; '
        'add the closing quote at the end of the text, such as "Storm closes ports"')


def test_a_line_separator_pasted_into_a_plain_summary_is_named_and_says_replace_it(make_site, capsys):
    text = "title: LS\nlink: /a\npublished: 2020-02-20\nsummary: The minister resigned.\u2028The vote was close.\n"
    assert check_line(make_site, capsys, text) == (
        f"{ENTRY}:4:32: malformed YAML: the character U+2028 (LINE SEPARATOR) here starts a new line: "
        "YAML reads it as a line break; replace it with a space (it comes with text pasted from a word "
        "processor or a web page)")


def test_a_broken_file_beside_good_ones_never_stops_them_whatever_its_line_breaks(make_site):
    root = make_site({ENTRY: 'title: x\rsummary: "oops\r', "items/good.yaml": "title: Good\nlink: /good\n"
                      "published: 2020-02-20\nsummary: Ports shut.\n"})
    assert main(["build", str(root), "--quiet"]) == 1
    assert b"Good" in (root / "publish" / "rss.xml").read_bytes()


@pytest.mark.parametrize("title, quoted", [
    ("@user says", '"@user says"'), ("`code` title", '"`code` title"'), ("*Live*", '"*Live*"'), ("%d off", '"%d off"')])
def test_text_that_starts_as_markup_says_quote_it(make_site, capsys, title, quoted):
    text = f"title: {title}\nlink: /a\npublished: 2020-02-20\nsummary: x\n"
    assert check_line(make_site, capsys, text) == (
        f"{ENTRY}:1:8: title: malformed YAML: text that starts with {title[0]} must be quoted: YAML reads "
        f"{title[0]} as markup; put it in quotes: title: {quoted}")


@pytest.mark.parametrize("line", ["title: @user says", "title: [Live] updates", "title: Update: talks resume",
                                  "title: | rise", "categories: [News, Sport]]", "categories: [News, Sport",
                                  "categories: - News"])
def test_a_mistake_after_a_tab_that_lines_up_a_fields_value_is_told_as_after_a_space(make_site, capsys, line):
    """Read with the tab, `title:<tab>@user says` was told 'found character that cannot start any token', and
    `categories:<tab>[News, Sport]]` 'did not find expected key; look at line 1, column 1'."""
    rest = "\nlink: /a\npublished: 2020-02-20\nsummary: x\n"
    with_space = check_line(make_site, capsys, line + rest)
    assert check_line(make_site, capsys, line.replace(": ", ":\t", 1) + rest) == with_space
    assert "malformed YAML: " in with_space and "look at line" not in with_space


@pytest.mark.parametrize("title, enclose, quoted", [
    ("[Live] updates", "brackets", '"[Live] updates"'), ('"50%" rise', "quotes", "'\"50%\" rise'")])
def test_text_that_goes_on_after_brackets_or_quotes_says_quote_it_whole(make_site, capsys, title, enclose, quoted):
    text = f"title: {title}\nlink: /a\npublished: 2020-02-20\nsummary: x\n"
    assert check_line(make_site, capsys, text) == (
        f"{ENTRY}:1:8: title: malformed YAML: {quote(title)} must be quoted whole: YAML takes what the {enclose} "
        f"enclose as the value, and cannot read what follows; put it in quotes: title: {quoted}")


@pytest.mark.parametrize("text, line", [
    ("title:Storm closes ports\nlink: /a\npublished: 2020-02-20\nsummary: x\n", 1),
    ("summary: x\ntitle:Storm closes ports\nlink: /a\npublished: 2020-02-20\n", 2)])
def test_a_field_run_into_its_value_says_write_a_space_after_the_colon(make_site, capsys, text, line):
    assert check_line(make_site, capsys, text) == (
        f"{ENTRY}:{line}:7: title: malformed YAML: no space after the colon of title:; "
        "write a space after it: title: Storm closes ports")


def test_an_indented_field_says_start_it_at_the_beginning_of_the_line(make_site, capsys):
    text = "title: Storm\n  link: /d\npublished: 2020-02-20\nsummary: x\n"
    assert check_line(make_site, capsys, text) == (
        f"{ENTRY}:2:1: link: malformed YAML: the field link is indented, so YAML reads it as part of the line "
        "above; start it at the beginning of the line: link: /d")


@pytest.mark.parametrize("feed, line, key, fix", [
    ("  - name: sport\n      categories: [Sport]\n", 9, "categories", "indent it by 4 spaces, as name: above it"),
    ("  - name: sport\n    title: Sport\n      max_items: 20\n", 10, "max_items",
     "indent it by 4 spaces, as title: above it"),
])
def test_a_field_indented_more_than_the_one_above_in_a_list_says_how_far_to_indent_it(make_site, capsys, feed, line,
                                                                                      key, fix):
    """Not 'text with ": " in it must be quoted': nothing here is text to quote."""
    from .conftest import SITE_YAML

    root = make_site(site_yaml=SITE_YAML + "feeds:\n" + feed)
    assert main(["check", str(root)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f"site.yaml:{line}:1: {key}: malformed YAML: the field {key} is indented more than the field above it, so "
        f"YAML reads it as part of that field's value; {fix}")
    fixed = feed.replace("      ", "    ")
    assert main(["check", str(make_site(site_yaml=SITE_YAML + "feeds:\n" + fixed, name="fixed"))]) == 0


@pytest.mark.parametrize("feed", ["  - name: sport\n   categories: [Sport]\n", "  - name: sport\n  categories: [Sport]\n"])
def test_a_field_indented_less_than_the_one_above_in_a_list_item_says_how_far_to_indent_it(make_site, capsys, feed):
    """Not 'did not find expected '-' indicator': the desk wrote no dash, and meant none."""
    from .conftest import SITE_YAML

    root = make_site(site_yaml=SITE_YAML + "feeds:\n" + feed)
    assert main(["check", str(root)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "site.yaml:9:1: categories: malformed YAML: the field categories is indented less than the field above it, "
        "so YAML reads it as no part of that list item; indent it by 4 spaces, as name: above it")
    fixed = "  - name: sport\n    categories: [Sport]\n"
    assert main(["check", str(make_site(site_yaml=SITE_YAML + "feeds:\n" + fixed, name="fixed"))]) == 0


def test_an_unclosed_flow_list_is_not_taken_for_text_to_quote_but_named_where_it_opens(make_site, capsys):
    text = "categories: [a, b\ntitle: T\nlink: /a\npublished: 2020-02-20\nsummary: x\n"
    assert check_line(make_site, capsys, text) == (
        f"{ENTRY}:1:13: malformed YAML: the [ opened here is never closed; close it at the end of the line: "
        "categories: [a, b]")


def test_an_empty_site_yaml_says_what_a_site_needs(make_site, capsys):
    root = make_site({}, site_yaml="# nothing yet\n")
    assert main(["check", str(root)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "site.yaml:1:1: expected a mapping of fields, found an empty document; "
        "write at least title, link and description")


@pytest.mark.parametrize("written, meant", [
    ("byline", "author"), ("by", "author"), ("date", "published"), ("url", "link"), ("text", "body"),
    ("content", "body"), ("description", "summary"), ("standfirst", "summary")])
def test_did_you_mean_knows_the_words_editors_use(make_site, capsys, written, meant):
    text = f"title: Storm\nlink: /a\npublished: 2020-02-20\nsummary: Ports shut.\n{written}: Jo Byrne\n"
    given = f" {meant} is given already: remove this line, or keep the one meant as {meant}" if meant in text else ""
    assert check_line(make_site, capsys, text) == (
        f"{ENTRY}:5:1: {written}: is not a field of an entry; did you mean {meant}?{given}")


LINE_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x85\u2028\u2029"),
                    max_size=40)


@given(LINE_TEXT)
def test_the_quoted_text_a_hint_suggests_reads_back_as_the_text(text):
    for written in (single_quoted(text), double_quoted(text)):
        assert yaml.load(f"title: {written}\n", Loader=yaml.SafeLoader)["title"] == text


def test_a_quote_mark_and_an_apostrophe_are_both_escaped_in_the_suggestion(make_site, capsys):
    text = "title: \"It's a \"storm\nlink: /a\npublished: 2020-02-20\nsummary: x\n"
    assert check_line(make_site, capsys, text) == (
        f'{ENTRY}:1:16: malformed YAML: the quote mark in "It\'s a "storm ends the quoted text early; inside double '
        'quotes write a quote mark as \\", such as "It\'s a \\"storm", or put single quotes around the text: '
        "'It''s a \"storm'")


@pytest.mark.parametrize("line, column, cut, kept", [
    ("title: Fans cheer as #1 seed wins", 22, "#1 seed wins", "Fans cheer as"),
    ("summary: Talks #stalled again", 16, "#stalled again", "Talks"),
    ("title: Storm hits #Izmir", 19, "#Izmir", "Storm hits"),
])
def test_a_hashtag_that_yaml_would_read_as_a_comment_is_refused_not_published_cut_short(make_site, capsys, line,
                                                                                        column, cut, kept):
    field, typed = line.split(": ", 1)
    text = "link: /a\npublished: 2020-02-20\n" + ("summary: x\n" if field == "title" else "title: x\n") + line + "\n"
    assert check_line(make_site, capsys, text) == (
        f'{ENTRY}:4:{column}: {field}: expected the whole text, found "{cut}" read as a comment: '
        f'YAML ends a value at " #", so only "{kept}" would be published; put the whole text in quotes: {field}: "{typed}"')


@pytest.mark.parametrize("line, column, typed", [
    ("categories: #News", 13, "#News"),
    ("title: #1 seed wins", 8, "#1 seed wins"),
])
def test_a_value_that_is_all_hashtag_is_refused_as_read_as_a_comment_not_as_nothing(make_site, capsys, line, column,
                                                                                     typed):
    field = line.split(":")[0]
    text = "link: /a\npublished: 2020-02-20\nsummary: x\n" + ("" if field == "title" else "title: x\n") + line + "\n"
    row = text.count("\n")
    assert check_line(make_site, capsys, text) == (
        f'{ENTRY}:{row}:{column}: {field}: expected a value, found "{typed}" read as a comment: YAML reads " #" as the '
        f'start of one, so the field would hold nothing; put it in quotes: {field}: "{typed}"')


@pytest.mark.parametrize("typed, mended", [
    ("[#News, Sport]", '["#News", Sport]'),
    ("[Sport,#News]", '[Sport, "#News"]'),
])
def test_a_hashtag_in_a_list_is_told_as_read_as_a_comment_with_the_list_quoted(make_site, capsys, typed, mended):
    """libyaml reads a # right after [ or a comma as a comment too: "[#News, Sport]" was told
    "did not find expected ',' or ']'", at the line after it."""
    text = f"title: x\nlink: /a\npublished: 2020-02-20\nsummary: x\ncategories: {typed}\n"
    assert check_line(make_site, capsys, text) == (
        f'{ENTRY}:5:13: malformed YAML: the [ opened here is never closed: YAML reads the rest of the line, from '
        f'"{typed[typed.index("#"):]}", as a comment; put each name with a # in quotes: categories: {mended}')


@pytest.mark.parametrize("after", ["  ", "  # the desk's"])
def test_a_hashtag_in_a_list_with_spaces_or_a_note_after_it_is_told_with_the_list_quoted(make_site, capsys, after):
    """The fix was the example [News, "#1 seed"]: done as told, the story was filed under both."""
    text = f"title: x\nlink: /a\npublished: 2020-02-20\nsummary: x\ncategories: [Sport, #News]{after}\n"
    assert check_line(make_site, capsys, text).endswith('put each name with a # in quotes: categories: [Sport, "#News"]')


def test_a_list_item_that_is_all_hashtag_is_refused_as_read_as_a_comment_not_as_nothing(make_site, capsys):
    text = "title: x\nlink: /a\npublished: 2020-02-20\nsummary: x\ncategories:\n  - #News\n  - Sport\n"
    assert check_line(make_site, capsys, text) == (
        f'{ENTRY}:6:5: categories: expected a value, found "#News" read as a comment: YAML reads " #" as the start '
        'of one, so the list item would hold nothing; put it in quotes: - "#News"')


def test_an_empty_value_with_a_note_after_it_is_told_it_is_empty(make_site, capsys):
    text = "title: x\nlink: /a\npublished: 2020-02-20\nsummary: x\nimage: # none yet\n"
    assert check_line(make_site, capsys, text) == f"{ENTRY}:5:7: image: expected a URL, found nothing; write a URL after the colon"


def test_a_comment_written_as_one_is_left_alone(make_site, capsys):
    root = make_site({ENTRY: "title: Storm  # the desk's working title\nlink: /a\npublished: 2020-02-20\n"
                             "summary: Ports shut. # from the wire\n"})
    assert main(["check", str(root)]) == 0


@pytest.mark.parametrize("typed, kind, first, reads, kept", [
    ("&pizza opens 10 new stores", "an anchor", "&pizza", "a name", "opens 10 new stores"),
    ("! Breaking", "a tag", "!", "a type", "Breaking"),
])
def test_text_after_an_anchor_or_a_tag_is_refused_not_published_without_it(make_site, capsys, typed, kind, first,
                                                                             reads, kept):
    text = f"link: /a\npublished: 2020-02-20\nsummary: x\ntitle: {typed}\n"
    assert check_line(make_site, capsys, text) == (
        f'{ENTRY}:4:8: title: expected text, found {kind} "{first}" before "{kept}", which YAML reads as {reads} '
        f'and leaves out; put the whole text in quotes: title: "{typed}"')


@pytest.mark.parametrize("line, quoted", [
    ("categories: [&x News, Sport]", '"&x News"'), ("categories: [Sport, ! News]", '"! News"'),
    ("categories: [" + ", ".join(f"&a{n} c" for n in range(5_000)) + "]", '"&a0 c"')])
def test_the_fix_for_an_anchor_or_a_tag_in_a_list_quotes_its_item_alone(make_site, capsys, line, quoted):
    """It quoted the rest of the line: `"&x News , Sport]"`, which done as told broke the list,
    and for 50,000 such items a message of 539 KB."""
    text = f"title: x\nlink: /a\npublished: 2020-02-20\nsummary: x\n{line}\n"
    assert check_line(make_site, capsys, text).endswith(f"and leaves out; put the whole text in quotes: {quoted}")


def test_a_hashtag_in_site_yaml_is_refused_too(make_site, capsys):
    from .conftest import SITE_YAML

    root = make_site({}, site_yaml=SITE_YAML.replace("title: Test Wire", "title: Wire #1"))
    assert main(["check", str(root)]) == 1
    assert 'title: expected the whole text, found "#1" read as a comment' in capsys.readouterr().err


@pytest.mark.parametrize("lines, cut, kept", [
    ("summary: Fighting near\n  #1 seed wins the day\n", "#1 seed wins the day", "Fighting near"),
    ("summary: Intro text\n  ## Heading\n", "## Heading", "Intro text"),
])
def test_a_hashtag_starting_the_next_line_of_a_value_is_refused_too(make_site, capsys, lines, cut, kept):
    text = "title: x\nlink: /a\npublished: 2020-02-20\n" + lines
    typed = " ".join(lines.split(": ", 1)[1].split())
    assert check_line(make_site, capsys, text) == (
        f'{ENTRY}:5:3: summary: expected the whole text, found "{cut}" read as a comment: YAML ends a value at " #", '
        f'so only "{kept}" would be published; put the whole text in quotes: summary: "{typed}"')


def test_a_note_on_the_line_after_a_value_is_left_alone(make_site, capsys):
    root = make_site({ENTRY: "title: x\nlink: /a\npublished: 2020-02-20\nsummary: Fighting near\n  # check this\n"})
    assert main(["check", str(root)]) == 0


def test_an_anchor_an_alias_repeats_is_yaml_as_meant(make_site, capsys):
    root = make_site({ENTRY: "title: &t Storm closes ports\nlink: /a\npublished: 2020-02-20\nsummary: *t\n"})
    assert main(["check", str(root)]) == 0


def test_a_file_of_anchors_is_read_at_once(make_site, capsys):
    """Each anchor searched the whole file for its alias: a megabyte of them took minutes."""
    anchors = "".join(f"  k{n}: &a{n} v\n" for n in range(4_000))
    aliases = "".join(f"  - *a{n}\n" for n in range(4_000))
    root = make_site({ENTRY: "title: x\nlink: /a\npublished: 2020-02-20\nsummary: y\nx-a:\n" + anchors
                      + "body: |\n" + "  A long story, pasted in.\n" * 30_000 + "x-b:\n" + aliases})
    started = time.monotonic()
    main(["check", str(root)])
    assert time.monotonic() - started < 20
    assert "anchor" not in capsys.readouterr().err


@pytest.mark.parametrize("lines", [
    "categories:\n  - News\n  #- Sport\n  - Europe\n",
    "categories:\n- News\n#- Sport\n",
    "author:\n  name: Jo\n  #email: jo@news.example.com\n",
    "draft: false #ready\n",
    "image: /img/storm.jpg #credit-AP\n",
])
def test_a_comment_that_cuts_no_text_short_is_left_alone(make_site, capsys, lines):
    text = "title: Storm closes ports\nlink: /a\npublished: 2020-02-20 16:40 #utc\nsummary: Ports shut.\n" + lines
    root = make_site({ENTRY: text})
    assert main(["check", str(root)]) == 0, capsys.readouterr().err


@pytest.mark.parametrize("text, line", [
    ('{"title": "Fans cheer \\ud83d\\ude00", "link": "/j", "published": "2024-03-01 10:00", "summary": "x"}',
     f"{ENTRY}:1:23: malformed YAML: \\ud83d\\ude00 writes \U0001f600 in two UTF-16 halves, as JSON does; YAML reads "
     "only whole characters; write \U0001f600 itself, or \\U0001F600 (a JSON writer: turn off ASCII-only output, "
     "such as Python's json.dump(..., ensure_ascii=False))"),
    ('title: "a \\ud83d b"\nlink: /k\npublished: 2024-03-01\nsummary: x\n',
     f"{ENTRY}:1:11: malformed YAML: \\ud83d is half of a character (a lone UTF-16 surrogate), which no text can "
     "hold; write the character itself"),
], ids=["a pair, as JSON writes an emoji", "half a character alone"])
def test_a_character_escaped_in_utf16_halves_says_how_to_write_it_whole(make_site, capsys, text, line):
    assert check_line(make_site, capsys, text) == line


@pytest.mark.parametrize("closing", ["---\n", "---", "--- \n\n# notes\n"])
def test_fields_between_two_dashed_lines_as_jekyll_writes_front_matter_are_read(make_site, capsys, closing):
    root = make_site({ENTRY: "---\ntitle: Storm\nlink: /a\npublished: 2020-02-20\nsummary: Ports shut.\n" + closing})
    assert main(["check", str(root)]) == 0, capsys.readouterr().err


def test_a_first_line_with_no_colon_is_named_at_its_own_line(make_site, capsys):
    """The parser stops at the next field's colon; with no text above, there is one fix to offer.
    (A later line with no colon is in test_hostile_input's table.)"""
    text = "title Storm closes ports\nlink: /a\npublished: 2020-02-20\nsummary: Ports shut.\n"
    assert check_line(make_site, capsys, text) == (
        f"{ENTRY}:1:1: malformed YAML: a line with no colon, where YAML expected a field; put a colon after the "
        "field's name, such as title: Storm closes ports")


def test_text_wrapped_onto_a_line_holding_a_colon_is_not_called_an_indented_field(make_site, capsys):
    """Un-indenting `when:` (the fix for a field indented by mistake) would make a field no entry has."""
    text = 'title: Talks\nlink: /a\npublished: 2020-02-20\nsummary: The minister said talks resume. Asked\n  when: "soon".\n'
    assert check_line(make_site, capsys, text) == (
        f'{ENTRY}:5:7: summary: malformed YAML: the line "when: \\"soon\\"." goes on from summary, and its "when: " '
        "reads as a field; write summary: > and its text on the lines below, each indented by two spaces")


def test_text_wrapped_onto_a_line_of_its_own_is_told_to_be_indented_not_to_take_a_colon(make_site, capsys):
    text = "title: Talks\nlink: /a\npublished: 2020-02-20\nsummary: The minister said\nthe talks would resume\n"
    assert check_line(make_site, capsys, text) == (
        f"{ENTRY}:5:1: malformed YAML: a line with no colon, where YAML expected a field; if it goes on from the text "
        "above, indent it by two spaces")


@pytest.mark.parametrize("field, value, line", [
    ("title", "- Storm live", f'{ENTRY}:1:8: title: malformed YAML: text that starts with \'- \' must be quoted: YAML reads it '
                              'as a list item; put it in quotes: title: "- Storm live"'),
    ("title", "? Why now", f'{ENTRY}:1:8: title: malformed YAML: text that starts with \'? \' must be quoted: YAML reads it '
                           'as the key of a mapping; put it in quotes: title: "? Why now"'),
    ("categories", "- News", f'{ENTRY}:1:13: categories: malformed YAML: the list item "- News" is on the line of '
                             "categories:; write categories: [News], or each item on a line of its own below categories:"),
], ids=["dash", "question mark", "a list item"])
def test_a_value_that_starts_as_a_list_item_or_a_key_says_what_yaml_reads(make_site, capsys, field, value, line):
    rest = "".join(f"{name}: {text}\n" for name, text in
                   [("title", "Talks"), ("link", "/a"), ("published", "2020-02-20"), ("summary", "x")] if name != field)
    assert check_line(make_site, capsys, f"{field}: {value}\n{rest}") == line


def test_a_colon_in_text_holding_double_quotes_says_put_it_in_single_ones(make_site, capsys):
    text = 'title: Storm\nlink: /a\npublished: 2020-02-20\nsummary: The minister said: "we will rebuild"\n'
    assert check_line(make_site, capsys, text) == (
        f'{ENTRY}:4:27: summary: malformed YAML: text with ": " in it must be quoted; put it in quotes: '
        "summary: 'The minister said: \"we will rebuild\"'")



def test_three_dashes_written_twice_at_the_start_are_told_to_be_written_once(make_site, capsys):
    """Not "move the second document into a file of its own": the first is empty."""
    assert check_line(make_site, capsys, "---\n---\ntitle: Talks\nlink: /a\npublished: 2020-02-20\nsummary: x\n") == (
        f"{ENTRY}:2:1: expected one YAML document, found an empty one first: --- is written twice at the start; "
        "delete one of the two --- lines")


@pytest.mark.parametrize("title", ["Talks resume", "Переговоры возобновятся", "會談恢復"])
@pytest.mark.parametrize("encoding, named", [("utf-16-le", "UTF-16"), ("utf-16-be", "UTF-16"), ("utf-32-le", "UTF-32")])
def test_a_file_in_a_wide_encoding_without_a_byte_order_mark_is_named_so(make_site, capsys, title, encoding, named):
    root = make_site({})
    (root / ENTRY).write_bytes(f"title: {title}\nlink: /a\npublished: 2020-02-20\nsummary: x\n".encode(encoding))
    assert main(["check", str(root)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f"{ENTRY}:1:1: expected UTF-8 text, found {named} without a byte order mark; save the file as UTF-8 (the "
        "editor's Save As, Encoding: UTF-8)")
