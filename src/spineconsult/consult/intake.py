"""Case intake: check the submission, run the engine at once, store the case and start its clock."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import select

from spineconsult.consult import audit, notifications
from spineconsult.consult.accounts import SPECIALTIES
from spineconsult.consult.actors import Actor, Role
from spineconsult.consult.context import ServiceContext
from spineconsult.consult.errors import InvalidInput
from spineconsult.consult.policies import require_role
from spineconsult.consult.queue import TRIAGE_RANK, due_time
from spineconsult.consult.schemas import CaseCreated, CaseSubmission, TriageOut
from spineconsult.store.models import Account, Case, ThreadMessage

# Conditions a pain physician rather than a spine surgeon answers first.
PAIN_MEDICINE_CONDITIONS = frozenset(
    {
        "chronic_postsurgical_pain",
        "epidural_fibrosis",
        "facet_joint_pain",
        "sacroiliac_joint_pain",
        "myofascial_pain_deconditioning",
        "peripheral_neuropathy",
        "scs_complication",
    }
)


def submit_case(ctx: ServiceContext, actor: Actor, data: CaseSubmission) -> CaseCreated:
    """A patient (or a proxy with consent) submits a case; the engine's triage comes back at once."""
    require_role(actor, Role.PATIENT)
    _check_consent(data)
    _check_plan(ctx, data.plan)
    assessment = run_engine(ctx, data)
    with ctx.write() as session:
        case = _new_case(ctx, actor, data, assessment)
        session.add(case)
        session.add(_question(ctx, actor, case))
        audit.record(session, ctx, actor, "case.create", case.id, triage=case.triage_level)
        if case.triage_level == "emergency":
            _alert_staff(session, ctx, case)
        return _created(case)


def _check_consent(data: CaseSubmission) -> None:
    if not data.consent:
        who = "the person you ask for" if data.on_behalf_of else "you"
        raise InvalidInput("consent", f"must be true: {who} must agree to this consultation")


def _check_plan(ctx: ServiceContext, plan: str) -> None:
    plans = ctx.settings.plan_service_levels
    if plan not in plans:
        raise InvalidInput("plan", f"unknown plan; one of: {', '.join(sorted(plans))}")


def engine_payload(ctx: ServiceContext, data: CaseSubmission) -> dict[str, Any]:
    """The engine's input (PRODUCT.md `assess` contract) from a submission."""
    payload: dict[str, Any] = {"message": data.message, "asked_on": ctx.now().date().isoformat()}
    if data.age is not None:
        payload["age"] = data.age
    if data.sex is not None:
        payload["sex"] = data.sex
    if data.procedures:
        payload["procedures"] = [p.model_dump(mode="json", exclude_none=True) for p in data.procedures]
    return payload


def run_engine(ctx: ServiceContext, data: CaseSubmission) -> dict[str, Any]:
    """Assess the submission; an engine input error becomes a 422 naming the field."""
    try:
        result = ctx.assessor(engine_payload(ctx, data))
    except Exception as exc:
        field = getattr(exc, "field", None)
        if type(exc).__name__ == "InputError" and isinstance(field, str):
            raise InvalidInput(field, str(exc)) from None
        raise
    dumped: dict[str, Any] = result.model_dump(mode="json")
    return dumped


def route_specialty(data: CaseSubmission, assessment: dict[str, Any]) -> str:
    """The submitter's choice when valid, else the specialty of the engine's first-ranked condition."""
    if data.specialty in SPECIALTIES:
        return data.specialty
    differential = assessment.get("differential") or []
    top = differential[0].get("condition") if differential else None
    return "pain_medicine" if top in PAIN_MEDICINE_CONDITIONS else "spine_surgery"


def _new_case(ctx: ServiceContext, actor: Actor, data: CaseSubmission, assessment: dict[str, Any]) -> Case:
    now = ctx.now()
    level = assessment["triage"]["level"]
    return Case(
        id=secrets.token_hex(8),
        patient_id=actor.id,
        on_behalf_of=data.on_behalf_of or None,
        consent=data.consent,
        message=data.message,
        age=data.age,
        sex=data.sex,
        procedures=[p.model_dump(mode="json", exclude_none=True) for p in data.procedures],
        history={"medications": data.medications, "prior_treatments": data.prior_treatments},
        specialty=route_specialty(data, assessment),
        plan=data.plan,
        status="waiting",
        triage_level=level,
        triage_rank=TRIAGE_RANK[level],
        assessment=assessment,
        submitted_at=now,
        due_at=due_time(ctx.settings, now, data.plan),
        updated_at=now,
    )


def _question(ctx: ServiceContext, actor: Actor, case: Case) -> ThreadMessage:
    return ThreadMessage(
        case_id=case.id, author_id=actor.id, kind="question", body=case.message, created_at=case.submitted_at
    )


def _alert_staff(session: Any, ctx: ServiceContext, case: Case) -> None:
    """Emergency: specialists of the specialty and operators hear at once (the patient has the advice)."""
    query = select(Account.email).where(
        Account.active.is_(True),
        (Account.role == Role.OPERATOR.value)
        | ((Account.role == Role.SPECIALIST.value) & (Account.specialty == case.specialty)),
    )
    link = f"{ctx.settings.public_base_url}/cases/{case.id}"
    body = f"An emergency case was submitted at {case.submitted_at:%Y-%m-%d %H:%M} UTC.\n\n{link}\n"
    notifications.enqueue(session, ctx, list(session.scalars(query)), "Emergency case submitted", body)


def _created(case: Case) -> CaseCreated:
    triage = case.assessment["triage"]
    return CaseCreated(
        id=case.id,
        status=case.status,
        triage=TriageOut(level=triage["level"], advice=triage["advice"]),
        due_at=case.due_at,
    )
