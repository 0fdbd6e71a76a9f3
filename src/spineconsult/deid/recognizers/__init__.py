"""Recognizers: each takes the text and returns candidate spans; `detect` runs them all."""

from __future__ import annotations

from collections.abc import Sequence

from spineconsult.deid.models import Span
from spineconsult.deid.recognizers.eponyms import drop_eponyms
from spineconsult.deid.recognizers.known import KnownIdentities
from spineconsult.deid.recognizers.names import find_names
from spineconsult.deid.recognizers.patterns import find_patterns
from spineconsult.deid.recognizers.places import find_places
from spineconsult.deid.recognizers.propagate import propagate
from spineconsult.deid.tokens import tokenize


def detect(text: str, known_identities: Sequence[str] = ()) -> list[Span]:
    """All candidate spans (overlapping allowed); `spans.resolve` merges them."""
    tokens = tokenize(text)
    found = find_patterns(text, frozenset(t.lower for t in tokens))
    found += propagate(tokens, find_names(text, tokens) + find_places(text, tokens))
    found = drop_eponyms(text, found)
    if known_identities:
        found += KnownIdentities.build(known_identities).find(text, tokens)
    return found
