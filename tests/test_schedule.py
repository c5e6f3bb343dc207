"""Scheduled publishing: what each build holds as time moves on, and the line it ends with."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import feedparser
import pytest

from feeds.cli import main

from .conftest import SITE_YAML, entry_yaml

SCHEDULED_SITE = {
    "items/old.yaml": entry_yaml(title="Old", link="/old", published="2020-02-20 09:00+00:00", categories="[Brief]"),
    "items/expiring.yaml": entry_yaml(title="Expiring", link="/expiring", published="2020-02-20 10:00+00:00",
                                      categories="[Brief]", expires="2020-02-22 00:00+00:00"),
    "items/scheduled.yaml": entry_yaml(title="Scheduled", link="/scheduled", published="2020-02-21 09:00+00:00"),
    "items/draft.yaml": entry_yaml(title="Draft", link="/draft", published="2020-02-20 08:00+00:00",
                                   categories="[Brief]", draft="true"),
}


def build(root: Path, now: str, *options: str) -> int:
    return main(["build", str(root), "--now", now, *options])


def titles(root: Path, path: str) -> list[str]:
    parsed = feedparser.parse((root / "publish" / path).read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return [entry.title for entry in parsed.entries]


@pytest.mark.parametrize(("now", "expected"), [
    ("2020-02-20 09:30+00:00", ["Old"]),
    ("2020-02-21 08:59:59+00:00", ["Expiring", "Old"]),
    ("2020-02-21 09:00+00:00", ["Scheduled", "Expiring", "Old"]),
    ("2020-02-22 00:00+00:00", ["Scheduled", "Old"]),
    ("2026-01-01 00:00+00:00", ["Scheduled", "Old"]),
])
def test_each_build_holds_what_is_due_and_not_expired_and_never_a_draft(make_site, now, expected):
    root = make_site(SCHEDULED_SITE)
    assert build(root, now) == 0
    assert titles(root, "rss.xml") == expected
    assert titles(root, "atom.xml") == expected


def test_stepping_time_forward_on_one_site_publishes_then_withdraws(make_site):
    root = make_site(SCHEDULED_SITE)
    seen = []
    for now in ("2020-02-21 08:59+00:00", "2020-02-21 09:00+00:00", "2020-02-22 00:00+00:00"):
        assert build(root, now) == 0
        seen.append((titles(root, "atom.xml"), titles(root, "categories/brief/rss.xml")))
    assert seen == [
        (["Expiring", "Old"], ["Expiring", "Old"]),
        (["Scheduled", "Expiring", "Old"], ["Expiring", "Old"]),
        (["Scheduled", "Old"], ["Old"]),
    ]


def test_a_build_ends_with_one_line_naming_the_next_scheduled_change(make_site, capsys):
    root = make_site(SCHEDULED_SITE)
    build(root, "2020-02-21 08:00+00:00")
    lines = capsys.readouterr().err.splitlines()
    assert lines == [f"8 files written, 0 unchanged (2 feeds in {root / 'publish'}); 2 items published; "
                     "next scheduled change 2020-02-21 12:00 +03:00 (09:00 UTC)"]


def test_the_summary_counts_unchanged_files_and_says_when_nothing_is_scheduled(make_site, capsys):
    root = make_site(SCHEDULED_SITE)
    build(root, "2026-01-01 00:00+00:00")
    build(root, "2026-01-02 00:00+00:00")
    last = capsys.readouterr().err.splitlines()[-1]
    assert last == f"0 files written, 8 unchanged (2 feeds in {root / 'publish'}); 2 items published; nothing scheduled"


def test_the_next_change_is_an_expiry_when_that_comes_first_and_shows_seconds_when_it_has_them(make_site, capsys):
    root = make_site({"items/a.yaml": entry_yaml(published="2020-02-20 09:00+00:00", expires="2020-02-20T18:30:15+03:00")})
    build(root, "2020-02-20 12:00+00:00")
    assert capsys.readouterr().err.rstrip().endswith("next scheduled change 2020-02-20 18:30:15 +03:00 (15:30:15 UTC)")


def test_quiet_prints_nothing_when_the_build_succeeds(make_site, capsys):
    root = make_site(SCHEDULED_SITE)
    assert build(root, "2020-02-21 08:00+00:00", "--quiet") == 0
    assert capsys.readouterr().err == ""


def test_quiet_still_prints_every_problem(make_site, capsys):
    root = make_site({"items/a.yaml": entry_yaml(), "items/b.yaml": "title: No link\n"})
    assert build(root, "2020-02-21 08:00+00:00", "--quiet") == 1
    err = capsys.readouterr().err
    assert "items/b.yaml" in err and "1 of 2 entries" in err


def test_verbose_names_each_file_written_then_the_summary(make_site, capsys):
    root = make_site({"items/a.yaml": entry_yaml()})
    build(root, "2021-01-01 00:00", "-v")
    lines = capsys.readouterr().err.splitlines()
    assert sorted(lines[:-1]) == sorted(f"wrote {root / 'publish' / name}"
                                        for name in ("rss.xml", "atom.xml", "feed.json", "index.html"))
    assert lines[-1].startswith("4 files written, 0 unchanged")


def test_verbose_names_no_file_when_nothing_changed(make_site, capsys):
    root = make_site({"items/a.yaml": entry_yaml()})
    build(root, "2021-01-01 00:00")
    capsys.readouterr()
    build(root, "2021-01-01 00:00", "-v")
    assert capsys.readouterr().err.splitlines()[0].startswith("0 files written, 4 unchanged")


def test_the_next_change_is_shown_on_the_sites_clock_with_utc_beside_it(make_site, capsys):
    site_yaml = SITE_YAML.replace("Europe/Istanbul", "America/New_York")
    root = make_site({"items/a.yaml": entry_yaml(published="2026-11-30 06:56")}, site_yaml=site_yaml)
    assert main(["build", str(root), "--now", "2026-11-30 06:00"]) == 0
    assert capsys.readouterr().err.rstrip().endswith("next scheduled change 2026-11-30 06:56 EST (11:56 UTC)")


def test_utc_is_shown_once_on_a_site_that_keeps_utc(make_site, capsys):
    site_yaml = SITE_YAML.replace("Europe/Istanbul", "UTC")
    root = make_site({"items/a.yaml": entry_yaml(published="2026-11-30 06:56")}, site_yaml=site_yaml)
    assert main(["build", str(root), "--now", "2026-11-30 06:00"]) == 0
    assert capsys.readouterr().err.rstrip().endswith("next scheduled change 2026-11-30 06:56 UTC")


def test_the_utc_date_is_shown_when_it_is_not_the_sites_date(make_site, capsys):
    site_yaml = SITE_YAML.replace("Europe/Istanbul", "America/New_York")
    root = make_site({"items/a.yaml": entry_yaml(published="2026-11-30 21:00")}, site_yaml=site_yaml)
    assert main(["build", str(root), "--now", "2026-11-30 06:00"]) == 0
    assert capsys.readouterr().err.rstrip().endswith("2026-11-30 21:00 EST (2026-12-01 02:00 UTC)")


@pytest.mark.parametrize("now", ["9999-01-01", "9999-12-31 23:55+00:00", "9999-12-31 23:59:59+00:00"])
def test_a_preview_dated_in_the_year_9999_publishes_what_is_due_then(make_site, tmp_path, now):
    """Any date feeds accepts is a --now, the last year a date can hold too: nothing lies a
    year (or ten minutes) after it, so no entry is far ahead of it."""
    root = make_site({**SCHEDULED_SITE, "items/last.yaml": entry_yaml(
        title="Last", link="/last", published="9999-01-01 00:00+00:00", updated="9999-12-31 23:58+00:00")},
        site_yaml=SITE_YAML.replace("Europe/Istanbul", "UTC"))
    assert build(root, now, "--out", str(tmp_path / "preview")) == 0
    assert [entry.title for entry in feedparser.parse((tmp_path / "preview" / "rss.xml").read_bytes()).entries] == [
        "Last", "Scheduled", "Old"]


def test_a_dry_run_dated_in_the_year_9999_lists_what_it_would_write(make_site, capsys):
    root = make_site(SCHEDULED_SITE)
    assert build(root, "9999-06-01", "--dry-run") == 0
    assert capsys.readouterr().err.startswith("dry run: 8 files would be written")


def _clock_set_back(root: Path, by: timedelta) -> datetime:
    """The record a build an hour (`by`) later wrote, as if the clock was set back since: the time it kept."""
    last = datetime.now(timezone.utc) + by
    (root / ".feeds").mkdir(exist_ok=True)
    (root / ".feeds" / "clock").write_text(last.isoformat(), encoding="ascii")
    return last


def test_a_clock_set_back_takes_back_no_story_readers_have(make_site, capsys):
    soon = (datetime.now(timezone.utc) + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M+00:00")
    root = make_site({"items/out.yaml": entry_yaml(title="Out an hour ago", link="/out", published=soon)})
    last = _clock_set_back(root, timedelta(days=1))
    assert main(["build", str(root)]) == 0
    assert titles(root, "rss.xml") == ["Out an hour ago"]
    shown = last.replace(microsecond=0).isoformat().replace("+00:00", "Z")
    warning = capsys.readouterr().err.splitlines()[0]
    assert warning.startswith(f".feeds/clock:1:1: warning: expected the clock at or after the last build's time, "
                              f"{shown}, found ")
    assert warning.endswith(f": the clock was set back, so this build is timed {shown}, and no story readers have is "
                            "taken back; set the machine's clock (timedatectl status shows whether NTP keeps it); if "
                            "the last build's time was the wrong one (a clock that ran ahead), delete .feeds/clock to "
                            "build on the clock as it reads")


def test_the_build_after_a_clock_set_back_is_timed_by_the_clock_once_the_record_is_deleted(make_site):
    soon = (datetime.now(timezone.utc) + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M+00:00")
    root = make_site({"items/soon.yaml": entry_yaml(title="Soon", link="/soon", published=soon)})
    _clock_set_back(root, timedelta(days=1))
    (root / ".feeds" / "clock").unlink()
    assert main(["build", str(root)]) == 0
    assert titles(root, "rss.xml") == []


def test_a_build_records_the_clock_and_a_now_is_neither_recorded_nor_kept_to_it(make_site):
    root = make_site(SCHEDULED_SITE)
    assert main(["build", str(root)]) == 0
    recorded = datetime.fromisoformat((root / ".feeds" / "clock").read_text(encoding="ascii"))
    assert abs(recorded - datetime.now(timezone.utc)) < timedelta(minutes=1)
    assert build(root, "2020-02-20 09:30+00:00") == 0
    assert titles(root, "rss.xml") == ["Old"]
    assert datetime.fromisoformat((root / ".feeds" / "clock").read_text(encoding="ascii")) == recorded


def test_a_pipe_where_the_clock_is_recorded_holds_no_build(make_site):
    root = make_site(SCHEDULED_SITE)
    (root / ".feeds").mkdir()
    os.mkfifo(root / ".feeds" / "clock")
    assert main(["build", str(root)]) == 0
    assert titles(root, "rss.xml") == ["Scheduled", "Old"]


def test_a_link_where_the_clock_is_recorded_is_not_written_through(make_site, tmp_path):
    root = make_site(SCHEDULED_SITE)
    (root / ".feeds").mkdir()
    elsewhere = tmp_path / "crontab"
    elsewhere.write_text("* * * * * feeds build\n", encoding="ascii")
    (root / ".feeds" / "clock").symlink_to(elsewhere)
    assert main(["build", str(root)]) == 0
    assert elsewhere.read_text(encoding="ascii") == "* * * * * feeds build\n"
