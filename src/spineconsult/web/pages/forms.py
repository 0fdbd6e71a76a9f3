"""Browser forms → the use cases' input models, with one plain-language error per field.

A form never reaches a use case half-checked: either an input model comes out, or a dict of
{field name in the form: message} that the page shows next to each field.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData, UploadFile

from spineconsult.consult.schemas import AnswerIn, CaseSubmission, MessageIn, RegistrationIn, ReviewIn

Errors = dict[str, str]

PROCEDURES = (
    ("laminectomy", "Laminectomy"),
    ("hemilaminectomy", "Hemilaminectomy"),
    ("laminotomy", "Laminotomy"),
    ("microdiscectomy", "Microdiscectomy / discectomy"),
    ("endoscopic_discectomy", "Endoscopic discectomy"),
    ("foraminotomy", "Foraminotomy"),
    ("lumbar_fusion", "Lumbar fusion"),
    ("acdf", "Anterior cervical discectomy and fusion (ACDF)"),
    ("cervical_laminectomy", "Cervical laminectomy / laminoplasty"),
    ("disc_replacement", "Artificial disc replacement"),
    ("spinal_cord_stimulator", "Spinal cord stimulator implant"),
)
PROCEDURE_NAMES = dict(PROCEDURES)
LEVEL = re.compile(r"^(C[1-7]|T(?:[1-9]|1[0-2])|L[1-5]|S1)(?:[-/](C[1-7]|T(?:[1-9]|1[0-2])|L[1-5]|S1))?$")
SIDES = {"left", "right", "both", "midline"}

# Messages for the fields, in words a patient understands; pydantic's own text is the fallback.
MESSAGES = {
    "message": "Please tell us what is happening (up to 20,000 characters).",
    "age": "Enter an age between 0 and 120, or leave it empty.",
    "sex": "Choose one of the options.",
    "on_behalf_name": "Tell us the name of the person you are asking for (up to 200 characters).",
    "body": "Please write a message (up to 20,000 characters).",
}


@dataclass
class Parsed:
    """The result of reading a form: the model, or the errors, plus what to show again in the form."""

    values: dict[str, Any]
    model: Any = None
    errors: Errors = field(default_factory=dict)


def text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def checked(form: FormData, name: str) -> bool:
    return text(form, name) in {"yes", "on", "true", "1"}


def uploads(form: FormData, name: str = "attachments") -> list[UploadFile]:
    """Files actually chosen (a browser sends an empty part when none is)."""
    return [f for f in form.getlist(name) if isinstance(f, UploadFile) and f.filename]


def _field_of(loc: tuple[int | str, ...]) -> str:
    head = str(loc[0]) if loc else "form"
    if head == "procedures":
        inner = [str(part) for part in loc[1:] if not str(part).isdigit()]
        return {"name": "procedure", "date": "surgery_date"}.get(inner[0], inner[0]) if inner else "procedure"
    return {"on_behalf_of": "on_behalf_name"}.get(head, head)


def field_name(use_case_field: str) -> str:
    """The form field that a use case's field name (e.g. 'procedures.0.date') belongs to."""
    return _field_of(tuple(use_case_field.split(".")))


def model_errors(err: ValidationError) -> Errors:
    errors: Errors = {}
    for item in err.errors():
        name = _field_of(tuple(item["loc"]))
        errors.setdefault(name, MESSAGES.get(name, str(item["msg"])))
    return errors


def build(model: type[BaseModel], data: dict[str, Any], values: dict[str, Any], errors: Errors) -> Parsed:
    """Validate with the use case's own model; merge its errors with the ones found earlier."""
    try:
        built = model.model_validate(data)
    except ValidationError as err:
        return Parsed(values, errors=model_errors(err) | errors)
    return Parsed(values, errors=errors) if errors else Parsed(values, model=built)


# ---- intake ---------------------------------------------------------------------------------------

INTAKE_FIELDS = (
    "message",
    "procedure",
    "levels",
    "side",
    "surgery_date",
    "age",
    "sex",
    "on_behalf_name",
    "relationship",
)


def intake(form: FormData, today: dt.date) -> Parsed:
    values: dict[str, Any] = {name: text(form, name) for name in INTAKE_FIELDS}
    values |= {"for_someone_else": checked(form, "for_someone_else"), "consent": checked(form, "consent")}
    errors: Errors = {}
    data: dict[str, Any] = {"message": values["message"], "consent": True}
    data["age"] = _age(values["age"], errors)
    data["sex"] = values["sex"] or None
    procedure = _procedure(values, today, errors)
    data["procedures"] = [procedure] if procedure else []
    if values["for_someone_else"]:
        data |= _proxy(values, errors)
    return build(CaseSubmission, data, values, errors)


def _age(raw: str, errors: Errors) -> int | None:
    if not raw:
        return None
    if not raw.isdigit() or not 0 <= int(raw) <= 120:
        errors["age"] = MESSAGES["age"]
        return None
    return int(raw)


def _procedure(values: dict[str, Any], today: dt.date, errors: Errors) -> dict[str, Any] | None:
    name, levels, side = values["procedure"], _levels(values["levels"], errors), values["side"]
    when = _surgery_date(values["surgery_date"], today, errors)
    if name and name not in PROCEDURE_NAMES:
        errors["procedure"] = "Choose an operation from the list, or 'Not sure'."
    if side and side not in SIDES:
        errors["side"] = "Choose a side from the list, or 'Not sure'."
    if not (name or levels or side or when):
        return None
    # The label, not the key: the engine reads operation names as a person writes them.
    label = PROCEDURE_NAMES.get(name, "spine surgery")
    return {"name": label, "levels": levels, "side": side or None, "date": when}


def _levels(raw: str, errors: Errors) -> list[str]:
    parts = [p for p in re.split(r"[,\s;]+", raw.upper().replace("–", "-")) if p]
    bad = [p for p in parts if not LEVEL.match(p)]
    if bad:
        errors["levels"] = f"'{bad[0]}' is not a spine level; write levels like L4-L5 or C5-C6."
    return [p.replace("/", "-") for p in parts if LEVEL.match(p)]


def _surgery_date(raw: str, today: dt.date, errors: Errors) -> str | None:
    if not raw:
        return None
    try:
        when = dt.date.fromisoformat(raw)
    except ValueError:
        errors["surgery_date"] = "Enter the date as year-month-day, for example 2026-10-01."
        return None
    if when > today:
        errors["surgery_date"] = "The date of the operation cannot be in the future."
        return None
    return when.isoformat()


def _proxy(values: dict[str, Any], errors: Errors) -> dict[str, Any]:
    """A proxy names the person and how they relate, and confirms the person agreed."""
    if not values["on_behalf_name"]:
        errors["on_behalf_name"] = "Tell us the name of the person you are asking for."
    if not values["relationship"]:
        errors["relationship"] = "Tell us how you know them (friend, daughter, partner...)."
    elif len(values["relationship"]) > 60:
        errors["relationship"] = "Keep this short (up to 60 characters)."
    if not values["consent"]:
        errors["consent"] = "You can ask for someone else only if they agreed. Please confirm."
    # The name alone: publication removes it (and each of its words) from everything it publishes.
    return {"on_behalf_of": values["on_behalf_name"] or None, "consent": values["consent"]}


# ---- thread, answer, review ----------------------------------------------------------------------


def message(form: FormData, name: str = "body") -> Parsed:
    values = {name: text(form, name)}
    parsed = build(MessageIn, {"body": values[name]}, values, {})
    if "body" in parsed.errors and name != "body":
        parsed.errors[name] = parsed.errors.pop("body")
    return parsed


ANSWER_FIELDS = ("body", "probable_causes", "investigations", "differential_diagnosis", "treatment_plan")
ANSWER_MESSAGES = {
    "probable_causes": "Write the probable causes (use 'None' if there are none).",
    "investigations": "Write the investigations to be done (use 'None' if none are needed).",
    "differential_diagnosis": "Write the differential diagnosis.",
    "treatment_plan": "Write the treatment plan.",
}


def answer(form: FormData) -> Parsed:
    values = {name: text(form, name) for name in ANSWER_FIELDS}
    parsed = build(AnswerIn, dict(values), values, {})
    parsed.errors = {k: ANSWER_MESSAGES.get(k, v) for k, v in parsed.errors.items()}
    return parsed


def review(form: FormData) -> Parsed:
    values = {"decision": text(form, "decision"), "comment": text(form, "comment")}
    errors: Errors = {}
    if values["decision"] == "return" and not values["comment"]:
        errors["comment"] = "Say what the specialist should change."
    if values["decision"] not in {"approve", "return"}:
        errors["decision"] = "Choose approve or return."
    return build(ReviewIn, dict(values), values, errors)


REGISTRATION_MESSAGES = {
    "email": "Enter an e-mail address like name@example.org.",
    "password": "Choose a password of at least 8 characters.",
    "name": "Keep your name under 200 characters.",
}


def registration(form: FormData) -> Parsed:
    values = {"email": text(form, "email"), "name": text(form, "name")}
    data = values | {"password": str(form.get("password") or "")}
    parsed = build(RegistrationIn, data, values, {})
    parsed.errors = {k: REGISTRATION_MESSAGES.get(k, v) for k, v in parsed.errors.items()}
    return parsed
