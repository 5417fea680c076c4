"""Building blocks shared by the Markdown reports: escaping, tables, parameters, disclaimer.

Every piece of text that is not the report's own markup goes through `md`, so that a title or a
narrative written by an evaluator (or a key chosen by one) can never become a heading, a link or
raw HTML, in the Markdown or in the HTML made from it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from tracker.analysis.params import Parameters, parameter_help

DISCLAIMER = (
    "About this report: it describes contribution, not attribution. Where it says that the "
    "evidence is consistent with the work having contributed to a change, it means exactly "
    "that: the change happened alongside the work and other influencing factors, and the "
    "evidence fits the causal chain set out here. It does not establish that any single "
    "programme, partner or leader made the change happen. Untested persistence is not "
    "persistence: a change that no turnover has tested is reported as untested."
)

# Inline Markdown syntax characters that can start a construct anywhere in a line: emphasis,
# code, links and images (through "["), raw HTML and autolinks ("<"), table cells ("|"),
# strikethrough ("~") and entities ("&"). Escaping "[" is enough to stop "](" and "![".
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
# Bare addresses become links by themselves in GitHub-flavoured Markdown (and on the dashboard,
# which renders it): "https://…", "www.…" and "name@host". Escaping the ":" of "://", the "."
# of "www." and every "@" leaves them text; "$" would start a formula on the dashboard.
_AUTOLINK = re.compile(r"(:(?=//)|(?<=\bwww)\.|[@$])", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
# Block constructs a line can start with: list items, headings, setext underlines.
_BULLET_START = re.compile(r"^([-+#=])")
_NUMBER_START = re.compile(r"^(\d+)([.)])(?=\s|$)")


def md(value: Any) -> str:
    """Any value as inline Markdown text: one line, every syntax character escaped.

    A leading "-", "+", "#", "=", "1. " or "1) " is escaped too, so that the text cannot start
    a list item or a heading when it begins a line.
    """
    text = _BULLET_START.sub(r"\\\1", heading_text(value))
    # "1." and "1)" would start an ordered list.
    return _NUMBER_START.sub(r"\1\\\2", text)


def heading_text(value: Any) -> str:
    """A value escaped for use after "## " (where a leading "1." is only text)."""
    escaped = _SPECIAL.sub(r"\\\1", _SPACES.sub(" ", plain(value)).strip())
    return _AUTOLINK.sub(r"\\\1", escaped)


def plain(value: Any) -> str:
    """A value as plain text: dates ISO, floats to 3 decimals, booleans yes/no, empty as ''."""
    if value is None or value is pd.NaT or value is pd.NA:
        return ""
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    elif isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(value) if math.isinf(value) else f"{round(value, 3):g}"
    if isinstance(value, tuple | list):
        return "; ".join(plain(item) for item in value)
    return str(value)


def number(value: float | None, digits: int = 2) -> str:
    """A probability or mean with a fixed number of decimals (empty when missing)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{value:.{digits}f}"


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, empty: str) -> str:
    """A Markdown table, every cell escaped; `empty` (a sentence) when there are no rows."""
    lines = ["| " + " | ".join(md(cell) for cell in row) + " |" for row in rows]
    if not lines:
        return md(empty)
    head = "| " + " | ".join(md(h) for h in headers) + " |"
    rule = "|" + "|".join("---" for _ in headers) + "|"
    return "\n".join([head, rule, *lines])


def bullets(items: Iterable[str]) -> str:
    """A Markdown list of already-escaped items."""
    return "\n".join(f"- {item}" for item in items)


def parameters_rows(parameters: Parameters) -> tuple[tuple[Any, ...], ...]:
    """The analysis parameters used: name, value and meaning of each."""
    values = parameters.to_json()
    return tuple(
        (
            item.name,
            "each institution's latest record" if values[item.name] is None else values[item.name],
            item.help,
        )
        for item in parameter_help()
    )


def parameters_table(parameters: Parameters) -> str:
    """The analysis parameters used, with their values and meaning."""
    return table(
        ("parameter", "value", "meaning"), parameters_rows(parameters), empty="No parameters."
    )


def section(title: str, *blocks: str) -> str:
    """A level-2 section: the title (escaped) and the blocks, separated by blank lines."""
    return "\n\n".join([f"## {heading_text(title)}", *(block for block in blocks if block)])
