"""The in-memory vector index's selection of the best scores."""

from __future__ import annotations

import numpy as np
import pytest

from spineconsult.library.vectors import _largest


@pytest.mark.parametrize(
    ("size", "n", "masked"),
    [
        (1, 1, 0.0),
        (50, 50, 0.0),
        (100_000, 800, 0.0),
        (100_000, 800, 0.95),
        (100_000, 200, 0.999),
        (9_000, 3, 0.5),
    ],
)
def test_the_largest_scores_are_found_exactly(size, n, masked):
    rng = np.random.default_rng(size + n)
    scores = np.round(rng.standard_normal(size), 2).astype(np.float32)  # rounded: many ties
    scores[rng.random(size) < masked] = -np.inf  # rows left out by a filter
    picked = _largest(scores, n)
    assert len(set(picked.tolist())) == n
    assert np.array_equal(np.sort(scores[picked]), np.sort(scores)[size - n :])
