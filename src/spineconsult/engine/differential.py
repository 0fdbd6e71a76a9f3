"""Differential: log prior (procedure family x time since surgery) + log likelihood ratios, softmax."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from spineconsult.engine.models import DifferentialEntry, FindingOut
from spineconsult.engine.timing import band
from spineconsult.knowledge.loader import Pack
from spineconsult.knowledge.schema import Condition

NO_SYMPTOMS = "no_current_symptoms"
DIAGNOSTIC_LR = 2.0
MAX_ENTRIES, MIN_SCORE = 10, 0.005  # keep the list readable; at least three entries
POSSIBLE_WEIGHT = 0.5  # an uncertain finding ("I think I might...") counts half, in log space
TIME_WORDS = {
    "days": "in the first two weeks",
    "weeks": "2-12 weeks after surgery",
    "months": "3-24 months after surgery",
    "years": "more than two years after surgery",
    "unknown": "time since surgery not stated",
}


@dataclass(frozen=True)
class Scored:
    condition: Condition
    logit: float
    supporting: list[str]
    opposing: list[str]


def _family_prior(condition: Condition, families: list[str]) -> float:
    weights = condition.priors.family
    fallback = sum(weights.values()) / len(weights)
    lookup = weights
    return max(lookup.get(fam, lookup.get("unknown", fallback)) for fam in families)


def _time_prior(condition: Condition, time_band: str) -> float:
    weights = condition.priors.time
    lookup = weights
    return lookup.get(time_band, lookup.get("unknown", 1.0))


def _score(
    condition: Condition, status: dict[str, FindingOut], families: list[str], time_band: str
) -> Scored:
    logit = math.log(_family_prior(condition, families)) + math.log(_time_prior(condition, time_band))
    supporting: list[str] = []
    opposing: list[str] = []
    for weight in condition.findings:
        finding = status.get(weight.id)
        if finding is None:
            continue
        if finding.status == "absent":
            lr, factor = weight.lr_absent, 1.0
        elif finding.qualifier == "hypothetical":
            continue  # "what if I get X" is a question, not evidence
        else:
            lr, factor = weight.lr_present, 1.0 if finding.status == "present" else POSSIBLE_WEIGHT
        if lr != 1.0:
            logit += factor * math.log(lr)
            (supporting if lr > 1 else opposing).append(weight.id)
    return Scored(condition, logit, supporting, opposing)


def _explain(
    pack: Pack, s: Scored, status: dict[str, FindingOut], families: list[str], time_band: str
) -> str:
    def words(ids: list[str]) -> str:
        return ", ".join(
            ("no " if status[i].status == "absent" else "") + pack.findings[i].lay_name for i in ids
        )

    family = "/".join(f.replace("_", " ") for f in families)
    text = f"{s.condition.explanation} Prior for {family} surgery, {TIME_WORDS[time_band]}"
    text += f"; for: {words(s.supporting)}" if s.supporting else "; no specific finding for it"
    text += f"; against: {words(s.opposing)}." if s.opposing else "."
    return text


@lru_cache(maxsize=4)
def _diagnostic_findings(pack: Pack) -> frozenset[str]:
    """Findings that point at some condition (likelihood ratio above 2); low mood or suicidal thoughts
    matter for triage but do not tell which spine problem it is."""
    return frozenset(
        w.id for c in pack.conditions.values() for w in c.findings if w.lr_present > DIAGNOSTIC_LR
    )


def _with_no_symptoms(pack: Pack, findings: list[FindingOut]) -> dict[str, FindingOut]:
    """When no current spine symptom is reported, the pack's NO_SYMPTOMS finding counts as present."""
    status = {f.id: f for f in findings}
    diagnostic = _diagnostic_findings(pack)
    current = any(
        (f.status == "present" or f.qualifier == "uncertain") and f.id in diagnostic for f in findings
    )
    if not current and NO_SYMPTOMS in pack.findings and NO_SYMPTOMS not in status:
        name = pack.findings[NO_SYMPTOMS].name
        status[NO_SYMPTOMS] = FindingOut(id=NO_SYMPTOMS, name=name, status="present", text="", start=0, end=0)
    return status


def differential(
    pack: Pack, findings: list[FindingOut], families: list[str], weeks: float | None
) -> list[DifferentialEntry]:
    """Every condition of the pack, ranked by normalised score (most probable first)."""
    status = _with_no_symptoms(pack, findings)
    time_band = band(weeks)
    scored = [_score(c, status, families, time_band) for c in pack.conditions.values()]
    top = max(s.logit for s in scored)
    total = sum(math.exp(s.logit - top) for s in scored)
    ranked = sorted(scored, key=lambda s: -s.logit)
    ranked = [
        s for i, s in enumerate(ranked[:MAX_ENTRIES]) if i < 3 or math.exp(s.logit - top) / total >= MIN_SCORE
    ]
    return [
        DifferentialEntry(
            condition=s.condition.id,
            name=s.condition.name,
            lay_name=s.condition.lay_name,
            icd10=s.condition.icd10,
            score=round(math.exp(s.logit - top) / total, 4),
            supporting=s.supporting,
            opposing=s.opposing,
            explanation=_explain(pack, s, status, families, time_band),
        )
        for s in ranked
    ]
