"""Dashboard sessions kept by the browser: a signed, expiring token, valid only while its
server-side row is live; logout revokes it; a tampered or expired cookie logs nobody in."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine

from tracker.access import local_operator
from tracker.browser_sessions import end_session, session_user, start_session
from tracker.users import add_user
from tracker.writes.history.audit import now


@pytest.fixture
def with_user(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Engine:
    monkeypatch.setenv("TRACKER_SESSION_SECRET", "test secret")
    add_user(engine, "eve", role="admin", password="a long password here", actor=local_operator())
    return engine


def test_a_session_cookie_logs_its_user_in_until_logout(with_user: Engine) -> None:
    cookie = start_session(with_user, "eve")
    assert session_user(with_user, cookie.value) == "eve"
    assert 11 * 3600 < cookie.max_age <= 12 * 3600
    end_session(with_user, cookie.value)
    assert session_user(with_user, cookie.value) is None


def test_a_tampered_expired_or_foreign_cookie_logs_nobody_in(
    with_user: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    cookie = start_session(with_user, "eve").value
    token, expiry, signature = cookie.split(".")
    assert session_user(with_user, f"{token}.{int(expiry) + 3600}.{signature}") is None
    assert session_user(with_user, f"{token[:-1]}x.{expiry}.{signature}") is None
    assert session_user(with_user, "garbage") is None
    assert session_user(with_user, None) is None
    monkeypatch.setenv("TRACKER_SESSION_SECRET", "another secret")
    assert session_user(with_user, cookie) is None
    monkeypatch.setenv("TRACKER_SESSION_SECRET", "test secret")
    assert session_user(with_user, cookie) == "eve"
    later = now() + dt.timedelta(hours=13)
    monkeypatch.setattr("tracker.browser_sessions.now", lambda: later)
    assert session_user(with_user, cookie) is None
