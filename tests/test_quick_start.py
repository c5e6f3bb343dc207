"""The README's Quick start works on a fresh Debian/Ubuntu (externally managed Python): two
commands, each making and using a venv, and CI runs exactly the second."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def quick_start_commands() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_the_quick_start_is_two_commands_that_each_make_and_use_a_venv():
    commands = quick_start_commands()
    assert len(commands) == 2
    for command in commands:
        assert command.startswith("python3 -m venv .venv && .venv/bin/pip install ")
        assert " pip install" not in command.replace(".venv/bin/pip install", "")  # never the system's pip
    assert commands[0].endswith(".venv/bin/feeds build")
    assert "'.[test]'" in commands[1] and commands[1].endswith(".venv/bin/python -m pytest -q")


def test_ci_runs_exactly_the_readmes_test_command():
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    runs = [line for line in script.splitlines() if line.startswith("python3 ")]
    assert runs == [quick_start_commands()[1]]


def test_the_package_admits_no_python_it_cannot_run_on():
    """Python 3.10 installed it, then the first command stopped with a traceback (re.error:
    possessive quantifiers, new in 3.11); its fromisoformat also reads no Z (2020-02-20T16:40Z),
    which the date reader leaves to it. pip now refuses such an interpreter, saying why."""
    import tomllib

    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["requires-python"] == ">=3.11"
