"""Running the Alembic migrations from code (`tracker db upgrade`, `make run`, tests).

Alembic takes over half a second to import, so the check every command makes
(`ensure_current`) reads the stored revision with one query and the latest revision from the
migration files' own `revision` / `down_revision` lines; Alembic itself is imported only to
migrate or to describe the schema (`tracker db upgrade`, `tracker db current`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

from tracker.config import PROJECT_ROOT

if TYPE_CHECKING:
    from alembic.config import Config

VERSIONS = PROJECT_ROOT / "migrations" / "versions"
# Which tracker version migrated the database to each revision (migration 0010).
SCHEMA_VERSIONS = "tracker_schema_versions"
_REVISION = re.compile(r'^(down_revision|revision)\b[^=]*=\s*(?:"([^"]*)"|None)', re.MULTILINE)


class SchemaOutOfDate(Exception):
    """The database is not at the latest schema revision."""


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    # ConfigParser interpolation would choke on a % in a password.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    refuse_newer_schema(engine)
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.connect() as connection, foreign_keys_deferred(connection), connection.begin():
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


@contextlib.contextmanager
def foreign_keys_deferred(connection: Connection) -> Iterator[None]:
    """On SQLite, foreign keys off while the schema changes, then checked whole (SQLite's own
    procedure for schema changes): dropping a table whose rows others still refer to is
    otherwise refused (`DROP TABLE` deletes its rows first), even when those others are about
    to be dropped too. Elsewhere: nothing. Call before the connection begins a transaction."""
    if connection.dialect.name != "sqlite":
        yield
        return
    raw = connection.connection.dbapi_connection
    assert raw is not None
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
        broken = raw.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            table, row, parent, _ = broken[0]
            raise SchemaOutOfDate(
                f"the migration left {len(broken)} row(s) referring to missing rows (first: "
                f"{table} row {row} → {parent})"
            )
    finally:
        raw.execute("PRAGMA foreign_keys=ON")


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return script.get_current_head()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def known_revisions() -> set[str]:
    """The revision ids of this version's migration files."""
    return {
        value
        for path in VERSIONS.glob("*.py")
        for name, value in _REVISION.findall(path.read_text(encoding="utf-8"))
        if name == "revision" and value
    }


def record_tracker_version(connection: Connection, revision: str | None) -> None:
    """Note that this tracker version migrated the database to `revision` (called by
    migrations/env.py after every upgrade, in its transaction). The first version to reach a
    revision is kept: that is the one an older tracker must be told to install."""
    from tracker import __version__

    if revision is None or not inspect(connection).has_table(SCHEMA_VERSIONS):
        return
    known = connection.execute(
        text(f"SELECT 1 FROM {SCHEMA_VERSIONS} WHERE revision = :revision"),
        {"revision": revision},
    ).first()
    if known is None:
        connection.execute(
            text(
                f"INSERT INTO {SCHEMA_VERSIONS} (revision, tracker_version, migrated_at) "
                "VALUES (:revision, :version, :at)"
            ),
            {"revision": revision, "version": __version__, "at": dt.datetime.now(dt.UTC)},
        )


def _version_key(version: str) -> tuple[int, ...]:
    """A version's numbers ("1.10.2" gives (1, 10, 2)), to compare versions."""
    return tuple(int(part) for part in re.findall(r"\d+", version)[:4])


def migrated_by(engine: Engine, revision: str) -> str | None:
    """The tracker version that migrated the database to `revision`, as the database records
    it, else the newest recorded version if it is newer than this one; else None."""
    from tracker import __version__

    with engine.connect() as connection:
        if not inspect(connection).has_table(SCHEMA_VERSIONS):
            return None
        rows = connection.execute(
            text(f"SELECT revision, tracker_version FROM {SCHEMA_VERSIONS}")
        ).all()
    recorded = {str(r): str(v) for r, v in rows}
    if revision in recorded:
        return recorded[revision]
    newest = max(recorded.values(), key=_version_key, default=None)
    if newest is not None and _version_key(newest) > _version_key(__version__):
        return newest
    return None


def newer_schema_advice(engine: Engine, revision: str) -> str:
    """What to install for a database at `revision`, a revision this tracker does not know."""
    from tracker import __version__

    made_by = migrated_by(engine, revision)
    if made_by is not None:
        return f"this database was migrated by tracker {made_by}; install that version or newer"
    return (
        f"use the version of tracker that upgraded it (newer than {__version__}), "
        "or a later one"
    )


def refuse_newer_schema(engine: Engine) -> None:
    """Refuse, saying what is needed, a database migrated by a newer version of tracker
    (instead of Alembic's "Can't locate revision" and advice to upgrade that cannot work)."""
    current = stored_revision(engine)
    if current is not None and current not in known_revisions():
        from tracker import __version__

        where = engine.url.render_as_string(hide_password=True)
        needed = newer_schema_advice(engine, current)
        raise SchemaOutOfDate(
            f"The database {where} is at schema revision {current}, which a newer version of "
            f"tracker made: this is tracker {__version__}, whose latest schema is "
            f"{file_head()}. {needed[:1].upper()}{needed[1:]}; nothing was changed."
        )


def ensure_current(engine: Engine) -> None:
    """Refuse to work on a database whose schema is missing, behind or ahead of the code."""
    refuse_newer_schema(engine)
    current, head = stored_revision(engine), file_head()
    if current != head:
        where = engine.url.render_as_string(hide_password=True)
        state = "has no tracker schema" if current is None else f"is at revision {current}"
        raise SchemaOutOfDate(
            f"The database {where} {state}; this version needs {head}. "
            "Run `tracker db upgrade` first."
        )


def file_head() -> str | None:
    """The latest revision, read from the migration files without Alembic (the revision that
    no other names as its `down_revision`); falls back to Alembic unless exactly one."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in VERSIONS.glob("*.py"):
        for name, value in _REVISION.findall(path.read_text(encoding="utf-8")):
            if value:
                (revisions if name == "revision" else parents).add(value)
    heads = revisions - parents
    return next(iter(heads)) if len(heads) == 1 else head_revision()


def stored_revision(engine: Engine) -> str | None:
    """The revision the database is at (None when it has no schema), without Alembic."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    return str(rows[0][0]) if len(rows) == 1 else current_revision(engine)
