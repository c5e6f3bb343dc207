"""A safe bound on how deep the tree html5 builds from a body's HTML nests, in one pass.

The sanitiser (html5ever, through nh3) takes time faster than the square of that depth,
and html5 grows the tree in ways the tags alone do not show: an end tag it ignores leaves
its element open, and formatting closed by another element's end tag is opened again. An
exact depth would take all of html5's tree-building rules; this follows those that decide
depth:
- an end tag of a block closes it by name, within its scope (`</div>` over a table in the
  div closes nothing, `</li>` over a list nothing); of formatting over a block, it takes
  the formatting out and leaves the block open; of any other element, it closes the
  innermost of its name, unless a block lies inside it (html5 ignores `</span>` over an
  open div) or none is open (`<span></x>` 100,000 times nests 100,000 deep);
- a new paragraph, list item, term or cell ends the last as html5 does (an item or a term
  not over a block inside it, a ruby's text only in a ruby: `<rt><q>` nests); a block's
  start ends an open paragraph; formatting closed by another element's end tag opens
  again before the next element that is not a block (at most three alike: html5's
  "Noah's ark");
- a cell outside a table, a form in a form, html, head, body and frameset are nothing; a
  select takes only its options; in svg and math every element nests, as in XML, until
  an html tag ends them;
- a list item in its list, a cell in its row, a paragraph and such are no level of their own.

So sloppy HTML as CMS exports write it (`<p><b>x</p>`, `<b><i>08:00</b></i>` in every
line) counts a few levels, as html5 mends it, and no markup counts far below html5's
depth: `tests/test_html_depth.py` checks both against html5lib, a parser of the same
standard. Each tag costs the same however deep the elements open: counts of the blocks,
scope edges and lists opened so far answer whether one lies inside an element.
"""

from __future__ import annotations

import re

TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^<>]*?(/?)>")
_HEADING = re.compile(r"h[1-6]")

VOID = frozenset({"area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img", "input",
                  "keygen", "link", "meta", "param", "source", "track", "wbr"})
# html5 takes these in a body as nothing (but their attributes): a frameset has no place after its first words
_PAGE = frozenset({"html", "head", "body", "frameset"})
_OPTIONS = frozenset({"select", "option", "optgroup"})
_IN_A_SELECT = _OPTIONS | {"hr", "input", "keygen", "textarea"}  # the only tags a select takes
_ENDS_A_SELECT = frozenset({"select", "input", "keygen", "textarea"})
# `<p>a<p>b` is two paragraphs, not one in another
_ENDED_BY_THE_NEXT = frozenset({"p", "li", "dt", "dd", "option", "optgroup", "rt", "rp", "tr", "td", "th", "thead",
                                "tbody", "tfoot", "colgroup"})
FOREIGN = frozenset({"svg", "math"})  # inside these, `<g/>` closes itself as XML does
# html5's "special" elements that hold others: an end tag of one closes it by name, and a
# stray end tag of another element stops at one
_BLOCKS = _ENDED_BY_THE_NEXT - {"option", "optgroup", "rt", "rp"} | {
    "address", "applet", "article", "aside", "blockquote", "body", "button", "caption", "center", "details", "dialog",
    "dir", "div", "dl", "fieldset", "figcaption", "figure", "footer", "form", "h", "header", "hgroup", "html",
    "frameset", "head", "iframe", "listing", "main", "marquee", "menu", "nav", "noembed", "noframes", "noscript",
    "object", "ol", "plaintext", "pre", "script", "section", "select", "style", "summary", "table",
    "template", "textarea", "title", "ul", "xmp"}
# where html5 stops looking for a block to end: `</div>` inside a table in a div ends nothing
_SCOPE_EDGES = frozenset({"applet", "caption", "html", "table", "marquee", "object", "template", "svg", "math"})
_LISTS = frozenset({"ol", "ul"})
# html tags that end svg or math content (html5's "breakout" elements)
_BREAKOUTS = frozenset({"b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em", "embed",
                        "h", "head", "hr", "i", "img", "li", "listing", "menu", "meta", "nobr", "ol", "p", "pre", "ruby",
                        "s", "small", "span", "strong", "strike", "sub", "sup", "table", "tt", "u", "ul", "var"})
# svg's and math's elements that hold html
_INTEGRATION_POINTS = frozenset({"mi", "mo", "mn", "ms", "mtext", "annotation-xml", "foreignobject", "desc", "title"})
_FONT_BREAKOUT = re.compile(r"\s(?:color|face|size)\s*=", re.IGNORECASE)
# where a list item, a cell or such is no level of its own, but a part of the one it is in
_CONTAINERS = {"li": frozenset({"ul", "ol", "menu"}), "dt": frozenset({"dl"}), "dd": frozenset({"dl"}),
               "tr": frozenset({"table", "tbody", "thead", "tfoot"}), "td": frozenset({"tr"}), "th": frozenset({"tr"}),
               "thead": frozenset({"table"}), "tbody": frozenset({"table"}), "tfoot": frozenset({"table"}),
               "colgroup": frozenset({"table"}), "option": frozenset({"select", "datalist", "optgroup"}),
               "optgroup": frozenset({"select"}), "rt": frozenset({"ruby", "rtc"}), "rp": frozenset({"ruby", "rtc"})}
_RUBY_TEXT = frozenset({"rt", "rp"})
# those that end only the element open last, if it is one of these
_ENDS_THE_LAST_OPEN = {"option": frozenset({"option"}), "optgroup": frozenset({"option"})}
# html5's "implied end tags": a ruby's text ends these while they are the elements open last
_ENDED_BY_IMPLICATION = frozenset({"dd", "dt", "li", "optgroup", "option", "p", "rb", "rp", "rt", "rtc"})
_ALIKE = {"dt": ("dt", "dd"), "dd": ("dt", "dd")}  # a term ends the last term or description
_ITEMS = frozenset({"li", "dt", "dd"})  # not over a block open inside them
_TABLE_PARTS = frozenset({"caption", "col", "colgroup", "tbody", "td", "tfoot", "th", "thead", "tr"})
# the start tags that close an open paragraph first: a paragraph holds no block
_ENDS_A_PARAGRAPH = frozenset({"address", "article", "aside", "blockquote", "center", "dd", "details", "dialog", "dir",
                               "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h", "header",
                               "hgroup", "hr", "li", "listing", "main", "menu", "nav", "ol", "p", "pre", "section",
                               "summary", "table", "ul", "xmp"})
_FORMATTING = frozenset({"a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt",
                         "u"})

NOAHS_ARK = 3  # html5 keeps at most three alike formatting elements to open again


def html_depth(html: str) -> int:
    """The deepest the elements open get (see the module's text)."""
    elements = _OpenElements()
    deepest = 0
    for found in TAG.finditer(html):
        closing, name, self_closing = found[1], found[2].lower(), found[3]
        name = "h" if _HEADING.fullmatch(name) else name
        if name in _PAGE:
            continue
        select = elements.open_select()
        if select is not None and name not in _IN_A_SELECT:
            continue  # html5 takes no other tag in a select
        if select is not None and not closing and name in _ENDS_A_SELECT:
            elements.close_to(select)
            if name == "select":
                continue
        if closing:
            _close(elements, name)
            continue
        if elements.in_foreign_content():
            if name in _BREAKOUTS or name == "font" and _FONT_BREAKOUT.search(found[0]):
                elements.leave_foreign()  # html5 ends the svg or math: the tag is html's again
            elif self_closing:
                continue
            else:  # in svg or math every element nests, as in XML
                elements.open(name, "", foreign=True)
                deepest = max(deepest, elements.depth)
                continue
        if name in FOREIGN:
            if not self_closing:
                elements.open(name, "", foreign=True)
                deepest = max(deepest, elements.depth)
            continue
        if name == "form" and elements.innermost("form") is not None:
            continue  # html5 ignores a form in a form
        if name not in _BLOCKS and name not in _ENDS_A_PARAGRAPH:
            elements.open_again()
        if name in _TABLE_PARTS and elements.innermost("table") is None:
            continue  # html5 ignores a cell or row outside a table
        if name in _ENDS_A_PARAGRAPH:
            elements.close_by_name("p")
        if name in VOID:
            continue
        if name in _ENDED_BY_THE_NEXT:
            elements.end_the_last(name)
        elements.open(name, found[0].lower())
        deepest = max(deepest, elements.depth)
    return deepest


def _close(elements: _OpenElements, name: str) -> None:
    """An end tag: a block's closes it by name, within scope; formatting's over a block takes
    it out (html5's copy of it stands in its place); any other closes the innermost of its
    name and all inside it, but none open, or a block inside it, and html5 ignores it."""
    index = elements.innermost(name)
    if name == "form":
        if index is not None and elements.in_scope(index):
            elements.take_out(index)  # html5 removes the form alone: what is in it stays open
    elif name in _BLOCKS:
        elements.close_by_name(name)
    elif index is None:
        elements.forget(name)
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
        self.in_foreign: list[bool] = []  # svg's or math's
        self.at: dict[str, list[int]] = {}  # name -> where each live one is, innermost last
        self.blocks: list[int] = [0]  # blocks[i]: the blocks among names[:i]
        self.edges: list[int] = [0]  # edges[i]: the scope edges among names[:i]
        self.lists: list[int] = [0]  # lists[i]: the lists among names[:i], the edges of a list item's scope
        self.written: list[str] = []
        self.to_open: dict[str, dict[str, int]] = {}  # name -> formatting closed by another's end tag, as written
        self.depth = 0  # the live elements that are a level of their own

    def open_select(self) -> int | None:
        """Where the select is, if the element open last is one or an option in one."""
        index = self.innermost("select")
        return index if index is not None and self.names[-1] in _OPTIONS else None

    def in_foreign_content(self) -> bool:
        """The element open last is svg's or math's, and not one that holds html."""
        return bool(self.names) and self.in_foreign[-1] and self.names[-1] not in _INTEGRATION_POINTS

    def open(self, name: str, written: str, foreign: bool = False) -> None:
        # A paragraph is no level, nor a list item in its list, a cell in its row and such.
        counted = name != "p" and not (self.names and self.names[-1] in _CONTAINERS.get(name, ()))
        self.at.setdefault(name, []).append(len(self.names))
        self.names.append(name)
        self.written.append(written)
        self.live.append(True)
        self.counted.append(counted)
        self.in_foreign.append(foreign)
        self.blocks.append(self.blocks[-1] + (name in _BLOCKS))
        self.edges.append(self.edges[-1] + (name in _SCOPE_EDGES))
        self.lists.append(self.lists[-1] + (name in _LISTS))
        self._count(name, counted, 1)

    def innermost(self, name: str) -> int | None:
        found = self.at.get(name)
        return found[-1] if found else None

    def has_block_inside(self, index: int) -> bool:
        return self.blocks[-1] > self.blocks[index + 1]

    def close_by_name(self, name: str) -> None:
        """Close the innermost element of this name, with all inside it, if one is open
        within scope: `</div>` in a table in a div closes nothing, nor `</li>` over a list."""
        index = self.innermost(name)
        if index is not None and self.in_scope(index) and (name != "li" or self.lists[-1] == self.lists[index + 1]):
            self.close_to(index)

    def end_the_last(self, name: str) -> None:
        """`<p>a<p>b`, `<li>a<li>b`, `<td>a<td>b`: a new one ends the last, as html5 has it: a
        paragraph or a table's part the last open in scope; a list item or a term the last
        unless a block is open inside it (`<li>a<ul><li>b` nests); an option or a ruby's
        text only the element open last, and a ruby's only in a ruby (`<rt><q>` nests)."""
        if name in _RUBY_TEXT:
            if self.innermost("ruby") is not None:  # html5 ends those implied open last
                while self.names and self.live[-1] and self.names[-1] in _ENDED_BY_IMPLICATION:
                    self.close_to(len(self.names) - 1)
            return
        if name in _ENDS_THE_LAST_OPEN:
            last = len(self.names) - 1
            if last >= 0 and self.live[last] and self.names[last] in _ENDS_THE_LAST_OPEN[name]:
                self.close_to(last)
            return
        index = max((found for alike in _ALIKE.get(name, (name,)) if (found := self.innermost(alike)) is not None),
                    default=None)
        if index is not None and self.in_scope(index) and (name not in _ITEMS or not self.has_block_inside(index)):
            self.close_to(index)

    def in_scope(self, index: int) -> bool:
        return self.edges[-1] == self.edges[index + 1]

    def close_to(self, index: int) -> None:
        """Close the element at `index` and every one inside it: the formatting among those
        is to be opened again."""
        while len(self.names) > index:
            name = self.names.pop()
            written = self.written.pop()
            counted = self.counted.pop()
            self.in_foreign.pop()
            if self.live.pop():
                self.at[name].pop()
                self._count(name, counted, -1)
                if name in _FORMATTING and len(self.names) > index:
                    self._reopen_later(name, written)
            self.blocks.pop()
            self.edges.pop()
            self.lists.pop()

    def leave_foreign(self) -> None:
        """Close svg's and math's elements open last, up to one that holds html."""
        while self.in_foreign_content():
            self.close_to(len(self.names) - 1)

    def take_out(self, index: int) -> None:
        """The innermost element of its name leaves, those inside it stay open."""
        name = self.names[index]
        self.live[index] = False
        self.at[name].pop()
        self._count(name, self.counted[index], -1)

    def forget(self, name: str) -> None:
        """An end tag of formatting that is not open: one of it is no longer opened again."""
        waiting = self.to_open.get(name)
        if waiting:
            written = next(reversed(waiting))
            waiting[written] -= 1
            if not waiting[written]:
                del waiting[written]

    def open_again(self) -> None:
        for name, waiting in self.to_open.items():
            for written, count in waiting.items():
                for _ in range(count):
                    self.open(name, written)
        self.to_open.clear()

    def _reopen_later(self, name: str, written: str) -> None:
        waiting = self.to_open.setdefault(name, {})
        waiting[written] = min(waiting.get(written, 0) + 1, NOAHS_ARK)

    def _count(self, name: str, counted: bool, step: int) -> None:
        self.depth += step * counted
