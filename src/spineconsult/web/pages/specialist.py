"""Specialist pages: the queue (claim) and the workspace (case, assessment, answer editor, ask for more)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from starlette.datastructures import FormData

from spineconsult.consult import answers, queue, thread
from spineconsult.consult.workspace import Workspace, open_workspace
from spineconsult.web.pages import forms
from spineconsult.web.pages.errors import PageRoute
from spineconsult.web.pages.page import ActorPage, actor_page, checked_form, redirect, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@router.get("/queue")
def queue_page(p: ActorPage = Depends(actor_page)) -> Response:
    items = queue.list_queue(p.ctx, p.actor, include_claimed=True)
    labels = [p.actor.name or p.actor.email]
    return render(
        p, "pages/queue.html", items=items, now=p.ctx.now(), mine_labels=labels, specialty=p.actor.specialty
    )


@router.post("/queue/{case_id}/claim")
def claim(
    case_id: str, p: ActorPage = Depends(actor_page), form: FormData = Depends(checked_form)
) -> Response:
    queue.claim_case(p.ctx, p.actor, case_id)
    return redirect(p, f"/workspace/{case_id}")


def workspace_page(p: ActorPage, ws: Workspace, status: int = 200, **context: Any) -> Response:
    values: dict[str, Any] = {
        "draft": ws.draft.model_dump() if ws.draft else {},
        "info_form": {},
        "info_errors": {},
    } | context
    return render(
        p,
        "pages/workspace.html",
        status,
        case=ws.case,
        assessment=ws.case.assessment,
        can_answer=ws.can_answer,
        read_only_reason=ws.read_only_reason,
        **values,
    )


@router.get("/workspace/{case_id}")
def workspace(case_id: str, p: ActorPage = Depends(actor_page)) -> Response:
    return workspace_page(p, open_workspace(p.ctx, p.actor, case_id))


@router.post("/workspace/{case_id}/answer")
def answer(
    case_id: str, p: ActorPage = Depends(actor_page), form: FormData = Depends(checked_form)
) -> Response:
    parsed = forms.answer(form)
    if parsed.errors:
        ws = open_workspace(p.ctx, p.actor, case_id)
        return workspace_page(p, ws, 422, draft=parsed.values, errors=parsed.errors)
    answers.answer_case(p.ctx, p.actor, case_id, parsed.model)
    return redirect(p, f"/workspace/{case_id}?answered=1")


@router.post("/workspace/{case_id}/request-info")
def request_info(
    case_id: str, p: ActorPage = Depends(actor_page), form: FormData = Depends(checked_form)
) -> Response:
    parsed = forms.message(form, "question")
    if parsed.errors:
        ws = open_workspace(p.ctx, p.actor, case_id)
        return workspace_page(p, ws, 422, info_form=parsed.values, info_errors=parsed.errors)
    thread.request_information(p.ctx, p.actor, case_id, parsed.model)
    return redirect(p, f"/workspace/{case_id}?asked=1")
