"""Previews cannot leak: a build dated after the real clock never writes the live publish
directory, from the command line or the library."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

import feeds
from feeds.cli import main

from .conftest import SITE_YAML, entry_yaml

TOMORROW = datetime.now(timezone.utc) + timedelta(days=1)
EMBARGOED = entry_yaml(title="Embargoed budget", link="/news/budget", published=TOMORROW.strftime("%Y-%m-%d %H:%M"))


def test_a_build_dated_tomorrow_is_refused_as_wrong_usage_and_writes_nothing(make_site, capsys):
    root = make_site({"items/budget.yaml": EMBARGOED})
    status = main(["build", str(root), "--now", (TOMORROW + timedelta(hours=1)).isoformat()])
    err = capsys.readouterr().err
    assert status == 2
    assert "later than the clock" in err and "--out" in err and "--dry-run" in err
    assert not (root / "publish").exists()


def test_a_build_dated_tomorrow_into_a_scratch_folder_previews_the_embargoed_story(make_site, tmp_path, capsys):
    root = make_site({"items/budget.yaml": EMBARGOED})
    scratch = tmp_path / "preview"
    status = main(["build", str(root), "--now", (TOMORROW + timedelta(hours=1)).isoformat(), "--out", str(scratch)])
    assert status == 0
    assert "Embargoed budget" in (scratch / "rss.xml").read_text(encoding="utf-8")
    assert not (root / "publish").exists()


def test_a_build_dated_in_the_past_still_writes_the_live_directory(make_site):
    root = make_site({"items/budget.yaml": EMBARGOED})
    assert main(["build", str(root), "--now", "2020-03-01"]) == 0
    assert "Embargoed budget" not in (root / "publish" / "rss.xml").read_text(encoding="utf-8")


def test_the_library_refuses_a_future_now_without_out(make_site):
    root = make_site({"items/budget.yaml": EMBARGOED})
    with pytest.raises(feeds.PreviewError, match="out="):
        feeds.build_site(root, now=TOMORROW + timedelta(hours=1))
    assert not (root / "publish").exists()


def test_the_library_previews_a_future_now_into_out(make_site, tmp_path):
    root = make_site({"items/budget.yaml": EMBARGOED})
    built = feeds.build_site(root, now=TOMORROW + timedelta(hours=1), out=tmp_path / "scratch")
    assert built.items_published == 1 and not (root / "publish").exists()


@pytest.mark.parametrize("out", ["publish", "publish/", "./publish/../publish", "publish/preview"])
def test_a_build_dated_tomorrow_is_refused_when_out_names_the_live_publish_directory(make_site, capsys, monkeypatch,
                                                                                     out):
    root = make_site({"items/budget.yaml": EMBARGOED})
    monkeypatch.chdir(root)
    assert main(["build", str(root)]) == 0
    before = (root / "publish" / "rss.xml").read_bytes()
    status = main(["build", str(root), "--now", (TOMORROW + timedelta(hours=1)).isoformat(), "--out", out])
    err = capsys.readouterr().err
    assert status == 2
    assert "is the live publish directory" in err and "scratch folder outside it" in err
    assert (root / "publish" / "rss.xml").read_bytes() == before
    assert not (root / "publish" / "preview").exists()


def test_a_build_dated_tomorrow_is_refused_when_out_is_a_symlink_to_the_live_directory(make_site, tmp_path, capsys):
    root = make_site({"items/budget.yaml": EMBARGOED})
    assert main(["build", str(root)]) == 0
    alias = tmp_path / "alias"
    alias.symlink_to(root / "publish")
    status = main(["build", str(root), "--now", (TOMORROW + timedelta(hours=1)).isoformat(), "--out", str(alias)])
    assert status == 2
    assert "Embargoed budget" not in (root / "publish" / "rss.xml").read_text(encoding="utf-8")


def test_the_library_refuses_a_future_now_into_a_folder_holding_the_live_directory(make_site):
    root = make_site({"items/budget.yaml": EMBARGOED}, site_yaml=SITE_YAML + "publish_dir: www/feeds\n")
    with pytest.raises(feeds.PreviewError, match="not apart from") as refused:
        feeds.build_site(root, now=TOMORROW + timedelta(hours=1), out=root / "www")
    assert refused.value.live == (root / "www" / "feeds").resolve()
    assert not (root / "www").exists()
