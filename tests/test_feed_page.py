"""A feed folder's index.html: the feed for a person, valid HTML, deterministic, and as
headless Chromium renders it at phone and desktop widths (screenshots kept in tmp_path)."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urljoin
from urllib.request import urlopen
from zoneinfo import ZoneInfo

import html5lib
import lxml.html
import pytest

from feeds.model import Author, FeedDocument, Item, Site
from feeds.render import FORMATS
from feeds.render.feed_page import FeedPage, render, stories_in, with_stories
from feeds.render.html_parts import FeedLink

from .servers import no_redirect_host
from .test_browser import (
    DARK_BACKGROUND,
    first_pixel,
    run_chromium,
    screenshot,
)

SITE = Site(root=Path("."), title="Test Wire", link="https://news.example.com/", description="Test stories.",
            publish_url="https://news.example.com/feeds/", timezone=ZoneInfo("Europe/Istanbul"),
            timezone_name="Europe/Istanbul", authors=(Author("Test Desk"),), copyright="© 2020 Test Wire")
FOLDER = "categories/middle-east/"
START = datetime(2020, 2, 20, 13, 40, tzinfo=timezone.utc)  # 16:40 in Istanbul
TITLES = ["Turkey and Russia war of words on the last rebel enclave", "Lira & bonds <rally>",
          "Ceasefire talks resume in Moscow after a night of shelling near Saraqeb and Nairab",
          "Çavuşoğlu: more meetings are due"]
LIGHT_BACKGROUND = (0xF6, 0xF5, 0xF3)


def item(number: int) -> Item:
    when = START + timedelta(hours=number)
    return Item(id=f"urn:story:{number}", title=TITLES[number], link=f"https://news.example.com/news/{number}",
                published=when, updated=when, authors=(), categories=("Middle East",),
                summary=f"Summary {number}: fighting near Saraqeb as talks stall; a < b & \"c\".",
                content_html="<p>Body</p>", image=None, image_type=None)


ITEMS = tuple(item(n) for n in reversed(range(len(TITLES))))  # newest first


def links(folder: str = FOLDER) -> tuple[FeedLink, ...]:
    return tuple(FeedLink(f"Test Wire: Middle East ({name.upper()})", FORMATS[name].media_type, name.upper(),
                          f"{SITE.publish_url}{folder}{FORMATS[name].filename}") for name in ("rss", "atom", "json"))


def page(items: tuple[Item, ...] = ITEMS, folder: str = FOLDER) -> FeedPage:
    return FeedPage(folder, "Test Wire: Middle East", "Middle East from Test Wire", links(folder), items)


def test_page_is_html5_without_a_parse_error():
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    parser.parse(render(SITE, page()).decode("utf-8"))
    assert parser.errors == []


def test_page_is_the_same_bytes_for_the_same_data():
    assert render(SITE, page()) == render(SITE, page())


@pytest.mark.parametrize("shown", [ITEMS, ()], ids=["stories", "none"])
def test_a_pages_stories_taken_from_its_bytes_make_a_retitled_page_as_rendered_whole(shown):
    retitled = dataclasses.replace(SITE, title="Other Wire")
    renamed = page(shown)._replace(title="Middle East <desk> & co", description="Retold")
    listed = stories_in(render(SITE, page(shown)))
    assert listed is not None
    assert with_stories(retitled, renamed._replace(items=()), len(shown), listed) == render(retitled, renamed)


def test_a_page_cut_short_has_no_stories_to_take():
    whole = render(SITE, page())
    assert stories_in(whole[:whole.index(b"<ol")]) is None


def test_page_has_the_feeds_title_description_and_a_way_back_to_every_feed():
    dom = lxml.html.fromstring(render(SITE, page()))
    assert dom.findtext(".//title") == dom.findtext(".//h1") == "Test Wire: Middle East"
    assert dom.xpath("//p[@class='lede']/text()") == ["Middle East from Test Wire"]
    assert dom.xpath("//p[@class='up']/a/@href") == ["/feeds/index.html"]


def test_a_named_feeds_page_links_back_to_the_top_page_from_the_hosts_root():
    dom = lxml.html.fromstring(render(SITE, page(folder="breaking/")))
    assert dom.xpath("//p[@class='up']/a/@href") == ["/feeds/index.html"]


def test_the_sites_title_and_copyright_are_isolated_so_a_direction_override_in_them_stops_there():
    # An unclosed U+202E in site.yaml would otherwise run on to the end of the line and
    # show the page's own words reversed ("sdeef lla :"); <bdi> ends it where the text ends.
    site = dataclasses.replace(SITE, title="Wire \u202eevil", copyright="\u202e2020 Wire")
    dom = lxml.html.fromstring(render(site, page()))
    assert dom.xpath("//p[@class='up']/a/bdi/text()") == ["Wire \u202eevil"]
    assert dom.xpath("//footer/p/bdi/text()") == ["\u202e2020 Wire"]


def language_of(element: lxml.html.HtmlElement) -> str:
    """The language a screen reader speaks the element in: the nearest lang= on it or above it."""
    return element.xpath("ancestor-or-self::*[@lang][1]/@lang")[0]


def test_on_a_page_in_another_language_its_own_english_words_are_marked_english_and_the_newsrooms_are_not():
    """On an Arabic site's page a screen reader's Arabic voice read 'Subscribe', '4 stories'
    and every date as Arabic, which they are not."""
    arabic = dataclasses.replace(SITE, language="ar", title="ميريديان", copyright="© ميريديان")
    dom = lxml.html.fromstring(render(arabic, page()))
    own = dom.xpath("//p[@class='up']/a | //h2 | //p[@class='how'] | //ul[@class='formats']/li/a | //input"
                    " | //span[@class='count'] | //time | //footer/p")
    newsroom = dom.xpath("//p[@class='up']//bdi | //h1 | //p[@class='lede'] | //h3/a | //article/p | //footer//bdi")
    assert [language_of(element) for element in own] == ["en"] * 16
    assert [language_of(element) for element in newsroom] == ["ar"] * 12


def test_an_english_sites_page_names_its_language_once():
    assert lxml.html.fromstring(render(SITE, page())).xpath("//@lang") == ["en"]


def test_an_empty_feeds_page_in_another_language_says_so_in_english_marked_english():
    dom = lxml.html.fromstring(render(dataclasses.replace(SITE, language="de"), page(items=())))
    assert [language_of(element) for element in dom.xpath("//p[@class='empty']")] == ["en"]


def test_page_offers_each_format_with_its_address_in_a_read_only_field():
    dom = lxml.html.fromstring(render(SITE, page()))
    rows = dom.xpath("//section[@class='subscribe']//li")
    assert [(row.find("a").text, row.find("a").get("href")) for row in rows] == [
        ("RSS", f"/feeds/{FOLDER}rss.xml"), ("Atom", f"/feeds/{FOLDER}atom.xml"), ("JSON Feed", f"/feeds/{FOLDER}feed.json")]
    fields = [row.find("input") for row in rows]
    assert [field.get("value") for field in fields] == [link.url for link in links()]
    assert all(field.get("readonly") is not None for field in fields)


def test_an_address_in_another_script_is_shown_in_its_letters_and_linked_escaped():
    folder = "categories/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/"  # أخبار
    row = lxml.html.fromstring(render(SITE, page(folder=folder))).xpath("//section[@class='subscribe']//li")[0]
    assert row.find("a").get("href") == f"/feeds/{folder}rss.xml"
    assert row.find("input").get("value") == "https://news.example.com/feeds/categories/أخبار/rss.xml"


def test_on_a_right_to_left_page_each_address_field_reads_left_to_right_from_its_start():
    dom = lxml.html.fromstring(render(dataclasses.replace(SITE, language="ar"), page()))
    assert dom.xpath("//html/@dir") == ["rtl"]
    assert dom.xpath("//ul[@class='formats']//input/@dir") == ["ltr", "ltr", "ltr"]


def test_page_has_an_autodiscovery_link_per_format_at_the_address_it_shows_to_copy():
    dom = lxml.html.fromstring(render(SITE, page()))
    assert [(tag.get("type"), tag.get("href")) for tag in dom.xpath("//head/link[@rel='alternate']")] == [
        ("application/rss+xml", "https://news.example.com/feeds/categories/middle-east/rss.xml"),
        ("application/atom+xml", "https://news.example.com/feeds/categories/middle-east/atom.xml"),
        ("application/feed+json", "https://news.example.com/feeds/categories/middle-east/feed.json")]
    assert dom.xpath("//head/link[@rel='alternate']/@href") == dom.xpath("//ul[@class='formats']//input/@value")


@pytest.mark.parametrize("address", ["https://news.example.com/feeds/categories/middle-east",
                                     "http://127.0.0.1:8000/categories/middle-east/"])
def test_a_reader_given_the_pages_address_without_its_slash_or_a_previews_finds_the_published_feeds(address):
    """A reader resolves each autodiscovery href against the address it was given: relative,
    'rss.xml' was …/feeds/categories/rss.xml (not found) after an address with no final slash,
    and a preview's own 127.0.0.1, a feed gone when the preview stopped."""
    dom = lxml.html.fromstring(render(SITE, page()))
    assert [urljoin(address, href) for href in dom.xpath("//head/link[@rel='alternate']/@href")] == [
        link.url for link in links()]


def test_page_lists_every_item_newest_first_with_its_link_date_on_the_sites_clock_and_summary():
    dom = lxml.html.fromstring(render(SITE, page()))
    stories = dom.xpath("//ol[@class='stories']/li")
    assert [(li.find(".//a").text, li.find(".//a").get("href"), li.find(".//time").text) for li in stories] == [
        (TITLES[3], "https://news.example.com/news/3", "20 Feb 2020, 19:40"),
        (TITLES[2], "https://news.example.com/news/2", "20 Feb 2020, 18:40"),
        (TITLES[1], "https://news.example.com/news/1", "20 Feb 2020, 17:40"),
        (TITLES[0], "https://news.example.com/news/0", "20 Feb 2020, 16:40")]
    assert stories[2].find(".//p").text == 'Summary 1: fighting near Saraqeb as talks stall; a < b & "c".'
    assert dom.xpath("//span[@class='count']/text()") == ["4 stories"]


def test_two_stories_in_the_hour_the_clocks_go_back_over_are_dated_with_their_clocks_names():
    """01:30 BST comes before 01:30 GMT: both once read "25 Oct 2026, 01:30", and newest first
    the page seemed out of order around a story at 01:15 GMT."""
    london = dataclasses.replace(SITE, timezone=ZoneInfo("Europe/London"), timezone_name="Europe/London")
    moments = [datetime(2026, 10, 25, hour, minute, tzinfo=timezone.utc) for hour, minute in ((1, 30), (1, 15), (0, 30))]
    stories = tuple(item(number)._replace(published=moment, updated=moment)
                    for number, moment in enumerate(moments))
    dom = lxml.html.fromstring(render(london, page(stories)))
    assert dom.xpath("//ol[@class='stories']/li//time/text()") == [
        "25 Oct 2026, 01:30 GMT", "25 Oct 2026, 01:15 GMT", "25 Oct 2026, 01:30 BST"]


def test_page_shows_text_as_text_and_never_the_body_html():
    html = render(SITE, page()).decode("utf-8")
    assert "Lira &amp; bonds &lt;rally&gt;" in html
    assert "<p>Body</p>" not in html


def test_an_empty_feeds_page_says_so():
    dom = lxml.html.fromstring(render(SITE, page(items=())))
    assert dom.xpath("//p[@class='empty']/text()") == ["No stories in this feed right now."]
    assert dom.xpath("//span[@class='count']/text()") == ["0 stories"]


def test_page_needs_no_script_and_loads_nothing_from_elsewhere():
    dom = lxml.html.fromstring(render(SITE, page()))
    assert dom.xpath("//script | //img | //iframe | //link[@rel='stylesheet'] | //@src") == []
    assert not any(name.startswith("on") for element in dom.iter() for name in element.attrib)


def test_page_ids_are_unique():
    ids = lxml.html.fromstring(render(SITE, page())).xpath("//@id")
    assert len(ids) == len(set(ids))


# --- in a browser --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def page_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The page and its feed files in a publish folder, served at publish_url's path (/feeds/) on a
    free port of 127.0.0.1."""
    publish = tmp_path_factory.mktemp("publish")
    folder = publish / FOLDER
    folder.mkdir(parents=True)
    (folder / "index.html").write_bytes(render(SITE, page()))
    for link in links():
        name = link.format_name.lower()
        document = FeedDocument(SITE, "Test Wire: Middle East", "Middle East from Test Wire", SITE.link, link.url,
                                "Middle East", ITEMS[0].updated, ITEMS)
        (folder / FORMATS[name].filename).write_bytes(FORMATS[name].render(document))
    with no_redirect_host(publish, "/feeds/") as server:
        yield server.url(f"{FOLDER}index.html")


@pytest.fixture(scope="module")
def dom(browser: str, page_url: str, tmp_path_factory: pytest.TempPathFactory) -> lxml.html.HtmlElement:
    rendered = run_chromium(browser, tmp_path_factory.mktemp("dom"), "--dump-dom", page_url)
    return lxml.html.fromstring(rendered.stdout)


def test_chromium_shows_the_feed_title_and_every_item(dom):
    assert dom.findtext(".//h1") == "Test Wire: Middle East"
    assert [a.text for a in dom.xpath("//ol[@class='stories']//h3/a")] == list(reversed(TITLES))


def test_every_subscribe_and_autodiscovery_link_fetches_its_feed_file(dom, page_url):
    hrefs = dom.xpath("//section[@class='subscribe']//a/@href") + dom.xpath("//link[@rel='alternate']/@href")
    assert len(hrefs) == 6
    for href in hrefs:
        with urlopen(urljoin(page_url, href.replace(SITE.link, "/")), timeout=10) as response:  # published: served here
            assert response.status == 200 and response.read(5) in (b"<?xml", b"{\n  \"")


@pytest.mark.parametrize("width, height", [(390, 844), (1200, 900)])
def test_screenshot_fits_the_width_on_a_light_background(browser, page_url, tmp_path, width, height):
    shot = screenshot(browser, page_url, tmp_path / f"feed-page-{width}.png", width, height)
    assert first_pixel(shot) == LIGHT_BACKGROUND
    assert _png_size(shot) == (width, height)


def test_screenshot_in_dark_mode_is_dark(browser, page_url, tmp_path):
    dark = screenshot(browser, page_url, tmp_path / "feed-page-dark.png", 390, 844, "--force-dark-mode",
                      "--blink-settings=preferredColorScheme=0")
    assert first_pixel(dark) == DARK_BACKGROUND


def _png_size(png: Path) -> tuple[int, int]:
    data = png.read_bytes()
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


@pytest.mark.parametrize(("formats", "how"), [
    (("rss", "atom", "json"), "Copy an address into your feed reader. RSS suits almost every reader; "
                              "Atom and JSON Feed carry the same stories."),
    (("rss", "atom"), "Copy an address into your feed reader. RSS suits almost every reader; "
                      "Atom carries the same stories."),
    (("json", "atom"), "Copy an address into your feed reader. Atom suits almost every reader; "
                       "JSON Feed carries the same stories."),
    (("json",), "Copy an address into your feed reader."),
], ids=["all three", "rss and atom", "atom and json", "json alone"])
def test_the_advice_on_formats_names_only_those_the_feed_is_published_in(formats, how):
    offered = tuple(link for link in links() if link.format_name.lower() in formats)
    dom = lxml.html.fromstring(render(SITE, page()._replace(links=offered)))
    assert dom.xpath("//section[@class='subscribe']/p[@class='how']/text()") == [how]


def test_a_date_to_the_microsecond_is_marked_to_the_millisecond_as_html_allows():
    precise = item(0)._replace(published=START.replace(microsecond=123456))
    dom = lxml.html.fromstring(render(SITE, page(items=(precise,))))
    assert dom.xpath("//ol[@class='stories']//time/@datetime") == ["2020-02-20T13:40:00.123+00:00"]


def test_a_page_keeps_no_item_alive_once_it_is_rendered():
    """An Item holds its body's HTML: a page's stories are kept by what they show, so that a
    build of thousands of feeds does not hold every item its pages listed."""
    shown = item(0)._replace(id="urn:story:kept-by-nothing")
    held_before = sys.getrefcount(shown)
    render(SITE, page((shown,)))
    assert sys.getrefcount(shown) == held_before
