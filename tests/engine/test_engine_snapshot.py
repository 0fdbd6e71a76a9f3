"""Freeze the assessment JSON contract for one case. Regenerate: SPINECONSULT_UPDATE_SNAPSHOTS=1 pytest."""

from __future__ import annotations

import json
import os

from engine_helpers import HERE

from spineconsult.engine import assess

SNAPSHOT = HERE / "snapshots" / "p05_cauda_equina.json"
CASE = {
    "message": "Nine days after my L4-L5 laminectomy I cannot empty my bladder and my bottom feels numb "
    "when I sit on the toilet. No fever.",
    "age": 61,
    "asked_on": "2026-11-22",
}


def test_assessment_json_matches_snapshot() -> None:
    produced = json.dumps(assess(CASE).model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
    if os.environ.get("SPINECONSULT_UPDATE_SNAPSHOTS") == "1" or not SNAPSHOT.exists():
        SNAPSHOT.write_text(produced, encoding="utf-8")
    assert produced == SNAPSHOT.read_text(encoding="utf-8")
