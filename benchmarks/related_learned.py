"""The learned half of benchmarks/related_questions.py: a site that has judged pairs (simulated).

5-fold cross-validation grouped by question_1 (a patient question, its paraphrase and its look-alike
always in the same fold). In each fold the training folds are split again by question_1: 80% train
the adapter (`spineconsult.library.finetune`, the code behind `spineconsult library learn`), 20%
are a validation slice the adapter never saw, on which the "same" threshold and the pair classifier
are fitted. The test fold's texts are never seen in training; its questions are ranked among all
4,567 by `related()`'s ranking with every vector recomputed by the adapted model.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import GroupKFold

from spineconsult.library.related import pair_score
from spineconsult.library.vectors import VectorIndex

VALIDATION_SHARE = 0.2


def split_training(groups: np.ndarray, train: np.ndarray, fold: int) -> tuple[list[int], list[int]]:
    """(adapter rows, validation rows) of the training folds, split by question_1."""
    firsts = sorted(set(groups[train]))
    random.Random(fold).shuffle(firsts)
    held = set(firsts[: round(len(firsts) * VALIDATION_SHARE)])
    return [int(i) for i in train if groups[i] not in held], [int(i) for i in train if groups[i] in held]


def best_threshold(scores: np.ndarray, labels: np.ndarray) -> float:
    values = np.unique(scores)
    middles = np.concatenate([[values[0] - 1e-6], (values[:-1] + values[1:]) / 2])
    return float(middles[int(np.argmax([np.mean((scores >= t) == labels) for t in middles]))])


def learned_features(
    pairs: Sequence, index: VectorIndex, row: dict[str, int], base: np.ndarray
) -> np.ndarray:
    """Learned cosine and related() score of each pair, then the zero-shot pair-only features."""
    matrix = index.matrix
    extra = [
        [float(matrix[row[p.q1]] @ matrix[row[p.q2]]), pair_score(index, row[p.q1], row[p.q2])] for p in pairs
    ]
    return np.hstack([np.array(extra), base])


STRENGTHS = (0.0, 0.25, 0.5, 0.75, 1.0)


def choose_strength(model, pairs, validation, index, row, questions, ranked) -> float:
    """How much of the learned update to keep (W + s BA), chosen on the validation slice: recall@1 of
    its patient questions among all questions plus its pair accuracy at its best threshold. Leaves
    the model set to the chosen strength (float16 factors, as the library merges them)."""
    trained = model.adapter(None, {})
    rows = [row[q] for q in questions]
    labels = np.array([pairs[i].same for i in validation])
    best, best_score = 1.0, -1.0
    for strength in STRENGTHS:
        model.use(trained.scaled(strength))
        index.matrix[rows] = model.encode(questions)
        r = np.array(ranked([pairs[i] for i in validation], index, row, {}).ranks)
        cosines = np.array(
            [index.matrix[row[pairs[i].q1]] @ index.matrix[row[pairs[i].q2]] for i in validation]
        )
        accuracy = np.mean((cosines >= best_threshold(cosines, labels)) == labels)
        score = float(np.mean(r == 1) + accuracy)
        if score > best_score:
            best, best_score = strength, score
    model.use(trained.scaled(best))
    return best


def run(
    pairs: Sequence,
    index: VectorIndex,
    row: dict[str, int],
    questions: list[str],
    base_features: np.ndarray,
    settings: object,
    ranked,  # related_questions.ranked
    retrieval_type,  # related_questions.Retrieval
) -> None:
    from spineconsult.library import finetune
    from spineconsult.library.embeddings import model_dir

    labels = np.array([p.same for p in pairs])
    groups = np.array([p.q1 for p in pairs])
    saved = index.matrix.copy()
    total = retrieval_type([])
    cosine_hits = boosted_hits = 0
    rows = [row[q] for q in questions]
    cache: dict = {}  # frozen lower-layer states of every question, computed once for all folds
    started = time.perf_counter()
    for fold, (train, test) in enumerate(GroupKFold(n_splits=5).split(pairs, labels, groups)):
        fit_rows, validation = split_training(groups, train, fold)
        model, _ = finetune.fit(
            model_dir(), [(pairs[i].q1, pairs[i].q2, pairs[i].same) for i in fit_rows], settings, cache
        )
        strength = choose_strength(model, pairs, validation, index, row, questions, ranked)
        index.matrix[rows] = model.encode(questions)
        part = ranked([pairs[i] for i in test], index, row, {})
        total.ranks += part.ranks
        total.above += part.above
        total.contests += part.contests
        features = learned_features(pairs, index, row, base_features)
        threshold = best_threshold(features[validation, 0], labels[validation])
        cosine_hits += int(np.sum((features[test, 0] >= threshold) == labels[test]))
        model_gb = HistGradientBoostingClassifier(
            max_iter=200, learning_rate=0.05, max_leaf_nodes=15, random_state=0
        )
        model_gb.fit(features[validation], labels[validation])
        boosted_hits += int(np.sum(model_gb.predict(features[test]) == labels[test]))
        r = np.array(part.ranks)
        print(
            f"  fold {fold}: adapter on {len(fit_rows)} pairs, validation {len(validation)}, "
            f"test {len(test)}: "
            f"strength {strength:g}, recall@1 {np.mean(r == 1):.3f}, cosine accuracy "
            f"{np.mean((features[test, 0] >= threshold) == labels[test]):.3f} "
            f"({time.perf_counter() - started:.0f} s so far)",
            flush=True,
        )
    index.matrix[:] = saved
    total.report("learned (adapter per fold, test folds unseen)", index.size)
    n = len(pairs)
    print(f"learned pair classification, 5-fold CV grouped by question_1 ({n} pairs):")
    print(f"  learned cosine, threshold chosen on the validation slice: {cosine_hits / n:.3f}")
    print(
        "  gradient boosting on the validation slice (learned cosine and related score + "
        f"{base_features.shape[1]} zero-shot pair-only features): {boosted_hits / n:.3f}"
    )
