"""Pages without a browser: CSRF, login redirects, roles, ownership, and form errors shown by the field."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from spineconsult.consult.context import ServiceContext
from spineconsult.consult.queue import check_service_levels
from spineconsult.library.evidence_pages import publish_evidence_pages
from spineconsult.store.db import transaction
from spineconsult.store.models import Case
from spineconsult.web.pages.routes import ROUTERS

from .conftest import PASSWORD, PERSONAS, csrf_of, log_in

ROUTINE = "I had an L4-L5 hemilaminectomy six weeks ago and my left foot still tingles in the evening."


def submit(client: TestClient, token: str, **fields: str) -> str:
    """Submit the intake form; returns the new case's id."""
    data = {"message": ROUTINE, "csrf_token": token} | fields
    response = client.post("/ask", data=data)
    assert response.status_code == 303, response.text
    return response.headers["location"].split("/cases/")[1].split("?")[0]


def test_home_promises_the_guaranteed_answer(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "Ask a spine surgeon now" in response.text
    assert "Guaranteed answer within 4 hours" in response.text


def test_session_cookie_is_httponly_and_samesite_lax(client: TestClient) -> None:
    cookie = client.get("/login").headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "max-age=" in cookie


def test_post_without_csrf_token_is_refused(client: TestClient) -> None:
    token = log_in(client, "patient")
    refused = client.post("/ask", data={"message": ROUTINE})
    assert refused.status_code == 403
    assert "This form has expired" in refused.text
    wrong = client.post("/ask", data={"message": ROUTINE, "csrf_token": token + "x"})
    assert wrong.status_code == 403
    assert client.get("/cases").text.count("/cases/") == 0  # nothing was stored


def test_login_without_csrf_token_is_refused(client: TestClient) -> None:
    client.get("/login")
    response = client.post("/login", data={"email": PERSONAS["patient"].email, "password": PASSWORD})
    assert response.status_code == 403


def test_htmx_header_carries_the_token_too(client: TestClient) -> None:
    token = log_in(client, "patient")
    response = client.post("/logout", headers={"X-CSRF-Token": token, "HX-Request": "true"})
    assert response.status_code == 303


def test_wrong_password_shows_the_error_on_the_login_page(client: TestClient) -> None:
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login", data={"email": PERSONAS["patient"].email, "password": "nope", "csrf_token": token}
    )
    assert response.status_code == 401
    assert "Wrong e-mail or password" in response.text


def test_login_is_rate_limited(client: TestClient) -> None:
    token = csrf_of(client.get("/login").text)
    statuses = [
        client.post(
            "/login", data={"email": PERSONAS["patient"].email, "password": "nope", "csrf_token": token}
        ).status_code
        for _ in range(7)
    ]
    assert statuses[-1] == 429


def test_login_starts_a_new_session(client: TestClient) -> None:
    before = csrf_of(client.get("/login").text)
    after = log_in(client, "patient")
    assert before != after


def test_pages_need_a_login(client: TestClient) -> None:
    for path in ("/cases", "/queue", "/reviews", "/operator", "/cases/abc", "/workspace/abc"):
        response = client.get(path)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login?next=" + path), path


def test_login_goes_back_to_the_page_asked_for(client: TestClient) -> None:
    token = csrf_of(client.get("/login?next=/queue").text)
    response = client.post(
        "/login",
        data={
            "email": PERSONAS["specialist"].email,
            "password": PASSWORD,
            "csrf_token": token,
            "next": "/queue",
        },
    )
    assert response.headers["location"] == "/queue"


def test_login_never_redirects_off_site(client: TestClient) -> None:
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={
            "email": PERSONAS["patient"].email,
            "password": PASSWORD,
            "csrf_token": token,
            "next": "//evil.example/",
        },
    )
    assert response.headers["location"] == "/"


def test_wrong_role_gets_the_403_page(client: TestClient) -> None:
    log_in(client, "patient")
    for path in ("/queue", "/reviews", "/operator"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "You cannot open this page" in response.text


def test_someone_elses_case_is_a_404_page(client: TestClient) -> None:
    case_id = submit(client, log_in(client, "patient"))
    client.cookies.clear()
    log_in(client, "other")
    response = client.get(f"/cases/{case_id}")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert ROUTINE not in response.text


def test_intake_errors_are_shown_next_to_the_fields(client: TestClient) -> None:
    token = log_in(client, "patient")
    response = client.post(
        "/ask",
        data={
            "csrf_token": token,
            "message": "  ",
            "age": "200",
            "levels": "L9-Q1",
            "surgery_date": "2999-01-01",
            "for_someone_else": "yes",
            "on_behalf_name": "",
            "relationship": "",
        },
    )
    assert response.status_code == 422
    for field_id in ("message", "age", "levels", "surgery_date", "on_behalf_name", "relationship", "consent"):
        assert f'id="{field_id}-error"' in response.text, field_id
    assert 'value="200"' in response.text  # what was typed stays in the form


def count_cases(ctx: ServiceContext) -> int:
    with ctx.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(Case)) or 0)


def test_bad_attachment_refuses_the_whole_form(client: TestClient, page_ctx: ServiceContext) -> None:
    token = log_in(client, "patient")
    files = {"attachments": ("notes.pdf", b"MZ this is not a pdf", "application/pdf")}
    response = client.post("/ask", data={"csrf_token": token, "message": ROUTINE}, files=files)
    assert response.status_code == 422
    assert 'id="attachments-error"' in response.text and "not a PDF" in response.text
    assert count_cases(page_ctx) == 0


def test_good_attachment_is_stored_with_the_case(client: TestClient) -> None:
    token = log_in(client, "patient")
    files = {"attachments": ("mri-report.pdf", b"%PDF-1.4\n% a tiny pdf\n", "application/pdf")}
    response = client.post("/ask", data={"csrf_token": token, "message": ROUTINE}, files=files)
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    assert "mri-report.pdf" in page.text and "application/pdf" in page.text


def test_what_people_write_is_escaped(client: TestClient) -> None:
    token = log_in(client, "patient")
    case_id = submit(client, token, message='My foot tingles <script>alert("x")</script> since surgery.')
    page = client.get(f"/cases/{case_id}").text
    assert '<script>alert("x")</script>' not in page and "&lt;script&gt;" in page


def test_emergency_advice_is_shown_at_once(client: TestClient) -> None:
    token = log_in(client, "patient")
    case_id = submit(client, token, message="Since this morning I cannot pass urine after my laminectomy.")
    page = client.get(f"/cases/{case_id}?sent=1")
    assert page.status_code == 200
    assert 'class="notice notice-emergency"' in page.text and 'role="alert"' in page.text
    assert page.text.index("notice-emergency") < page.text.index("<h1>Your question</h1>")


def test_unknown_page_and_malformed_ids_are_404_pages(client: TestClient) -> None:
    assert client.get("/library/no-such-thing").status_code == 404
    log_in(client, "specialist")
    assert client.get("/workspace/" + "x" * 40).status_code == 404


def switch(client: TestClient, persona: str) -> str:
    client.cookies.clear()
    return log_in(client, persona)


def claimed_case(client: TestClient) -> tuple[str, str]:
    """A routine case submitted by the patient and claimed by the specialist; returns (id, csrf)."""
    case_id = submit(client, log_in(client, "patient"))
    token = switch(client, "specialist")
    response = client.post(f"/queue/{case_id}/claim", data={"csrf_token": token})
    assert response.status_code == 303 and response.headers["location"] == f"/workspace/{case_id}"
    return case_id, token


def answered_case(client: TestClient) -> tuple[str, str]:
    case_id, token = claimed_case(client)
    sections = {name: f"{name} text" for name in SECTIONS}
    response = client.post(
        f"/workspace/{case_id}/answer", data={"csrf_token": token, "body": "Hello."} | sections
    )
    assert response.status_code == 303, response.text
    return case_id, switch(client, "reviewer")


SECTIONS = ("probable_causes", "investigations", "differential_diagnosis", "treatment_plan")


def test_workspace_editor_is_prefilled_from_the_draft(client: TestClient) -> None:
    case_id, _ = claimed_case(client)
    page = client.get(f"/workspace/{case_id}")
    assert page.status_code == 200
    assert "Nerve root irritation or injury" in page.text  # differential and prefilled probable causes
    assert "32.0%" in page.text and "J Test. 2020" in page.text  # study figures and citation
    assert "For: tingling" in page.text and "Against: fever" in page.text


def test_empty_answer_sections_are_shown_by_their_fields(client: TestClient) -> None:
    case_id, token = claimed_case(client)
    response = client.post(f"/workspace/{case_id}/answer", data={"csrf_token": token, "body": "x"})
    assert response.status_code == 422
    for name in SECTIONS:
        assert f'id="{name}-error"' in response.text, name


def test_empty_request_for_information_is_refused_by_its_field(client: TestClient) -> None:
    case_id, token = claimed_case(client)
    response = client.post(f"/workspace/{case_id}/request-info", data={"csrf_token": token, "question": ""})
    assert response.status_code == 422 and 'id="question-error"' in response.text
    asked = client.post(
        f"/workspace/{case_id}/request-info",
        data={"csrf_token": token, "question": "Please upload the MRI report."},
    )
    assert asked.status_code == 303


def test_specialist_cannot_answer_an_unclaimed_case(client: TestClient) -> None:
    case_id = submit(client, log_in(client, "patient"))
    switch(client, "specialist")
    page = client.get(f"/workspace/{case_id}")
    assert page.status_code == 200 and "Claim this case from the queue" in page.text
    assert 'id="answer-form"' not in page.text


def test_patient_reply_errors_and_success(client: TestClient) -> None:
    token = log_in(client, "patient")
    case_id = submit(client, token)
    empty = client.post(f"/cases/{case_id}/reply", data={"csrf_token": token, "body": " "})
    assert empty.status_code == 422 and 'id="body-error"' in empty.text
    sent = client.post(f"/cases/{case_id}/reply", data={"csrf_token": token, "body": "It is worse today."})
    assert sent.status_code == 303
    assert "It is worse today." in client.get(f"/cases/{case_id}").text


def test_return_without_comment_is_refused_by_the_field(client: TestClient) -> None:
    case_id, token = answered_case(client)
    response = client.post(f"/reviews/{case_id}", data={"csrf_token": token, "decision": "return"})
    assert response.status_code == 422 and 'id="comment-error"' in response.text


def test_the_flow_without_a_browser(client: TestClient) -> None:
    case_id, token = answered_case(client)
    assert case_id in client.get("/reviews").text
    review_page = client.get(f"/reviews/{case_id}").text
    assert "probable_causes text" in review_page and 'id="public-preview"' in review_page
    approved = client.post(f"/reviews/{case_id}", data={"csrf_token": token, "decision": "approve"})
    assert approved.status_code == 303
    client.cookies.clear()
    found = client.get("/library", params={"q": "tingles"})
    assert "<mark>tingles</mark>" in found.text
    slug = found.text.split('href="/library/')[1].split('"')[0]
    qa = client.get(f"/library/{slug}")
    assert "Answered by" in qa.text and "Dr. Ada Spine" in qa.text and "Dr. Rey Review" in qa.text
    assert "Was this answer helpful?" in qa.text and "Jane Roe" not in qa.text
    vote = client.post(
        f"/library/{slug}/vote",
        data={"helpful": "yes"},
        headers={"HX-Request": "true", "X-CSRF-Token": csrf_of(qa.text)},
    )
    assert vote.status_code == 200 and "Thank you" in vote.text and "<html" not in vote.text
    log_in(client, "patient")
    assert f'href="/library/{slug}"' in client.get(f"/cases/{case_id}").text


def test_attachment_download_for_the_owner_only(client: TestClient) -> None:
    token = log_in(client, "patient")
    files = {"attachments": ("report.pdf", b"%PDF-1.4\n% tiny\n", "application/pdf")}
    response = client.post("/ask", data={"csrf_token": token, "message": ROUTINE}, files=files)
    page = client.get(response.headers["location"]).text
    link = page.split('href="/cases/')[1].split('"')[0]
    download = client.get(f"/cases/{link}")
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert "attachment" in download.headers["content-disposition"]
    switch(client, "other")
    assert client.get(f"/cases/{link}").status_code == 404


def test_operator_sees_the_audit_log(client: TestClient) -> None:
    case_id = submit(client, log_in(client, "patient"))
    switch(client, "operator")
    page = client.get("/operator", params={"case": case_id})
    assert page.status_code == 200 and "case.create" in page.text and "patient@example.org" in page.text


def test_rereview_when_due(client: TestClient, page_ctx: ServiceContext) -> None:
    case_id, token = answered_case(client)
    client.post(f"/reviews/{case_id}", data={"csrf_token": token, "decision": "approve"})
    later = page_ctx.now() + dt.timedelta(days=page_ctx.settings.rereview_interval_days + 1)
    page_ctx.clock = lambda: later
    desk = client.get("/reviews").text
    slug = desk.split('href="/reviews/library/')[1].split('"')[0]
    assert client.get(f"/reviews/library/{slug}").status_code == 200
    refused = client.post(f"/reviews/library/{slug}", data={"csrf_token": token, "decision": "return"})
    assert refused.status_code == 422 and 'id="comment-error"' in refused.text
    kept = client.post(f"/reviews/library/{slug}", data={"csrf_token": token, "decision": "approve"})
    assert kept.status_code == 303
    assert "No published answer is due for re-review" in client.get("/reviews").text


def test_proxy_names_the_person_and_the_relationship(client: TestClient, page_ctx: ServiceContext) -> None:
    token = log_in(client, "patient")
    case_id = submit(
        client,
        token,
        for_someone_else="yes",
        on_behalf_name="Tom Baker",
        relationship="friend",
        consent="yes",
    )
    with page_ctx.sessions() as session:
        case = session.get_one(Case, case_id)
        assert (case.on_behalf_of, case.history.get("relationship"), case.consent) == (
            "Tom Baker",
            "friend",
            True,
        )
    switch(client, "specialist")
    assert (
        "Asked by their friend on their behalf, with their consent"
        in client.get(f"/workspace/{case_id}").text
    )


def publish(client: TestClient, message: str) -> None:
    """Patient asks, specialist answers, reviewer approves: one published answer."""
    client.cookies.clear()
    case_id = submit(client, log_in(client, "patient"), message=message)
    token = switch(client, "specialist")
    client.post(f"/queue/{case_id}/claim", data={"csrf_token": token})
    sections = {name: f"{name} text" for name in SECTIONS}
    client.post(f"/workspace/{case_id}/answer", data={"csrf_token": token, "body": "Hello."} | sections)
    token = switch(client, "reviewer")
    assert (
        client.post(f"/reviews/{case_id}", data={"csrf_token": token, "decision": "approve"}).status_code
        == 303
    )
    client.cookies.clear()


def test_related_questions_and_topic_filter(client: TestClient) -> None:
    publish(
        client, "Since my L5-S1 microdiscectomy my left foot tingles and feels numb. Will the tingling stop?"
    )
    publish(
        client,
        "After my L4-L5 hemilaminectomy there is tingling and numbness in my right foot. Is it normal?",
    )
    found = client.get("/library", params={"q": "tingling foot"})
    slugs = [part.split('"')[0] for part in found.text.split('<h2><a href="/library/')[1:]]
    assert len(slugs) == 2
    qa = client.get(f"/library/{slugs[0]}").text
    assert "Related questions" in qa and f'href="/library/{slugs[1]}"' in qa and "Shares:" in qa
    by_topic = client.get("/library", params={"topic": "nerve_root_injury"}).text
    assert by_topic.count('<h2><a href="/library/') == 2
    other_topic = client.get("/library", params={"topic": "csf_leak"}).text
    assert "Nothing matched" in other_topic


def test_odd_queries_never_fail(client: TestClient) -> None:
    for q in ('"', "*", "NEAR(", "' OR 1=1 --", "<script>alert(1)</script>", "x" * 3000, "😀"):
        response = client.get("/library", params={"q": q})
        assert response.status_code == 200, q
        assert "<script>alert(1)</script>" not in response.text


def test_reply_with_the_records_asked_for(client: TestClient) -> None:
    case_id, token = claimed_case(client)
    client.post(
        f"/workspace/{case_id}/request-info", data={"csrf_token": token, "question": "The MRI, please."}
    )
    token = switch(client, "patient")
    page = client.get(f"/cases/{case_id}").text
    assert "The MRI, please." in page and "Answer the specialist&#39;s question" in page
    assert "The specialist asked you a question" in page
    bad = {"attachments": ("mri.png", b"GIF89a not a png", "image/png")}
    refused = client.post(f"/cases/{case_id}/reply", data={"csrf_token": token, "body": "Here."}, files=bad)
    assert refused.status_code == 422 and 'id="attachments-error"' in refused.text
    assert "Here." not in client.get(f"/cases/{case_id}").text  # nothing half-written
    good = {"attachments": ("mri.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 32, "image/png")}
    sent = client.post(f"/cases/{case_id}/reply", data={"csrf_token": token, "body": "Here."}, files=good)
    assert sent.status_code == 303
    page = client.get(f"/cases/{case_id}").text
    assert "Here." in page and "mri.png" in page


def test_queue_marks_breaches_and_the_operator_sees_them(
    client: TestClient, page_ctx: ServiceContext
) -> None:
    submit(client, log_in(client, "patient"))
    later = page_ctx.now() + dt.timedelta(hours=page_ctx.settings.service_level_hours + 1)
    page_ctx.clock = lambda: later
    switch(client, "specialist")
    queue = client.get("/queue").text
    assert 'class="is-breached"' in queue and "overdue" in queue
    check_service_levels(page_ctx)
    switch(client, "operator")
    operator = client.get("/operator").text
    assert 'id="breaches"' in operator and "No breaches recorded." not in operator


def test_staff_judge_related_questions_on_the_page(client: TestClient) -> None:
    publish(client, "Since my L5-S1 microdiscectomy my left foot tingles and feels numb. Will it stop?")
    publish(client, "After my L4-L5 hemilaminectomy there is tingling and numbness in my right foot.")
    found = client.get("/library", params={"q": "tingling foot"})
    first, second = [part.split('"')[0] for part in found.text.split('<h2><a href="/library/')[1:]][:2]
    assert "Not related" not in client.get(f"/library/{first}").text  # readers do not judge
    token = switch(client, "reviewer")
    qa = client.get(f"/library/{first}").text
    assert f'action="/library/{first}/related/{second}"' in qa
    judged = client.post(f"/library/{first}/related/{second}", data={"csrf_token": token, "related": "yes"})
    assert judged.status_code == 303
    assert "confirmed by a specialist" in client.get(f"/library/{first}").text
    client.post(f"/library/{first}/related/{second}", data={"csrf_token": token, "related": "no"})
    assert f'href="/library/{second}"' not in client.get(f"/library/{first}").text
    token = switch(client, "patient")
    refused = client.post(f"/library/{first}/related/{second}", data={"csrf_token": token, "related": "yes"})
    assert refused.status_code == 403


def test_evidence_pages_are_found_and_shown(client: TestClient, page_ctx: ServiceContext) -> None:
    with transaction(page_ctx.sessions) as session:
        publish_evidence_pages(session)
    found = client.get("/library", params={"q": "spinal cord stimulation"})
    assert 'href="/library/evidence-spinal-cord-stimulation"' in found.text
    page = client.get("/library/evidence-spinal-cord-stimulation")
    assert page.status_code == 200
    assert (
        "what the studies show" in page.text and "Certainty" in page.text and "Related questions" in page.text
    )
    assert client.get("/library/evidence-no-such-treatment").status_code == 404


def test_every_form_post_needs_the_csrf_token(client: TestClient) -> None:
    log_in(client, "patient")
    posts = [
        r for router in ROUTERS for r in router.routes if isinstance(r, APIRoute) and "POST" in r.methods
    ]
    assert len(posts) >= 10
    for route in posts:
        path = re.sub(r"\{[^}]+\}", "1", route.path)
        response = client.post(path, data={"body": "x", "message": "x", "helpful": "yes"})
        assert response.status_code == 403, route.path
        assert "This form has expired" in response.text, route.path


def test_odd_intake_input_is_an_error_by_the_field_never_a_500(client: TestClient) -> None:
    token = log_in(client, "patient")
    odd = [
        ({"message": "x" * 20001}, "message"),
        ({"age": "abc"}, "age"),
        ({"age": "-3"}, "age"),
        ({"procedure": "brain_surgery"}, "procedure"),
        ({"side": "up"}, "side"),
        ({"surgery_date": "2026-13-45"}, "surgery_date"),
        ({"sex": "robot"}, "sex"),
        ({"message": "ok\x00nul"}, "message"),
    ]
    for fields, name in odd:
        response = client.post("/ask", data={"csrf_token": token, "message": ROUTINE} | fields)
        assert response.status_code == 422, fields
        assert f'id="{name}-error"' in response.text, fields


def test_a_withdrawn_answer_leaves_the_library(client: TestClient, page_ctx: ServiceContext) -> None:
    publish(
        client, "Since my L5-S1 microdiscectomy my left foot tingles and feels numb. Will the tingling stop?"
    )
    slug = (
        client.get("/library", params={"q": "tingles"}).text.split('<h2><a href="/library/')[1].split('"')[0]
    )
    later = page_ctx.now() + dt.timedelta(days=page_ctx.settings.rereview_interval_days + 1)
    page_ctx.clock = lambda: later
    token = switch(client, "reviewer")
    data = {"csrf_token": token, "decision": "return", "comment": "Outdated: new guidance."}
    assert client.post(f"/reviews/library/{slug}", data=data).status_code == 303
    client.cookies.clear()
    assert "Nothing matched" in client.get("/library", params={"q": "tingles"}).text
    assert client.get(f"/library/{slug}").status_code == 404


def test_docs_name_every_page_route() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "pages.md").read_text(encoding="utf-8")
    documented = {re.sub(r"\{[^}]*\}", "{}", path) for path in re.findall(r"`(/[^`]*)`", docs)}
    routes = [r for router in ROUTERS for r in router.routes if isinstance(r, APIRoute)]
    missing = {re.sub(r"\{[^}]*\}", "{}", r.path) for r in routes} - documented
    assert not missing, f"docs/pages.md does not name: {sorted(missing)}"
