"""`tracker users`: accounts, roles and scope for shared deployments.

Passwords are asked for without echo, or read from standard input with `--password-stdin` (for
scripts); they never appear on a command line, where other users of the machine could see them.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from tracker.commands import tokens
from tracker.commands.common import AsOption, DbOption, Refused, acting, engine_for, out, refusals

if TYPE_CHECKING:
    from tracker.users import UserInfo

app = typer.Typer(help="Users, roles and scope (administrators).", no_args_is_help=True)
app.add_typer(tokens.app, name="token")

InstitutionOption = Annotated[
    list[str] | None,
    typer.Option(
        "--institution",
        help="An institution key (evaluator, reviewer, institution); repeatable.",
    ),
]
PortfolioOption = Annotated[
    list[str] | None, typer.Option("--portfolio", help="A portfolio key (funder); repeatable.")
]
PasswordStdinOption = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from the first line of stdin.")
]
ReasonOption = Annotated[str | None, typer.Option(help="Why (kept in the audit log).")]


def read_password(*, from_stdin: bool) -> str:
    """The new password: the first line of standard input, or asked twice without echo."""
    if from_stdin:
        line = sys.stdin.readline()
        password = line.removesuffix("\n").removesuffix("\r")
        if not password:
            raise Refused("--password-stdin: standard input holds no password.")
        return password
    prompted: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return prompted


def _describe(info: UserInfo) -> str:
    scope = [*info.institutions, *info.portfolios]
    where = f" for {', '.join(scope)}" if scope else ""
    state = " (disabled)" if info.disabled else ""
    return f"{info.name}: {info.role}{where}{state}"


@app.command("add")
@refusals
def users_add(
    name: Annotated[str, typer.Argument(help="The login name (an e-mail address for OIDC).")],
    role: Annotated[str, typer.Option(help="admin, evaluator, reviewer, institution or funder.")],
    institution: InstitutionOption = None,
    portfolio: PortfolioOption = None,
    password_stdin: PasswordStdinOption = False,
    no_password: Annotated[bool, typer.Option(
        "--no-password",  # one name: a plain flag, not --no-password/--no-no-password
        help="No password: the account logs in through OpenID Connect or an API token only.",
    )] = False,
    reason: ReasonOption = None,
    db: DbOption = None,
    as_user: AsOption = None,
) -> None:
    """Create a user (asks for a password, or reads it with --password-stdin)."""
    from tracker.users import add_user

    if no_password and password_stdin:
        raise Refused("--no-password and --password-stdin exclude each other.")
    engine = engine_for(db)
    actor = acting(engine, as_user)
    password = None if no_password else read_password(from_stdin=password_stdin)
    info = add_user(
        engine, name, role=role, password=password, actor=actor,
        institutions=institution or (), portfolios=portfolio or (), reason=reason,
    )
    out.print(f"Added {_describe(info)}.", markup=False)


@app.command("list")
@refusals
def users_list(
    format: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    db: DbOption = None,
    as_user: AsOption = None,
) -> None:
    """List the users, their role and scope."""
    from tracker.users import list_users

    if format not in ("table", "json"):
        raise Refused(f"--format must be table or json, not {format!r}.")
    engine = engine_for(db)
    users = list_users(engine, actor=acting(engine, as_user))
    if format == "json":
        out.print(json.dumps([u.to_json() for u in users], indent=2), markup=False)
        return
    from rich.table import Table

    table = Table("name", "role", "institutions", "portfolios", "state")
    for user in users:
        table.add_row(
            user.name, user.role, ", ".join(user.institutions), ", ".join(user.portfolios),
            "disabled" if user.disabled else "active",
        )
    out.print(table)


@app.command("disable")
@refusals
def users_disable(
    name: Annotated[str, typer.Argument(help="The user to disable.")],
    reason: ReasonOption = None,
    db: DbOption = None,
    as_user: AsOption = None,
) -> None:
    """Disable a user: no more logins, no more --as (their history stays)."""
    from tracker.users import set_disabled

    engine = engine_for(db)
    info = set_disabled(engine, name, disabled=True, actor=acting(engine, as_user), reason=reason)
    out.print(f"Disabled {_describe(info)}.", markup=False)


@app.command("enable")
@refusals
def users_enable(
    name: Annotated[str, typer.Argument(help="The user to enable again.")],
    reason: ReasonOption = None,
    db: DbOption = None,
    as_user: AsOption = None,
) -> None:
    """Enable a disabled user again."""
    from tracker.users import set_disabled

    engine = engine_for(db)
    info = set_disabled(engine, name, disabled=False, actor=acting(engine, as_user), reason=reason)
    out.print(f"Enabled {_describe(info)}.", markup=False)


@app.command("passwd")
@refusals
def users_passwd(
    name: Annotated[str, typer.Argument(help="Whose password to set.")],
    password_stdin: PasswordStdinOption = False,
    db: DbOption = None,
    as_user: AsOption = None,
) -> None:
    """Set a user's password (administrators: anyone's; others: their own)."""
    from tracker.users import set_password

    engine = engine_for(db)
    actor = acting(engine, as_user)
    set_password(engine, name, read_password(from_stdin=password_stdin), actor=actor)
    out.print(f"Password of {name} changed.", markup=False)


@app.command("scope")
@refusals
def users_scope(
    name: Annotated[str, typer.Argument(help="Whose scope to replace.")],
    institution: InstitutionOption = None,
    portfolio: PortfolioOption = None,
    reason: ReasonOption = None,
    db: DbOption = None,
    as_user: AsOption = None,
) -> None:
    """Replace the institutions (evaluator, reviewer, institution) or portfolios (funder) of a
    user."""
    from tracker.users import set_scope

    engine = engine_for(db)
    info = set_scope(
        engine, name, actor=acting(engine, as_user), institutions=institution or (),
        portfolios=portfolio or (), reason=reason,
    )
    out.print(f"Now {_describe(info)}.", markup=False)
