"""Attachments: checked by their content (not their name), size-limited, stored content-addressed.

Bytes go to `<data_dir>/attachments/<sha[:2]>/<sha256>`; the same file uploaded twice is stored once.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select

from spineconsult.consult import audit
from spineconsult.consult.actors import Actor
from spineconsult.consult.context import ServiceContext
from spineconsult.consult.errors import InvalidInput, NotFound, TooLarge, UnsupportedType
from spineconsult.consult.policies import load_visible_case, require_owner_or_claimer
from spineconsult.consult.schemas import AttachmentOut
from spineconsult.consult.views import attachment_out
from spineconsult.store.models import Attachment

CHUNK = 1024 * 1024
SNIFF_BYTES = 132


def sniff_type(head: bytes) -> str | None:
    """The media type read from the first bytes: PDF, JPEG, PNG or DICOM ("DICM" after 128 bytes)."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if len(head) >= 132 and head[128:132] == b"DICM":
        return "application/dicom"
    return None


def add_attachment(
    ctx: ServiceContext, actor: Actor, case_id: str, filename: str, stream: BinaryIO
) -> AttachmentOut:
    """Store an upload of the patient (or the claiming specialist) of a case."""
    with ctx.read() as session:
        require_owner_or_claimer(actor, load_visible_case(session, actor, case_id))
    temp, sha, size, content_type = _receive(ctx, stream)
    path, created = _place(ctx, temp, sha)
    try:
        return _record(ctx, actor, case_id, filename, sha, size, content_type)
    except BaseException:
        if created:
            path.unlink(missing_ok=True)
        raise


def _receive(ctx: ServiceContext, stream: BinaryIO) -> tuple[Path, str, int, str]:
    """Copy the upload to a temporary file, hashing it and checking type and size as it comes."""
    folder = ctx.settings.attachments_dir
    folder.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=folder, prefix=".upload-")
    temp = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            sha, size, content_type = _copy(ctx, stream, out)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp, sha, size, content_type


def _copy(ctx: ServiceContext, stream: BinaryIO, out: BinaryIO) -> tuple[str, int, str]:
    limit = ctx.settings.max_attachment_bytes
    digest = hashlib.sha256()
    head = _read_head(stream)
    if not head:
        raise InvalidInput("file", "the file is empty")
    content_type = sniff_type(head)
    if content_type is None:
        raise UnsupportedType("only PDF, JPEG, PNG and DICOM files are accepted")
    size = 0
    chunk = head
    while chunk:
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"a file may be at most {limit} bytes")
        digest.update(chunk)
        out.write(chunk)
        chunk = stream.read(CHUNK)
    return digest.hexdigest(), size, content_type


def _read_head(stream: BinaryIO) -> bytes:
    head = b""
    while len(head) < SNIFF_BYTES:
        more = stream.read(SNIFF_BYTES - len(head))
        if not more:
            break
        head += more
    return head


def blob_path(ctx: ServiceContext, sha: str) -> Path:
    return ctx.settings.attachments_dir / sha[:2] / sha


def _place(ctx: ServiceContext, temp: Path, sha: str) -> tuple[Path, bool]:
    """Move the upload to its content address; returns the path and whether this call created it."""
    path = blob_path(ctx, sha)
    if path.exists():
        temp.unlink(missing_ok=True)
        return path, False
    path.parent.mkdir(parents=True, exist_ok=True)
    os.replace(temp, path)
    return path, True


def _record(
    ctx: ServiceContext, actor: Actor, case_id: str, filename: str, sha: str, size: int, content_type: str
) -> AttachmentOut:
    with ctx.write() as session:
        case = load_visible_case(session, actor, case_id)
        require_owner_or_claimer(actor, case)
        row = Attachment(
            case_id=case.id,
            uploaded_by=actor.id,
            sha256=sha,
            content_type=content_type,
            size=size,
            filename=_safe_name(filename),
            created_at=ctx.now(),
        )
        session.add(row)
        session.flush()
        audit.record(session, ctx, actor, "attachment.add", case.id, attachment_id=row.id, sha256=sha)
        return attachment_out(row)


def _safe_name(filename: str) -> str:
    name = Path(filename.replace("\\", "/")).name.strip() or "upload"
    return name[:255]


def open_attachment(
    ctx: ServiceContext, actor: Actor, case_id: str, attachment_id: int
) -> tuple[Path, AttachmentOut]:
    """Path and description of an attachment for anyone who may see the case; the read is audited."""
    with ctx.write() as session:
        case = load_visible_case(session, actor, case_id)
        row = session.scalar(
            select(Attachment).where(Attachment.id == attachment_id, Attachment.case_id == case.id)
        )
        if row is None:
            raise NotFound(f"attachment {attachment_id} not found")
        audit.record(session, ctx, actor, "attachment.read", case.id, attachment_id=row.id)
        return blob_path(ctx, row.sha256), attachment_out(row)
