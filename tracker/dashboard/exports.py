"""The portfolio summary as an `.xlsx` workbook a funder can open (pure: no Streamlit).

One sheet per part of the summary, each a plain table with a header row; tuples (roles,
reasons) are joined with "; " so that every cell is readable text. The `summary` sheet carries
the parameters, the key counts and every caveat, so the numbers never travel without them.
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
    "change_summaries",
    "at_risk",
    "survival",
)


def _cell(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return "; ".join(str(item) for item in value)
    return value


def _readable(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object:
            out[column] = out[column].map(_cell)
        elif pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.date
    return out


def summary_rows(summary: PortfolioSummary) -> pd.DataFrame:
    """The key figures, the parameters and the caveats as (item, value) rows."""
    rows: list[tuple[str, Any]] = [
        ("portfolio", summary.title),
        ("institutions", summary.n_institutions),
        ("structural changes", summary.n_changes),
        ("changes tested by a turnover", summary.n_tested),
        ("share tested", summary.tested_share),
        ("institutions at risk", len(summary.at_risk)),
    ]
    rows += [(f"parameter: {name}", value) for name, value in summary.parameters.to_json().items()]
    rows += [("caveat", caveat) for caveat in summary.caveats]
    return pd.DataFrame(rows, columns=["item", "value"])


def portfolio_xlsx(summary: PortfolioSummary) -> bytes:
    """The whole portfolio summary as the bytes of an `.xlsx` file (sheets: `SHEETS`)."""
    frames = {
        "summary": summary_rows(summary),
        "institutions": summary.institutions,
        "phases": summary.phase_counts,
        "verdicts": summary.verdict_counts,
        "change_summaries": summary.summary_counts,
        "at_risk": summary.at_risk,
        "survival": summary.survival.curves,
    }
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name in SHEETS:
            _readable(frames[name]).to_excel(writer, sheet_name=name, index=False)
            # An institution named "=HYPERLINK(…)" is a name here, never a live formula.
            cells_as_text(writer.sheets[name])
    return buffer.getvalue()
