"""Properties that hold for any input: text survives every format or is refused clearly,
category slugs are safe and stable, and dates read back as the instant they were written."""

from __future__ import annotations

import email.utils
import html
import json
import re
import unicodedata
from datetime import datetime, timedelta, timezone
from pathlib import Path

import feedparser
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feeds.build import build_site, check_site
from feeds.characters import prose as read_as_prose
from feeds.content import ELLIPSIS, truncate
from feeds.dates import EARLIEST_YEAR, DateError, parse_date
from feeds.slugs import ascii_slug, slugify
from feeds.urls import IdError, URLError, absolute_url, escape_not_utf8, id_form, normal_id, resolve

from .conftest import SITE_YAML

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


def uncarriable(text: str) -> bool:
    """What XML 1.0 cannot carry, or discourages and readers misread: C0/C1 controls, noncharacters."""
    return any((ord(char) < 0x20 and char not in "\t\n\r") or 0x7F <= ord(char) <= 0x9F
               or 0xFDD0 <= ord(char) <= 0xFDEF or ord(char) & 0xFFFE == 0xFFFE for char in text)


def collapsed(text: str) -> str:
    """A name as read: every kind of space joined as one."""
    return " ".join(text.split())


def prose(text: str) -> str:
    """A title or summary as read: spaces, tabs and line breaks (Unicode's line and paragraph
    separators too) joined; no-break and thin spaces kept inside; a space of any kind trimmed
    at the ends."""
    return re.sub(r"[ \t\r\n\u2028\u2029]+", " ", text).strip()


def blank(text: str) -> bool:
    """Nothing a reader would see: spaces and invisible format characters (U+200B, U+FEFF)."""
    return all(char.isspace() or unicodedata.category(char) == "Cf" for char in text)


def encoded_twice(text: str) -> bool:
    """UTF-8 read as Latin-1 ("CafÃ©"), whole or between no-break spaces, which a body's HTML
    writes as &nbsp;: readers such as feedparser would repair it, so it is refused."""
    def repaired(view: str) -> bool:
        try:
            return view.encode("latin-1").decode("utf-8") != view
        except UnicodeError:
            return False

    return not text.isascii() and (repaired(text) or repaired(text.replace("\xa0", "&nbsp;")))


def refusable(text: str, flatten: bool = True, is_prose: bool = False) -> bool:
    """Refused as the loader sees it, or as the field reads once its whitespace is joined (or stripped)."""
    read = (prose(text) if is_prose else collapsed(text)) if flatten else text.strip()
    return uncarriable(text) or encoded_twice(read) or blank(read)


BUILDS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
TEXT = st.text(st.characters(codec="utf-8"), max_size=40)


def write_site(root: Path, fields: dict[str, str]) -> Path:
    """A one-entry site whose fields are written with a YAML emitter, so any text can be said."""
    (root / "items").mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    entry = {"title": "Storm", "link": "/news/storm", "published": "2020-02-20 16:40", **fields}
    (root / "items" / "a.yaml").write_text(yaml.safe_dump(entry, allow_unicode=True, width=10_000), encoding="utf-8")
    return root


def read_back(publish: Path) -> dict[str, dict[str, str]]:
    """Title, summary and body HTML of the one item, as each format's reader sees them."""
    found = {}
    for name in ("rss.xml", "atom.xml"):
        parsed = feedparser.parse((publish / name).read_bytes(), sanitize_html=False, resolve_relative_uris=False)
        assert parsed.bozo == 0, parsed.get("bozo_exception")
        item = parsed.entries[0]
        found[name] = {"title": shown(item.title_detail), "summary": shown(item.summary_detail),
                       "body": item.content[0].value if "content" in item else None}
    item = json.loads((publish / "feed.json").read_text(encoding="utf-8"))["items"][0]
    found["feed.json"] = {"title": item["title"], "summary": item["summary"], "body": item.get("content_html")}
    return found


def shown(detail: feedparser.FeedParserDict) -> str:
    """What a reader shows: text as it is, HTML rendered (its entities undone)."""
    return html.unescape(detail.value) if detail.type == "text/html" else detail.value


def is_refused_clearly(root: Path) -> bool:
    """The check failed, and every problem is one printable line naming the entry."""
    problems = check_site(root).problems
    assert all(problem.path == "items/a.yaml" and "\n" not in str(problem) for problem in problems)
    return bool(problems)


@BUILDS
@given(title=TEXT, summary=TEXT)
def test_any_title_and_summary_reach_every_format_intact_or_are_refused(tmp_path_factory, title, summary):
    root = write_site(tmp_path_factory.mktemp("site"), {"title": title, "summary": summary})
    unusable = refusable(title, is_prose=True) or refusable(summary, is_prose=True)
    if is_refused_clearly(root):
        assert unusable
        return
    assert not unusable
    result = build_site(root, now=NOW)
    for found in read_back(result.out_dir).values():
        assert (found["title"], found["summary"]) == (prose(title), prose(summary))


@BUILDS
@given(body=TEXT)
def test_any_body_reaches_every_format_as_the_same_html_or_is_refused(tmp_path_factory, body):
    root = write_site(tmp_path_factory.mktemp("site"), {"summary": "Ports shut.", "body": body})
    if is_refused_clearly(root):
        assert refusable(body, flatten=False)
        return
    bodies = {found["body"] for found in read_back(build_site(root, now=NOW).out_dir).values()}
    assert len(bodies) == 1


@BUILDS
@given(words=st.lists(st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), min_size=1, max_size=8),
                      min_size=1, max_size=4))
def test_body_words_reach_every_format(tmp_path_factory, words):
    body = " ".join(re.sub(r"[\W_]", "", word) or "x" for word in words)
    root = write_site(tmp_path_factory.mktemp("site"), {"summary": "Ports shut.", "body": body})
    if is_refused_clearly(root):
        assert refusable(body, flatten=False)
        return
    for found in read_back(build_site(root, now=NOW).out_dir).values():
        assert found["body"] == f"<p>{body.strip()}</p>"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_slugs_are_one_safe_folder_name(text):
    slug = slugify(text)
    assert "/" not in slug and "\\" not in slug and ".." not in slug
    assert not slug.startswith("-") and not slug.endswith("-")
    assert slug not in (".", "..")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_slugs_are_stable(text):
    assert slugify(slugify(text)) == slugify(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_ascii_slugs_are_ascii_one_folder_name_and_there_whenever_the_unicode_one_is(text):
    slug = ascii_slug(text)
    assert slug.isascii() and "/" not in slug and "." not in slug and not slug.endswith("-")
    assert slug or not slugify(text)  # a category with a Unicode slug has an ASCII one


@given(st.sampled_from(["İstanbul", "Istanbul", "ISTANBUL", "istanbul"]), st.sampled_from(["İstanbul", "ıstanbul"]))
def test_names_that_differ_only_in_case_share_a_slug_the_turkish_dotted_i_too(name, other):
    assert slugify(name) == "istanbul"
    assert (slugify(other) == slugify(name)) == (other == "İstanbul")


@pytest.mark.parametrize(("name", "other"), [("News", "Ｎｅｗｓ"), ("finance", "ﬁnance"), ("CO2", "CO₂"), ("F1", "Ｆ１"),
                                             ("", "¸"), ("a-b", "a¸b")])
def test_names_that_differ_only_in_compatibility_forms_share_a_slug(name, other):
    """Fullwidth letters an input method types, a ligature pasted from a PDF, a subscript:
    one category to a reader (Unicode's compatibility forms, NFKC)."""
    assert slugify(other) == slugify(name)


@BUILDS
@given(category=st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), min_size=1, max_size=20))
def test_a_category_is_refused_or_gets_a_feed_inside_categories(tmp_path_factory, category):
    root = write_site(tmp_path_factory.mktemp("site"), {"summary": "Ports shut.", "categories": [category]})
    if is_refused_clearly(root):
        assert (not slugify(category) or ".." in re.split(r"[/\\]", collapsed(category)) or refusable(category)
                or re.match(r"-[^\s\d-]", collapsed(category)))  # "-News": a list item that lost its space
        return
    publish = build_site(root, now=NOW).out_dir
    folder = publish / "categories" / slugify(collapsed(category))
    assert slugify(collapsed(category)) and (folder / "rss.xml").is_file()
    assert folder.resolve().parent == (publish / "categories").resolve()


OFFSETS = st.integers(min_value=-14 * 60, max_value=14 * 60).map(lambda m: timezone(timedelta(minutes=m)))  # every offset a zone can have
MOMENTS = st.datetimes(min_value=datetime(EARLIEST_YEAR, 1, 2), max_value=datetime(9999, 12, 30), timezones=OFFSETS)


@settings(max_examples=300, deadline=None)
@given(moment=MOMENTS, separator=st.sampled_from(["T", " "]))
def test_iso_8601_dates_read_back_as_the_same_instant(moment, separator):
    assert parse_date(moment.isoformat(separator), timezone.utc) == moment


@settings(max_examples=300, deadline=None)
@given(moment=MOMENTS.filter(lambda moment: moment.year >= 100).map(lambda moment: moment.replace(microsecond=0)))
def test_rfc_2822_dates_read_back_as_the_same_instant(moment):
    assert parse_date(email.utils.format_datetime(moment), timezone.utc) == moment


@settings(max_examples=100, deadline=None)
@given(moment=MOMENTS.map(lambda moment: moment.replace(microsecond=0, tzinfo=None)))
def test_dates_without_an_offset_are_read_in_the_given_zone(moment):
    zone = timezone(timedelta(hours=3))
    assert parse_date(moment.isoformat(" "), zone) == moment.replace(tzinfo=zone)


@given(st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(EARLIEST_YEAR - 1, 12, 30), timezones=OFFSETS))
def test_dates_before_the_earliest_year_are_refused_in_every_form(moment):
    for text in (moment.isoformat(), moment.strftime("%d %b %Y %H:%M:%S %z")):
        with pytest.raises(DateError, match=f"before the year {EARLIEST_YEAR}|ambiguous"):
            parse_date(text, timezone.utc)


def test_yaml_emitter_writes_what_the_loader_reads(tmp_path):
    """The property tests' own assumption: quoted YAML text is read back exactly."""
    root = write_site(tmp_path, {"title": "yes", "summary": "  NO  "})
    entry = check_site(root).entries[0]
    assert (entry.title, entry.summary) == ("yes", "NO")


# --- URLs: the quick way agrees with the long way ------------------------------------------

url_paths = st.lists(st.sampled_from([*"/./aZ9-_~!$&'()*+,;=:@%?#[] ", "é", "u\u0308", "%7e", "%2E", "%41", "%2F",
                                      "%CC%88"]), max_size=16).map("".join)
bases = st.sampled_from(["https://news.example.com/", "http://news.example.com", "https://News.Example.com/a/b",
                         "https://news.example.com:8443/x", "https://xn--bcher-kva.example/", "https://a..b/",
                         "https://user@news.example.com/", "https://news.example.com/news/story?x=1#y"])


@given(st.one_of(url_paths, url_paths.map(lambda path: "/" + path)), bases)
def test_urls_resolve_the_same_by_the_quick_way_and_the_long_way(path: str, base: str) -> None:
    try:
        expected: str | type[URLError] = resolve(path.strip(), base)
    except URLError:
        expected = URLError
    try:
        assert absolute_url(path, base) == expected
    except URLError:
        assert expected is URLError


url_hosts = st.sampled_from(["news.example.com", "News.example.com", "a-b.example", "xn--bcher-kva.de", "bücher.de",
                             "example.com:8443", "user@example.com", "a..b", "-x.example", "x-.example", "a_b.example",
                             "x.example:0", "1.2.3.4", "x.example.", "x.example..", "127.1", "a1.2.3.4",
                             "1.2.3.256", "news.2020", ""])


@given(st.one_of(url_paths, url_paths.map(lambda path: "/" + path)), bases)
def test_a_url_in_normal_form_is_kept_as_it_is(path: str, base: str) -> None:
    try:
        normal = absolute_url(path, base)
    except URLError:
        return
    assert absolute_url(normal, base) == normal


@given(st.sampled_from(["https://", "http://", "HTTPS://", "https:/"]), url_hosts, url_paths, bases)
def test_absolute_urls_resolve_the_same_by_the_quick_way_and_the_long_way(scheme: str, host: str, rest: str,
                                                                         base: str) -> None:
    url = scheme + host + rest
    try:
        expected: str | type[URLError] = resolve(url.strip(), base)
    except URLError:
        expected = URLError
    try:
        assert absolute_url(url, base) == expected
    except URLError:
        assert expected is URLError


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "é", "e\u0301", "👍", "\U0001f3fd", "\u200d", "👨", "🇹", "🇷", " "]),
                max_size=40).map("".join), st.integers(2, 40))
def test_a_derived_summary_is_cut_between_characters_a_reader_sees(text, limit):
    import regex

    summary = truncate(text, limit)
    assert len(summary) <= limit
    if summary != text:
        kept = summary[: -len(ELLIPSIS)]
        ends = {match.end() for match in regex.finditer(r"\X", text)} | {0}
        assert text.startswith(kept) and len(kept) in ends


@pytest.mark.parametrize(("written", "normal"), [
    ("HTTPS://News.Example.COM:443/a", "https://news.example.com/a"), ("http://x.example:80/a", "http://x.example/a"),
    ("https://x.example:/a", "https://x.example/a"), ("https://x.example:8443/a", "https://x.example:8443/a"),
    ("http://x.example:443/", "http://x.example:443/"),
])
def test_a_link_written_with_its_schemes_own_port_is_the_same_link(written, normal):
    assert absolute_url(written, "https://news.example.com/") == normal


@pytest.mark.parametrize(("written", "normal"), [
    ("/news/%c3%bc", "https://news.example.com/news/%C3%BC"), ("/news/ü", "https://news.example.com/news/%C3%BC"),
    ("https://NEWS.example.com/news/%c3%bc?q=%e2%82%ac#%2f", "https://news.example.com/news/%C3%BC?q=%E2%82%AC#%2F"),
])
def test_percent_escapes_are_written_in_upper_case_so_one_link_is_one_story(written, normal):
    assert absolute_url(written, "https://news.example.com/") == normal


@pytest.mark.parametrize(("written", "normal"), [
    ("/%7Ez", "https://news.example.com/~z"), ("/~z", "https://news.example.com/~z"),
    ("/%41%2d%30?q=%41#%41", "https://news.example.com/A-0?q=A#A"),
    ("/a%2Fb%3F?q=%26%3D#%23", "https://news.example.com/a%2Fb%3F?q=%26%3D#%23"),
])
def test_an_escaped_letter_digit_or_mark_is_that_character_so_one_link_is_one_story(written, normal):
    assert absolute_url(written, "https://news.example.com/") == normal


@pytest.mark.parametrize(("written", "normal"), [
    ("/a#b#c", "https://news.example.com/a#b%23c"),
    ("/a[1]?b[]=1#c[2]", "https://news.example.com/a%5B1%5D?b%5B%5D=1#c%5B2%5D"),
])
def test_a_character_that_part_of_a_url_cannot_hold_is_escaped(written, normal):
    assert absolute_url(written, "https://news.example.com/") == normal


@pytest.mark.parametrize(("written", "normal"), [
    ("https://news.example.com/a/../b/./c", "https://news.example.com/b/c"), ("/a/%2E%2E/b", "https://news.example.com/b"),
    ("https://news.example.com/a/%2e", "https://news.example.com/a/"),
])
def test_dot_segments_are_resolved_however_the_url_is_written(written, normal):
    assert absolute_url(written, "https://news.example.com/") == normal


@pytest.mark.parametrize(("written", "normal"), [("/u\u0308", "https://news.example.com/u%CC%88"),
                                               ("/u%CC%88", "https://news.example.com/u%CC%88"),
                                               ("/%C3%BC", "https://news.example.com/%C3%BC")])
def test_the_bytes_a_url_spells_are_kept_as_written(written, normal):
    """cafe%CC%81 (as macOS names files) and caf%C3%A9 are two paths to a server: a link keeps its own."""
    assert absolute_url(written, "https://news.example.com/") == normal


PATH_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc", "Zs", "Zl", "Zp"],
                                  exclude_characters="\\%#?"), min_size=1, max_size=12)


@given(text=PATH_TEXT)
def test_an_id_is_one_however_its_letters_are_composed_and_an_id_in_nfc_is_the_link_itself(text):
    """As the W3C validator compares Atom ids (RFC 3987): in NFC. A link already so (most are) is its own id."""
    try:
        composed = absolute_url("/" + unicodedata.normalize("NFC", text), "https://news.example.com/")
        decomposed = absolute_url("/" + unicodedata.normalize("NFD", text), "https://news.example.com/")
    except URLError:
        return
    assert id_form(decomposed) == id_form(composed) == composed
    assert id_form(id_form(decomposed)) == id_form(decomposed)
    assert escape_not_utf8(composed) is None


@pytest.mark.parametrize(("url", "form"), [
    ("https://news.example.com/a%2Fcafe%CC%81?q=cafe%CC%81#%23", "https://news.example.com/a%2Fcaf%C3%A9?q=caf%C3%A9#%23"),
    ("https://news.example.com/%E2%84%AB", "https://news.example.com/%C3%85"),  # the Ångström sign is Å
    ("tag:news.example.com,2020:cafe%CC%81", "tag:news.example.com,2020:caf%C3%A9"),
    ("https://news.example.com/caf%E9", "https://news.example.com/caf%E9"),  # no UTF-8 text: no normal form
])
def test_an_ids_escaped_text_is_written_in_nfc_and_its_reserved_escapes_are_kept(url, form):
    assert id_form(url) == form


@pytest.mark.parametrize("given", ["tag:news.example.com,2020:caf%E9", "https://news.example.com/a%ED%A0%80b",
                                   "https://news.example.com/%C0%AF"])
def test_a_given_id_whose_escapes_spell_no_utf8_text_is_refused(given):
    with pytest.raises(IdError) as refused:
        normal_id(given)
    assert str(refused.value).endswith("does not: the W3C validator warns that such an id is not in normal form")


def test_a_host_name_ending_in_a_dot_is_the_same_host():
    assert absolute_url("https://News.Example.com./a", "https://news.example.com/") == "https://news.example.com/a"


@pytest.mark.parametrize(("written", "why"), [
    ("https://news.example.com/a%zz", "which has a % not followed by two hex digits (a percent sign is %25)"),
    ("https://news.example.com:0/a", "whose port 0 no server listens on"),
    ("https://news..example.com/a", "whose host name is not valid"),
    ("https://news.example.com../a", "whose host name is not valid"),
    ("https://-news-.example.com/a", "whose host name is not valid"),
    ("https://ex\u200bample.com/a", "whose host name has an invisible character in it (a zero-width space or joiner)"),
    ("https://a1.2.3.4/a", "whose host name ends in a number but is not an IP address"),
    ("https://news.2020/a", "whose host name ends in a number but is not an IP address"),
    ("https://" + "9" * 5_000 + "/a", "whose host name ends in a number but is not an IP address"),
    ("https://1." + "9" * 5_000 + "/a", "whose host name ends in a number but is not an IP address"),
    ("https://news.example.com/a\u00a0", "which has a no-break space in it"),
    ("https://news.example.com/a b", "which has a space in it"),
    ("https://news.example.com/a\tb", "which has a tab in it"),
    ("https://news.example.com/a\nb", "which has a line break in it"),
])
def test_a_url_that_names_no_place_a_reader_could_reach_is_refused(written, why):
    """As browsers read it: only ASCII spaces at the ends are trimmed, and a host that ends
    in a number is an IPv4 address or nothing."""
    with pytest.raises(URLError) as refused:
        absolute_url(written, "https://news.example.com/")
    assert str(refused.value).endswith(why)


@pytest.mark.parametrize("given", ["http://", "https://", "tag:", "tag:news.example.com,2024:a<b>", 'urn:isbn:"q"',
                                   "javascript:alert(1)", "DATA:text/html,x", "urn:uuid:0f1e", "urn:x:1", "x-cms:1"])
def test_an_id_that_is_not_a_urn_tag_or_http_uri_to_its_rfc_is_refused(given):
    with pytest.raises(IdError):
        normal_id(given)


@pytest.mark.parametrize("given", ["https://x.example/a", "urn:uuid:0f9c5e1e-5a86-4a4e-9d8e-3f1b8f1f2a11",
                                   "urn:uuid:0F9C5E1E-5A86-4A4E-9D8E-3F1B8F1F2A11", "urn:isbn:0451450523",
                                   "urn:nbn:de:1234-5", "tag:news.example.com,2024:a&b", "tag:jo@news.example.com,2024-02:x#y",
                                   "tag:news.example.com,2024:caf%C3%A9", "info:doi/10.1000/182", "crid://broadcaster.example/1"])
def test_an_id_in_normal_form_is_kept_as_it_is(given):
    assert normal_id(given) == given


@pytest.mark.parametrize(("given", "normal"), [
    ("URN:UUID:0F9C5E1E-5A86-4A4E-9D8E-3F1B8F1F2A11", "urn:UUID:0F9C5E1E-5A86-4A4E-9D8E-3F1B8F1F2A11"),
    ("TAG:news.example.com,2024:x", "tag:news.example.com,2024:x"), ("HTTPS://News.Example.com/a", "https://news.example.com/a"),
])
def test_an_ids_scheme_is_written_in_lower_case_as_validators_compare_ids(given, normal):
    assert normal_id(given) == normal


@pytest.mark.parametrize(("given", "normal"), [
    ("tag:news.example.com,2024:café", "tag:news.example.com,2024:caf%C3%A9"),
    ("urn:isbn:caf%c3%a9%2d", "urn:isbn:caf%C3%A9-"), ("https://news.example.com/café", "https://news.example.com/caf%C3%A9"),
])
def test_an_ids_non_ascii_and_escapes_are_written_as_a_uri_in_normal_form(given, normal):
    assert normal_id(given) == normal


@pytest.mark.parametrize("written", ["http://1.2.3.4/a", "http://127.1/a", "http://0x7f.0.0.1/a", "http://2130706433/a"])
def test_an_ipv4_address_in_any_form_browsers_read_is_a_host(written):
    assert absolute_url(written, "https://news.example.com/") == written


@given(st.text(st.sampled_from(" \t\r\n\u00a0\u202f\u2028\u2029é a«»")))
def test_prose_joins_each_run_of_spaces_tabs_and_line_breaks_into_one_space(text):
    assert read_as_prose(text) == prose(text)
