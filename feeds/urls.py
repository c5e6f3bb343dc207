"""URLs as feeds need them: absolute, http(s), and safe to put in XML."""

from __future__ import annotations

import re
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_SAFE = "/:?#[]@!$&'()*+,;=%~"


class URLError(ValueError):
    """Not a URL a feed can carry; the message says what was found."""


def absolute_url(reference: str, base: str) -> str:
    """Resolve `reference` (http(s) or relative) against `base`, percent-encoding non-ASCII."""
    reference = reference.strip()
    if not reference:
        raise URLError("an empty URL")
    if any(char.isspace() for char in reference):
        raise URLError("a URL with a space in it")
    scheme = _SCHEME.match(reference)
    if scheme and scheme.group().lower() not in ("http:", "https:"):
        raise URLError(f"a {scheme.group().lower()} URL")
    joined = urljoin(base, reference)
    parts = urlsplit(joined)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise URLError("a URL with no host")
    try:
        host = parts.netloc.encode("idna").decode("ascii") if not parts.netloc.isascii() else parts.netloc
    except UnicodeError:
        raise URLError("a URL whose host name cannot be encoded") from None
    return urlunsplit((parts.scheme, host.lower(), quote(parts.path, safe=_SAFE) or "/",
                       quote(parts.query, safe=_SAFE), quote(parts.fragment, safe=_SAFE)))


def is_absolute_uri(text: str) -> bool:
    """An id must be a URI with a scheme (urn:, tag:, https:) for Atom to accept it."""
    return bool(_SCHEME.match(text)) and not any(char.isspace() for char in text) and len(text) > len(text.split(":")[0]) + 1
