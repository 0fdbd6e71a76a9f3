"""One typed settings object, read from SPINECONSULT_* environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

INSECURE_DEV_SECRET = "dev-only-not-a-secret-change-me"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SPINECONSULT_", extra="ignore")

    environment: str = Field("development", description="development | test | production")
    data_dir: Path = Field(Path("./spineconsult-data"), description="database file and attachments")
    database_url: str | None = Field(None, description="SQLAlchemy URL; default a SQLite file in data_dir")
    secret_key: str = Field(INSECURE_DEV_SECRET, description="signs sessions and tokens")

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.environment == "production" and self.secret_key == INSECURE_DEV_SECRET:
            raise ValueError("SPINECONSULT_SECRET_KEY must be set in production")
        return self

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'spineconsult.sqlite3').resolve()}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
