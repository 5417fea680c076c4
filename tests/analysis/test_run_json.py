"""`analyse` and the JSON contract of `tracker analyse --format json` (interfaces.md)."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from typing import Any

import pytest

from tests.builders import Scenario, combine
from tracker import vocab
from tracker.analysis.params import Parameters, parameter_help
from tracker.analysis.run import analyse
from tracker.analysis.table import render_table
from tracker.dataset import Dataset

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def northdale() -> Scenario:
    """The example of interfaces.md, in the builder's words."""
    return (
        Scenario("northdale-council")
        .tenure("chief_executive", "Ann", "2015-01-01", "2018-03-31")
        .tenure("chief_executive", "Bob", "2018-04-01")
        .partner("civic-lab", "2016-01-01", "2020-06-30")
        .change("c-hiring", adopted="2016-06-01")
        .status("c-hiring", "2019-04-01", "in_force")
        .costly_reversal("d-2019-budget-panel", "2019-05-01")
        .indicator("resident_trust")
        .values("resident_trust", "2017Q1", [60, 61, 62, 61, 58, 63, 64, 63, 64, 66, 68, 70, 72])
        .diagnostics("2025-12-31", succession_plan=True)
    )


def westbrook() -> Scenario:
    return Scenario("a-westbrook-school", kind="school").change("c1", adopted="2020-01-01")


def dataset() -> Dataset:
    return combine(northdale(), westbrook())


def as_json(data: Dataset, **params: Any) -> dict[str, Any]:
    result = analyse(data, Parameters(**params)).to_json()
    # The output must survive a strict JSON round trip: no NaN, no dates, no numpy types.
    return json.loads(json.dumps(result, allow_nan=False))


def test_the_contract_keys_and_vocabularies() -> None:
    output = as_json(dataset())
    assert set(output) == {"parameters", "institutions"}
    assert {"window_months", "indicator_tolerance", "as_of"} <= set(output["parameters"])
    for item in output["institutions"]:
        assert {
            "institution", "as_of", "phase", "diagnostic", "criteria", "turnovers", "changes",
            "indicators",
        } <= set(item)
        assert item["phase"] in vocab.PHASES
        assert {"costly_reversal", "decisions"} <= set(item["diagnostic"])
        assert set(item["criteria"]) == {
            "structural_change_in_force",
            "persisted_through_turnover",
            "practice_change",
            "costly_reversal",
        }
        for turnover in item["turnovers"]:
            assert turnover["kind"] in vocab.TURNOVER_KINDS
        for change in item["changes"]:
            assert {"change", "status", "summary", "tests"} <= set(change)
            assert change["summary"] in vocab.CHANGE_SUMMARIES
            assert change["status"] in vocab.CHANGE_STATUSES
            for test in change["tests"]:
                assert test["verdict"] in vocab.CHANGE_VERDICTS
        for indicator in item["indicators"]:
            assert {"indicator", "tests"} <= set(indicator)
            for test in indicator["tests"]:
                assert {"turnover", "verdict", "pre_mean", "post_mean"} <= set(test)
                assert test["verdict"] in vocab.INDICATOR_VERDICTS


def test_the_interfaces_example_reads_as_documented() -> None:
    output = as_json(dataset(), as_of=dt.date(2025, 12, 31))
    northdale_council = output["institutions"][1]
    assert northdale_council["institution"] == "northdale-council"
    assert northdale_council["as_of"] == "2025-12-31"
    assert northdale_council["phase"] == "later"
    assert northdale_council["diagnostic"]["costly_reversal"] is True
    assert northdale_council["diagnostic"]["decisions"] == ["d-2019-budget-panel"]
    assert northdale_council["criteria"] == {
        "structural_change_in_force": True,
        "persisted_through_turnover": True,
        "practice_change": True,
        "costly_reversal": True,
    }
    turnovers = [
        {key: value for key, value in item.items() if key in ("kind", "role", "partner", "date")}
        for item in northdale_council["turnovers"]
    ]
    assert turnovers == [
        {"kind": "leadership", "role": "chief_executive", "date": "2018-03-31"},
        {"kind": "partner_withdrawal", "partner": "civic-lab", "date": "2020-06-30"},
    ]
    hiring = northdale_council["changes"][0]
    assert (hiring["change"], hiring["status"], hiring["summary"]) == (
        "c-hiring",
        "in_force",
        "persisted",
    )
    assert hiring["tests"][0]["turnover"] == turnovers[0]
    assert hiring["tests"][0]["verdict"] == "persisted"
    trust = northdale_council["indicators"][0]
    assert trust["indicator"] == "resident_trust"
    assert trust["tests"][0]["turnover"] == turnovers[0]
    assert trust["tests"][0]["verdict"] == "held"
    assert trust["tests"][0]["pre_mean"] == 61.0
    assert trust["tests"][0]["post_mean"] == 63.5


def test_parameters_are_echoed_with_the_as_of_date_as_iso_or_null() -> None:
    assert as_json(dataset())["parameters"]["as_of"] is None
    shown = as_json(dataset(), as_of=dt.date(2024, 6, 30), window_months=18)["parameters"]
    assert (shown["as_of"], shown["window_months"]) == ("2024-06-30", 18)


def test_institutions_are_sorted_by_key_and_lists_are_in_date_order() -> None:
    output = as_json(dataset())
    keys = [item["institution"] for item in output["institutions"]]
    assert keys == sorted(keys) == ["a-westbrook-school", "northdale-council"]
    for item in output["institutions"]:
        dates = [turnover["date"] for turnover in item["turnovers"]]
        assert dates == sorted(dates)
        for change in item["changes"]:
            tested = [test["turnover"]["date"] for test in change["tests"]]
            assert tested == sorted(tested)


def test_dates_are_iso_strings_and_floats_are_rounded_plain_numbers() -> None:
    data = combine(
        northdale().values("resident_trust", "2021Q1", [1 / 3, 2 / 3, 1 / 7, 1 / 9]),
    )
    output = as_json(data)

    def walk(node: Any, key: str = "") -> None:
        if isinstance(node, dict):
            for name, value in node.items():
                walk(value, name)
        elif isinstance(node, list):
            for value in node:
                walk(value, key)
        elif isinstance(node, float):
            assert math.isfinite(node)
            assert node == round(node, 6)
        elif isinstance(node, str) and (key == "date" or key.endswith("as_of")):
            assert ISO_DATE.match(node), (key, node)

    walk(output)


def test_an_institution_without_records_has_a_null_as_of_and_is_early() -> None:
    output = as_json(combine(northdale(), Scenario("empty-trust", kind="trust")))
    empty = output["institutions"][0]
    assert empty["institution"] == "empty-trust"
    assert empty["as_of"] is None
    assert empty["phase"] == "early"


def test_analyse_can_be_limited_to_some_institutions() -> None:
    result = analyse(dataset(), Parameters(), institutions=["a-westbrook-school"])
    assert result.institution_keys == ["a-westbrook-school"]
    assert set(result.changes["institution"]) == {"a-westbrook-school"}
    with pytest.raises(ValueError, match="unknown institution"):
        analyse(dataset(), Parameters(), institutions=["nowhere"])


def test_the_frames_behind_the_result_are_kept_for_aggregation() -> None:
    result = analyse(dataset(), Parameters())
    assert len(result.turnovers) == 2
    assert set(result.change_tests["verdict"]) == {"persisted", "unconfirmed"}
    assert list(result.phases.sort_values("institution")["phase"]) == ["early", "later"]
    assert set(result.indicator_tests["indicator"]) == {"resident_trust"}
    with pytest.raises(KeyError):
        result.institution("nowhere")


def test_every_parameter_has_help_text() -> None:
    shown = parameter_help()
    assert [item.name for item in shown][:3] == ["window_months", "indicator_tolerance", "as_of"]
    assert all(item.help for item in shown)
    assert set(Parameters().to_json()) == {item.name for item in shown}


def test_parameters_refuse_nonsense() -> None:
    with pytest.raises(ValueError):
        Parameters(window_months=-1)
    with pytest.raises(ValueError):
        Parameters(min_values_per_side=0)


def test_the_table_rendering_names_each_institution_and_its_phase() -> None:
    text = render_table(analyse(dataset(), Parameters()), width=160)
    assert "northdale-council" in text and "a-westbrook-school" in text
    assert "later" in text
    assert "persisted" in text


def test_an_empty_data_set_analyses_to_no_institutions() -> None:
    result = analyse(Dataset(), Parameters())
    assert result.to_json()["institutions"] == []
    assert len(result) == 0


def test_each_indicator_states_its_rule_once_and_no_test_reason_repeats_it() -> None:
    output = as_json(dataset())
    (trust,) = output["institutions"][1]["indicators"]
    assert trust["rule"] == (
        "Higher is better. A turnover's test compares the mean of the 4 quarters before the "
        "turnover's quarter with the mean of the 4 after it (that quarter left out), with at "
        "least 2 values on each side; a fall of more than 10% of |pre mean| counts as a "
        "decline."
    )
    assert len(trust["tests"]) == 2
    line = json.dumps(output["institutions"][1])
    # Once in the indicator object, in none of its tests.
    assert line.count("counts as a decline") == line.count("is better. A turnover") == 1
    for test in trust["tests"]:
        assert "is better" not in test["reason"] and "left out" not in test["reason"]


def test_a_test_reason_names_both_means_with_their_counts_the_change_and_the_tolerance() -> None:
    (first, _) = as_json(dataset())["institutions"][1]["indicators"][0]["tests"]
    assert first["reason"] == (
        "Held: mean 61 over 4 values before and 63.5 over 4 after the chief_executive turnover "
        "on 2018-03-31: a rise of 2.5, an improvement."
    )
    assert (first["pre_mean"], first["n_pre"], first["post_mean"], first["n_post"]) == (
        61.0, 4, 63.5, 4,
    )


def test_each_turnover_names_the_quarters_its_indicator_tests_compare() -> None:
    turnovers = as_json(dataset())["institutions"][1]["turnovers"]
    assert [turnover["indicator_quarters"] for turnover in turnovers] == [
        "2017Q1 to 2017Q4 against 2018Q2 to 2019Q1 (its own quarter, 2018Q1, is left out)",
        "2019Q2 to 2020Q1 against 2020Q3 to 2021Q2 (its own quarter, 2020Q2, is left out)",
    ]
    shorter = as_json(dataset(), pre_quarters=2)["institutions"][1]["turnovers"][0]
    assert shorter["indicator_quarters"].startswith("2017Q3 to 2017Q4 against")
