"""Time since surgery from phrases like "eleven days ago", "3 weeks post", "in 2019", "last month"."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "a couple of": 2,
    "couple of": 2,
    "a couple": 2,
    "a few": 3,
    "few": 3,
    "several": 4,
    "many": 5,
    "half a": 0.5,
    "a half": 0.5,
}
UNIT_WEEKS = {
    "hour": 1 / 168,
    "hr": 1 / 168,
    "day": 1 / 7,
    "week": 1.0,
    "wk": 1.0,
    "month": 52 / 12,
    "year": 52.0,
    "yr": 52.0,
}
_NUM = r"\d+(?:\.\d+)?|" + "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True))
RELATIVE = re.compile(
    rf"(?<![a-z0-9])(?P<n>{_NUM})(?:[- ](?:and[- ]a[- ]half))?\s*-?\s*"
    r"(?P<unit>hour|hr|day|week|wk|month|year|yr)s?(?![- ]old)"
    r"(?:\s+(?:and\s+)?(?:a\s+half))?"
    r"(?P<rel>\s+(?:ago|after|post(?:[- ]?op\w*)?|out|since|later|back|before|prior))?"
)
# Clinical shorthand: "POD 4", "post-op day 3", "post op week 2", "day 2 after surgery".
POSTOP = re.compile(
    r"(?<![a-z0-9])(?:pod|post[- ]?op(?:erative)?\s+(?P<unit>day|week|wk)|day)\s*(?P<n>\d{1,3})(?![0-9])"
    r"(?:\s+(?:after|post|since|following))?"
)
YEAR = re.compile(r"(?<![a-z0-9])(?:in|during|since|back in)\s+(?P<year>19[5-9]\d|20[0-4]\d)(?![0-9])")
ISO = re.compile(r"(?<![0-9])(?P<date>(?:19|20)\d\d-\d\d-\d\d)(?![0-9])")
NAMED = {
    "yesterday": 1 / 7,
    "last week": 1.0,
    "last month": 52 / 12,
    "last year": 52.0,
    "the day before yesterday": 2 / 7,
    "this morning": 0.0,
    "today": 0.0,
}
NAMED_RE = re.compile(r"(?<![a-z])(" + "|".join(sorted(NAMED, key=len, reverse=True)) + r")(?![a-z])")
SURGERY_WORDS = re.compile(
    r"surg|operat|\bop\b|post[- ]?op|procedure|ectomy|otomy|fusion|fused|acdf|stimulator|implant|plasty|"
    r"decompress|microd|[tpax]lif\b|\bscs\b"
)


MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
SEASONS = {"spring": 4, "summer": 7, "autumn": 10, "fall": 10, "winter": 1}
MONTH_RE = re.compile(
    r"(?<![a-z])(?:in|since|back in|during|last|this past|early|late|mid)[- ](?:the )?(?P<name>"
    + "|".join(MONTHS + list(SEASONS))
    + r")(?:\s+(?P<year>(?:19|20)\d\d))?(?![a-z])"
)


@dataclass(frozen=True)
class TimeMention:
    weeks: float
    start: int
    end: int
    linked: bool  # in a sentence that mentions the operation, or says "post-op"/"after"
    distance: int = 0  # characters to the nearest mention of the operation in the sentence


def _number(word: str) -> float | None:
    word = word.strip()
    if word in NUMBER_WORDS:
        return float(NUMBER_WORDS[word])
    try:
        return float(word)
    except ValueError:
        return None


def _relative(sentence: str, offset: int, linked: bool) -> list[TimeMention]:
    out = []
    for m in RELATIVE.finditer(sentence):
        n = _number(m.group("n"))
        rel = (m.group("rel") or "").strip()
        if n is None or rel in ("before", "prior") or (not rel and not linked):
            continue
        if "and a half" in m.group(0) or m.group(0).rstrip().endswith("half"):
            n += 0.5
        weeks = n * UNIT_WEEKS[m.group("unit")]
        strong = linked or rel.startswith("post") or rel == "out"
        out.append(TimeMention(weeks, offset + m.start(), offset + m.end(), strong))
    return out


def _absolute(sentence: str, offset: int, linked: bool, asked_on: dt.date) -> list[TimeMention]:
    out = []
    for m in YEAR.finditer(sentence):
        then = dt.date(int(m.group("year")), 7, 1)
        if then <= asked_on:
            out.append(TimeMention((asked_on - then).days / 7, offset + m.start(), offset + m.end(), linked))
    for m in ISO.finditer(sentence):
        try:
            then = dt.date.fromisoformat(m.group("date"))
        except ValueError:
            continue
        if then <= asked_on:
            out.append(TimeMention((asked_on - then).days / 7, offset + m.start(), offset + m.end(), linked))
    for m in POSTOP.finditer(sentence):
        explicit = m.group(0).startswith(("pod", "post"))
        if explicit or linked:
            days_or_weeks = float(m.group("n")) * (
                1.0 if (m.group("unit") or "day").startswith("w") else 1 / 7
            )
            out.append(TimeMention(days_or_weeks, offset + m.start(), offset + m.end(), True))
    for m in MONTH_RE.finditer(sentence):
        then = _month_date(m.group("name"), m.group("year"), asked_on)
        out.append(TimeMention((asked_on - then).days / 7, offset + m.start(), offset + m.end(), linked))
    for m in NAMED_RE.finditer(sentence):
        out.append(TimeMention(NAMED[m.group(1)], offset + m.start(), offset + m.end(), linked))
    return out


def _month_date(name: str, year: str | None, asked_on: dt.date) -> dt.date:
    """The middle of the most recent such month (or season) not after asked_on."""
    month = SEASONS.get(name) or MONTHS.index(name) + 1
    then = dt.date(int(year) if year else asked_on.year, month, 15)
    if then > asked_on:
        then = then.replace(year=then.year - 1)
    return then


def _with_distance(mention: TimeMention, sentence: str, offset: int) -> TimeMention:
    spots = [m.start() + offset for m in SURGERY_WORDS.finditer(sentence)]
    if not spots:
        return mention
    distance = min(min(abs(spot - mention.start), abs(spot - mention.end)) for spot in spots)
    return TimeMention(mention.weeks, mention.start, mention.end, mention.linked, distance)


def time_mentions(text: str, asked_on: dt.date) -> list[TimeMention]:
    """Every time expression, in order, marked `linked` when its sentence is about the operation."""
    mentions: list[TimeMention] = []
    offset = 0
    for sentence in re.split(r"(?<=[.!?\n])", text):
        linked = bool(SURGERY_WORDS.search(sentence))
        found = _relative(sentence, offset, linked) + _absolute(sentence, offset, linked, asked_on)
        mentions.extend(_with_distance(m, sentence, offset) for m in found)
        offset += len(sentence)
    return sorted(mentions, key=lambda m: m.start)


def weeks_since_surgery(text: str, asked_on: dt.date) -> float | None:
    """The time expression tied to the operation (the one nearest to where the operation is named), in
    weeks; None when the message gives none."""
    linked = [m for m in time_mentions(text, asked_on) if m.linked]
    if not linked:
        return None
    return round(min(linked, key=lambda m: m.distance).weeks, 2)


def band(weeks: float | None) -> str:
    """Time band of the priors: days (< 2 weeks), weeks (< 12), months (< 24 months), years."""
    if weeks is None:
        return "unknown"
    if weeks < 2:
        return "days"
    if weeks < 12:
        return "weeks"
    if weeks < 104:
        return "months"
    return "years"
