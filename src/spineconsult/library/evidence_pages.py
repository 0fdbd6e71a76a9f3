"""Evidence pages generated from the knowledge pack, published into the library.

One page per treatment option (what it is, in plain words and for clinicians, which conditions it
is for, every study behind it with design, size, figures, certainty and why) and one per condition
(plain-language name, definition, the treatment options for it). Pages are ordinary library entries
(`kind="evidence"`), so search and related questions cover them; republishing updates them in place
and removes pages whose treatment or condition left the pack.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from spineconsult.knowledge import Pack, default_pack
from spineconsult.knowledge.schema import Condition, Evidence, Treatment
from spineconsult.library.index import delete_entry, index_entry
from spineconsult.library.models import LibraryEntry

KIND = "evidence"
CERTAINTY_WORDS = {
    "high": "high certainty",
    "moderate": "moderate certainty",
    "low": "low certainty",
    "very_low": "very low certainty",
}


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    question: str
    answer: str
    topics: tuple[str, ...]


def study_text(study: Evidence) -> str:
    """One study in a paragraph: citation, design and size, figures, certainty and why."""
    size = f", {study.n} patients" if study.n else ""
    figures = "; ".join(
        f"{o.measure}{' at ' + o.timepoint if o.timepoint else ''}: {o.value}" for o in study.outcomes
    )
    ids = ", ".join(
        x for x in (f"PMID {study.pmid}" if study.pmid else "", f"doi:{study.doi}" if study.doi else "") if x
    )
    unsure = f" Not verified: {', '.join(study.unsure)}." if study.unsure else ""
    return (
        f"{study.citation} ({study.design}{size}{'; ' + ids if ids else ''}). "
        f"{'Results: ' + figures + '. ' if figures else ''}"
        f"Certainty: {CERTAINTY_WORDS[study.certainty]} ({study.certainty_reason}).{unsure}"
    )


def treatment_page(pack: Pack, treatment: Treatment) -> Page:
    conditions = [pack.conditions[c] for c in treatment.for_ if c in pack.conditions]
    for_lay = ", ".join(c.lay_name for c in conditions)
    studies = [study_text(pack.evidence[e]) for e in treatment.evidence if e in pack.evidence]
    answer = "\n\n".join(
        [
            treatment.lay_description,
            f"For clinicians: {treatment.description}",
            f"Used for: {', '.join(c.name for c in conditions)}.",
            f"Overall, the evidence that it helps is of {CERTAINTY_WORDS[treatment.certainty]}.",
            *([f"Note: {treatment.note}"] if treatment.note else []),
            "The studies:",
            *studies,
        ]
    )
    return Page(
        slug=f"evidence-{treatment.id.replace('_', '-')}",
        title=f"{treatment.name}: what the studies show",
        question=f"{treatment.lay_name}: does it help with {for_lay}?",
        answer=answer,
        topics=("evidence", "treatment", treatment.kind, *treatment.for_),
    )


def condition_page(pack: Pack, condition: Condition) -> Page:
    options = [t for t in pack.treatments.values() if condition.id in t.for_]
    answer = "\n\n".join(
        [
            f"{condition.name} ({condition.lay_name}). {condition.definition}",
            f"What points to it: {condition.explanation}",
            f"ICD-10-CM: {condition.icd10}.",
            "Treatment options: "
            + ("; ".join(f"{t.lay_name} ({CERTAINTY_WORDS[t.certainty]})" for t in options) or "none listed")
            + ".",
        ]
    )
    return Page(
        slug=f"condition-{condition.id.replace('_', '-')}",
        title=f"{condition.name}: {condition.lay_name}",
        question=f"What is {condition.lay_name} ({condition.name}) after spine surgery?",
        answer=answer,
        topics=("evidence", "condition", condition.id),
    )


def evidence_pages(pack: Pack) -> list[Page]:
    return [treatment_page(pack, t) for t in pack.treatments.values()] + [
        condition_page(pack, c) for c in pack.conditions.values()
    ]


def publish_evidence_pages(session: Session, pack: Pack | None = None) -> tuple[int, int]:
    """Add or update every page of the pack, remove stale ones; returns (published, removed)."""
    pages = evidence_pages(pack or default_pack())
    existing = {
        e.slug: e.published_at
        for e in session.execute(select(LibraryEntry).where(LibraryEntry.kind == KIND)).scalars()
    }
    now = datetime.now(UTC)
    for page in pages:
        index_entry(
            session,
            slug=page.slug,
            title=page.title,
            question=page.question,
            answer=page.answer,
            published_at=existing.get(page.slug, now),
            topics=page.topics,
            kind=KIND,
        )
    stale = set(existing) - {p.slug for p in pages}
    for slug in stale:
        delete_entry(session, slug)
    return len(pages), len(stale)
