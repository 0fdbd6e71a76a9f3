"""The reviewer's desk as one read: answers waiting for review and published items due for re-review."""

from __future__ import annotations

from dataclasses import dataclass

from spineconsult.consult.actors import Actor
from spineconsult.consult.context import ServiceContext
from spineconsult.consult.review import list_for_review, list_rereview_due
from spineconsult.consult.schemas import CaseSummary, LibraryHit


@dataclass(frozen=True)
class ReviewDesk:
    pending: list[CaseSummary]
    rereview_due: list[LibraryHit]


def review_desk(ctx: ServiceContext, actor: Actor) -> ReviewDesk:
    """Reviewers only (list_for_review checks the role first)."""
    pending = list_for_review(ctx, actor)
    return ReviewDesk(pending=pending, rereview_due=list_rereview_due(ctx, actor))
