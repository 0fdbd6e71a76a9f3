"""Review: return with a comment, the specialist revises, approval publishes; re-review when due."""

from __future__ import annotations

from datetime import timedelta

from spineconsult.consult import accounts

from .conftest import PASSWORD
from .helpers import ANSWER, case_in_state


def test_return_needs_a_comment_and_sends_the_answer_back(client, ctx, personas):
    case_id = case_in_state(ctx, "alice@example.org", "in_review")
    reviewer, specialist = personas["reviewer"].headers, personas["specialist"].headers
    bare = client.post(f"/api/v1/cases/{case_id}/review", headers=reviewer, json={"decision": "return"})
    assert bare.status_code == 422 and bare.json()["field"] == "comment"
    returned = client.post(
        f"/api/v1/cases/{case_id}/review",
        headers=reviewer,
        json={"decision": "return", "comment": "Say when an MRI is needed."},
    )
    assert returned.status_code == 201
    detail = client.get(f"/api/v1/cases/{case_id}", headers=specialist).json()
    assert detail["status"] == "returned"
    assert detail["reviews"][0]["comment"] == "Say when an MRI is needed."
    assert client.get(f"/api/v1/cases/{case_id}", headers=personas["patient"].headers).json()["reviews"] == []
    assert (
        client.post(
            f"/api/v1/cases/{case_id}/review", headers=reviewer, json={"decision": "approve"}
        ).status_code
        == 409
    )
    revised = {**ANSWER.model_dump(), "investigations": "MRI with contrast if not better at 3 months."}
    assert client.post(f"/api/v1/cases/{case_id}/answer", headers=specialist, json=revised).status_code == 201
    approved = client.post(f"/api/v1/cases/{case_id}/review", headers=reviewer, json={"decision": "approve"})
    assert approved.status_code == 201
    slug = client.get(f"/api/v1/cases/{case_id}", headers=specialist).json()["publication_slug"]
    item = client.get(f"/api/v1/library/{slug}").json()
    assert item["answer_sections"]["investigations"] == "MRI with contrast if not better at 3 months."


def test_nothing_is_published_before_approval(client, ctx, personas):
    case_in_state(ctx, "alice@example.org", "in_review")
    assert client.get("/api/v1/library").json()["items"] == []


def test_rereview_falls_due_after_the_interval(client, ctx, personas):
    case_in_state(ctx, "alice@example.org", "published")
    reviewer = personas["reviewer"].headers
    assert client.get("/api/v1/reviews", headers=reviewer).json()["rereview_due"] == []
    start = ctx.now()
    ctx.clock = lambda: start + timedelta(days=ctx.settings.rereview_interval_days, minutes=1)
    token = accounts.login(ctx, "rita@example.org", PASSWORD).access_token
    reviewer = {"Authorization": f"Bearer {token}"}
    due = client.get("/api/v1/reviews", headers=reviewer).json()["rereview_due"]
    assert len(due) == 1
    slug = due[0]["slug"]
    ok = client.post(f"/api/v1/library/{slug}/rereview", headers=reviewer, json={"decision": "approve"})
    assert ok.status_code == 201
    assert client.get("/api/v1/reviews", headers=reviewer).json()["rereview_due"] == []
    item = client.get(f"/api/v1/library/{slug}").json()
    assert item["last_reviewed_at"] > item["published_at"]


def test_rereview_return_withdraws_the_page(client, ctx, personas):
    case_id = case_in_state(ctx, "alice@example.org", "published")
    slug = client.get(f"/api/v1/cases/{case_id}", headers=personas["patient"].headers).json()[
        "publication_slug"
    ]
    withdrawn = client.post(
        f"/api/v1/library/{slug}/rereview",
        headers=personas["reviewer"].headers,
        json={"decision": "return", "comment": "Guidance changed."},
    )
    assert withdrawn.status_code == 201
    assert client.get(f"/api/v1/library/{slug}").status_code == 404
    assert (
        client.get(f"/api/v1/cases/{case_id}", headers=personas["specialist"].headers).json()["status"]
        == "returned"
    )


def test_reviewers_are_reminded_once_when_a_rereview_falls_due(ctx, personas):
    from spineconsult.consult import worker
    from spineconsult.consult.notifications import SmtpMailer

    from .smtp import smtp_server

    case_in_state(ctx, "alice@example.org", "published")
    start = ctx.now()
    with smtp_server() as (inbox, port):
        ctx.mailer = SmtpMailer(ctx.settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port}))
        assert worker.run_once(ctx).rereview_reminders == 0
        ctx.clock = lambda: start + timedelta(days=ctx.settings.rereview_interval_days, hours=1)
        assert worker.run_once(ctx).rereview_reminders == 1
        assert worker.run_once(ctx).rereview_reminders == 0
    reminders = inbox.to("rita@example.org")
    assert [m["Subject"] for m in reminders][-1] == "1 published answer(s) due for re-review"
