"""The portfolio page's charts: institutions by phase, persistence tests by verdict, and the
survival of structural changes (each category named by words, not told by colour alone).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from tracker.dashboard.chart_style import PLOT_AREA_SIZE, colour_scale, layer
from tracker.dashboard.labels import (
    PHASE_COLOURS,
    VERDICT_COLOURS,
    words,
)
from tracker.vocab import CHANGE_VERDICTS, PHASES


def counts_chart(
    counts: pd.DataFrame,
    *,
    category: str,
    count: str,
    order: Sequence[str],
    colours: Mapping[str, str],
    title: str,
) -> alt.LayerChart:
    """Horizontal bars of counts, each bar named on its axis and its number written beside it."""
    frame = counts.assign(label=counts[category].map(words))
    labels = [words(item) for item in order]
    base = alt.Chart(frame)
    y = alt.Y("label:N", sort=labels, title=None)
    bars = base.mark_bar().encode(
        x=alt.X(f"{count}:Q", title=None, axis=alt.Axis(tickMinStep=1)),
        y=y,
        color=alt.Color(
            "label:N", scale=colour_scale({words(k): v for k, v in colours.items()}), legend=None
        ),
        tooltip=[alt.Tooltip("label:N", title=category), alt.Tooltip(f"{count}:Q")],
    )
    text = base.mark_text(align="left", dx=3).encode(
        x=f"{count}:Q", y=y, text=f"{count}:Q"
    )
    return layer(bars, text).properties(
        title=title, height=30 * len(labels), width=300, autosize=PLOT_AREA_SIZE
    )


def phase_counts_chart(phase_counts: pd.DataFrame) -> alt.LayerChart:
    return counts_chart(
        phase_counts,
        category="phase",
        count="institutions",
        order=PHASES,
        colours=PHASE_COLOURS,
        title="Institutions by phase",
    )


def verdict_counts_chart(verdict_counts: pd.DataFrame) -> alt.LayerChart:
    return counts_chart(
        verdict_counts,
        category="verdict",
        count="tests",
        order=CHANGE_VERDICTS,
        colours=VERDICT_COLOURS,
        title="Persistence tests by verdict",
    )


SURVIVAL_DASHES = {"tested by a turnover": [1, 0], "not tested by a turnover": [6, 4]}


def survival_chart(curves: pd.DataFrame) -> alt.LayerChart:
    """Kaplan–Meier curves with 95% bands; the groups differ by dash as well as colour."""
    base = alt.Chart(curves)
    group = alt.Color(
        "group:N",
        legend=alt.Legend(title=None, orient="bottom", symbolType="stroke", symbolOpacity=1),
    )
    band = base.mark_area(opacity=0.15, interpolate="step-after").encode(
        x=alt.X("months:Q", title="months since adoption"),
        y=alt.Y("ci_lower:Q", title="share still in force", scale=alt.Scale(domain=[0, 1])),
        y2="ci_upper:Q",
        color=group,
    )
    line = base.mark_line(interpolate="step-after").encode(
        x="months:Q",
        y="survival:Q",
        color=group,
        strokeDash=alt.StrokeDash(
            "group:N",
            scale=alt.Scale(
                domain=list(SURVIVAL_DASHES), range=list(SURVIVAL_DASHES.values())
            ),
            legend=None,
        ),
        tooltip=[
            alt.Tooltip("group:N"),
            alt.Tooltip("months:Q", format=".0f"),
            alt.Tooltip("survival:Q", format=".2f"),
            alt.Tooltip("at_risk:Q", title="still followed"),
        ],
    )
    return layer(band, line).properties(
        title="Survival of structural changes", height=220, width=420, autosize=PLOT_AREA_SIZE
    )
