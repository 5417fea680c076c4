"""The "Log a quarter" page's indicator values: this quarter's value of each indicator the
institution reports, beside last quarter's for reference.

The sheet the user first saw (values and versions) is kept in the session until it is saved or
reloaded: only the values the user entered or changed are saved, each with the version the
user saw, so a save over someone else's change meanwhile is refused as a conflict.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from tracker.access import Actor
from tracker.dashboard.quarter_panels import RESET_KEY, attempt, key
from tracker.dataset import Dataset
from tracker.db import read_session
from tracker.writes.checklist import reported_indicators
from tracker.writes.quarter_rows import IndicatorLine, indicator_sheet
from tracker.writes.rows import write_rows
from tracker.writes.values import same


def _sheet_key(institution: str, period: str) -> str:
    return f"lq_sheet|{institution}|{period}"


def _sheet(engine: Engine, dataset: Dataset, institution: str, period: str) -> list[IndicatorLine]:
    """The indicator sheet as the user first saw it (kept until it is saved or reloaded)."""
    name = _sheet_key(institution, period)
    if name not in st.session_state:
        indicators = reported_indicators(dataset, institution=institution, period=period)
        with read_session(engine) as session:
            st.session_state[name] = indicator_sheet(
                session, institution=institution, period=period, indicators=indicators
            )
    sheet: list[IndicatorLine] = st.session_state[name]
    return sheet


def values_form(
    engine: Engine, actor: Actor, dataset: Dataset, institution: str, period: str
) -> None:
    """This quarter's value of each indicator, beside last quarter's for reference."""
    sheet = _sheet(engine, dataset, institution, period)
    form = f"values|{institution}|{period}"
    widths = [3, 2, 2, 3]
    with st.form(key("values", "form")):
        titles = ("Indicator", "Last quarter", period, "Source")
        for column, title in zip(st.columns(widths), titles, strict=True):
            column.markdown(f"**{title}**")
        entered: dict[str, tuple[float | None, str | None]] = {}
        for line in sheet:
            cells = st.columns(widths)
            cells[0].markdown(f"{line.name} ({line.unit})")
            last = "—" if line.last_value is None else f"{line.last_value:g}"
            cells[1].markdown(f"{last} ({line.last_period})")
            value = cells[2].number_input(
                line.indicator,
                value=line.value,
                key=key(form, line.indicator),
                label_visibility="collapsed",
                format="%g",
            )
            source = cells[3].text_input(
                f"Source of {line.indicator}",
                value=line.source or "",
                key=key(form, f"{line.indicator}_source"),
                label_visibility="collapsed",
            )
            entered[line.indicator] = (value, source or None)
        reason = st.text_input("Reason, if you change a stored value", key=key(form, "reason"))
        saved = st.form_submit_button("Save indicator values", type="primary")
    if st.button("Reload the stored values", key=key("values", "reload")):
        st.session_state.pop(_sheet_key(institution, period), None)
        st.session_state[RESET_KEY] = [form]
        st.rerun()
    if saved:
        _save_values(engine, actor, sheet, entered, (institution, period), reason, form)


def _save_values(
    engine: Engine,
    actor: Actor,
    sheet: list[IndicatorLine],
    entered: dict[str, tuple[float | None, str | None]],
    quarter: tuple[str, str],
    reason: str,
    form: str,
) -> None:
    """Save the values the user entered or changed (never those they only looked at)."""
    institution, period = quarter
    rows, seen, corrects = [], {}, False
    for line in sheet:
        value, source = entered[line.indicator]
        if same(value, line.value) and same(source, line.source):
            continue
        if value is None:
            st.error(f"{line.name}: a stored value cannot be emptied; correct it instead.")
            return
        corrects |= line.value is not None
        rows.append(
            {
                "institution": institution,
                "indicator": line.indicator,
                "period": period,
                "value": value,
                "source": source,
            }
        )
        seen[f"{institution}|{line.indicator}|{period}"] = line.version
    if not rows:
        st.info("No value was entered or changed.")
        return
    if corrects and not reason.strip():
        st.error("Changing a stored value needs a reason (the old value is kept in history).")
        return
    st.session_state.pop(_sheet_key(institution, period), None)
    attempt(
        lambda: write_rows(
            engine,
            {"indicator_values": pd.DataFrame(rows)},
            actor=actor,
            correct=corrects,
            reason=reason or None,
            expected_versions={"indicator_values": seen},
        ),
        done=f"{len(rows)} indicator value(s) saved for {period}.",
        reset=[form],
    )
