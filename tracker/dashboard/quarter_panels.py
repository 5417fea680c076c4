"""The "Log a quarter" page's frame: choosing the quarter, its lock, its checklist, the
narrative, the workbook upload, and submit / reopen. The record forms are in `quarter_forms`.

Every write goes through the write layer (`tracker.writes`); every refusal becomes a message on
the page (`attempt`), never an exception. After a write succeeds the page says so and runs
again: the audit log changed, so every cached view refreshes.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from tracker.access import Actor, PermissionRefused
from tracker.analysis.language import check_language, suggest_rewording
from tracker.dashboard.data import PageData
from tracker.dashboard.loaders import (
    ActorKey,
    ParamsKey,
    actor_key,
    cached_institution_dataset,
    params_from_key,
    params_key,
)
from tracker.db import read_session
from tracker.periods import period_end, period_from_index, period_index, period_start
from tracker.vocab import STAGES
from tracker.workbook.problems import WorkbookRefused
from tracker.writes.checklist import ChecklistItem, quarter_checklist
from tracker.writes.conflicts import ConflictRefused
from tracker.writes.importer import import_workbook
from tracker.writes.quarter_rows import institution_rows
from tracker.writes.quarters import (
    QuarterRefused,
    QuarterState,
    confirm_leadership,
    current_period,
    leadership_confirmation,
    may_reopen,
    quarter_state,
    reopen_quarter,
    submit_quarter,
)
from tracker.writes.rows import write_rows
from tracker.writes.uploads import preview_changes, save_upload

FLASH_KEY = "lq_flash"
RESET_KEY = "lq_reset"
PERIOD_KEY = "lq_period"
# How many quarters before the current one the chooser offers (besides those with data).
RECENT_QUARTERS = 12


def key(form: str, field: str) -> str:
    """The session-state key of a form's field (stable, so tests can find the widget)."""
    return f"lq_{form}_{field}"


def reset_forms() -> None:
    """Clear the fields of the forms saved in the previous run (before widgets are made)."""
    for form in st.session_state.pop(RESET_KEY, []):
        prefix = f"lq_{form}_"
        for name in [k for k in st.session_state if str(k).startswith(prefix)]:
            del st.session_state[name]


def show_flash() -> None:
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.success(message, icon=":material/check_circle:")


def attempt(action: Callable[[], Any], *, done: str, reset: Iterable[str] = ()) -> bool:
    """Run a write; on success say `done` and run the page again, on refusal say why."""
    try:
        action()
    except WorkbookRefused as refused:
        st.error(f"Nothing was saved.\n\n{refused.report()}", icon=":material/block:")
        return False
    except (PermissionRefused, ConflictRefused, QuarterRefused) as refused:
        st.error(f"Nothing was saved. {refused}", icon=":material/block:")
        return False
    except SQLAlchemyError as error:
        st.error(f"Nothing was saved: the database refused the write ({error.__class__.__name__}).")
        return False
    st.session_state[FLASH_KEY] = done
    st.session_state[RESET_KEY] = [*st.session_state.get(RESET_KEY, []), *reset]
    st.rerun()
    return True  # pragma: no cover - st.rerun does not return


def choose_period(data: PageData, institution: str) -> str:
    """A chooser over the current quarter, the ones before it and those with data."""
    latest = period_index(current_period())
    periods = {period_from_index(latest - i) for i in range(RECENT_QUARTERS + 1)}
    dataset = data.institution_dataset(institution)
    for table in ("indicator_values", "observations"):
        frame = dataset[table]
        periods |= set(frame[frame["institution"] == institution]["period"])
    options = sorted(periods, key=period_index, reverse=True)
    wanted = st.query_params.get("period")
    if wanted in options and PERIOD_KEY not in st.session_state:
        st.session_state[PERIOD_KEY] = wanted
    choice = str(st.selectbox("Quarter", options, key=PERIOD_KEY))
    st.query_params["period"] = choice
    return choice


def default_day(period: str) -> dt.date:
    """A date inside the quarter to start date fields with: today if it is in it."""
    today = dt.date.today()
    return min(max(today, period_start(period)), period_end(period))


def show_state(engine: Engine, institution: str, period: str) -> QuarterState:
    """The quarter's lock, where everyone sees it first."""
    with read_session(engine) as session:
        state = quarter_state(session, institution=institution, period=period)
    if state.locked:
        st.warning(
            f"**{period} is {state.describe()}.** Nothing dated in it can be saved until an "
            "administrator reopens it.",
            icon=":material/lock:",
        )
    else:
        st.info(f"{period} is {state.describe()}.", icon=":material/lock_open:")
    return state


@st.cache_data(show_spinner="Checking what the quarter still needs…", max_entries=64)
def cached_checklist(
    url: str, actor: ActorKey, version: int, params: ParamsKey, quarter: tuple[str, str, bool]
) -> list[ChecklistItem]:
    """The quarter's checklist, recomputed after any write (the data version changes)."""
    institution, period, confirmed = quarter
    dataset = cached_institution_dataset(url, actor, version, institution)
    return quarter_checklist(
        dataset,
        institution=institution,
        period=period,
        leadership_confirmed=confirmed,
        params=params_from_key(params),
    )


def show_checklist(data: PageData, engine: Engine, institution: str, period: str) -> None:
    with read_session(engine) as session:
        confirmed = leadership_confirmation(session, institution=institution, period=period)
    items = cached_checklist(
        data.status.url,
        actor_key(data.actor),
        data.status.version,
        params_key(data.params),
        (institution, period, confirmed is not None),
    )
    st.subheader(f"Still to do for {period}", anchor=False)
    for item in items:
        mark = "✔ done" if item.done else "✘ missing"
        detail = f": {', '.join(item.missing)}" if item.missing and not item.done else ""
        st.markdown(f"- **{item.label}** — {mark}{detail}  \n  {item.hint}")
    if confirmed is not None:
        st.caption(f"Leadership confirmed by {confirmed.confirmed_by}.")
    elif st.button(
        "Confirm the leadership record for this quarter", key=key("leadership", "confirm")
    ):
        attempt(
            lambda: confirm_leadership(
                engine, institution=institution, period=period, actor=data.actor
            ),
            done=f"Leadership of {institution} confirmed for {period}.",
        )


def narrative_panel(engine: Engine, actor: Actor, institution: str, period: str) -> None:
    """The quarter's narrative with the attribution-language warning, and its stage."""
    with read_session(engine) as session:
        stored = institution_rows(session, "observations", institution=institution)
    stored = stored[stored["period"] == period]
    before = stored.iloc[0] if len(stored) else None
    narrative = st.text_area(
        "Narrative of the quarter",
        value="" if before is None else str(before["narrative"]),
        key=key("narrative", "text"),
        height=160,
        help="What happened this quarter, in contribution language.",
    )
    for finding in check_language(narrative):
        st.warning(finding.message, icon=":material/lightbulb:")
    if check_language(narrative):
        st.caption(f"Suggested rewording: {suggest_rewording(narrative)}")
    stages = [None, *STAGES]
    current = None if before is None else before["stage"]
    stage = st.selectbox(
        "Implementation stage (Fixsen et al. 2005)",
        stages,
        index=stages.index(current) if current in stages else 0,
        key=key("narrative", "stage"),
        format_func=lambda s: "(no judgement)" if s is None else s.replace("_", " "),
    )
    reason = ""
    if before is not None:
        reason = st.text_input(
            "Reason for changing the saved narrative", key=key("narrative", "reason")
        )
    if st.button("Save the narrative", key=key("narrative", "save"), type="primary"):
        row = {"institution": institution, "period": period, "narrative": narrative, "stage": stage}
        seen = {
            "observations": {
                f"{institution}|{period}": 0 if before is None else int(before["_version"])
            }
        }
        attempt(
            lambda: write_rows(
                engine,
                {"observations": _frame([row])},
                actor=actor,
                correct=before is not None,
                reason=reason or None,
                expected_versions=seen,
            ),
            done=f"Narrative for {period} saved.",
            reset=["narrative"],
        )


def upload_panel(engine: Engine, actor: Actor) -> None:
    """Upload a workbook: see its problems or what it would change, then import it."""
    files = st.file_uploader(
        "A workbook: one .xlsx file, or the workbook's .csv files",
        type=["csv", "xlsx"],
        accept_multiple_files=True,
        key=key("upload", "files"),
    )
    correct = st.checkbox("It corrects stored values", key=key("upload", "correct"))
    reason = st.text_input("Reason for the corrections", key=key("upload", "reason")) or None
    if not files:
        return
    label = "upload of " + ", ".join(sorted(f.name for f in files))
    with tempfile.TemporaryDirectory() as folder:
        try:
            path = save_upload([(f.name, f.getvalue()) for f in files], Path(folder) / "upload")
            report = import_workbook(
                engine,
                path,
                actor=actor,
                dry_run=True,
                correct=correct,
                reason=reason,
                source=label,
            )
        except WorkbookRefused as refused:
            st.error(f"The workbook cannot be imported.\n\n{refused.report()}")
            return
        except (PermissionRefused, ConflictRefused) as refused:
            st.error(str(refused))
            return
        if not report.changed:
            st.info("The workbook matches what is stored: importing it would change nothing.")
            return
        st.markdown("**The workbook is valid.** Importing it would make these changes:")
        st.dataframe(preview_changes(report), hide_index=True, width="stretch")
        if st.button("Import it", key=key("upload", "import"), type="primary"):
            attempt(
                lambda: import_workbook(
                    engine, path, actor=actor, correct=correct, reason=reason, source=label
                ),
                done=f"Workbook imported ({label}).",
                reset=["upload"],
            )


def submit_panel(engine: Engine, actor: Actor, institution: str, period: str) -> None:
    """Submit the quarter, or (administrators) reopen a submitted one with a reason."""
    with read_session(engine) as session:
        state = quarter_state(session, institution=institution, period=period)
    if not state.locked:
        st.markdown(
            f"Submitting locks {period} for {institution}: nothing dated in it can be saved "
            "afterwards unless an administrator reopens it, with a reason."
        )
        if st.button(f"Submit {period}", key=key("submit", "go"), type="primary"):
            attempt(
                lambda: submit_quarter(engine, institution=institution, period=period, actor=actor),
                done=f"{period} submitted and locked.",
            )
        return
    st.markdown(f"{period} is {state.describe()}.")
    if not may_reopen(actor):
        st.caption("Only an administrator can reopen a submitted quarter.")
        return
    reason = st.text_input("Reason for reopening", key=key("reopen", "reason"))
    if st.button(f"Reopen {period}", key=key("reopen", "go")):
        attempt(
            lambda: reopen_quarter(
                engine, institution=institution, period=period, actor=actor, reason=reason
            ),
            done=f"{period} reopened.",
            reset=["reopen"],
        )


def _frame(rows: list[dict[str, Any]]) -> Any:
    import pandas as pd

    return pd.DataFrame(rows)
