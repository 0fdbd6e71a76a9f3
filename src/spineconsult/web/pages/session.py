"""Cookie sessions and CSRF tokens for the server-rendered pages.

The cookie holds a signed, timestamped payload (itsdangerous): who is logged in and the CSRF token of
this browser. Nothing secret is in it; the signature stops tampering and the timestamp makes it expire.
Every visitor gets a session, logged in or not, so that anonymous forms (login, helpfulness vote) carry
a CSRF token too. Logging in or out always starts a new session (no fixation).
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

COOKIE_NAME = "spineconsult_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
MAX_AGE_SECONDS = 8 * 60 * 60  # idle this long (no page seen), one logs in again
REFRESH_AFTER_SECONDS = 15 * 60  # an active session's cookie is re-signed this often (sliding expiry)
_SALT = "spineconsult.pages.session"


@dataclass(frozen=True)
class PageSession:
    """What the cookie carries. `user_id` is None for an anonymous visitor."""

    csrf: str
    user_id: int | None = None
    is_new: bool = False
    age_seconds: float = 0.0

    @property
    def logged_in(self) -> bool:
        return self.user_id is not None

    @property
    def needs_storing(self) -> bool:
        """New, or old enough that its cookie should be re-signed to keep an active user logged in."""
        return self.is_new or self.age_seconds > REFRESH_AFTER_SECONDS


def new_session(user_id: int | None = None) -> PageSession:
    return PageSession(csrf=secrets.token_urlsafe(32), user_id=user_id, is_new=True)


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=_SALT)


def encode(session: PageSession, secret_key: str) -> str:
    return _serializer(secret_key).dumps({"c": session.csrf, "u": session.user_id})


def decode(value: str, secret_key: str, max_age: int = MAX_AGE_SECONDS) -> PageSession | None:
    """The session in a cookie value, or None when it is forged, malformed or expired."""
    try:
        data, signed_at = _serializer(secret_key).loads(value, max_age=max_age, return_timestamp=True)
    except BadSignature:  # SignatureExpired is a BadSignature too
        return None
    if not isinstance(data, dict) or not isinstance(data.get("c"), str):
        return None
    user_id = data.get("u")
    age = (datetime.now(UTC) - signed_at).total_seconds()
    return PageSession(csrf=data["c"], user_id=user_id if isinstance(user_id, int) else None, age_seconds=age)


def load(request: Request, secret_key: str) -> PageSession:
    """This request's session; a fresh anonymous one when there is none or it is no longer valid."""
    raw = request.cookies.get(COOKIE_NAME)
    found = decode(raw, secret_key) if raw else None
    return found if found is not None else new_session()


def store(response: Response, session: PageSession, secret_key: str, *, secure: bool = False) -> None:
    response.set_cookie(
        COOKIE_NAME,
        encode(session, secret_key),
        max_age=MAX_AGE_SECONDS,
        httponly=True,
        samesite="lax",
        secure=secure,
        path="/",
    )


def csrf_ok(session: PageSession, submitted: str | None) -> bool:
    """Constant-time comparison of the submitted token with the session's."""
    if not submitted:
        return False
    return hmac.compare_digest(session.csrf.encode(), submitted.encode())
