"""Markdown that publishes what the editor did not mean, without a tag being wrong.

CommonMark reads these as it should, and a newsroom sees its story broken:
- pretty-printed HTML from a CMS: a tag indented four spaces after a blank line is an
  indented code block, so readers see `<p>Second paragraph…</p>` as text;
- Markdown on the line after an HTML line, with no blank line between, is part of the HTML
  block and published as typed (`**7–2**`, `[the minutes](/minutes)`), and so is Markdown
  on a line that opens with a block's tag (`<div class="box">See [the minutes](/minutes)`);
- a line that opens with a number and a dot is a numbered list: `20. Februar 2020 – …`
  is `<ol start="20">`, and the summary made from the body skips it;
- a link or image whose address has a space in it is no link: readers see
  `[the report](/files/Annual Report.pdf)` as typed, and no picture for `![chart](/img/GDP chart.png)`.
The body is read as the renderer reads it, by pyromark's events (they tell an indented code
block from a fenced one, which is deliberate), with the options it renders with. Only a body
with a `<`, with a line that opens with a number and a dot, or with a Markdown address that
holds a space is read (could_be_misread).
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from functools import lru_cache

from .months import month_named
from .problems import and_more, quote
from .sanitise import html_text_as_written, markdown_options, text_shown

# A line that opens with a number and a dot (in a block quote, too), where Markdown may start
# a numbered list: at the body's start, or after a line break (a search jumps between them).
_NUMBER_OPENS = r"[ \t]*(?:>[ \t]*)*\d{1,9}\.[ \t]"
_NUMBER_OPENS_BODY = re.compile(_NUMBER_OPENS)
_NUMBER_OPENS_LINE = re.compile("\n" + _NUMBER_OPENS)


# A Markdown link or image whose address has a space in it, and no title after the space
# (`[x](/a "Title")` is a link): CommonMark reads no link there. Bounded, so that no start
# reads a long line to its end. An image's `!` is read before the match (_link_at): a pattern
# that opens with `!?` is tried at every character, 26 µs a 4 KB body against 3 µs, 8 % of a
# cold build at 10,000 entries.
_SPACED_ADDRESS = re.compile(r"""\[[^\[\]\n]{0,500}\]\(([^\s()<>]{1,2000}[ \t]+(?!["'(\s)])[^()\n]{0,2000})\)""")


def could_be_misread(body: str) -> bool:
    """Whether the body may hold any of what misreadings finds: most bodies have no `<`, no
    numbered line and no `]`, and pay three searches (2.5 µs for 4 KB)."""
    return ("<" in body or _NUMBER_OPENS_BODY.match(body) is not None or _NUMBER_OPENS_LINE.search(body) is not None
            or ("]" in body and _SPACED_ADDRESS.search(body) is not None))


def misreadings(body: str) -> list[tuple[str, str, str]]:
    """Each kind of misreading in the body, once, with how many more of its kind there are:
    (code, message, hint). The body may be a `|` block as written, every line indented
    (see sanitise.checked_markdown_html): it is dedented as YAML would, then read as
    markdown_html renders it."""
    return list(_misreadings_of(textwrap.dedent(body)))


@lru_cache(maxsize=1)
def _misreadings_of(text: str) -> tuple[tuple[str, str, str], ...]:
    """misreadings of a dedented body, kept for the one last read (see sanitise._removed_from)."""
    import pyromark

    text = text if text.endswith("\n") else text + "\n"
    reading = _Reading(text.encode())
    for event, span in pyromark.events_with_range(text, options=markdown_options()):
        reading.read(event, span["start"], span["end"])
    found = []
    if reading.html_as_code:
        found.append(("html-as-code", f"the HTML {quote(reading.html_as_code[0])} is indented four spaces after a "
                      "blank line, so Markdown shows it as code: readers see its tags as text"
                      + and_more(reading.html_as_code),
                      "take away the indent (or the blank line before it); to show HTML as code, fence it with ```"))
    if reading.markdown_in_html:
        found.append(("markdown-in-html", f"the line {quote(reading.markdown_in_html[0])} follows HTML with no blank "
                      "line between, so it is published as part of the HTML, its Markdown (** or [text](link)) as "
                      "typed" + and_more(reading.markdown_in_html),
                      "leave a blank line after the HTML, so that Markdown reads the line"))
    if reading.markdown_after_tag:
        found.append(("markdown-in-html", f"the line {quote(reading.markdown_after_tag[0])} opens with HTML, so "
                      "Markdown does not read it: its Markdown (** or [text](link)) is published as typed"
                      + and_more(reading.markdown_after_tag),
                      "put the tags on lines of their own, with a blank line between them and the Markdown, "
                      "or write it in HTML (<strong>, <a href=\"…\">)"))
    as_text = _links_as_text(text)
    if as_text:
        link, address = as_text[0]
        what = "image" if link.startswith("!") else "link"
        found.append(("link-as-text", f"the {what} {quote(link)} has a space in its address, so Markdown reads no "
                      f"{what} there: readers see it as typed" + and_more(as_text),
                      f"write the address in angle brackets, {link[:link.index('](')]}](<{address}>), "
                      "or each space in it as %20"))
    numbers = _misread_numbers(reading.numbered)
    if numbers:
        first = numbers[0]
        found.append(("number-as-list", f"the line {quote(first.line)} opens with \"{first.written}.\", which Markdown reads "
                      f"as a numbered list starting at {first.number}, not as text" + and_more(numbers),
                      f"if the number is part of the text (a date, a year, a name), write {first.written}\\. "
                      f"{first.words[0]} (a backslash before the dot)"))
    return tuple(found)


def _links_as_text(text: str) -> list[tuple[str, str]]:
    """Each Markdown link or image whose address holds a space, and readers see as typed,
    with its address: not in code, where it is shown on purpose, nor in HTML, where
    Markdown is not read and the fix (the address in <>) would change nothing."""
    found = [(_link_at(text, link), link.group(1)) for link in _SPACED_ADDRESS.finditer(text)]
    if not found:
        return []
    shown = text_shown(text)
    found = [(link, address) for link, address in found if link[link.index("]("):] in shown]
    if not found:
        return []
    fixed = _SPACED_ADDRESS.sub(lambda link: link.group().replace(link.group(1), f"<{link.group(1)}>", 1), text)
    still_shown = text_shown(fixed)
    return [(link, address) for link, address in found if link[:link.index("](") + 2] not in still_shown]


def _link_at(text: str, link: re.Match[str]) -> str:
    """The link `link` matched, with the `!` that makes it an image."""
    start = link.start()
    if start and text[start - 1] == "!":
        start -= 1
    return text[start:link.end()]


@dataclass
class _Numbered:
    """A numbered list not within another list: its first number (and as written), its items,
    its first line, and whether its number has a dot (`20)` is no number in a text)."""

    number: int
    written: str
    line: str
    words: list[str]
    dotted: bool
    items: int = 0


class _Reading:
    """What misreadings looks at, gathered in one pass over the events."""

    def __init__(self, source: bytes) -> None:
        self.source = source
        self.html_as_code: list[str] = []
        self.markdown_in_html: list[str] = []  # lines after an HTML line
        self.markdown_after_tag: list[str] = []  # lines that open with a block's tag
        self.numbered: list[_Numbered] = []
        self.code: list[str] | None = None  # the text of the indented code block being read
        self.html: list[str] | None = None  # the lines of the HTML block being read
        self.lists = 0  # lists open
        self.counting: _Numbered | None = None  # the numbered list open at the top, whose items are counted

    def read(self, event: object, start: int, end: int) -> None:
        if not isinstance(event, dict):
            return
        if "Start" in event:
            self._start(event["Start"], start)
        elif "End" in event:
            self._end(event["End"])
        elif "Text" in event and self.code is not None:
            self.code.append(event["Text"])
        elif "Html" in event and self.html is not None:
            self.html.append(event["Html"])

    def _start(self, what: object, start: int) -> None:
        if what == {"CodeBlock": "Indented"}:
            self.code = []
        elif what == "HtmlBlock":
            self.html = []
        elif isinstance(what, dict) and "List" in what:
            if what["List"] is not None and not self.lists:
                self.counting = _numbered(what["List"], self._line(start))
                self.numbered.append(self.counting)
            self.lists += 1
        elif what == "Item" and self.lists == 1 and self.counting is not None:
            self.counting.items += 1

    def _end(self, what: object) -> None:
        if what == "CodeBlock" and self.code is not None:
            code = "".join(self.code)
            if _reads_as_html(code):
                self.html_as_code.append(code.strip().partition("\n")[0])
            self.code = None
        elif what == "HtmlBlock" and self.html is not None:
            lines = _markdown_lines(self.html)
            self.markdown_in_html += [line for line in lines if not line.startswith("<")]
            self.markdown_after_tag += [line for line in lines if line.startswith("<")]
            self.html = None
        elif isinstance(what, dict) and "List" in what:
            self.lists -= 1
            if not self.lists:
                self.counting = None

    def _line(self, start: int) -> str:
        end = self.source.find(b"\n", start)
        return self.source[start:end if end >= 0 else len(self.source)].decode("utf-8", "replace")


def _numbered(number: int, line: str) -> _Numbered:
    marker = _MARKER.match(line)
    if marker is None:
        return _Numbered(number, str(number), line.strip(), [], False)
    return _Numbered(number, marker.group(1), line.strip(), line[marker.end():].split(), marker.group(2) == ".")


_MARKER = re.compile(r"[ \t]*(\d{1,9})([.)])")
_TAG_FIRST = re.compile(r"\s*<[A-Za-z][^<>]*>")
_END_TAG = re.compile(r"</[A-Za-z]")
# The HTML blocks whose lines are verbatim or unseen on purpose: <pre>, <script>, <style>,
# <textarea>, a comment, a processing instruction, a declaration, CDATA.
_VERBATIM_HTML = re.compile(r"\s*<(?:pre|script|style|textarea)(?:\s|>|\Z)|\s*<[!?]", re.IGNORECASE)


def _reads_as_html(code: str) -> bool:
    """Whether an indented code block reads as HTML: it starts with a tag and ends one."""
    return _TAG_FIRST.match(code) is not None and _END_TAG.search(code) is not None


def _markdown_lines(html: list[str]) -> list[str]:
    """The lines of an HTML block whose text (outside tags and code) holds Markdown's bold or a
    link, as typed: an escape is never Markdown, so `&#42;&#42;bold&#42;&#42;`, written so
    that readers see the asterisks, is no warning."""
    if not html or _VERBATIM_HTML.match(html[0]):
        return []
    return [line.strip() for line in html if _holds_markdown(html_text_as_written(line) if "<" in line else line)]


def _holds_markdown(text: str) -> bool:
    return "**" in text or "](" in text


def _misread_numbers(lists: list[_Numbered]) -> list[_Numbered]:
    """The numbered lists that read as a line of text: one whose first item opens with a date
    (`20. Februar 2020`), or one of a single item that no list before or after goes on
    counting from (a list with paragraphs between its items, counting up or down, is a list),
    whose number is not 1 (`1984. That was…`, `2. Bundesliga`) or is 1 before a month or a
    name in capitals (`1. Mai`, `1. FC Köln`)."""
    misread = []
    for at, numbered in enumerate(lists):
        if not numbered.dotted or not numbered.words:
            continue
        if _opens_with_date(numbered):
            misread.append(numbered)
            continue
        before = lists[at - 1] if at else None
        after = lists[at + 1] if at + 1 < len(lists) else None
        counted = (before is not None and numbered.number - (before.number + before.items - 1) in (1, -1)
                   or after is not None and after.number - numbered.number in (1, -1))
        if numbered.items == 1 and not counted and (numbered.number != 1 or _opens_with_month(numbered)
                                                     or _opens_with_name(numbered)):
            misread.append(numbered)
    return misread


def _opens_with_month(numbered: _Numbered) -> bool:
    return numbered.number <= 31 and month_named(numbered.words[0].rstrip(".,:;"), DOTTED_DAYS) is not None


def _opens_with_date(numbered: _Numbered) -> bool:
    """`20. Februar 2020`: a day, a month and a year, which no list item is."""
    return _opens_with_month(numbered) and len(numbered.words) > 1 and _YEAR.match(numbered.words[1]) is not None


def _opens_with_name(numbered: _Numbered) -> bool:
    """`1. FC Köln`: capitals (FC, FSV, VfB), then a name."""
    words = numbered.words
    return len(words) > 1 and _CAPITALS.fullmatch(words[0]) is not None and words[1][:1].isupper()


_YEAR = re.compile(r"\d{4}\b")
_CAPITALS = re.compile(r"[A-Z][A-Za-z]{0,3}[A-Z]")

# The languages where a date may be written with the day's number and a dot before the month:
# German (and Austrian), Danish, Norwegian, Swedish, Icelandic, Finnish, Estonian, Latvian,
# Czech, Slovak, Slovene, Croatian, Serbian and Bosnian; English's names are read too.
DOTTED_DAYS = ("de", "da", "nb", "nn", "sv", "is", "fi", "et", "lv", "cs", "sk", "sl", "hr", "sr", "bs")
