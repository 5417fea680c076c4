"""Issue 23, case 8: two link-strength edges. R1 comes before R6 (a link with no evidence and a
major influencing factor reads "no evidence", the factor named beside it, not "weak (0 for, 0
against)"), and a likelihood ratio of exactly 10 typed as 0.70 / 0.07 is decisive."""

from __future__ import annotations

import pytest

from tests.analysis.test_stories import link, northdale, story_of
from tracker.analysis.bayes import is_decisive, likelihood_ratio
from tracker.analysis.story_links import link_strength


def test_no_evidence_with_a_major_factor_stays_no_evidence_and_names_the_factor() -> None:
    scenario = northdale().factor(
        "Austerity", "2015-01-01", assessed_role="major", link="team_norms"
    )
    team_norms = link(story_of(scenario), "team_norms")
    assert team_norms.strength == "no evidence"
    assert team_norms.strength_rules == ("R1", "R6")
    assert "'Austerity'" in team_norms.strength_reason
    assert "R4" not in team_norms.strength_reason and "weak" not in team_norms.strength_reason


def test_a_link_with_no_evidence_and_two_factors_names_both() -> None:
    strength, reason, rules = link_strength(
        n_for=0, n_against=0, decisive=[], major_factors=["Austerity", "A new mayor"]
    )
    assert (strength, rules) == ("no evidence", ("R1", "R6", "R6"))
    assert "'Austerity'" in reason and "'A new mayor'" in reason


@pytest.mark.parametrize(
    ("sensitivity", "type_i_error", "observed"),
    [(0.70, 0.07, True), (0.07, 0.70, True), (0.3, 0.93, False), (0.93, 0.3, False)],
)
def test_a_ratio_of_exactly_ten_is_decisive(
    sensitivity: float, type_i_error: float, observed: bool
) -> None:
    ratio = likelihood_ratio(
        sensitivity=sensitivity, type_i_error=type_i_error, observed=observed
    )
    assert is_decisive(ratio)


def test_a_ratio_just_below_ten_is_not_decisive() -> None:
    assert not is_decisive(9.99)
    assert not is_decisive(0.1001)


def test_an_item_of_ratio_ten_makes_a_link_strong() -> None:
    scenario = northdale().evidence(
        "e-ten", "2019-11-01", link="engagement", sensitivity=0.70, type_i_error=0.07
    )
    engagement = link(story_of(scenario), "engagement")
    assert [item.key for item in engagement.evidence_for if item.decisive_for] == ["e-ten"]
    assert engagement.strength == "strong"
