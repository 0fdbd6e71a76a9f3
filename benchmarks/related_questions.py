"""Related questions on the Curai medical question pairs (McCreery et al. 2019).

    python benchmarks/related_questions.py --data ../shared/data/curai_mqp/mqp.csv

Imports every unique question into a fresh library (SQLite in a temporary folder) through
`spineconsult.library.index_entry`, embeds them, then:
1. retrieval: for each patient question (question_1), the rank of its doctor-written paraphrase
   among all other questions by `related()`'s ranking: recall@1, recall@5, MRR (a paraphrase outside
   the 50-entry shortlist counts as a miss); and how often the paraphrase scores above the look-alike
   with another intent;
2. pair classification (same intent or not), 5-fold cross-validation with folds grouped by
   question_1 (a question never sits in both a training and a test fold): the cosine alone at a
   threshold chosen on the training folds, and a gradient-boosting classifier over pair features,
   trained on the training folds only.
Both with the zero-shot model (the product's default). Then, unless --no-learn (and only with
PyTorch installed), the same figures for a site that has judged pairs (related_learned.py): per
fold an adapter is learned from the training folds (as `spineconsult library learn` does), every
vector is recomputed with it, and the test fold is measured; labelled "learned".
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import GroupKFold

from spineconsult.library import embed_pending, index_entry
from spineconsult.library.related import jaccard, pair_score, rank
from spineconsult.library.text import NEGATIONS, words
from spineconsult.library.vectors import VectorIndex, get_index
from spineconsult.store.db import make_engine, make_session_factory
from spineconsult.store.schema import upgrade_database

QUESTION_WORDS = (
    "how",
    "what",
    "why",
    "when",
    "which",
    "who",
    "where",
    "can",
    "could",
    "should",
    "is",
    "are",
    "do",
    "does",
    "will",
    "would",
)


@dataclass(frozen=True)
class Pair:
    q1: str
    q2: str
    same: int


def read_pairs(path: Path) -> list[Pair]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            Pair(r[1].strip(), r[2].strip(), int(r[3]))
            for r in csv.reader(handle)
            if len(r) >= 4 and r[3] in "01"
        ]


def build_library(questions: list[str], url: str) -> tuple[VectorIndex, dict[str, int]]:
    engine = make_engine(url)
    upgrade_database(engine)
    session = make_session_factory(engine)()
    now = datetime.now(UTC)
    started = time.perf_counter()
    for number, question in enumerate(questions):
        index_entry(session, slug=f"q{number}", title=question[:90], question=question, published_at=now)
    session.commit()
    print(f"indexed {len(questions)} questions in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    embed_pending(session)
    session.commit()
    print(f"embedded them in {time.perf_counter() - started:.1f} s")
    index = get_index(session)
    return index, {q: index.row_of_slug[f"q{n}"] for n, q in enumerate(questions)}


@dataclass
class Retrieval:
    ranks: list[int]
    above: int = 0
    contests: int = 0

    def report(self, label: str, size: int) -> None:
        r = np.array(self.ranks)
        print(f"{label}: retrieval over {size} questions, {len(r)} patient questions with a paraphrase:")
        print(f"  recall@1 {np.mean(r == 1):.3f}  recall@5 {np.mean(r <= 5):.3f}  MRR {np.mean(1.0 / r):.3f}")
        share = self.above / max(self.contests, 1)
        print(f"  paraphrase scores above the look-alike: {share:.3f} ({self.above}/{self.contests})")


def ranked(
    pairs: list[Pair], index: VectorIndex, row: dict[str, int], neighbours: dict[int, list[int]]
) -> Retrieval:
    """Each patient question's paraphrase rank by related()'s ranking (top 50 kept in `neighbours`)."""
    result = Retrieval([])
    lookalike = {p.q1: p.q2 for p in pairs if not p.same}
    for q1, q2 in ((p.q1, p.q2) for p in pairs if p.same):
        a = row[q1]
        neighbours[a] = [r for r, _ in rank(index, a, index.matrix[a], 50)]
        result.ranks.append(neighbours[a].index(row[q2]) + 1 if row[q2] in neighbours[a] else 10**9)
        if q1 in lookalike:
            result.contests += 1
            result.above += pair_score(index, a, row[q2]) > pair_score(index, a, row[lookalike[q1]])
    return result


def retrieval(pairs: list[Pair], index: VectorIndex, row: dict[str, int]) -> dict[int, list[int]]:
    """Print recall@1/5, MRR and paraphrase-above-look-alike; return each question's top-50 rows."""
    neighbours: dict[int, list[int]] = {}
    ranked(pairs, index, row, neighbours).report("zero-shot", index.size)
    return neighbours


def _position(neighbours: dict[int, list[int]], index: VectorIndex, a: int, b: int) -> float:
    if a not in neighbours:
        neighbours[a] = [r for r, _ in rank(index, a, index.matrix[a], 50)]
    return float(neighbours[a].index(b) + 1) if b in neighbours[a] else 60.0


def _first_question_word(text: str) -> str:
    return next((w for w in words(text) if w in QUESTION_WORDS), "")


def pair_features(
    pairs: list[Pair],
    index: VectorIndex,
    row: dict[str, int],
    neighbours: dict[int, list[int]],
    questions: list[str],
) -> np.ndarray:
    """One row of features per pair; nothing here looks at a label."""
    tfidf = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit(questions)
    matrix = index.matrix[: index.size]
    hub = np.array([np.sort(matrix[r] @ matrix.T)[-11:-1].mean() for r in range(index.size)])
    features = []
    for p in pairs:
        a, b = row[p.q1], row[p.q2]
        ma, mb = index.metas[a], index.metas[b]
        assert ma is not None and mb is not None
        cosine = float(matrix[a] @ matrix[b])
        chars = tfidf.transform([p.q1, p.q2])
        ca, cb = set(ma.concepts), set(mb.concepts)
        wa, wb = words(p.q1), words(p.q2)
        na, nb = sum(w in NEGATIONS for w in wa), sum(w in NEGATIONS for w in wb)
        digits_a, digits_b = {w for w in wa if w.isdigit()}, {w for w in wb if w.isdigit()}
        features.append(
            [
                cosine,
                2 * cosine - hub[a] - hub[b],
                pair_score(index, a, b),
                float((chars[0] @ chars[1].T).toarray()[0, 0]),
                jaccard(ma.stems, mb.stems),
                jaccard(frozenset(ca), frozenset(cb)),
                len(ca - cb),
                len(cb - ca),
                float((na > 0) != (nb > 0)),
                float(_first_question_word(p.q1) == _first_question_word(p.q2)),
                _position(neighbours, index, a, b),
                _position(neighbours, index, b, a),
                min(len(wa), len(wb)) / max(len(wa), len(wb), 1),
                jaccard(frozenset(digits_a), frozenset(digits_b)),
            ]
        )
    return np.array(features, dtype=np.float64)


def best_threshold(scores: np.ndarray, labels: np.ndarray) -> float:
    candidates = np.unique(scores)
    accuracy = [np.mean((scores >= t) == labels) for t in candidates]
    return float(candidates[int(np.argmax(accuracy))])


# Features 1 (hub-corrected cosine) and 10, 11 (rank of each question among the other's neighbours)
# depend on the rest of the library. On this data set they are very strong because each patient
# question's paraphrase and look-alike both sit in the library and compete for its nearest places;
# the "pair only" model leaves them out and shows what the two texts alone support.
NEIGHBOURHOOD_FEATURES = (1, 10, 11)


def cross_validated(features: np.ndarray, labels: np.ndarray, groups: np.ndarray) -> float:
    hits = 0
    for train, test in GroupKFold(n_splits=5).split(features, labels, groups):
        model = HistGradientBoostingClassifier(
            max_iter=200, learning_rate=0.05, max_leaf_nodes=15, random_state=0
        )
        model.fit(features[train], labels[train])
        hits += int(np.sum(model.predict(features[test]) == labels[test]))
    return hits / len(labels)


def classification(pairs: list[Pair], features: np.ndarray) -> None:
    labels = np.array([p.same for p in pairs])
    groups = np.array([p.q1 for p in pairs])
    cosine_hits = 0
    for train, test in GroupKFold(n_splits=5).split(features, labels, groups):
        threshold = best_threshold(features[train, 0], labels[train])
        cosine_hits += int(np.sum((features[test, 0] >= threshold) == labels[test]))
    n = len(pairs)
    pair_only = [i for i in range(features.shape[1]) if i not in NEIGHBOURHOOD_FEATURES]
    print(f"pair classification, 5-fold CV grouped by question_1 ({n} pairs):")
    print(f"  cosine alone, threshold chosen on the training folds: {cosine_hits / n:.3f}")
    optimistic = np.mean((features[:, 0] >= best_threshold(features[:, 0], labels)) == labels)
    print(f"  cosine alone, best threshold on all pairs (optimistic): {optimistic:.3f}")
    print(
        f"  gradient boosting, {len(pair_only)} pair-only features: "
        f"{cross_validated(features[:, pair_only], labels, groups):.3f}"
    )
    print(
        f"  gradient boosting, + {len(NEIGHBOURHOOD_FEATURES)} library-neighbourhood features: "
        f"{cross_validated(features, labels, groups):.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="curai_mqp/mqp.csv")
    parser.add_argument("--no-learn", action="store_true", help="zero-shot figures only")
    parser.add_argument("--epochs", type=int, default=4, help="adapter training passes")
    parser.add_argument("--threads", type=int, default=2, help="PyTorch threads for the learned part")
    args = parser.parse_args()
    pairs = read_pairs(args.data)
    questions = sorted({p.q1 for p in pairs} | {p.q2 for p in pairs})
    with tempfile.TemporaryDirectory() as folder:
        index, row = build_library(questions, f"sqlite:///{folder}/library.sqlite3")
        neighbours = retrieval(pairs, index, row)
        started = time.perf_counter()
        features = pair_features(pairs, index, row, neighbours, questions)
        classification(pairs, features)
        print(f"(features and cross-validation: {time.perf_counter() - started:.1f} s)")
        if not args.no_learn:
            learn(pairs, index, row, questions, features, args)


def learn(
    pairs: list[Pair],
    index: VectorIndex,
    row: dict[str, int],
    questions: list[str],
    features: np.ndarray,
    args: argparse.Namespace,
) -> None:
    """The learned figures: an adapter fitted per fold on judged pairs (needs PyTorch)."""
    try:
        import torch

        from spineconsult.library.finetune import TrainingSettings
    except ModuleNotFoundError:
        print("learned figures skipped: PyTorch is not installed (pip install 'spineconsult[learn]')")
        return
    import related_learned

    torch.set_num_threads(args.threads)
    settings = TrainingSettings(epochs=args.epochs)
    print(f"learned: {settings}")
    pair_only = [i for i in range(features.shape[1]) if i not in NEIGHBOURHOOD_FEATURES]
    related_learned.run(pairs, index, row, questions, features[:, pair_only], settings, ranked, Retrieval)


if __name__ == "__main__":
    main()
