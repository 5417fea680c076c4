"""`tracker export PATH --format dhis2-json|adx --mapping MAPPING.toml`: the approved quarters'
indicator values, with the mapping reversed (institution → the crosswalk's organisation unit,
indicator → the data element that gives it), so that an institution can push them into its
national system. Values the mapping cannot name (an institution outside the crosswalk, an
indicator no data element gives) are left out and counted.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine

from tracker.access import Actor
from tracker.db import read_session
from tracker.files import write_atomically
from tracker.periods import period_start
from tracker.scope import readable_dataset, readable_institutions
from tracker.sources.adx import NAMESPACE
from tracker.sources.mapping import VALUES, SourceMapping, load_mapping
from tracker.sources.records import SourceRefused
from tracker.workbook.problems import Problem
from tracker.writes.quarter.review import review_rows

FORMATS = ("dhis2-json", "adx")


@dataclass(frozen=True)
class Exported:
    values: int
    left_out: int
    quarters: int

    def summary(self, path: Path) -> str:
        text = f"Wrote {self.values} values of {self.quarters} approved quarters to {path}."
        if self.left_out:
            text += (f" Left out {self.left_out} values the mapping does not name (institution "
                     "outside the crosswalk, or indicator without a data element).")
        return text


def approved_values(engine: Engine, actor: Actor) -> tuple[pd.DataFrame, int]:
    """The indicator values of approved quarters the actor may read, and how many quarters."""
    with read_session(engine) as session:
        dataset = readable_dataset(session, actor)
        review = review_rows(session, institutions=readable_institutions(session, actor))
    approved = review.loc[review["state"] == "approved", ["institution", "period"]]
    values = dataset["indicator_values"].merge(approved, on=["institution", "period"])
    return values, len(approved)


def _reversed(values: pd.DataFrame, mapping: SourceMapping) -> tuple[pd.DataFrame, int]:
    elements: dict[str, tuple[str, str | None]] = {}
    for rule in mapping.indicators:
        elements.setdefault(rule.indicator, (rule.key, rule.category_option_combo))
    unit = values["institution"].map(mapping.source_of)
    element = values["indicator"].map(lambda i: elements.get(i, (None, None))[0])
    combo = values["indicator"].map(lambda i: elements.get(i, (None, None))[1])
    named = unit.notna() & element.notna()
    out = values.assign(org_unit=unit, data_element=element, combo=combo)[named]
    return out.sort_values(["org_unit", "period", "data_element"]), int((~named).sum())


def _number(value: object) -> str:
    number = float(str(value))
    return str(int(number)) if number.is_integer() else repr(number)


def dhis2_json(values: pd.DataFrame) -> str:
    """A DHIS2 dataValueSets document of these values (org_unit, data_element, combo)."""
    data_values = []
    for row in values.itertuples(index=False):
        item = {"dataElement": row.data_element, "period": row.period,
                "orgUnit": row.org_unit, "value": _number(row.value)}
        if isinstance(row.combo, str):
            item["categoryOptionCombo"] = row.combo
        if isinstance(row.note, str) and row.note:
            item["comment"] = row.note
        data_values.append(item)
    return json.dumps({"dataValues": data_values}, indent=2, ensure_ascii=False) + "\n"


def adx_xml(values: pd.DataFrame) -> str:
    """An ADX message of these values, one group per organisation unit and quarter."""
    ET.register_namespace("", NAMESPACE)
    root = ET.Element(f"{{{NAMESPACE}}}adx")
    for (unit, period), group in values.groupby(["org_unit", "period"], sort=True):
        element = ET.SubElement(root, f"{{{NAMESPACE}}}group", {
            "orgUnit": str(unit), "period": f"{period_start(str(period)).isoformat()}/P3M"})
        for row in group.itertuples(index=False):
            attributes = {"dataElement": str(row.data_element), "value": _number(row.value)}
            if isinstance(row.combo, str):
                for pair in row.combo.split(","):
                    name, _, option = pair.partition("=")
                    if option:
                        attributes[name] = option
            value = ET.SubElement(element, f"{{{NAMESPACE}}}dataValue", attributes)
            if isinstance(row.note, str) and row.note:
                ET.SubElement(value, f"{{{NAMESPACE}}}annotation").text = row.note
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def export_to_source(
    engine: Engine, path: Path, *, format: str, mapping_path: Path, actor: Actor,
    force: bool = False,
) -> Exported:
    """Write the approved quarters' values as DHIS2 JSON or ADX through the mapping."""
    if format not in FORMATS:
        raise ValueError(f"--format must be one of csv, xlsx, {', '.join(FORMATS)}")
    mapping = load_mapping(mapping_path)
    if mapping.source not in VALUES:
        raise SourceRefused([Problem(f"{mapping_path.name}, key source", None, None, (
            f"exports go to dhis2 or adx: this mapping is for {mapping.source}"))])
    values, quarters = approved_values(engine, actor)
    named, left_out = _reversed(values, mapping)
    text = dhis2_json(named) if format == "dhis2-json" else adx_xml(named)
    write_atomically(path, text.encode("utf-8"), force=force)
    return Exported(len(named), left_out, quarters)
