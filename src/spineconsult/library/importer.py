"""Import existing Q&A from JSON Lines: one `{"id", "question", "answer"?, "title"?}` a line.

A bad line is reported with its number and skipped; every good line is imported.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from spineconsult.library.index import LibraryError, index_entry

TITLE_CHARS = 90


@dataclass
class ImportReport:
    imported: int = 0
    errors: list[str] = field(default_factory=list)  # "line N: message"


@dataclass(frozen=True)
class Item:
    slug: str
    question: str
    answer: str
    title: str


def default_title(question: str) -> str:
    """The question itself, cut at a word boundary."""
    flat = " ".join(question.split())
    if len(flat) <= TITLE_CHARS:
        return flat
    return flat[:TITLE_CHARS].rsplit(" ", 1)[0] + "…"


def _text_field(obj: dict[str, object], name: str, *, required: bool) -> str:
    value = obj.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise LibraryError(f"{name}: {'required, a non-empty string' if required else 'must be a string'}")
    return value


def parse_item(line: str) -> Item:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        raise LibraryError(f"invalid JSON ({err.msg})") from None
    if not isinstance(obj, dict):
        raise LibraryError("expected a JSON object")
    raw_id = obj.get("id")
    if isinstance(raw_id, bool) or not isinstance(raw_id, str | int) or not str(raw_id).strip():
        raise LibraryError("id: required, a string or an integer")
    question = _text_field(obj, "question", required=True)
    answer = _text_field(obj, "answer", required=False)
    title = _text_field(obj, "title", required=False).strip() or default_title(question)
    return Item(str(raw_id).strip()[:200], question, answer, title)


def import_lines(session: Session, lines: Iterable[str], *, batch: int = 1000) -> ImportReport:
    """Import every good line (committing every `batch` entries); report the bad ones."""
    report = ImportReport()
    now = datetime.now(UTC)
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = parse_item(line)
        except LibraryError as err:
            report.errors.append(f"line {number}: {err}")
            continue
        index_entry(
            session,
            slug=item.slug,
            title=item.title,
            question=item.question,
            answer=item.answer,
            published_at=now,
        )
        report.imported += 1
        if report.imported % batch == 0:
            session.commit()
    session.commit()
    return report
