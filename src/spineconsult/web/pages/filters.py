"""Jinja2 filters: dates, durations, labels and the one place where library highlights become HTML."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable, Mapping
from typing import Any

from markupsafe import Markup, escape

STATUS_LABELS = {
    "waiting": "Waiting for a specialist",
    "claimed": "A specialist is working on it",
    "awaiting_patient": "The specialist asked you a question",
    "in_review": "Answered, being checked by a reviewer",
    "answered": "Answered",
    "returned": "Returned to the specialist",
    "published": "Answered and published (without your details)",
    "closed": "Closed",
}
TURN_LABELS = {
    "question": "question",
    "message": "message",
    "request_info": "asks for more information",
    "answer": "answer",
}
SECTION_TITLES = {
    "probable_causes": "Probable causes",
    "investigations": "Investigations to be done",
    "differential_diagnosis": "Differential diagnosis",
    "treatment_plan": "Treatment plan",
}


def when(value: dt.datetime | None) -> str:
    """A moment for people: '25 Nov 2026, 17:40 UTC'."""
    if value is None:
        return ""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return value.strftime("%-d %b %Y, %H:%M UTC")


def day(value: dt.datetime | dt.date | None) -> str:
    """A date in the seed's style: 'Jul 13, 2016'."""
    return value.strftime("%b %-d, %Y") if value is not None else ""


def iso(value: dt.datetime | dt.date | None) -> str:
    return value.isoformat() if value is not None else ""


def duration(seconds: float) -> str:
    """'3 h 05 min left' or '25 min overdue'."""
    late = seconds < 0
    minutes = int(abs(seconds) // 60)
    hours, minutes = divmod(minutes, 60)
    text = f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"
    return f"{text} overdue" if late else f"{text} left"


def filesize(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status.replace("_", " "))


def turn_label(kind: str) -> str:
    return TURN_LABELS.get(kind, kind.replace("_", " "))


def section_items(sections: Mapping[str, str] | None) -> list[tuple[str, str]]:
    """The answer sections in the seed's order, with their titles, skipping empty ones."""
    if not sections:
        return []
    ordered = [name for name in SECTION_TITLES if name in sections]
    ordered += [name for name in sections if name not in SECTION_TITLES]
    return [
        (SECTION_TITLES.get(n, n.replace("_", " ").capitalize()), sections[n]) for n in ordered if sections[n]
    ]


def by_id(items: Iterable[Mapping[str, Any]] | None) -> dict[str, Mapping[str, Any]]:
    return {str(item["id"]): item for item in items or () if "id" in item}


def highlighted(snippet: str) -> Markup:
    """A search snippet (escaped text with <mark> highlights) as HTML in which only <mark> survives.

    Unescaping first keeps entities from being escaped twice; escaping everything again then means
    nothing but the highlights can ever become markup.
    """
    safe = str(escape(html.unescape(snippet)))
    return Markup(safe.replace("&lt;mark&gt;", "<mark>").replace("&lt;/mark&gt;", "</mark>"))


FILTERS = {
    "when": when,
    "day": day,
    "iso": iso,
    "duration": duration,
    "filesize": filesize,
    "status_label": status_label,
    "turn_label": turn_label,
    "section_items": section_items,
    "by_id": by_id,
    "highlighted": highlighted,
}
