"""Index upkeep: publish (upsert), delete, embed what is pending, rebuild everything.

`index_entry` is cheap: it writes the row and its full-text entry and leaves the embedding NULL.
Embeddings are computed in batches by `embed_pending` (run by `search`/`related` for a few pending
entries, by `spineconsult reindex` and at the end of `spineconsult library import` for many), so
publishing never waits for the model.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from spineconsult.library import fulltext, vectors
from spineconsult.library.embeddings import get_encoder, model_in_use
from spineconsult.library.models import LibraryEntry
from spineconsult.library.synonyms import lexicon

EMBED_BATCH = 256


class LibraryError(ValueError):
    """Bad input to the library (a missing slug, an empty question); str() is one line."""


def embedding_text(title: str, question: str) -> str:
    """What the vector stands for: the question as asked (answers are long and worded for another reader)."""
    if title and not question.startswith(title):
        return f"{title}. {question}"
    return question or title


def _topics_field(topics: Iterable[str]) -> str:
    cleaned = sorted({t.strip() for t in topics if t and t.strip() and "|" not in t})
    return "|" + "|".join(cleaned) + "|" if cleaned else ""


def index_entry(
    session: Session,
    *,
    slug: str,
    title: str,
    question: str,
    answer: str = "",
    published_at: datetime,
    procedure: str | None = None,
    topics: Iterable[str] = (),
    kind: str = "qa",
) -> LibraryEntry:
    """Add or update a published entry (by slug). Cheap: the embedding is computed later."""
    if not slug.strip():
        raise LibraryError("slug: must not be empty")
    if not (question.strip() or title.strip()):
        raise LibraryError("question: must not be empty")
    entry = session.execute(select(LibraryEntry).where(LibraryEntry.slug == slug)).scalar_one_or_none()
    if entry is None:
        entry = LibraryEntry(slug=slug)
        session.add(entry)
    text_changed = (entry.title, entry.question) != (title, question)
    entry.kind, entry.title, entry.question, entry.answer = kind, title, question, answer or ""
    entry.published_at, entry.procedure, entry.topics = published_at, procedure, _topics_field(topics)
    entry.concepts = " ".join(lexicon().find(f"{title} {question}"))
    entry.updated_at = datetime.now(UTC)
    if text_changed:
        entry.embedding, entry.embedding_model = None, None
    session.flush()
    fulltext.upsert(session, entry)
    versions = vectors.bump_version(session)
    vector = vectors.stored_vector(entry, model_in_use())
    vectors.apply_change(session, versions, vectors.meta_of(entry), vector)
    return entry


def delete_entry(session: Session, slug: str) -> bool:
    """Remove an entry from the library; False when there was none."""
    entry = session.execute(select(LibraryEntry).where(LibraryEntry.slug == slug)).scalar_one_or_none()
    if entry is None:
        return False
    entry_id = entry.id
    fulltext.delete(session, entry_id)
    session.delete(entry)
    session.flush()
    versions = vectors.bump_version(session)
    vectors.apply_change(session, versions, entry_id, None)
    return True


def embed_pending(session: Session, *, limit: int | None = None) -> int:
    """Compute missing embeddings (all, or at most `limit`) and store them; returns how many.

    Run it after the publishing transaction commits (a worker, the CLI): the caller commits.
    """
    index = vectors.get_index(session)
    rows = index.unstored_rows()[:limit] if limit is not None else index.unstored_rows()
    for start in range(0, len(rows), EMBED_BATCH):
        _embed_rows(session, index, rows[start : start + EMBED_BATCH], store=True)
    if rows:
        vectors.advance(session, index, vectors.bump_version(session))
    return len(rows)


def embed_everything_pending(session: Session, *, batch: int = EMBED_BATCH) -> int:
    """Embed every pending entry (new, or whose vector another model made) in committed batches, so a
    long run (a new adapter over a large library) keeps its progress. Returns how many."""
    total = 0
    for _ in range(len(vectors.get_index(session).unstored_rows()) // batch + 2):
        done = embed_pending(session, limit=batch)
        session.commit()
        total += done
        if done < batch:
            break
    return total


def warm_pending(session: Session, index: vectors.VectorIndex, *, limit: int = 64) -> None:
    """Embed a few pending entries in memory only, so fresh publications show up by meaning at once.

    Nothing is written: a read request must not write, and `embed_pending` stores them later.
    """
    rows = index.pending_rows()
    if rows and len(rows) <= limit:
        _embed_rows(session, index, rows, store=False)


def _embed_rows(session: Session, index: vectors.VectorIndex, rows: list[int], *, store: bool) -> None:
    ids = [m.id for m in (index.metas[r] for r in rows) if m is not None]
    entries = {
        e.id: e for e in session.execute(select(LibraryEntry).where(LibraryEntry.id.in_(ids))).scalars()
    }
    found = [(row, entries[m.id]) for row, m in ((r, index.metas[r]) for r in rows) if m and m.id in entries]
    encoder = get_encoder()
    matrix = encoder.encode([embedding_text(e.title, e.question) for _, e in found])
    for (row, entry), vector in zip(found, matrix, strict=True):
        if store:
            entry.embedding = np.ascontiguousarray(vector, dtype=np.float32).tobytes()
            entry.embedding_model = encoder.fingerprint
        index.set_vector(row, vector, saved=store)
    if store:
        session.flush()


def reindex(session: Session) -> int:
    """Rebuild everything: concepts, full-text rows and every embedding. Returns the entry count."""
    entries = list(session.execute(select(LibraryEntry)).scalars())
    for entry in entries:
        entry.concepts = " ".join(lexicon().find(f"{entry.title} {entry.question}"))
        entry.embedding, entry.embedding_model = None, None
    session.flush()
    fulltext.rebuild(session)
    vectors.bump_version(session)
    vectors.forget(session)
    embed_pending(session)
    return len(entries)


def get_entry(session: Session, slug: str) -> LibraryEntry | None:
    """One published entry by slug (for its page), or None."""
    return session.execute(select(LibraryEntry).where(LibraryEntry.slug == slug)).scalar_one_or_none()
