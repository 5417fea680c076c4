"""API tokens: made, listed and revoked with `tracker users token`; shown once, stored only as
a hash; expiry; failed authentications audited and throttled like dashboard logins."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from tracker import models
from tracker.access import PermissionRefused, local_operator
from tracker.cli import app
from tracker.tokens import TokenRefused, authenticate_token, create_token, revoke_tokens
from tracker.users import MAX_FAILED_LOGINS, actor_for, add_user

runner = CliRunner()


def _cli(database_url: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--db", database_url])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def ana(engine: Engine) -> str:
    add_user(engine, "ana", role="admin", password=None, actor=local_operator())
    add_user(engine, "ben", role="admin", password=None, actor=local_operator())
    return "ana"


def test_token_create_prints_the_token_alone_on_its_last_line_and_stores_only_its_hash(
    engine: Engine, database_url: str, ana: str
) -> None:
    code, out, err = _cli(database_url, "users", "token", "create", "ana", "--label", "kobo",
                          "--expires", "2099-12-31")
    assert code == 0, err
    token = out.strip().splitlines()[-1]
    assert token.startswith("trk_") and " " not in token
    assert authenticate_token(engine, token, client="test").name == "ana"
    with engine.connect() as conn:
        stored = conn.execute(select(models.ApiToken.token_hash, models.ApiToken.expires_at)).one()
        audit = [str(row) for row in conn.execute(select(models.AuditEntry))]
    assert stored.token_hash != token and token not in stored.token_hash
    assert not any(token in row or stored.token_hash in row for row in audit)
    code, listed, _ = _cli(database_url, "users", "token", "list", "ana", "--format", "json")
    assert code == 0 and token not in listed and '"label": "kobo"' in listed
    assert "2100-01-01T00:00:00" in listed  # works through 31 December, UTC


def test_revoked_token_no_longer_authenticates(engine: Engine, database_url: str, ana: str) -> None:
    token, info = create_token(engine, "ana", actor=local_operator())
    code, out, _ = _cli(database_url, "users", "token", "revoke", "ana", "--id", info.id)
    assert code == 0 and info.id in out
    with pytest.raises(TokenRefused, match="unknown, revoked or expired"):
        authenticate_token(engine, token, client="test")
    code, _, err = _cli(database_url, "users", "token", "revoke", "ana", "--id", info.id)
    assert code == 1 and "no usable token" in err


def test_expired_token_no_longer_authenticates(engine: Engine, ana: str) -> None:
    made = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    token, _ = create_token(engine, "ana", actor=local_operator(), at=made,
                            expires_at=made + dt.timedelta(days=30))
    assert authenticate_token(engine, token, client="t", at=made + dt.timedelta(days=29)).name
    with pytest.raises(TokenRefused):
        authenticate_token(engine, token, client="t", at=made + dt.timedelta(days=30))
    with engine.connect() as conn:
        why = conn.execute(select(models.AuditEntry.detail)
                           .where(models.AuditEntry.action == "token_failed")).scalar_one()
    assert why["why"] == "expired" and why["user"] == "ana"


def test_an_administrator_revokes_anyone_s_tokens_and_unknown_users_are_refused(
    engine: Engine, ana: str
) -> None:
    create_token(engine, "ben", actor=actor_for(engine, "ben"))
    assert [t.user for t in revoke_tokens(engine, "ben", actor=actor_for(engine, "ana"))] == ["ben"]
    with pytest.raises(PermissionRefused, match="no user 'nobody'"):
        create_token(engine, "nobody", actor=local_operator())


def test_failed_authentications_are_audited_and_throttled_per_client(
    engine: Engine, ana: str
) -> None:
    token, _ = create_token(engine, "ana", actor=local_operator())
    at = dt.datetime.now(dt.UTC)
    for attempt in range(MAX_FAILED_LOGINS):
        with pytest.raises(TokenRefused) as refused:
            authenticate_token(engine, f"trk_guess{attempt}", client="10.0.0.9",
                               at=at + dt.timedelta(seconds=attempt))
        assert refused.value.retry_after is None
    # Throttled now, even with the right token, until the oldest failure leaves the window.
    with pytest.raises(TokenRefused, match="Too many failed") as throttled:
        authenticate_token(engine, token, client="10.0.0.9", at=at + dt.timedelta(minutes=1))
    assert throttled.value.retry_after and throttled.value.retry_after > 600
    # Another client is not held back by these failures.
    assert authenticate_token(engine, token, client="10.0.0.10", at=at).name == "ana"
    later = at + dt.timedelta(minutes=16)
    assert authenticate_token(engine, token, client="10.0.0.9", at=later).name == "ana"
    with engine.connect() as conn:
        actions = list(conn.execute(
            select(models.AuditEntry.action, models.AuditEntry.record_key)
            .where(models.AuditEntry.table_name == "api_tokens")
        ))
    assert actions.count(("token_failed", "client:10.0.0.9")) == MAX_FAILED_LOGINS
    assert ("token_throttled", "client:10.0.0.9") in actions
