"""Intake and replies from the web forms: a message and its attachments in one step.

Every file is checked (type by content, size) *before* the case is created, so a bad file refuses the
whole form and leaves nothing half-written; then the case is submitted (the engine runs) and the files
are stored through the attachments use case.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import BinaryIO, Protocol

from spineconsult.consult.actors import Actor
from spineconsult.consult.attachments import SNIFF_BYTES, add_attachment, sniff_type
from spineconsult.consult.context import ServiceContext
from spineconsult.consult.errors import InvalidInput
from spineconsult.consult.intake import submit_case
from spineconsult.consult.schemas import CaseCreated, CaseSubmission, MessageIn, ThreadEntry
from spineconsult.consult.thread import post_message
from spineconsult.store.models import Case


class Upload(Protocol):
    """A file from a form (Starlette's UploadFile fits)."""

    filename: str | None
    file: BinaryIO


def submit_with_attachments(
    ctx: ServiceContext,
    actor: Actor,
    data: CaseSubmission,
    files: Sequence[Upload],
    *,
    relationship: str | None = None,
) -> CaseCreated:
    """`relationship`: how a proxy knows the person (kept in the case's history, shown to staff)."""
    for upload in files:
        check_upload(ctx, upload)
    created = submit_case(ctx, actor, data)
    if relationship and data.on_behalf_of:
        _note_relationship(ctx, created.id, relationship)
    for upload in files:
        upload.file.seek(0)
        add_attachment(ctx, actor, created.id, upload.filename or "upload", upload.file)
    return created


def check_upload(ctx: ServiceContext, upload: Upload) -> None:
    """InvalidInput naming the file when it is empty, too large or of a type that is not accepted."""
    name = upload.filename or "the file"
    stream = upload.file
    stream.seek(0)
    head = stream.read(SNIFF_BYTES)
    size = stream.seek(0, os.SEEK_END)
    limit = ctx.settings.max_attachment_bytes
    if not head:
        raise InvalidInput("attachments", f"{name} is empty.")
    if size > limit:
        raise InvalidInput("attachments", f"{name} is larger than {limit // (1024 * 1024)} MB.")
    if sniff_type(head) is None:
        raise InvalidInput("attachments", f"{name} is not a PDF, JPEG, PNG or DICOM file.")


def _note_relationship(ctx: ServiceContext, case_id: str, relationship: str) -> None:
    # CaseSubmission has no field for it yet; the history JSON is the case's free-form part.
    with ctx.write() as session:
        case = session.get_one(Case, case_id)
        case.history = {**(case.history or {}), "relationship": relationship[:60]}


def reply_with_attachments(
    ctx: ServiceContext, actor: Actor, case_id: str, data: MessageIn, files: Sequence[Upload]
) -> ThreadEntry:
    """A turn in the thread with the records asked for; every file is checked before anything is stored."""
    for upload in files:
        check_upload(ctx, upload)
    entry = post_message(ctx, actor, case_id, data)
    for upload in files:
        upload.file.seek(0)
        add_attachment(ctx, actor, case_id, upload.filename or "upload", upload.file)
    return entry
