"""The engine's input and output contracts (PRODUCT.md: `spineconsult assess` input and `--json` output)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, StrictStr

Level = Literal["emergency", "urgent", "soon", "routine"]
Status = Literal["present", "absent", "possible"]
MAX_MESSAGE = 20000


class InputError(ValueError):
    """Bad input; str(err) is one line naming the field."""

    def __init__(self, field: str, message: str) -> None:
        self.field, self.message = field, message
        super().__init__(f"{field}: {message}")


# --- input -------------------------------------------------------------------------------------------
class ProcedureIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: StrictStr | None = None
    levels: list[StrictStr] = Field(default_factory=list)
    side: Literal["left", "right", "both", "midline"] | None = None
    date: dt.date | None = None
    weeks_ago: StrictFloat | StrictInt | None = Field(None, ge=0, le=5200)


class CaseIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    message: StrictStr = Field(min_length=1, max_length=MAX_MESSAGE)
    age: StrictInt | None = Field(None, ge=0, le=130)
    sex: Literal["female", "male", "other"] | None = None
    procedures: list[ProcedureIn] = Field(default_factory=list)
    asked_on: dt.date | None = None


# --- output ------------------------------------------------------------------------------------------
class Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PackRef(Out):
    name: str
    version: str


class RedFlagHit(Out):
    id: str
    name: str
    findings: list[str]
    level: Level
    certainty: Literal["present", "uncertain"] = "present"


class Triage(Out):
    level: Level
    advice: str
    red_flags: list[RedFlagHit]
    in_scope: bool = True
    watch_for: list[str] = Field(default_factory=list, description="red flags the patient only asked about")


class FindingOut(Out):
    id: str
    name: str
    status: Status
    text: str
    start: int
    end: int
    side: Literal["left", "right", "both"] | None = None
    qualifier: Literal["uncertain", "hypothetical"] | None = None


class ProcedureOut(Out):
    name: str
    family: str
    levels: list[str] = Field(default_factory=list)
    side: str | None = None
    source: Literal["input", "message"]


class Context(Out):
    procedures: list[ProcedureOut]
    weeks_since_surgery: float | None
    families: list[str]
    levels: list[str]
    age: int | None = None
    sex: str | None = None
    history: list[str] = Field(default_factory=list, description="finding ids mentioned as past only")


class DifferentialEntry(Out):
    condition: str
    name: str
    lay_name: str
    icd10: str
    score: float
    supporting: list[str]
    opposing: list[str]
    explanation: str


class InvestigationOut(Out):
    id: str
    name: str
    when: str
    why: str


class TreatmentOut(Out):
    # "for" is a Python keyword: stored as for_, always serialised as "for" (model_dump included).
    model_config = ConfigDict(extra="forbid", serialize_by_alias=True, validate_by_name=True)

    id: str
    name: str
    lay_name: str
    for_: list[str] = Field(alias="for")
    evidence: list[str]
    certainty: str
    note: str | None = None


class FollowUpOut(Out):
    after_days: int
    check: str
    escalate_if: str


class OutcomeOut(Out):
    measure: str
    timepoint: str | None
    value: str


class EvidenceOut(Out):
    id: str
    citation: str
    pmid: str | None
    doi: str | None
    design: str
    n: int | None
    certainty: str
    outcomes: list[OutcomeOut]


class Assessment(Out):
    pack: PackRef
    triage: Triage
    findings: list[FindingOut]
    context: Context
    differential: list[DifferentialEntry]
    investigations: list[InvestigationOut]
    treatment_options: list[TreatmentOut]
    follow_up: list[FollowUpOut]
    evidence: list[EvidenceOut]
