"""The specialist's answer in the seed's four sections, and the draft the engine prefills."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from spineconsult.consult import audit, notifications
from spineconsult.consult.actors import Actor, Role
from spineconsult.consult.context import ServiceContext
from spineconsult.consult.errors import Conflict
from spineconsult.consult.policies import load_visible_case, require_claimer, require_role
from spineconsult.consult.schemas import AnswerDraft, AnswerIn, ThreadEntry
from spineconsult.consult.thread import append_turn, notify_patient
from spineconsult.consult.views import thread_entry
from spineconsult.store.models import Account, Case, ThreadMessage

ANSWERABLE = ("claimed", "awaiting_patient", "returned", "in_review", "published")


def answer_case(ctx: ServiceContext, actor: Actor, case_id: str, data: AnswerIn) -> ThreadEntry:
    """The claiming specialist answers; the patient sees it at once, a reviewer before publication."""
    require_role(actor, Role.SPECIALIST)
    with ctx.write() as session:
        case = load_visible_case(session, actor, case_id)
        require_claimer(actor, case)
        if case.status not in ANSWERABLE:
            raise Conflict(f"a case in status {case.status} cannot be answered")
        message = append_turn(session, ctx, actor, case, "answer", data.body)
        message.sections = data.sections()
        case.status = "in_review"
        case.first_answered_at = case.first_answered_at or message.created_at
        notify_patient(session, ctx, case, "Your specialist has answered")
        _notify_reviewers(session, ctx, case)
        audit.record(session, ctx, actor, "case.answer", case.id, message_id=message.id)
        return thread_entry(message, session.get_one(Account, actor.id))


def latest_answer(session: Session, case_id: str) -> ThreadMessage | None:
    query = (
        select(ThreadMessage)
        .where(ThreadMessage.case_id == case_id, ThreadMessage.kind == "answer")
        .order_by(ThreadMessage.created_at.desc(), ThreadMessage.id.desc())
        .limit(1)
    )
    return session.scalar(query)


def _notify_reviewers(session: Session, ctx: ServiceContext, case: Case) -> None:
    query = select(Account.email).where(Account.role == Role.REVIEWER.value, Account.active.is_(True))
    subject = f"An answer awaits review (case {case.id})"
    body = f"{subject}.\n\n{ctx.settings.public_base_url}/cases/{case.id}\n"
    notifications.enqueue(session, ctx, list(session.scalars(query)), subject, body)


def draft_answer(ctx: ServiceContext, actor: Actor, case_id: str) -> AnswerDraft:
    """The answer editor's starting point, written from the engine's assessment (specialists)."""
    require_role(actor, Role.SPECIALIST)
    with ctx.write() as session:
        case = load_visible_case(session, actor, case_id)
        audit.record(session, ctx, actor, "case.draft", case.id)
        return draft_from_assessment(case.assessment)


def draft_from_assessment(assessment: dict[str, Any]) -> AnswerDraft:
    differential = assessment.get("differential") or []
    return AnswerDraft(
        probable_causes=_lines(
            f"{d.get('name')}: {d.get('explanation', '')}".strip() for d in differential[:1]
        ),
        investigations=_lines(_investigation(i) for i in assessment.get("investigations") or []),
        differential_diagnosis=_lines(str(d.get("name")) for d in differential[1:4]),
        treatment_plan=_lines(_treatment(t) for t in assessment.get("treatment_options") or []),
        # The free text is the specialist's own; the triage advice was for the patient, not this.
        body="",
    )


def _investigation(item: dict[str, Any]) -> str:
    when = f" ({item['when']})" if item.get("when") else ""
    return f"{item.get('name')}{when}"


def _treatment(item: dict[str, Any]) -> str:
    certainty = item.get("certainty")
    return f"{item.get('name')} (certainty of evidence: {certainty})" if certainty else str(item.get("name"))


def _lines(items: Any) -> str:
    text = "\n".join(f"- {item}" for item in items if item)
    return text or "None."
