"""The `feeds` command under a locale that is not UTF-8 (an ISO-8859-1 server, a CI runner):
it writes and prints as under UTF-8, and its JSON report is the same UTF-8 bytes under any locale."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from .conftest import entry_yaml

LONG_CATEGORY = "[" + "x" * 150 + "]"  # its problem quotes it cut short, with an ellipsis Latin-1 lacks


@pytest.fixture(scope="module", params=["latin-1", "ascii"])
def non_utf8_locale(request, tmp_path_factory) -> dict[str, str]:
    """The environment of a command under the locale: en_US.ISO-8859-1, made with localedef
    where it can be; or C with Python's coercion to C.UTF-8 and its UTF-8 mode turned off."""
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    if request.param == "ascii":
        return {**base, "LC_ALL": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}
    folder = tmp_path_factory.mktemp("locale")
    if shutil.which("localedef") is None:
        pytest.skip("no localedef to make an ISO-8859-1 locale with")
    subprocess.run(["localedef", "-i", "en_US", "-f", "ISO-8859-1", str(folder / "en_US.ISO-8859-1")],
                   capture_output=True, timeout=60)
    environment = {**base, "LOCPATH": str(folder), "LC_ALL": "en_US.ISO-8859-1"}
    encoding = subprocess.run([sys.executable, "-c", "import sys; print(sys.getfilesystemencoding())"], env=environment,
                              capture_output=True, text=True, timeout=60).stdout.strip()
    if encoding != "iso8859-1":
        pytest.skip(f"localedef made no ISO-8859-1 locale here (the file system encoding is {encoding})")
    return environment


def feeds(environment: dict[str, str], *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "feeds", *args], env=environment, capture_output=True, timeout=120)


def test_a_category_folder_is_named_in_utf8_as_its_address_is(make_site, non_utf8_locale):
    root = make_site({"items/a.yaml": entry_yaml(categories="[Météo]")})
    run = feeds(non_utf8_locale, "build", str(root))
    assert run.returncode == 0, run.stderr
    assert "météo".encode() in os.listdir(bytes(root / "publish" / "categories"))
    assert 'href="/feeds/categories/m%C3%A9t%C3%A9o/rss.xml"' in (root / "publish" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("output_format", ["json", "github"])
def test_check_prints_a_problem_with_characters_the_locale_lacks(make_site, non_utf8_locale, output_format):
    root = make_site({"items/a.yaml": entry_yaml(categories=LONG_CATEGORY)})
    run = feeds(non_utf8_locale, "check", str(root), "--format", output_format)
    assert run.returncode == 1 and b"Traceback" not in run.stderr
    assert "x\u2026" in (json.loads(run.stdout)[0]["message"] if output_format == "json" else run.stdout.decode())


@pytest.mark.parametrize("stdout_encoding", ["ascii", "latin-1", "utf-8"])
def test_the_json_report_is_utf8_whatever_encoding_stdout_is_given(make_site, stdout_encoding):
    root = make_site({"items/a.yaml": entry_yaml(categories=LONG_CATEGORY)})
    run = feeds({"PATH": os.environ.get("PATH", ""), "PYTHONIOENCODING": stdout_encoding},
                "check", str(root), "--format", "json")
    assert run.returncode == 1 and b"Traceback" not in run.stderr
    assert "x\u2026".encode() in run.stdout
    assert json.loads(run.stdout.decode("utf-8"))[0]["message"].endswith("x\u2026\"")


def test_a_path_that_stdout_cannot_encode_is_printed_in_utf8(make_site):
    """`feeds new` prints the file it wrote, for scripts; under PYTHONIOENCODING=ascii a title
    in Arabic was a traceback, the file written and its path never told."""
    root = make_site({})
    run = feeds({"PATH": os.environ.get("PATH", ""), "PYTHONIOENCODING": "ascii"}, "new", str(root), "أخبار اليوم")
    assert run.returncode == 0 and b"Traceback" not in run.stderr
    assert run.stdout.decode("utf-8").strip().endswith("/أخبار-اليوم.yaml")


def test_a_status_line_under_a_non_utf8_locale_is_utf8(make_site, non_utf8_locale):
    root = make_site({"items/a.yaml": entry_yaml(title="Storm", categories=LONG_CATEGORY)})
    run = feeds(non_utf8_locale, "build", str(root))
    assert "x\u2026" in run.stderr.decode("utf-8")


def test_a_title_typed_in_the_locale_is_the_title_written(make_site, non_utf8_locale):
    """Run again in UTF-8 mode, the command reads its text arguments as the text typed (a
    title in the locale's bytes, read again as UTF-8, was lone surrogates, refused)."""
    root = make_site({})
    title = "Météo: orages"
    typed = title.encode("latin-1" if non_utf8_locale.get("LC_ALL") != "C" else "ascii", "replace")
    if b"?" in typed:
        pytest.skip("the C locale has no é to type")
    run = subprocess.run([sys.executable, "-m", "feeds", "new", os.fsencode(root), typed], env=non_utf8_locale,
                         capture_output=True, timeout=120)
    assert run.returncode == 0, run.stderr
    written = next((root / "items").rglob("*.yaml"))
    assert written.name.endswith("météo-orages.yaml")
    assert "title: 'Météo: orages'" in written.read_text(encoding="utf-8")
