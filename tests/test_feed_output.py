"""The SPEC's Output section: what every feed carries, in every format."""

from __future__ import annotations

import json
import shutil
import time
from datetime import datetime, timezone
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from feeds import content
from feeds.build import build_site
from feeds.cli import main
from feeds.content import first_paragraph_text, truncate

from .conftest import SEED, SITE_YAML, entry_yaml

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)
REPO = Path(__file__).resolve().parent.parent



def parse(path: Path) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(path.read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def build(root: Path, now: datetime = NOW) -> Path:
    result = build_site(root, now=now)
    assert result.check.ok, [str(p) for p in result.check.problems]
    return result.out_dir


@pytest.fixture
def seed_site(make_site):
    return make_site({"items/2020/02/seed.yaml": SEED})


def test_sample_site_feeds_all_parse_cleanly(tmp_path):
    result = build_site(REPO, now=NOW, out=tmp_path / "publish")
    assert result.check.ok
    xml_files = sorted((tmp_path / "publish").rglob("*.xml"))
    assert len(xml_files) == 2 * len(result.feeds) >= 14
    for path in xml_files:
        etree.parse(str(path))  # well-formed XML, or lxml raises
        assert parse(path).entries or "categories" in path.parts
    for path in (tmp_path / "publish").rglob("feed.json"):
        assert read_json(path)["version"] == "https://jsonfeed.org/version/1.1"


def test_sample_site_shows_off_two_named_feeds_one_of_summaries_and_author_feeds(tmp_path):
    out = tmp_path / "publish"
    kinds = [spec.kind for spec in build_site(REPO, now=NOW, out=out).feeds]
    assert kinds.count("named") == 2 and kinds.count("author") >= 3
    assert parse(out / "markets-digest/rss.xml").entries and parse(out / "breaking/rss.xml").entries
    assert b"content:encoded" not in (out / "markets-digest/rss.xml").read_bytes()
    assert b"content:encoded" in (out / "breaking/rss.xml").read_bytes()
    assert all((out / spec / "index.html").is_file() for spec in ("breaking", "authors/business-desk"))


def test_title_link_id_and_non_ascii_round_trip_in_every_format(seed_site):
    out = build(seed_site)
    link = "https://news.example.com/news/turkey-russia-war-of-words-idlib"
    title = "Turkey and Russia war of words on the last rebel enclave"
    for name in ("rss.xml", "atom.xml"):
        item = parse(out / name).entries[0]
        assert (item.title, item.link, item.id) == (title, link, link)
        assert "Çavuşoğlu" in item.summary
    item = read_json(out / "feed.json")["items"][0]
    assert (item["title"], item["url"], item["id"]) == (title, link, link)
    assert "Çavuşoğlu" in item["summary"] and "Çavuşoğlu" in item["content_html"]


def test_dates_round_trip_as_the_same_instant(seed_site):
    out = build(seed_site)
    published = datetime(2020, 2, 20, 13, 40, tzinfo=timezone.utc)  # 16:40 in Istanbul
    updated = datetime(2020, 2, 20, 16, 5, tzinfo=timezone.utc)
    rss = parse(out / "rss.xml").entries[0]
    atom = parse(out / "atom.xml").entries[0]
    assert datetime(*rss.published_parsed[:6], tzinfo=timezone.utc) == published
    assert datetime(*atom.published_parsed[:6], tzinfo=timezone.utc) == published
    assert datetime(*atom.updated_parsed[:6], tzinfo=timezone.utc) == updated
    item = read_json(out / "feed.json")["items"][0]
    assert datetime.fromisoformat(item["date_published"]) == published
    assert datetime.fromisoformat(item["date_modified"]) == updated


def test_categories_round_trip_in_every_format(seed_site):
    out = build(seed_site)
    for name in ("rss.xml", "atom.xml"):
        assert [tag.term for tag in parse(out / name).entries[0].tags] == ["News", "Middle East"]
    assert read_json(out / "feed.json")["items"][0]["tags"] == ["News", "Middle East"]


def test_author_is_dc_creator_in_rss_and_full_in_atom(seed_site):
    out = build(seed_site)
    rss = (out / "rss.xml").read_text(encoding="utf-8")
    assert "<dc:creator>Middle East desk</dc:creator>" in rss and "<author>" not in rss
    atom = parse(out / "atom.xml").entries[0]
    assert atom.author_detail.name == "Middle East desk"
    assert atom.author_detail.email == "mideast@news.example.com"


def test_site_author_is_used_where_the_entry_names_none(make_site):
    out = build(make_site({"items/a.yaml": entry_yaml()}))
    assert parse(out / "atom.xml").entries[0].author_detail.name == "Test Desk"
    assert read_json(out / "feed.json")["items"][0]["authors"] == [{"name": "Test Desk",
                                                                    "url": "mailto:desk@news.example.com"}]


def test_body_is_full_html_content_in_every_format(seed_site):
    out = build(seed_site)
    rss = etree.parse(str(out / "rss.xml"))
    encoded = rss.find(".//item/{http://purl.org/rss/1.0/modules/content/}encoded").text
    assert "<strong>Saraqeb</strong>" in encoded
    atom = etree.parse(str(out / "atom.xml"))
    content = atom.find(".//{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}content")
    assert content.get("type") == "html" and "<strong>Saraqeb</strong>" in content.text
    assert "<strong>Saraqeb</strong>" in read_json(out / "feed.json")["items"][0]["content_html"]


def test_relative_links_in_the_body_resolve_against_the_entry_link(seed_site):
    out = build(seed_site)
    html = read_json(out / "feed.json")["items"][0]["content_html"]
    assert 'href="https://news.example.com/news/idlib-displacement"' in html


def test_an_in_page_link_in_the_body_points_into_the_article_page(make_site):
    root = make_site({"items/a.yaml": entry_yaml(body="'See [the notes](#notes).'")})
    assert main(["build", str(root), "--quiet"]) == 0
    html = read_json(root / "publish" / "feed.json")["items"][0]["content_html"]
    assert 'href="https://news.example.com/news/storm#notes"' in html  # a reader resolves "#notes" against the feed


def test_image_is_carried_in_every_format(seed_site):
    out = build(seed_site)
    url = "https://news.example.com/img/2020/nairab.jpg"
    rss = etree.parse(str(out / "rss.xml"))
    media = rss.find(".//item/{http://search.yahoo.com/mrss/}content")
    assert (media.get("url"), media.get("medium"), media.get("type")) == (url, "image", "image/jpeg")
    atom = parse(out / "atom.xml").entries[0]
    assert [(link.href, link.type) for link in atom.links if link.rel == "enclosure"] == [(url, "image/jpeg")]
    assert read_json(out / "feed.json")["items"][0]["image"] == url


def test_summary_is_derived_from_the_first_paragraph_when_missing(make_site):
    body = "|\n  ![photo](/a.jpg) The *port* of [Izmir](/izmir) closed on Thursday as the storm hit.\n\n  Second.\n"
    out = build(make_site({"items/a.yaml": entry_yaml(body=body)}))
    expected = "The port of Izmir closed on Thursday as the storm hit."
    assert read_json(out / "feed.json")["items"][0]["summary"] == expected
    assert parse(out / "rss.xml").entries[0].summary == expected


def test_a_summary_drawn_from_the_body_reads_no_further_than_its_first_paragraph_with_words():
    html = "<p></p><p><a title=\"</p>\">Ports</a> shut.</p>" + "<p><b>x</b></p>" * 100_000
    started = time.perf_counter()
    assert first_paragraph_text(html) == "Ports shut."
    assert time.perf_counter() - started < 0.1


@pytest.mark.parametrize("html", [
    "<p>" + "<em>a</em> word " * 60_000 + "</p>\n<p>Second.</p>",
    "<table><tr><th>Port</th><th>Shut</th></tr>" + "<tr><td>Izmir</td><td>yes</td></tr>" * 30_000 + "</table>"],
    ids=["one long paragraph", "a table and no paragraph"])
def test_a_summary_drawn_from_the_body_reads_no_more_of_it_than_the_summarys_length_settles(monkeypatch, html):
    """A paragraph of 240,000 `<em>a</em>`, or a table of 120,000 rows, was read to its end
    (1.0 s, 1.7 s) for the 300 characters a summary keeps."""
    whole = first_paragraph_text(html)
    fed: list[int] = []
    feed = content._FirstParagraph.feed
    monkeypatch.setattr(content._FirstParagraph, "feed", lambda reader, data: fed.append(len(data)) or feed(reader, data))
    assert first_paragraph_text(html, 300)[:600] == whole[:600]
    assert sum(fed) < len(html) // 4


@pytest.mark.parametrize("html, expected", [
    ("<table>" + "<tr><td>Izmir</td></tr>" * 30_000 + "</table><p>Ports shut.</p>", "Ports shut."),
    ("<p>" + "<em>Photo</em> " * 30_000 + '<img src="/a.jpg"></p><p>Ports shut.</p>', "Ports shut."),
    ("<p>" + "Ports shut. " * 30_000 + "<figure>x</p><p>Second.</p>", "Ports shut. Ports shut.")],
    ids=["a paragraph after a table", "a caption's image at its end", "a figure opened in it"])
def test_a_summary_read_short_of_the_end_is_what_reading_to_the_end_gives(html, expected):
    """What comes after may make the words read no paragraph's, or a caption's: it is read on to it."""
    assert first_paragraph_text(html, 300)[:600] == first_paragraph_text(html)[:600]
    assert first_paragraph_text(html, 300).startswith(expected)


@pytest.mark.parametrize("body, expected", [
    ("|\n  - Police closed the bridge.\n  - Traffic was diverted.\n", "Police closed the bridge. Traffic was diverted."),
    ("|\n  ## Bridge closed after the storm\n", "Bridge closed after the storm"),
    ("|\n  <!-- wp:paragraph --> Police closed the bridge.\n", "Police closed the bridge.")])
def test_a_body_with_no_paragraph_gives_its_words_as_the_summary_not_the_title(make_site, body, expected):
    out = build(make_site({"items/a.yaml": entry_yaml(title="Storm", body=body)}))
    assert read_json(out / "feed.json")["items"][0]["summary"] == expected


@pytest.mark.parametrize("paragraph, expected", [
    ("Tickets cost ~~£10~~ £12 from Monday.", "Tickets cost £12 from Monday."),
    ("The minister <del>resigned</del><ins>was dismissed</ins> on Friday.", "The minister was dismissed on Friday."),
    ("Rain in <ruby>東京<rt>とうきょう</rt></ruby> today.", "Rain in 東京 today."),
    ("CO<sub>2</sub> rose to 10<sup>6</sup> tonnes over 5 km<sup>2</sup>.", "CO₂ rose to 10⁶ tonnes over 5 km²."),
    ("Figures fell to 4.2[^1] in the 2<sup>nd</sup> quarter.\n\n[^1]: Reuters",
     "Figures fell to 4.2[1] in the 2nd quarter.")],
    ids=["struck", "corrected", "ruby", "raised and lowered", "footnote and letters"])
def test_a_summary_drawn_from_the_body_says_what_its_markup_means(make_site, paragraph, expected):
    """Plain text shows no strike and no raised figure: "£10 £12" and "106 tonnes" misstated the story."""
    body = "|\n  " + paragraph.replace("\n", "\n  ") + "\n"
    out = build(make_site({"items/a.yaml": entry_yaml(body=body)}))
    assert read_json(out / "feed.json")["items"][0]["summary"] == expected
    assert parse(out / "rss.xml").entries[0].summary == expected


@pytest.mark.parametrize("language, expected", [
    ("en", "The minister called it “a disaster, ‘total’ and utter”."),
    ("de", "The minister called it „a disaster, ‚total‘ and utter“."),
    ("fr", "The minister called it «a disaster, «total» and utter»."),
    ("pt-PT", "The minister called it «a disaster, “total” and utter»."),
    ("ja", "The minister called it 「a disaster, 『total』 and utter」."),
    ("eo", "The minister called it “a disaster, ‘total’ and utter”.")],
    ids=["en", "de", "fr", "pt-PT", "ja", "a language with no marks listed"])
def test_a_quotation_in_a_summary_drawn_from_the_body_keeps_its_marks_in_the_sites_language(make_site, language,
                                                                                              expected):
    """A <q>'s marks are drawn by the page, not written: without them the minister's words read as the paper's."""
    body = "'<p>The minister called it <q>a disaster, <q>total</q> and utter</q>.</p>'"
    out = build(make_site({"items/a.yaml": entry_yaml(body=body)}, site_yaml=SITE_YAML + f"language: {language}\n"))
    assert read_json(out / "feed.json")["items"][0]["summary"] == expected
    assert parse(out / "rss.xml").entries[0].summary == expected


@pytest.mark.parametrize("lead", [
    "<figure><img src=\"/a.jpg\" alt=\"Flooded street\"><figcaption>Photo: Reuters</figcaption></figure>",
    "<figure>\n<img src=\"/a.jpg\" alt=\"\">\n<figcaption><p>Photo: Reuters</p></figcaption>\n</figure>",
    "![Flooded street](/a.jpg)\n*Photo: Reuters*",
    "![Flooded street](/a.jpg)\n\n_Photo: [Reuters](https://www.reuters.com/)_",
    "<img src=\"/a.jpg\" alt=\"Flooded street\">\n\n*Photo: Reuters*",
    "<figure><img src=\"/a.jpg\" alt=\"Flooded street\"></figure>\n\n*Photo: Reuters*"],
    ids=["figure", "figcaption with a paragraph", "italic line under a Markdown image", "italic paragraph after one",
         "italic paragraph after an HTML image", "italic paragraph after a figure with no caption"])
def test_a_body_opening_with_a_photo_and_its_caption_is_summed_up_by_its_first_paragraph_not_the_caption(make_site,
                                                                                                         lead):
    """A summary that read "Photo: Reuters" said nothing of the story."""
    body = "|\n  " + (lead + "\n\nStorm closes ports across the north.").replace("\n", "\n  ") + "\n"
    out = build(make_site({"items/a.yaml": entry_yaml(body=body)}))
    assert read_json(out / "feed.json")["items"][0]["summary"] == "Storm closes ports across the north."


def test_an_italic_first_paragraph_with_no_photo_before_it_is_the_summary(make_site):
    """Only a caption is passed over: a standfirst set in italics is the story's own words."""
    body = "|\n  *Ports across the north closed at dawn.*\n\n  Ferries are cancelled.\n"
    out = build(make_site({"items/a.yaml": entry_yaml(body=body)}))
    assert read_json(out / "feed.json")["items"][0]["summary"] == "Ports across the north closed at dawn."


@pytest.mark.parametrize("length, expected", [
    (40, "The minister called it “a disaster of…”"),
    (51, "The minister called it “a disaster of ‘the worst…’”"),
    (50, "The minister called it “a disaster of ‘the…’”")])  # the marks did not fit after "worst"
def test_a_summary_cut_inside_a_quotation_closes_it_within_the_length(make_site, length, expected):
    """'The minister called it “a disaster of…': the quotation never ended."""
    body = "'<p>The minister called it <q>a disaster of <q>the worst kind</q>, truly awful</q> on Monday.</p>'"
    out = build(make_site({"items/a.yaml": entry_yaml(body=body)}, site_yaml=SITE_YAML + f"summary_length: {length}\n"))
    assert read_json(out / "feed.json")["items"][0]["summary"] == expected
    assert parse(out / "rss.xml").entries[0].summary == expected
    assert len(expected) <= length


def test_a_summary_cut_inside_a_quotation_closes_its_direction_isolate_before_its_mark(make_site):
    """'“\u2067كارثة من…”\u2069': the closing mark inside the isolate was shown at its
    right-to-left end, and the quotation it should close was left open."""
    body = "'<p>قال الوزير <q>\u2067كارثة من أسوأ نوع عرفناه\u2069</q> أمس</p>'"
    site_yaml = SITE_YAML + "language: ar\nsummary_length: 24\n"
    out = build(make_site({"items/a.yaml": entry_yaml(body=body)}, site_yaml=site_yaml))
    assert read_json(out / "feed.json")["items"][0]["summary"] == "قال الوزير “\u2067كارثة من…\u2069”"


def test_a_body_with_no_words_gives_the_title_as_the_summary(make_site):
    out = build(make_site({"items/a.yaml": entry_yaml(title="Storm", body="'![](/a.jpg)'")}))
    assert read_json(out / "feed.json")["items"][0]["summary"] == "Storm"


def test_derived_summary_is_cut_at_a_word_boundary_with_an_ellipsis(make_site):
    site_yaml = (REPO / "tests" / "conftest.py").read_text().split('SITE_YAML = """\\\n')[1].split('"""')[0]
    words = " ".join(["word"] * 40)
    root = make_site({"items/a.yaml": entry_yaml(body=f"|\n  {words}\n")}, site_yaml=site_yaml + "summary_length: 30\n")
    summary = read_json(build(root) / "feed.json")["items"][0]["summary"]
    assert summary == "word word word word word word…"
    assert len(summary) <= 30


@pytest.mark.parametrize("text, cut", [
    ("シリア北西部で、トルコとロシアの対立が深まっている。両国は", "シリア北西部で…"),
    ("NHK によると、シリア北西部でトルコとロシアの対立が深まっている", "NHK によると…"),
    ("叙利亚西北部局势紧张，土耳其与俄罗斯的对立加深。两国", "叙利亚西北部局势紧张…"),
    ("シリア北西部で緊張が高まり\u3000トルコとロシアの対立が深まっている", "シリア北西部で緊張が高まり…"),
    ("ငလျင်လှုပ်ခဲ့သည်။အဆောက်အအုံများပြိုကျ", "ငလျင်လှုပ်ခဲ့သည်…"),
    ("ភ្លៀងនៅភ្នំពេញ។ចរាចរណ៍ត្រូវបានរំខាន", "ភ្លៀងនៅភ្នំពេញ…")])
def test_a_summary_in_a_language_written_without_spaces_is_cut_after_a_clause_not_inside_a_word(text, cut):
    assert truncate(text, 20) == cut


@pytest.mark.parametrize("text, limit, cut", [
    ("اتفق القادة على وقف النار، وقال الوزير إن المحادثات ستستمر", 30, "اتفق القادة على وقف النار…"),
    ("दिल्ली में बारिश हुई। यातायात प्रभावित हुआ और उड़ानें रद्द", 25, "दिल्ली में बारिश हुई…")])
def test_a_summary_cut_after_a_comma_or_a_full_stop_of_any_script_leaves_it_out_before_the_ellipsis(text, limit, cut):
    assert truncate(text, limit) == cut


def test_a_derived_summary_that_opens_with_dashes_is_not_an_ellipsis_alone():
    assert truncate("— — — — — — — — — — — — — — the story itself", 20) == "— — — — — — — — — —…"


@pytest.mark.parametrize("paragraph, expected", [
    ("Ports \\u202eshut today.", "Ports \u202eshut today.\u202c"),  # an override the paragraph's end closed
    ("\\u2067" + "שלום " * 20 + "\\u2069", "\u2067" + "שלום " * 4 + "שלום…\u2069")])  # a closer the cut left out
def test_a_summary_drawn_from_the_body_closes_each_direction_it_opens(make_site, paragraph, expected):
    """Alone on a line with the feed's name and the date, it would turn them around too."""
    site_yaml = SITE_YAML + "summary_length: 30\n"
    out = build(make_site({"items/a.yaml": entry_yaml(body=f'"{paragraph}\\n\\nSecond."')}, site_yaml=site_yaml))
    assert read_json(out / "feed.json")["items"][0]["summary"] == expected
    assert parse(out / "atom.xml").entries[0].summary == expected


def test_guid_is_a_permalink_only_when_the_id_is_the_link(make_site):
    out = build(make_site({
        "items/a.yaml": entry_yaml(link="/a", published="2020-02-20 10:00"),
        "items/b.yaml": entry_yaml(link="/b", published="2020-02-20 11:00",
                                   id="urn:uuid:3f6c2a9e-8b41-4d7a-9c55-1e2f7b0d4a86"),
    }))
    guids = etree.parse(str(out / "rss.xml")).findall(".//item/guid")
    assert [(g.text, g.get("isPermaLink")) for g in guids] == [
        ("urn:uuid:3f6c2a9e-8b41-4d7a-9c55-1e2f7b0d4a86", "false"),
        ("https://news.example.com/a", "true"),
    ]


def test_a_link_of_decomposed_letters_is_kept_and_the_items_id_is_in_nfc_in_every_format(make_site):
    """As macOS writes names: the server may hold that name, so the link keeps it; the W3C
    validator wants an Atom id in NFC, and the id is one (RFC 3987) however é is composed."""
    out = build(make_site({"items/a.yaml": entry_yaml(link='"/news/cafe\\u0301"')}))
    nfd, nfc = "https://news.example.com/news/cafe%CC%81", "https://news.example.com/news/caf%C3%A9"
    atom, rss = parse(out / "atom.xml").entries[0], parse(out / "rss.xml").entries[0]
    assert (atom.id, atom.link, rss.id, rss.link) == (nfc, nfd, nfc, nfd)
    assert etree.parse(str(out / "rss.xml")).find(".//item/guid").get("isPermaLink") == "false"
    assert [(item["id"], item["url"]) for item in read_json(out / "feed.json")["items"]] == [(nfc, nfd)]


def test_two_links_that_differ_only_in_how_a_letter_is_composed_are_one_id(make_site):
    root = make_site({"items/a.yaml": entry_yaml(link='"/news/cafe\\u0301"', published="2020-02-20 10:00"),
                      "items/b.yaml": entry_yaml(link='"/news/caf\\u00e9"', published="2020-02-20 11:00")})
    problems = build_site(root, now=NOW).check.problems
    assert [(problem.path, problem.code) for problem in problems] == [("items/b.yaml", "duplicate-id")]


def test_a_publish_url_of_decomposed_letters_gives_each_atom_feed_an_id_in_nfc(make_site):
    out = build(make_site({"items/a.yaml": entry_yaml()},
                          site_yaml=SITE_YAML.replace("https://news.example.com/feeds/",
                                                      '"https://news.example.com/cafe\\u0301/"')))
    feed = parse(out / "atom.xml").feed
    assert (feed.id, feed.links[1].href) == ("https://news.example.com/caf%C3%A9/atom.xml",
                                             "https://news.example.com/cafe%CC%81/atom.xml")


def test_rss_channel_link_is_the_site_and_self_links_are_the_feed(seed_site):
    out = build(seed_site)
    rss = etree.parse(str(out / "rss.xml"))
    assert rss.findtext("channel/link") == "https://news.example.com/"
    self_link = rss.find("channel/{http://www.w3.org/2005/Atom}link")
    assert (self_link.get("rel"), self_link.get("href")) == ("self", "https://news.example.com/feeds/rss.xml")
    links = {link.rel: link.href for link in parse(out / "atom.xml").feed.links}
    assert links == {"self": "https://news.example.com/feeds/atom.xml", "alternate": "https://news.example.com/"}
    category = parse(out / "categories/middle-east/atom.xml").feed
    assert category.id == "https://news.example.com/feeds/categories/middle-east/atom.xml"



def test_an_atom_feeds_first_link_is_its_home_page(seed_site):
    """feed-extractor takes a feed's first <link> for its home page, whatever its rel: with the
    self link first it showed the feed's own URL as the site's."""
    out = build(seed_site)
    first = etree.parse(str(out / "atom.xml")).find("{http://www.w3.org/2005/Atom}link")
    assert (first.get("rel"), first.get("href")) == ("alternate", "https://news.example.com/")

def test_feed_level_dates_come_from_the_items_not_the_clock(seed_site):
    first = build(seed_site, now=NOW)
    rss = etree.parse(str(first / "rss.xml")).findtext("channel/lastBuildDate")
    assert rss == "Thu, 20 Feb 2020 16:05:00 +0000"
    assert parse(first / "atom.xml").feed.updated.startswith("2020-02-20T16:05:00")


def test_items_are_newest_first_with_ties_broken_by_id(make_site):
    out = build(make_site({
        "items/old.yaml": entry_yaml(link="/old", published="2020-02-19 09:00"),
        "items/tie-b.yaml": entry_yaml(link="/tie-b", published="2020-02-20 09:00"),
        "items/tie-a.yaml": entry_yaml(link="/tie-a", published="2020-02-20 09:00"),
        "items/new.yaml": entry_yaml(link="/new", published="2020-02-21 09:00"),
    }))
    links = [item["url"].rsplit("/", 1)[1] for item in read_json(out / "feed.json")["items"]]
    assert links == ["new", "tie-a", "tie-b", "old"]


def test_max_items_keeps_the_newest(make_site):
    from .conftest import SITE_YAML
    entries = {f"items/{n}.yaml": entry_yaml(link=f"/{n}", published=f"2020-02-{n:02d} 09:00") for n in range(1, 8)}
    out = build(make_site(entries, site_yaml=SITE_YAML + "max_items: 3\n"))
    for name in ("rss.xml", "atom.xml"):
        assert [e.link[-2:] for e in parse(out / name).entries] == ["/7", "/6", "/5"]


def test_json_feed_has_its_required_fields(seed_site):
    document = read_json(build(seed_site) / "feed.json")
    assert document["feed_url"] == "https://news.example.com/feeds/feed.json"
    assert document["home_page_url"] == "https://news.example.com/"
    assert document["title"] == "Test Wire"


def test_formats_setting_writes_only_those_formats(make_site):
    from .conftest import SITE_YAML
    out = build(make_site({"items/a.yaml": entry_yaml(categories="[News]")},
                          site_yaml=SITE_YAML + "formats: [atom]\n"))
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        "atom.xml", "categories/news/atom.xml", "categories/news/index.html", "index.html"]


def test_category_feeds_can_be_turned_off(make_site):
    from .conftest import SITE_YAML
    out = build(make_site({"items/a.yaml": entry_yaml(categories="[News]")},
                          site_yaml=SITE_YAML + "category_feeds: false\n"))
    assert not (out / "categories").exists()


def test_the_files_a_format_turned_off_leaves_are_named_at_every_build_while_they_are_there(make_site, capsys):
    """feeds never deletes a feed, so readers of atom.xml would get no new story without a word."""
    from .conftest import SITE_YAML

    root = make_site({"items/a.yaml": entry_yaml(categories="[News]")})
    assert main(["build", str(root)]) == 0
    (root / "site.yaml").write_text(SITE_YAML + "formats: [rss]\n", encoding="utf-8")
    left = ("4 files no longer written (a format or a kind of feed switched off) left as they were, still served: "
            "atom.xml, feed.json, categories/news/atom.xml and 1 more; delete them to retire those feeds")
    for _ in range(2):  # the second build finds nothing changed
        capsys.readouterr()
        assert main(["build", str(root)]) == 0
        assert left in capsys.readouterr().err.splitlines()
    for path in ("atom.xml", "feed.json", "categories/news/atom.xml", "categories/news/feed.json"):
        (root / "publish" / path).unlink()
    assert main(["build", str(root)]) == 0
    assert "no longer written" not in capsys.readouterr().err


@pytest.mark.parametrize("withdraw", ["draft", "delete"])
def test_a_story_withdrawn_while_category_feeds_are_off_leaves_its_category_feed_once_they_are_on(make_site,
                                                                                                 withdraw):
    from .conftest import SITE_YAML

    root = make_site({"items/keep.yaml": entry_yaml(title="Keep", link="/k", categories="[Y]"),
                      "items/secret.yaml": entry_yaml(title="Secret", link="/s", categories="[X]")})
    moments = iter(datetime(2026, 1, 1, 0, minute, tzinfo=timezone.utc) for minute in range(4))
    assert build_site(root, now=next(moments)).check.ok
    (root / "site.yaml").write_text(SITE_YAML + "category_feeds: false\n", encoding="utf-8")
    assert build_site(root, now=next(moments)).check.ok
    if withdraw == "draft":  # a takedown
        (root / "items/secret.yaml").write_text(entry_yaml(title="Secret", link="/s", categories="[X]", draft="true"),
                                                encoding="utf-8")
    else:
        (root / "items/secret.yaml").unlink()
    assert build_site(root, now=next(moments)).check.ok
    (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    out = build_site(root, now=next(moments)).out_dir
    for name in ("rss.xml", "atom.xml", "feed.json", "index.html"):
        assert "Secret" not in (out / "categories/x" / name).read_text(encoding="utf-8")
    assert read_json(out / "categories/x/feed.json")["items"] == []


@pytest.mark.parametrize("withdraw", ["recategorised", "deleted", "deleted, cache deleted"])
def test_a_category_feed_its_last_story_leaves_keeps_its_name_and_is_dated_when_it_emptied(make_site, withdraw):
    """Readers subscribed to "Severe Weather" keep a feed of that title, dated when its last
    story left it (not by its folder's name, nor dated 2000-01-01), and later builds keep
    that date: the manifest, which outlives the cache, says what the feed was called."""
    root = make_site({"items/keep.yaml": entry_yaml(title="Keep", link="/k", categories="[News]"),
                      "items/storm.yaml": entry_yaml(title="Storm", link="/s", categories="[Severe Weather]")})
    moments = iter(datetime(2026, 1, 1, 0, minute, 30, 250, tzinfo=timezone.utc) for minute in range(3))
    assert build_site(root, now=next(moments)).check.ok
    if withdraw == "recategorised":
        (root / "items/storm.yaml").write_text(entry_yaml(title="Storm", link="/s", categories="[News]"),
                                               encoding="utf-8")
    else:
        (root / "items/storm.yaml").unlink()
    if withdraw.endswith("cache deleted"):
        shutil.rmtree(root / ".feeds" / "cache")
    emptied = build_site(root, now=next(moments)).out_dir / "categories/severe-weather"
    feeds = {name: (emptied / name).read_bytes() for name in ("rss.xml", "atom.xml", "feed.json")}
    atom = parse(emptied / "atom.xml")
    assert atom.feed.title == "Test Wire: Severe Weather" and atom.entries == []
    assert atom.feed.updated == "2026-01-01T00:01:30+00:00"
    assert parse(emptied / "rss.xml").feed.title == read_json(emptied / "feed.json")["title"] == "Test Wire: Severe Weather"
    build_site(root, now=next(moments))
    assert {name: (emptied / name).read_bytes() for name in feeds} == feeds


def test_a_category_site_yaml_gives_a_folder_keeps_its_name_when_its_last_story_leaves(make_site):
    """Severe Weather's feed is categories/storms/: emptied, it was retitled by its slug,
    "Test Wire: severe-weather", in its title, description and the top page's heading."""
    root = make_site({"items/keep.yaml": entry_yaml(title="Keep", link="/k", categories="[News]"),
                      "items/storm.yaml": entry_yaml(title="Storm", link="/s", categories="[Severe Weather]")},
                     site_yaml=SITE_YAML + "categories:\n  Severe Weather: {slug: storms}\n")
    assert build_site(root, now=datetime(2026, 1, 1, tzinfo=timezone.utc)).check.ok
    (root / "items/storm.yaml").unlink()
    emptied = build_site(root, now=datetime(2026, 1, 2, tzinfo=timezone.utc)).out_dir / "categories/storms"
    feed = read_json(emptied / "feed.json")
    assert (feed["title"], feed["description"], feed["items"]) == (
        "Test Wire: Severe Weather", "Severe Weather from Test Wire", [])


def test_build_command_reports_what_it_wrote(seed_site, capsys):
    assert main(["build", str(seed_site), "--now", "2026-11-24 12:00"]) == 0
    err = capsys.readouterr().err
    assert err.startswith("12 files written, 0 unchanged (3 feeds in ")
    assert err.rstrip().endswith("1 item published; nothing scheduled")


@pytest.mark.parametrize("icon, image", [("/favicon.ico", None), ("/logo.png", "https://news.example.com/logo.png")])
def test_rss_carries_an_image_only_in_a_format_rss_allows(make_site, icon, image):
    """RSS 2.0's <image> is a GIF, JPEG or PNG; an .ico drew a W3C validator warning on every document."""
    root = make_site({"items/a.yaml": entry_yaml()}, site_yaml=SITE_YAML + f"icon: {icon}\n")
    out = build_site(root, now=datetime(2026, 1, 1, tzinfo=timezone.utc)).out_dir
    found = etree.fromstring((out / "rss.xml").read_bytes()).findtext("channel/image/url")
    assert found == image


@pytest.mark.parametrize("images, image", [
    ("logo: /static/logo.png?v=1.2\nicon: /icon.gif\n", "https://news.example.com/icon.gif"),
    ("logo: /logo.jpe\n", None), ("logo: /logo.jfif\n", None), ("logo: /logo.png#v1.0\n", None),
    ("logo: /LOGO.JPEG\n", "https://news.example.com/LOGO.JPEG")])
def test_rss_carries_an_image_only_where_the_whole_url_ends_as_validators_want(make_site, images, image):
    """The W3C validator reads what follows the URL's last dot: logo.png?v=1.2 was "Image not in required format"."""
    root = make_site({"items/a.yaml": entry_yaml()}, site_yaml=SITE_YAML + images)
    out = build_site(root, now=datetime(2026, 1, 1, tzinfo=timezone.utc)).out_dir
    assert etree.fromstring((out / "rss.xml").read_bytes()).findtext("channel/image/url") == image


@pytest.mark.parametrize("images, expected", [("icon: /icon.png\nlogo: /wide.png\n", "https://news.example.com/icon.png"),
                                              ("logo: /wide.png\n", None)])
def test_json_feed_shows_the_square_icon_never_the_wide_logo(make_site, images, expected):
    """JSON Feed's icon and favicon are square: readers draw them as the feed's avatar."""
    out = build(make_site({"items/a.yaml": entry_yaml()}, site_yaml=SITE_YAML + images))
    document = read_json(out / "feed.json")
    assert (document.get("icon"), document.get("favicon")) == (expected, expected)


@pytest.mark.parametrize("body", ['|2\n      print("storm")\n\n  Run it.', '"\\n    print(\\"storm\\")\\n\\nRun it."'],
                         ids=["block with an indentation indicator", "double-quoted"])
def test_a_body_that_opens_with_code_keeps_it_as_code(make_site, body):
    """The first line's indentation makes it an indented code block; trimming it made a paragraph."""
    out = build(make_site({"items/a.yaml": entry_yaml(body=body)}))
    assert read_json(out / "feed.json")["items"][0]["content_html"] == (
        '<pre><code>print("storm")\n</code></pre>\n<p>Run it.</p>')


def test_a_site_titled_with_tags_and_no_author_names_the_atom_feeds_author_without_them(make_site):
    site_yaml = "\n".join(line for line in SITE_YAML.splitlines() if not line.startswith("author:")) + "\n"
    root = make_site({"items/a.yaml": entry_yaml()},
                     site_yaml=site_yaml.replace("title: Test Wire", 'title: "<b>Test</b> Wire & co"'))
    build_site(root, now=datetime(2026, 1, 1, tzinfo=timezone.utc))
    feed = etree.parse(str(root / "publish" / "atom.xml")).getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    assert feed.findtext(f"{atom}author/{atom}name") == "Test Wire & co"
