"""Synthetic portfolios at any scale: a realistic, deterministic workbook for a seed.

    dataset = generate_dataset(institutions=2_000, years=10, seed=7)
    write_sample(Path("portfolio"), institutions=2_000, years=10, seed=7)

What it holds (see each module): places, institutions and portfolios (`population`); tenures of
a few years in several key roles and partner engagements that end (`leadership`); structural
changes, some reversed (more often soon after a turnover), and decisions including costly
reversals (`changes`); several indicators per institution with noise, trends and drops after
turnovers (`indicators`); activities, observations, factors, claims, evidence and diagnostics
(`records`). Every verdict and phase of the analysis occurs from a few dozen institutions up.
Everything is drawn from one seeded numpy `Generator` per part, vectorised over institutions.
"""

from tracker.generate.build import generate_dataset, write_sample

__all__ = ["generate_dataset", "write_sample"]
