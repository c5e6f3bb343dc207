"""What `feeds check` catches in entries and site.yaml: one rule, one exact message.

RULES is the table README.md shows under "What `feeds check` catches": each row is a
small site and the one line the tool prints for it, file:line:column included.
"""

from __future__ import annotations

import json
import os
import re
import textwrap
from pathlib import Path

import pytest

from feeds import check_site
from feeds.cli import main
from feeds.dates import format_iso

from .conftest import SITE_YAML, shell_words

REPO = Path(__file__).resolve().parent.parent
ENTRY = "items/2020/02/storm.yaml"
VALID = """\
title: Storm closes ports
link: /news/storm
published: 2020-02-20 16:40
summary: Ports shut as the storm reaches the coast.
"""
LONDON_SITE = SITE_YAML.replace("Europe/Istanbul", "Europe/London")


def entry(**changes: str | None) -> str:
    """VALID with fields replaced (None removes one); new fields are added at the end."""
    lines = dict(line.split(": ", 1) for line in VALID.splitlines())
    for name, value in changes.items():
        if value is None:
            lines.pop(name, None)
        else:
            lines[name] = value
    return "".join(f"{name}: {value}\n" if value != "" else f"{name}:\n" for name, value in lines.items())


# (id, rule, files, site.yaml, the exact line printed)
RULES = [
    ("missing-title", "required field missing", {ENTRY: entry(title=None)}, SITE_YAML,
     f"{ENTRY}:1:1: title: expected a title, found no title field; "
     "add a line such as title: Storm closes Black Sea ports"),
    ("missing-link", "required field missing", {ENTRY: entry(link=None)}, SITE_YAML,
     f"{ENTRY}:1:1: link: expected a URL, found no link field; add a line such as link: /news/storm-closes-ports"),
    ("missing-published", "required field missing", {ENTRY: entry(published=None)}, SITE_YAML,
     f"{ENTRY}:1:1: published: expected a date, found no published field; "
     "add a line such as published: 2020-02-20 16:40"),
    ("missing-summary", "neither summary nor body", {ENTRY: entry(summary=None)}, SITE_YAML,
     f"{ENTRY}:1:1: summary: expected a summary or a body, found no summary field; "
     "add a line such as summary: Ports shut as the storm reaches the coast."),
    ("title-list", "wrong type: a list", {ENTRY: entry(title="[Live, Storm]")}, SITE_YAML,
     f"{ENTRY}:1:8: title: expected a title, found a list; "
     'write it as text; put it in quotes if it starts with [ or -, such as title: "[Live] Storm"'),
    ("title-mapping", "wrong type: a mapping", {ENTRY: entry(title="{Live: Storm}")}, SITE_YAML,
     f"{ENTRY}:1:8: title: expected a title, found a mapping (key: value pairs); "
     'write it as text; put it in quotes if it starts with {, such as title: "{Live} Storm"'),
    ("title-empty", "empty title", {ENTRY: entry(title='""')}, SITE_YAML,
     f'{ENTRY}:1:8: title: expected a title, found empty text; write a title after the colon'),
    ("title-nothing", "field with no value", {ENTRY: entry(title="")}, SITE_YAML,
     f"{ENTRY}:1:7: title: expected a title, found nothing; write a title after the colon"),
    ("draft-yes", "YAML 1.2: yes is not a boolean", {ENTRY: entry(draft="yes")}, SITE_YAML,
     f'{ENTRY}:5:8: draft: expected true or false, found text "yes"; '
     "yes, no, on and off are text in YAML 1.2; write true or false"),
    ("unknown-field", "unknown field, did you mean", {ENTRY: entry(summary=None, sumary="Ports shut.")}, SITE_YAML,
     f"{ENTRY}:4:1: sumary: is not a field of an entry; did you mean summary?"),
    ("unknown-synonym", "another tool's name for a field", {ENTRY: entry(tags="[News]")}, SITE_YAML,
     f"{ENTRY}:5:1: tags: is not a field of an entry; did you mean categories?"),
    ("unknown-no-guess", "unknown field, nothing close", {ENTRY: entry(colour="red")}, SITE_YAML,
     f"{ENTRY}:5:1: colour: is not a field of an entry; the fields are title, link, published, updated, "
     "author, categories, summary, body, image, id, draft, expires"),
    ("unknown-long", "a paragraph taken for a field", {ENTRY: entry(**{"Ports shut " * 30: "1"})}, SITE_YAML,
     f"{ENTRY}:5:1: {('Ports shut ' * 6)[:59]}… (329 characters): is not a field of an entry; the fields are title, "
     "link, published, updated, author, categories, summary, body, image, id, draft, expires"),
    ("date-impossible", "impossible date", {"items/2020/02/turkey.yaml": entry(published='"Feb 30 2020"')}, SITE_YAML,
     'items/2020/02/turkey.yaml:3:12: published: "Feb 30 2020" is not a date; '
     "February 2020 has 29 days; write it as YYYY-MM-DD HH:MM, such as 2020-02-20 16:40"),
    ("date-ambiguous", "day and month could swap", {ENTRY: entry(published="02/03/2020")}, SITE_YAML,
     f'{ENTRY}:3:12: published: "02/03/2020" is ambiguous; '
     "it could be 2 March or 3 February; write it as 2020-03-02 or 2020-02-03"),
    ("date-two-digit-year", "two-digit year", {ENTRY: entry(published="20 Feb 20")}, SITE_YAML,
     f'{ENTRY}:3:12: published: "20 Feb 20" is ambiguous; '
     "a two-digit year could be in any century; write the year in full, such as 2020"),
    ("date-early-year", "a year before 1000", {ENTRY: entry(published="0020-02-20")}, SITE_YAML,
     f'{ENTRY}:3:12: published: "0020-02-20" is before the year 1000; RSS dates are written with four-digit years, '
     "and readers would take it for a recent year: check the year, such as 2020-02-20"),
    ("date-unreadable", "not a date at all", {ENTRY: entry(published="tomorrow")}, SITE_YAML,
     f'{ENTRY}:3:12: published: "tomorrow" is not a date; write it as YYYY-MM-DD HH:MM, such as 2020-02-20 16:40'),
    ("date-other-language", "a month in a language not the site's", {ENTRY: entry(published="11 de diciembre de 2026")},
     SITE_YAML, f'{ENTRY}:3:12: published: "11 de diciembre de 2026" is not a date; diciembre is December in es, '
     "not in the site's language (en); write it as 2026-12-11"),
    ("date-partial", "no day", {ENTRY: entry(published="February 2020")}, SITE_YAML,
     f'{ENTRY}:3:12: published: "February 2020" is not a whole date; '
     "give the year, month and day, such as 2020-02-20 16:40"),
    ("date-two-times", "two times of day", {ENTRY: entry(published="2020-02-20 16:40 16:50")}, SITE_YAML,
     f'{ENTRY}:3:12: published: "2020-02-20 16:40 16:50" is not a date; it has 2 times of day (16:40, 16:50); '
     "keep the one meant: write it as YYYY-MM-DD HH:MM, such as 2020-02-20 16:40"),
    ("date-doubled-separator", "a separator written twice", {ENTRY: entry(published="2020--02-20")}, SITE_YAML,
     f"{ENTRY}:3:12: published: \"2020--02-20\" is not a date; '--' leaves a part out between two separators; "
     "write it as YYYY-MM-DD HH:MM, such as 2020-02-20 16:40"),
    ("date-zone-name", "zone abbreviation", {ENTRY: entry(published="20 February 2020 16:40 EST")}, SITE_YAML,
     f'{ENTRY}:3:12: published: "20 February 2020 16:40 EST" is not a date; '
     "a timezone's abbreviation (EST) is not read, since many name several zones (IST: India, Ireland, Israel); "
     "write an offset such as -05:00 instead"),
    ("date-gap", "naive time the site's clocks skip", {ENTRY: entry(published="2020-03-29 01:30")}, LONDON_SITE,
     f'{ENTRY}:3:12: published: "2020-03-29 01:30" does not exist in Europe/London; '
     "the clocks go forward over that time; write a later time, or give an offset"),
    ("date-fold", "naive time the site's clocks pass twice", {ENTRY: entry(published="2020-10-25 01:30")},
     LONDON_SITE,
     f'{ENTRY}:3:12: published: "2020-10-25 01:30" is ambiguous in Europe/London; '
     "the clocks go back over that time, so it happens twice; add the offset, such as 2020-10-25 01:30+01:00"),
    ("date-wrong-type", "date of the wrong type", {ENTRY: entry(published="[2020]")}, SITE_YAML,
     f"{ENTRY}:3:12: published: expected a date, found a list; "
     "write it as YYYY-MM-DD HH:MM, such as published: 2020-02-20 16:40"),
    ("updated-before-published", "updated before published", {ENTRY: entry(updated="2020-02-19 09:00")}, SITE_YAML,
     f'{ENTRY}:5:10: updated: expected a time at or after published "2020-02-20 16:40" (2020-02-20T13:40:00Z), '
     'found "2020-02-19 09:00" (2020-02-19T06:00:00Z); '
     "an entry cannot be updated before it is published; fix one of the two dates"),
    ("expires-before-published", "expires before published", {ENTRY: entry(expires="2020-02-01")}, SITE_YAML,
     f'{ENTRY}:5:10: expires: expected a time after published "2020-02-20 16:40" (2020-02-20T13:40:00Z), '
     'found "2020-02-01" (2020-01-31T21:00:00Z); '
     "the entry would never appear; fix the date or remove expires"),
    ("duplicate-id", "one id in two files", {"items/a.yaml": entry(id="urn:isbn:1"), "items/b.yaml": entry(id="urn:isbn:1")},
     SITE_YAML,
     'items/b.yaml:5:5: id: expected an id no other entry has, found "urn:isbn:1", which items/a.yaml has too; '
     "items/b.yaml is the newcomer: give it an id of its own; items/a.yaml keeps its id, which readers know it by"),
    ("encoded-twice", "UTF-8 read as Latin-1 (mojibake)", {ENTRY: entry(title="CafÃ© society")}, SITE_YAML,
     f'{ENTRY}:1:8: title: expected text, found "CafÃ© society", which looks like UTF-8 read as Latin-1; '
     'did you mean "Café society"?'),
    ("link-javascript", "javascript: link", {ENTRY: entry(link="javascript:alert(1)")}, SITE_YAML,
     f'{ENTRY}:2:7: link: expected an http(s) or relative URL, found the javascript: URL "javascript:alert(1)"; '
     "write a path such as /news/story or a full https:// address"),
    ("not-an-image", "an image that is a video", {ENTRY: entry(image="/media/clip.mp4")}, SITE_YAML,
     f'{ENTRY}:5:8: image: expected a picture, found "https://news.example.com/media/clip.mp4", whose name says '
     "video/mp4; give image: a picture such as /img/storm.jpg, and link the file itself in the body"),
    ("image-data", "data: image", {ENTRY: entry(image="data:image/png;base64,AAAA")}, SITE_YAML,
     f'{ENTRY}:5:8: image: expected an http(s) or relative URL, found the data: URL "data:image/png;base64,AAAA"; '
     "write a path such as /img/storm.jpg or a full https:// address"),
    ("link-ftp", "ftp: link", {ENTRY: entry(link="ftp://files.example.com/storm")}, SITE_YAML,
     f'{ENTRY}:2:7: link: expected an http(s) or relative URL, found the ftp: URL "ftp://files.example.com/storm"; '
     "write a path such as /news/story or a full https:// address"),
    ("link-space", "URL with a space", {ENTRY: entry(link="/news/storm closes")}, SITE_YAML,
     f'{ENTRY}:2:7: link: expected an http(s) or relative URL, found "/news/storm closes", which has a space in it; '
     "write a path such as /news/story or a full https:// address"),
    ("id-not-uri", "id that is not a URI", {ENTRY: entry(id="storm-1")}, SITE_YAML,
     f'{ENTRY}:5:5: id: expected a URI such as urn:uuid:… or tag:…, found text "storm-1"; '
     "leave id out to use the link, or write a urn:uuid: value"),
    ("id-scheme", "id in a scheme readers do not know", {ENTRY: entry(id="story:1")}, SITE_YAML,
     f'{ENTRY}:5:5: id: expected a urn:, tag: or http(s) URI (or info:, crid: or another IANA registered), found "story:1", whose '
     "scheme is story:; leave id out to use the link, or write a urn:uuid: value"),
    ("id-uuid", "urn:uuid: id that is not a UUID", {ENTRY: entry(id="urn:uuid:0f9c5e1e")}, SITE_YAML,
     f'{ENTRY}:5:5: id: expected a UUID after urn:uuid:, 32 hex digits grouped 8-4-4-4-12, found "urn:uuid:0f9c5e1e"; '
     "copy the whole UUID, such as urn:uuid:0f9c5e1e-5a86-4a4e-9d8e-3f1b8f1f2a11, or make one with uuidgen"),
    ("id-urn", "id that is not a URN", {ENTRY: entry(id="urn:x:storm/1")}, SITE_YAML,
     f'{ENTRY}:5:5: id: expected a URN such as urn:isbn:0451450523, found "urn:x:storm/1"; write urn:, a namespace '
     "of 2 to 32 letters, digits or -, a colon, then the name in letters, digits and ()+,-.:=@;$_!*' (escape "
     "others: / is %2F); or leave id out to use the link"),
    ("id-tag", "tag: id that is not one", {ENTRY: entry(id="tag:News.example.com,2020:storm-1")}, SITE_YAML,
     f'{ENTRY}:5:5: id: expected a tag: URI such as tag:news.example.com,2020:storm-1, found '
     '"tag:News.example.com,2020:storm-1"; write tag:, a domain or email address of yours in lower case, a comma, '
     "a date it was yours (2020 or 2020-02-20), a colon, then the name; or leave id out to use the link"),
    ("author-email", "author email", {ENTRY: entry(author="{name: Desk, email: desk}")}, SITE_YAML,
     f'{ENTRY}:5:29: author.email: expected an email address, found text "desk"; write the whole address, such as desk@news.example.com'),
    ("author-unknown", "unknown author field", {ENTRY: entry(author="{name: Desk, url: /desk}")}, SITE_YAML,
     f"{ENTRY}:5:22: author.url: is not a field of an author; did you mean uri?"),
    ("category-empty", "empty category", {ENTRY: entry(categories='[News, ""]')}, SITE_YAML,
     f"{ENTRY}:5:20: categories: expected a category name, found empty text; write categories: [News]"),
    ("category-no-letters", "category that slugs to nothing", {ENTRY: entry(categories='[News, "!!!"]')}, SITE_YAML,
     f'{ENTRY}:5:20: categories: expected a category with a letter or digit in it, found "!!!"; '
     "name the category in words, such as Middle East"),
    ("category-path", "category that looks like a path out", {ENTRY: entry(categories="[../../etc]")}, SITE_YAML,
     f'{ENTRY}:5:14: categories: expected a category name, found the path "../../etc"; '
     "a category cannot contain a .. segment; name it in words"),
    ("category-long", "category too long for a folder name", {ENTRY: entry(categories="x" * 101)}, SITE_YAML,
     f'{ENTRY}:5:13: categories: expected a category name of at most 100 characters, found text "{"x" * 59}…"; '
     "shorten it: it names a folder of feeds"),
    ("category-long-folder", "category whose folder name is over 255 bytes", {ENTRY: entry(categories="東" * 90)},
     SITE_YAML, f'{ENTRY}:5:13: categories: expected a category whose folder name fits in 255 bytes, found text '
     f'"{"東" * 59}…", whose folder name takes 270; shorten it, or give it a short folder name in site.yaml\'s '
     "categories: (slug: short-name)"),
    ("author-long-folder", "author name too long for a folder name", {ENTRY: entry(author="a" * 256)}, SITE_YAML,
     f'{ENTRY}:5:9: author: expected an author\'s name whose feed folder fits in 255 bytes, found text '
     f'"{"a" * 59}…", whose folder takes 256; shorten the name: it names the folder of the author\'s feed '
     "(author_feeds)"),
    ("category-dash", "list item with no space after its dash", {ENTRY: entry(categories="\n  -News\n  - Sport")},
     SITE_YAML, f'{ENTRY}:6:3: categories: expected a category name, found "-News - Sport", a list item with no space '
     "after its dash; write each on its own line as - News, with a space, or categories: [News]"),
    ("category-list", "category that is a list", {ENTRY: entry(categories="[[News]]")}, SITE_YAML,
     f"{ENTRY}:5:14: categories: expected a category name, found a list; write categories: [News]"),
    ("comment-shown", "a comment never closed, inside a paragraph",
     {ENTRY: entry(body="'The minister resigned. <!-- NOTE: legal says hold the Smith claim'")}, SITE_YAML,
     f"{ENTRY}:5:7: body: expected each comment closed with --> outside code, found <!-- NOTE: legal says hold the "
     "Smi… shown to readers as text; Markdown ends a comment with the paragraph it starts in: close it with --> "
     "before the blank line, or start it on a line of its own; to show <!-- as written, write \\<!--"),
    ("site-missing-link", "site.yaml: no link", {}, "title: Wire\ndescription: News.\n",
     "site.yaml:1:1: link: expected a URL, found no link field; add a line such as link: https://news.example.com/"),
    ("site-relative-link", "site.yaml: link not absolute", {}, "title: Wire\nlink: /home\ndescription: News.\n",
     'site.yaml:2:7: link: expected an absolute http(s) URL, found text "/home"; '
     "write the home page in full, such as https://news.example.com/"),
    ("site-timezone", "site.yaml: unknown timezone", {}, SITE_YAML.replace("Europe/Istanbul", "Europe/Istambul"),
     'site.yaml:5:11: timezone: expected an IANA timezone, found text "Europe/Istambul"; did you mean Europe/Istanbul?'),
    ("site-timezone-region", "site.yaml: a region's folder of zones", {}, SITE_YAML.replace("Europe/Istanbul", "Europe"),
     'site.yaml:5:11: timezone: expected an IANA timezone, found the region "Europe", a folder of zones; write the '
     "zone of the city whose clock the desk keeps, such as Europe/Amsterdam or Europe/Andorra"),
    ("site-timezone-too-long", "site.yaml: a zone name too long for a file", {},
     SITE_YAML.replace("Europe/Istanbul", "A" * 300),
     f'site.yaml:5:11: timezone: expected an IANA timezone, found text "{"A" * 59}…"; write a zone such as '
     "Europe/Istanbul or UTC"),
    ("site-publish-url-ftp", "site.yaml: publish_url not http(s)", {},
     SITE_YAML.replace("publish_url: https://news.example.com/feeds/", "publish_url: ftp://news.example.com/feeds/"),
     'site.yaml:4:14: publish_url: expected an http(s) or relative URL, found the ftp: URL "ftp://news.example.com/feeds/"; '
     "write a path such as /feeds/ or a full https:// address"),
    ("site-logo-data", "site.yaml: a logo that is a data: URL", {}, SITE_YAML + "logo: data:image/png;base64,AAAA\n",
     'site.yaml:7:7: logo: expected an http(s) or relative URL, found the data: URL "data:image/png;base64,AAAA"; '
     "write a path such as /logo.png or a full https:// address"),
    ("site-format", "site.yaml: unknown format", {}, SITE_YAML + "formats: [rss, xml]\n",
     'site.yaml:7:16: formats: expected rss, atom or json, found text "xml"; write formats: [rss, atom, json]'),
    ("site-no-formats", "site.yaml: no formats", {}, SITE_YAML + "formats: []\n",
     "site.yaml:7:10: formats: expected at least one of rss, atom, json, found an empty list; "
     "write formats: [rss, atom, json], or remove the line for all three"),
    ("site-max-items", "site.yaml: not a number", {}, SITE_YAML + "max_items: lots\n",
     'site.yaml:7:12: max_items: expected a whole number from 1 to 10,000, found text "lots"; '
     "write it in digits, such as max_items: 50"),
    ("site-language", "site.yaml: language tag", {}, SITE_YAML + "language: English\n",
     'site.yaml:7:11: language: expected a BCP 47 language tag, found text "English"; write language: en, the tag for '
     "English"),
    ("site-language-locale", "site.yaml: a locale for a language tag", {}, SITE_YAML + "language: en_GB.UTF-8\n",
     'site.yaml:7:11: language: expected a BCP 47 language tag, found text "en_GB.UTF-8"; write language: en-GB: a '
     "tag joins its parts with -"),
    ("site-language-unnamed", "site.yaml: language tag", {}, SITE_YAML + "language: english (UK)\n",
     'site.yaml:7:11: language: expected a BCP 47 language tag, found text "english (UK)"; write it as en, pt-BR or '
     "zh-Hant"),
    ("site-language-three-letters", "site.yaml: a language's three-letter code", {}, SITE_YAML + "language: eng-GB\n",
     'site.yaml:7:11: language: expected a BCP 47 language tag, found text "eng-GB"; '
     "BCP 47 names that language en: write language: en-GB"),
    ("site-language-withdrawn", "site.yaml: a code ISO 639 withdrew for another", {}, SITE_YAML + "language: iw\n",
     'site.yaml:7:11: language: expected a BCP 47 language tag, found text "iw"; '
     "BCP 47 names that language he: write language: he"),
    ("site-language-unknown", "site.yaml: a language feed validators do not know", {}, SITE_YAML + "language: ckb\n",
     "site.yaml:7:11: language: expected a language code feed validators know (ISO 639-1, or ISO 639-2 if it has "
     'none), found text "ckb"; the W3C validator warns of any other; write the code of the language\'s group, and '
     "its script or region if need be, such as ku-Arab for Sorani Kurdish or zh-yue for Cantonese"),
    ("site-category-feeds", "site.yaml: yes is text", {}, SITE_YAML + "category_feeds: no\n",
     'site.yaml:7:17: category_feeds: expected true or false, found text "no"; '
     "yes, no, on and off are text in YAML 1.2; write true or false"),
    ("site-feed-name-long", "site.yaml: a feed name over 255 bytes", {},
     SITE_YAML + "feeds:\n  - name: " + "n" * 300 + "\n",
     f'site.yaml:8:11: feeds[0].name: expected a name of at most 255 bytes, found text "{"n" * 59}…"; '
     "it names the feed's folder, and it takes 300: shorten it"),
    ("site-category-slug-long", "site.yaml: a category slug over 255 bytes", {},
     SITE_YAML + "categories:\n  News: {slug: " + "n" * 300 + "}\n",
     f'site.yaml:8:16: categories.News.slug: expected a slug of at most 255 bytes, found text "{"n" * 59}…"; '
     "it names a folder, and it takes 300: shorten it"),
    ("site-publish-dir-items", "site.yaml: publishing into items/", {}, SITE_YAML + "publish_dir: items/feeds\n",
     'site.yaml:7:14: publish_dir: expected a folder of its own for the published files, found "items/feeds", which '
     "is inside the site's items/ folder; write publish_dir: publish, or a folder outside the site such as /var/www/feeds"),
    ("site-publish-dir-variable", "site.yaml: an environment variable in publish_dir", {},
     SITE_YAML + "publish_dir: $HOME/www/feeds\n",
     'site.yaml:7:14: publish_dir: expected a folder\'s path, found "$HOME/www/feeds", which names the environment '
     "variable HOME; feeds reads site.yaml alike in every environment (cron's is not the shell's): write ~/www/feeds, "
     "in the home folder of the user the build runs as"),
    ("site-publish-dir-line-break", "site.yaml: a line break in publish_dir", {},
     SITE_YAML + 'publish_dir: "www/\\nfeeds"\n',
     'site.yaml:7:14: publish_dir: expected a folder\'s path on one line, found "www/ feeds", which has a line break '
     "in it; write the path without it, such as /var/www/feeds: each line that names the folder would break in two"),
    ("site-timezone-localtime", "site.yaml: the machine's own zone", {},
     SITE_YAML.replace("Europe/Istanbul", "localtime"),
     'site.yaml:5:11: timezone: expected an IANA timezone, found text "localtime"; that is whatever zone this '
     "machine is set to, and another machine reads the times differently: write the zone's name, such as "
     "Europe/Istanbul or UTC"),
    ("site-timezone-offset", "site.yaml: an offset for a zone", {},
     SITE_YAML.replace("Europe/Istanbul", "UTC+3"),
     'site.yaml:5:11: timezone: expected an IANA timezone, found the offset "UTC+3", which keeps no '
     "summer time; write the zone's name, such as Europe/Istanbul, or timezone: Etc/GMT-3 for +03:00 all year "
     "(Etc/ names turn the sign round)"),
    ("site-timezone-abbreviation", "site.yaml: a zone's abbreviation", {},
     SITE_YAML.replace("Europe/Istanbul", "PST"),
     'site.yaml:5:11: timezone: expected an IANA timezone, found text "PST"; did you mean America/Los_Angeles? '
     "PST is US Pacific time"),
    ("site-unknown-field", "site.yaml: unknown field", {}, SITE_YAML + "sumary_length: 200\n",
     "site.yaml:7:1: sumary_length: is not a field of site.yaml; did you mean summary_length?"),
    ("site-synonym-field", "site.yaml: another tool's name for a field", {}, SITE_YAML + "output_dir: public\n",
     "site.yaml:7:1: output_dir: is not a field of site.yaml; did you mean publish_dir?"),
]


def make(tmp_path: Path, files: dict[str, str], site_yaml: str) -> Path:
    root = tmp_path / "site"
    (root / "items").mkdir(parents=True)
    (root / "site.yaml").write_text(textwrap.dedent(site_yaml), encoding="utf-8")
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    return root


def check(root: Path, capsys: pytest.CaptureFixture[str], *options: str) -> tuple[int, str, str]:
    status = main(["check", str(root), *options])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize("files, site_yaml, line", [row[2:] for row in RULES], ids=[row[0] for row in RULES])
def test_rule_prints_its_exact_line_and_exits_1(tmp_path, capsys, files, site_yaml, line):
    status, _, err = check(make(tmp_path, files, site_yaml), capsys)
    assert status == 1
    assert err.splitlines()[0] == line


def test_an_update_written_on_another_clock_is_told_in_utc_where_it_falls_before_published(tmp_path, capsys):
    """10:30+01:00 is 09:30 UTC, before 10:00 on a London site in March: "expected at or after
    10:00, found 10:30" read as nonsense."""
    root = make(tmp_path, {ENTRY: entry(published="2026-03-01 10:00", updated="2026-03-01 10:30+01:00")}, LONDON_SITE)
    status, _, err = check(root, capsys)
    assert status == 1
    assert err.splitlines()[0] == (
        f'{ENTRY}:5:10: updated: expected a time at or after published "2026-03-01 10:00" (2026-03-01T10:00:00Z), '
        'found "2026-03-01 10:30+01:00" (2026-03-01T09:30:00Z); an entry cannot be updated before it is published; '
        "fix one of the two dates")


def test_spec_example_renders_exactly(tmp_path, capsys):
    root = make(tmp_path, {"items/2020/02/turkey.yaml": entry(published='"Feb 30 2020"')}, SITE_YAML)
    _, _, err = check(root, capsys)
    assert err.startswith('items/2020/02/turkey.yaml:3:12: published: "Feb 30 2020" is not a date; ')


def test_every_problem_in_every_file_is_reported_then_counted(tmp_path, capsys):
    files = {"items/a.yaml": entry(title='""', draft="yes"), "items/b.yaml": entry(link="ftp://x/y"),
             "items/c.yaml": VALID}
    status, _, err = check(make(tmp_path, files, SITE_YAML), capsys)
    lines = err.splitlines()
    assert status == 1
    assert [line.split(": ")[0] for line in lines[:-1]] == ["items/a.yaml:1:8", "items/a.yaml:5:8", "items/b.yaml:2:7"]
    assert lines[-1] == "3 errors in 2 of 3 entries"


@pytest.mark.parametrize("categories, fix", [
    ('[Crime, "", "Law, Order", ~]', 'categories: [Crime, "Law, Order"]'),
    ("[[Crime], Météo]", "categories: [Crime, Météo]"),
    ("{Crime: x}", "write them as a list, such as categories: [News, Middle East], or remove the line")])
def test_the_fix_for_what_is_no_category_name_keeps_the_other_categories_not_the_examples(tmp_path, capsys,
                                                                                          categories, fix):
    """'write categories: [News, Middle East]', done word for word, filed the story under Middle East."""
    root = make(tmp_path, {ENTRY: entry(categories=categories)}, SITE_YAML)
    assert check(root, capsys)[2].splitlines()[0].endswith(fix)
    if fix.startswith("categories: "):
        (root / ENTRY).write_text(entry(categories=fix.removeprefix("categories: ")), encoding="utf-8")
        assert check(root, capsys)[0] == 0


def test_a_character_a_feed_cannot_carry_does_not_hide_the_files_other_problems(tmp_path, capsys):
    root = make(tmp_path, {ENTRY: entry(title="Storm\x85 closes", published="2026-13-01", sumary="x")}, SITE_YAML)
    status, _, err = check(root, capsys)
    assert status == 1
    assert [line.split(": ")[0] for line in err.splitlines()] == [f"{ENTRY}:1:13", f"{ENTRY}:3:12", f"{ENTRY}:5:1",
                                                                   "3 errors in 1 of 1 entry"]


@pytest.mark.parametrize("mistake, column, told", [
    ("summary: Update: talks resume", 16, 'summary: malformed YAML: text with ": " in it must be quoted; put it in quotes: '
                                      'summary: "Update: talks resume"'),
    ("categories: #News", 13, 'categories: expected a value, found "#News" read as a comment: YAML reads " #" as the start '
                          'of one, so the field would hold nothing; put it in quotes: categories: "#News"')],
    ids=["colon in text", "hashtag"])
def test_a_character_a_feed_cannot_carry_does_not_hide_a_yaml_mistake_on_another_line(tmp_path, capsys, mistake, column,
                                                                                           told):
    """Only the character was told: the YAML mistake two lines below it came at the next run."""
    field, value = mistake.split(": ", 1)
    root = make(tmp_path, {ENTRY: entry(title="Storm \x1b hits", **{field: value})}, SITE_YAML)
    status, _, err = check(root, capsys)
    row = entry(**{field: value}).splitlines().index(mistake) + 1
    assert status == 1
    assert err.splitlines() == [
        f"{ENTRY}:1:14: expected characters a feed can carry, found the character U+001B (a control character); "
        "XML 1.0 cannot carry it; delete it",
        f"{ENTRY}:{row}:{column}: {told}",
        "2 errors in 1 of 1 entry"]


@pytest.mark.parametrize("title, column, told", [
    ('"Storm\x01 hits', 8, 'malformed YAML: the quote " opened here is never closed; add the closing quote at the end of '
                          'the text, such as "Storm closes ports"'),
    ("St\x01\x02orm\x03 hits: ports shut", 21, 'title: malformed YAML: text with ": " in it must be quoted; put it in '
                                             'quotes: title: "Storm hits: ports shut"')],
    ids=["quote left open", "colon in text"])
def test_a_yaml_mistake_on_the_line_of_a_character_a_feed_cannot_carry_is_told_with_it_at_its_column_as_written(
        tmp_path, capsys, title, column, told):
    """Only the character was told, and the mistake beside it at the next run."""
    root = make(tmp_path, {ENTRY: entry(title=title)}, SITE_YAML)
    status, _, err = check(root, capsys)
    assert status == 1
    assert sorted(err.splitlines()[:2]) == sorted([
        f"{ENTRY}:1:{title.index(chr(1)) + 8}: expected characters a feed can carry, found the character U+0001 "
        "(a control character); XML 1.0 cannot carry it; delete it",
        f"{ENTRY}:1:{column}: {told}"])
    assert err.splitlines()[2] == "2 errors in 1 of 1 entry"


def test_a_wrong_value_a_character_only_follows_on_its_line_is_told_beside_it(tmp_path, capsys):
    """The space the character is read as is trimmed from the value: month 13 came at the next run."""
    root = make(tmp_path, {ENTRY: entry(published="2026-13-01 10:00\x07")}, SITE_YAML)
    status, _, err = check(root, capsys)
    assert status == 1
    assert err.splitlines() == [
        f'{ENTRY}:3:12: published: "2026-13-01 10:00" is not a date; month must be in 1..12; write it as '
        "YYYY-MM-DD HH:MM, such as 2020-02-20 16:40",
        f"{ENTRY}:3:28: expected characters a feed can carry, found the character U+0007 (a control character); "
        "XML 1.0 cannot carry it; delete it",
        "2 errors in 1 of 1 entry"]


def test_each_line_holding_characters_a_feed_cannot_carry_is_told_once_and_its_value_not_again(tmp_path, capsys):
    """A title of one control character is read as empty: that is the character's doing, not another problem."""
    root = make(tmp_path, {ENTRY: entry(title="\x07\x07"),
                           "items/b.yaml": entry(summary="Ports\x01 shut.\x02")}, SITE_YAML)
    status, _, err = check(root, capsys)
    assert status == 1
    assert err.splitlines() == [
        f"{ENTRY}:1:8: expected characters a feed can carry, found the character U+0007 (a control character); "
        "XML 1.0 cannot carry it; delete it",
        "items/b.yaml:4:15: expected characters a feed can carry, found the character U+0001 (a control character); "
        "XML 1.0 cannot carry it; delete it",
        "2 errors in 2 of 2 entries"]


def test_a_wrong_site_yaml_value_is_told_beside_a_character_it_cannot_carry(tmp_path, capsys):
    site_yaml = SITE_YAML.replace("Europe/Istanbul", "Mars/Olympus") + "copyright: \u00a9 News\x07\n"
    status, _, err = check(make(tmp_path, {ENTRY: VALID}, site_yaml), capsys)
    assert status == 1
    last = len(site_yaml.splitlines())
    assert [line.split(": ")[0] for line in err.splitlines()[:-1]] == ["site.yaml:5:11", f"site.yaml:{last}:18"]


def test_entries_are_checked_even_when_site_yaml_is_wrong(tmp_path, capsys):
    site_yaml = SITE_YAML.replace("Europe/Istanbul", "Mars/Olympus")
    status, _, err = check(make(tmp_path, {ENTRY: entry(draft="yes")}, site_yaml), capsys)
    lines = err.splitlines()
    assert status == 1
    assert [line.split(": ")[0] for line in lines[:-1]] == [f"{ENTRY}:5:8", "site.yaml:5:11"]
    assert lines[-1] == "2 errors in site.yaml and 1 of 1 entry"


def test_a_site_without_its_items_folder_is_told_to_make_one(tmp_path, capsys):
    root = make(tmp_path, {}, SITE_YAML)
    (root / "items").rmdir()
    status, _, err = check(root, capsys)
    assert status == 1
    assert err.splitlines()[0] == ("items:1:1: expected a folder items/ holding the entry files, found none; "
                                   f"create it and put the entries in it: mkdir {root}/items")


def test_a_first_build_without_an_items_folder_is_told_once_to_make_one_and_writes_nothing(tmp_path, capsys):
    """It was also told of "a record of the entries in items/ from the last build", of a site never built."""
    root = make(tmp_path, {}, SITE_YAML)
    (root / "items").rmdir()
    assert main(["build", str(root)]) == 1
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("items:")]
    assert errors == [f"items:1:1: expected a folder items/ holding the entry files, found none; create it and put the "
                      f"entries in it: mkdir {root}/items"]
    assert not (root / "publish").exists()


def test_the_folder_a_site_without_items_is_told_to_make_is_its_items_from_where_feeds_ran(tmp_path, capsys,
                                                                                            monkeypatch):
    """'mkdir items', run where `feeds check "my site"` was, made items/ beside the site, not in it."""
    (tmp_path / "my site").mkdir()
    (tmp_path / "my site" / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "my site"]) == 1
    command = capsys.readouterr().err.splitlines()[0].split("put the entries in it: ")[1]
    assert shell_words(command) == ["mkdir", "my site/items"]


def test_an_items_that_is_a_file_is_named_as_a_file_not_as_a_permission_problem(tmp_path, capsys):
    root = make(tmp_path, {}, SITE_YAML)
    (root / "items").rmdir()
    (root / "items").write_text("title: Storm\n", encoding="utf-8")
    status, _, err = check(root, capsys)
    assert status == 1
    assert err.splitlines()[0] == ("items:1:1: expected a folder items/ holding the entry files, found a file; "
                                   "until then its entries keep their last good versions; rename the file, then "
                                   f"create the folder and put the entries in it: mkdir {root}/items")


def test_misspelt_required_field_is_reported_once(tmp_path, capsys):
    _, _, err = check(make(tmp_path, {ENTRY: entry(title=None, titel="Storm")}, SITE_YAML), capsys)
    assert err.splitlines() == [f"{ENTRY}:4:1: titel: is not a field of an entry; did you mean title?",
                                "1 error in 1 of 1 entry"]


def test_yaml_1_2_no_is_a_category_not_false(tmp_path, capsys):
    status, _, err = check(make(tmp_path, {ENTRY: entry(categories="[NO, yes, off]")}, SITE_YAML), capsys)
    assert (status, err) == (0, "1 entry checked, no problems\n")


def test_json_format_prints_the_same_records_on_stdout(tmp_path, capsys):
    root = make(tmp_path, {"items/2020/02/turkey.yaml": entry(published='"Feb 30 2020"')}, SITE_YAML)
    status, out, err = check(root, capsys, "--format", "json")
    assert (status, err) == (1, "")
    assert json.loads(out) == [{
        "path": "items/2020/02/turkey.yaml", "line": 3, "column": 12, "field": "published", "code": "bad-date",
        "message": '"Feb 30 2020" is not a date',
        "hint": "February 2020 has 29 days; write it as YYYY-MM-DD HH:MM, such as 2020-02-20 16:40",
        "severity": "error"}]


def test_json_format_prints_an_empty_list_for_a_valid_site(tmp_path, capsys):
    status, out, _ = check(make(tmp_path, {ENTRY: VALID}, SITE_YAML), capsys, "--format", "json")
    assert (status, json.loads(out)) == (0, [])


def test_wrong_usage_exits_2(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["check", str(tmp_path), "--format", "xml"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'xml'" in capsys.readouterr().err


def test_unwritable_output_exits_3_with_one_line(tmp_path, capsys):
    root = make(tmp_path, {ENTRY: VALID}, SITE_YAML)
    (root / "taken").write_text("a file, not a folder", encoding="utf-8")
    status = main(["build", str(root), "--out", str(root / "taken" / "feeds"), "--now", "2026-01-01"])
    err = capsys.readouterr().err
    assert status == 3
    assert err.startswith("feeds: error: cannot write ") and err.count("\n") == 1
    assert err.endswith(f"{root / 'taken'} is a file, where a folder is needed; move it aside\n")


def test_a_bylines_address_that_is_not_a_url_is_answered_with_a_staff_page(tmp_path, capsys):
    root = make(tmp_path, {ENTRY: entry(author='{name: Jo Byrne, uri: "javascript:x"}')}, SITE_YAML)
    _, _, err = check(root, capsys)
    assert (f'{ENTRY}:5:31: author.uri: expected an http(s) or relative URL, found the javascript: URL "javascript:x"; '
            "write a path such as /staff/jo-byrne or a full https:// address") in err


def test_readme_table_shows_every_rule_exactly():
    from .test_hostile_input import HOSTILE

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## What `feeds check` catches", 1)[1].split("\n## ", 1)[0]
    shown = re.findall(r"^\| (?:[^|\\]|\\\|)+ \| `(.+)` \|$", section, re.M)
    assert [text.replace("\\|", "|") for text in shown] == [row[-1] for row in RULES + HOSTILE]  # \| in a table is |


@pytest.mark.parametrize("zone, written, offset", [
    ("America/New_York", "20 February 2020 16:40 EST", "-05:00"), ("America/New_York", "20 July 2020 16:40 EDT", "-04:00"),
    ("Europe/Istanbul", "20 February 2020 16:40 EST", "-05:00"), ("Europe/Istanbul", "2020-02-20 16:40 PST", "-08:00"),
    ("Europe/Berlin", "1 May 2020 10:00 CEST", "+02:00"), ("Europe/Berlin", "2026-12-03 09:00 CET", "+01:00")])
def test_a_zone_abbreviation_is_answered_with_an_offset_that_matches_it(tmp_path, capsys, zone, written, offset):
    root = make(tmp_path, {ENTRY: entry(published=f'"{written}"')}, SITE_YAML.replace("Europe/Istanbul", zone))
    _, _, err = check(root, capsys)
    assert f"is not read, since many name several zones (IST: India, Ireland, Israel); write an offset such as {offset} instead" in err


@pytest.mark.parametrize("written, utc", [
    ("Thu, 20 Feb 2020 16:40:00 EST", "2020-02-20T21:40:00Z"), ("20 Feb 2020 16:40 EST", "2020-02-20T21:40:00Z"),
    ("Mon, 20 Jul 2020 16:40:00 EDT", "2020-07-20T20:40:00Z"), ("20 Jul 2020 16:40 cdt", "2020-07-20T21:40:00Z"),
    ("20 Feb 2020 16:40 CST", "2020-02-20T22:40:00Z"), ("20 Feb 2020 16:40 MST", "2020-02-20T23:40:00Z"),
    ("20 Jul 2020 16:40 MDT", "2020-07-20T22:40:00Z"), ("20 Feb 2020 16:40 PST", "2020-02-21T00:40:00Z"),
    ("20 Jul 2020 16:40 PDT", "2020-07-20T23:40:00Z")])
def test_an_rfc_2822_date_with_a_us_zone_name_means_the_offset_rfc_2822_gives_it(tmp_path, written, utc):
    root = make(tmp_path, {ENTRY: entry(published=f'"{written}"')}, SITE_YAML)
    result = check_site(root)
    assert not result.problems
    assert format_iso(result.entries[0].published) == utc


def test_a_leap_second_is_told_as_one_with_the_times_to_write_instead(tmp_path, capsys):
    root = make(tmp_path, {ENTRY: entry(published="2026-06-30 23:59:60")}, SITE_YAML)
    _, _, err = check(root, capsys)
    assert err.splitlines()[0] == (f'{ENTRY}:3:12: published: "2026-06-30 23:59:60" is not a date; 23:59:60 is a leap '
                                   "second, which feeds cannot carry; write 23:59:59, or the next minute's 00:00:00 "
                                   "(the next day's)")


def test_a_leap_second_given_as_now_is_told_as_one(tmp_path, capsys):
    root = make(tmp_path, {ENTRY: entry()}, SITE_YAML)
    assert main(["build", str(root), "--now", "2026-06-30T23:59:60Z"]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        'feeds: error: --now: "2026-06-30T23:59:60Z" is not a date; 23:59:60 is a leap second, which feeds cannot '
        "carry; write 23:59:59, or the next minute's 00:00:00 (the next day's)")


def test_an_hour_of_24_is_told_that_midnight_is_the_next_days_00_00(tmp_path, capsys):
    root = make(tmp_path, {ENTRY: entry(published="2020-02-20 24:00")}, SITE_YAML)
    _, _, err = check(root, capsys)
    assert err.splitlines()[0] == (f'{ENTRY}:3:12: published: "2020-02-20 24:00" is not a date; hours run from 00 to 23, '
                                   "and midnight at the end of a day is the next day's 00:00; "
                                   "write it as YYYY-MM-DD HH:MM, such as 2020-02-20 16:40")


def test_a_second_document_in_site_yaml_says_to_merge_it(make_site, capsys):
    root = make_site({}, site_yaml=SITE_YAML + "---\ntitle: Other\n")
    assert main(["check", str(root)]) == 1
    assert capsys.readouterr().err.splitlines()[0].endswith(
        "expected one YAML document, found a second one (after ---); site.yaml holds the site's settings once; "
        "merge the second into the first")


def test_a_folder_named_site_yaml_is_named_as_a_folder(tmp_path, capsys):
    (tmp_path / "site.yaml").mkdir()
    assert main(["check", str(tmp_path)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f"site.yaml:1:1: expected a file site.yaml in {tmp_path}, found a folder; move the folder away, and write "
        "the site's settings in a file site.yaml")


def test_a_pipe_named_site_yaml_is_named_as_a_pipe(tmp_path, capsys):
    os.mkfifo(tmp_path / "site.yaml")
    assert main(["check", str(tmp_path)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f"site.yaml:1:1: expected a file site.yaml in {tmp_path}, found a pipe, socket or device; remove it, and "
        "write the site's settings in a file site.yaml")


def test_day_zero_is_named_as_such_not_as_a_short_month(make_site, capsys):
    root = make_site({ENTRY: entry(published="2024-02-00T10:00:00Z")})
    assert main(["check", str(root)]) == 1
    assert ('published: "2024-02-00T10:00:00Z" is not a date; days are counted from 1, and there is no day 0; '
            in capsys.readouterr().err)


def test_a_weekday_that_does_not_match_the_date_is_refused(make_site, capsys):
    root = make_site({ENTRY: entry(published='"Thu, 01 Jan 2020 10:00:00 +0000"')})
    assert main(["check", str(root)]) == 1
    assert ('published: "Thu, 01 Jan 2020 10:00:00 +0000" is not a date; 1 January 2020 was a Wednesday, not a '
            "Thursday; check the day and the date" in capsys.readouterr().err)


@pytest.mark.parametrize("zone", ["UT", "ut", "gmt", "utc"])
def test_rfc_2822_universal_time_in_any_case_is_utc(make_site, zone):
    root = make_site({ENTRY: entry(published=f'"Wed, 01 Jan 2020 10:00:00 {zone}"')})
    assert main(["check", str(root)]) == 0


@pytest.mark.parametrize("body", ["'Type `&#x1;` to see it'", "'<p>It&#146;s on</p>'", "'&#8217;&#x201C;'"],
                         ids=["in a code span", "in raw HTML, read as browsers do", "carriable"])
def test_a_character_reference_is_a_problem_only_where_it_makes_an_uncarriable_character(make_site, capsys, body):
    root = make_site({ENTRY: entry(body=body)})
    assert main(["check", str(root)]) == 0, capsys.readouterr().err


def test_a_held_entry_with_a_control_character_reference_keeps_its_last_good_version(make_site, capsys):
    root = make_site({ENTRY: entry(body="'<p>Good</p>'")})
    assert main(["build", str(root), "--now", "2024-01-01"]) == 0
    (root / ENTRY).write_text(entry(body="'<p>Good&#x1;</p>'"), encoding="utf-8")
    assert main(["build", str(root), "--now", "2024-01-01"]) == 1
    assert "<p>Good</p>" in (root / "publish" / "feed.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("field", ["published", "expires"])
def test_a_time_that_falls_after_the_year_9999_on_the_sites_clock_is_refused_not_a_traceback(make_site, capsys, field):
    root = make_site({ENTRY: entry(**{field: "9999-12-31T23:59:59Z"})})  # the site is in Europe/Istanbul, UTC+3
    assert main(["build", str(root), "--now", "2024-01-01", "--out", str(root / "out")]) == 1
    assert (f'{ENTRY}:{5 if field == "expires" else 3}:{10 if field == "expires" else 12}: {field}: '
            '"9999-12-31T23:59:59Z" is not a date; on the site\'s clock (Europe/Istanbul) it falls outside the years '
            "1 to 9999; " in capsys.readouterr().err)


def test_a_time_in_the_year_1_that_falls_before_it_in_utc_is_refused_saying_so(make_site, capsys):
    root = make_site({ENTRY: entry(published="0001-01-01 00:00")})  # the site is in Europe/Istanbul, east of UTC
    assert main(["build", str(root), "--now", "2024-01-01", "--out", str(root / "out")]) == 1
    assert (f'{ENTRY}:3:12: published: "0001-01-01 00:00" is not a date; in UTC, where feeds carry every time, '
            "it falls outside the years 1 to 9999; write it as YYYY-MM-DD HH:MM, such as 2020-02-20 16:40"
            in capsys.readouterr().err)


def test_a_body_read_as_latin_1_between_no_break_spaces_is_refused_as_its_html_reads(make_site):
    """HTML writes a no-break space as &nbsp;: 'Ports\xa0Ã©' is 'Ports&nbsp;Ã©' to a reader, which repairs it to
    'Ports&nbsp;é' in RSS and Atom; a JSON Feed reader showed it as written."""
    root = make_site({ENTRY: entry(body='"Ports\\u00a0rouvertsÃ© ce matin"')})
    assert [str(problem) for problem in check_site(root).problems] == [
        f'{ENTRY}:5:7: body: expected text, found "Ports rouvertsÃ© ce matin", which looks like UTF-8 read as Latin-1; '
        'did you mean "Ports rouvertsé ce matin"?']
