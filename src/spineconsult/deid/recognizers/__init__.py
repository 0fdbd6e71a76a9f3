"""Recognizers: each takes the text and returns candidate spans; `detect` runs them all."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from spineconsult.deid.models import Span
from spineconsult.deid.recognizers.eponyms import drop_eponyms
from spineconsult.deid.recognizers.known import KnownIdentities
from spineconsult.deid.recognizers.names import find_names
from spineconsult.deid.recognizers.patterns import find_patterns
from spineconsult.deid.recognizers.places import find_places
from spineconsult.deid.recognizers.propagate import propagate
from spineconsult.deid.tokens import Token, tokenize

if TYPE_CHECKING:
    from spineconsult.deid.learned.crf import SiteModel


def detect(text: str, known_identities: Sequence[str] = (), model: SiteModel | None = None) -> list[Span]:
    """All candidate spans (overlapping allowed); `spans.resolve` merges them. A site-trained `model`
    adds its own spans to the rules' (a union)."""
    tokens = tokenize(text)
    found = detect_by_rules(text, tokens)
    if model is not None:
        found += model.find(text)
    if known_identities:
        found += KnownIdentities.build(known_identities).find(text, tokens)
    return found


def detect_by_rules(text: str, tokens: list[Token] | None = None) -> list[Span]:
    """The rules alone (no known identities, no model): what ships by default."""
    tokens = tokenize(text) if tokens is None else tokens
    found = find_patterns(text, frozenset(t.lower for t in tokens))
    found += propagate(tokens, find_names(text, tokens) + find_places(text, tokens))
    return drop_eponyms(text, found)
