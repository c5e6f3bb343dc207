"""Warnings are carried with the check result and the build state: a build reports every
entry's warnings without loading every entry."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

from feeds import cache
from feeds.build import build_site, check_site

from .conftest import SITE_YAML, entry_yaml

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)
EMBED = 'body: |\n  Filmed from the harbour:\n\n  <iframe src="https://www.youtube.com/embed/abc"></iframe>\n'


@pytest.fixture
def site(make_site, monkeypatch):
    monkeypatch.setattr(cache, "RACY_WINDOW_NS", 0)
    entries = {f"items/{number}.yaml": entry_yaml(title=f"Story {number}", link=f"/{number}") for number in range(20)}
    entries["items/embed.yaml"] = entry_yaml(title="Harbour film", link="/film", summary="Filmed.") + EMBED
    root = make_site(entries)
    assert [warning.path for warning in build_site(root, now=NOW).check.warnings] == ["items/embed.yaml"]
    return root


def no_entry_loaded(monkeypatch):
    def refuse(*args: object) -> None:
        raise AssertionError("an entry was loaded to find its warnings")

    monkeypatch.setattr(cache, "entry_of", refuse)


def test_a_build_with_nothing_changed_reports_warnings_without_loading_an_entry(site, monkeypatch):
    no_entry_loaded(monkeypatch)
    result = build_site(site, now=NOW)
    assert result.written == () and [warning.path for warning in result.check.warnings] == ["items/embed.yaml"]


def test_a_small_change_reports_the_warnings_of_the_entries_it_did_not_read(site, monkeypatch):
    edit(site / "items/3.yaml", entry_yaml(title="Story 3, edited", link="/3"))
    result = build_site(site, now=NOW)
    assert result.files_parsed == 1
    assert [warning.path for warning in result.check.warnings] == ["items/embed.yaml"]


def test_a_fixed_warning_is_gone_from_the_next_build(site):
    edit(site / "items/embed.yaml", entry_yaml(title="Harbour film", link="/film", summary="Filmed."))
    assert build_site(site, now=NOW).check.warnings == ()


def test_check_reports_warnings_from_the_cache_without_loading_an_entry(site, monkeypatch):
    monkeypatch.setattr("feeds.build.entries_of", lambda stored: ())
    assert [warning.path for warning in check_site(site).warnings] == ["items/embed.yaml"]


def test_a_small_change_after_retitling_the_site_reports_the_warnings_of_the_entries_it_did_not_read(site):
    """The warnings are kept with the selection, which a retitled site still uses."""
    (site / "site.yaml").write_text(SITE_YAML.replace("Test Wire", "Other Wire"), encoding="utf-8")
    edit(site / "items/3.yaml", entry_yaml(title="Story 3, edited", link="/3"))
    result = build_site(site, now=NOW)
    assert result.files_parsed == 1
    assert [warning.path for warning in result.check.warnings] == ["items/embed.yaml"]


def edit(path: Path, text: str) -> None:
    """An editor's save, a second after the file's last: its stat shows the change."""
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(path.stat().st_mtime_ns + 10**9,) * 2)
