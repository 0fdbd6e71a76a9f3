from __future__ import annotations

from sqlalchemy import inspect

from spineconsult.store.db import make_engine
from spineconsult.store.schema import upgrade_database


def test_upgrade_runs_on_an_empty_database_and_is_idempotent(database_url):
    engine = make_engine(database_url)
    upgrade_database(engine)
    upgrade_database(engine)
    assert "alembic_version" in inspect(engine).get_table_names()
    engine.dispose()
