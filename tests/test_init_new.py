"""`feeds init` makes a site that builds at once; `feeds new` starts an entry and never overwrites."""

from __future__ import annotations

import re
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feeds.build import build_site, check_site, load_site
from feeds.cli import main
from feeds.load import parse_document
from feeds.model import Entry, Site
from feeds.scaffold import NEW_BODY, NEW_SUMMARY, ScaffoldError, entry_slug, entry_text, init_site, new_entry
from feeds.validate import validate_entry
from feeds.validate_site import SITE_FIELDS

from .conftest import SITE_YAML, entry_yaml, shell_words

NOW = datetime(2020, 2, 20, 13, 40, 30, tzinfo=timezone.utc)


def site_of(root: Path) -> Site:
    site = load_site(root)
    assert isinstance(site, Site), site
    return site


def entry_of(site: Site, relative: Path) -> Entry:
    doc = parse_document((site.root / relative).read_bytes(), relative.as_posix())
    entry = validate_entry(doc, site)  # type: ignore[arg-type]
    assert isinstance(entry, Entry), entry
    return entry


# init


def test_init_makes_a_site_that_builds_with_its_example_entry(tmp_path):
    init_site(tmp_path / "site", NOW)
    result = build_site(tmp_path / "site", now=NOW)
    assert result.check.ok, result.check.problems
    assert result.items_published == 1
    assert {"rss.xml", "atom.xml", "feed.json", "index.html"} <= set(result.written)


def test_init_writes_site_yaml_example_entry_and_gitignore(tmp_path):
    written = init_site(tmp_path / "site", NOW)
    assert written == [Path("site.yaml"), Path("items/2020/02/our-news-feeds-are-live.yaml"), Path(".gitignore")]
    assert (tmp_path / "site/.gitignore").read_text() == "# feeds: the built feeds and the tool's own state\n/publish/\n/.feeds/\n"


def test_init_site_yaml_shows_every_key_with_optional_ones_commented_out(tmp_path):
    init_site(tmp_path / "site", NOW)
    text = (tmp_path / "site/site.yaml").read_text()
    set_keys = re.findall(r"^(\w+):", text, re.M)
    commented_keys = re.findall(r"^# ([a-z_]+): ", text, re.M)
    assert set_keys == ["title", "link", "description"]
    assert sorted(set_keys + commented_keys) == sorted(SITE_FIELDS)


def test_init_site_yaml_shows_the_defaults(tmp_path):
    init_site(tmp_path / "site", NOW)
    text = (tmp_path / "site/site.yaml").read_text()
    for line in ("# language: en ", "# timezone: UTC ", "# max_items: 50 ", "# formats: [rss, atom, json] ",
                 "# category_feeds: true ", "# summary_length: 300 ", "# publish_dir: publish "):
        assert line in text


def test_init_example_entry_is_dated_at_the_minute_not_in_the_future(tmp_path):
    init_site(tmp_path / "site", NOW)
    site = site_of(tmp_path / "site")
    entry = entry_of(site, Path("items/2020/02/our-news-feeds-are-live.yaml"))
    assert entry.published == datetime(2020, 2, 20, 13, 40, tzinfo=timezone.utc)


def test_init_refuses_a_folder_that_holds_a_site(tmp_path, capsys):
    (tmp_path / "site").mkdir()
    (tmp_path / "site/site.yaml").write_text("title: Mine\n")
    assert main(["init", str(tmp_path / "site")]) == 2
    assert capsys.readouterr().err == (
        f"feeds: error: {tmp_path}/site already holds a site (site.yaml exists) and feeds init never overwrites "
        f"one; to add an entry run: feeds new {tmp_path}/site \"A headline\"\n")
    assert (tmp_path / "site/site.yaml").read_text() == "title: Mine\n"
    assert not (tmp_path / "site/items").exists()


@pytest.mark.parametrize("name", ["site.yml", "Site.yaml", "site.yaml.txt"])
def test_init_refuses_a_folder_that_holds_a_sites_settings_under_another_name(tmp_path, capsys, name):
    (tmp_path / name).write_text("title: Mine\n")
    assert main(["init", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        f"feeds: error: {tmp_path} already holds {name}, a site's settings by its name, and feeds init never makes a "
        f"second site over one; if {name} holds the site's settings, rename it: mv {tmp_path / name} "
        f"{tmp_path / 'site.yaml'}\n")
    assert sorted(path.name for path in tmp_path.iterdir()) == [name]


def test_init_refuses_a_folder_whose_site_yaml_links_to_nothing(tmp_path, capsys):
    (tmp_path / "site.yaml").symlink_to("/srv/config/site.yaml")
    assert main(["init", str(tmp_path)]) == 2
    assert "already holds a site (site.yaml exists)" in capsys.readouterr().err
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site.yaml"]


def test_init_refuses_a_folder_whose_items_hold_entries_already(tmp_path, capsys):
    (tmp_path / "items/2024").mkdir(parents=True)
    (tmp_path / "items/2024/storm.yaml").write_text(entry_yaml())
    assert main(["init", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        f"feeds: error: {tmp_path}/items already holds entries, and feeds init would publish its example among them; "
        "make the site in a new folder (feeds init NEW), then move its site.yaml here\n")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["items"]


def test_init_makes_a_site_where_items_holds_no_file_but_a_hidden_one(tmp_path):
    (tmp_path / "items").mkdir()
    (tmp_path / "items/.gitkeep").write_text("")
    assert main(["init", str(tmp_path), "--now", "2020-02-20"]) == 0


def test_init_refuses_a_folder_in_the_items_of_a_site(tmp_path, capsys, monkeypatch):
    init_site(tmp_path / "site", NOW)
    (tmp_path / "site/items/2024").mkdir()
    monkeypatch.chdir(tmp_path / "site/items/2024")
    assert main(["init", "."]) == 2
    assert capsys.readouterr().err == (
        f"feeds: error: . is in the items folder of the site {tmp_path}/site, where every .yaml file is one of its "
        "entries; make the new site outside it\n")
    assert list(Path().iterdir()) == []


def test_init_refuses_a_path_that_is_a_file(tmp_path):
    (tmp_path / "site").write_text("")
    with pytest.raises(ScaffoldError, match="is a file, not a folder"):
        init_site(tmp_path / "site", NOW)


def test_init_refuses_an_empty_folder_name_rather_than_use_the_current_folder(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["init", ""]) == 2 and not (tmp_path / "site.yaml").exists()
    assert capsys.readouterr().err.splitlines()[-1] == ("feeds: error: expected a folder name, found "
                                                        "nothing; give one, such as feeds init newsroom")


def test_init_keeps_an_existing_gitignore_and_adds_only_missing_lines(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site/.gitignore").write_text("*.pyc\n/publish/")
    init_site(tmp_path / "site", NOW)
    assert (tmp_path / "site/.gitignore").read_text() == "*.pyc\n/publish/\n/.feeds/\n"


def test_init_command_lists_what_it_created_and_what_to_do_next(tmp_path, capsys):
    assert main(["init", str(tmp_path / "site"), "--now", "2020-02-20T13:40:30Z"]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (f"created {tmp_path}/site/site.yaml\n"
                   f"created {tmp_path}/site/items/2020/02/our-news-feeds-are-live.yaml\n"
                   f"created {tmp_path}/site/.gitignore\n"
                   f"next: cd {tmp_path}/site and put your title, link and description in site.yaml, then\n"
                   f"  feeds new \"Your first headline\"   start an entry\n"
                   f"  feeds build                       write the feeds into publish/\n")


def test_init_command_quotes_a_folder_with_a_space_in_the_cd_it_says_to_run_next(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["init", "my site"]) == 0
    next_line = capsys.readouterr().err.splitlines()[-3]
    assert next_line.startswith("next: cd 'my site' and put your title")
    assert shell_words(next_line.removeprefix("next: ").split(" and put")[0]) == ["cd", "my site"]


def test_init_command_puts_dot_slash_before_a_folder_that_starts_with_a_dash_in_the_cd_it_says_to_run_next(
        tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["init", "--", "-site"]) == 0
    assert "next: cd ./-site and put your title" in capsys.readouterr().err


def test_init_command_writes_a_folder_with_a_control_character_in_the_cd_as_a_word_bash_reads_back(
        tmp_path, capsys, monkeypatch):
    """The escape was written out in single quotes, `cd 'x\\x1b[31m'`: safe on a terminal,
    but it named no folder when pasted."""
    monkeypatch.chdir(tmp_path)
    assert main(["init", "x\x1b[31m\u202e"]) == 0
    err = capsys.readouterr().err
    assert "\x1b" not in err
    next_line = err.splitlines()[-3]
    assert next_line.startswith("next: cd $'x\\x1b[31m\\u202e' and put your title")
    command = next_line.removeprefix("next: ").split(" and put")[0]
    pasted = subprocess.run(["bash", "-c", f"{command} && pwd"], capture_output=True, check=True, env={"LC_ALL": "C.UTF-8"})
    assert pasted.stdout.decode() == f"{tmp_path}/x\x1b[31m\u202e\n"


def test_init_command_says_an_existing_gitignore_gained_lines_not_that_it_was_created(tmp_path, capsys):
    (tmp_path / "site").mkdir()
    (tmp_path / "site/.gitignore").write_text("*.pyc\n")
    assert main(["init", str(tmp_path / "site"), "--now", "2020-02-20T13:40:30Z"]) == 0
    assert capsys.readouterr().err.splitlines()[2] == (
        f"added the lines for publish/ and .feeds/ it lacked to {tmp_path}/site/.gitignore")


# new


def test_new_writes_every_field_dated_now_in_the_site_timezone(make_site):
    site = site_of(make_site())
    relative = new_entry(site, "Storm closes ports", ["News", "Weather"], NOW)
    assert relative == Path("items/2020/02/storm-closes-ports.yaml")
    assert (site.root / relative).read_text() == """\
# A feeds entry. Required: title, link, published, and summary or body.
# `feeds check` says what is wrong, with the line and column.
title: Storm closes ports
link: /2020/02/storm-closes-ports
published: 2020-02-20 16:40+03:00
categories: [News, Weather]
summary: One or two plain sentences saying what happened.
body: |
  Write the story here, in Markdown: **bold**, _italic_, [links](https://www.example.com/).
draft: true                            # delete this line to publish
# updated: 2020-02-20 16:40+03:00      # when the story last changed; never before published
# author: {name: News desk, email: desk@example.com} # default: the site's author
# image: /img/lead.jpg                 # lead image, relative to link or absolute
# expires: 2021-02-01                  # gone from the feeds from this date on
# id: urn:uuid:...                     # default: the absolute link; never change it once published
"""


def test_new_entry_is_a_valid_draft(make_site):
    site = site_of(make_site())
    entry = entry_of(site, new_entry(site, "Storm closes ports", (), NOW))
    assert entry.draft is True
    assert entry.published == datetime(2020, 2, 20, 13, 40, tzinfo=timezone.utc)
    assert entry.link == "https://news.example.com/2020/02/storm-closes-ports"
    assert check_site(site.root).ok


def test_new_folder_follows_the_site_timezone_across_midnight(make_site):
    site = site_of(make_site())
    relative = new_entry(site, "Late", (), datetime(2020, 2, 29, 22, 30, tzinfo=timezone.utc))
    assert relative == Path("items/2020/03/late.yaml")


def test_new_gives_a_taken_name_a_number_and_never_overwrites(make_site):
    site = site_of(make_site())
    first = new_entry(site, "Storm", (), NOW)
    (site.root / first).write_text("edited by hand\n")
    assert new_entry(site, "Storm", (), NOW) == Path("items/2020/02/storm-2.yaml")
    assert new_entry(site, "storm!", (), NOW) == Path("items/2020/02/storm-3.yaml")
    assert (site.root / first).read_text() == "edited by hand\n"


def test_new_on_a_full_disk_exits_3_and_leaves_no_empty_entry_behind(make_site, capsys, monkeypatch):
    import io

    from feeds import scaffold

    root = make_site()

    class FullDisk(io.StringIO):
        def __init__(self, path: Path, *args: object, **kwargs: object) -> None:
            super().__init__()
            Path(path).touch(exist_ok=False)  # created, as open(path, "x") creates it, before the write fails

        def write(self, text: str) -> int:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(scaffold, "open", FullDisk, raising=False)
    assert main(["new", str(root), "Storm closes ports", "--now", "2020-02-20 16:40"]) == 3
    assert "cannot write the entry" in capsys.readouterr().err
    assert not list((root / "items").rglob("storm*"))


def test_new_treats_a_yml_file_as_taking_the_name(make_site):
    site = site_of(make_site({"items/2020/02/storm.yml": "title: x\n"}))
    assert new_entry(site, "Storm", (), NOW) == Path("items/2020/02/storm-2.yaml")


def test_new_numbered_names_get_distinct_links(make_site):
    site = site_of(make_site())
    new_entry(site, "Storm", (), NOW)
    second = entry_of(site, new_entry(site, "Storm", (), NOW))
    assert second.link == "https://news.example.com/2020/02/storm-2"


def test_new_title_that_slugs_to_nothing_gets_the_fallback_name(make_site):
    site = site_of(make_site())
    assert new_entry(site, "!!! ???", (), NOW) == Path("items/2020/02/entry.yaml")


def test_slug_of_a_long_title_is_cut_at_a_word():
    assert entry_slug("Parliament votes " + "again " * 20) == "parliament-votes-again-again-again-again-again-again-again"


def test_slug_keeps_letters_of_any_script():
    assert entry_slug("Erdoğan ve Putin: Λέσβος") == "erdoğan-ve-putin-λέσβος"


def test_new_on_a_site_of_ascii_slugs_names_the_story_in_ascii(make_site):
    site = site_of(make_site(site_yaml=SITE_YAML + "slugs: ascii\n"))
    relative = new_entry(site, "Москва: снегопад", (), NOW)
    assert relative == Path("items/2020/02/moskva-snegopad.yaml")
    assert entry_of(site, relative).link == "https://news.example.com/2020/02/moskva-snegopad"


@pytest.mark.parametrize("title", [
    "Storm: ports closed", "\"Quoted\" and 'single'", "Erdoğan ile Putin görüştü", "yes", "NO", "1984", "3.14",
    "null", "~", "1e5", "0E0", "+1.5e-3", ".5", "- dash first", "[bracketed]", "{braced}", "#hashtag", "a # b", "50% off & more", "*star",
    "&anchor", "!tag", "|pipe", ">folded", "@at", "`tick`", "Ünïcödé — “curly” ‘quotes’", "key: value: more",
])
def test_new_titles_round_trip_exactly(make_site, title):
    site = site_of(make_site())
    assert entry_of(site, new_entry(site, title, (), NOW)).title == title


@pytest.mark.parametrize("category", ["Middle East", "yes", "0[", "a, b", "key: value", "Ekonomi & Çevre", "a]b"])
def test_new_categories_round_trip_exactly(make_site, category):
    site = site_of(make_site())
    assert entry_of(site, new_entry(site, "Storm", [category], NOW)).categories == (category,)


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=80))
def test_any_title_and_category_read_back_as_the_same_text(title):
    text = entry_text(title, "/x", NOW, [title, "News"], "Summary.", "Body.", True)
    doc = parse_document(text.encode(), "x.yaml")
    told = doc if isinstance(doc, list) else list(doc.problems)
    if told:  # a character XML cannot carry: refused by the loader, never misread
        assert {problem.code for problem in told} == {"bad-character"}, told
        return
    fields = doc.root.value
    assert fields["title"].value == title
    assert [node.value for node in fields["categories"].value] == [title, "News"]


def test_new_refuses_an_empty_title(make_site):
    site = site_of(make_site())
    with pytest.raises(ScaffoldError, match="the title is empty"):
        new_entry(site, "  \n ", (), NOW)


def test_new_refuses_a_title_a_feed_cannot_carry_and_writes_nothing(make_site):
    site = site_of(make_site())
    with pytest.raises(ScaffoldError, match="the title has the character U\\+0007"):
        new_entry(site, "bell \x07", (), NOW)
    assert list((site.root / "items").iterdir()) == []


def test_new_command_prints_the_path_on_stdout(make_site, capsys, monkeypatch):
    monkeypatch.chdir(make_site())
    assert main(["new", "Storm closes ports", "--category", "News", "--now", "2020-02-20 16:40"]) == 0
    out, err = capsys.readouterr()
    assert out == "items/2020/02/storm-closes-ports.yaml\n"
    assert err == "a draft: fill it in, then delete its draft line to publish it\n"


def test_new_command_takes_the_site_folder_first(make_site, capsys, tmp_path):
    make_site()
    assert main(["new", str(tmp_path / "site"), "Storm", "--now", "2020-02-20 16:40"]) == 0
    assert capsys.readouterr().out == f"{tmp_path}/site/items/2020/02/storm.yaml\n"


def test_new_command_explains_an_unquoted_title(make_site, capsys, monkeypatch):
    monkeypatch.chdir(make_site())
    assert main(["new", "Storm", "closes", "ports"]) == 2
    assert capsys.readouterr().err == ("feeds: error: expected [SITE] TITLE, found 3 words and no folder named "
                                       "Storm; put the title in quotes: feeds new 'Storm closes ports'\n")


def _command_told(err: str) -> str:
    return err.split("put the title in quotes: ")[1].rstrip("\n")


def test_the_command_an_unquoted_title_is_told_to_run_keeps_a_dollar_and_quote_marks_in_it(make_site, capsys,
                                                                                           monkeypatch):
    """Pasted into a shell, "Storm costs $5m" made the title 'Storm costs m', and "PM says "no"" lost its quotes."""
    monkeypatch.chdir(make_site())
    assert main(["new", "Storm", 'costs $5m; PM says "no"']) == 2
    assert shell_words(_command_told(capsys.readouterr().err)) == ["feeds", "new", 'Storm costs $5m; PM says "no"']


def test_the_command_an_unquoted_title_is_told_to_run_keeps_a_site_folder_with_a_space_in_it(make_site, capsys,
                                                                                             monkeypatch, tmp_path):
    make_site(name="my site")
    monkeypatch.chdir(tmp_path)
    assert main(["new", "my site", "Storm", "closes"]) == 2
    assert shell_words(_command_told(capsys.readouterr().err)) == ["feeds", "new", "my site", "Storm closes"]


def test_new_refuses_a_category_the_site_would_reject(make_site):
    site = site_of(make_site())
    with pytest.raises(ScaffoldError) as refused:
        new_entry(site, "Storm", ["!!"], NOW)
    assert str(refused.value).startswith("cannot write this entry, as a category would not validate: ")
    assert list((site.root / "items").rglob("*.yaml")) == []


def test_an_entry_from_feeds_new_with_its_draft_line_deleted_is_refused_as_unfinished(make_site, capsys):
    root = make_site()
    relative = new_entry(load_site(root), "Storm closes ports", (), datetime(2020, 2, 20, 13, 40, tzinfo=timezone.utc))
    path = root / relative
    path.write_text(path.read_text(encoding="utf-8").replace("draft: true", "# draft: true"), encoding="utf-8")
    assert main(["check", str(root)]) == 1
    lines = capsys.readouterr().err.splitlines()
    found = "expected the story, found the placeholder feeds new wrote"
    assert lines[:2] == [
        f'{relative.as_posix()}:7:10: summary: {found}, "{NEW_SUMMARY}"; write the summary in its place, '
        + "or put back draft: true until it is finished",
        f'{relative.as_posix()}:8:7: body: {found}, "{NEW_BODY}"; write the body in its place, '
        + "or put back draft: true until it is finished"]


def test_a_finished_summary_with_the_placeholder_body_left_in_is_still_unfinished(make_site, capsys):
    root = make_site({"items/a.yaml": entry_yaml(summary="Ports shut.", body=f'"Intro.\\n\\n{NEW_BODY}"')})
    assert main(["build", str(root), "--now", "2020-03-01"]) == 1
    assert ": body: expected the story, found the placeholder" in capsys.readouterr().err


def test_a_draft_may_hold_the_placeholder_sentences(make_site, capsys):
    root = make_site({"items/a.yaml": entry_yaml(summary=NEW_SUMMARY, draft="true")})
    assert main(["check", str(root)]) == 0


def test_init_example_entry_is_finished_so_it_builds_without_problems(tmp_path, capsys):
    init_site(tmp_path / "site", datetime(2020, 2, 20, 13, 40, tzinfo=timezone.utc))
    assert main(["build", str(tmp_path / "site"), "--now", "2020-03-01"]) == 0
    err = capsys.readouterr().err
    assert ": error" not in err and "1 item published" in err


@pytest.mark.parametrize(("words", "said"), [
    (["Cats", "-c", ""], "feeds: error: cannot write this entry, as a category would not validate: expected a category "
                         "name, found empty text; write them as a list, such as categories: [News, Middle East], or "
                         "remove the line"),
    (["A\x01b"], "feeds: error: the title has the character U+0001 (a control character): XML 1.0 cannot carry it; "
                 "leave it out"),
])
def test_new_says_which_argument_would_not_validate_and_names_no_file(tmp_path, capsys, words, said):
    init_site(tmp_path / "site")
    assert main(["new", str(tmp_path / "site"), *words]) == 2
    assert capsys.readouterr().err.splitlines() == [said]


def test_new_refuses_an_items_link_leading_outside_the_site_and_writes_nothing_there(tmp_path, capsys):
    init_site(tmp_path / "site")
    items = tmp_path / "site" / "items"
    items.rename(tmp_path / "kept")
    items.symlink_to(tmp_path / "elsewhere")
    assert main(["new", str(tmp_path / "site"), "Hello"]) == 2
    assert "is a link to " in capsys.readouterr().err
    assert not (tmp_path / "elsewhere").exists()


def test_new_names_the_file_standing_where_items_should_be(tmp_path, capsys):
    init_site(tmp_path / "site")
    items = tmp_path / "site" / "items"
    items.rename(tmp_path / "kept")
    items.write_text("not a folder", encoding="utf-8")
    assert main(["new", str(tmp_path / "site"), "Hello"]) == 3
    assert capsys.readouterr().err == (f"feeds: error: cannot write the entry: {items} is a file, where a folder is "
                                       "needed: move it aside\n")


def test_new_names_an_items_link_to_nothing_and_writes_nothing(tmp_path, capsys):
    init_site(tmp_path / "site")
    items = tmp_path / "site" / "items"
    items.rename(tmp_path / "kept")
    items.symlink_to("missing")
    assert main(["new", str(tmp_path / "site"), "Hello"]) == 2
    assert "is a link to nothing (missing)" in capsys.readouterr().err
    assert not (tmp_path / "site" / "missing").exists()


@pytest.mark.parametrize("command", ["build", "check", "watch", "serve"])
def test_a_command_given_site_yaml_instead_of_its_folder_is_wrong_usage_and_says_to_name_the_folder(
        make_site, capsys, monkeypatch, command):
    root = make_site({})
    monkeypatch.chdir(root)
    with pytest.raises(SystemExit) as stopped:
        main([command, "site.yaml"])
    assert stopped.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == ("feeds: error: argument SITE: expected the site's folder, "
                                                        "found the file site.yaml; name the folder that holds "
                                                        "site.yaml, such as .")
    assert not (root / "site.yaml" / "publish").exists() and not (root / "publish").exists()


def test_the_init_a_missing_folder_is_offered_quotes_a_name_a_shell_would_split(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit):
        main(["check", "my site"])
    assert capsys.readouterr().err.splitlines()[-1].endswith("or make a site there with feeds init 'my site'")


@pytest.mark.parametrize("command", ["build", "check", "watch", "serve"])
def test_a_site_folder_that_does_not_exist_is_wrong_usage_not_an_invalid_site(tmp_path, capsys, command):
    with pytest.raises(SystemExit) as stopped:
        main([command, str(tmp_path / "newsrom")])
    assert stopped.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"feeds: error: argument SITE: expected the site's folder, found no folder named {tmp_path / 'newsrom'}; "
        f"name the folder that holds site.yaml, or make a site there with feeds init {tmp_path / 'newsrom'}")
