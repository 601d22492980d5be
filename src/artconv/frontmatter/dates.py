"""Front-matter dates, defined once: the named formats of schemas, and when an article was written.

Dates are accepted the way site generators accept them. JSON Schema's own `date-time` wants
RFC 3339 only, yet real front matter holds RFC 1123 dates from feed mirrors, jekyll-import's
`2014-07-14 16:19:14.000000000 -07:00`, bare dates and YAML timestamps, all of which Hexo,
Jekyll and Hugo build without complaint. Rejecting them would bury the real problems
(`2016-13-45`, `someday`) under noise.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# the zone names RFC 822 allows besides numeric offsets
_ZONES = {
    "GMT": 0, "UT": 0, "UTC": 0, "Z": 0,
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
}

_RFC1123 = re.compile(
    r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(\d{1,2}) (%s) (\d{4}) (\d{2}):(\d{2})(?::(\d{2}))? ([A-Z]{1,3}|[+-]\d{4})"
    % "|".join(_MONTHS)
)
# one hour digit and a space before the offset are what YAML timestamps and jekyll-import allow
_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:(?:[Tt]|[ \t]+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?"
    r"(?:[ \t]*([Zz]|[+-]\d{2}(?::?\d{2})?))?)?"
)
# what feed mirrors and old blogs write besides the forms above: `2021/7/31 5:06`
_LOOSE_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})")


class DateShapeError(ValueError):
    """The text is not written as a date at all (as opposed to a date that does not exist)."""


def parse_rfc1123(text: str) -> datetime:
    match = _RFC1123.fullmatch(text.strip())
    if not match:
        raise DateShapeError("not in the form Wed, 18 May 2022 04:07:28 GMT")
    day, month, year, hour, minute, second, zone = match.groups()
    return datetime(
        int(year), _MONTHS.index(month) + 1, int(day), int(hour), int(minute), int(second or 0), tzinfo=_zone(zone)
    )


def parse_iso(text: str) -> date:
    """A bare date, or a date and time with `T` or spaces, optional fraction and offset."""
    match = _ISO.fullmatch(text.strip())
    if not match:
        raise DateShapeError("not in the form 2022-05-18 or 2022-05-18T04:07:28+08:00")
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    if hour is None:
        return date(int(year), int(month), int(day))
    microsecond = int((fraction or "0").ljust(6, "0")[:6])
    return datetime(
        int(year), int(month), int(day), int(hour), int(minute), int(second or 0), microsecond, tzinfo=_zone(zone)
    )


def parse_generator_date(text: str) -> date:
    """Any date Hexo, Jekyll or Hugo accepts in front matter; ValueError says why not."""
    if _ISO.fullmatch(text.strip()):
        return parse_iso(text)
    if _RFC1123.fullmatch(text.strip()):
        return parse_rfc1123(text)
    raise DateShapeError("not a date form that site generators read")


def parse_rfc3339(text: str) -> datetime:
    if not _RFC3339.fullmatch(text):
        raise DateShapeError("not in the form 2022-05-18T04:07:28+08:00")
    return parse_iso(text)


def _zone(zone: str | None) -> timezone | None:
    if zone is None:
        return None
    if zone.upper() in _ZONES:
        return timezone(timedelta(hours=_ZONES[zone.upper()]))
    if zone[0] not in "+-":
        raise ValueError(f"unknown time zone '{zone}'")
    digits = zone[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 23 or minutes > 59:
        raise ValueError(f"time zone offset '{zone}' is out of range")
    offset = timedelta(hours=hours, minutes=minutes)
    return timezone(-offset if zone[0] == "-" else offset)


def article_date(metadata: dict) -> datetime | None:
    """When an article was written, from its front matter's `date` (else `updated`), in UTC."""
    for key in ("date", "updated"):
        parsed = parse_date(metadata.get(key))
        if parsed is not None:
            return parsed
    return None


def parse_date(value: object) -> datetime | None:
    """A front-matter date as an aware UTC datetime; None when it is not a date.

    YAML gives datetimes and dates; strings come as RFC 1123 from feed mirrors, ISO 8601 with
    or without offsets, or looser `2021/7/31 5:06`. A date without a zone is taken as UTC.
    """
    if isinstance(value, str):
        value = _parse_date_text(value.strip())
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        try:
            return value.astimezone(UTC)
        except (OverflowError, ValueError):
            return None
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    return None


def _parse_date_text(text: str) -> date | None:
    try:
        return parse_generator_date(text)
    except (ValueError, OverflowError):
        pass
    import email.utils  # only EPUB reads dates this loosely; lint and convert need not load it

    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    match = _LOOSE_DATE.match(text)
    if match:
        numbers = [int(part) for part in match.groups(default="0")]
        try:
            return datetime(*numbers)
        except ValueError:
            return None
    return None


# format name -> (parser, what a value must be, an example-bearing hint for messages)
FORMATS = {
    "generator-date": (parse_generator_date, "a date", "a date such as 2022-05-18 or Wed, 18 May 2022 04:07:28 GMT"),
    "rfc1123-date": (parse_rfc1123, "an RFC 1123 date", "a date such as Wed, 18 May 2022 04:07:28 GMT"),
    "iso-date": (parse_iso, "an ISO 8601 date", "a date such as 2022-05-18 or 2022-05-18T04:07:28+08:00"),
    "date-time": (parse_rfc3339, "an RFC 3339 date and time", "a date and time such as 2022-05-18T04:07:28+08:00"),
}


def format_checker():
    """A jsonschema FormatChecker with the standard formats and the date formats above."""
    from jsonschema import FormatChecker

    checker = FormatChecker()
    for name, (parse, _, _) in FORMATS.items():
        checker.checks(name, raises=ValueError)(_string_check(parse))
    return checker


def _string_check(parse):
    def check(instance) -> bool:
        if isinstance(instance, str):
            parse(instance)
        return True  # formats constrain strings only; `type` speaks for the rest

    return check
