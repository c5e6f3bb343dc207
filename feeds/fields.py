"""Reading one YAML mapping's fields: each a typed value, or a problem that says what was
expected, what was found, and how to fix it. Shared by the site and entry validators."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from datetime import datetime, tzinfo
from functools import lru_cache
from typing import Any

from .characters import (
    DIRECTION_CONTROLS,
    REPLACEMENT,
    character_name,
    closer_of,
    direction_shown,
    prose,
    shows_nothing,
    unclosed_direction,
)
from .dates import DateError, parse_date
from .hosts import starts_with_host
from .model import MAX_CATEGORIES, Author, CategorySettings, too_many_categories
from .problems import ProblemList, describe, quote
from .slugs import MAX_FOLDER_BYTES, folder_too_long, same_name, slugify
from .urls import URLError, element_url
from .yaml_node import Node, scalar_text

AUTHOR_FIELDS = ("name", "email", "uri")
# Names other tools use for the same field, so the hint can point the right way.
SYNONYMS = {"date": "published", "pubdate": "published", "created": "published", "modified": "updated",
            "tags": "categories", "tag": "categories", "category": "categories", "description": "summary",
            "excerpt": "summary", "url": "link", "permalink": "link", "content": "body", "text": "body",
            "guid": "id", "expiry": "expires", "expiry_date": "expires", "byline": "author", "by": "author",
            "writer": "author", "authors": "author", "standfirst": "summary", "dek": "summary", "lede": "summary",
            "headline": "title", "hed": "title", "story": "body", "subtitle": ("summary", "description"),
            "lastmod": "updated", "last_modified": "updated", "updated_at": "updated", "published_at": "published",
            "featured_image": "image", "thumbnail": "image", "cover": "image", "cover_image": "image",
            "image_url": "image", "baseurl": "link", "base_url": "link", "site_url": "link",
            "exclude": "exclude_categories", "excluded_categories": "exclude_categories", "slug": "name",
            "limit": "max_items", "feed": "feeds", "named_feeds": "feeds",
            # site.yaml's, as static site generators, feed tools and newsroom systems name them
            "feed_url": "publish_url", "feeds_url": "publish_url", "self_url": "publish_url",
            "output_dir": "publish_dir", "output": "publish_dir", "out": "publish_dir", "out_dir": "publish_dir",
            "outdir": "publish_dir", "publishdir": "publish_dir", "destination": "publish_dir",
            "public_dir": "publish_dir", "summary": "content", "full_text": "content", "fulltext": "content",
            "websub": "hub", "websub_hub": "hub", "hubs": "hub", "pubsubhubbub": "hub", "tz": "timezone",
            "time_zone": "timezone", "zone": "timezone", "locale": "language", "lang": "language",
            "on_error": "on_invalid", "s3": "publish_to", "bucket": "publish_to", "upload_to": "publish_to"}
# A number where a synonym names a setting written in words: the field that counts it (summary: 200).
COUNTED = {"summary": "summary_length"}
# What Jekyll, Hugo and WordPress exports write that means nothing in a feed.
GENERATOR_FIELDS = frozenset({"layout", "comments", "sitemap", "weight", "aliases", "type", "toc", "menu", "share",
                              "sidebar", "template", "status", "post_format", "format", "comment_status"})
# The WHATWG (HTML) definition of a valid e-mail address, as browsers check it, with a dot
# required in the domain: no quotes, brackets or spaces that would break out of <email>.
_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+\Z")
_NAME_AND_EMAIL = re.compile(r"(.*)<([^<>]*)>\Z")
_ADDRESS_IN_NAME = re.compile(r"[<>]|[^\s(]@[^\s@]+\.[^\s@]")  # "Jo jo@x.com", "Jo <a@x.com> <b@x.com>"
MAX_SHOWN_KEY = 60  # characters of an unknown key a message shows
_BLANK_LINES = re.compile(r"\A(?:[ \t]*\n)+")  # before a body's first line
BYLINE = 'a name, "Name <email>", {name, email, uri}, or a list of these'
MAX_CATEGORY = 100  # its slug names a folder, and file names stop at 255 bytes
_YAML_11_BOOLEANS = frozenset({"yes", "no", "on", "off", "y", "n"})  # booleans to YAML 1.1, and to some editors
MAX_AUTHORS = 50  # on one byline; a story has a few, and with author_feeds each is a feed to write
STAND_IN_LINK = "https://invalid.example/"


class Fields:
    """Typed reads of one mapping's fields; each bad value becomes a problem, never an exception."""

    def __init__(self, root: Node, allowed: tuple[str, ...], problems: ProblemList, what: str,
                 examples: dict[str, str], prefix: str = "") -> None:
        self.problems = problems
        self.root = root
        self.what = what
        self.examples = examples
        self.prefix = prefix
        self.guessed: set[str] = set()
        self.is_mapping = isinstance(root.value, dict)
        if not self.is_mapping:
            problems.expected(root.line, root.column, prefix.rstrip("."), "not-a-mapping",
                              f"a mapping of fields ({what})", root.value,
                              "write one field per line, such as " + next(iter(examples.values())))
            self.values: dict[str, Node] = {}
            return
        self.values = root.value
        if not self.values.keys() <= _field_set(allowed):
            for name, node in self.values.items():
                if name not in allowed:
                    self._unknown(name, node, allowed)

    def _unknown(self, name: str, node: Node, allowed: tuple[str, ...]) -> None:
        counted = COUNTED.get(name.lower()) if type(node.value) is int else None
        meant = counted or SYNONYMS.get(name.lower(), ())
        synonym = next((field for field in ((meant,) if isinstance(meant, str) else meant) if field in allowed), None)
        guess = synonym or next(iter(difflib.get_close_matches(name.lower(), allowed, 1, 0.6)), None)
        if guess:
            self.guessed.add(guess)
        hint = f"did you mean {guess}?" if guess else "the fields are " + ", ".join(allowed)
        if guess in self.values:  # cover: beside image: renamed, it would be image twice
            hint += f" {guess} is given already: remove this line, or keep the one meant as {guess}"
        if not guess and name.lower() in GENERATOR_FIELDS:
            hint = f"a site generator's field, which feeds has no use for: remove it ({hint})"
        if len(name) > MAX_SHOWN_KEY:  # a pasted paragraph taken for a key: one problem stays one line
            name = f"{name[:MAX_SHOWN_KEY - 1]}… ({len(name):,} characters)"
        elif not name.isprintable() or name.strip() != name or not name:  # a key over lines ("? |"), or none: quoted
            name = quote(name)
        self.problems.add(node.key_line, node.key_column, self.prefix + name, "unknown-field",
                          f"is not a field of {self.what}", hint)

    def node(self, name: str) -> Node | None:
        return self.values.get(name)

    def of_kind(self, name: str, kind: type, expected: str, hint: str) -> Node | None:
        """The field when it holds a `kind` (dict or list); a field of another kind is reported.
        None when absent or wrong: the caller takes its default either way."""
        node = self.values.get(name)
        if node is None or isinstance(node.value, kind):
            return node
        self.wrong(node, name, "wrong-type", expected, node.value, hint)
        return None

    def missing(self, name: str, what: str) -> None:
        """A required field is absent; not said when a misspelling of it, or a non-mapping, was reported."""
        if name in self.guessed or not self.is_mapping:
            return
        example = self.examples.get(name, f"{name}: ...")
        self.problems.add(self.root.line, self.root.column, self.prefix + name, "missing",
                          f"expected {what}, found no {name} field", f"add a line such as {example}")

    def wrong(self, node: Node, name: str, code: str, expected: str, found: Any, hint: str = "") -> None:
        """The one way a bad value is reported: 'name: expected X, found Y; hint'."""
        self.problems.expected(node.line, node.column, self.prefix + name, code, expected, found, hint)

    def bad(self, node: Node, name: str, code: str, message: str, hint: str = "") -> None:
        self.problems.add(node.line, node.column, self.prefix + name, code, message, hint)

    def _typed_null(self, node: Node, name: str, what: str, required: bool, word_meant: bool = False) -> None:
        """null, Null or ~, typed: YAML's words for nothing, named as typed, not as 'nothing'.
        `word_meant`: text that may be the word itself, which quotes keep."""
        self.bad(node, name, "wrong-type", f"expected {what}, found {node.text}, which YAML reads as nothing",
                 f"write {what} after the colon" + ("" if required else ", or remove the line")
                 + (f"; for the word itself, quote it: {name}: \"{node.text}\"" if word_meant else ""))

    def text(self, name: str, what: str = "text", required: bool = False, flatten: bool = True,
             is_prose: bool = False, is_markdown: bool = False) -> str | None:
        """Any scalar reads as the text the editor typed; lists and mappings are errors. A
        flattened value is one line: prose keeps its no-break spaces, names and settings,
        which must match as typed, read every kind of space as one. Markdown keeps its first
        line's indentation, which makes it code."""
        node = self.values.get(name)
        if node is None:
            if required:
                self.missing(name, what)
            return None
        value = node.value
        if type(value) is str:
            text = value
        elif value is None and node.text:
            self._typed_null(node, name, what, required, word_meant=is_prose)
            return None
        elif value is None or isinstance(value, (list, dict)):
            self.wrong(node, name, "wrong-type", what, value, _type_hint(value, name, what, is_prose))
            return None
        else:  # a number or boolean: the text as written
            text = node.text or ""
        if flatten:
            text = prose(text) if is_prose else " ".join(text.split())
        else:
            text = _BLANK_LINES.sub("", text).rstrip() if is_markdown else text.strip()
        if shows_nothing(text):
            self.wrong(node, name, "empty", what, text,
                       f"write {what} after the colon" + ("" if required else ", or remove the line"))
            return None
        return text if text.isascii() else self.not_garbled(node, name, text)

    def not_garbled(self, node: Node, name: str, text: str) -> str | None:
        """Text that is not ASCII, unless a conversion garbled it. UTF-8 read as Latin-1 and
        saved again ("CafÃ©") is refused: readers would undo it. The replacement character
        (U+FFFD), the mark some conversion leaves for a character it lost, is published with a
        warning: it may be meant, but readers show it as a lost character and the W3C validator flags it.
        So is one line of text (a headline, a name, a category) that sets a direction and never closes it."""
        if "\n" not in text:
            if _WORTH_A_LOOK.search(text) is None:  # most lines: one scan, not three (a body's are C's quick searches)
                return text
            self._direction_closed(node, name, text)
        lost = text.find(REPLACEMENT)
        if lost >= 0:
            self.problems.warn(node.line, node.column, self.prefix + name, "replacement-character",
                               f"found {quote(text[max(0, lost - 25):lost + 25])}, which holds {REPLACEMENT} (U+FFFD), "
                               "the mark a conversion leaves for a character it lost",
                               "type the character it stands for (the W3C validator flags it)")
        repaired = _encoded_twice(text)
        if repaired is None:
            return text
        self.bad(node, name, "encoded-twice",
                 f"expected text, found {quote(text)}, which looks like UTF-8 read as Latin-1",
                 f"did you mean {quote(repaired)}?")
        return None

    def _direction_closed(self, node: Node, name: str, text: str) -> None:
        """Warn of a direction override, embedding or isolate that nothing closes: pasted from
        a right-to-left page, or put there to make a headline read otherwise than it is written."""
        char = unclosed_direction(text)
        if char is None:
            return
        self.problems.warn(node.line, node.column, self.prefix + name, "unclosed-direction",
                           f"found {quote(direction_shown(text))}, which holds {character_name(char)} that nothing closes: readers "
                           "show what follows it on the same line (the feed's name, the date) in its direction too",
                           f"delete it, or close it with {character_name(closer_of(char))}; for a word in another "
                           "script, a mark of direction (U+200E, U+200F) is all most text needs")

    def boolean(self, name: str, default: bool) -> bool:
        node = self.node(name)
        if node is None:
            return default
        if not isinstance(node.value, bool):
            said = str(node.value).lower() if isinstance(node.value, str) else ""
            self.wrong(node, name, "wrong-type", "true or false", node.value,
                       "yes, no, on and off are text in YAML 1.2; write true or false" if said in _YAML_11_BOOLEANS
                       else "write true or false, without quotes")
            return default
        return node.value

    def integer(self, name: str, default: int, low: int, high: int) -> int:
        node = self.node(name)
        if node is None:
            return default
        if isinstance(node.value, bool) or not isinstance(node.value, int) or not low <= node.value <= high:
            whole = isinstance(node.value, int) and not isinstance(node.value, bool)
            meant = _whole_number_meant(node.value, low, high)
            self.wrong(node, name, "wrong-type", f"a whole number from {low:,} to {high:,}", node.value,
                       f"choose one in that range, such as {name}: {default}" if whole
                       else f"write it in digits, such as {name}: {default if meant is None else meant}")
            return default
        return node.value

    def date(self, name: str, zone: tzinfo, language: str = "en", required: bool = False) -> datetime | None:
        node = self.node(name)
        if node is None:
            if required:
                self.missing(name, "a date")
            return None
        if node.value is None and node.text:
            self._typed_null(node, name, "a date", required)
            return None
        if isinstance(node.value, (list, dict, bool)) or node.value is None:
            self.wrong(node, name, "wrong-type", "a date", node.value,
                       f"write it as YYYY-MM-DD HH:MM, such as {name}: 2020-02-20 16:40")
            return None
        text = node.text if node.text is not None else str(node.value)
        try:
            return parse_date(text, zone, language)
        except DateError as error:
            self.bad(node, name, "bad-date", f"{quote(text)} {error}", error.hint)
            return None

    def url(self, name: str, base: str, required: bool = False, example: str = "/news/story",
            absolute: bool = False) -> str | None:
        """An http(s) URL, or one relative to `base`; the hint shows `example`, a path of the kind the
        field wants, or with `absolute` (a URL that must be whole) the full URL it wants."""
        text = self.text(name, "a URL", required=required, flatten=False)
        if text is None:
            return None
        try:
            url = element_url(text, base)
        except URLError as error:
            self.bad(self.values[name], name, "bad-url",
                     f"expected {'an absolute http(s)' if absolute else 'an http(s) or relative'} URL, found {error}",
                     f"write it in full, such as {example}" if absolute
                     else f"write a path such as {example} or a full https:// address")
            return None
        if starts_with_host(text):
            node = self.values[name]
            self.problems.warn(node.line, node.column, self.prefix + name, "no-scheme", *no_scheme(text, url))
        return url

    def authors(self, name: str, base: str, folder_of: Callable[[str], str] = slugify) -> tuple[Author, ...]:
        """A byline: a name, "Name <email>", {name, email, uri}, or a list of these, each author
        once: names one author feed holds (`folder_of`: its folder) are one author, so with
        `slugs: ascii` José and Jose are, as Météo and Meteo are one category; a relative uri
        is resolved against `base`."""
        node = self.node(name)
        if node is None:
            return ()
        items = node.value if isinstance(node.value, list) else [node]
        if not items:
            self.wrong(node, name, "empty", BYLINE, items, "write author: Jo Byrne, or remove the line")
        by_name: dict[str, Author] = {}
        for item in items:
            author = (self._author_mapping(name, item, base) if isinstance(item.value, dict)
                      else self._author_text(name, item))
            if author is not None:  # one author a name: "Jo", "Jo <jo@x>" and {name: Jo, uri: /jo} are one
                same = folder_of(author.name) or author.name  # and so are names one feed holds: José typed as e + ◌́
                known = by_name.get(same)
                by_name[same] = author if known is None else Author(
                    known.name, known.email or author.email, known.uri or author.uri)
        found = list(by_name.values())
        if len(found) > MAX_AUTHORS:  # each once: a name given twice is carried once
            self.bad(node, name, "too-many-authors", f"expected at most {MAX_AUTHORS} authors, found {len(found):,}",
                     "a byline names the few who wrote the story; credit the others in the body")
            return ()
        return tuple(found)

    def author_folders_fit(self, name: str, authors: tuple[Author, ...], folder_of: Callable[[str], str]) -> None:
        """Each author's name names the folder of the author's feed (author_feeds): it must fit
        in one, whether or not those feeds are on, so that turning them on reads no entry again."""
        for author in authors:
            if not folder_of(author.name):  # a category like it is refused; a byline is the editor's to write
                node = self.values[name]
                self.problems.warn(node.line, node.column, self.prefix + name, "no-author-feed",
                                   f"{quote(author.name)} has no letter or digit to name an author's feed by: "
                                   "with author_feeds on, the story is in no author's feed",
                                   "write the author's name in words, or leave the byline out")
            elif (size := folder_too_long(folder_of(author.name))) is not None:
                self.bad(self.values[name], name, "long-author",
                         f"expected an author's name whose feed folder fits in {MAX_FOLDER_BYTES} bytes, found "
                         f"{describe(author.name)}, whose folder takes {size:,}",
                         "shorten the name: it names the folder of the author's feed (author_feeds)")

    def _author_text(self, name: str, node: Node) -> Author | None:
        """'Jo Byrne', or 'Jo Byrne <jo@news.example.com>' as a name and an email."""
        text = scalar_text(node)
        if text is None:
            self.wrong(node, name, "wrong-type", BYLINE, node.value,
                       'write author: [Jo Byrne, "Sam Lee <sam@news.example.com>"]')
            return None
        if not text.isascii() and self.not_garbled(node, name, text) is None:
            return None
        written = _NAME_AND_EMAIL.match(text)
        author_name, email = (written.group(1).strip(), written.group(2).strip()) if written else (text, None)
        if not author_name or (email is not None and not _EMAIL.match(email)) or _ADDRESS_IN_NAME.search(author_name):
            self.wrong(node, name, "bad-email", "a name and an email address, such as Jo Byrne <jo@news.example.com>",
                       text, "write the name, then the email address in angle brackets")
            return None
        return Author(author_name, email)

    def _author_mapping(self, name: str, node: Node, base: str) -> Author | None:
        sub = Fields(node, AUTHOR_FIELDS, self.problems, "an author", {"name": "name: Middle East desk"},
                      prefix=f"{self.prefix}{name}.")
        author_name = sub.text("name", "the author's name", required=True)
        if author_name is not None and _ADDRESS_IN_NAME.search(author_name):
            sub.wrong(node.value["name"], "name", "bad-email", "the author's name alone", author_name,
                      "write the email address in email: of its own")
            author_name = None
        email = sub.text("email", "an email address")
        if email is not None and not _EMAIL.match(email):
            sub.wrong(node.value["email"], "email", "bad-email", "an email address", email,
                      "write the whole address, such as desk@news.example.com")
            email = None
        uri = sub.url("uri", base, example="/staff/jo-byrne")
        return Author(author_name, email, uri) if author_name else None

    def _bulleted(self, item: Node, name: str, text: str) -> None:
        """A category that opens with a list mark YAML does not read as one (• News, – News):
        pasted from a word processor, a list of several read as one category."""
        named = [part.strip() for part in _BULLET_MARK.split(text) if part.strip()]
        if not named:  # a mark alone: no name at all, which the category's folder check refuses
            return
        self.problems.warn(item.line, item.column, self.prefix + name, "bulleted-category",
                           f"found {quote(text)}, which starts with {text[0]}, not with the - that starts a "
                           f"list item in YAML, so it is {'one category' if len(named) > 1 else 'the category'} "
                           f"{quote(text)}",
                           f"write {name}: [{', '.join(named)}], or each on a line of its own as - {named[0]}")

    def categories(self, name: str, folder_of: Callable[[str], str],
                   taken: Callable[[str], CategorySettings | None] = lambda category: None) -> tuple[str, ...]:
        """Each category once per feed folder: the first of names that share one (News and news,
        or Météo and Meteo with `slugs: ascii`) is kept. `taken`: the category of site.yaml
        whose slug is the folder this one would take (slugs.folder_taken)."""
        node = self.node(name)
        if node is None:
            return ()
        items = node.value if isinstance(node.value, list) else [node]
        if len(items) > MAX_CATEGORIES:
            self.bad(node, name, *too_many_categories(f"{len(items):,}"))
            return ()
        found: dict[str, str] = {}
        if len(items) == 1 and isinstance(node.value, str) and "," in node.value:  # `News,Sport` too
            listed = ", ".join(part.strip() for part in node.value.split(","))
            self.problems.warn(node.line, node.column, self.prefix + name, "one-category-with-commas",
                               f"found one category, {quote(node.value)}: a comma does not separate categories",
                               f"if you meant several, write {name}: [{listed}]; if one, write it in a list, "
                               f"{name}: [{quote(node.value)}]")
        for item in items:
            text = scalar_text(item)
            if text is None:
                self.wrong(item, name, "wrong-type", "a category name", item.value, _categories_fix(name, items))
                continue
            if _BULLET_MARK.match(text):
                self._bulleted(item, name, text)
            slug = category_slug(text)
            if isinstance(slug, tuple):
                code, message, hint = slug
                self.bad(item, name, code, message, hint)
            elif text.isascii() or self.not_garbled(item, name, text) is not None:
                folder = folder_of(text)
                if (size := folder_too_long(folder)) is not None:
                    self.bad(item, name, "long-category",
                             f"expected a category whose folder name fits in {MAX_FOLDER_BYTES} bytes, found "
                             f"{describe(text)}, whose folder name takes {size:,}",
                             "shorten it, or give it a short folder name in site.yaml's categories: (slug: short-name)")
                    continue
                if (owner := taken(text)) is not None:
                    self.bad(item, name, "taken-category",
                             f"expected a category with a feed of its own, found {quote(text)}, whose folder "
                             f"categories/{folder}/ site.yaml gives to the category {owner.key} (slug: {owner.slug})",
                             f"file the story under {owner.key}, or give {owner.key} another slug in site.yaml")
                    continue
                kept = found.setdefault(folder, text)
                if not same_name(kept, text):
                    self.problems.warn(item.line, item.column, self.prefix + name, "category-shares-feed",
                                       f"{quote(text)} shares the feed categories/{folder}/ with {quote(kept)}, "
                                       f"so the item carries {quote(kept)} alone",
                                       "names that differ only in case or punctuation are one category; if these "
                                       "are two, name one in other letters or words")
        return tuple(found.values())


_ROUND_BULLETS = "•·▪◦‣●"  # a word processor's list marks: never the start of a name, spaced or not (•News, ·Culture)
# A list mark YAML does not read as one: a round bullet, or a dash autocorrect made of "-" (or a Markdown *) and a space.
_BULLET_MARK = re.compile(rf"(?:^|(?<=\s))(?:[{_ROUND_BULLETS}–—*]\s+|[{_ROUND_BULLETS}])")


def no_scheme(written: str, url: str) -> tuple[str, str]:
    """The warning for an address written without https:// (www.example.com/a, bbc.co.uk/news):
    it reads as a path on this site. Its message and hint."""
    return (f"found {quote(written)}, which reads as a path on this site ({url})",
            f"if it is another site's address, write https://{written}")


@lru_cache(maxsize=4096)  # a site has tens of categories, named in thousands of entries
def category_slug(text: str) -> str | tuple[str, str, str]:
    """The folder a category's feeds go in, or why it cannot have one (code, message, hint)."""
    if ".." in re.split(r"[/\\]", text):
        return ("path-category", f"expected a category name, found the path {quote(text)}",
                "a category cannot contain a .. segment; name it in words")
    if _DASHED.match(text):
        return ("dash-category", f"expected a category name, found {quote(text)}, a list item with no space after "
                                 "its dash", "write each on its own line as - News, with a space, or categories: [News]")
    if len(text) > MAX_CATEGORY:
        return ("long-category", f"expected a category name of at most {MAX_CATEGORY} characters, found {describe(text)}",
                "shorten it: it names a folder of feeds")
    return slugify(text) or ("empty-category", f"expected a category with a letter or digit in it, found {quote(text)}",
                             "name the category in words, such as Middle East")


_DASHED = re.compile(r"-[^\s\d-]")  # "-News": a list item without its space, not "-30-" or "-5 °C"


@lru_cache(maxsize=None)
def _field_set(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(names)


# What not_garbled looks for: the replacement character, a direction control, or a byte of
# UTF-8 read as Latin-1 (a lead byte, C2 to F4, then a continuation byte): without one, no
# non-ASCII text decodes as UTF-8, so _encoded_twice would find nothing.
_WORTH_A_LOOK = re.compile(f"[{REPLACEMENT}{DIRECTION_CONTROLS}]|[\xc2-\xf4][\x80-\xbf]")


def _encoded_twice(text: str) -> str | None:
    """The text as first meant, if it is UTF-8 decoded as Latin-1 (feed readers repair that),
    read whole or between its no-break spaces: HTML writes each as &nbsp;, and a reader that
    repaired a body's HTML ('\xa0Â¡' is '&nbsp;Â¡', repaired to '&nbsp;¡') showed in RSS and
    Atom what JSON Feed readers did not."""
    if text.isascii():
        return None
    repaired = _as_first_meant(text)
    if repaired is None and "\xa0" in text:  # each as one ASCII character, as &nbsp; is (NUL: never in text)
        repaired = _as_first_meant(text.replace("\xa0", "\x00"))
        repaired = None if repaired is None else repaired.replace("\x00", "\xa0")
    return repaired if repaired != text else None


def _as_first_meant(text: str) -> str | None:
    try:
        return text.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return None


def _categories_fix(name: str, items: list[Node]) -> str:
    """The list written again without what is no category name (an empty item left out, a
    list within it flattened): the example list done word for word filed the story under
    Middle East, and made it a feed of its own."""
    names = [_flow_item(text) for text in _texts_in(items)]
    if not names:
        return f"write them as a list, such as {name}: [News, Middle East], or remove the line"
    return f"write {name}: [{', '.join(names)}]"


def _texts_in(items: list[Node]) -> list[str]:
    texts: list[str] = []
    for item in items:
        if isinstance(item.value, list):
            texts += _texts_in(item.value)
        elif (text := scalar_text(item)) is not None:
            texts.append(text)
    return texts


_PLAIN_IN_A_LIST = re.compile(r"[^\W\d_][\w .'’-]*", re.UNICODE)  # a name YAML reads back as written, in [ ]


def _flow_item(text: str) -> str:
    """A name as an item of a [list] YAML reads back as written: quoted unless plainly a name."""
    return text if _PLAIN_IN_A_LIST.fullmatch(text) and text.lower() not in ("true", "false", "null") else \
        '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _whole_number_meant(value: Any, low: int, high: int) -> int | None:
    """The whole number a float in range stands for: `max_items: 1e3` or `50.0` means 1000
    or 50, which the hint then shows rather than the default."""
    if isinstance(value, float) and value.is_integer() and low <= value <= high:
        return int(value)
    return None


def _type_hint(value: Any, name: str, what: str, is_prose: bool = False) -> str:
    """How to write text where a list or mapping was found: a headline may start with [ and
    want quotes; a setting written as a one-item list ([full]) wants its brackets off."""
    if isinstance(value, list) and not is_prose and len(value) == 1 and isinstance(value[0].value, str):
        return f"write it without the brackets: {name}: {value[0].value}"
    if isinstance(value, list):
        return f'write it as text; put it in quotes if it starts with [ or -, such as {name}: "[Live] Storm"'
    if isinstance(value, dict):
        return f'write it as text; put it in quotes if it starts with {{, such as {name}: "{{Live}} Storm"'
    return f"write {what} after the colon"


