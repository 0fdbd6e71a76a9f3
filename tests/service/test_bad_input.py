"""Bad input: 422 naming the field, 413, 415, never a 500, and nothing half-written."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from spineconsult.consult import publication
from spineconsult.consult.errors import Unavailable
from spineconsult.store import models
from spineconsult.store.db import transaction
from spineconsult.web.app import create_app

from .helpers import ANSWER, MESSAGE, case_in_state

TABLES = (
    models.Case,
    models.ThreadMessage,
    models.Attachment,
    models.Review,
    models.Publication,
    models.AuditEvent,
    models.OutboxMail,
)


def row_counts(ctx) -> dict[str, int]:
    with transaction(ctx.sessions) as session:
        return {t.__tablename__: session.scalar(select(func.count()).select_from(t)) for t in TABLES}


def files_in(ctx) -> list[str]:
    folder = ctx.settings.attachments_dir
    return sorted(str(p) for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "message"),
        ({"consent": True}, "message"),
        ({"message": "", "consent": True}, "message"),
        ({"message": "   ", "consent": True}, "message"),
        ({"message": MESSAGE}, "consent"),
        ({"message": MESSAGE, "consent": False}, "consent"),
        ({"message": MESSAGE, "consent": True, "age": "old"}, "age"),
        ({"message": MESSAGE, "consent": True, "age": 400}, "age"),
        ({"message": MESSAGE, "consent": True, "sex": "x"}, "sex"),
        ({"message": MESSAGE, "consent": True, "procedures": [{"side": "left"}]}, "procedures.0.name"),
        (
            {"message": MESSAGE, "consent": True, "procedures": [{"name": "fusion", "date": "soon"}]},
            "procedures.0.date",
        ),
        ({"message": MESSAGE, "consent": True, "procedures": "fusion"}, "procedures"),
        ({"message": MESSAGE, "consent": True, "colour": "blue"}, "colour"),
        ({"message": "x" * 20001, "consent": True}, "message"),
        ([], "body"),
        ({"message": MESSAGE, "consent": True, "plan": "platinum"}, "plan"),
    ],
)
def test_case_submission_names_the_bad_field(client, ctx, personas, body, field):
    before = row_counts(ctx)
    response = client.post("/api/v1/cases", headers=personas["patient"].headers, json=body)
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field
    assert row_counts(ctx) == before


@pytest.mark.parametrize("raw", [b"", b"{", b"not json", b'{"message": "x", "consent": tru}'])
def test_broken_json_is_422(client, ctx, personas, raw):
    headers = {**personas["patient"].headers, "Content-Type": "application/json"}
    response = client.post("/api/v1/cases", headers=headers, content=raw)
    assert response.status_code == 422
    assert response.json()["field"]


def test_answer_and_review_bodies_name_the_field(client, ctx, personas):
    case_id = case_in_state(ctx, "alice@example.org", "claimed")
    partial = {k: v for k, v in ANSWER.model_dump().items() if k != "treatment_plan"}
    response = client.post(
        f"/api/v1/cases/{case_id}/answer", headers=personas["specialist"].headers, json=partial
    )
    assert (response.status_code, response.json()["field"]) == (422, "treatment_plan")
    review = client.post(
        f"/api/v1/cases/{case_id}/review", headers=personas["reviewer"].headers, json={"decision": "maybe"}
    )
    assert (review.status_code, review.json()["field"]) == (422, "decision")
    empty = client.post(
        f"/api/v1/cases/{case_id}/messages", headers=personas["patient"].headers, json={"body": ""}
    )
    assert (empty.status_code, empty.json()["field"]) == (422, "body")


@pytest.mark.parametrize(
    ("content", "status"),
    [
        (b"%PDF-1.7\n" + b"0" * (64 * 1024), 413),
        (b"GIF89a" + b"\x00" * 200, 415),
        (b"hello, this is a text file pretending to be a scan" * 5, 415),
        (b"", 422),
        (b"\x00" * 128 + b"DICN" + b"\x00" * 50, 415),
    ],
)
def test_uploads_are_checked_by_content_and_size(client, ctx, personas, content, status):
    case_id = case_in_state(ctx, "alice@example.org", "waiting")
    before, files = row_counts(ctx), files_in(ctx)
    response = client.post(
        f"/api/v1/cases/{case_id}/attachments",
        headers=personas["patient"].headers,
        files={"file": ("scan.pdf", content, "application/pdf")},
    )
    assert response.status_code == status, response.text
    assert row_counts(ctx) == before
    assert files_in(ctx) == files


@pytest.mark.parametrize(
    ("content", "media_type"),
    [
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "application/pdf"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
        (b"\x00" * 128 + b"DICM" + b"\x02\x00", "application/dicom"),
    ],
)
def test_accepted_types_are_stored_content_addressed(client, ctx, personas, content, media_type):
    import hashlib

    case_id = case_in_state(ctx, "alice@example.org", "waiting")
    response = client.post(
        f"/api/v1/cases/{case_id}/attachments",
        headers=personas["patient"].headers,
        files={"file": ("whatever.bin", content, "text/plain")},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    sha = hashlib.sha256(content).hexdigest()
    assert (body["content_type"], body["sha256"]) == (media_type, sha)
    assert (ctx.settings.attachments_dir / sha[:2] / sha).read_bytes() == content
    download = client.get(
        f"/api/v1/cases/{case_id}/attachments/{body['id']}", headers=personas["specialist"].headers
    )
    assert download.content == content


def test_upload_without_a_file_field_names_it(client, ctx, personas):
    case_id = case_in_state(ctx, "alice@example.org", "waiting")
    response = client.post(
        f"/api/v1/cases/{case_id}/attachments", headers=personas["patient"].headers, data={"other": "x"}
    )
    assert (response.status_code, response.json()["field"]) == (422, "file")


def test_declared_oversize_is_refused_before_reading(client, ctx, personas):
    case_id = case_in_state(ctx, "alice@example.org", "waiting")
    headers = {
        **personas["patient"].headers,
        "Content-Type": "multipart/form-data; boundary=x",
        "Content-Length": str(10 * 1024 * 1024),
    }
    response = client.post(f"/api/v1/cases/{case_id}/attachments", headers=headers, content=b"--x--\r\n")
    assert response.status_code == 413


def test_a_failing_publication_leaves_the_review_unwritten(client, ctx, personas, monkeypatch):
    case_id = case_in_state(ctx, "alice@example.org", "in_review")
    before = row_counts(ctx)

    def unavailable(known):
        raise Unavailable("de-identification is not installed: nothing can be published")

    monkeypatch.setattr(publication, "deidentifier", unavailable)
    response = client.post(
        f"/api/v1/cases/{case_id}/review", headers=personas["reviewer"].headers, json={"decision": "approve"}
    )
    assert response.status_code == 503
    assert row_counts(ctx) == before
    status = client.get(f"/api/v1/cases/{case_id}", headers=personas["specialist"].headers).json()["status"]
    assert status == "in_review"


def test_the_catch_all_answers_json_500_and_logs(settings, ctx, personas, caplog):
    def broken(payload):
        raise RuntimeError("engine exploded")

    ctx.assessor = broken
    with TestClient(create_app(settings, ctx=ctx), raise_server_exceptions=False) as lenient:
        response = lenient.post(
            "/api/v1/cases", headers=personas["patient"].headers, json={"message": MESSAGE, "consent": True}
        )
    assert response.status_code == 500
    assert response.json() == {"detail": "internal error; it has been logged"}
    assert "engine exploded" in caplog.text


def test_unknown_ids_are_404_not_500(client, ctx, personas):
    headers = personas["operator"].headers
    assert client.get("/api/v1/cases/nope", headers=headers).status_code == 404
    assert client.get("/api/v1/cases/" + "x" * 300, headers=headers).status_code == 404
    assert client.get("/api/v1/library/no-such-item").status_code == 404
    assert client.get("/api/v1/cases/nope/attachments/abc", headers=headers).status_code == 422
