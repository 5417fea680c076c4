"""Structural changes with their status history, and institutional decisions.

A change is adopted, confirmed by the evaluator's yearly reviews (as `in_force`, sometimes
`weakened`), and sometimes reversed or superseded. Reversals come more often soon after a
turnover, and less often where commitment is high: the pattern the product exists to detect.
Some evaluators stop reviewing a change, which leaves persistence unconfirmed; turnovers in the
last year leave it too early to tell.

Decisions: committed institutions more often reverse an earlier decision because of work with
their community at a cost to themselves (the diagnostic question); others record reversals for
other reasons, or community-driven decisions that cost nothing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tracker.generate.leadership import Turnovers
from tracker.generate.population import Population
from tracker.generate.timeframe import DAY, NO_DATE, Timeframe, as_timestamps, pick

# kind -> (title, causal-chain link, culture level)
CHANGE_TEMPLATES = {
    "hiring_criteria": ("Hiring criteria value lived experience of the place",
                        "structural_embedding", "artefact"),
    "performance_framework": ("Performance framework reports the relationship with residents",
                              "structural_embedding", "artefact"),
    "governance": ("Community panel with a standing seat in governance",
                   "structural_embedding", "espoused_value"),
    "policy": ("Attendance policy rewritten with families", "team_norms", "espoused_value"),
    "role_definition": ("Role definitions include community relationships",
                        "structural_embedding", "artefact"),
    "structure": ("A neighbourhoods directorate", "structural_embedding", "artefact"),
    "practice": ("Reflective supervision in front-line teams", "individual_practice",
                 "artefact"),
    "language": ("Deficit language retired from plans and reports", "basic_assumption",
                 "basic_assumption"),
    "other": ("Shared budget with community organisations", "team_norms", "espoused_value"),
}
CHANGE_KIND_WEIGHTS = [0.14, 0.14, 0.13, 0.14, 0.1, 0.08, 0.14, 0.08, 0.05]

COSTS = ["budget", "power", "reputation", "time", "other"]
_COST_NOTES = {
    "budget": "Running costs kept in the budget at the expense of other plans.",
    "power": "Decision-making on the matter handed to the community panel.",
    "reputation": "Publicly reversed a decision the leadership had defended.",
    "time": "Delayed the programme by two terms to consult properly.",
    "other": "Gave up a planned income stream.",
}
_REVERSED_TITLES = [
    ("Close the community hub", "Community hub kept open after residents' engagement"),
    ("Merge the family support teams", "Family support teams kept local after parents spoke"),
    ("Tighten the exclusions policy", "Exclusions policy change withdrawn after family forums"),
    ("Move services to the town centre", "Neighbourhood bases retained at residents' request"),
]


def make_changes(
    population: Population, frame: Timeframe, turnovers: Turnovers, rng: np.random.Generator
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The changes and change_status tables."""
    commitment = population.commitment
    per_institution = np.minimum(rng.poisson(0.4 + 3.2 * commitment), 6)
    institution = np.repeat(np.arange(population.size), per_institution)
    number = _running_number(per_institution)
    count = len(institution)
    kinds = pick(rng, list(CHANGE_TEMPLATES), count, p=CHANGE_KIND_WEIGHTS)
    adopted = frame.random_days(rng, -365, frame.days - 60, count)
    keys = population.keys[institution] + "-c" + number.astype(str).astype(object)

    first_turnover = turnovers.first_after(institution, adopted)
    c = commitment[institution]
    # A turnover is the riskiest moment for a change; commitment makes it less risky.
    reversed_after = ~np.isnat(first_turnover) & (rng.random(count) < 0.45 * (1.15 - c))
    reversal = np.where(
        reversed_after, first_turnover + rng.integers(20, 330, count) * DAY, NO_DATE
    )
    later = rng.integers(120, max(121, frame.days), count) * DAY
    reversed_anyway = ~reversed_after & (rng.random(count) < 0.06)
    reversal = np.where(reversed_anyway, adopted + later, reversal)
    reversal = np.where(reversal <= frame.last_day, reversal, NO_DATE)
    ending = np.where(rng.random(count) < 0.25, "superseded", "reversed").astype(object)

    changes = pd.DataFrame(
        {
            "key": keys,
            "institution": population.keys[institution],
            "title": np.array([CHANGE_TEMPLATES[k][0] for k in kinds], dtype=object),
            "kind": kinds,
            "adopted": as_timestamps(adopted),
            "chain_link": np.array([CHANGE_TEMPLATES[k][1] for k in kinds], dtype=object),
            "culture_level": np.array([CHANGE_TEMPLATES[k][2] for k in kinds], dtype=object),
            "notes": None,
        }
    )
    statuses = _status_history(keys, adopted, reversal, ending, frame, rng)
    return changes, statuses


def _running_number(per_institution: np.ndarray) -> np.ndarray:
    """1, 2, … within each institution's run of rows."""
    total = int(per_institution.sum())
    starts = np.repeat(np.cumsum(per_institution) - per_institution, per_institution)
    return np.arange(total) - starts + 1


def _status_history(
    keys: np.ndarray,
    adopted: np.ndarray,
    reversal: np.ndarray,
    ending: np.ndarray,
    frame: Timeframe,
    rng: np.random.Generator,
) -> pd.DataFrame:
    count = len(keys)
    reviews = frame.years + 2
    shape = (count, reviews)
    # Yearly reviews, give or take six weeks, from the first anniversary of adoption.
    offsets = 365 * np.arange(1, reviews + 1) + rng.integers(-45, 46, size=shape)
    review = adopted[:, None] + offsets * DAY
    # One evaluator in four stops reviewing a change at some point.
    stops = rng.random(count) < 0.25
    stop_day = np.where(stops, adopted + rng.integers(200, 365 * frame.years, count) * DAY, NO_DATE)
    kept = (review <= frame.last_day) & (rng.random(shape) < 0.85)
    kept &= np.isnat(stop_day)[:, None] | (review < stop_day[:, None])
    kept &= np.isnat(reversal)[:, None] | (review < reversal[:, None])
    weakened = rng.random(shape) < 0.1
    rows, cols = np.nonzero(kept)
    review_status = np.where(weakened[rows, cols], "weakened", "in_force").astype(object)

    # Half the evaluators also record the adoption itself.
    at_adoption = np.flatnonzero(rng.random(count) < 0.5)
    ended = np.flatnonzero(~np.isnat(reversal))
    key = np.concatenate([keys[rows], keys[at_adoption], keys[ended]])
    date = np.concatenate([review[rows, cols], adopted[at_adoption], reversal[ended]])
    status = np.concatenate(
        [review_status, np.full(len(at_adoption), "in_force", dtype=object), ending[ended]]
    )
    evidence = np.concatenate(
        [
            np.full(len(rows), "Evaluator's yearly review of documents and interviews.",
                    dtype=object),
            np.full(len(at_adoption), "Minutes of the meeting that adopted it.", dtype=object),
            np.full(len(ended), "Minutes of the meeting that ended it.", dtype=object),
        ]
    )
    # Statuses dated after the last day are not yet known; reversals are already clipped.
    known = date <= frame.last_day
    table = pd.DataFrame(
        {
            "change": key[known],
            "date": as_timestamps(date[known]),
            "status": status[known],
            "evidence": evidence[known],
            "notes": None,
        }
    )
    return table.sort_values(["change", "date"], kind="stable").reset_index(drop=True)


def make_decisions(
    population: Population, frame: Timeframe, rng: np.random.Generator
) -> pd.DataFrame:
    """The decisions table (dated on or before the last day)."""
    n = population.size
    c = population.commitment
    costly = rng.random(n) < 0.08 + 0.6 * c**1.5
    pairs = np.flatnonzero(costly)
    first_date = frame.random_days(rng, 0, max(1, frame.days - 600), len(pairs))
    second_date = first_date + rng.integers(60, 540, len(pairs)) * DAY
    story = rng.integers(0, len(_REVERSED_TITLES), len(pairs))
    cost = pick(rng, COSTS, len(pairs))
    parts = [
        _decisions(population.keys[pairs], "a", first_date, [_REVERSED_TITLES[s][0] for s in story],
                   reverses=False, community=False, cost=None),
        _decisions(population.keys[pairs], "b", second_date,
                   [_REVERSED_TITLES[s][1] for s in story], reverses=True, community=True,
                   cost=cost),
    ]
    # Decisions that do not answer the question: reversed for other reasons, or driven by the
    # community at no cost; each institution records up to three.
    others = np.repeat(np.arange(n), rng.integers(0, 4, n))
    kind = rng.integers(0, 3, len(others))
    dates = frame.random_days(rng, 0, frame.days, len(others))
    titles = np.array(
        ["Budget reprofiled after an inspection", "Community forum's proposal adopted",
         "Annual plan approved"],
        dtype=object,
    )[kind]
    number = _running_number(np.bincount(others, minlength=n))
    parts.append(
        pd.DataFrame(
            {
                "key": population.keys[others] + "-d" + number.astype(str).astype(object),
                "institution": population.keys[others],
                "date": as_timestamps(dates),
                "title": titles,
                "reverses_earlier": pd.array(kind == 0, dtype="boolean"),
                "because_of_community": pd.array(kind == 1, dtype="boolean"),
                "cost": np.where(kind == 0, "budget", "none").astype(object),
                "cost_note": None,
                "evidence": "Minutes of the decision-making meeting.",
            }
        )
    )
    table = pd.concat(parts, ignore_index=True)
    table = table[table["date"] <= pd.Timestamp(frame.last_day)]
    return table.reset_index(drop=True)


def _decisions(
    keys: np.ndarray, suffix: str, dates: np.ndarray, titles: list[str], *, reverses: bool,
    community: bool, cost: np.ndarray | None,
) -> pd.DataFrame:
    costs = cost if cost is not None else np.full(len(keys), "none", dtype=object)
    return pd.DataFrame(
        {
            "key": keys + f"-d{suffix}",
            "institution": keys,
            "date": as_timestamps(dates),
            "title": np.asarray(titles, dtype=object),
            "reverses_earlier": pd.array(np.full(len(keys), reverses), dtype="boolean"),
            "because_of_community": pd.array(np.full(len(keys), community), dtype="boolean"),
            "cost": costs,
            "cost_note": np.array([_COST_NOTES.get(c) for c in costs], dtype=object),
            "evidence": "Minutes and the evaluator's interviews with staff and residents.",
        }
    )
