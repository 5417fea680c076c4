"""The review of a quarter: open → submitted → approved; submitted → returned → submitted again;
submitted or approved → reopened by an administrator. Who may do what, as the spec says it."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest
from sqlalchemy import Engine

from tests.writes.conftest import ADMIN, EVALUATOR, FUNDER, OTHER_ADMIN, audit
from tracker.access import Actor, PermissionRefused
from tracker.db import read_session
from tracker.workbook.problems import WorkbookRefused
from tracker.writes.imports.rows import write_rows
from tracker.writes.quarter import review
from tracker.writes.quarter.state import QuarterRefused, quarter_state

REVIEWER = Actor("rita", role="reviewer", institutions=frozenset({"northdale"}))
OTHER_REVIEWER = Actor("olga", role="reviewer", institutions=frozenset({"eastmoor"}))
VIEWER = Actor("ivy", role="institution", institutions=frozenset({"northdale"}))

# The spec, as a table: in this state, this action may be taken by these roles, and leads there.
# Every other (state, action, role) is refused, with the reason.
ALLOWED = {
    ("open", "submit"): ({"admin", "evaluator"}, "submitted"),
    ("returned", "submit"): ({"admin", "evaluator"}, "submitted"),
    ("submitted", "approve"): ({"admin", "reviewer"}, "approved"),
    ("submitted", "return"): ({"admin", "reviewer"}, "returned"),
    ("submitted", "reopen"): ({"admin"}, "open"),
    ("approved", "reopen"): ({"admin"}, "open"),
}
# Who may take an action at all (in some state): anyone else is refused for their role.
ROLES_OF_ACTION = {
    "submit": {"admin", "evaluator"},
    "approve": {"admin", "reviewer"},
    "return": {"admin", "reviewer"},
    "reopen": {"admin"},
}
STATES = ("open", "submitted", "returned", "approved")
ACTORS = {
    "administrator": OTHER_ADMIN,
    "assigned evaluator": EVALUATOR,
    "assigned reviewer": REVIEWER,
    "reviewer of another institution": OTHER_REVIEWER,
    "institution viewer": VIEWER,
    "funder": FUNDER,
}


def bring_to(engine: Engine, state: str, period: str) -> None:
    """Put northdale's quarter in `state`, submitted by the evaluator."""
    if state == "open":
        return
    review.submit(engine, institution="northdale", period=period, actor=EVALUATOR)
    if state == "returned":
        review.return_(engine, institution="northdale", period=period, actor=REVIEWER,
                       comment="Trust looks mistyped")
    elif state == "approved":
        review.approve(engine, institution="northdale", period=period, actor=REVIEWER)


def expected_refusal(state: str, action: str, who: str, actor: Actor) -> str | None:
    """The reason the spec gives for refusing (None: allowed)."""
    if actor.role not in ROLES_OF_ACTION[action]:
        return "may not"
    if who == "reviewer of another institution":
        return "not assigned"
    if (state, action) not in ALLOWED:
        return "can be"
    roles, _ = ALLOWED[(state, action)]
    return None if actor.role in roles else "may not"


def state_now(engine: Engine, period: str) -> str:
    with read_session(engine) as session:
        return quarter_state(session, institution="northdale", period=period).state


def test_every_transition_by_every_role_is_allowed_or_refused_as_the_spec_says(
    seeded: Engine,
) -> None:
    cases = list(itertools.product(STATES, ROLES_OF_ACTION, ACTORS))
    # One quarter per case, so every case starts from its own state in one database.
    periods = [f"{2030 + i // 4}Q{i % 4 + 1}" for i in range(len(cases))]
    wrong = []
    for (state, action, who), period in zip(cases, periods, strict=True):
        actor = ACTORS[who]
        bring_to(seeded, state, period)
        reason = expected_refusal(state, action, who, actor)
        try:
            got = review.transition(seeded, institution="northdale", period=period,
                                    action=action, actor=actor, text="Because")
        except (PermissionRefused, QuarterRefused) as refused:
            if reason is None or reason not in str(refused):
                wrong.append(f"{state} × {action} × {who}: refused ({refused}), "
                             f"expected {reason or 'allowed'}")
            elif state_now(seeded, period) != state:
                wrong.append(f"{state} × {action} × {who}: refused but the state changed")
            continue
        if reason is not None:
            wrong.append(f"{state} × {action} × {who}: allowed, expected refused ({reason})")
        elif got.state != ALLOWED[(state, action)][1]:
            wrong.append(f"{state} × {action} × {who}: led to {got.state}")
    assert not wrong, "\n".join(wrong)


def test_the_submitter_may_not_approve_or_return_their_own_quarter(seeded: Engine) -> None:
    review.submit(seeded, institution="northdale", period="2024Q2", actor=ADMIN)
    for action in ("approve", "return"):
        with pytest.raises(PermissionRefused, match="ana submitted northdale 2024Q2"):
            review.transition(seeded, institution="northdale", period="2024Q2", action=action,
                              actor=ADMIN, text="mine")
    # Nor may the evaluator who submitted it, once made a reviewer.
    review.reopen(seeded, institution="northdale", period="2024Q2", actor=ADMIN, reason="redo")
    review.submit(seeded, institution="northdale", period="2024Q2", actor=EVALUATOR)
    eve_reviewing = Actor("eve", role="reviewer", institutions=frozenset({"northdale"}))
    with pytest.raises(PermissionRefused, match="a second person reviews"):
        review.approve(seeded, institution="northdale", period="2024Q2", actor=eve_reviewing)
    assert review.approve(
        seeded, institution="northdale", period="2024Q2", actor=OTHER_ADMIN
    ).state == "approved"


@pytest.mark.parametrize("text", [None, "", "   "])
def test_returning_needs_a_comment_and_reopening_a_reason(seeded: Engine, text: str | None) -> None:
    review.submit(seeded, institution="northdale", period="2024Q2", actor=EVALUATOR)
    with pytest.raises(QuarterRefused, match="needs a comment"):
        review.return_(seeded, institution="northdale", period="2024Q2", actor=REVIEWER,
                       comment=text)
    with pytest.raises(QuarterRefused, match="needs a reason"):
        review.reopen(seeded, institution="northdale", period="2024Q2", actor=ADMIN, reason=text)
    assert state_now(seeded, "2024Q2") == "submitted"


def _value(value: float) -> dict[str, pd.DataFrame]:
    return {"indicator_values": pd.DataFrame(
        [{"institution": "northdale", "indicator": "trust", "period": "2024Q2", "value": value}]
    )}


def test_a_returned_quarter_is_open_for_corrections_and_is_submitted_again(
    seeded: Engine,
) -> None:
    write_rows(seeded, _value(6.4), actor=EVALUATOR)
    review.submit(seeded, institution="northdale", period="2024Q2", actor=EVALUATOR)
    with pytest.raises(WorkbookRefused):  # submitted: locked
        write_rows(seeded, _value(64.0), actor=EVALUATOR, correct=True, reason="typo")
    returned = review.return_(seeded, institution="northdale", period="2024Q2", actor=REVIEWER,
                              comment="Trust 6.4 looks like a typo for 64")
    assert returned.state == "returned" and not returned.locked
    assert returned.describe().startswith("returned by rita at ")
    write_rows(seeded, _value(64.0), actor=EVALUATOR, correct=True, reason="typo")
    again = review.submit(seeded, institution="northdale", period="2024Q2", actor=EVALUATOR)
    assert again.state == "submitted" and again.locked and again.return_reason is None
    with read_session(seeded) as session:
        status = review.review_status(session, institution="northdale", period="2024Q2")
    assert [(c.kind, c.author, c.text) for c in status.comments] == [
        ("return", "rita", "Trust 6.4 looks like a typo for 64")
    ]
    assert [e.detail["to"] for e in audit(seeded) if e.table_name == "quarter_submissions"
            and e.detail] == ["submitted", "returned", "submitted"]


def test_values_changed_since_approval_are_counted_from_the_audit_log(seeded: Engine) -> None:
    write_rows(seeded, _value(64.0), actor=EVALUATOR)
    review.submit(seeded, institution="northdale", period="2024Q2", actor=EVALUATOR)
    review.approve(seeded, institution="northdale", period="2024Q2", actor=REVIEWER)
    with read_session(seeded) as session:
        assert review.review_status(
            session, institution="northdale", period="2024Q2"
        ).changed_since_approval == 0
    reopened = review.reopen(seeded, institution="northdale", period="2024Q2", actor=ADMIN,
                             reason="Funder query on trust")
    assert reopened.state == "open" and reopened.approved_by == "rita"
    write_rows(seeded, _value(66.0), actor=EVALUATOR, correct=True, reason="recount")
    observation = {"observations": pd.DataFrame(
        [{"institution": "northdale", "period": "2024Q2", "narrative": "Recounted."}]
    )}
    write_rows(seeded, observation, actor=EVALUATOR)
    # Another quarter's and another institution's values do not count.
    write_rows(seeded, {"indicator_values": pd.DataFrame(
        [{"institution": "eastmoor", "indicator": "trust", "period": "2024Q2", "value": 1.0}]
    )}, actor=ADMIN)
    with read_session(seeded) as session:
        status = review.review_status(session, institution="northdale", period="2024Q2")
    assert status.changed_since_approval == 2
    assert status.lines()[0].startswith("open northdale 2024Q2")
    assert "2 value(s) changed since approval" in status.lines()


def test_an_approved_quarter_stays_locked(seeded: Engine) -> None:
    review.submit(seeded, institution="northdale", period="2024Q2", actor=EVALUATOR)
    approved = review.approve(seeded, institution="northdale", period="2024Q2", actor=REVIEWER)
    assert approved.locked and approved.describe().startswith("locked (approved by rita at ")
    with pytest.raises(WorkbookRefused, match="locked"):
        write_rows(seeded, _value(1.0), actor=EVALUATOR)


def test_every_transition_is_audited_with_who_when_and_why(seeded: Engine) -> None:
    review.submit(seeded, institution="northdale", period="2024Q2", actor=EVALUATOR)
    review.return_(seeded, institution="northdale", period="2024Q2", actor=REVIEWER,
                   comment="Missing the observation")
    [entry] = audit(seeded, "return")
    assert entry.actor == "rita" and entry.reason == "Missing the observation"
    assert entry.at is not None and entry.record_key == "northdale|2024Q2"
    assert entry.before is not None and entry.before["state"] == "submitted"
    assert entry.after is not None and entry.after["state"] == "returned"


def test_comments_thread_on_the_quarter_and_only_people_in_scope_add_them(
    seeded: Engine,
) -> None:
    review.comment(seeded, institution="northdale", period="2024Q2", actor=REVIEWER,
                   text="Is the survey in?")
    review.comment(seeded, institution="northdale", period="2024Q2", actor=EVALUATOR,
                   text="Yes, uploaded.")
    for outsider in (OTHER_REVIEWER, FUNDER, VIEWER):
        with pytest.raises(PermissionRefused):
            review.comment(seeded, institution="northdale", period="2024Q2", actor=outsider,
                           text="hello")
    with pytest.raises(QuarterRefused, match="needs a text"):
        review.comment(seeded, institution="northdale", period="2024Q2", actor=REVIEWER,
                       text=" ")
    with read_session(seeded) as session:
        thread = review.thread(session, institution="northdale", period="2024Q2")
    assert [(c.author, c.text) for c in thread] == [("rita", "Is the survey in?"),
                                                     ("eve", "Yes, uploaded.")]
    assert len(audit(seeded, "comment")) == 2


def test_the_review_queue_holds_submitted_quarters_in_scope_not_submitted_by_the_reviewer(
    seeded: Engine,
) -> None:
    review.submit(seeded, institution="northdale", period="2024Q2", actor=EVALUATOR)
    review.submit(seeded, institution="northdale", period="2024Q3", actor=EVALUATOR)
    review.approve(seeded, institution="northdale", period="2024Q3", actor=REVIEWER)
    review.submit(seeded, institution="eastmoor", period="2024Q2", actor=ADMIN)
    with read_session(seeded) as session:
        mine = review.review_queue(session, REVIEWER)
        admins = review.review_queue(session, ADMIN)
        others = review.review_queue(session, OTHER_REVIEWER)
    assert [(q.institution, q.period) for q in mine] == [("northdale", "2024Q2")]
    assert [(q.institution, q.period) for q in admins] == [("northdale", "2024Q2")]
    assert [(q.institution, q.period) for q in others] == [("eastmoor", "2024Q2")]


def test_allowed_actions_say_what_each_person_may_do_now(seeded: Engine) -> None:
    review.submit(seeded, institution="northdale", period="2024Q2", actor=EVALUATOR)
    with read_session(seeded) as session:
        state = quarter_state(session, institution="northdale", period="2024Q2")
    assert review.allowed_actions(REVIEWER, state) == ["approve", "return"]
    assert review.allowed_actions(EVALUATOR, state) == []
    assert review.allowed_actions(OTHER_ADMIN, state) == ["approve", "return", "reopen"]
