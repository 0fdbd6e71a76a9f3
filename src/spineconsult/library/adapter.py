"""Adapters: what a site's judged question pairs taught the embedding model, as low-rank weight updates.

An adapter file (safetensors, float16) holds, for some linear maps of the encoder, two factors A (rank
x in) and B (out x rank); the weight used is W + B A. `spineconsult library learn` writes it (see
learn.py); the encoder merges it into the numpy weights when it loads (embeddings.py), so a query
costs exactly what it costs without one. Its metadata carries the format, the base model, the
cosine threshold learned for "same question / not" and how it was trained.

Every vector stored in the library records the fingerprint of the model that made it ("base" or
"base+adapter:<hash>"), so vectors made with another adapter are recomputed (see index.py).
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

FORMAT = "spineconsult-adapter/1"
BASE_MODEL = "all-MiniLM-L6-v2"
LINEAR_NAMES = (
    "attention.self.query",
    "attention.self.key",
    "attention.self.value",
    "attention.output.dense",
    "intermediate.dense",
    "output.dense",
)
MAX_RANK = 256

Weights = dict[str, npt.NDArray[np.float32]]


class AdapterError(ValueError):
    """An adapter file that cannot be used; str() is one line."""


@dataclass(frozen=True)
class Adapter:
    # weight name -> (A, B), float16, delta = B @ A (shape of the weight: out x in)
    factors: dict[str, tuple[npt.NDArray[np.float16], npt.NDArray[np.float16]]]
    threshold: float | None = None
    meta: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_factors(
        cls,
        factors: dict[str, tuple[npt.NDArray[np.floating], npt.NDArray[np.floating]]],
        *,
        threshold: float | None = None,
        meta: dict[str, str] | None = None,
    ) -> Adapter:
        halves = {k: (a.astype(np.float16), b.astype(np.float16)) for k, (a, b) in factors.items()}
        return cls(halves, threshold, dict(meta or {}))

    def scaled(self, strength: float) -> Adapter:
        """The same update times `strength` (0: the zero-shot model, 1: as trained); learn.py picks it."""
        factors = {
            k: (a, (b.astype(np.float32) * strength).astype(np.float16)) for k, (a, b) in self.factors.items()
        }
        meta = {**self.meta, "strength": f"{strength:g}"}
        return Adapter(factors, self.threshold, meta)

    def fingerprint(self) -> str:
        digest = hashlib.sha256()
        for name in sorted(self.factors):
            a, b = self.factors[name]
            digest.update(name.encode())
            digest.update(np.ascontiguousarray(a).tobytes())
            digest.update(np.ascontiguousarray(b).tobytes())
        return digest.hexdigest()[:16]

    def merge(self, weights: Weights) -> Weights:
        """The weights with every low-rank update added (a new dict; the input is not changed)."""
        merged = dict(weights)
        for name, (a, b) in self.factors.items():
            base = weights.get(name)
            if base is None or base.shape != (b.shape[0], a.shape[1]):
                raise AdapterError(f"adapter does not fit the model: {name}")
            merged[name] = (base + b.astype(np.float32) @ a.astype(np.float32)).astype(np.float32)
        return merged

    def save(self, path: Path) -> None:
        from safetensors.numpy import save_file

        tensors: dict[str, npt.NDArray[np.float16]] = {}
        for name, (a, b) in self.factors.items():
            tensors[f"{name}.lora_a"] = np.ascontiguousarray(a)
            tensors[f"{name}.lora_b"] = np.ascontiguousarray(b)
        header = {"format": FORMAT, "base_model": BASE_MODEL, "meta": json.dumps(self.meta, sort_keys=True)}
        if self.threshold is not None:
            header["threshold"] = repr(float(self.threshold))
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        save_file(tensors, str(temporary), metadata=header)
        temporary.replace(path)


def load_adapter(path: Path) -> Adapter:
    """Read an adapter file; AdapterError (one line) when it is missing or not one of ours."""
    from safetensors import safe_open

    if not path.is_file():
        raise AdapterError(f"{path}: no such adapter file")
    try:
        with safe_open(str(path), framework="numpy") as handle:
            header = handle.metadata() or {}
            tensors = {k: handle.get_tensor(k) for k in handle.keys()}  # noqa: SIM118
    except Exception as err:  # safetensors raises several kinds for a damaged file
        raise AdapterError(f"{path}: not an adapter file ({type(err).__name__})") from None
    if header.get("format") != FORMAT or header.get("base_model") != BASE_MODEL:
        raise AdapterError(f"{path}: not a {FORMAT} adapter for {BASE_MODEL}")
    return Adapter(_pairs(path, tensors), _threshold(path, header), _meta(header))


def _pairs(
    path: Path, tensors: dict[str, npt.NDArray[np.float16]]
) -> dict[str, tuple[npt.NDArray[np.float16], npt.NDArray[np.float16]]]:
    names = {k.rsplit(".", 1)[0] for k in tensors}
    factors = {}
    for name in sorted(names):
        a, b = tensors.get(f"{name}.lora_a"), tensors.get(f"{name}.lora_b")
        if a is None or b is None or a.ndim != 2 or b.ndim != 2 or a.shape[0] != b.shape[1]:
            raise AdapterError(f"{path}: bad factors for {name}")
        if a.shape[0] > MAX_RANK or not (np.isfinite(a).all() and np.isfinite(b).all()):
            raise AdapterError(f"{path}: bad factors for {name}")
        factors[name] = (a.astype(np.float16), b.astype(np.float16))
    return factors


def _threshold(path: Path, header: dict[str, str]) -> float | None:
    raw = header.get("threshold")
    if raw is None:
        return None
    try:
        return float(raw)
    except ValueError:
        raise AdapterError(f"{path}: bad threshold {raw!r}") from None


def _meta(header: dict[str, str]) -> dict[str, str]:
    try:
        meta = json.loads(header.get("meta", "{}"))
    except json.JSONDecodeError:
        return {}
    return {str(k): str(v) for k, v in meta.items()} if isinstance(meta, dict) else {}


def model_fingerprint(adapter: Adapter | None) -> str:
    """Names the model that makes the vectors: the base model, or the base model and an adapter."""
    return BASE_MODEL if adapter is None else f"{BASE_MODEL}+adapter:{adapter.fingerprint()}"


def configured_adapter() -> Adapter | None:
    """The adapter named by the settings, or None (zero-shot). A bad file is logged and not used, so a
    damaged adapter never takes search down; `spineconsult library learn` reports its errors."""
    from spineconsult.settings import get_settings

    path = get_settings().effective_library_adapter
    if path is None:
        return None
    try:
        return load_adapter(path)
    except AdapterError as err:
        logging.getLogger(__name__).error("library adapter not used: %s", err)
        return None
