"""site.yaml's feed settings: content, max_bytes, author_feeds and named feeds (`feeds:`).

Read into plain data on Site, every default filled in; every mistake a site.yaml:LINE:COLUMN
problem with a fix, like an entry's. And the rule that picks a named feed's items.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feeds import feed_kinds
from feeds.cli import main
from feeds.feed_filters import feed_filter, item_authors, matches
from feeds.feed_kinds import Facts
from feeds.load import parse_document
from feeds.model import Author, NamedFeed, Site
from feeds.problems import Problem
from feeds.slugs import slugify
from feeds.validate_site import validate_site

from .conftest import SITE_YAML, entry_yaml

FIRST_LINE = SITE_YAML.count("\n") + 1  # the first line written after the test site's own


def read(extra: str) -> Site | list[Problem]:
    return validate_site(parse_document((SITE_YAML + extra).encode("utf-8"), "site.yaml"), Path("."))


def site_of(extra: str) -> Site:
    site = read(extra)
    assert isinstance(site, Site), [str(problem) for problem in site]
    return site


def lines_of(extra: str) -> list[str]:
    problems = read(extra)
    assert isinstance(problems, list)
    return [str(problem) for problem in problems]


def test_a_site_without_the_settings_gets_full_feeds_of_at_most_a_million_bytes_and_no_others():
    site = site_of("")
    assert (site.content, site.max_bytes, site.author_feeds, site.feeds) == ("full", 1_000_000, False, ())


def test_the_site_wide_settings_are_read():
    site = site_of("content: summary\nmax_bytes: 250000\nauthor_feeds: true\n")
    assert (site.content, site.max_bytes, site.author_feeds) == ("summary", 250_000, True)


def test_a_named_feed_is_read_as_written():
    site = site_of("""max_items: 30
feeds:
  - name: breaking
    title: Breaking news
    description: The latest from the desk
    categories: [News, Middle East]
    authors: [Middle East desk]
    exclude_categories: [Sport]
    max_items: 20
    content: summary
""")
    assert site.feeds == (NamedFeed("breaking", "Breaking news", "The latest from the desk", ("News", "Middle East"),
                                    ("Middle East desk",), ("Sport",), 20, "summary"),)
    assert site.feeds[0].path == "breaking/"


def test_a_named_feed_takes_the_sites_title_description_max_items_and_content_where_it_names_none():
    site = site_of("max_items: 30\ncontent: summary\nfeeds:\n  - name: météo-2\n")
    assert site.feeds == (NamedFeed("météo-2", "Test Wire: météo-2", "Test stories from a test desk.",
                                    max_items=30, content="summary"),)


def test_a_named_feed_name_with_combining_accents_is_the_same_name_composed():
    assert site_of("feeds:\n  - name: me\u0301te\u0301o\n").feeds[0].name == "m\u00e9t\u00e9o"


def test_a_named_feed_with_an_empty_list_of_categories_holds_every_item_and_says_so():
    site = site_of("feeds:\n  - name: later\n    categories: []\n")
    assert site.feeds[0].categories == () and site.feeds[0].authors == ()
    assert [str(warning) for warning in site.warnings] == [
        f"site.yaml:{FIRST_LINE + 2}:17: warning: feeds[0].categories: an empty list chooses nothing: with neither "
        "categories nor authors, the feed holds every item not excluded; list the categories it holds, or remove the line"]


@pytest.mark.parametrize("settings, line", [
    ("feeds:\n  - name: sport\n    categories: [Sport, Cricket]\n    exclude_categories: [sport, CRICKET, Golf]\n", 3),
    ("categories:\n  Sport: {slug: football}\nfeeds:\n  - name: sport\n    categories: [Sport]\n"
     "    exclude_categories: [football]\n", 5),
], ids=["by name, in any spelling", "by the folder site.yaml gives a category it lists by name"])
def test_a_named_feed_that_excludes_every_category_it_holds_says_it_is_always_empty(settings, line):
    assert [str(warning) for warning in site_of(settings).warnings] == [
        f"site.yaml:{FIRST_LINE + line}:25: warning: feeds[0].exclude_categories: excludes every category the feed holds: "
        "it is always empty; remove from exclude_categories the categories the feed is for"]


def test_a_named_feed_that_excludes_some_of_its_categories_or_holds_authors_too_is_no_warning():
    assert site_of("feeds:\n  - name: sport\n    categories: [Sport, Cricket]\n"
                   "    exclude_categories: [Cricket]\n").warnings == ()
    assert site_of("feeds:\n  - name: desk\n    categories: [Sport]\n    authors: [Jane Doe]\n"
                   "    exclude_categories: [Sport]\n").warnings == ()


def test_a_single_category_or_author_is_a_list_of_one_and_spellings_of_one_slug_count_once():
    feed = site_of("feeds:\n  - name: desk\n    categories: News\n    authors: [Jane Doe, jane-doe, JANE DOE]\n").feeds[0]
    assert (feed.categories, feed.authors) == (("News",), ("Jane Doe",))


def test_named_feeds_keep_the_order_they_are_written_in():
    site = site_of("feeds:\n  - name: sport\n  - name: breaking\n  - name: ekonomi\n")
    assert [feed.name for feed in site.feeds] == ["sport", "breaking", "ekonomi"]


PROBLEMS = [
    ("content: sumary\n",
     f'site.yaml:{FIRST_LINE}:10: content: expected full or summary, found text "sumary"; did you mean summary?'),
    ("content: excerpt\n",
     (f'site.yaml:{FIRST_LINE}:10: content: expected full or summary, found text "excerpt"; '
     "write content: full (summary and body) or content: summary (no body)")),
    ("max_bytes: 500\n",
     (f"site.yaml:{FIRST_LINE}:12: max_bytes: expected a whole number from 10,000 to 100,000,000, found a number (500); "
     "choose one in that range, such as max_bytes: 1000000")),
    ("author_feeds: yes\n",
     (f'site.yaml:{FIRST_LINE}:15: author_feeds: expected true or false, found text "yes"; '
     "yes, no, on and off are text in YAML 1.2; write true or false")),
    ("feeds: breaking\n",
     (f'site.yaml:{FIRST_LINE}:8: feeds: expected a list of named feeds, found text "breaking"; '
     "write feeds: and under it one feed a line, starting - name: breaking")),
    ("feeds:\n  - breaking\n",
     (f'site.yaml:{FIRST_LINE + 1}:5: feeds[0]: expected a mapping of fields (a named feed), found text "breaking"; '
     "write one field per line, such as name: breaking")),
    ("feeds:\n  - title: Breaking news\n",
     (f"site.yaml:{FIRST_LINE + 1}:5: feeds[0].name: expected a feed name, found no name field; "
     "add a line such as name: breaking")),
    ("feeds:\n  - name: Breaking News\n",
     (f'site.yaml:{FIRST_LINE + 1}:11: feeds[0].name: expected a name of lowercase letters, digits and single dashes, '
     'found text "Breaking News"; did you mean breaking-news?')),
    ("feeds:\n  - name: ---\n",
     (f'site.yaml:{FIRST_LINE + 1}:11: feeds[0].name: expected a name of lowercase letters, digits and single dashes, '
     'found text "---"; name it in words, such as breaking')),
    ("feeds:\n  - name: authors\n",
     (f'site.yaml:{FIRST_LINE + 1}:11: feeds[0].name: expected a name other than categories, authors or archive, '
     'found text "authors"; authors/ holds the author feeds; call it something else, such as authors-desk')),
    ("feeds:\n  - name: sport\n  - name: news\n  - name: sport\n",
     (f'site.yaml:{FIRST_LINE + 3}:11: feeds[2].name: expected a name no other feed has, found "sport", '
     "which feeds[0] has too; give one of them another name")),
    ("feeds:\n  - name: sport\n    exclude: [Football]\n",
     f"site.yaml:{FIRST_LINE + 2}:5: feeds[0].exclude: is not a field of a named feed; did you mean exclude_categories?"),
    ("feeds:\n  - name: sport\n    tags: [Football]\n",
     f"site.yaml:{FIRST_LINE + 2}:5: feeds[0].tags: is not a field of a named feed; did you mean categories?"),
    ("feeds:\n  - name: sport\n    max_items: 0\n",
     (f"site.yaml:{FIRST_LINE + 2}:16: feeds[0].max_items: expected a whole number from 1 to 10,000, "
     "found a number (0); choose one in that range, such as max_items: 50")),
    ("feeds:\n  - name: sport\n    content: summery\n",
     (f'site.yaml:{FIRST_LINE + 2}:14: feeds[0].content: expected full or summary, found text "summery"; '
     "did you mean summary?")),
    ('feeds:\n  - name: sport\n    authors: [Jane, "—"]\n',
     (f'site.yaml:{FIRST_LINE + 2}:21: feeds[0].authors: expected an author\'s name with a letter or digit in it, '
     'found text "—"; write the name as the entries give it, such as Middle East desk')),
    ("feeds:\n  - name: sport\n    exclude_categories: [../etc]\n",
     (f'site.yaml:{FIRST_LINE + 2}:26: feeds[0].exclude_categories: expected a category name, found the path "../etc"; '
     "a category cannot contain a .. segment; name it in words")),
]


@pytest.mark.parametrize("extra, line", PROBLEMS, ids=[line.split(": ")[1] + " " + str(index)
                                                       for index, (_, line) in enumerate(PROBLEMS)])
def test_a_wrong_feed_setting_is_one_exact_line_with_a_fix(extra, line):
    assert lines_of(extra) == [line]


def test_feeds_check_prints_every_wrong_feed_setting_and_exits_1(make_site, capsys):
    root = make_site(site_yaml=SITE_YAML + "content: sumary\nfeeds:\n  - name: Sport\n  - name: archive\n")
    assert main(["check", str(root)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert [line.split(": ")[0] for line in err[:-1]] == [
        f"site.yaml:{FIRST_LINE}:10", f"site.yaml:{FIRST_LINE + 2}:11", f"site.yaml:{FIRST_LINE + 3}:11"]
    assert err[-1] == "3 errors in site.yaml"


# --- which items a named feed holds ----------------------------------------------------------

def feed(categories: tuple[str, ...] = (), authors: tuple[str, ...] = (), exclude: tuple[str, ...] = ()) -> NamedFeed:
    return NamedFeed("desk", "Desk", "Desk", categories, authors, exclude)


def test_an_item_in_any_listed_category_is_in_the_feed():
    assert matches(feed(categories=("News", "Middle East")), {"middle-east"}, set())


def test_an_item_by_any_listed_author_is_in_the_feed_whatever_its_categories():
    assert matches(feed(categories=("News",), authors=("Middle East desk",)), {"sport"}, {"middle-east-desk"})


def test_an_item_in_no_listed_category_and_by_no_listed_author_is_not():
    assert not matches(feed(categories=("News",), authors=("Jane Doe",)), {"sport"}, {"john-roe"})


def test_a_feed_that_lists_neither_categories_nor_authors_holds_every_item():
    assert matches(feed(), set(), set())
    assert matches(feed(exclude=("Sport",)), {"news"}, {"jane-doe"})


def test_an_excluded_category_keeps_an_item_out_even_when_it_matches_otherwise():
    definition = feed(categories=("News",), authors=("Jane Doe",), exclude=("Sport",))
    assert not matches(definition, {"news", "sport"}, {"jane-doe"})


def test_categories_and_authors_are_matched_by_slug_whatever_their_spelling():
    assert matches(feed(categories=("MIDDLE  east!",)), {slugify("Middle-East")}, set())
    assert matches(feed(authors=("Çağla Ünal",)), set(), {slugify("çağla ünal")})


def test_an_items_authors_are_its_own_else_the_sites_author():
    site = Site(Path("."), "T", "https://x.example/", "D", "https://x.example/", authors=(Author("Test Desk"),))
    own = (("jane-doe", "Jane Doe"), ("john-roe", "John Roe"))
    assert item_authors(own, site) == own
    assert item_authors((), site) == (("test-desk", "Test Desk"),)
    assert item_authors((), replace(site, authors=())) == ()


names = st.lists(st.sampled_from(["News", "news", "Sport", "Middle East", "middle-east", "Météo", "Jane Doe"]),
                 max_size=3).map(tuple)
slug_sets = st.lists(st.sampled_from(["news", "sport", "middle-east", "météo", "jane-doe"]), max_size=4).map(set)


@given(names, names, names, slug_sets, slug_sets)
def test_a_named_feed_holds_exactly_the_items_its_definition_describes(categories, authors, exclude,
                                                                       item_categories, item_authors):
    def slugs(written: tuple[str, ...]) -> set[str]:
        return {slugify(name) for name in written}

    chosen = bool(slugs(categories) & item_categories or slugs(authors) & item_authors
                  or not categories and not authors)
    expected = chosen and not slugs(exclude) & item_categories
    assert matches(feed(categories, authors, exclude), item_categories, item_authors) == expected


def test_each_named_feeds_filter_is_made_once_for_all_the_entries_of_a_site(monkeypatch):
    site = site_of("feeds:\n  - {name: desk, categories: [News], exclude_categories: [Sport]}\n"
                   "  - {name: sam, authors: [Sam Lee]}\n")
    made = []
    monkeypatch.setattr(feed_kinds, "feed_filter", lambda *args: made.append(args[0].name) or feed_filter(*args))
    feeds_of = feed_kinds.feeds_of_each(site)
    memberships = [feeds_of(Facts(f"id{number}", False, 0, None, None, ((f"c{number}", f"C{number}"), ("news", "News")),
                                  (("sam-lee", "Sam Lee"),) * (number % 2)))
                   for number in range(50)]
    assert made == ["desk", "sam"]
    assert [[key for key, _ in membership if key[0] == 1] for membership in memberships[:2]] == \
        [[(1, "desk")], [(1, "desk"), (1, "sam")]]


def test_a_relative_author_uri_in_site_yaml_is_resolved_against_the_sites_link():
    with_uri = SITE_YAML.replace("author: {name: Test Desk, email: desk@news.example.com}",
                                 "author: {name: Test Desk, uri: /staff/desk}")
    read_site = validate_site(parse_document(with_uri.encode("utf-8"), "site.yaml"), Path("."))
    assert isinstance(read_site, Site)
    assert read_site.authors == (Author("Test Desk", None, "https://news.example.com/staff/desk"),)


def test_a_relative_author_uri_in_an_entry_is_resolved_against_the_entrys_link(make_site):
    root = make_site({"items/a.yaml": entry_yaml(link="https://other.example.org/news/a",
                                                 author="{name: Jo, uri: ../staff/jo}")})
    assert main(["build", str(root), "--quiet"]) == 0
    atom = (root / "publish" / "atom.xml").read_text(encoding="utf-8")
    assert "<uri>https://other.example.org/staff/jo</uri>" in atom
    assert "invalid.example" not in atom


def test_without_publish_url_the_feeds_go_in_the_folder_of_the_sites_link_less_its_query_and_fragment():
    plain = SITE_YAML.replace("publish_url: https://news.example.com/feeds/\n", "")
    for link in ("https://news.example.com/?from=home#top", "https://news.example.com/",
                 "https://news.example.com/index.html?utm=1"):
        site = validate_site(parse_document(plain.replace("https://news.example.com/", link, 1).encode("utf-8"),
                                            "site.yaml"), Path("."))
        assert isinstance(site, Site)
        assert site.publish_url == "https://news.example.com/"


@pytest.mark.parametrize("formats, column, found, wanted", [("RSS", 10, "RSS", "[rss]"),
                                                            ("[rss, Atom]", 16, "Atom", "[rss, atom]")])
def test_a_format_in_capitals_says_write_it_in_lowercase_and_that_fix_keeps_the_formats_chosen(formats, column, found,
                                                                                              wanted):
    """Not 'write formats: [rss, atom, json]', which would publish formats the desk did not choose."""
    assert lines_of(f"formats: {formats}\n") == [
        f'site.yaml:{FIRST_LINE}:{column}: formats: expected rss, atom or json, found text "{found}"; '
        f"write it in lowercase: {found.lower()}"]
    assert site_of(f"formats: {wanted}\n").formats == tuple(wanted.strip("[]").split(", "))


@pytest.mark.parametrize("formats, column, found, wanted", [("rss, atom", 10, "rss, atom", "[rss, atom]"),
                                                            ("json atom", 10, "json atom", "[atom, json]"),
                                                            ("[rss atom, json]", 11, "rss atom", "[rss, atom, json]")])
def test_formats_written_as_one_text_are_told_as_the_list_of_those_formats_not_all_three(formats, column, found,
                                                                                          wanted):
    """'write formats: [rss, atom, json]', done word for word, published the JSON Feed the desk had left out."""
    assert lines_of(f"formats: {formats}\n") == [
        f'site.yaml:{FIRST_LINE}:{column}: formats: expected rss, atom or json, found text "{found}"; '
        f"write formats: {wanted}"]
    assert site_of(f"formats: {wanted}\n").formats == tuple(wanted.strip("[]").split(", "))


def test_a_feeds_categories_list_written_at_the_start_of_the_line_says_indent_it_under_the_feed():
    """It is read as the site's own `categories:`, a mapping: the fix is the indent, not a mapping."""
    assert lines_of("feeds:\n  - name: breaking\ncategories: [News]\n") == [
        f"site.yaml:{FIRST_LINE + 2}:13: categories: expected a mapping of category names to their settings, found a "
        "list; a named feed's categories go under its - name:, indented as name: is; the site's own are a mapping, "
        "such as categories: {Économie: {title: Economy, slug: economy}}"]
    assert site_of("feeds:\n  - name: breaking\n    categories: [News]\n").feeds[0].categories == ("News",)


def test_with_ascii_slugs_a_category_listed_again_without_its_accents_is_refused():
    assert lines_of("slugs: ascii\ncategories:\n  Météo: {title: Weather}\n  Meteo: {title: Weather again}\n") == [
        f'site.yaml:{FIRST_LINE + 3}:3: categories.Meteo: expected each category once, found "Meteo", which is '
        '"Météo" again: names that differ only in case or punctuation, or in accents (slugs: ascii), share one feed; '
        "put their settings under one of them"]


def test_with_ascii_slugs_a_feed_excluding_its_category_spelled_without_accents_is_warned_of():
    site = site_of("slugs: ascii\nfeeds:\n  - name: wx\n    categories: [Météo]\n    exclude_categories: [Meteo]\n")
    assert [warning.code for warning in site.warnings] == ["excludes-all"]


def test_a_category_named_by_a_number_is_the_name_as_typed():
    site = site_of("categories:\n  2024: {title: The year in review}\n")
    assert [(settings.key, settings.title) for settings in site.categories] == [("2024", "The year in review")]


def lines_with(old: str, new: str) -> tuple[int, list[str]]:
    """The problems of the test site with its line `old` written as `new`, and that line's number."""
    written = SITE_YAML.replace(old, new)
    problems = validate_site(parse_document(written.encode("utf-8"), "site.yaml"), Path("."))
    assert isinstance(problems, list)
    return written.splitlines().index(new) + 1, [str(problem) for problem in problems]


def test_a_site_link_that_is_no_http_url_is_told_to_be_written_in_full():
    line, found = lines_with("link: https://news.example.com/", "link: ftp://news.example.com/")
    assert found == [
        f'site.yaml:{line}:7: link: expected an absolute http(s) URL, found the ftp: URL "ftp://news.example.com/"; '
        "write it in full, such as https://news.example.com/"]


@pytest.mark.parametrize("written, hint", [("content: [full]", "write it without the brackets: content: full"),
                                           ("publish_dir: [public]", "write it without the brackets: publish_dir: public")])
def test_a_setting_written_as_a_one_item_list_is_told_to_drop_the_brackets(written, hint):
    assert lines_of(written + "\n")[0].endswith(hint)


def test_a_slug_with_no_letter_is_told_the_slug_of_its_category():
    assert lines_of("categories:\n  Météo: {slug: ..}\n") == [
        f'site.yaml:{FIRST_LINE + 1}:17: categories.Météo.slug: expected a slug (lowercase letters, digits and -), '
        'found text ".."; write it as météo']


def test_an_etc_gmt_zone_out_of_range_is_told_the_range_not_a_near_name():
    line, found = lines_with("timezone: Europe/Istanbul", "timezone: Etc/GMT+14")
    assert found == [
        f'site.yaml:{line}:11: timezone: expected an IANA timezone, found text "Etc/GMT+14"; Etc/GMT zones run from '
        "Etc/GMT-14 to Etc/GMT+12, the sign turned round (Etc/GMT-3 is +03:00); better, write the zone of a city "
        "with the desk's clock, such as Europe/Istanbul"]


def test_a_feed_name_in_capitals_is_never_offered_a_reserved_name():
    assert lines_of("feeds:\n  - name: ARCHIVE\n")[0].endswith('found text "ARCHIVE"; did you mean archive-desk?')


@pytest.mark.parametrize("name, holds", [("archive", "the archive documents of every feed"),
                                         ("categories", "the category feeds"), ("authors", "the author feeds")])
def test_a_feed_named_as_a_folder_of_the_tools_own_is_told_what_that_folder_holds(name, holds):
    assert lines_of(f"feeds:\n  - name: {name}\n")[0].endswith(
        f'found text "{name}"; {name}/ holds {holds}; call it something else, such as {name}-desk')


@pytest.mark.parametrize("written, meant", [("1e3", "1000"), ("50.0", "50"), ("2.5", "50"), ("1e9", "50")])
def test_a_whole_number_written_as_a_float_is_told_in_digits_as_the_number_it_means(written, meant):
    assert lines_of(f"max_items: {written}\n")[0].endswith(f"write it in digits, such as max_items: {meant}")


def test_a_slug_style_in_capitals_is_told_to_write_it_in_lower_case():
    assert lines_of("slugs: ASCII\n")[0].endswith('found text "ASCII"; write it in lower case: slugs: ascii')


@pytest.mark.parametrize("written, meant", [
    ("feed_url: https://news.example.com/feeds/", "publish_url"), ("output_dir: public", "publish_dir"),
    ("destination: _site", "publish_dir"), ("summary: full", "content"), ("summary: 200", "summary_length"),
    ("websub: https://pubsubhubbub.appspot.com/", "hub"), ("tz: Europe/Istanbul", "timezone"),
    ("locale: tr", "language")])
def test_a_site_field_named_as_other_tools_name_it_gets_the_field_meant(written, meant):
    without = "".join(line for line in SITE_YAML.splitlines(keepends=True) if not line.startswith(meant + ":"))
    problems = validate_site(parse_document((without + written + "\n").encode("utf-8"), "site.yaml"), Path("."))
    assert isinstance(problems, list)
    assert [str(problem) for problem in problems] == [
        f"site.yaml:{without.count(chr(10)) + 1}:1: {written.split(':')[0]}: is not a field of site.yaml; "
        f"did you mean {meant}?"]


def test_a_named_feeds_summary_setting_is_its_content():
    assert lines_of("feeds:\n  - name: digest\n    summary: summary\n") == [
        f"site.yaml:{FIRST_LINE + 2}:5: feeds[0].summary: is not a field of a named feed; did you mean content?"]


def test_on_invalid_in_capitals_gets_the_word_in_lower_case():
    assert lines_of("on_invalid: Stop\n") == [
        f'site.yaml:{FIRST_LINE}:13: on_invalid: expected hold or stop, found text "Stop"; did you mean stop?']


@pytest.mark.parametrize("written, meant", [
    ("PDT", "America/Los_Angeles"), ("edt", "America/New_York"), ("CEST", "Europe/Paris"), ("BST", "Europe/London"),
    ("Z", "UTC"), ("utc", "UTC"), ("gmt", "UTC"), ("JST", "Asia/Tokyo"), ("AEDT", "Australia/Sydney"),
    ("europe/london", "Europe/London"), ("Istambul", "Europe/Istanbul"), ("New York", "America/New_York")])
def test_a_timezone_written_as_an_abbreviation_or_a_city_gets_the_zone_it_means(written, meant):
    [line] = lines_of_timezone(written)
    assert f'found text "{written}"; did you mean {meant}?' in line


def test_ist_is_suggested_as_indias_zone_and_said_to_be_irish_and_israels_too():
    assert lines_of_timezone("IST") == [
        'site.yaml:5:11: timezone: expected an IANA timezone, found text "IST"; did you mean Asia/Kolkata? IST is '
        "India's time, but also Irish (Europe/Dublin) and Israel's (Asia/Jerusalem): write the one the desk keeps"]


def test_an_abbreviation_of_no_known_zone_gets_no_zone_spelt_like_it():
    assert lines_of_timezone("XST") == [
        'site.yaml:5:11: timezone: expected an IANA timezone, found text "XST"; write a zone such as Europe/Istanbul '
        "or UTC"]


@pytest.mark.parametrize("zone", ["CET", "EST5EDT", "GB", "UTC", "America/Phoenix", "EST", "MST", "HST"])
def test_a_zone_of_the_iana_database_named_by_letters_is_taken(zone):
    """EST is Panama's and Jamaica's clock, MST Arizona's, HST Hawaii's: IANA zones, as the SPEC asks."""
    assert site_of_timezone(zone).timezone_name == zone


def site_of_timezone(zone: str) -> Site:
    site = validate_site(parse_document(SITE_YAML.replace("Europe/Istanbul", zone).encode("utf-8"), "site.yaml"),
                         Path("."))
    assert isinstance(site, Site)
    return site


def lines_of_timezone(zone: str) -> list[str]:
    problems = validate_site(parse_document(SITE_YAML.replace("Europe/Istanbul", zone).encode("utf-8"), "site.yaml"),
                             Path("."))
    assert isinstance(problems, list)
    return [str(problem) for problem in problems]


@pytest.mark.parametrize("written, found, hint", [
    ("300", "whose 300 names no directive", "did you mean max-age=300?"),
    ("pubilc, max-age=300", 'whose "pubilc" is no directive of HTTP caching', "did you mean public?"),
    ("public, max-age=-5", "whose max-age is -5, not a whole number of seconds",
     "write max-age= and the seconds, 0 or more, such as max-age=300"),
    ("public, s-maxage", "whose s-maxage has no seconds",
     "write s-maxage= and the seconds, 0 or more, such as s-maxage=300"),
    ("public=yes", "whose public takes no value", "write public alone"),
    ("public max-age=300", 'whose "public max-age=300" a cache reads as one directive it does not know, and ignores',
     "write a comma between directives, and = before seconds: cache_control: public, max-age=300"),
    ("public; max-age 300", 'whose "public; max-age 300" a cache reads as one directive it does not know, and ignores',
     "write a comma between directives, and = before seconds: cache_control: public, max-age=300"),
    ("no-cache, max-age 0", 'whose "max-age 0" a cache reads as one directive it does not know, and ignores',
     "write a comma between directives, and = before seconds: cache_control: no-cache, max-age=0"),
    ("public, max-age = 300", 'whose "max-age = 300" a cache reads as one directive it does not know, and ignores',
     "write a comma between directives, and = before seconds: cache_control: public, max-age=300"),
    ("public, max-age = -5", "whose max-age is -5, not a whole number of seconds",  # not mended to max-age=-5
     "write max-age= and the seconds, 0 or more, such as max-age=300")])
def test_a_cache_control_no_cache_reads_as_meant_is_a_warning_with_the_directive_meant(written, found, hint):
    """A warning: the header is sent as written, and a header never stops the wire."""
    site = site_of(f"publish_to: s3://news-bucket/feeds\ncache_control: {written}\n")
    assert site.cache_control == written
    assert [str(warning) for warning in site.warnings] == [
        f'site.yaml:{FIRST_LINE + 1}:16: warning: cache_control: expected a Cache-Control header value, found '
        f'"{written}", {found}; {hint}']


@pytest.mark.parametrize("written, found", [
    ('private = "Set-Cookie"', r'"private = \"Set-Cookie\"", whose "private = \"Set-Cookie\"" has space before the '
     "quoted header fields, where HTTP allows none: a cache reads it as private alone, or ignores it; "
     'write cache_control: private="Set-Cookie"'),
    ('public, no-cache "Set-Cookie"', r'"public, no-cache \"Set-Cookie\"", whose "no-cache \"Set-Cookie\"" has '
     "space before the quoted header fields, where HTTP allows none: a cache reads it as no-cache alone, or ignores "
     'it; write cache_control: public, no-cache="Set-Cookie"'),
    ("private=Set-Cookie", '"private=Set-Cookie", whose private=Set-Cookie names its header fields without quotes, '
     'which RFC 9111 asks no sender to write; write private="Set-Cookie"'),
    ('no-cache=""', r'"no-cache=\"\"", whose no-cache is followed by "", no header field names in quotes; write '
     'no-cache alone, or with the header fields it is for in quotes, no-cache="Set-Cookie"')])
def test_a_field_list_written_otherwise_than_rfc_9111s_quoted_one_is_a_warning_with_the_quoted_one(written, found):
    """RFC 9111 allows no space around the = and asks for the field names in quotes: `private =
    "Set-Cookie"` drew no warning, and `private=Set-Cookie` was told private takes no value."""
    site = site_of(f"publish_to: s3://news-bucket/feeds\ncache_control: '{written}'\n")
    assert site.cache_control == written
    assert [str(warning) for warning in site.warnings] == [
        f"site.yaml:{FIRST_LINE + 1}:16: warning: cache_control: expected a Cache-Control header value, found {found}"]


@pytest.mark.parametrize("written", ["public, max-age=60, stale-while-revalidate=30", "no-cache, no-store",
                                     'private="Set-Cookie, Authorization", MAX-AGE=0', "public, max-age=31536000, immutable",
                                     "no-store, no-cache, must-revalidate, post-check=0, pre-check=0"])  # PHP's: extensions
def test_a_cache_control_of_directives_http_caching_knows_is_taken_as_written(written):
    site = site_of(f"publish_to: s3://news-bucket/feeds\ncache_control: {written}\n")
    assert (site.cache_control, site.warnings) == (written, ())


def test_a_cache_control_without_publish_to_is_warned_to_do_nothing():
    site = site_of("cache_control: public, max-age=60\n")
    assert [str(warning) for warning in site.warnings] == [
        f"site.yaml:{FIRST_LINE}:16: warning: cache_control: is the Cache-Control of the files put on publish_to, "
        "which this site has none of, so it does nothing but at a build given --to; set the header in the web "
        "server that serves the publish folder (the README shows nginx's), and remove the line"]


@pytest.mark.parametrize("folder", ["out/news$feeds", "out/$5off", "out/C$", "out/US$ rates"])
def test_a_dollar_in_a_folders_name_that_is_no_variable_is_the_name(folder):
    """Variables are written ${name} or $NAME in capitals; news$feeds is a folder's name."""
    site = validate_site(parse_document((SITE_YAML + f"publish_dir: {folder}\n").encode(), "site.yaml"), Path("."))
    assert isinstance(site, Site) and site.publish_dir.as_posix().endswith(folder)
