"""Reading the dates editors write: ISO 8601, RFC 2822 and unambiguous written dates.

Every date comes back timezone-aware in UTC. A date without an offset is read in the
site's timezone; one without a time is midnight there. Anything that could be read two
ways is refused rather than guessed.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone, tzinfo

from dateutil import parser as dateutil_parser
from dateutil import tz as dateutil_tz

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?\s*(Z|[+-]\d{2}(:?\d{2})?)?\Z", re.I)
_NUMERIC = re.compile(r"(\d{1,4})([/.-])(\d{1,2})\2(\d{1,4})\b")
_FIRST_DEFAULT = datetime(1901, 1, 1)
_SECOND_DEFAULT = datetime(1902, 2, 2)


class DateError(ValueError):
    """The text is not a date; the message says why, for the editor."""


def parse_date(text: str, zone: tzinfo) -> datetime:
    """Read `text` as an instant; naive times are wall-clock times in `zone`."""
    text = " ".join(text.split())
    if not text:
        raise DateError("is empty")
    if _ISO.match(text):
        try:
            moment = datetime.fromisoformat(text.replace(" Z", "Z").replace("z", "Z"))
        except ValueError as error:
            raise DateError(f"is not a date ({_reason(error)})") from None
    else:
        moment = _parse_written(text)
    return _to_utc(moment, zone, text)


def _parse_written(text: str) -> datetime:
    dayfirst = _numeric_order(text)
    try:
        first = dateutil_parser.parse(text, default=_FIRST_DEFAULT, dayfirst=dayfirst)
        second = dateutil_parser.parse(text, default=_SECOND_DEFAULT, dayfirst=dayfirst)
    except (ValueError, OverflowError) as error:
        raise DateError(f"is not a date ({_reason(error)})") from None
    if first.date() != second.date():
        raise DateError("is not a whole date (the year, month or day is missing)")
    if first.tzinfo is not None and isinstance(first.tzinfo, dateutil_tz.tzlocal):
        raise DateError("names a timezone that is not an offset (write +03:00 rather than a zone abbreviation)")
    return first


def _numeric_order(text: str) -> bool:
    """For all-numeric dates, say whether the day comes first; refuse day/month that could swap."""
    match = _NUMERIC.match(text)
    if not match or len(match.group(1)) == 4:
        return False
    first, second = int(match.group(1)), int(match.group(3))
    if first <= 12 and second <= 12 and first != second:
        raise DateError("is ambiguous: the day and month could be either way round")
    return first > 12


def _to_utc(moment: datetime, zone: tzinfo, text: str) -> datetime:
    if moment.tzinfo is None:
        local = moment.replace(tzinfo=zone)
        back = local.astimezone(timezone.utc).astimezone(zone).replace(tzinfo=None)
        if back != moment:
            raise DateError(f"does not exist in the site's timezone (the clocks skip that time)")
        moment = local
    return moment.astimezone(timezone.utc)


def _reason(error: Exception) -> str:
    reason = str(error.args[0] if error.args else error)
    reason = reason.split(":")[0]
    return reason.replace("Invalid isoformat string", "not ISO 8601").replace("String does not contain a date", "no date in it")


def format_iso(moment: datetime) -> str:
    """RFC 3339 in UTC with a Z, the form JSON Feed and the Atom files use."""
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
