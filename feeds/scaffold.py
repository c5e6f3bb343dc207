"""`feeds init` and `feeds new`: a site that builds at once, and entries ready to edit.

Both only ever create files, never replace one (files are opened with exclusive
create), so a mistyped command can never cost an editor their work. Every entry
written is validated with the site's own rules first, so it is known to build.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime, timezone, tzinfo
from pathlib import Path

import yaml

from . import placeholders
from .characters import character_name, first_uncarriable, prose, why_not
from .dates import on_the_clock_of
from .load import parse_document
from .model import ITEMS_DIR, Site
from .problems import Problem, quote, shell_path
from .site_file import SITE_FILE, load_site, misnamed_settings, rename, site_above
from .slugs import ascii_slug, slugify
from .validate import validate_entry
from .yaml_node import FLOAT

GITIGNORE_LINES = ("/publish/", "/.feeds/")
FALLBACK_SLUG = "entry"
LONGEST_SLUG = 60
MOST_TRIES = 10_000

SITE_TEMPLATE = """\
# site.yaml: the channel settings of this feeds site.
# Required: title, link, description. Every other key is optional: its line is
# commented out and shows the default. Remove the "# " to change one.
# Then `feeds check` validates and `feeds build` writes the feeds into publish/.

title: Example News                    # channel title
link: https://www.example.com/         # absolute http(s) URL of the site's home page
description: {description}

# publish_url: https://www.example.com/ # URL where publish/ is served (default: link)
# language: en                         # BCP 47 tag, such as en, tr or pt-BR
# timezone: UTC                        # IANA zone for dates without an offset, e.g. Europe/Istanbul
# author: {{name: News desk, email: desk@example.com}} # default author (default: none)
# copyright: "© {year} Example News"     # (default: none)
# icon: /favicon.png                   # small square image (default: none)
# logo: /logo.png                      # wide image (default: none)
# max_items: 50                        # newest items kept in each feed
# formats: [rss, atom, json]           # any of rss, atom, json
# category_feeds: true                 # also write one feed per category
# summary_length: 300                  # longest summary derived from a body, in characters
# publish_dir: publish                 # where the feeds are written (or build --out DIR)
# content: full                        # full (summary and body HTML) or summary (summary only)
# max_bytes: 1000000                   # largest feed file; its oldest items are left out to fit
# author_feeds: false                  # also write one feed per author, at authors/<slug>/
# feeds: [{{name: breaking, categories: [News]}}] # named feeds at publish/<name>/ (default: none)
# hub: https://pubsubhubbub.appspot.com/ # WebSub hub(s) to notify at each build (default: none)
# publish_to: s3://bucket/prefix       # also mirror publish/ to object storage (default: none)
# cache_control: public, max-age=300   # Cache-Control of the files put on publish_to
# slugs: unicode                       # category folders: unicode (categories/météo/) or ascii (categories/meteo/)
# categories: {{Économie: {{title: Economy, description: Markets and money, slug: economy}}}}
# archive: false                       # also write RFC 5005 archive documents: the whole history
# on_invalid: hold                     # hold: publish the valid entries, keep an invalid one's last good version; stop: publish nothing
"""

ENTRY_TEMPLATE = """\
# A feeds entry. Required: title, link, published, and summary or body.
# `feeds check` says what is wrong, with the line and column.
title: {title}
link: {link}
published: {published}
categories: {categories}
summary: {summary}
body: |
{body}
{draft}\
# updated: {published}      # when the story last changed; never before published
# author: {{name: News desk, email: desk@example.com}} # default: the site's author
# image: /img/lead.jpg                 # lead image, relative to link or absolute
# expires: {expires}                  # gone from the feeds from this date on
# id: urn:uuid:...                     # default: the absolute link; never change it once published
"""

DRAFT_LINE = "draft: true                            # delete this line to publish\n"
NEW_SUMMARY = placeholders.ENTRY_SUMMARY
NEW_BODY = placeholders.ENTRY_BODY

EXAMPLE_TITLE = "Our news feeds are live"
EXAMPLE_SUMMARY = "Readers can now follow every story in their feed reader, as RSS, Atom or JSON Feed."
EXAMPLE_BODY = """\
Every story we publish now reaches subscribers the moment it goes out, in the format their
reader prefers: RSS, Atom or JSON Feed.

The list of our feeds, one for the whole site and one for each section, is on our feeds page."""


class _Dumper(yaml.SafeDumper):
    """Also quotes text that YAML 1.2, as feeds reads it, takes for a number ('1e5', '0E0')."""


_Dumper.add_implicit_resolver("tag:yaml.org,2002:float",
                              FLOAT,
                              list("-+.0123456789"))


class ScaffoldError(Exception):
    """The request cannot be carried out as asked; the message says why and what to do."""


def init_site(directory: Path | str, now: datetime | None = None) -> list[Path]:
    """Create a site in `directory` (made if missing); return the files written, relative to it.

    Refuses a folder that already holds a site (_refuse_a_site_there). An existing .gitignore is kept and
    only gains the lines it lacks.
    """
    if isinstance(directory, str) and not directory.strip():  # Path("") is the current folder: made a site unasked
        raise ScaffoldError("expected a folder name, found nothing; give one, such as feeds init newsroom")
    root = Path(directory)
    if root.exists() and not root.is_dir():
        raise ScaffoldError(f"{root} is a file, not a folder; name a new folder for the site")
    _refuse_a_site_there(root)
    root.mkdir(parents=True, exist_ok=True)
    moment = _local_minute(now, timezone.utc)
    _create(root / SITE_FILE, SITE_TEMPLATE.format(year=moment.year, description=placeholders.SITE_DESCRIPTION))
    site = _read_site(root)
    written = [Path(SITE_FILE)]
    written.append(_write_entry(site, moment, EXAMPLE_TITLE, ("News",), EXAMPLE_SUMMARY, EXAMPLE_BODY, draft=False))
    if _extend_gitignore(root / ".gitignore"):
        written.append(Path(".gitignore"))
    return written


def _refuse_a_site_there(root: Path) -> None:
    """A site, or what is left of one, is never made over: its settings under any name its
    editors may have given them (site.yml), its entries (a new site.yaml would publish them
    under the example's title, with the example among them), or a site's items/ folder
    around it, where the new site.yaml would be read as an entry."""
    if os.path.lexists(root / SITE_FILE):
        raise ScaffoldError(f"{root} already holds a site ({SITE_FILE} exists) and feeds init never "
                            f"overwrites one; to add an entry run: feeds new {shell_path(str(root))} \"A headline\"")
    if misnamed := misnamed_settings(root):
        raise ScaffoldError(f"{root} already holds {misnamed[0]}, a site's settings by its name, and feeds init never "
                            f"makes a second site over one; {rename(root, misnamed[0])}")
    if _holds_a_file(root / ITEMS_DIR):
        raise ScaffoldError(f"{root / ITEMS_DIR} already holds entries, and feeds init would publish its example among "
                            f"them; make the site in a new folder (feeds init NEW), then move its {SITE_FILE} here")
    if (above := site_above(root)) is not None:
        raise ScaffoldError(f"{root} is in the items folder of the site {above}, where every .yaml file is one of its "
                            "entries; make the new site outside it")


def _holds_a_file(folder: Path) -> bool:
    """A file the build would look at: not a hidden one (.gitkeep), which the build skips too."""
    try:
        return any(not path.is_dir() and not any(part.startswith(".") for part in path.relative_to(folder).parts)
                   for path in folder.rglob("*"))
    except OSError:
        return False


def new_entry(site: Site, title: str, categories: Sequence[str] | str = (), now: datetime | None = None) -> Path:
    """Write items/YYYY/MM/<slug>.yaml dated `now` in the site's timezone, as a draft.

    Returns its path relative to the site. The name gets -2, -3... if taken; an entry
    is never overwritten. A single string is one category, as in an entry (a str is also
    a sequence of its letters, which the type checker lets through).
    """
    categories = (categories,) if isinstance(categories, str) else tuple(categories)
    title = prose(title)
    if not title:
        raise ScaffoldError("the title is empty; write it in quotes: feeds new \"Storm closes ports\"")
    for what, text in [("the title", title), *((f"the category {quote(name)}", name) for name in categories)]:
        if bad := first_uncarriable(text):
            raise ScaffoldError(f"{what} has {character_name(bad.group())}: {why_not(bad.group())}; leave it out")
    _refuse_items_outside(site.root)
    moment = _local_minute(now, site.timezone)
    return _write_entry(site, moment, title, categories, NEW_SUMMARY, NEW_BODY, draft=True)


def _refuse_items_outside(root: Path) -> None:
    """items/ must lead to a folder inside the site: a build reads no entry elsewhere."""
    items = root / ITEMS_DIR
    if items.is_symlink() and not items.exists():
        raise ScaffoldError(f"{items} is a link to nothing ({os.readlink(items)}); remove the link, then feeds new "
                            f"makes {ITEMS_DIR}/ a folder of the site")
    real, site = os.path.realpath(items), os.path.realpath(root)
    if real != os.path.join(site, ITEMS_DIR) and not real.startswith(site + os.sep):
        raise ScaffoldError(f"{items} is a link to {real}, outside the site, where a build reads no entry; "
                            f"make {ITEMS_DIR}/ a folder of the site")


def entry_text(title: str, link: str, published: datetime, categories: Sequence[str],
               summary: str, body: str, draft: bool) -> str:
    """The entry as YAML: user text goes through the YAML dumper, so any title round-trips."""
    return ENTRY_TEMPLATE.format(
        title=yaml_scalar(title), link=link, published=format_minute(published),
        categories=yaml_flow_list(categories), summary=yaml_scalar(summary),
        body="\n".join(f"  {line}" if line else "" for line in body.splitlines()),
        draft=DRAFT_LINE if draft else "", expires=f"{published.year + 1}-{published.month:02d}-01")


def entry_slug(title: str, ascii: bool = False) -> str:
    """The file name (without .yaml) for a title: slugified, cut at a word, never empty;
    transliterated with `ascii` (`slugs: ascii`): a site that chose ASCII addresses gets
    them for its stories too, not /2026/01/москва-снегопад beside categories/moskva/."""
    slug = ascii_slug(title) if ascii else slugify(title)
    if len(slug) > LONGEST_SLUG:
        slug = slug[:LONGEST_SLUG].rsplit("-", 1)[0] if "-" in slug[:LONGEST_SLUG] else slug[:LONGEST_SLUG]
    return slug or FALLBACK_SLUG


def yaml_scalar(text: str) -> str:
    """One value as YAML, quoted whenever plain text would be read as something else."""
    dumped: str = yaml.dump(text, Dumper=_Dumper, allow_unicode=True, width=1 << 30)
    return dumped.removesuffix("\n...\n").rstrip("\n")


def yaml_flow_list(values: Sequence[str]) -> str:
    """A list on one line; the dumper quotes what a flow context would misread (a '[' in '0[')."""
    dumped: str = yaml.dump(list(values), Dumper=_Dumper, default_flow_style=True, allow_unicode=True,
                            width=1 << 30)
    return dumped.rstrip("\n")


def format_minute(moment: datetime) -> str:
    """'2020-02-20 16:40+03:00': minute precision, the offset always written."""
    return moment.isoformat(sep=" ", timespec="minutes")


def _local_minute(now: datetime | None, zone: tzinfo) -> datetime:
    """Now (or `now`, which without a time zone is already on it) on the site's wall clock,
    cut to the minute so it is never in the future."""
    moment = (datetime.now(timezone.utc) if now is None else on_the_clock_of(now, zone)).astimezone(zone)
    return moment.replace(second=0, microsecond=0)


def _write_entry(site: Site, moment: datetime, title: str, categories: tuple[str, ...], summary: str,
                 body: str, draft: bool) -> Path:
    """Write under the first free name; the text is validated first, so it is known to build."""
    root = site.root
    folder = Path("items", f"{moment:%Y}", f"{moment:%m}")
    base = entry_slug(title, ascii=site.slugs == "ascii")
    for number in range(1, MOST_TRIES + 1):
        name = base if number == 1 else f"{base}-{number}"
        if (root / folder / f"{name}.yml").exists():
            continue
        relative = folder / f"{name}.yaml"
        text = entry_text(title, f"/{folder.relative_to('items').as_posix()}/{name}", moment, categories,
                          summary, body, draft)
        problems = entry_problems(text, relative.as_posix(), site)
        if problems:
            problem = problems[0]
            given = {"title": "the title", "categories": "a category"}.get(problem.field, problem.field or "the entry")
            raise ScaffoldError(f"cannot write this entry, as {given} would not validate: {problem.message}; "
                                f"{problem.hint}")
        (root / folder).mkdir(parents=True, exist_ok=True)
        try:
            _create(root / relative, text)
        except FileExistsError:
            continue
        return relative
    raise ScaffoldError(f"{root / folder} already has {MOST_TRIES:,} entries named {base}; choose another title")


def _read_site(root: Path) -> Site:
    """The site.yaml just written, read back the way a build reads it."""
    site = load_site(root)
    if not isinstance(site, Site):
        raise ScaffoldError(f"the new {SITE_FILE} does not validate: {site[0]}")
    return site


def entry_problems(text: str, shown: str, site: Site) -> list[Problem]:
    """What the site would say of this entry text (a title with a control character, say)."""
    doc = parse_document(text.encode("utf-8"), shown)
    if isinstance(doc, list):
        return doc
    result = validate_entry(doc, site)
    return result if isinstance(result, list) else []


def _create(path: Path, text: str) -> None:
    """Write a new file; FileExistsError rather than replacing one. A write that fails (a full
    disk) leaves no file behind: an empty entry would be an invalid one at every build."""
    stream = open(path, "x", encoding="utf-8", newline="\n")
    try:
        with stream:
            stream.write(text)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _extend_gitignore(path: Path) -> bool:
    """Add the lines for publish/ and .feeds/ that the file lacks; True if it changed."""
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    missing = [line for line in GITIGNORE_LINES if line not in existing.splitlines()]
    if not missing:
        return False
    header = "" if existing else "# feeds: the built feeds and the tool's own state\n"
    separator = "\n" if existing and not existing.endswith("\n") else ""
    with open(path, "a", encoding="utf-8", newline="\n") as stream:
        stream.write(separator + header + "\n".join(missing) + "\n")
    return True
