"""Turn selected entries into feed items: Markdown to safe HTML with absolute URLs, and
a plain-text summary where the editor wrote none.

Only entries that some feed shows come through here, so the cost of Markdown and
sanitising is paid for at most max_items entries per feed, not for the archive.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

from .characters import directions_closed, prose, shows_nothing
from .languages import quotation_marks
from .model import Entry, Item, Site
from .sanitise import body_html
from .urls import guessed_type

ELLIPSIS = "…"


def prepare_item(entry: Entry, body: str | None, site: Site) -> Item:
    """`body` is the entry's Markdown, read again for the entries a feed shows."""
    content_html = None
    summary = entry.summary
    if body is not None:
        content_html = body_html(body, entry.link)
        if summary is None:
            summary = _cut_quoted(first_paragraph_text(content_html, site.summary_length), site.summary_length,
                                  quotation_marks(site.language))
    return Item(
        id=entry.id, title=entry.title, link=entry.link, published=entry.published,
        updated=entry.last_modified, authors=entry.authors or site.authors, categories=entry.categories,
        summary=summary or entry.title, content_html=content_html or None, image=entry.image,
        image_type=image_type(entry.image),
    )


def first_paragraph_text(html: str, length: int | None = None) -> str:
    """The first paragraph with words in it, as plain text (links keep their words, images go);
    in a body with none (a list, a heading, text outside any paragraph), all its words, each
    block apart from the next: the summary says what the story says, not its title again.
    Plain text shows no strike and no raised figure, so it says what the markup means: struck
    text goes ("cost <del>£10</del> £12" read "cost £10 £12"), and so does a ruby's reading,
    and a raised or lowered figure is written raised or lowered (10<sup>6</sup> read "106").
    A <q>'s marks are the page's, not its text: they are written in, as QUOTES, for the
    language's marks ("called it <q>a disaster</q>" read as the paper's own words, "called it
    a disaster"); see _cut_quoted.
    A photo's caption is no paragraph of the story: a body opening with a photo was summed up
    "Photo: Reuters". Its words are the summary only where the body has no others.
    It is read a paragraph at a time up to that paragraph: read whole, a body of 1 MiB of
    tags after its first paragraph cost a second and more for the words of that one. Given
    the `length` of the summary, it is read no further than settles that many characters:
    a paragraph of 240,000 `<em>a</em>`, or a table of 120,000 rows and no paragraph, was
    read to its end (1.0 s and 1.7 s) for the 300 characters a summary keeps."""
    reader = _FirstParagraph()
    look_from = len(html) + 1 if length is None else 8 * length + 4_096  # then at each doubling of what is read
    for start, end, paragraph_end in _pieces(html):
        reader.feed(html[start:end])
        if reader.text:
            return reader.text
        if end >= look_from:
            look_from *= 2
            if (settled := reader.settled(2 * length if length is not None else 0, html, end, paragraph_end)):
                return settled
    reader.close()
    return reader.text or _words(reader.everything) or _words(reader.captions)


_SLICE = 65_536  # characters of a long paragraph read at a time


def _pieces(html: str) -> Iterator[tuple[int, int, int]]:
    """`html` in pieces (start, end, and where the paragraph the piece is of ends), each
    ending at a `</p>` (the last at the end), a long one before a '<' every _SLICE characters
    or so: the parser reads a piece that ends inside a tag or a comment as the text before
    it and the rest after."""
    start = 0
    while True:
        end = html.find("</p>", start)
        paragraph_end = len(html) if end < 0 else end + 4
        while paragraph_end - start > _SLICE and (cut := html.rfind("<", start + 1, start + _SLICE)) > start:
            yield start, cut, paragraph_end
            start = cut
        yield start, paragraph_end, paragraph_end
        if end < 0:
            return
        start = paragraph_end


# What may yet change the words read: a paragraph's start, which begins the words anew, and a
# figure's start or end, which makes a paragraph a caption or no longer one.
_CHANGES_THE_WORDS = re.compile(r"<(?:p|/?figure)[\t\n\f\r />]", re.IGNORECASE)
_IMAGE = re.compile(r"<img[\t\n\f\r />]", re.IGNORECASE)


# Where a <q> opens and closes, outer then inner: noncharacters, which no entry can hold (the
# loader refuses them), put in for the marks until the summary is cut.
QUOTES = "\ufdd0\ufdd1\ufdd2\ufdd3"


def _cut_quoted(text: str, limit: int, marks: str) -> str:
    """`text` (with QUOTES) cut to `limit` characters, in `marks` (outer and inner pairs),
    each quotation the cut leaves open closed after the ellipsis, within `limit`: a cut
    inside one gave 'called it “a disaster of…', the quotation never ended."""
    reserved = 0
    while True:
        cut = truncate(text, limit - reserved)
        left_open = _quotations_left_open(cut)
        if len(cut) + len(left_open) <= limit or limit - len(left_open) < 2:
            return _closed(cut, left_open).translate(str.maketrans(QUOTES, marks))
        reserved = len(left_open)


def _quotations_left_open(text: str) -> list[int]:
    """Where each quotation `text` leaves open opens, the first opened first."""
    opened: list[int] = []
    for at, char in enumerate(text):
        if char in QUOTES[::2]:
            opened.append(at)
        elif char in QUOTES[1::2] and opened:
            opened.pop()
    return opened


def _closed(text: str, left_open: list[int]) -> str:
    """`text` with the quotations opened at `left_open` closed, the last opened first, each
    after the direction controls opened inside it, then those opened before any: a cut in
    an Arabic quotation was closed '“\u2067كارثة من…”\u2069', its mark inside the isolate,
    shown at the isolate's right-to-left end, and the quotation left open."""
    for at in reversed(left_open):
        text = text[:at] + directions_closed(text[at:]) + QUOTES[QUOTES.index(text[at]) + 1]
    return directions_closed(text)


def _words(parts: list[str]) -> str:
    return "" if shows_nothing(words := prose("".join(parts))) else words


_NOT_SAID = frozenset({"del", "s", "strike", "rt", "rp"})  # struck out, or a ruby's reading: no words of the story
_RAISED = str.maketrans("0123456789+-=()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾")
_LOWERED = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
_SHIFTED = {"sup": _RAISED, "sub": _LOWERED}

_EMPHASIS = frozenset({"em", "i"})

_BLOCKS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "td", "th", "tr", "blockquote",
                     "pre", "figcaption", "div", "br", "hr", "ul", "ol", "dl", "table", "details", "summary"})


class _FirstParagraph(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.quoted = 0  # how deep in <q>
        self.depth = 0
        self.words: list[str] = []
        self.everything: list[str] = []
        self.text = ""
        self.unsaid = 0  # how deep in struck text or a ruby's reading
        self.shifted: list[str] = []  # the sup and sub elements open
        self.in_figure = 0  # how deep in <figure>: its caption's words go to captions
        self.captions: list[str] = []
        self.emphasised = 0  # how deep in <em> or <i>
        self.pictured = False  # the paragraph read holds an image
        self.plain = False  # the paragraph read has words outside <em> and <i>
        self.after_picture = False  # the last paragraph with anything in it was an image alone

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "q":
            self.handle_data(QUOTES[self.quoted % 2 * 2])
            self.quoted += 1
        if tag in _NOT_SAID:
            self.unsaid += 1
        elif tag in _SHIFTED:
            self.shifted.append(tag)
        if tag == "figure":
            self.in_figure += 1
        elif tag in _EMPHASIS:
            self.emphasised += 1
        if tag in _BLOCKS:
            self.everything.append(" ")
        if tag == "p" and not self.text:
            self.depth, self.words, self.pictured, self.plain = 1, [], False, False
        elif tag == "br" and self.depth:
            self.words.append(" ")
        elif tag == "img":
            self._pictured()
        elif tag == "figcaption":  # the figure's caption is its own: a paragraph after it is the story's
            self.after_picture = False

    def _pictured(self) -> None:
        """An image in the paragraph read, or outside any (an HTML <img> line, a <figure> with
        no caption): an italic paragraph beside it or after it is its caption. One outside a
        paragraph went unseen: '<img src="storm.jpg">' then '*Photo: Reuters*' gave the
        summary 'Photo: Reuters'."""
        if self.depth:
            self.pictured = True
        else:
            self.after_picture = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "q" and self.quoted:
            self.quoted -= 1
            self.handle_data(QUOTES[self.quoted % 2 * 2 + 1])
        if tag in _NOT_SAID and self.unsaid:
            self.unsaid -= 1
        elif tag in _SHIFTED and tag in self.shifted:
            del self.shifted[len(self.shifted) - 1 - self.shifted[::-1].index(tag)]
        if tag == "figure" and self.in_figure:
            self.in_figure -= 1
        elif tag in _EMPHASIS and self.emphasised:
            self.emphasised -= 1
        if tag in _BLOCKS:
            self.everything.append(" ")
        if tag == "p" and self.depth and not self.text:
            self.depth = 0
            text = prose("".join(self.words))
            if shows_nothing(text):  # a spacer (<p>&nbsp;</p>), or an image alone
                self.after_picture = self.pictured or self.after_picture
            elif not self._caption():
                self.text = text
            else:
                self.after_picture = False

    def settled(self, length: int, html: str, at: int, paragraph_end: int) -> str | None:
        """The words read so far, if over `length` characters of them are those read to the
        end would give: in the paragraph read, if it is no caption and nothing ahead in it may
        change them; in none, with no paragraph ahead."""
        if self.depth:
            if self._may_be_a_caption(html, at, paragraph_end) or _CHANGES_THE_WORDS.search(html, at, paragraph_end):
                return None
            words = prose("".join(self.words))
        else:
            if _CHANGES_THE_WORDS.search(html, at):
                return None
            words = _words(self.everything)
        return words if len(words) > length else None

    def _may_be_a_caption(self, html: str, at: int, paragraph_end: int) -> bool:
        """_caption may yet hold of the paragraph read, once read to `paragraph_end`."""
        return bool(self.in_figure) or not self.plain and (
            self.pictured or self.after_picture or _IMAGE.search(html, at, paragraph_end) is not None)

    def _caption(self) -> bool:
        """Whether the paragraph just read is a photo's caption: one in a <figure>, or one
        all in italics beside an image or after one ("![](storm.jpg)" then "*Photo: Reuters*")."""
        return bool(self.in_figure) or (not self.plain and (self.pictured or self.after_picture))

    def handle_data(self, data: str) -> None:
        if self.unsaid:
            return
        if self.shifted:
            data = _shifted(data, self.shifted[-1])
        (self.captions if self.in_figure else self.everything).append(data)
        if self.depth and not self.text:
            self.words.append(data)
            self.plain = self.plain or (not self.emphasised and any(char.isalnum() for char in data))


def _shifted(text: str, tag: str) -> str:
    """Figures raised or lowered as Unicode writes them (10⁶, km², CO₂), if every character
    has such a form; other text as it is (a footnote's [1], the "nd" of 2nd)."""
    shifted = text.translate(_SHIFTED[tag])
    return shifted if all(not char.isascii() for char in shifted) else text


# Where a clause or a sentence ends: in Chinese and Japanese, Burmese, Khmer, Tibetan (whose
# tsheg ends each syllable) and Ethiopic, written without spaces between words, a cut there
# is a cut between words; in Arabic, Urdu and Hindi, as a comma or a full stop, the mark is
# left out before the ellipsis.
_CLAUSE_ENDS = "、。，．！？；：" "၊။" "។៕" "།་" "።፣፡" "،؛۔।॥"
# Where words part: a space, or the ideographic space Japanese and Chinese set between phrases.
_SPACES = " \u3000"


def truncate(text: str, limit: int) -> str:
    """Cut at a word boundary (a space, or after a clause's mark in text written without
    spaces) so the result, ellipsis included, is at most `limit` characters."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS) + 1]
    boundary = max((*(cut.rfind(space) for space in _SPACES),
                    *(cut.rfind(mark) + 1 for mark in _CLAUSE_ENDS if mark in cut)))
    if boundary > 0:
        cut = cut[:boundary]
    else:
        cut = _whole_characters(text, limit - len(ELLIPSIS))
    kept = cut.rstrip(" ,;:.-–—" + _SPACES + _CLAUSE_ENDS)
    if not kept:  # only dashes and stops fit: show them, not an ellipsis alone
        kept = _whole_characters(text, limit - len(ELLIPSIS)).rstrip()
    return kept + ELLIPSIS


def _whole_characters(text: str, limit: int) -> str:
    """The longest start of `text` within `limit` code points that splits no character a
    reader sees (a letter and its accents, an emoji with its skin tone, 👨‍👩‍👧 joined by
    zero-width joiners, a flag's two letters): Unicode's grapheme clusters, as `regex` finds them."""
    import regex  # here: only a summary cut inside one long word needs it

    kept = 0
    for cluster in regex.finditer(r"\X", text):
        if cluster.end() > limit:
            break
        kept = cluster.end()
    return text[:kept]


def image_type(url: str | None) -> str | None:
    if url is None:
        return None
    guessed = guessed_type(url)
    return guessed if guessed and guessed.startswith("image/") else None
