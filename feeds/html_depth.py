"""A safe bound on how deep the tree html5 builds from a body's HTML nests, in one pass.

The sanitiser (html5ever, through nh3) takes time faster than the square of that depth,
and html5 grows the tree in ways the tags alone do not show: an end tag it ignores leaves
its element open, and formatting closed by another element's end tag is opened again. An
exact depth would take all of html5's tree-building rules. Both counts here follow the
rules that matter for depth: an end tag of a block closes it by name, within its scope
(`</div>` over a table in the div closes nothing); a new paragraph, list item or cell ends
the last; a block's start ends an open paragraph; formatting closed by another element's
end tag opens again before the next element that is not a block (at most three alike:
html5's "Noah's ark"); a formatting end tag over a block leaves the block open; a cell
outside a table is nothing. They differ in any other end tag: one count closes the
element opened last, the other the innermost of its name, or nothing if a block lies
inside it (html5 ignores `</span>` over an open div) or none is open (`<span></x>`
100,000 times nests 100,000 deep). The deeper is kept.

So sloppy HTML as CMS exports write it (`<p><b>x</p>` in every paragraph) counts a few
levels, as html5 mends it, and no markup counts far below html5's depth:
`tests/test_html_depth.py` checks both against html5lib, a parser of the same standard.
Each tag costs the same however deep the elements open: counts of the blocks, scope edges
and lists opened so far answer whether one lies inside an element.
"""

from __future__ import annotations

import re
from typing import NamedTuple

TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^<>]*?(/?)>")
_HEADING = re.compile(r"h[1-6]")

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
# `<p>a<p>b` is two paragraphs, not one in another
_ENDED_BY_THE_NEXT = frozenset({"p", "li", "dt", "dd", "option", "optgroup", "rt", "rp", "tr", "td", "th", "thead",
                                "tbody", "tfoot", "colgroup"})
FOREIGN = frozenset({"svg", "math"})  # inside these, `<g/>` closes itself as XML does
# html5's "special" elements that hold others: an end tag of one closes it by name, and a
# stray end tag of another element stops at one
_BLOCKS = _ENDED_BY_THE_NEXT - {"option", "optgroup", "rt", "rp"} | {
    "address", "applet", "article", "aside", "blockquote", "body", "button", "caption", "center", "details", "dialog",
    "dir", "div", "dl", "fieldset", "figcaption", "figure", "footer", "form", "h", "header", "hgroup", "html",
    "iframe", "listing", "main", "marquee", "menu", "nav", "object", "ol", "pre", "search", "section", "select",
    "summary", "table", "template", "textarea", "ul", "xmp"}
# where html5 stops looking for a block to end: `</div>` inside a table in a div ends nothing
_SCOPE_EDGES = frozenset({"applet", "caption", "html", "table", "marquee", "object", "template", "svg", "math"})
_LISTS = frozenset({"ol", "ul"})
_TABLE_PARTS = frozenset({"caption", "col", "colgroup", "tbody", "td", "tfoot", "th", "thead", "tr"})
# the start tags that close an open paragraph first: a paragraph holds no block
_ENDS_A_PARAGRAPH = frozenset({"address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div",
                               "dl", "fieldset", "figcaption", "figure", "footer", "form", "h", "header", "hgroup",
                               "hr", "listing", "main", "menu", "nav", "ol", "p", "pre", "search", "section",
                               "summary", "table", "ul", "xmp"})
_FORMATTING = frozenset({"a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt",
                         "u"})

NOAHS_ARK = 3  # html5 keeps at most three alike formatting elements to open again


class Tag(NamedTuple):
    closing: bool
    name: str  # lowercased; every heading is "h"
    self_closing: bool
    written: str  # the whole tag, lowercased: formatting is opened again as written


def html_depth(html: str) -> int:
    """The deeper of the two counts (see the module's text)."""
    tags = [Tag(bool(found[1]), "h" if _HEADING.fullmatch(name := found[2].lower()) else name, bool(found[3]),
                found[0].lower()) for found in TAG.finditer(html)]
    return max(_deepest(tags, in_turn=True), _deepest(tags, in_turn=False))


def _deepest(tags: list[Tag], in_turn: bool) -> int:
    """The deepest the elements open get, an end tag of a block closing it by name, of a
    formatting element over a block taking it out (html5's copy of it stands in its place),
    and any other closing `in_turn` the element open last, else the innermost of its name
    unless a block lies inside it. Formatting closed by another element's end tag is
    opened again before the next element that is not a block, as html5 does."""
    elements = _OpenElements()
    deepest = 0
    for closing, name, self_closing, written in tags:
        if closing:
            _close(elements, name, in_turn)
            continue
        if name not in _BLOCKS and name not in _ENDS_A_PARAGRAPH:
            elements.open_again()
        if name in VOID or (self_closing and elements.foreign > 0):
            continue
        if name in _TABLE_PARTS and elements.innermost("table") is None:
            continue  # html5 ignores a cell or row outside a table
        if name in _ENDS_A_PARAGRAPH:
            elements.close_by_name("p")
        if name in _ENDED_BY_THE_NEXT:
            elements.end_the_last(name)
        elements.open(name, written)
        deepest = max(deepest, elements.depth)
    return deepest


def _close(elements: _OpenElements, name: str, in_turn: bool) -> None:
    index = elements.innermost(name)
    if name in _BLOCKS or name in _ENDED_BY_THE_NEXT:
        elements.close_by_name(name)
    elif index is None:
        elements.forget(name)  # html5 ignores it
    elif elements.has_block_inside(index):
        if name in _FORMATTING:
            elements.take_out(index)
        elif in_turn:
            elements.close_last()
    elif in_turn:
        elements.close_last()
    else:
        elements.close_to(index)


class _OpenElements:
    """The elements open, innermost last, answering in constant time where the innermost of
    a name is and whether a block or a scope edge was opened inside it. An element taken
    out from among them is left in place, dead, and dropped with those inside it."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.live: list[bool] = []
        self.at: dict[str, list[int]] = {}  # name -> where each live one is, innermost last
        self.blocks: list[int] = [0]  # blocks[i]: the blocks among names[:i]
        self.edges: list[int] = [0]  # edges[i]: the scope edges among names[:i]
        self.lists: list[int] = [0]  # lists[i]: the lists among names[:i], the edges of a list item's scope
        self.written: list[str] = []
        self.to_open: dict[str, dict[str, int]] = {}  # name -> formatting closed by another's end tag, as written
        self.depth = 0  # the live elements that are a level (paragraphs, list items, cells are not)
        self.foreign = 0  # open svg and math elements

    def open(self, name: str, written: str) -> None:
        self.at.setdefault(name, []).append(len(self.names))
        self.names.append(name)
        self.written.append(written)
        self.live.append(True)
        self.blocks.append(self.blocks[-1] + (name in _BLOCKS))
        self.edges.append(self.edges[-1] + (name in _SCOPE_EDGES))
        self.lists.append(self.lists[-1] + (name in _LISTS))
        self._count(name, 1)

    def innermost(self, name: str) -> int | None:
        found = self.at.get(name)
        return found[-1] if found else None

    def has_block_inside(self, index: int) -> bool:
        return self.blocks[-1] > self.blocks[index + 1]

    def close_by_name(self, name: str) -> None:
        """Close the innermost element of this name, with all inside it, if one is open
        within scope: `</div>` in a table in a div closes nothing, nor `</li>` over a list."""
        index = self.innermost(name)
        if index is not None and self._in_scope(index) and (name != "li" or self.lists[-1] == self.lists[index + 1]):
            self.close_to(index)

    def end_the_last(self, name: str) -> None:
        """`<p>a<p>b`, `<li>a<li>b`: a new one ends the last open in scope, but for a
        paragraph, not over a block open inside it (`<li>a<ul><li>b` nests), as html5 has it."""
        index = self.innermost(name)
        if index is not None and self._in_scope(index) and (name == "p" or not self.has_block_inside(index)):
            self.close_to(index)

    def _in_scope(self, index: int) -> bool:
        return self.edges[-1] == self.edges[index + 1]

    def close_last(self) -> None:
        """Close the live element opened last (and the dead ones inside it)."""
        for index in range(len(self.names) - 1, -1, -1):
            if self.live[index]:
                self.close_to(index)
                return

    def close_to(self, index: int) -> None:
        """Close the element at `index` and every one inside it: the formatting among those
        is to be opened again."""
        while len(self.names) > index:
            name = self.names.pop()
            written = self.written.pop()
            if self.live.pop():
                self.at[name].pop()
                self._count(name, -1)
                if name in _FORMATTING and len(self.names) > index:
                    self._reopen_later(name, written)
            self.blocks.pop()
            self.edges.pop()
            self.lists.pop()

    def take_out(self, index: int) -> None:
        """The innermost element of its name leaves, those inside it stay open."""
        name = self.names[index]
        self.live[index] = False
        self.at[name].pop()
        self._count(name, -1)

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

    def _count(self, name: str, step: int) -> None:
        self.depth += step * (name not in _ENDED_BY_THE_NEXT)
        self.foreign += step * (name in FOREIGN)
