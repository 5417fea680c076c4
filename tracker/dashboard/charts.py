"""Chart specifications: plain functions from tidy frames to Altair charts (no Streamlit).

Each chart tells its categories by words as well as colour (axis labels, text marks, legends
with words, dash patterns), so that nothing is read from colour alone. Every time panel of the
persistence timeline shares one time axis and carries a rule at every turnover.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from tracker.dashboard.labels import (
    DECISION_COLOURS,
    DECISION_KINDS,
    DECISION_SHAPES,
    PHASE_COLOURS,
    STATUS_COLOURS,
    TURNOVER_COLOURS,
    VERDICT_COLOURS,
    words,
)
from tracker.dashboard.timeline_data import Timeline
from tracker.vocab import CHANGE_VERDICTS, PHASES

PANEL_WIDTH = 380
# Every timeline panel's y axis takes exactly this width, so that the time axes line up.
Y_EXTENT = 130
# Width and height size the plotting area, axes and titles come on top. (Streamlit's default
# for a single chart, "fit", squeezes the plot to make room for them: bars vanish.)
PLOT_AREA_SIZE = alt.AutoSizeParams(type="pad")
TURNOVER_LEGEND = {"leadership": "leadership change", "partner_withdrawal": "partner withdrawal"}


def _layer(*charts: alt.Chart | alt.LayerChart) -> alt.LayerChart:
    return alt.LayerChart(layer=list(charts))


def _scale(colours: Mapping[str, str], names: Sequence[str] | None = None) -> alt.Scale:
    keys = list(names or colours)
    return alt.Scale(domain=keys, range=[colours[key] for key in keys])


def _y_axis(*, bare: bool = False) -> alt.Axis:
    """The shared y-axis width; `bare` leaves out the axis line and ticks (a one-row axis)."""
    return alt.Axis(
        minExtent=Y_EXTENT,
        maxExtent=Y_EXTENT,
        labelLimit=Y_EXTENT - 10,
        ticks=not bare,
        domain=not bare,
    )


def _row(frame: pd.DataFrame, label: str) -> alt.Y:
    """A one-row y axis named `label`: gives a panel without a y field the shared axis width."""
    frame["row"] = label
    return alt.Y("row:N", title=None, axis=_y_axis(bare=True))


def _x(domain: tuple[dt.date, dt.date] | None, *, field: str = "date", axis: bool = True) -> alt.X:
    scale = (
        alt.Scale(domain=[domain[0].isoformat(), domain[1].isoformat()])
        if domain
        else alt.Undefined
    )
    return alt.X(
        f"{field}:T",
        scale=scale,
        title=None,
        axis=alt.Axis(format="%Y", labelAngle=0) if axis else None,
    )


def turnover_rules(
    turnovers: pd.DataFrame,
    *,
    domain: tuple[dt.date, dt.date] | None = None,
    labelled: bool = False,
) -> alt.LayerChart:
    """A vertical rule at each turnover; with `labelled`, each rule also says what happened."""
    ordered = turnovers.sort_values("date", kind="stable").reset_index(drop=True)
    frame = ordered.assign(
        kind_words=ordered["kind"].map(TURNOVER_LEGEND),
        # Labels alternate left and right of their rules, so that close turnovers stay legible.
        side=[position % 2 for position in range(len(ordered))],
    )
    base = alt.Chart(frame)
    rule = base.mark_rule(strokeDash=[5, 3], strokeWidth=2).encode(
        x=_x(domain),
        color=alt.Color(
            "kind_words:N",
            scale=_scale(
                {TURNOVER_LEGEND[k]: v for k, v in TURNOVER_COLOURS.items()},
            ),
            legend=alt.Legend(title="Turnover", orient="top") if labelled else None,
        ),
        tooltip=[
            alt.Tooltip("label:N", title="turnover"),
            alt.Tooltip("date:T", title="date", format="%Y-%m-%d"),
        ],
    )
    if not labelled:
        return _layer(rule)
    left = (
        base.transform_filter(alt.datum.side == 0)
        .mark_text(angle=270, align="right", baseline="bottom", dx=-4, dy=-3)
        .encode(x=_x(domain), y=alt.value(0), text="label:N")
    )
    right = (
        base.transform_filter(alt.datum.side == 1)
        .mark_text(angle=270, align="right", baseline="top", dx=-4, dy=3)
        .encode(x=_x(domain), y=alt.value(0), text="label:N")
    )
    return _layer(rule, left, right)


def indicator_panel(
    values: pd.DataFrame,
    turnovers: pd.DataFrame,
    *,
    domain: tuple[dt.date, dt.date] | None = None,
    labelled: bool = False,
    width: int = PANEL_WIDTH,
) -> alt.LayerChart:
    """One indicator's quarterly series with the turnover rules over it."""
    name = str(values["name"].iloc[0]) if len(values) else "indicator"
    unit = str(values["unit"].iloc[0]) if len(values) else ""
    line = (
        alt.Chart(values)
        .mark_line(point=True, color="#333333")
        .encode(
            x=_x(domain),
            y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False), axis=_y_axis()),
            tooltip=[
                alt.Tooltip("period:N", title="quarter"),
                alt.Tooltip("value:Q", title=name),
            ],
        )
    )
    layered = _layer(line, turnover_rules(turnovers, domain=domain, labelled=labelled))
    return layered.resolve_scale(color="independent").properties(
        title=alt.TitleParams(name, subtitle=unit or alt.Undefined, anchor="start"),
        width=width,
        height=130 if labelled else 110,
    )


def change_spans_panel(
    spans: pd.DataFrame,
    turnovers: pd.DataFrame,
    *,
    domain: tuple[dt.date, dt.date] | None = None,
    width: int = PANEL_WIDTH,
) -> alt.LayerChart:
    """Each structural change as stretches of its status, from adoption to reversal or as-of."""
    frame = spans.assign(status_words=spans["status"].map(words))
    order = list(dict.fromkeys(frame.sort_values("start")["title"]))
    colours = {words(k): v for k, v in STATUS_COLOURS.items()}
    base = alt.Chart(frame)
    y = alt.Y("title:N", sort=order, title=None, axis=_y_axis())
    bars = base.mark_bar(height=16).encode(
        x=_x(domain, field="start"),
        x2="end:T",
        y=y,
        color=alt.Color(
            "status_words:N",
            scale=_scale(colours),
            legend=alt.Legend(title="Status", orient="bottom", direction="horizontal"),
        ),
        tooltip=[
            alt.Tooltip("title:N", title="change"),
            alt.Tooltip("status_words:N", title="status"),
            alt.Tooltip("start:T", title="from", format="%Y-%m-%d"),
            alt.Tooltip("end:T", title="to", format="%Y-%m-%d"),
            alt.Tooltip("summary:N", title="persistence"),
        ],
    )
    # The status in words on each stretch: colour is never the only cue.
    text = base.mark_text(align="left", dx=3, fontSize=10).encode(
        x=_x(domain, field="start"),
        y=y,
        text="status_words:N",
        # White on the dark "in force" fill; near-black elsewhere, including beside the
        # one-day stretch that marks a reversal (the word then stands on the background).
        color=alt.condition(
            "datum.status === 'in_force'",
            alt.value("#ffffff"),
            alt.value("#111111"),
        ),
    )
    layered = _layer(bars, text, turnover_rules(turnovers, domain=domain))
    return layered.resolve_scale(color="independent").properties(
        title="Structural changes", width=width, height=max(26 * len(order), 40)
    )


def decisions_panel(
    decisions: pd.DataFrame,
    turnovers: pd.DataFrame,
    *,
    domain: tuple[dt.date, dt.date] | None = None,
    width: int = PANEL_WIDTH,
) -> alt.LayerChart:
    """Decisions by kind: costly reversals on their own row, shape and colour, named."""
    points = (
        alt.Chart(decisions)
        .mark_point(filled=True, size=140, opacity=0.9)
        .encode(
            x=_x(domain),
            y=alt.Y("kind:N", sort=list(DECISION_KINDS), title=None, axis=_y_axis()),
            shape=alt.Shape(
                "kind:N", scale=_scale(DECISION_SHAPES, DECISION_KINDS), legend=None
            ),
            color=alt.Color(
                "kind:N", scale=_scale(DECISION_COLOURS, DECISION_KINDS), legend=None
            ),
            tooltip=[
                alt.Tooltip("title:N", title="decision"),
                alt.Tooltip("date:T", title="date", format="%Y-%m-%d"),
                alt.Tooltip("kind:N", title="kind"),
                alt.Tooltip("cost:N", title="cost"),
                alt.Tooltip("cost_note:N", title="cost note"),
            ],
        )
    )
    layered = _layer(points, turnover_rules(turnovers, domain=domain))
    rows = max(decisions["kind"].nunique(), 1)
    return layered.resolve_scale(color="independent").properties(
        title="Decisions", width=width, height=24 * rows + 10
    )


def phase_panel(
    phases: pd.DataFrame,
    *,
    domain: tuple[dt.date, dt.date] | None = None,
    width: int = PANEL_WIDTH,
) -> alt.LayerChart:
    """The phase over time: a band per year end, coloured and named."""
    frame = phases.assign(mid=phases["start"] + (phases["end"] - phases["start"]) / 2)
    y = _row(frame, "phase")
    base = alt.Chart(frame)
    band = base.mark_bar(height=22).encode(
        x=_x(domain, field="start"),
        y=y,
        x2="end:T",
        color=alt.Color(
            # The phase is written on the band: no legend needed.
            "phase:N", scale=_scale(PHASE_COLOURS, PHASES), legend=None
        ),
        tooltip=[
            alt.Tooltip("phase:N", title="phase"),
            alt.Tooltip("end:T", title="as of", format="%Y-%m-%d"),
        ],
    )
    text = base.mark_text(fontSize=10, color="#111111").encode(
        x=_x(domain, field="mid"), y=y, text="phase:N"
    )
    return _layer(band, text).properties(title="Phase", width=width, height=26)


def timeline_chart(timeline: Timeline, *, width: int = PANEL_WIDTH) -> alt.VConcatChart:
    """The persistence timeline: phase, each indicator, structural changes and decisions,
    one above the other on a shared time axis, a rule at every turnover in every panel."""
    start = timeline.start or timeline.as_of or dt.date.today()
    end = timeline.as_of or dt.date.today()
    domain = (dt.date(start.year, 1, 1), end)
    panels: list[alt.LayerChart] = []
    if len(timeline.phases):
        panels.append(phase_panel(timeline.phases, domain=domain, width=width))
    for position, (_, values) in enumerate(timeline.values.groupby("indicator", sort=True)):
        panels.append(
            indicator_panel(
                values, timeline.turnovers, domain=domain, labelled=position == 0, width=width
            )
        )
    if not len(timeline.values):
        # No indicator yet: the turnovers still get their labelled rules.
        row = pd.DataFrame({"date": [pd.Timestamp(domain[1])]})
        axis = alt.Chart(row).mark_point(opacity=0).encode(x=_x(domain), y=_row(row, ""))
        rules = turnover_rules(timeline.turnovers, domain=domain, labelled=True)
        panels.append(
            _layer(axis, rules)
            .resolve_scale(color="independent")
            .properties(title="Turnovers", width=width, height=60)
        )
    if len(timeline.spans):
        panels.append(
            change_spans_panel(timeline.spans, timeline.turnovers, domain=domain, width=width)
        )
    if len(timeline.decisions):
        panels.append(
            decisions_panel(timeline.decisions, timeline.turnovers, domain=domain, width=width)
        )
    return alt.vconcat(*panels, spacing=14).resolve_scale(x="shared", color="independent")


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
            "label:N", scale=_scale({words(k): v for k, v in colours.items()}), legend=None
        ),
        tooltip=[alt.Tooltip("label:N", title=category), alt.Tooltip(f"{count}:Q")],
    )
    text = base.mark_text(align="left", dx=3).encode(
        x=f"{count}:Q", y=y, text=f"{count}:Q"
    )
    return _layer(bars, text).properties(
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
    return _layer(band, line).properties(
        title="Survival of structural changes", height=220, width=420, autosize=PLOT_AREA_SIZE
    )
