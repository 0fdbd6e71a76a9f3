"""The public library: search with highlighted snippets, one Q&A page like the seed, the helpfulness vote."""

from __future__ import annotations

import hashlib

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from starlette.datastructures import FormData

from spineconsult.consult.publication import vote as record_vote
from spineconsult.consult.reading import read_published, search_filters, search_library
from spineconsult.consult.related_judgments import judge_related
from spineconsult.web.pages import forms
from spineconsult.web.pages.errors import PageRoute
from spineconsult.web.pages.page import ActorPage, Page, actor_page, checked_form, page, redirect, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@router.get("/library")
def library(q: str = "", procedure: str = "", topic: str = "", p: Page = Depends(page)) -> Response:
    searching = bool(q.strip() or procedure or topic)
    hits = search_library(p.ctx, q, procedure=procedure, topic=topic) if searching else []
    filters = search_filters()
    return render(
        p,
        "pages/library.html",
        q=q,
        procedure=procedure,
        topic=topic,
        hits=hits,
        searching=searching,
        procedures=filters.procedures,
        topics=filters.topics,
    )


@router.get("/library/{slug}")
def qa_page(slug: str, p: Page = Depends(page)) -> Response:
    found = read_published(p.ctx, slug)
    if found.evidence is not None:
        return render(p, "pages/evidence.html", page=found.evidence, related=found.related)
    return render(p, "pages/qa.html", qa=found.item, related=found.related)


@router.post("/library/{slug}/vote")
def vote(slug: str, p: Page = Depends(page), form: FormData = Depends(checked_form)) -> Response:
    counts = record_vote(p.ctx, slug, forms.text(form, "helpful") == "yes", voter_of(p))
    if p.request.headers.get("hx-request") == "true":
        return render(p, "partials/vote.html", slug=slug, voted=True, votes=counts)
    return redirect(p, f"/library/{slug}?voted=1#vote")


@router.post("/library/{slug}/related/{other}")
def judge(
    slug: str, other: str, p: ActorPage = Depends(actor_page), form: FormData = Depends(checked_form)
) -> Response:
    judge_related(p.ctx, p.actor, slug, other, forms.text(form, "related") == "yes")
    return redirect(p, f"/library/{slug}?judged=1#related-title")


def voter_of(p: Page) -> str:
    """One vote per account, or per browser session for anonymous readers (never the raw token)."""
    if p.actor is not None:
        return f"account:{p.actor.id}"
    return "session:" + hashlib.sha256(p.session.csrf.encode()).hexdigest()[:40]
