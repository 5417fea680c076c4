"""What the results store keeps per institution: its JSON document and its summary row.

The document is exactly the institution's object in `tracker analyse --format json`
(`InstitutionResult.to_json()`), encoded once with orjson; the summary is the row of
`tracker analyse --format table`, so that neither output re-reads or re-encodes a document.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from tracker.analysis.params import Parameters
    from tracker.analysis.results import InstitutionResult

# The columns of the summary table, in order (also the keys of a summary row).
SUMMARY_COLUMNS = (
    "institution",
    "as_of",
    "phase",
    "structural_change_in_force",
    "persisted_through_turnover",
    "practice_change",
    "costly_reversal",
    "suggested_stage",
    "turnovers",
    "changes",
    "changes_persisted",
    "changes_reversed",
    "indicator_tests",
    "indicator_tests_declined",
)


def encode(value: Any) -> bytes:
    """JSON as UTF-8 bytes, compact (orjson: many times faster than the standard library)."""
    return orjson.dumps(value, option=orjson.OPT_SERIALIZE_NUMPY)


# The views of the records the store keeps results of: everything (what administrators,
# evaluators, reviewers and institution viewers read), and a funder's (approved quarters only,
# or also submitted ones with TRACKER_FUNDERS_SEE_SUBMITTED; `tracker.quarter_use`).
SHARED = "shared"
APPROVED = "approved"
APPROVED_AND_SUBMITTED = "approved+submitted"
VIEWS = (SHARED, APPROVED, APPROVED_AND_SUBMITTED)


def parameters_key(params: Parameters, view: str = SHARED) -> str:
    """A stable key for a parameter set and view: the same rules give the same key, on every
    machine (the shared view's key is the parameters' own)."""
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}")
    canonical = orjson.dumps(params.to_json(), option=orjson.OPT_SORT_KEYS)
    key = hashlib.sha256(canonical).hexdigest()[:32]
    return key if view == SHARED else f"{key}:{view}"


def institution_document(item: InstitutionResult) -> bytes:
    """The institution's object of `tracker analyse --format json`, encoded."""
    return encode(item.to_json())


def institution_summary(item: InstitutionResult) -> dict[str, Any]:
    """The institution's row of the summary table (see SUMMARY_COLUMNS)."""
    criteria = item.criteria
    tests = [test for indicator in item.indicators for test in indicator.tests]
    return {
        "institution": item.institution,
        "as_of": None if item.as_of is None else item.as_of.isoformat(),
        "phase": item.phase.phase,
        "structural_change_in_force": criteria.structural_change_in_force,
        "persisted_through_turnover": criteria.persisted_through_turnover,
        "practice_change": criteria.practice_change,
        "costly_reversal": criteria.costly_reversal,
        "suggested_stage": item.phase.suggested_stage,
        "turnovers": len(item.turnovers),
        "changes": len(item.changes),
        "changes_persisted": sum(c.summary == "persisted" for c in item.changes),
        "changes_reversed": sum(c.summary == "reversed_after_turnover" for c in item.changes),
        "indicator_tests": len(tests),
        "indicator_tests_declined": sum(t.verdict == "declined" for t in tests),
    }
