"""`tracker sources` and the source side of `tracker import --from`: thin over
`tracker.sources`."""

from __future__ import annotations

from pathlib import Path

from tracker.commands.common import Refused, acting, engine_for, out


def sources_command() -> None:
    """List the sources `tracker import --from` reads, with the files and mapping settings."""
    from tracker.sources.registry import SOURCES

    for found in SOURCES.values():
        state = "" if found.available else f" (needs the {found.requires} package)"
        out.print(f"{found.name:<10} {found.tool}{state}", markup=False)
        out.print(f"           reads: {found.reads}", markup=False)
        out.print(f"           mapping: {', '.join(found.settings)}", markup=False)


def import_from(
    path: Path, *, source: str, mapping: Path | None, dry_run: bool, db: str | None,
    as_user: str | None,
) -> None:
    """Import a tool's export through its mapping (see `tracker.sources.importing`)."""
    from tracker.sources.importing import import_from_source

    if mapping is None:
        raise Refused("--from needs --mapping MAPPING.toml (see sample_data/sources/README.md).")
    engine = engine_for(db)
    try:
        done = import_from_source(
            engine, path, source_name=source, mapping_path=mapping,
            actor=acting(engine, as_user), dry_run=dry_run,
        )
    except ValueError as error:
        raise Refused(str(error)) from None
    out.print(done.summary(), markup=False)


def export_to(
    path: Path, *, format: str, mapping: Path | None, force: bool, db: str | None,
    as_user: str | None,
) -> None:
    """Write the approved quarters' values as DHIS2 JSON or ADX (`tracker.sources.outgoing`)."""
    from tracker.sources.outgoing import export_to_source

    if mapping is None:
        raise Refused(f"--format {format} needs --mapping MAPPING.toml (a dhis2 or adx mapping).")
    engine = engine_for(db)
    done = export_to_source(
        engine, path, format=format, mapping_path=mapping, actor=acting(engine, as_user),
        force=force,
    )
    out.print(done.summary(path), markup=False)
