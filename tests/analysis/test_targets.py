"""Actuals against targets: met, not met, not yet due — with a symbol and a word, and never an
attribution."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from tests.builders import Scenario
from tracker.analysis.language import passes_language_check
from tracker.analysis.targets import target_results

AS_OF = dt.date(2025, 2, 1)


def trust() -> Scenario:
    return Scenario("northdale").indicator("trust").values("trust", "2024Q1", [55, 58, 61, 63])


def verdicts(scenario: Scenario, as_of: dt.date = AS_OF) -> list[tuple[object, ...]]:
    frame = target_results(scenario.build(), as_of)
    return list(frame[["subject", "period", "verdict", "symbol", "word"]].itertuples(index=False,
                                                                                   name=None))


def test_a_per_quarter_target_is_met_only_when_every_quarter_of_its_span_reaches_it() -> None:
    met = trust().target("trust", "2024Q3", 60, until="2024Q4")
    missed = trust().target("trust", "2024Q1", 57, until="2024Q4")
    assert verdicts(met) == [("trust", "2024Q3", "met", "✔", "met")]
    assert verdicts(missed) == [("trust", "2024Q1", "not_met", "✘", "not met")]
    sentence = target_results(missed.build(), AS_OF)["sentence"][0]
    assert "worst quarter 55" in sentence and "3 of 4 quarter(s) reached" in sentence


def test_a_cumulative_target_compares_the_sum_of_its_span() -> None:
    scenario = trust().target("trust", "2024Q1", 237, until="2024Q4", kind="cumulative")
    [row] = target_results(scenario.build(), AS_OF).to_dict("records")
    assert row["verdict"] == "met" and row["actual"] == 237


def test_a_target_is_not_yet_due_until_its_last_quarter_has_ended() -> None:
    scenario = trust().target("trust", "2024Q4", 60, until="2025Q1")
    assert verdicts(scenario)[0][2] == "not_yet_due"
    assert verdicts(scenario, dt.date(2025, 4, 1))[0][2] == "not_met"  # 2025Q1 has no value


def test_lower_is_better_reverses_the_comparison() -> None:
    scenario = (Scenario("northdale").indicator("turnover", higher_is_better=False)
                .values("turnover", "2024Q1", [14.0]).target("turnover", "2024Q1", 15))
    assert verdicts(scenario)[0][2] == "met"


def _panel() -> Scenario:
    return (
        trust()
        .tenure("chief_executive", "First", "2020-01-01", "2023-06-30")
        .tenure("chief_executive", "Second", "2023-07-01")
        .change("panel", adopted="2022-01-10")
        .persistence_target("panel")
    )


def test_a_persistence_target_is_met_when_the_change_is_in_force_after_the_next_turnover() -> None:
    met = _panel().status("panel", "2022-06-30", "in_force").status("panel", "2024-03-31",
                                                                        "in_force")
    [row] = target_results(met.build(), AS_OF).to_dict("records")
    assert (row["verdict"], row["word"]) == ("met", "met")
    assert "after the turnover of 2023-06-30" in str(row["sentence"])


def test_a_persistence_target_is_not_met_when_the_change_was_reversed_first() -> None:
    reversed_ = _panel().status("panel", "2023-12-31", "reversed")
    assert verdicts(reversed_)[0][2] == "not_met"


def test_a_persistence_target_waits_for_a_turnover_and_a_status_after_it() -> None:
    no_turnover = (trust().change("panel", adopted="2022-01-10").persistence_target("panel")
                   .status("panel", "2024-01-01", "in_force"))
    assert verdicts(no_turnover)[0][2] == "not_yet_due"
    no_status_since = _panel().status("panel", "2022-06-30", "in_force")
    assert verdicts(no_status_since)[0][2] == "not_yet_due"


def test_target_sentences_never_claim_attribution() -> None:
    scenario = (_panel().status("panel", "2024-03-31", "in_force")
                .target("trust", "2024Q1", 57, until="2024Q4")
                .target("trust", "2024Q4", 60, until="2025Q1"))
    sentences = list(target_results(scenario.build(), AS_OF)["sentence"])
    assert len(sentences) == 3
    assert all(passes_language_check(s) for s in sentences), sentences
    assert isinstance(target_results(Scenario("x").build(), AS_OF), pd.DataFrame)
