"""Dashboard logins that survive a reload, a bookmark or a new tab: a signed, expiring session
token kept by the browser as a cookie, validated and revocable on the server.

- The cookie is ``<token>.<expiry>.<signature>``: a random token, its expiry (Unix seconds)
  and an HMAC-SHA256 of both under the session secret. A cookie whose signature or expiry does
  not check out is ignored without a database read.
- The server keeps only the SHA-256 of the token (`browser_sessions`), with its user, expiry and
  revocation: logout revokes it; disabling an account revokes every session of it (enabling it
  again brings none back), and a password change every session but the one it was made in
  (`end_sessions_of`); a disabled or removed account's sessions stop working at once.
- The secret: `TRACKER_SESSION_SECRET`, else a random one generated on first use into
  `var/session-secret` (mode 0600; `var/` is ignored by git). Changing it ends every session.
- How long a login lasts: `TRACKER_SESSION_HOURS` (default 12).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from tracker import models
from tracker.config import PROJECT_ROOT
from tracker.db import read_session, write_session
from tracker.writes.history.audit import now

COOKIE_NAME = "tracker_session"
DEFAULT_HOURS = 12.0
SECRET_FILE = PROJECT_ROOT / "var" / "session-secret"


def session_hours() -> float:
    text = os.environ.get("TRACKER_SESSION_HOURS", "").strip()
    try:
        hours = float(text) if text else DEFAULT_HOURS
    except ValueError:
        hours = DEFAULT_HOURS
    return hours if hours > 0 else DEFAULT_HOURS


def session_secret() -> bytes:
    """The secret that signs session cookies (configured, or generated once and kept)."""
    configured = os.environ.get("TRACKER_SESSION_SECRET", "").strip()
    if configured:
        return configured.encode()
    if SECRET_FILE.is_file():
        return SECRET_FILE.read_text().strip().encode()
    SECRET_FILE.parent.mkdir(parents=True, exist_ok=True)
    fresh = secrets.token_urlsafe(48)
    descriptor = os.open(SECRET_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(fresh + "\n")
    return fresh.encode()


def _sign(token: str, expiry: int) -> str:
    return hmac.new(session_secret(), f"{token}.{expiry}".encode(), hashlib.sha256).hexdigest()


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class SessionCookie:
    value: str
    expires_at: dt.datetime

    @property
    def max_age(self) -> int:
        return max(0, int((self.expires_at - now()).total_seconds()))


def start_session(engine: Engine, name: str) -> SessionCookie:
    """A new session for the user `name` (who has just logged in): its cookie."""
    token = secrets.token_urlsafe(32)
    at = now()
    expires = at + dt.timedelta(hours=session_hours())
    expiry = int(expires.timestamp())
    with write_session(engine) as session:
        user_id = session.scalar(select(models.User.id).where(models.User.name == name))
        if user_id is None:
            raise KeyError(name)
        session.add(
            models.BrowserSession(
                user_id=user_id, token_hash=_digest(token), created_at=at,
                expires_at=expires, revoked_at=None,
            )
        )
    return SessionCookie(f"{token}.{expiry}.{_sign(token, expiry)}", expires)


def _token(cookie: str | None) -> str | None:
    """The token of a well-formed, correctly signed, unexpired cookie."""
    if not cookie or cookie.count(".") != 2:
        return None
    token, expiry_text, signature = cookie.split(".")
    if not expiry_text.isdigit():
        return None
    expiry = int(expiry_text)
    if not hmac.compare_digest(signature, _sign(token, expiry)):
        return None
    if expiry <= int(now().timestamp()):
        return None
    return token


def seconds_left(cookie: str) -> int:
    """How long the cookie is still valid (0 when it is not)."""
    if _token(cookie) is None:
        return 0
    return max(0, int(cookie.split(".")[1]) - int(now().timestamp()))


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def session_user(engine: Engine, cookie: str | None) -> str | None:
    """The name of the user whose live session the cookie names; None otherwise."""
    token = _token(cookie)
    if token is None:
        return None
    with read_session(engine) as session:
        found = session.execute(
            select(
                models.BrowserSession.revoked_at, models.BrowserSession.expires_at,
                models.User.name,
            )
            .join(models.User, models.User.id == models.BrowserSession.user_id)
            .where(models.BrowserSession.token_hash == _digest(token))
        ).first()
    if found is None:
        return None
    revoked_at, expires_at, name = found
    if revoked_at is not None or _aware(expires_at) <= now():
        return None
    return str(name)


def end_session(engine: Engine, cookie: str | None) -> None:
    """Revoke the session the cookie names (logout): the cookie no longer logs anyone in."""
    token = _token(cookie)
    if token is None:
        return
    with write_session(engine) as session:
        session.execute(
            update(models.BrowserSession)
            .where(
                models.BrowserSession.token_hash == _digest(token),
                models.BrowserSession.revoked_at.is_(None),
            )
            .values(revoked_at=now())
        )


def end_sessions_of(session: Session, user_id: int, *, keep: str | None = None) -> int:
    """Revoke every live session of the user `user_id` (in the caller's transaction) but the one
    the cookie `keep` names: what disabling an account (for good: enabling it again brings no
    session back) and changing a password (every other session) do. Returns how many ended."""
    kept = _token(keep)
    stmt = (
        update(models.BrowserSession)
        .where(
            models.BrowserSession.user_id == user_id,
            models.BrowserSession.revoked_at.is_(None),
        )
        .values(revoked_at=now())
    )
    if kept is not None:
        stmt = stmt.where(models.BrowserSession.token_hash != _digest(kept))
    return int(session.execute(stmt).rowcount or 0)  # type: ignore[attr-defined]
