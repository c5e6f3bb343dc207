"""The nesting guard's bound on the depth of the tree html5 builds: close to it for HTML as
people write it (sloppy included), and never far below it for any markup, checked against
html5ever (through markupever), the sanitiser's own parser (nh3 0.3.7 and later: a select
takes any element); sloppy HTML against html5lib too."""

from __future__ import annotations

import html5lib
import markupever
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feeds import html_depth as guard
from feeds.html_depth import html_shape

TAGS = ["<div>", "</div>", "<b>", "</b>", "<i>", "</i>", "<span>", "</span>", "<p>", "</p>", "<table>", "</table>",
        "<td>", "<blockquote>", "</blockquote>", "<ul>", "<li>", "</ul>", '<a href="x">', "</a>", "<em>", "</em>", "x",
        "<h2>", "</h3>", "<section>", "</section>", "<font>", "</font>", '<b class="1">', '<b class="2">', "<svg>",
        "</svg>", "<g>", "</g>", "<rt>", "<rp>", "<ruby>", "<option>", "<optgroup>", "<select>", "<dt>", "<dd>",
        "<dl>", "<li>", "<ol>", "<q>", "<bdi>", "<tr>", "<th>", "<code>", "<u>", "</u>", "<isindex>",
        "<search>", "<address>", "<nobr>", "<button>", "<script>", "</script>", "<!--", "-->", "<h3>", "<input>",
        "<object>", "<mi>", "<title>", "<textarea>", "<i title='<'>", "<hr>", "<math>", "<a>"]


def html_depth(html: str) -> int:
    """The guard's bound."""
    return html_shape(html).depth


def html5_depth(html: str) -> int:
    """How deep the tree html5ever builds of the fragment nests."""
    root = markupever.parse(html, markupever.HtmlOptions(full_document=False)).root()
    deepest, stack = 0, [(root, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in node.children() if isinstance(child, markupever.dom.Element))
    return deepest


def html5lib_depth(html: str) -> int:
    """As a page's body: html5lib reads a fragment's tables otherwise than the standard."""
    page = html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)
    body = page.find("body")
    deepest, stack = 0, [(page if body is None else body, 0)]  # a frameset takes the body's place
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in node)
    return deepest


@pytest.mark.parametrize("html", ["<div><b>x</div>", "<p><b>x</p>", "<li><b>item</li>", "<blockquote><b>x</blockquote>",
                                  '<a href="x"><div>card</a></div>', "<b><div>x</b></div>", "<i><p>x</i></p>",
                                  "<p><strong>Q:</p><p>answer</strong></p>", "<center><font>x</center>",
                                  "<b><i>08:00</b></i> Update<br>", '<a href="/x"><b>link</a></b> text<br>',
                                  "<span><strong>x</span></strong>", '<font face="Arial"><b>x</font></b><br>',
                                  "<ruby>a<rt>b<rt>c</ruby>", "<dl><dt>a<dd>b<dt>c<dd>d</dl>",
                                  "<select><option>a<option>b</select>", "<ul><li>a<li>b</ul>",
                                  '<a href="/a">one <a href="/b">two', "<li><div>item</div>", "<li><address>x",
                                  "<h3>heading <h3>next", "<script>if (a<b) { x = '<div>' }</script>",
                                  "<nobr>a <nobr>b", "<button>a <button>b", '<p title="<div>">x</p>',
                                  "<!--[if gte mso 9]><xml><w:LsdException Locked='false'/><div></xml><![endif]-->",
                                  "<textarea><div></textarea>", "<style>p > b { }</style><div>x</div>",
                                  "<table><tr><td><b>x</td></tr></table>\n", "<table><tr><td>x</table>",
                                  "<table><tr><td><p>x</table>", "<table><tbody><tr><td>x</tbody></table>"])
def test_sloppy_html_as_cms_exports_write_it_is_not_deep(html):
    """An end tag left out, or written in the wrong order, 150 times over: html5 mends each."""
    assert html5_depth(html * 150) <= 5
    assert html5lib_depth(html * 150) <= 5
    assert html_depth(html * 150) <= 5


@pytest.mark.parametrize("html", ["<span><div>x</span>", "<b>x<i>y</b>", "<font><div>x</font>", "<span></x>",
                                  '<a href="x"></ul><font><div></a></i>', "</b></font><span><font><section></span>",
                                  "<em><section></g></g></a><g>", "<table></i></em><td><em><li>", "<td><table>",
                                  "<div><table><td></div>", "<rt><q>", "<rp>x", "<dt><li>", "<ruby><dt><rp><font>",
                                  "</p><select></h3><h2><select><optgroup>", "<svg></font></g><tr><tr><font>",
                                  "</figure><frameset><bdi></frameset></i>", "</nav><hr></td><annotation-xml></address><p>",
                                  "<input></form><form></audio><rt><mo>", "<isindex><dt>", "<p><search>",
                                  "<search><p>", "<select><b class=1><select>", "<select><u>x</select>",
                                  "<select><b>x", "<div title='<'>", "<span title='>'>x", '<br ="><div>">',
                                  "<br ='><div>", '<br x= y="><div>">', "<template><col><xmp></template><div>",
                                  "<ruby><p><rtc></x>", "<b><object></b></object></x>", "<b><select></b></select></x>",
                                  "<div></isindex><isindex>", "<svg a=b/>", "<svg><![CDATA[></svg>]]></x>",
                                  "<div><script><!--<script></script></div>--></script>",
                                  '<math><annotation-xml encoding="text/html "><option></x>', "<svg x=/></x>",
                                  "<p\xa0></x>", "<![CDATA[<div>]]><span></x></div>",
                                  "<hr title='><div>'><span></x></div>", "<textarea></textarea\r><span></x>",
                                  "<table><td><b><textarea></b></textarea>", "<p><isindex><dt>", "<p><isindex><li>"])
def test_markup_html5_nests_ever_deeper_is_counted_so(html):
    """Each of these nests deeper at every repeat; the sanitiser's time grows faster than the
    square of the depth (16,000 repeats of the fifth held a build 7 s, 149,000 of <rt><q>
    two and a half minutes, 20,000 of <ruby><dt><rp><font> 9 s)."""
    assert html5_depth(html * 150) >= 149
    assert html_depth(html * 150) > 100


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TAGS), min_size=1, max_size=6), st.integers(min_value=10, max_value=60))
def test_the_bound_is_never_far_below_the_depth_html5_builds(unit, repeats):
    """Within a factor of six, over any repeated markup: the tables html5 fills in with rows
    and cells it adds, and the formatting it opens again, are what the bound counts short."""
    html = "".join(unit) * repeats
    assert html_depth(html) * 6 + 20 >= html5_depth(html)


@pytest.mark.parametrize("element", ["script", "style"])
def test_the_end_of_raw_text_in_a_table_is_searched_for_once_not_from_each_start_tag(monkeypatch, element):
    """html5 may read a script or a style in a table as text or as markup, so the bound reads
    on to its end; searched for again from each of 8,000 `<script>`, to the end of a body
    that had none, 80 KB held check 50 s."""
    searches = []
    search = guard._raw_text_end
    monkeypatch.setattr(guard, "_raw_text_end", lambda html, name, at: searches.append(at) or search(html, name, at))
    assert html_shape("<table>" + f"<{element}>x" * 1_000).depth == 1_001
    assert len(searches) == 1


def test_white_space_and_slashes_before_a_tags_end_are_read_as_one_run():
    """Not as a failed attribute from each of their characters: `<div a` and 40,000 '/' held
    check 19 s, and 1 MB of such tags hours."""
    tag = "<div a" + "/" * 40_000 + ">"
    assert [(found.group(1), found.span()) for found in guard._ATTRIBUTE.finditer(tag, 4)] == [
        ("a", (4, 6)), (None, (6, 40_006))]
    assert html_shape(tag).attributes == 1


def test_html_that_nests_as_written_is_measured_without_reading_html5s_rules(monkeypatch):
    """Markdown's own HTML, and tags that end in the order they open, need none of html5's
    mending: read by its rules, 2 µs a tag, 125,000 `<b>x</b>` cost 0.5 s and 450,000 lists
    in lists 4.7 s."""
    monkeypatch.setattr(guard, "_start", lambda *_: pytest.fail("read by html5's rules"))
    assert html_shape("<p>" + "<b>x</b>" * 1_000 + "</p>") == guard.HtmlShape(1, 0, 2_002)
    assert html_shape("<ul>\n<li>" * 300 + "x") == guard.HtmlShape(300, 0, 600)
    assert html_shape('<blockquote>\n<p><a href="/x">a</a> <em>b</em><br />\n<img src="/i.jpg" alt="c" /></p>\n'
                      "</blockquote>\n<h2>d</h2>") == guard.HtmlShape(2, 0, 12)


def test_deep_plain_html_with_one_sloppy_tag_reads_only_that_tag_by_html5s_rules(monkeypatch):
    """The plain reading stops at the first tag html5 mends and takes up again where no
    formatting waits to be opened: 450,000 lists in lists and one `<b><p>x</b></p>` after
    them were all read by html5's rules, 5 s."""
    read: list[str] = []
    start, end_tag = guard._start, guard._end_tag
    monkeypatch.setattr(guard, "_start", lambda elements, name, written: read.append(name) or start(elements, name, written))
    monkeypatch.setattr(guard, "_end_tag", lambda elements, name: read.append(f"/{name}") or end_tag(elements, name))
    lists = "<ul>\n<li>" * 2_000 + "x" + "</li>\n</ul>" * 2_000
    sloppy = "<p><b><p>x</b></p></p>"
    assert html_shape(sloppy + lists + sloppy + lists) == guard.HtmlShape(2_000, 2, 16_012)
    assert read == ["p", "/b", "/p"] * 2


@pytest.mark.parametrize("html", ["<p><b>x</p>", "<p><div>x</div></p>", "<ul><li>a<li>b</ul>", '<a href="x"><a>y</a></a>',
                                  "<h2><h3>x</h3></h2>", "<B>x</B>", "<b title='x'>y</b>", "<div>a < b</div>", "</br>",
                                  "<table><td>x</td></table>", "<!-- x --><b>y</b>"])
def test_the_plain_reading_stops_at_html_html5_mends_or_may_read_otherwise(html):
    assert guard._plain_run(html, 0, guard._OpenElements())[0] < len(html)


_NESTED_AS_WRITTEN = st.recursive(
    st.sampled_from(["x", "\n", "&amp;", "<br>", "<br />", "<hr>", '<img src="a" alt="b">']),
    lambda inside: st.tuples(st.sampled_from(sorted(guard._PLAIN - guard.VOID)), st.sampled_from(["", ' class="c"']),
                             st.lists(inside, max_size=4), st.booleans()).map(
        lambda element: f"<{element[0]}{element[1]}>{''.join(element[2])}" + (f"</{element[0]}>" * element[3])),
    max_leaves=30)


def rules_shape(html: str) -> guard.HtmlShape:
    """html_shape, every tag read by html5's rules."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(guard, "_plain_run", lambda html, at, elements: (at, 0, 0))
        return html_shape(html)


@settings(max_examples=500, deadline=None)
@given(st.lists(_NESTED_AS_WRITTEN | st.sampled_from(TAGS), min_size=1, max_size=8), st.integers(min_value=1, max_value=4))
def test_the_plain_reading_gives_what_html5s_rules_give_wherever_it_reads(parts, repeats):
    html = "".join(parts) * repeats
    assert html_shape(html) == rules_shape(html)
