"""Plain text in feeds: how editors' text is written where readers may take it for HTML."""

from __future__ import annotations

import re
from html import escape, unescape
from html.entities import name2codepoint

_TAG_OPEN = re.compile(r"<[A-Za-z/!?]")  # where an HTML parser starts a tag, a comment or a declaration
_REFERENCE = re.compile(r"&(#?\w+)")  # what the W3C validator takes for an entity reference


def as_html(text: str) -> str:
    """Plain text as HTML that shows exactly that text: '<br>' and '&amp;' stay characters.
    RSS readers read a description as HTML, so it is written so."""
    return escape(text, quote=False)


def as_title(text: str) -> str:
    """Plain text as an RSS title. Some readers guess it is HTML (feedparser), many show it as
    it is (newsboat, rss-parser, feed-extractor): a title that HTML reads as itself ('AT&T',
    'a < b', 'x > y') is written as it is, so both show it; one that looks like markup to
    HTML is HTML-escaped, so that no reader takes it for markup."""
    return as_html(text) if looks_like_markup_to_html(text) else text


def looks_like_markup(text: str) -> bool:
    """Text that a reader could take for a tag or an entity reference. Readers render a
    summary as HTML whatever its type (newsboat shows an Atom type="text" 'AT&T' as 'ATT'),
    so any '<' or '&' counts."""
    return "<" in text or "&" in text


def looks_like_markup_to_html(text: str) -> bool:
    """Text that HTML or the W3C validator reads otherwise than as its characters: a '<' that
    opens a tag ('<br>', 'a<b'), or an '&' that HTML reads as a reference ('&amp;', '&copy 2020')
    or the validator calls one ('&#1', '&x1', '&alpha'). 'AT&T', 'Q&A' and '5 < 6' are none:
    a title, which readers show as text, needs escaping only for these."""
    return (bool(_TAG_OPEN.search(text)) or unescape(text) != text
            or any(name in name2codepoint or not name.isalpha() for name in _REFERENCE.findall(text)))
