"""Category addresses and titles: `slugs: unicode|ascii` and `categories:` in site.yaml."""

from __future__ import annotations

import importlib
import time
from datetime import datetime, timezone

import feedparser
import pytest

from feeds.build import build_site
from feeds.cli import main

from .conftest import SITE_YAML, entry_yaml

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)


def folders(root) -> list[str]:
    return sorted(path.name for path in (root / "publish" / "categories").iterdir())


def build(root) -> None:
    result = build_site(root, now=NOW)
    assert result.check.ok, [str(problem) for problem in result.check.problems]


def test_unicode_slugs_keep_letters_of_any_script_by_default(make_site):
    root = make_site({"items/a.yaml": entry_yaml(categories="[Météo, Économie]")})
    build(root)
    assert folders(root) == ["météo", "économie"]


def test_ascii_slugs_transliterate_category_folders(make_site):
    root = make_site({"items/a.yaml": entry_yaml(categories="[Météo, Économie, Москва, 東京]")},
                     site_yaml=SITE_YAML + "slugs: ascii\n")
    build(root)
    assert folders(root) == ["dongjing", "economie", "meteo", "moskva"]
    feed = feedparser.parse((root / "publish/categories/meteo/rss.xml").read_bytes())
    assert feed.feed.title == "Test Wire: Météo"
    assert "https://news.example.com/feeds/categories/meteo/rss.xml" in [link.href for link in feed.feed.links]


def test_a_hebrew_geresh_and_the_apostrophe_typed_for_it_share_one_feed(make_site):
    root = make_site({"items/a.yaml": entry_yaml(categories="[צ׳יפס]"),
                      "items/b.yaml": entry_yaml(link="/news/b", categories='["צ\'יפס"]')})
    build(root)
    assert folders(root) == ["ציפס"]


@pytest.mark.parametrize(("first", "second", "found"), [
    ('["Don\'t Miss"]', "[Dont Miss, Women’s football]", ["dont-miss", "womens-football"]),
    # a soft hyphen pasted from Word, Persian's zero-width non-joiner: no reader sees them
    ('["Wirt\\u00adschaft", "بین\\u200cالملل"]', "[Wirtschaft, بینالملل]", ["wirtschaft", "بینالملل"]),
    ('["أخـبار"]', "[أخبار]", ["أخبار"]),  # the tatweel only draws the word longer
], ids=["an apostrophe", "an invisible character", "an Arabic tatweel"])
def test_names_that_differ_by_what_a_reader_does_not_read_share_one_feed(make_site, first, second, found):
    root = make_site({"items/a.yaml": entry_yaml(categories=first),
                      "items/b.yaml": entry_yaml(link="/news/b", categories=second)})
    build(root)
    assert folders(root) == found
    assert len(feedparser.parse((root / "publish/categories" / found[0] / "atom.xml").read_bytes()).entries) == 2


def test_names_sharing_one_ascii_folder_share_one_feed_and_an_entry_appears_once(make_site):
    root = make_site({"items/a.yaml": entry_yaml(categories="[Météo, Meteo]"),
                      "items/b.yaml": entry_yaml(link="/news/b", categories="[Meteo]")},
                     site_yaml=SITE_YAML + "slugs: ascii\n")
    build(root)
    assert folders(root) == ["meteo"]
    assert len(feedparser.parse((root / "publish/categories/meteo/atom.xml").read_bytes()).entries) == 2


def test_a_category_title_description_and_slug_from_site_yaml_name_its_feed(make_site):
    site_yaml = SITE_YAML + ("categories:\n  Économie:\n    title: The Economy Desk\n"
                             "    description: Markets, jobs and money\n    slug: economy\n")
    root = make_site({"items/a.yaml": entry_yaml(categories="[économie]")}, site_yaml=site_yaml)
    build(root)
    assert folders(root) == ["economy"]
    feed = feedparser.parse((root / "publish/categories/economy/rss.xml").read_bytes()).feed
    assert (feed.title, feed.subtitle) == ("The Economy Desk", "Markets, jobs and money")


def test_with_ascii_slugs_site_yaml_settings_apply_to_every_spelling_that_shares_the_folder(make_site):
    """With `slugs: ascii`, Meteo is the slug of Météo (categories/meteo/ holds both): the
    settings site.yaml gives either spelling are the feed's, whichever spelling entries use."""
    site_yaml = SITE_YAML + ("slugs: ascii\ncategories:\n  Meteo: {title: The Weather Desk}\n"
                             "  Économie: {slug: economy}\n")
    root = make_site({"items/a.yaml": entry_yaml(categories="[Météo]"),
                      "items/b.yaml": entry_yaml(link="/news/b", categories="[Economie]")}, site_yaml=site_yaml)
    build(root)
    assert folders(root) == ["economy", "meteo"]
    assert feedparser.parse((root / "publish/categories/meteo/rss.xml").read_bytes()).feed.title == (
        "The Weather Desk")


def test_a_category_site_yaml_lists_is_named_as_site_yaml_spells_it_whatever_the_entries_write(make_site):
    """An entry filed under MÉTÉO (capitals sort first) retitled the desk's feed "MÉTÉO"."""
    site_yaml = SITE_YAML + "categories:\n  Météo: {description: Forecasts and warnings}\n"
    root = make_site({"items/a.yaml": entry_yaml(categories="[MÉTÉO]"),
                      "items/b.yaml": entry_yaml(link="/news/b", categories="[météo]")}, site_yaml=site_yaml)
    build(root)
    feed = feedparser.parse((root / "publish/categories/météo/rss.xml").read_bytes()).feed
    assert (feed.title, feed.subtitle) == ("Test Wire: Météo", "Forecasts and warnings")
    assert folders(root) == ["météo"] and "MÉTÉO" not in (root / "publish/index.html").read_text(encoding="utf-8")


def test_a_category_site_yaml_does_not_list_is_named_by_the_entries_spelling_that_sorts_first(make_site):
    root = make_site({"items/a.yaml": entry_yaml(categories="[météo]"),
                      "items/b.yaml": entry_yaml(link="/news/b", categories="[Météo]")})
    build(root)
    assert feedparser.parse((root / "publish/categories/météo/rss.xml").read_bytes()).feed.title == "Test Wire: Météo"


def test_when_a_slug_changes_the_old_folder_stays_and_the_new_one_gets_the_stories(make_site):
    root = make_site({"items/a.yaml": entry_yaml(categories="[Économie]")})
    build(root)
    (root / "site.yaml").write_text(SITE_YAML + "categories: {Économie: {slug: economy}}\n", encoding="utf-8")
    build(root)
    assert folders(root) == ["economy", "économie"]
    old = feedparser.parse((root / "publish/categories/économie/atom.xml").read_bytes())
    assert old.bozo == 0 and old.entries == []
    assert len(feedparser.parse((root / "publish/categories/economy/atom.xml").read_bytes()).entries) == 1


@pytest.mark.parametrize("added, expected", [
    ("slugs: latin\n", ('site.yaml:7:8: slugs: expected unicode or ascii, found text "latin"; '
                        "write slugs: ascii for plain addresses (categories/meteo/), or slugs: unicode")),
    ("categories:\n  Économie: {slug: Eco Nomie}\n",
     ('site.yaml:8:20: categories.Économie.slug: expected a slug (lowercase letters, digits and -), '
      'found text "Eco Nomie"; write it as eco-nomie')),
    ("categories:\n  Économie: {slug: money}\n  Markets: {slug: money}\n",
     ('site.yaml:9:19: categories.Markets.slug: expected a slug no other category has, found text "money"; '
      "it is \"Économie\"'s folder; give each category its own")),
    ("categories:\n  News: {slug: sport}\n  Sport: {title: Sport desk}\n",
     ('site.yaml:8:16: categories.News.slug: expected a slug no other category has, found text "sport"; '
      "it is \"Sport\"'s folder; give each category its own")),
    ("categories:\n  News: {title: A}\n  news: {title: B}\n",
     ('site.yaml:9:3: categories.news: expected each category once, found "news", which is "News" again: '
      "names that differ only in case or punctuation share one feed; put their settings under one of them")),
    ("categories:\n  Économie: {titel: Economy}\n",
     "site.yaml:8:14: categories.Économie.titel: is not a field of a category's settings; did you mean title?"),
    ("categories:\n  Économie: Economy\n",
     ("site.yaml:8:13: categories.Économie: expected a mapping of fields (a category's settings), found text "
      '"Economy"; write one field per line, such as title: Economy')),
    ("categories: [Économie]\n",
     ("site.yaml:7:13: categories: expected a mapping of category names to their settings, found a list; "
      "write categories: {Économie: {title: Economy, slug: economy}}")),
])
def test_a_wrong_category_setting_is_reported_at_its_line_and_column(make_site, capsys, added, expected):
    root = make_site({"items/a.yaml": entry_yaml()}, site_yaml=SITE_YAML + added)
    assert main(["check", str(root)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == expected


def test_an_entry_category_whose_folder_site_yaml_gives_another_by_slug_is_refused(make_site, capsys):
    root = make_site({"items/a.yaml": entry_yaml(categories="[Sport]")},
                     site_yaml=SITE_YAML + "categories:\n  News: {slug: sport}\n")
    assert main(["check", str(root)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        'items/a.yaml:4:14: categories: expected a category with a feed of its own, found "Sport", whose folder '
        "categories/sport/ site.yaml gives to the category news (slug: sport); file the story under news, "
        "or give news another slug in site.yaml")


def test_two_categories_may_trade_folders_by_slug(make_site):
    root = make_site({"items/a.yaml": entry_yaml(categories="[Sport, News]")},
                     site_yaml=SITE_YAML + "categories:\n  News: {slug: sport}\n  Sport: {slug: news}\n")
    build(root)
    assert folders(root) == ["news", "sport"]


def test_a_name_ascii_cannot_spell_gets_an_ascii_folder_all_the_same(make_site):
    root = make_site({"items/a.yaml": entry_yaml(categories="[ー, Météo]")}, site_yaml=SITE_YAML + "slugs: ascii\n")
    build(root)
    assert folders(root) == ["meteo", "xn--wek"]


def test_turkish_capital_dotted_i_is_the_same_category_as_plain_i(make_site):
    root = make_site({"items/a.yaml": entry_yaml(categories="[İstanbul]"),
                      "items/b.yaml": entry_yaml(link="/b", categories="[Istanbul]")})
    build(root)
    assert folders(root) == ["istanbul"]


def test_a_letter_typed_whole_or_as_a_letter_and_its_mark_shares_one_ascii_folder(make_site):
    """Hindi's ज़ is one character (U+095B) or ज and a nukta, as keyboards type it: the same
    word, which with ascii slugs was two feeds, rizrv and rijrv."""
    root = make_site({"items/a.yaml": entry_yaml(categories="[\"\u0930\u093f\u095b\u0930\u094d\u0935\"]"),
                      "items/b.yaml": entry_yaml(link="/b", categories="[\"\u0930\u093f\u091c\u093c\u0930\u094d\u0935\"]")},
                     site_yaml=SITE_YAML + "slugs: ascii\n")
    build(root)
    assert folders(root) == ["rijrv"]


def test_thai_and_lao_am_keep_the_one_character_they_are_typed_as(make_site):
    """NFKC, which makes 'Ｎｅｗｓ' news, writes Thai's sara am (ำ) and Lao's am (ຳ) as two
    characters each: 'น้ำท่วม' was categories/น้ําท่วม/, an address no one types, so a
    reader who typed or pasted the word found nothing."""
    thai, lao = "\u0e19\u0e49\u0e33\u0e17\u0e48\u0e27\u0e21", "\u0e99\u0ec9\u0eb3\u0e96\u0ec9\u0ea7\u0ea1"
    root = make_site({"items/a.yaml": entry_yaml(categories=f"[{thai}, {lao}]")})
    build(root)
    assert folders(root) == [thai, lao]


def test_a_named_feed_named_in_thai_as_it_is_typed_is_a_slug(make_site):
    """It was refused: 'expected a name of lowercase letters, digits and single dashes, found
    text "น้ำท่วม"; did you mean น้ําท่วม?', the same word to the eye."""
    root = make_site({"items/a.yaml": entry_yaml()}, site_yaml=SITE_YAML + 'feeds: [{name: "\u0e19\u0e49\u0e33"}]\n')
    build(root)
    assert (root / "publish" / "\u0e19\u0e49\u0e33" / "rss.xml").is_file()


def test_turkish_and_greek_names_typed_in_capitals_share_a_feed_with_ascii_slugs(make_site):
    """Unicode's lower case knows no language: DIŞ lowers to diş (a tooth), and Greek capitals
    drop their accents, so with unicode slugs these are two feeds each (README)."""
    root = make_site({"items/a.yaml": entry_yaml(categories="[DIŞ HABERLER, ΠΟΛΙΤΙΚΗ]"),
                      "items/b.yaml": entry_yaml(link="/b", categories="[Dış Haberler, Πολιτική]")},
                     site_yaml=SITE_YAML + "slugs: ascii\n")
    build(root)
    assert folders(root) == ["dis-haberler", "politiki"]


def test_the_punycode_folder_ascii_slugs_make_can_be_written_as_a_slug(make_site):
    root = make_site({"items/a.yaml": entry_yaml(categories="[ー]")},
                     site_yaml=SITE_YAML + "slugs: ascii\ncategories:\n  ー: {slug: xn--wek, title: Long vowel}\n")
    build(root)
    assert folders(root) == ["xn--wek"]


def test_thousands_of_categories_in_site_yaml_are_looked_up_not_searched_for_each_name(make_site, capsys):
    """Each name was matched by a walk of the list, and with `slugs: ascii` past 4,096 a
    transliteration of each listed one: 4,900 listed and 800 entries took 35 s to check."""
    listed = "".join(f"  Listed {number}: {{}}\n" for number in range(4900))
    entries = {f"items/e{number}.yaml": entry_yaml(link=f"/e{number}", categories=f"[Other {number}, Listed {number}]")
               for number in range(300)}
    root = make_site(entries, site_yaml=SITE_YAML + "slugs: ascii\ncategories:\n" + listed)
    started = time.monotonic()
    assert main(["check", str(root)]) == 0
    assert time.monotonic() - started < 5
    capsys.readouterr()


@pytest.mark.parametrize(("meant", "written"), [("أخبار", "اخبار"), ("على", "علي"), ("كرة", "کرة")],
                         ids=["alef with and without hamza", "alef maksura and yeh", "Arabic and Persian kaf"])
def test_categories_spelt_with_look_alike_letters_are_warned_of_at_their_line_and_column_naming_both_files(make_site, meant, written):
    """They were two feeds, each with part of the stories, and no word of it; then a warning
    at the file's 1:1, not where the category is."""
    root = make_site({"items/a.yaml": entry_yaml(link="/a", categories=f"[{meant}]"),
                      "items/b.yaml": entry_yaml(link="/b", categories=f"[{meant}]"),
                      "items/c.yaml": entry_yaml(link="/c", categories=f"[Sport, {written}]")})
    line, column = _line_and_column(root / "items/c.yaml", f", {written}]")
    warning = (f'items/c.yaml:{line}:{column + 2}: warning: categories: "{written}" and "{meant}" (items/a.yaml) differ only in letters '
               f'that look alike, and are two feeds, categories/{written}/ and categories/{meant}/; '
               f'did you mean "{meant}"?')
    for _ in range(2):  # the first build, then one that selects from what it kept
        assert [str(problem) for problem in build_site(root, now=NOW).check.warnings] == [warning]


def test_look_alike_spellings_that_share_one_folder_are_no_warning(make_site):
    root = make_site({"items/a.yaml": entry_yaml(link="/a", categories="[أخبار]"),
                      "items/b.yaml": entry_yaml(link="/b", categories="[اخبار]")},
                     site_yaml=SITE_YAML + "slugs: ascii\n")
    assert build_site(root, now=NOW).check.warnings == ()


def test_two_names_of_two_entries_that_share_a_feed_folder_are_a_warning_naming_both_files(make_site):
    """C++ in one story and C in another were one feed, categories/c/, with no word of it:
    readers of C got the C++ stories (one entry naming both was told)."""
    root = make_site({"items/a.yaml": entry_yaml(link="/a", categories="[C]"),
                      "items/b.yaml": entry_yaml(link="/b", categories="[c]"),
                      "items/c.yaml": entry_yaml(link="/c", categories="[Sport, C++]")})
    line, column = _line_and_column(root / "items/c.yaml", ", C++]")
    warning = (f'items/c.yaml:{line}:{column + 2}: warning: categories: "C++" shares the feed categories/c/ with "C" '
               "(items/a.yaml), so its readers get the stories of both; names that differ only in case or punctuation "
               "are one category; if these are two, name one in other letters or words")
    for _ in range(2):  # the first build, then one that selects from what it kept
        assert [str(problem) for problem in build_site(root, now=NOW).check.warnings] == [warning]


def test_look_alike_categories_are_looked_for_once_a_name_not_once_an_entry(make_site, monkeypatch):
    root = make_site({f"items/{number}.yaml": entry_yaml(link=f"/{number}", categories="[News, Sport]")
                      for number in range(20)})
    folded: list[str] = []
    warnings = importlib.import_module("feeds.build.category_warnings")  # the package's name is its function's
    monkeypatch.setattr(warnings, "look_alike_key", lambda text: folded.append(text) or text)
    build(root)
    assert sorted(folded) == ["news", "sport"]


def _line_and_column(path, text: str) -> tuple[int, int]:
    """Where `text` starts in the file, counted from 1:1."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if text in line:
            return number, line.index(text) + 1
    raise AssertionError(f"{text!r} not in {path}")
