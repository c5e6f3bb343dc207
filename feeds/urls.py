"""URLs as feeds need them: absolute, http(s), and safe to put in XML."""

from __future__ import annotations

import mimetypes
import re
import unicodedata
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

from .problems import quote as quote_value
from .problems import without_credentials

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_SAFE = "/:?#[]@!$&'()*+,;=%~"
_LABEL = r"[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?"  # no label starts or ends with "-", none is empty
_NETLOC = re.compile(rf"({_LABEL}(?:\.{_LABEL})*\.?|\[[0-9A-Fa-f:.]+\])(:[0-9]{{1,5}})?\Z")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
# The common case, resolved without urllib: a path from the root, of characters that need
# no encoding and no resolving, against a base whose origin is already in normal form.
_PLAIN_PATH = re.compile(r"/(?:[A-Za-z0-9\-._~!$&'()*+,=/]|%[0-9A-F]{2})*\Z")
_PLAIN_HOST = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*"
_PLAIN_ORIGIN = re.compile(rf"https?://{_PLAIN_HOST}(?=[/?#]|\Z)")
# ...and an absolute URL already in normal form: http(s), a lower-case ASCII host without a
# port or user, then characters that need no encoding; urllib would keep it as it is, but
# for the root path it adds to a URL with none.
_PLAIN_ABSOLUTE = re.compile(rf"(https?://{_PLAIN_HOST})(/(?:[A-Za-z0-9\-._~!$&'()*+,=/]|%[0-9A-F]{{2}})*)?"
                             r"((?:\?(?:[A-Za-z0-9\-._~!$&'()*+,=/:@?]|%[0-9A-F]{2})+)?"
                             r"(?:#(?:[A-Za-z0-9\-._~!$&'()*+,=/:@?]|%[0-9A-F]{2})+)?)\Z")


class URLError(ValueError):
    """Not a URL a feed can carry; the message says what was found ("the ftp: URL "ftp://x"")."""


def absolute_url(reference: str, base: str) -> str:
    """Resolve `reference` (http(s) or relative) against `base`, percent-encoding non-ASCII."""
    reference = reference.strip()
    if reference.startswith("/"):
        if _PLAIN_PATH.match(reference) and "//" not in reference and "/." not in reference:
            base_origin = _PLAIN_ORIGIN.match(base)
            if base_origin:
                return base_origin.group() + reference
    elif reference.startswith(("https://", "http://")):
        plain = _PLAIN_ABSOLUTE.match(reference)
        if plain:
            origin, path, rest = plain.groups()
            return reference if path else f"{origin}/{rest}"
    return resolve(reference, base)


def resolve(reference: str, base: str) -> str:
    """absolute_url the long way, for any reference: with urllib, checking every part."""
    shown = quote_value(without_credentials(reference))
    if not reference:
        raise URLError("empty text")
    if any(char.isspace() for char in reference):
        raise URLError(f"{shown}, which has a space in it")
    if _BAD_PERCENT.search(reference):
        raise URLError(f"{shown}, which has a % not followed by two hex digits (a percent sign is %25)")
    scheme = _SCHEME.match(reference)
    if scheme and scheme.group().lower() not in ("http:", "https:"):
        raise URLError(f"the {scheme.group().lower()} URL {shown}")
    if scheme and not reference[scheme.end():].startswith("//"):
        # urljoin reads "https:/x" (and "https:x") as a path on the base's host
        raise URLError(f"{shown}, which has no //host after {scheme.group().lower()}")
    try:
        # An absolute URL is taken alone: joined, "https://" would become the base's home page.
        parts = urlsplit(reference if scheme else urljoin(base, reference))
        hostname, _ = parts.hostname, parts.port
    except ValueError:
        raise URLError(f"{shown}, which is not a well-formed URL") from None
    if parts.scheme.lower() not in ("http", "https") or not hostname:
        raise URLError(f"{shown}, which has no host name")
    netloc = _normal_netloc(parts.netloc, parts.scheme.lower(), shown)
    if not _NETLOC.match(netloc):
        raise URLError(f"{shown}, whose host name is not valid")
    return urlunsplit((parts.scheme.lower(), netloc, _encoded(parts.path) or "/", _encoded(parts.query),
                       _encoded(parts.fragment)))


def _encoded(part: str) -> str:
    """Percent-encoded as RFC 3986 normalises it: what must be, in upper-case hex (%c3%bc
    is %C3%BC, one URL, so one story)."""
    encoded = quote(part, safe=_SAFE)
    return _PERCENT.sub(lambda found: found.group().upper(), encoded) if "%" in encoded else encoded


def _normal_netloc(netloc: str, scheme: str, shown: str) -> str:
    """The host name lower-cased and IDNA-encoded, the port kept (IDNA is for host names
    only), but for the scheme's own (https://x:443/ is https://x/, as browsers write it);
    a user name or password is refused, never repeated."""
    _, at, host_port = netloc.rpartition("@")
    if at:  # a reader would see it: the URL of every entry and feed is public
        raise URLError("a URL with a user name or password in it, which every reader would see")
    host, colon, port = host_port.rpartition(":") if ":" in host_port.rsplit("]", 1)[-1] else (host_port, "", "")
    port = str(int(port)) if port.isdigit() else port  # :0443 is :443
    if port == "0":
        raise URLError(f"{shown}, whose port 0 no server listens on")
    if port in ("", _DEFAULT_PORTS[scheme]):
        colon = port = ""
    if "%" in host:  # as browsers read it: Markdown renderers write 例え.jp as %E4%BE%8B%E3%81%88.jp
        try:
            host = unquote(host, errors="strict")
        except UnicodeDecodeError:
            raise URLError(f"{shown}, whose host name is not valid") from None
    if not host.isascii() and any(unicodedata.category(char) == "Cf" for char in host):
        raise URLError(f"{shown}, whose host name has an invisible character in it (a zero-width space or joiner)")
    try:
        host = host if host.isascii() else host.encode("idna").decode("ascii")
    except UnicodeError:
        raise URLError(f"{shown}, whose host name cannot be encoded") from None
    return f"{host.lower()}{colon}{port}"


def is_absolute_uri(text: str) -> bool:
    """An id must be a URI with a scheme (urn:, tag:, https:) for Atom to accept it, of
    characters an IRI may hold; an http(s) one names a host (a bare "http://" would be every
    such entry's id); and not one that runs or embeds (javascript:, data:): a reader may
    take an id for a link."""
    scheme = _SCHEME.match(text)
    if not scheme or any(char.isspace() for char in text) or len(text) <= scheme.end() or _NOT_IN_IRI.search(text):
        return False
    if scheme.group().lower() in _ACTIVE_SCHEMES:
        return False
    if scheme.group().lower() in ("http:", "https:"):
        try:
            return bool(urlsplit(text).hostname)
        except ValueError:
            return False
    return True


_DEFAULT_PORTS = {"http": "80", "https": "443"}
_NOT_IN_IRI = re.compile(r'[<>"{}|\\^`\x00-\x1f\x7f]')
_ACTIVE_SCHEMES = frozenset({"javascript:", "data:", "vbscript:", "file:"})


def guessed_type(url: str) -> str | None:
    """The media type a URL's file name says (image/jpeg for /img/a.jpg), if it says one."""
    return mimetypes.guess_type(url.split("?")[0].split("#")[0])[0]
