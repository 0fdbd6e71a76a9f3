"""One typed settings object, read from SPINECONSULT_* environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

INSECURE_DEV_SECRET = "dev-only-not-a-secret-change-me"
LIBRARY_ADAPTER_FILE = "library-adapter.safetensors"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SPINECONSULT_", extra="ignore")

    environment: str = Field("development", description="development | test | production")
    data_dir: Path = Field(Path("./spineconsult-data"), description="database file and attachments")
    database_url: str | None = Field(None, description="SQLAlchemy URL; default a SQLite file in data_dir")
    secret_key: str = Field(INSECURE_DEV_SECRET, description="signs sessions and tokens")

    # consultation service
    service_level_hours: float = Field(4.0, gt=0, description="default answer time guaranteed to a case")
    plan_service_levels: dict[str, float] = Field(
        default_factory=lambda: {"standard": 4.0}, description="service level hours per plan name"
    )
    escalation_fraction: float = Field(
        0.75, gt=0, lt=1, description="share of the time after which operators hear"
    )
    max_body_bytes: int = Field(1024 * 1024, gt=0, description="largest request body other than an upload")
    max_attachment_bytes: int = Field(50 * 1024 * 1024, gt=0, description="largest accepted upload, per file")
    rereview_interval_days: int = Field(365, gt=0, description="published answers fall due for re-review")
    token_cache_seconds: float = Field(5.0, ge=0, description="per-process cache of verified tokens")
    token_lifetime_minutes: int = Field(60, gt=0, description="lifetime of an API bearer token")
    login_max_failures: int = Field(5, gt=0, description="failed logins allowed per e-mail within the window")
    login_window_seconds: int = Field(300, gt=0, description="window of the login rate limit")
    argon2_time_cost: int = Field(3, ge=1, description="argon2 passes per password hash")
    argon2_memory_kib: int = Field(65536, ge=8, description="argon2 memory per hash, KiB")
    argon2_parallelism: int = Field(1, ge=1, description="argon2 lanes per hash")
    worker_interval_seconds: float = Field(30.0, gt=0, description="how often the in-process worker runs")
    page_cache_seconds: float = Field(5.0, ge=0, description="seconds a published page is cached")
    public_base_url: str = Field("http://127.0.0.1:8000", description="links in e-mails")

    # de-identification
    deid_model: Path | None = Field(
        None, description="site-trained de-identification model (spineconsult deid train); unset: rules only"
    )

    # library
    library_adapter: Path | None = Field(
        None,
        description="adapter learned by `spineconsult library learn`; default: "
        "data_dir/library-adapter.safetensors when it exists, else the zero-shot model",
    )

    # e-mail (no SMTP host: messages stay in the outbox and are logged)
    smtp_host: str | None = Field(None, description="SMTP server; unset disables delivery")
    smtp_port: int = Field(25, gt=0, description="SMTP port")
    smtp_sender: str = Field("spineconsult@localhost", description="From: address of notifications")
    smtp_username: str | None = Field(None, description="SMTP login, if the server needs one")
    smtp_password: str | None = Field(None, description="SMTP password")
    smtp_starttls: bool = Field(False, description="upgrade the SMTP connection with STARTTLS")
    smtp_timeout_seconds: float = Field(10.0, gt=0, description="SMTP connection timeout")

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

    @property
    def effective_library_adapter(self) -> Path | None:
        """The adapter file the library's embedding model uses, or None (zero-shot)."""
        if self.library_adapter is not None:
            return self.library_adapter
        default = self.data_dir / LIBRARY_ADAPTER_FILE
        return default if default.is_file() else None

    @property
    def attachments_dir(self) -> Path:
        return self.data_dir / "attachments"

    def service_level_for(self, plan: str) -> float:
        """Hours guaranteed for a plan; unknown plans get the default service level."""
        return self.plan_service_levels.get(plan, self.service_level_hours)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
