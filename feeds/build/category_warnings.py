"""Warnings of the categories site.yaml names that no entry has, but for a typo: one an
entry has is a letter or two away (`categories: [Markts]` for Markets leaves a named feed
empty for good, `exclude_categories: [Sprot]` lets Sport in, `Buisness:` sets up no feed).
A name far from every entry's is taken for a category with no story yet, and left alone:
a desk sets up its feeds and titles ahead of the stories, and a warning at every build of
each would bury the typos. Two real names a letter apart (Iran, Iraq) are still told apart
only by a story: until Iran has one, its feed's name is taken for a typo of Iraq's.
And warnings of the categories entries spell with letters that only look like another's
(أخبار, اخبار), two feeds where one was meant, and of two names one folder holds (C, C++),
one feed where two were meant. The authors a named feed lists are looked at by the same
rule (`authors: [Ana Lma]` left Ana Lima's stories out). Made by every check (from every
valid entry) and every build that selects (from the names its selection counts), as the
clock's are."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from itertools import combinations

from ..characters import look_alike_key
from ..load import RawDocument, read_document
from ..model import SITE_FILE, Entry, Mention, Site
from ..problems import Problem, quote
from ..slugs import ascii_slug, category_folder, same_name, slugify
from ..yaml_node import scalar_text

LONG_NAME = 8  # a slug this long may be two letters off and still a typo; a shorter one, one
SHORT_NAME = 4  # shorter, a letter off is another name (US, UK): none is guessed


def category_warnings(site: Site, used: Iterable[str]) -> list[Problem]:
    """A warning for each category site.yaml names whose slug or folder (as the feeds match
    them) no name in `used`, the entries' categories, has, but one nearly has."""
    if not site.category_mentions:
        return []
    key = ascii_slug if site.slugs == "ascii" else slugify
    folder = partial(category_folder, site)
    names: dict[str, str] = {}
    for name in sorted(set(used)):
        names.setdefault(key(name), name)
        names.setdefault(folder(name), folder(name))  # a folder site.yaml gives (slug: sports) names it too
    unused = [mention for mention in site.category_mentions
              if key(mention.name) not in names and folder(mention.name) not in names]
    return _typos(unused, names, key, "category")


def author_warnings(site: Site, used: Iterable[str]) -> list[Problem]:
    """A warning for each author a named feed lists whose slug (as the feeds match them) no
    name in `used`, the entries' own bylines, has, but one nearly has: `authors: [Ana Lma]`
    left Ana Lima's stories out of the feed, with no word. The site's `author` is every
    unsigned story's, so it is a name in use."""
    if not site.author_mentions:
        return []
    key = ascii_slug if site.slugs == "ascii" else slugify
    names: dict[str, str] = {}
    for name in sorted({*used, *(author.name for author in site.authors)}):
        names.setdefault(key(name), name)
    return _typos([mention for mention in site.author_mentions if key(mention.name) not in names], names, key, "author")


def _typos(unused: list[Mention], names: Mapping[str, str], key: Callable[[str], str], kind: str) -> list[Problem]:
    """The warnings of the `unused` mentions that a name in use (`names`, by key) is a letter
    or two from: a name far from every one is taken for one with no story yet."""
    if not unused:
        return []
    near = _near_index(names)
    warnings = []
    for mention in unused:
        slug = key(mention.name)
        candidates = {found for variant in _deletions(slug) for found in near.get(variant, ())
                      if _same_digits(slug, found) and _first_letter(found) == _first_letter(slug)}
        if candidates:
            meant = max(sorted(candidates), key=lambda found: difflib.SequenceMatcher(None, slug, found).ratio())
            warnings.append(Problem(SITE_FILE, mention.line, mention.column, mention.field, f"unused-{kind}",
                                    f"no entry has the {kind} {quote(mention.name)}",
                                    f"did you mean {quote(names[meant])}?", "warning"))
    return warnings


def _near_index(slugs: Iterable[str]) -> dict[str, list[str]]:
    """Each slug under every string a letter or two fewer makes of it: two slugs an edit
    apart (a letter added, dropped, changed or two swapped) share one (a symmetric-delete
    index: thousands of categories are looked up at once, not compared two by two)."""
    index: dict[str, list[str]] = {}
    for slug in slugs:
        for variant in _deletions(slug):
            index.setdefault(variant, []).append(slug)
    return index


def _deletions(slug: str) -> set[str]:
    most = 2 if len(slug) >= LONG_NAME else 1 if len(slug) >= SHORT_NAME else 0
    return {"".join(char for place, char in enumerate(slug) if place not in dropped)
            for count in range(most + 1) for dropped in combinations(range(len(slug)), count)}


def _first_letter(slug: str) -> str:
    """What a typo keeps (Wealth is no typo of Health): the first letter, without its marks.
    Arabic writes alef with a hamza or without (أخبار, اخبار), and many a capital loses its
    accent (Économie, Economie): taken for other letters, neither typo was warned of."""
    return unicodedata.normalize("NFD", slug[:1])[:1]


def _same_digits(first: str, second: str) -> bool:
    """Election 2024 is not a typo of Election 2020: names whose numbers differ are two."""
    return re.sub(r"\D", "", first) == re.sub(r"\D", "", second)


def spelling_warnings(site: Site, counts: Mapping[str, int], file_with: Callable[[str], str]) -> list[Problem]:
    """The warnings of categories the entries spell apart where readers meet them as one, or
    as two where one was meant: look-alike letters, and names that share a folder. Looked at
    once over the distinct names (`counts`: entries a name), and files looked for (`file_with`)
    only where a warning is given."""
    folders: dict[str, list[str]] = {}
    for name in sorted(counts):
        folders.setdefault(category_folder(site, name), []).append(name)
    return [*_look_alike_warnings(site, folders, counts, file_with), *_shared_feed_warnings(site, folders, counts, file_with)]


def _look_alike_warnings(site: Site, folders: Mapping[str, list[str]], counts: Mapping[str, int],
                         file_with: Callable[[str], str]) -> list[Problem]:
    """A warning for each category the entries spell with letters that only look like
    another's (أخبار and اخبار, على and علي, کرة and كرة): two feeds, each with part of the
    stories, and a named feed listing one left out the other's. Each feed but the one most
    entries are in is told, at a file with its name, naming one with the other."""
    alike: dict[str, dict[str, list[str]]] = {}  # look-alike key -> folder -> its names
    for folder, names in folders.items():
        alike.setdefault(look_alike_key(folder), {})[folder] = names
    warnings = []
    for near in (near for near in alike.values() if len(near) > 1):
        entries = {folder: sum(counts[name] for name in names) for folder, names in near.items()}
        meant = max(sorted(near), key=entries.__getitem__)
        warnings += [_look_alike(site, (folder, names[0]), (meant, near[meant][0]), file_with)
                     for folder, names in sorted(near.items()) if folder != meant]
    return warnings


def _shared_feed_warnings(site: Site, folders: Mapping[str, list[str]], counts: Mapping[str, int],
                          file_with: Callable[[str], str]) -> list[Problem]:
    """A warning for each category that shares its folder with another of the entries' that
    is not a spelling of it: `C++` in one story and `C` in another were one feed, categories/c/,
    its readers given the stories of both, and nothing said (one entry naming both was told).
    Each name but the one most entries have is told, at a file with it."""
    warnings = []
    for folder, names in folders.items():
        spellings = _spellings(names)
        if len(spellings) > 1:
            meant = max(spellings, key=lambda spelt: sum(counts[name] for name in spelt))
            warnings += [_shares_feed(site, folder, spelt[0], meant[0], file_with)
                         for spelt in spellings if spelt is not meant]
    return warnings


def _spellings(names: list[str]) -> list[list[str]]:
    """The names grouped by the name they spell (News and news, one; C and C++, two)."""
    grouped: list[list[str]] = []
    for name in names:
        spelt = next((spelt for spelt in grouped if same_name(spelt[0], name)), None)
        if spelt is None:
            grouped.append([name])
        else:
            spelt.append(name)
    return grouped


def _shares_feed(site: Site, folder: str, written: str, meant: str, file_with: Callable[[str], str]) -> Problem:
    """The warning of the category `written` whose folder is that of `meant`, another name."""
    path = file_with(written)
    return Problem(path, *_category_position(site, path, written), "categories", "category-shares-feed",
                   f"{quote(written)} shares the feed categories/{folder}/ with {quote(meant)} ({file_with(meant)}), "
                   "so its readers get the stories of both",
                   "names that differ only in case or punctuation are one category; if these are two, name one in "
                   "other letters or words", "warning")


def _look_alike(site: Site, written: tuple[str, str], meant: tuple[str, str],
                file_with: Callable[[str], str]) -> Problem:
    """The warning of a category (folder, name) `written` where `meant` looks the same."""
    two = (f"two feeds, categories/{written[0]}/ and categories/{meant[0]}/" if site.category_feeds
           else "two categories, which a named feed matches apart")
    path = file_with(written[1])
    return Problem(path, *_category_position(site, path, written[1]), "categories", "look-alike-category",
                   f"{quote(written[1])} and {quote(meant[1])} ({file_with(meant[1])}) differ only in letters that "
                   f"look alike, and are {two}", f"did you mean {quote(meant[1])}?", "warning")


def _category_position(site: Site, path: str, name: str) -> tuple[int, int]:
    """Where the file lists the category: read again for it, as few warnings are given (the
    warning pointed at 1:1, and a story with a dozen categories left the reader to look). A
    file changed since, to no longer list it, is pointed at 1:1."""
    document = read_document(site.root / path, path)
    fields = document.root.value if isinstance(document, RawDocument) else None
    listed = fields.get("categories") if isinstance(fields, dict) else None
    if listed is None:
        return 1, 1
    items = listed.value if isinstance(listed.value, list) else [listed]
    return next(((item.line, item.column) for item in items if scalar_text(item) == name), (1, 1))


def first_with(entries: Iterable[Entry], name: str) -> str:
    """The first file (by path) of an entry in category `name`."""
    return min(entry.source for entry in entries if name in entry.categories)
