"""`spineconsult library learn PAIRS`: teach the library's embedding model a site's judged pairs.

Input: question pairs judged by the site's specialists or reviewers, CSV with a header
(question_1, question_2, label) or JSON Lines ({"question_1", "question_2", "label"}), label 1 for
"same question / related", 0 for "not the same". A bad line is reported with its number and skipped.

A fifth of the first questions (with all their pairs) is held out: the adapter is trained on the
rest (finetune.py, needs PyTorch: the `learn` extra). On the held-out pairs we then choose how much
of the learned update to keep (W + s BA, s in 0, 0.25, ..., 1: a full-strength adapter can sharpen
"same or not" while ranking a whole library worse), by held-out recall@1 plus accuracy, and the
cosine threshold for "same"; the held-out accuracy of the zero-shot and the kept model is reported.
The adapter (low-rank factors, float16, a few hundred KB) is written where the library reads it;
every process that starts afterwards embeds with it and recomputes the stored vectors.
"""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from spineconsult.library.adapter import Adapter

MIN_PAIRS = 20
MAX_TEXT = 2000
HELD_OUT_SHARE = 0.2

JudgedPair = tuple[str, str, int]


class LearnError(ValueError):
    """Input that cannot be learned from; str() is one line."""


@dataclass
class PairsReport:
    pairs: list[JudgedPair] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def read_pairs(path: Path) -> PairsReport:
    """Judged pairs from a CSV (with a header) or JSON Lines file; bad lines are reported, not fatal."""
    try:
        raw = path.read_text(encoding="utf-8", errors="replace")
    except OSError as err:
        raise LearnError(f"{path}: {err.strerror or 'cannot be read'}") from None
    first = raw.lstrip()[:1]
    report = PairsReport()
    if first == "{":
        _read_jsonl(raw.splitlines(), report)
    else:
        _read_csv(raw, report)
    return report


def _read_jsonl(lines: Iterable[str], report: PairsReport) -> None:
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError:
            report.errors.append(f"line {number}: not JSON")
            continue
        if not isinstance(item, dict):
            report.errors.append(f"line {number}: not a JSON object")
            continue
        _add(report, number, item.get("question_1"), item.get("question_2"), item.get("label"))


def _read_csv(raw: str, report: PairsReport) -> None:
    reader = csv.reader(io.StringIO(raw))
    header = [h.strip().lower() for h in next(reader, [])]
    if not {"question_1", "question_2", "label"} <= set(header):
        report.errors.append("line 1: the header must name question_1, question_2 and label")
        return
    at = {name: header.index(name) for name in ("question_1", "question_2", "label")}
    for number, row in enumerate(reader, 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(header):
            report.errors.append(f"line {number}: {len(row)} fields, expected {len(header)}")
            continue
        _add(report, number, row[at["question_1"]], row[at["question_2"]], row[at["label"]])


def _add(report: PairsReport, number: int, first: object, second: object, label: object) -> None:
    if not isinstance(first, str) or not first.strip() or not isinstance(second, str) or not second.strip():
        report.errors.append(f"line {number}: question_1 and question_2 must be non-empty text")
        return
    value = _label(label)
    if value is None:
        report.errors.append(f"line {number}: label must be 1 (same) or 0 (not the same)")
        return
    report.pairs.append((first.strip()[:MAX_TEXT], second.strip()[:MAX_TEXT], value))


def _label(label: object) -> int | None:
    if isinstance(label, bool):
        return int(label)
    if isinstance(label, int) and label in (0, 1):
        return label
    if isinstance(label, str) and label.strip() in ("0", "1"):
        return int(label.strip())
    return None


def split_held_out(pairs: Sequence[JudgedPair], seed: int = 0) -> tuple[list[JudgedPair], list[JudgedPair]]:
    """(training, held out): a share of the first questions, all their pairs on one side."""
    firsts = sorted({p[0] for p in pairs})
    random.Random(seed).shuffle(firsts)
    held = set(firsts[: max(1, round(len(firsts) * HELD_OUT_SHARE))])
    return [p for p in pairs if p[0] not in held], [p for p in pairs if p[0] in held]


def best_threshold(cosines: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """(threshold, accuracy) maximising accuracy of `cosine >= threshold` (midpoints between values)."""
    values = np.unique(cosines)
    candidates = np.concatenate([[values[0] - 1e-6], (values[:-1] + values[1:]) / 2, [values[-1] + 1e-6]])
    accuracy = [float(np.mean((cosines >= t) == labels)) for t in candidates]
    best = int(np.argmax(accuracy))
    return float(candidates[best]), accuracy[best]


def pair_cosines(vectors: dict[str, np.ndarray], pairs: Sequence[JudgedPair]) -> np.ndarray:
    return np.array([float(vectors[a] @ vectors[b]) for a, b, _ in pairs])


@dataclass(frozen=True)
class LearnResult:
    adapter: Adapter
    trained_on: int
    held_out: int
    zero_shot_accuracy: float
    learned_accuracy: float
    zero_shot_recall: float  # held-out recall@1 among all judged texts
    learned_recall: float
    strength: float


STRENGTHS = (0.0, 0.25, 0.5, 0.75, 1.0)


def learn(pairs: Sequence[JudgedPair], *, epochs: int = 4, layers: int = 2, rank: int = 16) -> LearnResult:
    """Train an adapter on most pairs; on the held-out rest choose how much of it to keep and the
    "same" threshold."""
    from spineconsult.library import finetune
    from spineconsult.library.embeddings import model_dir

    if len(pairs) < MIN_PAIRS or len({p[2] for p in pairs}) < 2:
        raise LearnError(f"need at least {MIN_PAIRS} judged pairs, some same and some not")
    training, held_out = split_held_out(pairs)
    settings = finetune.TrainingSettings(epochs=epochs, layers=layers, rank=rank)
    model = finetune.AdaptedEncoder(model_dir(), layers, rank)
    finetune.train(model, finetune.examples_from_pairs(training), settings)
    trained = model.adapter(None, {})
    texts = sorted({t for a, b, _ in pairs for t in (a, b)})
    scores = []
    for strength in STRENGTHS:
        model.use(trained.scaled(strength))
        scores.append(held_out_score(dict(zip(texts, model.encode(texts), strict=True)), held_out))
    chosen = max(range(len(STRENGTHS)), key=lambda i: scores[i][0] + scores[i][1])
    threshold = scores[chosen][2]
    meta = {
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "pairs": str(len(training)),
        "held_out_pairs": str(len(held_out)),
        "held_out_accuracy": f"{scores[chosen][1]:.3f}",
        "zero_shot_held_out_accuracy": f"{scores[0][1]:.3f}",
        **{k: str(v) for k, v in vars(settings).items()},
    }
    adapter = trained.scaled(STRENGTHS[chosen])
    adapter = Adapter(adapter.factors, threshold, {**meta, **adapter.meta})
    return LearnResult(
        adapter,
        len(training),
        len(held_out),
        scores[0][1],
        scores[chosen][1],
        scores[0][0],
        scores[chosen][0],
        STRENGTHS[chosen],
    )


def held_out_score(
    vectors: dict[str, np.ndarray], held_out: Sequence[JudgedPair]
) -> tuple[float, float, float]:
    """(recall@1, accuracy, threshold): how often a held-out question's nearest text (among all texts
    judged) is one judged the same, and the pair accuracy at the best threshold."""
    texts = list(vectors)
    matrix = np.array([vectors[t] for t in texts])
    at = {t: i for i, t in enumerate(texts)}
    same: dict[str, set[str]] = {}
    for a, b, label in held_out:
        if label:
            same.setdefault(a, set()).add(b)
    hits = 0
    for a, alike in same.items():
        scores = matrix @ vectors[a]
        scores[at[a]] = -np.inf
        hits += texts[int(np.argmax(scores))] in alike
    labels = np.array([p[2] for p in held_out])
    threshold, accuracy = best_threshold(pair_cosines(vectors, held_out), labels)
    return hits / max(len(same), 1), accuracy, threshold
