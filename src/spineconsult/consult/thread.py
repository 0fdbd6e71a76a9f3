"""Reading a case and its thread; follow-up turns and requests for more information."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from spineconsult.consult import audit, notifications
from spineconsult.consult.actors import Actor, Role
from spineconsult.consult.context import ServiceContext
from spineconsult.consult.policies import (
    load_visible_case,
    require_claimer,
    require_owner_or_claimer,
    require_role,
)
from spineconsult.consult.queue import summary
from spineconsult.consult.schemas import CaseDetail, CaseSummary, MessageIn, ThreadEntry
from spineconsult.consult.views import case_detail, thread_entry
from spineconsult.store.models import Account, Case, ThreadMessage

# After a patient's reply the case goes back to its specialist.
REOPENED_BY_PATIENT = ("awaiting_patient", "published")


def get_case(ctx: ServiceContext, actor: Actor, case_id: str) -> CaseDetail:
    """One case with its thread; the read is recorded in the audit log."""
    with ctx.write() as session:
        case = load_visible_case(session, actor, case_id)
        audit.record(session, ctx, actor, "case.read", case.id)
        return case_detail(session, actor, case)


def list_cases(ctx: ServiceContext, actor: Actor, *, limit: int = 200) -> list[CaseSummary]:
    """Your cases: a patient's own, a specialist's claimed, a reviewer's to review, an operator's all."""
    query = (
        select(Case, Account.name)
        .outerjoin(Account, Account.id == Case.claimed_by)
        .order_by(Case.submitted_at.desc(), Case.id)
        .limit(max(1, min(limit, 1000)))
    )
    if actor.role == Role.PATIENT:
        query = query.where(Case.patient_id == actor.id)
    elif actor.role == Role.SPECIALIST:
        query = query.where(Case.claimed_by == actor.id)
    elif actor.role == Role.REVIEWER:
        query = query.where(Case.status == "in_review")
    with ctx.write() as session:
        rows = [summary(case, name) for case, name in session.execute(query)]
        audit.record(session, ctx, actor, "case.list", None, count=len(rows))
        return rows


def post_message(ctx: ServiceContext, actor: Actor, case_id: str, data: MessageIn) -> ThreadEntry:
    """A turn in the thread by the patient or by the specialist who claimed the case."""
    with ctx.write() as session:
        case = load_visible_case(session, actor, case_id)
        require_owner_or_claimer(actor, case)
        message = append_turn(session, ctx, actor, case, "message", data.body)
        if actor.role == Role.PATIENT and case.status == "awaiting_patient":
            _resume_clock(session, case, message.created_at)
        if actor.role == Role.PATIENT and case.status in REOPENED_BY_PATIENT and case.claimed_by:
            case.status = "claimed"
        _notify_other_side(session, ctx, actor, case)
        audit.record(session, ctx, actor, "case.message", case.id, message_id=message.id)
        return thread_entry(message, session.get_one(Account, actor.id))


def request_information(ctx: ServiceContext, actor: Actor, case_id: str, data: MessageIn) -> ThreadEntry:
    """The specialist asks the patient for more (records, images, answers); the patient is e-mailed."""
    require_role(actor, Role.SPECIALIST)
    with ctx.write() as session:
        case = load_visible_case(session, actor, case_id)
        require_claimer(actor, case)
        message = append_turn(session, ctx, actor, case, "request_info", data.body)
        case.status = "awaiting_patient"
        notify_patient(session, ctx, case, "The specialist asks for more information")
        audit.record(session, ctx, actor, "case.request_info", case.id, message_id=message.id)
        return thread_entry(message, session.get_one(Account, actor.id))


def _resume_clock(session: Session, case: Case, now: datetime) -> None:
    """The time spent waiting for the patient's reply does not count against the service level."""
    asked = session.scalar(
        select(func.max(ThreadMessage.created_at)).where(
            ThreadMessage.case_id == case.id, ThreadMessage.kind == "request_info"
        )
    )
    if asked is not None and case.first_answered_at is None:
        case.due_at = case.due_at + (now - asked)


def append_turn(
    session: Session, ctx: ServiceContext, actor: Actor, case: Case, kind: str, body: str
) -> ThreadMessage:
    """Add a turn to the case's thread inside the caller's transaction."""
    now = ctx.now()
    message = ThreadMessage(case_id=case.id, author_id=actor.id, kind=kind, body=body, created_at=now)
    session.add(message)
    session.flush()
    case.updated_at = now
    return message


def notify_patient(session: Session, ctx: ServiceContext, case: Case, subject: str) -> None:
    """E-mail the account that submitted the case; the mail holds a link, never the medical content."""
    patient = session.get_one(Account, case.patient_id)
    body = f"{subject}.\n\nRead it here: {ctx.settings.public_base_url}/cases/{case.id}\n"
    notifications.enqueue(session, ctx, [patient.email], subject, body)


def notify_specialist(session: Session, ctx: ServiceContext, case: Case, subject: str) -> None:
    if case.claimed_by is None:
        return
    specialist = session.get_one(Account, case.claimed_by)
    body = f"{subject}.\n\n{ctx.settings.public_base_url}/cases/{case.id}\n"
    notifications.enqueue(session, ctx, [specialist.email], subject, body)


def _notify_other_side(session: Session, ctx: ServiceContext, actor: Actor, case: Case) -> None:
    if actor.role == Role.PATIENT:
        notify_specialist(session, ctx, case, f"New message from the patient of case {case.id}")
    else:
        notify_patient(session, ctx, case, "You have a new message from your specialist")
