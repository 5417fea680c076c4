"""A readable rendering of an `AnalysisResult` for `tracker analyse --format table`.

Returns Rich renderables (or the text they print as); printing is the caller's job.
"""

from __future__ import annotations

import io

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from tracker.analysis.results import AnalysisResult, InstitutionResult, json_number


def _number(value: float | None) -> str:
    shown = json_number(value)
    return "–" if shown is None else f"{shown:g}"


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _summary(result: AnalysisResult) -> Table:
    table = Table(title="Phases", title_justify="left")
    for heading in (
        "institution",
        "as of",
        "phase",
        "structural in force",
        "persisted",
        "practice change",
        "costly reversal",
        "suggested stage",
    ):
        table.add_column(heading, overflow="fold")
    for item in result.institutions:
        criteria = item.criteria
        table.add_row(
            item.institution,
            item.as_of.isoformat() if item.as_of else "–",
            item.phase.phase,
            _yes(criteria.structural_change_in_force),
            _yes(criteria.persisted_through_turnover),
            _yes(criteria.practice_change),
            _yes(criteria.costly_reversal),
            item.phase.suggested_stage,
        )
    return table


def _changes(item: InstitutionResult) -> Table:
    table = Table(title=f"{item.institution}: structural changes", title_justify="left")
    for heading in ("change", "status", "summary", "turnover", "verdict", "window end"):
        table.add_column(heading, overflow="fold")
    for change in item.changes:
        if not change.tests:
            table.add_row(change.change, change.status, change.summary, "–", "–", "–")
        for number, test in enumerate(change.tests):
            first = number == 0
            verdict = test.verdict + (" (weakened)" if test.weakened else "")
            table.add_row(
                change.change if first else "",
                change.status if first else "",
                change.summary if first else "",
                test.turnover.label,
                verdict,
                test.window_end.isoformat(),
            )
    return table


def _indicators(item: InstitutionResult) -> Table:
    table = Table(title=f"{item.institution}: indicators", title_justify="left")
    for heading in ("indicator", "turnover", "verdict", "pre mean", "post mean", "n pre/post"):
        table.add_column(heading, overflow="fold")
    for indicator in item.indicators:
        for test in indicator.tests:
            table.add_row(
                indicator.indicator,
                test.turnover.label,
                test.verdict,
                _number(test.pre_mean),
                _number(test.post_mean),
                f"{test.n_pre}/{test.n_post}",
            )
    return table


def institution_renderable(item: InstitutionResult) -> Group:
    """One institution: its phase sentence, diagnostic answer, changes and indicators."""
    parts: list[RenderableType] = [
        Text(f"{item.institution} — {item.phase.phase}", style="bold"),
        Text(item.phase.explanation),
        Text(item.diagnostic.sentence),
    ]
    if item.changes:
        parts.append(_changes(item))
    if any(indicator.tests for indicator in item.indicators):
        parts.append(_indicators(item))
    return Group(*parts)


def analysis_renderable(result: AnalysisResult) -> Group:
    """The whole result: a phase summary, then each institution in detail."""
    parameters = ", ".join(f"{k}={v}" for k, v in result.parameters.to_json().items())
    return Group(
        Text(f"Parameters: {parameters}", style="dim"),
        _summary(result),
        *(institution_renderable(item) for item in result.institutions),
    )


def render_table(result: AnalysisResult, *, width: int = 120) -> str:
    """The rendering as plain text (no colour codes), e.g. for a file or a test."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, force_terminal=False)
    console.print(analysis_renderable(result))
    return buffer.getvalue()
