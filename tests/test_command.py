"""The `feeds` command as a shell runs it: exit codes, and output that reaches a pipe whole."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from feeds.cli import main

from .conftest import SITE_YAML, entry_yaml


def feeds(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "feeds", *args], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).parent.parent)


def test_ctrl_c_while_the_command_still_imports_its_modules_is_exit_130_without_a_traceback(make_site):
    root = make_site({"items/a.yaml": entry_yaml()})
    script = ("import sys\n"
              "class CtrlC:  # pressed as Python imports the build's modules, in the first third of a second\n"
              "    def find_spec(self, name, path=None, target=None):\n"
              "        if name == 'feeds.build':\n"
              "            raise KeyboardInterrupt\n"
              "sys.meta_path.insert(0, CtrlC())\n"
              "from feeds.command import run\n"
              "run()\n")
    run = subprocess.run([sys.executable, "-c", script, "build", str(root)], capture_output=True, text=True,
                         timeout=120)
    assert (run.returncode, run.stderr) == (130, "feeds: interrupted\n")
    assert not (root / "publish").exists()


def test_the_command_exits_with_its_reports_code_and_every_problem_reaches_the_pipe(make_site):
    broken = {f"items/{number:03d}.yaml": entry_yaml(link=f"/{number}", published="Feb 30 2020") for number in range(300)}
    root = make_site({"items/good.yaml": entry_yaml(), **broken})
    run = feeds("check", str(root), "--format", "json")
    assert run.returncode == 1
    assert len(json.loads(run.stdout)) == 300


def test_a_build_says_what_it_wrote_on_stderr_and_exits_0(make_site):
    root = make_site({"items/good.yaml": entry_yaml()})
    run = feeds("build", str(root))
    assert run.returncode == 0 and run.stdout == ""
    assert "files written" in run.stderr.splitlines()[-1]


@pytest.mark.parametrize("value", ["-1", "nan", "inf", "soon"])
def test_a_lock_timeout_that_is_not_a_number_of_seconds_is_wrong_usage(make_site, capsys, value):
    root = make_site({})
    with pytest.raises(SystemExit) as stopped:
        main(["build", str(root), f"--lock-timeout={value}"])
    assert stopped.value.code == 2
    assert f"argument --lock-timeout: invalid number of seconds value: '{value}'" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["build"], ["new", "A headline"]])
def test_an_empty_now_is_wrong_usage_not_the_clock(make_site, capsys, command):
    root = make_site({"items/good.yaml": entry_yaml()})
    args = [command[0], str(root), *command[1:], "--now", ""]
    assert main(args) == 2
    assert '--now: "" is not a date; the field is empty' in capsys.readouterr().err
    assert not (root / "publish").exists()


@pytest.mark.parametrize("command", [["build", "--dry-run"], ["new", "Sturm schließt Häfen"]])
def test_a_now_written_out_in_the_sites_language_is_read_as_an_entrys_date_is(make_site, command):
    """`--now "1. März 2020 12:00"` on a site in German was 'not a date', where an entry's was read."""
    root = make_site({"items/good.yaml": entry_yaml()}, site_yaml=SITE_YAML + "language: de\n")
    assert main([command[0], str(root), *command[1:], "--now", "1. März 2020 12:00"]) == 0


@pytest.mark.parametrize("command", [["build"], ["build", "."], ["new", "Storm closes ports"]])
def test_a_now_with_its_time_not_in_quotes_is_told_to_quote_them_not_to_make_a_site_named_for_the_time(
        make_site, capsys, monkeypatch, command):
    """The time came as a word of its own: taken for SITE, the message said 'make a site there with feeds init 16:40'."""
    monkeypatch.chdir(make_site({"items/good.yaml": entry_yaml()}))
    with pytest.raises(SystemExit) as stopped:
        main([*command, "--now", "2020-02-20", "16:40"])
    assert stopped.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "feeds: error: expected the date and time of --now as one word, found --now 2020-02-20 and then 16:40; "
        "put them in quotes: --now '2020-02-20 16:40'")
    assert not Path("publish").exists()


def test_a_time_after_nows_date_is_told_to_join_it_not_the_title(make_site, capsys, monkeypatch):
    """It was told to quote the title '10:30 Storm': done as told, the story was dated midnight."""
    monkeypatch.chdir(make_site({"items/good.yaml": entry_yaml()}))
    with pytest.raises(SystemExit) as stopped:
        main(["new", "--now", "2020-02-20", "10:30", "Storm"])
    assert stopped.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "feeds: error: expected the date and time of --now as one word, found --now 2020-02-20 and then 10:30; "
        "put them in quotes: --now '2020-02-20 10:30'")


def test_a_titles_time_before_a_now_of_a_date_alone_is_told_as_the_titles(make_site, capsys, monkeypatch):
    """It was told to quote --now '2020-02-20 10:30': done as told, the story was titled 'Storm' at 10:30."""
    monkeypatch.chdir(make_site({"items/good.yaml": entry_yaml()}))
    assert main(["new", "Storm", "10:30", "--now", "2020-02-20"]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "feeds: error: expected [SITE] TITLE, found 2 words and no folder named Storm; "
        "put the title in quotes: feeds new 'Storm 10:30' --now 2020-02-20")


def test_a_title_that_is_a_time_with_a_whole_now_is_the_title(make_site, capsys, monkeypatch):
    """Told before to quote --now '2020-02-20 09:00 10:30', which no --now reads."""
    monkeypatch.chdir(make_site({"items/good.yaml": entry_yaml()}))
    assert main(["new", "10:30", "--now", "2020-02-20 09:00"]) == 0
    assert Path("items/2020/02/10-30.yaml").is_file()


def test_an_unquoted_title_ending_in_a_time_with_a_whole_now_is_told_to_quote_the_title(make_site, capsys, monkeypatch):
    monkeypatch.chdir(make_site({"items/good.yaml": entry_yaml()}))
    assert main(["new", "--now", "2020-02-20 09:00", "Briefing", "at", "10:30"]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "feeds: error: expected [SITE] TITLE, found 3 words and no folder named Briefing; "
        "put the title in quotes: feeds new 'Briefing at 10:30' --now '2020-02-20 09:00'")


def test_an_unquoted_titles_words_after_an_option_are_told_as_the_titles(make_site, capsys, monkeypatch):
    """argparse took the words after `--category News` for unknown arguments: it said
    'unrecognized arguments: 10:30', and no command to paste."""
    monkeypatch.chdir(make_site({"items/good.yaml": entry_yaml()}))
    assert main(["new", "Storm", "--category", "News", "10:30"]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "feeds: error: expected [SITE] TITLE, found 2 words and no folder named Storm; "
        "put the title in quotes: feeds new 'Storm 10:30' --category News")


def test_the_command_an_unquoted_title_is_told_keeps_its_categories_and_now(make_site, capsys, monkeypatch):
    """It was told 'feeds new 'Storm hits'': done as told, the story was dated now, in no category."""
    monkeypatch.chdir(make_site({"items/good.yaml": entry_yaml()}))
    assert main(["new", "Storm", "hits", "-c", "Severe Weather", "--category", "News", "--now", "2020-02-20"]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "feeds: error: expected [SITE] TITLE, found 2 words and no folder named Storm; put the title in quotes: "
        "feeds new 'Storm hits' --category 'Severe Weather' --category News --now 2020-02-20")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize(("command", "problems"), [
    (["check", "--format", "json"], 1),  # one short problem: it fits the buffer, and fails at the last flush
    (["check", "--format", "json"], 300),  # more than the buffer: it fails while being written
    (["new", "A headline", "--now", "2020-02-20"], 0),
])
def test_data_that_cannot_reach_stdout_is_exit_3_with_one_line_not_a_traceback(make_site, command, problems):
    broken = {f"items/{number:03d}.yaml": entry_yaml(link=f"/{number}", published="Feb 30 2020") for number in range(problems)}
    root = make_site(broken)
    with open("/dev/full", "w") as full:  # a disk full under `feeds check --format json > report.json`
        run = subprocess.run([sys.executable, "-m", "feeds", command[0], str(root), *command[1:]], stdout=full,
                             stderr=subprocess.PIPE, text=True, timeout=120)
    assert run.returncode == 3
    assert run.stderr.splitlines()[-1] == "feeds: error: cannot write to standard output: no space left on device"
    assert "Traceback" not in run.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_a_build_whose_status_cannot_be_written_still_exits_with_its_own_status(make_site):
    """Nothing can be said on a stderr that is full: the build happened, and its status says so."""
    root = make_site({"items/a.yaml": entry_yaml()})
    with open("/dev/full", "w") as full:
        run = subprocess.run([sys.executable, "-m", "feeds", "build", str(root)], stderr=full, timeout=120)
    assert run.returncode == 0
    assert (root / "publish" / "rss.xml").is_file()


def test_a_build_with_stderr_closed_writes_the_feeds_and_exits_0(make_site):
    """A supervisor or daemon may close descriptor 2: the status lines are lost, the build is not."""
    root = make_site({"items/a.yaml": entry_yaml()})
    run = subprocess.run(["sh", "-c", '"$0" -m feeds build "$1" 2>&-', sys.executable, str(root)], timeout=120)
    assert run.returncode == 0
    assert (root / "publish" / "rss.xml").is_file()

