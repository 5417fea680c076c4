"""Local accounts: users, their role and scope, their password (as an argon2 hash only), login.

Roles (product.md, "Access"): `admin` sets everything up; `evaluator` writes for the institutions
assigned to them; `institution` reads its own institution(s); `funder` reads the institutions of
its portfolios. Only administrators manage accounts, except that anyone may change their own
password.

Every change to an account, and every login attempt (successful, failed or throttled), is one
audit entry. Neither a password nor its hash is ever written to the audit log.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, delete, func, inspect, select
from sqlalchemy.orm import Session

from tracker import models, vocab
from tracker.access import Actor, PermissionRefused
from tracker.browser_sessions import end_sessions_of
from tracker.db import read_session, write_session
from tracker.writes.history.audit import now as utc_now
from tracker.writes.history.audit import record_audit

# NIST SP 800-63B: at least 8 characters for a password a person chooses.
MIN_PASSWORD_LENGTH = 8
# Bounds checked before anything is stored, looked up or hashed: a login form accepts whatever a
# client sends, and a 2 MB name would be written to the audit log on every attempt (and, longer
# than the column, fail on PostgreSQL). 1,024 characters leave room for any passphrase.
MAX_PASSWORD_LENGTH = 1024
MAX_NAME_LENGTH = 200
# A refused name is audited cut to this many characters (then "…").
AUDITED_NAME_LENGTH = 100
# Names are what people type at the login form and after --as; e-mail addresses are allowed so
# that an OpenID Connect identity can be matched to an account. A colon is not: "local:NAME" is
# how the audit log names the local operator, and no account may pass for it.
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@+-]{0,199}")
# Throttling: after this many failed logins for a name within the window, further attempts
# for that name are refused (without checking the password) until the oldest failure leaves
# the window. A successful login clears the count.
MAX_FAILED_LOGINS = 5
FAILED_LOGIN_WINDOW = dt.timedelta(minutes=15)

# Which scope each role is given: institutions, portfolios, or nothing (admin reads all).
ROLE_SCOPE = {"admin": None, "evaluator": "institution", "reviewer": "institution",
              "institution": "institution",
              "funder": "portfolio"}

_hasher = PasswordHasher()
_dummy_hash: list[str] = []


class LoginRefused(PermissionRefused):
    """A login that did not succeed; the message never says which of name or password was wrong."""


@dataclass(frozen=True)
class UserInfo:
    """An account as an administrator sees it (never the hash)."""

    name: str
    role: str
    institutions: tuple[str, ...]
    portfolios: tuple[str, ...]
    disabled: bool
    has_password: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name, "role": self.role, "institutions": list(self.institutions),
            "portfolios": list(self.portfolios), "disabled": self.disabled,
            "has_password": self.has_password,
        }


def hash_password(password: str) -> str:
    """An argon2id hash of `password`, after checking it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PermissionRefused(
            f"A password needs at least {MIN_PASSWORD_LENGTH} characters."
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise PermissionRefused(
            f"A password has at most {MAX_PASSWORD_LENGTH:,} characters."
        )
    return _hasher.hash(password)


def has_users(engine: Engine) -> bool:
    """True when the database has at least one account (then the dashboard asks for a login).

    A database without the schema yet has no account (and nothing else to read either).
    """
    if not inspect(engine).has_table(models.User.__tablename__):
        return False
    with read_session(engine) as session:
        return session.scalar(select(models.User.id).limit(1)) is not None


def _require_admin(actor: Actor, what: str) -> None:
    if not actor.is_admin:
        raise PermissionRefused(
            f"{actor.name} ({actor.role}) may not {what}; ask an administrator."
        )


def _user(session: Session, name: str) -> models.User:
    user = session.scalar(select(models.User).where(models.User.name == name))
    if user is None:
        raise PermissionRefused(f"There is no user {name!r}.")
    return user


def _scope_of(session: Session, user: models.User) -> tuple[tuple[str, ...], tuple[str, ...]]:
    institutions = session.scalars(
        select(models.Institution.key)
        .join(models.UserInstitution,
              models.UserInstitution.institution_id == models.Institution.id)
        .where(models.UserInstitution.user_id == user.id)
        .order_by(models.Institution.key)
    )
    portfolios = session.scalars(
        select(models.Portfolio.key)
        .join(models.UserPortfolio, models.UserPortfolio.portfolio_id == models.Portfolio.id)
        .where(models.UserPortfolio.user_id == user.id)
        .order_by(models.Portfolio.key)
    )
    return tuple(institutions), tuple(portfolios)


def _info(session: Session, user: models.User) -> UserInfo:
    institutions, portfolios = _scope_of(session, user)
    return UserInfo(
        name=user.name, role=user.role, institutions=institutions, portfolios=portfolios,
        disabled=user.disabled, has_password=user.password_hash is not None,
    )


def _ids(session: Session, model: Any, keys: Iterable[str], kind: str) -> dict[str, int]:
    wanted = sorted(set(keys))
    stmt = select(model.key, model.id).where(model.key.in_(wanted))
    found = {str(row[0]): int(row[1]) for row in session.execute(stmt)}
    missing = [k for k in wanted if k not in found]
    if missing:
        raise PermissionRefused(f"Unknown {kind}: {', '.join(missing)}.")
    return found


def _check_scope(role: str, institutions: Iterable[str], portfolios: Iterable[str]) -> None:
    """Each role is scoped by exactly one kind of key (none for administrators)."""
    if role not in vocab.ROLES:
        raise PermissionRefused(f"Unknown role {role!r}; one of: {', '.join(vocab.ROLES)}.")
    given = {"institution": bool(list(institutions)), "portfolio": bool(list(portfolios))}
    needed = ROLE_SCOPE[role]
    for kind, present in given.items():
        if present and kind != needed:
            raise PermissionRefused(f"A user with role {role} takes no --{kind}.")
    if needed and not given[needed]:
        raise PermissionRefused(f"A user with role {role} needs at least one --{needed}.")


def _set_scope_rows(
    session: Session, user: models.User, institutions: Iterable[str], portfolios: Iterable[str]
) -> None:
    institution_ids = _ids(session, models.Institution, institutions, "institution")
    portfolio_ids = _ids(session, models.Portfolio, portfolios, "portfolio")
    session.execute(delete(models.UserInstitution).where(models.UserInstitution.user_id == user.id))
    session.execute(delete(models.UserPortfolio).where(models.UserPortfolio.user_id == user.id))
    session.add_all(models.UserInstitution(user_id=user.id, institution_id=i)
                    for i in institution_ids.values())
    session.add_all(models.UserPortfolio(user_id=user.id, portfolio_id=p)
                    for p in portfolio_ids.values())
    session.flush()


def _audit_account(
    session: Session, actor: Actor, action: str, name: str, *,
    before: UserInfo | None, after: UserInfo | None, reason: str | None = None,
) -> None:
    record_audit(
        session, actor=actor.name, action=action, table_name="users", record_key=name,
        before=before.to_json() if before else None, after=after.to_json() if after else None,
        reason=reason,
    )


def _stamp(user: models.User, actor: Actor, reason: str | None) -> None:
    user.recorded_at = utc_now()
    user.recorded_by = actor.name
    user.reason = reason


def add_user(
    engine: Engine, name: str, *, role: str, password: str | None, actor: Actor,
    institutions: Iterable[str] = (), portfolios: Iterable[str] = (), reason: str | None = None,
) -> UserInfo:
    """Create an account. `password=None` makes an account that can only log in through an
    OpenID Connect provider (its e-mail as the name) or be used with `--as`."""
    _require_admin(actor, "add users")
    if not NAME_PATTERN.fullmatch(name):
        raise PermissionRefused(
            f"{name!r} is not a usable user name: letters, digits and . _ @ + - only, "
            "starting with a letter or digit."
        )
    institutions, portfolios = list(institutions), list(portfolios)
    _check_scope(role, institutions, portfolios)
    password_hash = None if password is None else hash_password(password)
    with write_session(engine) as session:
        if session.scalar(select(models.User.id).where(models.User.name == name)) is not None:
            raise PermissionRefused(f"There is already a user {name!r}.")
        user = models.User(name=name, role=role, password_hash=password_hash, disabled=False)
        _stamp(user, actor, reason)
        session.add(user)
        session.flush()
        _set_scope_rows(session, user, institutions, portfolios)
        info = _info(session, user)
        _audit_account(session, actor, "user_add", name, before=None, after=info, reason=reason)
    return info


def list_users(engine: Engine, *, actor: Actor) -> list[UserInfo]:
    """Every account, by name (administrators only: the list shows everyone's scope)."""
    _require_admin(actor, "list users")
    with read_session(engine) as session:
        users = session.scalars(select(models.User).order_by(models.User.name)).all()
        return [_info(session, user) for user in users]


def set_disabled(
    engine: Engine, name: str, *, disabled: bool, actor: Actor, reason: str | None = None
) -> UserInfo:
    """Disable an account (it can no longer log in or be used with --as) or enable it again."""
    _require_admin(actor, "disable or enable users")
    if disabled and name == actor.name:
        raise PermissionRefused("You cannot disable your own account.")
    with write_session(engine) as session:
        user = _user(session, name)
        before = _info(session, user)
        user.disabled = disabled
        _stamp(user, actor, reason)
        if disabled:
            # For good: enabling the account again brings none of its sessions back.
            end_sessions_of(session, user.id)
        session.flush()
        after = _info(session, user)
        action = "user_disable" if disabled else "user_enable"
        _audit_account(session, actor, action, name, before=before, after=after, reason=reason)
    return after


def set_scope(
    engine: Engine, name: str, *, actor: Actor, institutions: Iterable[str] = (),
    portfolios: Iterable[str] = (), reason: str | None = None,
) -> UserInfo:
    """Replace the institutions or portfolios an account is scoped to."""
    _require_admin(actor, "change a user's institutions or portfolios")
    institutions, portfolios = list(institutions), list(portfolios)
    with write_session(engine) as session:
        user = _user(session, name)
        _check_scope(user.role, institutions, portfolios)
        before = _info(session, user)
        _set_scope_rows(session, user, institutions, portfolios)
        _stamp(user, actor, reason)
        session.flush()
        after = _info(session, user)
        _audit_account(session, actor, "user_scope", name, before=before, after=after,
                       reason=reason)
    return after


def set_portfolio_readers(
    engine: Engine, portfolio: str, names: Iterable[str], *, actor: Actor,
    reason: str | None = None,
) -> list[str]:
    """Make exactly these funders the readers of `portfolio` (others lose it), in one
    transaction with one audit entry per funder whose scope changed; returns those names."""
    _require_admin(actor, "change who reads a portfolio")
    wanted = set(names)
    changed: list[str] = []
    with write_session(engine) as session:
        portfolio_id = _ids(session, models.Portfolio, [portfolio], "portfolio")[portfolio]
        users = session.scalars(select(models.User).order_by(models.User.name)).all()
        unknown = wanted - {u.name for u in users if u.role == "funder"}
        if unknown:
            raise PermissionRefused(f"Not funders: {', '.join(sorted(unknown))}.")
        for user in users:
            if user.role != "funder":
                continue
            before = _info(session, user)
            if (portfolio in before.portfolios) == (user.name in wanted):
                continue
            if user.name in wanted:
                session.add(models.UserPortfolio(user_id=user.id, portfolio_id=portfolio_id))
            else:
                session.execute(delete(models.UserPortfolio).where(
                    models.UserPortfolio.user_id == user.id,
                    models.UserPortfolio.portfolio_id == portfolio_id,
                ))
            _stamp(user, actor, reason)
            session.flush()
            _audit_account(session, actor, "user_scope", user.name, before=before,
                           after=_info(session, user), reason=reason)
            changed.append(user.name)
    return changed


def set_password(
    engine: Engine, name: str, password: str, *, actor: Actor, keep_session: str | None = None
) -> None:
    """Set an account's password: an administrator for anyone, anyone for themselves. Every
    dashboard session of the account ends, but the one whose cookie is `keep_session` (the
    session the change was made in)."""
    if not (actor.is_admin or actor.name == name):
        raise PermissionRefused(f"{actor.name} may change only their own password.")
    password_hash = hash_password(password)
    with write_session(engine) as session:
        user = _user(session, name)
        user.password_hash = password_hash
        _stamp(user, actor, "password changed")
        end_sessions_of(session, user.id, keep=keep_session)
        session.flush()
        # The entry says that the password changed, and by whom; never the password or its hash.
        _audit_account(session, actor, "user_passwd", name, before=None, after=None)


def actor_for(engine: Engine, name: str) -> Actor:
    """The `Actor` for account `name`; refuses an unknown or disabled account."""
    with read_session(engine) as session:
        user = session.scalar(select(models.User).where(models.User.name == name))
        if user is None:
            raise PermissionRefused(f"There is no user {name!r}.")
        if user.disabled:
            raise PermissionRefused(f"The user {name!r} is disabled.")
        role = user.role
        institutions, portfolios = _scope_of(session, user)
    return Actor(name=name, role=role, institutions=frozenset(institutions),
                 portfolios=frozenset(portfolios))


def _password_matches(password_hash: str | None, password: str) -> bool:
    # Unknown names and accounts without a password still pay for one verification, so that the
    # time a refusal takes does not tell which names exist.
    if password_hash is None:
        if not _dummy_hash:
            _dummy_hash.append(_hasher.hash("not a password of anyone"))
        password_hash = _dummy_hash[0]
        with contextlib.suppress(VerificationError):
            _hasher.verify(password_hash, password)
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def recent_failed_logins(session: Session, name: str, at: dt.datetime) -> list[dt.datetime]:
    """When `name` failed to log in within the window before `at`, since its last success."""
    return recent_failures(session, record_key=name, at=at, failed="login_failed",
                           cleared_by="login")


def recent_failures(
    session: Session, *, record_key: str, at: dt.datetime, failed: str, cleared_by: str | None
) -> list[dt.datetime]:
    """When the audit log records a `failed` attempt for `record_key` within the window before
    `at` (and after the last `cleared_by` entry for it, if any): what throttling counts.

    Dashboard logins count per name; API tokens per client address (`tracker.tokens`).
    """
    since = at - FAILED_LOGIN_WINDOW
    if cleared_by is not None:
        last_success = session.scalar(
            select(func.max(models.AuditEntry.at)).where(
                models.AuditEntry.action == cleared_by, models.AuditEntry.record_key == record_key
            )
        )
        if last_success is not None and _aware(last_success) > since:
            since = _aware(last_success)
    stmt = (
        select(models.AuditEntry.at)
        .where(
            models.AuditEntry.action == failed,
            models.AuditEntry.record_key == record_key,
            models.AuditEntry.at > since,
        )
        .order_by(models.AuditEntry.at)
    )
    return [_aware(when) for when in session.scalars(stmt)]


def throttled_until(failures: list[dt.datetime]) -> dt.datetime | None:
    """When attempts may be made again after these failures (None: they are not throttled)."""
    if len(failures) < MAX_FAILED_LOGINS:
        return None
    return failures[-MAX_FAILED_LOGINS] + FAILED_LOGIN_WINDOW


def _aware(when: dt.datetime) -> dt.datetime:
    # SQLite hands timestamps back without their zone; every timestamp here is written in UTC.
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def authenticate(
    engine: Engine, name: str, password: str, *, at: dt.datetime | None = None
) -> Actor:
    """The `Actor` for `name` if `password` is right and the account enabled; else `LoginRefused`.

    Throttled: after `MAX_FAILED_LOGINS` failures for a name within `FAILED_LOGIN_WINDOW`, the
    password is not even checked until the oldest of them leaves the window. Every attempt is
    one audit entry (`login`, `login_failed` with why, or `login_throttled`), never the password.
    """
    at = at or utc_now()
    if len(name) > MAX_NAME_LENGTH or len(password) > MAX_PASSWORD_LENGTH or not (
        NAME_PATTERN.fullmatch(name)
    ):
        # No account has such a name or password: refused before any lookup or hashing, with
        # the same message as any failure, and audited with the name cut short.
        _audit_login(engine, audited_name(name), "login_failed", at,
                     {"why": "out_of_bounds", "name_length": len(name),
                      "password_length": len(password)})
        raise LoginRefused(_REFUSED)
    with read_session(engine) as session:
        failures = recent_failed_logins(session, name, at)
        user = session.scalar(select(models.User).where(models.User.name == name))
        stored_hash = user.password_hash if user is not None else None
        disabled = user.disabled if user is not None else False
    retry_at = throttled_until(failures)
    if retry_at is not None:
        minutes = max(1, round((retry_at - at).total_seconds() / 60))
        _audit_login(engine, name, "login_throttled", at, {"failures": len(failures)})
        raise LoginRefused(
            f"Too many failed logins for {name!r}: try again in about {minutes} minute(s)."
        )
    matches = _password_matches(stored_hash, password)
    why = ("unknown_user" if user is None else "no_password" if stored_hash is None
           else "wrong_password" if not matches else "disabled" if disabled else None)
    if why is not None:
        _audit_login(engine, name, "login_failed", at, {"why": why})
        raise LoginRefused(_REFUSED)
    rehash = stored_hash is not None and _hasher.check_needs_rehash(stored_hash)
    with write_session(engine) as session:
        if rehash:
            # Hashing parameters grew stronger since this hash was made: renew it now that the
            # password is at hand.
            _user(session, name).password_hash = _hasher.hash(password)
        record_audit(session, actor=name, action="login", table_name="users", record_key=name,
                     at=at)
    return actor_for(engine, name)


_REFUSED = "Login refused: unknown name, wrong password or disabled account."


def audited_name(name: str) -> str:
    """A typed name as the audit log keeps it: at most `AUDITED_NAME_LENGTH` characters."""
    if len(name) <= AUDITED_NAME_LENGTH:
        return name
    return name[:AUDITED_NAME_LENGTH] + "…"


def _audit_login(
    engine: Engine, name: str, action: str, at: dt.datetime, detail: dict[str, Any]
) -> None:
    with write_session(engine) as session:
        record_audit(session, actor=name, action=action, table_name="users", record_key=name,
                     detail=detail, at=at)


def record_session_event(engine: Engine, name: str, action: str, *, via: str) -> None:
    """Audit a login made elsewhere (e.g. through OpenID Connect) or a logout."""
    with write_session(engine) as session:
        record_audit(session, actor=name, action=action, table_name="users", record_key=name,
                     detail={"via": via})
