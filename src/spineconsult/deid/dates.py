"""Parsing the dates the recognizers find, and writing a shifted date back in the same style."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_NO_YEAR = 2000  # a leap year, so 2/29 without a year still parses
_NUMERIC = re.compile(r"^(\d{1,4})([/\-.])(\d{1,2})(?:\2(\d{2,4}))?$")
_WORDY = re.compile(
    r"^(?:(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?)?([A-Za-z]+)\.?,?\s*(?:the\s+)?"
    r"(?:(\d{1,2})(?:st|nd|rd|th)?)?,?\s*(?:of\s+)?((?:19|20)\d{2}|\d{2})?$"
)


@dataclass(frozen=True)
class ParsedDate:
    value: date
    style: str  # "numeric" | "iso" | "words"
    sep: str = "/"
    has_day: bool = True
    has_year: bool = True
    year_digits: int = 4
    day_first: bool = False
    upper: bool = False


def _year(text: str | None) -> tuple[int, int]:
    if not text:
        return _NO_YEAR, 0
    y = int(text)
    return (y if len(text) == 4 else (2000 + y if y < 50 else 1900 + y)), len(text)


def _parse_numeric(text: str) -> ParsedDate | None:
    m = _NUMERIC.match(text)
    if not m:
        return None
    a, sep, b, c = m.groups()
    if len(a) == 4:
        return ParsedDate(date(int(a), int(b), int(c)), "iso", sep) if c else None
    day_first = int(a) > 12
    month, day = (int(b), int(a)) if day_first else (int(a), int(b))
    year, digits = _year(c)
    return ParsedDate(date(year, month, day), "numeric", sep, True, bool(c), digits, day_first)


def _parse_words(text: str) -> ParsedDate | None:
    m = _WORDY.match(text.strip())
    if not m or m.group(2)[:3].lower() not in _MONTHS:
        return None
    day_a, month_word, day_b, year_text = m.groups()
    day = day_a or day_b
    year, digits = _year(year_text)
    month = _MONTHS.index(month_word[:3].lower()) + 1
    return ParsedDate(
        date(year, month, int(day) if day else 15),
        "words",
        " ",
        bool(day),
        bool(year_text),
        digits,
        bool(day_a),
        month_word.isupper(),
    )


def parse_date(text: str) -> ParsedDate | None:
    try:
        return _parse_numeric(text.strip()) or _parse_words(text)
    except ValueError:  # 2/30, 13/13 ...
        return None


def format_like(value: date, parsed: ParsedDate) -> str:
    year = str(value.year)[-parsed.year_digits :] if parsed.has_year else ""
    if parsed.style == "iso":
        return f"{value.year:04d}{parsed.sep}{value.month:02d}{parsed.sep}{value.day:02d}"
    if parsed.style == "numeric":
        first, second = (value.day, value.month) if parsed.day_first else (value.month, value.day)
        return parsed.sep.join(str(p) for p in (first, second, year) if p != "")
    month = _MONTH_NAMES[value.month - 1]
    month = month.upper() if parsed.upper else month
    if not parsed.has_day:
        return f"{month} {year}".strip()
    if parsed.day_first:
        return f"{value.day} {month} {year}".strip()
    return f"{month} {value.day}, {year}" if year else f"{month} {value.day}"
