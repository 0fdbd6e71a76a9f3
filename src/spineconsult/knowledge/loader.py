"""Load and validate a knowledge pack; a broken pack refuses to load, naming file, entry and key."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from spineconsult.knowledge.schema import (
    Condition,
    ContextRule,
    Evidence,
    Finding,
    FollowUp,
    Investigation,
    PackInfo,
    ProcedureTerm,
    RedFlag,
    Treatment,
)

PACKS_DIR = Path(__file__).parent / "packs"
DEFAULT_PACK = "spine_postop"
M = TypeVar("M", bound=BaseModel)
# libyaml's C parser when PyYAML has it: parsing the pack with the pure-Python parser took ~0.2-0.5 s of
# the cold start; both loaders are "safe" (no arbitrary Python objects).
_BASE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DuplicateKeyError(ValueError):
    pass


class SAFE_LOADER(_BASE_LOADER):  # type: ignore[misc]
    """YAML silently keeps the last of two equal keys; a pack must not (a second `near:` once hid the
    first)."""

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise DuplicateKeyError(f"key {key!r} appears twice (line {key_node.start_mark.line + 1})")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]


class PackError(ValueError):
    """A pack file is invalid. The message names the file, the entry and the key."""

    def __init__(self, file: str, entry: str, key: str, message: str) -> None:
        self.file, self.entry, self.key = file, entry, key
        super().__init__(f"{file}: entry {entry!r}: key {key!r}: {message}")


@dataclass(frozen=True, eq=False)  # identity hash: compiled matchers are cached per pack
class Pack:
    info: PackInfo
    findings: dict[str, Finding]
    conditions: dict[str, Condition]
    red_flags: dict[str, RedFlag]
    investigations: dict[str, Investigation]
    follow_up: dict[str, FollowUp]
    procedures: dict[str, ProcedureTerm]
    context: tuple[ContextRule, ...]
    treatments: dict[str, Treatment]
    evidence: dict[str, Evidence]


def _read_yaml(path: Path) -> Any:
    if not path.exists():
        raise PackError(path.name, "-", "-", "file is missing")
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        raise PackError(path.name, "-", "-", f"not valid YAML: {exc}".replace("\n", " ")) from exc
    except DuplicateKeyError as exc:
        raise PackError(path.name, "-", str(exc).split("'")[1], str(exc)) from None


def _entry_name(raw: Any, index: int) -> str:
    if isinstance(raw, dict):
        for key in ("id", "literal", "name"):
            if isinstance(raw.get(key), str):
                return str(raw[key])
    return f"#{index + 1}"


def _validate(model: type[M], raw: Any, file: str, entry: str) -> M:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(part) for part in first["loc"]) or "-"
        raise PackError(file, entry, key, first["msg"]) from None


def _load_list(path: Path, model: type[M]) -> list[M]:
    raw = _read_yaml(path)
    if not isinstance(raw, list):
        raise PackError(path.name, "-", "-", "expected a YAML list of entries")
    return [_validate(model, item, path.name, _entry_name(item, i)) for i, item in enumerate(raw)]


def _by_id(items: Iterable[Any], file: str) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for item in items:
        if item.id in result:
            raise PackError(file, item.id, "id", "duplicate id")
        result[item.id] = item
    return result


def _check_refs(file: str, entry: str, key: str, refs: Iterable[str], known: dict[str, Any]) -> None:
    for ref in refs:
        if ref not in known:
            raise PackError(file, entry, key, f"unknown id {ref!r}")


def _cross_check(pack: Pack) -> None:
    for finding in pack.findings.values():
        _check_refs("findings.yaml", finding.id, "superseded_by", finding.superseded_by, pack.findings)
    for c in pack.conditions.values():
        _check_refs("conditions.yaml", c.id, "findings", (w.id for w in c.findings), pack.findings)
    for f in pack.red_flags.values():
        _check_refs("red_flags.yaml", f.id, "when_any", (i for alt in f.when_any for i in alt), pack.findings)
    for inv in pack.investigations.values():
        _check_refs("investigations.yaml", inv.id, "for_conditions", inv.for_conditions, pack.conditions)
        _check_refs("investigations.yaml", inv.id, "for_red_flags", inv.for_red_flags, pack.red_flags)
    for fu in pack.follow_up.values():
        _check_refs("follow_up.yaml", fu.id, "for_conditions", fu.for_conditions, pack.conditions)
    for t in pack.treatments.values():
        _check_refs("treatments.yaml", t.id, "for", t.for_, pack.conditions)
        _check_refs("treatments.yaml", t.id, "evidence", t.evidence, pack.evidence)


def load_pack(directory: Path) -> Pack:
    """Read every file of the pack in `directory`, validate each entry and every cross-reference."""
    info = _validate(PackInfo, _read_yaml(directory / "pack.yaml"), "pack.yaml", "pack")
    pack = Pack(
        info=info,
        findings=_by_id(_load_list(directory / "findings.yaml", Finding), "findings.yaml"),
        conditions=_by_id(_load_list(directory / "conditions.yaml", Condition), "conditions.yaml"),
        red_flags=_by_id(_load_list(directory / "red_flags.yaml", RedFlag), "red_flags.yaml"),
        investigations=_by_id(
            _load_list(directory / "investigations.yaml", Investigation), "investigations.yaml"
        ),
        follow_up=_by_id(_load_list(directory / "follow_up.yaml", FollowUp), "follow_up.yaml"),
        procedures=_by_id(_load_list(directory / "procedures.yaml", ProcedureTerm), "procedures.yaml"),
        context=tuple(_load_list(directory / "context.yaml", ContextRule)),
        treatments=_by_id(_load_list(directory / "treatments.yaml", Treatment), "treatments.yaml"),
        evidence=_by_id(_load_list(directory / "evidence.yaml", Evidence), "evidence.yaml"),
    )
    _cross_check(pack)
    return pack


@lru_cache(maxsize=4)
def default_pack(name: str = DEFAULT_PACK) -> Pack:
    """The installed pack, loaded and validated once per process."""
    return load_pack(PACKS_DIR / name)
