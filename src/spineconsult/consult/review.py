"""Medical review: approve (publishes) or return with a comment; re-review of published items when due."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from spineconsult.consult import audit, notifications
from spineconsult.consult.actors import Actor, Role
from spineconsult.consult.answers import latest_answer
from spineconsult.consult.context import ServiceContext
from spineconsult.consult.errors import Conflict, Forbidden, InvalidInput
from spineconsult.consult.policies import load_visible_case, require_role
from spineconsult.consult.publication import find_publication, publish_case
from spineconsult.consult.queue import summary
from spineconsult.consult.schemas import CaseSummary, LibraryHit, ReviewIn, ReviewOut
from spineconsult.consult.thread import notify_patient, notify_specialist
from spineconsult.store.models import Account, Case, Publication, Review, ThreadMessage


def review_case(ctx: ServiceContext, actor: Actor, case_id: str, data: ReviewIn) -> ReviewOut:
    """A reviewer who did not write the answer approves it (it is published) or returns it."""
    require_role(actor, Role.REVIEWER)
    _require_comment_on_return(data)
    with ctx.write() as session:
        case = load_visible_case(session, actor, case_id)
        answer = _answer_under_review(session, case)
        if answer.author_id == actor.id:
            raise Forbidden("a reviewer never reviews their own answer")
        reviewer = session.get_one(Account, actor.id)
        review = _add_review(session, ctx, case, answer, reviewer, data, kind="answer")
        _apply_decision(session, ctx, case, answer, reviewer, data)
        audit.record(session, ctx, actor, f"case.review_{data.decision}", case.id, review_id=review.id)
        result = _review_out(review, reviewer)
    ctx.pages.clear()  # a page was published, re-published or withdrawn
    return result


def _review_out(review: Review, reviewer: Account) -> ReviewOut:
    return ReviewOut(
        id=review.id,
        decision=review.decision,
        comment=review.comment,
        reviewer_name=reviewer.name,
        created_at=review.created_at,
    )


def _require_comment_on_return(data: ReviewIn) -> None:
    if data.decision == "return" and not data.comment.strip():
        raise InvalidInput("comment", "say what needs changing when returning an answer")


def _answer_under_review(session: Session, case: Case) -> ThreadMessage:
    answer = latest_answer(session, case.id)
    if case.status != "in_review" or answer is None:
        raise Conflict(f"case {case.id} has no answer awaiting review")
    return answer


def _add_review(
    session: Session,
    ctx: ServiceContext,
    case: Case,
    answer: ThreadMessage | None,
    reviewer: Account,
    data: ReviewIn,
    *,
    kind: str,
) -> Review:
    review = Review(
        case_id=case.id,
        answer_id=answer.id if answer else None,
        reviewer_id=reviewer.id,
        kind=kind,
        decision=data.decision,
        comment=data.comment,
        created_at=ctx.now(),
    )
    session.add(review)
    session.flush()
    return review


def _apply_decision(
    session: Session,
    ctx: ServiceContext,
    case: Case,
    answer: ThreadMessage,
    reviewer: Account,
    data: ReviewIn,
) -> None:
    if data.decision == "approve":
        publish_case(session, ctx, case, reviewer, answer)
        case.status = "published"
        notify_patient(session, ctx, case, "Your answer was reviewed and a de-identified copy was published")
    else:
        case.status = "returned"
        notify_specialist(session, ctx, case, f"Your answer to case {case.id} was returned by the reviewer")
    case.updated_at = ctx.now()


def list_for_review(ctx: ServiceContext, actor: Actor) -> list[CaseSummary]:
    """Answers awaiting review, oldest first (reviewers; operators watch)."""
    require_role(actor, Role.REVIEWER, Role.OPERATOR)
    query = select(Case).where(Case.status == "in_review").order_by(Case.updated_at, Case.id).limit(500)
    with ctx.read() as session:
        return [summary(case) for case in session.scalars(query)]


def list_rereview_due(ctx: ServiceContext, actor: Actor) -> list[LibraryHit]:
    """Published items whose re-review date has come (reviewers and operators)."""
    require_role(actor, Role.REVIEWER, Role.OPERATOR)
    query = (
        select(Publication)
        .where(Publication.status == "published", Publication.rereview_due_at <= ctx.now())
        .order_by(Publication.rereview_due_at)
        .limit(500)
    )
    with ctx.read() as session:
        return [
            LibraryHit(slug=p.slug, title=p.title, snippet="", published_at=p.published_at)
            for p in session.scalars(query)
        ]


def rereview_publication(ctx: ServiceContext, actor: Actor, slug: str, data: ReviewIn) -> ReviewOut:
    """Approve keeps the item for another interval; return withdraws it and sends the case back."""
    require_role(actor, Role.REVIEWER)
    _require_comment_on_return(data)
    with ctx.write() as session:
        item = find_publication(session, slug)
        case = session.get_one(Case, item.case_id)
        reviewer = session.get_one(Account, actor.id)
        review = _add_review(
            session, ctx, case, latest_answer(session, case.id), reviewer, data, kind="rereview"
        )
        _apply_rereview(session, ctx, item, case, data)
        audit.record(session, ctx, actor, f"publication.rereview_{data.decision}", case.id, slug=slug)
        result = _review_out(review, reviewer)
    ctx.pages.clear()  # a page was published, re-published or withdrawn
    return result


def _apply_rereview(
    session: Session, ctx: ServiceContext, item: Publication, case: Case, data: ReviewIn
) -> None:
    from datetime import timedelta

    now = ctx.now()
    if data.decision == "approve":
        item.last_reviewed_at = now
        item.rereview_due_at = now + timedelta(days=ctx.settings.rereview_interval_days)
        return
    item.status = "withdrawn"
    case.status = "returned"
    case.updated_at = now
    notify_specialist(
        session, ctx, case, f"The published answer of case {case.id} was withdrawn at re-review"
    )


def remind_rereviews(ctx: ServiceContext) -> int:
    """E-mail reviewers once about each published item whose re-review has fallen due (worker)."""
    now = ctx.now()
    due = (
        select(Publication)
        .where(Publication.status == "published", Publication.rereview_due_at <= now)
        .where(
            or_(
                Publication.rereview_reminded_at.is_(None),
                Publication.rereview_reminded_at < Publication.rereview_due_at,
            )
        )
        .limit(200)
    )
    with ctx.write() as session:
        items = list(session.scalars(due))
        for item in items:
            item.rereview_reminded_at = now
        if items:
            notifications.enqueue(session, ctx, _reviewer_emails(session), *_reminder(ctx, items))
        return len(items)


def _reviewer_emails(session: Session) -> list[str]:
    query = select(Account.email).where(Account.role == Role.REVIEWER.value, Account.active.is_(True))
    return list(session.scalars(query))


def _reminder(ctx: ServiceContext, items: list[Publication]) -> tuple[str, str]:
    lines = [f"- {item.title}\n  {ctx.settings.public_base_url}/library/{item.slug}" for item in items]
    subject = f"{len(items)} published answer(s) due for re-review"
    return subject, "These published answers are due for medical re-review:\n\n" + "\n".join(lines) + "\n"
