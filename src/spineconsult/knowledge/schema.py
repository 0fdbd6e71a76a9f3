"""Pydantic models for a knowledge pack. Unknown keys are rejected everywhere (extra="forbid")."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Level = Literal["emergency", "urgent", "soon", "routine"]
Certainty = Literal["high", "moderate", "low", "very_low"]
Family = Literal[
    "lumbar_decompression",
    "discectomy",
    "lumbar_fusion",
    "anterior_cervical",
    "posterior_cervical",
    "stimulator",
    "unknown",
]
TimeBand = Literal["days", "weeks", "months", "years", "unknown"]
FAMILIES: tuple[str, ...] = Family.__args__  # type: ignore[attr-defined]
TIME_BANDS: tuple[str, ...] = TimeBand.__args__  # type: ignore[attr-defined]
LEVELS: tuple[str, ...] = ("routine", "soon", "urgent", "emergency")

ID = r"^[a-z][a-z0-9_]*$"
# `<gap:N>` in a finding pattern: up to N words that do not start a new clause ("but", "and", "no"...),
# so a pattern like "pain<gap:4> in my back" does not run across "no leg pain but an ache in my back".
GAP = re.compile(r"<gap:(\d+)>")
# One lookahead refuses a word that starts a new clause, "and" + a new subject, and any "...n't" word.
GAP_WORDS = (
    r"(?:,?\s+(?!(?:but|no|not|never|nor|without|though|although|however|except|yet|if|because|since|then)\b"
    r"|and\s+(?:i|my|he|she|his|her|the|it|there|we|they|now|then)\b|[a-z]*n't)[a-z0-9']+){{0,{n}}},?"
)


def expand_gaps(pattern: str) -> str:
    return GAP.sub(lambda m: GAP_WORDS.format(n=m.group(1)), pattern)


WORD_EDGE_L = r"(?<![a-z0-9'])"
# A word ends before a letter or digit, and before an apostrophe unless it is a possessive "'s".
WORD_EDGE_R = r"(?![a-z0-9])(?!'(?!s(?![a-z]))[a-z])"


def whole_words(pattern: str) -> str:
    return f"{WORD_EDGE_L}(?:{pattern}){WORD_EDGE_R}"


def phrases_source(phrases: list[str]) -> str:
    """Literal phrases: case-insensitive (the text is lower-cased), any whitespace, optional apostrophes."""
    return whole_words(
        "|".join(re.escape(p.lower()).replace(r"\ ", r"\s+").replace("'", "'?") for p in phrases)
    )


def patterns_source(patterns: list[str]) -> str:
    # patients often drop the apostrophe (couldnt, cant, dont): a pattern's "n't" also takes "nt"
    return whole_words("|".join(expand_gaps(p.replace("n't", "n'?t")) for p in patterns))


def _compile_all(patterns: list[str]) -> None:
    """Compile the joined source once (the engine then gets it from re's cache); name the bad pattern."""
    try:
        re.compile(patterns_source(patterns))
    except re.error:
        for pattern in patterns:
            try:
                re.compile(expand_gaps(pattern))
            except re.error as exc:
                raise ValueError(f"pattern {pattern!r} does not compile: {exc}") from exc
        raise


# ICD-10-CM: letter, two digits (or digit+letter), optional dot and 1-4 characters (7th-character extensions).
ICD10CM = re.compile(r"^[A-TV-Z][0-9][0-9AB](\.[0-9A-TV-Z]{1,4})?$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PackInfo(Strict):
    name: str = Field(pattern=ID)
    version: str = Field(pattern=r"^\d+\.\d+\.\d+$")
    description: str
    disclaimer: str


class Near(Strict):
    """Words of list `a` and of list `b` within `window` words of each other, either order, one clause."""

    a: list[str] = Field(min_length=1)
    b: list[str] = Field(min_length=1)
    window: int = Field(3, ge=0, le=8)

    def sources(self) -> tuple[str, str]:
        """Whole-word regexes of the two word lists. The engine pairs their matches in Python (checking
        the words between with GAP_WORDS): one joint regex per order cost most of the cold start."""
        return patterns_source(self.a), patterns_source(self.b)


class Finding(Strict):
    id: str = Field(pattern=ID)
    name: str
    lay_name: str
    phrases: list[str] = Field(default_factory=list, description="literal lay and clinical phrasings")
    patterns: list[str] = Field(default_factory=list, description="regular expressions, case-insensitive")
    near: list[Near] = Field(
        default_factory=list, description="co-occurrence of two word lists in one clause"
    )
    superseded_by: list[str] = Field(
        default_factory=list, description="dropped when one of these more specific findings is present"
    )
    counts_when_historical: bool = False
    general: bool = False  # meaningful outside spine surgery (safety net)

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, value: list[str]) -> list[str]:
        if value:
            _compile_all(value)
        return value

    @field_validator("near")
    @classmethod
    def _near_compiles(cls, value: list[Near]) -> list[Near]:
        for rule in value:
            _compile_all(rule.a)
            _compile_all(rule.b)
        return value

    def regex_sources(self) -> list[str]:
        """The finding's regular expressions: literal phrases and patterns (validated at load)."""
        sources = [phrases_source(self.phrases)] if self.phrases else []
        if self.patterns:
            sources.append(patterns_source(self.patterns))
        return sources


class FindingWeight(Strict):
    id: str = Field(pattern=ID)
    lr_present: float = Field(1.0, gt=0, description="likelihood ratio when the finding is present")
    lr_absent: float = Field(1.0, gt=0, description="likelihood ratio when the finding is explicitly absent")


def _weights_for_each(value: dict[str, float], keys: tuple[str, ...]) -> dict[str, float]:
    """A weight for every key ('unknown' optional) and no other key."""
    unknown = sorted(set(value) - set(keys))
    if unknown or set(keys) - {"unknown"} - set(value):
        raise ValueError(f"needs a weight for each of {list(keys)} ('unknown' optional); bad: {unknown}")
    return value


class Priors(Strict):
    family: dict[str, float]
    time: dict[str, float]

    @field_validator("family")
    @classmethod
    def _families(cls, value: dict[str, float]) -> dict[str, float]:
        return _weights_for_each(value, FAMILIES)

    @field_validator("time")
    @classmethod
    def _bands(cls, value: dict[str, float]) -> dict[str, float]:
        return _weights_for_each(value, TIME_BANDS)

    @field_validator("family", "time")
    @classmethod
    def _positive(cls, value: dict[str, float]) -> dict[str, float]:
        bad = [key for key, weight in value.items() if weight <= 0]
        if bad:
            raise ValueError(f"prior weights must be > 0 (got {bad})")
        return value


class Condition(Strict):
    id: str = Field(pattern=ID)
    name: str
    lay_name: str
    icd10: str
    definition: str
    triage: Level = "routine"
    priors: Priors
    findings: list[FindingWeight]
    explanation: str = Field(description="one clinician sentence: what makes this likely")

    @field_validator("icd10")
    @classmethod
    def _icd10(cls, value: str) -> str:
        if not ICD10CM.match(value):
            raise ValueError(f"{value!r} is not an ICD-10-CM code")
        return value


class RedFlag(Strict):
    id: str = Field(pattern=ID)
    name: str
    level: Level
    when_any: list[list[str]] = Field(
        min_length=1, description="alternatives; each a list of findings all needed"
    )
    families: list[Family] = Field(
        default_factory=list, description="only after these procedures (empty: any)"
    )
    max_weeks: float | None = None
    needs_known_time: bool = Field(False, description="fires only when the time since surgery is known")
    general: bool = False
    advice: str
    if_it_happens: str = Field(description="safety-net advice when the finding is only hypothetical")


class TimingRule(Strict):
    min_weeks: float | None = None
    max_weeks: float | None = None
    when: str


class Investigation(Strict):
    id: str = Field(pattern=ID)
    name: str
    for_conditions: list[str] = Field(default_factory=list)
    for_red_flags: list[str] = Field(default_factory=list)
    timing: list[TimingRule] = Field(min_length=1)
    why: str


class FollowUp(Strict):
    id: str = Field(pattern=ID)
    for_levels: list[Level] = Field(default_factory=list)
    for_conditions: list[str] = Field(default_factory=list)
    after_days: int = Field(gt=0)
    after_surgery_days: int | None = Field(
        None, gt=0, description="counted from the operation when its date is known"
    )
    check: str
    escalate_if: str


class ProcedureTerm(Strict):
    id: str = Field(pattern=ID)
    name: str
    family: Family
    patterns: list[str] = Field(min_length=1)


class ContextRule(Strict):
    """A ConText rule in medspaCy's rule format (category, literal, direction, optional max_scope)."""

    literal: str
    category: Literal[
        "NEGATED_EXISTENCE",
        "POSSIBLE_EXISTENCE",
        "HYPOTHETICAL",
        "HISTORICAL",
        "FAMILY",
        "TERMINATE",
        "PSEUDO",
    ]
    direction: Literal["FORWARD", "BACKWARD", "BIDIRECTIONAL", "TERMINATE", "PSEUDO"]
    pattern: str | None = Field(None, description="regex over the lower-cased text instead of the literal")
    max_scope: int | None = Field(None, gt=0)
    only_in_questions: bool = Field(
        False,
        description="the trigger counts only in a question or a request for advice ('if' in 'what if...')",
    )


class Outcome(Strict):
    measure: str
    timepoint: str | None
    value: str
    source: Literal["seed article", "publication"]


class Evidence(Strict):
    id: str = Field(pattern=ID)
    citation: str
    pmid: str | None
    doi: str | None
    year: int
    design: str
    n: int | None
    population: str | None
    intervention: str | None
    comparator: str | None
    outcomes: list[Outcome]
    certainty: Certainty
    certainty_reason: str
    seed_ref: int | None
    unsure: list[str]


class Treatment(Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    id: str = Field(pattern=ID)
    name: str
    lay_name: str
    description: str
    lay_description: str
    kind: Literal["urgent_care", "conservative", "medication", "injection", "procedure", "surgery", "device"]
    for_: list[str] = Field(alias="for")
    evidence: list[str] = Field(min_length=1)
    certainty: Certainty
    note: str | None = None
