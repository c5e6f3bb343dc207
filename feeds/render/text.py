"""Plain text in feeds: how editors' text is written where readers may take it for HTML."""

from __future__ import annotations

from html import escape


def as_html(text: str) -> str:
    """Plain text as HTML that shows exactly that text: '<br>' and '&amp;' stay characters.
    RSS readers read a description (and guess a title) as HTML, so both are written so."""
    return escape(text, quote=False)


def looks_like_markup(text: str) -> bool:
    """Text that a reader or validator could take for a tag or an entity reference."""
    return "<" in text or "&" in text
