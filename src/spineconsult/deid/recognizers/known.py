"""Identities already known for a case (account name, e-mail, phone, names the patient gave).

They are removed wherever they appear: e-mails and phone numbers whatever their spacing or case, name
tokens in any case and, for tokens of four letters or more, also misspelt (edit distance 1, or 2 from
eight letters on). A misspelling that is an ordinary word ("Mills" -> "pills") is only taken when written
with a capital, so clinical words survive; exact matches are always taken.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from spineconsult.deid.lexicon import lexicon
from spineconsult.deid.models import Span
from spineconsult.deid.tokens import Token, tokenize

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
_MIN_PHONE_DIGITS = 7
_MIN_FUZZY_LEN = 4
_SEP = r"[\s().\-/]*"


def _max_edits(word: str) -> int:
    if len(word) < _MIN_FUZZY_LEN:
        return 0
    return 2 if len(word) >= 8 else 1


def _phone_pattern(value: str) -> re.Pattern[str] | None:
    digits = re.sub(r"\D", "", value)
    if len(digits) < _MIN_PHONE_DIGITS:
        return None
    # match the national part (last 10 digits at most) with any separators, optional country prefix
    core = digits[-10:]
    return re.compile(
        r"(?<!\d)(?:\+?\d{1,3}" + _SEP + r")?" + _SEP.join(re.escape(d) for d in core) + r"(?!\d)"
    )


@dataclass(frozen=True)
class KnownIdentities:
    literals: tuple[re.Pattern[str], ...]
    phones: tuple[re.Pattern[str], ...]
    name_words: frozenset[str]

    @classmethod
    def build(cls, values: Sequence[str]) -> KnownIdentities:
        literals: list[re.Pattern[str]] = []
        phones: list[re.Pattern[str]] = []
        words: set[str] = set()
        for value in (v.strip() for v in values if v and v.strip()):
            phone = _phone_pattern(value) if not re.search(r"[A-Za-z]", value) else None
            if phone is not None:
                phones.append(phone)
                continue
            literals.append(re.compile(re.escape(value), re.IGNORECASE))
            if _EMAIL.match(value):
                words.update(t.lower for t in tokenize(value.split("@")[0]) if len(t.lower) >= _MIN_FUZZY_LEN)
            else:
                words.update(t.lower for t in tokenize(value) if len(t.lower) >= 2)
        return cls(tuple(literals), tuple(phones), frozenset(words))

    def _word_hit(self, tok: Token) -> bool:
        if tok.lower in self.name_words:
            return True
        for word in self.name_words:
            edits = _max_edits(word)
            close = edits and abs(len(word) - len(tok.lower)) <= edits
            if close and Levenshtein.distance(word, tok.lower, score_cutoff=edits) <= edits:
                return tok.is_title or tok.is_upper or not lexicon().is_common(tok.lower)
        return False

    def find(self, text: str, tokens: list[Token]) -> list[Span]:
        spans = [
            Span(start=m.start(), end=m.end(), type=_literal_type(m.group()), rule="known:literal")
            for rx in self.literals
            for m in rx.finditer(text)
        ]
        spans += [
            Span(start=m.start(), end=m.end(), type="PHONE", rule="known:phone")
            for rx in self.phones
            for m in rx.finditer(text)
        ]
        spans += [
            Span(start=t.start, end=t.end, type="NAME", rule="known:name")
            for t in tokens
            if self._word_hit(t)
        ]
        return spans


def _literal_type(value: str) -> str:
    return "EMAIL" if "@" in value else "NAME"
