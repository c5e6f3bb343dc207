"""site.yaml's `cache_control`, read as the HTTP Cache-Control header value it is sent as:
directives HTTP caching knows (RFC 9111, RFC 8246's immutable, RFC 5861's stale-*), each
with the argument it takes. A misspelt one (`pubilc`) is ignored by every cache, and a bad
number (`max-age=-5`) is read by each as it likes: a CDN may then keep a feed for hours.
A name far from every known one is an extension (`post-check=0`), which RFC 9111 lets
caches ignore: no problem. Whatever is found is a warning: the header is the site's own."""

from __future__ import annotations

import difflib
import re

from .problems import quote

SECONDS = frozenset({"max-age", "s-maxage", "stale-while-revalidate", "stale-if-error"})  # =N, N >= 0
FLAGS = frozenset({"public", "no-store", "no-transform", "must-revalidate", "proxy-revalidate", "must-understand",
                   "immutable"})
FIELD_LISTS = frozenset({"no-cache", "private"})  # alone, or ="field-name, ..." (RFC 9111 5.2.2.4, 5.2.2.7)
DIRECTIVES = tuple(sorted(SECONDS | FLAGS | FIELD_LISTS))
_DIRECTIVE = re.compile(r'(?:[^,"]|"[^"]*"?)+')  # a comma in quotes (no-cache="a, b") ends none
_FIELD_NAMES = re.compile(r'[!#$%&\'*+.^_`|~0-9A-Za-z-]+(?:[ \t]*,[ \t]*[!#$%&\'*+.^_`|~0-9A-Za-z-]+)*')
_FIELD_LIST = re.compile(rf'"[ \t]*{_FIELD_NAMES.pattern}[ \t]*"')
# no-cache or private, then space before its quoted fields (`private = "Set-Cookie"`, `private "Set-Cookie"`)
_SPACED_FIELD_LIST = re.compile(r'([A-Za-z-]+)(?:[ \t]*=[ \t]+|[ \t]+=?[ \t]*)(".*)', re.DOTALL)


def cache_control_problem(value: str) -> tuple[str, str] | None:
    """Why `value` is no Cache-Control header value a cache reads as meant (the part of the
    message after "found ...", and a fix), or None."""
    for part in (found.strip() for found in _DIRECTIVE.findall(value)):
        if not part:
            continue
        if (joined := _spaced_field_list(part)) is not None:
            return (f"whose {quote(part)} has space before the quoted header fields, where HTTP allows none: a cache "
                    f"reads it as {joined.partition('=')[0].lower()} alone, or ignores it",
                    f"write cache_control: {value.strip().replace(part, joined, 1)}")
        if (apart := _run_together(part)) is not None:
            return (f"whose {quote(part)} a cache reads as one directive it does not know, and ignores",
                    "write a comma between directives, and = before seconds: "
                    f"cache_control: {value.strip().replace(part, apart, 1)}")
        name, equals, argument = (piece.strip() for piece in part.partition("="))
        known = name.lower()
        if known in SECONDS:
            if not equals or not argument.isdigit() or not argument.isascii():
                found = f"is {argument}, not a whole number of seconds" if argument else "has no seconds"
                return f"whose {name} {found}", f"write {known}= and the seconds, 0 or more, such as {known}=300"
        elif known in FIELD_LISTS and equals and _FIELD_NAMES.fullmatch(argument):
            return (f"whose {name}={argument} names its header fields without quotes, which RFC 9111 asks no "
                    f"sender to write", f'write {known}="{argument}"')
        elif known in FLAGS or known in FIELD_LISTS:
            if equals and not (known in FIELD_LISTS and _FIELD_LIST.fullmatch(argument)):
                found = f"is followed by {argument}, no header field names in quotes" if known in FIELD_LISTS \
                    else "takes no value"
                return (f"whose {name} {found}", f"write {known} alone" + (
                    f', or with the header fields it is for in quotes, {known}="Set-Cookie"' if known in FIELD_LISTS
                    else ""))
        elif part.isdigit():
            return f"whose {part} names no directive", f"did you mean max-age={part}?"
        elif guess := difflib.get_close_matches(known, DIRECTIVES, 1, 0.75):  # a typo; another name may be an extension
            return f"whose {quote(name)} is no directive of HTTP caching", f"did you mean {guess[0]}?"
    return None


def _spaced_field_list(part: str) -> str | None:
    """`private = "Set-Cookie"` or `no-cache "Set-Cookie"` written `private="Set-Cookie"`, or
    None: RFC 9111 allows no space around the = (no warning was given; a cache reads the
    whole response as private, or nothing)."""
    found = _SPACED_FIELD_LIST.fullmatch(part)
    if found is None or found[1].lower() not in FIELD_LISTS:
        return None
    return f"{found[1]}={found[2]}"


_SEPARATOR = re.compile(r"\s*[;:]\s*|\s+")  # what people put between directives, or before seconds, for a comma or =
_SPACED_EQUALS = re.compile(r"\s*=\s*")


def _run_together(part: str) -> str | None:
    """`public max-age=300`, `public; max-age=300`, `max-age 300` or `max-age = 300` written as
    directives with commas and = in their places, or None: a cache reads the part as one
    unknown directive and ignores it (no warning was given), or the fix offered was
    `max-age`, which has no seconds. HTTP allows no space around the = (a browser looks for
    `max-age=`), and `max-age = 300` was taken with no word. Seconds that are none
    (`max-age = -5`) are told as such, not mended into `max-age=-5`, itself refused."""
    if '"' in part:
        return None
    joined = _SPACED_EQUALS.sub("=", part)
    if not _SEPARATOR.search(joined):
        name, _, seconds = joined.partition("=")
        return joined if joined != part and name.lower() in SECONDS and seconds.isdigit() else None
    words = _SEPARATOR.split(joined)
    directives: list[str] = []
    for word in words:
        if word.isdigit() and directives and directives[-1].lower() in SECONDS:
            directives[-1] += f"={word}"
        elif word.partition("=")[0].lower() in DIRECTIVES:
            directives.append(word)
        else:
            return None
    return ", ".join(directives)
