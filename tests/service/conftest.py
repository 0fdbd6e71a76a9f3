"""Fixtures of the service tests: a migrated database, the app, and named personas with tokens."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from spineconsult.consult import accounts
from spineconsult.consult.context import ServiceContext, build_context
from spineconsult.consult.schemas import AccountIn
from spineconsult.settings import Settings
from spineconsult.store.db import make_engine
from spineconsult.store.schema import upgrade_database
from spineconsult.web.app import create_app

PASSWORD = "correct horse battery"


def make_settings(tmp_path: Path, database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "environment": "test",
        "data_dir": tmp_path / "data",
        "database_url": database_url,
        "argon2_time_cost": 1,
        "argon2_memory_kib": 64,
        "argon2_parallelism": 1,
        "max_attachment_bytes": 64 * 1024,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return make_settings(tmp_path, database_url)


@pytest.fixture
def ctx(settings: Settings) -> Iterator[ServiceContext]:
    engine = make_engine(settings.effective_database_url)
    upgrade_database(engine)
    engine.dispose()
    context = build_context(settings)
    yield context
    context.close()


@pytest.fixture
def client(settings: Settings, ctx: ServiceContext) -> Iterator[TestClient]:
    with TestClient(create_app(settings, ctx=ctx)) as test_client:
        yield test_client


@dataclass
class Persona:
    name: str
    email: str
    role: str
    token: str | None

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}


PERSONAS = {
    "patient": ("Alice Patient", "alice@example.org", "patient", None, "+1 555 0100"),
    "proxy": ("Bob Proxy", "bob@example.org", "patient", None, None),
    "other_patient": ("Charlie Other", "charlie@example.org", "patient", None, None),
    "specialist": ("Dr. Sara Surgeon", "sara@example.org", "specialist", "spine_surgery", None),
    "pain_specialist": ("Dr. Paul Pain", "paul@example.org", "specialist", "pain_medicine", None),
    "reviewer": ("Dr. Rita Reviewer", "rita@example.org", "reviewer", None, None),
    "operator": ("Otto Operator", "otto@example.org", "operator", None, None),
}


@pytest.fixture
def personas(ctx: ServiceContext) -> dict[str, Persona]:
    """Alice (patient), Bob (proxy for a friend), Charlie (another patient), staff, anonymous."""
    found = {"anonymous": Persona("Anonymous", "", "anonymous", None)}
    for key, (name, email, role, specialty, phone) in PERSONAS.items():
        data = AccountIn(
            email=email, password=PASSWORD, name=name, role=role, specialty=specialty, phone=phone
        )
        accounts.create_account(ctx, data)
        token = accounts.login(ctx, email, PASSWORD).access_token
        found[key] = Persona(name, email, role, token)
    return found
