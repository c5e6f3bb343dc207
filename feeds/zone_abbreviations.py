"""What a zone's abbreviation written as site.yaml's `timezone:` means: the zone of the place
whose clock it names. Suggested by meaning, not by spelling: difflib offered MST (Arizona)
for PST, WET for EDT and NZ for Z, each hours off, which every time written without an
offset would then silently take."""

from __future__ import annotations

# abbreviation -> (the zone meant, what the abbreviation is, and what else it may be)
MEANT = {
    **dict.fromkeys(("Z", "UTC", "GMT", "UT", "ZULU"), ("UTC", "")),
    **dict.fromkeys(("PST", "PDT", "PT"), ("America/Los_Angeles", "US Pacific time")),
    **dict.fromkeys(("MST", "MDT", "MT"), ("America/Denver", "US Mountain time (Arizona, which keeps no summer "
                                                             "time, is America/Phoenix)")),
    **dict.fromkeys(("CST", "CDT", "CT"), ("America/Chicago", "US Central time (China's is Asia/Shanghai)")),
    **dict.fromkeys(("EST", "EDT", "ET"), ("America/New_York", "US Eastern time")),
    **dict.fromkeys(("AKST", "AKDT"), ("America/Anchorage", "Alaska time")),
    **dict.fromkeys(("HST", "HT"), ("Pacific/Honolulu", "Hawaii time")),
    **dict.fromkeys(("AST", "ADT"), ("America/Halifax", "Atlantic time (Arabia's is Asia/Riyadh)")),
    **dict.fromkeys(("NST", "NDT"), ("America/St_Johns", "Newfoundland time")),
    **dict.fromkeys(("BST",), ("Europe/London", "British Summer Time, which London's zone keeps")),
    **dict.fromkeys(("IST",), ("Asia/Kolkata", "India's time, but also Irish (Europe/Dublin) and Israel's "
                                               "(Asia/Jerusalem): write the one the desk keeps")),
    **dict.fromkeys(("CEST", "MEZ", "MESZ"), ("Europe/Paris", "Central European time (or Europe/Berlin, "
                                                              "or the desk's own city)")),
    **dict.fromkeys(("EEST",), ("Europe/Athens", "Eastern European time (or the desk's own city)")),
    **dict.fromkeys(("WEST",), ("Europe/Lisbon", "Western European time")),
    **dict.fromkeys(("MSK",), ("Europe/Moscow", "Moscow time")),
    **dict.fromkeys(("TRT",), ("Europe/Istanbul", "Turkey's time")),
    **dict.fromkeys(("SAST",), ("Africa/Johannesburg", "South Africa's time")),
    **dict.fromkeys(("WAT",), ("Africa/Lagos", "West Africa time")),
    **dict.fromkeys(("CAT",), ("Africa/Maputo", "Central Africa time")),
    **dict.fromkeys(("EAT",), ("Africa/Nairobi", "East Africa time")),
    **dict.fromkeys(("GST",), ("Asia/Dubai", "Gulf time")),
    **dict.fromkeys(("PKT",), ("Asia/Karachi", "Pakistan's time")),
    **dict.fromkeys(("ICT",), ("Asia/Bangkok", "Indochina time")),
    **dict.fromkeys(("WIB",), ("Asia/Jakarta", "Western Indonesia time")),
    **dict.fromkeys(("SGT",), ("Asia/Singapore", "Singapore's time")),
    **dict.fromkeys(("HKT",), ("Asia/Hong_Kong", "Hong Kong's time")),
    **dict.fromkeys(("PHT",), ("Asia/Manila", "the Philippines' time")),
    **dict.fromkeys(("JST",), ("Asia/Tokyo", "Japan's time")),
    **dict.fromkeys(("KST",), ("Asia/Seoul", "Korea's time")),
    **dict.fromkeys(("AWST",), ("Australia/Perth", "Australian Western time")),
    **dict.fromkeys(("ACST", "ACDT"), ("Australia/Adelaide", "Australian Central time (Darwin, which keeps no "
                                                             "summer time, is Australia/Darwin)")),
    **dict.fromkeys(("AEST", "AEDT"), ("Australia/Sydney", "Australian Eastern time (Brisbane, which keeps no "
                                                           "summer time, is Australia/Brisbane)")),
    **dict.fromkeys(("NZST", "NZDT"), ("Pacific/Auckland", "New Zealand's time")),
    **dict.fromkeys(("BRT",), ("America/Sao_Paulo", "Brasília time")),
    **dict.fromkeys(("ART",), ("America/Argentina/Buenos_Aires", "Argentina's time")),
}


def zone_meant(written: str) -> tuple[str, str] | None:
    """(the zone meant, what the abbreviation is) for a zone's abbreviation, any case."""
    return MEANT.get(written.strip().upper())
