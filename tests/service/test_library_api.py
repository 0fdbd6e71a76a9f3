"""The JSON library ranks by meaning and lay terms, and explains related questions (same as the pages)."""

from __future__ import annotations

from spineconsult.consult import answers, queue, review
from spineconsult.consult.schemas import ReviewIn

from .helpers import ANSWER, actor, case_in_state, submit

SCIATICA_BACK = (
    "Five months after my L4-L5 microdiscectomy I sneezed and the sciatica down my left leg came back. "
    "Has the disc slipped again?"
)
HEADACHE = "One week after my lumbar laminectomy I get a terrible headache every time I stand up."


def test_lay_words_find_the_clinical_question_and_related_questions_say_why(client, ctx, personas):
    case_in_state(ctx, "alice@example.org", "published")  # the foot numbness / pins and needles question
    for message in (SCIATICA_BACK, HEADACHE):
        _publish_through_review(ctx, message)

    hits = client.get("/api/v1/library", params={"q": "paresthesia after hemilaminectomy"}).json()
    assert hits["items"], hits
    assert "numbness" in hits["items"][0]["snippet"].lower() or "needles" in hits["items"][0]["snippet"]

    item = client.get(f"/api/v1/library/{hits['items'][0]['slug']}").json()
    assert item["related"], item
    assert all(set(r) >= {"slug", "title", "score", "shared"} for r in item["related"])


def test_odd_queries_give_a_list_never_an_error(client, ctx, personas):
    case_in_state(ctx, "alice@example.org", "published")
    for q in ['"', "AND OR NOT", "*", "'; drop table cases; --", "ü" * 400, "(((", "NEAR("]:
        response = client.get("/api/v1/library", params={"q": q})
        assert response.status_code == 200, (q, response.text)
        assert isinstance(response.json()["items"], list)


def _publish_through_review(ctx, message: str) -> None:
    case_id = submit(ctx, "alice@example.org", message=message)
    specialist = actor(ctx, "sara@example.org")
    queue.claim_case(ctx, specialist, case_id)
    answers.answer_case(ctx, specialist, case_id, ANSWER)
    review.review_case(ctx, actor(ctx, "rita@example.org"), case_id, ReviewIn(decision="approve"))


def _three_published(ctx) -> None:
    case_in_state(ctx, "alice@example.org", "published")
    for message in (SCIATICA_BACK, HEADACHE):
        _publish_through_review(ctx, message)


def _related_of(client, slug: str) -> list[dict]:
    return client.get(f"/api/v1/library/{slug}").json()["related"]


def _first_item(client) -> str:
    return client.get("/api/v1/library", params={"q": "sciatica came back"}).json()["items"][0]["slug"]


def test_staff_judge_related_questions_and_the_pages_follow_at_once(client, ctx, personas):
    _three_published(ctx)
    slug = _first_item(client)
    before = [r["slug"] for r in _related_of(client, slug)]
    assert len(before) >= 2 and not any(r["confirmed"] for r in _related_of(client, slug))

    url = f"/api/v1/library/{slug}/related/{before[0]}"
    answer = client.put(url, json={"related": False}, headers=personas["specialist"].headers)
    assert answer.status_code == 200, answer.text
    assert answer.json()["related"] is False and answer.json()["other"] == before[0]
    assert before[0] not in [r["slug"] for r in _related_of(client, slug)]
    assert slug not in [r["slug"] for r in _related_of(client, before[0])]  # either way round

    last = before[-1]
    url = f"/api/v1/library/{slug}/related/{last}"
    assert client.put(url, json={"related": True}, headers=personas["reviewer"].headers).status_code == 200
    first = _related_of(client, slug)[0]
    assert first["slug"] == last and first["confirmed"] is True


def test_only_specialists_and_reviewers_judge_and_bad_requests_say_why(client, ctx, personas):
    _three_published(ctx)
    slug = _first_item(client)
    other = _related_of(client, slug)[0]["slug"]
    url = f"/api/v1/library/{slug}/related/{other}"
    body = {"related": False}
    assert client.put(url, json=body).status_code == 401
    for persona in ("patient", "operator"):
        assert client.put(url, json=body, headers=personas[persona].headers).status_code == 403
    staff = personas["specialist"].headers
    missing = client.put(f"/api/v1/library/{slug}/related/no-such-page", json=body, headers=staff)
    assert missing.status_code == 404 and "no-such-page" in missing.text
    for odd in ("%00", "x" * 5000, "%F0%9F%98%80"):
        weird = client.put(f"/api/v1/library/{slug}/related/{odd}", json=body, headers=staff)
        assert weird.status_code == 404, (odd, weird.text)
    itself = client.put(f"/api/v1/library/{slug}/related/{slug}", json=body, headers=staff)
    assert itself.status_code == 422 and "itself" in itself.text
    for bad in ({}, {"related": "perhaps"}, {"related": True, "extra": 1}):
        assert client.put(url, json=bad, headers=staff).status_code == 422, bad
    assert other in [r["slug"] for r in _related_of(client, slug)]  # nothing was stored by the refusals
