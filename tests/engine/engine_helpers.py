"""Helpers for the engine tests (imported by the test modules of this folder)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from spineconsult.engine import assess
from spineconsult.engine.models import Assessment

HERE = Path(__file__).parent
ASKED_ON = "2026-11-22"


def run(message: str, **facts: Any) -> Assessment:
    return assess({"message": message, "asked_on": ASKED_ON, **facts})


def statuses(message: str, **facts: Any) -> dict[str, str]:
    return {
        f.id: f.status + (f"/{f.qualifier}" if f.qualifier else "") for f in run(message, **facts).findings
    }


def load_vignettes(path: Path) -> list[dict[str, Any]]:
    return list(yaml.safe_load(path.read_text(encoding="utf-8")))
