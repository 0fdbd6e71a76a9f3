"""Engine test fixtures."""

from __future__ import annotations

from typing import Any

import pytest
from engine_helpers import HERE, load_vignettes


@pytest.fixture(scope="session")
def extra_vignettes() -> list[dict[str, Any]]:
    return load_vignettes(HERE / "vignettes_extra.yaml")
