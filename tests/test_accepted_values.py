"""Values that used to be accepted and silently published as something else: each is now
refused with the file, line and what was found, or published as written."""

from __future__ import annotations

from datetime import timezone
from zoneinfo import ZoneInfo

import babel
import babel.dates
import pytest

from feeds import months
from feeds.build import check_site
from feeds.dates import DateError, parse_date
from feeds.sanitise import body_html
from feeds.urls import URLError, absolute_url

from .conftest import SITE_YAML, entry_yaml

ENTRY = "items/a.yaml"
BASE = "https://news.example.com/"


def problems_of(root) -> list[str]:
    return [str(problem) for problem in check_site(root).problems]


@pytest.mark.parametrize(("publish_url", "part"), [("https://news.example.com/f/?q=1", "the query ?q=1"),
                                                  ("https://news.example.com/f/#top", "the fragment #top")])
def test_a_publish_url_with_a_query_or_fragment_is_refused(make_site, publish_url, part):
    site_yaml = SITE_YAML.replace("publish_url: https://news.example.com/feeds/", f"publish_url: {publish_url}")
    assert problems_of(make_site({ENTRY: entry_yaml()}, site_yaml=site_yaml)) == [(
        f'site.yaml:4:14: publish_url: expected the address of the folder the feeds are published in, '
        f'found "{publish_url}", which has {part}; feed files are named after it, so remove {part.split()[-1]}')]


@pytest.mark.parametrize("page", ["rss.xml", "index.html", "feed.json"])
def test_a_publish_url_naming_a_file_is_refused_with_its_folder(make_site, page):
    """It was taken as a folder: the self link of rss.xml was .../feeds/rss.xml/rss.xml."""
    publish_url = f"https://news.example.com/feeds/{page}"
    site_yaml = SITE_YAML.replace("publish_url: https://news.example.com/feeds/", f"publish_url: {publish_url}")
    assert problems_of(make_site({ENTRY: entry_yaml()}, site_yaml=site_yaml)) == [(
        f'site.yaml:4:14: publish_url: expected the address of the folder the feeds are published in, '
        f'found "{publish_url}", which names the file {page}; feed files are named after it, so write the folder '
        'that holds it, publish_url: https://news.example.com/feeds/ (or end it with / if it is a folder)')]
    fixed = SITE_YAML.replace("publish_url: https://news.example.com/feeds/", f"publish_url: {publish_url}/")
    assert problems_of(make_site({ENTRY: entry_yaml()}, site_yaml=fixed, name="folder")) == []


@pytest.mark.parametrize(("link", "found"), [("https://", '"https://", which has no host name'),
                                             ("https:/x", '"https:/x", which has no //host after https:'),
                                             ("http:news/storm", '"http:news/storm", which has no //host after http:')])
def test_a_link_with_a_scheme_but_no_host_is_refused(make_site, link, found):
    assert problems_of(make_site({ENTRY: entry_yaml(link=link)})) == [(
        f"{ENTRY}:2:7: link: expected an http(s) or relative URL, found {found}; "
        "write a path such as /news/story or a full https:// address")]


@pytest.mark.parametrize(("link", "found"), [
    ("///news/storm", '"///news/storm", which browsers read as "https://news/storm", the host "news"'),
    ("////news", '"////news", which browsers read as "https://news/", the host "news"'),
    ("///", '"///", which has no host name')])
def test_a_link_of_three_slashes_is_refused_with_the_address_browsers_read_in_it(make_site, link, found):
    """Python read it as a path on the site (https://news.example.com/news/storm), browsers
    as a host: the feed and the web page sent readers to two places."""
    after = ": a path on the site starts with one /" if "read as" in found else ""
    assert problems_of(make_site({ENTRY: entry_yaml(link=link)})) == [(
        f"{ENTRY}:2:7: link: expected an http(s) or relative URL, found {found}{after}; "
        "write a path such as /news/story or a full https:// address")]


@pytest.mark.parametrize(("link", "found"), [
    ("https:////news.example.com/storm", '"https:////news.example.com/storm", which browsers read as '
     '"https://news.example.com/storm", the host "news.example.com"'),
    ("http:///desk", '"http:///desk", which browsers read as "http://desk/", the host "desk"')])
def test_a_link_of_three_slashes_after_its_scheme_is_told_the_host_browsers_read_in_it(make_site, link, found):
    """It was told 'which has no host name', where browsers skip the slashes and open the host."""
    scheme = link.partition(":")[0]
    assert problems_of(make_site({ENTRY: entry_yaml(link=link)})) == [(
        f"{ENTRY}:2:7: link: expected an http(s) or relative URL, found {found}: a host follows {scheme}:// "
        "with no slash between; write a path such as /news/story or a full https:// address")]


def test_a_protocol_relative_link_is_still_the_host_it_names(make_site):
    site = make_site({ENTRY: entry_yaml(link="//cdn.news.example.com/storm")})
    assert problems_of(site) == []


@pytest.mark.parametrize("address", ['a@b.c"><x', "<a@b.c>", "a@b.c>", "desk@news example.com", "a@b@c.d", "a@.c"])
def test_an_author_email_that_is_not_an_address_is_refused(make_site, address):
    author = "{name: Desk, email: '" + address + "'}"
    problems = problems_of(make_site({ENTRY: entry_yaml(author=author)}))
    assert len(problems) == 1 and "author.email: expected an email address, found text" in problems[0]


@pytest.mark.parametrize("address", ["desk@news.example.com", "first.last+tag@sub.news-site.co.uk", "o'brien@example.ie"])
def test_an_author_email_that_is_an_address_is_accepted(make_site, address):
    author = '{name: Desk, email: "' + address + '"}'
    assert problems_of(make_site({ENTRY: entry_yaml(author=author)})) == []


@pytest.mark.parametrize("text", ["2020-02-20 16:40+15:00", "2020-02-20T16:40:00-23:59", "2020-02-20 16:40 +1401",
                                  "20 Feb 2020 16:40 +1500", "2020-02-20T16:40:00+25:00", "2020-02-20 16:40-9930"])
def test_an_offset_beyond_fourteen_hours_is_refused(text):
    with pytest.raises(DateError) as raised:
        parse_date(text, timezone.utc)
    assert "no timezone has" in str(raised.value)
    assert raised.value.hint.startswith("offsets run from -14:00 to +14:00")


@pytest.mark.parametrize("text", ["2020-02-20 16:40+14:00", "2020-02-20 16:40-12:00", "2020-02-20T16:40:00-14:00"])
def test_offsets_up_to_fourteen_hours_are_read(text):
    assert parse_date(text, timezone.utc).tzinfo is timezone.utc


@pytest.mark.parametrize(("zone", "text", "first_moment"), [
    ("Africa/Cairo", "2024-04-26", "2024-04-26T01:00:00+03:00"),  # the clocks skip midnight
    ("America/Santiago", "2024-09-08", "2024-09-08T01:00:00-03:00"),
    ("America/Sao_Paulo", "4 November 2018", "2018-11-04T01:00:00-02:00"),
    ("America/Havana", "2024-11-03", "2024-11-03T00:00:00-04:00"),  # they pass it twice: the first
    ("America/Havana", "3 November 2024", "2024-11-03T00:00:00-04:00"),
])
def test_a_day_without_a_time_is_its_first_moment_where_the_clocks_skip_or_repeat_midnight(zone, text, first_moment):
    assert parse_date(text, ZoneInfo(zone)).astimezone(ZoneInfo(zone)).isoformat() == first_moment


@pytest.mark.parametrize(("text", "reason"), [("2024-04-26 00:30", "does not exist in Africa/Cairo"),
                                              ("26 April 2024 0:00", "does not exist in Africa/Cairo"),
                                              ("26 April 2024 12am", "does not exist in Africa/Cairo")])
def test_a_time_of_day_the_clocks_skip_is_still_refused(text, reason):
    with pytest.raises(DateError, match=reason):
        parse_date(text, ZoneInfo("Africa/Cairo"))


@pytest.mark.parametrize("text", ["31", "0", "00", "12"])
def test_a_number_alone_is_not_a_whole_date(text):
    with pytest.raises(DateError) as refused:
        parse_date(text, timezone.utc)
    assert (str(refused.value), refused.value.hint) == ("is not a whole date",
                                                        "give the year, month and day, such as 2020-02-20 16:40")


def test_a_unix_time_is_refused_with_the_date_it_stands_for():
    with pytest.raises(DateError) as refused:
        parse_date("1582216800", timezone.utc)
    assert (str(refused.value), refused.value.hint) == (
        "is not a whole date", "if it counts seconds since 1970 (a Unix time), it is 2020-02-20 16:40Z: write that; "
                               "else give the year, month and day, such as 2020-02-20 16:40")


def test_an_offset_beyond_fourteen_hours_is_reported_at_its_field(make_site):
    assert problems_of(make_site({ENTRY: entry_yaml(published="2020-02-20 16:40+15:00")})) == [(
        f'{ENTRY}:3:12: published: "2020-02-20 16:40+15:00" has the offset +15:00, which no timezone has; '
        "offsets run from -14:00 to +14:00; check the sign and the digits, such as 2020-02-20 16:40+03:00")]


def test_an_offset_of_a_day_or_more_is_reported_as_an_offset_not_as_no_date(make_site):
    assert problems_of(make_site({ENTRY: entry_yaml(published="2026-11-01T10:00:00+25:00")})) == [(
        f'{ENTRY}:3:12: published: "2026-11-01T10:00:00+25:00" has the offset +25:00, which no timezone has; '
        "offsets run from -14:00 to +14:00; check the sign and the digits, such as 2020-02-20 16:40+03:00")]


@pytest.mark.parametrize(("url", "expected"), [
    ("https://bücher.de:8080/x", "https://xn--bcher-kva.de:8080/x"),
    ("https://bücher.de/x", "https://xn--bcher-kva.de/x"),
    ("https://News.Example.COM:8443/X", "https://news.example.com:8443/X"),
    ("https://münchen.example/ü", "https://xn--mnchen-3ya.example/%C3%BC"),
])
def test_only_the_host_name_is_idna_encoded_and_lower_cased(url, expected):
    assert absolute_url(url, BASE) == expected


def test_a_markdown_link_to_a_host_name_in_another_script_is_kept():
    """pulldown-cmark percent-encodes the host (例え.jp is %E4%BE%8B%E3%81%88.jp): browsers
    read it back, and so does feeds; the sanitiser had dropped the link."""
    assert absolute_url("https://%E4%BE%8B%E3%81%88.jp/%C3%BC", BASE) == "https://xn--r8jz45g.jp/%C3%BC"
    assert body_html("[Tokyo](https://例え.jp/ü)", BASE) == '<p><a href="https://xn--r8jz45g.jp/%C3%BC">Tokyo</a></p>'


@pytest.mark.parametrize(("url", "expected"), [
    ("images\\photo.jpg", "https://news.example.com/news/images/photo.jpg"),
    ("\\\\cdn.example.com\\a.jpg", "https://cdn.example.com/a.jpg"),
    ("https:\\\\example.com\\a", "https://example.com/a"),
    ("/a\\b?q=c\\d#e\\f", "https://news.example.com/a/b?q=c%5Cd#e%5Cf"),
])
def test_a_backslash_before_the_query_is_a_slash_as_browsers_read_it(url, expected):
    """The article page a link was copied from goes where browsers take it (WHATWG's URL
    standard); the feed's link must go there too, not to a path with %5C in it."""
    assert absolute_url(url, "https://news.example.com/news/2020") == expected


@pytest.mark.parametrize(("url", "base", "expected"), [
    ("charts//gdp.png", "https://news.example.com/news/2020/budget", "https://news.example.com/news/2020/charts//gdp.png"),
    ("../img//a.jpg", "https://news.example.com/news/2020/budget", "https://news.example.com/news/img//a.jpg"),
    ("a.jpg", "https://news.example.com/uploads//2020/budget", "https://news.example.com/uploads//2020/a.jpg"),
    ("../a.jpg", "https://news.example.com/a//b/c", "https://news.example.com/a//a.jpg"),
    ("a.jpg", "https://news.example.com", "https://news.example.com/a.jpg"),
])
def test_a_relative_path_keeps_its_empty_segments_as_browsers_resolve_it(url, base, expected):
    """urljoin drops them: the image a browser fetches from the article page was another file in the feeds."""
    assert absolute_url(url, base) == expected


def test_a_markdown_link_to_an_ipv6_address_is_kept():
    """pulldown-cmark percent-encodes an IPv6 host's brackets (%5B::1%5D): no host is
    spelled so, and the link is read as written; the sanitiser had dropped it."""
    assert body_html("[router](http://[2001:db8::1]:8080/status) and <http://[::1]/x>", BASE) == (
        '<p><a href="http://[2001:db8::1]:8080/status">router</a> and <a href="http://[::1]/x">http://[::1]/x</a></p>')


@pytest.mark.parametrize("url", ["https://jürgen@bücher.de/x", "https://desk:s3cret@news.example.com/x"])
def test_a_url_with_a_user_name_or_password_is_refused_without_repeating_it(url):
    with pytest.raises(URLError) as refused:
        absolute_url(url, BASE)
    assert str(refused.value) == "a URL with a user name or password in it, which every reader would see"


def test_a_host_name_idna_cannot_encode_is_refused():
    with pytest.raises(URLError):
        absolute_url("https://" + "ü" * 70 + ".de/", BASE)


def test_a_link_with_an_escaped_tilde_is_the_same_story_as_one_with_the_tilde(make_site):
    site = make_site({"items/a.yaml": entry_yaml(link="/~z"), "items/b.yaml": entry_yaml(link="/%7Ez")})
    assert problems_of(site) == [
        'items/b.yaml:2:7: id: expected an id no other entry has, found "https://news.example.com/~z", '
        "which items/a.yaml has too; items/b.yaml is the newcomer: give it its own link, or an id: urn:uuid:… "
        "of its own; items/a.yaml keeps its id, which readers know it by"]


def test_an_id_written_with_its_scheme_in_capitals_is_the_same_id(make_site):
    uuid = "UUID:0f9c5e1e-5a86-4a4e-9d8e-3f1b8f1f2a11"
    site = make_site({"items/a.yaml": entry_yaml(id=f"urn:{uuid}"), "items/b.yaml": entry_yaml(id=f"URN:{uuid}")})
    assert problems_of(site) == [
        f'items/b.yaml:4:5: id: expected an id no other entry has, found "urn:{uuid}", which items/a.yaml has too; '
        "items/b.yaml is the newcomer: give it an id of its own; items/a.yaml keeps its id, which readers know it by"]


@pytest.mark.parametrize("language", ["zh-Hant", "sr-Latn", "es-419", "zh-yue", "ku-Arab", "pt-BR", "EN", "haw", "mo", "sh"])
def test_a_bcp_47_tag_whose_language_feed_validators_know_is_accepted(make_site, language):
    assert problems_of(make_site({ENTRY: entry_yaml()}, site_yaml=SITE_YAML + f"language: {language}\n")) == []


@pytest.mark.parametrize("language", ["yue", "cmn-Hans", "arz", "qaa"])
def test_a_language_code_of_iso_639_3_alone_or_for_private_use_is_refused(make_site, language):
    assert problems_of(make_site({ENTRY: entry_yaml()}, site_yaml=SITE_YAML + f"language: {language}\n")) == [
        "site.yaml:7:11: language: expected a language code feed validators know (ISO 639-1, or ISO 639-2 if it has "
        f'none), found text "{language}"; the W3C validator warns of any other; write the code of the language\'s '
        "group, and its script or region if need be, such as ku-Arab for Sorani Kurdish or zh-yue for Cantonese"]


@pytest.mark.parametrize(("field", "value", "column"), [("link", '"https://[2001:db8::1]/a"', 7),
                                                        ("image", '"https://[2001:db8::1]/a.jpg"', 8),
                                                        ("id", '"https://[2001:db8::1]/a"', 5)])
def test_a_link_image_or_id_whose_host_is_an_ipv6_address_is_refused(make_site, field, value, column):
    """The W3C validator refuses an IPv6 address in RSS <link>, <guid> and <media:content
    url>, and in an Atom <id>: its URI rule has no [brackets]. A link in a body keeps one."""
    entry = entry_yaml(**({"link": value} if field == "link" else {field: value}))
    line = entry.splitlines().index(next(row for row in entry.splitlines() if row.startswith(f"{field}:"))) + 1
    found = value.strip('"')
    assert [problem.split("; ")[0] for problem in problems_of(make_site({ENTRY: entry}))] == [
        f'{ENTRY}:{line}:{column}: {field}: expected ' + ("a URI such as urn:uuid:… or tag:…, or an http(s) URL"
                                                        if field == "id" else "an http(s) or relative URL")
        + f', found "{found}", whose host is an IPv6 address, which feed validators refuse in a feed\'s links and ids']


@pytest.mark.parametrize("text, hint", [
    ("2020-02-20 16:40 16:50", "it has 2 times of day (16:40, 16:50); keep the one meant: "),
    ("20 Feb 2020 4:40 pm 5:50 pm", "it has 2 times of day (4:40, 5:50); keep the one meant: "),
    ("-2020-02-20", "it starts with '-', and years before 1 are not dates; "),
    ("2020--02-20", "'--' leaves a part out between two separators; "),
    ("20//02/2020", "'//' leaves a part out between two separators; "),
], ids=["two times", "two times on a 12-hour clock", "a sign before the year", "two dashes", "two slashes"])
def test_a_date_dateutil_would_read_by_dropping_part_of_it_is_refused(text, hint):
    with pytest.raises(DateError, match="^is not a date$") as raised:
        parse_date(text, timezone.utc)
    assert raised.value.hint == hint + "write it as YYYY-MM-DD HH:MM, such as 2020-02-20 16:40"


@pytest.mark.parametrize("text", ["February 20, 2020 16:40 -05:00", "16:40 20 Feb 2020 +05:30",
                                  "Thu, 20 Feb 2020 16:40:00 -0500", "2020/02/20 16:40:30"])
def test_a_date_with_one_time_and_an_offset_is_read(text):
    assert parse_date(text, timezone.utc).tzinfo is timezone.utc


@pytest.mark.parametrize(("text", "utc"), [
    ("2026-11-20 09:00 \u221205:00", "2026-11-20T14:00:00+00:00"),  # a minus sign, as Word writes one
    ("20 November 2026 09:00 \u221205:00", "2026-11-20T14:00:00+00:00"),
    ("2026\u201311\u201320", "2026-11-20T00:00:00+00:00"),  # en dashes from autocorrect
], ids=["minus sign in an ISO offset", "minus sign in a written date's offset", "en dashes"])
def test_a_typographic_dash_in_a_date_is_read_as_a_hyphen(text, utc):
    assert parse_date(text, timezone.utc).isoformat() == utc


@pytest.mark.parametrize(("text", "written"), [
    ("20 Feb 2020 09:00\u201310:00", "09:00\u201310:00"),
    ("2020-02-20 09:00 \u2013 10:00", "09:00 \u2013 10:00"),
    ("20 February 2020, 09:00\u201410:00", "09:00\u201410:00"),
], ids=["en dash", "spaced en dash", "em dash"])
def test_a_dash_between_two_times_is_a_range_refused_not_an_offset_ten_hours_off(text, written):
    with pytest.raises(DateError, match="^is not a date$") as raised:
        parse_date(text, timezone.utc)
    assert raised.value.hint == (f"{written} is a range of times: keep the one meant; if 10:00 is the offset from UTC, "
                                 "write it as 09:00 -10:00; write it as YYYY-MM-DD HH:MM, such as 2020-02-20 16:40")


@pytest.mark.parametrize(("text", "days"), [
    ("20\u201322 February 2020", "20-22"), ("February 20-22, 2020", "20-22"), ("Feb 20 - 22 2020 10:00", "20 - 22"),
], ids=["en dash", "month first", "spaced"])
def test_a_range_of_days_is_told_as_one_not_as_a_two_digit_year(text, days):
    """Its end was read as a year: 'a two-digit year could be in any century; write the year in full'."""
    with pytest.raises(DateError, match="^is not a date$") as raised:
        parse_date(text, timezone.utc)
    assert raised.value.hint == f"{days} is a range of days: keep the one meant; write it as YYYY-MM-DD HH:MM, such as 2020-02-20 16:40"


@pytest.mark.parametrize("text", ["20 Feb 2020 16:40 -05", "20-Feb-2020 16:40", "Thu, 20 Feb 2020 16:40:00 -0500"])
def test_a_dash_in_a_written_date_that_spans_no_days_is_read_as_before(text):
    assert parse_date(text, timezone.utc).date().isoformat() == "2020-02-20"


def test_the_way_a_range_hint_writes_an_offset_is_read_as_one():
    assert parse_date("20 Feb 2020 09:00 -10:00", timezone.utc).isoformat() == "2020-02-20T19:00:00+00:00"


def test_a_range_whose_end_is_no_offset_is_not_offered_as_one(make_site):
    assert problems_of(make_site({ENTRY: entry_yaml(published='"20 February 2020, 16:40\u201418:00"')})) == [
        f'{ENTRY}:3:12: published: "20 February 2020, 16:40\u201418:00" is not a date; 16:40\u201418:00 is a range of '
        "times: keep the one meant; write it as YYYY-MM-DD HH:MM, such as 2020-02-20 16:40"]


def test_a_minus_sign_in_an_offset_is_no_second_time_of_day_to_drop(make_site):
    """The hint was to keep one of the two times: the story would have gone out five hours off."""
    assert problems_of(make_site({ENTRY: entry_yaml(published='"2026-11-20 09:00 \u221205:00"')})) == []


@pytest.mark.parametrize(("text", "utc"), [
    ("2020-02-20 16:40:00.000 +03:00", "2020-02-20T13:40:00+00:00"),
    ("2001-12-14 21:59:43.10 -05:00", "2001-12-15T02:59:43.100000+00:00"),
    ("2020-02-20T16:40:00.5 +0300", "2020-02-20T13:40:00.500000+00:00"),
], ids=["milliseconds", "YAML's own example", "a tenth"])
def test_a_time_with_a_fraction_of_a_second_and_a_space_before_its_offset_is_read(text, utc):
    assert parse_date(text, timezone.utc).isoformat() == utc


@pytest.mark.parametrize(("text", "utc"), [
    ("2026-W49-4", "2026-12-03T00:00:00+00:00"),
    ("2026-W49-4T09:00", "2026-12-03T09:00:00+00:00"),
    ("2026W494T0900+01:00", "2026-12-03T08:00:00+00:00"),
], ids=["a day", "a day and a time", "compact, with an offset"])
def test_an_iso_week_date_is_read(text, utc):
    assert parse_date(text, timezone.utc).isoformat() == utc


def test_an_iso_week_date_alone_is_its_first_moment_where_the_clocks_skip_midnight():
    assert parse_date("2024-W17-5", ZoneInfo("Africa/Cairo")).isoformat() == "2024-04-25T22:00:00+00:00"


@pytest.mark.parametrize(("text", "utc"), [
    ("3 Dec 2026 9.30am", "2026-12-03T09:30:00+00:00"),
    ("3 December 2026, 9.30 p.m.", "2026-12-03T21:30:00+00:00"),
    ("3 Dec 2026 21.30", "2026-12-03T21:30:00+00:00"),
    ("2026-12-03 09.30", "2026-12-03T09:30:00+00:00"),
], ids=["am", "p.m.", "24-hour", "after an ISO date"])
def test_a_time_written_with_a_dot_as_british_style_has_it_is_read(text, utc):
    assert parse_date(text, timezone.utc).isoformat() == utc


@pytest.mark.parametrize(("text", "utc"), [
    ("2026年11月11日 09:30", "2026-11-11T09:30:00+00:00"),
    ("2026年1月5日", "2026-01-05T00:00:00+00:00"),
    ("2026年11月11日09:30", "2026-11-11T09:30:00+00:00"),
    ("2026년 11월 11일 9:30", "2026-11-11T09:30:00+00:00"),
    ("\uff12\uff10\uff12\uff16\uff0d\uff11\uff11\uff0d\uff11\uff11\u3000\uff10\uff19\uff1a\uff13\uff10", "2026-11-11T09:30:00+00:00"),
    ("\u0662\u0660\u0662\u0666-\u0661\u0661-\u0661\u0661 \u0660\u0669:\u0663\u0660", "2026-11-11T09:30:00+00:00"),
    ("\u0968\u0966\u0968\u096c-\u0967\u0967-\u0967\u0967", "2026-11-11T00:00:00+00:00"),
], ids=["year, month and day in kanji", "one-digit month and day", "the time written close", "in hangul", "full-width, as a Japanese input "
        "method types it", "Arabic-Indic digits", "Devanagari digits"])
def test_a_date_written_the_east_asian_way_or_in_the_digits_of_another_script_is_read(text, utc):
    """A Japanese desk's 2026年11月11日 and an Arabic keyboard's ٢٠٢٦-١١-١١ were 'not a date'."""
    assert parse_date(text, timezone.utc).isoformat() == utc


@pytest.mark.parametrize(("language", "text", "utc"), [
    ("de", "11. Dezember 2026 09:30", "2026-12-11T09:30:00+00:00"),
    ("de-AT", "Freitag, 11. Dez. 2026 um 09:30 Uhr", "2026-12-11T09:30:00+00:00"),
    ("es", "11 de diciembre de 2026", "2026-12-11T00:00:00+00:00"),
    ("fr", "le 11 décembre 2026 à 09:30", "2026-12-11T09:30:00+00:00"),
    ("ar", "11 ديسمبر 2026", "2026-12-11T00:00:00+00:00"),
    ("ar", "11 كانون الأول 2026", "2026-12-11T00:00:00+00:00"),
    ("ar", "11 ابريل 2026", "2026-04-11T00:00:00+00:00"),
    ("pl", "11 listopada 2026 r.", "2026-11-11T00:00:00+00:00"),
    ("hr", "11. listopada 2026.", "2026-10-11T00:00:00+00:00"),
    ("ru", "11 декабря 2026 г. 09:30", "2026-12-11T09:30:00+00:00"),
    ("el", "Παρασκευή 11 Δεκεμβρίου 2026", "2026-12-11T00:00:00+00:00"),
    ("de", "11 December 2026 09:30", "2026-12-11T09:30:00+00:00"),
    ("el", "11 Μαΐου 2026", "2026-05-11T00:00:00+00:00"),
    ("fi", "11. joulukuuta 2026", "2026-12-11T00:00:00+00:00"),
    ("sk", "11. decembra 2026", "2026-12-11T00:00:00+00:00"),
    ("pt", "sexta-feira, 11 de dezembro de 2026", "2026-12-11T00:00:00+00:00"),
    ("he", "יום שישי, 11 דצמבר 2026", "2026-12-11T00:00:00+00:00"),
    ("lv", "2026. gada 11. decembrī 09:30", "2026-12-11T09:30:00+00:00"),
    ("sl", "11. januarja 2026", "2026-01-11T00:00:00+00:00"),
    ("de-AT", "11. Feber 2026", "2026-02-11T00:00:00+00:00"),
], ids=["German", "Austrian, with its weekday and words", "Spanish", "French", "Arabic", "the Levant's Arabic",
        "Arabic with no hamza", "Polish", "Croatian", "Russian", "Greek", "English on any site",
        "Greek's May, its letter with two marks", "Finnish's genitive", "Slovak's genitive", "Portuguese's weekday",
        "Hebrew's weekday", "Latvian's locative and year", "Slovene's genitive", "Austrian's February"])
def test_a_date_written_out_in_the_sites_language_is_read(language, text, utc):
    """`11. Dezember 2026 09:30` was 'not a date' on a site in German: dateutil reads English names only."""
    assert parse_date(text, timezone.utc, language).isoformat() == utc


@pytest.mark.parametrize(("language", "text", "hint"), [
    ("ar", "11. Dezember 2026 09:30",
     "Dezember is December in de, not in the site's language (ar); write it as 2026-12-11 09:30"),
    ("en", "11 de diciembre de 2026",
     "diciembre is December in es, not in the site's language (en); write it as 2026-12-11"),
    ("de", "11 listopada 2026 10:00+01:00",
     "listopada is October in hr and November in pl, not in the site's language (de); "
     "write it as 2026-10-11 10:00+01:00 or 2026-11-11 10:00+01:00"),
    ("en", "11 mai 2026", "mai is May in de, et, fr, gl, lv, nb, nn, pt or ro, not in the site's language (en); "
     "write it as 2026-05-11"),
    ("en", "Freitag, 11 December 2026",
     "Freitag is Friday in de, not in the site's language (en); write it as 2026-12-11"),
    ("en", "Mittwoch, 11 December 2026",
     "Mittwoch is Wednesday in de, not in the site's language (en), and 11 December 2026 was a Friday: check the day "
     "and the date; write it as 2026-12-11"),
], ids=["German on an Arabic site", "Spanish on an English site", "a name two languages give two months",
        "a name of many languages", "a German weekday beside an English month",
        "a German weekday not the date's"])
def test_a_date_written_out_in_another_language_is_refused_with_the_iso_form_of_that_date(language, text, hint):
    with pytest.raises(DateError, match="^is not a date$") as refused:
        parse_date(text, timezone.utc, language)
    assert refused.value.hint == hint


@pytest.mark.parametrize("language", sorted(months.LANGUAGES))
def test_every_name_cldr_gives_a_month_or_day_is_read_as_that_month_or_day(language):
    """The names come from glibc's locale data; CLDR (through Babel) is how most software
    writes dates. Each of its names, as a date takes it and alone, must read as meant: Finnish
    and Slovak dates name the month in the genitive (`11. joulukuuta 2026`, `11. decembra
    2026`), which glibc's lists leave out, and Portuguese days are `segunda-feira`."""
    locale = babel.Locale.parse(language)
    for context in ("format", "stand-alone"):
        month_names = babel.dates.get_month_names("wide", context, locale=locale)
        assert [name for number, name in month_names.items()
                if parse_date(f"11 {name} 2026", timezone.utc, language).month != number] == []
        day_names = babel.dates.get_day_names("wide", context, locale=locale)
        assert [name for number, name in day_names.items()
                if months.in_english(name, language).casefold() != months.ENGLISH_DAYS[number].casefold()] == []


def test_a_site_in_german_reads_its_entries_dates_in_german(make_site):
    site_yaml = SITE_YAML + "language: de\n"
    assert problems_of(make_site({ENTRY: entry_yaml(published='"11. Dezember 2026 09:30"')}, site_yaml=site_yaml)) == []


def test_a_day_and_month_that_could_swap_are_refused_in_any_scripts_digits():
    """As they were before other scripts' digits were read as ASCII's."""
    with pytest.raises(DateError, match="^is ambiguous$"):
        parse_date("\u0660\u0662/\u0660\u0663/\u0662\u0660\u0662\u0660", timezone.utc)


@pytest.mark.parametrize("text", ["20.02.2020 16:40", "31.12.2026"])
def test_a_date_written_with_dots_is_still_a_date(text):
    assert parse_date(text, timezone.utc).hour in (16, 0)


@pytest.mark.parametrize(("text", "utc"), [
    ("2020-02-20+05:00", "2020-02-19T19:00:00+00:00"),
    ("2020-02-20 \u221205:00", "2020-02-20T05:00:00+00:00"),
    ("2020-02-20Z", "2020-02-20T00:00:00+00:00"),
    ("2026-W49-4+01:00", "2026-12-02T23:00:00+00:00"),
], ids=["XML Schema's date", "a spaced minus sign", "Z", "a week date"])
def test_a_day_with_an_offset_is_its_midnight_at_that_offset_not_a_time_on_the_site_clock(text, utc):
    assert parse_date(text, ZoneInfo("Europe/Istanbul")).isoformat() == utc


def test_a_week_date_with_a_time_written_with_a_dot_is_refused_not_read_as_a_fraction_of_an_hour():
    with pytest.raises(DateError, match="^is not a date$"):
        parse_date("2020-W09-4T16.40", timezone.utc)


@pytest.mark.parametrize(("text", "hint"), [
    ("3 4 2020", "it could be 3 April or 4 March; write it as 2020-04-03 or 2020-03-04"),
    ("12-1, 2020", "it could be 12 January or 1 December; write it as 2020-01-12 or 2020-12-01"),
    ("9/1 \u2013 2020", "it could be 9 January or 1 September; write it as 2020-01-09 or 2020-09-01"),
], ids=["spaces", "a dash and a comma", "a slash and an en dash"])
def test_an_all_numeric_date_whose_day_and_month_could_swap_is_refused_whatever_parts_them(text, hint):
    with pytest.raises(DateError, match="^is ambiguous$") as raised:
        parse_date(text, timezone.utc)
    assert raised.value.hint == hint
