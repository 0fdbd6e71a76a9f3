"""Specialists and reviewers judge the library's related questions: "related" or "not related".

The word takes effect at once on both pages (library/judgments.py) and is kept for
`spineconsult library learn --judged`.
"""

from __future__ import annotations

from sqlalchemy import select

from spineconsult.consult import audit
from spineconsult.consult.actors import Actor, Role
from spineconsult.consult.context import ServiceContext
from spineconsult.consult.errors import InvalidInput, NotFound
from spineconsult.consult.policies import require_role
from spineconsult.consult.schemas import RelatedJudgmentOut
from spineconsult.library import judgments
from spineconsult.library.models import LibraryEntry


def judge_related(
    ctx: ServiceContext, actor: Actor, slug: str, other: str, related: bool
) -> RelatedJudgmentOut:
    require_role(actor, Role.SPECIALIST, Role.REVIEWER)
    if slug == other:
        raise InvalidInput("other", "a page cannot be judged related to itself")
    now = ctx.now()
    with ctx.write() as session:
        found = set(
            session.scalars(select(LibraryEntry.slug).where(LibraryEntry.slug.in_(_plausible(slug, other))))
        )
        for name in (slug, other):
            if name not in found:
                raise NotFound(f"no library page {name[:120]!r}")
        judgments.judge(session, slug, other, related=related, judge_id=actor.id, now=now)
        audit.record(
            session, ctx, actor, "library.related_judged", None, slug=slug, other=other, related=related
        )
    ctx.pages.clear()  # both pages' related lists change
    return RelatedJudgmentOut(slug=slug, other=other, related=related, judged_at=now)


def _plausible(*slugs: str) -> list[str]:
    """The slugs worth looking up: a NUL or an over-long name cannot be a page (PostgreSQL refuses NUL)."""
    return [s for s in slugs if "\x00" not in s and len(s) <= 200]
