"""URLs and ids as feeds need them: absolute, http(s) (an id urn: or tag:), in normal form, safe in XML."""

from __future__ import annotations

import mimetypes
import re
import unicodedata
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

from .problems import describe, without_credentials
from .problems import quote as quote_value

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
# What RFC 3986 lets each part hold as it is (besides letters, digits and -._~, which quote
# keeps): sub-delims, ":" and "@", "/" in a path, "/" and "?" in a query or fragment.
# Anything else ("#" in a fragment, "[" in a path) is escaped.
_PATH_SAFE = "!$&'()*+,;=:@/"
_QUERY_SAFE = _PATH_SAFE + "?"
_BROWSER_TRIMS = "".join(map(chr, range(0x21)))
_LABEL = r"[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?"  # no label starts or ends with "-", none is empty
_NETLOC = re.compile(rf"({_LABEL}(?:\.{_LABEL})*|\[[0-9A-Fa-f:.]+\])(:[0-9]{{1,5}})?\Z")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
# The escapes kept as they are, since they mean other than their character: % itself and the
# reserved characters (%2F is not a path's /); the text between them is decoded and encoded again.
_RESERVED_ESCAPE = re.compile(r"(%(?:2[13-9A-Ca-cFf]|3[ABDFabdf]|40|5[BDbd]))")
# An escape in normal form: upper case, of a byte that is not an unreserved character (%7E is ~).
_KEPT = "%(?:[0189A-F][0-9A-F]|2[0-9A-CF]|3[A-F]|40|5[B-E]|60|7[B-DF])"
# The common case, resolved without urllib: a path from the root, of characters that need
# no encoding and no resolving, against a base whose origin is already in normal form.
_PLAIN_PATH = re.compile(rf"/(?:[A-Za-z0-9\-._~!$&'()*+,=/]|{_KEPT})*\Z")
_PLAIN_HOST = r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)*[a-z](?:[a-z0-9-]*[a-z0-9])?"  # ending in a name, not a number
_PLAIN_ORIGIN = re.compile(rf"https?://{_PLAIN_HOST}(?=[/?#]|\Z)")
# ...and an absolute URL already in normal form: http(s), a lower-case ASCII host without a
# port or user, then characters that need no encoding; urllib would keep it as it is, but
# for the root path it adds to a URL with none.
_PLAIN_ABSOLUTE = re.compile(rf"(https?://{_PLAIN_HOST})(/(?:[A-Za-z0-9\-._~!$&'()*+,=/]|{_KEPT})*)?"
                             rf"((?:\?(?:[A-Za-z0-9\-._~!$&'()*+,=/:@?]|{_KEPT})+)?"
                             rf"(?:#(?:[A-Za-z0-9\-._~!$&'()*+,=/:@?]|{_KEPT})+)?)\Z")


class URLError(ValueError):
    """Not a URL a feed can carry; the message says what was found ("the ftp: URL "ftp://x"")."""


def absolute_url(reference: str, base: str) -> str:
    """Resolve `reference` (http(s) or relative) against `base`, in RFC 3986's normal form (_encoded).
    The ends are trimmed as browsers trim them, of ASCII spaces and controls only: a no-break
    space there is part of the URL, and a space in it is refused."""
    reference = reference.strip(_BROWSER_TRIMS)
    if reference.startswith("/"):
        if _PLAIN_PATH.match(reference) and "//" not in reference and "/." not in reference:
            base_origin = _PLAIN_ORIGIN.match(base)
            if base_origin:
                return base_origin.group() + reference
    elif reference.startswith(("https://", "http://")):
        plain = _PLAIN_ABSOLUTE.match(reference)
        if plain and "/." not in (plain.group(2) or ""):  # dots: the long way
            origin, path, rest = plain.groups()
            return reference if path else f"{origin}/{rest}"
    return resolve(reference, base)


def element_url(reference: str, base: str) -> str:
    """absolute_url for a URL a feed carries in an element of its own (an entry's link, image
    and id, the site's link, icon and logo), where the W3C validator's URI rule has no
    [brackets]: it refuses an IPv6 address in RSS <link>, <guid>, <url> and <media:content>
    and in an Atom <id>. A body's links may name one (it passes there)."""
    url = absolute_url(reference, base)
    if url.partition("//")[2].startswith("["):
        raise URLError(f"{quote_value(without_credentials(reference.strip(_BROWSER_TRIMS)))}, whose host is an IPv6 "
                       "address, which feed validators refuse in a feed's links and ids")
    return url


_SPACES = {"\t": "a tab", "\n": "a line break", "\r": "a line break", "\u00a0": "a no-break space"}


def resolve(reference: str, base: str) -> str:
    """absolute_url the long way, for any reference: with urllib, checking every part."""
    shown = quote_value(without_credentials(reference))
    if not reference:
        raise URLError("empty text")
    if "\\" in reference:
        reference = _slashes_as_browsers_read_them(reference)
    if (space := next((char for char in reference if char.isspace()), None)) is not None:
        raise URLError(f"{shown}, which has {_SPACES.get(space, 'a space')} in it")
    if _BAD_PERCENT.search(reference):
        raise URLError(f"{shown}, which has a % not followed by two hex digits (a percent sign is %25)")
    if reference.startswith("///"):
        raise URLError(_slashes_before_a_host(reference, base, shown, "a path on the site starts with one /"))
    scheme = _SCHEME.match(reference)
    if scheme and scheme.group().lower() not in ("http:", "https:"):
        raise URLError(f"the {scheme.group().lower()} URL {shown}")
    if scheme and not reference[scheme.end():].startswith("//"):
        # urljoin reads "https:/x" (and "https:x") as a path on the base's host
        raise URLError(f"{shown}, which has no //host after {scheme.group().lower()}")
    if scheme and reference[scheme.end():].startswith("///"):
        raise URLError(_slashes_before_a_host(reference[scheme.end():], scheme.group().lower() + "//", shown,
                                              f"a host follows {scheme.group().lower()}// with no slash between"))
    try:
        # An absolute URL is taken alone: joined, "https://" would become the base's home page.
        parts = urlsplit(reference if scheme else _joined(base, reference))
        hostname, _ = parts.hostname, parts.port
    except ValueError:
        raise URLError(f"{shown}, which is not a well-formed URL") from None
    if parts.scheme.lower() not in ("http", "https") or not hostname:
        raise URLError(f"{shown}, which has no host name")
    netloc = _normal_netloc(parts.netloc, parts.scheme.lower(), shown)
    if not _NETLOC.match(netloc):
        raise URLError(f"{shown}, whose host name is not valid")
    return urlunsplit((parts.scheme.lower(), netloc, _without_dot_segments(_encoded(parts.path, _PATH_SAFE)) or "/",
                       _encoded(parts.query, _QUERY_SAFE), _encoded(parts.fragment, _QUERY_SAFE)))


def _joined(base: str, reference: str) -> str:
    """urljoin, but a relative path is put after the base's folder as browsers put it, with
    its empty segments: urljoin drops them, so `charts//gdp.png` on /news/2020/story was
    /news/2020/charts/gdp.png, another file to a server. Dots are resolved after (resolve)."""
    relative = urlsplit(reference)
    if not relative.path or relative.path.startswith("/") or reference.startswith("//"):
        return urljoin(base, reference)
    scheme, netloc, path, _, _ = urlsplit(base)
    return urlunsplit((scheme, netloc, (path[:path.rfind("/") + 1] or "/") + relative.path,
                       relative.query, relative.fragment))


def _slashes_before_a_host(slashed: str, base: str, shown: str, rule: str) -> str:
    """Why a link of three slashes or more is refused: urljoin read `///x` as /x on the site,
    browsers (WHATWG's URL standard) as the host x, https://x/, so the feed and the page
    sent readers to two places, neither of them likely the one meant. After a scheme
    (`https:////x`) browsers skip the slashes too: that is no missing host, but one extra /."""
    rest = slashed.lstrip("/")
    if not rest or rest[0] in "?#":
        return f"{shown}, which has no host name"
    host = re.split("[/?#]", rest, maxsplit=1)[0]
    after = rest[len(host):]
    read = f"{urlsplit(base).scheme}://{host}{after if after.startswith('/') else '/' + after}"
    return f"{shown}, which browsers read as {quote_value(read)}, the host {quote_value(host)}: {rule}"


def _slashes_as_browsers_read_them(reference: str) -> str:
    """A backslash before the query is a slash in an http(s) or relative URL, to browsers
    (WHATWG's URL standard): `images\\photo.jpg` is images/photo.jpg on the article page."""
    cut = min((at for at in (reference.find("?"), reference.find("#")) if at >= 0), default=len(reference))
    return reference[:cut].replace("\\", "/") + reference[cut:]


def _encoded(part: str, safe: str) -> str:
    """The part in RFC 3986's normal form, so that one URL is one story however it was
    written: what the part may not hold escaped (the second # of /a#b#c), escapes in
    upper case (%c3%bc is %C3%BC), those of unreserved characters decoded (%7E is ~);
    escapes of reserved characters are kept (%2F is not /). The bytes escapes spell are
    kept as they are: cafe%CC%81 (NFD, as macOS names files) is a path a server may hold."""
    if part.isascii() and "%" not in part:
        return quote(part, safe=safe)
    pieces = _RESERVED_ESCAPE.split(part)  # text, escape, text, ...
    pieces[1::2] = [escape.upper() for escape in pieces[1::2]]
    pieces[::2] = [quote(unquote(text, errors="surrogateescape"), safe=safe, errors="surrogateescape")
                   for text in pieces[::2]]
    return "".join(pieces)


def _without_dot_segments(path: str) -> str:
    """/a/./b/../c is /a/c (RFC 3986 §5.2.4): urljoin resolves only a relative link's dots,
    and only those written as dots, not %2E."""
    if "/." not in path:
        return path
    kept: list[str] = []
    segments = path.split("/")[1:]
    for segment in segments:
        if segment == "..":
            kept = kept[:-1]
        elif segment != ".":
            kept.append(segment)
    if segments[-1] in (".", ".."):
        kept.append("")
    return "/" + "/".join(kept)


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
    if _ends_in_a_number(host) and not _is_ipv4(host):
        raise URLError(f"{shown}, whose host name ends in a number but is not an IP address")
    return f"{host.lower().removesuffix('.')}{colon}{port}"  # x.example. is x.example, to the W3C validator too


def _ends_in_a_number(host: str) -> bool:
    """A host whose last label is a number is an IPv4 address to browsers (WHATWG's URL
    standard), and a URL whose host is not one (http://a1.2.3.4) is no URL at all."""
    last = host.removesuffix(".").rpartition(".")[2]
    return (last.isascii() and last.isdigit()) or _ipv4_number(last) is not None


def _is_ipv4(host: str) -> bool:
    """As browsers read an IPv4 address: 127.0.0.1, and also 127.1 and 0x7f.0.0.1."""
    parts = host.removesuffix(".").split(".")
    numbers = [number for number in map(_ipv4_number, parts) if number is not None]
    return (len(numbers) == len(parts) <= 4 and all(number <= 255 for number in numbers[:-1])
            and numbers[-1] < 256 ** (5 - len(numbers)))


def _ipv4_number(part: str) -> int | None:
    """A part of an IPv4 address as browsers read it (decimal, 0177 octal or 0x7f hex), or
    None. A decimal part of over ten digits is past every address, and read as 2**32: Python
    reads no more than 4,300 digits, and a link to http://999… of 5,000 stopped every build
    with a traceback."""
    found = _IPV4_NUMBER.fullmatch(part)
    if found is None:
        return None
    hexadecimal, octal, decimal = found.groups()
    if hexadecimal is not None:
        return int(hexadecimal or "0", 16)
    if octal:
        return int(octal, 8)
    return int(decimal) if len(decimal) <= 10 else _BEYOND_IPV4


_IPV4_NUMBER = re.compile(r"0[xX]([0-9A-Fa-f]*)|0([0-7]+)|(0|[1-9][0-9]*)")
_BEYOND_IPV4 = 256 ** 4  # no part of an address reaches it




class IdError(ValueError):
    """Not an id feed validators accept: the message says what was expected and found, `hint` the fix."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


def normal_id(text: str) -> str:
    """An entry's given id in the form feed validators compare ids in, or IdError. A urn: or
    tag: id is checked to its RFC, an http(s) one read as links are, one of another scheme
    IANA registered (info:, crid:) kept (the W3C validator warns of any other, and a reader
    may take an id for a link: javascript: must not be one); the parts RFCs call
    case-insensitive are written as validators want them (URN:UUID:x is urn:UUID:x, the
    same id), and non-ASCII is %-escaped, as an IRI becomes a URI, in NFC (id_form). Escapes
    that spell no UTF-8 text leave an id no normal form: refused, as the validator warns."""
    normal = id_form(_checked_id(text))
    if "%" in normal and (found := escape_not_utf8(normal)) is not None:
        raise IdError(f"expected an id whose escapes spell UTF-8 text, found {quote_value(text)}, whose {found} does "
                      "not: the W3C validator warns that such an id is not in normal form",
                      "write the character itself, or its UTF-8 escapes (é is %C3%A9)")
    return normal


def _checked_id(text: str) -> str:
    scheme = _SCHEME.match(text)
    if not scheme or any(char.isspace() for char in text) or len(text) <= scheme.end() or _NOT_IN_IRI.search(text):
        raise IdError(f"expected a URI such as urn:uuid:… or tag:…, found {describe(text)}", _NO_ID)
    name = scheme.group().lower()
    if name in ("http:", "https:"):
        try:
            return element_url(text, text)
        except URLError as error:
            raise IdError(f"expected a URI such as urn:uuid:… or tag:…, or an http(s) URL, found {error}",
                          _NO_ID) from None
    if name not in _ID_FORMS and name[:-1] not in _REGISTERED_SCHEMES:
        raise IdError(f"expected a urn:, tag: or http(s) URI (or info:, crid: or another IANA registered), found {quote_value(text)}, "
                      f"whose scheme is {name}", _NO_ID)
    if _BAD_PERCENT.search(text):
        raise IdError(f"expected a URI such as urn:uuid:… or tag:…, found {quote_value(text)}, which has a % not "
                      "followed by two hex digits (a percent sign is %25)", _NO_ID)
    normal = name + _normal_opaque(text[scheme.end():])
    if name not in _ID_FORMS:  # info:, crid: and the like: readers compare them as written
        return normal
    form, expected, hint = _ID_FORMS["urn:uuid:" if normal[:9].lower() == "urn:uuid:" else name]
    if not form.match(normal):
        raise IdError(f"expected {expected}, found {quote_value(text)}", hint)
    return normal


def id_form(url: str) -> str:
    """An id (or a link taken as one) as the W3C validator compares Atom ids, by RFC 3987's
    normalisation: its escaped text in Unicode's NFC form, so that `cafe%CC%81` (a decomposed
    é, as macOS writes names) is `caf%C3%A9`. A link keeps the bytes it was written with (a
    server may hold either name); an id only names the story, and these name one. Escapes
    that spell no UTF-8 text stay as they are (escape_not_utf8 finds them)."""
    if "%" not in url:  # a URL in normal form with no escape is ASCII, and NFC already
        return url
    pieces = _RESERVED_ESCAPE.split(url)  # text, escape, text, ...: a reserved one is not its character
    pieces[::2] = [quote(unicodedata.normalize("NFC", unquote(text, errors="surrogateescape")), safe=_ID_SAFE,
                         errors="surrogateescape") for text in pieces[::2]]
    return "".join(pieces)


def escape_not_utf8(url: str) -> str | None:
    """The first run of escapes in `url` that spells no UTF-8 text (`%E9`, Latin-1's é, as old
    systems wrote it), or None: such an id has no normal form, and the W3C validator warns
    of every Atom feed that carries it."""
    for run in _HIGH_ESCAPES.findall(url):
        try:
            bytes.fromhex(run.replace("%", "")).decode("utf-8")
        except UnicodeDecodeError:
            return run
    return None


_ID_SAFE = _QUERY_SAFE + "#"  # every character a URL in normal form holds as itself
_HIGH_ESCAPES = re.compile(r"(?:%[89A-Fa-f][0-9A-Fa-f])+")  # the bytes of non-ASCII text


def _normal_opaque(rest: str) -> str:
    """What follows a urn: or tag: scheme, in the normal form of a URL's path, query and fragment."""
    rest, hash_mark, fragment = rest.partition("#")
    path, question_mark, query = rest.partition("?")
    return (_encoded(path, _PATH_SAFE) + question_mark + _encoded(query, _QUERY_SAFE) + hash_mark
            + _encoded(fragment, _QUERY_SAFE))


# The other schemes the W3C validator knows as IANA's (it warns of the rest), less those that
# fetch or run something: an id such as info:doi/10.1000/182 or crid://broadcaster.example/1.
_REGISTERED_SCHEMES = frozenset({
    "cid", "crid", "dns", "fax", "h323", "im", "info", "mid", "news", "nntp", "opaquelocktoken", "pres", "sip", "sips",
    "tel", "tv", "xmpp"})
_DEFAULT_PORTS = {"http": "80", "https": "443"}
_NOT_IN_IRI = re.compile(r'[<>"{}|\\^`\x00-\x1f\x7f]')
_NO_ID = "leave id out to use the link, or write a urn:uuid: value"
_DNS_NAME = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*"
_TAG_PART = r"(?:[A-Za-z0-9;/?:@&=+$.\-_!~*'(),]|%[0-9A-F]{2})*"
# Each kind of id as its RFC writes it, as strict as the W3C validator reads it (RFC 2141's
# characters in a URN's name; a tag's authority in lower case), what to say, and the fix.
_ID_FORMS = {
    "urn:": (re.compile(r"urn:[A-Za-z0-9][A-Za-z0-9-]{0,30}[A-Za-z0-9]:(?:[A-Za-z0-9()+,\-.:=@;$_!*']|%[0-9A-F]{2})+\Z"),
             "a URN such as urn:isbn:0451450523", "write urn:, a namespace of 2 to 32 letters, digits or -, a colon, "
             "then the name in letters, digits and ()+,-.:=@;$_!*' (escape others: / is %2F); or leave id out to "
             "use the link"),
    "urn:uuid:": (re.compile(r"urn:uuid:[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}\Z", re.IGNORECASE),
                  "a UUID after urn:uuid:, 32 hex digits grouped 8-4-4-4-12",
                  "copy the whole UUID, such as urn:uuid:0f9c5e1e-5a86-4a4e-9d8e-3f1b8f1f2a11, or make one with uuidgen"),
    "tag:": (re.compile(rf"tag:(?:[a-z0-9._-]+@)?{_DNS_NAME},[0-9]{{4}}(?:-[0-9]{{2}}(?:-[0-9]{{2}})?)?:{_TAG_PART}"
                        rf"(?:#{_TAG_PART})?\Z"),
             "a tag: URI such as tag:news.example.com,2020:storm-1",
             "write tag:, a domain or email address of yours in lower case, a comma, a date it was yours (2020 or "
             "2020-02-20), a colon, then the name; or leave id out to use the link"),
}


def guessed_type(url: str) -> str | None:
    """The media type a URL's file name says (image/jpeg for /img/a.jpg), if it says one."""
    return mimetypes.guess_type(url.split("?")[0].split("#")[0])[0]
