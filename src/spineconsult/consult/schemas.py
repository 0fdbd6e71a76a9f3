"""Input and output models of the use cases (storage models live in store/models.py).

Inputs reject unknown keys and name the field when they refuse; outputs carry only what the reader
may see (a patient's case view has no `assessment`, only the triage level and advice).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
TriageLevel = Literal["emergency", "urgent", "soon", "routine"]
Side = Literal["left", "right", "both", "midline"]
SECTION_NAMES = ("probable_causes", "investigations", "differential_diagnosis", "treatment_plan")
SECTION_TITLES = {
    "probable_causes": "Probable causes",
    "investigations": "Investigations to be done",
    "differential_diagnosis": "Differential diagnosis",
    "treatment_plan": "Treatment plan",
}


class StrictInput(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        """NUL characters are refused here: PostgreSQL cannot store them in text."""
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(text, str) and "\x00" in text for text in texts):
            raise ValueError("must not contain NUL characters")
        return value


class ProcedureIn(StrictInput):
    name: str = Field(min_length=1, max_length=200)
    levels: list[str] = Field(default_factory=list, max_length=10)
    side: Side | None = None
    date: dt.date | None = None
    weeks_ago: float | None = Field(None, ge=0, le=5200)


class CaseSubmission(StrictInput):
    """What a patient (or a proxy, with consent) submits."""

    message: str = Field(min_length=1, max_length=20000)
    procedures: list[ProcedureIn] = Field(default_factory=list, max_length=20)
    age: int | None = Field(None, ge=0, le=120)
    sex: Literal["female", "male", "other"] | None = None
    on_behalf_of: str | None = Field(
        None, max_length=200, description="name of the person the case is about, when not the account holder"
    )
    consent: bool = Field(description="the person the case is about agrees to this consultation")
    medications: list[str] = Field(default_factory=list, max_length=50)
    prior_treatments: list[str] = Field(default_factory=list, max_length=50)
    specialty: str | None = Field(None, max_length=40, pattern=r"^[a-z_]+$")
    plan: str = Field("standard", max_length=40)

    @field_validator("message")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value


class MessageIn(StrictInput):
    body: str = Field(min_length=1, max_length=20000)


class AnswerIn(StrictInput):
    """A specialist's answer in the seed's four sections plus free text."""

    probable_causes: str = Field(min_length=1, max_length=10000)
    investigations: str = Field(min_length=1, max_length=10000)
    differential_diagnosis: str = Field(min_length=1, max_length=10000)
    treatment_plan: str = Field(min_length=1, max_length=10000)
    body: str = Field("", max_length=20000)

    def sections(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in SECTION_NAMES}


class ReviewIn(StrictInput):
    decision: Literal["approve", "return"]
    comment: str = Field("", max_length=10000)


class VoteIn(StrictInput):
    helpful: bool


class AccountIn(StrictInput):
    email: str = Field(max_length=320, pattern=EMAIL_PATTERN)
    password: str = Field(min_length=8, max_length=200)
    name: str = Field("", max_length=200)
    phone: str | None = Field(None, max_length=40)
    role: Literal["patient", "specialist", "reviewer", "operator"] = "patient"
    specialty: str | None = Field(None, max_length=40, pattern=r"^[a-z_]+$")


class RegistrationIn(StrictInput):
    """Self-registration: always a patient account."""

    email: str = Field(max_length=320, pattern=EMAIL_PATTERN)
    password: str = Field(min_length=8, max_length=200)
    name: str = Field("", max_length=200)
    phone: str | None = Field(None, max_length=40)


# ---- outputs -------------------------------------------------------------------------------------


class AccountOut(BaseModel):
    id: int
    email: str
    name: str
    role: str
    specialty: str | None = None


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int


class TriageOut(BaseModel):
    level: TriageLevel
    advice: str


class CaseCreated(BaseModel):
    id: str
    status: str
    triage: TriageOut
    due_at: dt.datetime


class ThreadEntry(BaseModel):
    id: int
    kind: Literal["question", "message", "request_info", "answer"]
    author_role: str
    author_name: str
    body: str
    sections: dict[str, str] | None = None
    created_at: dt.datetime


class AttachmentOut(BaseModel):
    id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    created_at: dt.datetime


class ReviewOut(BaseModel):
    id: int
    decision: str
    comment: str
    reviewer_name: str
    created_at: dt.datetime


class CaseSummary(BaseModel):
    id: str
    status: str
    triage_level: TriageLevel
    specialty: str
    submitted_at: dt.datetime
    due_at: dt.datetime
    excerpt: str
    claimed_by: str | None = None


class CaseDetail(BaseModel):
    """A case as its reader may see it; `assessment` is filled for staff only."""

    id: str
    status: str
    specialty: str
    plan: str
    message: str
    on_behalf_of: str | None
    age: int | None
    sex: str | None
    procedures: list[dict[str, Any]]
    history: dict[str, Any]
    triage: TriageOut
    submitted_at: dt.datetime
    due_at: dt.datetime
    claimed_by: str | None
    thread: list[ThreadEntry]
    attachments: list[AttachmentOut]
    reviews: list[ReviewOut] = Field(default_factory=list)
    assessment: dict[str, Any] | None = None
    publication_slug: str | None = None


class QueueItem(BaseModel):
    id: str
    triage_level: TriageLevel
    specialty: str
    status: str
    submitted_at: dt.datetime
    due_at: dt.datetime
    time_left_seconds: float
    excerpt: str
    claimed_by: str | None = None


class AnswerDraft(BaseModel):
    """The four sections prefilled from the engine's assessment, for the answer editor."""

    probable_causes: str
    investigations: str
    differential_diagnosis: str
    treatment_plan: str
    body: str = ""


class ServiceLevelEventOut(BaseModel):
    case_id: str
    kind: Literal["escalation", "breach"]
    recorded_at: dt.datetime
    due_at: dt.datetime
    specialty: str
    status: str


class WorkerReport(BaseModel):
    escalations: int = 0
    breaches: int = 0
    rereview_reminders: int = 0
    mails_sent: int = 0


class AuditEntry(BaseModel):
    id: int
    at: dt.datetime
    actor_id: int | None
    actor_email: str | None
    action: str
    case_id: str | None
    detail: dict[str, Any]


class PublishedThreadEntry(BaseModel):
    kind: str
    author: Literal["patient", "specialist"]
    body: str
    sections: dict[str, str] | None = None


class RelatedItem(BaseModel):
    slug: str
    title: str
    score: float = 0.0
    shared: list[str] = []  # what the two questions share, shown to explain the relation
    confirmed: bool = False  # a specialist or reviewer judged the pair related


class RelatedJudgmentIn(StrictInput):
    related: bool


class RelatedJudgmentOut(BaseModel):
    slug: str
    other: str
    related: bool
    judged_at: dt.datetime


class PublishedItem(BaseModel):
    slug: str
    title: str
    question: str
    thread: list[PublishedThreadEntry]
    answer_sections: dict[str, str]
    answered_by: str
    reviewed_by: str
    published_at: dt.datetime
    last_reviewed_at: dt.datetime
    rereview_due_at: dt.datetime
    helpful_yes: int
    helpful_no: int
    disclaimer: str
    attachments_note: str | None = None
    related: list[RelatedItem] = Field(default_factory=list)


class LibraryHit(BaseModel):
    slug: str
    title: str
    snippet: str
    published_at: dt.datetime
    score: float = 0.0


class LibraryPage(BaseModel):
    query: str
    items: list[LibraryHit]
    total: int


class VoteOut(BaseModel):
    helpful_yes: int
    helpful_no: int
