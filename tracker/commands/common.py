"""What every command shares: the --db and --as options, the engine, the acting user, and the
translation of refusals into a message on standard error with exit status 1.

Imported by every command module, so it imports only Typer and Rich: SQLAlchemy, Alembic and
pandas are imported by the commands that use them (`tracker --help` starts like a bare Typer
app; `tests/test_startup.py` keeps it so).
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

if TYPE_CHECKING:
    from rich.console import Console
    from sqlalchemy import Engine

    from tracker.access import Actor

class _Console:
    """A Rich console made on first use (importing Rich's console costs a tenth of a second
    that `tracker --help` need not pay)."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Console | None = None

    def __getattr__(self, name: str) -> Any:
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return getattr(self._console, name)


err: Console = _Console(stderr=True, highlight=False, soft_wrap=True)  # type: ignore[assignment]
out: Console = _Console(highlight=False, soft_wrap=True)  # type: ignore[assignment]

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


def _loaded(module: str, name: str) -> type[BaseException] | None:
    """The exception class `module.name` if that module was imported, else None.

    An exception can only be an instance of a class whose module is loaded, so the refusals
    are recognised without importing SQLAlchemy or pandas on the way in.
    """
    loaded = sys.modules.get(module)
    found = getattr(loaded, name, None) if loaded is not None else None
    return found if isinstance(found, type) and issubclass(found, BaseException) else None


def _is(error: BaseException, *names: tuple[str, str]) -> bool:
    classes = tuple(cls for cls in (_loaded(*name) for name in names) if cls is not None)
    return bool(classes) and isinstance(error, classes)


def _report_refusal(error: Exception) -> bool:
    """Print `error` as a refusal if it is one (True), or leave it to propagate (False)."""
    if _is(error, ("tracker.workbook.problems", "WorkbookRefused")):
        err.print(error.report(), markup=False)  # type: ignore[attr-defined]
        err.print("Nothing was written.", markup=False)
    elif isinstance(error, Refused) or _is(
        error,
        ("tracker.access", "PermissionRefused"),
        ("tracker.writes.history.conflicts", "ConflictRefused"),
        ("tracker.migrate", "SchemaOutOfDate"),
        ("tracker.files", "TargetRefused"),
        ("tracker.config", "SettingRefused"),
    ):
        err.print(f"Refused: {error}", markup=False)
    elif isinstance(error, OSError):
        # A file the command was asked to read or write: not there, not allowed, in the way.
        err.print(f"Refused: {error}", markup=False)
    elif _is(error, ("sqlalchemy.exc", "OperationalError")):
        err.print(f"The database could not be used: {error.orig}", markup=False)  # type: ignore[attr-defined]
    elif _is(error, ("sqlalchemy.exc", "SQLAlchemyError")):
        err.print(f"The database refused the request: {error}", markup=False)
    else:
        return False
    return True


def refusals(func: F) -> F:
    """Turn every refusal into a clear message on standard error and exit status 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except BrokenPipeError:
            # The reader went away (e.g. `| head`): stop quietly, as Unix tools do.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(0) from None
        except Exception as error:
            if not _report_refusal(error):
                raise
        raise typer.Exit(1)

    return wrapper  # type: ignore[return-value]


def engine_for(db: str | None, *, check_schema: bool = True) -> Engine:
    from tracker.db import get_engine
    from tracker.migrate import ensure_current

    engine = get_engine(db)
    if check_schema:
        ensure_current(engine)
    return engine


def acting(engine: Engine, as_user: str | None) -> Actor:
    from tracker.access import local_operator

    if as_user is None:
        return local_operator()
    from tracker.users import actor_for

    return actor_for(engine, as_user)
