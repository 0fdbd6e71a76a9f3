"""Staff views: the queue, service-level events, the audit log and account management."""

from __future__ import annotations

from fastapi import APIRouter, Query

from spineconsult.consult import accounts, audit, queue
from spineconsult.consult.actors import Role
from spineconsult.consult.schemas import AccountIn, AccountOut, AuditEntry, QueueItem, ServiceLevelEventOut
from spineconsult.web.auth import Ctx, CurrentActor

router = APIRouter(tags=["staff"])
SPECIALTY = Query(None, max_length=40, pattern=r"^[a-z_]+$")


@router.get("/queue")
def queue_list(
    ctx: Ctx, actor: CurrentActor, specialty: str | None = SPECIALTY, include_claimed: bool = False
) -> dict[str, list[QueueItem]]:
    return {"items": queue.list_queue(ctx, actor, specialty=specialty, include_claimed=include_claimed)}


@router.get("/breaches")
def breaches(
    ctx: Ctx,
    actor: CurrentActor,
    kind: str | None = Query(None, pattern="^(escalation|breach)$"),
    limit: int = Query(200, ge=1, le=1000),
) -> dict[str, list[ServiceLevelEventOut]]:
    return {"items": queue.list_service_level_events(ctx, actor, kind=kind, limit=limit)}


@router.get("/audit")
def audit_log(
    ctx: Ctx,
    actor: CurrentActor,
    case_id: str | None = Query(None, max_length=32),
    limit: int = Query(200, ge=1, le=1000),
) -> dict[str, list[AuditEntry]]:
    return {"items": audit.list_audit(ctx, actor, case_id=case_id, limit=limit)}


@router.post("/accounts", status_code=201)
def create_account(ctx: Ctx, actor: CurrentActor, data: AccountIn) -> AccountOut:
    return accounts.create_account(ctx, data, by=actor)


@router.get("/accounts")
def list_accounts(ctx: Ctx, actor: CurrentActor, role: Role | None = None) -> dict[str, list[AccountOut]]:
    return {"items": accounts.list_accounts(ctx, actor, role=role)}
