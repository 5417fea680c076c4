"""Aggregate data values (DHIS2 data value sets, ADX) through a mapping into indicator values.

A value is placed by its data element (and, where the mapping says, its category option
combination), its organisation unit (through the crosswalk) and its period: a quarter
(`2024Q1`) as it is; a month (`202401`) only where the mapping says how to make a quarter of
months (`period.monthly`).
"""

from __future__ import annotations

import re

import pandas as pd

from tracker.sources.mapping import SourceMapping
from tracker.sources.records import DataValues, record_problem
from tracker.sources.translation import Translation

_QUARTER = re.compile(r"^\d{4}Q[1-4]$")
_MONTH = re.compile(r"^(\d{4})(0[1-9]|1[0-2])$")


def _rules(values: DataValues, mapping: SourceMapping, out: Translation) -> pd.DataFrame:
    """Each value with the indicator its mapping rule names (unmapped ones left out)."""
    frame = values.frame
    indicator = pd.Series(None, index=frame.index, dtype=object)
    for rule in mapping.indicators:
        match = frame["data_element"] == rule.key
        if rule.category_option_combo is not None:
            match &= frame["category_option_combo"] == rule.category_option_combo
        indicator = indicator.where(~(match & indicator.isna()), rule.indicator)
    unmapped = indicator.isna()
    if mapping.unmapped == "skip":
        out.skipped["data element not in the mapping"] += int(unmapped.sum())
    else:
        for i in frame.index[unmapped]:
            element = frame.at[i, "data_element"]
            combo = frame.at[i, "category_option_combo"]
            out.problems.append(record_problem(
                values.file, frame.at[i, "_record"], "dataElement",
                f"{element!r}" + (f" (category option combo {combo!r})" if combo else "")
                + " is not in the mapping's indicators",
            ))
    return frame[~unmapped].assign(indicator=indicator[~unmapped])


def translate_values(
    values: DataValues, mapping: SourceMapping, *, institutions: set[str], label: str
) -> Translation:
    out = Translation(values.file, problems=list(values.problems), records=len(values.frame))
    if out.problems:
        return out
    frame = _rules(values, mapping, out)
    institution = frame["org_unit"].map(mapping.institution_of)
    unmatched = institution.isna()
    if mapping.unmatched == "skip":
        out.skipped["organisation unit not in the crosswalk"] += int(unmatched.sum())
    else:
        for i in frame.index[unmatched]:
            out.problems.append(record_problem(
                values.file, frame.at[i, "_record"], "orgUnit",
                f"{frame.at[i, 'org_unit']!r} is not in the mapping's institution crosswalk"))
    # Values without an institution give no rows (skipped, or refused above).
    frame, institution = frame[~unmatched], institution[~unmatched]
    for i in frame.index[~institution.isin(institutions)]:
        out.problems.append(record_problem(
            values.file, frame.at[i, "_record"], "orgUnit",
            f"{institution[i]!r} (the crosswalk's institution) is not an institution of this "
            "database"))
    text = frame["value"].str.strip()
    number = pd.to_numeric(text, errors="coerce")
    for i in frame.index[number.isna()]:
        out.problems.append(record_problem(
            values.file, frame.at[i, "_record"], "value", f"{text[i]!r} is not a number"))
    work = frame.assign(institution=institution, value=text, number=number)
    quarterly = work["period"].str.match(_QUARTER)
    monthly = work["period"].str.match(_MONTH)
    for i in work.index[~quarterly & ~monthly]:
        out.problems.append(record_problem(
            values.file, work.at[i, "_record"], "period",
            f"{work.at[i, 'period']!r} is neither a quarter (yyyyQn) nor a month (yyyyMM)"))
    if mapping.monthly == "refuse":
        for i in work.index[monthly]:
            out.problems.append(record_problem(
                values.file, work.at[i, "_record"], "period",
                f"{work.at[i, 'period']!r} is a month: set period.monthly in the mapping to "
                "sum, mean or last to make quarters of months"))
    rows = work[quarterly].assign(
        _source_id=lambda f: f["data_element"] + "|" + f["period"] + "|" + f["org_unit"] + "|"
        + f["category_option_combo"],
        # Without lastUpdated (a file made by hand), the value itself versions it.
        _version=lambda f: f["last_updated"].where(f["last_updated"] != "", f["value"]),
    )
    if mapping.monthly != "refuse" and monthly.any():
        rows = pd.concat([rows, _quarters_of_months(values.file, work[monthly], mapping.monthly,
                                                    out)])
    rows = rows.assign(source=label, note=rows["comment"].str.strip())
    out.add("indicator_values", rows[[
        "institution", "indicator", "period", "value", "source", "note",
        "_record", "_source_id", "_version"]])
    out.check_duplicates()
    return out


def _quarters_of_months(
    file: str, months: pd.DataFrame, how: str, out: Translation
) -> pd.DataFrame:
    """One value per institution, indicator and quarter from the quarter's months."""
    months = months.assign(
        quarter=months["period"].str[:4] + "Q"
        + ((months["period"].str[4:6].astype(int) - 1) // 3 + 1).astype(str),
        month_in_quarter=(months["period"].str[4:6].astype(int) - 1) % 3 + 1,
    )
    rows = []
    keys = ["institution", "indicator", "quarter", "org_unit", "data_element",
            "category_option_combo"]
    for key, group in months.groupby(keys, sort=True):
        institution, indicator, quarter, unit, element, combo = key
        present = sorted(group["month_in_quarter"])
        records = ", ".join(group["_record"])
        if how in ("sum", "mean") and present != [1, 2, 3]:
            out.problems.append(record_problem(
                file, group["_record"].iloc[0], "period",
                f"{quarter} of {element} at {unit} has {len(present)} of its 3 months "
                f"({records}): a {how} needs all three"))
            continue
        if how == "last" and 3 not in present:
            out.problems.append(record_problem(
                file, group["_record"].iloc[0], "period",
                f"{quarter} of {element} at {unit} has no value for its third month "
                f"({records}): last takes the quarter's third month"))
            continue
        numbers = group["number"]
        if how == "sum":
            value = numbers.sum()
        elif how == "mean":
            value = numbers.mean()
        else:
            value = numbers[group["month_in_quarter"] == 3].iloc[0]
        stamps = group["last_updated"]
        rows.append({
            "institution": institution, "indicator": indicator, "period": quarter,
            "value": repr(float(value)),
            "comment": f"the {how} of {len(group)} month" + ("s" if len(group) > 1 else ""),
            "_record": group["_record"].iloc[0],
            "_source_id": f"{element}|{quarter}|{unit}|{combo}",
            # As for a quarter's value: without lastUpdated (DHIS2 leaves it out of values
            # imported without one), the value itself versions it.
            "_version": max(stamps) if (stamps != "").all() else repr(float(value)),
        })
    return pd.DataFrame(rows, columns=[
        "institution", "indicator", "period", "value", "comment", "_record", "_source_id",
        "_version"])
