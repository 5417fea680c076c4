"""Configurations of a portfolio's institutions: the declared sets, computed from the portfolio
summary of the sample data, and the answer in words with its caveats."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.documentation import documentation
from tracker.analysis.params import Parameters
from tracker.analysis.portfolio import PortfolioSummary, portfolio_summary
from tracker.analysis.qca.portfolio_configurations import (
    CONTRIBUTION_CAVEAT,
    portfolio_configurations,
)
from tracker.analysis.qca.portfolio_sets import (
    CONDITION_KEYS,
    OUTCOME_KEYS,
    PortfolioSetError,
    portfolio_memberships,
)
from tracker.analysis.run import analyse
from tracker.workbook.read import read_workbook
from tracker.workbook.validate import validate_workbook

SAMPLE = Path(__file__).resolve().parents[3] / "sample_data"
DOCUMENTATION = documentation()


@pytest.fixture(scope="module")
def summary() -> PortfolioSummary:
    dataset, problems = validate_workbook(read_workbook(SAMPLE))
    assert not problems
    return portfolio_summary(dataset, analyse(dataset, Parameters()))


def test_crisp_sets_follow_the_drill_down_and_undefined_outcomes_are_left_out(summary):
    rows = summary.institutions.set_index("name")
    memberships, left_out = portfolio_memberships(
        summary, outcome="persisted", conditions=["costly_reversal", "turnover", "at_risk"]
    )
    tested = rows[rows["tested"] > 0]
    assert sorted(memberships.index) == sorted(tested.index)
    assert sorted(left_out) == sorted(rows[rows["tested"] == 0].index)
    for name, row in tested.iterrows():
        assert memberships.loc[name, "costly_reversal"] == float(row["costly_reversal"])
        assert memberships.loc[name, "turnover"] == float(row["turnovers"] >= 1)
        assert memberships.loc[name, "at_risk"] == float(row["at_risk"])
        assert memberships.loc[name, "persisted"] == float(row["persisted"] == row["tested"])


def test_fuzzy_sets_are_calibrated_and_shares_are_memberships(summary):
    rows = summary.institutions.set_index("name")
    memberships, _ = portfolio_memberships(
        summary, outcome="persisted_share", conditions=["many_changes"]
    )
    for name, value in memberships["many_changes"].items():
        changes = rows.loc[name, "changes"]
        assert (value > 0.5) == (changes > 2.5)
    np.testing.assert_allclose(
        memberships["persisted_share"],
        rows.loc[memberships.index, "persisted"] / rows.loc[memberships.index, "tested"],
    )


def test_sample_portfolio_later_phase_goes_with_costly_reversal_turnover_and_many_changes(
    summary,
):
    found = portfolio_configurations(summary)
    assert found.unanswered is None
    assert found.result is not None
    assert [m.expression for m in found.result.models] == [
        "costly_reversal*turnover*many_changes"
    ]
    (sentence,) = found.sentences
    assert sentence.startswith(
        "Across these 10 institutions, 'in the later phase' is consistently found with a "
        "costly reversal and a turnover and many structural changes (consistency 0.88"
    )
    assert "Northdale Council, Wigan Council" in sentence
    assert found.caveats[0] == CONTRIBUTION_CAVEAT
    rows = {row.id: row.cases for row in found.result.table.rows}
    assert rows[8] == ("Northdale Council", "Wigan Council")
    assert rows[7] == ("Riverside NHS Trust",)


def test_a_question_qca_cannot_answer_is_said_not_raised(summary):
    found = portfolio_configurations(
        summary, outcome="reversed", conditions=("costly_reversal",), incl_cut=(1.0, 1.0)
    )
    assert found.result is None
    assert found.unanswered is not None
    assert found.unanswered.startswith("No configuration can be given: nothing to explain")


def test_unknown_sets_are_refused_naming_the_ones_there_are(summary):
    with pytest.raises(PortfolioSetError, match="choose from turnover"):
        portfolio_memberships(summary, outcome="persisted", conditions=["weather"])


@pytest.mark.parametrize("key", CONDITION_KEYS + OUTCOME_KEYS)
def test_every_portfolio_set_is_documented(key):
    assert f"`{key}`" in DOCUMENTATION


def test_targets_met_is_every_due_target_met_and_none_without_a_due_target(summary):
    memberships, _ = portfolio_memberships(
        summary, outcome="later_phase", conditions=["targets_met"]
    )
    targets = summary.targets.set_index("institution")
    names = summary.institutions.set_index("institution")["name"]
    for key, name in names.items():
        met = int(targets["met"].get(key, 0))
        not_met = int(targets["not_met"].get(key, 0))
        assert memberships.loc[name, "targets_met"] == float(met >= 1 and not_met == 0)
    assert memberships["targets_met"].sum() >= 1
    assert memberships["targets_met"].sum() < len(memberships)
