"""assess(): message + facts -> assessment. Pure: no I/O beyond the pack loaded once per process."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError

from spineconsult.engine import plan
from spineconsult.engine.differential import differential
from spineconsult.engine.extract import extract
from spineconsult.engine.models import Assessment, CaseIn, InputError, PackRef, Triage
from spineconsult.engine.triage import advice, max_level, triage
from spineconsult.knowledge.loader import Pack, default_pack
from spineconsult.knowledge.schema import LEVELS

CONDITION_FLOOR_MIN_SCORE = 0.15  # the first-ranked condition sets a level when it is this probable
CONDITION_LEVEL_CAP = "soon"  # above "soon" only red flags decide


def parse_case(raw: Any) -> CaseIn:
    """Validate the input; InputError names the first bad field."""
    if isinstance(raw, CaseIn):
        return raw
    if not isinstance(raw, dict):
        raise InputError("case", "expected a JSON object")
    if "message" not in raw:
        raise InputError("message", "is required")
    try:
        case = CaseIn.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "case"
        raise InputError(field, first["msg"].replace("\n", " ")) from None
    if not case.message.strip():
        raise InputError("message", "must not be blank")
    return case


def _condition_level(top_condition: str | None, score: float, pack: Pack) -> str:
    if top_condition is None or score < CONDITION_FLOOR_MIN_SCORE:
        return "routine"
    level = pack.conditions[top_condition].triage
    return min(level, CONDITION_LEVEL_CAP, key=LEVELS.index)


def assess(raw: Any, pack: Pack | None = None) -> Assessment:
    """Extract -> triage -> differential -> plan. Raises InputError for bad input."""
    pack = pack or default_pack()
    case = parse_case(raw)
    asked_on = case.asked_on or dt.date.today()
    ex = extract(case, pack, asked_on)
    weeks, families = ex.context.weeks_since_surgery, ex.context.families
    tri = triage(pack, ex.findings, families, weeks, ex.in_scope)
    ranked = differential(pack, ex.findings, families, weeks) if ex.in_scope else []
    top, score = (ranked[0].condition, ranked[0].score) if ranked else (None, 0.0)
    level = max_level([tri.level, _condition_level(top, score, pack)])
    conditions = plan.planned_conditions(ranked) if ranked else []
    options = plan.treatments(pack, conditions, level, bool(tri.red_flags))
    return Assessment(
        pack=PackRef(name=pack.info.name, version=pack.info.version),
        triage=Triage(
            level=level,
            advice=advice(pack, level, tri.red_flags, tri.watch_for, ex.in_scope),
            red_flags=tri.red_flags,
            in_scope=ex.in_scope,
            watch_for=[f.id for f in tri.watch_for],
        ),
        findings=ex.findings,
        context=ex.context,
        differential=ranked,
        investigations=plan.investigations(pack, conditions, tri.red_flags, weeks),
        treatment_options=options,
        follow_up=plan.follow_up(pack, level, top, weeks),
        evidence=plan.evidence(pack, options),
    )
