"""Every kind of record an evaluator writes, as data: a new row (dated in the new quarter), a
correction of a stored row (dated in the stored quarter), and a row with one bad cell."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import pytest


@dataclass(frozen=True)
class Kind:
    table: str
    new: dict[str, Any]
    new_key: str
    corrected: dict[str, Any]
    corrected_key: str
    changed_column: str
    invalid: dict[str, Any]
    invalid_column: str
    dated_column: str

    def frame(self, row: dict[str, Any]) -> dict[str, pd.DataFrame]:
        return {self.table: pd.DataFrame([row])}


KINDS = [
    Kind(
        "indicator_values",
        new={"institution": "northdale", "indicator": "trust", "period": "2024Q2", "value": 63},
        new_key="northdale|trust|2024Q2",
        corrected={"institution": "northdale", "indicator": "trust", "period": "2024Q1",
                   "value": 62.5},
        corrected_key="northdale|trust|2024Q1",
        changed_column="value",
        invalid={"institution": "northdale", "indicator": "trust", "period": "2024Q2",
                 "value": "sixty"},
        invalid_column="value",
        dated_column="period",
    ),
    Kind(
        "observations",
        new={"institution": "northdale", "period": "2024Q2", "narrative": "Panels met."},
        new_key="northdale|2024Q2",
        corrected={"institution": "northdale", "period": "2024Q1",
                   "narrative": "A quarter of listening and of a first costed plan."},
        corrected_key="northdale|2024Q1",
        changed_column="narrative",
        invalid={"institution": "northdale", "period": "2024Q2", "narrative": "x",
                 "stage": "blossoming"},
        invalid_column="stage",
        dated_column="period",
    ),
    Kind(
        "leadership",
        new={"institution": "northdale", "role": "council_leader",
             "holder": "Council leader (first holder)", "start": "2024-05-01"},
        new_key="northdale|council_leader|2024-05-01",
        corrected={"institution": "northdale", "role": "chief_executive",
                   "holder": "Chief executive (interim holder)", "start": "2024-01-15"},
        corrected_key="northdale|chief_executive|2024-01-15",
        changed_column="holder",
        invalid={"institution": "northdale", "role": "council_leader", "holder": "x",
                 "start": "2024-02-30"},
        invalid_column="start",
        dated_column="start",
    ),
    Kind(
        "decisions",
        new={"key": "d2", "institution": "northdale", "date": "2024-05-02", "title": "Panel",
             "reverses_earlier": True, "because_of_community": True, "cost": "budget"},
        new_key="d2",
        corrected={"key": "d1", "institution": "northdale", "date": "2024-02-10",
                   "title": "Budget panel with residents"},
        corrected_key="d1",
        changed_column="title",
        invalid={"key": "d2", "institution": "northdale", "date": "2024-05-02", "title": "x",
                 "cost": "cheap"},
        invalid_column="cost",
        dated_column="date",
    ),
    Kind(
        "changes",
        new={"key": "c2", "institution": "northdale", "title": "Governance reform",
             "kind": "governance", "adopted": "2024-05-03"},
        new_key="c2",
        corrected={"key": "c1", "institution": "northdale", "title": "Revised hiring",
                   "kind": "hiring_criteria", "adopted": "2024-01-10"},
        corrected_key="c1",
        changed_column="title",
        invalid={"key": "c2", "institution": "northdale", "title": "x", "kind": "vibes",
                 "adopted": "2024-05-03"},
        invalid_column="kind",
        dated_column="adopted",
    ),
    Kind(
        "change_status",
        new={"change": "c1", "date": "2024-05-04", "status": "weakened"},
        new_key="c1|2024-05-04",
        corrected={"change": "c1", "date": "2024-02-01", "status": "weakened"},
        corrected_key="c1|2024-02-01",
        changed_column="status",
        invalid={"change": "c1", "date": "2024-05-04", "status": "wobbly"},
        invalid_column="status",
        dated_column="date",
    ),
    Kind(
        "evidence",
        new={"key": "e2", "institution": "northdale", "title": "Survey", "date": "2024-05-05",
             "record": "d1", "test": "hoop"},
        new_key="e2",
        corrected={"key": "e1", "institution": "northdale", "title": "Peer review (LGA)",
                   "date": "2024-03-01"},
        corrected_key="e1",
        changed_column="title",
        invalid={"key": "e2", "institution": "northdale", "title": "x", "date": "2024-05-05",
                 "supports": "perhaps"},
        invalid_column="supports",
        dated_column="date",
    ),
    Kind(
        "factors",
        new={"institution": "northdale", "title": "inspection", "start": "2024-05-06",
             "assessed_role": "partial"},
        new_key="northdale|inspection|2024-05-06",
        corrected={"institution": "northdale", "title": "austerity", "start": "2024-01-15",
                   "assessed_role": "major"},
        corrected_key="northdale|austerity|2024-01-15",
        changed_column="assessed_role",
        invalid={"institution": "northdale", "title": "inspection", "start": "2024-05-06",
                 "assessed_role": "enormous"},
        invalid_column="assessed_role",
        dated_column="start",
    ),
]

KIND_PARAMS = [pytest.param(kind, id=kind.table) for kind in KINDS]
