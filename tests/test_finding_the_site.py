"""A command run where there is no site.yaml says where the site is: a settings file under
another name beside it, or the site whose items/ it was run in. build, check and new find no
valid site (exit 1, as the SPEC says of an invalid site); watch and serve, which would wait
for ever, are wrong usage (exit 2)."""

from __future__ import annotations

import pytest

from feeds.build import load_site
from feeds.cli import main
from feeds.problems import Problem

from .conftest import entry_yaml, shell_words


def refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """The last line of a command refused as wrong usage."""
    with pytest.raises(SystemExit) as stopped:
        main(list(argv))
    assert stopped.value.code == 2
    return capsys.readouterr().err.splitlines()[-1]


def invalid(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """The first line of a command that found no valid site (exit 1)."""
    assert main(list(argv)) == 1
    return capsys.readouterr().err.splitlines()[0]


@pytest.mark.parametrize("command", ["build", "check"])
def test_building_or_checking_a_folder_without_a_site_finds_no_valid_site(tmp_path, capsys, command):
    assert invalid(capsys, command, str(tmp_path)) == (
        f"site.yaml:1:1: expected a site, found no site.yaml in {tmp_path}; "
        "run feeds init DIR to make one, or name the site's folder")
    assert list(tmp_path.iterdir()) == []  # no .feeds/lock


@pytest.mark.parametrize("command", ["watch", "serve"])
def test_watching_or_serving_a_folder_without_a_site_is_wrong_usage(tmp_path, capsys, command):
    assert refused(capsys, command, str(tmp_path)) == (
        f"feeds: error: argument SITE: expected a site, found no site.yaml in {tmp_path}; "
        "run feeds init DIR to make one, or name the site's folder")
    assert list(tmp_path.iterdir()) == []


def test_new_in_a_folder_without_a_site_finds_no_valid_site(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert invalid(capsys, "new", "Storm") == ("site.yaml:1:1: expected a site, found no site.yaml in .; run feeds init "
                                               "DIR to make one, or name the site's folder")


def test_serving_a_folder_named_with_out_needs_no_site(tmp_path, monkeypatch):
    monkeypatch.setattr("feeds.cli.run_serve", lambda args: 0)  # the arguments were taken
    assert main(["serve", str(tmp_path), "--out", str(tmp_path / "elsewhere")]) == 0


@pytest.mark.parametrize("command", ["build", "check"])
def test_a_command_run_in_a_folder_of_items_names_the_site_to_run_it_on(make_site, capsys, monkeypatch, command):
    root = make_site({"items/2024/a.yaml": entry_yaml()})
    monkeypatch.chdir(root / "items" / "2024")
    assert invalid(capsys, command) == ("site.yaml:1:1: expected a site, found no site.yaml in ., a folder in items/ of "
                                        f"the site ../..; run feeds {command} ../..")  # a check never told to publish


def test_new_run_in_a_folder_of_items_names_the_site_and_the_title(make_site, capsys, monkeypatch):
    root = make_site({"items/2024/a.yaml": entry_yaml()})
    monkeypatch.chdir(root / "items" / "2024")
    assert invalid(capsys, "new", "Quick story") == ("site.yaml:1:1: expected a site, found no site.yaml in ., a folder "
                                                     "in items/ of the site ../..; run feeds new ../.. 'Quick story'")
    assert sorted(path.name for path in (root / "items" / "2024").iterdir()) == ["a.yaml"]


def test_a_site_yaml_further_out_than_its_items_is_no_site_of_the_folder(make_site, capsys):
    root = make_site({})
    (root / "docs").mkdir()
    assert invalid(capsys, "check", str(root / "docs")).endswith(f"found no site.yaml in {root / 'docs'}; "
                                                                 "run feeds init DIR to make one, or name the site's folder")


@pytest.mark.parametrize("name", ["site.yml", "Site.yaml", "SITE.YML", "site.yaml.txt", "site.yaml.bak"])
def test_settings_under_another_name_are_named_with_the_way_to_rename_them(make_site, capsys, name):
    root = make_site({})
    (root / "site.yaml").rename(root / name)
    assert invalid(capsys, "build", str(root)) == (
        f"site.yaml:1:1: expected a site, found no site.yaml in {root}, only {name}; feeds reads site.yaml alone; "
        f"if {name} holds the site's settings, rename it: mv {root / name} {root / 'site.yaml'}")


def test_a_site_yaml_that_links_to_nothing_is_named_as_such(make_site, capsys):
    root = make_site({})
    (root / "site.yaml").unlink()
    (root / "site.yaml").symlink_to("/srv/config/site.yaml")
    assert main(["build", str(root)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "site.yaml:1:1: expected a file site.yaml in " + str(root) + ", found a link to /srv/config/site.yaml, which "
        "is not there; put the settings file there, or replace the link with the file site.yaml")


def test_the_library_says_the_same_as_the_command(make_site):
    root = make_site({})
    (root / "site.yaml").rename(root / "site.yml")
    assert load_site(root) == [Problem(
        "site.yaml", 1, 1, "", "no-site", f"expected a site, found no site.yaml in {root}, only site.yml",
        f"feeds reads site.yaml alone; if site.yml holds the site's settings, rename it: "
        f"mv {root}/site.yml {root}/site.yaml")]


def test_a_rename_hint_puts_dot_slash_before_a_folder_that_starts_with_a_dash(tmp_path, capsys, monkeypatch):
    """mv -d/site.yml would read -d as an option: the hint must be a command that works."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "-d").mkdir()
    (tmp_path / "-d" / "site.yml").write_text("title: T\n", "utf-8")
    assert main(["check", "--", "-d"]) == 1
    assert capsys.readouterr().err.splitlines()[0].endswith("rename it: mv ./-d/site.yml ./-d/site.yaml")


def test_the_rename_a_hint_gives_is_the_last_of_its_line_with_no_comma_glued_to_the_new_name(tmp_path, capsys,
                                                                                             monkeypatch):
    """'mv site.yml site.yaml, as feeds reads…' copied up to the comma renamed the file to 'site.yaml,'."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "it's here").mkdir()
    (tmp_path / "it's here" / "site.yml").write_text("title: T\n", "utf-8")
    assert main(["check", "it's here"]) == 1
    command = capsys.readouterr().err.splitlines()[0].split("rename it: ")[1]
    assert shell_words(command) == ["mv", "it's here/site.yml", "it's here/site.yaml"]
