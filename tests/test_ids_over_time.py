"""What a reader that polls every build sees of one story over time: readers know an item by
its id alone, so a published story whose id changes (a slug corrected, an `id:` added, the
site moved to https) is shown to them again, as a new story; and one whose time moves with
a new `timezone` is shown again as updated. feeds publishes what the entries and site.yaml
say, and warns of it: in check and a dry run before the build, and in the build itself."""

from __future__ import annotations

import shutil
from pathlib import Path

from feeds.cli import main

from .conftest import SITE_YAML, entry_yaml

STORY = "items/storm.yaml"
OLD_ID = "https://news.example.com/news/storm"
LINK_WARNING = (f'{STORY}:2:7: warning: link: expected the id readers know this published story by, "{OLD_ID}", '
                f'found it changed to "https://news.example.com/news/storm-closes-ports"; readers would show it '
                f"again, as a new story; to keep its id, give the entry the line id: {OLD_ID} "
                f"(an id need not be its link)")


def run(capsys, *argv: str) -> tuple[int, str]:
    status = main(list(argv))
    return status, capsys.readouterr().err


def published(make_site, capsys, **fields: str):
    """A site whose story the feeds showed at a build, as readers have it."""
    root = make_site({STORY: entry_yaml(**fields)})
    assert run(capsys, "build", str(root), "--now", "2020-03-01")[0] == 0
    return root


def edit(root, **fields: str) -> None:
    (root / STORY).write_text(entry_yaml(**fields), encoding="utf-8")


def test_a_published_storys_link_changed_is_warned_of_with_the_line_that_keeps_its_id(make_site, capsys):
    root = published(make_site, capsys)
    edit(root, link="/news/storm-closes-ports")
    status, err = run(capsys, "check", str(root))
    assert status == 0
    assert err.splitlines() == [LINK_WARNING, "1 warning in 1 of 1 entry", "1 entry checked, no errors"]


def test_the_build_that_changes_a_published_id_says_so_and_the_next_build_does_not(make_site, capsys):
    root = published(make_site, capsys)
    edit(root, link="/news/storm-closes-ports")
    status, err = run(capsys, "build", str(root), "--now", "2020-03-01 10:00")
    assert status == 0
    assert LINK_WARNING in err.splitlines()
    edit(root, link="/news/storm-closes-ports", summary="Ports shut at dawn.")
    assert ": warning:" not in run(capsys, "build", str(root), "--now", "2020-03-01 10:05")[1]


def test_the_line_the_warning_gives_keeps_the_id_readers_know(make_site, capsys):
    root = published(make_site, capsys)
    edit(root, link="/news/storm-closes-ports", id=OLD_ID)
    status, err = run(capsys, "build", str(root), "--now", "2020-03-01 10:00")
    assert (status, ": warning:" in err) == (0, False)
    assert f'<guid isPermaLink="false">{OLD_ID}</guid>' in (root / "publish" / "rss.xml").read_text(encoding="utf-8")


def test_an_id_given_to_a_published_story_is_warned_of_at_its_id_line(make_site, capsys):
    root = published(make_site, capsys)
    edit(root, id="urn:uuid:0f9c5e1e-5a86-4a4e-9d8e-3f1b8f1f2a11")
    assert run(capsys, "check", str(root))[1].splitlines()[0] == (
        f'{STORY}:4:5: warning: id: expected the id readers know this published story by, "{OLD_ID}", found it '
        f'changed to "urn:uuid:0f9c5e1e-5a86-4a4e-9d8e-3f1b8f1f2a11"; readers would show it again, as a new story; '
        f"to keep its id, give the entry the line id: {OLD_ID} (an id need not be its link)")


def test_a_story_readers_never_had_may_change_its_link_with_no_warning(make_site, capsys):
    root = published(make_site, capsys, draft="true")
    edit(root, link="/news/storm-closes-ports")
    assert run(capsys, "check", str(root)) == (0, "1 entry checked, no problems\n")


def test_a_held_story_fixed_with_a_new_link_is_warned_of(make_site, capsys):
    root = published(make_site, capsys)
    (root / STORY).write_text(entry_yaml(link="/news/storm-closes-ports", published="Feb 30 2020"), encoding="utf-8")
    assert run(capsys, "build", str(root), "--now", "2020-03-01 10:00")[0] == 1  # held at its last good version
    edit(root, link="/news/storm-closes-ports")
    assert LINK_WARNING in run(capsys, "build", str(root), "--now", "2020-03-01 10:05")[1].splitlines()


def test_a_site_link_moved_to_https_is_one_warning_at_site_yaml_counting_the_stories(make_site, capsys):
    root = make_site({f"items/{name}.yaml": entry_yaml(title=name, link=f"/news/{name}") for name in ("a", "b", "c")},
                     site_yaml=SITE_YAML.replace("https://news.example.com/\n", "http://news.example.com/\n"))
    assert run(capsys, "build", str(root), "--now", "2020-03-01")[0] == 0
    (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    status, err = run(capsys, "check", str(root))
    assert status == 0
    assert err.splitlines()[0] == (
        'site.yaml:2:7: warning: link: expected the ids readers know published stories by to stay, found those of 3 '
        'published stories changed with the site\'s link (items/a.yaml: "http://news.example.com/news/a" is now '
        '"https://news.example.com/news/a"); readers would show each again, as a new story; to keep their ids, give '
        "each entry the id it had (items/a.yaml: id: http://news.example.com/news/a), or keep the link as it was")


def test_ids_changed_with_a_release_of_feeds_name_the_release(make_site, capsys, monkeypatch):
    root = make_site({STORY: entry_yaml()}, site_yaml=SITE_YAML.replace("https://news.", "http://news."))
    assert run(capsys, "build", str(root), "--now", "2020-03-01")[0] == 0
    (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    monkeypatch.setattr("feeds.cache.tool_key", lambda: b"\x01" * 16)  # as another release's key
    assert "changed with this release of feeds (" in run(capsys, "check", str(root))[1]


def test_a_new_timezone_that_moves_published_stories_times_is_one_warning_at_timezone(make_site, capsys):
    root = make_site({STORY: entry_yaml(), "items/flood.yaml": entry_yaml(link="/news/flood",
                                                                      published="2020-02-20 16:40 +03:00")})
    assert run(capsys, "build", str(root), "--now", "2020-03-01")[0] == 0
    (root / "site.yaml").write_text(SITE_YAML.replace("Europe/Istanbul", "Europe/London"), encoding="utf-8")
    status, err = run(capsys, "build", str(root), "--now", "2020-03-01 10:00")
    assert status == 0
    assert err.splitlines()[0] == (
        "site.yaml:5:11: warning: timezone: expected the times of published stories to stay as readers have them, "
        "found those of 1 published story moved with the timezone, their files unchanged (items/storm.yaml: "
        "published 2020-02-20T13:40:00Z is now 2020-02-20T16:40:00Z); readers would show each again as updated; to "
        "keep them, write their times with an offset (items/storm.yaml: published: 2020-02-20T13:40:00Z), or keep "
        "the timezone as it was")


def test_a_new_timezone_is_no_warning_once_the_times_are_written_as_the_hint_says(make_site, capsys):
    root = published(make_site, capsys)
    edit(root, published="2020-02-20T13:40:00Z")
    (root / "site.yaml").write_text(SITE_YAML.replace("Europe/Istanbul", "Europe/London"), encoding="utf-8")
    assert run(capsys, "check", str(root)) == (0, "1 entry checked, no problems\n")


def live_page_reused(make_site, capsys):
    """Monday's live page, published and expired; Tuesday's written at the same link."""
    root = make_site({"items/monday.yaml": entry_yaml(title="Live, Monday", link="/live", published="2020-03-02 08:00",
                                                      expires="2020-03-03 00:00")})
    assert run(capsys, "build", str(root), "--now", "2020-03-02 12:00")[0] == 0
    edit_at(root, "items/tuesday.yaml", entry_yaml(title="Live, Tuesday", link="/live", published="2020-03-03 08:00"))
    return root


def scheduled_page_taken(make_site, capsys):
    """A recap page scheduled for later, built; a live page written since at the same link, out now."""
    root = make_site({"items/recap.yaml": entry_yaml(title="Recap", link="/live", published="2020-03-05 09:00")})
    assert run(capsys, "build", str(root), "--now", "2020-03-02 00:00")[0] == 0
    edit_at(root, "items/live.yaml", entry_yaml(title="Live", link="/live", published="2020-03-02 13:00"))
    return root


def edit_at(root, path: str, text: str) -> None:
    (root / path).write_text(text, encoding="utf-8")


def test_a_link_readers_know_by_an_expired_story_taken_by_a_new_one_is_told_to_give_the_new_one_an_id(
        make_site, capsys):
    root = live_page_reused(make_site, capsys)
    status, err = run(capsys, "build", str(root), "--now", "2020-03-03 09:00")
    assert status == 1
    assert err.splitlines()[0] == (
        'items/monday.yaml:2:7: id: expected an id no other entry has, found "https://news.example.com/live", which '
        "items/tuesday.yaml has too; readers know this id by items/monday.yaml, which has left the feeds, and "
        "items/tuesday.yaml, out now, takes it: readers would take it for that story, edited, and not show it as "
        "new; give items/tuesday.yaml an id: urn:uuid:… of its own (its link may stay)")


def first_lines_of_two_builds_and_a_cold_one(root: Path, capsys, now: str) -> list[str]:
    """What two builds in turn and then one with no cache tell first, at the moment `now`."""
    told = []
    for cache_kept in (True, True, False):
        if not cache_kept:
            shutil.rmtree(root / ".feeds/cache")
        told.append(run(capsys, "build", str(root), "--now", now)[1].splitlines()[0])
    return told


def test_a_link_readers_know_by_an_expired_story_is_told_alike_at_every_build_and_with_no_cache(make_site, capsys):
    """The build after the first said the expired story was the newcomer, to be given its own
    link: its record had left the cache when it was refused. A cold build said so too."""
    root = live_page_reused(make_site, capsys)
    told = first_lines_of_two_builds_and_a_cold_one(root, capsys, "2020-03-03 09:00")
    assert told == [told[0]] * 3
    assert "give items/tuesday.yaml an id: urn:uuid:… of its own" in told[0]


def test_a_link_a_scheduled_story_had_taken_by_one_out_now_is_not_told_as_a_story_that_left_the_feeds(
        make_site, capsys):
    """A story only ever scheduled was told as one readers knew, 'which has left the feeds'."""
    root = scheduled_page_taken(make_site, capsys)
    status, err = run(capsys, "build", str(root), "--now", "2020-03-03 09:00")
    assert status == 1
    assert err.splitlines()[0] == (
        'items/recap.yaml:2:7: id: expected an id no other entry has, found "https://news.example.com/live", which '
        "items/live.yaml has too; items/recap.yaml is scheduled for 2020-03-05T06:00:00Z, not out now, and "
        "items/live.yaml, out now, keeps it: if readers had items/recap.yaml before it was pushed back, give "
        "items/live.yaml an id: urn:uuid:… of its own (its link may stay), or they would take it for that story, "
        "edited; if not, give items/recap.yaml one before it is due")


def test_a_link_a_scheduled_story_had_taken_by_one_out_now_is_told_alike_at_every_build_and_with_no_cache(
        make_site, capsys):
    """The builds after the first, and a cold one, said the scheduled story was the newcomer,
    to be given its own link: its record had left the cache when it was refused."""
    root = scheduled_page_taken(make_site, capsys)
    told = first_lines_of_two_builds_and_a_cold_one(root, capsys, "2020-03-03 09:00")
    assert told == [told[0]] * 3
    assert "items/recap.yaml is scheduled for 2020-03-05T06:00:00Z, not out now" in told[0]


def test_the_new_story_given_an_id_as_told_is_no_warning_though_it_went_out_under_the_old_one(make_site, capsys):
    root = live_page_reused(make_site, capsys)
    assert run(capsys, "build", str(root), "--now", "2020-03-03 09:00")[0] == 1
    edit_at(root, "items/tuesday.yaml", entry_yaml(title="Live, Tuesday", link="/live", published="2020-03-03 08:00",
                                                   id="urn:uuid:0f9c5e1e-5a86-4a4e-9d8e-3f1b8f1f2a11"))
    assert ": warning:" not in run(capsys, "build", str(root), "--now", "2020-03-03 09:05")[1]


def test_a_new_story_at_the_link_of_a_deleted_one_is_warned_that_readers_take_it_for_that_one(make_site, capsys):
    root = make_site({"items/monday.yaml": entry_yaml(title="Live, Monday", link="/live", published="2020-03-02 08:00")})
    assert run(capsys, "build", str(root), "--now", "2020-03-02 12:00")[0] == 0
    (root / "items/monday.yaml").unlink()
    edit_at(root, "items/tuesday.yaml", entry_yaml(title="Live, Tuesday", link="/live", published="2020-03-03 08:00"))
    status, err = run(capsys, "build", str(root), "--now", "2020-03-03 09:00")
    assert status == 0
    assert err.splitlines()[0] == (
        'items/tuesday.yaml:2:7: warning: link: expected an id readers have not had, found '
        '"https://news.example.com/live", the id of items/monday.yaml ("Live, Monday"), gone from items/ since the '
        "last build; readers would take this story for that one, edited, and not show it as new; if it is a new "
        "story, give it an id: urn:uuid:… of its own (its link may stay)")


def test_a_story_copied_to_another_folder_and_deleted_where_it_was_is_no_warning(make_site, capsys):
    root = published(make_site, capsys)
    (root / "items/2020").mkdir()
    (root / "items/2020/storm.yaml").write_bytes((root / STORY).read_bytes())  # a new file, as git checks it out
    (root / STORY).unlink()
    assert ": warning:" not in run(capsys, "build", str(root), "--now", "2020-03-01 10:00")[1]


def settled(monkeypatch) -> None:
    """Files written just before a build count as settled, as a desk's edits of minutes before do."""
    monkeypatch.setattr("feeds.cache.RACY_WINDOW_NS", 0)


def test_a_link_corrected_as_the_timezone_changes_is_warned_of_at_its_own_line(make_site, capsys, monkeypatch):
    settled(monkeypatch)
    root = published(make_site, capsys, published="2020-02-20T13:40:00Z")
    edit(root, link="/news/storm-closes-ports", published="2020-02-20T13:40:00Z")
    (root / "site.yaml").write_text(SITE_YAML.replace("Europe/Istanbul", "Europe/London"), encoding="utf-8")
    assert run(capsys, "check", str(root))[1].splitlines()[0] == LINK_WARNING


def test_a_link_corrected_as_feeds_is_upgraded_is_warned_of_at_its_own_line_not_blamed_on_the_release(
        make_site, capsys, monkeypatch):
    settled(monkeypatch)
    root = published(make_site, capsys)
    edit(root, link="/news/storm-closes-ports")
    monkeypatch.setattr("feeds.cache.tool_key", lambda: b"\x01" * 16)  # as another release's key
    status, err = run(capsys, "build", str(root), "--now", "2020-03-01 10:00")
    assert (status, err.splitlines()[:2]) == (0, [LINK_WARNING, "1 warning in 1 of 1 entry"])


def test_a_new_story_at_the_link_another_story_left_is_warned_that_readers_take_it_for_that_one(make_site, capsys):
    root = make_site({"items/budget.yaml": entry_yaml(title="Budget day", link="/budget", published="2020-03-02 08:00")})
    assert run(capsys, "build", str(root), "--now", "2020-03-02 12:00")[0] == 0
    edit_at(root, "items/budget.yaml", entry_yaml(title="Budget day", link="/budget-2020", published="2020-03-02 08:00"))
    edit_at(root, "items/reaction.yaml", entry_yaml(title="Budget reaction", link="/budget",
                                                    published="2020-03-02 13:00"))
    status, err = run(capsys, "build", str(root), "--now", "2020-03-02 14:00")
    assert status == 0
    assert err.splitlines()[0] == (
        'items/reaction.yaml:2:7: warning: link: expected an id readers have not had, found '
        '"https://news.example.com/budget", the id of items/budget.yaml ("Budget day"), its id changed to '
        '"https://news.example.com/budget-2020" since the last build; readers would take this story for that one, '
        "edited, and not show it as new; if it is a new story, give it an id: urn:uuid:… of its own (its link may stay)")


def test_a_story_moved_to_another_folder_with_its_title_corrected_is_no_warning(make_site, capsys):
    root = published(make_site, capsys, title="Strom closes ports")
    (root / "items/2020").mkdir()
    edit_at(root, "items/2020/storm.yaml", entry_yaml())
    (root / STORY).unlink()
    assert ": warning:" not in run(capsys, "build", str(root), "--now", "2020-03-01 10:00")[1]


def test_a_new_timezone_that_moves_only_an_updated_time_names_updated_with_the_line_that_keeps_it(
        make_site, capsys, monkeypatch):
    settled(monkeypatch)
    root = published(make_site, capsys, published="2020-02-20T13:40:00Z", updated="2020-02-21 09:00")
    (root / "site.yaml").write_text(SITE_YAML.replace("Europe/Istanbul", "Europe/London"), encoding="utf-8")
    assert run(capsys, "check", str(root))[1].splitlines()[0] == (
        "site.yaml:5:11: warning: timezone: expected the times of published stories to stay as readers have them, "
        "found those of 1 published story moved with the timezone, their files unchanged (items/storm.yaml: "
        "updated 2020-02-21T06:00:00Z is now 2020-02-21T09:00:00Z); readers would show each again as updated; to "
        "keep them, write their times with an offset (items/storm.yaml: updated: 2020-02-21T06:00:00Z), or keep "
        "the timezone as it was")


def test_an_updated_time_added_as_the_timezone_changes_is_an_edit_not_a_moved_time(make_site, capsys):
    root = published(make_site, capsys, published="2020-02-20T13:40:00Z")  # built at once: too new to trust
    edit(root, published="2020-02-20T13:40:00Z", updated="2020-02-21T09:00:00Z")
    (root / "site.yaml").write_text(SITE_YAML.replace("Europe/Istanbul", "Europe/London"), encoding="utf-8")
    status, err = run(capsys, "build", str(root), "--now", "2020-03-01 10:00")
    assert (status, ": warning:" in err) == (0, False)


def test_a_scheduled_storys_link_corrected_before_it_falls_due_is_no_warning(make_site, capsys):
    root = make_site({"items/a.yaml": entry_yaml(title="Out now", link="/news/out-now"),
                      STORY: entry_yaml(published="2020-03-05 09:00")})
    assert run(capsys, "build", str(root), "--now", "2020-03-01")[0] == 0
    edit(root, link="/news/storm-closes-ports", published="2020-03-05 09:00")
    status, err = run(capsys, "build", str(root), "--now", "2020-03-06")
    assert (status, ": warning:" in err) == (0, False)
