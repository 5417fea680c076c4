"""Requests to reopen a locked quarter, the submit summary with reasons for what is missing,
and keys made from titles."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine

from tests.writes.conftest import ADMIN, EVALUATOR, STORED_QUARTER, audit, count
from tracker import models
from tracker.access import PermissionRefused
from tracker.db import read_session
from tracker.queries import load_dataset
from tracker.writes.imports.record_keys import base_key, new_record_key, role_key, unique_key
from tracker.writes.quarter import review
from tracker.writes.quarter.checklist import quarter_checklist
from tracker.writes.quarter.reopening import decide_request, pending_requests, request_reopening
from tracker.writes.quarter.state import QuarterRefused, quarter_state
from tracker.writes.quarter.submission import submission_notes, submit_summary, submit_with_reasons


def _locked(engine: Engine) -> None:
    review.submit(engine, institution="northdale", period=STORED_QUARTER, actor=EVALUATOR)


def test_an_evaluator_requests_reopening_and_an_administrator_grants_it(seeded: Engine) -> None:
    _locked(seeded)
    request = request_reopening(
        seeded, institution="northdale", period=STORED_QUARTER, actor=EVALUATOR,
        reason="late survey returns",
    )
    with read_session(seeded) as session:
        assert [r.id for r in pending_requests(session)] == [request.id]
    with pytest.raises(QuarterRefused, match="already waiting"):
        request_reopening(seeded, institution="northdale", period=STORED_QUARTER,
                          actor=EVALUATOR, reason="again")
    with pytest.raises(PermissionRefused):
        decide_request(seeded, request_id=request.id, actor=EVALUATOR, grant=True)
    granted = decide_request(seeded, request_id=request.id, actor=ADMIN, grant=True)
    assert granted.status == "granted" and granted.decided_by == "ana"
    with read_session(seeded) as session:
        state = quarter_state(session, institution="northdale", period=STORED_QUARTER)
        assert not state.locked and "late survey returns" in (state.reopen_reason or "")
        assert pending_requests(session) == []
    assert [e.action for e in audit(seeded) if "reopen" in e.action] == [
        "request_reopening", "reopen", "grant_reopening",
    ]


def test_a_reopening_request_needs_a_reason_and_a_locked_quarter(seeded: Engine) -> None:
    with pytest.raises(QuarterRefused, match="not locked"):
        request_reopening(seeded, institution="northdale", period=STORED_QUARTER,
                          actor=EVALUATOR, reason="why not")
    _locked(seeded)
    with pytest.raises(QuarterRefused, match="needs a reason"):
        request_reopening(seeded, institution="northdale", period=STORED_QUARTER,
                          actor=EVALUATOR, reason="  ")
    request = request_reopening(seeded, institution="northdale", period=STORED_QUARTER,
                                actor=EVALUATOR, reason="typo in trust")
    with pytest.raises(QuarterRefused, match="needs a note"):
        decide_request(seeded, request_id=request.id, actor=ADMIN, grant=False)
    declined = decide_request(seeded, request_id=request.id, actor=ADMIN, grant=False,
                              note="correct it next quarter")
    assert declined.status == "declined"
    with read_session(seeded) as session:
        assert quarter_state(session, institution="northdale", period=STORED_QUARTER).locked


def test_submitting_with_missing_items_needs_a_reason_for_each(seeded: Engine) -> None:
    with read_session(seeded) as session:
        dataset = load_dataset(session)
    items = quarter_checklist(dataset, institution="northdale", period=STORED_QUARTER,
                              leadership_confirmed=False)
    summary = submit_summary(dataset, institution="northdale", period=STORED_QUARTER,
                             checklist=items)
    assert summary.locked["indicator values"] == 1 and summary.locked["decisions"] == 1
    assert summary.locked["narrative"] == 1
    # the tenure starting in the quarter is a logged change: leadership counts as confirmed
    assert "leadership" not in summary.needs_reasons
    with pytest.raises(QuarterRefused, match="Tick the confirmation"):
        submit_with_reasons(seeded, summary=summary, actor=EVALUATOR, reasons={},
                            confirmed=False)
    if summary.missing:
        with pytest.raises(QuarterRefused, match="needs a short reason"):
            submit_with_reasons(seeded, summary=summary, actor=EVALUATOR, reasons={},
                                confirmed=True)
    reasons = {key: "waiting for the council" for key in summary.needs_reasons}
    submit_with_reasons(seeded, summary=summary, actor=EVALUATOR, reasons=reasons,
                        confirmed=True)
    with read_session(seeded) as session:
        kept = submission_notes(session, institution="northdale", period=STORED_QUARTER)
    assert kept == [(key, "waiting for the council") for key in summary.needs_reasons]
    assert count(seeded, models.QuarterSubmission) == 1


def test_keys_are_made_from_titles_and_dates_stable_and_unique(seeded: Engine) -> None:
    day = dt.date(2024, 5, 2)
    assert base_key("northdale", "Peer review of the Deal (Q2)!", day) == (
        "northdale-peer-review-of-the-deal-q2-2024"
    )
    assert base_key("northdale", "Peer review of the Deal (Q2)!", day) == base_key(
        "northdale", "peer review of the deal q2", day
    )
    assert unique_key("a-2024", {"a-2024", "a-2024-2"}) == "a-2024-3"
    assert role_key("Chief Executive  (acting)") == "chief_executive_acting"
    with read_session(seeded) as session:
        assert new_record_key(
            session, "decisions", institution="northdale", title="Budget panel", day=day
        ) == "northdale-budget-panel-2024"
