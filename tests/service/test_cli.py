"""The service's commands: users add, worker --once, and the demo data behind `make run`."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from spineconsult.cli import app
from spineconsult.consult import accounts, demo, reading, thread

runner = CliRunner()


@pytest.fixture
def env(monkeypatch, settings):
    monkeypatch.setenv("SPINECONSULT_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("SPINECONSULT_DATABASE_URL", settings.effective_database_url)
    monkeypatch.setenv("SPINECONSULT_ARGON2_MEMORY_KIB", "64")
    monkeypatch.setenv("SPINECONSULT_ARGON2_TIME_COST", "1")


def test_users_add_creates_an_account_that_can_sign_in(env, settings):
    args = [
        "users",
        "add",
        "--role",
        "specialist",
        "--email",
        "s@example.org",
        "--password",
        "long enough pw",
        "--specialty",
        "spine_surgery",
        "--name",
        "Dr. S",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "created specialist s@example.org" in result.output
    again = runner.invoke(app, args)
    assert again.exit_code == 1
    assert "exists already" in again.output


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["--role", "wizard", "--email", "w@example.org", "--password", "long enough pw"], "--role"),
        (["--role", "patient", "--email", "nope", "--password", "long enough pw"], "--email"),
        (["--role", "specialist", "--email", "x@example.org", "--password", "long enough pw"], "specialty"),
    ],
)
def test_users_add_refuses_bad_options_in_one_line(env, args, names):
    result = runner.invoke(app, ["users", "add", *args])
    assert result.exit_code == 1
    assert names in result.output
    assert "Traceback" not in result.output


def test_worker_once_reports_a_pass(env):
    result = runner.invoke(app, ["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert '"escalations":0' in result.output


def test_demo_seeds_accounts_cases_one_published_item_and_the_evidence_pages(ctx, shared_dir):
    logins = demo.seed_demo(ctx, vignettes=shared_dir / "vignettes" / "public.yaml")
    assert {login.role for login in logins} == {"patient", "specialist", "reviewer", "operator"}
    operator = accounts.authenticate(ctx, logins[-1].email, logins[-1].password)
    assert len(thread.list_cases(ctx, operator)) == 6
    slugs = [hit.slug for hit in reading.library_page(ctx, "", limit=100).items]
    pages = [s for s in slugs if s.startswith(("evidence-", "condition-"))]
    assert len(slugs) - len(pages) == 1 and len(pages) >= 10  # related questions have something to show


def test_demo_has_built_in_messages_without_the_shared_folder(tmp_path):
    assert demo.demo_messages(tmp_path / "missing.yaml") == list(demo.BUILT_IN_MESSAGES)
