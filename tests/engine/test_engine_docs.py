"""docs/knowledge-pack.md names every pack file and every key of every pack schema model."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from spineconsult.knowledge import schema
from spineconsult.knowledge.loader import PACKS_DIR

DOC = (Path(__file__).resolve().parents[2] / "docs" / "knowledge-pack.md").read_text(encoding="utf-8")
MODELS: list[type[BaseModel]] = [
    schema.PackInfo,
    schema.Finding,
    schema.Near,
    schema.ContextRule,
    schema.ProcedureTerm,
    schema.Condition,
    schema.Priors,
    schema.FindingWeight,
    schema.RedFlag,
    schema.Investigation,
    schema.TimingRule,
    schema.FollowUp,
]


@pytest.mark.parametrize("file", sorted(p.name for p in (PACKS_DIR / "spine_postop").glob("*.yaml")))
def test_every_pack_file_is_documented(file: str) -> None:
    assert f"`{file}`" in DOC


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_key_is_documented(model: type[BaseModel]) -> None:
    for name, field in model.model_fields.items():
        key = field.alias or name
        assert f"{key}:" in DOC or f"`{key}`" in DOC, f"{model.__name__}.{key} is not documented"
