"""Who may do what. Use cases call these; handlers never decide permissions.

Patients see only their own cases (another's case is "not found", never "forbidden", so ids leak
nothing); staff roles see every case, and each action names the roles it needs.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from spineconsult.consult.actors import Actor, Role
from spineconsult.consult.errors import Forbidden, NotFound
from spineconsult.store.models import Case


def require_role(actor: Actor, *roles: Role) -> None:
    if actor.role not in roles:
        names = " or ".join(role.value for role in roles)
        raise Forbidden(f"this needs the {names} role")


def can_see(actor: Actor, case: Case) -> bool:
    return actor.is_staff or case.patient_id == actor.id


def load_visible_case(session: Session, actor: Actor, case_id: str, *, for_update: bool = False) -> Case:
    """The case if the actor may see it; NotFound otherwise (also for someone else's case)."""
    plausible = len(case_id) <= 32 and "\x00" not in case_id
    case = session.get(Case, case_id, with_for_update=for_update) if plausible else None
    if case is None or not can_see(actor, case):
        raise NotFound(f"case {case_id} not found")
    return case


def require_owner_or_claimer(actor: Actor, case: Case) -> None:
    """Thread turns come from the patient who submitted or the specialist who claimed the case."""
    if actor.role == Role.PATIENT and case.patient_id == actor.id:
        return
    if actor.role == Role.SPECIALIST and case.claimed_by == actor.id:
        return
    if actor.role == Role.SPECIALIST:
        raise Forbidden("claim the case before writing in its thread")
    raise Forbidden("only the patient and the specialist of the case write in its thread")


def require_claimer(actor: Actor, case: Case) -> None:
    require_role(actor, Role.SPECIALIST)
    if case.claimed_by != actor.id:
        raise Forbidden("only the specialist who claimed the case may do this")
