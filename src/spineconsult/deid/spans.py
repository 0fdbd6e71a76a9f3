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


_ENTITY_TYPES = frozenset({"NAME", "LOCATION", "ORGANIZATION"})
# Between a name and a place of the same extent, the one with direct evidence wins: a title or relation
# makes a person ("Dr. Jackson"), a place cue a place ("lives in Manchester"), bare gazetteers come last.
_PERSON_EVIDENCE = ("name:title", "name:relation", "name:cue", "name:self", "known:")


def _evidence(span: Span) -> int:
    if span.rule.startswith(_PERSON_EVIDENCE):
        return 0
    if span.type != "NAME":
        return 1
    return 2


def _better(a: Span, b: Span) -> Span:
    # the longer span describes the whole ("Calvert Hospital" over "Calvert"); ties go to the specific type,
    # and between a name and a place to the one with direct evidence
    entities = a.type in _ENTITY_TYPES and b.type in _ENTITY_TYPES
    ka = (-(a.end - a.start), _evidence(a) if entities else 0, _PRIORITY[a.type])
    kb = (-(b.end - b.start), _evidence(b) if entities else 0, _PRIORITY[b.type])
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
