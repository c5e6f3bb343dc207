"""Shared fixtures: small sites written into tmp_path, as an editor would write them."""

from __future__ import annotations

import shutil
import subprocess
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

SITE_YAML = """\
title: Test Wire
link: https://news.example.com/
description: Test stories from a test desk.
publish_url: https://news.example.com/feeds/
timezone: Europe/Istanbul
author: {name: Test Desk, email: desk@news.example.com}
"""

# The seed article as an entry: the story the tool exists for, with every optional field.
SEED = """\
title: Turkey and Russia war of words on the last rebel enclave
link: /news/turkey-russia-war-of-words-idlib
published: 2020-02-20 16:40
updated: 2020-02-20T19:05:00+03:00
author: {name: Middle East desk, email: mideast@news.example.com}
categories: [News, Middle East]
summary: Fighting near Saraqeb as talks stall; Çavuşoğlu says more meetings are due.
image: /img/2020/nairab.jpg
body: |
  Fighting broke out near **Saraqeb** on Thursday, [our earlier report](idlib-displacement) said.

  Foreign Minister Mevlüt Çavuşoğlu said talks would go on.
"""

SiteMaker = Callable[..., Path]


@pytest.fixture
def make_site(tmp_path: Path) -> SiteMaker:
    """make_site({"items/a.yaml": "title: ..."}, site_yaml=...) -> the site's folder."""

    def make(entries: dict[str, str] | None = None, site_yaml: str = SITE_YAML, name: str = "site") -> Path:
        root = tmp_path / name
        root.mkdir(parents=True, exist_ok=True)
        (root / "site.yaml").write_text(textwrap.dedent(site_yaml), encoding="utf-8")
        (root / "items").mkdir(exist_ok=True)
        for relative, text in (entries or {}).items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return root

    return make


def entry_yaml(title: str = "Storm closes ports", link: str = "/news/storm", published: str = "2020-02-20 16:40",
               **fields: str) -> str:
    """A valid entry; extra fields are written as given (values already YAML)."""
    lines = [f"title: {title}", f"link: {link}", f"published: {published}"]
    lines += [f"{key}: {value}" for key, value in fields.items()]
    if "summary" not in fields and "body" not in fields:
        lines.append("summary: A short summary.")
    return "\n".join(lines) + "\n"


def find_chromium() -> str | None:
    return next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)


@pytest.fixture(scope="module")
def browser() -> str:
    """Headless Chromium for the page tests; they skip where it is not installed."""
    found = find_chromium()
    if found is None:
        pytest.skip("no chromium on PATH: install it with apt-get install chromium (.ci/run does)")
    return found


def shell_words(command: str) -> list[str]:
    """The words a POSIX shell makes of a command a hint gives, as a user pasting it would run it."""
    listed = subprocess.run(["sh", "-c", f'set -- {command}\nprintf "%s\\0" "$@"'], capture_output=True, text=True,
                            check=True, timeout=30)
    return listed.stdout.split("\0")[:-1]
