"""Write a newsroom-sized site for the benchmark: N entries, the same bytes for the same seed.

The content follows a wire service's archive: one YAML file per article under
items/YYYY/MM/, a 250-400 character summary, a 2-5 KB Markdown body, one to three of
40 categories, text in several scripts. The files are written the ways editors and tools
write YAML, mixed: about a third as `yaml.safe_dump` writes them (long summaries wrapped
over several lines as plain scalars, indentless block lists, a `|` body), the rest by hand
with each field in one of its common forms (plain, 'single'- or "double"-quoted with
escapes, wrapped plain or a `>` folded block for the summary, flow lists or block lists at
zero or two spaces, comments), and one file in twenty with CRLF line ends. A tenth of the
titles, and of the summaries, open with a label and a colon ("Analysis: ...", "Minister: ..."),
which yaml.dump single-quotes (and wraps, when long); a quarter of the files open with a `---`
line, as yaml.dump(explicit_start=True) and front-matter habits write them. These two are
drawn from a second random stream; a labelled field takes other forms, and so other draws,
than it would have, so the articles after the first one differ from those earlier versions
wrote for the same seed. `--uniform` writes every file in the one shape earlier versions of
this benchmark used. Usage:

    python bench/generate.py /tmp/site-10k --entries 10000 [--seed 1] [--uniform] [--feed-kinds]
"""

from __future__ import annotations

import argparse
import random
import shutil
import textwrap
from datetime import datetime, timedelta
from pathlib import Path

import yaml

CATEGORIES = (
    "World", "Europe", "Middle East", "Africa", "Asia-Pacific", "Americas", "UK", "US Politics",
    "Business", "Markets", "Economy", "Energy", "Technology", "Science", "Health", "Climate",
    "Environment", "Education", "Culture", "Film", "Music", "Books", "Art & Design", "Sport",
    "Football", "Tennis", "Cricket", "Formula 1", "Olympics", "Travel", "Food", "Fashion",
    "Opinion", "Analysis", "Investigations", "Obituaries", "Weather", "Media", "Law", "Défense",
)
WORDS = (
    "the government said on Monday that talks would continue despite the storm of criticism from "
    "opposition leaders, markets, analysts and unions across the region while officials in the "
    "capital denied any change of policy and promised a full inquiry into the decision before the "
    "summer recess, with prices rising, exports falling and the central bank expected to act soon"
).split() + (
    "Çavuşoğlu İstanbul Köln Zürich Düsseldorf São Paulo Kraków Reykjavík Besançon Málaga "
    "Ελλάδα Αθήνα Москва Київ Санкт-Петербург القاهرة بيروت 東京 北京 서울 Hà Nội Łódź Ñuñoa "
    "naïve café résumé façade Grüße"
).split()
AUTHORS = ("World desk", "Business desk", "Science desk", "Sport desk", "Culture desk", "Ayşe Yılmaz",
           "Jürgen Müller", "Zoë Brontë", "Олена Коваль", "محمد علي")
START = datetime(2012, 1, 1)
SPAN_MINUTES = int((datetime(2026, 1, 1) - START).total_seconds() // 60)
BENCH_NOW = "2026-01-01 00:00"  # the --now the benchmark builds with; a few entries are due after it
SCHEDULED_SHARE = 0.002
EXPIRING_SHARE = 0.01
TOOL_SHARE = 0.35  # files written by yaml.safe_dump, as a CMS export or a script writes them
CRLF_SHARE = 0.05
LABELLED_SHARE = 0.1  # of titles, and of summaries, that open with "Label: "
DOCUMENT_START_SHARE = 0.25  # of files that open with a `---` line
TITLE_LABELS = ("Analysis", "Live", "Update", "Explainer", "Breaking", "Watch")
SUMMARY_LABELS = ("Minister", "Police", "Officials", "Analysts", "Update", "Witnesses")
WRAP = 78
# A plain scalar may not start with these, and may not read as a null, boolean or number.
_NOT_PLAIN_START = tuple("-?:,[]{}#&*!|>'\"%@` ")

SITE_YAML = """\
title: Benchmark Wire
link: https://news.example.com/
description: A generated newsroom archive for the feeds benchmark.
publish_url: https://news.example.com/feeds/
timezone: UTC
author: {name: Benchmark Wire, email: desk@news.example.com}
max_items: 50
"""
# --feed-kinds: three named feeds (one of summaries, one with its own max_items) and a feed
# per author (the ten AUTHORS, and the site's for the unsigned third of the entries).
FEED_KINDS_YAML = """\
author_feeds: true
feeds:
  - name: world
    categories: [World, Europe, Middle East, Africa, Asia-Pacific, Americas]
  - name: markets-digest
    categories: [Business, Markets, Economy]
    authors: [Business desk]
    content: summary
    max_items: 100
  - name: no-sport
    exclude_categories: [Sport, Football, Tennis, Cricket, Formula 1, Olympics]
"""


def sentence(rng: random.Random, low: int = 8, high: int = 22) -> str:
    words = rng.choices(WORDS, k=rng.randint(low, high))
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def text_of_length(rng: random.Random, low: int, high: int) -> str:
    """Whole sentences, cut at a word to land between `low` and `high` characters."""
    target = rng.randint(low, high)
    text = ""
    while len(text) < target:
        text = f"{text} {sentence(rng)}".strip()
    return text[:target].rsplit(" ", 1)[0].rstrip(",") + "."


def body(rng: random.Random, number: int) -> str:
    """2-5 KB of Markdown: paragraphs with emphasis and links, sometimes a list or an image."""
    target = rng.randint(2048, 5120)
    parts: list[str] = []
    size = 0
    while size < target:
        paragraph = " ".join(sentence(rng) for _ in range(rng.randint(3, 6)))
        roll = rng.random()
        if roll < 0.2:
            words = paragraph.split(" ")
            at = rng.randrange(1, len(words) - 1)
            words[at] = f"[{words[at]}](/news/related-{rng.randrange(number + 1)})"
            paragraph = " ".join(words)
        elif roll < 0.3:
            paragraph = "\n".join(f"- {sentence(rng, 4, 9)}" for _ in range(rng.randint(2, 4)))
        elif roll < 0.35:
            paragraph = f"![{sentence(rng, 3, 6)}](/img/{number}/{len(parts)}.jpg)"
        elif roll < 0.5:
            paragraph = paragraph.replace(" said ", " **said** ", 1)
        parts.append(paragraph)
        size += len(paragraph.encode("utf-8"))
    return "\n\n".join(parts)


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def article(rng: random.Random, number: int) -> dict[str, object]:
    """The fields of entry `number`, in the order an editor writes them."""
    published = START + timedelta(minutes=rng.randrange(SPAN_MINUTES))
    if rng.random() < SCHEDULED_SHARE:
        published += timedelta(days=365 * 14 + 30)  # due after the benchmark's --now
    slug = f"story-{number:06d}"
    fields: dict[str, object] = {"title": sentence(rng, 5, 11).rstrip("."), "link": f"/news/{published:%Y/%m}/{slug}",
                                 "published": f"{published:%Y-%m-%d %H:%M}"}
    if rng.random() < 0.3:
        fields["updated"] = f"{published + timedelta(minutes=rng.randint(5, 600)):%Y-%m-%dT%H:%M:00Z}"
    if rng.random() < 0.7:
        author = rng.choice(AUTHORS)
        fields["author"] = ({"name": author, "email": f"desk{rng.randrange(20)}@news.example.com"}
                            if rng.random() < 0.5 else author)
    fields["categories"] = rng.sample(CATEGORIES, rng.randint(1, 3))
    fields["summary"] = text_of_length(rng, 250, 400)
    if rng.random() < EXPIRING_SHARE:
        fields["expires"] = f"{published + timedelta(days=rng.randint(1, 60)):%Y-%m-%d}"
    if rng.random() < 0.4:
        fields["image"] = f"/img/{published:%Y/%m}/{slug}.jpg"
    fields["body"] = body(rng, number) + "\n"
    return fields


def entry(rng: random.Random, number: int, uniform: bool = False,
          shapes: random.Random | None = None) -> tuple[str, str]:
    """(relative path, YAML text) of entry `number`; `shapes` draws the labels and the `---`
    lines (by default `rng` does)."""
    fields = article(rng, number)
    link = str(fields["link"])
    relative = f"items/{link.removeprefix('/news/')}.yaml"
    if uniform:  # the same bytes as earlier versions wrote for the same seed
        return relative, uniform_yaml(fields)
    if rng.random() < 0.05:
        fields["title"] = f'{fields["title"]} "as it happened"'
    shapes = shapes or rng
    if shapes.random() < LABELLED_SHARE:
        fields["title"] = f'{shapes.choice(TITLE_LABELS)}: {fields["title"]}'
    if shapes.random() < LABELLED_SHARE:
        fields["summary"] = f'{shapes.choice(SUMMARY_LABELS)}: {fields["summary"]}'
    text = dumped_yaml(fields) if rng.random() < TOOL_SHARE else hand_written_yaml(rng, fields)
    if shapes.random() < DOCUMENT_START_SHARE:
        text = "---\n" + text
    if rng.random() < CRLF_SHARE:
        text = text.replace("\n", "\r\n")
    return relative, text


def uniform_yaml(fields: dict[str, object]) -> str:
    """The one shape of earlier versions: quoted one-line text, flow lists, a `|` body."""
    lines = []
    for key, value in fields.items():
        if key in ("title", "summary"):
            lines.append(f"{key}: {quoted(str(value))}")
        elif key == "categories":
            lines.append("categories: [" + ", ".join(quoted(name) for name in value) + "]")  # type: ignore[attr-defined]
        elif isinstance(value, dict):
            lines.append(f"author: {{name: {value['name']}, email: {value['email']}}}")
        elif key == "body":
            lines.append("body: |")
            lines.extend(f"  {line}" if line else "" for line in str(value).rstrip("\n").split("\n"))
        else:
            lines.append(f"{key}: {value}")
    return "\n".join(lines) + "\n"


class _ToolDumper(yaml.SafeDumper):
    """yaml.safe_dump as export scripts configure it: text with line breaks as `|` blocks."""


_ToolDumper.add_representer(str, lambda dumper, text: dumper.represent_scalar(
    "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None))


def dumped_yaml(fields: dict[str, object]) -> str:
    return yaml.dump(fields, Dumper=_ToolDumper, allow_unicode=True, sort_keys=False)


def can_be_plain(text: str) -> bool:
    return not (text.startswith(_NOT_PLAIN_START) or ": " in text or " #" in text or text.endswith((":", " "))
                or text.lower() in ("null", "true", "false", "yes", "no", "on", "off", "~")
                or text[0].isdigit())


def hand_written_yaml(rng: random.Random, fields: dict[str, object]) -> str:
    """Each field in one of the forms people write it in, picked at random."""
    lines = ["# Filed by the " + str(rng.choice(AUTHORS))] if rng.random() < 0.15 else []
    for key, value in fields.items():
        if key == "title":
            lines.append(f"title: {scalar(rng, str(value))}")
        elif key == "summary":
            lines.extend(summary_lines(rng, str(value)))
        elif key == "categories":
            names = list(value)  # type: ignore[call-overload]
            roll = rng.random()
            if roll < 0.35:
                lines.append("categories: [" + ", ".join(scalar(rng, name, flow=True) for name in names) + "]")
            else:
                indent = "  " if roll < 0.7 else ""
                lines.append("categories:")
                lines.extend(f"{indent}- {scalar(rng, name)}" for name in names)
        elif isinstance(value, dict):
            if rng.random() < 0.5:
                lines.append(f"author: {{name: {value['name']}, email: {value['email']}}}")
            else:
                lines.extend(["author:", f"  name: {scalar(rng, value['name'])}", f"  email: {value['email']}"])
        elif key == "body":
            lines.append("body: |" if rng.random() < 0.8 else "body: |-")
            lines.extend(f"  {line}" if line else "" for line in str(value).rstrip("\n").split("\n"))
        else:
            comment = "  # UTC" if key == "published" and rng.random() < 0.1 else ""
            lines.append(f"{key}: {value}{comment}")
    return "\n".join(lines) + "\n"


def scalar(rng: random.Random, text: str, flow: bool = False) -> str:
    """Plain where it can be, else (and sometimes anyway) quoted, single or double."""
    roll = rng.random()
    if roll < 0.4 and can_be_plain(text) and not (flow and any(char in text for char in ",[]{}")):
        return text
    if roll < 0.7 and "\\" not in text:
        return "'" + text.replace("'", "''") + "'"
    return quoted(text)


def summary_lines(rng: random.Random, text: str) -> list[str]:
    """One line, plain or quoted; plain wrapped over lines; a `>` folded block; quoted and wrapped."""
    roll = rng.random()
    wrapped = textwrap.wrap(text, WRAP, break_long_words=False, break_on_hyphens=False)
    if roll < 0.3 and can_be_plain(text):
        return [f"summary: {wrapped[0]}", *(f"  {line}" for line in wrapped[1:])]
    if roll < 0.55:
        return ["summary: >" if rng.random() < 0.7 else "summary: >-", *(f"  {line}" for line in wrapped)]
    if roll < 0.65:
        lines = textwrap.wrap(quoted(text), WRAP, break_long_words=False, break_on_hyphens=False)
        return [f"summary: {lines[0]}", *(f"  {line}" for line in lines[1:])]
    if roll < 0.8 and can_be_plain(text):
        return [f"summary: {text}"]
    return [f"summary: {scalar(rng, text)}"]


def generate(root: Path, entries: int, seed: int, uniform: bool = False, feed_kinds: bool = False) -> None:
    if root.exists():
        shutil.rmtree(root)
    (root / "items").mkdir(parents=True)
    (root / "site.yaml").write_text(SITE_YAML + (FEED_KINDS_YAML if feed_kinds else ""), encoding="utf-8")
    rng, shapes = random.Random(seed), random.Random(f"shapes {seed}")
    for number in range(entries):
        relative, text = entry(rng, number, uniform, shapes)
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path, help="folder to write (replaced if it exists)")
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--uniform", action="store_true", help="every file in one shape (quoted one-line text, flow lists)")
    parser.add_argument("--feed-kinds", action="store_true",
                        help="site.yaml with three named feeds and author feeds (the entries are the same)")
    args = parser.parse_args()
    generate(args.site, args.entries, args.seed, args.uniform, args.feed_kinds)


if __name__ == "__main__":
    main()
