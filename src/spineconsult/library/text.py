"""Words of a text: normalised, light-stemmed tokens that search, synonyms and related share."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

MAX_QUERY_CHARS = 2000  # longer queries are cut: the first 2,000 characters carry the intent

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have
    having he her here hers herself him himself his how i if in into is it its itself just me more most
    my myself no nor not of off on once only or other our ours ourselves out over own same she should so
    some such than that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with would you your
    yours yourself yourselves hi hello doctor dr sir madam please thanks thank regards also really get
    got im ive dont cant its it's i'm i've don't can't am is will would should could may might must
    shall""".split()  # noqa: SIM905
)
# Words that change the meaning of a question although they look like stopwords: kept for pair features.
NEGATIONS = frozenset(
    {"no", "not", "never", "without", "cannot", "can't", "don't", "doesn't", "didn't", "nor"}
)


def fold(text: str) -> str:
    """Lowercase, strip accents, unify apostrophes: 'Paresthésia’s' -> "paresthesia's"."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text[: MAX_QUERY_CHARS * 50])
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.lower().replace("’", "'")


def words(text: str) -> list[str]:
    """Every word of the text, folded (no stemming, stopwords kept)."""
    return _WORD.findall(fold(text))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A deliberately light English stemmer: plural and common verb endings only.

    Heavier stemming (Porter) merges medical words that must stay apart (e.g. 'pain'/'paint' no, but
    'fusion'/'fuse' yes); we only fold what patients vary: tingles/tingling/tingled -> tingl.
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix in ("ings", "ing", "ies", "ied", "es", "ed", "ly", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix in ("ies", "ied"):
                return word[: -len(suffix)] + "y"
            if suffix == "s" and word.endswith("ss"):
                return word
            return word[: -len(suffix)]
    return word


def content_stems(text: str) -> list[str]:
    """Stems of the words that carry meaning (stopwords out), in order."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]
