"""Deterministic bytes: the same entries and the same `now` give byte-identical files."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

from feeds.build import build_site

from .conftest import SEED

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)
GOLDEN = Path(__file__).parent / "golden"
ENTRIES = {
    "items/2020/02/seed.yaml": SEED,
    "items/2020/02/brief.yaml": """\
        title: Markets <steady> as "oil" slips
        link: https://news.example.com/business/markets
        published: Thu, 20 Feb 2020 08:30:00 +0300
        id: urn:uuid:0b6a3c2e-1d4f-4a9b-8c7d-2e5f6a7b8c9d
        categories: Business
        summary: Stocks held & oil fell.
        """,
}


def all_files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_two_sites_with_the_same_entries_give_identical_bytes(make_site):
    first = build_site(make_site(ENTRIES, name="one"), now=NOW)
    second = build_site(make_site(ENTRIES, name="two"), now=NOW)
    assert all_files(first.out_dir) == all_files(second.out_dir)


def test_a_second_build_rewrites_nothing(make_site):
    root = make_site(ENTRIES)
    first = build_site(root, now=NOW)
    mtimes = {p: p.stat().st_mtime_ns for p in first.out_dir.rglob("*") if p.is_file()}
    second = build_site(root, now=NOW)
    assert second.written == () and len(second.unchanged) == len(mtimes)
    assert {p: p.stat().st_mtime_ns for p in mtimes} == mtimes


def test_a_later_clock_with_the_same_items_changes_no_byte(make_site):
    root = make_site(ENTRIES)
    before = all_files(build_site(root, now=NOW).out_dir)
    after = all_files(build_site(root, now=datetime(2026, 11, 29, tzinfo=timezone.utc)).out_dir)
    assert before == after


@pytest.mark.parametrize("name", ["rss.xml", "atom.xml", "feed.json", "categories/middle-east/rss.xml"])
def test_feed_bytes_match_the_golden_file(make_site, name):
    """Regenerate with FEEDS_UPDATE_GOLDEN=1 after a deliberate change to the output."""
    out = build_site(make_site(ENTRIES), now=NOW).out_dir
    golden = GOLDEN / name.replace("/", "__")
    if os.environ.get("FEEDS_UPDATE_GOLDEN"):
        golden.write_bytes((out / name).read_bytes())
    assert (out / name).read_bytes() == golden.read_bytes()
