"""API tokens: a user's key to the HTTP API (`tracker serve-api`).

A token is `trk_<id>_<secret>`: `id` is public (lists, the audit log, `revoke --id`), the
secret is 256 random bits. Only the SHA-256 hash of the whole token is stored, and the token is
shown once, when it is made. A fast hash is right here, unlike for passwords: a slow hash
protects secrets people choose (guessable), while a random 256-bit secret cannot be guessed,
and every API request checks its token.

A request with a token acts exactly as `--as USER`: the user's role and scope are read again
on each request, so disabling a user or changing their scope takes effect at once.

Who may do what: administrators make, list and revoke anyone's tokens; every other user their
own. Making and revoking a token are audited (never the token or its hash). Failed
authentications are audited (`token_failed`, with why) and throttled like dashboard logins
(`tracker.users.MAX_FAILED_LOGINS` within `FAILED_LOGIN_WINDOW`), counted per client address
(a wrong token names no user) and per token id. The client's address is the connecting peer's;
forwarded headers count only from TRACKER_TRUSTED_PROXIES (`tracker.api.bounds`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from tracker import models
from tracker.access import Actor, PermissionRefused
from tracker.db import read_session, write_session
from tracker.users import LoginRefused, actor_for, recent_failures, throttled_until
from tracker.writes.history.audit import now as utc_now
from tracker.writes.history.audit import record_audit
from tracker.writes.quarter.locks import as_utc, when_text

TOKEN_PATTERN = re.compile(r"trk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})")
TABLE = "api_tokens"
REFUSED = "Authentication refused: unknown, revoked or expired token."


class TokenRefused(LoginRefused):
    """A token that does not authenticate; `retry_after` (seconds) when throttled."""

    def __init__(self, message: str, *, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class TokenInfo:
    """A token as its owner and administrators see it (never the secret or its hash)."""

    id: str
    user: str
    label: str | None
    created_at: dt.datetime
    created_by: str
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None
    revoked_by: str | None

    def state(self, at: dt.datetime) -> str:
        if self.revoked_at is not None:
            return f"revoked by {self.revoked_by} at {when_text(self.revoked_at)}"
        if self.expires_at is not None and self.expires_at <= at:
            return f"expired at {when_text(self.expires_at)}"
        if self.expires_at is not None:
            return f"active until {when_text(self.expires_at)}"
        return "active, no expiry"

    def to_json(self) -> dict[str, Any]:
        def iso(moment: dt.datetime | None) -> str | None:
            return None if moment is None else moment.isoformat()

        return {
            "id": self.id, "user": self.user, "label": self.label,
            "created_at": iso(self.created_at), "created_by": self.created_by,
            "expires_at": iso(self.expires_at), "revoked_at": iso(self.revoked_at),
            "revoked_by": self.revoked_by,
        }


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _require_self_or_admin(actor: Actor, name: str, what: str) -> None:
    if not (actor.is_admin or actor.name == name):
        raise PermissionRefused(f"{actor.name} may {what} only their own tokens.")


def _user(session: Session, name: str) -> models.User:
    user = session.scalar(select(models.User).where(models.User.name == name))
    if user is None:
        raise PermissionRefused(f"There is no user {name!r}.")
    return user


def _info(row: models.ApiToken, user: str) -> TokenInfo:
    def aware(moment: dt.datetime | None) -> dt.datetime | None:
        return None if moment is None else as_utc(moment)

    return TokenInfo(
        id=row.token_id, user=user, label=row.label, created_at=as_utc(row.created_at),
        created_by=row.created_by, expires_at=aware(row.expires_at),
        revoked_at=aware(row.revoked_at), revoked_by=row.revoked_by,
    )


def create_token(
    engine: Engine, name: str, *, actor: Actor, expires_at: dt.datetime | None = None,
    label: str | None = None, at: dt.datetime | None = None,
) -> tuple[str, TokenInfo]:
    """Make a token for user `name`; returns the token (to show once) and what is stored."""
    _require_self_or_admin(actor, name, "make")
    at = at or utc_now()
    if expires_at is not None and expires_at <= at:
        raise PermissionRefused(f"The expiry {when_text(expires_at)} is not in the future.")
    token_id = secrets.token_hex(6)
    token = f"trk_{token_id}_{secrets.token_urlsafe(32)}"
    with write_session(engine) as session:
        user = _user(session, name)
        if user.disabled:
            raise PermissionRefused(f"The user {name!r} is disabled.")
        row = models.ApiToken(
            user_id=user.id, token_id=token_id, token_hash=_digest(token), label=label,
            created_at=at, created_by=actor.name, expires_at=expires_at,
        )
        session.add(row)
        session.flush()
        info = _info(row, name)
        record_audit(session, actor=actor.name, action="token_create", table_name=TABLE,
                     record_key=name, after=info.to_json(), at=at)
    return token, info


def list_tokens(engine: Engine, name: str, *, actor: Actor) -> list[TokenInfo]:
    """The tokens of user `name`, oldest first (revoked and expired ones included)."""
    _require_self_or_admin(actor, name, "list")
    with read_session(engine) as session:
        user = _user(session, name)
        rows = session.scalars(
            select(models.ApiToken).where(models.ApiToken.user_id == user.id)
            .order_by(models.ApiToken.id)
        )
        return [_info(row, name) for row in rows]


def revoke_tokens(
    engine: Engine, name: str, *, actor: Actor, token_id: str | None = None,
    at: dt.datetime | None = None,
) -> list[TokenInfo]:
    """Revoke one token of `name` (`token_id`), or all its tokens still usable; returns them."""
    _require_self_or_admin(actor, name, "revoke")
    at = at or utc_now()
    with write_session(engine) as session:
        user = _user(session, name)
        stmt = select(models.ApiToken).where(
            models.ApiToken.user_id == user.id, models.ApiToken.revoked_at.is_(None)
        )
        if token_id is not None:
            stmt = stmt.where(models.ApiToken.token_id == token_id)
        rows = list(session.scalars(stmt.order_by(models.ApiToken.id)))
        if token_id is not None and not rows:
            raise PermissionRefused(f"{name} has no usable token {token_id!r}.")
        revoked = []
        for row in rows:
            before = _info(row, name)
            row.revoked_at, row.revoked_by = at, actor.name
            session.flush()
            after = _info(row, name)
            record_audit(session, actor=actor.name, action="token_revoke", table_name=TABLE,
                         record_key=name, before=before.to_json(), after=after.to_json(), at=at)
            revoked.append(after)
    return revoked


def authenticate_token(
    engine: Engine, token: str, *, client: str, at: dt.datetime | None = None
) -> Actor:
    """The `Actor` whose usable token this is; else `TokenRefused` (audited, throttled).

    Failures are counted per client address and per token id (the public part of a token):
    guessing one token's secret from many addresses is throttled as surely as guessing many
    from one address.
    """
    at = at or utc_now()
    client_key = f"client:{client}"
    match = TOKEN_PATTERN.fullmatch(token)
    token_key = f"token:{match[1]}" if match else None
    with read_session(engine) as session:
        counted = [(client_key, recent_failures(session, record_key=client_key, at=at,
                                                failed="token_failed", cleared_by=None))]
        if token_key is not None:
            counted.append((token_key, recent_failures(session, record_key=token_key, at=at,
                                                       failed="token_guessed", cleared_by=None)))
        presented = _presented(session, token, at)
    for key, failures in counted:
        retry_at = throttled_until(failures)
        if retry_at is None:
            continue
        _audit_failure(engine, client_key, "token_throttled", at,
                       {"failures": len(failures), "counted": key}, user=None)
        seconds = max(1, int((retry_at - at).total_seconds()))
        whom = f"from {client}" if key == client_key else f"for token {key.removeprefix('token:')}"
        raise TokenRefused(
            f"Too many failed authentications {whom}: try again in about "
            f"{max(1, round(seconds / 60))} minute(s).", retry_after=seconds,
        )
    if presented.why is not None:
        detail = {"why": presented.why, "token": presented.token_id}
        _audit_failure(engine, client_key, "token_failed", at, detail, user=presented.user)
        if presented.token_id is not None:
            # A failure with a real token's id: counted against that token too.
            _audit_failure(engine, f"token:{presented.token_id}", "token_guessed", at, detail,
                           user=presented.user)
        raise TokenRefused(REFUSED)
    assert presented.user is not None
    return actor_for(engine, presented.user)


@dataclass(frozen=True)
class _Presented:
    """What a presented token turned out to be: whose, and why it is refused (None: usable)."""

    token_id: str | None
    user: str | None
    why: str | None


def _presented(session: Session, token: str, at: dt.datetime) -> _Presented:
    match = TOKEN_PATTERN.fullmatch(token)
    row = None if match is None else session.scalar(
        select(models.ApiToken).where(models.ApiToken.token_id == match[1])
    )
    # Compared in constant time, so that response times do not leak how much of a hash matched.
    if row is None:
        return _Presented(None, None, "unknown_token")
    if not hmac.compare_digest(row.token_hash, _digest(token)):
        # A real token's id with a wrong secret: counted against that token (throttling).
        return _Presented(row.token_id, None, "unknown_token")
    user = session.get(models.User, row.user_id)
    if user is None:
        return _Presented(row.token_id, None, "unknown_token")
    why = None
    if row.revoked_at is not None:
        why = "revoked"
    elif row.expires_at is not None and as_utc(row.expires_at) <= at:
        why = "expired"
    elif user.disabled:
        why = "disabled"
    return _Presented(row.token_id, user.name, why)


def _audit_failure(
    engine: Engine, client_key: str, action: str, at: dt.datetime, detail: dict[str, Any],
    *, user: str | None,
) -> None:
    # The entry names the client (what throttling counts) and, when the token was a real one,
    # its user, who then sees it in their own audit log; never the token presented.
    with write_session(engine) as session:
        record_audit(session, actor=user or client_key, action=action, table_name=TABLE,
                     record_key=client_key, detail={**detail, "user": user}, at=at)
