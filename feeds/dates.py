"""Reading the dates editors write: ISO 8601, RFC 2822 and unambiguous written dates.

Every date comes back timezone-aware in UTC. A date without an offset is read in the
site's timezone; one without a time is midnight there. Anything that could be read two
ways is refused rather than guessed.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from contextlib import suppress
from datetime import datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .characters import look_alike_key
from .months import ENGLISH_DAYS, ENGLISH_MONTHS, in_english, languages_naming

_OFFSET = r"(?P<offset>Z|[+-]\d{2}(:?\d{2})?)"
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?P<time>[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?\s*" + _OFFSET + r"?\Z", re.I)
# ISO 8601's week date (2026-W49-4 is 3 December), its time as strictly written as the other's:
# Python reads anything after the T, and 2026-W49-4T16.40 was 16:00:00.4.
_ISO_WEEK = re.compile(r"\d{4}-?W\d{2}-?[1-7](?P<time>[T ]\d{2}(:?\d{2}(:?\d{2}(\.\d+)?)?)?)?\s*" + _OFFSET + r"?\Z",
                       re.I)
# The dashes word processors and autocorrect put for "-": a minus sign in an offset (09:00 −05:00),
# an en dash between a date's parts. A date means nothing else by them, and read as letters the
# offset was a second time of day, which the hint said to drop: the story would go out hours off.
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d", "-"))
# But a dash between two times of day, touching both or spaced from both, is a range (09:00–10:00,
# 16:40 — 18:00), as typography writes one; a sign keeps to its number (09:00 –05:00). As '-'
# the range's end was an offset: 09:00–10:00 went out at 19:00 UTC, ten hours off.
_TIME_RANGE = re.compile(r"(?<!\d)(\d{1,2}[:.]\d\d)(?:[\u2012-\u2015]|\s+[\u2012-\u2015]\s+)(\d{1,2}[:.]\d\d)")
# Two days of a month with a dash between (20-22 February 2020, Feb 20 - 22): an event's span,
# whose end dateutil took for a two-digit year. Not part of a numeric date or a time.
_DAY_RANGE = re.compile(r"(?<![\d:/.+-])\d{1,2} ?- ?\d{1,2}(?![\d:/.-]|\s*[ap]\.?m\b)", re.I)
_MONTH_NAME = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.I)
# Three numbers, whatever parts them: '12-1, 2020' and '3 4 2020' could swap as '02/03/2020' can.
_NUMERIC = re.compile(r"(\d{1,4})(?:\s*[/.-]\s*|,?\s+)(\d{1,2})(?:\s*[/.-]\s*|,?\s+)(\d{1,4})\b")
_UNIVERSAL = re.compile(r"\b(?:ut|gmt|utc)\s*\Z", re.I)
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY = re.compile(r"\b(mon|tue|wed|thu|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\b\.?", re.I)
_POSIX_OFFSET = re.compile(r"\b(GMT|UTC|UT)\s*[+-]\s*\d", re.I)
_FIRST_DEFAULT = datetime(1901, 1, 1)
_SECOND_DEFAULT = datetime(1902, 2, 2)
_TIMES = re.compile(r"(?<![\d:+-])(?<![+-]\s)\d{1,2}:\d{2}")  # each time of day written ("16:40", "4:40"), not an offset
_SIGNED = re.compile(r"[+-]\s*\d")  # a date that starts with a sign: a negative year, or a stray dash
_DOUBLED = re.compile(r"\d\s*([/.-])\s*\1")  # "2020--02-20", "20//02/2020": a part left out, or a typo
# A time with a dot, as British style writes it (9.30am): dateutil reads no such time.
_DOTTED_TIME = re.compile(r"(?<![\d.])(\d{1,2})\.([0-5]\d)(?=\s*(?:[ap]\.?m\b|$))", re.I)
_LATE_DAY = re.compile(r"(?<![:.\d])(29|30|31)(?![:\d])")  # a day of the month, not a time's minutes
# RFC 2822's own shape, a mail's or a feed's date copied whole, in which each of the US zone
# names that RFC keeps (section 4.3; RFC 5322 has receivers accept them) means one offset.
_RFC_2822_NAMED_ZONE = re.compile(r"(?:[a-z]{3},\s*)?\d{1,2}\s+[a-z]{3}\s+\d{4}\s+\d{2}:\d{2}(?::\d{2})?\s+"
                                  r"(EST|EDT|CST|CDT|MST|MDT|PST|PDT)\Z", re.I)
_RFC_2822_OFFSETS = {"EST": "-0500", "EDT": "-0400", "CST": "-0600", "CDT": "-0500",
                     "MST": "-0700", "MDT": "-0600", "PST": "-0800", "PDT": "-0700"}
# A day as Japanese, Chinese and Korean newsrooms write it, its year, month and day marked
# (2026年11月11日, 2026년 11월 11일): ISO's order, none of dateutil's.
_MARKED_DAY = re.compile(r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]")
_LETTERS = re.compile(r"[^\W\d_]+")  # a word: a run of letters of any script
_HOW = "write it as YYYY-MM-DD HH:MM, such as 2020-02-20 16:40"
MAX_OFFSET = timedelta(hours=14)  # Kiribati's; the furthest west is -12:00
EARLIEST_YEAR = 1000


def _read_written(text: str, default: datetime, dayfirst: bool) -> datetime:
    """dateutil's reading of a date not in ISO 8601, years as written."""
    return _written_parser()(text, default=default, dayfirst=dayfirst, tzinfos=_zone)


@lru_cache(maxsize=1)
def _written_parser() -> Any:
    """dateutil's parser, imported on the first date not in ISO 8601 (most entries have none:
    an edit then reads no dateutil)."""
    from functools import partial

    from dateutil import parser

    class AsWritten(parser.parserinfo):
        """Years are the number written: no century is guessed (dateutil would read 0001 as 2001)."""

        def convertyear(self, year: int, century_specified: bool = False) -> int:
            return year

    return partial(parser.parse, parserinfo=AsWritten())


class DateError(ValueError):
    """The text is not a date: `str()` says so ("is not a date"), `hint` says how to fix it."""

    def __init__(self, message: str, hint: str = _HOW) -> None:
        super().__init__(message)
        self.hint = hint


# The zone a newsroom usually means by an abbreviation that names no zone of its own.
_USUAL_ZONE = {"EDT": "America/New_York", "CST": "America/Chicago", "CDT": "America/Chicago",
               "MDT": "America/Denver", "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles",
               "BST": "Europe/London", "CEST": "Europe/Paris", "EEST": "Europe/Athens", "IST": "Asia/Kolkata",
               "JST": "Asia/Tokyo", "AEST": "Australia/Sydney", "AEDT": "Australia/Sydney"}


# The longest way of writing a date is some 70 characters: "Thursday, 20 February 2020
# 16:40:00 +0000 (Coordinated Universal Time)".
MAX_DATE_CHARACTERS = 100


class _NamedZone(Exception):
    """Internal: the date names its timezone by an abbreviation such as EST."""


def parse_date(text: str, zone: tzinfo, language: str = "en") -> datetime:
    """Read `text` as an instant; naive times are wall-clock times in `zone`, and the names of
    months and days English or `language`'s (the site's)."""
    if time_range := _TIME_RANGE.search(text):
        raise _a_range_of_times(time_range)
    text = " ".join(text.translate(_DASHES).split())
    if not text:
        raise DateError("is not a date", "the field is empty; " + _HOW)
    if len(text) > MAX_DATE_CHARACTERS:  # dateutil would read all of it, several times (7 s for 1 MB)
        raise DateError("is not a date", f"a date is written in at most {MAX_DATE_CHARACTERS} characters, and this has "
                        f"{len(text):,}; " + _HOW)
    text = _in_ascii_digits(text)
    if leap := _LEAP_SECOND.search(text):
        raise _a_leap_second(leap)
    try:
        if _ISO.match(text) or _ISO_WEEK.match(text):
            moment = _parse_iso(text)
        else:
            text = in_english(text, language)
            moment = _parse_written(text, zone, language)
    except OverflowError:
        raise DateError("is not a date", "it is outside the years 1 to 9999; " + _HOW) from None
    try:  # as typed it is in range, but feeds carry every time in UTC: 0001-01-01 00:00+03:00 is the year 0 there
        instant = _to_utc(moment, zone, text)
    except OverflowError:
        raise DateError("is not a date", "in UTC, where feeds carry every time, it falls outside the years 1 to 9999; "
                        + _HOW) from None
    try:  # the summary and the feed pages show it on the site's clock, which must hold it too
        instant.astimezone(zone)
    except OverflowError:
        raise DateError("is not a date", f"on the site's clock ({getattr(zone, 'key', None) or zone}) it falls "
                                         "outside the years 1 to 9999; " + _HOW) from None
    if instant.year < EARLIEST_YEAR:  # RSS dates (RFC 822) have room for no such year: "Thu, 20 Feb 20" reads as 2020
        raise DateError(f"is before the year {EARLIEST_YEAR}",
                        "RSS dates are written with four-digit years, and readers would take it for a recent "
                        "year: check the year, such as 2020-02-20")
    return instant


def _in_ascii_digits(text: str) -> str:
    """The date in the digits and signs dateutil reads: a Japanese input method's full-width
    ２０２６－１１－１１　０９：３０, an Arabic or Hindi keyboard's ٢٠٢٦-١١-١١ or २०२६-११-११, and
    a marked day (2026年11月11日) as ISO writes it; each was 'not a date'. Most dates are
    ASCII, and read as they are: this took 1.7 µs of the 7.6 µs an ISO date takes."""
    if text.isascii():
        return text
    text = "".join(_ascii_digit(character) for character in unicodedata.normalize("NFKC", text))
    return " ".join(_MARKED_DAY.sub(lambda day: f"{day[1]}-{int(day[2]):02}-{int(day[3]):02} ", text).split())


def _ascii_digit(character: str) -> str:
    value = None if character.isascii() else unicodedata.decimal(character, None)
    return character if value is None else str(value)


def _parse_iso(text: str) -> datetime:
    match = _ISO.match(text)
    try:
        return datetime.fromisoformat(_as_python_reads(text, match or _ISO_WEEK.match(text)).replace("z", "Z"))
    except ValueError as error:
        if match and int(match.group(3)) == 0:
            raise DateError("is not a date", "days are counted from 1, and there is no day 0; " + _HOW) from None
        if match and (written := match.group("offset")) and written[0] in "+-" and int(written[1:3]) >= 24:
            digits = written[1:].replace(":", "")  # Python reads offsets under 24 hours only
            offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
            raise _no_such_offset(_offset_text(-offset if written[0] == "-" else offset)) from None
        year_month = (int(match.group(1)), int(match.group(2))) if match else (None, None)
        raise DateError("is not a date", _reason(error, *year_month)) from None


def _as_python_reads(text: str, match: re.Match[str] | None) -> str:
    """The text with no space before its offset, as Python 3.11 reads none after a fraction
    of 1 to 5 digits (2020-02-20 16:40:00.000 +03:00, as CMS exports and YAML write it); and
    a day with an offset at its midnight there (XML Schema's date, 2020-02-20+05:00), which
    Python took for a time of day, the offset's digits read as 05:00 on the site's clock."""
    if match is None or match.group("offset") is None:
        return text
    day_and_time = text[:match.start("offset")].rstrip()
    return day_and_time + ("T00" if match.group("time") is None else "") + match.group("offset")


def _parse_written(text: str, zone: tzinfo, language: str) -> datetime:
    text = _UNIVERSAL.sub(lambda name: name.group().upper(), text)  # dateutil knows "GMT", not "gmt"
    if rfc_2822 := _RFC_2822_NAMED_ZONE.match(text):
        text = text[:rfc_2822.start(1)] + _RFC_2822_OFFSETS[rfc_2822.group(1).upper()]
    if _POSIX_OFFSET.search(text):
        raise DateError("is not a date", "GMT+N is read either way round by different programs; "
                                         "write the offset alone, such as +03:00")
    text = _DOTTED_TIME.sub(r"\1:\2", text)
    if _MONTH_NAME.search(text) and (days := _DAY_RANGE.search(text)):
        raise DateError("is not a date", f"{days.group()} is a range of days: keep the one meant; " + _HOW)
    _refuse_what_reads_two_ways(text)
    dayfirst = _numeric_order(text)
    try:
        first = _read_written(text, _FIRST_DEFAULT, dayfirst)
        second = _read_written(text, _SECOND_DEFAULT, dayfirst)
    except _NamedZone as named:
        raise DateError("is not a date", f"a timezone's abbreviation ({named}) is not read, since many name "
                                         "several zones (IST: India, Ireland, Israel); write an offset such as "
                                         f"{_offset_for(str(named), zone)} instead") from None
    except ValueError as error:
        if text.isdigit():  # a day alone (31), or seconds since 1970: no month or year to name in the reason
            raise _a_number_alone(text) from None
        if foreign := _in_another_language(text, language):
            raise foreign from None
        raise DateError("is not a date", _reason(error, *_year_month(text, dayfirst))) from None
    if first.date() != second.date():
        raise DateError("is not a whole date", "give the year, month and day, such as 2020-02-20 16:40")
    if first.year < 100:
        raise DateError("is ambiguous", "a two-digit year could be in any century; write the year in full, such as 2020")
    weekday = _WEEKDAY.search(text)
    said = _WEEKDAYS.index(weekday.group(1).lower()) if weekday else first.weekday()
    if said != first.weekday():  # "Thu, 01 Jan 2020": the day or the date is a typo, and which is unknown
        raise DateError("is not a date", f"{first.day} {first:%B %Y} was a {first:%A}, not a "
                                         f"{calendar.day_name[said]}; check the day and the date")
    return first


def _in_another_language(text: str, language: str) -> DateError | None:
    """A date whose month, or else weekday, is named in a language other than English and the
    site's, with the date it is there in ISO 8601: `11 décembre 2026` on a site in German,
    `Mittwoch, 11 December 2026` on one in English (its weekday got the generic hint). Not read
    as it is: one name is two months in two languages (listopad: November in Polish, October
    in Croatian)."""
    for english in (ENGLISH_MONTHS, ENGLISH_DAYS):
        for word in _LETTERS.findall(text):
            languages = {other: name for other, name in languages_naming(look_alike_key(word)).items() if name in english}
            readings = sorted({reading for other in languages if (reading := _as_iso(in_english(text, other)))})
            if readings:
                names = sorted(set(languages.values()), key=english.index)
                named = " and ".join(f"{name} in {_either(sorted(other for other in languages if languages[other] == name))}"
                                     for name in names)
                clash = next(filter(None, (_weekday_clash(in_english(text, other)) for other in languages)), "")
                return DateError("is not a date", f"{word} is {named}, not in the site's language ({language}){clash}; "
                                                  f"write it as {' or '.join(readings)}")
    return None


def _weekday_clash(text: str) -> str:
    """', and 11 December 2026 was a Friday: check the day and the date', where the weekday
    `text` (in English words) names is not its date's, as a date in English is told."""
    weekday = _WEEKDAY.search(text)
    with suppress(ValueError, OverflowError, _NamedZone):
        moment = _read_written(text, _FIRST_DEFAULT, _numeric_order(text))
        if weekday and _WEEKDAYS.index(weekday.group(1).lower()) != moment.weekday():
            return f", and {moment.day} {moment:%B %Y} was a {moment:%A}: check the day and the date"
    return ""


def _either(words: list[str]) -> str:
    """'de, fr or pt'."""
    return ", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else words[0]


def _as_iso(text: str) -> str | None:
    """`text`, a date in English words, written as ISO 8601 (with its time and offset, if any)."""
    with suppress(ValueError, OverflowError, _NamedZone):
        moment = _read_written(text, _FIRST_DEFAULT, _numeric_order(text))
        if _names_no_time(text):
            return f"{moment:%Y-%m-%d}"
        offset = "" if moment.tzinfo is None else _offset_text(moment.utcoffset())
        return moment.strftime("%Y-%m-%d %H:%M" + (":%S" if moment.second else "")) + offset
    return None


def _a_range_of_times(found: re.Match[str]) -> DateError:
    """A range's hint; its end could be an offset only if written as one (05:00, never 18:00)."""
    start, end = found.groups()
    offset = f"; if {end} is the offset from UTC, write it as {start} -{end}" if _could_be_offset(end) else ""
    return DateError("is not a date", f"{found.group()} is a range of times: keep the one meant{offset}; " + _HOW)


def _could_be_offset(text: str) -> bool:
    hours, _, minutes = text.partition(":")
    return bool(minutes) and timedelta(hours=int(hours), minutes=int(minutes)) <= MAX_OFFSET


def _a_number_alone(text: str) -> DateError:
    """A number that is no date: a day without its month and year, or a Unix time, whose date
    the hint gives (1582216800 is 2020-02-20 16:40 UTC)."""
    hint = "give the year, month and day, such as 2020-02-20 16:40"
    if len(text) >= 9:
        with suppress(OverflowError, OSError, ValueError):
            moment = datetime.fromtimestamp(int(text), timezone.utc)
            hint = f"if it counts seconds since 1970 (a Unix time), it is {moment:%Y-%m-%d %H:%M}Z: write that; else {hint}"
    return DateError("is not a whole date", hint)


def _refuse_what_reads_two_ways(text: str) -> None:
    """What dateutil would read by dropping part of it: two times (it takes the last), a
    sign before the year (it drops it), a separator written twice (it skips the gap)."""
    times = _TIMES.findall(text)
    if len(times) > 1:
        raise DateError("is not a date", f"it has {len(times)} times of day ({', '.join(times)}); keep the one meant: "
                        + _HOW)
    if _SIGNED.match(text):
        raise DateError("is not a date", f"it starts with {text[0]!r}, and years before 1 are not dates; " + _HOW)
    if doubled := _DOUBLED.search(text):
        raise DateError("is not a date", f"{doubled.group(1) * 2!r} leaves a part out between two separators; " + _HOW)


def _offset_for(abbreviation: str, site_zone: tzinfo) -> str:
    """The offset an abbreviation most likely means here: the site's zone's, if it uses that
    name in winter or summer (EST, EDT in America/New_York); else that of the zone a newsroom
    most often means by it (PST: Los Angeles); else the site's own offset now. An example that
    fits, for the hint, never a guess acted on."""
    name = abbreviation.upper()
    year = datetime.now().year
    fitting: list[datetime] = []
    for candidate in (site_zone, _zone_named(_USUAL_ZONE.get(name, name))):
        if candidate is not None and not fitting:
            seasons = [datetime(year, 1, 15, 12, tzinfo=candidate), datetime(year, 7, 15, 12, tzinfo=candidate)]
            fitting = [moment for moment in seasons if moment.tzname() == name]
    offset = (fitting or [datetime.now(site_zone)])[0].utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    return f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _zone_named(name: str) -> tzinfo | None:
    with suppress(ValueError, ZoneInfoNotFoundError, OSError):  # OSError: a region's folder (Europe), a name too long
        return ZoneInfo(name)
    return None


def _zone(name: str | None, offset: int | None) -> tzinfo | None:
    """dateutil's hook for zones: offsets (and UTC/GMT/Z) are fine, other names are refused."""
    if offset is not None:
        if abs(offset) >= 24 * 3600:
            raise ValueError("offset must be less than 24 hours")
        from dateutil import tz

        return tz.tzoffset(None, offset)
    if name is not None and name.upper() in ("UT", "GMT", "UTC", "Z"):  # any case: dateutil knows only some
        return timezone.utc
    if name is not None:
        raise _NamedZone(name)
    return None


def _numeric_order(text: str) -> bool:
    """For all-numeric dates, say whether the day comes first; refuse day/month that could swap."""
    match = _NUMERIC.match(text)
    if not match or len(match.group(1)) == 4:
        return False
    first, second = int(match.group(1)), int(match.group(2))
    if 1 <= first <= 12 and 1 <= second <= 12 and first != second:
        year = match.group(3) if len(match.group(3)) == 4 else "YYYY"
        raise DateError("is ambiguous", f"it could be {first} {calendar.month_name[second]} or "
                                        f"{second} {calendar.month_name[first]}; write it as "
                                        f"{year}-{second:02d}-{first:02d} or {year}-{first:02d}-{second:02d}")
    return first > 12


def _to_utc(moment: datetime, zone: tzinfo, text: str) -> datetime:
    if moment.tzinfo is None:
        moment = _in_zone(moment, zone, text)
    else:
        _check_offset(moment.utcoffset())
    return moment.astimezone(timezone.utc)


def _check_offset(offset: timedelta | None) -> None:
    """A written offset is one some timezone has: -14:00 to +14:00 (a +15:00 is a typo)."""
    if offset is not None and abs(offset) > MAX_OFFSET:
        raise _no_such_offset(_offset_text(offset))


def _no_such_offset(written: str) -> DateError:
    """The one message for it, whether Python reads the offset (+15:00) or cannot (+25:00)."""
    return DateError(f"has the offset {written}, which no timezone has",
                     "offsets run from -14:00 to +14:00; check the sign and the digits, such as 2020-02-20 16:40+03:00")


def _in_zone(wall: datetime, zone: tzinfo, text: str) -> datetime:
    """A wall-clock time in `zone`; refused if the clocks skip it or pass it twice, unless
    `text` names a day and no time: that is the day's first moment, where some zones' clocks
    skip midnight (Cairo, Santiago, Beirut) or pass it twice (Havana) once a year."""
    name = getattr(zone, "key", None) or str(zone)
    early, late = wall.replace(tzinfo=zone, fold=0), wall.replace(tzinfo=zone, fold=1)
    if early.utcoffset() == late.utcoffset() or _names_no_time(text):
        return early  # skipped, the earlier offset's midnight is the moment the clocks jump: the day's first
    back = early.astimezone(timezone.utc).astimezone(zone).replace(tzinfo=None)
    if back != wall:
        raise DateError(f"does not exist in {name}",
                        "the clocks go forward over that time; write a later time, or give an offset")
    offset = _offset_text(early.utcoffset())
    raise DateError(f"is ambiguous in {name}",
                    f"the clocks go back over that time, so it happens twice; add the offset, such as "
                    f"{wall:%Y-%m-%d %H:%M}{offset}")


def _names_no_time(text: str) -> bool:
    """The date is a day alone ("2024-04-26", "26 April 2024"): read again with another time
    of day to fill in, a written date keeps that time only if it names none."""
    iso = _ISO.match(text)
    if iso is not None:
        return iso.group("time") is None
    if week := _ISO_WEEK.match(text):
        return week.group("time") is None
    filler = datetime(1901, 1, 1, 13, 37, 59)
    try:
        return _read_written(text, filler, _numeric_order(text)).time() == filler.time()
    except (ValueError, OverflowError, _NamedZone):
        return False


def _offset_text(offset: timedelta | None) -> str:
    minutes = int((offset or timedelta()).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _year_month(text: str, dayfirst: bool) -> tuple[int | None, int | None]:
    """The year and month of a date dateutil could not build, for the hint: read again with
    a late day (29-31) as the 28th, which every month has."""
    try:
        moment = _read_written(_LATE_DAY.sub("28", text), _FIRST_DEFAULT, dayfirst)
    except (ValueError, OverflowError, TypeError, _NamedZone):
        return None, None
    return moment.year, moment.month


_LEAP_SECOND = re.compile(r"(?<![\d:])([01]?\d|2[0-3]):([0-5]\d):60(?!\d)")


def _a_leap_second(leap: re.Match[str]) -> DateError:
    """23:59:60, the second UTC adds at the end of some days, has no place on Python's clock:
    it was refused in Python's words, "second must be in 0..59", with no word of what to write."""
    hour, minute = int(leap[1]), int(leap[2])
    after = (hour * 60 + minute + 1) % (24 * 60)
    next_minute = f"{after // 60:02d}:{after % 60:02d}:00" + (" (the next day's)" if after == 0 else "")
    return DateError("is not a date", f"{leap[0]} is a leap second, which feeds cannot carry; write "
                                      f"{hour:02d}:{minute:02d}:59, or the next minute's {next_minute}")


def _reason(error: Exception, year: int | None, month: int | None) -> str:
    """Why the date is not one, in the editor's words, followed by how to write it."""
    reason = str(error.args[0] if error.args else error).split(":")[0]
    if "day is out of range" in reason:
        if year and month and 1 <= year <= 9999 and 1 <= month <= 12:
            days = calendar.monthrange(year, month)[1]
            return f"{calendar.month_name[month]} {year} has {days} days; " + _HOW
        return "that month has fewer days; " + _HOW
    if "hour must be in" in reason:
        return "hours run from 00 to 23, and midnight at the end of a day is the next day's 00:00; " + _HOW
    if "must be in" in reason or "out of range" in reason:
        return f"{reason}; " + _HOW
    return _HOW


def clock_name(local: datetime) -> str:
    """The name of the clock `local` is read on: its abbreviation (BST, EST), or its offset
    (+05:45) in zones that have none."""
    name = local.tzname() or ""
    if name.isalpha():
        return name
    offset = local.strftime("%z")
    return f"{offset[:3]}:{offset[3:]}"


def is_repeated(local: datetime) -> bool:
    """The wall-clock time happens twice that day: the hour the clocks go back over."""
    return local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()


def format_iso(moment: datetime) -> str:
    """RFC 3339 in UTC with a Z, the form JSON Feed and the Atom files use."""
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def on_the_clock_of(moment: datetime, zone: tzinfo) -> datetime:
    """`moment`, or, given without a time zone (a caller's datetime(2020, 2, 20, 16, 40)), that
    time on `zone`'s wall clock: read as --now and a date written without an offset are."""
    return moment if moment.utcoffset() is not None else moment.replace(tzinfo=zone)
