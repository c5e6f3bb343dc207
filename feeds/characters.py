"""The characters a feed can carry: XML 1.0's, less those it discourages and feed readers
misread (C1 controls, read as Windows-1252, and noncharacters). Both YAML readers refuse
the others, saying which and why. And the direction controls a line of text leaves open,
which validation warns of."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

REPLACEMENT = "\ufffd"  # what a conversion writes for a character it could not read, and HTML for one it cannot show

# Characters XML 1.0 cannot carry; and, as one class, those and the ones it discourages and
# feed readers misread (C1 controls as Windows-1252, noncharacters): one class searches ~13x
# faster than two. Compiled on first use: each takes 4 ms, and most builds read no file that needs them.
_NOT_XML = "[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
_UNCARRIABLE = ("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufdcf\ufdf0-\ufffd"
                 + "".join(f"{chr(plane)}-{chr(plane + 0xFFFD)}" for plane in range(0x10000, 0x110000, 0x10000)) + "]")


def first_uncarriable(text: str, start: int = 0) -> re.Match[str] | None:
    """The first character in `text` (from `start`) that a feed cannot carry, or should not."""
    return _compiled(_UNCARRIABLE).search(text, start)


def without_uncarriable(text: str, replacement: str = REPLACEMENT) -> str:
    """`text` with each character a feed cannot carry replaced by U+FFFD, as HTML parsers
    replace what they cannot read: for text made after validation (a body's HTML)."""
    return _compiled(_UNCARRIABLE).sub(replacement, text)


@cache
def _compiled(source: str) -> re.Pattern[str]:
    return re.compile(source)


# Bytes that can only be part of carriable characters: when a file has no others (most
# have none), the search for uncarriable ones, the costlier, is skipped. The others are
# ASCII controls and the lead bytes of C1 controls (C2), of U+F000-U+FFFF (EF) and of
# U+10000 and up (F0-F4).
PLAIN_BYTES = bytes(range(0x20, 0x7F)) + b"\t\n\r" + bytes(sorted(set(range(0x80, 0x100)) - {0xC2, 0xEF, *range(0xF0, 0xF5)}))


def prose(text: str) -> str:
    """Text as one line: runs of spaces, tabs and line breaks (a YAML value wrapped over
    lines) are one space. No-break and other typographic spaces inside stay: they are the
    editor's ("10\u00a0000", "\u00abLe\u202fMonde\u202f\u00bb"). At the ends, where no
    reader shows them, a space of any kind is trimmed: feedparser strips them all from RSS
    and Atom text, so keeping them would make JSON Feed differ from the other formats."""
    if text.isascii():  # the ASCII controls split() would also take are refused as files are read
        return " ".join(text.split())
    if ("  " not in text and "\n" not in text and "\t" not in text and "\r" not in text
            and "\u2028" not in text and "\u2029" not in text):
        return text.strip()  # most: one line
    return _compiled(_LINE_SPACE).sub(" ", text).strip()


# Letters the Arabic script types either way for one word: alef with a hamza, a madda or a
# wasla or bare (أخبار, اخبار), alef maksura for a final yeh (على, علي), and the Persian
# keyboard's kaf and yeh for Arabic's (کرة, كرة).
_LOOK_ALIKE_LETTERS = str.maketrans("أإآٱىکی", "اااايكي")


def look_alike_key(text: str) -> str:
    """One form of `text` for every way of typing it that reads the same: compatibility
    forms (full-width Ｎｅｗｓ), case, and Arabic's look-alike letters."""
    return unicodedata.normalize("NFKC", text).casefold().translate(_LOOK_ALIKE_LETTERS)


_LINE_SPACE = "[ \t\r\n\u2028\u2029]+"  # Unicode's line and paragraph separators break a line too


# Direction embeddings and overrides (closed by U+202C) and isolates (closed by U+2069), as
# the Unicode Bidirectional Algorithm pairs them.
_EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")
_ISOLATES = frozenset("\u2066\u2067\u2068")
_POP_EMBEDDING, _POP_ISOLATE = "\u202c", "\u2069"
DIRECTION_CONTROLS = "\u202a-\u202e\u2066-\u2069"  # every one of them, and their closers, as a regex class's range
_DIRECTION = re.compile(f"[{DIRECTION_CONTROLS}]")
_CLOSERS = {**dict.fromkeys(_EMBEDDINGS, _POP_EMBEDDING), **dict.fromkeys(_ISOLATES, _POP_ISOLATE)}


def unclosed_direction(text: str) -> str | None:
    """The first direction embedding, override or isolate in `text` that nothing after it
    closes, as the Unicode Bidirectional Algorithm pairs them: a reader that shows the text
    on a line with more (a headline beside the feed's name and the date) shows that too in
    the direction it sets; U+202E reverses it. None when each is closed, or there are none."""
    opened = _left_open(text)
    return opened[0] if opened else None


def directions_closed(text: str) -> str:
    """`text` with each direction control it leaves open closed at its end, the last opened
    first. For text cut from a paragraph (a summary drawn from a body), whose end closed
    them in the HTML, or which the cut took the closer from: alone on a line with more, it
    would turn that around too."""
    opened = _left_open(text)
    return text + "".join(_CLOSERS[char] for char in reversed(opened))


def _left_open(text: str) -> list[str]:
    """The direction embeddings, overrides and isolates nothing closes, in the order opened."""
    opened: list[str] = []
    isolates = 0  # of those opened: a PDI closes the last, and all opened after it (counted, not looked for)
    for found in _DIRECTION.finditer(text):
        char = found.group()
        if char in _EMBEDDINGS or char in _ISOLATES:
            opened.append(char)
            isolates += char in _ISOLATES
        elif char == _POP_EMBEDDING and opened and opened[-1] in _EMBEDDINGS:
            opened.pop()
        elif char == _POP_ISOLATE and isolates:
            while opened.pop() not in _ISOLATES:
                pass
            isolates -= 1
    return opened


def closer_of(control: str) -> str:
    """The control that closes a direction embedding, override or isolate."""
    return _CLOSERS[control]


def direction_shown(text: str) -> str:
    """`text` with each direction control written as its code point (<U+202E>), so that a
    message quoting it shows it rather than being turned around by it."""
    return _DIRECTION.sub(_code_point, text)


# Direction controls, and the characters that take no room and join nothing: a zero-width
# space, a word joiner, a byte order mark (a zero-width no-break space)
_UNSEEN = re.compile(f"[{DIRECTION_CONTROLS}\u200b\u2060\ufeff]")


def unseen_shown(text: str) -> str:
    """`text` with each direction control and zero-width space written as its code point
    (<U+200B>): a message quoting `urn:x:a\u200bb` as a wrong id showed no reason, and one
    quoting `urn:x:\u202eabc` turned the rest of its line around."""
    return _UNSEEN.sub(_code_point, text)


def _code_point(found: re.Match[str]) -> str:
    return f"<U+{ord(found.group()):04X}>"


# Letters and a symbol fonts draw as nothing: Hangul's fillers and the blank Braille cell,
# which a headline of them alone (ㅤ, U+3164) shows as blank as a zero-width space does
_BLANK_SIGNS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def shows_nothing(text: str) -> bool:
    """Text a reader would see as blank: only spaces of any kind, invisible format
    characters (a zero-width space, a joiner, a direction mark) and _BLANK_SIGNS."""
    if text.isascii():
        return not text.strip()
    seen = text.strip()  # Unicode's spaces too
    if not seen or unicodedata.category(seen[0]) != "Cf" and seen[0] not in _BLANK_SIGNS:  # most text: its first shows
        return not seen
    return all(char.isspace() or char in _BLANK_SIGNS or unicodedata.category(char) == "Cf" for char in seen)


def position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def why_not(char: str) -> str:
    if _compiled(_NOT_XML).match(char):
        return "XML 1.0 cannot carry it"
    return "XML 1.0 discourages it and feed readers misread it"


def character_name(char: str) -> str:
    kind = {"Cc": "a control character", "Cs": "a lone surrogate"}.get(unicodedata.category(char), "a noncharacter")
    return f"the character U+{ord(char):04X} ({unicodedata.name(char, kind)})"
