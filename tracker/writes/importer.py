"""Importing a workbook: all or nothing, every problem at once, corrections keep history.

One import is one user action: one transaction, one audit entry (with the counts per table and
the workbook's fingerprint), plus one audit entry per corrected row with its before, after and
reason.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tracker.access import Actor
from tracker.db import write_session
from tracker.queries import existing_keys, read_table
from tracker.workbook.problems import Problem, WorkbookRefused
from tracker.workbook.read import RawWorkbook, read_workbook
from tracker.workbook.validate import validate_workbook
from tracker.writes.apply import apply_correction, insert_rows
from tracker.writes.audit import now, record_audit
from tracker.writes.mapping import MAPPINGS
from tracker.writes.permissions import check_write
from tracker.writes.plan import TablePlan, correction_problems, plan_table

SHARED_TABLES = ("places", "institutions", "indicators", "portfolios")


@dataclass
class ImportReport:
    source: str
    dry_run: bool
    plans: dict[str, TablePlan] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(not p.is_empty for p in self.plans.values())

    def counts(self) -> dict[str, dict[str, int]]:
        return {
            name: {
                "new": len(plan.new),
                "corrected": len(plan.corrections),
                "unchanged": plan.unchanged,
            }
            for name, plan in self.plans.items()
        }

    def summary(self) -> str:
        lines = []
        for name, c in self.counts().items():
            lines.append(
                f"  {name + '.csv':<22} {c['new']:>8} new  {c['corrected']:>6} corrected  "
                f"{c['unchanged']:>8} unchanged"
            )
        if self.dry_run:
            head = "Dry run: nothing was written. The import would make these changes:"
        elif self.changed:
            head = f"Imported {self.source}:"
        else:
            head = f"Nothing to change: {self.source} matches what is stored."
        return "\n".join([head, *lines])


def fingerprint(path: Path) -> str:
    digest = hashlib.sha256()
    files = sorted(path.glob("*")) if path.is_dir() else [path]
    for file in files:
        if file.is_file():
            digest.update(file.name.encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def plan_import(
    session: Session, raw: RawWorkbook, *, correct: bool
) -> tuple[dict[str, TablePlan], list[Problem]]:
    """Validate against what is stored and plan every table; return the plans and all problems."""
    dataset, problems = validate_workbook(raw, known_keys=existing_keys(session))
    problems = [*raw.problems, *problems]
    if problems:
        return {}, problems
    plans: dict[str, TablePlan] = {}
    for mapping in MAPPINGS:
        if mapping.name not in raw.frames:
            continue
        incoming = dataset[mapping.name]
        stored = read_table(session, mapping.name, with_ids=True)
        plans[mapping.name] = plan_table(
            mapping.table,
            incoming,
            stored,
            given_columns=set(raw.frames[mapping.name].columns),
            row_numbers=raw.row_numbers(mapping.name),
        )
        if not correct:
            problems += correction_problems(plans[mapping.name], raw.source(mapping.name))
    return plans, problems


def _institutions_written(plans: dict[str, TablePlan]) -> set[str]:
    keys: set[str] = set()
    for name, plan in plans.items():
        if "institution" in plan.new.columns:
            keys |= set(plan.new["institution"].dropna())
        for correction in plan.corrections:
            value = correction.after.get("institution")
            if value:
                keys.add(str(value))
        if name == "institutions":
            keys |= set(plan.new["key"].dropna())
    return keys


def import_workbook(
    engine: Engine,
    path: Path,
    *,
    actor: Actor,
    dry_run: bool = False,
    correct: bool = False,
    reason: str | None = None,
) -> ImportReport:
    """Import a workbook all or nothing. Raises `WorkbookRefused` (nothing written) on any problem."""
    if correct and not (reason and reason.strip()):
        raise WorkbookRefused(
            [Problem(file=str(path), row=None, column=None, message="--correct needs --reason TEXT")]
        )
    raw = read_workbook(path)
    report = ImportReport(source=str(path), dry_run=dry_run)
    with write_session(engine) as session:
        plans, problems = plan_import(session, raw, correct=correct)
        if problems:
            raise WorkbookRefused(problems)
        report.plans = plans
        shared = [n for n in SHARED_TABLES if n in plans and not plans[n].is_empty]
        check_write(actor, _institutions_written(plans), shared=bool(shared))
        if dry_run or not report.changed:
            session.rollback()
            return report
        at = now()
        for mapping in MAPPINGS:
            plan = plans.get(mapping.name)
            if plan is None:
                continue
            insert_rows(session, mapping.name, plan.new, actor=actor.name, at=at, reason=reason)
            for correction in plan.corrections:
                apply_correction(session, correction, actor=actor.name, at=at, reason=reason)
                record_audit(
                    session,
                    actor=actor.name,
                    action="correct",
                    table_name=correction.table,
                    record_key=correction.record_key,
                    before=correction.before,
                    after=correction.after,
                    reason=reason,
                    at=at,
                )
        record_audit(
            session,
            actor=actor.name,
            action="import",
            reason=reason,
            detail={"source": str(path), "sha256": fingerprint(path), "counts": report.counts()},
            at=at,
        )
    return report
