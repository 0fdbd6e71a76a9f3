"""What an operator watches, as one read: service-level events (breaches first) and the audit log."""

from __future__ import annotations

from dataclasses import dataclass

from spineconsult.consult.actors import Actor
from spineconsult.consult.audit import list_audit
from spineconsult.consult.context import ServiceContext
from spineconsult.consult.queue import list_service_level_events
from spineconsult.consult.schemas import AuditEntry, ServiceLevelEventOut


@dataclass(frozen=True)
class OperationsOverview:
    breaches: list[ServiceLevelEventOut]
    escalations: list[ServiceLevelEventOut]
    audit: list[AuditEntry]


def operations_overview(
    ctx: ServiceContext, actor: Actor, *, case_id: str | None = None
) -> OperationsOverview:
    """Operators only (each read below checks the role)."""
    events = list_service_level_events(ctx, actor)
    return OperationsOverview(
        breaches=[e for e in events if e.kind == "breach"],
        escalations=[e for e in events if e.kind == "escalation"],
        audit=list_audit(ctx, actor, case_id=case_id),
    )
