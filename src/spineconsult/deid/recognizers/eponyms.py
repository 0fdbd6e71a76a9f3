"""Eponyms are clinical content, not people: "Spurling test", "Chiari malformation", "Cobb angle",
"Gardner-Wells tongs", "Paget's disease", "Jackson table". A name-like word (or hyphenated chain) that
is followed by one of these head words is kept, unless a title, a relation or a known identity said
it is a person ("Dr. Smith test results" stays masked)."""

from __future__ import annotations

import re

from spineconsult.deid.lexicon import lexicon
from spineconsult.deid.models import Span

_EPONYM_TYPES = frozenset({"NAME", "LOCATION"})  # Jackson table, Philadelphia collar are places too
_KEEP_RULES = ("name:title", "name:relation", "known:")
_AFTER = re.compile(r"(?:'s)?(?:[\s\-]+[A-Za-z]\.?)?[\s\-]+([A-Za-z]+)")


def _followed_by_head(text: str, end: int) -> bool:
    m = _AFTER.match(text, end)
    return bool(m and m.group(1).lower() in lexicon().eponym_heads)


def _chain_end(text: str, spans: list[Span], i: int) -> int:
    """End of a hyphenated eponym chain starting at spans[i] (Brown-Sequard, Gardner-Wells)."""
    end = spans[i].end
    for nxt in spans[i + 1 :]:
        if text[end : nxt.start] != "-":
            break
        end = nxt.end
    while (m := re.match(r"-[A-Za-z]+", text[end:])) is not None:
        end += m.end()
    return end


def drop_eponyms(text: str, spans: list[Span]) -> list[Span]:
    ordered = sorted(spans, key=lambda s: (s.start, s.end))
    names = [s for s in ordered if s.type in _EPONYM_TYPES]
    dropped: set[int] = set()
    for i, span in enumerate(names):
        if span.rule.startswith(_KEEP_RULES) or not _followed_by_head(text, _chain_end(text, names, i)):
            continue
        dropped.add(id(span))
        for nxt in names[i + 1 :]:
            if text[names[i].end : nxt.start] == "-" or (nxt.start < _chain_end(text, names, i)):
                dropped.add(id(nxt))
    return [s for s in ordered if id(s) not in dropped]
