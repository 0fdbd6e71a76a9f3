"""The hand-checked migrations of the service's tables match its models exactly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Table

from spineconsult.store import models
from spineconsult.store.base import Base
from spineconsult.store.db import make_engine
from spineconsult.store.schema import upgrade_database

SERVICE_TABLES = {
    table.name
    for table in Base.metadata.sorted_tables
    if table.name
    in {m.__tablename__ for m in vars(models).values() if isinstance(m, type) and hasattr(m, "__tablename__")}
}


def _table_of(diff: object) -> str | None:
    first = diff[0] if isinstance(diff, list) else diff
    for part in first if isinstance(first, tuple) else ():
        if isinstance(part, Table):  # add_table / remove_table: the table itself (e.g. FTS5 shadow tables)
            return str(part.name)
        name = getattr(part, "name", None) if not isinstance(part, str) else None
        table = getattr(part, "table", None)
        if table is not None:
            return str(table.name)
        if name in SERVICE_TABLES:
            return str(name)
    return None


def test_migrations_create_exactly_the_models(database_url):
    engine = make_engine(database_url)
    upgrade_database(engine)
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    ours = [d for d in diffs if _table_of(d) in SERVICE_TABLES or _table_of(d) is None]
    assert not ours, ours
