"""index.html in a real browser: headless Chromium against the served publish directory.

The page is served the way an editor previews it (`feeds serve`), read back as
Chromium rendered it (--dump-dom), and every feed link on it is fetched over HTTP. Screenshots at phone
and desktop widths, light and dark, are kept under the test's tmp_path.
"""

from __future__ import annotations

import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import zlib
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urljoin

import lxml.html
import pytest

from feeds.build import BuildResult, build_site

from .conftest import SITE_YAML, entry_yaml

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)
ENTRIES = {
    "items/a.yaml": entry_yaml("Storm closes Black Sea ports", "/news/storm", "2020-02-20 16:40",
                               categories="[News, Weather]"),
    "items/b.yaml": entry_yaml("Lira & bonds <rally>", "/business/lira", "2020-02-21 09:00",
                               categories="[Business, Ekonomi & Çevre]"),
    "items/c.yaml": entry_yaml("Ceasefire talks resume", "/news/talks", "2020-02-22 10:15", categories="News"),
    "items/d.yaml": entry_yaml("Festival programme announced", "/culture/festival", "2020-01-10 12:00",
                               categories="Culture", expires="2020-02-01"),
}
LIGHT_BACKGROUND = (0xF6, 0xF5, 0xF3)
DARK_BACKGROUND = (0x12, 0x14, 0x16)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    root = tmp_path_factory.mktemp("browser") / "site"
    for relative, text in {"site.yaml": SITE_YAML, **ENTRIES}.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    result = build_site(root, now=NOW)
    assert result.check.ok, result.check.problems
    return result


@pytest.fixture(scope="module")
def page_url(site: BuildResult) -> Iterator[str]:
    """`feeds serve` on a free port of 127.0.0.1; the URL of index.html there."""
    assert site.check.site is not None
    port = free_port()
    command = [sys.executable, "-m", "feeds", "serve", str(site.check.site.root), "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/index.html"
    try:
        wait_until_served(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="module")
def dom(browser: str, page_url: str, tmp_path_factory: pytest.TempPathFactory) -> lxml.html.HtmlElement:
    rendered = run_chromium(browser, tmp_path_factory.mktemp("dom"), "--dump-dom", page_url)
    return lxml.html.fromstring(rendered.stdout)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_served(url: str, process: subprocess.Popen[bytes], seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"feeds serve exited with status {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"feeds serve did not answer at {url} within {seconds} s")


def run_chromium(browser: str, scratch: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """Chromium headless, isolated: its own profile, nothing fetched but the page itself."""
    profile = tempfile.mkdtemp(prefix="profile-", dir=scratch)
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
               f"--user-data-dir={profile}", *arguments]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def screenshot(browser: str, url: str, path: Path, width: int, height: int, *extra: str) -> Path:
    run_chromium(browser, path.parent, f"--screenshot={path}", f"--window-size={width},{height}", *extra, url)
    return path


def first_pixel(png: Path) -> tuple[int, int, int]:
    """The top-left pixel of an 8-bit RGB(A) PNG: the page background (row 0 is never predicted)."""
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, offset = [], 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset:offset + 4])
        chunks.append((data[offset + 4:offset + 8], data[offset + 8:offset + 8 + length]))
        offset += 12 + length
    header = next(body for kind, body in chunks if kind == b"IHDR")
    assert header[8:10] in (b"\x08\x02", b"\x08\x06"), "expected 8-bit RGB or RGBA"
    pixels = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    return pixels[1], pixels[2], pixels[3]


def feed_links(dom: lxml.html.HtmlElement) -> list[str]:
    return dom.xpath("//ul[@class='formats']//a/@href") + dom.xpath("//link[@rel='alternate']/@href")


def test_page_lists_every_feed_under_its_name(dom, site):
    headings = [" ".join(h2.text_content().split()) for h2 in dom.xpath("//main/section/div/h2")]
    assert headings == ["All stories"] + [spec.category for spec in site.feeds[1:]]
    assert headings == ["All stories", "Business", "Culture", "Ekonomi & Çevre", "News", "Weather"]


def test_page_shows_each_feeds_item_count(dom):
    counts = [span.text for span in dom.xpath("//main/section//span[@class='count']")]
    assert counts == ["3 stories", "1 story", "0 stories", "1 story", "2 stories", "1 story"]


def test_page_shows_the_site_wide_stories_with_their_dates(dom):
    first = dom.xpath("//section[@id='all-stories']//ol[@class='stories']/li/article")
    assert [(li.find("h3/a").text, li.find("time").text) for li in first] == [
        ("Ceasefire talks resume", "22 Feb 2020, 10:15"),
        ("Lira & bonds <rally>", "21 Feb 2020, 09:00"),
        ("Storm closes Black Sea ports", "20 Feb 2020, 16:40")]


def test_page_offers_rss_atom_and_json_for_every_feed_with_its_address(dom, site):
    for spec, section in zip(site.feeds, dom.xpath("//main/section")):
        labels = [a.text for a in section.xpath(".//ul[@class='formats']//a")]
        addresses = [code.text_content() for code in section.xpath(".//ul[@class='formats']//code")]
        assert labels == ["RSS", "Atom", "JSON Feed"]
        assert addresses == [f"https://news.example.com/feeds/{spec.path}{name}"  # in its letters: ekonomi-çevre
                             for name in ("rss.xml", "atom.xml", "feed.json")]


def test_page_has_an_autodiscovery_link_for_every_feed_file(dom, site):
    assert len(dom.xpath("//head/link[@rel='alternate']")) == 3 * len(site.feeds) == 18


def test_every_feed_link_on_the_page_resolves_to_the_published_file(dom, page_url, site):
    links = feed_links(dom)
    assert len(links) == 36
    for href in links:
        published = href.replace("https://news.example.com/", "/")  # an autodiscovery link: served here too
        with urllib.request.urlopen(urljoin(page_url, published), timeout=10) as response:
            assert response.status == 200, href
            relative = urllib.parse.unquote(urllib.parse.urlsplit(response.url).path).removeprefix("/feeds/")
            assert response.read() == (site.out_dir / relative).read_bytes(), href


def test_every_in_page_link_has_its_target(dom):
    targets = [href[1:] for href in dom.xpath("//a/@href") if href.startswith("#")]
    assert len(targets) == 6
    assert all(dom.xpath(f"//*[@id='{target}']") for target in targets)


def test_page_loads_nothing_from_elsewhere(dom):
    sources = dom.xpath("//script | //img | //iframe | //link[@rel='stylesheet'] | //@src")
    assert sources == []
    assert dom.xpath("//link[@rel='icon']/@href") == ["data:,"]


def test_screenshots_at_phone_and_desktop_widths_are_light(browser, page_url, tmp_path):
    phone = screenshot(browser, page_url, tmp_path / "phone.png", 390, 844)
    desktop = screenshot(browser, page_url, tmp_path / "desktop.png", 1280, 900)
    assert (first_pixel(phone), first_pixel(desktop)) == (LIGHT_BACKGROUND, LIGHT_BACKGROUND)


def test_screenshot_in_dark_mode_is_dark(browser, page_url, tmp_path):
    dark = screenshot(browser, page_url, tmp_path / "phone-dark.png", 390, 844, "--force-dark-mode",
                      "--blink-settings=preferredColorScheme=0")
    assert first_pixel(dark) == DARK_BACKGROUND
