"""The portfolio summary as an `.xlsx` workbook a funder can open (pure: no Streamlit).

One sheet per part of the summary, each a plain table with a header row in words ("costly
reversal", not costly_reversal); codes are written as labels ("too early", "yes"/"no"),
numbers are rounded (2 decimals; survival to 3) and tuples (roles, reasons) are joined with
"; " so that every cell is readable text. The `summary` sheet carries the parameters, the key
counts and every caveat, so the numbers never travel without them.
"""

from __future__ import annotations

import io
from typing import Any

import pandas as pd

from tracker.analysis.portfolio import PortfolioSummary
from tracker.workbook.xlsx_text import cells_as_text

SHEETS = (
    "summary",
    "institutions",
    "phases",
    "verdicts",
    "change summaries",
    "at risk",
    "survival",
)


# Columns whose values are vocabulary codes: written as words ("reversed_after_turnover" →
# "reversed after turnover").
CODE_COLUMNS = {"phase", "kind", "suggested_stage", "verdict", "summary", "roles", "group"}
DIGITS = {"survival": 3}


def _cell(value: Any, *, code: bool = False) -> Any:
    if isinstance(value, tuple | list):
        return "; ".join(str(_cell(item, code=code)) for item in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if code and isinstance(value, str):
        return value.replace("_", " ")
    return value


def _readable(frame: pd.DataFrame, *, digits: int = 2) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_bool_dtype(series):
            out[column] = series.map({True: "yes", False: "no"})
        elif pd.api.types.is_float_dtype(series):
            out[column] = series.round(1 if column == "months" else digits)
        elif pd.api.types.is_datetime64_any_dtype(series):
            out[column] = series.dt.date
        elif series.dtype == object:
            code = column in CODE_COLUMNS
            out[column] = [_cell(value, code=code) for value in series]
    out.columns = pd.Index([str(column).replace("_", " ") for column in out.columns])
    return out


def summary_rows(summary: PortfolioSummary) -> pd.DataFrame:
    """The key figures, the parameters and the caveats as (item, value) rows."""
    rows: list[tuple[str, Any]] = [
        ("portfolio", summary.title),
        ("institutions", summary.n_institutions),
        ("structural changes", summary.n_changes),
        ("changes tested by a turnover", summary.n_tested),
        (
            "share tested",
            "–" if summary.tested_share is None else f"{summary.tested_share:.0%}",
        ),
        ("institutions at risk", len(summary.at_risk)),
    ]
    rows += [
        (f"parameter: {name.replace('_', ' ')}", "each institution's latest record"
         if value is None else value)
        for name, value in summary.parameters.to_json().items()
    ]
    rows += [("caveat", caveat) for caveat in summary.caveats]
    return pd.DataFrame(rows, columns=["item", "value"])


def portfolio_xlsx(summary: PortfolioSummary) -> bytes:
    """The whole portfolio summary as the bytes of an `.xlsx` file (sheets: `SHEETS`)."""
    frames = {
        "summary": summary_rows(summary),
        "institutions": summary.institutions,
        "phases": summary.phase_counts,
        "verdicts": summary.verdict_counts,
        "change summaries": summary.summary_counts,
        "at risk": summary.at_risk,
        "survival": summary.survival.curves,
    }
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name in SHEETS:
            readable = _readable(frames[name], digits=DIGITS.get(name, 2))
            readable.to_excel(writer, sheet_name=name.replace("_", " "), index=False)
            sheet = writer.sheets[name.replace("_", " ")]
            for column in sheet.columns:
                width = max(len(str(cell.value or "")) for cell in column)
                sheet.column_dimensions[column[0].column_letter].width = min(max(width, 8), 60)
            # An institution named "=HYPERLINK(…)" is a name here, never a live formula.
            cells_as_text(sheet)
    return buffer.getvalue()
