"""ADX (IHE QRPH Aggregate Data Exchange) XML as DHIS2 and others write it: `<adx>` holding
`<group orgUnit period dataSet>` elements of `<dataValue dataElement value>`, periods as ISO
8601 intervals (`2024-01-01/P3M` a quarter, `2024-01-01/P1M` a month), disaggregations as
further attributes of a dataValue (here written `name=value` joined by commas, in name order,
as the category option combination) and an optional `<annotation>` as the comment.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd

from tracker.sources.records import DATA_VALUE_COLUMNS, DataValues
from tracker.workbook.problems import Problem

NAMESPACE = "urn:ihe:qrph:adx:2015"
_PERIOD = re.compile(r"^(\d{4})-(\d{2})-01/P(3|1)M$")
_GROUP_ATTRIBUTES = {"orgUnit", "period", "dataSet", "completeDate"}


def adx_period(text: str) -> str:
    """An ADX period as DHIS2 writes its periods: `2024Q1` for a quarter starting on the
    first of January, April, July or October, `202401` for a month; otherwise as given (the
    mapping then says it cannot place it)."""
    match = _PERIOD.match(text.strip())
    if not match:
        return text
    year, month, length = match.group(1), int(match.group(2)), match.group(3)
    if length == "1":
        return f"{year}{month:02d}"
    if month in (1, 4, 7, 10):
        return f"{year}Q{(month - 1) // 3 + 1}"
    return text


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def read_adx(path: Path) -> DataValues:
    """Read an ADX message (.xml)."""
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as error:
        return DataValues(path.name, pd.DataFrame(columns=list(DATA_VALUE_COLUMNS)),
                          [Problem(path.name, None, None, f"is not XML: {error}")])
    if _local(root.tag) != "adx":
        return DataValues(path.name, pd.DataFrame(columns=list(DATA_VALUE_COLUMNS)), [Problem(
            path.name, None, None, f"is not an ADX message (its root is <{_local(root.tag)}>)")])
    rows = []
    groups = [g for g in root if _local(g.tag) == "group"]
    for group_number, group in enumerate(groups, start=1):
        attribute_combo = ",".join(
            f"{k}={v}" for k, v in sorted(group.attrib.items()) if k not in _GROUP_ATTRIBUTES
        )
        values = [v for v in group if _local(v.tag) == "dataValue"]
        for value_number, value in enumerate(values, start=1):
            attributes = dict(value.attrib)
            element = attributes.pop("dataElement", "")
            number = attributes.pop("value", "")
            annotation = next((a.text or "" for a in value if _local(a.tag) == "annotation"), "")
            rows.append({
                "_record": f"group {group_number}, dataValue {value_number}",
                "data_element": element,
                "period": adx_period(group.get("period", "")),
                "org_unit": group.get("orgUnit", ""),
                "category_option_combo": ",".join(
                    f"{k}={v}" for k, v in sorted(attributes.items())),
                "attribute_option_combo": attribute_combo,
                "value": number,
                "comment": annotation.strip(),
                "last_updated": root.get("exported", ""),
            })
    frame = pd.DataFrame(rows, columns=list(DATA_VALUE_COLUMNS), dtype=object).fillna("")
    return DataValues(path.name, frame)
