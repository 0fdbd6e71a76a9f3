"""Word tokens with their offsets: the unit the gazetteer and known-identity recognizers work on."""

from __future__ import annotations

import re
from typing import NamedTuple

# letters of any script (names such as Auðbjörnsson or Šušulić); an apostrophe joins a one-letter prefix
# (O'Brien, D'Angelo; not I'm) and a possessive 's (stripped below), while contractions split (can't -> can,
# t). The pattern starts with the letter class so that the scan jumps from letter to letter.
_WORD = re.compile(r"[^\W\d_](?:(?<![iI])'[^\W\d_]+|[^\W\d_]*)(?:'[sS](?![^\W\d_]))?")


class Token(NamedTuple):
    """A word and its offsets (a named tuple: created for every word, so it must be cheap; the case tests
    are worked out once here, as the recognizers ask them many times)."""

    start: int
    end: int
    text: str
    lower: str
    is_upper: bool
    is_title: bool


_new_token = tuple.__new__  # skips NamedTuple's Python-level __new__ (a tokenizer makes thousands)


def tokenize(text: str) -> list[Token]:
    out: list[Token] = []
    append = out.append
    for m in _WORD.finditer(text):
        word = m.group()
        lower = word.lower()
        if lower.endswith("'s"):
            # possessive: the name is the part before the apostrophe
            word, lower = word[:-2], lower[:-2]
        start = m.start()
        upper = word.isupper()
        title = not upper and word[0].isupper()
        append(_new_token(Token, (start, start + len(word), word, lower, upper, title)))
    return out
