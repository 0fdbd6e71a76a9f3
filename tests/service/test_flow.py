"""The whole consultation over the API: submit, claim, ask for more, answer, review, publish, read."""

from __future__ import annotations

import json

from spineconsult.consult.notifications import SmtpMailer, deliver_outbox

from .helpers import ANSWER, PNG
from .smtp import smtp_server

QUESTION = (
    "Hello doctor, I am Alice Patient (alice@example.org, phone +1 555 0100) asking for my friend "
    "John Miller from Springfield. He had an L4-L5 hemilaminectomy at St. Mary's Hospital on "
    "3 October 2026. He is recovering except for persistent numbness, pins and needles and swelling "
    "in his left foot, worse in the afternoon and evening. Is it normal and how long will he have this?"
)
IDENTIFIERS = (
    "alice",
    "555 0100",
    "0100",
    "example.org",
    "john",
    "miller",
    "springfield",
    "mary",
    "3 october",
    "october 2026",
)


def test_patient_to_public_library_without_identifiers(client, ctx, personas):
    patient, specialist, reviewer = personas["patient"], personas["specialist"], personas["reviewer"]
    with smtp_server() as (inbox, port):
        ctx.mailer = SmtpMailer(ctx.settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port}))
        submitted = client.post(
            "/api/v1/cases",
            headers=patient.headers,
            json={
                "message": QUESTION,
                "consent": True,
                "on_behalf_of": "John Miller",
                "age": 44,
                "procedures": [{"name": "hemilaminectomy", "levels": ["L4-L5"], "side": "left"}],
            },
        )
        assert submitted.status_code == 201, submitted.text
        created = submitted.json()
        case_id = created["id"]
        assert created["status"] == "waiting"
        assert set(created["triage"]) == {"level", "advice"}
        assert created["triage"]["advice"]

        queue = client.get("/api/v1/queue", headers=specialist.headers).json()["items"]
        assert case_id in [item["id"] for item in queue]
        assert client.post(f"/api/v1/cases/{case_id}/claim", headers=specialist.headers).status_code == 200
        staff_view = client.get(f"/api/v1/cases/{case_id}", headers=specialist.headers).json()
        assert staff_view["assessment"]["triage"]["level"] == created["triage"]["level"]
        assert staff_view["assessment"]["differential"]

        asked = client.post(
            f"/api/v1/cases/{case_id}/request-info",
            headers=specialist.headers,
            json={"body": "Did he have tingling before the surgery? Please send the MRI."},
        )
        assert asked.status_code == 201
        reply = client.post(
            f"/api/v1/cases/{case_id}/messages",
            headers=patient.headers,
            json={"body": "No, it is new. ALICE PATIENT will send the MRI from St. Mary's; call 555-0100."},
        )
        assert reply.status_code == 201
        upload = client.post(
            f"/api/v1/cases/{case_id}/attachments",
            headers=patient.headers,
            files={"file": ("mri-john-miller.png", PNG, "image/png")},
        )
        assert upload.status_code == 201

        draft = client.get(f"/api/v1/cases/{case_id}/draft", headers=specialist.headers).json()
        assert set(draft) >= {"probable_causes", "investigations", "differential_diagnosis", "treatment_plan"}
        answered = client.post(
            f"/api/v1/cases/{case_id}/answer", headers=specialist.headers, json=ANSWER.model_dump()
        )
        assert answered.status_code == 201
        patient_view = client.get(f"/api/v1/cases/{case_id}", headers=patient.headers).json()
        assert patient_view["assessment"] is None
        assert [t["kind"] for t in patient_view["thread"]] == [
            "question",
            "request_info",
            "message",
            "answer",
        ]
        assert patient_view["status"] == "in_review"

        reviewed = client.post(
            f"/api/v1/cases/{case_id}/review",
            headers=reviewer.headers,
            json={"decision": "approve", "comment": "Clear and safe."},
        )
        assert reviewed.status_code == 201, reviewed.text
        assert deliver_outbox(ctx) >= 3
    subjects = [m["Subject"] for m in inbox.to("alice@example.org")]
    assert "The specialist asks for more information" in subjects
    assert "Your specialist has answered" in subjects

    slug = client.get(f"/api/v1/cases/{case_id}", headers=patient.headers).json()["publication_slug"]
    hits = client.get("/api/v1/library", params={"q": "numbness foot"}).json()["items"]
    assert slug in [hit["slug"] for hit in hits]
    page = client.get(f"/api/v1/library/{slug}")
    assert page.status_code == 200
    item = page.json()
    assert item["answer_sections"]["probable_causes"] == ANSWER.probable_causes
    assert item["answered_by"] == "Dr. Sara Surgeon"
    assert item["reviewed_by"] == "Dr. Rita Reviewer"
    assert item["attachments_note"] == "attachment removed to protect patient identity"
    assert "substitute for professional medical" in item["disclaimer"]
    assert "numbness" in item["question"]
    public = json.dumps(item).lower()
    leaked = [word for word in IDENTIFIERS if word in public]
    assert not leaked, f"identifiers in the public page: {leaked}"
    assert "mri-john-miller" not in public


def test_helpfulness_votes_count_once_per_voter(client, ctx, personas):
    from .helpers import case_in_state

    case_in_state(ctx, "alice@example.org", "published")
    slug = client.get("/api/v1/library").json()["items"][0]["slug"]
    for _ in range(2):
        client.post(
            f"/api/v1/library/{slug}/vote", json={"helpful": True}, headers=personas["patient"].headers
        )
    votes = client.post(f"/api/v1/library/{slug}/vote", json={"helpful": False}).json()
    assert votes == {"helpful_yes": 1, "helpful_no": 1}
    changed = client.post(f"/api/v1/library/{slug}/vote", json={"helpful": True}).json()
    assert changed == {"helpful_yes": 2, "helpful_no": 0}


def test_every_case_read_and_change_is_in_the_audit_log(client, ctx, personas):
    from .helpers import case_in_state

    case_id = case_in_state(ctx, "alice@example.org", "in_review")
    client.get(f"/api/v1/cases/{case_id}", headers=personas["reviewer"].headers)
    log = client.get("/api/v1/audit", params={"case_id": case_id}, headers=personas["operator"].headers)
    entries = log.json()["items"]
    actions = [(e["action"], e["actor_email"]) for e in reversed(entries)]
    assert actions == [
        ("case.create", "alice@example.org"),
        ("case.claim", "sara@example.org"),
        ("case.answer", "sara@example.org"),
        ("case.read", "rita@example.org"),
    ]
    assert all(e["at"] for e in entries)


def test_known_identifiers_written_another_way_are_scrubbed():
    from spineconsult.consult.publication import scrub_known

    known = ["Alice Patient", "alice@example.org", "+1 555 0100"]
    text = "ALICE PATIENT (Alice@Example.org) asks; call (555) 0100 or 555.0100. Dose 150 mg, 2 x 75 mg."
    cleaned = scrub_known(text, known)
    assert "alice" not in cleaned.lower() and "0100" not in cleaned
    assert "150 mg, 2 x 75 mg" in cleaned
