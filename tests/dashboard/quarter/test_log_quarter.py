"""The "Log a quarter" page driven with AppTest through a whole quarter: enter values, add a
decision, write the narrative, submit, then try to edit the locked quarter and see the refusal.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from tests.builders import Scenario
from tests.dashboard.conftest import DASHBOARD, sqlite_url
from tracker import models
from tracker.access import Actor, local_operator
from tracker.config import PROJECT_ROOT
from tracker.dashboard.navigation import page_spec
from tracker.dashboard.quarter.value_grid import cell_key
from tracker.dashboard.text import as_shown
from tracker.db import make_engine, read_session
from tracker.migrate import upgrade
from tracker.writes.imports.rows import write_rows

TIMEOUT = 120
PERIOD = "2024Q2"


@pytest.fixture
def northdale_url(tmp_path: Path) -> str:
    """A database holding one institution with last quarter's values and a tenure."""
    url = sqlite_url(tmp_path / "northdale.db")
    engine = make_engine(url)
    upgrade(engine)
    case = (
        Scenario("northdale", name="Northdale Council")
        .indicator("trust")
        .indicator("turnover", higher_is_better=False)
        .values("trust", "2024Q1", [61.0])
        .values("turnover", "2024Q1", [12.5])
        .tenure("chief_executive", "Chief executive (first holder)", "2020-01-01")
    )
    frames = {name: frame for name, frame in case.build().frames.items() if len(frame)}
    write_rows(engine, frames, actor=local_operator(), source="seed")
    engine.dispose()
    return url


def open_log_quarter(monkeypatch: pytest.MonkeyPatch, url: str) -> AppTest:
    monkeypatch.setenv("TRACKER_DATABASE_URL", url)
    at = AppTest.from_file(str(DASHBOARD), default_timeout=TIMEOUT)
    at.run()
    at.query_params["institution"] = "northdale"
    at.query_params["period"] = PERIOD
    at.switch_page(str(page_spec("log-quarter").path.relative_to(PROJECT_ROOT))).run()
    assert not at.exception, at.exception
    return at


def texts(elements: object) -> str:
    # As a reader sees them: user-written text is escaped Markdown (tracker.dashboard.text).
    return "\n".join(as_shown(str(e.value)) for e in elements)  # type: ignore[attr-defined]


def stored(url: str, model: type[models.Base]) -> pd.DataFrame:
    engine = make_engine(url)
    with read_session(engine) as session:
        frame = pd.read_sql(select(model), session.connection())
    engine.dispose()
    return frame


def save_values(at: AppTest, reason: str | None = None, **values: float) -> AppTest:
    for indicator, value in values.items():
        at.number_input(key=cell_key("northdale", PERIOD, indicator)).set_value(value)
    if reason is not None:
        at = at.run()
        at.text_input(key=f"lq_cell_reason|northdale|{PERIOD}").input(reason)
    return at.button(key="lq_values_save").click().run()


def test_a_whole_quarter_on_the_page(monkeypatch: pytest.MonkeyPatch, northdale_url: str) -> None:
    at = open_log_quarter(monkeypatch, northdale_url)
    assert f"{PERIOD} is open (not submitted)" in texts(at.info)
    checklist = texts(at.markdown)
    assert "**Indicator values** — ✘ missing: trust, turnover" in checklist
    assert "2024Q1: **12.5**" in checklist  # last quarter's value, for reference

    # enter this quarter's values: the cells say they are unsaved until saved
    at.number_input(key=cell_key("northdale", PERIOD, "trust")).set_value(64.0)
    at = at.run()
    assert "✎ unsaved" in texts(at.markdown)
    at = save_values(at, turnover=11.0)
    assert not at.exception and not at.error, texts(at.error)
    assert "2 indicator values saved for 2024Q2" in texts(at.success)
    values = stored(northdale_url, models.IndicatorValue)
    assert sorted(values[values["period"] == PERIOD]["value"]) == [11.0, 64.0]
    assert "**Indicator values** — ✔ done" in texts(at.markdown)
    assert "✔ saved" in texts(at.markdown)

    # add a decision: its key is made from its title and year; the form is cleared
    at.text_input(key="lq_decision_title").input("Budget panel reinstated")
    at.checkbox(key="lq_decision_reverses").check()
    at.checkbox(key="lq_decision_community").check()
    at.selectbox(key="lq_decision_cost").select("budget")
    at = at.button(key="lq_decision_save").click().run()
    assert not at.error, texts(at.error)
    assert "Decision saved: Budget panel reinstated." in texts(at.success)
    assert at.text_input(key="lq_decision_title").value == ""
    [decision] = stored(northdale_url, models.Decision).to_dict("records")
    assert (decision["key"], decision["reverses_earlier"], decision["because_of_community"],
            decision["cost"]) == ("northdale-budget-panel-reinstated-2024", True, True, "budget")

    # the narrative: attribution language gets a gentle warning and a rewording to apply
    narrative = f"lq_narrative_text_northdale_{PERIOD}"
    at.text_area(key=narrative).input("The programme caused the rise in trust.")
    at = at.run()
    assert "attribution language" in texts(at.warning)
    at = at.button(key="lq_narrative_apply").click().run()
    assert at.text_area(key=narrative).value != "The programme caused the rise in trust."
    at.text_area(key=narrative).input(
        "The rise in trust is consistent with the panels' work, alongside a new budget."
    )
    at = at.run()
    assert "attribution language" not in texts(at.warning)
    at = at.button(key="lq_narrative_save").click().run()
    assert not at.error, texts(at.error)
    [observation] = stored(northdale_url, models.Observation).to_dict("records")
    assert observation["narrative"].startswith("The rise in trust is consistent with")
    assert "**The narrative** — ✔ done" in texts(at.markdown)

    # submit: refused without a reason for what is missing and without the confirmation
    at = at.button(key="lq_submit_go").click().run()
    assert "Tick the confirmation" in texts(at.error)
    at.checkbox(key="lq_submit_confirm").check()
    at = at.button(key="lq_submit_go").click().run()
    assert "needs a short reason" in texts(at.error)
    at.text_input(key="lq_submit_reason_leadership").input("no change; confirmed by phone")
    at = at.button(key="lq_submit_go").click().run()
    assert not at.error, texts(at.error)
    assert f"**{PERIOD} is locked (submitted by local:" in texts(at.warning)
    picker = at.selectbox(key="lq_period")
    assert picker.value == PERIOD
    assert picker.format_func(PERIOD) == f"{PERIOD} · submitted, awaiting review"
    notes = stored(northdale_url, models.SubmissionNote)
    assert list(notes["reason"]) == ["no change; confirmed by phone"]

    # the locked quarter is read-only: its inputs are disabled
    assert at.number_input(key=cell_key("northdale", PERIOD, "trust")).disabled
    assert at.text_input(key="lq_decision_title").disabled
    assert at.button(key="lq_decision_save").disabled


def test_a_stored_value_is_not_changed_without_a_reason(
    monkeypatch: pytest.MonkeyPatch, northdale_url: str
) -> None:
    at = save_values(open_log_quarter(monkeypatch, northdale_url), trust=64.0)
    at = save_values(at, trust=65.0)
    refusal = texts(at.error)
    assert "Reason for changing a stored value" in refusal and "--" not in refusal
    at = save_values(at, reason="transcription error")
    assert not at.error, texts(at.error)
    versions = stored(northdale_url, models.RecordVersion)
    assert list(versions["data"].map(lambda d: d["value"])) == [64.0]


def test_an_implausible_value_asks_for_a_note_and_is_saved(
    monkeypatch: pytest.MonkeyPatch, northdale_url: str
) -> None:
    at = open_log_quarter(monkeypatch, northdale_url)
    at.number_input(key=cell_key("northdale", PERIOD, "trust")).set_value(150.0)
    at = at.run()
    warning = texts(at.warning)
    assert "above the plausible maximum of 100" in warning and "add a note" in warning
    at.text_input(key=cell_key("northdale", PERIOD, "trust", "note")).input("new survey scale")
    at = at.button(key="lq_values_save").click().run()
    assert not at.error, texts(at.error)
    values = stored(northdale_url, models.IndicatorValue)
    assert list(values[values["value"] == 150.0]["note"]) == ["new survey scale"]


def test_a_change_saved_meanwhile_by_someone_else_is_not_overwritten(
    monkeypatch: pytest.MonkeyPatch, northdale_url: str
) -> None:
    at = save_values(open_log_quarter(monkeypatch, northdale_url), trust=64.0)
    # someone else corrects the value while the page still shows 64
    engine = make_engine(northdale_url)
    meanwhile = pd.DataFrame([{"institution": "northdale", "indicator": "trust",
                               "period": PERIOD, "value": 70.0}])
    write_rows(engine, {"indicator_values": meanwhile}, actor=Actor("bea"),
               correct=True, reason="survey re-weighted")
    engine.dispose()
    at = save_values(at, trust=65.0)
    at = save_values(at, reason="my typo")
    refusal = texts(at.error)
    assert "written by someone else" in refusal and "by bea at " in refusal
    values = stored(northdale_url, models.IndicatorValue)
    assert 70.0 in set(values["value"]) and 65.0 not in set(values["value"])


def test_a_reopen_needs_a_reason_on_the_page(
    monkeypatch: pytest.MonkeyPatch, northdale_url: str
) -> None:
    at = open_log_quarter(monkeypatch, northdale_url)
    at.checkbox(key="lq_submit_confirm").check()
    for item in ("values", "leadership", "narrative"):
        at.text_input(key=f"lq_submit_reason_{item}").input("not this quarter")
    at = at.button(key="lq_submit_go").click().run()
    assert not at.error, texts(at.error)
    at = at.button(key="lq_reopen_go").click().run()
    refusal = texts(at.error)
    assert "needs a reason" in refusal and "--reason" not in refusal
    at.text_input(key="lq_reopen_reason").input("late values from the council")
    at = at.button(key="lq_reopen_go").click().run()
    assert not at.error, texts(at.error)
    assert f"{PERIOD} is open (reopened by local:" in texts(at.info)


def test_unsaved_values_survive_a_quarter_switch_with_a_warning(
    monkeypatch: pytest.MonkeyPatch, northdale_url: str
) -> None:
    at = open_log_quarter(monkeypatch, northdale_url)
    at.number_input(key=cell_key("northdale", PERIOD, "trust")).set_value(64.0)
    at = at.run()
    at.selectbox(key="lq_period").select("2024Q1")
    at = at.run()
    assert "Unsaved input is kept:** Indicator values of 2024Q2" in texts(at.warning)
    at.selectbox(key="lq_period").select(PERIOD)
    at = at.run()
    assert at.number_input(key=cell_key("northdale", PERIOD, "trust")).value == 64.0
    assert "✎ unsaved" in texts(at.markdown)


def test_an_evaluator_requests_reopening_of_a_locked_quarter_on_the_page(
    monkeypatch: pytest.MonkeyPatch, northdale_url: str
) -> None:
    from tracker.users import add_user
    from tracker.writes.quarter import review
    from tracker.writes.quarter.reopening import pending_requests

    engine = make_engine(northdale_url)
    add_user(engine, "root", role="admin", password="a long admin password",
             actor=local_operator())
    add_user(engine, "eve", role="evaluator", password="a long evaluator password",
             actor=local_operator(), institutions=["northdale"])
    review.submit(engine, institution="northdale", period=PERIOD, actor=Actor("root", "admin"))
    monkeypatch.setenv("TRACKER_DATABASE_URL", northdale_url)
    monkeypatch.setenv("TRACKER_SESSION_SECRET", "page test")
    at = AppTest.from_file(str(DASHBOARD), default_timeout=TIMEOUT).run()
    at.text_input(key="login_name").input("eve")
    at.text_input(key="login_password").input("a long evaluator password")
    at = at.button(key="FormSubmitter:login-Log in").click().run()
    at.query_params["institution"] = "northdale"
    at.query_params["period"] = PERIOD
    at.switch_page(str(page_spec("log-quarter").path.relative_to(PROJECT_ROOT))).run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Log a quarter"]
    assert at.number_input(key=cell_key("northdale", PERIOD, "trust")).disabled
    assert "Reopen 2024Q2" not in [b.label for b in at.button]  # only administrators reopen
    at = at.button(key="lq_reopen_request").click().run()
    assert "needs a reason" in texts(at.error)
    at.text_area(key="lq_reopen_request_reason").input("late survey returns")
    at = at.button(key="lq_reopen_request").click().run()
    assert "Request sent" in texts(at.success)
    with read_session(engine) as session:
        [request] = pending_requests(session)
    assert (request.requested_by, request.reason) == ("eve", "late survey returns")
    engine.dispose()


def test_a_quarter_that_has_not_ended_is_not_offered_for_submission(
    monkeypatch: pytest.MonkeyPatch, northdale_url: str
) -> None:
    from tracker.periods import period_end
    from tracker.writes.quarter.state import current_period

    now = current_period()
    at = open_log_quarter(monkeypatch, northdale_url)
    at.selectbox(key="lq_period").select(now)
    at = at.run()
    assert not at.exception, at.exception
    assert f"{now} has not ended yet (its last day is {period_end(now):%d %B %Y})" in texts(at.info)
    assert not [b for b in at.button if b.key == "lq_submit_go"]
    assert at.selectbox(key="lq_period").format_func(now).startswith(f"{now} · open, ends ")
    # An ended quarter is offered, named with its state.
    at.selectbox(key="lq_period").select(PERIOD)
    at = at.run()
    assert [b for b in at.button if b.key == "lq_submit_go"]
    assert at.selectbox(key="lq_period").format_func(PERIOD) == f"{PERIOD} · open"


def test_evidence_logged_on_the_page_reaches_the_confidence(
    monkeypatch: pytest.MonkeyPatch, writable_sample_url: str
) -> None:
    """#24, 7: the Evidence form asks for the claim and the test type (its presets shown), or
    the probabilities; an item without them is saved and the form says it is not used."""
    from tracker.analysis.confidence_trail import confidence_trail

    monkeypatch.setenv("TRACKER_DATABASE_URL", writable_sample_url)
    at = AppTest.from_file(str(DASHBOARD), default_timeout=TIMEOUT)
    at.run()
    at.query_params["institution"] = "wigan-council"
    at.query_params["period"] = "2026Q3"
    at = at.switch_page(str(page_spec("log-quarter").path.relative_to(PROJECT_ROOT))).run()
    assert not at.exception, at.exception
    # #24, 11: the Submit tab names the missing indicators, never their keys.
    labels = [t.label for t in at.text_input if t.key == "lq_submit_reason_values"]
    assert labels and "Staff turnover rate" in labels[0] and "staff_turnover" not in labels[0]
    unused = "will be listed but not used in the confidence"
    assert unused in "\n".join(c.value for c in at.caption)
    assert at.selectbox(key="lq_evidence_test").format_func("hoop") == (
        "Hoop (sensitivity 0.95, type I error 0.6)"
    )
    at.text_input(key="lq_evidence_title").input("Cabinet minutes keep the Deal")
    at.selectbox(key="lq_evidence_claim").select("claim-wigan")
    at.selectbox(key="lq_evidence_test").select("smoking_gun")
    at = at.run()
    assert unused not in "\n".join(c.value for c in at.caption)
    at = at.button(key="lq_evidence_save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    engine = make_engine(writable_sample_url)
    with read_session(engine) as session:
        from tracker.scope import readable_dataset

        dataset = readable_dataset(session, local_operator())
    engine.dispose()
    rows = dataset["evidence"]
    mine = rows[rows["title"] == "Cabinet minutes keep the Deal"]
    assert list(mine["claim"]) == ["claim-wigan"] and list(mine["test"]) == ["smoking_gun"]
    trail = confidence_trail(rows[rows["claim"] == "claim-wigan"], claim="claim-wigan")
    assert "Cabinet minutes keep the Deal" in [step.title for step in trail.steps]
