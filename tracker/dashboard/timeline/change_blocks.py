"""Blocks the timeline shows beside its chart: the phase and its criteria, each structural
change with its persistence tests, verdicts, reasons and evidence, the decisions and the
indicator tests. Every verdict is an icon and a word; every sentence comes from the analysis."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from tracker.analysis.results import ChangeResult, InstitutionResult
from tracker.dashboard.labels import (
    COSTLY_REVERSAL,
    EVIDENCE_DIRECTIONS,
    NO,
    YES,
    phase_label,
    status_label,
    verdict_label,
    words,
)
from tracker.dashboard.text import plain, show_text
from tracker.dataset import Dataset

EVIDENCE_COLUMNS = ["date", "title", "kind", "source", "supports", "test", "notes"]


def evidence_about(dataset: Dataset, record: str) -> pd.DataFrame:
    """The evidence items attached to a change or decision, oldest first, for display."""
    evidence = dataset["evidence"]
    rows = evidence[evidence["record"] == record].sort_values("date")
    shown = rows[EVIDENCE_COLUMNS].copy()
    shown["date"] = shown["date"].dt.date
    shown["supports"] = shown["supports"].map(
        lambda value: EVIDENCE_DIRECTIONS[None if pd.isna(value) else bool(value)]
    )
    return shown.reset_index(drop=True)


def status_history(dataset: Dataset, change: str) -> pd.DataFrame:
    """The dated status records of a change, each with the evidence text recorded with it."""
    statuses = dataset["change_status"]
    rows = statuses[statuses["change"] == change].sort_values("date")
    return pd.DataFrame(
        {
            "date": rows["date"].dt.date,
            "status": rows["status"].map(status_label),
            "evidence": rows["evidence"],
            "notes": rows["notes"],
        }
    ).reset_index(drop=True)


def show_phase(result: InstitutionResult) -> None:
    """The phase with every criterion's result and reason (product.md: each criterion shown)."""
    phase = result.phase
    as_of = result.as_of.isoformat() if result.as_of else "–"
    st.subheader(f"Phase: {phase_label(phase.phase)}", anchor=False)
    show_text(phase.explanation)
    reasons = dict(result.criteria.reasons)
    for name, met in result.criteria.to_json().items():
        mark = YES if met else NO
        st.markdown(f"- **{plain(words(name))}**: {plain(mark)}. {plain(reasons.get(name, ''))}")
    show_text(
        f"As of {as_of}. Suggested implementation stage: {words(phase.suggested_stage)} "
        f"({phase.suggested_stage_reason})",
        muted=True,
    )
    st.markdown(f"**Diagnostic question** — answer: **{plain(result.diagnostic.answer)}**. "
                f"{plain(result.diagnostic.sentence)}")
    if phase.stage_history:
        with st.expander("The evaluator's stage judgements over time"):
            st.dataframe(stage_judgements(result), hide_index=True, width="stretch")


def stage_judgements(result: InstitutionResult) -> pd.DataFrame:
    """The evaluator's implementation-stage judgements by quarter; backward moves marked."""
    history = result.phase.stage_history
    return pd.DataFrame(
        {
            "quarter": [item.period for item in history],
            "stage": [words(item.stage) for item in history],
            "moved back": [("↙ " + item.note) if item.moved_backwards else "" for item in history],
        }
    )


def _tests_frame(change: ChangeResult) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "turnover": [test.turnover.label for test in change.tests],
            "verdict": [
                verdict_label(test.verdict) + (" (weakened)" if test.weakened else "")
                for test in change.tests
            ],
            "window ends": [test.window_end for test in change.tests],
            "reason": [test.reason for test in change.tests],
        }
    )


def show_change(dataset: Dataset, change: ChangeResult) -> None:
    """One structural change: its summary, each persistence test, its statuses and evidence."""
    title = plain(f"{verdict_label(change.summary)} · {change.title}")
    with st.expander(title, expanded=change.summary == "reversed_after_turnover"):
        st.markdown(
            f"Adopted {change.adopted.isoformat()} · now {status_label(change.status)} · "
            f"{words(change.kind)} · chain link: {words(change.chain_link)} · culture level: "
            f"{words(change.culture_level)}"
        )
        show_text(change.summary_reason)
        if change.tests:
            st.dataframe(_tests_frame(change), hide_index=True, width="stretch")
        statuses = status_history(dataset, change.change)
        if len(statuses):
            st.markdown("**Status records**")
            st.dataframe(statuses, hide_index=True, width="stretch")
        evidence = evidence_about(dataset, change.change)
        if len(evidence):
            st.markdown("**Evidence**")
            st.dataframe(evidence, hide_index=True, width="stretch")
        else:
            st.caption("No evidence item is attached to this change yet.")


def show_changes(dataset: Dataset, result: InstitutionResult) -> None:
    st.subheader("Structural changes and their persistence tests", anchor=False)
    if not result.changes:
        st.caption("No structural change is recorded for this institution yet.")
    for change in result.changes:
        show_change(dataset, change)


def show_decisions(dataset: Dataset, result: InstitutionResult) -> None:
    """Each decision with the diagnostic flags it lacks, and the evidence behind it."""
    if not result.diagnostic.flags:
        return
    st.subheader("Decisions", anchor=False)
    for flags in result.diagnostic.flags:
        mark = COSTLY_REVERSAL if flags.satisfies else "• decision"
        missing = ", ".join(words(item) for item in flags.missing)
        with st.expander(plain(f"{mark} · {flags.date.isoformat()} · {flags.title}")):
            if missing:
                show_text(f"Not a costly reversal: lacks {missing}.", muted=True)
            evidence = evidence_about(dataset, flags.decision)
            decisions = dataset["decisions"]
            row = decisions[decisions["key"] == flags.decision]
            if len(row) and pd.notna(row["cost_note"].iloc[0]):
                show_text(f"Cost: {row['cost_note'].iloc[0]}")
            if len(row) and pd.notna(row["evidence"].iloc[0]):
                show_text(f"Evidence recorded with it: {row['evidence'].iloc[0]}")
            if len(evidence):
                st.dataframe(evidence, hide_index=True, width="stretch")


def show_indicator_tests(result: InstitutionResult) -> None:
    """Each practice indicator compared before and after each turnover, its segmented
    regression sentences (supporting evidence only) right under its own table."""
    if not any(indicator.tests for indicator in result.indicators):
        return
    st.subheader("Practice indicators through each turnover", anchor=False)
    for indicator in result.indicators:
        if not indicator.tests:
            continue
        st.markdown(f"**{plain(indicator.name)}**")
        # The rule every test below follows, once: each reason says only what is its own.
        show_text(indicator.rule, muted=True)
        rows = [
            {
                "turnover": test.turnover.label,
                "quarters compared": test.turnover.indicator_quarters,
                "verdict": verdict_label(test.verdict),
                "pre mean": _rounded(test.pre_mean),
                "post mean": _rounded(test.post_mean),
                "n pre / post": f"{test.n_pre} / {test.n_post}",
                "reason": test.reason,
            }
            for test in indicator.tests
        ]
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
        for test in indicator.tests:
            if test.its is not None and test.its.fitted:
                st.caption(
                    plain(
                        f"Segmented regression of {indicator.name} around the "
                        f"{test.turnover.label}, supporting evidence only: {test.its.sentence}"
                    )
                )


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
