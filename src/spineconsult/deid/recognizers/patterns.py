"""Regular-expression recognizers loaded from `data/patterns.yaml` (rules as data, checked at load)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from spineconsult.deid.models import PhiType, Span
from spineconsult.deid.scanning import JumpingGroup, matches_at

PATTERNS_FILE = Path(__file__).resolve().parents[1] / "data" / "patterns.yaml"

# A "m/d" date is more often a score or a setting after these words (pain 3/10, PEEP 5/5, BP 10/6).
_MEASURE_BEFORE = re.compile(
    r"\b(?:pain|score|scale|nrs|vas|rated|rates|bp|sbp|nbp|abp|map|peep|ps|cpap|bipap|ie|i:e|ratio|strength|"
    r"power|motor|mrc|grade|tv|rr|hr|vent|settings?|fio2?|dose|x|out\s+of|level|gcs|ett|cm|psv|imv|simv|"
    r"cmv|prvc|on\s+(?:ps|peep|cpap|simv|ac|imv|a/c))\W{0,3}$",
    re.IGNORECASE,
)
_MEASURE_AFTER = re.compile(
    r"^(?:\s*(?:pain|strength|power|scale|score|mmhg|cm|mg|ml|cc|ns|tab|tabs|amp|dose|normal|sem|hsm|murmur)\b"
    r"|\s?%|/)",
    re.IGNORECASE,
)
_PAIN_NEAR = re.compile(
    r"\b(?:pain|painful|cp|c/o|complain\w*|discomfort|angina|ache\w*|rated?|rates|score|scale|nrs|vas|"
    r"incisional|chest|sore)\b|#",
    re.IGNORECASE,
)
_VENT_NEAR = re.compile(
    r"\b(?:cpap|bipap|bi-pap|peep|psv|ips|ps|simv|imv|flowby|flow-by|ventilation|settings?)\b",
    re.IGNORECASE,
)
# Common fractions (1/2 NS, 3/4 strength) unless something says it is a date.
_FRACTION = re.compile(r"^(?:1/[2-4]|2/3|3/4)$")
_DATE_CUE_BEFORE = re.compile(
    r"\b(?:on|since|from|until|till|dated?|of|last|admitted|seen|by)\W{0,3}$", re.IGNORECASE
)
_MEASURED_RULES = frozenset(
    {
        "date_month_day",
        "date_numeric_full",
        "date_numeric_day_first",
        "date_month_year_numeric",
        "date_numeric_mixed_separators",
        "date_numeric_pair",
        "date_month_day_range",
    }
)


class PatternRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    type: PhiType
    regex: str
    group: int = 0
    ignore_case: bool = True
    min_digits: int = 0
    # cheap pre-checks (speed): run the regex only if the lower-cased text contains one of `requires`
    # and the text has one of the words in `requires_word`; empty lists mean always run.
    requires: list[str] = []
    requires_word: list[str] = []
    # speed: a character class holding the first character of every match (case-sensitive: list both
    # cases); the scan then jumps between those characters (see scanning.JumpingPattern)
    first: str = ""


@dataclass(frozen=True)
class CompiledRule:
    rule: PatternRule
    regex: re.Pattern[str]
    group: JumpingGroup | None  # shared by the rules with the same `first`: scanned together
    requires: frozenset[str]  # the pre-checks as sets (each text looks for each literal once)
    requires_word: frozenset[str]


def load_rules(path: Path = PATTERNS_FILE) -> list[PatternRule]:
    """Read and validate the rules file; a broken file names itself and the entry."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, list):
        raise ValueError(f"{path.name}: expected a list of rules")
    rules = []
    for i, entry in enumerate(raw):
        try:
            rules.append(PatternRule.model_validate(entry))
        except ValidationError as exc:
            raise ValueError(f"{path.name}: rule #{i} ({entry.get('name', '?')}): {exc}") from exc
    return rules


def _flags(rule: PatternRule) -> int:
    return re.IGNORECASE if rule.ignore_case else 0


@lru_cache(maxsize=1)
def compiled_rules() -> tuple[CompiledRule, ...]:
    rules = load_rules()
    groups = {}
    for first in {rule.first for rule in rules if rule.first}:
        members = [rule for rule in rules if rule.first == first]
        try:
            groups[first] = JumpingGroup.compile(first, [(rule.regex, _flags(rule)) for rule in members])
        except (ValueError, re.error) as exc:
            names = ", ".join(rule.name for rule in members)
            raise ValueError(f"{PATTERNS_FILE.name}: rules {names}: {exc}") from exc
    return tuple(
        CompiledRule(
            rule,
            re.compile(rule.regex, _flags(rule)),
            groups.get(rule.first),
            frozenset(rule.requires),
            frozenset(rule.requires_word),
        )
        for rule in rules
    )


def _pain_score(text: str, start: int, end: int) -> bool:
    # "c/o 3/10", "CP 5/10", "4/10 incisional pain": out of ten next to pain words is a score
    return text[start:end].endswith("/10") and bool(
        _PAIN_NEAR.search(text[max(0, start - 30) : start]) or _PAIN_NEAR.search(text[end : end + 30])
    )


def _vent_setting(text: str, start: int, end: int) -> bool:
    # "CPAP 5/5", "bipap 10/5", "flowby 6/2", "extubated from 5/5 PSV/CPAP": pressure pairs near ventilation
    # words (bare "AC" is also the antecubital fossa: "PICC placed in R AC 11/17" is a date)
    return bool(
        _VENT_NEAR.search(text[max(0, start - 24) : start]) or _VENT_NEAR.search(text[end : end + 12])
    )


def is_measure(text: str, start: int, end: int) -> bool:
    """A m/d-looking pair that is a score, a setting or a fraction here (pain 3/10, PEEP 5/5, 1/2 NS)."""
    before = text[max(0, start - 16) : start]
    if _FRACTION.match(text[start:end]) and not _DATE_CUE_BEFORE.search(before):
        return True
    if _pain_score(text, start, end) or _vent_setting(text, start, end):
        return True
    return bool(_MEASURE_BEFORE.search(before) or _MEASURE_AFTER.match(text[end : end + 10]))


def _keep(rule: PatternRule, text: str, start: int, end: int) -> bool:
    if rule.name in _MEASURED_RULES and is_measure(text, start, end):
        return False
    return sum(ch.isdigit() for ch in text[start:end]) >= rule.min_digits


@lru_cache(maxsize=1)
def _required_literals() -> frozenset[str]:
    return frozenset().union(*(compiled.requires for compiled in compiled_rules()))


def _worth_running(compiled: CompiledRule, present: frozenset[str], words: frozenset[str]) -> bool:
    """`present`: the rules' required literals found in the text (looked for once for all rules)."""
    if compiled.requires and compiled.requires.isdisjoint(present):
        return False
    return not compiled.requires_word or not compiled.requires_word.isdisjoint(words)


def _matches(
    compiled: CompiledRule, text: str, starts: dict[JumpingGroup, list[int]]
) -> Iterator[re.Match[str]]:
    group = compiled.group
    if group is None:
        return compiled.regex.finditer(text)
    if group not in starts:
        starts[group] = group.starts(text)
    return matches_at(compiled.regex, text, starts[group])


def find_patterns(text: str, words: frozenset[str] | None = None) -> list[Span]:
    """All pattern matches; `words` (the lower-cased word tokens of text) lets rules skip early."""
    lowered = text.lower()
    vocabulary = words if words is not None else frozenset(re.findall(r"[a-z]+", lowered))
    present = frozenset(literal for literal in _required_literals() if literal in lowered)
    spans = []
    starts: dict[JumpingGroup, list[int]] = {}  # each group is scanned once, for all its rules
    for compiled in compiled_rules():
        rule = compiled.rule
        if not _worth_running(compiled, present, vocabulary):
            continue
        for m in _matches(compiled, text, starts):
            start, end = m.span(rule.group)
            if start == end:
                continue
            if not _keep(rule, text, start, end):
                continue
            spans.append(Span(start=start, end=end, type=rule.type, rule=f"pattern:{rule.name}"))
    return spans
