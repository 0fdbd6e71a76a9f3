"""The queue's order and the service-level clock: escalation at 75 % unclaimed, breach past due."""

from __future__ import annotations

from datetime import timedelta

from spineconsult.consult import worker
from spineconsult.consult.notifications import SmtpMailer

from .helpers import submit
from .smtp import smtp_server

EMERGENCY = "Nine days after my L4-L5 laminectomy I cannot empty my bladder and my bottom feels numb."


def test_emergency_advice_comes_at_once_and_the_case_tops_the_queue(client, ctx, personas):
    routine = submit(ctx, "alice@example.org")
    response = client.post(
        "/api/v1/cases",
        headers=personas["proxy"].headers,
        json={"message": EMERGENCY, "consent": True, "on_behalf_of": "my father"},
    )
    assert response.status_code == 201
    created = response.json()
    assert created["triage"]["level"] == "emergency"
    assert created["triage"]["advice"]
    queue = client.get("/api/v1/queue", headers=personas["specialist"].headers).json()["items"]
    ids = [item["id"] for item in queue]
    assert ids.index(created["id"]) < ids.index(routine)
    assert queue[0]["triage_level"] == "emergency"
    with smtp_server() as (inbox, port):
        ctx.mailer = SmtpMailer(ctx.settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port}))
        worker.run_once(ctx)
    alerted = {m["To"] for m in inbox.messages if m["Subject"] == "Emergency case submitted"}
    assert alerted == {"sara@example.org", "otto@example.org"}  # its specialty's specialist and the operator


def test_due_time_is_submission_plus_the_service_level(client, ctx, personas):
    case_id = submit(ctx, "alice@example.org")
    item = next(
        i
        for i in client.get("/api/v1/queue", headers=personas["operator"].headers).json()["items"]
        if i["id"] == case_id
    )
    from datetime import datetime

    submitted = datetime.fromisoformat(item["submitted_at"])
    assert datetime.fromisoformat(item["due_at"]) - submitted == timedelta(hours=4)


def test_service_level_is_configurable_per_plan(client, tmp_path, ctx, personas):
    from datetime import datetime

    ctx.settings = ctx.settings.model_copy(update={"plan_service_levels": {"standard": 4.0, "priority": 1.0}})
    response = client.post(
        "/api/v1/cases",
        headers=personas["patient"].headers,
        json={"message": "Numb left foot after my discectomy.", "consent": True, "plan": "priority"},
    )
    assert response.status_code == 201
    created = datetime.fromisoformat(response.json()["due_at"])
    assert abs((created - ctx.now()).total_seconds() - 3600) < 60


def test_queue_is_per_specialty(client, ctx, personas):
    case_id = submit(ctx, "alice@example.org", specialty="pain_medicine")
    surgeon = client.get("/api/v1/queue", headers=personas["specialist"].headers).json()["items"]
    pain = client.get("/api/v1/queue", headers=personas["pain_specialist"].headers).json()["items"]
    assert case_id in [i["id"] for i in pain]
    assert case_id not in [i["id"] for i in surgeon]


def test_a_claimed_case_cannot_be_claimed_by_another(client, ctx, personas):
    case_id = submit(ctx, "alice@example.org")
    assert (
        client.post(f"/api/v1/cases/{case_id}/claim", headers=personas["specialist"].headers).status_code
        == 200
    )
    again = client.post(f"/api/v1/cases/{case_id}/claim", headers=personas["specialist"].headers)
    assert again.status_code == 200
    other = client.post(f"/api/v1/cases/{case_id}/claim", headers=personas["pain_specialist"].headers)
    assert other.status_code == 409


def test_operators_hear_at_75_percent_and_breaches_are_recorded(client, ctx, personas):
    start = ctx.now()
    case_id = submit(ctx, "alice@example.org")
    claimed = submit(ctx, "alice@example.org")
    client.post(f"/api/v1/cases/{claimed}/claim", headers=personas["specialist"].headers)
    with smtp_server() as (inbox, port):
        ctx.mailer = SmtpMailer(ctx.settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port}))
        ctx.clock = lambda: start + timedelta(hours=2, minutes=50)
        assert worker.run_once(ctx).escalations == 0
        ctx.clock = lambda: start + timedelta(hours=3, minutes=1)
        report = worker.run_once(ctx)
        assert (report.escalations, report.breaches) == (1, 0)
        assert worker.run_once(ctx).escalations == 0
        ctx.clock = lambda: start + timedelta(hours=4, minutes=1)
        assert worker.run_once(ctx).breaches == 2
    ctx.clock = lambda: start  # the operator's token is valid for an hour only
    to_operator = inbox.to("otto@example.org")
    assert len(to_operator) == 3
    assert case_id in to_operator[0]["Subject"] and "unclaimed" in to_operator[0]["Subject"]
    events = client.get("/api/v1/breaches", headers=personas["operator"].headers).json()["items"]
    assert sorted((e["case_id"], e["kind"]) for e in events) == sorted(
        [(case_id, "escalation"), (case_id, "breach"), (claimed, "breach")]
    )


def test_answered_cases_do_not_breach(client, ctx, personas):
    from .helpers import case_in_state

    start = ctx.now()
    case_in_state(ctx, "alice@example.org", "in_review")
    ctx.clock = lambda: start + timedelta(hours=5)
    assert worker.run_once(ctx).breaches == 0
