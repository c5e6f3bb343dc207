"""`feeds check --format github` and the pre-commit hook: how CI sees a site's problems."""

from __future__ import annotations

import io
import re
from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from feeds.cli import main
from feeds.problems import Problem
from feeds.report import Report

from .conftest import entry_yaml

REPO = Path(__file__).resolve().parent.parent


def annotations(problems: list[Problem], prefix: str = "") -> str:
    out = io.StringIO()
    Report("github", out=out, err=io.StringIO(), path_prefix=prefix).problems(problems, 3)
    return out.getvalue()


def test_each_problem_is_one_error_command_with_file_line_col_and_title():
    problem = Problem("items/a.yaml", 3, 12, "published", "bad-date", '"Feb 30 2020" is not a date', "fix it")
    assert annotations([problem]) == (
        '::error file=items/a.yaml,line=3,col=12,title=bad-date::published: "Feb 30 2020" is not a date; fix it\n')


def test_a_problem_without_field_or_hint_is_its_message_alone():
    problem = Problem("items/a.yaml", 1, 1, "", "empty", "expected a mapping of fields, found an empty file")
    assert annotations([problem]) == (
        "::error file=items/a.yaml,line=1,col=1,title=empty::expected a mapping of fields, found an empty file\n")


def test_message_escapes_percent_and_line_breaks():
    problem = Problem("items/a.yaml", 2, 7, "title", "bad", "50% off\r\nnow")
    assert annotations([problem]) == "::error file=items/a.yaml,line=2,col=7,title=bad::title: 50%25 off%0D%0Anow\n"


def test_file_escapes_comma_colon_and_percent():
    problem = Problem("items/a,b:c%.yaml", 1, 1, "", "empty", "empty")
    assert annotations([problem]) == "::error file=items/a%2Cb%3Ac%25.yaml,line=1,col=1,title=empty::empty\n"


def test_file_and_title_escape_line_breaks():
    problem = Problem("items/a\r\nb.yaml", 1, 1, "", "a\nb,c:d", "empty")
    assert annotations([problem]) == "::error file=items/a%0D%0Ab.yaml,line=1,col=1,title=a%0Ab%2Cc%3Ad::empty\n"


def read_annotation(line: str) -> tuple[dict[str, str], str]:
    """The properties and message of one workflow command, unescaped as GitHub does."""
    def unescape(text: str, names: tuple[str, ...]) -> str:
        for name in names:
            text = text.replace(ESCAPES[name], name)
        return text
    assert line.startswith("::error ")
    properties, message = line[len("::error "):].split("::", 1)
    pairs = dict(pair.split("=", 1) for pair in properties.split(","))
    return ({key: unescape(value, (",", ":", "\n", "\r", "%")) for key, value in pairs.items()},
            unescape(message, ("\n", "\r", "%")))


ESCAPES = {"%": "%25", "\r": "%0D", "\n": "%0A", ":": "%3A", ",": "%2C"}
ANY_TEXT = st.text(st.sampled_from("ab%,:\r\n=: é"), min_size=1, max_size=12)


@given(path=ANY_TEXT, code=ANY_TEXT, message=ANY_TEXT)
def test_any_file_title_and_message_make_one_line_that_reads_back_as_written(path, code, message):
    output = annotations([Problem(path, 4, 2, "", code, message)])
    assert output.endswith("\n") and output.count("\n") == 1 and "\r" not in output
    assert read_annotation(output[:-1]) == ({"file": path, "line": "4", "col": "2", "title": code}, message)


def test_check_command_writes_one_annotation_per_problem_for_a_file_named_with_a_newline_and_comma(
        make_site, capsys, monkeypatch):
    root = make_site({"items/a,\nb.yaml": entry_yaml(published="Feb 30 2020")})
    monkeypatch.chdir(root)
    assert main(["check", "--format", "github"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and read_annotation(lines[0])[0]["file"] == "items/a,\nb.yaml"


def test_file_is_prefixed_with_the_sites_folder():
    problem = Problem("items/a.yaml", 1, 1, "", "empty", "empty")
    assert annotations([problem], "news/") == "::error file=news/items/a.yaml,line=1,col=1,title=empty::empty\n"


def test_check_command_annotates_every_problem_on_stdout_and_counts_on_stderr(make_site, capsys, monkeypatch):
    root = make_site({"items/a.yaml": entry_yaml(published="Feb 30 2020", sumary="x")})
    monkeypatch.chdir(root.parent)
    assert main(["check", "site", "--format", "github"]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        '::error file=site/items/a.yaml,line=3,col=12,title=bad-date::published: "Feb 30 2020" is not a date; '
        "February 2020 has 29 days; write it as YYYY-MM-DD HH:MM, such as 2020-02-20 16:40",
        "::error file=site/items/a.yaml,line=4,col=1,title=unknown-field::sumary: is not a field of an entry; "
        "did you mean summary? summary is given already: remove this line, or keep the one meant as summary",
    ]
    assert err == "2 errors in 1 of 1 entry\n"


def test_check_command_in_the_sites_own_folder_gives_paths_from_there(make_site, capsys, monkeypatch):
    monkeypatch.chdir(make_site({"items/a.yaml": "title: x\n"}))
    assert main(["check", "--format", "github"]) == 1
    assert capsys.readouterr().out.startswith("::error file=items/a.yaml,line=1,col=1,")


def test_check_command_prints_nothing_on_stdout_for_a_valid_site(make_site, capsys):
    assert main(["check", str(make_site({"items/a.yaml": entry_yaml()})), "--format", "github"]) == 0
    assert capsys.readouterr() == ("", "")


def pre_commit_hook() -> dict:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [hook["id"] for hook in hooks] == ["feeds-check"]
    return hooks[0]


def test_pre_commit_hook_runs_feeds_check_on_the_whole_site():
    hook = pre_commit_hook()
    assert (hook["entry"], hook["language"], hook["pass_filenames"]) == ("feeds check", "python", False)


def test_pre_commit_hook_runs_for_site_yaml_and_entries_only():
    files = re.compile(pre_commit_hook()["files"])
    matched = [path for path in ("site.yaml", "items/a.yaml", "items/2020/02/b.yml", "news/site.yaml",
                                 "news/items/a.yaml", "README.md", "feeds/cli.py", "items/notes.txt",
                                 "other-site.yaml") if files.search(path)]
    assert matched == ["site.yaml", "items/a.yaml", "items/2020/02/b.yml", "news/site.yaml", "news/items/a.yaml"]


def test_a_control_character_in_a_file_name_is_escaped_not_written_raw():
    problem = Problem("items/bad\x1b[31m.yaml", 1, 1, "", "empty", "empty")
    assert annotations([problem]) == "::error file=items/bad%1B[31m.yaml,line=1,col=1,title=empty::empty\n"
