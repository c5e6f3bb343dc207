"""What the README shows is what a user gets: its outputs are run again here, word for word,
and what it lists is checked against what is there."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from feeds.cli import main

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")

FERRY = """\
title: Ferry strike ends after pay deal
link: /news/ferry-strike-ends
published: 2020-06-01 09:00
categories: [News, Europe]
summary: Ferry crews are back at work after the unions accepted a pay deal.
"""


def section(heading: str) -> str:
    return README.split(f"\n{heading}\n", 1)[1].split("\n## ", 1)[0]


def shown_output(command: str) -> list[str]:
    """The lines the README shows after `$ command`, up to the end of its block."""
    return README.split(f"$ {command}\n", 1)[1].split("\n```", 1)[0].splitlines()


def test_the_dry_run_example_is_what_the_sample_site_prints(tmp_path, monkeypatch, capsys):
    """As the README tells it: the sample site built on 31 May 2020, one entry retitled and one
    added in News and Europe, previewed for 2 June. On a terminal the check's lines come
    first, then the plan on stdout, then the closing line."""
    site = tmp_path / "sample"
    shutil.copytree(REPO / "items", site / "items")
    shutil.copy(REPO / "site.yaml", site / "site.yaml")
    monkeypatch.chdir(site)
    assert main(["build", "--quiet", "--now", "2020-05-31"]) == 0
    betelgeuse = site / "items" / "2020" / "02" / "betelgeuse-dimming.yaml"
    betelgeuse.write_text(betelgeuse.read_text(encoding="utf-8").replace(
        "the fading of Betelgeuse", "the fading and return of Betelgeuse"), encoding="utf-8")
    (site / "items" / "2020" / "06").mkdir()
    (site / "items" / "2020" / "06" / "ferry-strike-ends.yaml").write_text(FERRY, encoding="utf-8")
    capsys.readouterr()
    assert main(["build", "--dry-run", "--now", "2020-06-02"]) == 0
    out, err = capsys.readouterr()
    *checked, closing = err.splitlines()
    assert [*checked, *out.splitlines(), closing] == shown_output('feeds build --dry-run --now "2020-06-02"')


def test_the_code_layout_table_names_every_module():
    """A module added without a row leaves a reader of the table looking for its job elsewhere."""
    table = section("## How the code is laid out")
    named = set()
    for cell in re.findall(r"^\| (`feeds/[^|]+) \|", table, re.M):
        paths = re.findall(r"`([^`]+\.py)`", cell)
        folder = paths[0].rsplit("/", 1)[0]
        named |= {path if "/" in path else f"{folder}/{path}" for path in paths}
    modules = {path.relative_to(REPO).as_posix() for path in (REPO / "feeds").rglob("*.py")}
    assert sorted(modules - named) == [] and sorted(named - modules) == []


def test_the_site_yaml_table_has_a_row_for_every_setting():
    from feeds.model import SITE_FIELDS

    rows = re.findall(r"^\| `([a-z_]+)` \|", section("## site.yaml").split("\n### ", 1)[0], re.M)
    assert sorted(rows) == sorted(SITE_FIELDS)


def test_the_entry_example_shows_every_field():
    from feeds.model import ENTRY_FIELDS

    example = section("## The entry format").split("```yaml\n", 1)[1].split("\n```", 1)[0]
    assert sorted(re.findall(r"^([a-z_]+):", example, re.M)) == sorted(ENTRY_FIELDS)


def test_the_named_feeds_example_shows_every_field_of_a_named_feed():
    from feeds.validate_site import NAMED_FEED_FIELDS

    example = section("### Named feeds, author feeds, summary feeds, the size cap and feed pages")
    example = example.split("```yaml\n", 1)[1].split("\n```", 1)[0].split("feeds:\n", 1)[1]
    shown = {name for name in re.findall(r"^ +(?:- )?([a-z_]+):", example, re.M)}
    assert shown == set(NAMED_FEED_FIELDS)
