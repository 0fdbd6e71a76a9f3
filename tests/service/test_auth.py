from __future__ import annotations

from datetime import timedelta

from spineconsult.consult import accounts

from .conftest import PASSWORD


def test_password_flow_gives_a_bearer_token_that_identifies_the_account(client, personas):
    response = client.post("/api/v1/auth/token", data={"username": "alice@example.org", "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json()["email"] == "alice@example.org"
    assert me.json()["role"] == "patient"


def test_wrong_password_is_401_and_missing_token_is_401(client, personas):
    response = client.post("/api/v1/auth/token", data={"username": "alice@example.org", "password": "nope"})
    assert response.status_code == 401
    assert client.get("/api/v1/auth/me").status_code == 401
    assert client.get("/api/v1/auth/me", headers={"Authorization": "Bearer junk"}).status_code == 401


def test_login_attempts_are_rate_limited_per_email(client, personas, ctx):
    for _ in range(ctx.settings.login_max_failures):
        bad = client.post("/api/v1/auth/token", data={"username": "bob@example.org", "password": "wrong"})
        assert bad.status_code == 401
    blocked = client.post("/api/v1/auth/token", data={"username": "bob@example.org", "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Retry-After" in blocked.headers
    other = client.post("/api/v1/auth/token", data={"username": "alice@example.org", "password": PASSWORD})
    assert other.status_code == 200


def test_one_client_guessing_many_emails_is_limited_too(client, personas, ctx):
    tries = ctx.settings.login_max_failures * 5
    for number in range(tries):
        response = client.post(
            "/api/v1/auth/token", data={"username": f"guess{number}@example.org", "password": "x"}
        )
        assert response.status_code == 401
    blocked = client.post("/api/v1/auth/token", data={"username": "alice@example.org", "password": PASSWORD})
    assert blocked.status_code == 429


def test_tokens_expire(client, personas, ctx):
    token = accounts.login(ctx, "alice@example.org", PASSWORD).access_token
    later = ctx.now() + timedelta(minutes=ctx.settings.token_lifetime_minutes + 1)
    ctx.clock = lambda: later
    assert client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_passwords_are_stored_as_argon2_hashes(ctx, personas):
    from sqlalchemy import select

    from spineconsult.store.models import Account

    with ctx.sessions() as session:
        stored = session.scalar(select(Account.password_hash).where(Account.email == "alice@example.org"))
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_logout_revokes_the_token(client, personas):
    headers = personas["patient"].headers
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 401


def test_patients_register_themselves_and_duplicates_conflict(client):
    body = {"email": "new@example.org", "password": "long enough pw", "name": "New Person"}
    assert client.post("/api/v1/auth/register", json=body).status_code == 201
    assert client.post("/api/v1/auth/register", json=body).status_code == 409
    short = client.post("/api/v1/auth/register", json={**body, "email": "x@example.org", "password": "short"})
    assert short.status_code == 422
    assert short.json()["field"] == "password"
