"""What every command shares: the --db and --as options, the engine, the acting user, and the
translation of refusals into a message on standard error with exit status 1."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from tracker.access import Actor, PermissionRefused, local_operator
from tracker.db import get_engine
from tracker.migrate import SchemaOutOfDate, ensure_current
from tracker.workbook.problems import WorkbookRefused
from tracker.writes.apply import ConflictRefused

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="SQLAlchemy database URL (wins over TRACKER_DATABASE_URL)."),
]
AsOption = Annotated[
    str | None,
    typer.Option("--as", help="Act as this user, with their permissions and scope."),
]

F = TypeVar("F", bound=Callable[..., Any])


class Refused(Exception):
    """A request the command refuses; the message says what and where."""


def refusals(func: F) -> F:
    """Turn every refusal into a clear message on standard error and exit status 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except WorkbookRefused as refused:
            err.print(refused.report(), markup=False)
            err.print("Nothing was written.", markup=False)
        except (PermissionRefused, ConflictRefused, SchemaOutOfDate, Refused) as refused:
            err.print(f"Refused: {refused}", markup=False)
        except BrokenPipeError:
            # The reader went away (e.g. `| head`): stop quietly, as Unix tools do.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(0) from None
        except OSError as error:
            # A file the command was asked to read or write: not there, not allowed, in the way.
            err.print(f"Refused: {error}", markup=False)
        except OperationalError as error:
            err.print(f"The database could not be used: {error.orig}", markup=False)
        except SQLAlchemyError as error:
            err.print(f"The database refused the request: {error}", markup=False)
        raise typer.Exit(1)

    return wrapper  # type: ignore[return-value]


def engine_for(db: str | None, *, check_schema: bool = True) -> Engine:
    engine = get_engine(db)
    if check_schema:
        ensure_current(engine)
    return engine


def acting(engine: Engine, as_user: str | None) -> Actor:
    if as_user is None:
        return local_operator()
    from tracker.users import actor_for

    return actor_for(engine, as_user)
