"""Calibration rules: crisp thresholds and Ragin's direct method."""

from __future__ import annotations

import numpy as np
import pytest

from tracker.analysis.qca.calibration import (
    CalibrationError,
    CrispRule,
    FuzzyRule,
    calibrate,
    parse_rule,
)


def test_crisp_rules_with_each_operator():
    values = np.array([9.0, 10.0, 11.0])
    assert parse_rule("STB<10") == CrispRule("STB", "<", 10.0)
    assert calibrate(values, parse_rule("X>=10")).tolist() == [0, 1, 1]
    assert calibrate(values, parse_rule("X>10")).tolist() == [0, 0, 1]
    assert calibrate(values, parse_rule("X<10")).tolist() == [1, 0, 0]
    assert calibrate(values, parse_rule("X<=10")).tolist() == [1, 1, 0]


def test_direct_method_puts_log_odds_three_at_the_anchors():
    rule = parse_rule("B=2,7,9.5")
    assert rule == FuzzyRule("B", 2.0, 7.0, 9.5)
    memberships = calibrate(np.array([2.0, 7.0, 9.5, 4.5]), rule)
    expected_anchor = 1 / (1 + np.exp(-3))
    np.testing.assert_allclose(memberships[:3], [1 - expected_anchor, 0.5, expected_anchor])
    # halfway between exclusion and crossover: log-odds -1.5
    np.testing.assert_allclose(memberships[3], 1 / (1 + np.exp(1.5)))


def test_decreasing_anchors_make_a_decreasing_set():
    memberships = calibrate(np.array([4.0, 7.0, 10.0, 13.0]), parse_rule("STB=10,7,4"))
    assert memberships[1] == 0.5
    assert list(memberships) == sorted(memberships, reverse=True)
    assert memberships[0] > 0.95 and memberships[2] < 0.05


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("DEV", "not understood"),
        ("DEV=1,2", "not understood"),
        ("DEV=5,2,9", "crossover must lie strictly between"),
        ("DEV>=abc", "not understood"),
    ],
)
def test_unreadable_rules_are_refused_with_the_reason(text, says):
    with pytest.raises(CalibrationError, match=says):
        parse_rule(text)
