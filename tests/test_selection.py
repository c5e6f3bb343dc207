"""Which items go in which feed, given the entries and `now`."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

import feedparser
import pytest

from feeds.build import build_site

from .conftest import SITE_YAML, entry_yaml


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def ids(out: Path, feed: str = "") -> list[str]:
    document = json.loads((out / feed / "feed.json").read_text(encoding="utf-8"))
    return [item["url"].rsplit("/", 1)[1] for item in document["items"]]


def build(root: Path, now: str) -> Path:
    result = build_site(root, now=at(now))
    assert result.check.ok, [str(p) for p in result.check.problems]
    return result.out_dir


def test_category_feeds_hold_exactly_their_categorys_items(make_site):
    out = build(make_site({
        "items/a.yaml": entry_yaml(link="/a", published="2020-02-20 09:00", categories="[News, Middle East]"),
        "items/b.yaml": entry_yaml(link="/b", published="2020-02-20 10:00", categories="Sport"),
        "items/c.yaml": entry_yaml(link="/c", published="2020-02-20 11:00", categories="[news]"),
        "items/d.yaml": entry_yaml(link="/d", published="2020-02-20 12:00"),
    }), "2026-01-01T00:00")
    assert ids(out) == ["d", "c", "b", "a"]
    assert ids(out, "categories/news") == ["c", "a"]
    assert ids(out, "categories/middle-east") == ["a"]
    assert ids(out, "categories/sport") == ["b"]
    assert sorted(p.name for p in (out / "categories").iterdir()) == ["middle-east", "news", "sport"]


def test_categories_differing_in_case_or_punctuation_share_one_feed(make_site):
    out = build(make_site({
        "items/a.yaml": entry_yaml(link="/a", published="2020-02-20 09:00", categories="[Middle East]"),
        "items/b.yaml": entry_yaml(link="/b", published="2020-02-20 10:00", categories="[middle-east!]"),
    }), "2026-01-01T00:00")
    assert ids(out, "categories/middle-east") == ["b", "a"]
    title = feedparser.parse((out / "categories/middle-east/rss.xml").read_bytes()).feed.title
    assert title == "Test Wire: Middle East"


def test_non_latin_categories_keep_their_letters_in_the_slug(make_site):
    out = build(make_site({"items/a.yaml": entry_yaml(categories="[Ekonomi & Çevre, Λέσβος]")}), "2026-01-01T00:00")
    assert sorted(p.name for p in (out / "categories").iterdir()) == ["ekonomi-çevre", "λέσβος"]


def test_drafts_never_appear(make_site):
    out = build(make_site({
        "items/a.yaml": entry_yaml(link="/a", categories="[News]"),
        "items/b.yaml": entry_yaml(link="/b", categories="[Secret]", draft="true"),
    }), "2026-01-01T00:00")
    assert ids(out) == ["a"]
    assert not (out / "categories/secret").exists()


def test_a_scheduled_entry_appears_in_the_first_build_at_or_after_its_time(make_site):
    root = make_site({
        "items/now.yaml": entry_yaml(link="/now", published="2020-02-20 09:00"),
        "items/later.yaml": entry_yaml(link="/later", published="2020-02-21 09:00+00:00", categories="[Later]"),
    })
    assert ids(build(root, "2020-02-21T08:59")) == ["now"]
    assert not (root / "publish/categories/later").exists()
    assert ids(build(root, "2020-02-21T09:00")) == ["later", "now"]


def test_an_entry_is_gone_from_the_first_build_at_or_after_it_expires(make_site):
    root = make_site({
        "items/a.yaml": entry_yaml(link="/a", published="2020-02-20 09:00+00:00", categories="[Brief]",
                                   expires="2020-03-01 00:00+00:00"),
    })
    assert ids(build(root, "2020-02-29T23:59")) == ["a"]
    out = build(root, "2020-03-01T00:00")
    assert ids(out) == []
    assert ids(out, "categories/brief") == []


def test_an_expired_category_feed_stays_valid_and_empty(make_site):
    root = make_site({
        "items/a.yaml": entry_yaml(link="/a", published="2020-02-20 09:00+00:00", categories="[Brief]",
                                   expires="2020-03-01 00:00+00:00"),
    })
    out = build(root, "2021-01-01T00:00")
    for name in ("rss.xml", "atom.xml"):
        parsed = feedparser.parse((out / "categories/brief" / name).read_bytes())
        assert parsed.bozo == 0 and parsed.entries == []
    atom = feedparser.parse((out / "categories/brief/atom.xml").read_bytes())
    assert atom.feed.updated.startswith("2020-03-01T00:00:00")


def test_a_feed_that_never_held_an_item_has_a_fixed_plausible_date(make_site):
    out = build(make_site({}), "2026-01-01T00:00")
    atom = feedparser.parse((out / "atom.xml").read_bytes())
    assert atom.bozo == 0 and atom.entries == []
    assert atom.feed.updated.startswith("2000-01-01T00:00:00")


def test_a_category_whose_entries_are_all_deleted_keeps_a_valid_empty_feed(make_site):
    root = make_site({
        "items/a.yaml": entry_yaml(link="/a", categories="[News]"),
        "items/b.yaml": entry_yaml(link="/b", published="2020-02-21 09:00", categories="[Withdrawn]"),
    })
    assert ids(build(root, "2026-01-01T00:00"), "categories/withdrawn") == ["b"]
    (root / "items/b.yaml").unlink()
    out = build(root, "2026-01-01T00:00")
    assert ids(out) == ["a"]
    for name in ("rss.xml", "atom.xml"):
        parsed = feedparser.parse((out / "categories/withdrawn" / name).read_bytes())
        assert parsed.bozo == 0 and parsed.entries == []


@pytest.mark.parametrize("record", ["kept", "lost"])
def test_a_named_feed_whose_entries_are_all_deleted_is_dated_by_the_build_that_emptied_it(make_site, record):
    """As a category feed is: it was dated 2000-01-01, as if it had never held an item."""
    root = make_site({"items/a.yaml": entry_yaml(link="/a", categories="[News]"),
                      "items/b.yaml": entry_yaml(link="/b", published="2020-02-21 09:00", categories="[Markets]")},
                     site_yaml=SITE_YAML + "feeds:\n  - name: markets\n    categories: [Markets]\n")
    assert ids(build(root, "2026-01-01T00:00"), "markets") == ["b"]
    if record == "lost":
        shutil.rmtree(root / ".feeds")
    (root / "items/b.yaml").unlink()
    out = build(root, "2026-02-01T00:00")
    atom = feedparser.parse((out / "markets/atom.xml").read_bytes())
    assert atom.entries == [] and atom.feed.updated.startswith("2026-02-01T00:00:00")
    assert feedparser.parse((build(root, "2026-03-01T00:00") / "markets/atom.xml").read_bytes()).feed.updated \
        .startswith("2026-02-01T00:00:00")


def test_a_category_folder_feeds_did_not_write_is_left_alone(make_site):
    root = make_site({"items/a.yaml": entry_yaml(link="/a", categories="[News]")})
    mine = root / "publish/categories/mine/rss.xml"
    mine.parent.mkdir(parents=True)
    mine.write_text("<rss>hand-made</rss>", encoding="utf-8")
    build(root, "2026-01-01T00:00")
    assert mine.read_text(encoding="utf-8") == "<rss>hand-made</rss>"
    assert sorted(p.name for p in (root / "publish/categories/mine").iterdir()) == ["rss.xml"]


def test_a_deleted_category_is_kept_because_the_manifest_lists_its_feed_not_for_its_bytes(make_site):
    root = make_site({
        "items/a.yaml": entry_yaml(link="/a", categories="[News]"),
        "items/b.yaml": entry_yaml(link="/b", published="2020-02-21 09:00", categories="[Withdrawn]"),
    })
    out = build(root, "2026-01-01T00:00")
    feed = out / "categories/withdrawn/feed.json"
    feed.write_text(json.dumps(json.loads(feed.read_bytes()), indent=4), encoding="utf-8")  # other bytes, ours still
    (root / "items/b.yaml").unlink()
    assert ids(build(root, "2026-01-01T00:00"), "categories/withdrawn") == []


def test_a_feed_another_site_wrote_is_left_as_it_is_by_a_build_with_no_record_of_the_publish_directory(make_site):
    """Its bytes say feeds wrote it, but for another address: taken for this site's own, it
    was emptied as a category feed whose stories were gone, and its readers lost them."""
    other = build(make_site({"items/a.yaml": entry_yaml(link="/podcast/1")},
                            site_yaml=SITE_YAML.replace("Test Wire", "Test Podcast"), name="podcast"), "2026-01-01T00:00")
    root = make_site({"items/a.yaml": entry_yaml(link="/a")})
    kept = root / "publish" / "old-podcast"
    kept.mkdir(parents=True)
    for name in ("rss.xml", "atom.xml", "feed.json", "index.html"):
        shutil.copy(other / name, kept / name)
    build(root, "2026-01-01T00:00")
    assert {name: (kept / name).read_bytes() for name in ("rss.xml", "atom.xml", "feed.json", "index.html")} == {
        name: (other / name).read_bytes() for name in ("rss.xml", "atom.xml", "feed.json", "index.html")}


@pytest.mark.parametrize("lost", ["the state deleted", "the site moved away from its publish directory"])
def test_a_category_whose_last_story_is_withdrawn_with_no_record_of_the_publish_directory_is_emptied(
        make_site, tmp_path, lost):
    """A CI job's fresh clone has no .feeds/ (its publish directory restored from the target),
    and a site moved away from a publish_dir outside it finds no record under the new path:
    the withdrawn story stayed in its category's feed, for ever, with no word."""
    www = tmp_path / "www"
    root = make_site({"items/a.yaml": entry_yaml(link="/a", categories="[News]"),
                      "items/b.yaml": entry_yaml(link="/b", published="2020-02-21 09:00", categories="[Withdrawn]")},
                     site_yaml=SITE_YAML + f"publish_dir: {www}\n")
    build(root, "2026-01-01T00:00")
    if lost == "the state deleted":
        shutil.rmtree(root / ".feeds")
    else:
        (tmp_path / "srv").mkdir()
        root = Path(shutil.move(root, tmp_path / "srv" / "site"))
    (root / "items/b.yaml").unlink()
    assert ids(build(root, "2026-01-01T00:00"), "categories/withdrawn") == []


@pytest.mark.parametrize("formats", ["[rss, atom, json]", "[rss]", "[json]"])
def test_a_category_emptied_with_no_record_of_the_publish_directory_keeps_its_name_and_is_dated_when_emptied(
        make_site, formats):
    """Read from the feed's own bytes, as the manifest would have said it: it was titled by its
    folder, "Test Wire: severe-weather", and dated 2000-01-01 (a JSON Feed carries no date)."""
    root = make_site({"items/a.yaml": entry_yaml(link="/a", categories="[News]"),
                      "items/b.yaml": entry_yaml(link="/b", published="2020-02-21 09:00", categories="[Severe Weather]")},
                     site_yaml=SITE_YAML + f"formats: {formats}\n")
    build(root, "2026-01-01T00:00")
    shutil.rmtree(root / ".feeds")
    (root / "items/b.yaml").unlink()
    out = build(root, "2026-02-01T00:00")
    folder = out / "categories/severe-weather"
    for name in ("rss.xml", "atom.xml"):
        if (folder / name).exists():
            parsed = feedparser.parse((folder / name).read_bytes())
            assert parsed.entries == [] and parsed.feed.title == "Test Wire: Severe Weather"
            assert parsed.feed.updated_parsed[:3] == (2026, 2, 1)
    if (folder / "feed.json").exists():
        assert json.loads((folder / "feed.json").read_bytes())["title"] == "Test Wire: Severe Weather"


def test_a_category_emptied_before_the_record_was_lost_keeps_the_date_it_was_emptied(make_site):
    root = make_site({"items/a.yaml": entry_yaml(link="/a", categories="[News]"),
                      "items/b.yaml": entry_yaml(link="/b", published="2020-02-21 09:00", categories="[Severe Weather]")})
    build(root, "2026-01-01T00:00")
    (root / "items/b.yaml").unlink()
    build(root, "2026-02-01T00:00")
    shutil.rmtree(root / ".feeds")
    (root / "items/c.yaml").write_text(entry_yaml(link="/c", published="2020-02-22 09:00"), encoding="utf-8")
    out = build(root, "2026-03-01T00:00")
    atom = feedparser.parse((out / "categories/severe-weather/atom.xml").read_bytes())
    assert atom.feed.title == "Test Wire: Severe Weather" and atom.feed.updated.startswith("2026-02-01T00:00:00")


def test_a_feed_that_reads_like_ours_but_is_not_in_the_manifest_is_left_alone(make_site):
    root = make_site({"items/a.yaml": entry_yaml(link="/a", categories="[News]")})
    out = build(root, "2026-01-01T00:00")
    copied = out / "categories/copied/feed.json"
    copied.parent.mkdir(parents=True)
    copied.write_bytes((out / "categories/news/feed.json").read_bytes())
    (root / "items/c.yaml").write_text(entry_yaml(link="/c", published="2020-02-21 09:00"), encoding="utf-8")
    assert ids(build(root, "2026-01-01T00:00")) == ["c", "a"]
    assert sorted(path.name for path in copied.parent.iterdir()) == ["feed.json"]
