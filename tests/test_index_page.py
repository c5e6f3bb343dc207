"""index.html: every feed for people, valid HTML, self-contained, the same bytes for the same data."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urljoin
from urllib.request import urlopen

import html5lib
import lxml.html
import pytest

from feeds.build import build_site
from feeds.model import FeedSpec, Site
from feeds.render import FORMATS, index_page
from feeds.render.html_parts import shown_url
from feeds.render.index_page import FeedLink, ListedFeed
from feeds.select import NEVER_UPDATED as NEVER

from .conftest import SITE_YAML, entry_yaml
from .servers import no_redirect_host
from .test_feed_page import language_of

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


def index_of(root: Path) -> str:
    result = build_site(root, now=NOW)
    assert result.check.ok, result.check.problems
    return (result.out_dir / "index.html").read_text(encoding="utf-8")


def test_page_is_html5_without_a_parse_error(make_site):
    page = index_of(make_site({"items/a.yaml": entry_yaml(title="A & B <c> \"d\"", categories="[News, Ç & Ö]")}))
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    parser.parse(page)
    assert parser.errors == []


@pytest.mark.parametrize("language, opening", [("ar", '<html lang="ar" dir="rtl">'), ("he-IL", '<html lang="he-IL" dir="rtl">'),
                                               ("az-Arab", '<html lang="az-Arab" dir="rtl">'), ("en", '<html lang="en">'),
                                               ("ku-Latn", '<html lang="ku-Latn">'),
                                               ("ks", '<html lang="ks" dir="rtl">'), ("bal", '<html lang="bal" dir="rtl">'),
                                               ("ur-Aran", '<html lang="ur-Aran" dir="rtl">')])
def test_a_site_in_a_right_to_left_language_has_pages_that_read_from_the_right(make_site, language, opening):
    page = index_of(make_site({"items/a.yaml": entry_yaml()}, site_yaml=SITE_YAML + f"language: {language}\n"))
    assert opening in page


def test_page_ids_are_unique_and_every_label_points_at_one(make_site):
    page = lxml.html.fromstring(index_of(make_site({
        "items/a.yaml": entry_yaml(categories="[All, All stories, News, Weather]")})))
    ids = page.xpath("//@id")
    assert len(ids) == len(set(ids))
    assert all(label in ids for label in page.xpath("//@aria-labelledby"))


def test_page_has_one_section_per_feed_with_exact_markup(make_site):
    page = index_of(make_site({"items/a.yaml": entry_yaml(categories="Weather")}))
    section = re.search(r'<section id="category-weather".*?</section>', page, re.S)
    assert section is not None
    assert section.group() == (
        '<section id="category-weather" class="category" aria-labelledby="category-weather-title">\n'
        '<div class="head"><h2 id="category-weather-title"><a href="/feeds/categories/weather/index.html">Weather</a></h2>'
        '<span class="count">1 story</span></div>\n'
        '<ol class="latest"><li><a href="https://news.example.com/news/storm">Storm closes ports</a>'
        '<time datetime="2020-02-20T13:40:00+00:00">20 Feb 2020, 16:40</time></li></ol>\n'
        '<ul class="formats" aria-label="Subscribe to Weather">'
        '<li><a href="/feeds/categories/weather/rss.xml" type="application/rss+xml">RSS</a>'
        '<code>https://news.example.com/<wbr>feeds/<wbr>categories/<wbr>weather/<wbr>rss.xml</code></li>'
        '<li><a href="/feeds/categories/weather/atom.xml" type="application/atom+xml">Atom</a>'
        '<code>https://news.example.com/<wbr>feeds/<wbr>categories/<wbr>weather/<wbr>atom.xml</code></li>'
        '<li><a href="/feeds/categories/weather/feed.json" type="application/feed+json">JSON Feed</a>'
        '<code>https://news.example.com/<wbr>feeds/<wbr>categories/<wbr>weather/<wbr>feed.json</code></li>'
        '</ul>\n</section>')


def test_a_category_address_in_another_script_is_shown_in_its_letters_and_linked_escaped(make_site):
    """The text showed categories/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/rss.xml, which no reader can read."""
    page = index_of(make_site({"items/a.yaml": entry_yaml(categories="أخبار")}))
    assert ('<a href="/feeds/categories/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/rss.xml" type="application/rss+xml">RSS</a>'
            '<code>https://news.example.com/<wbr>feeds/<wbr>categories/<wbr><bdi>أخبار</bdi>/<wbr>rss.xml</code>') in page


@pytest.mark.parametrize(("address", "shown"), [
    ("https://x.example/a%20b/%2F/rss.xml", "https://x.example/a%20b/%2F/rss.xml"),
    ("https://x.example/caf%C3%A9/%E2%80%8F/%E9/", "https://x.example/café/%E2%80%8F/%E9/"),
], ids=["escapes of ASCII", "a letter, a direction control and a byte of no UTF-8"])
def test_an_address_shows_as_letters_only_the_escapes_of_letters(address, shown):
    assert shown_url(address) == shown


def test_page_has_autodiscovery_links_for_every_feed_file(make_site):
    page = index_of(make_site({"items/a.yaml": entry_yaml(categories="Weather")}))
    assert re.findall(r'<link rel="alternate".*?>', page) == [
        '<link rel="alternate" type="application/rss+xml" title="Test Wire (RSS)" '
        'href="https://news.example.com/feeds/rss.xml">',
        '<link rel="alternate" type="application/atom+xml" title="Test Wire (Atom)" '
        'href="https://news.example.com/feeds/atom.xml">',
        '<link rel="alternate" type="application/feed+json" title="Test Wire (JSON Feed)" '
        'href="https://news.example.com/feeds/feed.json">',
        '<link rel="alternate" type="application/rss+xml" title="Test Wire: Weather (RSS)" '
        'href="https://news.example.com/feeds/categories/weather/rss.xml">',
        '<link rel="alternate" type="application/atom+xml" title="Test Wire: Weather (Atom)" '
        'href="https://news.example.com/feeds/categories/weather/atom.xml">',
        '<link rel="alternate" type="application/feed+json" title="Test Wire: Weather (JSON Feed)" '
        'href="https://news.example.com/feeds/categories/weather/feed.json">',
    ]


def test_page_lists_only_the_formats_the_site_publishes(make_site):
    page = index_of(make_site({"items/a.yaml": entry_yaml()}, site_yaml=SITE_YAML + "formats: [atom]\n"))
    assert re.findall(r'<link rel="alternate".*?>', page) == [
        '<link rel="alternate" type="application/atom+xml" title="Test Wire (Atom)" '
        'href="https://news.example.com/feeds/atom.xml">']


def test_page_names_no_format_the_site_does_not_publish_when_it_says_which_to_choose(make_site):
    page = index_of(make_site({"items/a.yaml": entry_yaml()}, site_yaml=SITE_YAML + "formats: [json]\n"))
    assert lxml.html.fromstring(page).xpath("//p[@class='how']/text()") == [
        "Follow these stories in a feed reader: copy a feed's address below and add it there."]


def test_page_shows_the_sites_title_and_description_escaped(make_site):
    site_yaml = SITE_YAML.replace("title: Test Wire", "title: News & <Views>")
    page = index_of(make_site({"items/a.yaml": entry_yaml()}, site_yaml=site_yaml))
    assert "<title>News &amp; &lt;Views&gt;: news feeds</title>" in page
    assert '<h1><a href="https://news.example.com/">News &amp; &lt;Views&gt;</a></h1>' in page
    assert '<p class="lede">Test stories from a test desk.</p>' in page


def test_page_lists_every_site_wide_story_with_its_summary_and_three_headlines_per_category(make_site):
    entries = {f"items/{n}.yaml": entry_yaml(title=f"Story {n}", link=f"/{n}", published=f"2020-02-{10 + n} 09:00",
                                             categories="News", summary=f"Summary {n}.") for n in range(1, 8)}
    page = lxml.html.fromstring(index_of(make_site(entries)))
    site_wide, news = page.xpath("//main/section")
    assert [a.text for a in site_wide.xpath(".//ol/li//h3/a")] == [f"Story {n}" for n in range(7, 0, -1)]
    assert [p.text for p in site_wide.xpath(".//ol/li//p")] == [f"Summary {n}." for n in range(7, 0, -1)]
    assert [a.text for a in news.xpath(".//ol/li/a")] == ["Story 7", "Story 6", "Story 5"]
    assert [span.text for span in page.xpath("//span[@class='count']")] == ["7 stories", "7 stories"]


def test_site_wide_section_puts_its_addresses_above_its_stories(make_site):
    page = index_of(make_site({"items/a.yaml": entry_yaml()}))
    section = re.search(r'<section id="all-stories".*?</section>', page, re.S)
    assert section is not None
    assert section.group().index('<ul class="formats"') < section.group().index('<ol class="stories">')


def test_page_shows_an_edited_site_wide_summary_at_the_next_build(make_site):
    root = make_site({"items/a.yaml": entry_yaml(summary="First wording.")})
    assert "<p>First wording.</p>" in index_of(root)
    (root / "items/a.yaml").write_text(entry_yaml(summary="Second wording, longer."), encoding="utf-8")
    page = index_of(root)
    assert "<p>Second wording, longer.</p>" in page
    assert "First wording." not in page


def test_page_lists_the_site_wide_stories_when_only_it_is_missing(make_site):
    root = make_site({"items/a.yaml": entry_yaml(summary="Kept in the cache.")})
    first = index_of(root)
    (root / "publish/index.html").unlink()
    assert index_of(root) == first


def test_page_says_so_when_a_feed_has_no_stories_now(make_site):
    page = index_of(make_site({"items/a.yaml": entry_yaml(categories="Culture", expires="2020-03-01")}))
    assert page.count('<p class="empty">No stories in this feed right now.</p>') == 2


def test_page_dates_are_on_the_sites_clock(make_site):
    page = index_of(make_site({"items/a.yaml": entry_yaml(published="2020-02-29T22:30:00Z")}))
    assert '<time datetime="2020-02-29T22:30:00+00:00">1 Mar 2020, 01:30</time>' in page
    assert "<footer><p>Newest story 1 Mar 2020, 01:30 (Europe/Istanbul). Feeds published with feeds.</p></footer>" in page


def test_page_lists_feeds_in_a_nav_only_when_there_are_several(make_site):
    one = index_of(make_site({"items/a.yaml": entry_yaml(categories="News")}, name="one"))
    several = index_of(make_site({"items/a.yaml": entry_yaml(categories="[News, Sport]")}, name="several"))
    assert "<nav" not in one
    assert ('<nav aria-label="Feeds"><ul><li><a href="#all-stories">All stories</a></li>'
            '<li><a href="#category-news">News</a></li><li><a href="#category-sport">Sport</a></li></ul></nav>'
            in several)


def test_on_a_page_in_another_language_its_own_english_words_are_marked_english_and_the_newsrooms_are_not(make_site):
    """On an Arabic site's page a screen reader's Arabic voice read 'All stories', '1 story'
    and every date as Arabic, which they are not."""
    site_yaml = SITE_YAML + 'language: ar\ncopyright: "© ميريديان"\n'
    page = lxml.html.fromstring(index_of(make_site({
        "site.yaml": site_yaml, "items/a.yaml": entry_yaml(categories="[أخبار, Sport]"),
        "items/b.yaml": entry_yaml(link="/b", categories="Culture", expires="2020-03-01")})))
    own = page.xpath("//p[@class='how'] | //nav | //a[@href='#all-stories'] | //h2[@id='all-stories-title']"
                     " | //span[@class='count'] | //ul[@class='formats'] | //time | //p[@class='empty'] | //footer/p")
    newsroom = page.xpath("//h1 | //p[@class='lede'] | //nav//a[@href!='#all-stories'] | //h2[@id!='all-stories-title']"
                          " | //h3/a | //ol[@class='latest']//a | //article/p | //footer//bdi")
    assert [language_of(element) for element in own] == ["en"] * 17
    assert [language_of(element) for element in newsroom] == ["ar"] * 13


def test_on_a_page_in_another_language_every_name_given_to_a_screen_reader_is_in_the_language_it_is_spoken_in(
        make_site):
    """An Arabic site's format lists were named 'Subscribe to أخبار' in an English voice."""
    site_yaml = SITE_YAML + "language: ar\n"
    page = lxml.html.fromstring(index_of(make_site({
        "site.yaml": site_yaml, "items/a.yaml": entry_yaml(categories="[أخبار, رياضة, Sport]")})))
    named = page.xpath("//*[@aria-label]")
    assert {(element.get("aria-label"), language_of(element)) for element in named} == {
        ("Feeds", "en"), ("Subscribe", "en")}


def test_on_a_page_in_another_language_the_title_is_the_sites_own_words_alone(make_site):
    """A title is spoken in the page's voice: an Arabic page's was 'ميريديان: news feeds'."""
    site_yaml = SITE_YAML.replace("title: Test Wire", "title: ميريديان") + "language: ar\n"
    page = lxml.html.fromstring(index_of(make_site({"site.yaml": site_yaml, "items/a.yaml": entry_yaml()})))
    assert page.findtext(".//title") == "ميريديان"


def test_an_english_sites_page_names_its_language_once(make_site):
    page = lxml.html.fromstring(index_of(make_site({"items/a.yaml": entry_yaml(categories="[News, Sport]")})))
    assert page.xpath("//@lang") == ["en"]


def test_page_loads_nothing_and_runs_nothing(make_site):
    page = index_of(make_site({"items/a.yaml": entry_yaml(image="https://cdn.example.com/a.jpg")}))
    assert re.findall(r"<(script|img|iframe|object|embed)\b|@import|url\(|\bsrc=", page) == []
    assert '<link rel="icon" href="data:,">' in page


def test_page_works_for_phones_and_dark_mode(make_site):
    page = index_of(make_site({"items/a.yaml": entry_yaml()}))
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert '<meta name="color-scheme" content="light dark">' in page
    assert "@media (prefers-color-scheme: dark)" in page


def test_page_bytes_depend_only_on_the_data(make_site, tmp_path):
    entries = {"items/a.yaml": entry_yaml(categories="[News, Sport]"), "items/b.yaml": entry_yaml(link="/b")}
    first = build_site(make_site(entries, name="first"), now=NOW).out_dir / "index.html"
    second = build_site(make_site(entries, name="second"), now=NOW).out_dir / "index.html"
    assert first.read_bytes() == second.read_bytes()


def listed(spec: FeedSpec, page: str | None = None) -> ListedFeed:
    links = tuple(FeedLink(f"{spec.title} ({name})", FORMATS[name].media_type, name.upper(),
                           f"https://news.example.com/feeds/{spec.path}{FORMATS[name].filename}")
                  for name in ("rss", "atom", "json"))
    return ListedFeed(spec, links, page)


def kinds_of_feeds(pages: bool) -> lxml.html.HtmlElement:
    site = load_site_yaml()
    specs = [FeedSpec("", "Test Wire", "All", None, (), NEVER),
             FeedSpec("breaking/", "Breaking news", "Fast", None, (), NEVER, label="Breaking news"),
             FeedSpec("categories/news/", "Test Wire: News", "News", "News", (), NEVER),
             FeedSpec("authors/jane-doe/", "Test Wire: Jane Doe", "By Jane", None, (), NEVER, label="Jane Doe")]
    feeds = [listed(spec, f"{spec.path}index.html" if pages and spec.path else None) for spec in specs]
    return lxml.html.fromstring(index_page.render(site, feeds))


def load_site_yaml() -> Site:
    from feeds.load import parse_document
    from feeds.validate_site import validate_site

    site = validate_site(parse_document(SITE_YAML.encode(), "site.yaml"), Path("."))
    assert isinstance(site, Site)
    return site


def test_named_and_author_feeds_are_listed_under_their_label_with_anchors_of_their_kind():
    page = kinds_of_feeds(pages=False)
    sections = page.xpath("//main/section")
    assert [(s.get("id"), s.get("class"), s.findtext(".//h2")) for s in sections] == [
        ("all-stories", "site-wide", "All stories"), ("feed-breaking", "named", "Breaking news"),
        ("category-news", "category", "News"), ("author-jane-doe", "author", "Jane Doe")]


def test_every_feed_with_a_page_links_to_it_from_its_heading():
    page = kinds_of_feeds(pages=True)
    assert page.xpath("//main/section//h2/a/@href") == [
        "/feeds/breaking/index.html", "/feeds/categories/news/index.html", "/feeds/authors/jane-doe/index.html"]
    assert kinds_of_feeds(pages=False).xpath("//main/section//h2/a") == []


def test_every_link_of_every_page_leads_to_its_file_on_a_host_that_serves_a_folder_without_its_slash(make_site):
    """Such a host gives …/categories/news the folder's page with no redirect: relative,
    its 'rss.xml' was …/categories/rss.xml, and the top page's at …/feeds was /rss.xml, not found."""
    root = make_site({"items/a.yaml": entry_yaml(categories="[News, أخبار]", author="Jane Doe")},
                     site_yaml=SITE_YAML + "author_feeds: true\nfeeds: [{name: breaking}]\n")
    publish = build_site(root, now=NOW).out_dir
    with no_redirect_host(publish, "/feeds/") as host:
        for folder in ("", "breaking", "categories/news", "categories/أخبار", "authors/jane-doe"):
            page_url = host.url(folder).rstrip("/")
            with urlopen(page_url, timeout=10) as response:
                hrefs = lxml.html.fromstring(response.read()).xpath("//a/@href[not(starts-with(., '#') or starts-with(., 'https:'))]")
            assert len(hrefs) == (3 * 5 + 4 if folder == "" else 4), folder
            for href in hrefs:
                with urlopen(urljoin(page_url, href), timeout=10) as response:
                    assert response.status == 200, (folder, href)


def test_the_copyright_is_isolated_so_a_direction_override_in_it_stops_before_the_pages_own_words(make_site):
    site_yaml = SITE_YAML + 'copyright: "\\u202e2020 Test Wire"\n'
    page = index_of(make_site({"site.yaml": site_yaml, "items/a.yaml": entry_yaml()}))
    assert "<bdi>\u202e2020 Test Wire</bdi>. Feeds published with feeds.</p></footer>" in page
