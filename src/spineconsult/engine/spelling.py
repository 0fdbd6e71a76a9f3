"""Spelling repair against the pack's own vocabulary ("swolen" -> "swollen", "hedache" -> "headache").

Only words of six letters or more that are not in the vocabulary are touched, only when exactly one
vocabulary word is one edit away (a letter missing, extra, changed or two letters swapped) and it
starts with the same letter: typos rarely change the first letter, and "ladder" must not become
"bladder". Offsets into the original message are kept so findings still quote the patient's words.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from spineconsult.knowledge.loader import Pack

WORD = re.compile(r"[a-z]+")
MIN_LENGTH = 6


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _pack_words(pack: Pack) -> set[str]:
    texts: list[str] = []
    for f in pack.findings.values():
        texts += [f.name, f.lay_name, *f.phrases, *f.patterns]
        texts += [w for rule in f.near for w in (*rule.a, *rule.b)]
    for p in pack.procedures.values():
        texts += [p.name, *p.patterns]
    for c in pack.conditions.values():
        texts += [c.name, c.lay_name]
    texts += [r.pattern or r.literal for r in pack.context]
    return {w for t in texts for w in WORD.findall(t.lower()) if len(w) >= MIN_LENGTH - 1}


STEM = re.compile(r"([a-z]{4,})(?:\(\?:[^)]*\))?\\w\*")  # "slap\w*", "numb(?:ness|ed)?\w*"


def _pack_stems(pack: Pack) -> tuple[str, ...]:
    """Word stems the pack matches with a wildcard ("slap\\w*"): words starting with one are known."""
    sources = [p for f in pack.findings.values() for p in f.patterns]
    sources += [w for f in pack.findings.values() for rule in f.near for w in (*rule.a, *rule.b)]
    return tuple(sorted({m.group(1) for src in sources for m in STEM.finditer(src.lower())}))


@dataclass(frozen=True)
class Speller:
    words: frozenset[str]
    by_delete: dict[str, frozenset[str]]
    stems: tuple[str, ...]

    def known(self, token: str) -> bool:
        return token in self.words or token.startswith(self.stems)

    def candidates(self, token: str) -> set[str]:
        found = {w for w in self.by_delete.get(token, ())}  # token lacks a letter
        for variant in _deletes(token):
            if variant in self.words:  # token has an extra letter
                found.add(variant)
            found |= self.by_delete.get(variant, frozenset())  # a letter changed or two swapped
        return {w for w in found if w[0] == token[0] and w != token}


@lru_cache(maxsize=4)
def speller(pack: Pack) -> Speller:
    words = frozenset(_pack_words(pack))
    index: dict[str, set[str]] = defaultdict(set)
    for word in words:
        for variant in _deletes(word):
            index[variant].add(word)
    return Speller(words, {k: frozenset(v) for k, v in index.items()}, _pack_stems(pack))


@lru_cache(maxsize=4096)
def _repair(token: str, pack: Pack) -> str:
    spell = speller(pack)
    if len(token) < MIN_LENGTH or spell.known(token):
        return token
    options = spell.candidates(token)
    return options.pop() if len(options) == 1 else token


def repair(text: str, pack: Pack) -> tuple[str, list[int]]:
    """The text with typos of pack words repaired, and for each position of it (plus its end) the
    position in the input text."""
    parts: list[str] = []
    offsets: list[int] = []
    last = 0
    for m in WORD.finditer(text):
        fixed = _repair(m.group(), pack)
        if fixed == m.group():
            continue
        parts.append(text[last : m.start()])
        offsets.extend(range(last, m.start()))
        parts.append(fixed)
        offsets.extend(min(m.start() + i, m.end() - 1) for i in range(len(fixed)))
        last = m.end()
    parts.append(text[last:])
    offsets.extend(range(last, len(text) + 1))
    return "".join(parts), offsets
