"""What every use case runs on, and who is acting."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from spineconsult.consult.actors import STAFF, Actor, Role
from spineconsult.consult.cache import TTLCache
from spineconsult.consult.notifications import Mailer, mailer_from_settings
from spineconsult.settings import Settings
from spineconsult.store.db import make_engine, make_session_factory, transaction


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

    write_lock: AbstractContextManager[Any] = field(default_factory=nullcontext)
    pages: TTLCache[Any] = field(default_factory=lambda: TTLCache(0))
    tokens: TTLCache[Any] = field(default_factory=lambda: TTLCache(0))

    def now(self) -> datetime:
        return self.clock()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A unit of work that changes data. On SQLite the writers of a process queue on a lock,
        so they wait in line instead of in SQLite's sleeping busy handler (one writer at a time anyway)."""
        with self.write_lock, transaction(self.sessions) as session:
            yield session

    def read(self) -> AbstractContextManager[Session]:
        """A unit of work that only reads."""
        return transaction(self.sessions)

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
        write_lock=threading.Lock() if engine.dialect.name == "sqlite" else nullcontext(),
        pages=TTLCache(settings.page_cache_seconds),
        tokens=TTLCache(settings.token_cache_seconds),
    )


__all__ = ["STAFF", "Actor", "Assessor", "Role", "ServiceContext", "build_context", "utc_now"]
