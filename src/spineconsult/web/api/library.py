"""The public library: search, one item, helpfulness votes; reviewers' re-review of items; staff's
judgments of related questions."""

from __future__ import annotations

import hashlib

from fastapi import APIRouter, Query, Request, Response

from spineconsult.consult import publication, reading, related_judgments, review
from spineconsult.consult.schemas import (
    CaseSummary,
    LibraryHit,
    LibraryPage,
    PublishedItem,
    RelatedJudgmentIn,
    RelatedJudgmentOut,
    ReviewIn,
    ReviewOut,
    VoteIn,
    VoteOut,
)
from spineconsult.web.auth import Ctx, CurrentActor, OptionalActor

router = APIRouter(tags=["library"])


@router.get("/library")
def search(
    ctx: Ctx,
    q: str = Query("", max_length=500),
    limit: int = Query(20, ge=1, le=100),
    procedure: str | None = Query(None, max_length=60),
    topic: str | None = Query(None, max_length=60),
) -> LibraryPage:
    return reading.library_page(ctx, q, procedure=procedure, topic=topic, limit=limit)


@router.get("/library/{slug}", response_model=PublishedItem)
def item(ctx: Ctx, slug: str) -> Response:
    # The most read page: serialized straight from the model, skipping re-validation.
    return Response(
        reading.published_with_related(ctx, slug).model_dump_json(), media_type="application/json"
    )


def _voter(request: Request, actor_id: int | None) -> str:
    """Accounts vote once each; anonymous readers are told apart by a hash of address and browser."""
    if actor_id is not None:
        return f"account:{actor_id}"
    client = f"{request.client.host if request.client else ''}|{request.headers.get('user-agent', '')}"
    return "anon:" + hashlib.sha256(client.encode()).hexdigest()[:32]


@router.post("/library/{slug}/vote")
def vote(ctx: Ctx, actor: OptionalActor, request: Request, slug: str, data: VoteIn) -> VoteOut:
    return publication.vote(ctx, slug, data.helpful, _voter(request, actor.id if actor else None))


@router.put("/library/{slug}/related/{other}")
def judge_related(
    ctx: Ctx, actor: CurrentActor, slug: str, other: str, data: RelatedJudgmentIn
) -> RelatedJudgmentOut:
    """A specialist's or reviewer's word: is `other` related to `slug` (either way round)?"""
    return related_judgments.judge_related(ctx, actor, slug, other, data.related)


@router.post("/library/{slug}/rereview", status_code=201)
def rereview(ctx: Ctx, actor: CurrentActor, slug: str, data: ReviewIn) -> ReviewOut:
    return review.rereview_publication(ctx, actor, slug, data)


@router.get("/reviews")
def reviews(ctx: Ctx, actor: CurrentActor) -> dict[str, list[CaseSummary] | list[LibraryHit]]:
    """Answers awaiting review and published items due for re-review (reviewers)."""
    return {
        "answers": review.list_for_review(ctx, actor),
        "rereview_due": review.list_rereview_due(ctx, actor),
    }
