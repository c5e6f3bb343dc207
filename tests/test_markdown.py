"""Bodies render as markdown-it-py rendered them, at pulldown-cmark's speed.

pulldown-cmark replaced markdown-it-py (CommonMark with tables and strikethrough, raw HTML kept).
A feed carries the sanitised HTML, so that is what is compared, less the white space between
a table's or a list's tags: for Markdown as editors write it the two agree, strikethrough
aside (`<del>` for `<s>`, and `~one~` tilde strikes, as on GitHub); the rarer inputs where
they part are listed below, as in the README, each with what both give.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from feeds import sanitise
from feeds.sanitise import body_html, markdown_html, sanitise_html

LINK = "https://news.example.com/news/2020/story"
REFERENCE = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def reference_html(markdown: str) -> str:
    """markdown-it-py's HTML, strikethrough spelt as pulldown-cmark spells it: `<del>`, not
    `<s>`, and a column's alignment as feeds carries it: `align`, not `style`."""
    html = REFERENCE.render(markdown).replace("<s>", "<del>").replace("</s>", "</del>")
    return _ALIGNED.sub(r'<\1 align="\2">', html)


_ALIGNED = re.compile(r'<(th|td) style="text-align:(left|center|right)">')


_LAYOUT_SPACE = re.compile(r"\s*(</?(?:table|thead|tbody|tr|th|td|ul|ol|li|blockquote)>)\s*")


def carried(html: str) -> str:
    """What a feed carries of the HTML, but for white space between a table's parts and
    before a quote or list item ends, which no reader shows and the two renderers lay out
    differently."""
    return _LAYOUT_SPACE.sub(r"\1", sanitise_html(html, LINK))


def assert_renders_as_before(markdown: str) -> None:
    assert carried(markdown_html(markdown)) == carried(reference_html(markdown)), markdown


# --- Each construct editors use, as the CommonMark spec's sections have them ---

CONSTRUCTS = {
    "paragraphs": "One paragraph,\nwrapped.\n\nAnother.",
    "hard breaks": "Line one  \nline two\\\nline three",
    "emphasis": "*em* _em_ **strong** __strong__ ***both*** *em **strong** em* snake_case 2*3*4",
    "links": '[story](/news/x "Title") [ref][r] [R][] <https://example.com/?a=1&b=2> <desk@example.com>\n\n'
             "[r]: https://example.com/r\n[R]: ../up 'up'",
    "images": '![Nairab, seen from the south](/img/a.jpg "Nairab") [![thumb](t.png)](/news/big)',
    "headings": "# One\n\n## Two ##\n\n###### Six\n\nSetext\n======\n\nSub\n---",
    "lists": "- a\n- b\n  - nested\n\n1. one\n2. two\n\n* loose\n\n* list\n\n3) three\n4) four",
    "block quotes": "> quoted\nlazy line\n>\n> > nested\n\n> - a list\n> - in a quote",
    "code": "`code` ``co`de`` `a<b`\n\n    indented <b>\n\n```python\nfenced <b> & *\n```\n\n~~~\ntildes\n~~~",
    "thematic breaks": "a\n\n---\n\n***\n\n_ _ _",
    "tables": "| Team | Goals |\n|:-----|------:|\n| **A** | 2 |\n| `x\\|y` | [3](/x) |\n\nplain | pipes\n--- | :-:\n1 | 2",
    "strikethrough": "~~gone~~ and ~~**both**~~, about ~5 km, ~10%, 5~10",
    "raw HTML": '<div class="box">\n*not Markdown*\n</div>\n\n<p align="center">centred <b>bold</b></p>\n\n'
                "Text <span style=\"color:red\">red</span> <kbd>Ctrl</kbd> <!-- note -->",
    "removed HTML": '<iframe src="https://www.youtube.com/embed/x"></iframe>\n\n<script>\nalert(1)\n</script>\n\n'
                    '<a href="javascript:x()" onclick="y()">x</a> <img src="/a.png" onerror="z()">',
    "entities": "&amp; &copy; &#169; &#x27; &nbsp; &bogus; &amp AT&T R&D a < b > c",
    "escapes": "\\*not em\\* \\_ \\# \\[x\\] \\~~not struck~~ \\\\",
    "URLs with &": "[q](https://example.com/a?x=1&y=2&amp;z=3) https://example.com/bare?a=1&b=2",
    "trailing whitespace": "Text   \n\n\n  ",
    "tabs": "a\tb\n\n\tcode\n\n-\titem",
}


@pytest.mark.parametrize("markdown", CONSTRUCTS.values(), ids=CONSTRUCTS.keys())
def test_each_construct_renders_as_markdown_it_py_rendered_it(markdown: str) -> None:
    assert_renders_as_before(markdown)


# --- Where the two part: documented, with what each gives ---

DIFFERENCES = {  # markdown: (markdown-it-py, pulldown-cmark), both sanitised
    "~~gone~~": ("<p><s>gone</s></p>", "<p><del>gone</del></p>"),
    "was ~10~ now": ("<p>was ~10~ now</p>", "<p>was <del>10</del> now</p>"),
    "x ~~~a~~~": ("<p>x ~<s>a</s>~</p>", "<p>x ~~~a~~~</p>"),
    "[x](javascript:alert(1))": ("<p>[x](javascript:alert(1))</p>", "<p><a>x</a></p>"),
    "\\| a \\|\n---": ("<table>\n<thead>\n<tr>\n<th>| a |</th>\n</tr>\n</thead>\n</table>", "<h2>| a |</h2>"),
    "![a  \nb](/x.png)": ('<p><img src="https://news.example.com/x.png" alt="a\nb"></p>',
                          '<p><img src="https://news.example.com/x.png" alt="a b"></p>'),
    # a footnote: before, its note was a link definition, and the source was lost behind a link to it
    "figures[^1] agree.\n\n[^1]: Reuters": ('<p>figures<a href="https://news.example.com/news/2020/Reuters">^1</a> agree.</p>',
                                            "<p>figures<sup>[1]</sup> agree.</p>\n<div><p><sup>[1]</sup> Reuters</p>\n</div>"),
}


@pytest.mark.parametrize("markdown", DIFFERENCES, ids=range(len(DIFFERENCES)))
def test_where_pulldown_cmark_parts_from_markdown_it_py(markdown: str) -> None:
    before, now = DIFFERENCES[markdown]
    assert (sanitise_html(REFERENCE.render(markdown), LINK), sanitise_html(markdown_html(markdown), LINK)) == (before, now)


def test_nesting_is_not_cut_at_twenty_levels() -> None:
    """markdown-it-py stops nesting block quotes at 20 levels and shows the rest as text;
    validation refuses a body over 100 levels (too-deep) before either would see it."""
    deep = ">" * 30 + " deep"
    assert markdown_html(deep).count("<blockquote>") == 30
    assert REFERENCE.render(deep).count("<blockquote>") < 30


# --- Generated documents from a grammar of what editors write ---

WORDS = ["Çavuşoğlu", "Київ", "東京", "Idlib", "said", "R&D", "AT&T", "a < b", "1,000", "3.5%", "$20", "£5", "€3",
         "(Reuters)", "it's", '"quoted"', "‘curly’", "--", "...", "snake_case", "C#", "#1", "about ~5", "e.g.", "x|y",
         "&amp;", "&copy;", "&nbsp;", "&#169;", "&bogus;", "\\*", "\\_", "\\[", "\\`"]
URLS = ["https://example.com/a?x=1&y=2", "/news/story", "story-2", "../up", "#top", "mailto:desk@example.com",
        "https://example.com/a_b_(c)", "<https://example.com/a b>", "HTTPS://EXAMPLE.COM/ü", "//cdn.example.com/x.png"]
INLINE_HTML = ["<b>bold</b>", "<i>it</i>", "<sup>2</sup>", "<kbd>Ctrl</kbd>", "<br>", "a <!-- note -->", "<del>x</del>",
               '<span style="color:red">red</span>', '<a href="/rel" onclick="x()">rel</a>', '<img src="/i.png" alt="i">',
               '<a href="javascript:x()">js</a>', "<u>u</u>", "<mark>m</mark>"]
BLOCK_HTML = ['<div class="box">\n<b>boxed</b>\n</div>', '<iframe src="https://www.youtube.com/embed/x"></iframe>',
              "<script>\nalert(1)\n</script>", "<!-- hidden -->", '<p align="center">centred</p>', "<style>p {}</style>",
              '<figure><img src="/a.jpg"><figcaption>Caption</figcaption></figure>', "<table><tr><td>x</td></tr></table>"]

words = st.lists(st.sampled_from(WORDS) | st.text("abcxyzÉé東 .,!?'-", min_size=1, max_size=8).map(str.strip).filter(bool),
                 min_size=1, max_size=4).map(" ".join)
title = st.sampled_from(["", ' "A title"', " 'single'", ' "R&D"'])
code_span = words.map(lambda text: f"`{text}`" if "`" not in text else f"`` {text} ``")
image = st.builds(lambda alt, url, tip: f"![{alt}]({url}{tip})", words, st.sampled_from(URLS), title)
autolink = st.sampled_from(["<https://example.com/a?b=1&c=2>", "<desk@example.com>", "<http://x.y/z>"])
in_link_leaf = st.one_of(words, words, words, code_span, image, st.sampled_from(INLINE_HTML[:9]))
leaf = st.one_of(in_link_leaf, autolink)


@lru_cache
def phrase(depth: int = 2, within: frozenset[str] = frozenset()) -> st.SearchStrategy[str]:
    """Words, some in emphasis, strikethrough or a link, nested; never ~~ in ~~ (four tildes
    in a row end neither, by GitHub's rule; see DIFFERENCES), nor a link in a link's text."""
    parts = [in_link_leaf if "link" in within else leaf] * 2
    if depth:
        for marker, kind in (("*", "em"), ("_", "em"), ("**", "strong"), ("__", "strong"), ("~~", "struck")):
            if kind != "struck" or kind not in within:
                inner = phrase(depth - 1, within | {kind})
                parts.append(inner.map(lambda text, marker=marker: f"{marker}{text}{marker}"))
        if "link" not in within:
            text = phrase(depth - 1, within | {"link"})
            parts.append(st.builds(lambda text, url, tip: f"[{text}]({url}{tip})", text, st.sampled_from(URLS), title))
            parts.append(text.map(lambda text: f"[{text}][ref]"))
    return st.lists(st.one_of(parts), min_size=1, max_size=4).map(" ".join)


line_end = st.sampled_from([" ", " ", "\n", "  \n", "\\\n"])
paragraph = st.lists(st.tuples(phrase(), line_end), min_size=1, max_size=4).map(
    lambda parts: "".join(text + end for text, end in parts).strip())
one_line = phrase().map(lambda text: text.replace("\n", " "))
cell = st.one_of(st.just(""), one_line.map(lambda text: text.replace("|", "\\|")))


@st.composite
def table(draw: st.DrawFn) -> str:
    columns = draw(st.integers(1, 4))
    rows = [draw(st.lists(cell, min_size=columns, max_size=columns))]
    rows.append(draw(st.lists(st.sampled_from(["---", ":--", "--:", ":-:"]), min_size=columns, max_size=columns)))
    rows += draw(st.lists(st.lists(cell, min_size=1, max_size=columns + 1), min_size=1, max_size=3))
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


RULES = ["---", "***", "* * *"]


def indented(text: str, prefix: str, rest: str) -> str:
    return prefix + text.replace("\n", "\n" + rest)


leaf_block = st.one_of(
    paragraph, paragraph, paragraph,
    st.builds(lambda level, text: "#" * level + " " + text, st.integers(1, 6), one_line),
    st.builds(lambda text, rule: f"{text}\n{rule}", one_line, st.sampled_from(["===", "---"])),
    st.builds(lambda fence, lang, text: f"{fence}{lang}\n{text}\n{fence}", st.sampled_from(["```", "~~~"]),
              st.sampled_from(["", "python"]), paragraph),
    paragraph.map(lambda text: indented(text, "    ", "    ")),
    st.sampled_from(RULES),
    table(),
    st.sampled_from(BLOCK_HTML),
)
container = st.one_of(
    st.lists(leaf_block, min_size=1, max_size=3).map("\n\n".join).map(lambda text: indented(text, "> ", "> ")),
    st.builds(lambda marker, items, gap: gap.join(indented(item, f"{marker} ", " " * (len(marker) + 1)) for item in items),
              st.sampled_from(["-", "*", "1."]), st.lists(leaf_block.filter(lambda block: block not in RULES), min_size=1, max_size=4),
              st.sampled_from(["\n", "\n\n"])),
)
documents = st.builds(
    lambda blocks, reference, end: "\n\n".join(blocks) + reference + end,
    st.lists(leaf_block | container, min_size=1, max_size=5),
    st.sampled_from(["", "\n\n[ref]: https://example.com/ref", '\n\n[ref]: /news/ref "Ref"']),
    st.sampled_from(["", "\n", "  \n", "\n\n\n"]),
)


@settings(max_examples=int(os.environ.get("MARKDOWN_EXAMPLES", "600")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_generated_bodies_render_as_markdown_it_py_rendered_them(markdown: str) -> None:
    assert_renders_as_before(markdown)


# --- Markdown without raw HTML is not sent through the sanitiser (body_html) ---

PLAIN = "Storm\xa0warning.  \nSecond line\n\n> *quoted* **bold** `code` ~~gone~~\n\n- one\n- two\n\n---\n\n" \
        "| a | b |\n|:--|--:|\n| 1 | 2 |\n\n```python\nx = 1\n```\n\n# Heading\n\n3. [a link](../story?a=1&b=2 \"T\")" \
        " to ![a picture](/img/a.jpg) and [mail](mailto:desk@example.com)"


def test_markdown_without_html_is_written_without_the_sanitiser(monkeypatch) -> None:
    expected = sanitise_html(markdown_html(PLAIN), LINK)
    monkeypatch.setattr(sanitise, "sanitise_html", None)
    assert body_html(PLAIN, LINK) == expected


footnoted = st.builds(lambda markdown, note: markdown + "[^n]\n\n[^n]: " + note, documents,
                      st.sampled_from(["Reuters", "https://www.un.org/report", "\n    - one\n    - two", "*Interview*, 2020."]))
without_html = st.builds(lambda markdown, space: markdown.replace("<", "&lt;").replace(" ", space, 1),
                         documents | footnoted, st.sampled_from([" ", "\xa0", "\r"]))


@settings(max_examples=int(os.environ.get("MARKDOWN_EXAMPLES", "600")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(without_html, documents, footnoted))
def test_a_body_is_written_as_the_sanitiser_writes_it(markdown: str) -> None:
    assert body_html(markdown, LINK) == sanitise_html(markdown_html(markdown), LINK)


# --- What the renderer must survive ---

HOSTILE = {
    "open brackets": "[" * 50_000,
    "unclosed links": "[a](" * 50_000,
    "emphasis runs": "*a " * 50_000 + "_b" * 50_000,
    "backtick runs": "`" * 50_000 + "a" + "``" * 50_000,
    "nested quotes": "> " * 50_000 + "x",
    "wide table": "|" + "a|" * 20_000 + "\n|" + "-|" * 20_000 + "\n" + "|x" * 10 + "\n",
    "reference definitions": "".join(f"[a{n}]: /u{n}\n" for n in range(20_000)) + "[a1]",
}


@pytest.mark.parametrize("markdown", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_markdown_renders_to_html_without_crashing(markdown: str) -> None:
    """pulldown-cmark parses in linear time without recursion (markdown-it.rs, tried too,
    ran out of memory on the wide table)."""
    assert markdown_html(markdown).startswith("<")


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="reads resident memory from Linux's /proc")
def test_rendering_frees_what_it_allocates() -> None:
    """cmark-gfm's binding, tried before, grew 17 MB for every 1,000 bodies rendered."""
    body = CONSTRUCTS["tables"] + "\n\n" + "A paragraph with *emphasis* and [a link](/x). " * 60

    def resident_mb() -> float:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6

    for _ in range(1_000):
        markdown_html(body)
    before = resident_mb()
    for _ in range(5_000):
        markdown_html(body)
    assert resident_mb() - before < 2


@pytest.mark.parametrize("html", ["<p>a&#x1;b</p>", "<p>a&#x0000000001;b</p>", '<p title="&#1">ab</p>'])
def test_the_sanitised_html_never_holds_a_character_a_feed_cannot_carry(html):
    """Validation refuses the references that make one; none that slips past may stop a build."""
    assert "\x01" not in sanitise_html(html, LINK)


@pytest.mark.parametrize(("html", "expected"), [
    ('<p>Photo: <img src="javascript:alert(1)" alt="the harbour"> and more</p>', "<p>Photo: the harbour and more</p>"),
    ('<img alt="Q&amp;A: &quot;a &lt; b&quot;">', "Q&amp;A: \"a &lt; b\""),
    ('<img src="ftp://example.com/map.png">', ""),
    ('<img alt="lead" src="/img/a.jpg">', '<img alt="lead" src="https://news.example.com/img/a.jpg">'),
    ('<img alt="a&nbsp;b">', "a&nbsp;b"),
])
def test_an_image_whose_source_is_removed_leaves_its_alt_text(html, expected):
    """As the warning says: no <img> without a source (readers draw a broken picture)."""
    assert sanitise_html(html, LINK) == expected


@pytest.mark.parametrize("body, found", [
    ("It&#146;s on", ("&#146;", "\x92")), ("<p>a&#x0000000001;b</p>", ("&#x0000000001;", "\x01")),
    ("&#8217; &#x201C; `&#0;` `&#1;`", None), ("&#" + "9" * 5000 + ";", None),
    ("a &#0; b", ("&#0;", "\ufffd")), ("<p>&#xD800;</p>", ("&#xD800;", "\ufffd")), ("&#x110000;", ("&#x110000;", "\ufffd")),
    ("\ufffd typed as it is", None),
])
def test_a_reference_is_named_only_where_it_puts_an_uncarriable_character_in_the_html(body, found):
    from feeds.sanitise import uncarriable_reference

    assert uncarriable_reference(body) == found
