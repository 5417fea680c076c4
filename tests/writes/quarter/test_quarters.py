"""Submitting, reopening and confirming a quarter; which quarters are due; who may do what."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from tests.writes.conftest import ADMIN, EVALUATOR, FUNDER, OTHER_ADMIN, audit, count
from tracker import models
from tracker.access import Actor, PermissionRefused
from tracker.db import read_session
from tracker.writes.history.versions import earlier_versions
from tracker.writes.quarter import review
from tracker.writes.quarter.state import (
    QuarterRefused,
    confirm_leadership,
    leadership_confirmation,
    quarter_state,
    quarters_due,
)


def test_submitting_locks_the_quarter_and_is_audited(seeded: Engine) -> None:
    state = review.submit(seeded, institution="northdale", period="2024Q2", actor=EVALUATOR)
    assert state.locked and state.lock is not None and state.lock.submitted_by == "eve"
    assert state.describe().startswith("locked (submitted by eve at ")
    [entry] = audit(seeded, "submit")
    assert entry.record_key == "northdale|2024Q2" and entry.actor == "eve"
    assert entry.after is not None and entry.after["locked"] is True


def test_submitting_a_submitted_quarter_again_is_refused(seeded: Engine) -> None:
    review.submit(seeded, institution="northdale", period="2024Q2", actor=EVALUATOR)
    with pytest.raises(QuarterRefused, match=r"already locked \(submitted by eve"):
        review.submit(seeded, institution="northdale", period="2024Q2", actor=ADMIN)


@pytest.mark.parametrize(
    ("institution", "period", "message"),
    [("nowhere", "2024Q2", "no institution"), ("northdale", "2024-Q2", "not a quarter")],
)
def test_submitting_an_unknown_institution_or_a_bad_quarter_is_refused(
    seeded: Engine, institution: str, period: str, message: str
) -> None:
    with pytest.raises(QuarterRefused, match=message):
        review.submit(seeded, institution=institution, period=period, actor=ADMIN)


@pytest.mark.parametrize(
    "actor",
    [
        pytest.param(Actor("olly", "evaluator", institutions=frozenset({"eastmoor"})),
                     id="evaluator-of-another-institution"),
        pytest.param(FUNDER, id="funder"),
        pytest.param(Actor("ivy", "institution", institutions=frozenset({"northdale"})),
                     id="institution-viewer"),
    ],
)
def test_only_who_writes_for_the_institution_may_submit_it(seeded: Engine, actor: Actor) -> None:
    with pytest.raises(PermissionRefused):
        review.submit(seeded, institution="northdale", period="2024Q2", actor=actor)
    assert count(seeded, models.QuarterSubmission) == 0


def test_reopening_needs_a_reason(seeded: Engine) -> None:
    review.submit(seeded, institution="northdale", period="2024Q2", actor=EVALUATOR)
    for reason in (None, "", "   "):
        with pytest.raises(QuarterRefused, match="needs a reason"):
            review.reopen(seeded, institution="northdale", period="2024Q2", actor=ADMIN,
                           reason=reason)
    with read_session(seeded) as session:
        assert quarter_state(session, institution="northdale", period="2024Q2").locked


def test_only_an_administrator_may_reopen_even_the_evaluator_who_submitted(
    seeded: Engine,
) -> None:
    review.submit(seeded, institution="northdale", period="2024Q2", actor=EVALUATOR)
    with pytest.raises(PermissionRefused, match="may not reopen"):
        review.reopen(seeded, institution="northdale", period="2024Q2", actor=EVALUATOR,
                       reason="I made a mistake")


def test_reopening_a_quarter_that_is_not_submitted_is_refused(seeded: Engine) -> None:
    with pytest.raises(QuarterRefused, match="not submitted"):
        review.reopen(seeded, institution="northdale", period="2024Q2", actor=ADMIN,
                       reason="why not")


def test_reopen_and_resubmit_keep_every_earlier_state_and_both_are_audited(
    seeded: Engine,
) -> None:
    review.submit(seeded, institution="northdale", period="2024Q2", actor=EVALUATOR)
    state = review.reopen(seeded, institution="northdale", period="2024Q2", actor=OTHER_ADMIN,
                           reason="late values from the council")
    assert not state.locked
    assert "reopened by bea" in state.describe() and "late values" in state.describe()
    review.submit(seeded, institution="northdale", period="2024Q2", actor=EVALUATOR)
    assert [e.action for e in audit(seeded)][-3:] == ["submit", "reopen", "submit"]
    [reopen] = audit(seeded, "reopen")
    assert reopen.reason == "late values from the council" and reopen.actor == "bea"
    with read_session(seeded) as session:
        submission = session.scalar(select(models.QuarterSubmission.id))
        assert submission is not None
        kept = earlier_versions(session, "quarter_submissions", [submission])
        assert [(v.version, v.data["locked"]) for v in kept] == [(1, True), (2, False)]
        assert quarter_state(session, institution="northdale", period="2024Q2").locked


def test_quarters_due_are_those_not_submitted(seeded: Engine) -> None:
    review.submit(seeded, institution="northdale", period="2024Q2", actor=ADMIN)
    with read_session(seeded) as session:
        due = quarters_due(session, period="2024Q2")
        assert [d.institution for d in due] == ["eastmoor"]
        assert [d.institution for d in quarters_due(session, period="2024Q3")] == [
            "eastmoor", "northdale"
        ]
        scoped = quarters_due(session, period="2024Q3", institutions={"northdale"})
        assert [d.institution for d in scoped] == ["northdale"]


def test_leadership_is_confirmed_once_per_quarter_and_not_in_a_locked_one(
    seeded: Engine,
) -> None:
    first = confirm_leadership(seeded, institution="northdale", period="2024Q2",
                               actor=EVALUATOR, note="No change this quarter")
    again = confirm_leadership(seeded, institution="northdale", period="2024Q2", actor=ADMIN)
    assert again.confirmed_by == first.confirmed_by == "eve"
    assert len(audit(seeded, "confirm_leadership")) == 1
    with read_session(seeded) as session:
        assert leadership_confirmation(session, institution="northdale", period="2024Q3") is None
    review.submit(seeded, institution="northdale", period="2024Q3", actor=ADMIN)
    with pytest.raises(QuarterRefused, match="locked"):
        confirm_leadership(seeded, institution="northdale", period="2024Q3", actor=ADMIN)
