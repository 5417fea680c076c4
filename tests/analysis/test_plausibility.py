"""Plausibility warnings: a value outside its indicator's range, or a jump far beyond the
institution's usual quarter-to-quarter changes, is flagged (never refused)."""

from __future__ import annotations

from tracker.analysis.plausibility import JUMP_SDS, indicator_range, value_warnings


def test_a_percentage_beyond_100_or_below_0_is_implausible() -> None:
    attendance = indicator_range("Attendance", "% of pupils")
    assert [d.kind for d in value_warnings(150.0, attendance)] == ["range"]
    assert "below the plausible minimum of 0" in value_warnings(-5.0, attendance)[0].message
    assert value_warnings(95.0, attendance) == []


def test_an_indicators_own_range_wins_over_the_percentage_default() -> None:
    score = indicator_range("Morale", "% positive", low=20, high=80)
    assert value_warnings(85.0, score)[0].message.startswith("85 is above the plausible maximum")
    assert value_warnings(None, score) == []
    assert value_warnings(1e6, indicator_range("Budget", "GBP")) == []


def test_a_jump_beyond_the_institutions_usual_changes_is_flagged() -> None:
    turnover = indicator_range("Staff turnover", "% leaving")
    history = [12.0, 12.4, 12.1, 12.6, 12.3, 12.5]
    [jump] = value_warnings(56.0, turnover, history)
    assert jump.kind == "jump" and "from 12.5" in jump.message
    assert f"{JUMP_SDS:g} times" in jump.message
    assert value_warnings(12.9, turnover, history) == []
    # too short a series says nothing about what is usual
    assert value_warnings(56.0, turnover, history[:3]) == []
