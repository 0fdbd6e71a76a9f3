"""Builds what a reader may see of a case (patients never get the assessment or review notes)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from spineconsult.consult.actors import Actor
from spineconsult.consult.schemas import (
    AttachmentOut,
    CaseDetail,
    ReviewOut,
    ThreadEntry,
    TriageOut,
)
from spineconsult.store.models import Account, Attachment, Case, Publication, Review, ThreadMessage


def thread_entry(message: ThreadMessage, author: Account) -> ThreadEntry:
    return ThreadEntry(
        id=message.id,
        kind=message.kind,
        author_role=author.role,
        author_name=author.name,
        body=message.body,
        sections=message.sections,
        created_at=message.created_at,
    )


def attachment_out(row: Attachment) -> AttachmentOut:
    return AttachmentOut(
        id=row.id,
        filename=row.filename,
        content_type=row.content_type,
        size=row.size,
        sha256=row.sha256,
        created_at=row.created_at,
    )


def load_thread(session: Session, case_id: str) -> list[ThreadEntry]:
    query = (
        select(ThreadMessage, Account)
        .join(Account, Account.id == ThreadMessage.author_id)
        .where(ThreadMessage.case_id == case_id)
        .order_by(ThreadMessage.created_at, ThreadMessage.id)
    )
    return [thread_entry(message, author) for message, author in session.execute(query)]


def _attachments(session: Session, case_id: str) -> list[AttachmentOut]:
    rows = session.scalars(select(Attachment).where(Attachment.case_id == case_id).order_by(Attachment.id))
    return [attachment_out(row) for row in rows]


def _reviews(session: Session, case_id: str) -> list[ReviewOut]:
    query = (
        select(Review, Account.name)
        .join(Account, Account.id == Review.reviewer_id)
        .where(Review.case_id == case_id)
        .order_by(Review.id)
    )
    return [
        ReviewOut(
            id=r.id, decision=r.decision, comment=r.comment, reviewer_name=name, created_at=r.created_at
        )
        for r, name in session.execute(query)
    ]


def case_detail(session: Session, actor: Actor, case: Case) -> CaseDetail:
    """The case for this reader: staff see the engine's assessment and the review notes."""
    claimer = session.get(Account, case.claimed_by) if case.claimed_by else None
    slug = session.scalar(select(Publication.slug).where(Publication.case_id == case.id))
    triage = case.assessment["triage"]
    return CaseDetail(
        id=case.id,
        status=case.status,
        specialty=case.specialty,
        plan=case.plan,
        message=case.message,
        on_behalf_of=case.on_behalf_of,
        age=case.age,
        sex=case.sex,
        procedures=case.procedures,
        history=case.history,
        triage=TriageOut(level=triage["level"], advice=triage["advice"]),
        submitted_at=case.submitted_at,
        due_at=case.due_at,
        claimed_by=claimer.name if claimer else None,
        thread=load_thread(session, case.id),
        attachments=_attachments(session, case.id),
        reviews=_reviews(session, case.id) if actor.is_staff else [],
        assessment=case.assessment if actor.is_staff else None,
        publication_slug=slug,
    )
