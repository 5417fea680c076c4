"""Retraction: a workbook's rows, matched by identity, leave every read and analysis, and can be
restored. Nothing is deleted.

Retracting a row (or restoring it) is a new version of it: the version it replaces is kept in
`record_versions`, the row says who retracted it, when and why (`recorded_by`, `recorded_at`,
`reason`), and one audit entry per row says the same. Reads leave retracted rows out in one
place (`tracker.queries`), so every page, report, export and analysis agrees.

The workbook names the rows to retract exactly as it would import them (its identity columns;
other columns are read but not compared). Rows that are not stored, or already in the asked
state, are problems or "unchanged" as an import would say; the write is all or nothing, with the
same scope and permission checks as an import.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, insert, select, update
from sqlalchemy.orm import Session

from tracker.access import Actor
from tracker.db import write_session
from tracker.queries import existing_keys, indicator_units, read_table
from tracker.workbook.problems import Problem, WorkbookRefused
from tracker.workbook.read import read_workbook
from tracker.workbook.schema import TABLE_MAP
from tracker.workbook.validate import validate_workbook
from tracker.writes.history.audit import now, record_audit
from tracker.writes.history.conflicts import ConflictRefused
from tracker.writes.history.staleness import mark_written
from tracker.writes.imports.importer import SHARED_TABLES, _institutions_in
from tracker.writes.imports.plan import record_key
from tracker.writes.imports.table_mapping import MAPPINGS, stored_table
from tracker.writes.imports.values import plain
from tracker.writes.permissions import check_workbook_scope, check_write
from tracker.writes.quarter.locks import change_institutions

# The workbook tables whose rows can be retracted (those with a `retracted` column).
RETRACTABLE_TABLES: tuple[str, ...] = tuple(
    m.name for m in MAPPINGS if "retracted" in m.model.__table__.c
)


@dataclass
class RetractionReport:
    source: str
    restore: bool
    dry_run: bool
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def summary(self) -> str:
        done = "restored" if self.restore else "retracted"
        head = (
            f"Dry run: nothing was written. These rows would be {done}:"
            if self.dry_run
            else f"{done.capitalize()} the rows of {self.source}:"
        )
        lines = [
            f"  {name + '.csv':<22} {c['changed']:>8} {done}  {c['unchanged']:>8} already so"
            for name, c in self.counts.items()
        ]
        return "\n".join([head, *lines])


@dataclass(frozen=True)
class _Target:
    table: str
    record_id: int
    version: int
    record_key: str
    row: dict[str, object]


def retract_workbook(
    engine: Engine,
    path: Path,
    *,
    actor: Actor,
    reason: str | None,
    restore: bool = False,
    dry_run: bool = False,
) -> RetractionReport:
    """Retract (or `restore`) the stored rows the workbook at `path` names, all or nothing."""
    source = str(path)
    if not (reason and reason.strip()):
        flag = "--restore" if restore else "--retract"
        raise WorkbookRefused([Problem(source, None, None, f"{flag} needs --reason TEXT")])
    raw = read_workbook(path)
    report = RetractionReport(source=source, restore=restore, dry_run=dry_run)
    with write_session(engine) as session:
        check_workbook_scope(session, actor, raw, retracting=True)
        # Only the rows of the institutions the actor writes are looked for: another
        # institution's row reads as no row at all (one answer whatever exists).
        writable = None if actor.is_admin else set(actor.institutions)
        dataset, problems = validate_workbook(
            raw, known_keys=existing_keys(session), known_units=indicator_units(session)
        )
        if problems:
            raise WorkbookRefused(problems)
        targets: list[_Target] = []
        for mapping in MAPPINGS:
            if mapping.name not in raw.tables:
                continue
            found, missing, unchanged = _targets(
                session, mapping.name, dataset[mapping.name], retracted=not restore,
                institutions=writable,
            )
            problems += [
                Problem(raw.source(mapping.name), row, None,
                        f"no stored row has this identity ({key}): nothing to "
                        f"{'restore' if restore else 'retract'}")
                for row, key in missing
            ]
            targets += found
            report.counts[mapping.name] = {"changed": len(found), "unchanged": unchanged}
        if problems:
            raise WorkbookRefused(problems)
        _apply(session, targets, actor=actor, reason=reason, restore=restore, source=source,
               dry_run=dry_run, workbook_changes=dataset["changes"])
    return report


def retract_records(
    engine: Engine,
    table: str,
    record_ids: Collection[int],
    *,
    actor: Actor,
    reason: str | None,
    restore: bool = False,
    source: str = "the dashboard",
) -> RetractionReport:
    """Retract (or `restore`) stored rows of `table` chosen by their database ids (the page's
    "Retract" and "Restore" buttons), all or nothing, with the same permission checks, history
    and audit as `retract_workbook`."""
    flag = "--restore" if restore else "--retract"
    if not (reason and reason.strip()):
        raise WorkbookRefused([Problem(source, None, None, f"{flag} needs --reason TEXT")])
    if table not in RETRACTABLE_TABLES:
        raise WorkbookRefused([Problem(source, None, None, f"rows of {table} cannot be retracted")])
    report = RetractionReport(source=source, restore=restore, dry_run=False)
    with write_session(engine) as session:
        stored = read_table(
            session, table, with_ids=True, include_retracted=True, record_ids=record_ids
        )
        missing = sorted(set(record_ids) - {int(i) for i in stored["_id"]})
        if missing:
            raise WorkbookRefused([
                Problem(source, None, None,
                        f"{table} has no stored row {n}: nothing to "
                        f"{'restore' if restore else 'retract'}")
                for n in missing
            ])
        found, _, unchanged = _targets(
            session, table, stored.drop(columns=["_id", "_version", "_retracted"]),
            retracted=not restore,
        )
        report.counts[table] = {"changed": len(found), "unchanged": unchanged}
        _apply(session, found, actor=actor, reason=reason, restore=restore, source=source,
               dry_run=False, workbook_changes=None)
    return report


def _apply(
    session: Session,
    targets: list[_Target],
    *,
    actor: Actor,
    reason: str,
    restore: bool,
    source: str,
    dry_run: bool,
    workbook_changes: pd.DataFrame | None,
) -> None:
    """Check that `actor` may write the targets' institutions, then retract or restore them:
    a new version of each row, the old one in history, one audit entry per row."""
    change_owner = change_institutions(
        session, workbook_changes if workbook_changes is not None else pd.DataFrame()
    )
    frames = {t.table: pd.DataFrame([t.row]) for t in targets}
    written = _institutions_in(frames, change_owner)
    shared = any(t.table in SHARED_TABLES for t in targets)
    check_write(actor, written, shared=shared)
    if dry_run or not targets:
        session.rollback()
        return
    at = now()
    for target in targets:
        _set_retracted(session, target, retracted=not restore, actor=actor.name, at=at,
                       reason=reason)
        record_audit(
            session, actor=actor.name, action="restore" if restore else "retract",
            table_name=target.table, record_key=target.record_key, before=target.row,
            after=None if not restore else target.row, reason=reason, at=at,
            detail={"source": source, "version": target.version + 1},
        )
    tenures = {t.table: frames[t.table] for t in targets if t.table == "leadership"}
    mark_written(session, written, leaders=_institutions_in(tenures, change_owner))


def _targets(
    session: Session, name: str, incoming: pd.DataFrame, *, retracted: bool,
    institutions: Collection[str] | None = None,
) -> tuple[list[_Target], list[tuple[int, str]], int]:
    """The stored rows to change, the workbook rows with no stored row, and how many are
    already in the asked state."""
    table = TABLE_MAP[name]
    stored = read_table(session, name, with_ids=True, include_retracted=True,
                        institutions=institutions)
    by_key = {
        record_key(table, row): row
        for row in stored.to_dict("records")
    }
    found: list[_Target] = []
    missing: list[tuple[int, str]] = []
    unchanged = 0
    for number, row in zip(incoming.index, incoming.to_dict("records"), strict=True):
        key = record_key(table, row)
        match = by_key.get(key)
        if match is None:
            missing.append((int(number), key))
        elif bool(match["_retracted"]) == retracted:
            unchanged += 1
        else:
            data = {str(k): plain(v) for k, v in match.items() if not str(k).startswith("_")}
            found.append(_Target(name, int(match["_id"]), int(match["_version"]), key, data))
    return found, missing, unchanged


def _set_retracted(
    session: Session, target: _Target, *, retracted: bool, actor: str, at: object, reason: str
) -> None:
    """A new version of the row, retracted or not; the version it replaces kept in history."""
    from tracker import models

    mapping = next(m for m in MAPPINGS if m.name == target.table)
    table = stored_table(mapping)
    current = session.execute(
        select(table.c.recorded_at, table.c.recorded_by, table.c.reason).where(
            table.c.id == target.record_id
        )
    ).one()
    result = session.execute(
        update(table)
        .where(table.c.id == target.record_id, table.c.version == target.version)
        .values(retracted=retracted, version=target.version + 1, recorded_at=at,
                recorded_by=actor, reason=reason)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise ConflictRefused(
            f"{target.table} {target.record_key} was changed by someone else meanwhile: "
            "nothing was written; try again."
        )
    session.execute(
        insert(models.RecordVersion).values(
            table_name=target.table, record_id=target.record_id, record_key=target.record_key,
            version=target.version, data={**target.row, "retracted": not retracted},
            recorded_at=current.recorded_at, recorded_by=current.recorded_by,
            reason=current.reason, superseded_at=at, superseded_by=actor,
        )
    )
