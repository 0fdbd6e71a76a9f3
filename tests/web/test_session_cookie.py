"""The signed session cookie: round trip, tampering, expiry, CSRF comparison; the template filters."""

from __future__ import annotations

import time

import pytest

from spineconsult.web.pages import session as cookie
from spineconsult.web.pages.filters import duration, highlighted, section_items

SECRET = "test-secret"


def test_round_trip_keeps_user_and_token() -> None:
    s = cookie.new_session(user_id=7)
    back = cookie.decode(cookie.encode(s, SECRET), SECRET)
    assert back is not None
    assert (back.user_id, back.csrf, back.is_new) == (7, s.csrf, False)


def test_anonymous_session_has_a_csrf_token() -> None:
    s = cookie.new_session()
    assert s.user_id is None and len(s.csrf) >= 32 and not s.logged_in


def test_tampered_or_foreign_cookie_is_refused() -> None:
    value = cookie.encode(cookie.new_session(user_id=1), SECRET)
    assert cookie.decode(value, "another-secret") is None
    assert cookie.decode(value[:-2] + ("AA" if not value.endswith("AA") else "BB"), SECRET) is None
    assert cookie.decode("garbage", SECRET) is None


def test_expired_cookie_is_refused() -> None:
    value = cookie.encode(cookie.new_session(user_id=1), SECRET)
    time.sleep(1.1)
    assert cookie.decode(value, SECRET, max_age=0) is None


def test_active_sessions_are_re_signed(monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = cookie.decode(cookie.encode(cookie.new_session(user_id=3), SECRET), SECRET)
    assert fresh is not None and not fresh.needs_storing
    monkeypatch.setattr(cookie, "REFRESH_AFTER_SECONDS", -1)
    assert fresh.needs_storing


def test_csrf_comparison() -> None:
    s = cookie.new_session()
    assert cookie.csrf_ok(s, s.csrf)
    assert not cookie.csrf_ok(s, None)
    assert not cookie.csrf_ok(s, "")
    assert not cookie.csrf_ok(s, s.csrf + "x")


def test_highlights_keep_only_mark_tags() -> None:
    html = str(highlighted("numb <mark>foot</mark> <script>alert(1)</script>"))
    assert "<mark>foot</mark>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    escaped_by_the_library = "it&#x27;s &lt;b&gt;numb&lt;/b&gt; <mark>foot</mark>"
    assert str(highlighted(escaped_by_the_library)) == "it&#39;s &lt;b&gt;numb&lt;/b&gt; <mark>foot</mark>"


def test_duration_and_sections() -> None:
    assert duration(3 * 3600 + 5 * 60) == "3 h 05 min left"
    assert duration(-25 * 60) == "25 min overdue"
    items = section_items(
        {"treatment_plan": "rest", "probable_causes": "bruised nerve", "investigations": ""}
    )
    assert items == [("Probable causes", "bruised nerve"), ("Treatment plan", "rest")]


def test_framework_refusals_keep_their_status() -> None:
    from starlette.exceptions import HTTPException

    from spineconsult.web.limits import BodyTooLarge
    from spineconsult.web.pages.errors import status_of

    assert status_of(BodyTooLarge(1024)) == 413
    assert status_of(HTTPException(status_code=405)) == 405
    assert status_of(RuntimeError("boom")) == 500
