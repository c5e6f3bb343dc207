"""Write a newsroom-sized site for the benchmark: N entries, the same bytes for the same seed.

The shape follows a wire service's archive: one YAML file per article under
items/YYYY/MM/, a 250-400 character summary, a 2-5 KB Markdown body, one to three of
40 categories, text in several scripts. Usage:

    python bench/generate.py /tmp/site-10k --entries 10000 [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import shutil
from datetime import datetime, timedelta
from pathlib import Path

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

SITE_YAML = """\
title: Benchmark Wire
link: https://news.example.com/
description: A generated newsroom archive for the feeds benchmark.
publish_url: https://news.example.com/feeds/
timezone: UTC
author: {name: Benchmark Wire, email: desk@news.example.com}
max_items: 50
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


def entry(rng: random.Random, number: int) -> tuple[str, str]:
    """(relative path, YAML text) of entry `number`."""
    published = START + timedelta(minutes=rng.randrange(SPAN_MINUTES))
    if rng.random() < SCHEDULED_SHARE:
        published += timedelta(days=365 * 14 + 30)  # due after the benchmark's --now
    title = sentence(rng, 5, 11).rstrip(".")
    slug = f"story-{number:06d}"
    lines = [f"title: {quoted(title)}", f"link: /news/{published:%Y/%m}/{slug}",
             f"published: {published:%Y-%m-%d %H:%M}"]
    if rng.random() < 0.3:
        lines.append(f"updated: {published + timedelta(minutes=rng.randint(5, 600)):%Y-%m-%dT%H:%M:00Z}")
    if rng.random() < 0.7:
        author = rng.choice(AUTHORS)
        lines.append(f"author: {{name: {author}, email: desk{rng.randrange(20)}@news.example.com}}"
                     if rng.random() < 0.5 else f"author: {author}")
    categories = rng.sample(CATEGORIES, rng.randint(1, 3))
    lines.append("categories: [" + ", ".join(quoted(name) for name in categories) + "]")
    lines.append(f"summary: {quoted(text_of_length(rng, 250, 400))}")
    if rng.random() < EXPIRING_SHARE:
        lines.append(f"expires: {published + timedelta(days=rng.randint(1, 60)):%Y-%m-%d}")
    if rng.random() < 0.4:
        lines.append(f"image: /img/{published:%Y/%m}/{slug}.jpg")
    lines.append("body: |")
    lines.extend(f"  {line}" if line else "" for line in body(rng, number).split("\n"))
    return f"items/{published:%Y/%m}/{slug}.yaml", "\n".join(lines) + "\n"


def generate(root: Path, entries: int, seed: int) -> None:
    if root.exists():
        shutil.rmtree(root)
    (root / "items").mkdir(parents=True)
    (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    rng = random.Random(seed)
    for number in range(entries):
        relative, text = entry(rng, number)
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path, help="folder to write (replaced if it exists)")
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.site, args.entries, args.seed)


if __name__ == "__main__":
    main()
