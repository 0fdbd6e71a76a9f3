"""Patient pages: ask a question (intake), my cases, one case with its thread and a reply form."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import FileResponse, Response
from starlette.datastructures import FormData

from spineconsult.consult import thread
from spineconsult.consult.attachments import open_attachment
from spineconsult.consult.errors import InvalidInput
from spineconsult.consult.submission import reply_with_attachments, submit_with_attachments
from spineconsult.web.pages import forms
from spineconsult.web.pages.errors import PageRoute
from spineconsult.web.pages.page import ActorPage, Page, actor_page, checked_form, redirect, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def intake_page(p: Page, status: int = 200, **context: object) -> Response:
    mb = p.ctx.settings.max_attachment_bytes // (1024 * 1024)
    return render(p, "pages/intake.html", status, procedures=forms.PROCEDURES, max_upload_mb=mb, **context)


@router.get("/ask")
def ask_form(p: ActorPage = Depends(actor_page)) -> Response:
    return intake_page(p)


@router.post("/ask")
def ask_submit(p: ActorPage = Depends(actor_page), form: FormData = Depends(checked_form)) -> Response:
    parsed = forms.intake(form, p.ctx.now().date())
    if parsed.errors:
        return intake_page(p, 422, form=parsed.values, errors=parsed.errors)
    try:
        relationship = parsed.values["relationship"] or None
        created = submit_with_attachments(
            p.ctx, p.actor, parsed.model, forms.uploads(form), relationship=relationship
        )
    except InvalidInput as err:
        errors = {forms.field_name(err.field): err.message.split(": ", 1)[-1]}
        return intake_page(p, 422, form=parsed.values, errors=errors)
    return redirect(p, f"/cases/{created.id}?sent=1")


@router.get("/cases")
def my_cases(p: ActorPage = Depends(actor_page)) -> Response:
    return render(p, "pages/my_cases.html", cases=thread.list_cases(p.ctx, p.actor))


@router.get("/cases/{case_id}")
def case_page(case_id: str, sent: int = 0, p: ActorPage = Depends(actor_page)) -> Response:
    case = thread.get_case(p.ctx, p.actor, case_id)
    return render(p, "pages/case.html", case=case, just_sent=bool(sent))


@router.post("/cases/{case_id}/reply")
def reply(
    case_id: str, p: ActorPage = Depends(actor_page), form: FormData = Depends(checked_form)
) -> Response:
    parsed = forms.message(form)
    if parsed.errors:
        case = thread.get_case(p.ctx, p.actor, case_id)
        return render(p, "pages/case.html", 422, case=case, form=parsed.values, errors=parsed.errors)
    try:
        reply_with_attachments(p.ctx, p.actor, case_id, parsed.model, forms.uploads(form))
    except InvalidInput as err:
        case = thread.get_case(p.ctx, p.actor, case_id)
        errors = {forms.field_name(err.field): err.message.split(": ", 1)[-1]}
        return render(p, "pages/case.html", 422, case=case, form=parsed.values, errors=errors)
    return redirect(p, f"/cases/{case_id}#conversation")


@router.get("/cases/{case_id}/attachments/{attachment_id}")
def attachment(case_id: str, attachment_id: int, p: ActorPage = Depends(actor_page)) -> Response:
    """Download for whoever may see the case (the use case checks and audits); never shown inline."""
    path, info = open_attachment(p.ctx, p.actor, case_id, attachment_id)
    headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"}
    return FileResponse(path, media_type=info.content_type, filename=info.filename, headers=headers)
