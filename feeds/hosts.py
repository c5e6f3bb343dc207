"""Whether an address written without a scheme begins with another site's host name.

`[the BBC report](bbc.co.uk/news/…)` is a relative path to a browser and to the feeds, so
it leads to a page on this site that is not there: an editor who pasted the address
without https:// is warned. A host name here is labels with a dot between them, the last
one a top-level domain in TOP_LEVEL_DOMAINS: every two-letter country code the root zone
delegates (IANA, as the Public Suffix List names them) and the generic ones a newsroom's
links name (the original ones, and the new ones most registered and most linked), not the
hundreds of brands' (`.bbc`, `.google`), which no link names. Without a '/' after it, a
name whose last label is also a common file's extension (`notes.md`, `setup.py`,
`deploy.sh`) is taken for the file a relative link names.
"""

from __future__ import annotations

import re

TOP_LEVEL_DOMAINS = frozenset("""
    ac ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bm bn bo br bs bt bv bw by bz ca
    cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec ee eg er es et eu fi fj fk fm fo fr
    ga gb gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu id ie il im in io iq ir is it je jm
    jo jp ke kg kh ki km kn kp kr kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc md me mg mh mk ml mm mn mo mp mq
    mr ms mt mu mv mw mx my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr ps pt pw py qa
    re ro rs ru rw sa sb sc sd se sg sh si sj sk sl sm sn so sr ss st su sv sx sy sz tc td tf tg th tj tk tl tm tn
    to tr tt tv tw tz ua ug uk us uy uz va vc ve vg vi vn vu wf ws ye yt za zm zw
    com net org edu gov mil int info biz name pro aero asia cat coop jobs mobi museum post tel travel xxx
    app dev page blog news media online site website xyz top shop store tech live world today life space cloud
    club art design studio agency digital global network social press wiki science foundation fund ngo ong
    health email ltd gmbh africa berlin london nyc paris tokyo amsterdam wien hamburg koeln scot wales cymru eus
    gal swiss quebec
""".split())

# Top-level domains that are also the extensions of files a story may link to by a relative
# path: a host only with a '/' after it.
FILE_EXTENSIONS = frozenset("ac am app cc md mk ml mo pl pm ps py rs sh tf".split())

_HOST = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+([A-Za-z]{2,63})\.?")


def starts_with_host(address: str) -> bool:
    """Whether a relative address's first segment is a host name: `www.` anything (as before),
    or a name ending in a top-level domain, with a '/' after it or a domain no file ends in."""
    if address[:4].lower() == "www.":
        return True
    host = _HOST.match(address)
    if host is None:
        return False
    after = address[host.end():host.end() + 1]
    if after not in ("", "/", "?", "#"):
        return False
    domain = host.group(1).lower()
    return domain in TOP_LEVEL_DOMAINS and (after == "/" or domain not in FILE_EXTENSIONS)
