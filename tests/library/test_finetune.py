"""Fine-tuning with PyTorch (the `learn` extra): skipped only where PyTorch is not installed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from spineconsult.cli import app
from spineconsult.library.adapter import load_adapter
from spineconsult.library.embeddings import Encoder, model_dir

from .test_learn import PAIRS

torch = pytest.importorskip("torch")

from spineconsult.library import finetune  # noqa: E402


def test_numpy_forward_with_the_merged_adapter_equals_torch(tmp_path: Path) -> None:
    torch.set_num_threads(1)
    settings = finetune.TrainingSettings(layers=1, rank=4, epochs=2, batch_size=4, learning_rate=1e-3)
    model, threshold = finetune.fit(model_dir(), PAIRS, settings)
    path = tmp_path / "adapter.safetensors"
    model.adapter(threshold, {}).save(path)
    adapter = load_adapter(path)
    assert adapter.factors and all(n.startswith("encoder.layer.5.") for n in adapter.factors)
    model.use(adapter)  # the float16 values the library merges
    texts = sorted({t for a, b, _ in PAIRS for t in (a, b)})
    in_torch = model.encode(texts)
    in_numpy = Encoder(model_dir(), adapter).encode(texts)
    assert np.abs(in_torch - in_numpy).max() < 1e-5
    zero_shot = Encoder(model_dir()).encode(texts)
    assert np.abs(in_numpy - zero_shot).max() > 1e-3  # training moved the vectors


def test_training_brings_judged_pairs_apart_and_together() -> None:
    torch.set_num_threads(1)
    settings = finetune.TrainingSettings(layers=1, rank=4, epochs=6, batch_size=6, learning_rate=2e-3)
    model = finetune.AdaptedEncoder(model_dir(), settings.layers, settings.rank)
    texts = sorted({t for a, b, _ in PAIRS for t in (a, b)})

    def margin() -> float:
        v = dict(zip(texts, model.encode(texts), strict=True))
        cos = np.array([v[a] @ v[b] for a, b, _ in PAIRS])
        labels = np.array([y for _, _, y in PAIRS])
        return float(cos[labels == 1].mean() - cos[labels == 0].mean())

    before = margin()
    finetune.train(model, finetune.examples_from_pairs(PAIRS), settings)
    assert margin() > before + 0.02


def test_learn_command_writes_an_adapter(tmp_path: Path) -> None:
    path = tmp_path / "pairs.csv"
    rows = ["question_1,question_2,label"] + [f'"{a}","{b}",{y}' for a, b, y in PAIRS * 2]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "adapter.safetensors"
    result = CliRunner().invoke(app, ["library", "learn", str(path), "--out", str(out), "--epochs", "1"])
    assert result.exit_code == 0, result.output
    assert "held out" in result.output and "recall@1" in result.output
    assert load_adapter(out).threshold is not None
