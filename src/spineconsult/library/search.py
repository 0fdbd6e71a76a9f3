"""Search: full-text relevance blended with meaning (embedding cosine), synonyms understood.

1. The query is cut to 2,000 characters and reduced to words; the synonym lexicon adds the other
   words for each medical concept it mentions ("pins and needles" -> paresthesia, tingling, ...).
2. Full text (bm25 on SQLite, ts_rank_cd on PostgreSQL) over the query's rarer terms gives up to
   200 candidates (see FULLTEXT_BUDGET).
3. The query's embedding against the in-memory vectors gives up to 200 more.
4. Each candidate scores 0.6 * cosine + 0.4 * text, text being the full-text score relative to the
   best one or, when higher, half the share of the query's words in the entry's title and question.
   Hits found by meaning alone need a cosine of at least 0.3, so a nonsense query returns nothing.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from spineconsult.library import fulltext, vectors
from spineconsult.library.embeddings import embed, single_threaded_blas
from spineconsult.library.index import warm_pending
from spineconsult.library.models import LibraryEntry
from spineconsult.library.snippets import snippet
from spineconsult.library.synonyms import lexicon, phrase_key
from spineconsult.library.text import MAX_QUERY_CHARS, STOPWORDS, content_stems, stem

CANDIDATES = 200
# Full-text ranking must score every entry matching any term: for words found in tens of thousands
# of entries ("pain", "after") that costs 100+ ms at 100,000 entries and says little. Terms are taken
# rarest first while the entries they reach (title and question words) stay within this budget; the
# rest count through word overlap with the candidates found by meaning.
FULLTEXT_BUDGET = 1500
# PostgreSQL reads each matching row's tsvector (questions and answers) from the heap to rank it:
# measured ~30 ms for 3,000 matches, so it gets a third of the budget.
FULLTEXT_BUDGET_POSTGRES = 500
WEIGHT_MEANING = 0.6
WEIGHT_TEXT = 0.4
MIN_COSINE_ALONE = 0.3
MAX_EMBEDDED_QUERY_CHARS = 400  # ~100 tokens: the meaning of a query is in its start; keeps p95 low


@dataclass(frozen=True)
class SearchHit:
    slug: str
    title: str
    snippet: str  # HTML: escaped text with <mark> around matched words
    published_at: datetime
    score: float


@dataclass(frozen=True)
class Query:
    text: str
    concepts: list[str]
    phrases: list[list[str]]

    @property
    def stems(self) -> frozenset[str]:
        return frozenset(stem(p[0]) for p in self.phrases if len(p) == 1 and p[0] not in STOPWORDS)

    @property
    def multiword(self) -> list[tuple[str, ...]]:
        return [tuple(stem(w) for w in p) for p in self.phrases if len(p) > 1]


def parse_query(raw: str) -> Query:
    cut = (raw or "")[:MAX_QUERY_CHARS]
    concepts = lexicon().find(cut)
    return Query(cut, concepts, fulltext.query_phrases(cut, lexicon().expansions(concepts)))


_EMBEDDER = ThreadPoolExecutor(max_workers=2, thread_name_prefix="library-query-embedding")


@lru_cache(maxsize=512)
def _query_vector(text: str) -> vectors.FloatArray:
    vector: vectors.FloatArray = embed([text])[0]
    return vector


def search(
    session: Session, q: str, *, limit: int = 10, procedure: str | None = None, topic: str | None = None
) -> list[SearchHit]:
    """Best entries for a user query, best first; any query gives hits or [], never an error."""
    query = parse_query(q)
    if not query.phrases or limit <= 0:
        return []
    with single_threaded_blas():
        # the query's embedding (numpy, no database) runs while full text queries the database
        pending_vector = _EMBEDDER.submit(_query_vector, query.text[:MAX_EMBEDDED_QUERY_CHARS].strip())
        index = vectors.get_index(session)
        warm_pending(session, index)
        allowed = index.mask(procedure, topic)
        text_scores = _text_scores(session, index, query, allowed)
        vector = pending_vector.result()
        scores = _blend(index, vector, text_scores, allowed, frozenset(content_stems(query.text)))
    best = sorted(scores.items(), key=lambda kv: -kv[1])[:limit]
    return _hits(session, index, best, query)


def selective_phrases(
    index: vectors.VectorIndex, phrases: list[list[str]], budget: int = FULLTEXT_BUDGET
) -> list[list[str]]:
    """The query's rarer phrases, rarest first, within `budget` entries reached."""
    df = index.document_frequency

    def reach(phrase: list[str]) -> int:
        # stopwords are not counted in the index (they are everywhere): never worth a full-text pass
        return min(index.size if w in STOPWORDS else df.get(stem(w), 0) for w in phrase)

    kept, reached = [], 0
    for phrase in sorted(phrases, key=reach):
        reached += reach(phrase)
        if reached > budget:
            break
        kept.append(phrase)
    return kept


def _text_scores(
    session: Session, index: vectors.VectorIndex, query: Query, allowed: vectors.BoolArray
) -> dict[int, float]:
    budget = FULLTEXT_BUDGET_POSTGRES if fulltext.dialect(session) == "postgresql" else FULLTEXT_BUDGET
    found = fulltext.candidates(session, selective_phrases(index, query.phrases, budget), CANDIDATES * 2)
    rows = [(index.row_of_id[i], s) for i, s in found if i in index.row_of_id]
    # rows beyond the mask were published by another thread after it was taken: left out this time
    rows = [(r, s) for r, s in rows if r < allowed.shape[0] and allowed[r]][:CANDIDATES]
    top = max((s for _, s in rows), default=0.0)
    return {r: s / top for r, s in rows} if top > 0 else {r: 0.0 for r, _ in rows}


def _overlap(index: vectors.VectorIndex, row: int, query_stems: frozenset[str]) -> float:
    """Share of the query's content words in the entry's title and question, at half weight."""
    meta = index.metas[row]
    if meta is None or not query_stems:
        return 0.0
    return 0.5 * len(query_stems & meta.stems) / len(query_stems)


def _blend(
    index: vectors.VectorIndex,
    vector: vectors.FloatArray,
    text_scores: dict[int, float],
    allowed: vectors.BoolArray,
    query_stems: frozenset[str],
) -> dict[int, float]:
    rows, cosines = index.nearest(vector, allowed, CANDIDATES)
    scores = {
        int(r): WEIGHT_MEANING * float(c) + WEIGHT_TEXT * _overlap(index, int(r), query_stems)
        for r, c in zip(rows, cosines, strict=True)
        if c >= MIN_COSINE_ALONE
    }
    text_rows = list(text_scores)
    text_cosines = index.matrix[text_rows] @ vector if text_rows else np.zeros(0, dtype=np.float32)
    for row, cosine in zip(text_rows, text_cosines, strict=True):
        meaning = max(float(cosine), 0.0) if index.has_vector[row] else 0.0
        text_score = max(text_scores[row], _overlap(index, row, query_stems))
        scores[row] = WEIGHT_MEANING * meaning + WEIGHT_TEXT * text_score
    return scores


def _hits(
    session: Session, index: vectors.VectorIndex, best: list[tuple[int, float]], query: Query
) -> list[SearchHit]:
    ids = [m.id for m in (index.metas[r] for r, _ in best) if m is not None]
    entries = {
        e.id: e for e in session.execute(select(LibraryEntry).where(LibraryEntry.id.in_(ids))).scalars()
    }
    stems, phrases = (
        query.stems,
        query.multiword + [phrase_key(t) for t in lexicon().expansions(query.concepts)],
    )
    hits = []
    for row, score in best:
        meta = index.metas[row]
        entry = entries.get(meta.id) if meta else None
        if entry is not None:
            excerpt = _best_snippet(entry, stems, phrases)
            hits.append(
                SearchHit(entry.slug, entry.title, excerpt, aware(entry.published_at), round(score, 4))
            )
    return hits


def aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes; everything the library stores is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _best_snippet(entry: LibraryEntry, stems: frozenset[str], phrases: list[tuple[str, ...]]) -> str:
    """From the question if it holds a match, else from the answer if that does, else the question."""
    first = snippet(entry.question or entry.answer, stems, phrases)
    if "<mark>" in first or not entry.answer:
        return first
    second = snippet(entry.answer, stems, phrases)
    return second if "<mark>" in second else first
