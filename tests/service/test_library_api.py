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
