"""Tenures wholly inside another holder's tenure in the same role: the one rule, shared by the
workbook check (rows of one workbook) and the import plan (a workbook's rows against the stored
ones), so that a nested tenure is refused whichever import brings it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import pandas as pd

from tracker.identity import identity_column

# The columns the rule reads: institution, role, holder, start, end (datetimes) and shared.
COLUMNS = ("institution", "role", "holder", "start", "end", "shared")


def nested_tenures(tenures: pd.DataFrame) -> list[tuple[int, int]]:
    """(inner, outer) index labels (whole numbers) of `tenures`: a tenure wholly inside
    another holder's tenure in the same role at the same institution. A role any row of which
    says `shared` = true is co-held and left alone; the outer tenure must have a recorded end (one
    with none is ended by the next, the implied-end rule); rows of one holder are one tenure,
    never nested in itself."""
    frame = tenures.loc[:, list(COLUMNS)].copy()
    # Roles and holders compared as a person reads them ("Chief Executive" is chief_executive).
    frame["role"] = identity_column(frame["role"])
    frame["holder"] = identity_column(frame["holder"])
    frame["shared"] = frame["shared"].astype("boolean").fillna(False).astype(bool)
    shared = frame.groupby(["institution", "role"])["shared"].transform("any")
    frame = frame[~shared & frame["end"].notna() & frame["start"].notna()]
    if len(frame) < 2:
        return []
    frame = frame.sort_values(
        ["institution", "role", "start", "end"], ascending=[True, True, True, False]
    )
    furthest = frame.groupby(["institution", "role"], sort=False)["end"].cummax()
    earlier = furthest.groupby([frame["institution"], frame["role"]], sort=False).shift(1)
    suspects = frame[earlier.notna() & (frame["end"] <= earlier)]
    pairs: list[tuple[int, int]] = []
    for label, item in suspects.iterrows():
        outer = frame[
            (frame["institution"] == item["institution"])
            & (frame["role"] == item["role"])
            & (frame.index != label)
            & (frame["holder"] != item["holder"])
            & (frame["start"] <= item["start"])
            & (frame["end"] >= item["end"])
        ]
        if not outer.empty:
            pairs.append((int(cast(int, label)), int(outer.index[0])))
    return pairs


def tenure_words(row: Mapping[Any, Any]) -> str:
    """'ROLE by HOLDER (START to END)', as a refusal names a tenure."""
    return (
        f"{row['role']} by {row['holder']} "
        f"({row['start'].date().isoformat()} to {row['end'].date().isoformat()})"
    )


ADVICE = (
    "nothing is inferred from an overlap: correct the dates, or, if the role is co-held, "
    "mark its rows shared = true"
)
