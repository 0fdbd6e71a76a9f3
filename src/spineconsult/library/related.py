"""Related questions: nearest by meaning, re-ranked by shared medical concepts and words, explained.

The entry's vector is compared with every other vector (one matrix-vector product; above 20,000
entries a coarse scan of 64-dimensional projections first, see vectors.py); the best 50 by cosine
are re-ranked by

    cosine + 0.05 * concept overlap (Jaccard of synonym-normalised concepts) + 0.10 * word overlap

and each hit lists what it shares: the concepts (by their plain label), then shared content words.
Specialists' and reviewers' judgments (judgments.py) come first: a pair judged not related is left
out, a pair judged related is shown first and marked confirmed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from spineconsult.library import judgments, vectors
from spineconsult.library.embeddings import embed, single_threaded_blas
from spineconsult.library.index import embedding_text, warm_pending
from spineconsult.library.models import LibraryEntry
from spineconsult.library.synonyms import BROAD_CONCEPTS, lexicon, phrase_key
from spineconsult.library.text import stem, words

SHORTLIST = 50
WEIGHT_CONCEPTS = 0.05
WEIGHT_WORDS = 0.10
MAX_SHARED_WORDS = 3
# Stems that any two questions may share without being about the same thing: scored, never shown.
VAGUE_STEMS = frozenset(
    [
        "long",
        "normal",
        "still",
        "like",
        "feel",
        "much",
        "many",
        "good",
        "better",
        "worse",
        "thing",
        "know",
        "want",
        "need",
        "help",
        "question",
        "doctor",
        "time",
        "take",
        "get",
        "go",
        "ok",
        "okay",
        "real",
    ]
)


@dataclass(frozen=True)
class RelatedHit:
    slug: str
    title: str
    score: float
    shared: list[str]
    confirmed: bool = False  # a specialist or reviewer judged the pair related


def jaccard(a: frozenset[str] | set[str], b: frozenset[str] | set[str]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def related(session: Session, slug: str, *, k: int = 5) -> list[RelatedHit]:
    """The k entries most related to `slug`, best first; [] for an unknown slug."""
    index = vectors.get_index(session)
    row = index.row_of_slug.get(slug)
    if row is None or k <= 0:
        return []
    with single_threaded_blas():
        warm_pending(session, index)
        vector = _vector(session, index, row)
        if vector is None:
            return []
        verdicts = judgments.verdicts(session, slug)
        ranked = rank(index, row, vector, k, verdicts)
    surfaces = _surface_words(session, index, [row] + [r for r, _ in ranked])
    return [_hit(index, row, r, s, surfaces, verdicts) for r, s in ranked]


def _surface_words(session: Session, index: vectors.VectorIndex, rows: list[int]) -> dict[str, str]:
    """stem -> a word as written, to show shared words readably ('tingl' -> 'tingling')."""
    ids = [m.id for m in (index.metas[r] for r in rows) if m is not None]
    found: dict[str, str] = {}
    for entry in session.query(LibraryEntry).filter(LibraryEntry.id.in_(ids)):
        for word in words(f"{entry.title} {entry.question}"):
            found.setdefault(stem(word), word)
    return found


def _vector(session: Session, index: vectors.VectorIndex, row: int) -> vectors.FloatArray | None:
    if index.has_vector[row]:
        stored: vectors.FloatArray = index.matrix[row]
        return stored
    meta = index.metas[row]
    entry = session.get(LibraryEntry, meta.id) if meta else None
    if entry is None:
        return None
    fresh: vectors.FloatArray = embed([embedding_text(entry.title, entry.question)])[0]
    return fresh


def rank(
    index: vectors.VectorIndex,
    row: int,
    vector: vectors.FloatArray,
    k: int,
    verdicts: Mapping[str, bool] | None = None,
) -> list[tuple[int, float]]:
    """(row, score) of the k best neighbours of `row`: judged related first, judged not related never."""
    allowed = index.alive[: index.size].copy()
    allowed[row] = False
    confirmed: list[int] = []
    for slug, is_related in (verdicts or {}).items():
        other = index.row_of_slug.get(slug)
        if other is None or not allowed[other]:
            continue
        allowed[other] = False
        if is_related:
            confirmed.append(other)
    rows, cosines = index.nearest(vector, allowed, SHORTLIST)
    me = index.metas[row]
    assert me is not None
    scored = [(int(r), _score(me, index.metas[int(r)], float(c))) for r, c in zip(rows, cosines, strict=True)]
    pinned = [(r, _score(me, index.metas[r], _cosine(index, vector, r))) for r in confirmed]
    return (sorted(pinned, key=lambda rs: -rs[1]) + sorted(scored, key=lambda rs: -rs[1]))[:k]


def _cosine(index: vectors.VectorIndex, vector: vectors.FloatArray, other: int) -> float:
    return float(vector @ index.matrix[other]) if index.has_vector[other] else 0.0


def _score(me: vectors.Meta, other: vectors.Meta | None, cosine: float) -> float:
    if other is None:
        return -2.0
    concepts = jaccard(frozenset(me.concepts), frozenset(other.concepts))
    return cosine + WEIGHT_CONCEPTS * concepts + WEIGHT_WORDS * jaccard(me.stems, other.stems)


def _hit(
    index: vectors.VectorIndex,
    row: int,
    other: int,
    score: float,
    surfaces: dict[str, str],
    verdicts: Mapping[str, bool],
) -> RelatedHit:
    me, them = index.metas[row], index.metas[other]
    assert me is not None and them is not None
    shared = shared_terms(me, them, surfaces)
    return RelatedHit(them.slug, them.title, round(score, 4), shared, verdicts.get(them.slug, False))


def shared_terms(a: vectors.Meta, b: vectors.Meta, surfaces: dict[str, str] | None = None) -> list[str]:
    """What two entries share: concept labels first, then a few shared content words."""
    concepts = [
        c for c in a.concepts if c in b.concepts and c not in BROAD_CONCEPTS and c in lexicon().concepts
    ]
    labels = [lexicon().concepts[c].label for c in concepts]
    covered = {st for c in concepts for t in lexicon().concepts[c].terms for st in phrase_key(t)}
    stems = sorted(
        st
        for st in a.stems & b.stems
        if st not in covered and st not in VAGUE_STEMS and len(st) > 3 and st.isalpha()
    )
    return labels + [(surfaces or {}).get(st, st) for st in stems[:MAX_SHARED_WORDS]]


def related_slugs(session: Session, *, k: int = 5) -> Iterator[tuple[str, list[str]]]:
    """(slug, related slugs best first) for every entry: the ranking of `related`, no explanations."""
    index = vectors.get_index(session)
    warm_pending(session, index)
    judged = judgments.all_verdicts(session)
    for row in range(index.size):
        meta = index.metas[row]
        if meta is None or not index.has_vector[row]:
            continue
        ranked = rank(index, row, index.matrix[row], k, judged.get(meta.slug))
        yield meta.slug, [m.slug for m in (index.metas[r] for r, _ in ranked) if m is not None]


def pair_score(index: vectors.VectorIndex, row_a: int, row_b: int) -> float:
    """The related() score of one pair of rows (both embedded)."""
    cosine = float(index.matrix[row_a] @ index.matrix[row_b])
    me = index.metas[row_a]
    return -2.0 if me is None else _score(me, index.metas[row_b], cosine)
