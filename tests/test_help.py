"""Every command explains itself: --help with an example, and --version."""

from __future__ import annotations

import shlex

import pytest

from feeds import __version__
from feeds.cli import main

from .conftest import entry_yaml


def help_text(capsys, *argv: str) -> str:
    with pytest.raises(SystemExit) as exited:
        main([*argv, "--help"])
    assert exited.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("command", ["build", "check", "new", "init", "serve", "watch"])
def test_every_command_has_help_with_an_example(capsys, command):
    assert "example" in help_text(capsys, command)


def test_the_build_examples_command_leaves_the_live_feeds_as_readers_have_them(capsys, make_site, tmp_path):
    """`feeds build mysite --now '2020-02-21 09:00'`, copied onto a live site, rewrote its feeds
    as they were in February 2020, every story since gone, with exit 0."""
    root = make_site({"items/a.yaml": entry_yaml(published="2020-02-20 10:00"),
                      "items/b.yaml": entry_yaml("Later", "/later", "2020-03-05 10:00")})
    assert main(["build", str(root), "--quiet"]) == 0
    live = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in (root / "publish").rglob("*")
            if path.is_file()}
    example = help_text(capsys, "build").split("example: ", 1)[1].split("   ", 1)[0]
    argv = [str(root) if word == "mysite" else word for word in shlex.split(example)[1:]]
    assert main([word.replace("/tmp/preview", str(tmp_path / "preview")) for word in argv]) == 0
    assert live == {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in (root / "publish").rglob("*")
                    if path.is_file()}


def test_top_level_help_lists_every_command_and_the_exit_statuses(capsys):
    text = help_text(capsys)
    assert all(f"    {command} " in text for command in ("build", "check", "init", "new", "serve", "watch"))
    assert ("exit status: 0 done; 1 an invalid site or entry (the valid entries are still published,\n"
            "unless --strict or on_invalid: stop); 2 wrong usage (for serve, also a port in use);\n"
            "3 the output could not be written; 130 interrupted (Ctrl-C).") in text


def test_version_prints_the_package_version(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert (exited.value.code, capsys.readouterr().out) == (0, f"feeds {__version__}\n")


def test_new_help_shows_the_usage_with_an_optional_site(capsys):
    assert help_text(capsys, "new").startswith("usage: feeds new [-h] [SITE] TITLE [--category C]... [--now WHEN]\n")


def test_an_option_a_command_does_not_know_is_told_with_that_commands_usage(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["build", "--bogus"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: feeds build [-h]") and err.endswith("feeds: error: unrecognized arguments: --bogus\n")


@pytest.mark.parametrize("command", ["build", "check", "watch", "serve"])
def test_help_after_a_site_that_is_not_there_still_helps(capsys, command):
    with pytest.raises(SystemExit) as exited:
        main([command, "no-such-site", "--help"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: feeds {command} [-h]")


def test_two_sites_are_told_as_one_site_per_command(capsys, tmp_path):
    (tmp_path / "a").mkdir()
    with pytest.raises(SystemExit) as exited:
        main(["build", str(tmp_path / "a"), "b"])
    assert exited.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"feeds: error: expected one site's folder, found {tmp_path / 'a'} and then b; run feeds build once for each site")


def test_a_sites_files_passed_by_a_pre_commit_hook_are_told_the_whole_site_is_checked(capsys, make_site, monkeypatch):
    monkeypatch.chdir(make_site({"items/a.yaml": "title: A\n", "items/b.yaml": "title: B\n"}))
    with pytest.raises(SystemExit) as exited:
        main(["check", "items/a.yaml", "items/b.yaml", "site.yaml"])
    assert exited.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "feeds: error: expected the site's folder, found 3 files (items/a.yaml first); feeds check reads the whole "
        "site, as an entry is checked against the others (two with one id): name the folder that holds site.yaml, "
        "such as ., and in a pre-commit hook set pass_filenames: false")


@pytest.mark.parametrize("run_in, entry, site", [(".", "items/2020/a.yaml", "."), ("items/2020", "a.yaml", "../..")])
def test_one_entry_passed_by_a_pre_commit_hook_is_told_the_site_it_is_in(capsys, make_site, monkeypatch, run_in, entry,
                                                                         site):
    """A commit that touches one entry: its own folder, items/2020, was offered, which is no site."""
    monkeypatch.chdir(make_site({"items/2020/a.yaml": "title: A\n"}) / run_in)
    with pytest.raises(SystemExit) as exited:
        main(["check", entry])
    assert exited.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"feeds: error: argument SITE: expected the site's folder, found the file {entry}; feeds check reads the whole "
        "site, as an entry is checked against the others (two with one id): name the folder that holds site.yaml, "
        f"such as {site}, and in a pre-commit hook set pass_filenames: false")


@pytest.mark.parametrize("command", ["build", "check", "watch", "serve"])
def test_an_empty_site_name_is_wrong_usage_not_the_current_folder(capsys, command):
    """`feeds build "$SITE"` with SITE unset must not build whatever folder cron runs in."""
    with pytest.raises(SystemExit) as exited:
        main([command, ""])
    assert exited.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "feeds: error: argument SITE: expected the site's folder, found an empty name; name the folder that holds "
        "site.yaml, or leave SITE out for the current folder")


@pytest.mark.parametrize("command", [[], ["build"], ["watch"]], ids=["feeds", "build", "watch"])
def test_feeds_help_shows_what_help_shows(capsys, command):
    """`feeds help` is what people type first; `feeds help build` is `feeds build --help`."""
    assert main(["help", *command]) == 0
    assert capsys.readouterr().out == help_text(capsys, *command)


def test_quiet_and_verbose_together_are_wrong_usage(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["build", "-q", "-v"])
    assert exited.value.code == 2
    assert capsys.readouterr().err.endswith("feeds: error: argument --verbose/-v: not allowed with argument --quiet/-q\n")
