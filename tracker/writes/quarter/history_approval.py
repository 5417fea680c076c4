"""Approving imported history in bulk: the quarters a workbook brought in that never went
through review (funders read approved quarters only, so without this they never see them).

`approve_history(engine, institution=…, through="2025Q4", actor=…, reason=…)` approves, in one
transaction, every *open* quarter of the institution up to `through` that holds reported values
(indicator values or a narrative). Quarters in review (submitted or returned) are left to their
reviewer. Administrators only; `through` must have ended. Each quarter is recorded as a
historical approval: its submission row's reason starts "historical approval", its thread gets
an "approve" entry saying so, and the audit log an `approve-history` entry per quarter (detail
`historical: true`, `through`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, insert, select, update

from tracker import models
from tracker.access import Actor, PermissionRefused
from tracker.db import write_session
from tracker.periods import period_end, period_index
from tracker.writes.history.audit import now, record_audit
from tracker.writes.history.staleness import mark_written
from tracker.writes.quarter.state import (
    TABLE,
    QuarterRefused,
    check_period,
    institution_id,
    keep_version,
    snapshot,
    submission_row,
)

HISTORICAL = "historical approval"
DEFAULT_REASON = "imported history, approved in bulk"


@dataclass(frozen=True)
class HistoryApproval:
    institution: str
    through: str
    approved: tuple[str, ...]  # the quarters approved now, oldest first
    in_review: tuple[str, ...]  # submitted or returned: left to their reviewer

    def describe(self) -> str:
        text = (f"{self.institution}: {len(self.approved)} quarter(s) up to {self.through} "
                f"approved as history")
        if self.approved:
            text += f" ({self.approved[0]}–{self.approved[-1]})"
        if self.in_review:
            text += (f"; {len(self.in_review)} in review left to their reviewer "
                     f"({', '.join(self.in_review)})")
        return text + "."


def _reported_periods(session: object, inst_id: int) -> set[str]:
    found: set[str] = set()
    for model in (models.IndicatorValue, models.Observation):
        stmt = select(model.period).where(model.institution_id == inst_id).distinct()
        found |= set(session.scalars(stmt))  # type: ignore[attr-defined]
    return found


def check_through(through: str, *, actor: Actor, today: dt.date | None = None) -> str:
    """`through` when history may be approved up to it by `actor`; else the refusal."""
    through = check_period(through)
    if not actor.is_admin:
        raise PermissionRefused(
            f"{actor.name} ({actor.role}) may not approve history: administrators only."
        )
    if period_end(through) >= (today or dt.date.today()):
        raise QuarterRefused(
            f"{through} has not ended yet: only ended quarters are approved as history."
        )
    return through


def approve_history(
    engine: Engine, *, institution: str, through: str, actor: Actor, reason: str | None = None,
    today: dt.date | None = None,
) -> HistoryApproval:
    """Approve, as history, every open quarter of `institution` up to `through` with reported
    values (see the module docstring). Refused for anyone but an administrator and for a
    `through` that has not ended."""
    through = check_through(through, actor=actor, today=today)
    why = f"{HISTORICAL}: {(reason or '').strip() or DEFAULT_REASON}"
    approved, in_review = [], []
    with write_session(engine) as session:
        inst_id = institution_id(session, institution)
        periods = sorted(
            (p for p in _reported_periods(session, inst_id)
             if period_index(p) <= period_index(through)),
            key=period_index,
        )
        at = now()
        for period in periods:
            row = submission_row(session, inst_id, period)
            if row is not None and row.state != "open":
                if row.state in ("submitted", "returned"):
                    in_review.append(period)
                continue
            columns = {"state": "approved", "locked": True, "submitted_at": at,
                       "submitted_by": actor.name, "approved_at": at,
                       "approved_by": actor.name, "reason": why, "recorded_at": at,
                       "recorded_by": actor.name}
            key = f"{institution}|{period}"
            before = None if row is None else snapshot(row)
            if row is None:
                session.execute(insert(models.QuarterSubmission).values(
                    institution_id=inst_id, period=period, version=1, **columns))
            else:
                keep_version(session, row, key, actor=actor.name, at=at)
                session.execute(update(models.QuarterSubmission)
                                .where(models.QuarterSubmission.id == row.id)
                                .values(version=row.version + 1, **columns))
            after = submission_row(session, inst_id, period)
            assert after is not None
            session.refresh(after)
            session.execute(insert(models.QuarterComment).values(
                institution_id=inst_id, period=period, kind="approve",
                text=f"Approved as history (through {through}) by {actor.name}: {why}.",
                author=actor.name, at=at))
            record_audit(
                session, actor=actor.name, action="approve-history", table_name=TABLE,
                record_key=key, before=before, after=snapshot(after), reason=why, at=at,
                detail={"institutions": [institution], "period": period, "historical": True,
                        "through": through},
            )
            approved.append(period)
        if approved:
            mark_written(session, [institution])
    return HistoryApproval(institution, through, tuple(approved), tuple(in_review))


def workbook_institutions(path: object) -> list[str]:
    """The institutions whose reported values a workbook holds (for `--approve-history`)."""
    from pathlib import Path

    from tracker.workbook.read import read_workbook

    raw = read_workbook(Path(str(path)))
    found: set[str] = set()
    for table in ("indicator_values", "observations"):
        frame = raw.tables.get(table)
        if frame is not None and "institution" in frame:
            found |= {key.strip() for key in frame["institution"] if key.strip()}
    return sorted(found)


def last_ended_quarter(today: dt.date | None = None) -> str:
    """The most recent quarter that has ended (the one before today's)."""
    from tracker.periods import period_from_index, period_of

    return period_from_index(period_index(period_of(today or dt.date.today())) - 1)


def load_sample(engine: Engine, *, actor: Actor) -> tuple[object, list[HistoryApproval]]:
    """Import the sample workbook and approve its history (every ended quarter): funders then
    read the sample's whole history, as they would a team's reviewed quarters."""
    from tracker.config import sample_data_path
    from tracker.writes.imports.importer import import_workbook

    report = import_workbook(engine, sample_data_path(), actor=actor)
    through = last_ended_quarter()
    approvals = [
        approve_history(engine, institution=key, through=through, actor=actor,
                        reason="the illustrative sample's history")
        for key in workbook_institutions(sample_data_path())
    ]
    return report, approvals
