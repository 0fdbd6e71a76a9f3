"""Merging overlapping candidate spans into the final, non-overlapping list."""

from __future__ import annotations

from collections.abc import Iterable

from spineconsult.deid.models import Span

# When spans of different types overlap, the merged span keeps the most specific type.
_PRIORITY = {
    "EMAIL": 0,
    "URL": 1,
    "IP": 2,
    "ID": 3,
    "DATE": 4,
    "PHONE": 5,
    "AGE": 6,
    "ADDRESS": 7,
    "NAME": 8,
    "ORGANIZATION": 9,
    "LOCATION": 10,
}


def _better(a: Span, b: Span) -> Span:
    # the longer span describes the whole ("Calvert Hospital" over "Calvert"); ties go to the specific type
    ka = (-(a.end - a.start), _PRIORITY[a.type])
    kb = (-(b.end - b.start), _PRIORITY[b.type])
    return a if ka <= kb else b


def resolve(spans: Iterable[Span]) -> list[Span]:
    """Union of overlapping spans; type and rule from the highest-priority member."""
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            best = _better(last, span)
            merged[-1] = Span(start=last.start, end=max(last.end, span.end), type=best.type, rule=best.rule)
        else:
            merged.append(span)
    return merged
