"""Publication of reviewed answers as de-identified library items, and the library's plain search.

Only text leaves a case: the question, the thread and the answer sections, each passed through
`spineconsult.deid.deidentify_text` with the account's identities and the names given in the case.
Attachments are never published. Without the de-identification module nothing is published.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from spineconsult.consult.accounts import identities_of
from spineconsult.consult.context import ServiceContext
from spineconsult.consult.errors import NotFound, Unavailable
from spineconsult.consult.schemas import (
    SECTION_NAMES,
    PublishedItem,
    PublishedThreadEntry,
    VoteOut,
)
from spineconsult.store.models import Account, Attachment, Case, HelpfulnessVote, Publication, ThreadMessage

DISCLAIMER = (
    "No content published here is a substitute for professional medical diagnosis, advice or treatment. "
    "Seek the advice of your own physician or another qualified health provider with any questions about "
    "your symptoms or condition, and do not delay or disregard professional advice because of something "
    "you read here. If you think you have an emergency, call your local emergency number now."
)
ATTACHMENT_NOTE = "attachment removed to protect patient identity"
Deidentifier = Callable[[str], str]


def deidentifier(known_identities: list[str]) -> Deidentifier:
    """De-identify with the publication policy; refuses (503) when the module is not installed."""
    try:
        from spineconsult.deid import deidentify_text
    except ImportError:
        raise Unavailable("de-identification is not installed: nothing can be published") from None

    def clean(text: str) -> str:
        if not text.strip():
            return text
        result: str = deidentify_text(text, policy="publication", known_identities=known_identities).text
        return scrub_known(result, known_identities)

    return clean


PHONE_LIKE = re.compile(r"\+?\d[\d\s().-]{5,}\d")


def scrub_known(text: str, known_identities: list[str]) -> str:
    """A second net after de-identification: the account's own identifiers, written any other way
    (a phone number with other separators, a name in other capitals), never reach the page."""
    for identity in known_identities:
        digits = re.sub(r"\D", "", identity)
        if len(digits) >= 7 and len(digits) >= len(identity.replace(" ", "")) * 0.6:
            text = PHONE_LIKE.sub(partial(_phone_or_keep, identity_digits=digits), text)
        elif len(identity) >= 3:
            text = re.sub(rf"(?<!\w){re.escape(identity)}(?!\w)", "[NAME]", text, flags=re.IGNORECASE)
    return text


def _phone_or_keep(match: re.Match[str], identity_digits: str) -> str:
    found = match.group(0)
    digits = re.sub(r"\D", "", found)
    same = len(digits) >= 7 and (identity_digits.endswith(digits) or digits.endswith(identity_digits[-7:]))
    return "[PHONE]" if same else found


def known_identities(session: Session, case: Case) -> list[str]:
    """What must never appear in public: the account's name, e-mail and phone, and names in the case."""
    found = identities_of(session, case.patient_id)
    if case.on_behalf_of and looks_like_a_name(case.on_behalf_of):
        found.append(case.on_behalf_of)
    return [value for value in dict.fromkeys(found) if value.strip()]


RELATION_WORDS = frozenset({"my", "a", "an", "the", "our", "his", "her", "their"})


def looks_like_a_name(value: str) -> bool:
    """'John Miller' is a name to remove; 'my friend' or 'a colleague' is not (removing every
    'friend' from the text would only garble it)."""
    words = value.split()
    return bool(words) and words[0].lower() not in RELATION_WORDS and any(w[:1].isupper() for w in words)


def publish_case(
    session: Session, ctx: ServiceContext, case: Case, reviewer: Account, answer: ThreadMessage
) -> Publication:
    """Create or refresh the case's public item from its thread and its latest answer."""
    clean = deidentifier(known_identities(session, case))
    question = clean(case.message)
    sections = {name: clean((answer.sections or {}).get(name, "")) for name in SECTION_NAMES}
    thread = _public_thread(session, case, clean)
    specialist = session.get_one(Account, answer.author_id)
    now = ctx.now()
    item = session.scalar(select(Publication).where(Publication.case_id == case.id))
    if item is None:
        item = Publication(
            case_id=case.id, slug=_slug(question), published_at=now, helpful_yes=0, helpful_no=0
        )
        session.add(item)
    item.title = make_title(question)
    item.question = question
    item.thread = thread
    item.answer_sections = sections
    item.answered_by = specialist.name or "a spineconsult specialist"
    item.reviewed_by = reviewer.name or "the spineconsult medical review team"
    item.status = "published"
    item.last_reviewed_at = now
    item.rereview_due_at = now + timedelta(days=ctx.settings.rereview_interval_days)
    session.flush()
    return item


def _public_thread(session: Session, case: Case, clean: Deidentifier) -> list[dict[str, Any]]:
    """Every turn after the question, de-identified; authors shown only as patient or specialist."""
    query = (
        select(ThreadMessage)
        .where(ThreadMessage.case_id == case.id, ThreadMessage.kind != "question")
        .order_by(ThreadMessage.created_at, ThreadMessage.id)
    )
    entries = []
    for message in session.scalars(query):
        author = "patient" if message.author_id == case.patient_id else "specialist"
        sections = {k: clean(v) for k, v in message.sections.items()} if message.sections else None
        entries.append(
            {"kind": message.kind, "author": author, "body": clean(message.body), "sections": sections}
        )
    return entries


def make_title(question: str) -> str:
    """The first sentence that asks something, else the first sentence; at most 120 characters."""
    sentences = [s.strip() for s in re.split(r"(?<=[.?!])\s+", " ".join(question.split())) if s.strip()]
    asking = [s for s in sentences if s.endswith("?")]
    title = (asking or sentences or ["A question after spine surgery"])[0]
    return title if len(title) <= 120 else title[:119].rstrip() + "…"


def _slug(question: str) -> str:
    words = re.findall(r"[a-z0-9]+", make_title(question).lower())[:10]
    return "-".join([*words, ""])[:100] + secrets.token_hex(3)


def get_published(ctx: ServiceContext, slug: str) -> PublishedItem:
    """One published item (anyone may read it); cached a few seconds."""
    if "\x00" in slug or len(slug) > 120:
        raise NotFound("no published item with that name")
    cached: PublishedItem | None = ctx.pages.get(slug)
    if cached is not None:
        return cached
    item = _load_published(ctx, slug)
    ctx.pages.put(slug, item)
    return item


def _load_published(ctx: ServiceContext, slug: str) -> PublishedItem:
    with ctx.read() as session:
        item = session.scalar(
            select(Publication).where(Publication.slug == slug, Publication.status == "published")
        )
        if item is None:
            raise NotFound(f"no published item {slug}")
        had_attachments = session.scalar(
            select(func.count(Attachment.id)).where(Attachment.case_id == item.case_id)
        )
        return published_item(item, bool(had_attachments))


def published_item(item: Publication, had_attachments: bool) -> PublishedItem:
    """The stored answer; related questions come from the library (consult/reading.py)."""
    return PublishedItem(
        slug=item.slug,
        title=item.title,
        question=item.question,
        thread=[PublishedThreadEntry(**entry) for entry in item.thread],
        answer_sections=item.answer_sections,
        answered_by=item.answered_by,
        reviewed_by=item.reviewed_by,
        published_at=item.published_at,
        last_reviewed_at=item.last_reviewed_at,
        rereview_due_at=item.rereview_due_at,
        helpful_yes=item.helpful_yes,
        helpful_no=item.helpful_no,
        disclaimer=DISCLAIMER,
        attachments_note=ATTACHMENT_NOTE if had_attachments else None,
    )


def find_publication(session: Session, slug: str) -> Publication:
    item = session.scalar(select(Publication).where(Publication.slug == slug))
    if item is None:
        raise NotFound(f"no published item {slug}")
    return item


def vote(ctx: ServiceContext, slug: str, helpful: bool, voter: str) -> VoteOut:
    """Was this answer helpful? One vote per voter (account or hashed client); voting again changes it."""
    with ctx.write() as session:
        item = session.scalar(
            select(Publication)
            .where(Publication.slug == slug, Publication.status == "published")
            .with_for_update()
        )
        if item is None:
            raise NotFound(f"no published item {slug}")
        _apply_vote(session, ctx, item, helpful, voter[:100])
        counts = VoteOut(helpful_yes=item.helpful_yes, helpful_no=item.helpful_no)
    ctx.pages.drop(slug)
    return counts


def _apply_vote(session: Session, ctx: ServiceContext, item: Publication, helpful: bool, voter: str) -> None:
    previous = session.scalar(
        select(HelpfulnessVote).where(
            HelpfulnessVote.publication_id == item.id, HelpfulnessVote.voter == voter
        )
    )
    if previous is not None:
        if previous.helpful == helpful:
            return
        _count(session, item, previous.helpful, -1)
        previous.helpful = helpful
    else:
        session.add(
            HelpfulnessVote(publication_id=item.id, voter=voter, helpful=helpful, created_at=ctx.now())
        )
    _count(session, item, helpful, +1)


def _count(session: Session, item: Publication, helpful: bool, delta: int) -> None:
    """Counted in SQL (col = col + 1) so concurrent votes never overwrite each other."""
    column = Publication.helpful_yes if helpful else Publication.helpful_no
    session.execute(
        update(Publication)
        .where(Publication.id == item.id)
        .values({column: column + delta})
        .execution_options(synchronize_session=False)
    )
    session.refresh(item)
