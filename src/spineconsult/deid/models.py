"""Records of what de-identification found and did. They hold places and types, never removed values."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

PhiType = Literal[
    "NAME",
    "DATE",
    "AGE",
    "PHONE",
    "EMAIL",
    "URL",
    "ADDRESS",
    "LOCATION",
    "ORGANIZATION",
    "ID",
    "IP",
]
PolicyName = Literal["publication", "research"]


class Span(BaseModel):
    """One detected identifier: offsets into the INPUT text, its type and the rule that found it."""

    model_config = ConfigDict(frozen=True)

    start: int
    end: int
    type: PhiType
    rule: str


class DeidResult(BaseModel):
    """De-identified text plus the record of what was replaced (no original values)."""

    model_config = ConfigDict(frozen=True)

    text: str
    spans: list[Span]
    policy: PolicyName

    def counts(self) -> dict[str, int]:
        """Number of replaced spans per type, for reports."""
        out: dict[str, int] = {}
        for span in self.spans:
            out[span.type] = out.get(span.type, 0) + 1
        return out


class PdfReport(BaseModel):
    """What `deidentify_pdf` wrote: a new document, never the original."""

    source_name: str
    output: Path
    pages: int
    policy: PolicyName
    counts: dict[str, int]
    pages_without_text: list[int]


class DicomFileReport(BaseModel):
    """Outcome for one DICOM file: written de-identified, or held back with the reason."""

    source_name: str
    output: Path | None
    status: Literal["deidentified", "held_back", "error"]
    reason: str | None = None


class DicomReport(BaseModel):
    files: list[DicomFileReport]

    @property
    def written(self) -> int:
        return sum(1 for f in self.files if f.status == "deidentified")

    @property
    def held_back(self) -> int:
        return sum(1 for f in self.files if f.status == "held_back")

    @property
    def errors(self) -> int:
        return sum(1 for f in self.files if f.status == "error")
