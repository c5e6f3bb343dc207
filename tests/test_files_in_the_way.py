"""The SPEC's "The tool never deletes a file it did not write", for the files a build would
write over: a publish_dir pointed at a web root that holds the newsroom's own index.html or
rss.xml replaces neither, exits 3 and says what to do; feeds' own files, whether the
manifest lists them or their bytes say so, are replaced as ever."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from feeds.cli import main
from feeds.own_files import HEAD_BYTES, TAIL_BYTES, is_ours

from .conftest import SITE_YAML, entry_yaml

HOMEPAGE = b"<!DOCTYPE html>\n<html lang=\"en\">\n<title>Test Wire</title>\n<h1>Our homepage</h1>\n"
CMS_FEED = b"<rss>the CMS feed, kept by hand</rss>\n"
GENERATOR_LINE = b'<meta name="generator" content="feeds">\n'
STORIES = {f"items/{number}.yaml": entry_yaml(title=f"Story {number}", link=f"/news/{number}",
                                              published=f"2020-02-2{number} 16:40", categories="[News]",
                                              author="Test Desk")
           for number in range(1, 6)}


def files_and_mtimes(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {path.relative_to(folder).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
            for path in folder.rglob("*") if path.is_file()}


def in_the_way_message(*files: Path) -> str:
    there = "a file there was" if len(files) == 1 else "the files there were"
    them = "it" if len(files) == 1 else "them"
    return (f"feeds: error: cannot write {' and '.join(map(str, files))}: {there} not written by feeds, which never "
            f"replaces a file it did not write; move {them} away, or point publish_dir in site.yaml (or --out) at a "
            "folder of feeds' own; nothing was written")


def web_root_site(make_site, tmp_path: Path, files: dict[str, bytes]) -> tuple[Path, Path]:
    """A site whose publish_dir is a web root already holding `files`."""
    www = tmp_path / "www"
    for relative, data in files.items():
        (www / relative).parent.mkdir(parents=True, exist_ok=True)
        (www / relative).write_bytes(data)
    return make_site({"items/a.yaml": entry_yaml(categories="[News]")}, SITE_YAML + f"publish_dir: {www}\n"), www


def retitle(root: Path, title: str) -> None:
    """The newest story, shown in every feed."""
    (root / "items/5.yaml").write_text(entry_yaml(title=title, link="/news/5", published="2020-02-25 16:40",
                                                  categories="[News]", author="Test Desk"), encoding="utf-8")


@pytest.mark.parametrize("name, data", [("index.html", HOMEPAGE), ("rss.xml", CMS_FEED)], ids=["a homepage", "a CMS feed"])
def test_a_file_feeds_did_not_write_is_not_replaced_and_the_build_exits_3(make_site, tmp_path, capsys, name, data):
    root, www = web_root_site(make_site, tmp_path, {name: data})
    before = files_and_mtimes(www)
    capsys.readouterr()
    assert main(["build", str(root)]) == 3
    assert capsys.readouterr().err.splitlines()[-1] == in_the_way_message(www / name)
    assert files_and_mtimes(www) == before  # no feed written beside it either, no folder made


def test_every_file_in_the_way_is_named_at_once(make_site, tmp_path, capsys):
    root, www = web_root_site(make_site, tmp_path, {"index.html": HOMEPAGE, "rss.xml": CMS_FEED})
    capsys.readouterr()
    assert main(["build", str(root)]) == 3
    assert capsys.readouterr().err.splitlines()[-1] == in_the_way_message(www / "rss.xml", www / "index.html")


def test_a_dry_run_says_the_build_would_stop_and_exits_3(make_site, tmp_path, capsys):
    root, www = web_root_site(make_site, tmp_path, {"index.html": HOMEPAGE})
    before = files_and_mtimes(www)
    capsys.readouterr()
    assert main(["build", str(root), "--dry-run"]) == 3
    assert capsys.readouterr().err.splitlines()[-1] == in_the_way_message(www / "index.html").replace(
        "feeds: error: ", "feeds: error: the build would stop: ")
    assert files_and_mtimes(www) == before


def test_a_link_where_a_feed_goes_is_not_replaced(make_site, tmp_path, capsys):
    """feeds writes no links: one there is the newsroom's, whatever it leads to."""
    root, www = web_root_site(make_site, tmp_path, {"cms/rss.xml": CMS_FEED})
    (www / "rss.xml").symlink_to(www / "cms/rss.xml")
    capsys.readouterr()
    assert main(["build", str(root)]) == 3
    assert capsys.readouterr().err.splitlines()[-1] == in_the_way_message(www / "rss.xml")
    assert (www / "rss.xml").is_symlink()


def test_the_files_of_an_earlier_build_are_replaced(make_site):
    root = make_site(STORIES, SITE_YAML + "author_feeds: true\n")
    assert main(["build", str(root)]) == 0
    retitle(root, "Story five, retitled")
    assert main(["build", str(root)]) == 0
    for relative in ("rss.xml", "atom.xml", "feed.json", "index.html", "categories/news/index.html",
                     "authors/test-desk/rss.xml"):
        assert "Story five, retitled" in (root / "publish" / relative).read_text("utf-8"), relative


def test_after_deleting_feeds_state_a_build_still_replaces_its_own_files(make_site):
    """The manifest is gone with .feeds/: feeds, pages and archive documents are known by their bytes."""
    root = make_site(STORIES, SITE_YAML + "author_feeds: true\narchive: true\nmax_items: 2\n")
    assert main(["build", str(root)]) == 0
    shutil.rmtree(root / ".feeds")
    retitle(root, "Story five, retitled")
    assert main(["build", str(root)]) == 0
    assert "Story five, retitled" in (root / "publish/categories/news/index.html").read_text("utf-8")
    assert "Story five, retitled" in (root / "publish/authors/test-desk/feed.json").read_text("utf-8")


def test_pages_an_earlier_release_wrote_without_the_generator_tag_are_replaced(make_site):
    root = make_site(STORIES)
    assert main(["build", str(root)]) == 0
    for page in (root / "publish").rglob("index.html"):  # as releases before the tag wrote them
        page.write_bytes(page.read_bytes().replace(GENERATOR_LINE, b""))
    shutil.rmtree(root / ".feeds")
    retitle(root, "Story five, retitled")
    assert main(["build", str(root)]) == 0
    for page in (root / "publish").rglob("index.html"):
        assert GENERATOR_LINE in page.read_bytes(), page


REWRITES = {
    "CRLF line ends": lambda data: data.replace(b"\n", b"\r\n"),
    "a byte order mark": lambda data: b"\xef\xbb\xbf" + data,
    "a stylesheet before a feed's root": lambda data: data.replace(
        b"?>\n", b'?>\n<?xml-stylesheet type="text/xsl" href="/feed.xsl"?>\n', 1),
    "minified pages": lambda data: data.replace(b"\n", b"") if data.startswith(b"<!DOCTYPE") else data,
    "an empty front page of an earlier release, a line end added": lambda data: (
        data.replace(GENERATOR_LINE, b"").replace(b"<p> Feeds published", b"<p>Feeds published") + b"\n"),
}


@pytest.mark.parametrize("rewrite", REWRITES.values(), ids=REWRITES.keys())
def test_its_own_files_a_tool_rewrote_are_still_replaced(make_site, rewrite):
    """A sync tool, a minifier or a stylesheet for browsers leaves feeds' generator where it
    was: such a file is still ours, and refusing it would stop the wire."""
    root = make_site(STORIES)
    assert main(["build", str(root)]) == 0
    for file in (root / "publish").rglob("*"):
        if file.is_file():
            file.write_bytes(rewrite(file.read_bytes()))
    shutil.rmtree(root / ".feeds")
    retitle(root, "Story five, retitled")
    assert main(["build", str(root)]) == 0
    assert "Story five, retitled" in (root / "publish/index.html").read_text("utf-8")


def test_a_page_feeds_wrote_that_was_since_replaced_by_hand_is_not_replaced(make_site, capsys):
    """The manifest lists index.html, but the newsroom put its homepage back there (say,
    from a backup after a release that overwrote it): its bytes are not feeds'."""
    root = make_site(STORIES)
    assert main(["build", str(root)]) == 0
    (root / "publish/index.html").write_bytes(HOMEPAGE)
    retitle(root, "Story five, retitled")
    capsys.readouterr()
    assert main(["build", str(root)]) == 3
    assert capsys.readouterr().err.splitlines()[-1] == in_the_way_message(root / "publish/index.html")
    assert (root / "publish/index.html").read_bytes() == HOMEPAGE


def test_a_feed_of_feeds_where_another_format_goes_is_in_the_way(make_site, tmp_path, capsys):
    """A file is read as the kind its name says: feeds' RSS saved as atom.xml is not its Atom."""
    root = make_site(STORIES)
    assert main(["build", str(root), "--out", str(tmp_path / "elsewhere")]) == 0
    (root / "publish").mkdir()
    shutil.copy(tmp_path / "elsewhere/rss.xml", root / "publish/atom.xml")
    capsys.readouterr()
    assert main(["build", str(root)]) == 3
    assert capsys.readouterr().err.splitlines()[-1] == in_the_way_message(root / "publish/atom.xml")


def test_pages_say_feeds_wrote_them(make_site):
    root = make_site(STORIES)
    assert main(["build", str(root)]) == 0
    for page in (root / "publish").rglob("index.html"):
        assert page.read_bytes().split(b"</head>")[0].count(GENERATOR_LINE) == 1, page


def test_every_file_a_build_writes_is_known_for_feeds_own_by_its_bytes(make_site):
    """Feeds of every kind and format, archive documents and pages, in a right-to-left
    language too: what a build without .feeds/ reads to know it may replace them."""
    root = make_site(STORIES, SITE_YAML.replace("timezone:", "language: ar\ntimezone:")
                     + "author_feeds: true\narchive: true\nmax_items: 2\n"
                     + "feeds:\n  - name: breaking\n    categories: [News]\n")
    assert main(["build", str(root)]) == 0
    published = [path for path in (root / "publish").rglob("*") if path.is_file()]
    assert {path.name.split(".", 1)[1] for path in (root / "publish/archive").rglob("*") if path.is_file()} == {
        "rss.xml", "atom.xml", "feed.json"}
    for path in published:
        data = path.read_bytes()
        assert is_ours(path.relative_to(root / "publish").as_posix(), data[:HEAD_BYTES], data[-TAIL_BYTES:]), path


def test_an_out_folder_is_named_in_the_status_line_as_it_was_typed(make_site, tmp_path, monkeypatch, capsys):
    """--out ../web, from the site's folder, was shown as /…/site/../web: neither typed nor resolved."""
    root = make_site(STORIES)
    monkeypatch.chdir(root)
    assert main(["build", "--out", "../web"]) == 0
    assert capsys.readouterr().err.splitlines()[-1] == (
        "8 files written, 0 unchanged (2 feeds in ../web); 5 items published; nothing scheduled")
    assert (tmp_path / "web/rss.xml").is_file()


def test_a_file_in_the_way_under_an_out_folder_is_named_as_it_was_typed(make_site, tmp_path, monkeypatch, capsys):
    make_site(STORIES)
    (tmp_path / "web").mkdir()
    (tmp_path / "web/index.html").write_bytes(HOMEPAGE)
    (tmp_path / "desk").mkdir()
    monkeypatch.chdir(tmp_path / "desk")
    assert main(["build", "../site", "--out", "../web"]) == 3
    assert capsys.readouterr().err.splitlines()[-1] == in_the_way_message(Path("../web/index.html"))


def test_a_file_that_cannot_be_written_under_an_out_folder_is_named_as_it_was_typed(make_site, tmp_path, monkeypatch,
                                                                                     capsys):
    """--out ../web whose rss.xml could not be written was told /…/site/../web/rss.xml, as the status line was."""
    root = make_site(STORIES)
    (tmp_path / "web/rss.xml").mkdir(parents=True)
    monkeypatch.chdir(root)
    assert main(["build", "--out", "../web"]) == 3
    assert capsys.readouterr().err.splitlines()[-1] == (
        "feeds: error: cannot write ../web/rss.xml: Is a directory; a folder stands where a file goes, or a file "
        "where a folder goes: move it away")


def test_a_links_target_that_holds_the_out_folders_path_is_named_as_it_is(make_site, tmp_path, monkeypatch, capsys):
    """Only a path that starts with --out's is named as --out was typed: a link's target
    /…/other/…/web/x was shown /…/otherweb/x."""
    make_site(STORIES)
    (tmp_path / "web").mkdir()
    target = tmp_path / "other" / str(tmp_path / "web/x").lstrip("/")
    (tmp_path / "web/categories").symlink_to(target)
    monkeypatch.chdir(tmp_path)
    assert main(["build", "site", "--out", "web"]) == 3
    assert f"cannot write web/categories/news: it leads out of the publish directory, to {target}/news, through a " \
           "link" in capsys.readouterr().err
