"""Word tokens with their offsets: the unit the gazetteer and known-identity recognizers work on."""

from __future__ import annotations

import re
from typing import NamedTuple

# letters of any script (names such as Auðbjörnsson or Šušulić); an apostrophe joins a one-letter prefix
# (O'Brien, D'Angelo) and a possessive 's (stripped below), while contractions split (can't -> can, t)
_WORD = re.compile(r"(?:(?![iI]')[^\W\d_]')?[^\W\d_]+(?:'[sS](?![^\W\d_]))?")


class Token(NamedTuple):
    """A word and its offsets (a named tuple: created for every word, so it must be cheap)."""

    start: int
    end: int
    text: str
    lower: str

    @property
    def is_title(self) -> bool:
        return self.text[0].isupper() and not self.text.isupper()

    @property
    def is_upper(self) -> bool:
        return self.text.isupper()


def tokenize(text: str) -> list[Token]:
    out = []
    for m in _WORD.finditer(text):
        word = m.group()
        lower = word.lower()
        if lower.endswith("'s"):
            # possessive: the name is the part before the apostrophe
            word, lower = word[:-2], lower[:-2]
        out.append(Token(m.start(), m.start() + len(word), word, lower))
    return out
