"""The write pipeline: validate → plan (quarter locks, corrections) → permission → apply →
audit, in one transaction. Workbook imports come through `import_workbook`; rows from the
dashboard and other callers through `tracker.writes.imports.rows.write_rows`, which builds the same
in-memory workbook, so validation, permissions, locks, history and the audit are shared.

All or nothing: every problem is reported at once and nothing is written.

Audit: one entry per corrected row (before, after, reason). A workbook import adds one entry
for the import (source, sha256 of the files, counts per table, institutions): the file is the
record of what was added. Rows written without a file (`audit_new_rows`) get one "add" entry
each, with the row as written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker.access import Actor
from tracker.db import write_session
from tracker.queries import existing_keys, indicator_units, read_table
from tracker.workbook.problems import Problem, WorkbookRefused
from tracker.workbook.read import RawWorkbook, read_workbook
from tracker.workbook.schema import TABLE_MAP
from tracker.workbook.validate import validate_workbook
from tracker.writes.history.audit import now, record_audit, record_audits
from tracker.writes.history.conflicts import (
    ExpectedVersions,
    added_meanwhile,
    check_expected_versions,
)
from tracker.writes.history.staleness import mark_written
from tracker.writes.imports.apply import apply_correction, insert_rows
from tracker.writes.imports.plan import TablePlan, correction_problems, plan_table, record_key
from tracker.writes.imports.plausible import import_doubts
from tracker.writes.imports.report import ImportReport
from tracker.writes.imports.spellings import spelling_doubts
from tracker.writes.imports.table_mapping import MAPPINGS, TableMapping, stored_table
from tracker.writes.imports.tenures import nested_in_stored
from tracker.writes.imports.values import plain
from tracker.writes.permissions import check_workbook_scope, check_write
from tracker.writes.quarter.locks import (
    change_institutions,
    guard_quarters,
    plan_lock_problems,
    quarter_locks,
)

SHARED_TABLES = ("places", "institutions", "indicators", "portfolios")
# Up to this many institutions, stored rows are read for those institutions only (a form's
# write reads one institution's rows, not the nation's); beyond it, whole tables are read.
SCOPED_READ_LIMIT = 500
# An audit entry lists the institutions a write touched up to this many (then only a count).
AUDIT_INSTITUTIONS_LIMIT = 1000


def fingerprint(path: Path) -> str:
    digest = hashlib.sha256()
    files = sorted(path.glob("*")) if path.is_dir() else [path]
    for file in files:
        if file.is_file():
            digest.update(file.name.encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def _institutions_in(
    frames: Mapping[str, pd.DataFrame], change_owner: Mapping[str, str]
) -> set[str]:
    """The institutions the rows of these frames belong to."""
    keys: set[str] = set()
    for name, frame in frames.items():
        if name == "institutions":
            keys |= set(frame["key"].dropna())
        elif name == "change_status":
            keys |= {change_owner[c] for c in frame["change"].dropna() if c in change_owner}
        elif "institution" in frame.columns:
            keys |= set(frame["institution"].dropna())
    return keys


def _stored_rows(
    session: Session, mapping: TableMapping, institutions: set[str]
) -> pd.DataFrame:
    """The stored rows a table's plan compares with (only the workbook's institutions' rows
    when the identity includes the institution and there are few of them)."""
    scoped = "institution" in mapping.table.identity and len(institutions) <= SCOPED_READ_LIMIT
    return read_table(
        session, mapping.name, institutions=institutions if scoped else None, with_ids=True
    )


def plan_import(
    session: Session, raw: RawWorkbook, *, correct: bool
) -> tuple[dict[str, TablePlan], list[Problem]]:
    """Validate against what is stored and plan every table; return the plans and all problems
    (invalid cells, rows in a locked quarter, and without `correct` rows that would change a
    stored value)."""
    dataset, problems = validate_workbook(
        raw, known_keys=existing_keys(session), known_units=indicator_units(session)
    )
    if problems:
        return {}, problems
    present = {m.name: dataset[m.name] for m in MAPPINGS if m.name in raw.tables}
    guard_quarters(session)
    change_owner = change_institutions(session, dataset["changes"])
    institutions = _institutions_in(present, change_owner)
    few = len(institutions) <= SCOPED_READ_LIMIT
    locks = quarter_locks(session, institutions=institutions if few else None)
    plans: dict[str, TablePlan] = {}
    for mapping in MAPPINGS:
        if mapping.name not in present:
            continue
        incoming = present[mapping.name]
        stored = _stored_rows(session, mapping, institutions)
        plan = plan_table(
            mapping.table,
            incoming,
            stored,
            given_columns=set(raw.tables[mapping.name].columns),
            # The validated frames are indexed by the row number a spreadsheet shows.
            row_numbers=pd.Series(incoming.index),
        )
        plans[mapping.name] = plan
        source = raw.source(mapping.name)
        problems += _retracted_rows(session, mapping, incoming, source)
        if mapping.name == "leadership":
            problems += nested_in_stored(incoming, stored, source)
        problems += plan_lock_problems(
            plan, mapping.table, locks=locks, change_owner=change_owner, source=source
        )
        if not correct:
            problems += correction_problems(plan, source)
    return plans, problems


def _retracted_rows(
    session: Session, mapping: TableMapping, incoming: pd.DataFrame, source: str
) -> list[Problem]:
    """Workbook rows whose identity is a retracted stored row: refused, with how to restore it
    (importing it again would otherwise look like a new row)."""
    table = stored_table(mapping)
    if "retracted" not in table.c:
        return []
    if session.scalar(select(table.c.id).where(table.c.retracted).limit(1)) is None:
        return []
    stored = read_table(session, mapping.name, include_retracted=True)
    retracted = {
        record_key(mapping.table, row)
        for row in stored[stored["_retracted"]].to_dict("records")
    }
    return [
        Problem(source, int(number), None,
                f"this row ({key}) was retracted: restore it first with "
                "`tracker import PATH --restore --reason TEXT`, then correct it if needed")
        for number, row in zip(incoming.index, incoming.to_dict("records"), strict=True)
        if (key := record_key(mapping.table, row)) in retracted
    ]


def _change_owner(session: Session, plans: Mapping[str, TablePlan]) -> dict[str, str]:
    """change key → institution, including the changes this write adds or moves."""
    changes = plans.get("changes")
    if changes is None:
        return change_institutions(session, pd.DataFrame(columns=["key", "institution"]))
    moved = [c.after for c in changes.corrections if "institution" in c.after]
    frame = pd.concat(
        [changes.new[["key", "institution"]], pd.DataFrame(moved, columns=["key", "institution"])]
    )
    return change_institutions(session, frame)


def _institutions_written(
    plans: Mapping[str, TablePlan], change_owner: Mapping[str, str]
) -> set[str]:
    keys = _institutions_in({name: plan.new for name, plan in plans.items()}, change_owner)
    for plan in plans.values():
        for correction in plan.corrections:
            keys |= _institutions_in(
                {plan.name: pd.DataFrame([correction.before, correction.after])}, change_owner
            )
    return keys


def _institutions_detail(keys: set[str]) -> dict[str, Any]:
    if len(keys) > AUDIT_INSTITUTIONS_LIMIT:
        return {"institutions": None, "institution_count": len(keys)}
    return {"institutions": sorted(keys)}


def require_reason(correct: bool, reason: str | None, *, source: str) -> None:
    """Corrections replace stored values: they must say why."""
    if correct and not (reason and reason.strip()):
        raise WorkbookRefused(
            [Problem(file=source, row=None, column=None, message="--correct needs --reason TEXT")]
        )


def import_workbook(
    engine: Engine,
    path: Path,
    *,
    actor: Actor,
    dry_run: bool = False,
    correct: bool = False,
    reason: str | None = None,
    source: str | None = None,
) -> ImportReport:
    """Import a workbook all or nothing. Raises `WorkbookRefused` (nothing written) on any
    problem, `PermissionRefused` or `ConflictRefused`. `source` names the workbook in the
    report and the audit log instead of its path (e.g. an upload's file names)."""
    label = source or str(path)
    require_reason(correct, reason, source=label)
    raw = read_workbook(path)
    return write_workbook_tables(
        engine, raw, actor=actor, source=label, dry_run=dry_run, correct=correct,
        reason=reason, import_detail={"source": label, "sha256": fingerprint(path)},
    )


class RowOrigins(Protocol):
    """Where the rows of a write come from, when a tool keeps its own identity of them (a
    source import, `tracker.sources`): the corrections the tool itself makes (a record edited
    there), each with its reason, and what to remember about the rows once written."""

    def correction_reasons(
        self, session: Session, plans: Mapping[str, TablePlan]
    ) -> dict[tuple[str, str], str]:
        """(table, record key) → the reason, for each planned correction the source makes."""
        ...

    def record(
        self, session: Session, plans: Mapping[str, TablePlan], *, actor: str, at: dt.datetime
    ) -> None:
        """Remember where the written rows came from (in the write's transaction)."""
        ...


@dataclass(frozen=True)
class _Write:
    """What one write is: who, when, why, from where, and how to audit it."""

    actor: Actor
    at: dt.datetime
    reason: str | None
    source: str
    audit_new_rows: bool
    # (table, record key) → the reason of a correction the source itself makes.
    reasons: Mapping[tuple[str, str], str]


def write_workbook_tables(
    engine: Engine,
    raw: RawWorkbook,
    *,
    actor: Actor,
    source: str,
    dry_run: bool = False,
    correct: bool = False,
    reason: str | None = None,
    expected_versions: ExpectedVersions | None = None,
    import_detail: dict[str, Any] | None = None,
    origins: RowOrigins | None = None,
) -> ImportReport:
    """Run the pipeline on a read workbook in one transaction; see the module docstring.

    `expected_versions` (table → record key → version the user saw) refuses a write over a
    record changed since. `import_detail` given: one "import" audit entry with it; not given:
    one "add" audit entry per new row. `origins` (a source import) allows the corrections
    the source itself makes, each with its own reason, and records where the rows came from.
    """
    report = ImportReport(source=source, dry_run=dry_run)
    try:
        with write_session(engine) as session:
            check_workbook_scope(session, actor, raw)
            plans, problems = plan_import(session, raw, correct=correct or origins is not None)
            reasons = {} if origins is None else origins.correction_reasons(session, plans)
            if origins is not None and not correct:
                for name, plan in plans.items():
                    problems += correction_problems(plan, raw.source(name), allowed=reasons)
            if problems:
                raise WorkbookRefused(problems)
            report.plans = plans
            report.warnings = [
                *import_doubts(session, plans, source=source),
                *spelling_doubts(session, plans, source=source),
            ]
            check_expected_versions(session, plans, expected_versions)
            change_owner = _change_owner(session, plans)
            written = _institutions_written(plans, change_owner)
            shared = [n for n in SHARED_TABLES if n in plans and not plans[n].is_empty]
            check_write(actor, written, shared=bool(shared))
            if dry_run or not report.changed:
                session.rollback()
                return report
            write = _Write(actor, now(), reason, source, audit_new_rows=import_detail is None,
                           reasons=reasons)
            _apply(session, plans, write, change_owner)
            indicators = plans.get("indicators")
            tenures = {n: p for n, p in plans.items() if n == "leadership"}
            mark_written(
                session, written,
                indicators=[c.record_key for c in indicators.corrections] if indicators else (),
                leaders=_institutions_written(tenures, change_owner),
            )
            if origins is not None:
                origins.record(session, plans, actor=actor.name, at=write.at)
            if import_detail is not None:
                record_audit(
                    session, actor=actor.name, action="import", reason=reason, at=write.at,
                    detail={**import_detail, "counts": report.counts(),
                            **_institutions_detail(written)},
                )
    except IntegrityError as error:
        conflict = added_meanwhile(engine, report.plans)
        if conflict is None:
            raise
        raise conflict from error
    return report


def _apply(
    session: Session, plans: Mapping[str, TablePlan], write: _Write,
    change_owner: Mapping[str, str],
) -> None:
    actor = write.actor.name
    for mapping in MAPPINGS:
        plan = plans.get(mapping.name)
        if plan is None:
            continue
        insert_rows(session, mapping.name, plan.new, actor=actor, at=write.at, reason=write.reason)
        if write.audit_new_rows:
            _audit_new_rows(session, plan, write, change_owner)
        for correction in plan.corrections:
            reason = write.reasons.get((correction.table, correction.record_key), write.reason)
            apply_correction(session, correction, actor=actor, at=write.at, reason=reason)
            owners = _institutions_in(
                {plan.name: pd.DataFrame([correction.before, correction.after])}, change_owner
            )
            record_audit(
                session, actor=actor, action="correct", table_name=correction.table,
                record_key=correction.record_key, before=correction.before,
                after=correction.after, reason=reason, at=write.at,
                detail={"source": write.source, "version": correction.version + 1,
                        **_institutions_detail(owners)},
            )


def _audit_new_rows(
    session: Session, plan: TablePlan, write: _Write, change_owner: Mapping[str, str]
) -> None:
    # One entry per row, inserted in one statement (a quarter set from the API has thousands).
    spec = TABLE_MAP[plan.name]
    entries = []
    for row in plan.new.to_dict("records"):
        after = {str(k): plain(v) for k, v in row.items()}
        entries.append({
            "actor": write.actor.name, "action": "add", "table_name": plan.name,
            "record_key": record_key(spec, after), "after": after, "reason": write.reason,
            "at": write.at,
            "detail": {"source": write.source, "version": 1,
                       **_institutions_detail(_row_institutions(plan.name, after, change_owner))},
        })
    record_audits(session, entries)


def _row_institutions(
    table: str, row: Mapping[str, Any], change_owner: Mapping[str, str]
) -> set[str]:
    """The institution one row belongs to (`_institutions_in` for a single row)."""
    if table == "institutions":
        owner = row.get("key")
    elif table == "change_status":
        owner = change_owner.get(row.get("change"))  # type: ignore[arg-type]
    else:
        owner = row.get("institution")
    return {owner} if owner is not None else set()
