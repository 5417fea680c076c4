"""Leadership tenures, partner engagements, and the turnovers they make.

Each institution has three key roles and one role that is not key (so that a change of holder
that is *not* a turnover also occurs). Tenures last a few years (a gamma distribution around
each role's typical length, at least a year); the first began before the timeframe. Most
handovers are next-day; some leave an interim gap; a few tenures have no recorded end (the
analysis dates the turnover at the successor's start), and a few roles are left vacant at the
end. Partner engagements start, last a few years and end (a partner withdrawal) unless they
run past the last day.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tracker.generate.population import Population
from tracker.generate.timeframe import (
    DAY,
    NO_DATE,
    Timeframe,
    as_timestamps,
    pick,
    texts_where,
)

# Per kind: three key roles, then one role that is not key.
ROLES = {
    "local_authority": ("chief_executive", "council_leader", "institutional_champion",
                        "head_of_communications"),
    "school": ("headteacher", "chair_of_governors", "institutional_champion",
               "deputy_headteacher"),
    "trust": ("trust_ceo", "chair_of_trustees", "institutional_champion", "director_of_finance"),
    "health": ("chief_executive", "medical_director", "institutional_champion",
               "head_of_estates"),
    "police": ("chief_constable", "police_and_crime_commissioner", "institutional_champion",
               "head_of_media"),
    "voluntary": ("director", "chair_of_trustees", "institutional_champion", "fundraising_lead"),
    "other": ("chief_executive", "chair_of_board", "institutional_champion", "operations_lead"),
}
ROLES_PER_INSTITUTION = 4
KEY_ROLES = 3
# Typical tenure in years of the first, second and third key role, and of the other role.
MEAN_TENURE_YEARS = np.array([6.0, 5.0, 4.0, 5.0])
MIN_TENURE_DAYS = 365

PARTNERS = [
    "Civic Lab", "Northern Coaching Partnership", "Place Matters", "Common Ground Associates",
    "Relational Practice Network", "Neighbourhood Futures", "Learning Together CIC",
    "Community Voice Collective", "Open Door Facilitation", "Shared Futures Trust",
]
PARTNER_KINDS = ["facilitation", "coaching", "peer_learning", "research"]
_FIRST_NAMES = [
    "Aisha", "Ben", "Chloe", "Daniel", "Eleanor", "Farid", "Grace", "Harry", "Imran", "Jade",
    "Kwame", "Laura", "Mohammed", "Niamh", "Oliver", "Priya", "Rhys", "Sarah", "Tom", "Uma",
    "Victoria", "Wei", "Yasmin", "Zoe", "Gareth", "Helen", "Joseph", "Kate", "Liam", "Maria",
]
_LAST_NAMES = [
    "Ahmed", "Baker", "Campbell", "Davies", "Evans", "Fletcher", "Green", "Hughes", "Iqbal",
    "Jones", "Khan", "Lewis", "Morgan", "Nowak", "Okafor", "Patel", "Quinn", "Roberts", "Singh",
    "Taylor", "Walker", "Wright", "Young", "Clarke", "Edwards", "Hall", "Murphy", "Shaw",
]


@dataclass(frozen=True)
class Turnovers:
    """Every turnover the generated records make, as the analysis will date them.

    `institution` is a position in the population, `date` a `datetime64[D]`, `leadership`
    False for a partner withdrawal. Sorted by institution, then date.
    """

    institution: np.ndarray
    date: np.ndarray
    leadership: np.ndarray

    def first_after(self, institution: np.ndarray, day: np.ndarray) -> np.ndarray:
        """For each (institution, day), the date of its first turnover strictly after the day
        (NaT when none)."""
        out = np.full(len(institution), NO_DATE)
        if len(self.date) == 0:
            return out
        order_key = self.institution.astype(np.int64) * 100_000 + _day_number(self.date)
        wanted = institution.astype(np.int64) * 100_000 + _day_number(day)
        found = np.minimum(np.searchsorted(order_key, wanted, side="right"), len(order_key) - 1)
        # The turnover found may belong to the next institution, or be no later at all.
        same = (self.institution[found] == institution) & (self.date[found] > day)
        out[same] = self.date[found[same]]
        return out


def _day_number(days: np.ndarray) -> np.ndarray:
    # Days since 1900 fit the 100,000 slots per institution of `first_after`'s sort key.
    return (days - np.datetime64("1900-01-01", "D")).astype(np.int64)


def _holders(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    first = rng.integers(0, len(_FIRST_NAMES), size=shape)
    last = rng.integers(0, len(_LAST_NAMES), size=shape)
    person = first * len(_LAST_NAMES) + last
    # A successor is a different person: a repeated holder would not be a change of holder.
    for column in range(1, shape[1]):
        same = person[:, column] == person[:, column - 1]
        person[same, column] = (person[same, column] + 1) % (len(_FIRST_NAMES) * len(_LAST_NAMES))
    names = np.array(
        [f"{f} {s}" for f in _FIRST_NAMES for s in _LAST_NAMES], dtype=object
    )
    return names[person]


def _tenure_grid(
    mean_days: np.ndarray, frame: Timeframe, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Start and end of successive tenures: one row per (institution, role), one column per
    tenure, enough columns to run past the last day."""
    slots = int(np.ceil((frame.days + MEAN_TENURE_YEARS.max() * 365.25) / MIN_TENURE_DAYS)) + 1
    shape = (len(mean_days), slots)
    length = np.maximum(
        rng.gamma(4.0, mean_days[:, None] / 4.0, size=shape), MIN_TENURE_DAYS
    ).astype(np.int64)
    # Most successors start the next day; one handover in six leaves an interim gap.
    gap = np.where(rng.random(shape) < 1 / 6, rng.integers(30, 150, size=shape), 1)
    # The first tenure began up to one typical tenure before the timeframe.
    first_start = -(rng.random(len(mean_days)) * mean_days).astype(np.int64)
    start_offset = np.concatenate(
        [first_start[:, None], first_start[:, None] + np.cumsum(length + gap, axis=1)[:, :-1]],
        axis=1,
    )
    start = frame.first_day + start_offset * DAY
    return start, start + (length - 1) * DAY


def _last_of_row(kept: np.ndarray) -> np.ndarray:
    """The last kept tenure of each row (the next one is not kept)."""
    return kept & ~np.concatenate([kept[:, 1:], np.zeros((len(kept), 1), bool)], axis=1)


def _role_names(kinds: np.ndarray, slots: np.ndarray) -> np.ndarray:
    table = np.array([ROLES[kind] for kind in ROLES], dtype=object)
    kind_index = pd.Categorical(kinds, categories=list(ROLES)).codes
    return table[kind_index, slots]


def make_leadership(
    population: Population, frame: Timeframe, rng: np.random.Generator
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The leadership table, and the (institution, date) of every key-role turnover."""
    role_slot = np.tile(np.arange(ROLES_PER_INSTITUTION), population.size)
    institution = np.repeat(np.arange(population.size), ROLES_PER_INSTITUTION)
    start, end = _tenure_grid(MEAN_TENURE_YEARS[role_slot] * 365.25, frame, rng)
    started = start <= frame.last_day
    # A few roles are vacant at the end: the holder left and no successor has started.
    vacant_role = (rng.random(len(role_slot)) < 0.03)[:, None]
    kept = started & ~(_last_of_row(started) & vacant_role & (np.arange(start.shape[1]) > 0))
    is_last = _last_of_row(kept)
    running = is_last & ~vacant_role
    recorded_end = np.where(running | (end > frame.last_day), NO_DATE, end)
    # One end in ten is not recorded: the successor's start dates the turnover (implied end).
    has_successor = kept & ~is_last
    unrecorded = has_successor & (rng.random(start.shape) < 0.1)
    recorded_end = np.where(unrecorded, NO_DATE, recorded_end)
    holders = _holders(rng, start.shape)

    rows, cols = np.nonzero(kept)
    slot = role_slot[rows]
    table = pd.DataFrame(
        {
            "institution": population.keys[institution[rows]],
            "role": _role_names(population.kinds[institution[rows]], slot),
            "holder": holders[rows, cols],
            "start": as_timestamps(start[rows, cols]),
            "end": as_timestamps(recorded_end[rows, cols]),
            "key_role": pd.array(slot < KEY_ROLES, dtype="boolean"),
            "notes": texts_where(
                unrecorded[rows, cols], "End date not recorded; the successor's start is known."
            ),
        }
    )
    # The analysis dates a turnover at the recorded end, else at the successor's start.
    successor_start = np.concatenate([start[:, 1:], np.full((len(start), 1), NO_DATE)], axis=1)
    turnover_date = np.where(unrecorded, successor_start, end)
    key_role = (role_slot < KEY_ROLES)[:, None]
    vacated = is_last & vacant_role
    is_turnover = key_role & (has_successor | vacated) & (turnover_date <= frame.last_day)
    t_rows, t_cols = np.nonzero(is_turnover)
    return table, institution[t_rows], turnover_date[t_rows, t_cols]


def make_partners(
    population: Population, frame: Timeframe, rng: np.random.Generator
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The partners table, and the (institution, date) of every partner withdrawal.

    Committed institutions are more often engaged; one in five engaged institutions has a
    second engagement with another partner after the first.
    """
    n = population.size
    engaged = rng.random(n) < 0.45 + 0.45 * population.commitment
    first = np.flatnonzero(engaged)
    first_start = frame.random_days(rng, -730, 0.6 * frame.days, len(first))
    first_length = np.maximum(rng.gamma(4.0, 4.0 * 365.25 / 4.0, len(first)), 365).astype(int)
    first_end = first_start + first_length * DAY
    second = rng.random(len(first)) < 0.2
    second_start = first_end[second] + rng.integers(60, 400, int(second.sum())) * DAY
    second_length = np.maximum(rng.gamma(4.0, 3.0 * 365.25 / 4.0, int(second.sum())), 365)
    second_end = second_start + second_length.astype(int) * DAY
    partner_index = rng.integers(0, len(PARTNERS), len(first))
    second_partner = (partner_index[second] + rng.integers(1, len(PARTNERS), int(second.sum())))
    institution = np.concatenate([first, first[second]])
    start = np.concatenate([first_start, second_start])
    end = np.concatenate([first_end, second_end])
    names = np.asarray(PARTNERS, dtype=object)[
        np.concatenate([partner_index, second_partner % len(PARTNERS)])
    ]
    keep = start <= frame.last_day
    institution, start, end, names = institution[keep], start[keep], end[keep], names[keep]
    recorded_end = np.where(end <= frame.last_day, end, NO_DATE)
    table = pd.DataFrame(
        {
            "institution": population.keys[institution],
            "partner": names,
            "start": as_timestamps(start),
            "end": as_timestamps(recorded_end),
            "kind": pick(rng, PARTNER_KINDS, len(institution)),
            "notes": None,
        }
    )
    ended = end <= frame.last_day
    return table, institution[ended], end[ended]


def all_turnovers(*parts: tuple[np.ndarray, np.ndarray, bool]) -> Turnovers:
    """Leadership turnovers and partner withdrawals together, sorted by institution and date."""
    institution = np.concatenate([p[0] for p in parts])
    date = np.concatenate([p[1] for p in parts])
    leadership = np.concatenate([np.full(len(p[0]), p[2]) for p in parts])
    order = np.lexsort((date, institution))
    return Turnovers(institution[order], date[order], leadership[order])
