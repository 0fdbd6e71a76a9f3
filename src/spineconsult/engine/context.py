"""ConText (Harkema et al. 2009) over patients' messages, following medspaCy's ConText semantics.

Why not medspaCy itself: importing spaCy + medspaCy costs ~1.0 s of the 1.5 s cold-start budget of
`spineconsult assess` on this machine (measured: `import spacy; import medspacy.context` 0.99-1.05 s,
130 MB), for a blank tokenizer we do not need. This module applies the same algorithm to rules in
medspaCy's rule format (pack file context.yaml): modifiers scope to the end of their sentence in
their direction, are cut by TERMINATE triggers and by later triggers of the same category, and by
max_scope; modifiers overlapping a target are pruned; overlapping triggers keep the longest.
tests/engine/test_context_medspacy.py checks agreement with medspaCy on a table of sentences.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from spineconsult.knowledge import schema
from spineconsult.knowledge.schema import ContextRule

TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[^\sa-z0-9]")
SENTENCE_END = re.compile(r"[.!?;]+(?=\s|$)|\n|(?<=[a-z])[.!?](?=[A-Za-z])")
# Typographic quotes fold to ASCII; brackets become spaces so "(3 weeks ago)" does not split a phrase.
QUOTES = str.maketrans("\u2019\u2018\u201c\u201d()[]", "''\"\"    ")


def normalise(text: str) -> str:
    """Lower-case with typographic quotes folded; offsets are preserved."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
    return lowered.translate(QUOTES)


def whole_words(pattern: str) -> re.Pattern[str]:
    return re.compile(schema.whole_words(pattern))


@dataclass
class Doc:
    """Tokens (char offsets) and the sentence index of each token."""

    text: str
    starts: list[int]
    ends: list[int]
    sentence_of: list[int]
    sentence_bounds: list[tuple[int, int]]

    def token_span(self, start: int, end: int) -> tuple[int, int]:
        first = bisect.bisect_left(self.ends, start + 1)
        last = bisect.bisect_left(self.starts, end)
        return first, max(first + 1, last)


def make_doc(text: str) -> Doc:
    starts, ends = [], []
    for m in TOKEN.finditer(text):
        starts.append(m.start())
        ends.append(m.end())
    breaks = [m.end() for m in SENTENCE_END.finditer(text)]
    sentence_of = [bisect.bisect_right(breaks, s) for s in starts]
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for i, sid in enumerate(sentence_of):
        first.setdefault(sid, i)
        last[sid] = i + 1
    bounds = [(first.get(sid, 0), last.get(sid, 0)) for sid in range(len(breaks) + 1)]
    return Doc(text, starts, ends, sentence_of, bounds)


@dataclass
class Modifier:
    rule: ContextRule
    start: int  # token indices
    end: int
    scope: tuple[int, int] = (0, 0)
    sentence: int = 0

    @property
    def category(self) -> str:
        return self.rule.category

    @property
    def direction(self) -> str:
        return self.rule.direction


@dataclass
class CompiledRules:
    rules: tuple[ContextRule, ...]
    regexes: list[re.Pattern[str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.regexes = [_rule_regex(r) for r in self.rules]


def _rule_regex(rule: ContextRule) -> re.Pattern[str]:
    source = rule.pattern or re.escape(rule.literal)
    # A trigger that starts with punctuation (", my") follows a word directly: no left word edge.
    return re.compile(source) if source[:1] in ",;:" else whole_words(source)


def _find_modifiers(doc: Doc, compiled: CompiledRules) -> list[Modifier]:
    found: list[tuple[int, int, ContextRule]] = []
    for rule, regex in zip(compiled.rules, compiled.regexes, strict=True):
        found.extend((m.start(), m.end(), rule) for m in regex.finditer(doc.text) if m.end() > m.start())
    # Overlapping triggers: the longest wins (as spaCy's filter_spans does for the matcher).
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
    taken = bytearray(len(doc.text))  # characters already claimed by a longer trigger
    mods: list[Modifier] = []
    for start, end, rule in found:
        if taken.find(1, start, end) != -1:
            continue
        taken[start:end] = b"\x01" * (end - start)
        mods.append(Modifier(rule, *doc.token_span(start, end)))
    mods.sort(key=lambda m: m.start)
    return mods


def _initial_scope(mod: Modifier, doc: Doc) -> tuple[int, int]:
    sent_start, sent_end = doc.sentence_bounds[doc.sentence_of[mod.start]]
    limit = mod.rule.max_scope
    lo, hi = sent_start, sent_end
    if mod.direction == "FORWARD":
        lo = mod.end
    elif mod.direction == "BACKWARD":
        hi = mod.start
    if limit is not None:
        lo, hi = max(lo, mod.start - limit), min(hi, mod.end + limit)
    return lo, hi


def _limit_scope(mod: Modifier, other: Modifier) -> None:
    if mod.direction in ("TERMINATE", "PSEUDO"):
        return
    if other.direction != "TERMINATE" and other.category != mod.category:
        return
    lo, hi = mod.scope
    if not (lo < other.end and other.start < hi):
        return
    if mod.direction in ("FORWARD", "BIDIRECTIONAL") and other.start > mod.start:
        hi = min(hi, other.start)
    if mod.direction in ("BACKWARD", "BIDIRECTIONAL") and other.start < mod.start:
        lo = max(lo, other.end)
    mod.scope = (lo, hi)


QUESTION = re.compile(
    r"\?|(?<![a-z])(?:should|what|whether|do i|can i|could i|would|is it|will i|in case)(?![a-z])"
)


def _in_question(mod: Modifier, doc: Doc) -> bool:
    first, last = doc.sentence_bounds[doc.sentence_of[mod.start]]
    end = doc.ends[last - 1] + 1 if last > first else doc.ends[mod.end - 1]
    return bool(QUESTION.search(doc.text, doc.starts[first], end))


def scoped_modifiers(doc: Doc, compiled: CompiledRules) -> list[Modifier]:
    """Every trigger of the text with its scope, limited by terminators and same-category triggers.
    Extension of ConText: a rule marked only_in_questions counts only in a question ("What if I can't
    pee?"), not in a statement of a real trigger ("If I sit up I get a headache")."""
    mods = [m for m in _find_modifiers(doc, compiled) if not m.rule.only_in_questions or _in_question(m, doc)]
    for mod in mods:
        mod.scope = _initial_scope(mod, doc)
        mod.sentence = doc.sentence_of[mod.start]
    for i, first in enumerate(mods):
        for second in mods[i + 1 :]:
            if second.sentence != first.sentence:
                break  # sorted by position, and no scope crosses a sentence
            _limit_scope(first, second)
            _limit_scope(second, first)
    return mods


def modifier_categories(
    doc: Doc, mods: Sequence[Modifier], targets: Sequence[tuple[int, int]]
) -> list[set[str]]:
    """For each target (token span) the set of ConText categories that modify it. Triggers overlapping a
    target are pruned first (the target's own words, like "can't" in "can't pee", are not modifiers)."""
    covered = {i for t_start, t_end in targets for i in range(t_start, t_end)}
    by_sentence: dict[int, list[Modifier]] = {}
    for m in mods:
        if m.direction in ("TERMINATE", "PSEUDO") or any(i in covered for i in range(m.start, m.end)):
            continue
        by_sentence.setdefault(m.sentence, []).append(m)
    result: list[set[str]] = []
    for t_start, t_end in targets:
        # No scope crosses a sentence: only the triggers of the target's sentence can modify it.
        candidates = by_sentence.get(doc.sentence_of[t_start], [])
        result.append({m.category for m in candidates if m.scope[0] < t_end and t_start < m.scope[1]})
    return result
