"""Specialists' and reviewers' word on related questions: kept, applied at once, and learnable.

A pair judged "not related" is never shown as related again (either way round); a pair judged
"related" is shown first, marked as confirmed. When judges disagree the latest word counts. The
judged pairs are also what `spineconsult library learn --judged` learns from.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from spineconsult.library.index import embedding_text
from spineconsult.library.models import LibraryEntry, RelatedJudgment

Verdicts = dict[str, bool]


def pair_key(slug: str, other: str) -> tuple[str, str]:
    """The stored order of a pair: the relation is symmetric."""
    return (slug, other) if slug <= other else (other, slug)


def judge(session: Session, slug: str, other: str, *, related: bool, judge_id: int, now: datetime) -> None:
    """Record (or change) one judge's word on a pair of slugs."""
    a, b = pair_key(slug, other)
    query = select(RelatedJudgment).where(
        RelatedJudgment.slug_a == a, RelatedJudgment.slug_b == b, RelatedJudgment.judged_by == judge_id
    )
    row = session.scalar(query)
    if row is None:
        try:
            with session.begin_nested():  # a double click racing itself: the second one updates
                session.add(
                    RelatedJudgment(slug_a=a, slug_b=b, judged_by=judge_id, related=related, judged_at=now)
                )
            return
        except IntegrityError:
            row = session.scalars(query).one()
    row.related, row.judged_at = related, now
    session.flush()


def verdicts(session: Session, slug: str) -> Verdicts:
    """other slug -> related or not, the latest word on each pair that involves `slug`."""
    query = (
        select(RelatedJudgment)
        .where(or_(RelatedJudgment.slug_a == slug, RelatedJudgment.slug_b == slug))
        .order_by(RelatedJudgment.judged_at, RelatedJudgment.id)
    )
    found: Verdicts = {}
    for row in session.scalars(query):
        found[row.slug_b if row.slug_a == slug else row.slug_a] = row.related
    return found


def all_verdicts(session: Session) -> dict[str, Verdicts]:
    """slug -> its verdicts, for every judged slug (one query; for ranking the whole library)."""
    query = select(RelatedJudgment).order_by(RelatedJudgment.judged_at, RelatedJudgment.id)
    found: dict[str, Verdicts] = defaultdict(dict)
    for row in session.scalars(query):
        found[row.slug_a][row.slug_b] = row.related
        found[row.slug_b][row.slug_a] = row.related
    return dict(found)


def judged_pairs(session: Session) -> list[tuple[str, str, int]]:
    """(question text, question text, 1 related / 0 not) for every judged pair of live entries."""
    latest = {(a, b): ok for a, others in all_verdicts(session).items() for b, ok in others.items() if a < b}
    slugs = {s for pair in latest for s in pair}
    texts = {
        e.slug: embedding_text(e.title, e.question)
        for e in session.scalars(select(LibraryEntry).where(LibraryEntry.slug.in_(slugs)))
    }
    return [
        (texts[a], texts[b], int(ok)) for (a, b), ok in sorted(latest.items()) if a in texts and b in texts
    ]
