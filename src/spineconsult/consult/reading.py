"""The public library for readers: ranked search and related questions over the published answers.

Search and related questions come from `spineconsult.library` (full text blended with meaning). The
library index is kept in step with the publications here, before each read: a published answer that
is not in the index (or whose text changed) is indexed, a withdrawn one is removed. That is one cheap
anti-join when nothing changed, and it also covers answers published by the CLI or the demo.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from spineconsult import library
from spineconsult.consult.context import ServiceContext
from spineconsult.consult.errors import NotFound
from spineconsult.consult.publication import get_published
from spineconsult.consult.schemas import SECTION_TITLES, LibraryHit, LibraryPage, PublishedItem, RelatedItem
from spineconsult.library.models import LibraryEntry
from spineconsult.store.models import Case, Publication

RELATED_K = 5
EVIDENCE_KIND = "evidence"  # spineconsult.library.evidence_pages.KIND
TOPICS_PER_ANSWER = 2


@dataclass(frozen=True)
class EvidencePage:
    """A page the library generated from the knowledge pack (a treatment and its studies, a condition)."""

    slug: str
    title: str
    question: str
    paragraphs: list[str]
    published_at: datetime


@dataclass(frozen=True)
class PublishedPage:
    """A published answer (`item`) or an evidence page (`evidence`), with its related questions."""

    item: PublishedItem | None
    related: list[library.RelatedHit]
    evidence: EvidencePage | None = None


@dataclass(frozen=True)
class Filters:
    """Choices of the search form: (value, label) pairs."""

    procedures: list[tuple[str, str]]
    topics: list[tuple[str, str]]


def search_library(
    ctx: ServiceContext, q: str, *, procedure: str | None = None, topic: str | None = None, limit: int = 20
) -> list[library.SearchHit]:
    """Anyone may search; any query gives hits or an empty list."""
    refresh_index(ctx)
    with ctx.read() as session:
        if not q.strip():
            return browse(session, procedure=procedure or None, topic=topic or None, limit=limit)
        return library.search(session, q, limit=limit, procedure=procedure or None, topic=topic or None)


def browse(
    session: Session, *, procedure: str | None, topic: str | None, limit: int
) -> list[library.SearchHit]:
    """Without words, the filters alone: newest first, the question's opening as the snippet."""
    query = select(LibraryEntry).order_by(LibraryEntry.published_at.desc(), LibraryEntry.id.desc())
    if procedure:
        query = query.where(LibraryEntry.procedure == procedure)
    if topic:
        query = query.where(LibraryEntry.topics.contains(f"|{topic}|", autoescape=True))
    entries = session.scalars(query.limit(max(1, min(limit, 100))))
    return [
        library.SearchHit(e.slug, e.title, html.escape(_opening(e.question)), e.published_at, 0.0)
        for e in entries
    ]


def _opening(text: str, width: int = 220) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


def read_published(ctx: ServiceContext, slug: str) -> PublishedPage:
    """One published answer or evidence page (NotFound when unknown or withdrawn), with related questions.

    Kept a few seconds in the service's page cache, which every publication clears.
    """
    if "\x00" in slug or len(slug) > 120:
        raise NotFound("no published item with that name")
    key = f"reading:{slug}"
    cached: PublishedPage | None = ctx.pages.get(key)
    if cached is not None:
        return cached
    try:
        item: PublishedItem | None = get_published(ctx, slug)
    except NotFound:
        item = None
    refresh_index(ctx)
    with ctx.read() as session:
        evidence = None if item else evidence_page(session, slug)
        found = PublishedPage(item, library.related(session, slug, k=RELATED_K), evidence)
    ctx.pages.put(key, found)
    return found


def refresh_index(ctx: ServiceContext) -> int:
    """Index what changed since the last look; a read (no write lock) when nothing did."""
    with ctx.read() as session:
        if not index_is_stale(session):
            return 0
    with ctx.write() as session:
        return sync_index(session)


def index_is_stale(session: Session) -> bool:
    stale = session.execute(_stale_query().limit(1)).first() is not None
    return stale or session.scalar(_withdrawn_query().limit(1)) is not None


def evidence_page(session: Session, slug: str) -> EvidencePage:
    query = select(LibraryEntry).where(LibraryEntry.slug == slug, LibraryEntry.kind == EVIDENCE_KIND)
    entry = session.scalar(query)
    if entry is None:
        raise NotFound(f"no published item {slug}")
    paragraphs = [p.strip() for p in entry.answer.split("\n\n") if p.strip()]
    return EvidencePage(entry.slug, entry.title, entry.question, paragraphs, entry.published_at)


def sync_index(session: Session) -> int:
    """Bring the library index in step with the publications; returns how many entries changed."""
    changed = 0
    for item, case in session.execute(_stale_query()):
        library.index_entry(session, **entry_fields(item, case))
        changed += 1
    for slug in list(session.scalars(_withdrawn_query())):
        changed += library.delete_entry(session, slug)
    return changed


def _withdrawn_query() -> Any:
    return (
        select(Publication.slug)
        .join(LibraryEntry, LibraryEntry.slug == Publication.slug)
        .where(Publication.status != "published")
    )


def _stale_query() -> Any:
    return (
        select(Publication, Case)
        .join(Case, Case.id == Publication.case_id)
        .outerjoin(LibraryEntry, LibraryEntry.slug == Publication.slug)
        .where(Publication.status == "published")
        .where(
            or_(
                LibraryEntry.id.is_(None),
                LibraryEntry.title != Publication.title,
                LibraryEntry.question != Publication.question,
            )
        )
    )


def entry_fields(item: Publication, case: Case) -> dict[str, Any]:
    """What the library indexes: the de-identified text only, the operation family and the top conditions."""
    return {
        "slug": item.slug,
        "title": item.title,
        "question": item.question,
        "answer": answer_text(item),
        "published_at": item.published_at,
        "procedure": procedure_of(case.assessment),
        "topics": topics_of(case.assessment),
    }


def answer_text(item: Publication) -> str:
    parts = [str(turn.get("body") or "") for turn in item.thread if turn.get("author") == "specialist"]
    parts += [f"{SECTION_TITLES.get(k, k)}: {v}" for k, v in (item.answer_sections or {}).items() if v]
    return "\n".join(p for p in parts if p)


def procedure_of(assessment: dict[str, Any]) -> str | None:
    procedures = (assessment.get("context") or {}).get("procedures") or []
    families = [p.get("family") for p in procedures if p.get("family") not in (None, "unknown")]
    return str(families[0]) if families else None


def topics_of(assessment: dict[str, Any]) -> list[str]:
    ranked = assessment.get("differential") or []
    return [str(d["condition"]) for d in ranked[:TOPICS_PER_ANSWER] if d.get("condition")]


@lru_cache(maxsize=1)
def search_filters() -> Filters:
    """Operation families and conditions of the knowledge pack, in the words a reader uses."""
    from spineconsult.knowledge import default_pack

    pack = default_pack()
    families: dict[str, str] = {}
    for term in pack.procedures.values():
        if term.family != "unknown":
            families.setdefault(str(term.family), term.name)
    topics = sorted(((c.id, _label(c.lay_name)) for c in pack.conditions.values()), key=lambda pair: pair[1])
    return Filters(procedures=sorted(families.items(), key=lambda pair: pair[1]), topics=topics)


def _label(lay_name: str) -> str:
    """'a bruised or irritated nerve ...' -> 'Bruised or irritated nerve ...' for a list of choices."""
    words = lay_name.split(" ", 1)
    text = words[1] if len(words) == 2 and words[0].lower() in ("a", "an", "the") else lay_name
    return text[:1].upper() + text[1:]


def library_page(
    ctx: ServiceContext, q: str, *, procedure: str | None = None, topic: str | None = None, limit: int = 20
) -> LibraryPage:
    """The JSON API's search: the same ranked search as the pages."""
    query = " ".join(q.replace("\x00", " ").split())[:500]
    hits = search_library(ctx, query, procedure=procedure, topic=topic, limit=max(1, min(limit, 100)))
    items = [
        LibraryHit(slug=h.slug, title=h.title, snippet=h.snippet, published_at=h.published_at, score=h.score)
        for h in hits
    ]
    return LibraryPage(query=query, items=items, total=len(items))


def published_with_related(ctx: ServiceContext, slug: str) -> PublishedItem:
    """The JSON API's item: a published answer with its related questions, explained."""
    page = read_published(ctx, slug)
    if page.item is None:
        raise NotFound(f"no published item {slug}")
    related = [
        RelatedItem(
            slug=r.slug, title=r.title, score=round(r.score, 4), shared=r.shared, confirmed=r.confirmed
        )
        for r in page.related
    ]
    return page.item.model_copy(update={"related": related})
