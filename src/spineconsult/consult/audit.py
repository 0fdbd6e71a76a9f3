"""Audit log: every read and change of a case, by whom and when."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from spineconsult.consult.actors import Actor, Role
from spineconsult.consult.policies import require_role
from spineconsult.consult.schemas import AuditEntry
from spineconsult.store.models import Account, AuditEvent

if TYPE_CHECKING:
    from spineconsult.consult.context import ServiceContext


def record(
    session: Session,
    ctx: ServiceContext,
    actor: Actor | None,
    action: str,
    case_id: str | None,
    **detail: Any,
) -> None:
    """Add an audit event to the caller's transaction (so it commits or rolls back with the change)."""
    session.add(
        AuditEvent(
            at=ctx.now(),
            actor_id=actor.id if actor else None,
            action=action,
            case_id=case_id,
            detail=detail,
        )
    )


def list_audit(
    ctx: ServiceContext, actor: Actor, *, case_id: str | None = None, limit: int = 200
) -> list[AuditEntry]:
    """Newest first; operators only."""
    require_role(actor, Role.OPERATOR)
    query = (
        select(AuditEvent, Account.email)
        .outerjoin(Account, Account.id == AuditEvent.actor_id)
        .order_by(AuditEvent.id.desc())
        .limit(max(1, min(limit, 1000)))
    )
    if case_id:
        query = query.where(AuditEvent.case_id == case_id)
    with ctx.read() as session:
        return [_entry(event, email) for event, email in session.execute(query)]


def _entry(event: AuditEvent, email: str | None) -> AuditEntry:
    return AuditEntry(
        id=event.id,
        at=event.at,
        actor_id=event.actor_id,
        actor_email=email,
        action=event.action,
        case_id=event.case_id,
        detail=event.detail,
    )
