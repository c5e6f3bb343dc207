"""Validate stage: raw documents in, typed immutable Site and Entry values (or problems) out.

Every rule of the entry format lives here, and every problem found is collected: an
editor fixing a file sees all its mistakes at once, not one per build.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Mapping
from contextlib import suppress
from datetime import datetime
from functools import cache, partial
from urllib.parse import urlsplit, urlunsplit

from . import placeholders
from .characters import character_name, why_not
from .dates import format_iso
from .fields import Fields, no_scheme
from .hosts import starts_with_host
from .html_depth import MAX_ATTRIBUTES, most_reopened
from .load import RawDocument, with_reading_problems
from .misread import could_be_misread, misreadings
from .model import ENTRY_FIELDS, Entry, Site
from .problems import Problem, ProblemList, and_more, quote
from .sanitise import (
    LOST,
    MAX_NESTING,
    MAX_TEXT_RUN,
    autocorrected_end,
    body_shape,
    comment_shown,
    longest_text_run,
    removed_html,
    uncarriable_reference,
)
from .slugs import author_folder, category_folder, folder_taken
from .urls import IdError, URLError, absolute_url, escape_not_utf8, guessed_type, id_form, normal_id

ENTRY_EXAMPLES = {"title": "title: Storm closes Black Sea ports", "link": "link: /news/storm-closes-ports",
                  "published": "published: 2020-02-20 16:40",
                  "summary": "summary: Ports shut as the storm reaches the coast."}


def validate_entry(doc: RawDocument, site: Site) -> Entry | list[Problem]:
    """One entry file -> Entry, or every problem in it."""
    problems = ProblemList(doc.path)
    fields = Fields(doc.root, ENTRY_FIELDS, problems, "an entry", ENTRY_EXAMPLES)
    title = fields.text("title", "a title", required=True, is_prose=True)
    if title is not None:
        _breaks_in_title(fields)
    link = fields.url("link", site.link, required=True)
    if link is not None and (folder := _site_folder_meant(site.link)) is not None:
        _link_outside_the_site(fields, link, site.link, folder)
    published = fields.date("published", site.timezone, site.language, required=True)
    updated = fields.date("updated", site.timezone, site.language)
    expires = fields.date("expires", site.timezone, site.language)
    summary = fields.text("summary", "a summary", is_prose=True)
    for name, text in (("title", title), ("summary", summary)):
        if text is not None and ("](" in text or "**" in text):  # most: two quick searches, none found
            _markdown_in_text(fields, name, text)
    body = _body(fields)
    if "summary" not in fields.values and "body" not in fields.values:
        fields.missing("summary", "a summary or a body")
    given_id = _given_id(fields)
    _check_order(fields, published, updated, expires)
    authors = fields.authors("author", link or site.link, partial(author_folder, site))
    fields.author_folders_fit("author", authors, partial(author_folder, site))
    categories = fields.categories("categories", partial(category_folder, site), partial(folder_taken, site))
    image = fields.url("image", link or site.link, example="/img/storm.jpg")
    if image is not None and (kind := guessed_type(image)) is not None and not kind.startswith("image/"):
        fields.bad(fields.values["image"], "image", "not-an-image",
                   f"expected a picture, found {quote(image)}, whose name says {kind}",
                   "give image: a picture such as /img/storm.jpg, and link the file itself in the body")
        image = None
    draft = fields.boolean("draft", False)
    if not draft:
        _unfinished(fields, summary, body)
    if body is not None:
        _too_deep(fields, body)
        _too_long_a_run(fields, body)
        if len(body) * len(link or site.link) > _SHORTEST_REFERENCE * MAX_LINKS_ADDED:  # a long link: count
            _links_made_too_long(fields, body, link or site.link)
        if "&" in body and "&#" in body:  # the one way to write such a character; "&" first: 0.2 µs, not 4
            _uncarriable_reference(fields, body)
        _removed_markup(fields, body)
        if "<!--" in body:
            _comment_shown(fields, body)
        if ":" in body:
            _fields_in_body(fields, body)
        if "[" in body and _SHORTCODE.search(body) is not None:  # most bodies: one search, and none found
            _shortcode(fields, body)
        _links_without_scheme(fields, body, link or site.link)
        if could_be_misread(body):
            _misread(fields, body)
    if given_id is None and link is not None and "%" in link:
        _link_not_an_id(fields, link)
    if problems or doc.problems:
        return with_reading_problems(doc, problems.items)
    id_node = fields.values.get("id") or fields.values["link"]
    return Entry(doc.path, id_form(given_id or link), title, link, published, updated, authors,  # type: ignore[arg-type]
                 categories, summary, body, body is not None, image, draft, expires, (id_node.line, id_node.column),
                 tuple(problems.warnings))


def _body(fields: Fields) -> str | None:
    return fields.text("body", "a body", flatten=False, is_markdown=True)


def body_of(doc: RawDocument) -> str | None:
    """The body of an entry file found valid, read as validate_entry reads it, and nothing
    else checked: the feeds of a big site show entries whose bodies the build dropped once
    validated, and checking the whole file again to render one took twice reading it."""
    return _body(Fields(doc.root, ENTRY_FIELDS, ProblemList(doc.path), "an entry", ENTRY_EXAMPLES))


def _unfinished(fields: Fields, summary: str | None, body: str | None) -> None:
    """A story still holding the sentences `feeds new` wrote is not finished: it must not go out."""
    for name, text, placeholder in (("summary", summary, placeholders.ENTRY_SUMMARY),
                                    ("body", body, placeholders.ENTRY_BODY)):
        if text is not None and placeholder in text:
            fields.bad(fields.values[name], name, "unfinished",
                       f"expected the story, found the placeholder feeds new wrote, {quote(placeholder, 120)}",
                       f"write the {name} in its place, or put back draft: true until it is finished")


def _too_deep(fields: Fields, body: str) -> None:
    shape = body_shape(body)
    depth = shape.depth
    if depth <= MAX_NESTING and shape.reopened > most_reopened(shape.tags):
        fields.bad(fields.values["body"], "body", "too-tangled", f"expected each <b>, <i>, <font> and such closed "
                   f"where it is opened, found formatting that html5 opens again, after the end tag of the element "
                   f"around it, {shape.reopened:,} times over {shape.tags:,} tags",
                   "close each formatting element before the element around it ends; this looks generated by mistake")
    if shape.attributes > MAX_ATTRIBUTES:
        fields.bad(fields.values["body"], "body", "too-many-attributes", f"expected at most {MAX_ATTRIBUTES:,} "
                   f"attributes on one HTML element (those of every <html> and <body> tag add up on one), found "
                   f"{shape.attributes:,}", "this looks generated by mistake: write the element with the few it needs")
    if depth > MAX_NESTING:
        fields.bad(fields.values["body"], "body", "too-deep", f"expected block quotes, lists and HTML elements "
                   f"nested at most {MAX_NESTING} levels deep, found {depth:,} levels",
                   "a story needs a few; this looks pasted or generated by mistake: flatten it, and close "
                   "each HTML element left open (a <b> with no </b> holds all that follows it)")


def _too_long_a_run(fields: Fields, body: str) -> None:
    run = longest_text_run(body)
    if run > MAX_TEXT_RUN:
        table = "; an HTML table's text counts as one run: write it as a Markdown table, whose cells count apart" \
            if "<table" in body.lower() else ""
        fields.bad(fields.values["body"], "body", "too-long-paragraph", f"expected paragraphs and code blocks of at "
                   f"most {MAX_TEXT_RUN:,} characters, found one of {run:,}", "a story's paragraphs hold a few hundred; this looks "
                   "pasted or generated by mistake: break it into paragraphs, or a code block into several" + table)


# Relative links and images are written out in full against the entry's link, in every
# format: thousands of them against a link thousands of characters long made a 39 MB feed,
# beyond what the W3C validator and libxml2 (10 MB a text) read, from a 122 KB file.
MAX_LINKS_ADDED = 1_000_000  # bytes that making a body's links absolute may add to it
_SHORTEST_REFERENCE = 5  # characters: [](x)
# A link or image whose address is written against the whole entry link: not one with a
# scheme (https:, mailto:), from the root (/x: the origin alone) or within the page (#x).
_RELATIVE_REFERENCE = re.compile(r"""(?:\]\([ \t]*+<?+|\]:[ \t]*+<?+|(?:href|src)[ \t]*+=[ \t]*+["']?+)(?![A-Za-z][A-Za-z0-9+.-]*:|[/#])""",
                                 re.IGNORECASE)


def _links_made_too_long(fields: Fields, body: str, link: str) -> None:
    references = sum(1 for _ in _RELATIVE_REFERENCE.finditer(body))  # at most: some may be text
    added = references * len(link)
    if added > MAX_LINKS_ADDED:
        fields.bad(fields.values["body"], "body", "links-too-long",
                   f"expected links that, written out in full, add at most {MAX_LINKS_ADDED:,} bytes to the body, "
                   f"found {references:,} relative links and images, each written out against the entry's link "
                   f"of {len(link):,} characters: up to {added:,} bytes in every feed",
                   "shorten the entry's link, or write fewer links: a relative link is written out whole in the feeds")


def _uncarriable_reference(fields: Fields, body: str) -> None:
    found = uncarriable_reference(body)
    if found is None:
        return
    reference, char = found
    hint = f"{why_not(char)}; delete it"
    if char == LOST:
        hint = "HTML shows it as �, the mark of a lost character, which the W3C validator flags; delete it"
    if 0x80 <= ord(char) <= 0x9F and (meant := bytes([ord(char)]).decode("cp1252", "replace")) != "\ufffd":
        hint = f"{reference} is Windows-1252's number for {meant}, not Unicode's: write {meant} itself"
    fields.bad(fields.values["body"], "body", "bad-character",
               f"expected characters a feed can carry, found {reference}, which makes {character_name(char)}", hint)


def _removed_markup(fields: Fields, body: str) -> None:
    """Warn of each kind of HTML the sanitiser will take out of the body: the editor put it there."""
    node = fields.values["body"]
    for removed, instead in removed_html(body):
        fields.problems.warn(node.line, node.column, "body", "html-removed", removed, instead)


def _comment_shown(fields: Fields, body: str) -> None:
    shown = comment_shown(body)
    if shown is not None:
        fields.bad(fields.values["body"], "body", "comment-shown",
                   f"expected each comment closed with --> outside code, found <!-- {shown} shown to readers as text",
                   autocorrected_end(body) or
                   "Markdown ends a comment with the paragraph it starts in: close it with --> before the blank line, "
                   "or start it on a line of its own; to show <!-- as written, write \\<!--")


def _misread(fields: Fields, body: str) -> None:
    """Warn of Markdown that publishes what the editor did not mean (misread.py): HTML shown
    as code, Markdown published inside HTML, a number that opens a line made a list."""
    node = fields.values["body"]
    for code, message, hint in misreadings(body):
        fields.problems.warn(node.line, node.column, "body", code, message, hint)


def _breaks_in_title(fields: Fields) -> None:
    """Warn of a tab or line break within a title's words, which readers show as a space:
    in double quotes `\\t` and `\\n` make them, so "C:\\temp\\new" is published as "C: emp ew"."""
    node = fields.values["title"]
    raw = node.value if type(node.value) is str else ""
    if ("\t" in raw or "\n" in raw.rstrip()) and (found := _BREAK_IN_WORDS.search(raw)):
        what = "a tab" if found.group(1) == "\t" else "a line break"
        fields.problems.warn(node.line, node.column, "title", "break-in-title",
                             f"{quote(raw.replace(chr(9), '<TAB>').replace(chr(10), '<LF>'), 80)} holds {what} between "
                             "letters, which readers show as a space",
                             "if a backslash was meant, in double quotes \\t writes a tab and \\n a line break: "
                             "write the backslash twice (\\\\), or put the title in single quotes")


_BREAK_IN_WORDS = re.compile(r"\S([\t\n])\S")


def _markdown_in_text(fields: Fields, name: str, text: str) -> None:
    """Warn of Markdown in a title or summary, which are plain text (SPEC) and published as
    typed: an editor used to the body writes **bold** and [the full report](https://…) in a
    summary too, and readers saw the asterisks, the brackets and the address."""
    every = list(_MARKDOWN_IN_TEXT.finditer(text))
    if not every:
        return
    found, node = every[0], fields.values[name]
    words, link = (found.group("words"), True) if found.group("words") is not None else (found.group("strong"), False)
    fields.problems.warn(node.line, node.column, name, "markdown-in-text",
                         f"found {quote(found.group(), 80)}{and_more(every)}, Markdown, which a {name} does not read: it is plain "
                         f"text, and readers see the {'brackets and the address' if link else 'asterisks'} as typed",
                         f"write the words alone ({quote(words)})"
                         + (", and the link in the body, where Markdown is read" if link else ""))


# A link [words](address), the address one a body would take (http(s), from the site's root,
# relative, a fragment), or **words** (a starred word alone, **** or a ** b, is no Markdown).
_MARKDOWN_IN_TEXT = re.compile(r"\[(?P<words>[^\[\]\n]{1,300})\]\((?:https?://|/|\.{1,2}/|#|[\w-]+\.)[^()\s]{0,2000}\)"
                               r"|\*\*(?P<strong>[^*\s](?:[^*]{0,300}[^*\s])?)\*\*")


def _shortcode(fields: Fields, body: str) -> None:
    """Warn of a WordPress shortcode left in a body from an export, published as its text:
    one outside code and comments, with attributes or its closing tag (`[audio]` alone is
    also how news copy marks a clip)."""
    shortcode = _SHORTCODE.search(_outside_code(body))
    if shortcode is None:
        return
    node = fields.values["body"]
    fields.problems.warn(node.line, node.column, "body", "shortcode",
                         f"the WordPress shortcode [{shortcode.group(1)}] is published as text: feeds has no shortcodes",
                         "replace it with what it stands for: an image as ![its alt text](/img/photo.jpg) with its "
                         "caption as a line of text, a video or post as a link to it")


# [gallery ids="1,2"] or [embed]…[/embed]; not a link's text [embed code], nor [audio] alone.
# Neither part reads past the next "[": a body of 100,000 "[gallery a=" is one pass, not a square.
_SHORTCODE = re.compile(r"\[(caption|embed|gallery|video|audio|playlist|wp_caption|contact-form-7|contact-form)"
                        r"(?:\s+[\w-]+=[^\]\[]*\]|\][^\[]*\[/\1\])")
# What opens code (a fence or a span of backticks, <code>, <pre>) or a comment; a run of backticks
# or tildes is read as a whole.
_OPENS_CODE = re.compile(r"`+|~{3,}|<!--|<(?:code|pre)\b", re.IGNORECASE)
_CLOSES_ELEMENT = {"<!--": re.compile("-->"), "<code": re.compile("</code>", re.IGNORECASE),
                   "<pre": re.compile("</pre>", re.IGNORECASE)}
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _starts_a_line(text: str, at: int) -> bool:
    """Whether `at` follows no more than three spaces on its line, where Markdown starts an HTML block."""
    before = text[max(0, at - 4):at]  # a line break and three spaces at most
    if "\n" in before:
        return not before.rpartition("\n")[2].strip(" ")
    return at <= 3 and not before.strip(" ")


def _outside_code(body: str) -> str:
    """The body less its code and comments, where a shortcode is the code's own: fenced or
    between backticks (a span ends with its paragraph), in <code> or <pre>, or an HTML
    comment. A comment starting a line, <code> or <pre> never closed takes the rest of the
    body, as Markdown and HTML read it; one inside a line, a fence or backticks never
    closed are text. An opening's end is looked for once, and not again after a search
    found none (a pattern's lazy .*? from each of 10,000 unclosed ones read to the end of
    the body 10,000 times)."""
    kept: list[str] = []
    at = 0
    paragraph_ends = [found.start() for found in _BLANK_LINE.finditer(body)] + [len(body)]
    absent_until: dict[str, int] = {}  # an opening whose end a search found nowhere before this offset
    while (opening := _OPENS_CODE.search(body, at)) is not None:
        mark = opening.group()
        kept.append(body[at:opening.start()])
        key, element = mark.lower(), mark[0] == "<"
        limit = len(body) if element or len(mark) >= 3 else paragraph_ends[bisect.bisect_left(paragraph_ends,
                                                                                               opening.end())]
        end = -1
        if absent_until.get(key, -1) < limit:
            if element:
                closing = _CLOSES_ELEMENT[key].search(body, opening.end())
                end = closing.end() if closing is not None else -1
            elif opening.end() < limit:
                found = body.find(mark, opening.end() + 1, limit)
                end = found + len(mark) if found >= 0 else -1
            if end < 0:
                absent_until[key] = limit
        if end >= 0:
            at = end
        elif element and (mark != "<!--" or _starts_a_line(body, opening.start())):
            return "".join(kept)  # a comment block, <code> or <pre> left open: the rest of the body is theirs
        else:  # no end: the mark is text (a comment inside a line is Markdown's text)
            kept.append(mark)
            at = opening.end()
    kept.append(body[at:])
    return "".join(kept)


def _fields_in_body(fields: Fields, body: str) -> None:
    """Warn of a line of the body that reads as a field the entry lacks, with a value of that
    field's kind: indented with the body (`body: |`), `categories: [News]` is a line of the
    story, and the entry has none. Prose that opens so (`image: courtesy of Reuters`) and
    code blocks are left alone. Each field is named once, at the first such line."""
    node = fields.values["body"]
    lines = "\n" + body
    indent = _block_indent(body)
    code_blocks: list[tuple[int, int]] | None = None  # found once, at the first line that may be a field
    warned: set[str] = set()
    for match in _field_line(indent).finditer(lines):
        name, value = match.group(1), match.group(2).split(" #", 1)[0].strip()  # a comment after it, as entries have
        if name in fields.values or name in warned or not _FIELD_VALUE[name].fullmatch(value):
            continue
        code_blocks = _code_blocks(lines, indent) if code_blocks is None else code_blocks
        if _within(code_blocks, match.start()):
            continue
        warned.add(name)
        written = lines[match.start() + 1 + indent:].partition("\n")[0]
        fields.problems.warn(node.line, node.column, "body", "field-in-body",
                             f"the line {quote(written, 60)} is indented into the body, so it is published as a "
                             f"line of the story, and the entry has no {name}",
                             f"if it is the entry's {name}, take away its indent so that it starts the line, "
                             f"as body: does")


def _within(blocks: list[tuple[int, int]], at: int) -> bool:
    """Whether `at` falls inside one of `blocks` (in order, apart)."""
    found = bisect.bisect_left(blocks, (at,)) - 1
    return found >= 0 and at < blocks[found][1]


def _block_indent(body: str) -> int:
    """The spaces before every line of a `|` block as written (simple_yaml's
    blocks_as_written, as a big build reads bodies it drops): its first line's, as YAML
    takes a block's indentation from it; 0 for a body as YAML gives it."""
    first = body.lstrip("\n")
    return len(first) - len(first.lstrip(" "))


def _code_blocks(lines: str, indent: int) -> list[tuple[int, int]]:
    """Where fenced code blocks open and close: one opened by three or more ` or ~, closed
    only by a fence of the same mark at least as long (CommonMark), or by the body's end."""
    blocks: list[tuple[int, int]] = []
    opened, start = "", 0
    for fence in _fence(indent).finditer(lines):
        if not opened:
            opened, start = fence.group(1), fence.start()
        elif fence.group(1)[0] == opened[0] and len(fence.group(1)) >= len(opened) and not fence.group(2).strip():
            blocks.append((start, fence.start()))
            opened = ""
    if opened:
        blocks.append((start, len(lines)))
    return blocks


@cache
def _fence(indent: int) -> re.Pattern[str]:
    return re.compile(rf"\n {{{indent}}}[ ]{{0,3}}(`{{3,}}|~{{3,}})([^\n]*)")


# What each field a pasted line can name holds, as an entry writes it (a title or summary,
# which holds any text, is never told from the story's own lines, so neither is looked for).
_FIELD_VALUE = {
    "categories": re.compile(r"\[.*\]|[^,.;]{0,40}"),  # a list, or one category (a string is one), not a sentence
    "image": re.compile(r"(?:/|https?://)\S*|\S+\.(?:jpe?g|png|gif|webp|avif|svg)"),
    "link": re.compile(r"(?:/|https?://)\S*"), "id": re.compile(r"(?:urn|tag|https?):\S+"),
    **dict.fromkeys(("published", "updated", "expires"), re.compile(r"\d.*")),  # a date begins with a digit
    "draft": re.compile(r"true|false"), "author": re.compile(r"\{.*\}|\[.*\]|[^,]+")}
# A line that starts with such a field's name and colon, after the block's indent as written
# (_block_indent); a line break first, not ^ in MULTILINE mode: re then looks only at line
# breaks (1 µs for a 2.5 KB body, not 9).
@cache
def _field_line(indent: int) -> re.Pattern[str]:
    return re.compile(rf"\n {{{indent}}}({'|'.join(_FIELD_VALUE)}):(?= |\n|$)([^\n]*)")


def _links_without_scheme(fields: Fields, body: str, base: str) -> None:
    """Warn of each link or image in the body written bbc.co.uk/news or www.example.com/a,
    without https://: a reader takes it for a path on this site. A Markdown link's address is
    looked for in every body (1 µs for 4 KB: the search jumps from one `](` or `]:` to the
    next); an HTML attribute's only in a body with a `<`, each `=` then looked at."""
    found = [match.group(1) for match in _MARKDOWN_DOTTED_ADDRESS.finditer(body)
             if match.group()[1] == "(" or not body.startswith("[^", body.rfind("[", 0, match.start()))]  # [^1]: text
    if "<" in body:
        found += [match.group(1) for match in _DOTTED_VALUE.finditer(body)
                  if _URL_ATTRIBUTE_NAME.search(body, max(0, match.start() - 12), match.start())]
    node = fields.values["body"]
    for written in dict.fromkeys(found):
        if starts_with_host(written):
            with suppress(URLError):
                fields.problems.warn(node.line, node.column, "body", "no-scheme",
                                     *no_scheme(written, absolute_url(written, base)))


# An address that starts with a label and a dot (a host name, or a file's name), in a Markdown
# link or definition, or after an `=` (an HTML attribute's, if `href` or `src` stands before it).
_DOTTED = r"""([A-Za-z0-9][A-Za-z0-9-]*\.[^\s)>"']+)"""
_MARKDOWN_DOTTED_ADDRESS = re.compile(r"\][(:]\s*<?" + _DOTTED)
_DOTTED_VALUE = re.compile(r"""=\s*["']?""" + _DOTTED)
_URL_ATTRIBUTE_NAME = re.compile(r"""[\s"'/](?:href|src)\s*\Z""", re.IGNORECASE)


def _site_folder_meant(site_link: str) -> str | None:
    """The folder a site's link names by a last part with no / and no file's dot
    (https://www.example.com/news: /news/), which relative links, as RFC 3986 and browsers
    resolve them, are not taken from; None for a link ending in / or naming a file."""
    parts = urlsplit(site_link)
    last = parts.path.rsplit("/", 1)[-1]
    return None if not last or "." in last else urlunsplit(parts._replace(path=parts.path + "/", query="", fragment=""))


def _link_outside_the_site(fields: Fields, link: str, site_link: str, folder: str) -> None:
    """Warn of a relative link that the site's link, had it ended with /, would have put
    in its folder: `link: 2024/storm` against https://www.example.com/news is
    https://www.example.com/2024/storm, a page the newsroom seldom means."""
    written = fields.values["link"].value
    if not isinstance(written, str) or written.strip().startswith(("/", "?", "#")) or _SCHEME.match(written.strip()):
        return
    with suppress(URLError):
        if absolute_url(written, folder) == link or urlsplit(link).path.startswith(urlsplit(folder).path):
            return  # `news/2024/ok` against https://www.example.com/news is in /news/ either way
        node = fields.values["link"]
        fields.problems.warn(node.line, node.column, "link", "outside-site-folder",
                             f"found {quote(written)}, which resolves against site.yaml's link {site_link} as {link}, "
                             f"outside {urlsplit(folder).path}: a relative link is taken from the folder of the "
                             "page a link names, and a link that does not end with / names a page",
                             f"if the stories are under {urlsplit(folder).path}, end site.yaml's link with /: "
                             f"link: {folder}; if not, write link: /{link.split('/', 3)[3]}")


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def _link_not_an_id(fields: Fields, link: str) -> None:
    """A link whose escapes spell no UTF-8 text (`/caf%E9`, an old system's Latin-1) is a
    link a server may answer, but as the story's id it has no normal form: the W3C
    validator warns of every Atom feed that carries it. An id of its own is the fix."""
    found = escape_not_utf8(link)
    if found is not None:
        node = fields.values["link"]
        fields.problems.warn(node.line, node.column, "link", "id-not-normal",
                             f"{quote(node.text or link)} has {found}, which spells no UTF-8 text: as the story's id, the W3C "
                             "validator warns that it is not in normal form, in every Atom feed that carries it",
                             "give the story an id of its own, such as id: tag:example.com,2020:the-story, "
                             "or write the link's character itself if the server takes it in UTF-8")


def _given_id(fields: Fields) -> str | None:
    given_id = fields.text("id", "an id")
    if given_id is None:
        return None
    try:
        return normal_id(given_id)
    except IdError as error:
        fields.bad(fields.values["id"], "id", "bad-id", str(error), error.hint)
        return None


def _check_order(fields: Fields, published: datetime | None,
                 updated: datetime | None, expires: datetime | None) -> None:
    if published is None:
        return
    if updated is not None and updated < published:
        written = _as_written(fields, "published", published)
        fields.bad(fields.values["updated"], "updated", "updated-before-published",
                   f"expected a time at or after published {written}, found {_as_written(fields, 'updated', updated)}",
                   "an entry cannot be updated before it is published; fix one of the two dates")
    if expires is not None and expires <= published:
        written = _as_written(fields, "published", published)
        fields.bad(fields.values["expires"], "expires", "expires-before-published",
                   f"expected a time after published {written}, found {_as_written(fields, 'expires', expires)}",
                   "the entry would never appear; fix the date or remove expires")


def _as_written(fields: Fields, name: str, moment: datetime) -> str:
    """A date as typed and in UTC: two written on different clocks ("10:00" on a London site,
    "10:30+01:00") are compared as instants, and the message must show the order it found."""
    return f"{quote(fields.values[name].text or '')} ({format_iso(moment)})"


def find_duplicate_ids(entries: Iterable[Entry], published: Mapping[str, str] | None = None,
                       live: Callable[[Entry], bool] = lambda entry: False,
                       ahead: Callable[[Entry], bool] = lambda entry: False) -> list[Problem]:
    """Two entries that would be published with one id: readers would merge or drop them.
    One keeps the id (_keeper); any other is the newcomer, reported and held back. `live`:
    whether an entry is live at the build's moment (select.is_live); `ahead`, whether it is
    still to come then (scheduled, never out)."""
    published = published or {}
    by_id: dict[str, list[Entry]] = {}
    for entry in entries:
        if not entry.draft:
            by_id.setdefault(entry.id, []).append(entry)
    problems: list[Problem] = []
    for same in by_id.values():
        if len(same) < 2:
            continue
        keeper = _keeper(same, published, live)
        for entry in same:
            if entry is not keeper:
                line, column = entry.id_position
                expired = not live(entry) and not ahead(entry)
                problems.append(Problem(entry.source, line, column, "id", "duplicate-id",
                                        f"expected an id no other entry has, found {quote(entry.id)}, "
                                        f"which {keeper.source} has too",
                                        _duplicate_fix(entry, keeper, due=ahead(entry) and live(keeper),
                                                       left=expired and live(keeper))))
    return problems


def _duplicate_fix(entry: Entry, keeper: Entry, due: bool = False, left: bool = False) -> str:
    """The hint for `entry`, refused for the id `keeper` keeps. When `entry`'s story has
    left the feeds (expired) and the keeper is out now, readers know the id by it: they would
    take the keeper for it, edited, and not show it as new, so the fix is the keeper's own
    id, its link kept (a live page's). When `entry` is still to come (`due`) and the keeper
    is out now, the keeper keeps the id, but readers may have had `entry` before it was
    pushed back, which nothing on disk tells: the fix is the one or the other's own id. Both
    are told by the dates, not by the last build's record, which loses a refused story: the
    builds after the first, and a cold one, called it the newcomer, to be given its own link."""
    if due:
        fix = "an id: urn:uuid:… of its own (its link may stay)" if keeper.id == keeper.link else "an id of its own"
        return (f"{entry.source} is scheduled for {format_iso(entry.published)}, not out now, and {keeper.source}, "
                f"out now, keeps it: if readers had {entry.source} before it was pushed back, give {keeper.source} "
                f"{fix}, or they would take it for that story, edited; if not, give {entry.source} one before it "
                "is due")
    if left:
        fix = "an id: urn:uuid:… of its own (its link may stay)" if keeper.id == keeper.link else "an id of its own"
        return (f"readers know this id by {entry.source}, which has left the feeds, and {keeper.source}, out now, "
                f"takes it: readers would take it for that story, edited, and not show it as new; give "
                f"{keeper.source} {fix}")
    fix = "its own link, or an id: urn:uuid:… of its own" if entry.id == entry.link else "an id of its own"
    return f"{entry.source} is the newcomer: give it {fix}; {keeper.source} keeps its id, which readers know it by"


def _keeper(same: list[Entry], published: Mapping[str, str], live: Callable[[Entry], bool]) -> Entry:
    """Of entries that claim one id, the one that keeps it, so that the wire goes on: first
    one live at the build's moment that had the id at the last build (`published`: id -> its
    path), as readers know it by that id; else one live now (an id whose story expired, or
    was only ever scheduled, goes with the story out now); else the one that had it; else
    the one published first, the most likely to be out there already. Then by path."""
    recorded = [entry for entry in same if published.get(entry.id) == entry.source]
    running = [entry for entry in same if live(entry)]
    pool = [entry for entry in recorded if live(entry)] or running or recorded or same
    return min(pool, key=lambda entry: (entry.published, entry.source))
