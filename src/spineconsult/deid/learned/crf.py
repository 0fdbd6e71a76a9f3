"""A site-trained recogniser: a linear-chain CRF (CRFsuite) over token features.

Its spans are added to the rules' spans (a union), so it can only add detections. The model file is a
short header (format, feature version, how much it was trained on) followed by CRFsuite's own
model; it holds feature weights over public words, shapes, suffixes and gazetteer flags, never the notes.
"""

from __future__ import annotations

import bisect
import json
import re
import tempfile
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from spineconsult.deid.atomic import write_atomically
from spineconsult.deid.errors import DeidInputError
from spineconsult.deid.learned.corpus import LabelledText
from spineconsult.deid.learned.features import FEATURE_VERSION, ModelToken, model_tokens, sequence_features
from spineconsult.deid.models import PhiType, Span
from spineconsult.deid.recognizers.patterns import is_measure

MAGIC = b"SPINECONSULT-DEID-MODEL\n"
FORMAT = 1
OUTSIDE = "O"


@dataclass(frozen=True)
class TrainingReport:
    notes: int
    tokens: int
    phi_tokens: dict[str, int]
    path: Path


def token_labels(tokens: Sequence[ModelToken], spans: Iterable[tuple[int, int, PhiType]]) -> list[str]:
    """Each token's gold type: the type of the gold span it overlaps, else O."""
    labels = [OUTSIDE] * len(tokens)
    starts = [t.start for t in tokens]
    for start, end, kind in spans:
        for i in range(_first_at_or_after(starts, start, tokens), len(tokens)):
            if tokens[i].start >= end:
                break
            labels[i] = kind
    return labels


def _first_at_or_after(starts: list[int], pos: int, tokens: Sequence[ModelToken]) -> int:
    i = bisect.bisect_right(starts, pos) - 1
    return i if i >= 0 and tokens[i].end > pos else i + 1


def train(
    notes: Sequence[LabelledText],
    out: Path,
    *,
    max_iterations: int = 100,
    c1: float = 0.05,
    c2: float = 0.01,
) -> TrainingReport:
    """Train on annotated notes and write the model file to `out` (atomically)."""
    import pycrfsuite

    if not notes:
        raise DeidInputError("no annotated notes to train on")
    trainer = pycrfsuite.Trainer(verbose=False)
    counts: Counter[str] = Counter()
    for note in notes:
        tokens = model_tokens(note.text)
        if not tokens:
            continue
        labels = token_labels(tokens, note.spans)
        counts.update(labels)
        trainer.append(sequence_features(note.text, tokens), labels)
    if sum(n for label, n in counts.items() if label != OUTSIDE) == 0:
        raise DeidInputError("the training notes hold no annotated PHI span")
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": max_iterations})
    phi = {k: v for k, v in sorted(counts.items()) if k != OUTSIDE}
    header = {
        "format": FORMAT,
        "feature_version": FEATURE_VERSION,
        "notes": len(notes),
        "tokens": sum(counts.values()),
        "phi_tokens": phi,
    }
    with tempfile.TemporaryDirectory(prefix="deid-train-") as tmp:
        raw = Path(tmp) / "model.crfsuite"
        trainer.train(str(raw))
        content = MAGIC + json.dumps(header).encode() + b"\n" + raw.read_bytes()
    write_atomically(out, lambda p: _write_bytes(p, content))
    return TrainingReport(len(notes), sum(counts.values()), phi, out)


def _write_bytes(path: Path, content: bytes) -> None:
    path.write_bytes(content)


class SiteModel:
    """A loaded model; `find` tags one text. Safe to share across threads."""

    def __init__(self, body: bytes, header: dict[str, Any]) -> None:
        import pycrfsuite

        self.header = header
        self._body = body  # CRFsuite reads the model from this buffer: it must outlive the tagger
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open_inmemory(body)
        self._lock = threading.Lock()

    @classmethod
    def load(cls, path: Path) -> SiteModel:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise DeidInputError(f"{path}: cannot read the de-identification model ({exc.strerror})") from exc
        if not data.startswith(MAGIC):
            raise DeidInputError(f"{path}: not a spineconsult de-identification model")
        line, _, body = data[len(MAGIC) :].partition(b"\n")
        try:
            header = json.loads(line)
        except ValueError as exc:
            raise DeidInputError(f"{path}: damaged model header") from exc
        version = (header.get("format"), header.get("feature_version")) if isinstance(header, dict) else None
        if version != (FORMAT, FEATURE_VERSION):
            raise DeidInputError(f"{path}: made by another version; retrain with `spineconsult deid train`")
        try:
            return cls(body, header)
        except (ValueError, OSError) as exc:
            raise DeidInputError(f"{path}: damaged model ({exc})") from exc

    def find(self, text: str) -> list[Span]:
        tokens = model_tokens(text)
        if not tokens:
            return []
        features = sequence_features(text, tokens)
        with self._lock:
            labels = self._tagger.tag(features)
        return [s for s in _spans(tokens, labels) if _plausible(text, s)]


_NUMBER_PAIR = re.compile(r"(\d{1,4})\s?/\s?(\d{1,4})")


def _plausible(text: str, span: Span) -> bool:
    """The rules' knowledge of numbers checks the model's dates: a pair that cannot be a month and day
    (95/50), or that is a score, a setting or a fraction here (pain 3/10, CPAP 5/5, 1/2), is no date."""
    pair = _NUMBER_PAIR.fullmatch(text[span.start : span.end]) if span.type == "DATE" else None
    if pair is None:
        return True
    month, day = int(pair[1]), int(pair[2])
    return 1 <= month <= 12 and 1 <= day <= 31 and not is_measure(text, span.start, span.end)


def _spans(tokens: Sequence[ModelToken], labels: Sequence[str]) -> list[Span]:
    """Runs of consecutive tokens with the same type become one span."""
    out: list[Span] = []
    previous = OUTSIDE
    for tok, label in zip(tokens, labels, strict=True):
        if label != OUTSIDE and label == previous:
            out[-1] = Span(start=out[-1].start, end=tok.end, type=out[-1].type, rule="model:crf")
        elif label != OUTSIDE:
            out.append(Span(start=tok.start, end=tok.end, type=cast(PhiType, label), rule="model:crf"))
        previous = label
    return out


def configured_model() -> SiteModel | None:
    """The model named by the SPINECONSULT_DEID_MODEL setting, loaded once per file version; None if unset."""
    from spineconsult.settings import get_settings

    path = get_settings().deid_model
    if path is None:
        return None
    try:
        mtime = path.stat().st_mtime_ns
    except OSError as exc:
        raise DeidInputError(f"SPINECONSULT_DEID_MODEL: {path}: {exc.strerror}") from exc
    return load_cached(str(path), mtime)


@lru_cache(maxsize=4)
def load_cached(path: str, mtime_ns: int) -> SiteModel:
    del mtime_ns  # part of the cache key: a retrained file is loaded again
    return SiteModel.load(Path(path))
