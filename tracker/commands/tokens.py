"""`tracker users token create|list|revoke NAME`: tokens for the HTTP API (`tracker serve-api`).

`create` prints the token alone on its last line (for scripts: `| tail -n 1`); it is shown only
then, and only its hash is kept.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

import typer

from tracker.commands.common import AsOption, DbOption, Refused, acting, engine_for, out, refusals

app = typer.Typer(help="Tokens for the HTTP API (tracker serve-api).", no_args_is_help=True)

NameArgument = Annotated[str, typer.Argument(help="Whose tokens (a user name).")]


def _expiry(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as error:
        raise Refused(f"--expires must be a date written YYYY-MM-DD, not {value!r}.") from error
    # The token works through that whole day (UTC) and stops at the midnight that ends it.
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)


@app.command("create")
@refusals
def token_create(
    name: NameArgument,
    expires: Annotated[
        str | None,
        typer.Option(help="Last day the token works (YYYY-MM-DD, UTC); default: no expiry."),
    ] = None,
    label: Annotated[str | None, typer.Option(help="What the token is for.")] = None,
    db: DbOption = None,
    as_user: AsOption = None,
) -> None:
    """Make an API token for a user; it is printed once, alone on the last line."""
    from tracker.tokens import create_token

    engine = engine_for(db)
    token, info = create_token(
        engine, name, actor=acting(engine, as_user), expires_at=_expiry(expires), label=label
    )
    out.print(f"Token {info.id} for {name}: {info.state(info.created_at)}. "
              "It is shown only now; keep it secret.", markup=False)
    typer.echo(token)


@app.command("list")
@refusals
def token_list(
    name: NameArgument,
    format: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    db: DbOption = None,
    as_user: AsOption = None,
) -> None:
    """List a user's tokens (never the tokens themselves): id, label, state."""
    from tracker.tokens import list_tokens
    from tracker.writes.history.audit import now

    if format not in ("table", "json"):
        raise Refused(f"--format must be table or json, not {format!r}.")
    engine = engine_for(db)
    tokens = list_tokens(engine, name, actor=acting(engine, as_user))
    if format == "json":
        typer.echo(json.dumps([t.to_json() for t in tokens], indent=2))
        return
    if not tokens:
        out.print(f"{name} has no API token.", markup=False)
        return
    at = now()
    from rich.table import Table

    table = Table("id", "label", "created", "by", "state")
    for token in tokens:
        table.add_row(token.id, token.label or "", token.created_at.strftime("%Y-%m-%d %H:%M"),
                      token.created_by, token.state(at))
    out.print(table)


@app.command("revoke")
@refusals
def token_revoke(
    name: NameArgument,
    token_id: Annotated[
        str | None, typer.Option("--id", help="Only this token (default: all of NAME's).")
    ] = None,
    db: DbOption = None,
    as_user: AsOption = None,
) -> None:
    """Revoke a user's tokens (one with --id): they stop working at once."""
    from tracker.tokens import revoke_tokens

    engine = engine_for(db)
    revoked = revoke_tokens(engine, name, actor=acting(engine, as_user), token_id=token_id)
    if not revoked:
        out.print(f"{name} had no usable token.", markup=False)
        return
    out.print(f"Revoked {len(revoked)} token(s) of {name}: "
              f"{', '.join(t.id for t in revoked)}.", markup=False)
