"""Practice indicators and their quarterly values.

Each value is the institution's baseline for the indicator, moved by a trend (improving where
commitment is high, drifting where it is low), autocorrelated noise, a small seasonal pattern,
and a drop that often follows a turnover and fades over the next two years. Direction-aware:
for an indicator where lower is better, improving means going down. Institutions record most
but not all indicators; some start reporting late and a few quarters go missing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tracker.generate.leadership import Turnovers
from tracker.generate.population import Population
from tracker.generate.timeframe import Timeframe


@dataclass(frozen=True)
class IndicatorSpec:
    key: str
    name: str
    unit: str
    higher_is_better: bool
    chain_link: str
    baseline: float  # typical value
    spread: float  # how much baselines vary between institutions
    share: bool  # a percentage, kept within 0–100

    @property
    def direction(self) -> int:
        return 1 if self.higher_is_better else -1


INDICATORS = (
    IndicatorSpec("staff_turnover", "Staff turnover rate", "% leaving in 12 months", False,
                  "team_norms", 14.0, 4.0, True),
    IndicatorSpec("staff_morale", "Staff morale score", "score 0-100", True, "team_norms",
                  62.0, 8.0, True),
    IndicatorSpec("community_trust", "Resident or parent trust", "% agreeing", True,
                  "basic_assumption", 48.0, 10.0, True),
    IndicatorSpec("resident_participation", "Residents taking part in decisions",
                  "per 1,000 residents", True, "engagement", 12.0, 5.0, False),
    IndicatorSpec("co_produced_services", "Services co-produced with residents",
                  "% of services", True, "structural_embedding", 15.0, 8.0, True),
    IndicatorSpec("complaints_resolved_locally", "Complaints resolved locally", "% of complaints",
                  True, "individual_practice", 55.0, 12.0, True),
    IndicatorSpec("reflective_supervision", "Staff in reflective supervision", "% of staff",
                  True, "individual_practice", 40.0, 15.0, True),
    IndicatorSpec("sickness_absence", "Sickness absence", "days per FTE per year", False,
                  "team_norms", 9.0, 2.0, False),
    IndicatorSpec("escalations", "Escalations and exclusions", "per 1,000 served", False,
                  "individual_practice", 6.0, 2.0, False),
    IndicatorSpec("partnership_meetings", "Partnership meetings attended", "per quarter", True,
                  "engagement", 8.0, 3.0, False),
    IndicatorSpec("staff_living_locally", "Staff living in the place", "% of staff", True,
                  "team_norms", 35.0, 12.0, True),
    IndicatorSpec("volunteer_hours", "Volunteer hours hosted", "hours per 100 staff", True,
                  "engagement", 120.0, 40.0, False),
)

# How long a post-turnover drop lasts, and how fast it fades per quarter.
DROP_QUARTERS = 8
DROP_DECAY = 0.75


def indicator_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "key": [s.key for s in INDICATORS],
            "name": [s.name for s in INDICATORS],
            "unit": [s.unit for s in INDICATORS],
            "higher_is_better": pd.array([s.higher_is_better for s in INDICATORS],
                                         dtype="boolean"),
            "chain_link": [s.chain_link for s in INDICATORS],
            "description": [
                f"Synthetic quarterly series: {s.name.lower()} ({s.unit})." for s in INDICATORS
            ],
        }
    )


def _turnover_drops(
    n: int, frame: Timeframe, turnovers: Turnovers, commitment: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Per institution and quarter, how far practice fell back after turnovers (0 = not)."""
    drops = np.zeros((n, frame.quarters))
    quarter = frame.quarter_of(turnovers.date)
    chance = np.where(turnovers.leadership, 0.55, 0.3) * (1.2 - commitment[turnovers.institution])
    happens = rng.random(len(quarter)) < chance
    size = rng.uniform(0.12, 0.32, len(quarter))
    for lag in range(1, DROP_QUARTERS + 1):
        # The quarter of the turnover itself is left alone: it mixes before and after.
        q = quarter + lag
        hit = happens & (q >= 0) & (q < frame.quarters)
        np.add.at(drops, (turnovers.institution[hit], q[hit]), size[hit] * DROP_DECAY ** (lag - 1))
    return drops


def indicator_values(
    population: Population, frame: Timeframe, turnovers: Turnovers, rng: np.random.Generator
) -> pd.DataFrame:
    """The indicator_values table, ordered by institution, indicator and period."""
    n, q, k = population.size, frame.quarters, len(INDICATORS)
    direction = np.array([s.direction for s in INDICATORS], dtype=float)
    baseline = np.array([s.baseline for s in INDICATORS])
    spread = np.array([s.spread for s in INDICATORS])
    share = np.array([s.share for s in INDICATORS])
    c = population.commitment

    base = np.maximum(rng.normal(baseline, spread, size=(n, k)), 0.2 * baseline)
    # Relative improvement per year: committed institutions improve, others drift.
    rate = (c[:, None] - 0.3) * 0.08 + rng.normal(0.0, 0.012, size=(n, k))
    years = np.arange(q) / 4.0
    sensitivity = rng.uniform(0.5, 1.2, size=(n, k))
    drops = _turnover_drops(n, frame, turnovers, c, rng)
    noise = np.empty((n, k, q))
    noise[:, :, 0] = rng.normal(0.0, 0.03, size=(n, k))
    for quarter in range(1, q):
        noise[:, :, quarter] = 0.5 * noise[:, :, quarter - 1] + rng.normal(0.0, 0.026, (n, k))
    season = 0.01 * np.sin(np.pi / 2 * np.arange(q))
    better = rate[:, :, None] * years + noise + season - sensitivity[:, :, None] * drops[:, None, :]
    values = base[:, :, None] * (1.0 + direction[None, :, None] * better)
    values = np.maximum(values, 0.0)
    values = np.where(share[None, :, None], np.minimum(values, 100.0), values)
    values = np.round(values, 1)

    records = rng.random((n, k)) < 0.85
    records[np.arange(n), rng.integers(0, k, n)] = True  # everyone records something
    late = rng.random(n) < 0.25
    first_quarter = np.where(late, rng.integers(1, max(2, q // 2), n), 0)
    reported = records[:, :, None] & (np.arange(q)[None, None, :] >= first_quarter[:, None, None])
    reported &= rng.random((n, k, q)) >= 0.02
    # The last quarter is always reported: it dates every institution's as-of to the last day.
    reported[:, :, q - 1] |= records
    inst, ind, per = np.nonzero(reported)
    keys = np.array([s.key for s in INDICATORS], dtype=object)
    empty = np.full(len(inst), None, dtype=object)
    # Already in the data set's dtypes; copy=False keeps pandas from copying ten million rows
    # into one block.
    return pd.DataFrame(
        {
            "institution": population.keys[inst],
            "indicator": keys[ind],
            "period": frame.period_labels()[per],
            "value": values[inst, ind, per],
            "source": empty,
            "note": empty,
        },
        copy=False,
    )
