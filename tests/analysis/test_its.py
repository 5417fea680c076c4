"""Segmented regression (interrupted time series) as supporting evidence (product.md)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from tests.builders import Scenario
from tracker.analysis.its import COVERAGE, coverage_words, segmented_regression
from tracker.analysis.language import check_language
from tracker.analysis.params import Parameters
from tracker.analysis.run import analyse
from tracker.periods import period_index

TURNOVER_QUARTER = period_index("2018Q1")


def series(values: list[float], first: str = "2016Q1") -> pd.DataFrame:
    start = period_index(first)
    return pd.DataFrame({"quarter": np.arange(start, start + len(values)), "value": values})


def stepped(*, level: float, slope_after: float, noise: float = 0.0) -> pd.DataFrame:
    """Eight quarters before 2018Q1 rising by 1 a quarter, then a step and a new slope."""
    quarters = np.arange(period_index("2016Q1"), period_index("2020Q1"))
    rng = np.random.default_rng(7)
    time = quarters - quarters[0]
    after = quarters > TURNOVER_QUARTER
    since = np.where(after, quarters - TURNOVER_QUARTER - 1, 0)
    values = 50 + time + level * after + slope_after * since + rng.normal(0, noise, len(time))
    return pd.DataFrame({"quarter": quarters, "value": values})


def test_recovers_a_level_change_and_a_slope_change() -> None:
    estimate = segmented_regression(
        stepped(level=5.0, slope_after=-0.5, noise=0.2),
        turnover_quarter=TURNOVER_QUARTER,
        turnover_label="the chief_executive turnover on 2018-03-31",
        params=Parameters(),
    )
    assert estimate.fitted
    assert (estimate.n_pre, estimate.n_post) == (8, 7)  # 2018Q1 itself is left out
    assert estimate.level_change == pytest.approx(5.0, abs=0.6)
    assert estimate.slope_change == pytest.approx(-0.5, abs=0.2)
    assert estimate.level_low is not None and estimate.level_high is not None
    assert estimate.level_low < 5.0 < estimate.level_high
    assert estimate.slope_low is not None and estimate.slope_high is not None
    assert estimate.slope_low < -0.5 < estimate.slope_high


def test_no_change_gives_an_interval_around_zero() -> None:
    estimate = segmented_regression(
        stepped(level=0.0, slope_after=0.0, noise=0.3),
        turnover_quarter=TURNOVER_QUARTER,
        turnover_label="the turnover",
        params=Parameters(),
    )
    assert estimate.level_low is not None and estimate.level_high is not None
    assert estimate.level_low < 0 < estimate.level_high


def test_not_fitted_with_fewer_than_the_minimum_quarters_on_a_side() -> None:
    # Five values before 2018Q1 (2016Q4-2017Q4) and eight after.
    estimate = segmented_regression(
        series([50.0] * 14, first="2016Q4"),
        turnover_quarter=TURNOVER_QUARTER,
        turnover_label="the turnover",
        params=Parameters(its_min_quarters=6),
    )
    assert not estimate.fitted
    assert (estimate.n_pre, estimate.n_post) == (5, 8)
    assert estimate.level_change is None
    assert "at least 6" in estimate.sentence


def test_the_minimum_is_a_parameter() -> None:
    estimate = segmented_regression(
        series([50.0, 51.0, 53.0, 52.0, 54.0, 0.0, 56.0, 55.0, 57.0, 58.0, 59.0], "2016Q4"),
        turnover_quarter=TURNOVER_QUARTER,
        turnover_label="the turnover",
        params=Parameters(its_min_quarters=5),
    )
    assert estimate.fitted


def test_the_sentence_is_contribution_language() -> None:
    estimate = segmented_regression(
        stepped(level=3.0, slope_after=0.2, noise=0.1),
        turnover_quarter=TURNOVER_QUARTER,
        turnover_label="the chief_executive turnover on 2018-03-31",
        params=Parameters(),
    )
    assert "consistent with a level change of +" in estimate.sentence
    assert check_language(estimate.sentence) == []


def its_scenario() -> Scenario:
    values = list(stepped(level=4.0, slope_after=0.0, noise=0.1)["value"])
    return (
        Scenario("northdale")
        .tenure("chief_executive", "Ann", "2015-01-01", "2018-03-31")
        .tenure("chief_executive", "Bob", "2018-04-01")
        .indicator("trust")
        .values("trust", "2016Q1", values)
    )


def test_analyse_fits_segmented_regressions_only_when_asked() -> None:
    dataset = its_scenario().build()
    plain = analyse(dataset, Parameters())
    assert plain.its.empty
    test = plain.institution("northdale").indicators[0].tests[0]
    assert test.its is None
    assert "its" not in plain.to_json()["institutions"][0]["indicators"][0]["tests"][0]

    with_its = analyse(dataset, Parameters(), include_its=True)
    fitted = with_its.institution("northdale").indicators[0].tests[0].its
    assert fitted is not None and fitted.fitted
    assert fitted.level_change == pytest.approx(4.0, abs=0.5)
    shown = with_its.to_json()["institutions"][0]["indicators"][0]["tests"][0]["its"]
    assert shown["fitted"] is True
    assert shown["n"] == 15
    assert len(with_its.its) == 1


def ar1(rng: np.random.Generator, n: int, rho: float) -> np.ndarray:
    """A stationary AR(1) series with unit innovations."""
    out = np.empty(n)
    out[0] = rng.normal() / np.sqrt(1 - rho**2)
    for step in range(1, n):
        out[step] = rho * out[step - 1] + rng.normal()
    return out


def test_intervals_are_labelled_with_the_coverage_measured_at_the_nearest_rho() -> None:
    """Issue 23, case 5: the intervals fall short of 95% on short autocorrelated series, so each
    sentence states the coverage measured by `bench/its_coverage.py` at the nearest ρ."""
    rng = np.random.default_rng(2026)
    quarters = np.arange(TURNOVER_QUARTER - 12, TURNOVER_QUARTER + 13)
    fit = segmented_regression(
        pd.DataFrame({"quarter": quarters, "value": ar1(rng, len(quarters), 0.6)}),
        turnover_quarter=TURNOVER_QUARTER,
        turnover_label="the turnover",
        params=Parameters(),
    )
    assert "a nominal 95% interval" in fit.sentence
    assert re.search(r"covers the true change (85|88|89)% of the time", fit.sentence)
    assert check_language(fit.sentence) == []
    assert coverage_words(0.62).endswith("covers the true change 85% of the time")
    assert "lag-1 autocorrelation of 0 " in coverage_words(-0.2)
    assert COVERAGE == {0.0: 0.894, 0.3: 0.880, 0.6: 0.848}


def test_the_stated_coverage_is_what_a_rerun_of_the_simulation_finds() -> None:
    """A small rerun of the simulation (200 series at ρ = 0.6, another seed) lands within three
    standard errors (0.025 each) of the stated figure."""
    from bench.its_coverage import coverage

    ours, _plain = coverage(0.6, 200, seed=7)
    assert abs(ours - COVERAGE[0.6]) <= 0.075


def test_each_fit_is_limited_to_the_span_between_neighbouring_turnovers() -> None:
    values = stepped(level=5, slope_after=0)
    whole = segmented_regression(
        values, turnover_quarter=TURNOVER_QUARTER, turnover_label="t", params=Parameters()
    )
    limited = segmented_regression(
        values,
        turnover_quarter=TURNOVER_QUARTER,
        turnover_label="t",
        params=Parameters(its_min_quarters=2),
        span=(TURNOVER_QUARTER - 5, TURNOVER_QUARTER + 4),
    )
    assert whole.n_pre == 8 and limited.n_pre == 4
    assert limited.n_post == 3
    assert "between the neighbouring turnovers" in limited.sentence


def test_the_sentence_says_when_the_interval_includes_zero_and_states_the_lag() -> None:
    rng = np.random.default_rng(3)
    noise = pd.DataFrame(
        {
            "quarter": np.arange(TURNOVER_QUARTER - 8, TURNOVER_QUARTER + 9),
            "value": rng.normal(0, 1, 17),
        }
    )
    fit = segmented_regression(
        noise, turnover_quarter=TURNOVER_QUARTER, turnover_label="t", params=Parameters()
    )
    assert "Newey–West" in fit.sentence and "lag of 1 quarter" in fit.sentence
    assert fit.level_low is not None and fit.level_high is not None
    if fit.level_low <= 0 <= fit.level_high:
        assert "includes zero" in fit.sentence
    assert check_language(fit.sentence) == []


def test_quarter_of_year_terms_are_optional() -> None:
    quarters = np.arange(TURNOVER_QUARTER - 8, TURNOVER_QUARTER + 9)
    seasonal = 10 + 3 * (quarters % 4 == 2)
    frame = pd.DataFrame({"quarter": quarters, "value": seasonal.astype(float)})
    fit = segmented_regression(
        frame,
        turnover_quarter=TURNOVER_QUARTER,
        turnover_label="t",
        params=Parameters(its_seasonal=True),
    )
    assert fit.level_change == pytest.approx(0, abs=1e-9)
    assert "quarter-of-year terms" in fit.sentence
