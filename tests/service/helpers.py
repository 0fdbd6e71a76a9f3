"""Put cases into a given state through the use cases (fast), for tests that act on that state."""

from __future__ import annotations

import io

from spineconsult.consult import accounts, answers, attachments, intake, queue, review
from spineconsult.consult.actors import Actor
from spineconsult.consult.schemas import AnswerIn, CaseSubmission, ReviewIn

from .conftest import PASSWORD

MESSAGE = (
    "I had an L4-L5 hemilaminectomy six weeks ago. I still have numbness, pins and needles and swelling "
    "in my left foot, worse in the evening. Is this normal and how long will it last?"
)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
ANSWER = AnswerIn(
    probable_causes="Surgical retraction of the nerve that may have bruised it.",
    investigations="None, if symptoms are not progressively worsening.",
    differential_diagnosis="Recurrent disc herniation.",
    treatment_plan="Gabapentin or pregabalin and NSAIDs; walking and physical therapy.",
    body="The tingling means the nerve is irritated, not cut; it usually settles over months.",
)


def actor(ctx, email: str) -> Actor:
    return accounts.authenticate(ctx, email, PASSWORD)


def submit(ctx, owner_email: str, message: str = MESSAGE, **extra) -> str:
    data = CaseSubmission(message=message, consent=True, **extra)
    return intake.submit_case(ctx, actor(ctx, owner_email), data).id


def case_in_state(ctx, owner_email: str, state: str) -> str:
    """waiting | claimed | in_review | published | with_attachment."""
    on_behalf = {"on_behalf_of": "John Miller"} if owner_email.startswith("bob") else {}
    case_id = submit(ctx, owner_email, **on_behalf)
    if state == "with_attachment":
        attachments.add_attachment(ctx, actor(ctx, owner_email), case_id, "scan.png", io.BytesIO(PNG))
        return case_id
    if state == "waiting":
        return case_id
    specialist = actor(ctx, "sara@example.org")
    queue.claim_case(ctx, specialist, case_id)
    if state == "claimed":
        return case_id
    answers.answer_case(ctx, specialist, case_id, ANSWER)
    if state == "in_review":
        return case_id
    review.review_case(ctx, actor(ctx, "rita@example.org"), case_id, ReviewIn(decision="approve"))
    return case_id
