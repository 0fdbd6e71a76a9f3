"""What every use case runs on, and who is acting."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from spineconsult.consult.actors import STAFF, Actor, Role
from spineconsult.consult.notifications import Mailer, mailer_from_settings
from spineconsult.settings import Settings
from spineconsult.store.db import make_engine, make_session_factory


def utc_now() -> datetime:
    return datetime.now(UTC)


Assessor = Callable[[dict[str, Any]], Any]


def engine_assessor(payload: dict[str, Any]) -> Any:
    """The real assessment engine (imported on first use: its pack loads once)."""
    from spineconsult.engine import assess

    return assess(payload)


@dataclass
class ServiceContext:
    """Settings, database sessions, mail, clock and engine: everything a use case needs."""

    settings: Settings
    sessions: sessionmaker[Session]
    engine: Engine
    mailer: Mailer
    clock: Callable[[], datetime] = utc_now
    assessor: Assessor = field(default=engine_assessor)

    def now(self) -> datetime:
        return self.clock()

    def close(self) -> None:
        self.engine.dispose()


def build_context(settings: Settings, *, clock: Callable[[], datetime] = utc_now) -> ServiceContext:
    """Open the database of the settings and wire mail; the schema must already be migrated."""
    engine = make_engine(settings.effective_database_url)
    return ServiceContext(
        settings=settings,
        sessions=make_session_factory(engine),
        engine=engine,
        mailer=mailer_from_settings(settings),
        clock=clock,
    )


__all__ = ["STAFF", "Actor", "Assessor", "Role", "ServiceContext", "build_context", "utc_now"]
