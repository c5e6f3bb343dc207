"""Warnings: problems that do not make a file wrong. Printed by check and build, in every
format, at every build until fixed, and never changing the exit status."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from feeds.cli import main
from feeds.placeholders import SITE_DESCRIPTION

from .conftest import SITE_YAML, entry_yaml

EMBED = 'body: |\n  The storm, filmed from the harbour:\n\n  <iframe src="https://www.youtube.com/embed/abc"></iframe>\n'
ENTRY = "items/storm.yaml"
YOUTUBE_LINE = (f"{ENTRY}:5:7: warning: body: the YouTube embed (iframe) is removed: "
                "feeds cannot carry it; link to the video instead")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def passes_clean(make_site, capsys, files: dict[str, str], **site: str) -> bool:
    """Whether `feeds check` of a site of these files finds no problem, not even a warning."""
    return run(capsys, "check", str(make_site(files, **site)))[2].splitlines() == ["1 entry checked, no problems"]


def first_warning(make_site, capsys, files: dict[str, str], **site: str) -> str:
    """The first line `feeds check` prints of a site of these files, which must pass (exit 0)."""
    status, _, err = run(capsys, "check", str(make_site(files, **site)))
    assert status == 0
    return err.splitlines()[0]


def test_a_youtube_embed_is_a_warning_that_says_what_is_removed(make_site, capsys):
    root = make_site({ENTRY: entry_yaml(summary="Ports shut.") + EMBED})
    status, _, err = run(capsys, "check", str(root))
    assert status == 0
    assert err.splitlines() == [YOUTUBE_LINE, "1 warning in 1 of 1 entry", "1 entry checked, no errors"]


def test_a_build_with_warnings_publishes_and_exits_0(make_site, capsys):
    root = make_site({ENTRY: entry_yaml(summary="Ports shut.") + EMBED})
    status, _, err = run(capsys, "build", str(root), "--now", "2020-03-01")
    assert status == 0
    assert YOUTUBE_LINE in err.splitlines()
    assert "iframe" not in (root / "publish" / "rss.xml").read_text(encoding="utf-8")


def test_a_warning_shows_at_every_build_until_fixed_even_when_the_entry_comes_from_the_cache(make_site, capsys):
    root = make_site({ENTRY: entry_yaml(summary="Ports shut.") + EMBED,
                      "items/other.yaml": entry_yaml(title="Other", link="/news/other")})
    for _ in range(2):  # the second build changes nothing: everything comes from the cache
        assert YOUTUBE_LINE in run(capsys, "build", str(root), "--now", "2020-03-01")[2].splitlines()
    (root / "items/other.yaml").write_text(entry_yaml(title="Other, edited", link="/news/other"), encoding="utf-8")
    assert YOUTUBE_LINE in run(capsys, "build", str(root), "--now", "2020-03-01")[2].splitlines()
    assert YOUTUBE_LINE in run(capsys, "check", str(root))[2].splitlines()
    (root / ENTRY).write_text(entry_yaml(summary="Ports shut."), encoding="utf-8")
    assert ": warning: " not in run(capsys, "build", str(root), "--now", "2020-03-01")[2]


def test_json_format_gives_each_problem_its_severity(make_site, capsys):
    root = make_site({ENTRY: entry_yaml(summary="Ports shut.") + EMBED,
                      "items/bad.yaml": entry_yaml(link="/news/bad", published='"Feb 30 2020"')})
    status, out, _ = run(capsys, "check", str(root), "--format", "json")
    assert status == 1
    assert [(problem["path"], problem["severity"]) for problem in json.loads(out)] == [
        ("items/bad.yaml", "error"), (ENTRY, "warning")]


def test_github_format_annotates_a_warning_as_a_warning(make_site, capsys):
    root = make_site({ENTRY: entry_yaml(summary="Ports shut.") + EMBED})
    status, out, _ = run(capsys, "check", str(root), "--format", "github")
    assert status == 0
    assert out.startswith("::warning file=") and "title=html-removed::body: the YouTube embed" in out


def test_errors_and_warnings_are_counted_apart(make_site, capsys):
    root = make_site({ENTRY: entry_yaml(summary="Ports shut.") + EMBED,
                      "items/bad.yaml": entry_yaml(link="/news/bad", published='"Feb 30 2020"')})
    status, _, err = run(capsys, "build", str(root), "--now", "2020-03-01")
    assert status == 1
    assert "1 error and 1 warning in 2 of 2 entries" in err.splitlines()


def test_scripts_styles_event_handlers_and_javascript_links_are_each_named(make_site, capsys):
    body = ('body: |\n  <p onclick="track()" style="color: red">Ports shut.</p>\n\n'
            '  <script>track()</script>\n\n  <style>p {color: red}</style>\n\n'
            '  <a href="javascript:alert(1)">watch</a>\n')
    root = make_site({ENTRY: entry_yaml() + body})
    _, _, err = run(capsys, "check", str(root))
    messages = [line.split(": body: ", 1)[1] for line in err.splitlines() if ": warning: " in line]
    assert sorted(messages) == [
        "the event handler onclick= is removed: feeds cannot run scripts",
        'the link is removed (its text stays): expected an http(s), mailto or tel URL, or a relative one, found the '
        'javascript: URL "javascript:alert(1)"; write a path such as /news/story or a full https:// address',
        "the script is removed, with its code: feeds cannot run scripts",
        "the style block is removed, with its rules: feed readers use their own styles",
        "the style= attribute is removed: feed readers use their own styles"]


LINK_DROPPED = "the link is removed (its text stays): expected an http(s), mailto or tel URL, or a relative one, found "
HINT = "; write a path such as /news/story or a full https:// address"


@pytest.mark.parametrize("body, message", [
    ("See [the files](ftp://files.example/a).", LINK_DROPPED + 'the ftp: URL "ftp://files.example/a"' + HINT),
    ("[Watch](javascript:alert(1))", LINK_DROPPED + 'the javascript: URL "javascript:alert(1)"' + HINT),
    ('<a href="javascript&colon;alert(1)">Watch</a>', LINK_DROPPED + 'the javascript: URL "javascript:alert(1)"' + HINT),
    ("[Watch][v] and [again][v]\n\n[v]: javascript:alert(1)",
     LINK_DROPPED + 'the javascript: URL "javascript:alert(1)"' + HINT),
    ("[Read more]()", LINK_DROPPED + "empty text" + HINT),
    ("[Read more](https://a.example/%zz)",
     LINK_DROPPED + '"https://a.example/%zz", which has a % not followed by two hex digits (a percent sign is %25)' + HINT),
    ('<img src="/img/storm map.jpg" alt="Map">', "the image is removed (its alt text stays): expected an http(s), "
     'mailto or tel URL, or a relative one, found "/img/storm map.jpg", which has a space in it; '
     "write each space in the address as %20"),
    ("See [the desk](///desk).", LINK_DROPPED + '"///desk", which browsers read as "https://desk/", the host "desk": '
     'a path on the site starts with one /' + HINT),
], ids=["ftp", "javascript", "javascript&colon;", "javascript by reference", "empty", "bad percent", "space in src",
        "three slashes"])
def test_a_link_the_sanitiser_drops_is_a_warning_naming_it(body, message):
    from feeds.sanitise import removed_html

    assert [f"{removed}; {instead}" for removed, instead in removed_html(body)] == [message]


def test_a_link_the_sanitiser_drops_is_warned_of_in_check(make_site, capsys):
    root = make_site({ENTRY: entry_yaml() + "body: Call [the desk](ftp://files.example/a).\n"})
    assert run(capsys, "check", str(root))[2].splitlines()[0] == (
        f'{ENTRY}:5:7: warning: body: {LINK_DROPPED}the ftp: URL "ftp://files.example/a"{HINT}')


def test_the_fix_for_a_space_in_an_html_address_publishes_it(make_site, capsys):
    """The hint's fix must work: the report's file name is its own, spaces and all."""
    body = '<a href="/files/Annual%20Report.pdf">the report</a>'
    assert passes_clean(make_site, capsys, {ENTRY: entry_yaml(body=f"'{body}'")})
    assert published_body(make_site, capsys, body + "\n") == (
        '<p><a href="https://news.example.com/files/Annual%20Report.pdf">the report</a></p>')


def test_a_picture_is_carried_as_its_image_with_no_warning(make_site, capsys):
    """Its other sources are the same picture in other sizes: the warnings said media was
    removed, 'link to it instead', of a photo every reader showed."""
    body = '<picture><source srcset="flood.webp" type="image/webp"><img src="flood.jpg" alt="Flood"></picture>'
    assert passes_clean(make_site, capsys, {ENTRY: entry_yaml(body=f"'{body}'")})
    assert published_body(make_site, capsys, body + "\n") == '<p><img src="https://news.example.com/news/flood.jpg" alt="Flood"></p>'


def test_a_picture_with_no_image_is_a_warning_that_it_is_removed(make_site, capsys):
    body = '\'<picture><source srcset="flood.webp"></picture>\''
    assert first_warning(make_site, capsys, {ENTRY: entry_yaml(body=body)}) == (
        f"{ENTRY}:4:7: warning: body: the picture (<picture>) is removed: feeds carry a picture's <img src=> alone, "
        "and it has none; give it an <img src=> with the picture's address")


def test_links_the_sanitiser_carries_are_not_warnings():
    from feeds.sanitise import removed_html

    body = ('[a](/news/x) [b](https://a.example/y?q=1&r=2 "Y") [c](<https://a.example/a b>) [d](#notes) '
            "[e](mailto:desk@news.example.com) ![f](pic.jpg) [sic]: as said\n\n[g][r]\n\n[r]: //a.example/r")
    assert removed_html(body) == []


def test_a_tel_link_is_carried_so_a_reader_can_call_the_hotline_and_is_no_warning():
    from feeds.sanitise import markdown_html, removed_html, sanitise_html

    body = 'Call [116 123](tel:116123) or <a href="TEL:+44-20-7946-0000">the desk</a>.'
    assert sanitise_html(markdown_html(body), "https://news.example.com/news/x") == (
        '<p>Call <a href="tel:116123">116 123</a> or <a href="TEL:+44-20-7946-0000">the desk</a>.</p>')
    assert removed_html(body) == []


def test_a_body_with_no_markup_and_plainly_carried_links_is_not_rendered_to_look(monkeypatch):
    """Most bodies: the look at the raw text costs a few searches, not a render."""
    from feeds import sanitise

    monkeypatch.setattr(sanitise, "markdown_html", None)
    assert sanitise.removed_html("Ports shut. [Our report](/news/x) and ![the map](map.png) say why.\n\nMore.") == []


@pytest.mark.parametrize("body, message", [
    ("<noscript>Enable JavaScript to see the map.</noscript>",
     "the <noscript> element is removed, with its contents: feeds do not carry it"),
    ("<xmp><b>bold</b></xmp>", "the <xmp> element is removed, with its contents: feeds do not carry it; "
     "to show code, indent it four spaces or fence it with ```"),
    ("Ports shut.\n\n<plaintext>code\n\nMore.", "the <plaintext> element is removed, with all of the body after it: "
     "feeds do not carry it; to show code, indent it four spaces or fence it with ```"),
    ("<math><mi>x</mi><mo>=</mo><mn>2</mn></math>",
     "the <math> element is removed, with its contents: feeds do not carry it; write the formula as text"),
    ("<video src=clip.mp4>Your browser cannot play it.</video>",
     "the embedded media (<video>) is removed: feeds cannot carry it; link to it instead"),
], ids=["noscript", "xmp", "plaintext", "math", "video"])
def test_an_element_removed_with_its_contents_is_a_warning_that_says_so(body, message):
    from feeds.sanitise import removed_html

    assert [f"{removed}; {instead}" if instead else removed for removed, instead in removed_html(body)] == [message]


def test_markup_shown_as_code_and_markup_feeds_carry_are_not_warnings(make_site, capsys):
    body = 'body: |\n  Write `<script>` to run code. <b>Bold</b> and <a href="/news/x">a link</a>.\n'
    root = make_site({ENTRY: entry_yaml() + body})
    assert run(capsys, "check", str(root))[2] == "1 entry checked, no problems\n"


def test_a_site_description_left_as_feeds_init_wrote_it_is_a_warning(make_site, capsys):
    site_yaml = SITE_YAML.replace("Test stories from a test desk.", SITE_DESCRIPTION)
    root = make_site({ENTRY: entry_yaml()}, site_yaml=site_yaml)
    status, _, err = run(capsys, "build", str(root), "--now", "2020-03-01")
    assert status == 0
    assert err.splitlines()[0] == ("site.yaml:3:14: warning: description: still says what feeds init wrote, which "
                                   "readers see under the feed's title; describe your site in a sentence, such as "
                                   "description: News from our desk")
    assert (root / "publish" / "rss.xml").exists()


PIECES = ["Ports shut. ", "<b>bold</b> ", '<a href="/news/x">x</a> ', '<a href="https://a.example/">a</a> ',
          '<img src="pic.jpg" alt="p"> ', '<a href="mailto:desk@news.example.com">m</a> ', "`<script>` ",
          '<iframe src="https://www.youtube.com/embed/x"></iframe> ', "<script>x()</script> ",
          '<p onclick="x()">p</p> ', '<span style="color: red">s</span> ', '<a href="javascript:x()">j</a> ',
          '<a href="ftp://files.example/x">f</a> ', "<video src=v.mp4></video> ", "<form><input></form> ",
          "\n\n", "    indented code <iframe>\n", "[f](ftp://files.example/x) ", "[j](javascript:x()) ", "[ok](/news/x) ",
          "[e]() ", "[r][r] ", "\n\n[r]: ftp://files.example/r\n\n", "[sic]: text ", "[q](/s?a=1&b=2) ",
          '<img src="a b.jpg"> ', '<a href="javascript&colon;x()">c</a> ', "[s](</a b>) ", "`[c](ftp://x)` ",
          '<a title="a>b<c" onclick="x()">t</a> ', '<A HREF="ftp://files.example/x">u</A> ', '<b title="x>',
          "<math><mi>x</mi></math> ", '<noscript><iframe src="x"></iframe></noscript> ', "<svg/> ", "<xmp>",
          "</xmp> ", "<object><font>f</font> ", "</object> "]


@given(st.lists(st.sampled_from(PIECES), max_size=8))
def test_the_quick_look_never_hides_markup_the_sanitiser_removes(pieces):
    from feeds.sanitise import _Removed, checked_markdown_html, removed_html

    body = "".join(pieces)
    full = _Removed()
    full.feed(checked_markdown_html(body))  # as checks read a body: a big site's parse sees it indented
    full.close()
    assert removed_html(body) == list(dict.fromkeys(full.found))


def test_a_quiet_build_prints_no_warnings_so_cron_mails_only_errors(make_site, capsys):
    root = make_site({ENTRY: entry_yaml(summary="Ports shut.") + EMBED})
    assert run(capsys, "build", str(root), "--quiet", "--now", "2020-03-01") == (0, "", "")


def test_a_quiet_build_prints_the_errors_without_the_warnings_beside_them(make_site, capsys):
    root = make_site({ENTRY: entry_yaml(summary="Ports shut.") + EMBED, "items/bad.yaml": "title: [\n"})
    status, _, err = run(capsys, "build", str(root), "--quiet", "--now", "2020-03-01")
    assert status == 1
    assert "iframe" not in err
    assert err.splitlines()[-1] == "1 error in 1 of 2 entries"


def test_right_to_left_passages_keep_their_direction_and_no_tag_validators_flag_is_kept():
    from feeds.sanitise import sanitise_html

    html = '<div dir="rtl">שלום <span lang="ar" dir="rtl">مرحبا</span> <bdo dir="rtl">x</bdo><rtc>y</rtc></div>'
    assert sanitise_html(html, "https://x.example/") == '<div dir="rtl">שלום <span lang="ar" dir="rtl">مرحبا</span> xy</div>'


@pytest.mark.parametrize(("body", "html"), [
    ('The <abbr title="World Health Organization">WHO</abbr> said.',
     '<p>The <abbr title="World Health Organization">WHO</abbr> said.</p>'),
    ('See [the report](/report "PDF, 2 MB").', '<p>See <a href="https://x.example/report" title="PDF, 2 MB">the report</a>.</p>'),
    ('![Map](/map.png "Flooded streets")', '<p><img src="https://x.example/map.png" alt="Map" title="Flooded streets"></p>')])
def test_an_abbreviations_expansion_and_a_links_title_reach_readers(body, html):
    """nh3 keeps title= on any element unless told otherwise: an abbreviation without it is three letters."""
    from feeds.sanitise import body_html

    assert body_html(body, "https://x.example/story") == html


@pytest.mark.parametrize("categories", ["News, Sport", "News,Sport"])
def test_one_category_with_a_comma_is_a_warning_saying_how_to_write_several_or_keep_one(make_site, capsys, categories):
    root = make_site({"items/a.yaml": entry_yaml(categories=categories)})
    assert main(["check", str(root)]) == 0
    assert (f'categories: found one category, "{categories}": a comma does not separate categories; if you meant '
            f'several, write categories: [News, Sport]; if one, write it in a list, categories: ["{categories}"]'
            in capsys.readouterr().err)


def test_one_category_with_a_comma_written_in_a_list_is_no_warning(make_site, capsys):
    root = make_site({"items/a.yaml": entry_yaml(categories='["Crime, Law and Justice"]')})
    assert main(["check", str(root)]) == 0
    assert "warning" not in capsys.readouterr().err


def test_a_link_written_without_https_is_a_warning_that_it_reads_as_a_path_here(make_site, capsys):
    root = make_site({"items/a.yaml": entry_yaml(link="www.example.com/story")})
    assert main(["check", str(root)]) == 0
    assert ('warning: link: found "www.example.com/story", which reads as a path on this site '
            "(https://news.example.com/www.example.com/story); if it is another site's address, write "
            "https://www.example.com/story" in capsys.readouterr().err)


@pytest.mark.parametrize("body", ["See [the BBC](www.bbc.co.uk/news).", 'See <a href="www.bbc.co.uk/news">it</a>.',
                                  "See [the BBC][b].\n\n[b]: www.bbc.co.uk/news"])
def test_a_body_link_written_without_https_is_a_warning(make_site, capsys, body):
    root = make_site({"items/a.yaml": entry_yaml(link="/news/a", body="|\n" + textwrap.indent(body, "  "))})
    assert main(["check", str(root)]) == 0
    assert ('warning: body: found "www.bbc.co.uk/news", which reads as a path on this site '
            "(https://news.example.com/news/www.bbc.co.uk/news); if it is another site's address, write "
            "https://www.bbc.co.uk/news" in capsys.readouterr().err)


@pytest.mark.parametrize("address", ["bbc.co.uk/news/world-51567890", "twitter.com/MevlutCavusoglu/status/1",
                                     "docs.google.com/spreadsheets/d/abc", "t.co/x1", "youtu.be/abc", "reuters.com"])
def test_a_body_link_to_a_host_written_without_https_is_a_warning(make_site, capsys, address):
    root = make_site({"items/a.yaml": entry_yaml(link="/news/a", body=f"'Read [the report]({address}).'")})
    assert main(["check", str(root)]) == 0
    assert (f'warning: body: found "{address}", which reads as a path on this site '
            f"(https://news.example.com/news/{address}); if it is another site's address, write "
            f"https://{address}" in capsys.readouterr().err)


@pytest.mark.parametrize("body", ['See <a href="bbc.co.uk/news">it</a>.', 'See <A HREF = bbc.co.uk/news>it</A>.',
                                  "See ![the map](cdn.example.org/maps/1.png).", "See [it][b].\n\n[b]: bbc.co.uk/news"])
def test_an_html_link_image_or_definition_naming_a_host_without_https_is_a_warning(make_site, capsys, body):
    root = make_site({"items/a.yaml": entry_yaml(link="/news/a", body="|\n" + textwrap.indent(body, "  "))})
    assert main(["check", str(root)]) == 0
    assert "which reads as a path on this site" in capsys.readouterr().err


@pytest.mark.parametrize("body", ["See [the notes](notes.md), [the script](setup.py) and [the data](data.csv).",
                                  "See [the page](index.html), [the report](2020.05/report.pdf) and [v2](v1.2/x).",
                                  'See <img data-src="cdn.example.org/a.png" src="/a.png" alt="a map">.',
                                  "See [our story](/news/b) and [theirs](https://bbc.co.uk/news)."])
def test_a_relative_link_to_a_file_or_page_here_is_no_warning(make_site, capsys, body):
    assert passes_clean(make_site, capsys, {"items/a.yaml": entry_yaml(link="/news/a", body=f"'{body}'")})


def test_a_footnote_citing_a_site_by_name_is_no_warning(make_site, capsys):
    body = "|\n  As reported.[^1]\n\n  [^1]: bbc.co.uk/news, 20 February.\n"
    assert passes_clean(make_site, capsys, {"items/a.yaml": entry_yaml(link="/news/a", body=body)})


@pytest.mark.parametrize("field", ["link: bbc.co.uk/news/a", "image: cdn.example.org/img/a.jpg"])
def test_a_link_or_image_naming_a_host_without_https_is_a_warning(make_site, capsys, field):
    name, _, address = field.partition(": ")
    root = make_site({"items/a.yaml": entry_yaml(**{name: address})})
    assert main(["check", str(root)]) == 0
    assert f'warning: {name}: found "{address}", which reads as a path on this site' in capsys.readouterr().err


def test_a_web_address_in_the_text_of_a_body_is_no_warning(make_site, capsys):
    root = make_site({"items/a.yaml": entry_yaml(link="/news/a", body="'Details at www.bbc.co.uk/news.'")})
    assert main(["check", str(root)]) == 0
    assert "warning" not in capsys.readouterr().err


def test_a_replacement_character_typed_in_a_title_is_published_with_a_warning(make_site, capsys):
    """U+FFFD is what a conversion leaves for a character it lost ("Caf\ufffd" for "Café"):
    readers show it as a lost character and the W3C validator flags it, so the editor is told."""
    root = make_site({ENTRY: entry_yaml(title="Caf\ufffd owners protest", summary="Ports shut.")})
    status, _, err = run(capsys, "build", str(root), "--now", "2020-03-01")
    assert status == 0
    assert (f'{ENTRY}:1:8: warning: title: found "Caf\ufffd owners protest", which holds \ufffd (U+FFFD), the mark a '
            "conversion leaves for a character it lost; type the character it stands for (the W3C validator flags it)"
            in err.splitlines())
    assert "Caf\ufffd owners protest" in (root / "publish" / "rss.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize("body", ['<img srcset="/img/storm.jpg 1x, /img/storm-2x.jpg 2x" alt="Storm">',
                                  '<img data-src="/img/storm.jpg" alt="Storm" loading="lazy">'],
                         ids=["srcset alone", "a lazy loader's data-src"])
def test_an_image_with_no_src_is_a_warning_that_readers_see_its_alt_text(body):
    from feeds.sanitise import body_html, removed_html

    assert removed_html(body) == [("an image with no src= is shown as its alt text: feeds carry an image's src= "
                                   "alone (not srcset= or data-src=)", "give the image src= with the picture's address")]
    assert body_html(body, "https://news.example.com/") == "Storm"  # an HTML block: no paragraph around it


def test_an_image_with_a_src_is_no_warning():
    from feeds.sanitise import removed_html

    assert removed_html('<img src="/img/storm.jpg" srcset="/img/storm-2x.jpg 2x" alt="Storm">') == []


RLO, PDF, RLI, PDI = "\u202e", "\u202c", "\u2067", "\u2069"


def test_a_headline_with_a_right_to_left_override_nothing_closes_is_published_with_a_warning(make_site, capsys):
    """U+202E turns around what follows it on the line a reader shows the headline on (the
    feed's name, the date); the message shows it as its code point, so as not to be turned too."""
    root = make_site({ENTRY: entry_yaml(title=f'"Ports {RLO}shut"', summary="Ports shut.")})
    status, _, err = run(capsys, "build", str(root), "--now", "2020-03-01")
    assert status == 0
    assert (f'{ENTRY}:1:8: warning: title: found "Ports <U+202E>shut", which holds the character U+202E '
            "(RIGHT-TO-LEFT OVERRIDE) that nothing closes: readers show what follows it on the same line (the "
            "feed's name, the date) in its direction too; delete it, or close it with the character U+202C "
            "(POP DIRECTIONAL FORMATTING); for a word in another script, a mark of direction (U+200E, U+200F) is all "
            "most text needs" in err.splitlines())
    assert f"Ports {RLO}shut" in (root / "publish" / "rss.xml").read_text(encoding="utf-8")


def test_a_category_or_byline_with_an_isolate_nothing_closes_is_a_warning_that_names_its_closer(make_site, capsys):
    root = make_site({ENTRY: entry_yaml(summary="Ports shut.", categories=f'["{RLI}عربي"]', author=f'"Jo {RLI}B"')})
    assert main(["check", str(root)]) == 0
    warned = [line for line in capsys.readouterr().err.splitlines() if "unclosed" in line or "nothing closes" in line]
    assert [line.split(": warning: ")[1].split(":")[0] for line in warned] == ["categories", "author"]
    assert all("close it with the character U+2069 (POP DIRECTIONAL ISOLATE)" in line for line in warned)


@pytest.mark.parametrize("title", [f"{RLI}بيروت{PDI} reopens", f"Ports {RLO}shut{PDF} again", "Ports\u200f shut"],
                         ids=["a closed isolate", "a closed override", "a direction mark"])
def test_direction_controls_that_are_closed_and_direction_marks_are_no_warning(make_site, capsys, title):
    root = make_site({ENTRY: entry_yaml(title=f'"{title}"', summary="Ports shut.")})
    assert main(["check", str(root)]) == 0
    assert "warning" not in capsys.readouterr().err


@given(st.lists(st.sampled_from(["a", "\u202a", "\u202b", "\u202d", RLO, PDF, "\u2066", RLI, "\u2068", PDI]),
                max_size=12))
def test_a_text_is_unclosed_exactly_when_closing_every_control_it_opened_leaves_one_open(chars):
    """The pairing of the Unicode Bidirectional Algorithm (UAX #9, X6a and X7): U+202C
    closes the last embedding or override opened after the last isolate still open; U+2069
    closes the last isolate still open, and every embedding opened within it."""
    from feeds.characters import unclosed_direction

    opened: list[str] = []
    for char in chars:
        if char in "\u202a\u202b\u202d\u202e\u2066\u2067\u2068":
            opened.append(char)
        elif char == PDF and opened and opened[-1] not in "\u2066\u2067\u2068":
            opened.pop()
        elif char == PDI and any(kind in "\u2066\u2067\u2068" for kind in opened):
            del opened[max(at for at, kind in enumerate(opened) if kind in "\u2066\u2067\u2068"):]
    assert unclosed_direction("".join(chars)) == (opened[0] if opened else None)


@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=24)
       | st.text(st.sampled_from("aé\u00c3\u00a9\u00e2\u0080\u0099\ufffd\u202a\u202c\u202e\u2066\u2069\u2019"), max_size=12))
def test_a_line_the_quick_look_passes_holds_nothing_a_warning_or_refusal_is_about(text):
    """not_garbled's one scan (fields._WORTH_A_LOOK) stands for its three checks: a line it
    passes holds no U+FFFD, no direction control left open, and is not UTF-8 read as Latin-1."""
    from feeds.characters import REPLACEMENT, unclosed_direction
    from feeds.fields import _WORTH_A_LOOK, _encoded_twice

    if _WORTH_A_LOOK.search(text) is None:
        assert REPLACEMENT not in text
        assert unclosed_direction(text) is None
        assert _encoded_twice(text) is None


AHEAD = (f'{ENTRY}:4:10: warning: updated: expected a time no later than the build\'s, found "2020-06-01 12:00" '
         "(2020-06-01T09:00:00Z), ahead of the clock; it is published as written, which readers sort first and the "
         "W3C validator calls implausible: check the year and the timezone")


def test_an_updated_time_ahead_of_the_build_is_published_with_a_warning(make_site, capsys):
    root = make_site({ENTRY: entry_yaml(updated="2020-06-01 12:00")})
    status, _, err = run(capsys, "build", str(root), "--now", "2020-03-01")
    assert status == 0
    assert err.splitlines()[:2] == [AHEAD, "1 warning in 1 of 1 entry"]
    assert "<updated>2020-06-01T09:00:00+00:00</updated>" in (root / "publish/atom.xml").read_text(encoding="utf-8")


def test_a_build_that_finds_nothing_changed_repeats_the_warning_until_the_time_comes(make_site, capsys):
    root = make_site({ENTRY: entry_yaml(updated="2020-06-01 12:00")})
    run(capsys, "build", str(root), "--now", "2020-03-01")
    _, _, again = run(capsys, "build", str(root), "--now", "2020-03-02")
    assert again.splitlines()[0] == AHEAD and "0 files written" in again
    _, _, due = run(capsys, "build", str(root), "--now", "2020-06-01T08:51:00Z")  # nine minutes before: no longer ahead
    assert "warning" not in due


@pytest.mark.parametrize("fields", [{"draft": "true"}, {"published": '"2020-05-01 09:00"'},
                                    {"updated": '"2020-03-01 00:09"'}])
def test_no_warning_for_an_entry_not_published_yet_or_updated_within_ten_minutes(make_site, capsys, fields):
    entry = entry_yaml(**{"updated": '"2020-06-01 12:00"', **fields})
    status, _, err = run(capsys, "build", str(make_site({ENTRY: entry})), "--now", "2020-02-29T21:00:00Z")
    assert status == 0 and "ahead of the clock" not in err


def test_check_warns_of_an_updated_time_ahead_of_the_clock(make_site, capsys):
    root = make_site({ENTRY: entry_yaml(updated="2099-06-01 12:00")})
    status, _, err = run(capsys, "check", str(root))
    assert status == 0
    assert err.splitlines()[0].startswith(f'{ENTRY}:4:10: warning: updated: expected a time no later than the '
                                          f'build\'s, found "2099-06-01 12:00" (2099-06-01T09:00:00Z)')


def test_the_warning_is_made_again_for_an_earlier_now(make_site, capsys, monkeypatch):
    from feeds import cache

    monkeypatch.setattr(cache, "RACY_WINDOW_NS", 0)  # files just written count as settled: builds may be no-change
    root = make_site({ENTRY: entry_yaml(updated="2020-06-01 12:00")})
    for now, warned in (("2020-06-01T08:45:00Z", True), ("2020-06-01T08:55:00Z", False), ("2020-06-01T08:45:00Z", True)):
        _, _, err = run(capsys, "build", str(root), "--now", now)
        assert ("ahead of the clock" in err) is warned, now


def test_a_held_entry_gets_no_warning_of_its_updated_time(make_site, capsys):
    root = make_site({ENTRY: entry_yaml(updated="2020-06-01 12:00")})
    run(capsys, "build", str(root), "--now", "2020-03-01")
    (root / ENTRY).write_text(entry_yaml(updated="2021-05-05 10:00") + "sumary: x\n", encoding="utf-8")
    status, _, err = run(capsys, "build", str(root), "--now", "2020-03-02")
    assert status == 1 and "ahead of the clock" not in err and "sumary" in err


FAR = (f'{ENTRY}:3:12: warning: published: found "2204-03-05 14:30" (2204-03-05T11:30:00Z), more than a year ahead: '
       "the story is scheduled until then; if the year is typed wrong, correct it; a story meant for later stays out "
       "of the feeds until its time")


def test_check_warns_of_a_story_scheduled_more_than_a_year_ahead(make_site, capsys):
    root = make_site({ENTRY: entry_yaml(published="2204-03-05 14:30")})  # 2024 typed wrong
    status, _, err = run(capsys, "check", str(root))
    assert status == 0
    assert err.splitlines()[0] == FAR


def test_a_build_warns_of_a_story_scheduled_far_ahead_until_it_is_within_the_year(make_site, capsys, monkeypatch):
    from feeds import cache

    monkeypatch.setattr(cache, "RACY_WINDOW_NS", 0)  # files just written count as settled: builds may be no-change
    root = make_site({ENTRY: entry_yaml(published="2021-06-01 12:00"),
                      "items/live.yaml": entry_yaml(title="Live", link="/live")})
    for now, warned in (("2020-03-01", True), ("2020-03-02", True), ("2020-06-02", False), ("2020-03-01", True)):
        _, _, err = run(capsys, "build", str(root), "--now", now)
        assert ("more than a year ahead" in err) is warned, now


@pytest.mark.parametrize("fields", [{"published": '"2021-02-01 09:00"'}, {"draft": "true"}])
def test_no_warning_for_a_story_scheduled_within_the_year_or_a_draft(make_site, capsys, fields):
    entry = entry_yaml(**{"published": '"2204-03-05 14:30"', **fields})
    status, _, err = run(capsys, "build", str(make_site({ENTRY: entry})), "--now", "2020-03-01")
    assert status == 0 and "ahead" not in err


FIELDS_INDENTED = "body: |\n  Ports shut.\n\n  The storm passed.\n  categories: [News, Weather]\n  image: /img/storm.jpg\n"


def test_a_field_indented_into_the_body_is_a_warning_naming_the_line(make_site, capsys):
    root = make_site({ENTRY: entry_yaml() + FIELDS_INDENTED})
    status, _, err = run(capsys, "check", str(root))
    assert status == 0
    assert err.splitlines()[:2] == [
        f'{ENTRY}:5:7: warning: body: the line "categories: [News, Weather]" is indented into the body, so it is '
        "published as a line of the story, and the entry has no categories; if it is the entry's categories, "
        "take away its indent so that it starts the line, as body: does",
        f'{ENTRY}:5:7: warning: body: the line "image: /img/storm.jpg" is indented into the body, so it is '
        "published as a line of the story, and the entry has no image; if it is the entry's image, "
        "take away its indent so that it starts the line, as body: does"]


@pytest.mark.parametrize("body", [FIELDS_INDENTED, "body: |\n  ```\n  categories: [Shown]\n  ```\n  categories: [News]\n"],
                         ids=["fields", "after a code block"])
def test_a_field_indented_into_a_body_read_as_written_is_the_same_warning(body):
    """A big build drops bodies it does not show, and reads them with their lines indented
    as written (blocks_as_written): the warning must not depend on the site's size."""
    from feeds.load import parse_document
    from feeds.site_file import load_site
    from feeds.validate import validate_entry

    text = (entry_yaml() + body).encode()
    site = load_site(Path(__file__).parent.parent)
    assert not isinstance(site, list)
    warned = [[problem.message for problem in validate_entry(parse_document(text, ENTRY, blocks_as_written=written),
                                                             site).warnings if problem.code == "field-in-body"]
              for written in (False, True)]
    assert warned[0] == warned[1] != []


@pytest.mark.parametrize("line", ["categories: News", "categories: [News, Sport]   # the desk's",
                                  "image: /img/storm.jpg  # the lead"])
def test_a_field_indented_into_the_body_with_a_comment_or_as_one_category_is_a_warning(make_site, capsys, line):
    root = make_site({ENTRY: entry_yaml() + f"body: |\n  Ports shut.\n  {line}\n"})
    assert f'the line "{" ".join(line.split())}" is indented into the body' in run(capsys, "check", str(root))[2]


def test_a_field_after_a_long_fence_that_holds_a_short_one_is_still_a_warning(make_site, capsys):
    body = "body: |\n  ````md\n  ```\n  categories: [Shown]\n  ```\n  ````\n\n  categories: [News]\n"
    warnings = [line for line in run(capsys, "check", str(make_site({ENTRY: entry_yaml() + body})))[2].splitlines()
                if "indented into the body" in line]
    assert len(warnings) == 1 and '"categories: [News]"' in warnings[0]


@pytest.mark.parametrize("body", [
    "body: |\n  Ports shut.\n  categories: listed below\n",  # the entry has categories: the line is the story's
    "body: |\n  Ports shut.\n  Image: AP Photo\n",  # a credit, not a field: fields are lower case
    "body: |\n  Ports shut.\n  The categories: news, weather\n",  # not at the start of the line
    "body: |\n  Ports shut.\n  image: courtesy of Reuters\n  id: 4471 was the case number.\n",  # prose, not values
    "body: |\n  Ports shut.\n  author: unknown, police said\n",
    "body: |\n  The awards had three\n  categories: best reporting, best photo and best podcast.\n",
    "body: |\n  The feed's entry:\n\n  ```yaml\n  image: /img/storm.jpg\n  ```\n"])  # a code block shows one
def test_a_line_of_the_body_that_is_no_missing_field_draws_no_warning(make_site, capsys, body):
    assert passes_clean(make_site, capsys, {ENTRY: entry_yaml(categories="[News]") + body})


def test_a_tab_or_line_break_an_escape_put_in_a_title_is_a_warning(make_site, capsys):
    assert first_warning(make_site, capsys, {ENTRY: entry_yaml(title='"Leaked: C:\\temp\\new"')}) == (
        f'{ENTRY}:1:8: warning: title: "Leaked: C:<TAB>emp<LF>ew" holds a tab between letters, which readers show as '
        "a space; if a backslash was meant, in double quotes \\t writes a tab and \\n a line break: write the "
        "backslash twice (\\\\), or put the title in single quotes")


@pytest.mark.parametrize("title", ['"Leaked: C:\\\\temp"', "'Leaked: C:\\temp'", '"Trailing break\\n"'])
def test_a_backslash_kept_or_a_break_at_the_end_of_a_title_is_no_warning(make_site, capsys, title):
    assert passes_clean(make_site, capsys, {ENTRY: entry_yaml(title=title)})


def test_two_categories_of_an_entry_that_share_a_feed_folder_are_a_warning_naming_the_one_carried(make_site, capsys):
    assert first_warning(make_site, capsys, {ENTRY: entry_yaml(categories='["C#", "C++"]')}) == (
        f'{ENTRY}:4:20: warning: categories: "C++" shares the feed categories/c/ with "C#", so the item carries "C#" '
        "alone; names that differ only in case or punctuation are one category; if these are two, name one in other "
        "letters or words")


@pytest.mark.parametrize("categories", ["[News, news]", "[Middle East, Middle-East]", "[Météo, METEO]",
                                        '["Women’s football", "Women\'s football"]'])
def test_two_spellings_of_one_category_are_carried_once_without_a_warning(make_site, capsys, categories):
    assert passes_clean(make_site, capsys, {ENTRY: entry_yaml(categories=categories)}, site_yaml=SITE_YAML + "slugs: ascii\n")


@pytest.mark.parametrize("categories, line", [
    ("\n  • News\n  • Sport", '6:3: warning: categories: found "• News • Sport", which starts with •, not with the - that '
     'starts a list item in YAML, so it is one category "• News • Sport"; write categories: [News, Sport], or each '
     "on a line of its own as - News"),
    ("\n  – News", '6:3: warning: categories: found "– News", which starts with –, not with the - that starts a list '
     'item in YAML, so it is the category "– News"; write categories: [News], or each on a line of its own as - News'),
    ("[·Culture]", '5:14: warning: categories: found "·Culture", which starts with ·, not with the - that starts a list '
     'item in YAML, so it is the category "·Culture"; write categories: [Culture], or each on a line of its own as '
     "- Culture"),
    ("\n  •News\n  •Sport", '6:3: warning: categories: found "•News •Sport", which starts with •, not with the - that '
     'starts a list item in YAML, so it is one category "•News •Sport"; write categories: [News, Sport], or each on a '
     "line of its own as - News")])
def test_a_category_that_opens_with_a_word_processors_bullet_is_a_warning(make_site, capsys, categories, line):
    assert first_warning(make_site, capsys, {ENTRY: entry_yaml(summary="Ports shut.", categories=categories)}) == f"{ENTRY}:{line}"


@pytest.mark.parametrize("category", ["·", "• ", "*"])
def test_a_category_that_is_a_list_mark_alone_is_refused_as_nameless_not_warned_of(make_site, capsys, category):
    root = make_site({ENTRY: entry_yaml(categories=f'["{category}"]')})
    status, _, err = run(capsys, "check", str(root))
    assert status == 1 and "Traceback" not in err and "bulleted" not in err and ": warning: " not in err


def test_a_wordpress_shortcode_left_in_a_body_is_a_warning(make_site, capsys):
    body = "|\n  [caption id=\"attachment_123\" width=\"640\"]<img src=\"/a.jpg\"> Smoke rises.[/caption]\n"
    assert first_warning(make_site, capsys, {ENTRY: entry_yaml(body=body)}) == (
        f"{ENTRY}:4:7: warning: body: the WordPress shortcode [caption] is published as text: feeds has no "
        "shortcodes; replace it with what it stands for: an image as ![its alt text](/img/photo.jpg) with its caption "
        "as a line of text, a video or post as a link to it")


@pytest.mark.parametrize("body", ["'Listen: [audio] the interview, and [caption] unclear.'",
                                  "'Write `[embed]` in WordPress.'", "'<!-- [embed]https://x.example/v[/embed] -->Storm.'",
                                  "'Write `` [embed]https://x/[/embed] `` there.'",
                                  "'<code>[gallery ids=\"1,2\"]</code> and <pre>[caption id=\"a\"]x[/caption]</pre>'"])
def test_a_shortcode_name_in_brackets_alone_in_code_or_in_a_comment_is_no_warning(make_site, capsys, body):
    root = make_site({ENTRY: entry_yaml(body=body)})
    assert ": warning: " not in run(capsys, "check", str(root))[2]


@pytest.mark.parametrize("body", ["|\n  The mayor`s office said.\n\n  [gallery ids=\"11,12\"]\n\n  The council`s site.\n",
                                  "|\n  1. Photos:\n\n      [gallery ids=\"11,12\"]\n"])
def test_a_shortcode_between_stray_backticks_or_in_a_list_item_is_a_warning(make_site, capsys, body):
    root = make_site({ENTRY: entry_yaml(body=body)})
    assert "the WordPress shortcode [gallery] is published as text" in run(capsys, "check", str(root))[2]


def test_a_shortcode_with_its_closing_tag_is_a_warning(make_site, capsys):
    root = make_site({ENTRY: entry_yaml(body="'[embed]https://video.example/v[/embed]'")})
    assert "the WordPress shortcode [embed] is published as text" in run(capsys, "check", str(root))[2]


def test_a_links_text_that_starts_like_a_shortcode_is_none(make_site, capsys):
    root = make_site({ENTRY: entry_yaml(body="'See [embed code](https://example.com/code) and [video url=x.mp4].'")})
    warnings = [line for line in run(capsys, "check", str(root))[2].splitlines() if ": warning: " in line]
    assert [line.split("shortcode ")[1].split(" ")[0] for line in warnings] == ["[video]"]


def test_a_link_whose_escapes_spell_no_utf8_text_is_a_warning_that_asks_for_an_id_of_its_own(make_site, capsys):
    """An old system's Latin-1 link (`caf%E9`): a server may answer it, but as the story's id
    it has no normal form, and the W3C validator warns of every Atom feed carrying it."""
    assert first_warning(make_site, capsys, {ENTRY: entry_yaml(link="/news/caf%E9")}) == (
        f'{ENTRY}:2:7: warning: link: "/news/caf%E9" has %E9, which spells no UTF-8 text: as the story\'s id, the W3C '
        "validator warns that it is not in normal form, in every Atom feed that carries it; give the story an id of "
        "its own, such as id: tag:example.com,2020:the-story, or write the link's character itself if the server "
        "takes it in UTF-8")


def test_a_link_whose_escapes_spell_no_utf8_text_is_fine_beside_an_id_of_its_own(make_site, capsys):
    assert passes_clean(make_site, capsys, {ENTRY: entry_yaml(link="/news/caf%E9", id="tag:news.example.com,2020:cafe")})


def test_a_publish_url_whose_escapes_spell_no_utf8_text_is_a_warning(make_site, capsys):
    site = SITE_YAML.replace("https://news.example.com/feeds/", "https://news.example.com/caf%E9/")
    assert first_warning(make_site, capsys, {ENTRY: entry_yaml()}, site_yaml=site) == (
        'site.yaml:4:14: warning: publish_url: "https://news.example.com/caf%E9/" has %E9, which spells no UTF-8 '
        "text: each Atom feed's id is its address under it, which the W3C validator then warns is not in normal "
        "form; write the folder's name in UTF-8 (é is %C3%A9), as the server can be set to serve it")


def test_a_comment_never_closed_is_a_warning_that_the_rest_of_the_body_is_left_out(make_site, capsys):
    """html5 reads all after an open `<!--` as the comment: the story's end is silently lost."""
    body = ("|\n  Ports shut as the storm reached the coast.\n\n  <!-- video held back by legal\n\n"
            "  The coastguard said three ships were missing.\n")
    assert first_warning(make_site, capsys, {ENTRY: entry_yaml(body=body)}) == (
        f"{ENTRY}:4:7: warning: body: the comment <!-- video held back by legal is never closed, so the rest of the "
        "body after it is left out of the feeds; close it with --> where the note ends")


def test_a_comment_on_a_line_of_its_own_ended_with_autocorrects_dash_says_so(make_site, capsys):
    body = "|\n  Ports shut.\n\n  <!-- legal: check this –>\n\n  The coastguard said three ships were missing.\n"
    assert first_warning(make_site, capsys, {ENTRY: entry_yaml(body=body)}) == (
        f"{ENTRY}:4:7: warning: body: the comment <!-- legal: check this –> is never closed, so the rest of the body "
        "after it is left out of the feeds; its end is written –>, a dash autocorrect made of two hyphens: write -->")


@pytest.mark.parametrize("body", ['See <a title="<!--" href="/x">the report</a>.\n\nThe vote passed.\n',
                                  '<script>var marker = "<!--";</script>\n\nThe vote passed.\n'],
                         ids=["in an attribute", "in a script"])
def test_a_comment_opener_html5_reads_as_text_is_no_comment_left_open(make_site, capsys, body):
    """Nothing after it is lost, so no warning says the rest of the body is."""
    root = make_site({ENTRY: entry_yaml(body="|\n" + textwrap.indent(body, "  "))})
    assert "is never closed" not in run(capsys, "check", str(root))[2]
    assert "The vote passed." in published_body(make_site, capsys, body)


def test_markup_inside_a_comment_never_closed_is_not_warned_of_as_removed(make_site, capsys):
    body = ("|\n  Ports shut.\n\n  <!-- held back\n\n  <iframe src=\"https://www.youtube.com/embed/abc\"></iframe>\n")
    root = make_site({ENTRY: entry_yaml(body=body)})
    assert [line for line in run(capsys, "check", str(root))[2].splitlines() if ": warning: " in line] == [
        f"{ENTRY}:4:7: warning: body: the comment <!-- held back is never closed, so the rest of the body after it is "
        "left out of the feeds; close it with --> where the note ends"]


def published_body(make_site, capsys, body: str) -> str:
    """The body HTML a build publishes of this Markdown (it must pass), as Atom carries it
    (read with lxml: feedparser sanitises it again, by rules of its own)."""
    root = make_site({ENTRY: entry_yaml(body="|\n" + textwrap.indent(body, "  "))})
    assert main(["build", str(root)]) == 0
    capsys.readouterr()
    atom = etree.fromstring((root / "publish" / "atom.xml").read_bytes())
    return atom.find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}content").text


def test_a_comment_past_a_blank_line_inside_a_paragraph_is_an_error_not_a_leak(make_site, capsys):
    """Markdown ends the paragraph at the blank line, and with it the comment, whose text it
    then shows: an editor's note would go out to every reader. The story is held instead."""
    body = ("The minister resigned on Tuesday. <!-- NOTE: confirm with a second source\n\n"
            "legal says the Smith allegation is risky -->\n\nHe denied wrongdoing.\n")
    root = make_site({ENTRY: entry_yaml(body="|\n" + textwrap.indent(body, "  "))})
    status, _, err = run(capsys, "build", str(root))
    assert status == 1
    assert err.splitlines()[0] == (
        f"{ENTRY}:4:7: body: expected each comment closed with --> outside code, found <!-- NOTE: confirm with a "
        "second s… shown to readers as text; Markdown ends a comment with the paragraph it starts in: close it with --> "
        "before the blank line, or start it on a line of its own; to show <!-- as written, write \\<!--")
    assert "legal says" not in (root / "publish" / "atom.xml").read_text(encoding="utf-8")


def test_words_conditional_comments_are_told_how_to_end(make_site, capsys):
    """Word ends one conditional comment on the line it opens the next: Markdown shows the
    `-->` that closes it, and html5 reads all the story after it as the comment."""
    body = ("<!--[if gte mso 9]><xml><o:OfficeDocumentSettings/></xml><![endif]--><!--[if gte mso 9]><xml>\n"
            "<w:WordDocument/>\n</xml><![endif]-->\n<p class=MsoNormal>Ports shut as the storm hit.<o:p></o:p></p>\n")
    assert first_warning(make_site, capsys, {ENTRY: entry_yaml(body="|\n" + textwrap.indent(body, "  "))}) == (
        f"{ENTRY}:4:7: warning: body: the comment <!-- [if gte mso 9]><xml> is never closed, so the rest of the body "
        "after it is left out of the feeds; its --> is on a line Markdown shows as text: end the comment on the line "
        "where it opens, or delete it")


@pytest.mark.parametrize("body, shown", [("Write `<!-- note -->` to hide a line.\n", "<code>&lt;!-- note --&gt;</code>"),
                                         ("Write \\<!-- note --> to hide a line.\n", "Write &lt;!-- note --&gt; to hide")],
                         ids=["code", "escaped"])
def test_a_comment_in_code_or_escaped_is_shown_as_written(make_site, capsys, body, shown):
    assert shown in published_body(make_site, capsys, body)


RAW_TEXT_BODIES = {
    "script": ('<script>var marker = "<!--";</script>\n\nThe council voted 7-2.\n\n<!-- desk: confirm -->\n\nShe signed it.\n',
               "<p>The council voted 7-2.</p>\n\n<p>She signed it.</p>"),
    "textarea": ("The council voted.\n\n<textarea>Type <!-- here</textarea>\n\nSecond.\n\n<!-- note -->\n\nThird.\n",
                 "<p>The council voted.</p>\n\n<p>Second.</p>\n\n<p>Third.</p>"),
    "style": ("<style>\n<!-- p { color: red }\n</style>\n\nThe story. Note --> the end.\n\nMore story.\n",
              "<p>The story. Note --&gt; the end.</p>\n<p>More story.</p>"),
    "attribute": ('See <a title="<!--" href="/x">the report</a> and --> here.\n\nSecond paragraph.\n',
                  '<p>See <a title="&lt;!--" href="https://news.example.com/x">the report</a> and --&gt; here.</p>\n'
                  "<p>Second paragraph.</p>"),
}


@pytest.mark.parametrize("body, published", RAW_TEXT_BODIES.values(), ids=RAW_TEXT_BODIES.keys())
def test_a_comment_opener_in_raw_text_or_a_tag_is_no_comment_and_hides_nothing(make_site, capsys, body, published):
    """In a script, a style, a textarea or an attribute's value html5 reads <!-- as text:
    emptying a comment from there to a later --> took the story with it."""
    assert published_body(make_site, capsys, body) == published


@pytest.mark.parametrize("body", ["Type <kbd><!--</kbd> to open a comment.", "The browser printed <samp><!--</samp>.",
                                  "Text. <script><!-- var a=1; </script> More text.", "Text <style><!-- p{} </style> more."],
                         ids=["kbd", "samp", "script", "style"])
def test_a_comment_opener_in_a_keystroke_or_a_removed_script_is_no_error(make_site, capsys, body):
    """Shown on purpose, as code is, or never shown (the sanitiser removes a script)."""
    assert run(capsys, "check", str(make_site({ENTRY: entry_yaml(body=f"'{body}'")})))[0] == 0


def test_comment_openers_written_escaped_every_way_are_no_error_and_no_traceback(make_site, capsys):
    """&#60;!-- shows as <!-- too: with every raw one escaped, there is none to name."""
    assert passes_clean(make_site, capsys, {ENTRY: entry_yaml(body="'Write &#60;!-- or \\<!-- to open one.'")})


def test_an_escaped_comment_opener_never_closed_is_shown_as_the_error_says(make_site, capsys):
    """The fix comment-shown gives (\\<!--) must pass."""
    assert passes_clean(make_site, capsys, {ENTRY: entry_yaml(body="'To open a comment, write \\<!-- in HTML.'")})


def test_two_google_docs_pastes_are_neither_bold_and_keep_bold_across_a_line_break(make_site, capsys):
    paste = ('<b style="font-weight:normal;" id="docs-internal-guid-{0}"><p dir="ltr"><span style="font-weight:700;">'
             'Bold line<br>goes on</span><span style="font-weight:400;"> plain.</span></p></b>\n\n')
    html = published_body(make_site, capsys, paste.format("1") + paste.format("2"))
    assert "<b>" not in html
    assert html.count("<span><strong>Bold line<br>goes on</strong></span>") == 2


def test_an_address_keeps_its_own_src_query_as_written(make_site, capsys):
    """Only words in an attribute (alt, title) are escaped for the W3C validator's sake."""
    html = published_body(make_site, capsys, '<a href="https://e.com/r?src=rss" title="src=feed">report</a>\n')
    assert html == '<p><a href="https://e.com/r?src=rss" title="src&#61;feed">report</a></p>'


def test_a_footnote_is_published_as_its_number_and_its_note(make_site, capsys):
    body = "The ministry's figures[^1] contradict the UN count.\n\n[^1]: Reuters\n"
    assert published_body(make_site, capsys, body) == (
        "<p>The ministry's figures<sup>[1]</sup> contradict the UN count.</p>\n<div><p><sup>[1]</sup> Reuters</p>\n</div>")


def test_a_lists_numbering_is_kept(make_site, capsys):
    """A countdown (`reversed`), clauses (a), (b) (`type`), and a list going on after a break (`value`)."""
    body = '<ol reversed type="a"><li>Third</li><li value="7">Seventh</li></ol>\n'
    assert published_body(make_site, capsys, body) == '<ol reversed="" type="a"><li>Third</li><li value="7">Seventh</li></ol>'


@pytest.mark.parametrize("what, typed, fixed", [
    ("link", "[the report](/files/Annual Report.pdf)", "[the report](</files/Annual Report.pdf>)"),
    ("image", "![the chart](/img/GDP chart.png)", "![the chart](</img/GDP chart.png>)")])
def test_a_markdown_link_or_image_with_a_space_in_its_address_is_a_warning_that_readers_see_it_as_typed(
        make_site, capsys, what, typed, fixed):
    body = f"'Read {typed} and, again, {typed}.'"
    assert first_warning(make_site, capsys, {ENTRY: entry_yaml(body=body)}) == (
        f'{ENTRY}:4:7: warning: body: the {what} "{typed}" has a space in its address, so Markdown reads no {what} '
        f"there: readers see it as typed (and 1 more like it); write the address in angle brackets, {fixed}, or each "
        "space in it as %20")


def test_a_link_with_a_space_in_an_html_line_is_told_as_markdown_html_does_not_read(make_site, capsys):
    """The angle brackets would change nothing there: the line's own warning gives the fix."""
    root = make_site({ENTRY: entry_yaml(body="'<p>See [the report](/files/a b.pdf)</p>'")})
    warnings = [line for line in run(capsys, "check", str(root))[2].splitlines() if ": warning: " in line]
    assert len(warnings) == 1 and "opens with HTML, so Markdown does not read it" in warnings[0]


@pytest.mark.parametrize("body", ["[the report](</files/Annual Report.pdf>)", "[the report](/files/Annual%20Report.pdf)"],
                         ids=["angle brackets", "%20"])
def test_the_fix_for_a_space_in_a_markdown_address_publishes_the_link(make_site, capsys, body):
    assert passes_clean(make_site, capsys, {ENTRY: entry_yaml(body=f"'Read {body}.'")})
    assert published_body(make_site, capsys, f"Read {body}.\n") == (
        '<p>Read <a href="https://news.example.com/files/Annual%20Report.pdf">the report</a>.</p>')


@pytest.mark.parametrize("body", ['[the report](/files/report.pdf "PDF, 2 MB")', "`[x](/a b)` is shown as typed",
                                  "[the report](/files/report.pdf )"], ids=["title", "code", "space before the end"])
def test_a_markdown_link_with_a_title_or_in_code_is_no_warning(make_site, capsys, body):
    assert passes_clean(make_site, capsys, {ENTRY: entry_yaml(body=f"'{body}'")})


def test_a_tables_footer_stays_its_last_row_with_no_warning(make_site, capsys):
    """HTML 4 wrote <tfoot> before the rows; dropped, the total was published as the first row."""
    body = ("<table><tfoot><tr><td>Total</td><td>650</td></tr></tfoot>"
            "<tbody><tr><td>Labour</td><td>411</td></tr></tbody></table>\n")
    assert run(capsys, "check", str(make_site({ENTRY: entry_yaml(body="|\n  " + body)})))[2] == (
        "1 entry checked, no problems\n")
    assert published_body(make_site, capsys, body) == (
        "<table><tfoot><tr><td>Total</td><td>650</td></tr></tfoot><tbody><tr><td>Labour</td><td>411</td></tr></tbody></table>")


def test_an_address_word_in_alt_text_is_not_read_as_the_images_source(make_site, capsys):
    """The W3C validator takes the last `src=` in an <img> tag for its source (this pattern),
    and "the tag img src='a b'" in the alt text was "Invalid character in a URI", an error."""
    validators_source = re.compile("<img\\s+[^>]*src=(?:\"(.*?)\"|'(.*?)'|([\\w-]+))[\\s>]", re.IGNORECASE)
    html = published_body(make_site, capsys, "![write img src='a b' here](https://cdn.example.org/shot.png)\n")
    assert [next(filter(None, found)) for found in validators_source.findall(html)] == ["https://cdn.example.org/shot.png"]
    assert "alt=\"write img src&#61;'a b' here\"" in html


def test_a_google_docs_paste_keeps_its_bold_and_italic_and_is_not_bold_throughout(make_site, capsys):
    """Google Docs wraps what it copies in a <b> styled not bold, and marks bold and italic with styles."""
    body = ('<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-5a1b2c3d-7fff"><p dir="ltr" '
            'style="line-height:1.38;"><span style="font-size:11pt;font-weight:700;">Talks</span><span style="font-size:'
            '11pt;font-weight:400;font-style:italic;"> resume</span><span style="font-weight:400;"> today.</span></p></b>\n')
    html = published_body(make_site, capsys, body)
    assert "<b>" not in html
    assert ('<p dir="ltr"><span><strong>Talks</strong></span><span><em> resume</em></span><span> today.</span></p>'
            in html)


def test_a_comment_ended_with_autocorrects_dash_is_an_error_that_says_so(make_site, capsys):
    """Inside a paragraph an open `<!--` is Markdown's text: `–>` (autocorrect's dash) ends no comment."""
    body = "|\n  Ports shut as the storm hit. <!-- photo to come –>\n\n  The coastguard said three ships were missing.\n"
    status, _, err = run(capsys, "check", str(make_site({ENTRY: entry_yaml(body=body)})))
    assert status == 1
    assert err.splitlines()[0] == (
        f"{ENTRY}:4:7: body: expected each comment closed with --> outside code, found <!-- photo to come –> shown to "
        "readers as text; its end is written –>, a dash autocorrect made of two hyphens: write -->")


@pytest.mark.parametrize("link", ["/results", "https://e.com/?a=1&b=2"])
def test_an_aligned_markdown_table_is_no_warning_and_keeps_its_alignment(make_site, capsys, link):
    """`|--:|` right-aligns a column: Markdown writes that as style=, which the editor never
    wrote; it is carried as align=, which readers show and the sanitiser keeps."""
    body = f"Scores [here]({link}).\n\n| Team | Goals |\n|:--|--:|\n| A | 2 |\n"
    entry = entry_yaml(body="|\n" + textwrap.indent(body, "  "))
    root = make_site({"items/a.yaml": entry})
    assert passes_clean(make_site, capsys, {"items/a.yaml": entry})
    assert main(["build", str(root)]) == 0
    atom = (root / "publish" / "atom.xml").read_text("utf-8")
    assert '&lt;th align="right"&gt;Goals&lt;/th&gt;' in atom and '&lt;td align="right"&gt;2&lt;/td&gt;' in atom
    capsys.readouterr()


NEWS_SITE = SITE_YAML.replace("link: https://news.example.com/", "link: https://news.example.com/news")


def test_a_relative_link_the_sites_link_without_a_trailing_slash_puts_outside_its_folder_is_warned_of(
        make_site, capsys):
    assert first_warning(make_site, capsys, {ENTRY: entry_yaml(link="2024/storm")}, site_yaml=NEWS_SITE) == (
        f'{ENTRY}:2:7: warning: link: found "2024/storm", which resolves against site.yaml\'s link '
        "https://news.example.com/news as https://news.example.com/2024/storm, outside /news/: a relative link is "
        "taken from the folder of the page a link names, and a link that does not end with / names a page; if the "
        "stories are under /news/, end site.yaml's link with /: link: https://news.example.com/news/; if not, "
        "write link: /2024/storm")


@pytest.mark.parametrize("link, site_link", [
    ("/2024/storm", "https://news.example.com/news"), ("../storm", "https://news.example.com/news"),
    ("https://news.example.com/2024/storm", "https://news.example.com/news"),
    ("2024/storm", "https://news.example.com/news/"), ("2024/storm", "https://news.example.com/index.html"),
    ("news/2024/storm", "https://news.example.com/news")])  # in /news/ either way
def test_a_link_that_resolves_as_it_would_against_the_sites_folder_is_no_warning(make_site, capsys, link, site_link):
    site_yaml = SITE_YAML.replace("link: https://news.example.com/", f"link: {site_link}")
    assert passes_clean(make_site, capsys, {ENTRY: entry_yaml(link=link)}, site_yaml=site_yaml)


def test_a_markdown_link_in_a_summary_is_a_warning_with_the_words_alone(make_site, capsys):
    summary = "'Winds hit the coast. [The full report](https://news.example.com/storm) is online.'"
    assert first_warning(make_site, capsys, {ENTRY: entry_yaml(summary=summary)}) == (
        f'{ENTRY}:4:10: warning: summary: found "[The full report](https://news.example.com/storm)", Markdown, which '
        "a summary does not read: it is plain text, and readers see the brackets and the address as typed; write the "
        'words alone ("The full report"), and the link in the body, where Markdown is read')


def test_markdown_bold_in_a_title_is_a_warning_that_counts_the_rest(make_site, capsys):
    title = "'**Breaking**: storm hits the **coast**'"
    assert first_warning(make_site, capsys, {ENTRY: entry_yaml(title=title)}) == (
        f'{ENTRY}:1:8: warning: title: found "**Breaking**" (and 1 more like it), Markdown, which a title does not read: it '
        'is plain text, and readers see the asterisks as typed; write the words alone ("Breaking")')


@pytest.mark.parametrize("title", ["'The **** show returns'", "'a ** b and c**'", "'Footnote [1] and f(x)'",
                                   "'See [a](b) in the maths'", "'Stars ** shine'"])
def test_asterisks_and_brackets_that_are_no_markdown_are_no_warning(make_site, capsys, title):
    assert passes_clean(make_site, capsys, {ENTRY: entry_yaml(title=title)})
