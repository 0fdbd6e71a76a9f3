"""docs/api.md names every API route and docs/operations.md every service setting."""

from __future__ import annotations

import re
from pathlib import Path

from spineconsult.settings import Settings
from spineconsult.web.app import create_app

DOCS = Path(__file__).resolve().parents[2] / "docs"
SERVICE_SETTINGS = (
    "data_dir",
    "database_url",
    "secret_key",
    "environment",
    "service_level_hours",
    "plan_service_levels",
    "escalation_fraction",
    "max_attachment_bytes",
    "max_body_bytes",
    "rereview_interval_days",
    "token_lifetime_minutes",
    "token_cache_seconds",
    "page_cache_seconds",
    "login_max_failures",
    "login_window_seconds",
    "argon2_time_cost",
    "argon2_memory_kib",
    "argon2_parallelism",
    "worker_interval_seconds",
    "public_base_url",
    "smtp_host",
    "smtp_port",
    "smtp_sender",
    "smtp_username",
    "smtp_password",
    "smtp_starttls",
    "smtp_timeout_seconds",
)


def _normalise(route: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", route.split("?")[0])


def test_every_api_route_is_documented(tmp_path):
    documented = {
        (method, _normalise(path))
        for method, path in re.findall(
            r"`(GET|POST|PUT|PATCH|DELETE) (/[^`\s]*)", (DOCS / "api.md").read_text()
        )
    }
    app = create_app(Settings(data_dir=tmp_path))
    routes = {
        (method.upper(), _normalise(path)) for path, item in app.openapi()["paths"].items() for method in item
    }
    missing = sorted(routes - documented)
    assert not missing, f"undocumented routes: {missing}"


def test_every_service_setting_is_documented():
    text = (DOCS / "operations.md").read_text()
    assert set(SERVICE_SETTINGS) <= set(Settings.model_fields)
    missing = [name for name in SERVICE_SETTINGS if f"SPINECONSULT_{name.upper()}" not in text]
    assert not missing, f"undocumented settings: {missing}"
