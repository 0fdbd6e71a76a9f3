"""Adapters in numpy only: saving, loading, merging into the encoder, bad files, the stored-model check."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from spineconsult.library import embeddings
from spineconsult.library.adapter import (
    BASE_MODEL,
    Adapter,
    AdapterError,
    configured_adapter,
    load_adapter,
    model_fingerprint,
)
from spineconsult.library.embeddings import Encoder, model_dir
from spineconsult.settings import get_settings

TEXTS = ["pins and needles in my foot after surgery", "acid reflux at night"]


def small_adapter(seed: int = 0, rank: int = 2) -> Adapter:
    rng = np.random.default_rng(seed)
    factors = {}
    for name in ("encoder.layer.5.attention.self.query.weight", "encoder.layer.5.output.dense.weight"):
        out_dim, in_dim = (384, 384) if "query" in name else (384, 1536)
        factors[name] = (rng.normal(0, 0.05, (rank, in_dim)), rng.normal(0, 0.05, (out_dim, rank)))
    return Adapter.from_factors(factors, threshold=0.7, meta={"pairs": "2"})


def test_an_adapter_survives_a_round_trip_in_float16(tmp_path: Path) -> None:
    adapter = small_adapter()
    adapter.save(tmp_path / "a.safetensors")
    loaded = load_adapter(tmp_path / "a.safetensors")
    assert loaded.fingerprint() == adapter.fingerprint()
    assert loaded.threshold == pytest.approx(0.7)
    assert loaded.meta == {"pairs": "2"}
    assert all(a.dtype == np.float16 for a, _ in loaded.factors.values())


def test_merging_adds_the_low_rank_product_and_changes_the_vectors() -> None:
    adapter = small_adapter()
    weights = {"encoder.layer.5.attention.self.query.weight": np.zeros((384, 384), dtype=np.float32)}
    with pytest.raises(AdapterError):
        adapter.merge(weights)  # output.dense is missing from these weights
    base = Encoder(model_dir())
    adapted = Encoder(model_dir(), adapter)
    assert base.fingerprint == BASE_MODEL
    assert adapted.fingerprint == model_fingerprint(adapter) != BASE_MODEL
    before, after = base.encode(TEXTS), adapted.encode(TEXTS)
    assert np.allclose(np.linalg.norm(after, axis=1), 1.0, atol=1e-5)
    assert not np.allclose(before, after, atol=1e-3)
    a, b = adapter.factors["encoder.layer.5.attention.self.query.weight"]
    name = "encoder.layer.5.attention.self.query.weight"
    merged = adapter.merge({name: np.ones((384, 384), dtype=np.float32), **_output_dense()})
    assert np.allclose(merged[name], 1.0 + b.astype(np.float32) @ a.astype(np.float32))


def _output_dense() -> dict[str, np.ndarray]:
    return {"encoder.layer.5.output.dense.weight": np.zeros((384, 1536), dtype=np.float32)}


@pytest.mark.parametrize("content", [b"", b"not a safetensors file", b"\x08\x00\x00\x00\x00\x00\x00\x00{}"])
def test_a_damaged_file_is_a_one_line_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.safetensors"
    path.write_bytes(content)
    with pytest.raises(AdapterError, match=r"bad\.safetensors"):
        load_adapter(path)
    with pytest.raises(AdapterError, match="no such adapter"):
        load_adapter(tmp_path / "missing.safetensors")


def test_an_adapter_for_another_model_is_refused(tmp_path: Path) -> None:
    from safetensors.numpy import save_file

    path = tmp_path / "other.safetensors"
    save_file({"x.lora_a": np.zeros((2, 4), dtype=np.float16)}, str(path), metadata={"format": "other"})
    with pytest.raises(AdapterError, match="not a"):
        load_adapter(path)


def test_the_setting_picks_the_adapter_and_a_bad_one_falls_back_to_zero_shot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPINECONSULT_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        assert configured_adapter() is None  # no file in data_dir: zero-shot
        small_adapter().save(tmp_path / "library-adapter.safetensors")
        adapter = configured_adapter()
        assert adapter is not None and adapter.fingerprint() == small_adapter().fingerprint()
        monkeypatch.setenv("SPINECONSULT_LIBRARY_ADAPTER", str(tmp_path / "broken.safetensors"))
        get_settings.cache_clear()
        (tmp_path / "broken.safetensors").write_bytes(b"junk")
        assert configured_adapter() is None
    finally:
        get_settings.cache_clear()
        embeddings.reset_encoder()
