"""Migrations: one head; upgrade, downgrade to base and upgrade again with data; the models
match the migrations (what `alembic check` verifies). On SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, func, inspect, select

from tracker import models
from tracker.migrate import alembic_config, current_revision, downgrade, head_revision, upgrade
from tracker.writes.history.audit import now


def _add_rows(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            models.Place.__table__.insert().values(
                key="wigan", name="Wigan", context={"fsm_share": 0.2}, recorded_at=now()
            )
        )
        place_id = conn.execute(select(models.Place.id)).scalar_one()
        conn.execute(
            models.Institution.__table__.insert().values(
                key="wigan-council",
                name="Wigan Council",
                kind="local_authority",
                place_id=place_id,
                recorded_at=now(),
            )
        )


def test_migrations_have_a_single_head() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1


def test_upgrade_downgrade_and_upgrade_again_with_data(empty_engine: Engine) -> None:
    upgrade(empty_engine)
    assert current_revision(empty_engine) == head_revision()
    _add_rows(empty_engine)
    downgrade(empty_engine, "base")
    assert current_revision(empty_engine) is None
    assert set(inspect(empty_engine).get_table_names()) <= {"alembic_version"}
    upgrade(empty_engine)
    _add_rows(empty_engine)
    with empty_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(models.Institution)).scalar() == 1


def test_every_revision_downgrades_one_step_with_data(empty_engine: Engine) -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    revisions = list(reversed(list(script.walk_revisions())))
    upgrade(empty_engine)
    _add_rows(empty_engine)
    for revision in reversed(revisions[1:]):
        downgrade(empty_engine, revision.down_revision)  # type: ignore[arg-type]
        with empty_engine.connect() as conn:
            # the domain rows survive every step down that does not remove their table
            assert conn.execute(select(func.count()).select_from(models.Institution)).scalar() == 1
    for revision in revisions[1:]:
        upgrade(empty_engine, revision.revision)
    assert current_revision(empty_engine) == head_revision()


def test_models_match_the_migrations(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, models.Base.metadata)
    assert differences == []


def test_stored_documents_are_compressed_with_lz4_on_postgresql(engine: Engine) -> None:
    """A national refresh writes about a gigabyte of documents: lz4 costs less than pglz
    (migration 0012); SQLite stores them as they are."""
    if engine.dialect.name != "postgresql":
        return
    from sqlalchemy import text

    with engine.connect() as conn:
        supported = conn.execute(
            text("SELECT setting FROM pg_settings WHERE name = 'default_toast_compression'")
        ).scalar_one()
        methods = dict(conn.execute(text(
            "SELECT attname, attcompression FROM pg_attribute "
            "WHERE attrelid = 'analysis_results'::regclass "
            "AND attname IN ('document', 'summary', 'portfolio')"
        )).all())
    assert supported in ("pglz", "lz4")
    assert methods == {"document": "l", "summary": "l", "portfolio": "l"}
    downgrade(engine, "0011")
    with engine.connect() as conn:
        back = set(conn.execute(text(
            "SELECT attcompression FROM pg_attribute WHERE attrelid = "
            "'analysis_results'::regclass AND attname IN ('document', 'summary', 'portfolio')"
        )).scalars())
    assert back == {"p"}
