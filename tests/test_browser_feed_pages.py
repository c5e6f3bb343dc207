"""A built site's feed pages in headless Chromium: a named feed's page and an author feed's,
served as `feeds serve` serves them, read back at phone and desktop widths (the DOM as
rendered, and a screenshot kept under the test's tmp_path)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urljoin

import lxml.html
import pytest

from feeds.build import build_site

from .conftest import SITE_YAML, entry_yaml
from .test_browser import LIGHT_BACKGROUND, first_pixel, free_port, run_chromium, screenshot, wait_until_served

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)
SITE = SITE_YAML + """\
author_feeds: true
feeds:
  - name: breaking
    title: Breaking news from the Test Wire desk
    description: The latest from the desk, as summaries
    categories: [News]
    content: summary
"""
ENTRIES = {
    "items/a.yaml": entry_yaml("Storm closes Black Sea ports after a night of gales along the coast", "/news/storm",
                               "2020-02-20 16:40", categories="[News, Weather]", author="Çağla Ünal"),
    "items/b.yaml": entry_yaml("Lira & bonds <rally>", "/business/lira", "2020-02-21 09:00", categories="[Business]",
                               author="Çağla Ünal"),
    "items/c.yaml": entry_yaml("Ceasefire talks resume", "/news/talks", "2020-02-22 10:15", categories="News",
                               author="[Jo Byrne, Çağla Ünal]"),
}
PAGES = {  # folder -> (title, its items newest first)
    "breaking/": ("Breaking news from the Test Wire desk",
                  ["Ceasefire talks resume", "Storm closes Black Sea ports after a night of gales along the coast"]),
    "authors/çağla-ünal/": ("Test Wire: Çağla Ünal",
                            ["Ceasefire talks resume", "Lira & bonds <rally>",
                             "Storm closes Black Sea ports after a night of gales along the coast"]),
}
WIDTHS = [(390, 844), (1200, 900)]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The built site under `feeds serve` on a free port of 127.0.0.1: its base URL."""
    root = tmp_path_factory.mktemp("feed-pages") / "site"
    for relative, text in {"site.yaml": SITE, **ENTRIES}.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    assert build_site(root, now=NOW).check.ok
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "feeds", "serve", str(root), "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_until_served(base + "index.html", process)
        yield base
    finally:
        process.terminate()
        process.wait(10)


@pytest.mark.parametrize("folder", PAGES)
@pytest.mark.parametrize("width, height", WIDTHS)
def test_a_feed_page_shows_its_title_and_items_at_phone_and_desktop_widths(browser, served, tmp_path, folder,
                                                                          width, height):
    url = served + folder + "index.html"
    rendered = run_chromium(browser, tmp_path, f"--window-size={width},{height}", "--dump-dom", url)
    dom = lxml.html.fromstring(rendered.stdout)
    title, items = PAGES[folder]
    assert dom.findtext(".//h1") == title
    assert [link.text for link in dom.xpath("//ol[@class='stories']//h3/a")] == items
    shot = screenshot(browser, url, tmp_path / f"{folder.strip('/').replace('/', '-')}-{width}.png", width, height)
    assert first_pixel(shot) == LIGHT_BACKGROUND and _png_size(shot) == (width, height)


def test_the_top_page_links_reach_every_feed_page(browser, served, tmp_path):
    dom = lxml.html.fromstring(run_chromium(browser, tmp_path, "--dump-dom", served + "index.html").stdout)
    linked = dom.xpath("//section//h2/a/@href")
    assert {"/feeds/breaking/index.html", "/feeds/authors/%C3%A7a%C4%9Fla-%C3%BCnal/index.html"} <= set(linked)
    for href in linked:
        page = lxml.html.fromstring(run_chromium(browser, tmp_path, "--dump-dom", urljoin(served, href)).stdout)
        assert page.findtext(".//h1")


def _png_size(png: Path) -> tuple[int, int]:
    data = png.read_bytes()
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


LONG_WORD = "Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherung"
MEASURED = "<script>document.body.dataset.width = document.documentElement.scrollWidth;</script></body>"


@pytest.mark.parametrize("page", ["index.html", f"categories/{LONG_WORD.lower()}/index.html"])
def test_a_page_of_long_unbroken_words_fits_a_narrow_window_without_scrolling_sideways(browser, tmp_path, page):
    root = tmp_path / "site"
    (root / "items").mkdir(parents=True)
    (root / "site.yaml").write_text(SITE_YAML + "author_feeds: true\n", encoding="utf-8")
    (root / "items/a.yaml").write_text(entry_yaml(f"{LONG_WORD}_{LONG_WORD}", "/news/a", categories=f"[{LONG_WORD}]",
                                                  author=f"{LONG_WORD}angestellter"), encoding="utf-8")
    assert build_site(root, now=NOW).check.ok
    built = root / "publish" / page
    measured = built.with_name("measured.html")  # the page with a script that writes down how wide it drew
    measured.write_text(built.read_text(encoding="utf-8").replace("</body>", MEASURED), encoding="utf-8")
    # 500 px: the narrowest headless Chromium lays a page out at for --dump-dom (a 390 px window is drawn 500 wide)
    rendered = run_chromium(browser, tmp_path, "--window-size=500,844", "--dump-dom", measured.as_uri())
    assert int(lxml.html.fromstring(rendered.stdout).body.get("data-width")) <= 500


# Where a count's number and its word are drawn: "1 story" reads left to right, number first.
NUMBER_BEFORE_WORD = """<script>
const range = document.createRange();
function left(text, start, end) { range.setStart(text, start); range.setEnd(text, end); return range.getBoundingClientRect().left; }
const count = document.querySelector(".count").firstChild, footer = document.querySelector("footer p").firstChild;
document.body.dataset.order = left(count, 0, 1) < left(count, 2, 7) ? "number first" : "word first";
const stop = footer.data.lastIndexOf(".");  // "… Feeds published with feeds.": the full stop that ends the line
document.body.dataset.stop = left(footer, stop, stop + 1) > left(footer, stop - 1, stop) ? "after the words" : "before them";
</script></body>"""


def test_on_a_right_to_left_page_an_english_count_and_footer_read_left_to_right(browser, tmp_path):
    root = tmp_path / "site"
    (root / "items").mkdir(parents=True)
    (root / "site.yaml").write_text(SITE_YAML + "language: ar\n", encoding="utf-8")
    (root / "items/a.yaml").write_text(entry_yaml("غارة على النيرب", "/news/a", categories="[أخبار]"), encoding="utf-8")
    assert build_site(root, now=NOW).check.ok
    built = root / "publish" / "index.html"
    assert 'dir="rtl"' in built.read_text(encoding="utf-8")
    measured = built.with_name("measured.html")
    measured.write_text(built.read_text(encoding="utf-8").replace("</body>", NUMBER_BEFORE_WORD), encoding="utf-8")
    rendered = run_chromium(browser, tmp_path, "--window-size=500,844", "--dump-dom", measured.as_uri())
    body = lxml.html.fromstring(rendered.stdout).body
    assert (body.get("data-order"), body.get("data-stop")) == ("number first", "after the words")


# Where the way back's arrow is drawn: "← Test Wire: all feeds" reads left to right, arrow first.
ARROW_BEFORE_WORDS = """<script>
const range = document.createRange();
function left(text) { range.setStart(text, 0); range.setEnd(text, 1); return range.getBoundingClientRect().left; }
const way = document.querySelector(".up a");
document.body.dataset.arrow = left(way.firstChild) < left(way.lastChild) ? "before the words" : "after them";
</script></body>"""


def test_on_a_right_to_left_page_the_way_back_to_every_feed_reads_left_to_right_arrow_first(browser, tmp_path):
    """On an Arabic site's feed page it read 'all feeds :<title> ←', the arrow on the right
    pointing into the words, and a voice reading them heard them out of order."""
    root = tmp_path / "site"
    (root / "items").mkdir(parents=True)
    (root / "site.yaml").write_text(SITE_YAML.replace("Test Wire", "ميريديان") + "language: ar\n", encoding="utf-8")
    (root / "items/a.yaml").write_text(entry_yaml("غارة على النيرب", "/news/a", categories="[أخبار]"), encoding="utf-8")
    assert build_site(root, now=NOW).check.ok
    built = root / "publish" / "categories" / "أخبار" / "index.html"
    measured = built.with_name("measured.html")
    measured.write_text(built.read_text(encoding="utf-8").replace("</body>", ARROW_BEFORE_WORDS), encoding="utf-8")
    rendered = run_chromium(browser, tmp_path, "--window-size=500,844", "--dump-dom", measured.as_uri())
    assert lxml.html.fromstring(rendered.stdout).body.get("data-arrow") == "before the words"


# Which way a story's headline and summary are drawn: their first character right of their last is right to left.
STORY_DIRECTIONS = """<script>
const range = document.createRange();
function direction(text) {
  range.setStart(text, 0); range.setEnd(text, 1); const first = range.getBoundingClientRect().left;
  range.setStart(text, text.length - 1); range.setEnd(text, text.length); const last = range.getBoundingClientRect().left;
  return first > last ? "right to left" : "left to right";
}
const story = document.querySelector("ol.stories li");
document.body.dataset.directions = [story.querySelector("h3 a"), story.querySelector("p")]
  .map(element => direction(element.firstChild)).join(", ");
</script></body>"""


@pytest.mark.parametrize("language, title, summary, expected", [
    ("en", "תקציב 2026 אושר ב-NIS 500.", "הממשלה אישרה את התקציב בהיקף של 500 מיליארד ₪.", "right to left"),
    ("ar", "Ports shut at 5 p.m.", "Le café est fermé.", "left to right"),
])
def test_a_story_in_another_direction_than_the_page_reads_in_its_own(browser, tmp_path, language, title, summary,
                                                                      expected):
    """A Hebrew headline on an English page read "-ישיבת … ב NIS 500", the number moved; an
    English summary on an Arabic page had its full stop in front."""
    root = tmp_path / "site"
    (root / "items").mkdir(parents=True)
    (root / "site.yaml").write_text(SITE_YAML + f"language: {language}\n", encoding="utf-8")
    (root / "items/a.yaml").write_text(entry_yaml(f'"{title}"', "/news/a", summary=f'"{summary}"'), encoding="utf-8")
    assert build_site(root, now=NOW).check.ok
    built = root / "publish" / "index.html"
    measured = built.with_name("measured.html")
    measured.write_text(built.read_text(encoding="utf-8").replace("</body>", STORY_DIRECTIONS), encoding="utf-8")
    rendered = run_chromium(browser, tmp_path, "--window-size=500,844", "--dump-dom", measured.as_uri())
    assert lxml.html.fromstring(rendered.stdout).body.get("data-directions") == f"{expected}, {expected}"
