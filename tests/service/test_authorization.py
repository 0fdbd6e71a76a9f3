"""Every endpoint for every persona: the right one gets 2xx, a wrong role 403, another's case 404,
no token 401. The case belongs to OWNER (Alice, a patient; or Bob, a proxy asking for a friend);
the other two patients are strangers to it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from spineconsult.store.db import transaction
from spineconsult.store.models import Attachment, Publication

from .helpers import ANSWER, MESSAGE, PNG, case_in_state

PATIENTS = ("patient", "proxy", "other_patient")
STAFF = ("specialist", "reviewer", "operator")
ALL = (*PATIENTS, *STAFF, "anonymous")


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str  # {case} {attachment} {slug} are filled in
    state: str | None  # state of the owner's case, or None when no case is involved
    owner: int  # status for the case's owner
    stranger: int  # status for the other patients
    staff: dict[str, int]
    anonymous: int = 401
    json: dict[str, object] | None = None
    upload: bool = False


def staff(specialist: int, reviewer: int, operator: int) -> dict[str, int]:
    return {"specialist": specialist, "reviewer": reviewer, "operator": operator}


ENDPOINTS = [
    Endpoint("me", "GET", "/api/v1/auth/me", None, 200, 200, staff(200, 200, 200)),
    Endpoint(
        "submit",
        "POST",
        "/api/v1/cases",
        None,
        201,
        201,
        staff(403, 403, 403),
        json={"message": MESSAGE, "consent": True},
    ),
    Endpoint("own cases", "GET", "/api/v1/cases", None, 200, 200, staff(200, 200, 200)),
    Endpoint("read case", "GET", "/api/v1/cases/{case}", "waiting", 200, 404, staff(200, 200, 200)),
    Endpoint(
        "message",
        "POST",
        "/api/v1/cases/{case}/messages",
        "claimed",
        201,
        404,
        staff(201, 403, 403),
        json={"body": "More detail: it is worse after standing."},
    ),
    Endpoint(
        "request info",
        "POST",
        "/api/v1/cases/{case}/request-info",
        "claimed",
        403,
        403,
        staff(201, 403, 403),
        json={"body": "Please upload the operative record."},
    ),
    Endpoint("claim", "POST", "/api/v1/cases/{case}/claim", "waiting", 403, 403, staff(200, 403, 403)),
    Endpoint("draft", "GET", "/api/v1/cases/{case}/draft", "claimed", 403, 403, staff(200, 403, 403)),
    Endpoint(
        "answer",
        "POST",
        "/api/v1/cases/{case}/answer",
        "claimed",
        403,
        403,
        staff(201, 403, 403),
        json=ANSWER.model_dump(),
    ),
    Endpoint(
        "review",
        "POST",
        "/api/v1/cases/{case}/review",
        "in_review",
        403,
        403,
        staff(403, 201, 403),
        json={"decision": "return", "comment": "Add the timing of the MRI."},
    ),
    Endpoint(
        "upload",
        "POST",
        "/api/v1/cases/{case}/attachments",
        "waiting",
        201,
        404,
        staff(403, 403, 403),
        upload=True,
    ),
    Endpoint(
        "download",
        "GET",
        "/api/v1/cases/{case}/attachments/{attachment}",
        "with_attachment",
        200,
        404,
        staff(200, 200, 200),
    ),
    Endpoint("queue", "GET", "/api/v1/queue", None, 403, 403, staff(200, 403, 200)),
    Endpoint("breaches", "GET", "/api/v1/breaches", None, 403, 403, staff(403, 403, 200)),
    Endpoint("audit", "GET", "/api/v1/audit", None, 403, 403, staff(403, 403, 200)),
    Endpoint("accounts", "GET", "/api/v1/accounts", None, 403, 403, staff(403, 403, 200)),
    Endpoint(
        "add account",
        "POST",
        "/api/v1/accounts",
        None,
        403,
        403,
        staff(403, 403, 201),
        json={"email": "new-{persona}@example.org", "password": "long enough pw", "role": "reviewer"},
    ),
    Endpoint("reviews", "GET", "/api/v1/reviews", None, 403, 403, staff(403, 200, 200)),
    Endpoint(
        "library", "GET", "/api/v1/library?q=numbness", None, 200, 200, staff(200, 200, 200), anonymous=200
    ),
    Endpoint(
        "library item", "GET", "/api/v1/library/{slug}", None, 200, 200, staff(200, 200, 200), anonymous=200
    ),
    Endpoint(
        "vote",
        "POST",
        "/api/v1/library/{slug}/vote",
        None,
        200,
        200,
        staff(200, 200, 200),
        anonymous=200,
        json={"helpful": True},
    ),
    Endpoint(
        "re-review",
        "POST",
        "/api/v1/library/{slug}/rereview",
        None,
        403,
        403,
        staff(403, 201, 403),
        json={"decision": "approve"},
    ),
]


def expected(endpoint: Endpoint, persona: str, owner: str) -> int:
    if persona == "anonymous":
        return endpoint.anonymous
    if persona in PATIENTS:
        return endpoint.owner if persona == owner else endpoint.stranger
    return endpoint.staff[persona]


def _attachment_of(ctx, case_id: str) -> int:
    with transaction(ctx.sessions) as session:
        return session.scalar(select(Attachment.id).where(Attachment.case_id == case_id))


def _published_slug(ctx) -> str:
    case_in_state(ctx, "alice@example.org", "published")
    with transaction(ctx.sessions) as session:
        return session.scalar(select(Publication.slug))


def _call(client, ctx, endpoint: Endpoint, persona, owner_email: str, slug: str):
    case_id = case_in_state(ctx, owner_email, endpoint.state) if endpoint.state else ""
    attachment = _attachment_of(ctx, case_id) if endpoint.state == "with_attachment" else ""
    path = endpoint.path.format(case=case_id, attachment=attachment, slug=slug)
    kwargs: dict[str, object] = {"headers": persona.headers}
    if endpoint.json is not None:
        kwargs["json"] = {
            k: (v.format(persona=persona.role) if isinstance(v, str) else v) for k, v in endpoint.json.items()
        }
    if endpoint.upload:
        kwargs["files"] = {"file": ("scan.png", PNG, "image/png")}
    return client.request(endpoint.method, path, **kwargs)


@pytest.mark.parametrize("owner", ["patient", "proxy"])
def test_authorization_matrix(client, ctx, personas, owner):
    slug = _published_slug(ctx)
    owner_email = personas[owner].email
    wrong = []
    for endpoint in ENDPOINTS:
        for name in ALL:
            response = _call(client, ctx, endpoint, personas[name], owner_email, slug)
            want = expected(endpoint, name, owner)
            if response.status_code != want:
                wrong.append(
                    f"{endpoint.name} as {name}: {response.status_code} (want {want}) {response.text[:120]}"
                )
    assert not wrong, "\n".join(wrong)
