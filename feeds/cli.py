"""The command line: parse arguments, call the library, let Report say what happened."""

from __future__ import annotations

import argparse
import gc
import os
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from datetime import timezone
from functools import partial
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from ._version import __version__
from .build import check_site, load_site
from .cli_build import parse_now, run_build, run_watch, with_warnings
from .exit_codes import EXIT_INTERRUPTED, EXIT_USAGE, EXIT_WRITE_FAILED, INTERRUPTED
from .model import Site
from .problems import file_in_the_way, fix_for, one_line, shell_path, shell_word
from .progress import progress_bar
from .report import OutputError, Report, plural, site_path_prefix
from .site_file import SITE_FILE, folder_for, no_site_in

T = TypeVar("T")

MAIN_EPILOG = """\
examples:
  feeds init newsroom                  a new site that builds at once
  cd newsroom && feeds new "Storm closes Black Sea ports" --category News
  feeds check                          list every problem; exit 1 if there is one
  feeds build                          write the feeds into publish/

exit status: 0 done; 1 an invalid site or entry (the valid entries are still published,
unless --strict or on_invalid: stop); 2 wrong usage (for serve, also a port in use);
3 the output could not be written; 130 interrupted (Ctrl-C). 'feeds COMMAND --help' tells a
command's options."""


class _Parser(argparse.ArgumentParser):
    """Every command's help keeps its examples' lines as written."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        """Wrong usage: exit 2 with the usage line, as every Unix tool does."""
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"feeds: error: {one_line(message)}\n")


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="feeds", description="Publish RSS, Atom and JSON feeds from YAML news entries.",
                     epilog=MAIN_EPILOG)
    parser.add_argument("--version", action="version", version=f"feeds {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    build = commands.add_parser(
        "build", help="validate every entry, then write the feeds",
        description="Validate every entry, then write the feeds into the publish directory.",
        epilog="example: feeds build mysite --out /tmp/preview --now '2027-03-01 09:00'   the feeds at that time, "
               "built into a scratch folder")
    _build_arguments(build, quiet="print errors only (for cron)",
                     lock_timeout="how long to wait for another build of the same site (default 60)")
    build.add_argument("--now", metavar="WHEN", help="build as if it were WHEN (any date feeds accepts)")
    build.add_argument("--strict", action="store_true",
                       help="any invalid entry stops the build: nothing is written (as on_invalid: stop; for CI)")
    build.add_argument("--dry-run", action="store_true",
                       help="validate and print which files would be written and which items each changed feed "
                            "gains or loses; write nothing, contact no target or hub")
    build.set_defaults(run=run_build)

    check = commands.add_parser(
        "check", help="validate only; writes nothing",
        description="Validate site.yaml and every entry; write nothing.",
        epilog="example: feeds check --format github")
    _site_argument(check)
    check.add_argument("--format", choices=("text", "json", "github"), default="text",
                       help="text on stderr (default), a JSON list on stdout, or GitHub annotations")
    check.set_defaults(run=run_check)
    add_scaffold_commands(commands)
    add_preview_commands(commands)
    helping = commands.add_parser("help", help="show this help, or a command's: feeds help build",
                                  description="Show feeds' help, or one command's (as feeds COMMAND --help).")
    helping.add_argument("topic", metavar="COMMAND", nargs="?", choices=[name for name in commands.choices if name != "help"],
                         help="the command to show the help of")
    helping.set_defaults(run=partial(run_help, parser, commands.choices))
    return parser


def run_help(parser: argparse.ArgumentParser, commands: Mapping[str, argparse.ArgumentParser],
             args: argparse.Namespace) -> int:
    """`feeds help` is what people type first: the help on stdout, as --help writes it."""
    (commands[args.topic] if args.topic else parser).print_help()
    return 0


def _seconds(text: str) -> float:
    """A wait, in seconds: a number from 0 up (argparse says "invalid _seconds value" otherwise)."""
    seconds = float(text)
    if not 0 <= seconds < float("inf"):  # NaN fails this too
        raise ValueError(text)
    return seconds


_seconds.__name__ = "number of seconds"  # argparse names the type in its message


def _build_arguments(parser: argparse.ArgumentParser, *, quiet: str, lock_timeout: str) -> None:
    """What build and watch share: the site, where to publish, how much to say, the lock, the delivery."""
    _site_argument(parser)
    parser.add_argument("--out", metavar="DIR", type=Path, help="publish here instead of publish_dir from site.yaml")
    saying = parser.add_mutually_exclusive_group()  # both at once would say one of them silently
    saying.add_argument("--quiet", "-q", action="store_true", help=quiet)
    saying.add_argument("--verbose", "-v", action="store_true", help="list every file written")
    parser.add_argument("--lock-timeout", type=_seconds, default=60.0, metavar="SECONDS", help=lock_timeout)
    parser.add_argument("--to", metavar="URL", type=_target,
                        help="also mirror the publish directory to s3://BUCKET/PREFIX (overrides publish_to)")
    parser.add_argument("--no-notify", dest="notify", action="store_false",
                        help="notify no WebSub hub; the notifications stay pending for the next build")


def _target(text: str) -> str:
    from .problems import without_credentials
    from .remote import TargetError, parse_target

    try:
        return str(parse_target(text))
    except TargetError as error:
        raise argparse.ArgumentTypeError(f"{error}, found {without_credentials(text)!r}") from None


def _site_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("site", nargs="?", default=".", metavar="SITE",
                        help="the site's folder (default: the current directory)")


def not_a_site_folder(text: str, command: str) -> str | None:
    """Why SITE names no folder, or None. A typo, or site.yaml named itself, is wrong usage
    (exit 2), not an invalid site (exit 1), for every command alike; and watch would watch a
    typo for ever. Asked once the command line is read, so that --help after it still helps."""
    if not text:  # Path("") is the current folder: `feeds build "$SITE"` with SITE unset would build it
        return f"expected the site's folder, found an empty name; name the folder that holds {SITE_FILE}, " \
               "or leave SITE out for the current folder"
    path = Path(text)
    try:
        if path.is_dir():
            return None
        if path.is_file():
            return _files_for_a_site(command, [text])
    except OSError as error:
        return f"cannot look at {text} ({error.strerror}): {fix_for(error, 'read it')}"
    return f"expected the site's folder, found no folder named {text}; name the folder that holds {SITE_FILE}, " \
           f"or make a site there with feeds init {shell_path(text)}"


def run() -> NoReturn:
    """The `feeds` command: main(), then out at once. By then every file is closed and every
    worker and thread joined, so nothing is left to tear down; tearing down what a rebuild
    loaded took 25-30 ms of its 0.6 s at 50,000 entries."""
    _in_utf8_mode()
    _stderr_or_nowhere()
    code = main(ends_after=True)
    try:
        sys.stdout.flush()  # data that fit the buffer fails only now (a full disk under a redirect)
    except BrokenPipeError:
        pass  # a reader gone
    except OSError as error:
        code = _cannot_write_stdout(OutputError(error))
    except (AttributeError, ValueError):
        pass  # no stdout, or closed
    with suppress(OSError, ValueError, AttributeError):
        sys.stderr.flush()
    os._exit(code)


def _in_utf8_mode() -> None:
    """Under a locale that is not UTF-8 (an ISO-8859-1 server, a CI runner), run again in
    Python's UTF-8 mode, before anything is read. Its file names are then UTF-8, the bytes a web
    server finds for the address categories/m%C3%A9t%C3%A9o/ (the folder was m\\xe9t\\xe9o,
    a 404), and its output too (a message with "…" was a UnicodeEncodeError). PYTHONUTF8=1
    set already means this is the run again: never a third. An argument is passed on as
    the text it was typed as (a title, "Météo: orages", in the locale's bytes, read again as
    UTF-8, was lone surrogates), but for one naming a file or folder that is there, which
    keeps its bytes, the name on disk."""
    if sys.getfilesystemencoding().lower() in ("utf-8", "utf8") or os.environ.get("PYTHONUTF8") == "1" \
            or not sys.executable:
        return
    arguments = [argument if os.path.lexists(argument) else argument.encode("utf-8", "surrogateescape")
                 for argument in sys.orig_argv[1:]]
    with suppress(OSError):  # not to be run again: the command goes on in the locale's encoding
        os.execve(sys.executable, [sys.executable, *arguments], {**os.environ, "PYTHONUTF8": "1"})


def _stderr_or_nowhere() -> None:
    """A closed stderr (`2>&-`, a supervisor that closes descriptors) is /dev/null: the status
    lines are lost, as on a full disk, and the outcome and exit status are the build's own.
    Python leaves sys.stderr None there: the first status line, after every feed was written,
    was a traceback and exit 1. Descriptor 2 is taken too, so that no file the build opens gets it."""
    if sys.stderr is not None:
        return
    try:
        os.fstat(2)
    except OSError:
        nowhere = os.open(os.devnull, os.O_WRONLY)
        if nowhere != 2:
            os.dup2(nowhere, 2)
            os.close(nowhere)
    sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)


def _out_of(message: str) -> int:
    """A limit of the machine's stopped the command: one line, exit 3, as for a full disk."""
    with suppress(OSError, ValueError, AttributeError):
        sys.stderr.write(f"feeds: error: {one_line(message)}\n")
    return EXIT_WRITE_FAILED


def _cannot_write_stdout(error: OutputError) -> int:
    with suppress(OSError, ValueError, AttributeError):
        sys.stderr.write(f"feeds: error: {one_line(str(error))}\n")
    return EXIT_WRITE_FAILED


def main(argv: Sequence[str] | None = None, ends_after: bool = False) -> int:
    """The command `argv` names; `ends_after`: the process ends with it (run)."""
    args = parse_arguments(make_parser(), argv)
    if ends_after and args.run is run_build:
        # The build keeps the collector off (no_gc); turned back on, its first pass would look
        # at every object the build left (0.06 s at 50,000 entries), just before the exit.
        gc.disable()
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        sys.stderr.write(INTERRUPTED)
        return EXIT_INTERRUPTED
    except RuntimeError as error:
        if "start new thread" not in str(error):
            raise
        return _out_of("cannot start a thread: this user's limit on processes or memory is reached "
                       "(ulimit -u or -v, or systemd's TasksMax or MemoryMax); raise it, then build again")
    except MemoryError:
        return _out_of("out of memory (ulimit -v, or systemd's MemoryMax, may set the limit); "
                       "raise it or free memory, then build again")
    except OutputError as error:
        with suppress(OSError, ValueError, AttributeError):  # AttributeError: no stdout at all
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # what is still buffered goes nowhere
        return _cannot_write_stdout(error)
    except BrokenPipeError:
        # The reader of stdout went away (`feeds check --format json | head`): not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def parse_arguments(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> argparse.Namespace:
    """As parse_args, but an option the command does not know is told with the command's own
    usage (`feeds build --bogus`), not the top level's, which lists no option of it."""
    args, unknown = parser.parse_known_args(argv)
    commands = next(action for action in parser._actions if isinstance(action, argparse._SubParsersAction))
    command = commands.choices[args.command]
    site = getattr(args, "site", None)
    if (split := _time_split_from_now(args, sys.argv[1:] if argv is None else argv)) is not None:
        command.error(split)
    if unknown and args.command == "new" and not any(word.startswith("-") for word in unknown):
        args.words = [*args.words, *unknown]  # the title's words after an option: site_and_title tells them
        unknown = []
    if unknown and site is not None and not unknown[0].startswith("-"):
        command.error(_more_than_a_site(args.command, site, unknown))
    if unknown:
        command.error(f"unrecognized arguments: {' '.join(unknown)}")
    if site is not None and (wrong := not_a_site_folder(site, args.command) or _no_site(args)) is not None:
        command.error(f"argument SITE: {wrong}")
    return args


_TIME_OF_DAY = re.compile(r"\d{1,2}(?::\d\d){1,2}(?:[.,]\d+)?(?:Z|[+-]\d\d(?::?\d\d)?)?|\d{1,2}(?::\d\d)?[ap]\.?m\.?",
                          re.IGNORECASE)


def _time_split_from_now(args: argparse.Namespace, argv: Sequence[str]) -> str | None:
    """`--now 2020-02-20 16:40` unquoted: the shell passes the time as a word of its own, taken
    for SITE (whose message then said to make a site named 16:40) or for the title's last word.
    A --now that has its time already is whole: `feeds new "10:30" --now '2020-02-20 09:00'`
    was told to quote '2020-02-20 09:00 10:30', which no --now reads. The time is the word
    right after the date in `argv`: `feeds new Storm 10:30 --now 2020-02-20` (the title's
    time, before --now) was told to join it to the date, and `feeds new --now 2020-02-20
    10:30 Storm` to quote the title '10:30 Storm'; either done as told dated a story wrong."""
    now = getattr(args, "now", None)
    if now is None or _TIME_OF_DAY.search(now) is not None:
        return None
    time = _word_after_now(argv)
    if time is None or not _TIME_OF_DAY.fullmatch(time) or Path(time).is_dir():
        return None
    return (f"expected the date and time of --now as one word, found --now {now} and then {time}; "
            f"put them in quotes: --now {shell_word(f'{now} {time}')}")


def _word_after_now(argv: Sequence[str]) -> str | None:
    """The word after the last --now's value (`--now D W`, `--now=D W`, or --now abbreviated,
    as argparse reads it), or None."""
    after = None
    for index, word in enumerate(argv):
        name, equals, _ = word.partition("=")
        if len(name) > 2 and "--now".startswith(name):
            after = index + (1 if equals else 2)
    return argv[after] if after is not None and after < len(argv) else None


def _more_than_a_site(command: str, site: str, more: Sequence[str]) -> str:
    """SITE and more words: two sites, or a site's files, as a pre-commit hook passes those a
    commit changed unless told not to, which the command cannot check alone."""
    files = [word for word in (site, *more) if Path(word).is_file()]
    if not files:
        shown = site or '""'
        return (f"expected one site's folder, found {shown} and then {' '.join(more)}; "
                f"run feeds {command} once for each site")
    return _files_for_a_site(command, files)


def _files_for_a_site(command: str, files: Sequence[str]) -> str:
    """Files named where the site's folder goes: site.yaml itself, or a site's entries, as a
    pre-commit hook passes those a commit changed unless told not to. The folder offered is
    the site the first file belongs to: `feeds check items/a.yaml` was offered `items`."""
    first = Path(files[0])
    site = folder_for(first)
    folder = shell_path(str(site))
    if len(files) == 1 and site == first.parent:  # site.yaml itself, not an entry
        return f"expected the site's folder, found the file {files[0]}; name the folder that holds {SITE_FILE}, " \
               f"such as {folder}"
    shown = f"the file {files[0]}" if len(files) == 1 else f"{len(files)} files ({files[0]} first)"
    return (f"expected the site's folder, found {shown}; feeds {command} reads the whole site, as an entry is "
            f"checked against the others (two with one id): name the folder that holds {SITE_FILE}, such as "
            f"{folder}, and in a pre-commit hook set pass_filenames: false")


def _no_site(args: argparse.Namespace) -> str | None:
    """Why SITE holds no site.yaml, for the commands that run on until stopped, or None: watch
    or serve started on a folder that is no site (run from items/2024/, or a site.yml there)
    would wait for ever, so that is wrong usage (exit 2). build, check and new find it as
    load_site does: a site with no valid site.yaml, exit 1, as the SPEC says of an invalid site.
    Serving --out needs no site."""
    if args.command not in ("watch", "serve") or args.command == "serve" and args.out is not None:
        return None
    missing = no_site_in(Path(args.site), f"feeds {args.command}")
    return None if missing is None else f"{missing.message}; {missing.hint}"


def run_check(args: argparse.Namespace) -> int:
    report = Report(args.format, path_prefix=site_path_prefix(args.site))
    if (missing := no_site_in(Path(args.site), "feeds check")) is not None:  # the way to the site names this command
        report.problems([missing], 0)
        return report.exit_code
    with progress_bar(sys.stderr) as progress:
        result = check_site(args.site, progress)
    problems = with_warnings(result)
    report.problems(problems, result.files_checked)
    if result.ok and args.format == "text":
        report.status(f"{plural(result.files_checked, 'entry')} checked, "
                      + ("no errors" if problems else "no problems"))
    return report.exit_code


def add_scaffold_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    init = commands.add_parser(
        "init", help="create a new site with a site.yaml and one example entry",
        description="Create a new site in DIR (made if missing): a commented site.yaml, one example entry "
                    "under items/, and a .gitignore for publish/ and .feeds/. It builds at once. A folder "
                    "that already holds a site (a site.yaml, its settings under another name such as site.yml, or "
                    "entries in items/), or a folder in a site's items/, is refused (exit 2); nothing is ever overwritten.",
        epilog="example: feeds init newsroom && cd newsroom && feeds build")
    init.add_argument("dir", metavar="DIR", help="the new site's folder")
    init.add_argument("--now", metavar="WHEN", help="date the example entry WHEN instead of now")
    init.set_defaults(run=run_init)

    new = commands.add_parser(
        "new", help="write a new entry file, dated now, ready to edit",
        usage="feeds new [-h] [SITE] TITLE [--category C]... [--now WHEN]",
        description="Write items/YYYY/MM/<slug>.yaml, dated now in the site's timezone, as a draft with "
                    "every field to fill in, and print its path on stdout. A name already taken gets "
                    "-2, -3...; no file is ever overwritten.",
        epilog="examples:\n"
               "  feeds new \"Storm closes Black Sea ports\" --category News --category Weather\n"
               "  $EDITOR \"$(feeds new mysite \"Storm closes Black Sea ports\")\"")
    new.add_argument("words", nargs="+", metavar="[SITE] TITLE",
                     help="the site's folder (default: the current directory), then the headline in quotes")
    new.add_argument("--category", "-c", action="append", default=[], metavar="C",
                     help="a category of the entry (repeat for more)")
    new.add_argument("--now", metavar="WHEN", help="date the entry WHEN instead of now (any date feeds accepts)")
    new.set_defaults(run=run_new)


def run_init(args: argparse.Namespace) -> int:
    from .scaffold import init_site  # here, not above: builds never need it

    report = Report()
    now = parse_now(args.now, timezone.utc, report) if args.now is not None else None
    if args.now is not None and now is None:
        return report.exit_code
    gitignore = Path(".gitignore")
    had_gitignore = (Path(args.dir) / gitignore).exists()  # one the site's folder holds only gains lines
    written = _scaffold(lambda: init_site(args.dir, now), "cannot create the site", report)
    if written is None:
        return report.exit_code
    for path in written:
        done = "added the lines for publish/ and .feeds/ it lacked to" if path == gitignore and had_gitignore else "created"
        report.status(f"{done} {Path(args.dir) / path}")
    report.status(f"next: cd {shell_path(args.dir)} and put your title, link and description in site.yaml, then")
    report.status('  feeds new "Your first headline"   start an entry')
    report.status("  feeds build                       write the feeds into publish/")
    return report.exit_code


def run_new(args: argparse.Namespace) -> int:
    from .scaffold import new_entry

    report = Report()
    site_dir, title = site_and_title(args.words, report, _new_options(args))
    if title is None:
        return report.exit_code
    if (missing := no_site_in(Path(site_dir), "feeds new", f" {shell_word(title)}")) is not None:
        report.problems([missing], 0)
        return report.exit_code
    site = load_site(site_dir)
    if not isinstance(site, Site):
        report.problems(site, 0)
        return report.exit_code
    now = parse_now(args.now, site.timezone, report, site.language) if args.now is not None else None
    if args.now is not None and now is None:
        return report.exit_code
    relative = _scaffold(lambda: new_entry(site, title, args.category, now), "cannot write the entry", report)
    if relative is None:
        return report.exit_code
    report.data(str(Path(site_dir) / relative))
    report.status("a draft: fill it in, then delete its draft line to publish it")
    return report.exit_code


def _scaffold(make: Callable[[], T], cannot: str, report: Report) -> T | None:
    """What init or new made; None when refused (wrong usage, exit 2) or not writable (exit 3)."""
    from .scaffold import ScaffoldError

    try:
        return make()
    except ScaffoldError as error:
        report.failure(str(error), EXIT_USAGE)
    except OSError as error:
        if isinstance(error, NotADirectoryError) and (file := file_in_the_way(error.filename)) is not None:
            report.failure(f"{cannot}: {file} is a file, where a folder is needed: move it aside")
            return None
        where = f"{error.filename}: " if error.filename else ""
        report.failure(f"{cannot}: {where}{(error.strerror or str(error)).lower()}")
    return None


def _new_options(args: argparse.Namespace) -> str:
    """The options `feeds new` was given, as words of the command a hint gives back."""
    categories = "".join(f" --category {shell_word(category)}" for category in args.category)
    return categories + (f" --now {shell_word(args.now)}" if args.now is not None else "")


def site_and_title(words: Sequence[str], report: Report, options: str = "") -> tuple[str, str | None]:
    """`feeds new TITLE` or `feeds new SITE TITLE`; an unquoted title is caught and explained,
    the command to paste with the `options` given: 'feeds new Storm 10:30 --now 2020-02-20'
    was told 'feeds new 'Storm 10:30'', which done as told dated the story now."""
    if len(words) == 1:
        return ".", words[0]
    site = words[0] if Path(words[0]).is_dir() else None
    if site is not None and len(words) == 2:
        return site, words[1]
    title = " ".join(words[1:] if site else words)
    unknown = "" if site else f" and no folder named {words[0]}"
    report.failure(f"expected [SITE] TITLE, found {len(words)} words{unknown}; put the title in quotes: "
                   f"feeds new {shell_path(site) + ' ' if site else ''}{shell_word(title)}{options}", EXIT_USAGE)
    return ".", None


def add_preview_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    serve = commands.add_parser(
        "serve", help="serve the publish directory on 127.0.0.1 for preview",
        description="Serve the publish directory over HTTP on 127.0.0.1 (this machine only), with the feed "
                    "media types, charset=utf-8, ETag and Last-Modified, as a production server should. "
                    "It serves what is there: run feeds build or feeds watch alongside it.",
        epilog="examples:\n"
               "  feeds serve mysite --port 8080     then open http://127.0.0.1:8080/\n"
               "  feeds watch mysite & feeds serve mysite")
    _site_argument(serve)
    serve.add_argument("--port", "-p", type=port_number, default=8000, metavar="N",
                       help="the port to listen on (default 8000; 0 picks a free one and prints it)")
    serve.add_argument("--out", metavar="DIR", type=Path, help="serve DIR instead of publish_dir from site.yaml")
    serve.set_defaults(run=run_serve)

    watch = commands.add_parser(
        "watch", help="rebuild on every change, and by itself when a scheduled entry falls due",
        description="Build, then rebuild whenever site.yaml or an entry changes, and on time when a scheduled "
                    "entry falls due or one expires: no cron needed while it runs. A build with problems "
                    "prints them and publishes the valid entries; an invalid entry readers have keeps its "
                    "last good version (with on_invalid: stop, nothing is written). Ctrl-C stops it.",
        epilog="example: feeds watch mysite --quiet")
    _build_arguments(watch, quiet="print errors only",
                     lock_timeout="how long each build waits for another build of the same site (default 60)")
    watch.add_argument("--poll", action="store_true",
                       help="look for changes by a stat of every file twice a second instead of file events "
                            "(chosen by itself where events are not available, e.g. on a network filesystem)")
    watch.add_argument("--poll-interval", type=_seconds, default=0.5, metavar="SECONDS", help=argparse.SUPPRESS)
    watch.add_argument("--retry-interval", type=_seconds, default=60.0, metavar="SECONDS", help=argparse.SUPPRESS)
    watch.set_defaults(run=run_watch)


def port_number(text: str) -> int:
    """A TCP port, 0 to 65535 (0: any free one); anything else is wrong usage, exit 2."""
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 0 to 65535, found {text!r}")
    return int(text)


def run_serve(args: argparse.Namespace) -> int:
    from .serve import make_server

    report = Report()
    publish_dir = _publish_dir(args, report)
    if publish_dir is None:
        return report.exit_code
    site = load_site(args.site)
    hubs, publish_url = (site.hubs, site.publish_url) if isinstance(site, Site) else ((), "")
    try:
        server = make_server(publish_dir, args.port, hubs, publish_url)
    except OSError as error:
        report.failure(*_cannot_listen(args.port, error, _served(args)))
        return report.exit_code
    if not publish_dir.is_dir():
        report.status(_nothing_served(publish_dir, args))
    report.status(f"serving {publish_dir} at {server.url} (Ctrl-C to stop)")
    with server:
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            report.status("stopped serving")
    return report.exit_code


def _nothing_served(publish_dir: Path, args: argparse.Namespace) -> str:
    """Why the folder served holds nothing. A file in its place was told 'nothing is published
    there yet: run feeds build', which then failed for the file in the way."""
    if not os.path.lexists(publish_dir):
        return f"nothing is published in {publish_dir} yet: run feeds build{_served(args)} (or feeds watch{_served(args)})"
    return (f"{publish_dir} is no folder (a file, a pipe or a link that leads to none is in its place), so nothing is "
            f"published there: move it aside, then run feeds build{_served(args)}")


def _served(args: argparse.Namespace) -> str:
    """The site and folder `feeds serve` was given, as the words after a command a hint gives:
    without them, the command pasted where serve was run served or built another folder."""
    words = ([] if args.site == "." else [shell_path(args.site)]) + (
        [] if args.out is None else ["--out", shell_path(str(args.out))])
    return "".join(f" {word}" for word in words)


def _cannot_listen(port: int, error: OSError, served: str) -> tuple[str, int]:
    """Why the port cannot be had, and the way out. A port taken or not allowed is fixed on the
    command line, so it is wrong usage (exit 2); anything else is a failure (exit 3)."""
    import errno

    where = f"cannot listen on 127.0.0.1 port {port}"
    if error.errno == errno.EADDRINUSE:
        return (f"{where}: it is in use (another feeds serve, or another server); "
                + f"run feeds serve{served} --port 0 to take a free port, or name another with --port N", EXIT_USAGE)
    if error.errno == errno.EACCES:
        return (f"{where}: ports below 1024 need administrator rights; "
                + f"run feeds serve{served} --port 0 to take a free port, or name one from 1024 up with --port N",
                EXIT_USAGE)
    return f"{where}: {error.strerror or error}", EXIT_WRITE_FAILED


def _publish_dir(args: argparse.Namespace, report: Report) -> Path | None:
    """--out, or the site's publish_dir; None (with the problems reported) for a broken
    site.yaml, or an --out that would serve the site's own files (its drafts among them)."""
    if args.out:
        from .publish import OutDirError, publish_dir_clash

        if (clash := publish_dir_clash(Path(args.site), args.out.absolute())) is not None:
            report.failure(f"--out {OutDirError(args.out, clash)}", EXIT_USAGE)
            return None
        if args.out.exists() and not args.out.is_dir():  # it would serve nothing but 404s, for ever
            report.failure(f"--out {args.out} is a file: name the folder to serve, such as the build's --out", EXIT_USAGE)
            return None
        return args.out
    site = load_site(args.site)
    if not isinstance(site, Site):
        report.problems(site, 0)
        return None
    return Path(args.site) / site.publish_dir


if __name__ == "__main__":
    raise SystemExit(main())
