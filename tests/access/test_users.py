"""Accounts: roles and scope, passwords kept only as argon2 hashes, throttled and audited logins.
On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, select

from tracker import models
from tracker.access import PermissionRefused, local_operator
from tracker.db import read_session
from tracker.users import (
    FAILED_LOGIN_WINDOW,
    MAX_FAILED_LOGINS,
    LoginRefused,
    actor_for,
    add_user,
    authenticate,
    has_users,
    list_users,
    set_disabled,
    set_password,
    set_scope,
)

pytestmark = pytest.mark.usefixtures("fast_hashing")

ADMIN = local_operator()
PASSWORD = "correct horse battery"


def _audit(engine: Engine, action: str | None = None) -> list[models.AuditEntry]:
    with read_session(engine) as session:
        stmt = select(models.AuditEntry).order_by(models.AuditEntry.id)
        if action:
            stmt = stmt.where(models.AuditEntry.action == action)
        entries = list(session.scalars(stmt))
        session.expunge_all()
        return entries


def test_password_is_stored_only_as_an_argon2id_hash(seeded: Engine) -> None:
    add_user(seeded, "ann", role="admin", password=PASSWORD, actor=ADMIN)
    with read_session(seeded) as session:
        stored = session.scalar(select(models.User.password_hash))
    assert stored is not None and stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_a_short_password_is_refused(seeded: Engine) -> None:
    with pytest.raises(PermissionRefused, match="at least 8"):
        add_user(seeded, "ann", role="admin", password="short", actor=ADMIN)
    assert not has_users(seeded)


@pytest.mark.parametrize(
    ("role", "institutions", "portfolios", "refusal"),
    [
        ("evaluator", [], [], "needs at least one --institution"),
        ("institution", [], [], "needs at least one --institution"),
        ("funder", [], [], "needs at least one --portfolio"),
        ("funder", ["north"], ["p-ns"], "takes no --institution"),
        ("institution", ["north"], ["p-ns"], "takes no --portfolio"),
        ("admin", ["north"], [], "takes no --institution"),
        ("evaluator", ["nowhere"], [], "Unknown institution: nowhere"),
        ("funder", [], ["p-none"], "Unknown portfolio: p-none"),
        ("superuser", [], [], "Unknown role"),
    ],
)
def test_each_role_takes_its_own_kind_of_scope(
    seeded: Engine, role: str, institutions: list[str], portfolios: list[str], refusal: str
) -> None:
    with pytest.raises(PermissionRefused, match=refusal):
        add_user(seeded, "bea", role=role, password=PASSWORD, actor=ADMIN,
                 institutions=institutions, portfolios=portfolios)
    assert not has_users(seeded)


@pytest.mark.parametrize("name", ["local:ann", "", " ann", "ann smith", "a" * 201])
def test_a_name_that_could_pass_for_another_is_refused(seeded: Engine, name: str) -> None:
    with pytest.raises(PermissionRefused, match="not a usable user name"):
        add_user(seeded, name, role="admin", password=PASSWORD, actor=ADMIN)


def test_a_name_is_taken_once(seeded: Engine) -> None:
    add_user(seeded, "ann", role="admin", password=PASSWORD, actor=ADMIN)
    with pytest.raises(PermissionRefused, match="already a user"):
        add_user(seeded, "ann", role="admin", password=PASSWORD, actor=ADMIN)


def test_actor_carries_the_users_role_and_scope(seeded: Engine) -> None:
    add_user(seeded, "eve", role="evaluator", password=PASSWORD, actor=ADMIN,
             institutions=["north", "east"])
    add_user(seeded, "fay", role="funder", password=PASSWORD, actor=ADMIN, portfolios=["p-ns"])
    eve, fay = actor_for(seeded, "eve"), actor_for(seeded, "fay")
    assert (eve.role, eve.institutions, eve.portfolios) == (
        "evaluator", frozenset({"north", "east"}), frozenset()
    )
    assert (fay.role, fay.institutions, fay.portfolios) == ("funder", frozenset(), {"p-ns"})
    assert not eve.local and not eve.is_admin


def test_an_unknown_user_is_refused(seeded: Engine) -> None:
    with pytest.raises(PermissionRefused, match="no user 'ghost'"):
        actor_for(seeded, "ghost")


def test_a_disabled_user_is_refused_and_can_be_enabled_again(seeded: Engine) -> None:
    add_user(seeded, "ivy", role="institution", password=PASSWORD, actor=ADMIN,
             institutions=["south"])
    set_disabled(seeded, "ivy", disabled=True, actor=ADMIN, reason="left the council")
    with pytest.raises(PermissionRefused, match="disabled"):
        actor_for(seeded, "ivy")
    set_disabled(seeded, "ivy", disabled=False, actor=ADMIN)
    assert actor_for(seeded, "ivy").institutions == {"south"}
    disable = _audit(seeded, "user_disable")[0]
    assert disable.reason == "left the council" and disable.record_key == "ivy"
    assert disable.before is not None and disable.after is not None
    assert (disable.before["disabled"], disable.after["disabled"]) == (False, True)


@pytest.mark.parametrize("role", ["evaluator", "institution", "funder"])
def test_only_an_administrator_manages_accounts(seeded: Engine, role: str) -> None:
    scope = {"portfolios": ["p-ns"]} if role == "funder" else {"institutions": ["north"]}
    add_user(seeded, "kim", role=role, password=PASSWORD, actor=ADMIN, **scope)
    kim = actor_for(seeded, "kim")
    with pytest.raises(PermissionRefused, match="ask an administrator"):
        add_user(seeded, "lee", role="admin", password=PASSWORD, actor=kim)
    with pytest.raises(PermissionRefused, match="ask an administrator"):
        list_users(seeded, actor=kim)
    with pytest.raises(PermissionRefused, match="ask an administrator"):
        set_disabled(seeded, "kim", disabled=False, actor=kim)
    with pytest.raises(PermissionRefused, match="ask an administrator"):
        set_scope(seeded, "kim", actor=kim, **scope)
    assert [u.name for u in list_users(seeded, actor=ADMIN)] == ["kim"]


def test_anyone_changes_their_own_password_but_not_anothers(seeded: Engine) -> None:
    add_user(seeded, "ann", role="admin", password=PASSWORD, actor=ADMIN)
    add_user(seeded, "ivy", role="institution", password=PASSWORD, actor=ADMIN,
             institutions=["south"])
    ivy = actor_for(seeded, "ivy")
    set_password(seeded, "ivy", "a new long password", actor=ivy)
    assert authenticate(seeded, "ivy", "a new long password").name == "ivy"
    with pytest.raises(PermissionRefused, match="only their own password"):
        set_password(seeded, "ann", "taken over now", actor=ivy)
    assert authenticate(seeded, "ann", PASSWORD).is_admin


def test_scope_is_replaced_not_added_to(seeded: Engine) -> None:
    add_user(seeded, "eve", role="evaluator", password=PASSWORD, actor=ADMIN,
             institutions=["north"])
    info = set_scope(seeded, "eve", actor=ADMIN, institutions=["east"], reason="moved team")
    assert info.institutions == ("east",)
    assert actor_for(seeded, "eve").institutions == {"east"}
    entry = _audit(seeded, "user_scope")[0]
    assert entry.before is not None and entry.after is not None
    assert (entry.before["institutions"], entry.after["institutions"]) == (["north"], ["east"])


def test_login_with_the_right_password_is_audited(seeded: Engine) -> None:
    add_user(seeded, "ann", role="admin", password=PASSWORD, actor=ADMIN)
    actor = authenticate(seeded, "ann", PASSWORD)
    assert (actor.name, actor.role, actor.local) == ("ann", "admin", False)
    [login] = _audit(seeded, "login")
    assert (login.actor, login.record_key) == ("ann", "ann")


@pytest.mark.parametrize(
    ("name", "password", "why"),
    [
        ("ann", "wrong password!", "wrong_password"),
        ("nobody", PASSWORD, "unknown_user"),
        ("oidc", PASSWORD, "no_password"),
        ("gone", PASSWORD, "disabled"),
    ],
)
def test_a_failed_login_is_refused_alike_and_audited_with_why(
    seeded: Engine, name: str, password: str, why: str
) -> None:
    add_user(seeded, "ann", role="admin", password=PASSWORD, actor=ADMIN)
    add_user(seeded, "oidc", role="admin", password=None, actor=ADMIN)
    add_user(seeded, "gone", role="admin", password=PASSWORD, actor=ADMIN)
    set_disabled(seeded, "gone", disabled=True, actor=ADMIN)
    with pytest.raises(LoginRefused) as refused:
        authenticate(seeded, name, password)
    # One message for every failure: it does not tell which names exist.
    assert str(refused.value) == (
        "Login refused: unknown name, wrong password or disabled account."
    )
    [failed] = _audit(seeded, "login_failed")
    assert failed.record_key == name and failed.detail == {"why": why}


def test_logins_are_throttled_after_repeated_failures(seeded: Engine) -> None:
    add_user(seeded, "ann", role="admin", password=PASSWORD, actor=ADMIN)
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    for minute in range(MAX_FAILED_LOGINS):
        with pytest.raises(LoginRefused, match="Login refused"):
            authenticate(seeded, "ann", "guess number x", at=start + dt.timedelta(minutes=minute))
    # Even the right password is not checked while throttled.
    later = start + dt.timedelta(minutes=MAX_FAILED_LOGINS)
    with pytest.raises(LoginRefused, match="Too many failed logins for 'ann'"):
        authenticate(seeded, "ann", PASSWORD, at=later)
    assert len(_audit(seeded, "login_throttled")) == 1
    # Once the first failure has left the window, one more attempt is allowed.
    after_window = start + FAILED_LOGIN_WINDOW + dt.timedelta(seconds=1)
    assert authenticate(seeded, "ann", PASSWORD, at=after_window).name == "ann"


def test_a_successful_login_clears_the_failures(seeded: Engine) -> None:
    add_user(seeded, "ann", role="admin", password=PASSWORD, actor=ADMIN)
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    at = iter(start + dt.timedelta(seconds=10 * i) for i in range(20))
    for _ in range(MAX_FAILED_LOGINS - 1):
        with pytest.raises(LoginRefused):
            authenticate(seeded, "ann", "not it at all", at=next(at))
    authenticate(seeded, "ann", PASSWORD, at=next(at))
    for _ in range(MAX_FAILED_LOGINS - 1):
        with pytest.raises(LoginRefused, match="Login refused"):
            authenticate(seeded, "ann", "not it at all", at=next(at))
    assert authenticate(seeded, "ann", PASSWORD, at=next(at)).name == "ann"


def test_throttling_one_name_leaves_others_alone(seeded: Engine) -> None:
    add_user(seeded, "ann", role="admin", password=PASSWORD, actor=ADMIN)
    add_user(seeded, "bob", role="admin", password=PASSWORD, actor=ADMIN)
    for _ in range(MAX_FAILED_LOGINS):
        with pytest.raises(LoginRefused):
            authenticate(seeded, "ann", "nope nope nope")
    with pytest.raises(LoginRefused, match="Too many"):
        authenticate(seeded, "ann", PASSWORD)
    assert authenticate(seeded, "bob", PASSWORD).name == "bob"


def test_an_outdated_hash_is_renewed_at_login(
    seeded: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tracker.users

    add_user(seeded, "ann", role="admin", password=PASSWORD, actor=ADMIN)
    stronger = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    monkeypatch.setattr(tracker.users, "_hasher", stronger)
    authenticate(seeded, "ann", PASSWORD)
    with read_session(seeded) as session:
        renewed = session.scalar(select(models.User.password_hash))
    assert renewed is not None and "m=2048,t=2,p=1" in renewed
    assert authenticate(seeded, "ann", PASSWORD).name == "ann"
