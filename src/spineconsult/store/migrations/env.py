"""Alembic environment: runs against the connection handed over by spineconsult.store.schema."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from spineconsult.store.base import Base
from spineconsult.store.registry import import_model_modules

import_model_modules()
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        from spineconsult.store.db import make_engine

        engine = make_engine(context.config.get_main_option("sqlalchemy.url") or "")
        with engine.begin() as conn:
            _run(conn)
        return
    _run(connection)


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
