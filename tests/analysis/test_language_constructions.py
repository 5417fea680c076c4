"""Issue 23, case 7: the sentences the guard missed, each a construction rather than a phrase,
and reported attribution flagged as such."""

from __future__ import annotations

import pytest

from tracker.analysis.language import check_language, suggest_rewording


@pytest.mark.parametrize(
    "sentence",
    [
        "The changes in hiring are the result of the programme.",
        "Attendance rose as a consequence of the programme's influence.",
        "The new panel was a direct effect of the training.",
        "The residents' forum owes its existence to Reach.",
        "The shift in culture was achieved through the programme.",
        "The coaching produced the change in culture.",
        "It was the Deal that transformed the council's relationship with residents.",
        "Without the programme, none of these changes would have happened.",
        "The budget process was changed by the programme, not by the new leader.",
        "Officers say the panel was responsible for the fall in complaints.",
    ],
)
def test_each_construction_is_flagged_and_reworded_into_contribution(sentence: str) -> None:
    assert check_language(sentence)
    assert check_language(suggest_rewording(sentence)) == []


def test_reported_attribution_is_flagged_as_a_reported_claim() -> None:
    (finding,) = check_language(
        "Officers say the panel was responsible for the fall in complaints."
    )
    assert finding.rule.startswith("reported_")
    assert "a claim reported in the narrative" in finding.message
    (quoted,) = check_language('A parent told us that "Reach changed everything".')
    assert "a claim reported in the narrative" in quoted.message


def test_a_share_with_an_approximation_is_reworded_as_english() -> None:
    assert suggest_rewording(
        "Around 40% of the improvement in trust is down to the programme."
    ) == ("Part of the improvement in trust is consistent with a contribution from the programme.")


@pytest.mark.parametrize(
    "sentence",
    [
        "The programme delivered 12 workshops in 2019.",
        "Northdale Council reduced spending in 2020.",
        "Staff changed the rota after the inspection.",
        "The evaluation was produced by the council's research team.",
        "The programme appears to have contributed to, rather than caused, the change.",
        "The change is the product of several overlapping initiatives.",
        "Fieldwork was delayed owing to a cyberattack on the council's systems.",
    ],
)
def test_descriptions_and_hedged_claims_pass(sentence: str) -> None:
    assert check_language(sentence) == []
