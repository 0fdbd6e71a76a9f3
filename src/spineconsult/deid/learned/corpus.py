"""Annotated notes a site trains its recogniser on.

Two formats, both with character offsets into the text:
- a PhysioNet-style folder: `NAME.text` files of records between `START_OF_RECORD=P||||N||||` and
  `||||END_OF_RECORD`, with the typed gold phrases in `NAME-phi.phrase` (`P N START END TYPE PHRASE`) or,
  untyped, in `NAME.deid` (a `Patient P Note N` line, then `START START END` lines);
- JSON Lines, one note a line: `{"text": "...", "spans": [{"start": 0, "end": 4, "type": "NAME"}]}`.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast, get_args

from spineconsult.deid.errors import DeidInputError
from spineconsult.deid.models import PhiType

PHI_TYPES = frozenset(get_args(PhiType))
_RECORD = re.compile(r"START_OF_RECORD=(\d+)\|\|\|\|(\d+)\|\|\|\|\n(.*?)\|\|\|\|END_OF_RECORD", re.S)
_DEID_HEADER = re.compile(r"Patient\s+(\d+)\s+Note\s+(\d+)")
# PhysioNet's categories as our types; bare years are not identifiers under Safe Harbor (None: not PHI)
PHYSIONET_TYPES: dict[str, PhiType | None] = {
    "PTName": "NAME",
    "PTNameInitial": "NAME",
    "HCPName": "NAME",
    "RelativeProxyName": "NAME",
    "Date": "DATE",
    "DateYear": None,
    "Phone": "PHONE",
    "Location": "LOCATION",
    "Age": "AGE",
    "Other": "ID",
}

GoldSpan = tuple[int, int, PhiType]


@dataclass
class LabelledText:
    key: str
    text: str
    spans: list[GoldSpan] = field(default_factory=list)
    group: str = ""  # notes of one patient share a group: cross-validation keeps them together


def read_training_data(path: Path) -> list[LabelledText]:
    """Every annotated note under `path` (a PhysioNet-style folder, a .jsonl file, or a folder of both)."""
    if path.is_file():
        return read_jsonl(path)
    if not path.is_dir():
        raise DeidInputError(f"{path}: no such file or folder")
    notes: list[LabelledText] = []
    for text_file in sorted(path.glob("*.text")):
        notes += read_physionet(text_file)
    for jsonl in sorted(path.glob("*.jsonl")):
        notes += read_jsonl(jsonl)
    if not notes:
        raise DeidInputError(f"{path}: no annotated notes (*.text with .deid or -phi.phrase, or *.jsonl)")
    return notes


def read_physionet(text_file: Path) -> list[LabelledText]:
    body = _read(text_file)
    records = {(int(p), int(n)): note for p, n, note in _RECORD.findall(body)}
    if not records:
        raise DeidInputError(f"{text_file}: no START_OF_RECORD=...||||END_OF_RECORD records")
    phrases = text_file.with_name(text_file.stem + "-phi.phrase")
    locations = text_file.with_suffix(".deid")
    if phrases.exists():
        gold = _typed_phrases(phrases)
    elif locations.exists():
        gold = _untyped_locations(locations, records)
    else:
        raise DeidInputError(f"{text_file}: neither {phrases.name} nor {locations.name} beside it")
    stem = text_file.stem
    return [
        LabelledText(f"{stem}:{p}-{n}", note, _checked(gold.get((p, n), []), note, text_file), f"{stem}:{p}")
        for (p, n), note in sorted(records.items())
    ]


def _typed_phrases(path: Path) -> dict[tuple[int, int], list[GoldSpan]]:
    gold: dict[tuple[int, int], list[GoldSpan]] = defaultdict(list)
    for lineno, line in enumerate(_read(path).splitlines(), 1):
        parts = line.split()
        if not parts:
            continue
        try:
            pid, nid, start, end = (int(x) for x in parts[:4])
            kind = parts[4]
        except (ValueError, IndexError) as exc:
            raise DeidInputError(f"{path}:{lineno}: expected 'P N START END TYPE PHRASE'") from exc
        if kind not in PHYSIONET_TYPES:
            raise DeidInputError(f"{path}:{lineno}: unknown PHI type {kind!r}")
        ours = PHYSIONET_TYPES[kind]
        if ours is not None:
            gold[(pid, nid)].append((start, end, ours))
    return gold


def _untyped_locations(
    path: Path, records: dict[tuple[int, int], str]
) -> dict[tuple[int, int], list[GoldSpan]]:
    """Locations without a type: a phrase with a digit is taken as a date, the rest as a name."""
    gold: dict[tuple[int, int], list[GoldSpan]] = defaultdict(list)
    key: tuple[int, int] | None = None
    for lineno, line in enumerate(_read(path).splitlines(), 1):
        header = _DEID_HEADER.match(line.strip())
        if header:
            key = (int(header[1]), int(header[2]))
            continue
        parts = line.split()
        if not parts:
            continue
        if key is None or len(parts) != 3 or not all(p.isdigit() for p in parts):
            raise DeidInputError(f"{path}:{lineno}: expected 'Patient P Note N' or 'START START END'")
        start, end = int(parts[1]), int(parts[2])
        phrase = records.get(key, "")[start:end]
        gold[key].append((start, end, "DATE" if any(c.isdigit() for c in phrase) else "NAME"))
    return gold


def read_jsonl(path: Path) -> list[LabelledText]:
    notes = []
    for lineno, line in enumerate(_read(path).splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DeidInputError(f"{where}: invalid JSON ({exc.msg})") from exc
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise DeidInputError(f"{where}: expected {{'text': str, 'spans': [...]}}")
        spans = [_json_span(s, where) for s in item.get("spans") or []]
        ident = item.get("id")
        key = f"{path.name}:{ident if ident is not None else lineno}"
        notes.append(LabelledText(key, item["text"], _checked(spans, item["text"], path), key))
    return notes


def _json_span(raw: object, where: str) -> GoldSpan:
    if not isinstance(raw, dict):
        raise DeidInputError(f"{where}: a span must be {{'start', 'end', 'type'}}")
    start, end, kind = raw.get("start"), raw.get("end"), raw.get("type")
    if not isinstance(start, int) or not isinstance(end, int):
        raise DeidInputError(f"{where}: span start and end must be integers")
    if kind not in PHI_TYPES:
        raise DeidInputError(f"{where}: span type {kind!r} is not one of {', '.join(sorted(PHI_TYPES))}")
    return (start, end, cast(PhiType, kind))


def _checked(spans: list[GoldSpan], text: str, source: Path) -> list[GoldSpan]:
    for start, end, _ in spans:
        if not 0 <= start < end <= len(text):
            raise DeidInputError(f"{source}: span {start}-{end} lies outside its note ({len(text)} chars)")
    return spans


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise DeidInputError(f"{path}: cannot read ({exc.strerror})") from exc
