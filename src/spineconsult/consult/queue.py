"""The queue per specialty and its service-level clock: due times, claims, escalations and breaches."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from spineconsult.consult import audit, notifications
from spineconsult.consult.actors import Actor, Role
from spineconsult.consult.context import ServiceContext
from spineconsult.consult.errors import Conflict
from spineconsult.consult.policies import load_visible_case, require_role
from spineconsult.consult.schemas import CaseSummary, QueueItem, ServiceLevelEventOut, WorkerReport
from spineconsult.settings import Settings
from spineconsult.store.models import Account, Case, ServiceLevelEvent

log = logging.getLogger(__name__)
TRIAGE_RANK = {"emergency": 0, "urgent": 1, "soon": 2, "routine": 3}
OPEN_STATUSES = ("waiting", "claimed", "awaiting_patient", "in_review", "returned")
UNANSWERED_STATUSES = ("waiting", "claimed", "awaiting_patient")


def due_time(settings: Settings, submitted_at: datetime, plan: str) -> datetime:
    """due = submitted + the plan's service level (hours)."""
    return submitted_at + timedelta(hours=settings.service_level_for(plan))


def excerpt(text: str, length: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1].rstrip() + "…"


def list_queue(
    ctx: ServiceContext, actor: Actor, *, specialty: str | None = None, include_claimed: bool = False
) -> list[QueueItem]:
    """Open cases of a specialty (a specialist's own by default), emergencies first, then by due time."""
    require_role(actor, Role.SPECIALIST, Role.OPERATOR)
    specialty = specialty or (actor.specialty if actor.role == Role.SPECIALIST else None)
    statuses = ("waiting", "claimed", "awaiting_patient") if include_claimed else ("waiting",)
    query = (
        select(Case, Account.name)
        .outerjoin(Account, Account.id == Case.claimed_by)
        .where(Case.status.in_(statuses))
        .order_by(Case.triage_rank, Case.due_at, Case.id)
        .limit(500)
    )
    if specialty:
        query = query.where(Case.specialty == specialty)
    now = ctx.now()
    with ctx.write() as session:
        items = [_queue_item(case, name, now) for case, name in session.execute(query)]
        # The queue shows excerpts of the cases' messages: that is a read of them.
        audit.record(
            session, ctx, actor, "queue.read", None, specialty=specialty, cases=[i.id for i in items]
        )
        return items


def _queue_item(case: Case, claimer: str | None, now: datetime) -> QueueItem:
    return QueueItem(
        id=case.id,
        triage_level=case.triage_level,
        specialty=case.specialty,
        status=case.status,
        submitted_at=case.submitted_at,
        due_at=case.due_at,
        time_left_seconds=(case.due_at - now).total_seconds(),
        excerpt=excerpt(case.message),
        claimed_by=claimer,
    )


def summary(case: Case, claimer: str | None = None) -> CaseSummary:
    return CaseSummary(
        id=case.id,
        status=case.status,
        triage_level=case.triage_level,
        specialty=case.specialty,
        submitted_at=case.submitted_at,
        due_at=case.due_at,
        excerpt=excerpt(case.message),
        claimed_by=claimer,
    )


def claim_case(ctx: ServiceContext, actor: Actor, case_id: str) -> CaseSummary:
    """A specialist takes a waiting case; claiming twice is harmless, a case claimed by another is 409."""
    require_role(actor, Role.SPECIALIST)
    with ctx.write() as session:
        case = load_visible_case(session, actor, case_id)
        if case.claimed_by == actor.id:
            return summary(case, actor.name)
        _take(session, ctx, case, actor)
        audit.record(session, ctx, actor, "case.claim", case.id)
        return summary(case, actor.name)


def _take(session: Session, ctx: ServiceContext, case: Case, actor: Actor) -> None:
    """One conditional UPDATE, so two specialists racing for a case cannot both win."""
    now = ctx.now()
    taken = session.execute(
        update(Case)
        .where(Case.id == case.id, Case.claimed_by.is_(None), Case.status == "waiting")
        .values(claimed_by=actor.id, claimed_at=now, status="claimed", updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("the case is already claimed")
    session.refresh(case)


def list_service_level_events(
    ctx: ServiceContext, actor: Actor, *, kind: str | None = None, limit: int = 200
) -> list[ServiceLevelEventOut]:
    """Escalations and breaches, newest first (operators)."""
    require_role(actor, Role.OPERATOR)
    query = (
        select(ServiceLevelEvent, Case)
        .join(Case, Case.id == ServiceLevelEvent.case_id)
        .order_by(ServiceLevelEvent.recorded_at.desc(), ServiceLevelEvent.id.desc())
        .limit(max(1, min(limit, 1000)))
    )
    if kind:
        query = query.where(ServiceLevelEvent.kind == kind)
    with ctx.read() as session:
        return [_event_out(event, case) for event, case in session.execute(query)]


def _event_out(event: ServiceLevelEvent, case: Case) -> ServiceLevelEventOut:
    return ServiceLevelEventOut(
        case_id=event.case_id,
        kind=event.kind,
        recorded_at=event.recorded_at,
        due_at=event.due_at,
        specialty=case.specialty,
        status=case.status,
    )


def check_service_levels(ctx: ServiceContext) -> WorkerReport:
    """Escalate unclaimed cases past the escalation share of their time; record breaches past due.

    Runs in the worker. Each event is recorded once (unique per case and kind) and operators are
    e-mailed in the same transaction.
    """
    try:
        with ctx.write() as session:
            escalations = _escalate(session, ctx)
            breaches = _record_breaches(session, ctx)
    except IntegrityError:
        # Another worker process recorded the same events first; its pass did the work.
        log.info("service-level events already recorded by another worker")
        return WorkerReport()
    return WorkerReport(escalations=escalations, breaches=breaches)


def _without_event(kind: str) -> ColumnElement[bool]:
    return (
        ~select(ServiceLevelEvent.id)
        .where(ServiceLevelEvent.case_id == Case.id, ServiceLevelEvent.kind == kind)
        .exists()
    )


def _escalate(session: Session, ctx: ServiceContext) -> int:
    now = ctx.now()
    fraction = ctx.settings.escalation_fraction
    longest = max([ctx.settings.service_level_hours, *ctx.settings.plan_service_levels.values()])
    horizon = now + timedelta(hours=longest * (1 - fraction))
    candidates = session.scalars(
        select(Case).where(
            Case.status == "waiting",
            Case.claimed_by.is_(None),
            Case.due_at <= horizon,
            _without_event("escalation"),
        )
    )
    due = [c for c in candidates if now >= c.submitted_at + (c.due_at - c.submitted_at) * fraction]
    for case in due:
        _add_event(session, ctx, case, "escalation")
    return len(due)


def _record_breaches(session: Session, ctx: ServiceContext) -> int:
    now = ctx.now()
    cases = list(
        session.scalars(
            select(Case).where(
                Case.status.in_(UNANSWERED_STATUSES),
                Case.first_answered_at.is_(None),
                Case.due_at <= now,
                _without_event("breach"),
            )
        )
    )
    for case in cases:
        _add_event(session, ctx, case, "breach")
    return len(cases)


def _add_event(session: Session, ctx: ServiceContext, case: Case, kind: str) -> None:
    session.add(ServiceLevelEvent(case_id=case.id, kind=kind, recorded_at=ctx.now(), due_at=case.due_at))
    audit.record(session, ctx, None, f"case.sla_{kind}", case.id, due_at=case.due_at.isoformat())
    notifications.enqueue(session, ctx, operator_emails(session), *_event_mail(ctx, case, kind))


def operator_emails(session: Session) -> list[str]:
    query = select(Account.email).where(Account.role == Role.OPERATOR.value, Account.active.is_(True))
    return list(session.scalars(query))


def _event_mail(ctx: ServiceContext, case: Case, kind: str) -> tuple[str, str]:
    left = (case.due_at - ctx.now()).total_seconds() / 60
    what = "is still unclaimed" if kind == "escalation" else "has passed its due time without an answer"
    subject = f"[{case.triage_level}] case {case.id} {what}"
    body = (
        f"Case {case.id} ({case.specialty}, triage {case.triage_level}) {what}.\n"
        f"Due at {case.due_at:%Y-%m-%d %H:%M} UTC ({left:.0f} minutes from now).\n\n"
        f"{ctx.settings.public_base_url}/queue\n"
    )
    return subject, body
