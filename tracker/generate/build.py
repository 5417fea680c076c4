"""Assemble the parts of a synthetic portfolio into a `Dataset`, and write it as a workbook."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from tracker.dataset import Dataset
from tracker.generate.changes import make_changes, make_decisions
from tracker.generate.indicators import indicator_table, indicator_values
from tracker.generate.leadership import all_turnovers, make_leadership, make_partners
from tracker.generate.population import make_population
from tracker.generate.records import (
    make_activities,
    make_claims_and_evidence,
    make_diagnostics,
    make_factors,
    make_observations,
)
from tracker.generate.targets import make_persistence_targets, make_targets
from tracker.generate.timeframe import LAST_YEAR, Timeframe
from tracker.generate.writer import write_csv_workbook

DEFAULT_SEED = 2025
# One independent stream per part: changing how one part draws leaves the others as they were.
_PARTS = ("population", "leadership", "partners", "changes", "decisions", "indicators",
          "records", "targets")

Step = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


def generate_dataset(
    *,
    institutions: int,
    years: int,
    seed: int = DEFAULT_SEED,
    last_year: int = LAST_YEAR,
    step: Step = _quiet,
) -> Dataset:
    """A synthetic portfolio of `institutions` over `years` calendar years ending `last_year`.

    The same arguments always give the same data set. `step` is told the name of each part as
    it starts (for progress display).
    """
    frame = Timeframe(years=years, last_year=last_year)
    seeds = np.random.SeedSequence(seed).spawn(len(_PARTS))
    streams = dict(zip(_PARTS, (np.random.default_rng(s) for s in seeds), strict=True))
    step("institutions")
    population = make_population(institutions, streams["population"])
    step("leadership")
    leadership, lead_inst, lead_date = make_leadership(population, frame, streams["leadership"])
    partners, part_inst, part_date = make_partners(population, frame, streams["partners"])
    turnovers = all_turnovers((lead_inst, lead_date, True), (part_inst, part_date, False))
    step("changes")
    changes, statuses = make_changes(population, frame, turnovers, streams["changes"])
    decisions = make_decisions(population, frame, streams["decisions"])
    step("indicators")
    values = indicator_values(population, frame, turnovers, streams["indicators"])
    step("records")
    records = streams["records"]
    claims, evidence = make_claims_and_evidence(population, changes, frame, records)
    frames = {
        "places": population.places,
        "institutions": population.institutions,
        "indicators": indicator_table(),
        "leadership": leadership,
        "partners": partners,
        "activities": make_activities(partners, population, frame, records),
        "changes": changes,
        "change_status": statuses,
        "decisions": decisions,
        "observations": make_observations(population, frame, turnovers, records),
        "factors": make_factors(population, frame, records),
        "claims": claims,
        "evidence": evidence,
        "portfolios": population.portfolios,
        "diagnostics": make_diagnostics(population, frame, records),
        "targets": make_targets(values, streams["targets"]),
        "persistence_targets": make_persistence_targets(changes, streams["targets"]),
    }
    dataset = Dataset.from_frames(frames)
    # Built in the data set's dtypes already: `from_frames` would copy ten million rows.
    dataset.frames["indicator_values"] = values
    return dataset


def write_sample(
    path: Path,
    *,
    institutions: int,
    years: int,
    seed: int = DEFAULT_SEED,
    last_year: int = LAST_YEAR,
    step: Step = _quiet,
) -> Dataset:
    """Generate a synthetic portfolio and write it to the folder `path` as CSV files.

    Returns the data set written.
    """
    dataset = generate_dataset(
        institutions=institutions, years=years, seed=seed, last_year=last_year, step=step
    )
    step("writing")
    write_csv_workbook(dataset, Path(path))
    return dataset
