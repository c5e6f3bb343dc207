"""The progress bar: drawn on a terminal once a build has taken a second, never elsewhere."""

from __future__ import annotations

import io

from feeds.cli import main
from feeds.progress import ProgressBar, progress_bar, progress_line

from .conftest import entry_yaml


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_progress_line_shows_stage_bar_and_counts():
    assert progress_line("rendering", 120, 320) == "rendering [###########-------------------] 120/320"


def test_progress_line_pads_the_count_to_the_totals_width():
    assert progress_line("parsing", 250, 12000) == "parsing   [------------------------------]    250/12,000"


def test_bar_on_a_terminal_draws_after_one_second_and_clears_at_the_end():
    stream, clock = FakeTerminal(), FakeClock()
    with progress_bar(stream, clock=clock) as progress:
        progress("parsing", 250, 1000)
        clock.now += 1.5
        progress("parsing", 1000, 1000)
        progress("writing", 0, 4)
    parsing = "parsing   [##############################] 1,000/1,000"
    writing = "writing   [------------------------------] 0/4"
    assert stream.getvalue() == ("\r" + parsing + "\r" + writing.ljust(len(parsing))
                                 + "\r" + " " * len(writing) + "\r")


def test_bar_on_a_terminal_draws_nothing_for_a_build_under_one_second():
    stream, clock = FakeTerminal(), FakeClock()
    with progress_bar(stream, clock=clock) as progress:
        progress("parsing", 1000, 1000)
        clock.now += 0.9
        progress("writing", 4, 4)
    assert stream.getvalue() == ""


def test_bar_draws_nothing_when_the_stream_is_not_a_terminal():
    stream, clock = io.StringIO(), FakeClock()
    with progress_bar(stream, clock=clock) as progress:
        clock.now += 5
        progress("parsing", 1000, 1000)
    assert stream.getvalue() == ""


def test_bar_draws_nothing_when_disabled_by_quiet():
    stream, clock = FakeTerminal(), FakeClock()
    with progress_bar(stream, enabled=False, clock=clock) as progress:
        clock.now += 5
        progress("parsing", 1000, 1000)
    assert stream.getvalue() == ""


def test_bar_does_not_redraw_an_unchanged_line():
    stream, clock = FakeTerminal(), FakeClock()
    bar = ProgressBar(stream, delay=0, clock=clock, columns=80)
    bar("rendering", 1, 100)
    bar("rendering", 1, 100)
    assert stream.getvalue() == "\rrendering [------------------------------]   1/100"


def test_bar_is_cut_to_the_terminal_width():
    stream = FakeTerminal()
    bar = ProgressBar(stream, delay=0, clock=FakeClock(), columns=20)
    bar("rendering", 1, 100)
    assert stream.getvalue() == "\rrendering [--------"


def test_bar_clears_its_line_when_the_build_raises():
    stream, clock = FakeTerminal(), FakeClock()
    try:
        with progress_bar(stream, delay=0, clock=clock) as progress:
            progress("writing", 0, 4)
            raise OSError("disk full")
    except OSError:
        pass
    assert stream.getvalue().endswith("\r" + " " * len("writing   [------------------------------] 0/4") + "\r")


def test_build_command_on_a_terminal_draws_then_clears_before_its_summary(make_site, monkeypatch):
    root = make_site({"items/a.yaml": entry_yaml()})
    terminal = FakeTerminal()
    monkeypatch.setattr("sys.stderr", terminal)
    monkeypatch.setattr("feeds.progress.DELAY_SECONDS", 0)
    assert main(["build", str(root), "--now", "2026-01-01 00:00"]) == 0
    drawn, summary = terminal.getvalue().rsplit("\r", 1)
    assert "\rparsing   [##############################] 1/1" in drawn
    assert "\rwriting   [##############################] 4/4" in drawn
    assert summary.startswith("4 files written, 0 unchanged")


def test_build_command_with_quiet_draws_nothing_on_a_terminal(make_site, monkeypatch):
    root = make_site({"items/a.yaml": entry_yaml()})
    terminal = FakeTerminal()
    monkeypatch.setattr("sys.stderr", terminal)
    monkeypatch.setattr("feeds.progress.DELAY_SECONDS", 0)
    assert main(["build", str(root), "--quiet", "--now", "2026-01-01 00:00"]) == 0
    assert terminal.getvalue() == ""


def test_check_command_draws_nothing_when_stderr_is_not_a_terminal(make_site, monkeypatch, capsys):
    root = make_site({"items/a.yaml": entry_yaml()})
    monkeypatch.setattr("feeds.progress.DELAY_SECONDS", 0)
    assert main(["check", str(root)]) == 0
    assert capsys.readouterr().err == "1 entry checked, no problems\n"
