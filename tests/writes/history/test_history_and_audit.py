"""Reading every version of a value, and the audit log, as each user may see them; and the
permission hook on rows that name their institution only through a change."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import Engine

from tests.writes.conftest import ADMIN, EVALUATOR, OTHER_ADMIN
from tracker.access import Actor, PermissionRefused
from tracker.db import read_session
from tracker.writes.history.audit_log import audit_entries
from tracker.writes.history.versions import institution_history
from tracker.writes.imports.rows import write_rows
from tracker.writes.quarter import review

TRUST_Q1 = {"institution": "northdale", "indicator": "trust", "period": "2024Q1"}


def correct_trust(engine: Engine, value: float, *, actor: Actor, reason: str) -> None:
    frame = pd.DataFrame([{**TRUST_Q1, "value": value}])
    write_rows(engine, {"indicator_values": frame}, actor=actor, correct=True, reason=reason)


def test_history_holds_every_version_with_who_when_and_why(seeded: Engine) -> None:
    correct_trust(seeded, 62.0, actor=ADMIN, reason="typo in the survey return")
    correct_trust(seeded, 62.5, actor=OTHER_ADMIN, reason="survey re-weighted")
    with read_session(seeded) as session:
        history = institution_history(session, institution="northdale", indicator="trust",
                                      period="2024Q1")
    assert [(v.version, v.data["value"], v.recorded_by, v.reason, v.current) for v in history] == [
        (1, 61.0, "ana", None, False),
        (2, 62.0, "ana", "typo in the survey return", False),
        (3, 62.5, "bea", "survey re-weighted", True),
    ]
    assert history[-1].to_json()["recorded_at"].endswith("+00:00")


def test_history_is_filtered_by_indicator_and_period_and_other_tables(seeded: Engine) -> None:
    write_rows(
        seeded,
        {"indicator_values": pd.DataFrame([{**TRUST_Q1, "period": "2024Q2", "value": 63}])},
        actor=ADMIN,
    )
    with read_session(seeded) as session:
        both = institution_history(session, institution="northdale", indicator="trust")
        assert [v.record_key for v in both] == ["northdale|trust|2024Q1", "northdale|trust|2024Q2"]
        narratives = institution_history(session, institution="northdale", table="observations")
        assert [v.data["narrative"] for v in narratives] == ["A quarter of listening."]
        assert institution_history(session, institution="eastmoor", period="2024Q2") == []


def test_the_audit_log_reads_from_a_day_on(seeded: Engine) -> None:
    correct_trust(seeded, 62.0, actor=ADMIN, reason="typo")
    with read_session(seeded) as session:
        everything = audit_entries(session, actor=ADMIN)
        tomorrow = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)
        assert audit_entries(session, actor=ADMIN, since=tomorrow) == []
    assert everything[-1].action == "correct" and everything[-1].reason == "typo"
    assert everything[-1].after == {**TRUST_Q1, "value": 62.0}
    assert everything[-1].to_json()["at"].endswith("+00:00")


def test_an_evaluator_reads_the_audit_of_their_institution_only(seeded: Engine) -> None:
    review.submit(seeded, institution="eastmoor", period="2024Q2", actor=ADMIN)
    review.submit(seeded, institution="northdale", period="2024Q2", actor=ADMIN)
    with read_session(seeded) as session:
        seen = [e.record for e in audit_entries(session, actor=EVALUATOR) if e.action == "submit"]
    assert seen == ["northdale|2024Q2"]


def test_an_evaluator_may_not_write_a_status_of_another_institutions_change(
    seeded: Engine,
) -> None:
    outsider = Actor("olly", "evaluator", institutions=frozenset({"eastmoor"}))
    status = pd.DataFrame([{"change": "c1", "date": "2024-05-01", "status": "reversed"}])
    with pytest.raises(PermissionRefused, match="c1"):
        write_rows(seeded, {"change_status": status}, actor=outsider)
    write_rows(seeded, {"change_status": status}, actor=EVALUATOR)
