"""The encoder's six layers as an ONNX graph, run by onnxruntime: the fast path for one query.

A query is ~10 tokens: each layer's four matrix products then have ~10 rows against 384 x 1,536
weights, a shape where OpenBLAS packs the weights on every call and reaches a fraction of the
core's speed. onnxruntime packs constant weights once, when the session is made: the 24 products
of a 9-token query take 3.1 ms instead of 6.7 ms (one thread, this machine).

The graph is built here from the weights already loaded by `embeddings.Encoder` (the `_Layer`
fields, after any change made to them at load), so nothing is exported and no PyTorch is needed.
It takes the embedded tokens of ONE sequence (n, 384) and returns the last hidden states (n, 384);
token embeddings, pooling and normalisation stay in numpy. Batches keep the numpy forward pass.
Outputs match it to ~1e-6 (different summation order; exact erf instead of a 1.5e-7 polynomial).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from spineconsult.library.embeddings import Matrix, _Layer

_NEEDED = ("onnx", "onnxruntime")


def available() -> bool:
    import importlib.util

    return all(importlib.util.find_spec(name) is not None for name in _NEEDED)


class OnnxLayers:
    """Runs the layers of one sequence; thread-safe (onnxruntime sessions are)."""

    def __init__(self, layers: Sequence[_Layer], heads: int, eps: float) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        # one thread, run in the caller's: a query's work is too small to share, and idle pool
        # threads would spin on cores that other requests need
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        model = _model(layers, heads, eps)
        self._session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])

    def __call__(self, hidden: Matrix) -> Matrix:
        out: Matrix = self._session.run(None, {"hidden": np.ascontiguousarray(hidden, dtype=np.float32)})[0]
        return out


class _Graph:
    """Collects nodes and constants while the layers are written out."""

    def __init__(self) -> None:
        self.nodes: list[Any] = []
        self.constants: list[Any] = []
        self._count = 0

    def const(self, value: Any, name: str | None = None) -> str:
        from onnx import numpy_helper

        name = name or self.fresh("c")
        self.constants.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def fresh(self, prefix: str) -> str:
        self._count += 1
        return f"{prefix}{self._count}"

    def op(self, kind: str, *inputs: str, **attributes: Any) -> str:
        from onnx import helper

        out = self.fresh(kind.lower())
        self.nodes.append(helper.make_node(kind, list(inputs), [out], **attributes))
        return out


def _model(layers: Sequence[_Layer], heads: int, eps: float) -> bytes:
    from onnx import TensorProto, helper

    graph = _Graph()
    width = int(layers[0].out_w.shape[0])
    shapes = {
        "qkv": graph.const(np.array([-1, 3, heads, width // heads], dtype=np.int64)),
        "flat": graph.const(np.array([-1, width], dtype=np.int64)),
        "scale": graph.const(np.float32(np.sqrt(width // heads))),
        "root2": graph.const(np.float32(np.sqrt(2.0))),
        "one": graph.const(np.float32(1.0)),
        "half": graph.const(np.float32(0.5)),
    }
    hidden = "hidden"
    for number, layer in enumerate(layers):
        hidden = _layer(graph, shapes, layer, hidden, number, eps)
    result = graph.op("Identity", hidden)
    declared = helper.make_graph(
        graph.nodes,
        "minilm_layers",
        [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["tokens", width])],
        [helper.make_tensor_value_info(result, TensorProto.FLOAT, ["tokens", width])],
        graph.constants,
    )
    model = helper.make_model(declared, opset_imports=[helper.make_opsetid("", 17)])
    serialized: bytes = model.SerializeToString()
    return serialized


def _layer(graph: _Graph, shapes: dict[str, str], layer: _Layer, x: str, number: int, eps: float) -> str:
    def weight(field: str) -> str:
        return graph.const(getattr(layer, field), f"layer{number}.{field}")

    qkv = graph.op("Add", graph.op("MatMul", x, weight("qkv_w")), weight("qkv_b"))
    # (n, 3*384) -> (3, heads, n, head)
    split = graph.op("Transpose", graph.op("Reshape", qkv, shapes["qkv"]), perm=[1, 2, 0, 3])
    q, k, v = (graph.op("Gather", split, graph.const(np.int64(i)), axis=0) for i in range(3))
    scores = graph.op("Div", graph.op("MatMul", q, graph.op("Transpose", k, perm=[0, 2, 1])), shapes["scale"])
    context = graph.op("MatMul", graph.op("Softmax", scores, axis=-1), v)
    context = graph.op("Reshape", graph.op("Transpose", context, perm=[1, 0, 2]), shapes["flat"])
    attended = graph.op(
        "Add", graph.op("Add", graph.op("MatMul", context, weight("out_w")), weight("out_b")), x
    )
    x = graph.op("LayerNormalization", attended, weight("ln1_w"), weight("ln1_b"), axis=-1, epsilon=eps)
    inner = graph.op("Add", graph.op("MatMul", x, weight("up_w")), weight("up_b"))
    # exact GELU: x * (1 + erf(x / sqrt 2)) / 2
    phi = graph.op(
        "Mul",
        graph.op("Add", graph.op("Erf", graph.op("Div", inner, shapes["root2"])), shapes["one"]),
        shapes["half"],
    )
    activated = graph.op("Mul", inner, phi)
    out = graph.op(
        "Add", graph.op("Add", graph.op("MatMul", activated, weight("down_w")), weight("down_b")), x
    )
    return graph.op("LayerNormalization", out, weight("ln2_w"), weight("ln2_b"), axis=-1, epsilon=eps)
