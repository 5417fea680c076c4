"""DHIS2 data value sets: JSON (`dataValues`, with `period`, `orgUnit` and
`attributeOptionCombo` given once at the top or on each value) and CSV (positional:
dataelement, period, orgunit, catoptcombo, attroptcombo, value, storedby, lastupdated, comment,
followup, and in newer versions deleted; with or without that header row).

A value's source id is its data element, period, organisation unit and category option
combination (DHIS2's own identity of a value); deleted values are skipped.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tracker.sources.delimited import json_text, read_delimited, read_json
from tracker.sources.records import DATA_VALUE_COLUMNS, DataValues
from tracker.workbook.problems import Problem

_CSV_NAMES = [
    "dataelement", "period", "orgunit", "catoptcombo", "attroptcombo", "value", "storedby",
    "lastupdated", "comment", "followup", "deleted",
]
_FROM_CSV = {
    "dataelement": "data_element", "period": "period", "orgunit": "org_unit",
    "catoptcombo": "category_option_combo", "attroptcombo": "attribute_option_combo",
    "value": "value", "comment": "comment", "lastupdated": "last_updated",
}
_FROM_JSON = {
    "dataElement": "data_element", "period": "period", "orgUnit": "org_unit",
    "categoryOptionCombo": "category_option_combo",
    "attributeOptionCombo": "attribute_option_combo", "value": "value", "comment": "comment",
    "lastUpdated": "last_updated",
}


def read_dhis2(path: Path) -> DataValues:
    """Read a DHIS2 dataValueSets export (.json or .csv)."""
    if path.suffix.lower() == ".json":
        return _from_json(path)
    return _from_csv(path)


def _empty(file: str, problems: list[Problem]) -> DataValues:
    return DataValues(file, pd.DataFrame(columns=list(DATA_VALUE_COLUMNS), dtype=object), problems)


def _from_csv(path: Path) -> DataValues:
    frame, problems = read_delimited(path, header=False)
    if problems:
        return _empty(path.name, problems)
    if frame.shape[1] < 6 or frame.shape[1] > len(_CSV_NAMES):
        return _empty(path.name, [Problem(path.name, 1, None, (
            "a DHIS2 data value CSV has 6 to 11 columns in this order: " + ", ".join(_CSV_NAMES)
        ))])
    frame.columns = pd.Index(_CSV_NAMES[: frame.shape[1]], dtype=object)
    if len(frame) and str(frame.iloc[0, 0]).strip().lower() == "dataelement":
        frame = frame.iloc[1:]
    if "deleted" in frame.columns:
        frame = frame[frame["deleted"].str.strip().str.lower() != "true"]
    out = pd.DataFrame({new: frame.get(old, "") for old, new in _FROM_CSV.items()}, dtype=object)
    out["_record"] = [f"row {n}" for n in frame.index]
    return DataValues(path.name, out[list(DATA_VALUE_COLUMNS)].fillna(""))


def _from_json(path: Path) -> DataValues:
    data, problems = read_json(path)
    if problems:
        return _empty(path.name, problems)
    values = data.get("dataValues") if isinstance(data, dict) else None
    if not isinstance(values, list) or not all(isinstance(v, dict) for v in values):
        return _empty(path.name, [Problem(path.name, None, "dataValues", (
            "a DHIS2 data value set is an object whose dataValues is a list of data values"))])
    defaults = {k: data[k] for k in ("period", "orgUnit", "attributeOptionCombo") if k in data}
    rows = []
    for number, value in enumerate(values, start=1):
        if value.get("deleted") is True:
            continue
        merged = {**defaults, **value}
        row = {ours: json_text(merged.get(theirs)) for theirs, ours in _FROM_JSON.items()}
        row["_record"] = (
            f"dataValues[{number}] ({row['data_element']} {row['period']} {row['org_unit']})"
        )
        rows.append(row)
    frame = pd.DataFrame(rows, columns=list(DATA_VALUE_COLUMNS), dtype=object).fillna("")
    return DataValues(path.name, frame)
