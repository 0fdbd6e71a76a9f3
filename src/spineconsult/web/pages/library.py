"""The public library: search with highlighted snippets, one Q&A page like the seed, the helpfulness vote."""

from __future__ import annotations

import hashlib

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from starlette.datastructures import FormData

from spineconsult.consult.publication import get_published, library_search
from spineconsult.consult.publication import vote as record_vote
from spineconsult.web.pages import forms
from spineconsult.web.pages.errors import PageRoute
from spineconsult.web.pages.page import Page, checked_form, page, redirect, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)

TOPICS = (
    ("numbness_tingling", "Numbness, tingling, pins and needles"),
    ("leg_pain", "Leg pain, sciatica"),
    ("back_pain", "Back pain"),
    ("neck_arm", "Neck and arm symptoms"),
    ("wound_fever", "Wound, fever, infection"),
    ("weakness", "Weakness, walking"),
    ("recovery_activity", "Recovery, work and sport"),
    ("medication", "Medication"),
)


@router.get("/library")
def library(q: str = "", procedure: str = "", topic: str = "", p: Page = Depends(page)) -> Response:
    found = library_search(p.ctx, q) if (q or procedure or topic) else None
    hits = found.items if found else []
    return render(
        p,
        "pages/library.html",
        q=q,
        procedure=procedure,
        topic=topic,
        hits=hits,
        procedures=forms.PROCEDURES,
        topics=TOPICS,
    )


@router.get("/library/{slug}")
def qa_page(slug: str, p: Page = Depends(page)) -> Response:
    item = get_published(p.ctx, slug)
    return render(p, "pages/qa.html", qa=item, slug=slug)


@router.post("/library/{slug}/vote")
def vote(slug: str, p: Page = Depends(page), form: FormData = Depends(checked_form)) -> Response:
    counts = record_vote(p.ctx, slug, forms.text(form, "helpful") == "yes", voter_of(p))
    if p.request.headers.get("hx-request") == "true":
        return render(p, "partials/vote.html", slug=slug, voted=True, votes=counts)
    return redirect(p, f"/library/{slug}?voted=1#vote")


def voter_of(p: Page) -> str:
    """One vote per account, or per browser session for anonymous readers (never the raw token)."""
    if p.actor is not None:
        return f"account:{p.actor.id}"
    return "session:" + hashlib.sha256(p.session.csrf.encode()).hexdigest()[:40]
