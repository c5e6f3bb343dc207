"""Bylines: `author` as a name, a mapping, "Name <email>", or a list of these; every format
carries every author; the site's `author` is the default."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import feedparser
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from feeds.build import build_site, check_site
from feeds.cli import main
from feeds.fields import _encoded_twice
from feeds.model import Author
from feeds.slugs import slugify

from .conftest import SITE_YAML, entry_yaml

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)
BYLINE = '[Jo Byrne, "Sam Lee <sam@news.example.com>", {name: Ana Ruiz, uri: "https://news.example.com/ana"}]'
DC = "{http://purl.org/dc/elements/1.1/}creator"
ATOM = "{http://www.w3.org/2005/Atom}"


def built(make_site, author: str, site_yaml: str = SITE_YAML):
    root = make_site({"items/a.yaml": entry_yaml(author=author)}, site_yaml=site_yaml)
    result = build_site(root, now=NOW)
    assert result.check.ok, [str(problem) for problem in result.check.problems]
    return root / "publish"


def test_every_author_of_a_list_is_carried_by_every_format(make_site):
    out = built(make_site, BYLINE)
    rss = etree.parse(str(out / "rss.xml")).find("channel/item")
    assert [creator.text for creator in rss.findall(DC)] == ["Jo Byrne, Sam Lee, Ana Ruiz"]
    assert rss.find("author") is None  # RSS's own <author> must be an email address
    atom = etree.parse(str(out / "atom.xml")).find(f"{ATOM}entry")
    assert [(author.findtext(f"{ATOM}name"), author.findtext(f"{ATOM}email"), author.findtext(f"{ATOM}uri"))
            for author in atom.findall(f"{ATOM}author")] == [
        ("Jo Byrne", None, None), ("Sam Lee", "sam@news.example.com", None),
        ("Ana Ruiz", None, "https://news.example.com/ana")]
    assert json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"][0]["authors"] == [
        {"name": "Jo Byrne"}, {"name": "Sam Lee", "url": "mailto:sam@news.example.com"},
        {"name": "Ana Ruiz", "url": "https://news.example.com/ana"}]
    for name in ("rss.xml", "atom.xml"):
        assert feedparser.parse((out / name).read_bytes()).bozo == 0



def test_an_rss_reader_shows_the_whole_byline_of_a_story_with_several_authors(make_site):
    """newsboat and feedparser keep the last <dc:creator> of an item, rss-parser the first: with
    one element per name, a story by three showed one of them. One dc:creator holds them all."""
    out = built(make_site, BYLINE)
    entry = feedparser.parse((out / "rss.xml").read_bytes()).entries[0]
    assert entry.author == "Jo Byrne, Sam Lee, Ana Ruiz"

def test_names_written_surname_first_are_parted_by_semicolons_in_the_rss_byline(make_site):
    """"Smith, John, Lee, Ann" would read as four names, or as two other ones."""
    out = built(make_site, '["Smith, John", "Lee, Ann"]')
    rss = etree.parse(str(out / "rss.xml")).find("channel/item")
    assert [creator.text for creator in rss.findall(DC)] == ["Smith, John; Lee, Ann"]
    assert feedparser.parse((out / "rss.xml").read_bytes()).entries[0].author == "Smith, John; Lee, Ann"


def test_name_and_email_in_angle_brackets_is_read_as_a_name_and_an_email(make_site):
    out = built(make_site, '"Jo Byrne <jo@news.example.com>"')
    entry = feedparser.parse((out / "atom.xml").read_bytes()).entries[0]
    assert (entry.author_detail.name, entry.author_detail.email) == ("Jo Byrne", "jo@news.example.com")


def test_the_site_author_list_is_the_default_byline(make_site):
    site_yaml = SITE_YAML.replace("author: {name: Test Desk, email: desk@news.example.com}",
                                  "author: [Test Desk, Night Desk]")
    root = make_site({"items/a.yaml": entry_yaml()}, site_yaml=site_yaml)
    build_site(root, now=NOW)
    item = json.loads((root / "publish" / "feed.json").read_text(encoding="utf-8"))["items"][0]
    assert item["authors"] == [{"name": "Test Desk"}, {"name": "Night Desk"}]


def test_an_author_named_twice_is_carried_once(make_site):
    out = built(make_site, "[Jo Byrne, Jo Byrne]")
    assert len(json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"][0]["authors"]) == 1


@pytest.mark.parametrize("twice", ['["José Núñez", "Jose\\u0301 Nu\\u0301n\\u0303ez"]', '["محمدرضا", "محمد\\u200cرضا"]',
                                   "[Jo Byrne, JO BYRNE]"])
def test_an_author_named_twice_in_two_forms_of_one_name_is_carried_once(make_site, twice):
    """Typed composed and decomposed (as macOS pastes it), with a zero-width non-joiner or
    without, in capitals: one author, whose one feed holds the story."""
    out = built(make_site, twice)
    assert len(json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"][0]["authors"]) == 1


def test_with_ascii_slugs_an_author_named_with_and_without_accents_is_carried_once(make_site):
    """José Núñez and Jose Nunez share authors/jose-nunez/ with `slugs: ascii`: one author, as
    Météo and Meteo are one category there; the RSS byline read 'José Núñez, Jose Nunez'."""
    out = built(make_site, '["José Núñez", Jose Nunez]', site_yaml=SITE_YAML + "slugs: ascii\nauthor_feeds: true\n")
    assert json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"][0]["authors"] == [{"name": "José Núñez"}]
    assert feedparser.parse((out / "rss.xml").read_bytes()).entries[0].author == "José Núñez"


def test_with_ascii_slugs_the_site_author_named_with_and_without_accents_is_one_author(make_site):
    site_yaml = SITE_YAML.replace("author: {name: Test Desk, email: desk@news.example.com}",
                                  'author: ["Redacción", Redaccion]') + "slugs: ascii\n"
    root = make_site({"items/a.yaml": entry_yaml()}, site_yaml=site_yaml)
    assert build_site(root, now=NOW).check.ok
    item = json.loads((root / "publish" / "feed.json").read_text(encoding="utf-8"))["items"][0]
    assert item["authors"] == [{"name": "Redacción"}]


EXPECTED_BYLINE = 'author: expected a name, "Name <email>", {name, email, uri}, or a list of these, found '


@pytest.mark.parametrize("author, expected", [
    ('"Jo Byrne <jo>"', ('author: expected a name and an email address, such as Jo Byrne <jo@news.example.com>, '
                         'found text "Jo Byrne <jo>"; write the name, then the email address in angle brackets')),
    ("[Jo Byrne, [Sam Lee]]", EXPECTED_BYLINE + 'a list; write author: [Jo Byrne, "Sam Lee <sam@news.example.com>"]'),
    ("[]", EXPECTED_BYLINE + "an empty list; write author: Jo Byrne, or remove the line"),
    ("Jo Byrne jo@news.example.com", ('author: expected a name and an email address, such as Jo Byrne '
                                      '<jo@news.example.com>, found text "Jo Byrne jo@news.example.com"; write the name, '
                                      'then the email address in angle brackets')),
    ('"Jo <jo@x.example> <sam@x.example>"', ('author: expected a name and an email address, such as Jo Byrne '
                                             '<jo@news.example.com>, found text "Jo <jo@x.example> <sam@x.example>"; '
                                             'write the name, then the email address in angle brackets')),
    ('{name: "Jo <jo@x.example>"}', ('author.name: expected the author\'s name alone, found text "Jo <jo@x.example>"; '
                                     'write the email address in email: of its own')),
])
def test_a_byline_that_cannot_be_read_says_how_to_write_one(make_site, capsys, author, expected):
    root = make_site({"items/a.yaml": entry_yaml(author=author)})
    assert main(["check", str(root)]) == 1
    assert capsys.readouterr().err.splitlines()[0].split(": ", 1)[1] == expected


names = st.text(st.characters(codec="utf-8", categories=("L", "N", "Zs"), exclude_characters="\u2028\u2029"),
                min_size=1, max_size=30).map(lambda text: " ".join(text.split())).filter(bool).filter(
    lambda name: _encoded_twice(name) is None)  # "Âª" reads as UTF-8 decoded twice: refused, with a hint


@given(st.lists(names, min_size=1, max_size=4, unique_by=lambda name: slugify(name) or name))  # Jo and JO are one
def test_any_list_of_names_reads_back_as_the_same_authors_in_order(authors):
    from feeds.load import parse_document
    from feeds.model import Site
    from feeds.scaffold import yaml_flow_list
    from feeds.validate import validate_entry

    text = entry_yaml(author=yaml_flow_list(authors))
    doc = parse_document(text.encode("utf-8"), "items/a.yaml")
    site = Site(root=None, title="T", link="https://news.example.com/", description="D",  # type: ignore[arg-type]
                publish_url="https://news.example.com/", timezone=timezone.utc)
    entry = validate_entry(doc, site)
    assert [author.name for author in entry.authors] == authors


def test_one_author_written_three_ways_is_one_byline_with_all_that_was_given(make_site):
    root = make_site({"items/a.yaml": entry_yaml(
        author='[Jo Byrne, "Jo Byrne <jo@news.example.com>", {name: Jo Byrne, uri: /staff/jo}]')})
    entry = check_site(root).entries[0]
    assert entry.authors == (Author("Jo Byrne", "jo@news.example.com", "https://news.example.com/staff/jo"),)


@pytest.mark.parametrize("name", ["R&amp;D desk", "Smith&nbsp;Jones", "&#169; Wire", "Tom &amp Jerry"])
def test_a_name_holding_what_reads_as_an_html_entity_is_written_so_validators_take_it_as_text(make_site, name):
    """Atom's <name> is text with no type to declare; the W3C validator warns "name should not
    contain HTML" when it holds `&amp;`, `&nbsp;` or `&#169;`, unless its line writes `&` as
    `&#x26;` (the form RSS uses throughout): the same text, and no warning. The site's title,
    the feed's author when the site names none, is a name too."""
    site_yaml = SITE_YAML.replace("author: {name: Test Desk, email: desk@news.example.com}\n", "") \
                         .replace("title: Test Wire", f"title: {json.dumps(name)}")
    out = built(make_site, json.dumps(name), site_yaml=site_yaml)
    lines = [line for line in (out / "atom.xml").read_text(encoding="utf-8").splitlines() if "<name>" in line]
    assert len(lines) == 2 and all("&#x26;" in line and "&amp;" not in line for line in lines), lines
    parsed = feedparser.parse((out / "atom.xml").read_bytes())
    assert parsed.bozo == 0
    assert (parsed.feed.author_detail.name, parsed.entries[0].author_detail.name) == (name, name)
