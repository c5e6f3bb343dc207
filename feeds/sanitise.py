"""What body HTML a feed may carry: the sanitiser, and what it would remove, said in words.

One policy (nh3's allowed tags and attributes, and the URL schemes below) serves both:
`sanitise_html` applies it when items are prepared, `removed_html` tells validation what
an editor would lose, so `check` can warn before the story goes out.
"""

from __future__ import annotations

import html as html_module
import re
import textwrap
from functools import cache, lru_cache
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from .characters import first_uncarriable, without_uncarriable
from .html_depth import FOREIGN, PLAIN_TAG, RAW_TEXT, TAG, HtmlShape, html_shape, unclosed_comment
from .urls import URLError, absolute_url

if TYPE_CHECKING:
    import pyromark

URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})  # tel: a hotline a reader can call from the story
_CARRIED = "an http(s), mailto or tel URL, or a relative one"  # URL_SCHEMES in words, for the warnings
_URL_ATTRIBUTES = {  # each attribute that holds a URL: what a reader loses when the URL is dropped
    "href": "the link is removed (its text stays)", "src": "the image is removed (its alt text stays)",
    "cite": "the quotation's source (cite=) is removed", "longdesc": "the image's description (longdesc=) is removed"}
_ANY_BASE = "https://invalid.example/"  # whether a URL is carried does not depend on the entry's link
_VIDEO_SITES = {"youtube": "YouTube", "youtu.be": "YouTube", "vimeo": "Vimeo", "dailymotion": "Dailymotion"}


def sanitise_html(html: str, base: str) -> str:
    """No script, style, iframe, event handlers or javascript: URLs; every URL absolute; and
    no character a feed cannot carry (validation names the reference that would make one,
    uncarriable_reference; one that slips past must not stop a build)."""
    return without_uncarriable(_cleaned(html, base))


def _cleaned(html: str, base: str) -> str:
    import nh3

    def absolute(element: str, attribute: str, value: str) -> str | None:
        return _absolute(value, base) if attribute in _URL_ATTRIBUTES else value

    tags, attributes = _policy()

    def clean(html: str) -> str:
        return nh3.clean(html, tags=tags, clean_content_tags=_REMOVED_WITH_CONTENTS, attributes=attributes,
                         url_schemes=URL_SCHEMES, attribute_filter=absolute, link_rel=None)

    if "docs-internal-guid" in html:
        html = _google_docs_styles(html)
    cleaned = clean(html)
    if _sanitised_twice(html):
        # A tag dropped with its text kept can leave a tree no parser builds: `<p>Share
        # <button>Tweet</p>` is parsed with an empty <p> inside the button, which without the
        # button is a <p> in a <p> ("Invalid HTML" to the W3C validator). Cleaned again, it is
        # written as readers parse it; only bodies with such a tag pay for the second pass.
        cleaned = clean(cleaned)
    cleaned = _address_words_escaped(cleaned.strip())
    return _SOURCELESS_IMAGE.sub(_alt_text, cleaned) if "<img" in cleaned else cleaned


_ADDRESS_WORD_IN_VALUE = re.compile(r'="[^"]*?\b(?:src|href)=', re.IGNORECASE)
_SERIALISED_TAG = re.compile(r'<[a-z][^\s/>]*(?: [^\s"=<>]+="[^"]*")+>')  # as html5ever writes one: name="value", no " in it
_ADDRESS_WORD = re.compile(r"\b(src|href)=", re.IGNORECASE)


def _address_words_escaped(html: str) -> str:
    """`src=` or `href=` in an attribute's value (an image's alt text, "the tag img src=a b")
    written `src&#61;`, which readers show alike: the W3C validator reads the last `src=` in
    an `<img>` tag as its source, and called that "Invalid character in a URI" (an error)."""
    if _ADDRESS_WORD_IN_VALUE.search(html) is None:
        return html
    return _SERIALISED_TAG.sub(lambda tag: _ATTRIBUTE_VALUE.sub(_address_words_in_value, tag[0]), html)


_ATTRIBUTE_VALUE = re.compile(r' ([^\s"=<>]+)="([^"]*)"')


def _address_words_in_value(attribute: re.Match[str]) -> str:
    """An address's own `?src=rss` is left as written: only words (alt, title) are escaped."""
    name, value = attribute.groups()
    if name in _URL_ATTRIBUTES:
        return attribute[0]
    return " " + name + '="' + _ADDRESS_WORD.sub(r"\1&#61;", value) + '"'


_DOCS_WRAPPER = re.compile(r'<b\s[^<>]*?id="docs-internal-guid-[^<>]*>')
_STYLED_SPAN = re.compile(r'<span style="([^"]*)">((?:[^<]|<br\s*/?>)*)</span>')  # text, and line breaks
_BOLD = re.compile(r"font-weight:\s*(?:bold|[6-9]00)")
_ITALIC = re.compile(r"font-style:\s*italic")


def _google_docs_styles(html: str) -> str:
    """What Google Docs copies: all of it in a `<b>` styled not bold, and bold and italic as
    styles on spans of text. The sanitiser removes styles, so a pasted story was published
    bold from end to end, its own bold and italic lost. The wrapper is made a `<span>`, and
    each span's bold and italic are written `<strong>` and `<em>`."""
    def span(found: re.Match[str]) -> str:
        style, text = found.groups()
        if _ITALIC.search(style):
            text = f"<em>{text}</em>"
        if _BOLD.search(style):
            text = f"<strong>{text}</strong>"
        return f"<span>{text}</span>"

    return _STYLED_SPAN.sub(span, _DOCS_WRAPPER.sub("<span>", html))  # each paste's wrapper


def _sanitised_twice(html: str) -> bool:
    """The HTML holds a tag the policy drops with its text kept (see _cleaned)."""
    return bool({name.lower() for name in _TAG_NAME.findall(html)} - _policy()[0] - _REMOVED_WITH_CONTENTS)


_TAG_NAME = re.compile(r"<([A-Za-z][^\s/>]*)")  # a start tag's name, as HTML reads it
# An image whose source the sanitiser removed: readers would draw a broken picture.
_SOURCELESS_IMAGE = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")
_ALT = re.compile(r'\salt="([^"]*)"')


def _alt_text(image: re.Match[str]) -> str:
    """The image's alt text, as text, in its place (what the warning promises)."""
    alt = _ALT.search(image.group())
    text = html_module.escape(html_module.unescape(alt.group(1)), quote=False) if alt else ""
    return text.replace("\xa0", "&nbsp;")  # as html5ever writes text


def carried_url(url: str, base: str) -> str:
    """The URL a feed carries for a link or image written `url`: http(s) and relative ones
    made absolute against `base` (readers have no base URL), mailto: and tel: ones as written. Any
    other, or one that cannot be read, raises URLError saying what was found: the sanitiser
    drops it, and validation warns with the same words."""
    if ":" in url and _scheme(url) in URL_SCHEMES - {"http", "https"}:
        return url.strip()
    return absolute_url(url, base)


def _absolute(url: str, base: str) -> str | None:
    """carried_url, or None for a URL the sanitiser drops."""
    try:
        return carried_url(url, base)
    except URLError:
        return None


# Elements removed with all they hold, since none of it is the story: code and rules, what
# browsers show only without scripts, frames or plug-ins (noscript, noembed, noframes, an
# iframe's or a video's fallback), templates, a page's title, form values; and what nh3
# would publish as markup-like text (xmp, plaintext, textarea) or keep in scraps (svg, math).
_REMOVED_WITH_CONTENTS = frozenset({"script", "style", "noscript", "template", "xmp", "plaintext", "title", "textarea",
                                    "select", "datalist", "noembed", "noframes", "iframe", "object", "video", "audio",
                                    "svg", "math"})


@cache
def _policy() -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    """nh3's tags and attributes, with its own defaults for any element (`lang`, and `title`:
    an abbreviation's expansion, a link's tooltip), `dir` (Arabic and Hebrew passages keep
    their direction), and a list's numbering (`reversed`, `type`, an item's `value`: a top
    ten counted down lost its order), and a table's footer (`tfoot`, which nh3 gives attributes
    but leaves out of its tags: dropped, a results table's total, written before its body as
    HTML 4 had it, was published as the first row), without `bdo` and `rtc`, which feed
    validators flag."""
    import nh3

    attributes = {tag: frozenset(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
    attributes["*"] = attributes.get("*", frozenset()) | {"dir", "lang", "title"}
    attributes["ol"] = attributes.get("ol", frozenset()) | {"reversed", "type"}  # a countdown, clauses (a), (b)
    attributes["li"] = attributes.get("li", frozenset()) | {"value"}  # a list that goes on after a break
    return frozenset(nh3.ALLOWED_TAGS) - {"bdo", "rtc"} - _REMOVED_WITH_CONTENTS | {"tfoot"}, attributes


def markdown_html(body: str) -> str:
    """The body's Markdown as HTML, before sanitising: CommonMark plus GitHub's tables,
    strikethrough and footnotes, by pulldown-cmark through pyromark (the README says why this renderer).
    The body is ended with a line break as CommonMark reads every block: pulldown-cmark
    would otherwise drop the last line break of an indented code block at the end."""
    import pyromark

    ended = body if body.endswith("\n") else body + "\n"
    html = pyromark.html(ended, options=markdown_options())
    if 'style="text-align: ' in html:
        html = _ALIGNED_CELL.sub(r'<\1 align="\2">', html)
    if 'class="footnote-' in html:
        html = _FOOTNOTE_DEFINITION.sub(_footnote, _FOOTNOTE_REFERENCE.sub(r"<sup>[\1]</sup>", html))
    return _ESCAPED_IPV6_HOST.sub(r"\1[\2]", html) if "%5B" in html else html


@cache
def markdown_options() -> pyromark.Options:
    """The renderer's options, one set for writing a body and for reading it (here, misread.py)."""
    import pyromark

    return pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH | pyromark.Options.ENABLE_FOOTNOTES


def comment_shown(body: str) -> str | None:
    """The start of an HTML comment Markdown shows readers as text, or None: one that starts
    inside a paragraph and runs past a blank line, or is never closed (an editor's note,
    "legal says the claim is risky", was published), as check reads the body. A `<!--`
    written escaped (`\\<!--`, `&lt;!--`) or in code is text the writer means readers to see."""
    if "<!--" not in body:
        return None
    shown = _text_of(checked_markdown_html(body)).count("&lt;!--")
    meant = body.count("\\<!--") + body.count("&lt;!--")  # escaped: shown on purpose
    if shown <= meant:
        return None
    opened = next((found.start() for found in _OPENER.finditer(body) if body[found.start() - 1:found.start()] != "\\"),
                  None)
    if opened is None:  # every <!-- escaped; what shows is written otherwise (&#60;!--)
        return None
    words = " ".join(body[opened + 4:].split("\n", 1)[0].split())
    return words if len(words) <= 30 else words[:29] + "…"


def text_shown(body: str) -> str:
    """The text readers see of the body, outside code and raw text, its escapes read."""
    return html_text(checked_markdown_html(body))


def html_text(html: str) -> str:
    """The text readers see of some HTML, outside code and raw text, its escapes read."""
    return html_module.unescape(_text_of(html))


def html_text_as_written(html: str) -> str:
    """The text of some HTML outside code and raw text, its escapes as typed (misread.py:
    `&#42;` shows an asterisk, and is no Markdown)."""
    return _text_of(html)


_OPENER = re.compile(r"<!--")
# A tag (its attributes), or where an element starts whose text is no story's: code, what it
# shows (kbd, samp, var, tt), or raw text the sanitiser removes (a script's); no '<' inside a
# tag, so that from each of 75,000 '<!--' no search reads to the body's end.
_NOT_STORY_TEXT = ("code", "pre", "kbd", "samp", "var", "tt", *sorted(RAW_TEXT))
_TAG_OR_CODE = re.compile(rf"<({'|'.join(_NOT_STORY_TEXT)})[ >]|<[^<>]*>", re.IGNORECASE)
_END_TAGS = {name: re.compile(rf"</{name}[\t\n\f\r />]", re.IGNORECASE) for name in _NOT_STORY_TEXT}


def _text_of(html: str) -> str:
    """The HTML's text, without its tags and what its code-like and raw-text elements hold:
    one pass, each such element's end looked for once from its start (a raw `<code>` left
    open must not send every later search to the end)."""
    kept: list[str] = []
    at = 0
    for found in _TAG_OR_CODE.finditer(html):
        if found.start() < at:
            continue
        kept.append(html[at:found.start()])
        at = found.end()
        if found[1]:
            end = _END_TAGS[found[1].lower()].search(html, at)
            at = len(html) if end is None else end.start()
    kept.append(html[at:])
    return "".join(kept)


# A table column's alignment (`|--:|`), as pulldown-cmark writes it: as `align`, which the
# sanitiser keeps on cells, not `style`, which it removes (and check warned an editor who
# never wrote one would lose it).
_ALIGNED_CELL = re.compile(r'<(th|td) style="text-align: (left|center|right)">')


# A footnote (`[^1]`, and `[^1]: Reuters` at the end), as pulldown-cmark writes it: its
# number linked to its note by an id, which the sanitiser removes (and a reader would be
# taken to the story's page), so it is written as the number alone, in brackets (a summary
# made of the text reads "4.2[1]", not the figure "4.21"), and the note as a paragraph that
# opens with it. Before footnotes were read, `[^1]: Reuters` was a link
# definition: "figures[^1]" became a link to /news/Reuters, and the source was lost.
_FOOTNOTE_REFERENCE = re.compile(r'<sup class="footnote-reference"><a href="#[^"]*">(\d+)</a></sup>')
_FOOTNOTE_DEFINITION = re.compile(r'<div class="footnote-definition" id="[^"]*"><sup class="footnote-definition-label">'
                                  r"(\d+)</sup>(\n<p>)?")


def _footnote(definition: re.Match[str]) -> str:
    return f"<div><p><sup>[{definition[1]}]</sup> " if definition[2] else f"<div><sup>[{definition[1]}]</sup>"


# pulldown-cmark escapes the brackets of an IPv6 address in a link (http://%5B::1%5D/),
# which no browser, nor the sanitiser, reads as a host: they are put back.
_ESCAPED_IPV6_HOST = re.compile(r'((?:href|src)="[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@"]*@)?)%5B([0-9A-Fa-f:.]+)%5D')


def checked_markdown_html(body: str) -> str:
    """markdown_html for a check: validation may see a `|` block as written, every line still
    indented (simple_yaml's blocks_as_written), which Markdown would read as code. Only
    bodies a quick look finds suspect get here, so the dedent costs nearly nothing."""
    return _checked_html(textwrap.dedent(body))


@lru_cache(maxsize=1)
def _checked_html(markdown: str) -> str:
    """markdown_html of a dedented body, kept for the one body last read: its depth, its
    longest run of text, what the sanitiser removes from it and its references each rendered
    it anew (a body of 450,000 lists in lists three times over, 0.1 s each)."""
    return markdown_html(markdown)


def body_html(body: str, base: str) -> str:
    """The body's Markdown as the HTML a feed carries. Most bodies hold no raw HTML (no
    `<`): pulldown-cmark then writes only tags the policy allows, and sanitising would only
    write the same tree again, at ten times the cost of rendering it. Their HTML is written
    as the sanitiser writes it instead, links made absolute by the same rule; anything
    unusual (a link with another scheme, one the rule drops) goes through the sanitiser.
    tests/test_markdown.py checks that both ways give the same bytes."""
    html = markdown_html(body)
    if "<" not in body:
        if "\r" in html:  # HTML parsers read a CR, or a CR and LF, as one LF
            html = html.replace("\r\n", "\n").replace("\r", "\n")
        written = _as_sanitised(html, base)
        if written is not None:
            return without_uncarriable(written)
    return sanitise_html(html, base)


_MARKDOWN_TAG = re.compile(r"<(a|img|code|th|td|ol) ([^<>]*?)(?: /)?>|<(br|hr) />|\xa0")
_MARKDOWN_ATTRIBUTE = re.compile(r'([a-z]+)="([^"]*)"')


def _as_sanitised(html: str, base: str) -> str | None:
    """pulldown-cmark's HTML written as html5ever writes what nh3 keeps of it, or None."""
    unusual = False
    allowed = _policy()[1]

    def tag(found: re.Match[str]) -> str:
        nonlocal unusual
        name, attributes, void = found.groups()
        if void:
            return f"<{void}>"
        if name is None:
            return "&nbsp;"
        kept = ""
        for attribute, escaped in _MARKDOWN_ATTRIBUTE.findall(attributes):
            if attribute not in allowed.get(name, ()) and attribute not in allowed["*"]:
                continue  # a code block's language, a link's title
            value = html_module.unescape(escaped)
            if attribute in _URL_ATTRIBUTES:
                url = _absolute(value, base)
                if url is None:
                    unusual = True
                    return ""
                value = url
            kept += f' {attribute}="{_attribute_text(value)}"'
        return f"<{name}{kept}>"

    written = _MARKDOWN_TAG.sub(tag, html).strip()
    return None if unusual else _address_words_escaped(written)


def _attribute_text(value: str) -> str:
    return html_module.escape(value).replace("&#x27;", "'").replace("\xa0", "&nbsp;")  # as html5ever writes it


_REFERENCE = re.compile(r"&#(?:[xX]0*([0-9A-Fa-f]{1,8})|0*([0-9]{1,10}));?")  # as HTML reads them: any zeros, no ; needed


def uncarriable_reference(body: str) -> tuple[str, str] | None:
    """The first character reference that would put into the body's published HTML a
    character no feed can carry (`&#1;`, or `&#146;` from a Windows-1252 export) or U+FFFD,
    the mark of a lost character, which HTML makes of `&#0;`, a surrogate's number and one
    past Unicode's, and the W3C validator flags; and that character. Literal ones are
    refused as the file is read; a U+FFFD typed as one is the editor's. The body is
    rendered to find out, only when a reference names such a character (`&#8217;` in every
    paragraph of a legacy export costs nothing): one in a code span stays text, and raw HTML
    reads `&#146;` as browsers do."""
    suspects = [(reference.group(), char) for reference in _REFERENCE.finditer(body)
                if (char := _made(reference)) == LOST or first_uncarriable(char)]
    if not suspects:
        return None
    html = _cleaned(checked_markdown_html(body.replace(LOST, "?")), _ANY_BASE)
    found = min(filter(None, (first_uncarriable(html), _LOST.search(html))), key=re.Match.start, default=None)
    if found is None:
        return None
    char = found.group()
    return next(((written, char) for written, made in suspects if made == char), ("a character reference", char))


LOST = "\ufffd"  # what HTML shows where a character was lost
_LOST = re.compile(LOST)


def _made(reference: re.Match[str]) -> str:
    """The character a reference makes, as HTML reads it."""
    hexadecimal, decimal = reference.groups()
    code = int(hexadecimal, 16) if hexadecimal else int(decimal)
    return LOST if code == 0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF else chr(code)


def removed_html(body: str) -> list[tuple[str, str]]:
    """What sanitising the body's HTML removes and why, then what to do instead, once each
    ('the YouTube embed (iframe) is removed: feeds cannot carry it', 'link to the video
    instead'). Most bodies hold no markup and no link: no Markdown is rendered for them."""
    if not _may_lose_markup(body):
        return []
    return list(_removed_from(textwrap.dedent(body)))


@lru_cache(maxsize=1)
def _removed_from(markdown: str) -> tuple[tuple[str, str], ...]:
    """removed_html of a body as checked_markdown_html reads it: kept for the one body last
    read, which an entry refused is read for twice (as written, then whole, for its
    messages' words: see build/parse.py), as are body_shape's and misreadings'."""
    html = _checked_html(markdown)
    left_open: list[tuple[str, str]] = []
    unclosed = unclosed_comment(html)
    if unclosed >= 0:  # html5 reads all after it as the comment: nothing there is published
        left_open.append(_comment_left_open(html[unclosed:]))
        html = html[:unclosed]
    finder = _Removed()
    each_once = _start_tags_once(html)
    finder.feed(_readable(html) if each_once is None else each_once)
    finder.close()
    return tuple(dict.fromkeys([*finder.found, *left_open]))


# the start tags after which _Removed reads the next ones otherwise: what it finds in the
# others depends on each tag alone
_READ_IN_CONTEXT = _REMOVED_WITH_CONTENTS | FOREIGN | {"picture", "source"}


def _start_tags_once(html: str) -> str | None:
    """Each distinct start tag of `html` once, in the order they first come, if what _Removed
    finds in each depends on that tag alone: every '<' starts a plain tag (PLAIN_TAG: no
    comment, no raw text), and none opens an element read in context. None otherwise. A body
    writes the same tags again and again: 120,000 `<x>x</x>` were each read by Python's
    HTMLParser, 0.7 s, and 55,000 autolinks 0.5 s, at each check of the body."""
    tags = PLAIN_TAG.findall(html)
    if len(tags) != html.count("<"):
        return None
    distinct = dict.fromkeys((name, attributes) for closing, name, attributes in tags if not closing)
    if not _READ_IN_CONTEXT.isdisjoint(name for name, _ in distinct):
        return None
    return "".join(f"<{name}{attributes}>" for name, attributes in distinct)




def autocorrected_end(text: str) -> str | None:
    """The fix for a comment whose end autocorrect made a dash of (`–>`, `—>`), if the text
    holds one: one rule for the comment left open and the comment shown as text."""
    dash = next((dash for dash in ("–>", "—>") if dash in text), None)
    return f"its end is written {dash}, a dash autocorrect made of two hyphens: write -->" if dash else None


def _comment_left_open(rest: str) -> tuple[str, str]:
    opened = " ".join(rest[4:].split("\n", 1)[0].split())
    shown = opened if len(opened) <= 30 else opened[:29] + "…"
    dash = autocorrected_end(html_module.unescape(rest) if "&gt;" in rest else rest)
    if dash:
        hint = dash
    elif "--&gt;" in rest:  # a `-->` on a line of text (Word's `<![endif]-->`): Markdown shows it, html5 never sees it
        hint = "its --> is on a line Markdown shows as text: end the comment on the line where it opens, or delete it"
    else:
        hint = "close it with --> where the note ends"
    return (f"the comment <!-- {shown} is never closed, so the rest of the body after it is left out of the feeds",
            hint)


def _readable(html: str) -> str:
    """`html` (no comment left open: removed_html cuts it there) as Python's HTMLParser reads
    it in linear time and without failing: each `<` that no `>` follows written as the text
    the parser makes of it in the end, since it looks for the end of each such start to the
    end of the text (10,000 `<a ` took 0.8 s, 30,000 7 s: gh-135462, fixed after Python
    3.11); and every `<![` as text, since the parser fails on a marked section it does not
    know (`<![x[`), which html5, as the sanitiser reads it, makes a comment of and drops."""
    html = html.replace("<![", "&lt;![")
    if "<!--" in html:  # html5's ends of a comment, in the parser's words (it knows only -->)
        html = html.replace("<!--->", "<!---->").replace("<!-->", "<!---->").replace("--!>", "-->")
    last_end = html.rfind(">")
    return html[:last_end + 1] + html[last_end + 1:].replace("<", "&lt;")


_TAG = re.compile(r"""<(?P<tag>[A-Za-z][A-Za-z0-9-]*)  # a tag, and all up to the next '<', and
                        (?P<attributes>(?:"[^"<]*"|'[^'<]*'|[^<"'])*)(?P<unclosed>["']?)  # a quote not closed before it""",
                  re.VERBOSE)
_ATTRIBUTE = re.compile(r"""[\s/"'](?:on[a-z]+|style|(?P<url>href|src|cite|longdesc))\s*=\s*
                              (?P<value>"[^"]*"|'[^']*'|[^\s>]*)""", re.IGNORECASE | re.VERBOSE | re.ASCII)
_SOURCE = re.compile(r"""[\s/"']src\s*=""", re.IGNORECASE | re.ASCII)
_LINK = re.compile(r"\](?:\(\s*([^\s)]*)|:\s*(\S*))", re.ASCII)  # a Markdown link's address, or a definition's
# What Markdown and HTML both leave as written in a URL (pulldown-cmark %-encodes others):
# no quote, bracket, escape or reference to be read first. White space, to both, is ASCII's.
_AS_WRITTEN = re.compile(r"[A-Za-z0-9\-_.+!*,%#@?=;:/$~]+")


def _may_lose_markup(body: str) -> bool:
    """A quick look at the raw text: only a body with a tag the policy does not allow, a
    handler, a style=, or a URL that may not be carried needs its Markdown rendered to be
    sure (or a comment, which may be left open). Markup starts with '<' and a Markdown
    link's address follows a ']': the many bodies with neither cost two searches for one
    character (in a text with a curly quote, one for '](' costs 50 times as much), and
    each search below starts at one of them. Each address is looked at once: a story links
    to its site's pages again and again (120,000 `[a](b)` took 0.8 s, an address at a time)."""
    has_markup, has_links = "<" in body, "]" in body
    return (has_markup and ("<!--" in body or any(_may_lose_tag(found) for found in _TAG.finditer(body)))) or (
        has_links and any(not _surely_carried(address) for address in {link or defined for link, defined in
                                                                         _LINK.findall(body)}))


def _may_lose_tag(found: re.Match[str]) -> bool:
    """A tag the policy drops, one whose end cannot be told, or one with a handler, a
    style= or a URL not surely carried."""
    if found["tag"].lower() not in _policy()[0] or found["unclosed"]:
        return True
    if found["tag"].lower() == "img" and not _SOURCE.search(found["attributes"]):  # shown as its alt text
        return True
    for attribute in _ATTRIBUTE.finditer(found["attributes"]):
        value = attribute["value"]
        if not attribute["url"] or not _surely_carried(value[1:-1] if value[:1] in "\"'" else value):
            return True
    return False


def _surely_carried(written: str) -> bool:
    """A URL in the raw text that reaches the feed: written as the HTML will hold it, and carried."""
    if not _AS_WRITTEN.fullmatch(written):
        return False
    try:
        carried_url(written, _ANY_BASE)
    except URLError:
        return False
    return True


MAX_NESTING = 100  # levels of block quotes, of lists, of HTML elements a body may nest: stories use a few
_MARKER = r"(?:[-+*>]|\d{1,9}[.)])"  # what opens a block quote or a list item
_MAY_NEST_DEEP = re.compile(rf"""\n(?: [ \t]{{{MAX_NESTING // 2}}}                # deep indentation (a tab is 2 levels at most)
                                     | [ \t]*{_MARKER}[ \t]+{_MARKER}(?:[ \t]|\n))  # several opened on one line""",
                            re.VERBOSE)


_LONG_TAG = re.compile(r"<[^<>]{300,}")


def body_shape(body: str) -> HtmlShape:
    """How deep the body's deepest block quote, list or HTML element nests, and how much
    formatting html5 opens again, counted on its HTML as a browser reads it (one line of
    `- - - -` is a list in a list in a list). The sanitiser's time grows with the square of
    the depth: a body of 50,000 '>' would hold a build for hours. A quick look at the text
    rules out nearly every body first: over MAX_NESTING levels take over MAX_NESTING '>'
    or '<', '*', '_' or '~' (emphasis in emphasis: `__` 20,000 times around a word nests as deep),
    or a tag long enough to hold many attributes (with at most MAX_NESTING '<' and '>', and no
    300 characters between two, a body's tags hold a few thousand at most: nh3 takes ms),
    deep indentation, or a line that opens several quotes or lists at once; and so few tags
    open few elements again."""
    lines = "\n" + body
    if max(body.count(">"), body.count("<"), body.count("*") + body.count("_") + body.count("~")) <= MAX_NESTING \
            and not _MAY_NEST_DEEP.search(lines) and not _LONG_TAG.search(body):
        return HtmlShape(0, 0, 0)
    return _shape_of(textwrap.dedent(body))


@lru_cache(maxsize=1)
def _shape_of(markdown: str) -> HtmlShape:
    """body_shape of a body as checked_markdown_html reads it, kept as _removed_from is."""
    return html_shape(_checked_html(markdown))


MAX_TEXT_RUN = 50_000  # characters of text between tags: a paragraph, a code block; a long paragraph has 3,000
# Where html5ever starts a new text node: a comment, a start tag, but for those of tables
# and of the page, which it may ignore or carry text across (<table>a<tr>b puts "ab"
# before the table). End tags are not counted either: a run is never shorter than found.
# A body sanitised twice (_cleaned) is split at the tags the policy keeps alone: the first
# pass drops the others and comments, and the second reads the text on either side as one
# run (22 runs of 45,000 '&' between <x></x> took 9 s).
_NO_SPLIT = frozenset({"table", "caption", "colgroup", "col", "tbody", "thead", "tfoot", "tr", "td", "th", "html",
                       "head", "body", "frameset", "frame", "form"})
_SPLITS_TEXT = re.compile(rf"<!--|<(?!(?:{'|'.join(_NO_SPLIT)})\b)[A-Za-z]", re.IGNORECASE)


_SPLITS_WRITTEN_TEXT = re.compile(r"<[a-z]")


@cache
def _splits_text_kept() -> re.Pattern[str]:
    kept = sorted(_policy()[0] - _NO_SPLIT, key=len, reverse=True)
    return re.compile(rf"<(?:{'|'.join(kept)})(?=[\t\n\f\r />])", re.IGNORECASE)


def _splits_text(body: str, html: str) -> re.Pattern[str]:
    """Where the body's HTML splits text as nh3 reads it. From a body with no `<`, all of it
    is the Markdown renderer's: every element it writes is one the policy keeps, and each
    table cell sits in a table, so every start tag splits (a results table of 3,000 rows is
    runs of a cell each, sanitised in 20 ms, not one run refused)."""
    if "<" not in body:
        return _SPLITS_WRITTEN_TEXT
    return _splits_text_kept() if _sanitised_twice(html) else _SPLITS_TEXT


@lru_cache(maxsize=1)
def longest_text_run(body: str) -> int:
    """How many characters the body's longest run of text between two tags holds, if it
    may hold over MAX_TEXT_RUN (0 if not). nh3's time grows with the square of a run's
    length when it holds '&' or no-break spaces: one paragraph of a million '&' took 13 s,
    of half a million no-break spaces 8 s. A run is no longer than the body (but for the
    spaces a tab at the start of a line may become), so most bodies are not rendered. Kept
    for the one body last read, which an entry refused is read for twice (_removed_from)."""
    if len(body) <= MAX_TEXT_RUN:
        return 0
    dedented = textwrap.dedent(body)  # as checked_markdown_html reads it; and as written, if indented: a code block
    renders = [_checked_html(dedented), *([markdown_html(body)] if dedented != body else [])]
    runs = [run for html in renders for run in _splits_text(body, html).split(html) if len(run) > MAX_TEXT_RUN]
    return max(map(_characters, runs), default=0)


def _characters(run: str) -> int:
    """The characters a reader sees in a run of HTML: not the rest of the tag it starts
    with, nor the tags within it or white space at its ends, and each escape pulldown-cmark
    writes as one (html.unescape took a second over a million of them); or the '&' and
    no-break spaces of that tag's values, which cost nh3 as text does (900,000 '&' in a
    title= took 14 s), if more."""
    tag, _, text = run.partition(">")
    text = TAG.sub("", text).strip(" \t\n\r")  # a no-break space is text
    written = len(text) - 4 * text.count("&amp;") - 3 * (text.count("&lt;") + text.count("&gt;")) - 5 * text.count("&quot;")
    return max(written, tag.count("&") + tag.count("\xa0"))  # an attribute's value costs nh3 alike




# The fix for a file name with spaces ("Annual Report.pdf"), as a browser would request it.
_SPACES_ESCAPED = "write each space in the address as %20"


class _Removed(HTMLParser):
    """Reads HTML as the sanitiser will, noting each tag, attribute and URL it would drop."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self.dropping: tuple[str, int] | None = None  # an element removed with its contents, and how deep in it
        self.picture: bool | None = None  # in a <picture>: whether it has its <img> yet

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.dropping:  # nothing in it reaches a reader: its own warning says so
            name, depth = self.dropping
            self.dropping = (name, depth + (tag == name and tag not in _NOT_NESTED))
            return
        if tag == "picture" or (tag == "source" and self.picture is not None):
            # A picture is carried as its <img>, which every reader shows: its other sources
            # are the same picture in other sizes and formats, no loss to warn of.
            self.picture = self.picture or False
            return
        if tag == "img" and self.picture is not None:
            self.picture = True
        tags, attributes = _policy()
        if tag not in tags:
            self.found.append(_tag_removed(tag, dict(attrs)))
            self.dropping = (tag, 1) if tag in _REMOVED_WITH_CONTENTS else None
            return
        allowed = attributes.get(tag, frozenset()) | attributes["*"]
        if tag == "img" and not any(name == "src" for name, _ in attrs):
            self.found.append(("an image with no src= is shown as its alt text: feeds carry an image's src= alone "
                               "(not srcset= or data-src=)", "give the image src= with the picture's address"))
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append((f"the event handler {name}= is removed: feeds cannot run scripts", ""))
            elif name == "style":
                self.found.append(("the style= attribute is removed: feed readers use their own styles", ""))
            elif name in allowed and name in _URL_ATTRIBUTES:
                self._note_url(name, value or "")

    def _note_url(self, attribute: str, url: str) -> None:
        try:
            carried_url(url, _ANY_BASE)
        except URLError as error:
            self.found.append((f"{_URL_ATTRIBUTES[attribute]}: expected {_CARRIED}, found {error}",
                               _SPACES_ESCAPED if " " in url.strip() else
                               "write a path such as /news/story or a full https:// address"))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in FOREIGN:  # <svg/> closes itself, as XML does; <video/> does not
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.dropping and self.dropping[0] == tag != "plaintext":  # which has no end
            name, depth = self.dropping
            self.dropping = (name, depth - 1) if depth > 1 else None
        elif tag == "picture" and not self.dropping:
            self._picture_ends()

    def close(self) -> None:
        super().close()
        self._picture_ends()

    def _picture_ends(self) -> None:
        if self.picture is False:
            self.found.append(("the picture (<picture>) is removed: feeds carry a picture's <img src=> alone, and it has "
                               "none", "give it an <img src=> with the picture's address"))
        self.picture = None


def _tag_removed(tag: str, attrs: dict[str, str | None]) -> tuple[str, str]:
    if tag == "iframe":
        source = (attrs.get("src") or "").lower()
        site = next((name for key, name in _VIDEO_SITES.items() if key in source), None)
        if site:
            return f"the {site} embed (iframe) is removed: feeds cannot carry it", "link to the video instead"
        return "the embed (iframe) is removed: feeds cannot carry it", "link to the page instead"
    if tag == "script":
        return "the script is removed, with its code: feeds cannot run scripts", ""
    if tag == "style":
        return "the style block is removed, with its rules: feed readers use their own styles", ""
    if tag in ("object", "embed", "video", "audio", "source"):
        return f"the embedded media (<{tag}>) is removed: feeds cannot carry it", "link to it instead"
    if tag in ("form", "input", "button", "select", "textarea"):
        return f"the form (<{tag}>) is removed: feeds cannot carry forms", "link to the page instead"
    if tag == "plaintext":  # it has no end: browsers read all after it as its text
        return "the <plaintext> element is removed, with all of the body after it: feeds do not carry it", _CODE_BLOCK
    if tag in _REMOVED_WITH_CONTENTS:
        return f"the <{tag}> element is removed, with its contents: feeds do not carry it", _INSTEAD.get(tag, "")
    return f"the <{tag}> tag is removed (its text stays): feeds do not carry it", ""


# What browsers read as text (an <xmp> in an <xmp> is text), and what a second one closes
_NOT_NESTED = frozenset({"script", "style", "noscript", "xmp", "iframe", "noembed", "noframes", "plaintext", "title",
                         "textarea", "select"})
_CODE_BLOCK = "to show code, indent it four spaces or fence it with ```"
_INSTEAD = {"xmp": _CODE_BLOCK, "svg": "link to the picture as an image instead", "math": "write the formula as text"}


def _scheme(url: str) -> str | None:
    """A URL's scheme as a browser reads it (spaces before it, tabs and line breaks anywhere
    in it, and case ignored), None for a relative one."""
    found = _URL_SCHEME.match(url.translate(_TABS_AND_BREAKS))
    return found.group(1).lower() if found else None


_URL_SCHEME = re.compile(r"[\x00-\x20]*([A-Za-z][A-Za-z0-9+.-]*):")
_TABS_AND_BREAKS = str.maketrans("", "", "\t\n\r")
