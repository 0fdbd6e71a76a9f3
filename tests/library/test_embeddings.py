"""The numpy forward pass reproduces all-MiniLM-L6-v2 (reference figures from the PyTorch model)."""

from __future__ import annotations

import numpy as np
import pytest

from spineconsult.library.embeddings import DIMENSION, embed

# First 8 dimensions of the normalised mean-pooled embedding, computed with transformers + PyTorch 2.13
REFERENCE = {
    "I have pins and needles in my left foot after a hemilaminectomy.": [
        0.01296,
        -0.03569,
        0.01663,
        0.0374,
        -0.02003,
        -0.04333,
        0.0306,
        0.00243,
    ],
    "Acid reflux at night": [0.07739, -0.05846, -0.04246, 0.0697, 0.02878, -0.06295, -0.01754, 0.03642],
}


def test_matches_the_reference_model_in_one_batch_of_different_lengths():
    texts = list(REFERENCE)
    vectors = embed(texts)
    assert vectors.shape == (2, DIMENSION)
    for text, vector in zip(texts, vectors, strict=True):
        assert vector[:8] == pytest.approx(REFERENCE[text], abs=2e-5)
        assert float(np.linalg.norm(vector)) == pytest.approx(1.0, abs=1e-5)


def test_odd_texts_embed_without_error():
    vectors = embed(["", "x" * 20000, "日本語 ☃", "!!!"])
    assert vectors.shape == (4, DIMENSION)
    assert np.all(np.isfinite(vectors))


def test_paraphrases_are_closer_than_unrelated_questions():
    a, b, c = embed(["pins and needles in my foot", "tingling in my foot", "acid reflux after dinner"])
    assert a @ b > a @ c + 0.2


def test_a_single_text_takes_the_onnx_layers_and_gives_the_same_vector():
    from spineconsult.library.embeddings import get_encoder

    texts = list(REFERENCE)
    batch = embed(texts)  # two texts: the numpy layers
    for text, expected in zip(texts, batch, strict=True):
        single = embed([text])[0]
        assert single[:8] == pytest.approx(REFERENCE[text], abs=2e-5)
        assert float(single @ expected) > 0.99999
    assert get_encoder()._single is not None


def test_without_onnxruntime_the_numpy_layers_serve_single_texts(monkeypatch):
    from spineconsult.library import embeddings, onnx_layers

    monkeypatch.setattr(onnx_layers, "available", lambda: False)
    encoder = embeddings.Encoder(embeddings.model_dir())
    text = "Acid reflux at night"
    assert encoder.encode([text])[0][:8] == pytest.approx(REFERENCE[text], abs=2e-5)
    assert encoder._single is None


def test_single_threaded_blas_is_counted_across_nested_and_concurrent_callers():
    import threading

    from threadpoolctl import threadpool_info

    from spineconsult.library.embeddings import single_threaded_blas

    def blas_threads() -> list[int]:
        return [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]

    before = blas_threads()
    inside, release = threading.Event(), threading.Event()

    def other_request() -> None:
        with single_threaded_blas():
            inside.set()
            release.wait(5)

    worker = threading.Thread(target=other_request)
    with single_threaded_blas():
        worker.start()
        inside.wait(5)
        with single_threaded_blas():
            assert set(blas_threads()) <= {1}
    assert set(blas_threads()) <= {1}  # the other request is still inside
    release.set()
    worker.join(5)
    assert blas_threads() == before
