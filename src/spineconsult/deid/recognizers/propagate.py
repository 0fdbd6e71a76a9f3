"""Once a word is known to be a name or a place in a document, mask it everywhere in that document.

Notes repeat names without the cue that revealed them the first time ("Dr Healey ... healey aware").
Ordinary words are not spread (a wrong cue must not wipe out "will" everywhere); acronyms are.
"""

from __future__ import annotations

from spineconsult.deid.lexicon import lexicon, place_words
from spineconsult.deid.models import Span
from spineconsult.deid.spans import resolve
from spineconsult.deid.tokens import Token

_SPREAD_TYPES = frozenset({"NAME", "LOCATION", "ORGANIZATION"})


def _spreadable(tok: Token) -> bool:
    lex = lexicon()
    # the joining words inside a place name ("UNIVERSITY OF MD") are never spread, not even in capitals
    if tok.lower in place_words()["generic"]:
        return False
    return len(tok.lower) >= 2 and (not lex.is_common(tok.lower) or (tok.is_upper and len(tok.lower) <= 5))


def propagate(tokens: list[Token], spans: list[Span]) -> list[Span]:
    found: dict[str, Span] = {}
    covered = resolve(s for s in spans if s.type in _SPREAD_TYPES)
    idx = 0
    for tok in tokens:
        while idx < len(covered) and covered[idx].end <= tok.start:
            idx += 1
        inside = idx < len(covered) and covered[idx].start <= tok.start and tok.end <= covered[idx].end
        if inside and _spreadable(tok):
            found.setdefault(tok.lower, covered[idx])
    extra = [
        Span(start=t.start, end=t.end, type=found[t.lower].type, rule="spread:" + found[t.lower].rule)
        for t in tokens
        if t.lower in found
    ]
    return spans + extra
