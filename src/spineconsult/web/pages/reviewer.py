"""Reviewer pages: answers waiting for review, and one review with approve / return with a comment."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from starlette.datastructures import FormData

from spineconsult.consult.publication import get_published
from spineconsult.consult.review import rereview_publication, review_case
from spineconsult.consult.review_desk import open_review, review_desk
from spineconsult.web.pages import forms
from spineconsult.web.pages.errors import PageRoute
from spineconsult.web.pages.page import ActorPage, actor_page, checked_form, redirect, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@router.get("/reviews")
def reviews(p: ActorPage = Depends(actor_page)) -> Response:
    desk = review_desk(p.ctx, p.actor)
    return render(p, "pages/reviews.html", items=desk.pending, due=desk.rereview_due)


@router.get("/reviews/{case_id}")
def review_page(case_id: str, p: ActorPage = Depends(actor_page)) -> Response:
    view = open_review(p.ctx, p.actor, case_id)
    return render(p, "pages/review.html", case=view.case, preview=view.preview)


@router.post("/reviews/{case_id}")
def decide(
    case_id: str, p: ActorPage = Depends(actor_page), form: FormData = Depends(checked_form)
) -> Response:
    parsed = forms.review(form)
    if parsed.errors:
        view = open_review(p.ctx, p.actor, case_id)
        return render(
            p,
            "pages/review.html",
            422,
            case=view.case,
            preview=view.preview,
            form=parsed.values,
            errors=parsed.errors,
        )
    review_case(p.ctx, p.actor, case_id, parsed.model)
    return redirect(p, f"/reviews?done={case_id}")


@router.get("/reviews/library/{slug}")
def rereview_page(slug: str, p: ActorPage = Depends(actor_page)) -> Response:
    return render(p, "pages/rereview.html", qa=get_published(p.ctx, slug))


@router.post("/reviews/library/{slug}")
def rereview(
    slug: str, p: ActorPage = Depends(actor_page), form: FormData = Depends(checked_form)
) -> Response:
    """Approve keeps the published answer for another interval; return withdraws it."""
    parsed = forms.review(form)
    if parsed.errors:
        qa = get_published(p.ctx, slug)
        return render(p, "pages/rereview.html", 422, qa=qa, form=parsed.values, errors=parsed.errors)
    rereview_publication(p.ctx, p.actor, slug, parsed.model)
    return redirect(p, f"/reviews?done={slug}")
