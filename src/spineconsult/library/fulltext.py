"""Full-text search on either database: SQLite FTS5 with bm25, PostgreSQL tsvector with ts_rank_cd.

Queries are never passed through as query syntax: they are reduced to words (letters and digits) and
rebuilt as quoted phrases joined by OR, so FTS operators, quotes or SQL in a user query are just words.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from spineconsult.library.models import LibraryEntry
from spineconsult.library.text import STOPWORDS, words

MAX_TERMS = 48


def dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def upsert(session: Session, entry: LibraryEntry) -> None:
    """Keep SQLite's FTS5 row in step with the entry (PostgreSQL's tsvector column is generated)."""
    if dialect(session) == "postgresql":
        return
    session.execute(text("DELETE FROM library_fts WHERE rowid = :id"), {"id": entry.id})
    session.execute(
        text("INSERT INTO library_fts (rowid, title, question, answer) VALUES (:id, :t, :q, :a)"),
        {"id": entry.id, "t": entry.title, "q": entry.question, "a": entry.answer},
    )


def delete(session: Session, entry_id: int) -> None:
    if dialect(session) != "postgresql":
        session.execute(text("DELETE FROM library_fts WHERE rowid = :id"), {"id": entry_id})


def rebuild(session: Session) -> None:
    """Refill the FTS5 table from the entries (after a crash or a manual edit of the table)."""
    if dialect(session) == "postgresql":
        return
    session.execute(text("DELETE FROM library_fts"))
    session.execute(
        text(
            "INSERT INTO library_fts (rowid, title, question, answer) "
            "SELECT id, title, question, answer FROM library_entries"
        )
    )


def query_phrases(query: str, expansions: list[str]) -> list[list[str]]:
    """Phrases to look for: the query's content words, then the synonym expansions, deduplicated."""
    found = words(query)
    content = [w for w in found if w not in STOPWORDS] or found
    phrases: list[list[str]] = [[w] for w in content]
    phrases += [words(term) for term in expansions]
    unique: dict[tuple[str, ...], list[str]] = {}
    for phrase in phrases:
        if phrase:
            unique.setdefault(tuple(phrase), phrase)
    return list(unique.values())[:MAX_TERMS]


def candidates(session: Session, phrases: list[list[str]], limit: int) -> list[tuple[int, float]]:
    """(entry id, relevance >= 0, higher is better) for entries matching any phrase."""
    if not phrases:
        return []
    if dialect(session) == "postgresql":
        return _postgres(session, phrases, limit)
    return _sqlite(session, phrases, limit)


def _sqlite(session: Session, phrases: list[list[str]], limit: int) -> list[tuple[int, float]]:
    match = " OR ".join('"' + " ".join(p).replace('"', '""') + '"' for p in phrases)
    rows = session.execute(
        text(
            "SELECT rowid, -bm25(library_fts, 3.0, 2.0, 1.0) AS score FROM library_fts "
            "WHERE library_fts MATCH :m ORDER BY score DESC LIMIT :n"
        ),
        {"m": match, "n": limit},
    )
    return [(int(r[0]), float(r[1])) for r in rows]


def _postgres(session: Session, phrases: list[list[str]], limit: int) -> list[tuple[int, float]]:
    search = " or ".join('"' + " ".join(p).replace('"', "") + '"' for p in phrases)
    rows = session.execute(
        text(
            "SELECT id, ts_rank_cd(search_vector, q, 1) AS score "
            "FROM library_entries, websearch_to_tsquery('english', :s) AS q "
            "WHERE search_vector @@ q ORDER BY score DESC LIMIT :n"
        ),
        {"s": search, "n": limit},
    )
    return [(int(r[0]), float(r[1])) for r in rows]
