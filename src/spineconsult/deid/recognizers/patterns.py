"""Regular-expression recognizers loaded from `data/patterns.yaml` (rules as data, checked at load)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from spineconsult.deid.models import PhiType, Span

PATTERNS_FILE = Path(__file__).resolve().parents[1] / "data" / "patterns.yaml"

# A "m/d" date is more often a score or a setting after these words (pain 3/10, PEEP 5/5, BP 10/6).
_MEASURE_BEFORE = re.compile(
    r"(?:pain|score|scale|nrs|vas|rated|rates|bp|sbp|nbp|abp|map|peep|ps|cpap|bipap|ie|i:e|ratio|strength|"
    r"power|motor|mrc|grade|tv|rr|hr|vent|settings?|fio2?|dose|x|of|out\s+of|level|gcs|ett|cm)\W{0,3}$",
    re.IGNORECASE,
)
_MEASURE_AFTER = re.compile(
    r"^\s*(?:pain|strength|power|on\s+the|scale|score|mmhg|cm|mg|with)\b", re.IGNORECASE
)


class PatternRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    type: PhiType
    regex: str
    group: int = 0
    ignore_case: bool = True


@dataclass(frozen=True)
class CompiledRule:
    rule: PatternRule
    regex: re.Pattern[str]


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


@lru_cache(maxsize=1)
def compiled_rules() -> tuple[CompiledRule, ...]:
    out = []
    for rule in load_rules():
        flags = re.IGNORECASE if rule.ignore_case else 0
        out.append(CompiledRule(rule, re.compile(rule.regex, flags)))
    return tuple(out)


def _is_measure(text: str, start: int, end: int) -> bool:
    return bool(_MEASURE_BEFORE.search(text[max(0, start - 16) : start]) or _MEASURE_AFTER.match(text[end:]))


def find_patterns(text: str) -> list[Span]:
    spans = []
    for compiled in compiled_rules():
        rule = compiled.rule
        for m in compiled.regex.finditer(text):
            start, end = m.span(rule.group)
            if start == end:
                continue
            if rule.name == "date_month_day" and _is_measure(text, start, end):
                continue
            spans.append(Span(start=start, end=end, type=rule.type, rule=f"pattern:{rule.name}"))
    return spans
