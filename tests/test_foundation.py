from __future__ import annotations

import pytest
from sqlalchemy import text

from spineconsult.settings import Settings
from spineconsult.store.db import make_engine


def test_default_database_is_a_sqlite_file_in_the_data_dir(tmp_path):
    settings = Settings(data_dir=tmp_path)
    assert settings.effective_database_url.startswith("sqlite:///")
    engine = make_engine(settings.effective_database_url)
    with engine.connect() as conn:
        assert conn.execute(text("select 1")).scalar() == 1
    assert (tmp_path / "spineconsult.sqlite3").exists()


def test_production_refuses_the_development_secret():
    with pytest.raises(ValueError, match="SECRET_KEY"):
        Settings(environment="production")
