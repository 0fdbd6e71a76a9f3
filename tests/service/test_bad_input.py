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


def test_huge_json_bodies_are_refused_declared_or_streamed(client, ctx, personas):
    before = row_counts(ctx)
    huge = {"message": "numb " * 10, "consent": True, "medications": ["x" * 1000] * 2000}
    response = client.post("/api/v1/cases", headers=personas["patient"].headers, json=huge)
    assert response.status_code == 413

    def chunks():
        for _ in range(2000):
            yield b" " * 1024

    headers = {**personas["patient"].headers, "Content-Type": "application/json"}
    streamed = client.post("/api/v1/cases", headers=headers, content=chunks())
    assert streamed.status_code == 413
    assert row_counts(ctx) == before


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


def test_hostile_values_never_reach_the_database_as_errors(client, ctx, personas):
    """NUL characters and huge numbers are refused or not found; PostgreSQL would reject them with a 500."""
    patient, operator = personas["patient"].headers, personas["operator"].headers
    nul = client.post("/api/v1/cases", headers=patient, json={"message": "numb foot\u0000", "consent": True})
    assert (nul.status_code, nul.json()["field"]) == (422, "message")
    nul_name = client.post(
        "/api/v1/cases",
        headers=patient,
        json={"message": "numb foot", "consent": True, "on_behalf_of": "a\u0000b"},
    )
    assert nul_name.status_code == 422
    assert client.get("/api/v1/cases/ab%00cd", headers=operator).status_code == 404
    assert client.get("/api/v1/library/ab%00cd").status_code == 404
    assert client.get("/api/v1/library", params={"q": "numb\u0000foot"}).status_code == 200
    case_id = case_in_state(ctx, "alice@example.org", "waiting")
    huge = client.get(f"/api/v1/cases/{case_id}/attachments/{2**70}", headers=operator)
    assert huge.status_code == 422
    login = client.post("/api/v1/auth/token", data={"username": "alice@example.org\u0000", "password": "x"})
    assert login.status_code == 401
    long_word = "numbness" * 40 + "?"
    assert (
        client.post(
            "/api/v1/cases", headers=patient, json={"message": long_word, "consent": True}
        ).status_code
        == 201
    )


def test_a_question_of_very_long_words_still_publishes(client, ctx, personas):
    from spineconsult.consult import answers, queue, review
    from spineconsult.consult.schemas import ReviewIn

    from .helpers import actor, submit

    case_id = submit(ctx, "alice@example.org", message="Why " + "numbness" * 40 + " after my discectomy?")
    surgeon = actor(ctx, "sara@example.org")
    queue.claim_case(ctx, surgeon, case_id)
    answers.answer_case(ctx, surgeon, case_id, ANSWER)
    review.review_case(ctx, actor(ctx, "rita@example.org"), case_id, ReviewIn(decision="approve"))
    slug = client.get("/api/v1/library").json()["items"][0]["slug"]
    assert len(slug) <= 120
    assert client.get(f"/api/v1/library/{slug}").status_code == 200
