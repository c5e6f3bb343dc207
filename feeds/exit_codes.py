"""The exit codes of `feeds`, as the README's table gives them. A leaf: the console script's
guard (command.py) reads them before anything else of feeds is imported."""

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_WRITE_FAILED = 3
EXIT_INTERRUPTED = 130
INTERRUPTED = "feeds: interrupted\n"
