"""Plan: investigations with their timing conditions, treatment options with evidence, follow-up."""

from __future__ import annotations

from functools import lru_cache

from spineconsult.engine.models import (
    DifferentialEntry,
    EvidenceOut,
    FollowUpOut,
    InvestigationOut,
    OutcomeOut,
    RedFlagHit,
    TreatmentOut,
)
from spineconsult.knowledge.loader import Pack
from spineconsult.knowledge.schema import Investigation, TimingRule

PLAN_DEPTH, PLAN_MIN_SCORE = 3, 0.1  # conditions that drive the plan: top three with score >= 10%
CERTAINTY_ORDER = {"high": 0, "moderate": 1, "low": 2, "very_low": 3}
URGENT_CARE = "emergency_evaluation"
NOT_WITH_RED_FLAGS = {"watchful_waiting"}  # safety rule: never "wait and see" when a red flag fired


def planned_conditions(differential: list[DifferentialEntry]) -> list[str]:
    picked = [d.condition for d in differential[:PLAN_DEPTH] if d.score >= PLAN_MIN_SCORE]
    return picked or [d.condition for d in differential[:1]]


def _timing(rules: list[TimingRule], weeks: float | None) -> str:
    for rule in rules:
        if weeks is None:
            return rule.when
        if (rule.min_weeks is None or weeks >= rule.min_weeks) and (
            rule.max_weeks is None or weeks < rule.max_weeks
        ):
            return rule.when
    return rules[-1].when


def _inv_out(inv: Investigation, weeks: float | None) -> InvestigationOut:
    return InvestigationOut(id=inv.id, name=inv.name, when=_timing(inv.timing, weeks), why=inv.why)


def investigations(
    pack: Pack, conditions: list[str], flags: list[RedFlagHit], weeks: float | None
) -> list[InvestigationOut]:
    """Investigations for fired red flags first, then for the ranked conditions."""
    flag_ids = {f.id for f in flags}
    chosen = [inv for inv in pack.investigations.values() if flag_ids & set(inv.for_red_flags)]
    for cond in conditions:
        chosen.extend(
            inv for inv in pack.investigations.values() if cond in inv.for_conditions and inv not in chosen
        )
    return [_inv_out(inv, weeks) for inv in chosen]


def treatments(pack: Pack, conditions: list[str], level: str, red_flags: bool) -> list[TreatmentOut]:
    """Options tied to the ranked conditions (in rank order, best evidence first within a condition)."""
    chosen: list[TreatmentOut] = []
    urgent = level in ("emergency", "urgent") and URGENT_CARE in pack.treatments
    order = ([URGENT_CARE] if urgent else []) + [
        t.id
        for cond in conditions
        for t in sorted(pack.treatments.values(), key=lambda t: CERTAINTY_ORDER[t.certainty])
        if cond in t.for_
    ]
    for tid in dict.fromkeys(order):
        if red_flags and tid in NOT_WITH_RED_FLAGS:
            continue
        t = pack.treatments[tid]
        tied = [c for c in conditions if c in t.for_] or list(t.for_)
        chosen.append(
            TreatmentOut(
                id=t.id,
                name=t.name,
                lay_name=t.lay_name,
                for_=tied,
                evidence=list(t.evidence),
                certainty=t.certainty,
                note=t.note,
            )
        )
    return chosen


def follow_up(pack: Pack, level: str, top: str | None, weeks: float | None) -> list[FollowUpOut]:
    out = []
    for entry in pack.follow_up.values():
        if level not in entry.for_levels and top not in entry.for_conditions:
            continue
        days = entry.after_days
        if entry.after_surgery_days is not None and weeks is not None:
            days = max(7, entry.after_surgery_days - round(weeks * 7))
        out.append(FollowUpOut(after_days=days, check=entry.check, escalate_if=entry.escalate_if))
    return sorted(out, key=lambda f: f.after_days)


def evidence(pack: Pack, options: list[TreatmentOut]) -> list[EvidenceOut]:
    """Every evidence record cited by the options, once, in order of first citation."""
    records = _evidence_records(pack)
    return [records[eid] for eid in dict.fromkeys(eid for t in options for eid in t.evidence)]


@lru_cache(maxsize=4)
def _evidence_records(pack: Pack) -> dict[str, EvidenceOut]:
    """Output records built once per pack (they are never mutated)."""
    return {
        e.id: EvidenceOut(
            id=e.id,
            citation=e.citation,
            pmid=e.pmid,
            doi=e.doi,
            design=e.design,
            n=e.n,
            certainty=e.certainty,
            outcomes=[
                OutcomeOut(measure=o.measure, timepoint=o.timepoint, value=o.value) for o in e.outcomes
            ],
        )
        for e in pack.evidence.values()
    }
