"""Funders read approved quarters by default; the switch shows submitted ones marked; the
analysis is told which quarters it used and how many were not yet approved."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import Engine

from tests.writes.conftest import ADMIN, EVALUATOR, OTHER_ADMIN, store
from tracker.access import Actor
from tracker.db import read_session
from tracker.scope import readable_dataset, readable_dataset_and_quarters
from tracker.writes.quarter import review

FUNDER = Actor("fay", role="funder", portfolios=frozenset({"p1"}))


def _quarters(engine: Engine) -> None:
    """northdale: 2024Q1 approved, 2024Q2 submitted, 2024Q3 open (values in all three)."""
    store(engine, {
        "portfolios": pd.DataFrame([{"portfolio": "p1", "institution": "northdale",
                                     "name": "Trust fund"}]),
        "indicator_values": pd.DataFrame([
            {"institution": "northdale", "indicator": "trust", "period": p, "value": v}
            for p, v in (("2024Q2", 62.0), ("2024Q3", 63.0))
        ]),
    })
    review.submit(engine, institution="northdale", period="2024Q1", actor=EVALUATOR)
    review.approve(engine, institution="northdale", period="2024Q1", actor=OTHER_ADMIN)
    review.submit(engine, institution="northdale", period="2024Q2", actor=EVALUATOR)


def test_a_funder_reads_only_approved_quarters_by_default(seeded: Engine) -> None:
    _quarters(seeded)
    with read_session(seeded) as session:
        funder, use = readable_dataset_and_quarters(session, FUNDER)
        admin = readable_dataset(session, ADMIN)
    assert sorted(funder["indicator_values"]["period"]) == ["2024Q1"]
    assert sorted(funder["observations"]["period"]) == ["2024Q1"]
    assert set(admin["indicator_values"]["period"]) >= {"2024Q1", "2024Q2", "2024Q3"}
    assert use is not None
    assert use.approved == (("northdale", "2024Q1"),)
    assert use.not_approved == (("northdale", "2024Q2"), ("northdale", "2024Q3"))
    assert use.lines() == [
        "Quarters used: 1 approved (northdale 2024Q1).",
        "2 quarter(s) with values not yet approved were left out: submitted, awaiting review: "
        "northdale 2024Q2; never submitted for review: northdale 2024Q3.",
    ]


def test_the_switch_shows_submitted_quarters_marked(
    seeded: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _quarters(seeded)
    monkeypatch.setenv("TRACKER_FUNDERS_SEE_SUBMITTED", "true")
    with read_session(seeded) as session:
        funder, use = readable_dataset_and_quarters(session, FUNDER)
    values = funder["indicator_values"].set_index("period")
    assert sorted(values.index) == ["2024Q1", "2024Q2"]
    assert values.loc["2024Q2", "note"] == "submitted, not yet approved"
    assert values.loc["2024Q1", "note"] is None
    assert use is not None and use.submitted_shown == (("northdale", "2024Q2"),)
    assert use.not_approved == (("northdale", "2024Q3"),)
