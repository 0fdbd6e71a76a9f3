"""Token features for the site-trained recogniser.

Privacy by construction: a word's own spelling becomes a feature only when it is an ordinary word of a
public list (philter-lite's not-a-name words, our clinical lists, cue words) and not a name or place of
the gazetteers. Names, places and numbers are described by shape, case, short suffix, gazetteer flags
and their neighbours, so a trained model file holds no list of the names, places or
numbers of the notes it was trained on (`tests/deid/test_learned.py` checks this).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from spineconsult.deid.lexicon import lexicon, place_words

FEATURE_VERSION = 1  # bump when the features change: older model files are refused
# words, digit runs and single punctuation marks: "6/30-7/2" -> 6 / 30 - 7 / 2
_TOKEN = re.compile(r"[^\W\d_]+|\d+|[^\w\s]")
_SHAPE = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    "X" * 26 + "x" * 26 + "d" * 10,
)
_WINDOW = (-3, -2, -1, 1, 2, 3)


class ModelToken(NamedTuple):
    start: int
    end: int
    text: str


def model_tokens(text: str) -> list[ModelToken]:
    return [ModelToken(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


def _squeeze(shape: str) -> str:
    out: list[str] = []
    for ch in shape:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


@lru_cache(maxsize=1)
def _public_words() -> frozenset[str]:
    lex = lexicon()
    cue_words = frozenset().union(*lex.cues.values(), *place_words().values())
    public = lex.common_words | lex.clinical_safe | lex.clinical_acronyms | cue_words
    return public - lex.first_names - lex.last_names - lex.usual_names - lex.places


class Word(NamedTuple):
    """What the features say about one distinct token: its description for the neighbours' features, its
    own features, and the features it gives each neighbour (one tuple per offset of _WINDOW)."""

    desc: str
    own: tuple[str, ...]
    around: tuple[tuple[str, ...], ...]


_EDGE = tuple((f"{off}w=<edge>",) for off in _WINDOW)


@lru_cache(maxsize=200_000)
def word_features(word: str) -> Word:
    """The features of one distinct token, memoised (feature strings are built once per word)."""
    desc, case, own = _describe(word)
    flags = [f for f in own if f.startswith("g=")]
    around = tuple(
        (f"{off}w={desc}", f"{off}c={case}", *(f"{off:+d}{f}" for f in flags if abs(off) == 1))
        for off in _WINDOW
    )
    return Word(desc, own, around)


def _describe(word: str) -> tuple[str, str, tuple[str, ...]]:
    lower = word.lower()
    shape = word.translate(_SHAPE)
    if word.isdigit():
        desc = f"d{min(len(word), 5)}"
        return desc, "digit", (f"w={desc}", f"sh={shape[:6]}")
    if not word[0].isalpha():
        return word, "punct", (f"w={word}",)
    case = "upper" if word.isupper() else "title" if word[0].isupper() else "lower"
    lex = lexicon()
    desc = lower if lower in _public_words() else f"?{_squeeze(shape)[:4]}"
    own = [f"w={desc}", f"sh={_squeeze(shape)[:4]}", f"len={min(len(word), 8)}", f"case={case}"]
    if len(word) >= 4:
        own.append(f"s3={lower[-3:]}")
    flags = (
        ("fn", lower in lex.first_names),
        ("ln", lower in lex.last_names),
        ("usual", lower in lex.usual_names),
        ("place", lower in lex.places),
        ("common", lower in lex.common_words),
        ("safe", lower in lex.clinical_safe or lower in lex.clinical_acronyms),
        ("amb", lower in lex.ambiguous_names),
        ("fac", lower in lex.facility_first_words),
    )
    own += [f"g={name}" for name, on in flags if on]
    return desc, case, tuple(own)


def sequence_features(text: str, tokens: Sequence[ModelToken]) -> list[list[str]]:
    """One feature list per token: its own features and its neighbours'.

    The rules' output is deliberately not a feature: the rules were written from these very notes, so
    a model given their output learns to copy them and adds nothing (measured: held-out recall 0.927
    with or without it); without it the model is independent evidence and the union gains.
    """
    words = [word_features(t.text) for t in tokens]
    n = len(tokens)
    out: list[list[str]] = []
    for i, tok in enumerate(tokens):
        desc = words[i].desc
        feats = ["b", *words[i].own]
        if tok.start == 0 or text[tok.start - 1] == "\n":
            feats.append("bol")
        for k, off in enumerate(_WINDOW):
            j = i + off
            feats.extend(words[j].around[k] if 0 <= j < n else _EDGE[k])
        if i > 0:
            feats.append(f"-1w|w={words[i - 1].desc}|{desc}")
        if i + 1 < n:
            feats.append(f"w|+1w={desc}|{words[i + 1].desc}")
        if i > 1:
            feats.append(f"-2w|-1w={words[i - 2].desc}|{words[i - 1].desc}")
        out.append(feats)
    return out
