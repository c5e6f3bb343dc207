"""The benchmark's site converted for Hugo, and Hugo's build timed on it, for comparison.

    python bench/hugo.py /tmp/feeds-bench-10000 [--repeat 3]     # or: bench/run.py --hugo

The same articles (read with PyYAML from the entry files): one Markdown file per article
in content/news/ with YAML front matter (title, date, lastmod, categories, summary,
author), and a config that makes what `feeds` makes: an RSS and an Atom feed of the site
and of every category (a taxonomy), 50 items each, each item with its full body as HTML.
Pages (and the list of categories) render to nothing. Builds: cold (no public/ or resources/ folder) and
with no change (Hugo has no cache between runs: it builds everything again), each the
median of `--repeat`, with the peak RSS of the process.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

ITEMS = 50
CONFIG = f"""\
baseURL = "https://news.example.com/feeds/"
title = "Benchmark Wire"
languageCode = "en"
disableKinds = ["section", "sitemap", "robotsTXT", "404"]
timeZone = "UTC"

[taxonomies]
category = "categories"

[services.rss]
limit = {ITEMS}

[mediaTypes."application/atom+xml"]
suffixes = ["xml"]

[outputFormats.Atom]
mediaType = "application/atom+xml"
baseName = "atom"
isPlainText = false
rel = "alternate"

[outputs]
home = ["RSS", "Atom"]
term = ["RSS", "Atom"]
page = ["HTML"]
taxonomy = ["HTML"]
"""
RSS = """\
{{ printf "<?xml version=\\"1.0\\" encoding=\\"utf-8\\"?>" | safeHTML }}
<rss version="2.0"><channel>
<title>{{ .Site.Title }}{{ if not .IsHome }} - {{ .Title }}{{ end }}</title>
<link>{{ .Permalink }}</link><description>{{ .Site.Title }}</description>
{{ $pages := .Pages }}{{ if .IsHome }}{{ $pages = .Site.RegularPages }}{{ end }}
{{ range first {items} $pages.ByDate.Reverse }}<item>
<title>{{ .Title }}</title><link>{{ .Params.link }}</link><guid>{{ .Params.link }}</guid>
<pubDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" | safeHTML }}</pubDate>
{{ range .Params.categories }}<category>{{ . }}</category>{{ end }}
<description>{{ .Params.summary }}</description>
<content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/">{{ .Content | html }}</content:encoded>
</item>{{ end }}
</channel></rss>
""".replace("{items}", str(ITEMS))
ATOM = """\
{{ printf "<?xml version=\\"1.0\\" encoding=\\"utf-8\\"?>" | safeHTML }}
<feed xmlns="http://www.w3.org/2005/Atom">
<title>{{ .Site.Title }}{{ if not .IsHome }} - {{ .Title }}{{ end }}</title>
<id>{{ .Permalink }}</id><updated>{{ now.Format "2006-01-02T15:04:05Z07:00" }}</updated>
<author><name>{{ .Site.Title }}</name></author>
{{ $pages := .Pages }}{{ if .IsHome }}{{ $pages = .Site.RegularPages }}{{ end }}
{{ range first {items} $pages.ByDate.Reverse }}<entry>
<title>{{ .Title }}</title><link href="{{ .Params.link }}"/><id>{{ .Params.link }}</id>
<published>{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}</published>
<updated>{{ .Lastmod.Format "2006-01-02T15:04:05Z07:00" }}</updated>
{{ range .Params.categories }}<category term="{{ . }}"/>{{ end }}
<summary>{{ .Params.summary }}</summary>
<content type="html">{{ .Content | html }}</content>
</entry>{{ end }}
</feed>
""".replace("{items}", str(ITEMS))


def convert(site: Path, hugo_site: Path) -> int:
    """Write the Hugo site for the entries of `site`; returns how many articles."""
    if hugo_site.exists():
        shutil.rmtree(hugo_site)
    content = hugo_site / "content" / "news"
    content.mkdir(parents=True)
    layouts = hugo_site / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (hugo_site / "config.toml").write_text(CONFIG, encoding="utf-8")
    (layouts / "list.rss.xml").write_text(RSS, encoding="utf-8")
    (layouts / "list.atom.xml").write_text(ATOM, encoding="utf-8")
    (layouts / "single.html").write_text("", encoding="utf-8")
    (layouts / "list.html").write_text("", encoding="utf-8")
    count = 0
    for path in sorted((site / "items").rglob("*.yaml")):
        fields = yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
        if fields.get("draft"):
            continue
        body = fields.pop("body", "")
        author = fields.get("author")
        front = {"title": fields["title"], "date": str(fields["published"]).replace(" ", "T") + ":00Z"
                 if len(str(fields["published"])) == 16 else str(fields["published"]),
                 "categories": fields.get("categories", []), "summary": " ".join(str(fields["summary"]).split()),
                 "link": "https://news.example.com" + fields["link"]}
        if fields.get("updated"):
            front["lastmod"] = str(fields["updated"])
        if author:
            front["author"] = author["name"] if isinstance(author, dict) else author
        if fields.get("expires"):
            front["expiryDate"] = str(fields["expires"])
        text = "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n" + body
        (content / f"{path.stem}.md").write_text(text, encoding="utf-8")
        count += 1
    return count


def hugo_build(hugo_site: Path) -> tuple[float, int]:
    """Seconds and peak RSS (KB) of one `hugo` run."""
    started = time.perf_counter()
    process = subprocess.Popen(["hugo", "--quiet", "--source", str(hugo_site)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    stderr = process.stderr.read() if process.stderr else ""
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"hugo failed:\n{stderr}")
    return seconds, usage.ru_maxrss


def cold(hugo_site: Path) -> tuple[float, int]:
    for folder in ("public", "resources"):
        shutil.rmtree(hugo_site / folder, ignore_errors=True)
    return hugo_build(hugo_site)


def measure(site: Path, repeat: int = 3) -> dict[str, tuple[float, int]]:
    """Hugo's cold and no-change builds of `site` converted: (median seconds, its peak RSS KB)."""
    hugo_site = site.with_name(site.name + "-hugo")
    convert(site, hugo_site)

    def median(runs: list[tuple[float, int]]) -> tuple[float, int]:
        return sorted(runs)[(len(runs) - 1) // 2]

    return {"cold": median([cold(hugo_site) for _ in range(repeat)]),
            "no change": median([hugo_build(hugo_site) for _ in range(repeat)])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path, help="a site written by bench/generate.py")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not shutil.which("hugo"):
        sys.exit("hugo is not installed (apt-get install hugo)")
    for name, (seconds, rss_kb) in measure(args.site, args.repeat).items():
        print(f"  hugo {name:<20} {seconds:7.3f} s, peak RSS {rss_kb / 1024:6.1f} MB")


if __name__ == "__main__":
    main()
