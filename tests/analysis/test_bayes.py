"""Contribution tracing: Bayes updating of confidence in a claim, every number auditable."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.analysis.bayes import (
    bayes_update,
    confidence_words,
    evidence_probabilities,
)
from tracker.analysis.confidence_trail import confidence_trail
from tracker.dataset import Dataset


def evidence(*rows: dict[str, Any]) -> pd.DataFrame:
    """An evidence frame typed as the analysis receives it (defaults filled in)."""
    filled = [
        {"institution": "northdale", "title": f"item {row['key']}", "claim": "c1", **row}
        for row in rows
    ]
    frame = pd.DataFrame(filled)
    for column, default in (("supports", True), ("observed", True)):
        if column not in frame:
            frame[column] = default
        frame[column] = frame[column].where(frame[column].notna(), default)
    return Dataset.from_frames({"evidence": frame})["evidence"]


def test_hoop_test_passed_raises_confidence_only_a_little() -> None:
    after = bayes_update(0.5, sensitivity=0.95, type_i_error=0.6, observed=True)
    assert after == pytest.approx(0.475 / 0.775)
    assert 0.5 < after < 0.65


def test_hoop_test_failed_lowers_confidence_sharply() -> None:
    after = bayes_update(0.5, sensitivity=0.95, type_i_error=0.6, observed=False)
    assert after == pytest.approx(0.025 / 0.225)


def test_smoking_gun_found_raises_confidence_sharply() -> None:
    after = bayes_update(0.5, sensitivity=0.3, type_i_error=0.02, observed=True)
    assert after == pytest.approx(0.15 / 0.16)


def test_smoking_gun_absent_barely_lowers_confidence() -> None:
    after = bayes_update(0.5, sensitivity=0.3, type_i_error=0.02, observed=False)
    assert after == pytest.approx(0.35 / 0.84)
    assert 0.4 < after < 0.5


def test_confidence_is_not_clamped_between_steps() -> None:
    after = bayes_update(0.98, sensitivity=0.95, type_i_error=0.02, observed=True)
    assert after == pytest.approx(0.98 * 0.95 / (0.98 * 0.95 + 0.02 * 0.02))
    assert after > 0.99


def test_evidence_impossible_under_both_hypotheses_leaves_confidence_unchanged() -> None:
    assert bayes_update(0.4, sensitivity=0.0, type_i_error=0.0, observed=True) == 0.4


@pytest.mark.parametrize(
    "p, words",
    [
        (0.05, "very unlikely"),
        (0.1, "unlikely"),
        (0.32, "unlikely"),
        (0.33, "about as likely as not"),
        (0.65, "about as likely as not"),
        (0.66, "likely"),
        (0.89, "likely"),
        (0.9, "very likely"),
        (0.99, "very likely"),
    ],
)
def test_confidence_is_put_in_words_on_a_documented_scale(p: float, words: str) -> None:
    assert confidence_words(p) == words


def test_preset_probabilities_come_from_the_test() -> None:
    found = evidence_probabilities(test="doubly_decisive", sensitivity=None, type_i_error=None)
    assert found is not None
    assert (found.sensitivity, found.type_i_error) == (0.95, 0.02)


def test_explicit_probabilities_override_the_preset_one_by_one() -> None:
    found = evidence_probabilities(test="hoop", sensitivity=0.8, type_i_error=None)
    assert found is not None
    assert (found.sensitivity, found.type_i_error) == (0.8, 0.6)
    both = evidence_probabilities(test="hoop", sensitivity=0.8, type_i_error=0.1)
    assert both is not None
    assert (both.sensitivity, both.type_i_error, both.source) == (0.8, 0.1, "explicit")


def test_preset_swaps_for_evidence_against_the_claim() -> None:
    found = evidence_probabilities(
        test="smoking_gun", sensitivity=None, type_i_error=None, supports=False
    )
    assert found is not None
    assert (found.sensitivity, found.type_i_error) == (0.02, 0.3)


def test_row_without_test_or_probabilities_does_not_update() -> None:
    assert evidence_probabilities(test=None, sensitivity=None, type_i_error=None) is None
    assert evidence_probabilities(test=None, sensitivity=0.7, type_i_error=None) is None
    trail = confidence_trail(evidence({"key": "e1", "date": "2020-01-01"}), prior=0.4, claim="c1")
    assert trail.steps == ()
    assert trail.posterior == 0.4
    assert [s.evidence for s in trail.skipped] == ["e1"]
    assert "prior of 0.400" in trail.sentence


def test_trail_shows_prior_each_step_and_result_in_date_then_key_order() -> None:
    rows = evidence(
        {"key": "e3", "date": "2021-06-01", "test": "smoking_gun"},
        {"key": "e2", "date": "2020-01-01", "test": "hoop"},
        {"key": "e1", "date": "2021-06-01", "test": "straw_in_the_wind", "observed": False},
    )
    trail = confidence_trail(rows, prior=0.5, claim="c1")
    assert [s.evidence for s in trail.steps] == ["e2", "e1", "e3"]
    first, second, third = trail.steps
    assert first.before == 0.5
    assert first.after == pytest.approx(0.475 / 0.775)
    assert second.before == first.after
    p = first.after
    assert second.after == pytest.approx(p * 0.4 / (p * 0.4 + (1 - p) * 0.6))
    assert third.before == second.after
    assert (third.test, third.sensitivity, third.type_i_error, third.observed) == (
        "smoking_gun",
        0.3,
        0.02,
        True,
    )
    assert trail.posterior == third.after
    assert trail.words == confidence_words(third.after)
    assert f"{third.after:.3f}" in trail.sentence


def test_smoking_gun_against_the_claim_lowers_confidence() -> None:
    rows = evidence({"key": "e1", "date": "2020-01-01", "test": "smoking_gun", "supports": False})
    trail = confidence_trail(rows, prior=0.5)
    assert trail.posterior == pytest.approx(0.01 / 0.16)


def test_evidence_after_the_as_of_date_is_not_used() -> None:
    rows = evidence(
        {"key": "e1", "date": "2020-01-01", "test": "hoop"},
        {"key": "e2", "date": "2024-01-01", "test": "doubly_decisive"},
    )
    trail = confidence_trail(rows, prior=0.5, as_of=pd.Timestamp("2022-12-31").date())
    assert [s.evidence for s in trail.steps] == ["e1"]


def test_missing_prior_is_the_default_and_extreme_prior_is_held_within_bounds() -> None:
    rows = evidence({"key": "e1", "date": "2020-01-01", "test": "hoop", "observed": False})
    assert confidence_trail(rows, prior=None).prior == 0.5
    certain = confidence_trail(rows, prior=1.0)
    assert certain.prior == 0.99
    assert certain.posterior < 0.99


def test_step_sentence_shows_every_number() -> None:
    rows = evidence({"key": "e1", "date": "2020-01-01", "test": "hoop"})
    (step,) = confidence_trail(rows, prior=0.5).steps
    assert step.sentence == (
        "e1 (hoop test, observed, for the claim; P(E|H) 0.95, P(E|not H) 0.60, hoop preset; "
        "likelihood ratio 1.58) raises confidence from 0.500 to 0.613."
    )
    assert step.likelihood_ratio == pytest.approx(0.95 / 0.6)


def test_trail_json_carries_every_number() -> None:
    rows = evidence({"key": "e1", "date": "2020-01-01", "sensitivity": 0.7, "type_i_error": 0.2})
    data = confidence_trail(rows, prior=0.3, claim="c1").to_json()
    assert data["prior"] == 0.3
    (step,) = data["steps"]
    assert (step["sensitivity"], step["type_i_error"], step["before"]) == (0.7, 0.2, 0.3)
    assert data["posterior"] == step["after"] == round(0.21 / (0.21 + 0.14), 6)


# Issue 10, case 7: order-free Bayes, one direction everywhere.

THREE = (
    {"key": "a", "date": "2020-01-01", "test": "doubly_decisive"},
    {"key": "b", "date": "2020-02-01", "test": "smoking_gun"},
    {"key": "c", "date": "2020-03-01", "test": "hoop", "observed": False},
)


def test_bayes_result_does_not_depend_on_the_order_of_the_evidence() -> None:
    forward = confidence_trail(evidence(*THREE), prior=0.5).posterior
    dated_backwards = [
        {**row, "date": date}
        for row, date in zip(THREE, ["2020-03-01", "2020-02-01", "2020-01-01"], strict=True)
    ]
    backward = confidence_trail(evidence(*dated_backwards), prior=0.5).posterior
    odds = (0.95 / 0.02) * (0.3 / 0.02) * (0.05 / 0.4)
    assert forward == pytest.approx(backward)
    assert forward == pytest.approx(odds / (1 + odds))


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0.01, 0.99), st.floats(0.01, 0.99), st.booleans()),
        min_size=1,
        max_size=6,
    ),
    st.randoms(use_true_random=False),
)
def test_any_order_of_the_same_items_gives_the_same_confidence(
    items: list[tuple[float, float, bool]], random: Any
) -> None:
    rows = [
        {
            "key": f"e{number}",
            "date": "2020-01-01",
            "sensitivity": max(s, a),
            "type_i_error": min(s, a),
            "observed": observed,
        }
        for number, (s, a, observed) in enumerate(items)
    ]
    shuffled = rows[:]
    random.shuffle(shuffled)
    relabelled = [{**row, "key": f"k{n}"} for n, row in enumerate(shuffled)]
    first = confidence_trail(evidence(*rows), prior=0.3).posterior
    second = confidence_trail(evidence(*relabelled), prior=0.3).posterior
    assert first == pytest.approx(second, rel=1e-9, abs=1e-12)


def test_a_passed_hoop_test_at_high_confidence_still_raises_it_and_shows_above_099() -> None:
    rows = evidence(
        {"key": "a", "date": "2020-01-01", "test": "doubly_decisive"},
        {"key": "b", "date": "2020-02-01", "test": "hoop"},
    )
    trail = confidence_trail(rows, prior=0.5)
    last = trail.steps[-1]
    assert last.after > last.before > 0.97
    assert "> 0.99" in trail.sentence or trail.posterior <= 0.99
    assert trail.to_json()["posterior_shown"] in ("> 0.99", f"{trail.posterior:.3f}")


def test_an_item_against_the_claim_never_raises_confidence_when_observed() -> None:
    rows = evidence(
        {
            "key": "x",
            "date": "2020-01-01",
            "supports": False,
            "sensitivity": 0.8,
            "type_i_error": 0.1,
        },
        {"key": "y", "date": "2020-01-02", "supports": False, "test": "smoking_gun"},
    )
    trail = confidence_trail(rows, prior=0.5)
    assert [skip.evidence for skip in trail.skipped] == ["x"]
    (step,) = trail.steps
    assert step.direction == "against" and step.after < step.before


def test_the_independence_assumption_is_stated_and_a_shared_source_warned() -> None:
    rows = evidence(
        {"key": "a", "date": "2020-01-01", "test": "hoop", "source": "LGA"},
        {"key": "b", "date": "2020-02-01", "test": "smoking_gun", "source": "lga"},
    )
    trail = confidence_trail(rows, prior=0.5)
    assert "conditionally independent given the claim" in trail.assumption
    assert len(trail.warnings) == 1 and "a, b" in trail.warnings[0]
