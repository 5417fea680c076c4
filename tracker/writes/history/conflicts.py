"""Conflicts: two people writing the same record. The second write is refused with a message
saying what changed meanwhile (who, when, old → new); nothing is applied over the first.

Three ways a conflict is found, all giving the same kind of message:
- a form passes the version of each record the user saw (`expected_versions`), and the stored
  version is no longer it;
- a correction's optimistic update (`WHERE version = seen`) matches no row because another
  transaction committed a change in between (`apply.apply_correction`);
- two transactions insert the same identity at once: on PostgreSQL the second waits for the
  first and fails its unique constraint (SQLite serialises writers, so the second sees the
  first's row while planning).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tracker.db import read_session
from tracker.queries import read_table
from tracker.workbook.schema import TABLE_MAP
from tracker.writes.history.versions import (
    Version,
    current_versions,
    differences,
    differences_text,
    records,
)
from tracker.writes.history.versions import record_versions as versions_of_record
from tracker.writes.imports.plan import TablePlan, record_key
from tracker.writes.quarter.locks import when_text

# table name → record key → the version the user saw (0: the user saw no such record).
ExpectedVersions = Mapping[str, Mapping[str, int]]

NOTHING_APPLIED = "Nothing was applied: reload it and repeat your change if it still applies."


class ConflictRefused(Exception):
    """Someone else changed the record meanwhile; nothing was applied over their change."""


def _values_text(version: Version) -> str:
    identity = set(TABLE_MAP[version.table].identity)
    shown = {k: v for k, v in version.data.items() if k not in identity and v is not None}
    return ", ".join(f"{k} {v}" for k, v in shown.items())


def _reason_text(version: Version) -> str:
    return f" (reason: {version.reason})" if version.reason else ""


def _step_text(version: Version, previous: Version | None) -> str:
    who = f"by {version.recorded_by} at {when_text(version.recorded_at)}"
    if previous is None:
        return f"added {who}: {_values_text(version)}"
    changed = differences_text(differences(previous.data, version.data)) or "no visible change"
    return f"changed {who}{_reason_text(version)}: {changed}"


def changed_since(
    session: Session, *, table: str, record_id: int, record_key: str, seen_version: int
) -> str:
    """What happened to a record after the version someone saw, as one message."""
    versions = versions_of_record(session, table, record_id)
    by_number = {v.version: v for v in versions}
    steps = [
        _step_text(v, by_number.get(v.version - 1))
        for v in versions
        if v.version > seen_version
    ]
    seen = f"version {seen_version}" if seen_version else "it did not exist"
    return (
        f"{table} {record_key} was written by someone else after you read it ({seen}): "
        f"{'; '.join(steps) or 'it changed'}. {NOTHING_APPLIED}"
    )


def check_expected_versions(
    session: Session, plans: Mapping[str, TablePlan], expected: ExpectedVersions | None
) -> None:
    """Refuse when a record the user saw has been written since (rows that would not change
    anything are no conflict: the stored row already says what the user wants)."""
    if not expected:
        return
    messages = []
    for name, seen_keys in expected.items():
        plan = plans.get(name)
        if plan is None:
            continue
        for correction in plan.corrections:
            seen = seen_keys.get(correction.record_key)
            if seen is not None and seen != correction.version:
                messages.append(
                    changed_since(
                        session, table=name, record_id=correction.record_id,
                        record_key=correction.record_key, seen_version=seen,
                    )
                )
    if messages:
        raise ConflictRefused("\n".join(messages))


def _institutions_of(plan: TablePlan) -> list[str] | None:
    if "institution" in TABLE_MAP[plan.name].identity:
        return sorted(set(plan.new["institution"].dropna()))
    return None


def added_meanwhile(engine: Engine, plans: Mapping[str, TablePlan]) -> ConflictRefused | None:
    """After a failed insert: the planned new rows that someone else has stored meanwhile, as a
    conflict (None when there are none, i.e. the failure was something else)."""
    messages = []
    with read_session(engine) as session:
        for name, plan in plans.items():
            if len(plan.new) == 0:
                continue
            table = TABLE_MAP[name]
            stored = read_table(session, name, institutions=_institutions_of(plan), with_ids=True)
            identity = list(table.identity)
            clashes = stored.merge(plan.new[identity], on=identity, how="inner")
            for version in current_versions(session, name, clashes):
                messages.append(
                    f"{name} {version.record_key} was added by {version.recorded_by} at "
                    f"{when_text(version.recorded_at)} while you were saving "
                    f"({_values_text(version)})."
                )
    if not messages:
        return None
    return ConflictRefused("\n".join([*messages, NOTHING_APPLIED]))


def expected_versions_of(table: str, rows: pd.DataFrame) -> dict[str, int]:
    """record key → version, for rows read with `with_ids=True` (what a form shows a user)."""
    spec = TABLE_MAP[table]
    return {record_key(spec, row): int(row["_version"]) for row in records(rows)}
