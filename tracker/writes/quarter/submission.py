"""Submitting a quarter with its summary: what the submission locks (records dated in the
quarter, counted per kind), what the checklist still misses, and a short reason for each
missing item, kept with the submission (`submission_notes`, audited).

The submit itself is the review state machine's (`tracker.writes.quarter.review.submit`);
the reasons are written right after it succeeds, so a refused submit keeps none.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, insert, select
from sqlalchemy.orm import Session

from tracker import models
from tracker.access import Actor
from tracker.dataset import Dataset
from tracker.db import write_session
from tracker.periods import period_end, period_start
from tracker.workbook.schema import TABLE_MAP
from tracker.writes.history.audit import now, record_audit
from tracker.writes.quarter.checklist import ChecklistItem
from tracker.writes.quarter.review import submit
from tracker.writes.quarter.state import QuarterRefused, QuarterState

# The kinds of record a submission locks, as the summary names them (table → words).
LOCKED_KINDS = {
    "indicator_values": "indicator values",
    "leadership": "leadership tenures starting in the quarter",
    "decisions": "decisions",
    "changes": "structural changes adopted",
    "change_status": "status records",
    "evidence": "evidence items",
    "factors": "influencing factors starting",
    "observations": "narrative",
}


@dataclass(frozen=True)
class SubmitSummary:
    institution: str
    period: str
    locked: dict[str, int]  # words of LOCKED_KINDS → count dated in the quarter
    missing: tuple[ChecklistItem, ...]

    @property
    def needs_reasons(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.missing)


def _in_quarter(frame: pd.DataFrame, column: str, period: str) -> pd.Series:
    if column == "period":
        return frame[column] == period
    first, last = pd.Timestamp(period_start(period)), pd.Timestamp(period_end(period))
    return frame[column].between(first, last)


def submit_summary(
    dataset: Dataset, *, institution: str, period: str, checklist: Sequence[ChecklistItem]
) -> SubmitSummary:
    """What submitting the quarter locks and what is still missing."""
    changes = dataset["changes"]
    own_changes = set(changes[changes["institution"] == institution]["key"])
    counts = {}
    for table, words in LOCKED_KINDS.items():
        frame = dataset[table]
        own = (
            frame[frame["change"].isin(own_changes)]
            if table == "change_status"
            else frame[frame["institution"] == institution]
        )
        dated_by = TABLE_MAP[table].dated_by
        assert dated_by is not None
        counts[words] = int(_in_quarter(own, dated_by, period).sum()) if len(own) else 0
    return SubmitSummary(
        institution, period, counts, tuple(item for item in checklist if not item.done)
    )


def submit_with_reasons(
    engine: Engine,
    *,
    summary: SubmitSummary,
    actor: Actor,
    reasons: Mapping[str, str],
    confirmed: bool,
) -> QuarterState:
    """Submit the quarter of `summary`: refused unless `confirmed` and every missing item has a
    reason (checklist item key → reason); the reasons are kept with the submission."""
    if not confirmed:
        raise QuarterRefused("Tick the confirmation to submit: submitting locks the quarter.")
    lacking = [item.label for item in summary.missing if not (reasons.get(item.key) or "").strip()]
    if lacking:
        raise QuarterRefused(
            "Each missing item needs a short reason before submitting: " + ", ".join(lacking) + "."
        )
    state = submit(
        engine, institution=summary.institution, period=summary.period, actor=actor
    )
    if summary.missing:
        _keep_reasons(engine, summary, actor, reasons)
    return state


def _keep_reasons(
    engine: Engine, summary: SubmitSummary, actor: Actor, reasons: Mapping[str, str]
) -> None:
    at = now()
    with write_session(engine) as session:
        institution_id = session.scalar(
            select(models.Institution.id).where(models.Institution.key == summary.institution)
        )
        kept = {}
        for item in summary.missing:
            reason = reasons[item.key].strip()
            kept[item.key] = reason
            session.execute(
                insert(models.SubmissionNote).values(
                    institution_id=institution_id,
                    period=summary.period,
                    item=item.key,
                    missing=", ".join(item.missing) or item.label,
                    reason=reason,
                    recorded_by=actor.name,
                    recorded_at=at,
                )
            )
        record_audit(
            session,
            actor=actor.name,
            action="submission_notes",
            table_name="submission_notes",
            record_key=f"{summary.institution}|{summary.period}",
            after=kept,
            at=at,
            detail={"institutions": [summary.institution], "period": summary.period},
        )


def submission_notes(session: Session, *, institution: str, period: str) -> list[tuple[str, str]]:
    """(item, reason) kept with the latest submissions of the quarter, oldest first."""
    model = models.SubmissionNote
    stmt = (
        select(model.item, model.reason)
        .join(models.Institution, models.Institution.id == model.institution_id)
        .where(models.Institution.key == institution, model.period == period)
        .order_by(model.recorded_at, model.id)
    )
    return [(str(item), str(reason)) for item, reason in session.execute(stmt)]
