"""The in-memory side of the index: every entry's unit vector in one numpy matrix, plus what related
questions and filters need (procedure, topics, concepts, content words), one cache per database.

Each process holds one `VectorIndex` per database URL. It records the `library_state.version` it was
built from; a change made by this process is applied in place, a change made elsewhere (another
worker, the CLI) shows up as a newer version and the index is reloaded from the database.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from spineconsult.library.embeddings import DIMENSION, model_in_use
from spineconsult.library.models import LibraryEntry
from spineconsult.library.text import content_stems

FloatArray = npt.NDArray[np.float32]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.intp]

# Above this many entries a nearest-neighbour scan first runs over 64-dimensional projections (the
# top principal directions of the stored vectors: a 6x smaller matrix, so 6x less memory traffic),
# then re-scores the best 4n candidates exactly. Below it, the exact scan is already fast.
COARSE_FROM = 20_000
COARSE_DIMENSION = 64
COARSE_OVERFETCH = 4


@dataclass
class Meta:
    """What related() and the filters need about an entry, without a database round trip."""

    id: int
    slug: str
    title: str
    procedure: str | None
    topics: frozenset[str]
    concepts: tuple[str, ...]
    stems: frozenset[str]


@dataclass
class VectorIndex:
    version: int
    matrix: FloatArray = field(default_factory=lambda: np.zeros((0, DIMENSION), dtype=np.float32))
    has_vector: BoolArray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    alive: BoolArray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    masks: dict[tuple[str | None, str | None], BoolArray] = field(default_factory=dict)
    unsaved: set[int] = field(default_factory=set)  # rows embedded in memory only (see warm_pending)
    basis: FloatArray | None = None  # (384, 64) projection for the coarse scan, once large enough
    coarse: FloatArray = field(default_factory=lambda: np.zeros((0, COARSE_DIMENSION), dtype=np.float32))
    document_frequency: Counter[str] = field(default_factory=Counter)  # stem -> entries using it
    # versions this index has been at: when the database shows one of them, the index is only ahead
    # by this process's own changes (committed a moment later) and needs no reload
    history: set[int] = field(default_factory=set)

    def move_to(self, version: int) -> None:
        if len(self.history) > 10_000:
            self.history.clear()
        self.history.add(self.version)
        self.version = version

    metas: list[Meta | None] = field(default_factory=list)  # None: row of a deleted entry
    row_of_id: dict[int, int] = field(default_factory=dict)
    row_of_slug: dict[str, int] = field(default_factory=dict)
    size: int = 0

    def _grow(self) -> None:
        capacity = max(64, 2 * self.matrix.shape[0])
        matrix = np.zeros((capacity, DIMENSION), dtype=np.float32)
        matrix[: self.size] = self.matrix[: self.size]
        has = np.zeros(capacity, dtype=bool)
        has[: self.size] = self.has_vector[: self.size]
        alive = np.zeros(capacity, dtype=bool)
        alive[: self.size] = self.alive[: self.size]
        coarse = np.zeros((capacity, COARSE_DIMENSION), dtype=np.float32)
        coarse[: self.size] = self.coarse[: self.size]
        self.matrix, self.has_vector, self.alive, self.coarse = matrix, has, alive, coarse

    def put(self, meta: Meta, vector: FloatArray | None) -> None:
        """Add or replace an entry; a missing vector marks it pending."""
        row = self.row_of_id.get(meta.id)
        if row is None:
            if self.size == self.matrix.shape[0]:
                self._grow()
            row, self.size = self.size, self.size + 1
            self.metas.append(meta)
        else:
            old = self.metas[row]
            if old is not None:
                self.document_frequency.subtract(old.stems)
                if old.slug != meta.slug:
                    self.row_of_slug.pop(old.slug, None)
            self.metas[row] = meta
        self.document_frequency.update(meta.stems)
        self.row_of_id[meta.id] = row
        self.row_of_slug[meta.slug] = row
        self.alive[row] = True
        self.masks.clear()
        self.set_vector(row, vector)

    def set_vector(self, row: int, vector: FloatArray | None, *, saved: bool = True) -> None:
        if saved:
            self.unsaved.discard(row)
        else:
            self.unsaved.add(row)
        self.has_vector[row] = vector is not None
        self.matrix[row] = 0.0 if vector is None else vector
        if self.basis is not None:
            self.coarse[row] = 0.0 if vector is None else vector @ self.basis

    def remove(self, entry_id: int) -> None:
        row = self.row_of_id.pop(entry_id, None)
        if row is None:
            return
        meta = self.metas[row]
        if meta is not None:
            self.row_of_slug.pop(meta.slug, None)
            self.document_frequency.subtract(meta.stems)
        self.metas[row] = None
        self.alive[row] = False
        self.masks.clear()
        self.set_vector(row, None)

    def mask(self, procedure: str | None, topic: str | None) -> BoolArray:
        """Rows of live entries passing the filters (cached until the next change)."""
        if not procedure and not topic:
            return self.alive[: self.size]
        key = (procedure, topic)
        if key not in self.masks:
            self.masks[key] = np.array(
                [
                    m is not None
                    and (not procedure or m.procedure == procedure)
                    and (not topic or topic in m.topics)
                    for m in self.metas
                ],
                dtype=bool,
            )
        return self.masks[key]

    def pending_rows(self) -> list[int]:
        """Rows with no vector at all."""
        return [int(r) for r in np.flatnonzero(self.alive[: self.size] & ~self.has_vector[: self.size])]

    def unstored_rows(self) -> list[int]:
        """Rows whose vector is not in the database yet (pending, or warmed in memory only)."""
        return sorted(set(self.pending_rows()) | {r for r in self.unsaved if self.metas[r] is not None})

    def live(self) -> FloatArray:
        return self.matrix[: self.size]

    def searchable(self) -> BoolArray:
        return self.alive[: self.size] & self.has_vector[: self.size]

    def nearest(self, vector: FloatArray, allowed: BoolArray, n: int) -> tuple[IntArray, FloatArray]:
        """Rows of the n best cosines among `allowed` rows (best first), with their exact cosines.

        Reads a snapshot (size and arrays taken once): another thread publishing meanwhile may grow
        the index, which replaces the arrays rather than resizing them under us.
        """
        if self.basis is None and self.size >= COARSE_FROM:
            with _lock:
                if self.basis is None:
                    self._build_coarse()
        size, matrix, basis, coarse = self.size, self.matrix, self.basis, self.coarse
        usable = _fit(allowed, size) & self.alive[:size] & self.has_vector[:size]
        count = int(usable.sum())
        if count == 0 or n <= 0:
            return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.float32)
        if basis is None:
            return _top(np.where(usable, matrix[:size] @ vector, -np.inf), min(n, count))
        rough = np.where(usable, coarse[:size] @ (vector @ basis), -np.inf)
        shortlist = _largest(rough, min(n * COARSE_OVERFETCH, count))
        exact = matrix[shortlist] @ vector
        order = np.argsort(-exact)[:n]
        return shortlist[order], exact[order]

    def _build_coarse(self) -> None:
        """Principal directions of (a sample of) the stored vectors, and every vector projected."""
        rows = np.flatnonzero(self.searchable())
        sample = self.matrix[rows[:: max(1, len(rows) // 20_000)]]
        _, _, vt = np.linalg.svd(sample, full_matrices=False)
        basis = np.zeros((DIMENSION, COARSE_DIMENSION), dtype=np.float32)
        directions = vt[:COARSE_DIMENSION]  # fewer than 64 when the sample is tiny (tests)
        basis[:, : directions.shape[0]] = directions.T
        self.basis = basis
        self.coarse[: self.size] = self.matrix[: self.size] @ self.basis


def _fit(mask: BoolArray, size: int) -> BoolArray:
    """A row mask cut or padded (with False) to `size` rows."""
    if mask.shape[0] >= size:
        return mask[:size]
    return np.concatenate([mask, np.zeros(size - mask.shape[0], dtype=bool)])


def _top(scores: FloatArray, n: int) -> tuple[IntArray, FloatArray]:
    best = _largest(scores, n)
    best = best[np.argsort(-scores[best])]
    return best, scores[best]


SAMPLE_STEP = 16


def _largest(scores: FloatArray, n: int) -> IntArray:
    """Positions of the n largest scores (in no order), 1 <= n <= len(scores).

    A partition of all 100,000 scores costs ~1 ms; instead a threshold is taken from every 16th
    score (its 2n/16-th largest: about 2n scores reach it), and only the scores reaching it are
    partitioned (~0.1 ms). When fewer than n reach it, all are partitioned: the result is exact.
    """
    if scores.shape[0] >= 64 * n:
        sample = scores[::SAMPLE_STEP]
        rank = max(1, 2 * n // SAMPLE_STEP)
        threshold = np.partition(sample, sample.shape[0] - rank)[sample.shape[0] - rank]
        above = np.flatnonzero(scores >= threshold)
        if above.shape[0] >= n:
            picked: IntArray = above[np.argpartition(scores[above], above.shape[0] - n)[above.shape[0] - n :]]
            return picked
    every: IntArray = np.argpartition(scores, scores.shape[0] - n)[scores.shape[0] - n :]
    return every


def meta_of(entry: LibraryEntry) -> Meta:
    return Meta(
        id=entry.id,
        slug=entry.slug,
        title=entry.title,
        procedure=entry.procedure,
        topics=frozenset(t for t in entry.topics.split("|") if t),
        concepts=tuple(entry.concepts.split()),
        stems=frozenset(content_stems(f"{entry.title} {entry.question}")),
    )


def vector_of(blob: bytes | None) -> FloatArray | None:
    if blob is None or len(blob) != DIMENSION * 4:
        return None
    return np.frombuffer(blob, dtype=np.float32).copy()


def stored_vector(entry: LibraryEntry, model: str) -> FloatArray | None:
    """The entry's stored vector if `model` made it; None (pending: recomputed) otherwise."""
    return vector_of(entry.embedding) if entry.embedding_model == model else None


_indexes: dict[str, VectorIndex] = {}
_lock = threading.RLock()


def _key(session: Session) -> str:
    return session.get_bind().engine.url.render_as_string(hide_password=False)


def current_version(session: Session) -> int:
    value = session.execute(text("SELECT version FROM library_state WHERE id = 1")).scalar()
    return int(value or 0)


def bump_version(session: Session) -> tuple[int, int]:
    """Record one change; returns (version before, version after).

    The step is random, so two processes (or a rolled-back change) never produce the same version
    for different contents.
    """
    before = current_version(session)
    after = before + random.randint(1, 2**30)
    session.execute(text("UPDATE library_state SET version = :v WHERE id = 1"), {"v": after})
    return before, after


def load(session: Session) -> VectorIndex:
    """Build the index from the database (one pass over the entries)."""
    index = VectorIndex(version=current_version(session))
    model = model_in_use()
    rows = session.execute(select(LibraryEntry).order_by(LibraryEntry.id).execution_options(yield_per=2000))
    for entry in rows.scalars():
        index.put(meta_of(entry), stored_vector(entry, model))
    return index


def get_index(session: Session) -> VectorIndex:
    """This database's index, reloaded if another process changed the library since."""
    key = _key(session)
    with _lock:
        index = _indexes.get(key)
        version = current_version(session)
        if index is None or (version != index.version and version not in index.history):
            index = load(session)
            _indexes[key] = index
        return index


def apply_change(
    session: Session, versions: tuple[int, int], change: Meta | int, vector: FloatArray | None
) -> None:
    """Apply this process's own change in place when the cached index was current before it."""
    key = _key(session)
    with _lock:
        index = _indexes.get(key)
        if index is None or index.version != versions[0]:
            _indexes.pop(key, None)
            return
        if isinstance(change, Meta):
            index.put(change, vector)
        else:
            index.remove(change)
        index.move_to(versions[1])


def advance(session: Session, index: VectorIndex, versions: tuple[int, int]) -> None:
    """The index already holds a change counted as versions[0] -> versions[1]."""
    with _lock:
        if index.version == versions[0]:
            index.move_to(versions[1])
        else:
            _indexes.pop(_key(session), None)


def forget(session: Session) -> None:
    """Drop the cached index of this database (after a rebuild)."""
    with _lock:
        _indexes.pop(_key(session), None)
