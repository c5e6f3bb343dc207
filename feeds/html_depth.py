"""A safe bound on how deep the tree html5 builds from a body's HTML nests, in one pass.

The sanitiser (html5ever, through nh3) takes time faster than the square of that depth,
and html5 grows the tree in ways the tags alone do not show: an end tag it ignores leaves
its element open, and formatting closed by another element's end tag is opened again. An
exact depth would take all of html5's tree-building rules; this follows those that decide
depth, as html5ever has them:
- the text is read as html5's tokenizer reads it: no tag in a comment, in a quoted
  attribute's value, or in a script's, a style's, a textarea's or such element's text
  (where html5 surely reads it as text); after a tag with no end, which html5 takes to be
  the end of the text, the bound reads on;
- an end tag of a block closes it by name, within its scope (`</div>` over a table in the
  div closes nothing, `</li>` over a list nothing); of formatting over a block, it takes
  the formatting out and leaves the block open; of any other element, it closes the
  innermost of its name, unless a block lies inside it (html5 ignores `</span>` over an
  open div) or none is open (`<span></x>` 100,000 times nests 100,000 deep); in svg or
  math, it closes one of theirs;
- a new paragraph, list item, term or cell ends the last as html5 does (an item or a term
  not over a block but a div, an address or a paragraph; a ruby's text only in a ruby:
  `<rt><q>` nests); a block's start ends an open paragraph, not over a button; a link in
  a link, a button in a button, a select in a select and a table straight in a table end
  the open one; formatting closed by another element's end tag opens again before text
  (a line's end too) and the next element that is not a block (at most three alike:
  html5's "Noah's ark");
- a cell outside a table or template, a form in a form, html, head, body and frameset are
  nothing; a closed form stays in the tree around what was open in it; in svg and math
  every element nests, as in XML, until an html tag ends them or one of theirs holds html;
- a list item in its list, a cell in its row, a paragraph and such are no level of their own.

So sloppy HTML as CMS exports write it (`<b><p>x</b></p>`, `<b><i>08:00</b></i>` in every
line) counts a few levels, as html5 mends it, while `<p><b>x</p>` on every line counts a
level a line, as html5 nests it; and no markup counts far below html5's depth:
`tests/test_html_depth.py` checks both against html5ever, as nh3 0.3.7 and later have it
(a select takes any element). Each tag costs the same however deep the elements open:
counts of the blocks, scope edges and lists opened so far answer whether one lies inside
an element.
"""

from __future__ import annotations

import re
from typing import NamedTuple

TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^<>]*?(/?)>")
# What html5's tokenizer makes of a '<', in the order it looks: a comment (to its end, or to
# the end of the text), CDATA (in svg and math; elsewhere a bogus comment, to the first
# '>'), a bogus comment (`<!x>`, `<?x>`, `</3>`), or a tag, read attribute by attribute as
# html5 reads them (a quoted value may hold '>'; `=` may start a name; white space is
# html5's five characters, not Unicode's). A tag whose value's quote never closes is, to
# html5, the end of the text: the bound reads on, which counts no less.
_SPACE = "\t\n\f\r "
_MARKUP = re.compile(rf"""<!--(?:-?>|.*?(?:--!?>|\Z))|(?P<cdata><!\[CDATA\[)|<[!?][^>]*>?|</(?![A-Za-z])[^>]*>?
    |<(?P<closing>/?)(?P<name>[A-Za-z][^{_SPACE}/>]*)
     (?:[{_SPACE}/]
       |[^{_SPACE}/>][^{_SPACE}/>=]*(?![^{_SPACE}/>=])  # an attribute's name
        (?:[{_SPACE}]*=[{_SPACE}]*(?:"[^"]*"|'[^']*'|(?!["'>])[^{_SPACE}>]*(?![^{_SPACE}>])))?  # its value
     )*>""", re.DOTALL | re.VERBOSE)
_CDATA_END = re.compile(r"\]\]>")
_BOGUS_END = re.compile(">")
_VALUE_ENDS = _SPACE + "\"'>"  # what ends an unquoted attribute value
# whose text html5 reads as text to their end tag (noscript too: the sanitiser parses as a
# browser with scripts does)
RAW_TEXT = frozenset({"iframe", "noembed", "noframes", "noscript", "plaintext", "script", "style", "textarea",
                       "title", "xmp"})
_MAY_IGNORE_RAW_TEXT = ("table", "template", "colgroup")
_TABLE_ROWS = frozenset({"table", "tbody", "thead", "tfoot", "tr"})
_SCRIPT_TOKENS = re.compile(r"<!--(?P<comment>-?>)?|-->|<(?P<closing>/?)script[\t\n\f\r />]", re.IGNORECASE)
_RAW_TEXT_ENDS = {name: re.compile(rf"</{name}[\t\n\f\r />]", re.IGNORECASE) for name in RAW_TEXT}
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

VOID = frozenset({"area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img", "input",
                  "keygen", "link", "meta", "param", "source", "track", "wbr"})
# html5 takes these in a body as nothing (but their attributes): a frameset has no place after its first words
_PAGE = frozenset({"html", "head", "body", "frameset"})
_OPTIONS = frozenset({"select", "option", "optgroup"})
# `<p>a<p>b` is two paragraphs, not one in another
_ENDED_BY_THE_NEXT = frozenset({"p", "li", "dt", "dd", "option", "optgroup", "rt", "rp", "tr", "td", "th", "thead",
                                "tbody", "tfoot", "colgroup"})
FOREIGN = frozenset({"svg", "math"})  # inside these, `<g/>` closes itself as XML does
# html5's "special" elements that hold others: an end tag of one closes it by name, and a
# stray end tag of another element stops at one
_BLOCKS = _ENDED_BY_THE_NEXT - {"option", "optgroup", "rt", "rp"} | {
    "address", "applet", "article", "aside", "blockquote", "body", "button", "caption", "center", "details",
    "dir", "div", "dl", "fieldset", "figcaption", "figure", "footer", "form", "h", "header", "hgroup", "html",
    "frameset", "head", "iframe", "isindex", "listing", "main", "marquee", "menu", "nav", "noembed", "noframes", "noscript",
    "object", "ol", "plaintext", "pre", "script", "section", "select", "style", "summary", "table",
    "template", "textarea", "title", "ul", "xmp"}
# closed by name as blocks are, but no block to an end tag of another element
_CLOSED_BY_NAME = _BLOCKS - {"isindex"} | {"dialog", "search"}
# where html5 stops looking for a block to end: `</div>` inside a table in a div ends nothing
_SCOPE_EDGES = frozenset({"applet", "caption", "html", "table", "td", "th", "marquee", "object", "select",
                          "template"})
_LISTS = frozenset({"ol", "ul"})
# html tags that end svg or math content (html5's "breakout" elements)
_BREAKOUTS = frozenset({"b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em", "embed",
                        "h", "head", "hr", "i", "img", "li", "listing", "menu", "meta", "nobr", "ol", "p", "pre", "ruby",
                        "s", "small", "span", "strong", "strike", "sub", "sup", "table", "tt", "u", "ul", "var"})
# svg's and math's elements that hold html
_INTEGRATION_POINTS = {"math": frozenset({"mi", "mo", "mn", "ms", "mtext"}),
                       "svg": frozenset({"foreignobject", "desc", "title"})}
# an attribute as html5 reads one (its first of a name counts), or, named None, the white
# space and '/' before the tag's end: read as a failed start from each of their characters,
# `<div a` and 40,000 '/' took 19 s; an annotation holds html where its encoding is one of
# these, exactly
_ATTRIBUTE = re.compile(rf"""[{_SPACE}/]+(?:([^{_SPACE}/>][^{_SPACE}/>=]*)(?:[{_SPACE}]*=[{_SPACE}]*("[^"]*"|'[^']*'|[^{_SPACE}>]*))?
                             |(?=>)|\Z)""", re.VERBOSE)
_TAG_NAME = re.compile(rf"<[^{_SPACE}/>]*")
_HTML_ENCODINGS = frozenset({"text/html", "application/xhtml+xml"})
_FONT_BREAKOUT = re.compile(rf"[{_SPACE}/](?:color|face|size)[{_SPACE}]*=", re.IGNORECASE)
# where a list item, a cell or such is no level of its own, but a part of the one it is in
_CONTAINERS = {"li": frozenset({"ul", "ol", "menu"}), "dt": frozenset({"dl"}), "dd": frozenset({"dl"}),
               "tr": frozenset({"table", "tbody", "thead", "tfoot"}), "td": frozenset({"tr"}), "th": frozenset({"tr"}),
               "thead": frozenset({"table"}), "tbody": frozenset({"table"}), "tfoot": frozenset({"table"}),
               "colgroup": frozenset({"table"}), "option": frozenset({"select", "datalist", "optgroup"}),
               "optgroup": frozenset({"select"}), "rt": frozenset({"ruby", "rtc"}), "rp": frozenset({"ruby", "rtc"})}
_RUBY_TEXT = frozenset({"rt", "rp"})
# html5's "implied end tags": a ruby's text ends these while they are the elements open last
_ENDED_BY_IMPLICATION = frozenset({"dd", "dt", "li", "optgroup", "option", "p", "rb", "rp", "rt", "rtc"})
_ALIKE = {"dt": ("dt", "dd"), "dd": ("dt", "dd")}  # a term ends the last term or description
_ITEMS = frozenset({"li", "dt", "dd"})  # not over a block open inside them
_TABLE_PARTS = frozenset({"caption", "col", "colgroup", "tbody", "td", "tfoot", "th", "thead", "tr"})
# the start tags that close an open paragraph first: a paragraph holds no block
_ENDS_A_PARAGRAPH = frozenset({"address", "article", "aside", "blockquote", "center", "dd", "details", "dialog", "dir",
                               "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h", "header",
                               "hgroup", "hr", "li", "listing", "main", "menu", "nav", "ol", "p", "plaintext", "pre",
                               "search", "section",
                               "summary", "table", "ul", "xmp"})
_FORMATTING = frozenset({"a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt",
                         "u"})

# those a list item or a term ends the last one over
_STOPS_AN_ITEM = _BLOCKS - {"address", "div", "p"}
# the start tags before which html5 does not open again the formatting closed by another's
# end tag (before all others it does)
_KEEPS_FORMATTING_CLOSED = frozenset().union(_ENDS_A_PARAGRAPH, RAW_TEXT, _TABLE_PARTS, _PAGE, _RUBY_TEXT, {
    "base", "basefont", "bgsound", "frame", "link", "meta", "param", "rb", "rtc", "source", "template",
    "track"}) - {"xmp"}

NOAHS_ARK = 3  # html5 keeps at most three alike formatting elements to open again


class HtmlShape(NamedTuple):
    """What decides the sanitiser's time on a body's HTML, besides its length."""

    depth: int  # the deepest the elements open get
    reopened: int  # formatting elements html5 opens again after another element's end tag, all told
    tags: int  # the tags read
    attributes: int = 0  # the most on one element (the html and body tags' all add to one)


def most_reopened(tags: int) -> int:
    """How many elements opening formatting again may make for so many tags: a sloppy page
    makes one or two a line. 95 distinct `<b>` left open around each of 82,000 lines made
    html5 open 7.8 million again, 9 s in nh3, at a depth of 96."""
    return 4 * tags + 10_000


MAX_ATTRIBUTES = 1_000  # on one element: html5ever checks each against all before it, so the time grows with the square


def html_shape(html: str) -> HtmlShape:
    """The depth, and the formatting opened again, as html5 builds the tree (see the
    module's text); read no further once that is over what most_reopened allows. Where the
    elements open are all plain and no formatting waits to be opened again, the tags on
    from there are read as plain (_plain_run) for as long as they nest as written, and
    html5's rules read on from where the plain reading stops: 450,000 lists in lists and
    one `<b><p>x</b></p>` after them, all read by the rules for that one tag, took 5 s."""
    elements = _OpenElements()
    deepest = tags = attributes = page_attributes = 0
    at = 0
    unsure_until = 0  # the end of a raw text html5 may read as text or as markup: its end tags close nothing
    unsure_ends: dict[str, int] = {}  # each such raw text's last end found, by its element's name
    last = html.rfind(">") + 1  # no tag ends after the last '>': from each '<' there, a search would read to the end
    while True:
        if at >= unsure_until and elements.plain():
            at, plain_deepest, plain_tags = _plain_run(html, at, elements)
            deepest, tags = max(deepest, plain_deepest), tags + plain_tags
        found = _MARKUP.search(html, at, last)
        if found is None or elements.reopened > most_reopened(tags):
            break
        if found.start() > at and elements.waiting() and _opens_formatting(elements, html[at:found.start()]):
            elements.open_again()  # text, a line's end too: `<p><b>x</p>\n` 150 times nests 150 deep
            deepest = max(deepest, elements.depth)
        at = found.end()
        name = found["name"]
        if name is None:
            if found["cdata"]:  # svg's text, to its end; elsewhere a bogus comment, to the first '>'
                closed = (_CDATA_END if elements.foreign_space() is not None else _BOGUS_END).search(html, at)
                at = closed.end() if closed is not None else len(html)
            continue  # a comment: `<!--[if gte mso 9]><xml><w:LsdException/>` from Word holds no tag
        tags += 1
        name = name.lower()
        if len(found[0]) > 2 * MAX_ATTRIBUTES or name in _PAGE and not found["closing"]:
            count = sum(1 for attribute, _ in _ATTRIBUTE.findall(found[0], len(name) + 1) if attribute)
            if name in _PAGE:  # html5 adds each html or body tag's attributes to the one element
                page_attributes += count
            attributes = max(attributes, count, page_attributes)
        name = "h" if name in _HEADINGS else name
        if found["closing"]:
            if found.start() >= unsure_until:
                _end_tag(elements, name)
            continue
        surely_in_body = name in RAW_TEXT and _surely_in_body(elements, name)
        if _start(elements, name, found[0]) and name in RAW_TEXT:
            if surely_in_body:
                at = _raw_text_end(html, name, at)
            elif at >= unsure_ends.get(name, 0):  # read its start tags, as html5 may, but none of its end tags
                # Within the last such text of this name, its end is no later (a script's escapes
                # end it no later either): searched again from each of 8,000 `<script>` in a table,
                # to the end of a body that had none, 80 KB held check 50 s.
                unsure_ends[name] = _raw_text_end(html, name, at)
                unsure_until = max(unsure_until, unsure_ends[name])
        deepest = max(deepest, elements.depth)
    return HtmlShape(deepest, elements.reopened, tags, attributes)


# Tags that html5 builds into the tree as written, while they nest as written: those Markdown
# writes for paragraphs, headings, quotes, lists and code, and text-level elements with no
# rule of their own; each lower-case, its attributes double-quoted values with no '<' or '>'.
PLAIN_TAG = re.compile(rf'<(/?)([a-z][a-z0-9]*)((?:[{_SPACE}]+[a-z][a-z-]*(?:="[^"<>]*")?)*[{_SPACE}]*/?)>')
_PLAIN_BLOCKS = frozenset({"blockquote", "div", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "ul"})
_PLAIN = _PLAIN_BLOCKS | {"a", "abbr", "b", "bdi", "big", "br", "cite", "code", "del", "dfn", "em", "i", "img", "ins",
                          "kbd", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time",
                          "tt", "u", "var", "wbr"}
_PLAIN_OPEN = _PLAIN - VOID - _HEADINGS | {"h"}  # as the elements open have them: a heading is "h"
_NOT_LEVELS = frozenset({"p", "li"})  # a list item in its list, as the plain reading has them
_HEADINGS_OPEN = _HEADINGS | {"h"}
_PLAIN_OR_NOT = re.compile(PLAIN_TAG.pattern + "|<")  # a plain tag, or a '<' that starts none


def _plain_run(html: str, at: int, elements: _OpenElements) -> tuple[int, int, int]:
    """Read on from `at` over plain tags (PLAIN_TAG, _PLAIN) that end in the order they open,
    with none of html5's mending to do: no block in a paragraph, a list item straight in its
    list, no link in a link nor a heading straight in a heading. Such HTML is what Markdown
    writes, and html5 builds it as written, on plain elements open with nothing to open
    again (elements.plain()): the reading of html5's rules, 2 µs a tag, made 125,000
    `<b>x</b>` cost 0.5 s. Returns where the first tag not so read starts, the deepest the
    elements got and the tags read; the elements the run leaves open are opened in
    `elements`, for html5's rules to read on."""
    opened: list[str] = []  # the names of those the run opened, still open, innermost last
    starts: list[int] = []  # where each one's tag starts
    depth = deepest = elements.depth
    paragraphs, links = len(elements.at.get("p", ())), len(elements.at.get("a", ()))
    tags = 0
    for tag in _PLAIN_OR_NOT.finditer(html, at):
        closing, name, attributes = tag.groups()
        if name not in _PLAIN or len(attributes) > MAX_ATTRIBUTES:
            break  # a '<' that starts no plain tag, too (name None)
        if closing:
            if opened:
                if opened[-1] != name:
                    break
                opened.pop()
                starts.pop()
                depth -= name not in _NOT_LEVELS
                paragraphs -= name == "p"
                links -= name == "a"
            elif elements.names and elements.names[-1] == ("h" if name in _HEADINGS else name):
                elements.close_to(len(elements.names) - 1)  # one html5's rules opened: its own counts say what it was
                depth = elements.depth
                paragraphs, links = len(elements.at.get("p", ())), len(elements.at.get("a", ()))
            else:
                break
        elif name in VOID:
            if name == "hr" and paragraphs:
                break
        else:
            innermost = opened[-1] if opened else elements.names[-1] if elements.names else ""
            if name in _PLAIN_BLOCKS and paragraphs or name == "a" and links or name == "li" and innermost not in (
                    "ul", "ol") or name in _HEADINGS and innermost in _HEADINGS_OPEN:
                break
            opened.append(name)
            starts.append(tag.start())
            depth += name not in _NOT_LEVELS
            deepest = max(deepest, depth)
            paragraphs += name == "p"
            links += name == "a"
        tags += 1
        at = tag.end()
    for name, start in zip(opened, starts):
        elements.open("h" if name in _HEADINGS else name, html[start:html.index(">", start) + 1].lower())
    return at, deepest, tags


def unclosed_comment(html: str) -> int:
    """Where a comment that nothing closes starts, as html5's tokenizer reads the HTML, or -1:
    not a `<!--` in a tag's attribute (`<a title="<!--">`) nor in raw text (a script's, a
    textarea's), which html5 reads as text. One pass, bounded as html_shape's."""
    last = html.rfind(">") + 1  # a tag or a closed comment ends by here; a comment opened after it is never closed
    at = 0
    while (found := _MARKUP.search(html, at, last)) is not None:
        if found[0].startswith("<!--") and not found[0].endswith(("-->", "--!>")):  # read on to the bound
            return found.start()
        at = found.end()
        name = (found["name"] or "").lower()
        if name in RAW_TEXT and not found["closing"]:
            at = _raw_text_end(html, name, at)
    return html.find("<!--", max(at, last))


def _opens_formatting(elements: _OpenElements, text: str) -> bool:
    """Text opens formatting again, but in svg or math, and white space straight in a table."""
    if elements.foreign_space() is not None:
        return False
    return not (elements.names and elements.names[-1] in _TABLE_ROWS and not text.strip("\t\n\f\r "))


def _surely_in_body(elements: _OpenElements, name: str) -> bool:
    """Whether html5 surely reads the element's text as text: not where it may ignore its
    tag (in a table, a template, a column group: `<template><col><xmp>` is no xmp)."""
    return all(elements.innermost(where) is None for where in _MAY_IGNORE_RAW_TEXT)


def _raw_text_end(html: str, name: str, at: int) -> int:
    """Where the element's text ends: at its end tag (a plaintext's, never)."""
    if name == "script":
        return _script_end(html, at)
    end = _RAW_TEXT_ENDS[name].search(html, at)
    return len(html) if name == "plaintext" or end is None else end.start()


def _script_end(html: str, at: int) -> int:
    """Where a script's text ends, as html5's tokenizer has it: after `<!--`, a `<script>`
    starts a stretch (to `-->`) where `</script>` ends nothing."""
    escaped = double = False
    for token in _SCRIPT_TOKENS.finditer(html, at):
        if token[0].startswith("<!--"):
            escaped = escaped or not token["comment"]  # `<!-->` and `<!--->` end as they begin
        elif token[0] == "-->":
            escaped = double = False
        elif token["closing"]:
            if not double:
                return token.start()
            double = False
        elif escaped:
            double = True
    return len(html)


def _start(elements: _OpenElements, name: str, written: str) -> bool:
    """A start tag; whether html5 takes it as html's (not svg's or math's)."""
    if (space := elements.foreign_space()) is not None:
        if not (name in _BREAKOUTS or name == "font" and _FONT_BREAKOUT.search(written)):
            if not _self_closing(written):  # in svg or math every element nests, as in XML
                elements.open(name, written.lower(), "svg" if name == "svg" else "math" if name == "math" else space)
            return False
        elements.leave_foreign()  # html5 ends the svg or math: the tag is html's again
    if name in _PAGE:
        return True
    if name not in _KEEPS_FORMATTING_CLOSED:
        if name == "nobr" and elements.waiting():
            elements.open_again()  # before a nobr ends the open one, and again after
        if name in _MISNESTED:
            _end_misnested(elements, name)
        if elements.waiting():
            elements.open_again()
    if name in FOREIGN:
        if not _self_closing(written):
            elements.open(name, "", name)
        return False
    if name in _MAY_BE_IGNORED and _ignored(elements, name):
        return True
    if name in _ITEMS:  # html5 looks for the last item before it ends a paragraph: `<dt><p><isindex><dt>` nests
        _end_the_last(elements, name)
    if name in _ENDS_A_PARAGRAPH:
        elements.close_by_name("p")
    if name == "h" and elements.names and elements.live[-1] and elements.names[-1] == "h":
        elements.close_to(len(elements.names) - 1)  # `<h3>` in an open `<h3>` ends it
    if name not in VOID:
        if name in _ENDS_THE_LAST and name not in _ITEMS:
            _end_the_last(elements, name)
        elements.open(name, written.lower())
    return True


def _encoding(written: str) -> str:
    """The value of a tag's first encoding=, as html5 reads its attributes."""
    named = _TAG_NAME.match(written)
    for found in _ATTRIBUTE.finditer(written, named.end() if named else 0):
        if found[1] is not None and found[1].lower() == "encoding":
            value = found[2] or ""
            return (value[1:-1] if value[:1] in ("'", '"') else value).lower()
    return ""


def _self_closing(written: str) -> bool:
    """The tag ends in a `/>` of its own: not one whose slash is an unquoted value's last
    character (`<circle r=5/>`, `<svg x=/>`), which leaves the element open. The value is
    read back from the end, once: a search for its `=` read on from each `=` of `<g` and
    45,000 `=` before a quote (a 900 KB body of such tags held check 94 s)."""
    if not written.endswith("/>"):
        return False
    before = written[:-2]
    value_start = max(before.rfind(char) for char in _VALUE_ENDS) + 1
    return "=" not in before[value_start:] and not before[:value_start].rstrip(_SPACE).endswith("=")


# html5's markers in its list of formatting elements: formatting opened in one is not opened again beyond it
_MARKERS = frozenset({"applet", "caption", "marquee", "object", "td", "template", "th"})
_TABLE_ENDS = frozenset({"table", "tbody", "tfoot", "thead", "tr"})
_MAY_BE_IGNORED = _TABLE_PARTS | {"form", "select", "table"}
_ENDS_THE_LAST = _ENDED_BY_THE_NEXT | {"rb", "rtc"}
_MISNESTED = frozenset({"a", "button", "input", "nobr", "option", "optgroup"})


def _end_misnested(elements: _OpenElements, name: str) -> None:
    """`<a>` in an open a, `<nobr>` in an open nobr, `<button>` in an open button: html5
    ends the open one first. In a select, an option ends those implied open last, an input
    the select."""
    if name == "a":
        index = elements.innermost("a")
        if index is None or elements.in_scope(index):
            _close(elements, "a")
        if index is not None and index < len(elements.names) and elements.live[index]:
            elements.take_out(index, stays_in_tree=True)  # html5 takes it from those open, out of scope too
    elif name == "nobr" and elements.in_scope_named("nobr") is not None:
        _close(elements, "nobr")
    elif name == "button" and (index := elements.in_scope_named("button")) is not None:
        elements.close_to(index)
    elif name in ("option", "optgroup", "input") and (select := elements.in_scope_named("select")) is not None:
        if name == "input":
            elements.close_to(select)
        else:
            elements.end_implied(keep="optgroup" if name == "option" else "")
    elif name in ("option", "optgroup") and elements.names and elements.live[-1] and elements.names[-1] == "option":
        elements.close_to(len(elements.names) - 1)


def _ignored(elements: _OpenElements, name: str) -> bool:
    """A select in a select ends it, as a table in a table does outside its cells; a form in
    a form, and a cell or row outside a table, are nothing."""
    if name == "select" and (select := elements.in_scope_named("select")) is not None:
        elements.close_to(select)
        return True
    if name == "table" and (table := elements.innermost("table")) is not None and not any(
            (inner := elements.innermost(part)) is not None and inner > table for part in ("td", "th", "caption", "template")):
        elements.close_to(table)  # a table straight in a table (outside its cells) ends it
    return (name == "form" and elements.innermost("form") is not None
            or name in _TABLE_PARTS and elements.innermost("table") is None and elements.innermost("template") is None)


def _end_the_last(elements: _OpenElements, name: str) -> None:
    """`<p>a<p>b`, `<li>a<li>b`, `<td>a<td>b`: a new one ends the last, as html5 has it: a
    paragraph or a table's part the last open in scope; a list item or a term the last
    unless a block other than a div, an address or a paragraph is open inside it
    (`<li>a<ul><li>b` nests); a ruby's text those implied open last, in a ruby alone
    (`<rt><q>` nests)."""
    if name in _RUBY_TEXT or name in ("rb", "rtc"):
        if elements.in_scope_named("ruby") is not None:
            elements.end_implied(keep="rtc" if name in _RUBY_TEXT else "")
    elif name in _ENDED_BY_THE_NEXT - _OPTIONS - {"p"}:  # a paragraph's start ended the last, as a block's does
        index = max((found for alike in _ALIKE.get(name, (name,)) if (found := elements.innermost(alike)) is not None),
                    default=None)
        if index is not None and elements.in_scope(index) and (name not in _ITEMS or not elements.stops_an_item(index)):
            elements.close_to(index)


def _end_tag(elements: _OpenElements, name: str) -> None:
    """In svg or math, an end tag closes the innermost element of its name there, or, none
    open, is html's (`</p>` and `</br>` end the svg or math first, as a breakout does)."""
    if elements.names and elements.spaces[-1]:
        if name in ("p", "br"):
            elements.leave_foreign()
        elif (index := elements.innermost_foreign(name)) is not None:
            elements.close_to(index)
            return
    if name not in _PAGE:
        _close(elements, name)


def _close(elements: _OpenElements, name: str) -> None:
    """An end tag: a block's closes it by name, within scope; formatting's over a block takes
    it out (html5's copy of it stands in its place); any other closes the innermost of its
    name and all inside it, but none open, or a block inside it, and html5 ignores it."""
    index = elements.innermost(name)
    if name in _TABLE_ENDS:  # in table scope: they end the cell or caption open in them, html5's edges
        if index is not None and all((inner := elements.innermost(edge)) is None or inner <= index
                                     for edge in ("table", "template")):
            elements.close_to(index)
    elif name == "form":
        if index is not None and elements.in_scope(index):
            elements.take_out(index, stays_in_tree=True)  # html5 removes the form alone: what is in it stays open
    elif name in _CLOSED_BY_NAME:
        elements.close_by_name(name)
    elif index is None:
        elements.forget(name)
    elif name in _FORMATTING and not elements.in_scope(index):
        return  # html5 leaves formatting beyond a table's, an object's or a select's edge open
    elif not elements.has_block_inside(index):
        elements.close_to(index)
    elif name in _FORMATTING:
        elements.take_out(index)


class _OpenElements:
    """The elements open, innermost last, answering in constant time where the innermost of
    a name is and whether a block or a scope edge was opened inside it. An element taken
    out from among them is left in place, dead, and dropped with those inside it."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.live: list[bool] = []
        self.counted: list[bool] = []  # a level of its own
        self.spaces: list[str] = []  # "svg" or "math" for their elements, "" for html's
        self.at: dict[str, list[int]] = {}  # html name, or "svg:name" -> where each live one is, innermost last
        self.htmls: list[int] = [0]  # htmls[i]: html's elements among names[:i]
        self.blocks: list[int] = [0]  # blocks[i]: the blocks among names[:i]
        self.edges: list[int] = [0]  # edges[i]: the scope edges among names[:i]
        self.lists: list[int] = [0]  # lists[i]: the lists among names[:i], the edges of a list item's scope
        self.item_stops: list[int] = [0]  # item_stops[i]: the blocks but divs, addresses, paragraphs among names[:i]
        self.written: list[str] = []
        # formatting closed by another's end tag, to open again: (name, as written, markers open
        # around it) -> how many (html5's list of active formatting elements, but those open)
        self.to_open: dict[int, dict[tuple[str, str], int]] = {}  # by the markers open around them
        self.levels: list[int] = []  # the markers open around each element
        self.markers = 0  # cells, captions, objects, applets, marquees, templates open: html5's markers
        self.reopened = 0  # elements opened again, all told
        self.depth = 0  # the live elements that are a level of their own
        self.unplain: list[bool] = []  # not a plain element (_PLAIN_OPEN), or taken out, or svg's or math's
        self.unplain_open = 0

    def foreign_space(self) -> str | None:
        """"svg" or "math", if the element open last is of one, and not one that holds html."""
        if not (self.spaces and self.spaces[-1]):
            return None
        return None if self._holds_html(len(self.names) - 1) else self.spaces[-1]

    def _holds_html(self, index: int) -> bool:
        space, name = self.spaces[index], self.names[index]
        return not space or name in _INTEGRATION_POINTS[space] or (
            space == "math" and name == "annotation-xml" and _encoding(self.written[index]) in _HTML_ENCODINGS)

    def open(self, name: str, written: str, space: str = "") -> None:
        # A paragraph is no level, nor a list item in its list, a cell in its row and such.
        counted = name != "p" and not (self.names and self.names[-1] in _CONTAINERS.get(name, ()))
        self.at.setdefault(f"{space}:{name}" if space else name, []).append(len(self.names))
        self.names.append(name)
        self.written.append(written)
        self.live.append(True)
        self.counted.append(counted)
        self.spaces.append(space)
        self.levels.append(self.markers)
        self.markers += not space and name in _MARKERS
        self.blocks.append(self.blocks[-1] + (self._holds_html(-1) if space else name in _BLOCKS))
        self.htmls.append(self.htmls[-1] + (not space))
        self.edges.append(self.edges[-1] + (space != "" and self._holds_html(-1) or not space and name in _SCOPE_EDGES))
        self.lists.append(self.lists[-1] + (name in _LISTS))
        self.item_stops.append(self.item_stops[-1] + (name in _STOPS_AN_ITEM))
        self.depth += counted
        self.unplain.append(bool(space) or name not in _PLAIN_OPEN)
        self.unplain_open += self.unplain[-1]

    def plain(self) -> bool:
        """All the elements open are plain and live, and no formatting waits to be opened
        again: html5 builds the plain tags that follow as written (_plain_run)."""
        return not self.unplain_open and not self.waiting()

    def innermost(self, name: str) -> int | None:
        found = self.at.get(name)
        return found[-1] if found else None

    def has_block_inside(self, index: int) -> bool:
        return self.blocks[-1] > self.blocks[index + 1]

    def close_by_name(self, name: str) -> None:
        """Close the innermost element of this name, with all inside it, if one is open
        within scope: `</div>` in a table in a div closes nothing, nor `</li>` over a list,
        nor a block's start a paragraph over a button."""
        index = self.innermost(name)
        if index is not None and self.in_scope(index) and (name != "li" or self.lists[-1] == self.lists[index + 1]) \
                and (name != "p" or (button := self.innermost("button")) is None or button < index):
            self.close_to(index)

    def end_implied(self, keep: str = "") -> None:
        """Close the paragraphs, items, options and ruby's text open last (html5's implied
        end tags), but those named `keep`."""
        while self.names and self.live[-1] and self.names[-1] in _ENDED_BY_IMPLICATION and self.names[-1] != keep:
            self.close_to(len(self.names) - 1)

    def innermost_foreign(self, name: str) -> int | None:
        """Where the innermost svg or math element of this name is, if no html element is
        open inside it: an end tag in svg or math closes such alone."""
        index = max((found[-1] for space in FOREIGN if (found := self.at.get(f"{space}:{name}"))), default=None)
        return index if index is not None and self.htmls[-1] == self.htmls[index + 1] else None

    def _key(self, index: int) -> str:
        space, name = self.spaces[index], self.names[index]
        return f"{space}:{name}" if space else name

    def in_scope_named(self, name: str) -> int | None:
        """Where the innermost element of this name is, if no scope edge lies inside it."""
        index = self.innermost(name)
        return index if index is not None and self.in_scope(index) else None

    def stops_an_item(self, index: int) -> bool:
        """A block other than a div, an address or a paragraph lies inside the element."""
        return self.item_stops[-1] > self.item_stops[index + 1]

    def in_scope(self, index: int) -> bool:
        return self.edges[-1] == self.edges[index + 1]

    def close_to(self, index: int) -> None:
        """Close the element at `index` and every one inside it: the formatting among those
        is to be opened again, outermost first, as html5's list has them."""
        closed: list[tuple[str, str, int]] = []
        while len(self.names) > index:
            key = self._key(-1)
            name, written, space, level = self.names.pop(), self.written.pop(), self.spaces.pop(), self.levels.pop()
            self.depth -= self.counted.pop()
            self.unplain_open -= self.unplain.pop()
            if not space and name in _MARKERS:  # html5 forgets the formatting opened in it
                self.to_open.pop(self.markers, None)
                self.markers -= 1
            if self.live.pop():
                self.at[key].pop()
                if name in _FORMATTING and not space and len(self.names) > index:
                    closed.append((name, written, level))
            for counts in (self.blocks, self.edges, self.lists, self.item_stops, self.htmls):
                counts.pop()
            if len(self.names) == index and index and not self.live[-1]:
                index -= 1  # one taken out, now the element open last, is closed with it
        for name, written, level in reversed(closed):
            if level <= self.markers:  # not inside a marker closed with them
                self._reopen_later(name, written, level)

    def leave_foreign(self) -> None:
        """Close svg's and math's elements open last, up to one that holds html."""
        while self.foreign_space() is not None:
            self.close_to(len(self.names) - 1)

    def take_out(self, index: int, stays_in_tree: bool = False) -> None:
        """The innermost element of its name leaves, those inside it stay open: in it, for a
        form; out of it, for formatting html5 copies into the block inside it."""
        self.live[index] = False
        self.at[self._key(index)].pop()
        self.unplain_open += not self.unplain[index]
        self.unplain[index] = True
        if index == len(self.names) - 1:
            self.close_to(index)  # nothing is opened in it any more
        elif not stays_in_tree:
            self.depth -= self.counted[index]
            self.counted[index] = False

    def waiting(self) -> bool:
        """Formatting waits to be opened again inside the innermost marker."""
        return bool(self.to_open.get(self.markers))

    def forget(self, name: str) -> None:
        """An end tag of formatting that is not open: one of it is no longer opened again."""
        here = self.to_open.get(self.markers, {})
        found = next((key for key in reversed(here) if key[0] == name), None)
        if found is not None:
            here[found] -= 1
            if not here[found]:
                del here[found]

    def open_again(self) -> None:
        """Open again the formatting waiting inside the innermost marker (html5 opens none
        beyond a cell's or an object's edge)."""
        for (name, written), count in self.to_open.pop(self.markers, {}).items():
            self.reopened += count
            for _ in range(count):
                self.open(name, written)

    def _reopen_later(self, name: str, written: str, level: int) -> None:
        here = self.to_open.setdefault(level, {})
        here[(name, written)] = min(here.get((name, written), 0) + 1, NOAHS_ARK)
