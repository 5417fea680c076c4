"""The "Log a quarter" page's value grid: one row per indicator the institution reports, with
its name and unit, last quarter's value, this quarter's value, the change, the cell's state
(saved / unsaved / refused) and, when the value looks implausible (outside the indicator's
range, or a jump far beyond the institution's usual changes: `tracker.analysis.plausibility`),
a warning beside the cell that asks for a note. Warnings never refuse a value.

The sheet the user first saw (values and versions) is kept in the session until it is saved or
reloaded: only the values the user entered or changed are saved, each with the version the
user saw, so a save over someone else's change meanwhile is refused as a conflict. Typed values
are widgets of their own quarter (kept in the session when another quarter is shown), so
switching quarters loses nothing; the page says what is unsaved.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from tracker.access import Actor
from tracker.analysis.plausibility import Doubt, value_warnings
from tracker.dashboard.quarter.quarter_page import attempt, message_slot, slot_of
from tracker.dashboard.quarter.refusals import show_refusal
from tracker.dashboard.text import plain
from tracker.dataset import Dataset
from tracker.db import read_session
from tracker.workbook.problems import Problem, WorkbookRefused
from tracker.workbook.raw import HEADER_ROW
from tracker.writes.imports.plausible import ranges, series_before
from tracker.writes.imports.rows import write_rows
from tracker.writes.imports.values import same
from tracker.writes.quarter.checklist import reported_indicators
from tracker.writes.quarter.stored_rows import IndicatorLine, indicator_sheet

SHEETS_KEY = "lq_sheets"
REFUSED_KEY = "lq_refused_cells"
CELL_PREFIX = "lq_cell_"
SAVED, UNSAVED, REFUSED, EMPTY = "✔ saved", "✎ unsaved", "✘ refused", "○ empty"


def cell_key(institution: str, period: str, indicator: str, field: str = "value") -> str:
    """The widget key of one cell (value, source or note) of a quarter's sheet."""
    return f"{CELL_PREFIX}{field}|{institution}|{period}|{indicator}"


def _sheet_name(institution: str, period: str) -> str:
    return f"{institution}|{period}"


def _sheet(engine: Engine, dataset: Dataset, institution: str, period: str) -> list[IndicatorLine]:
    """The indicator sheet as the user first saw it (kept until it is saved or reloaded)."""
    sheets: dict[str, list[IndicatorLine]] = st.session_state.setdefault(SHEETS_KEY, {})
    name = _sheet_name(institution, period)
    if name not in sheets:
        indicators = reported_indicators(dataset, institution=institution, period=period)
        with read_session(engine) as session:
            sheets[name] = indicator_sheet(
                session, institution=institution, period=period, indicators=indicators
            )
    return sheets[name]


@dataclass(frozen=True)
class Cell:
    line: IndicatorLine
    value: float | None
    source: str | None
    note: str | None

    @property
    def changed(self) -> bool:
        return not (same(self.value, self.line.value) and same(self.source, self.line.source))


def _entered(institution: str, period: str, line: IndicatorLine) -> Cell:
    state = st.session_state
    value = state.get(cell_key(institution, period, line.indicator), line.value)
    source = state.get(cell_key(institution, period, line.indicator, "source"), line.source or "")
    note = state.get(cell_key(institution, period, line.indicator, "note"), "")
    return Cell(line, value, source or None, note or None)


def unsaved_quarters(institution: str) -> list[str]:
    """The quarters of the institution whose sheet has typed values not saved yet."""
    found = []
    for name, sheet in st.session_state.get(SHEETS_KEY, {}).items():
        owner, period = name.split("|")
        if owner == institution and any(_entered(owner, period, line).changed for line in sheet):
            found.append(period)
    return sorted(found)


def _state(cell: Cell, refused: dict[str, str]) -> str:
    if cell.line.indicator in refused:
        return REFUSED
    if cell.changed:
        return UNSAVED
    return EMPTY if cell.line.value is None else SAVED


def values_grid(
    engine: Engine,
    actor: Actor,
    dataset: Dataset,
    institution: str,
    period: str,
    *,
    locked: bool,
) -> None:
    """This quarter's value of each indicator, beside last quarter's, with per-cell state."""
    sheet = _sheet(engine, dataset, institution, period)
    limits = ranges(dataset["indicators"])
    values = dataset["indicator_values"]
    refused: dict[str, str] = st.session_state.get(REFUSED_KEY, {}).get(
        _sheet_name(institution, period), {}
    )
    cells = []
    widths = [3, 2, 2, 3]
    for line in sheet:
        with st.container(border=True):
            top = st.columns(widths, vertical_alignment="bottom")
            top[0].markdown(f"**{plain(line.name)}**  \n{plain(line.unit)}")
            top[0].caption(line.indicator)
            last = "—" if line.last_value is None else f"{line.last_value:g}"
            top[1].markdown(f"{line.last_period}: **{last}**")
            value = top[2].number_input(
                plain(f"{line.name}, {period}"),
                value=line.value,
                key=cell_key(institution, period, line.indicator),
                format="%g",
                disabled=locked,
                persist_state="session",
            )
            top[3].text_input(
                plain(f"Source of {line.name}"),
                value=line.source or "",
                key=cell_key(institution, period, line.indicator, "source"),
                disabled=locked,
                persist_state="session",
            )
            cell = _entered(institution, period, line)
            status = _state(cell, refused)
            change = (
                ""
                if value is None or line.last_value is None
                else f"change {value - line.last_value:+g}"
            )
            top[1].markdown(f"{status}  \n{change}")
            history = series_before(values, institution, line.indicator, period)
            doubts: list[Doubt] = (
                value_warnings(value, limits[line.indicator], history)
                if line.indicator in limits and cell.changed
                else []
            )
            if line.indicator in refused:
                st.error(plain(refused[line.indicator]), icon=":material/block:")
            for doubt in doubts:
                st.warning(
                    plain(doubt.message)
                    + " Please check it; if it is right, add a note saying why.",
                    icon=":material/help:",
                )
            if doubts or cell.note:
                st.text_input(
                    plain(f"Note on {line.name} (why the value is right)"),
                    key=cell_key(institution, period, line.indicator, "note"),
                    disabled=locked,
                    persist_state="session",
                )
            cells.append(_entered(institution, period, line))
    changed = [c for c in cells if c.changed]
    corrects = any(c.line.value is not None for c in changed)
    reason = ""
    if corrects:
        reason = st.text_input(
            "Reason for changing a stored value (the old value is kept in history)",
            key=f"{CELL_PREFIX}reason|{institution}|{period}",
            disabled=locked,
        )
    if unsaved := len(changed):
        st.caption(f"{unsaved} value{'s' if unsaved != 1 else ''} not saved yet.")
    message_slot("values")
    if st.button("Save indicator values", key="lq_values_save", type="primary", disabled=locked):
        if changed:
            _save_values(engine, actor, changed, (institution, period), reason)
        else:
            (slot_of("values") or st).info("No value was entered or changed: nothing to save.")


def _forget(institution: str, period: str) -> None:
    """After a save: the sheet and its cells start again from what is stored."""
    st.session_state.get(SHEETS_KEY, {}).pop(_sheet_name(institution, period), None)
    st.session_state.get(REFUSED_KEY, {}).pop(_sheet_name(institution, period), None)
    tail = f"|{institution}|{period}"
    for name in [k for k in st.session_state if str(k).startswith(CELL_PREFIX)]:
        if tail in str(name):
            del st.session_state[name]


def _save_values(
    engine: Engine, actor: Actor, changed: list[Cell], quarter: tuple[str, str], reason: str
) -> None:
    """Save the values the user entered or changed (never those they only looked at)."""
    institution, period = quarter
    emptied = [c.line.name for c in changed if c.value is None]
    if emptied:
        show_refusal(
            _refusal(
                [
                    f"\u201c{name}\u201d: a stored value cannot be emptied; type the right value."
                    for name in emptied
                ]
            ),
            into=slot_of("values"),
        )
        return
    corrects = any(c.line.value is not None for c in changed)
    if corrects and not reason.strip():
        show_refusal(
            _refusal(
                [
                    "\u201cReason for changing a stored value\u201d: say why the stored value "
                    "changes (the old value is kept in history)."
                ]
            ),
            into=slot_of("values"),
        )
        return
    rows = [
        {
            "institution": institution,
            "indicator": c.line.indicator,
            "period": period,
            "value": c.value,
            "source": c.source,
            "note": c.note,
        }
        for c in changed
    ]
    seen = {f"{institution}|{c.line.indicator}|{period}": c.line.version for c in changed}

    def write() -> None:
        try:
            write_rows(
                engine,
                {"indicator_values": pd.DataFrame(rows)},
                actor=actor,
                correct=corrects,
                reason=reason or None,
                expected_versions={"indicator_values": seen},
            )
        except WorkbookRefused as refused:
            _mark_refused(refused, changed, institution, period)
            raise
        _forget(institution, period)

    attempt(
        write,
        done=f"{len(rows)} indicator value{'s' if len(rows) != 1 else ''} saved for {period}.",
        where="values",
        fields={"value": "value", "source": "Source", "note": "Note", "period": "Quarter"},
    )


def _refusal(lines: list[str]) -> WorkbookRefused:
    """A refusal made on the page (before any write), one line per problem."""
    return WorkbookRefused([Problem("page", None, None, line) for line in lines])


def _mark_refused(
    refused: WorkbookRefused, changed: list[Cell], institution: str, period: str
) -> None:
    """Remember which cells a refusal was about (its rows are the order of `changed`)."""
    marks: dict[str, str] = {}
    for problem in refused.problems:
        index = (problem.row or 0) - HEADER_ROW - 1
        if 0 <= index < len(changed):
            marks[changed[index].line.indicator] = problem.message
    store = st.session_state.setdefault(REFUSED_KEY, {})
    store[_sheet_name(institution, period)] = marks
