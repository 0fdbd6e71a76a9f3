"""The specialist's workspace as one read: the case (with the engine's assessment) and the answer editor's
starting text, so the page needs one use-case call.

The editor starts from the latest answer when there is one (a reviewer returned it, or a follow-up
turn), otherwise from the engine's draft in the seed's four sections.
"""

from __future__ import annotations

from dataclasses import dataclass

from spineconsult.consult import audit
from spineconsult.consult.actors import Actor, Role
from spineconsult.consult.answers import ANSWERABLE, draft_from_assessment, latest_answer
from spineconsult.consult.context import ServiceContext
from spineconsult.consult.policies import load_visible_case, require_role
from spineconsult.consult.schemas import AnswerDraft, CaseDetail
from spineconsult.consult.views import case_detail
from spineconsult.store.models import Case, ThreadMessage


@dataclass(frozen=True)
class Workspace:
    case: CaseDetail
    draft: AnswerDraft | None
    read_only_reason: str | None = None

    @property
    def can_answer(self) -> bool:
        return self.read_only_reason is None


def open_workspace(ctx: ServiceContext, actor: Actor, case_id: str) -> Workspace:
    """A specialist opens a case; only its claimer gets an editor. The read is audited."""
    require_role(actor, Role.SPECIALIST)
    with ctx.write() as session:
        case = load_visible_case(session, actor, case_id)
        audit.record(session, ctx, actor, "case.read", case.id, view="workspace")
        detail = case_detail(session, actor, case)
        reason = _read_only_reason(actor, case)
        if reason is not None:
            return Workspace(detail, None, reason)
        previous = latest_answer(session, case.id)
        return Workspace(
            detail, _from_answer(previous) if previous else draft_from_assessment(case.assessment)
        )


def _read_only_reason(actor: Actor, case: Case) -> str | None:
    if case.claimed_by is None:
        return "Claim this case from the queue before answering it."
    if case.claimed_by != actor.id:
        return "Another specialist has claimed this case."
    if case.status not in ANSWERABLE:
        return f"A case in status '{case.status}' cannot be answered."
    return None


def _from_answer(message: ThreadMessage) -> AnswerDraft:
    sections = message.sections or {}
    return AnswerDraft(
        probable_causes=sections.get("probable_causes", ""),
        investigations=sections.get("investigations", ""),
        differential_diagnosis=sections.get("differential_diagnosis", ""),
        treatment_plan=sections.get("treatment_plan", ""),
        body=message.body,
    )
