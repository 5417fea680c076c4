"""What evaluators record around the changes: activities, observations with stage judgements,
influencing factors, contribution claims with their evidence, and commissioning diagnostics."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tracker.generate.leadership import Turnovers
from tracker.generate.population import Population
from tracker.generate.timeframe import (
    DAY,
    NO_DATE,
    Timeframe,
    as_timestamps,
    pick,
    texts_where,
)
from tracker.vocab import CHAIN_LINKS, EVIDENCE_KINDS, EVIDENCE_TESTS, STAGES

ACTIVITY_KINDS = {
    "training": "Training days on relational practice",
    "coaching": "Coaching for senior leaders",
    "reflective_supervision": "Reflective supervision groups",
    "peer_learning": "Peer learning community",
    "workshop": "Co-design workshops with residents",
}
_STAGE_NARRATIVES = (
    "Leaders are exploring what working with the community would mean; practice has not "
    "changed yet.",
    "Training and coaching are under way alongside the partner; it is early days.",
    "The new practice is in use in some teams; the evidence is consistent with the coaching "
    "having contributed to it.",
    "The practice is now the norm across teams, alongside continuing budget pressure.",
    "Teams are adapting the practice to local circumstances, alongside the partner's support.",
    "The practice has held through changes of leadership, consistent with structural "
    "embedding.",
)
_TURNOVER_NOTE = " A key leader left this year; the evaluator is watching whether changes hold."
# Evaluators sometimes write attribution language; the product warns them gently.
_ATTRIBUTION = " The coaching caused the rise in staff morale."
_EVIDENCE_TITLES = {
    "engagement": "Attendance records of the partner's sessions",
    "individual_practice": "Observed supervision sessions",
    "team_norms": "Staff survey on how teams work with residents",
    "structural_embedding": "Documents showing the change written into the institution's rules",
    "basic_assumption": "Interviews on how staff talk about the people they serve",
}


def _running_number(groups: np.ndarray) -> np.ndarray:
    """1, 2, … within each run of equal, sorted group numbers."""
    if len(groups) == 0:
        return np.zeros(0, dtype=np.int64)
    first = np.r_[True, groups[1:] != groups[:-1]]
    starts = np.maximum.accumulate(np.where(first, np.arange(len(groups)), 0))
    return np.arange(len(groups)) - starts + 1


def make_activities(
    partners: pd.DataFrame, population: Population, frame: Timeframe, rng: np.random.Generator
) -> pd.DataFrame:
    """One to three activities within each partner engagement; a few done in-house."""
    per = rng.integers(1, 4, len(partners))
    row = np.repeat(np.arange(len(partners)), per)
    start = partners["start"].to_numpy().astype("datetime64[D]")[row]
    end = partners["end"].to_numpy().astype("datetime64[D]")[row]
    open_end = np.where(np.isnat(end), frame.last_day, end)
    span = np.maximum((open_end - start) / DAY, 30).astype(np.int64)
    a_start = start + (rng.random(len(row)) * span * 0.6).astype(np.int64) * DAY
    a_end = a_start + rng.integers(30, 720, len(row)) * DAY
    a_end = np.where((a_end <= open_end) & (a_end <= frame.last_day), a_end, NO_DATE)
    institution = partners["institution"].to_numpy()[row]
    kinds = pick(rng, list(ACTIVITY_KINDS), len(row))
    labels = np.array([ACTIVITY_KINDS[k] for k in kinds], dtype=object)
    partner = partners["partner"].to_numpy()[row]
    in_house = np.flatnonzero(rng.random(population.size) < 0.15)
    h_kind = pick(rng, list(ACTIVITY_KINDS), len(in_house))
    h_start = frame.random_days(rng, 0, frame.days - 30, len(in_house))
    frame_out = pd.DataFrame(
        {
            "institution": np.concatenate([institution, population.keys[in_house]]),
            "kind": np.concatenate([kinds, h_kind]),
            "title": np.concatenate(
                [labels + " with " + partner,
                 np.array([ACTIVITY_KINDS[k] for k in h_kind], dtype=object) + " (in-house)"]
            ),
            "start": as_timestamps(np.concatenate([a_start, h_start])),
            "end": as_timestamps(np.concatenate([a_end, np.full(len(in_house), NO_DATE)])),
            "notes": None,
        }
    )
    frame_out = frame_out[frame_out["start"] <= pd.Timestamp(frame.last_day)]
    frame_out = frame_out.sort_values(["institution", "start"], kind="stable")
    # Titles carry a number within the institution so that no two rows share an identity.
    number = _running_number(pd.factorize(frame_out["institution"])[0])
    frame_out["title"] = frame_out["title"] + ", round " + number.astype(str).astype(object)
    return frame_out.reset_index(drop=True)


def make_observations(
    population: Population, frame: Timeframe, turnovers: Turnovers, rng: np.random.Generator
) -> pd.DataFrame:
    """A yearly narrative in the fourth quarter with the evaluator's stage judgement.

    Stages climb with commitment and time, and often step back in a year with a turnover.
    """
    n, years = population.size, frame.years
    year_of_turnover = (frame.quarter_of(turnovers.date) // 4).astype(np.int64)
    inside = (year_of_turnover >= 0) & (year_of_turnover < years)
    turnover_year = np.zeros((n, years), dtype=bool)
    turnover_year[turnovers.institution[inside], year_of_turnover[inside]] = True
    progress = (
        population.commitment[:, None] * 6.5 * (np.arange(1, years + 1) / max(years, 3))
        + rng.normal(0.0, 0.5, (n, years))
    )
    setback = turnover_year & (rng.random((n, years)) < 0.5)
    stage = np.clip(np.floor(progress) - setback, 0, len(STAGES) - 1).astype(np.int64)
    written = rng.random((n, years)) < 0.9
    inst, year = np.nonzero(written)
    narrative = np.asarray(_STAGE_NARRATIVES, dtype=object)[stage[inst, year]]
    narrative = np.where(turnover_year[inst, year], narrative + _TURNOVER_NOTE, narrative)
    narrative = np.where(rng.random(len(inst)) < 0.02, narrative + _ATTRIBUTION, narrative)
    judged = rng.random(len(inst)) < 0.85
    return pd.DataFrame(
        {
            "institution": population.keys[inst],
            "period": np.array([f"{frame.first_year + y}Q4" for y in range(years)],
                               dtype=object)[year],
            "narrative": narrative,
            "stage": texts_where(judged, np.asarray(STAGES, dtype=object)[stage[inst, year]]),
            "evidence": "Evaluator's quarterly visit notes.",
        }
    )


def make_factors(
    population: Population, frame: Timeframe, rng: np.random.Generator
) -> pd.DataFrame:
    """Austerity for everyone; inspection pressure, staff shortages and policy for some."""
    n = population.size
    roles = ["not_significant", "partial", "major", "unknown"]
    parts = [
        pd.DataFrame(
            {
                "institution": population.keys,
                "title": "Austerity",
                "kind": "funding",
                "start": pd.Timestamp("2010-06-22"),
                "end": pd.NaT,
                "assessed_role": pick(rng, roles, n, p=[0.2, 0.4, 0.3, 0.1]),
                "notes": "Real-terms cuts to the institution's budget.",
            }
        )
    ]
    for title, kind, chance in (
        ("Inspection pressure", "balancing_force", 0.4),
        ("Staff shortages", "other", 0.3),
        ("National policy change", "policy", 0.25),
    ):
        who = np.flatnonzero(rng.random(n) < chance)
        start = frame.random_days(rng, 0, frame.days - 90, len(who))
        end = start + rng.integers(180, 1500, len(who)) * DAY
        parts.append(
            pd.DataFrame(
                {
                    "institution": population.keys[who],
                    "title": title,
                    "kind": kind,
                    "start": as_timestamps(start),
                    "end": as_timestamps(np.where(end <= frame.last_day, end, NO_DATE)),
                    "assessed_role": pick(rng, roles, len(who)),
                    "notes": None,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def make_claims_and_evidence(
    population: Population,
    changes: pd.DataFrame,
    frame: Timeframe,
    rng: np.random.Generator,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A contribution claim for some institutions, with evidence along the causal chain."""
    n = population.size
    claimed = np.flatnonzero(rng.random(n) < 0.15 + 0.3 * population.commitment)
    keys = population.keys[claimed]
    claims = pd.DataFrame(
        {
            "key": keys + "-claim",
            "institution": keys,
            "statement": "Sustained engagement with the partner, alongside the institution's own "
            "structural changes, contributed to practice that holds through changes of "
            "leadership.",
            "outcome": "Practice that persists through turnover",
            "prior": 0.5,
            "notes": None,
        }
    )
    per = rng.integers(3, 6, len(claimed))
    owner = np.repeat(claimed, per)
    number = _running_number(owner)
    link = np.asarray(CHAIN_LINKS, dtype=object)[(number - 1) % len(CHAIN_LINKS)]
    first_change = changes.drop_duplicates("institution").set_index("institution")["key"]
    owner_keys = population.keys[owner]
    # Evidence on structural embedding concerns the institution's first change, if it has one.
    changed = pd.Series(owner_keys).map(first_change)
    record = texts_where(
        (link == "structural_embedding") & changed.notna().to_numpy(),
        changed.to_numpy(dtype=object),
    )
    tests = np.array([*EVIDENCE_TESTS, None], dtype=object)
    evidence = pd.DataFrame(
        {
            "key": owner_keys + "-ev" + number.astype(str).astype(object),
            "institution": owner_keys,
            "title": np.array([_EVIDENCE_TITLES[k] for k in link], dtype=object),
            "date": as_timestamps(frame.random_days(rng, 0, frame.days, len(owner))),
            "kind": pick(rng, list(EVIDENCE_KINDS), len(owner)),
            "source": "Evaluator's fieldwork (synthetic).",
            "claim": owner_keys + "-claim",
            "link": link,
            "record": record,
            "supports": pd.array(rng.random(len(owner)) < 0.85, dtype="boolean"),
            "test": tests[rng.integers(0, len(tests), len(owner))],
            "sensitivity": np.nan,
            "type_i_error": np.nan,
            "observed": pd.array(rng.random(len(owner)) < 0.9, dtype="boolean"),
            "notes": None,
        }
    )
    return claims, evidence


def make_diagnostics(
    population: Population, frame: Timeframe, rng: np.random.Generator
) -> pd.DataFrame:
    """The four commissioning questions answered every other spring."""
    n = population.size
    rounds = max(1, (frame.years + 1) // 2)
    inst = np.repeat(np.arange(n), rounds)
    round_number = np.tile(np.arange(rounds), n)
    day = (
        np.array([np.datetime64(f"{frame.first_year + 2 * r}-03-01", "D") for r in range(rounds)])[
            round_number
        ]
        + rng.integers(0, 60, len(inst)) * DAY
    )
    c = population.commitment[inst]

    def answer(base: float, weight: float) -> pd.arrays.BooleanArray:
        yes = pd.array(rng.random(len(inst)) < base + weight * c, dtype="boolean")
        yes[rng.random(len(inst)) < 0.05] = pd.NA  # a question left unanswered
        return yes

    return pd.DataFrame(
        {
            "institution": population.keys[inst],
            "date": as_timestamps(day),
            "leadership_commitment": answer(0.3, 0.6),
            "realistic_timescale": answer(0.4, 0.4),
            "structural_barriers_addressed": answer(0.1, 0.6),
            "succession_plan": answer(0.1, 0.5),
            "notes": None,
        }
    )
