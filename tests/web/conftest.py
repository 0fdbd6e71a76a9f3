"""Fixtures of the page tests: the real application over a fresh database, personas, a logged-in client."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from spineconsult.consult import accounts
from spineconsult.consult.context import ServiceContext, build_context
from spineconsult.consult.schemas import AccountIn
from spineconsult.settings import Settings
from spineconsult.web.app import create_app
from spineconsult.web.cli import migrate

from . import assessor

PASSWORD = "correct horse battery"
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class Persona:
    email: str
    role: str
    name: str
    specialty: str | None = None


PERSONAS = {
    "patient": Persona("patient@example.org", "patient", "Jane Roe"),
    "other": Persona("other@example.org", "patient", "Other Patient"),
    "specialist": Persona("surgeon@example.org", "specialist", "Dr. Ada Spine", "spine_surgery"),
    "reviewer": Persona("reviewer@example.org", "reviewer", "Dr. Rey Review"),
    "operator": Persona("operator@example.org", "operator", "Olga Operator"),
}


def settings_for(data_dir: Path, **overrides: object) -> Settings:
    """Cheap argon2 (tests log in often), a temporary data directory and SQLite file."""
    values: dict[str, object] = {
        "environment": "test",
        "data_dir": data_dir,
        "database_url": f"sqlite:///{data_dir / 'pages.sqlite3'}",
        "secret_key": "page-tests-secret",
        "argon2_time_cost": 1,
        "argon2_memory_kib": 8,
    }
    return Settings(**(values | overrides))  # type: ignore[arg-type]


def add_personas(ctx: ServiceContext) -> None:
    for p in PERSONAS.values():
        data = AccountIn(email=p.email, password=PASSWORD, name=p.name, role=p.role, specialty=p.specialty)  # type: ignore[arg-type]
        accounts.create_account(ctx, data)


@pytest.fixture
def page_ctx(tmp_path: Path, database_url: str) -> Iterator[ServiceContext]:
    """On SQLite, and on PostgreSQL too when SPINECONSULT_TEST_DATABASE_URL is set."""
    settings = settings_for(tmp_path, database_url=database_url)
    migrate(settings)
    ctx = build_context(settings)
    ctx.assessor = assessor.assess
    add_personas(ctx)
    yield ctx
    ctx.close()


@pytest.fixture
def client(page_ctx: ServiceContext) -> Iterator[TestClient]:
    app = create_app(page_ctx.settings, ctx=page_ctx)
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


def csrf_of(html: str) -> str:
    found = CSRF_INPUT.search(html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def log_in(client: TestClient, persona: str) -> str:
    """Log in through the login page; returns a fresh CSRF token of the new session."""
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login", data={"email": PERSONAS[persona].email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/ask").text)
