"""The reviewer's desk: what waits for review, and one answer to review with a preview of exactly what
approval would publish (de-identified the way publication does it), so identifiers are caught first."""

from __future__ import annotations

from dataclasses import dataclass

from spineconsult.consult import audit
from spineconsult.consult.actors import Actor, Role
from spineconsult.consult.context import ServiceContext
from spineconsult.consult.policies import load_visible_case, require_role
from spineconsult.consult.publication import Deidentifier, deidentifier, known_identities
from spineconsult.consult.review import list_for_review, list_rereview_due
from spineconsult.consult.schemas import (
    CaseDetail,
    CaseSummary,
    LibraryHit,
    PublishedThreadEntry,
    ThreadEntry,
)
from spineconsult.consult.views import case_detail


@dataclass(frozen=True)
class ReviewDesk:
    pending: list[CaseSummary]
    rereview_due: list[LibraryHit]


@dataclass(frozen=True)
class PublicPreview:
    question: str
    thread: list[PublishedThreadEntry]


@dataclass(frozen=True)
class ReviewView:
    case: CaseDetail
    preview: PublicPreview


def review_desk(ctx: ServiceContext, actor: Actor) -> ReviewDesk:
    """Reviewers only (list_for_review checks the role first)."""
    pending = list_for_review(ctx, actor)
    return ReviewDesk(pending=pending, rereview_due=list_rereview_due(ctx, actor))


def open_review(ctx: ServiceContext, actor: Actor, case_id: str) -> ReviewView:
    """A reviewer opens a case: the case, its thread and the public preview. The read is audited."""
    require_role(actor, Role.REVIEWER)
    with ctx.write() as session:
        case = load_visible_case(session, actor, case_id)
        audit.record(session, ctx, actor, "case.read", case.id, view="review")
        detail = case_detail(session, actor, case)
        identities = known_identities(session, case)
    return ReviewView(detail, preview_of(detail, identities))


def preview_of(detail: CaseDetail, identities: list[str]) -> PublicPreview:
    """De-identification runs outside the transaction: it is the slow part and needs no database."""
    clean = deidentifier(identities)
    turns = [_public_turn(t, clean) for t in detail.thread if t.kind != "question"]
    return PublicPreview(question=clean(detail.message), thread=turns)


def _public_turn(turn: ThreadEntry, clean: Deidentifier) -> PublishedThreadEntry:
    sections = {k: clean(v) for k, v in turn.sections.items()} if turn.sections else None
    author = "patient" if turn.author_role == Role.PATIENT.value else "specialist"
    return PublishedThreadEntry(kind=turn.kind, author=author, body=clean(turn.body), sections=sections)
