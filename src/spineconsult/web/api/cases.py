"""Cases: intake, reading, thread turns, attachments, claim, answer and review."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from spineconsult.consult import answers, attachments, intake, queue, review, thread
from spineconsult.consult.errors import InvalidInput, TooLarge
from spineconsult.consult.schemas import (
    AnswerDraft,
    AnswerIn,
    AttachmentOut,
    CaseCreated,
    CaseDetail,
    CaseSubmission,
    CaseSummary,
    MessageIn,
    ReviewIn,
    ReviewOut,
    ThreadEntry,
)
from spineconsult.web.auth import Ctx, CurrentActor

router = APIRouter(prefix="/cases", tags=["cases"])
MULTIPART_OVERHEAD = 64 * 1024


@router.post("", status_code=201)
def submit(ctx: Ctx, actor: CurrentActor, data: CaseSubmission) -> CaseCreated:
    return intake.submit_case(ctx, actor, data)


@router.get("")
def own_cases(ctx: Ctx, actor: CurrentActor) -> dict[str, list[CaseSummary]]:
    return {"items": thread.list_cases(ctx, actor)}


@router.get("/{case_id}")
def read(ctx: Ctx, actor: CurrentActor, case_id: str) -> CaseDetail:
    return thread.get_case(ctx, actor, case_id)


@router.post("/{case_id}/messages", status_code=201)
def message(ctx: Ctx, actor: CurrentActor, case_id: str, data: MessageIn) -> ThreadEntry:
    return thread.post_message(ctx, actor, case_id, data)


@router.post("/{case_id}/request-info", status_code=201)
def request_info(ctx: Ctx, actor: CurrentActor, case_id: str, data: MessageIn) -> ThreadEntry:
    return thread.request_information(ctx, actor, case_id, data)


@router.post("/{case_id}/claim")
def claim(ctx: Ctx, actor: CurrentActor, case_id: str) -> CaseSummary:
    return queue.claim_case(ctx, actor, case_id)


@router.get("/{case_id}/draft")
def draft(ctx: Ctx, actor: CurrentActor, case_id: str) -> AnswerDraft:
    return answers.draft_answer(ctx, actor, case_id)


@router.post("/{case_id}/answer", status_code=201)
def answer(ctx: Ctx, actor: CurrentActor, case_id: str, data: AnswerIn) -> ThreadEntry:
    return answers.answer_case(ctx, actor, case_id, data)


@router.post("/{case_id}/review", status_code=201)
def review_answer(ctx: Ctx, actor: CurrentActor, case_id: str, data: ReviewIn) -> ReviewOut:
    return review.review_case(ctx, actor, case_id, data)


@router.post("/{case_id}/attachments", status_code=201)
async def upload(request: Request, ctx: Ctx, actor: CurrentActor, case_id: str) -> AttachmentOut:
    """Multipart upload, field `file`. Too large a request is refused before it is read."""
    declared = int(request.headers.get("content-length") or 0)
    if declared > ctx.settings.max_attachment_bytes + MULTIPART_OVERHEAD:
        raise TooLarge(f"a file may be at most {ctx.settings.max_attachment_bytes} bytes")
    async with request.form(max_files=1, max_fields=10) as form:
        file = form.get("file")
        if not isinstance(file, UploadFile):
            raise InvalidInput("file", "send the file as multipart form field 'file'")
        name = file.filename or ""
        return await run_in_threadpool(attachments.add_attachment, ctx, actor, case_id, name, file.file)


@router.get("/{case_id}/attachments/{attachment_id}")
def download(
    ctx: Ctx, actor: CurrentActor, case_id: str, attachment_id: Annotated[int, Path(ge=1, le=2**31 - 1)]
) -> FileResponse:
    path, meta = attachments.open_attachment(ctx, actor, case_id, attachment_id)
    return FileResponse(path, media_type=meta.content_type, filename=meta.filename)
