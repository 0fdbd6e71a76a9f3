"""Demo data: one account per role and a few cases from the public vignettes."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

import yaml

from spineconsult.consult import accounts, answers, intake, queue, review
from spineconsult.consult.actors import Actor
from spineconsult.consult.context import ServiceContext
from spineconsult.consult.schemas import AccountIn, AnswerIn, CaseSubmission, ReviewIn
from spineconsult.library.evidence_pages import publish_evidence_pages

VIGNETTES = Path(__file__).resolve().parents[3].parent / "shared" / "vignettes" / "public.yaml"
BUILT_IN_MESSAGES = (
    "I had an L4-L5 hemilaminectomy six weeks ago. My left foot still has numbness and pins and needles, "
    "worse in the evening, and it swells a little. Is this normal and how long will it last?",
    "Nine days after my L4-L5 laminectomy I cannot empty my bladder and my bottom feels numb.",
    "Ten days after my discectomy. Mild soreness at the incision, walking every day, leg pain gone. "
    "No fever. Is this a normal recovery?",
)
DEMO_ANSWER_BODY = (
    "Thank you for the clear description. The sections below give the most probable cause, what is "
    "worth checking and when, and what can help meanwhile. Write again if anything gets worse or new "
    "symptoms appear."
)
DEMO_ACCOUNTS = (
    ("patient", "patient@demo.spineconsult.org", "Pat Demo", None),
    ("patient", "proxy@demo.spineconsult.org", "Robin Hale", None),
    ("specialist", "surgeon@demo.spineconsult.org", "Dr. Sam Spine", "spine_surgery"),
    ("specialist", "pain@demo.spineconsult.org", "Dr. Paula Pain", "pain_medicine"),
    ("reviewer", "reviewer@demo.spineconsult.org", "Dr. Rey Review", None),
    ("operator", "operator@demo.spineconsult.org", "Olga Operator", None),
)


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str
    name: str


def demo_messages(path: Path = VIGNETTES, limit: int = 6) -> list[str]:
    """Messages of the public vignettes when ../shared is present, else a few built-in ones."""
    if not path.exists():
        return list(BUILT_IN_MESSAGES)
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    messages = [str(e["input"]["message"]) for e in entries if isinstance(e, dict) and "input" in e]
    return messages[:limit] or list(BUILT_IN_MESSAGES)


def seed_demo(ctx: ServiceContext, *, vignettes: Path = VIGNETTES) -> list[DemoLogin]:
    """Create the demo accounts (random passwords, returned for printing) and a few cases.

    The first case goes the whole way (claimed, answered from the engine's draft, approved), so the
    library has one published item to read; the knowledge pack's evidence pages are published beside
    it, so the library has related questions to show (and for specialists to judge).
    """
    logins = [_demo_account(ctx, *entry) for entry in DEMO_ACCOUNTS]
    actors = [accounts.authenticate(ctx, login.email, login.password) for login in logins]
    patient, proxy, surgeon, _, reviewer, _ = actors
    case_ids = [
        _demo_case(ctx, proxy if number == 0 else patient, message, "my friend" if number == 0 else None)
        for number, message in enumerate(demo_messages(vignettes))
    ]
    _publish_demo(ctx, case_ids[0], surgeon, reviewer)
    with ctx.write() as session:
        publish_evidence_pages(session)
    return logins


def _demo_account(ctx: ServiceContext, role: str, email: str, name: str, specialty: str | None) -> DemoLogin:
    password = secrets.token_urlsafe(9)
    data = AccountIn(email=email, password=password, name=name, role=role, specialty=specialty)
    accounts.create_account(ctx, data)
    return DemoLogin(role=role, email=email, password=password, name=name)


def _demo_case(ctx: ServiceContext, actor: Actor, message: str, proxy_for: str | None) -> str:
    data = CaseSubmission(message=message, consent=True, on_behalf_of=proxy_for)
    return intake.submit_case(ctx, actor, data).id


def _publish_demo(ctx: ServiceContext, case_id: str, surgeon: Actor, reviewer: Actor) -> None:
    queue.claim_case(ctx, surgeon, case_id)
    draft = answers.draft_answer(ctx, surgeon, case_id).model_copy(update={"body": DEMO_ANSWER_BODY})
    answers.answer_case(ctx, surgeon, case_id, AnswerIn(**draft.model_dump()))
    review.review_case(ctx, reviewer, case_id, ReviewIn(decision="approve", comment="Demo approval."))
