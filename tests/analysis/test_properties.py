"""Invariants of the analysis, checked on generated cases (hypothesis)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.builders import Scenario
from tracker import vocab
from tracker.analysis.asof import as_of_dates
from tracker.analysis.indicator_text import shown, values
from tracker.analysis.language import check_language
from tracker.analysis.params import Parameters
from tracker.analysis.run import analyse
from tracker.analysis.turnovers import turnovers
from tracker.periods import period_end, period_from_index, period_index

FIRST_DAY = dt.date(2014, 1, 1)
LAST_DAY = dt.date(2024, 12, 31)
days = st.dates(min_value=FIRST_DAY, max_value=LAST_DAY)
few = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def tenures(draw: st.DrawFn, role: str) -> list[tuple[str, dt.date, dt.date | None]]:
    starts = sorted(draw(st.sets(days, min_size=1, max_size=4)))
    out = []
    for number, start in enumerate(starts):
        following = starts[number + 1] if number + 1 < len(starts) else LAST_DAY
        end = draw(st.one_of(st.none(), st.dates(min_value=start, max_value=following)))
        out.append((draw(st.sampled_from(["Ann", "Bob", "Cat"])), start, end))
    return out


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    """Northdale with random tenures, partners, changes, statuses, decisions and values."""
    scenario = Scenario("northdale")
    for role in ("chief_executive", "institutional_champion"):
        for holder, start, end in draw(tenures(role)):
            scenario.tenure(role, holder, start, end)
    for number in range(draw(st.integers(0, 2))):
        start = draw(days)
        end = draw(st.one_of(st.none(), st.dates(min_value=start, max_value=LAST_DAY)))
        scenario.partner(f"partner-{number}", start, end)
    for number in range(draw(st.integers(0, 3))):
        key = f"c{number}"
        adopted = draw(days)
        scenario.change(key, adopted=adopted, kind=draw(st.sampled_from(["policy", "practice"])))
        for day in draw(st.sets(st.dates(min_value=adopted, max_value=LAST_DAY), max_size=3)):
            scenario.status(key, day, draw(st.sampled_from(vocab.CHANGE_STATUSES)))
    for number in range(draw(st.integers(0, 2))):
        scenario.decision(
            f"d{number}",
            draw(days),
            reverses_earlier=draw(st.booleans()),
            because_of_community=draw(st.booleans()),
            cost=draw(st.sampled_from(vocab.DECISION_COSTS)),
        )
    values = draw(
        st.lists(st.one_of(st.none(), st.floats(-100, 100, allow_nan=False)), max_size=24)
    )
    scenario.indicator("trust", higher_is_better=draw(st.booleans()))
    scenario.values("trust", "2015Q1", values)
    quarters = st.integers(period_index("2015Q1"), period_index("2024Q4"))
    for period in draw(st.sets(quarters, max_size=4)):
        scenario.observation(period_from_index(period), stage=draw(st.sampled_from(vocab.STAGES)))
    return scenario


def add_records_after(scenario: Scenario, day: dt.date) -> None:
    """New records, every one dated after `day` (and quarters ending after it)."""
    later = day + dt.timedelta(days=1)
    scenario.tenure("chief_executive", "Zed", later + dt.timedelta(days=30))
    scenario.partner("late-partner", later, later + dt.timedelta(days=60))
    scenario.change("late-change", adopted=later)
    scenario.status("c0", later, "reversed")
    scenario.decision("late", later, reverses_earlier=True, because_of_community=True, cost="time")
    first_after = period_index(f"{day.year}Q{(day.month - 1) // 3 + 1}")
    if period_end(period_from_index(first_after)) <= day:
        first_after += 1
    scenario.values("trust", period_from_index(first_after), [1e6, -1e6, 1e6])
    scenario.observation(period_from_index(first_after), stage="exploration")
    scenario.diagnostics(later, succession_plan=True)


@pytest.mark.slow
@few
@given(scenarios(), days)
def test_records_dated_after_the_as_of_date_never_change_the_result(
    scenario: Scenario, as_of: dt.date
) -> None:
    params = Parameters(as_of=as_of)
    before = analyse(scenario.build(), params).to_json()
    add_records_after(scenario, as_of)
    assert analyse(scenario.build(), params).to_json() == before


@few
@given(scenarios(), days, days, st.booleans())
def test_adding_a_non_key_tenure_never_changes_the_turnovers(
    scenario: Scenario, start: dt.date, end: dt.date, same_role: bool
) -> None:
    def found() -> pd.DataFrame:
        dataset = scenario.build()
        return turnovers(dataset, as_of_dates(dataset, Parameters(as_of=LAST_DAY)))

    before = found()
    role = "chief_executive" if same_role else "clerk"
    scenario.tenure(role, "Nonkey", min(start, end), max(start, end), key_role=False)
    pd.testing.assert_frame_equal(found(), before)


def texts_of(output: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for item in output["institutions"]:
        out += [item["phase_explanation"], item["suggested_stage_reason"]]
        out += list(item["criteria_reasons"].values())
        out.append(item["diagnostic"]["sentence"])
        for change in item["changes"]:
            out.append(change["summary_reason"])
            out += [test["reason"] for test in change["tests"]]
        for indicator in item["indicators"]:
            out.append(indicator["rule"])
            out += [test["reason"] for test in indicator["tests"]]
        out += [practice["reason"] for practice in item["practice_change"]]
    return out


@pytest.mark.slow
@few
@given(scenarios())
def test_verdicts_are_from_the_vocabulary_and_sentences_are_contribution_language(
    scenario: Scenario,
) -> None:
    output = analyse(scenario.build(), Parameters()).to_json()
    for item in output["institutions"]:
        assert item["phase"] in vocab.PHASES
        assert item["suggested_stage"] in vocab.STAGES
        for change in item["changes"]:
            assert change["summary"] in vocab.CHANGE_SUMMARIES
            assert change["status"] in vocab.CHANGE_STATUSES
            assert all(test["verdict"] in vocab.CHANGE_VERDICTS for test in change["tests"])
        for indicator in item["indicators"]:
            assert all(test["verdict"] in vocab.INDICATOR_VERDICTS for test in indicator["tests"])
    for text in texts_of(output):
        assert check_language(text) == [], text


@pytest.mark.slow
@few
@given(scenarios())
def test_each_indicator_reason_names_its_own_numbers_and_leaves_the_rule_to_the_indicator(
    scenario: Scenario,
) -> None:
    for item in analyse(scenario.build(), Parameters()).institutions:
        for indicator in item.indicators:
            assert indicator.rule.startswith(
                "Higher is better." if indicator.higher_is_better else "Lower is better."
            )
            for test in indicator.tests:
                reason = test.reason
                assert reason.startswith(
                    {"held": "Held: ", "declined": "Declined: "}.get(
                        test.verdict, ("Insufficient data: ", "Cannot be judged: ")
                    )
                )
                for n, mean, side in ((test.n_pre, test.pre_mean, "before"),
                                      (test.n_post, test.post_mean, "after")):
                    if n == 0:
                        assert f"no value {side}" in reason or "before or after" in reason
                    else:
                        assert f"{shown(mean)} over {n}" in reason
                assert f"over {values(test.n_pre)} before" in reason or test.n_pre == 0
                assert test.turnover.label in reason
                if test.verdict in ("held", "declined") and "tolerance of" in reason:
                    assert f"tolerance of {shown(test.threshold)}." in reason
                assert "is better" not in reason and "left out" not in reason


@pytest.mark.slow
@few
@given(scenarios())
def test_each_verdict_agrees_with_the_dates_it_names(scenario: Scenario) -> None:
    result = analyse(scenario.build(), Parameters())
    tests = result.change_tests.merge(result.as_of, on="institution")
    by = {verdict: tests[tests["verdict"] == verdict] for verdict in vocab.CHANGE_VERDICTS}
    reversed_, persisted = by["reversed"], by["persisted"]
    assert (reversed_["turnover_date"] < reversed_["decided_by_date"]).all()
    assert (reversed_["decided_by_date"] <= reversed_["window_end"]).all()
    assert (persisted["window_end"] <= persisted["decided_by_date"]).all()
    assert (persisted["decided_by_date"] <= persisted["as_of"]).all()
    assert (by["too_early"]["as_of"] < by["too_early"]["window_end"]).all()
    assert (by["unconfirmed"]["window_end"] <= by["unconfirmed"]["as_of"]).all()
    assert sum(len(frame) for frame in by.values()) == len(tests)
    changes = result.changes.set_index("change")
    for change, summary in changes["summary"].items():
        verdicts = set(tests.loc[tests["change"] == change, "verdict"])
        assert (summary == "untested") == (not verdicts)
        assert (summary == "reversed_after_turnover") == ("reversed" in verdicts)


@st.composite
def series_around_a_turnover(draw: st.DrawFn) -> Scenario:
    """Trust in the nine quarters around a chief executive leaving on 31 March 2018."""
    values = draw(
        st.lists(
            st.one_of(st.none(), st.floats(-100, 100, allow_nan=False)), min_size=9, max_size=9
        )
    )
    return (
        Scenario("northdale")
        .tenure("chief_executive", "Ann", "2015-01-01", "2018-03-31")
        .tenure("chief_executive", "Bob", "2018-04-01")
        .indicator("trust", higher_is_better=draw(st.booleans()))
        .values("trust", "2017Q1", values)
    )


@pytest.mark.slow
@few
@given(series_around_a_turnover(), st.sampled_from([0.0, 0.05, 0.1, 0.5]))
def test_indicator_verdicts_do_not_depend_on_the_sign_convention(
    scenario: Scenario, tolerance: float
) -> None:
    """Negating every value and flipping higher-is-better gives the same verdicts."""
    dataset = scenario.build()
    frames = dict(dataset.frames)
    frames["indicator_values"] = frames["indicator_values"].assign(
        value=-frames["indicator_values"]["value"]
    )
    frames["indicators"] = frames["indicators"].assign(
        higher_is_better=~frames["indicators"]["higher_is_better"]
    )
    mirrored = type(dataset)(frames)
    params = Parameters(indicator_tolerance=tolerance)
    assert list(analyse(dataset, params).indicator_tests["verdict"]) == list(
        analyse(mirrored, params).indicator_tests["verdict"]
    )


Span = tuple[str, dt.date, dt.date | None, bool]


@st.composite
def messy_spans(draw: st.DrawFn, names: list[str]) -> list[Span]:
    """Rows that may touch, overlap, renew, return after a vacancy, be interim or planned."""
    out: list[Span] = []
    for _ in range(draw(st.integers(0, 5))):
        start = draw(days)
        end = draw(
            st.one_of(
                st.none(),
                st.dates(min_value=start, max_value=LAST_DAY + dt.timedelta(days=2000)),
            )
        )
        out.append((draw(st.sampled_from(names)), start, end, draw(st.booleans())))
    return out


def later_date(draw: st.DrawFn, day: dt.date) -> dt.date:
    return day + dt.timedelta(days=draw(st.integers(1, 3000)))


@st.composite
def histories_and_a_later_version(draw: st.DrawFn) -> tuple[Scenario, Scenario, dt.date]:
    """One history, the as-of date D, and the same history with what is after D changed: ends
    after D moved to other dates after D, and tenures, engagements, statuses, values and
    decisions dated after D added."""
    as_of = draw(days)
    tenures_ = draw(messy_spans(["Ann", "Bob", "Cat"]))
    engagements = draw(messy_spans(["reach", "kin"]))
    changes = []
    for number in range(draw(st.integers(0, 3))):
        adopted = draw(days)
        kind = draw(st.sampled_from(["policy", "practice"]))
        statuses = [
            (day, draw(st.sampled_from(vocab.CHANGE_STATUSES)))
            for day in draw(st.sets(st.dates(min_value=adopted, max_value=LAST_DAY), max_size=3))
        ]
        changes.append((f"c{number}", adopted, kind, statuses))
    decision = draw(days)
    values = draw(st.lists(st.floats(-100, 100, allow_nan=False), min_size=0, max_size=30))

    def moved(start: dt.date, end: dt.date | None) -> dt.date | None:
        if end is None or end <= as_of:
            return end
        return later_date(draw, max(as_of, start))

    versions = []
    for version in ("before", "after"):
        scenario = Scenario("northdale")
        for holder, start, end, interim in tenures_:
            end = moved(start, end) if version == "after" else end
            scenario.tenure("chief_executive", holder, start, end, interim=interim)
        for partner, start, end, _ in engagements:
            scenario.partner(partner, start, moved(start, end) if version == "after" else end)
        for key, adopted, kind, statuses in changes:
            scenario.change(key, adopted=adopted, kind=kind)
            for day, status in statuses:
                if version == "before" and day > as_of:
                    continue
                scenario.status(key, day, status)
        scenario.decision(
            "d0", decision, reverses_earlier=True, because_of_community=True, cost="budget"
        )
        scenario.indicator("trust")
        scenario.values("trust", "2014Q1", values)
        versions.append(scenario)
    later = versions[1]
    for _ in range(draw(st.integers(0, 3))):
        start = later_date(draw, as_of)
        later.tenure(
            "chief_executive",
            draw(st.sampled_from(["Ann", "Bob", "Dan"])),
            start,
            interim=draw(st.booleans()),
        )
        later.partner(draw(st.sampled_from(["reach", "new"])), later_date(draw, as_of))
    for key, *_ in changes:
        later.status(key, later_date(draw, as_of), draw(st.sampled_from(vocab.CHANGE_STATUSES)))
    # Values, observations, decisions and diagnostics dated after D as well.
    add_records_after(later, as_of)
    return versions[0], later, as_of


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories_and_a_later_version())
def test_records_after_the_as_of_date_never_change_the_result_of_messy_histories(
    case: tuple[Scenario, Scenario, dt.date],
) -> None:
    """Renewals, interims, returns and planned ends: the result as of D uses nothing after D."""
    before, after, as_of = case
    params = Parameters(as_of=as_of)
    assert analyse(after.build(), params).to_json() == analyse(before.build(), params).to_json()
