"""Text and attribute values escaped as libxml2 serialises them (lxml, under feedgen): the
item writers of rss.py and atom.py write each item's bytes as feedgen's document would
hold them, without building and serialising a tree per item (tests/test_item_writers.py
compares the two over generated items). An Item holds only characters XML can carry
(characters.py: the entry readers refuse the others, and a body's HTML has them replaced),
so nothing here looks for the ones lxml would refuse."""

from __future__ import annotations


def text(value: str) -> str:
    """An element's text: '&', '<', '>' and carriage returns escaped, all else as it is."""
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    if "\r" in value:
        value = value.replace("\r", "&#13;")
    return value


def attribute(value: str) -> str:
    """An attribute's value, between double quotes: its text escaped, and the quote and the
    whitespace that attribute normalisation would turn into spaces."""
    value = text(value)
    if '"' in value:
        value = value.replace('"', "&quot;")
    if "\n" in value:
        value = value.replace("\n", "&#10;")
    if "\t" in value:
        value = value.replace("\t", "&#9;")
    return value
