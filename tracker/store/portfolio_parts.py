"""The portfolio parts as stored documents, and the day a stored result falls due by itself.

Below both the refresh (`tracker.store.refresh`, which writes them) and the stored portfolio
(`tracker.store.portfolio`, which sums them), and importing neither: the refresh and the readers
share this format without importing one another.

- `portfolio_documents(parts)`: each institution's parts (`analysis.portfolio.PortfolioParts`)
  as a small JSON document;
- `parts_from_documents(documents)`: the parts of many institutions read back;
- `valid_until(dataset, params, today)`: per institution, the day its stored result changes
  without a write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import numpy as np
import orjson
import pandas as pd

from tracker.analysis.asof import next_record_dates
from tracker.analysis.params import Parameters
from tracker.analysis.portfolio_parts import PART_COLUMNS, PortfolioParts
from tracker.analysis.risk import RISK_COLUMNS
from tracker.analysis.survival import DURATION_COLUMNS
from tracker.analysis.targets import TARGET_COUNT_COLUMNS, next_due_dates
from tracker.dataset import Dataset
from tracker.store.documents import encode

_COUNTS = tuple(column for column in PART_COLUMNS if column not in (
    "institution", "phase", "as_of", "suggested_stage", "costly_reversal"
))
# The columns of a duration kept per institution (the institution is the document's own).
_DURATION_FIELDS = tuple(column for column in DURATION_COLUMNS if column != "institution")


def _iso(values: Any) -> list[str | None]:
    """Dates as ISO strings (None for a missing one)."""
    days = np.datetime_as_string(pd.to_datetime(pd.Series(values)).to_numpy(), unit="D")
    return [None if day == "NaT" else str(day) for day in days]


def _dates(values: list[str | None]) -> np.ndarray:
    return np.array(values, dtype="datetime64[D]").astype("datetime64[ns]")


def portfolio_documents(parts: PortfolioParts) -> dict[str, bytes]:
    """Each institution's parts as a JSON document (UTF-8), by institution key."""
    rows = parts.rows
    as_of = _iso(rows["as_of"])
    risks: dict[str, dict[str, Any]] = {}
    for risk in parts.at_risk.to_dict(orient="records"):
        plan = risk["succession_plan"]
        read = risk["diagnostics_date"]
        risks[risk["institution"]] = {
            "roles": list(risk["roles"]),
            "reasons": list(risk["reasons"]),
            "succession_plan": None if plan is None or pd.isna(plan) else bool(plan),
            "diagnostics_date": None if pd.isna(read) else _iso([read])[0],
        }
    durations = parts.durations
    columns: dict[str, list[Any]] = {
        "change": durations["change"].tolist(),
        "group": durations["group"].tolist(),
        "adopted": _iso(durations["adopted"]),
        "end": _iso(durations["end"]),
        "months": durations["months"].astype(float).tolist(),
        "event": durations["event"].astype(bool).tolist(),
    }
    positions = (
        durations.groupby("institution", sort=False).indices if len(durations) else {}
    )
    targets = {
        str(row[0]): [int(count) for count in row[1:]]
        for row in parts.targets[list(TARGET_COUNT_COLUMNS)].itertuples(index=False)
    }
    counts = rows[list(_COUNTS)].to_numpy(dtype="int64").tolist()
    stages = [None if pd.isna(stage) else str(stage) for stage in rows["suggested_stage"]]
    out = {}
    for index, (key, phase, costly) in enumerate(
        zip(rows["institution"], rows["phase"], rows["costly_reversal"], strict=True)
    ):
        where = positions.get(key, ())
        document = {
            "phase": phase,
            "as_of": as_of[index],
            "suggested_stage": stages[index],
            "costly_reversal": bool(costly),
            "counts": counts[index],
            "at_risk": risks.get(key),
            "targets": targets.get(key),
            "durations": {name: [values[i] for i in where] for name, values in columns.items()},
        }
        out[str(key)] = encode(document)
    return out


def parts_from_documents(documents: Iterable[tuple[str, bytes]]) -> PortfolioParts:
    """The parts of the institutions whose documents these are, in the order given."""
    keys: list[str] = []
    phases: list[str] = []
    as_of: list[str | None] = []
    stages: list[str | None] = []
    costly: list[bool] = []
    counts: list[list[int]] = []
    risk: dict[str, list[Any]] = {column: [] for column in RISK_COLUMNS}
    durations: dict[str, list[Any]] = {column: [] for column in DURATION_COLUMNS}
    with_targets: list[str] = []
    target_counts: list[list[int]] = []
    for key, raw in documents:
        document = orjson.loads(raw)
        keys.append(key)
        phases.append(document["phase"])
        as_of.append(document["as_of"])
        stages.append(document["suggested_stage"])
        costly.append(document["costly_reversal"])
        counts.append(document["counts"])
        at_risk = document["at_risk"]
        if at_risk is not None:
            risk["institution"].append(key)
            risk["roles"].append(tuple(at_risk["roles"]))
            risk["reasons"].append(tuple(at_risk["reasons"]))
            risk["succession_plan"].append(at_risk["succession_plan"])
            risk["diagnostics_date"].append(at_risk["diagnostics_date"])
        if document["targets"] is not None:
            with_targets.append(key)
            target_counts.append(document["targets"])
        changes = document["durations"]
        durations["institution"].extend([key] * len(changes["change"]))
        for name in _DURATION_FIELDS:
            durations[name].extend(changes[name])
    totals = np.array(counts, dtype="int64").reshape(len(keys), len(_COUNTS))
    rows = pd.DataFrame(
        {
            "institution": pd.Series(keys, dtype=object),
            "phase": pd.Series(phases, dtype=object),
            "as_of": _dates(as_of),
            "suggested_stage": pd.Series(stages, dtype=object),
            "costly_reversal": np.array(costly, dtype=bool),
            **{column: totals[:, i] for i, column in enumerate(_COUNTS)},
        }
    )
    at_risk_frame = pd.DataFrame(
        {
            "institution": pd.Series(risk["institution"], dtype=object),
            "roles": pd.Series(risk["roles"], dtype=object),
            "reasons": pd.Series(risk["reasons"], dtype=object),
            "succession_plan": pd.Series(risk["succession_plan"], dtype=object),
            "diagnostics_date": _dates(risk["diagnostics_date"]),
        }
    )
    duration_frame = pd.DataFrame(
        {
            "institution": pd.Series(durations["institution"], dtype=object),
            "change": pd.Series(durations["change"], dtype=object),
            "group": pd.Series(durations["group"], dtype=object),
            "adopted": _dates(durations["adopted"]),
            "end": _dates(durations["end"]),
            "months": np.array(durations["months"], dtype="float64"),
            "event": np.array(durations["event"], dtype=bool),
        }
    )
    verdicts = TARGET_COUNT_COLUMNS[1:]
    counted = np.array(target_counts, dtype="int64").reshape(len(with_targets), len(verdicts))
    targets = pd.DataFrame(
        {
            "institution": pd.Series(with_targets, dtype=object),
            **{verdict: counted[:, i] for i, verdict in enumerate(verdicts)},
        }
    )
    return PortfolioParts(
        rows=rows[list(PART_COLUMNS)],
        at_risk=at_risk_frame[list(RISK_COLUMNS)],
        durations=duration_frame[list(DURATION_COLUMNS)],
        targets=targets,
    )


def valid_until(dataset: Dataset, params: Parameters, today: dt.date) -> dict[str, dt.date]:
    """Per institution, the first day after `today` on which its result (analysis and parts)
    changes by itself: its next dated record (a planned end coming to pass moves the default
    as-of date) or the day a target falls due. Institutions with neither are left out, as is
    everything when the parameters fix the as-of date."""
    if params.as_of is not None:
        return {}
    days = pd.concat([next_record_dates(dataset, today=today), next_due_dates(dataset, today)])
    first = days.groupby(level=0).min()
    return {str(key): day.date() for key, day in first.items() if not pd.isna(day)}
