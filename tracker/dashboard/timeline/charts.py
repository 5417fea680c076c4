"""Chart specifications: plain functions from tidy frames to Altair charts (no Streamlit).

Each chart tells its categories by words as well as colour (axis labels, text marks, legends
with words, dash patterns), so that nothing is read from colour alone. Every time panel of the
persistence timeline shares one time axis and carries a rule at every turnover.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt
import pandas as pd

from tracker.analysis.timeline import Timeline
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
from tracker.vocab import CHANGE_VERDICTS, PHASES

PANEL_WIDTH = 560
# Every timeline panel's y axis takes exactly this width, so that the time axes line up (in one
# chart, and across the separate full-width panels of the page).
Y_EXTENT = 48
# Width and height size the plotting area, axes and titles come on top. (Streamlit's default
# for a single chart, "fit", squeezes the plot to make room for them: bars vanish.)
PLOT_AREA_SIZE = alt.AutoSizeParams(type="pad")
TURNOVER_LEGEND = {"leadership": "leadership change", "partner_withdrawal": "partner withdrawal"}
# Each turnover kind has its own dash and its own marker shape: never told by colour alone.
TURNOVER_DASHES = {"leadership": [6, 3], "partner_withdrawal": [2, 2]}
TURNOVER_SHAPES = {"leadership": "triangle-down", "partner_withdrawal": "diamond"}
TURNOVER_SYMBOLS = {"leadership": "▼", "partner_withdrawal": "◆"}
# Two turnovers closer than this share of the time axis go on separate lanes of the top strip.
LANE_GAP = 0.05

Width = int | str  # pixels, or "container" (the panel fills the page's width)


def _layer(*charts: alt.Chart | alt.LayerChart) -> alt.LayerChart:
    return alt.LayerChart(layer=list(charts))


def _scale(colours: Mapping[str, Any], names: Sequence[str] | None = None) -> alt.Scale:
    keys = list(names or colours)
    return alt.Scale(domain=keys, range=[colours[key] for key in keys])


def _y_axis(*, bare: bool = False, labels: bool = True) -> alt.Axis:
    """The shared y-axis width; `bare` leaves out the axis line and ticks (a one-row axis)."""
    return alt.Axis(
        minExtent=Y_EXTENT,
        maxExtent=Y_EXTENT,
        labelLimit=Y_EXTENT - 6,
        labels=labels,
        ticks=not bare,
        domain=not bare,
        title=None,
    )


def _row(frame: pd.DataFrame, label: str) -> alt.Y:
    """A one-row y axis named `label`: gives a panel without a y field the shared axis width."""
    frame["row"] = label
    return alt.Y("row:N", title=None, axis=_y_axis(bare=True, labels=False))


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
        axis=alt.Axis(
            format="%Y",
            labelAngle=0,
            labelOverlap=True,
            tickCount={"interval": "year", "step": 1},
        )
        if axis
        else None,
    )


def turnover_frame(
    turnovers: pd.DataFrame, domain: tuple[dt.date, dt.date] | None = None
) -> pd.DataFrame:
    """The turnovers in date order, numbered from 1, with their kind in words and a lane.

    Lanes keep the numbers at the top apart: a turnover closer than `LANE_GAP` of the axis to
    the previous one on a lane goes to the next lane.
    """
    ordered = turnovers.sort_values("date", kind="stable").reset_index(drop=True)
    span = 1.0
    if domain is not None:
        span = max((pd.Timestamp(domain[1]) - pd.Timestamp(domain[0])).days, 1)
    lanes: list[pd.Timestamp] = []
    chosen = []
    for date in ordered["date"]:
        for lane, last in enumerate(lanes):
            if (pd.Timestamp(date) - last).days / span >= LANE_GAP:
                lanes[lane] = pd.Timestamp(date)
                chosen.append(lane)
                break
        else:
            lanes.append(pd.Timestamp(date))
            chosen.append(len(lanes) - 1)
    return ordered.assign(
        kind_words=ordered["kind"].map(TURNOVER_LEGEND),
        number=[str(n) for n in range(1, len(ordered) + 1)],
        lane=chosen,
        symbol=ordered["kind"].map(TURNOVER_SYMBOLS),
    )


def turnover_key(turnovers: pd.DataFrame) -> list[str]:
    """One line per turnover for the key under the top strip: "1 ▼ chief executive changed,
    2018-03-31 (leadership change)"."""
    frame = turnover_frame(turnovers)
    return [
        f"{row.number} {row.symbol} {row.label}, {str(row.date)[:10]} ({row.kind_words})"
        for row in frame.itertuples(index=False)
    ]


def _kind_dash(*, legend: bool) -> alt.StrokeDash:
    return alt.StrokeDash(
        "kind_words:N",
        scale=_scale({TURNOVER_LEGEND[k]: v for k, v in TURNOVER_DASHES.items()}),
        legend=alt.Legend(title="Turnover", orient="top") if legend else None,
    )


def _kind_colour(*, legend: bool) -> alt.Color:
    return alt.Color(
        "kind_words:N",
        scale=_scale({TURNOVER_LEGEND[k]: v for k, v in TURNOVER_COLOURS.items()}),
        legend=alt.Legend(title="Turnover", orient="top") if legend else None,
    )


def turnover_rules(
    turnovers: pd.DataFrame,
    *,
    domain: tuple[dt.date, dt.date] | None = None,
    labelled: bool = False,
) -> alt.LayerChart:
    """A vertical rule at each turnover, dashed by kind (and coloured); `labelled` adds the
    legend of the kinds (the numbered labels are drawn once, by `turnovers_strip`)."""
    frame = turnover_frame(turnovers, domain)
    rule = (
        alt.Chart(frame)
        .mark_rule(strokeWidth=2)
        .encode(
            x=_x(domain),
            strokeDash=_kind_dash(legend=labelled),
            color=_kind_colour(legend=labelled),
            tooltip=[
                alt.Tooltip("number:N", title="turnover"),
                alt.Tooltip("label:N", title="what"),
                alt.Tooltip("date:T", title="date", format="%Y-%m-%d"),
            ],
        )
    )
    return _layer(rule)


def turnovers_strip(
    turnovers: pd.DataFrame,
    *,
    domain: tuple[dt.date, dt.date] | None = None,
    width: Width = PANEL_WIDTH,
) -> alt.LayerChart:
    """The top of the timeline: each turnover once, as its kind's marker and its number (in
    lanes, never overlapping), with the legend of kinds; the key below it names each one."""
    frame = turnover_frame(turnovers, domain)
    lanes = int(frame["lane"].max()) + 1 if len(frame) else 1
    y = alt.Y("lane:O", title=None, axis=_y_axis(bare=True, labels=False))
    base = alt.Chart(frame)
    markers = base.mark_point(filled=True, size=110, opacity=1).encode(
        x=_x(domain, axis=False),
        y=y,
        shape=alt.Shape(
            "kind_words:N",
            scale=_scale({TURNOVER_LEGEND[k]: v for k, v in TURNOVER_SHAPES.items()}),
            legend=alt.Legend(title=None, orient="bottom", direction="horizontal"),
        ),
        color=_kind_colour(legend=False),
        tooltip=[
            alt.Tooltip("number:N", title="turnover"),
            alt.Tooltip("label:N", title="what"),
            alt.Tooltip("date:T", title="date", format="%Y-%m-%d"),
        ],
    )
    numbers = base.mark_text(align="left", dx=8, fontSize=12, fontWeight="bold").encode(
        x=_x(domain, axis=False), y=y, text="number:N"
    )
    rules = turnover_rules(turnovers, domain=domain)
    return (
        _layer(rules, markers, numbers)
        .resolve_scale(color="shared")
        .properties(
            title=alt.TitleParams("Turnovers", anchor="start"), width=width, height=20 * lanes
        )
    )


def indicator_panel(
    values: pd.DataFrame,
    turnovers: pd.DataFrame,
    *,
    domain: tuple[dt.date, dt.date] | None = None,
    labelled: bool = False,
    width: Width = PANEL_WIDTH,
) -> alt.LayerChart:
    """One indicator's quarterly series with the turnover rules over it."""
    name = str(values["name"].iloc[0]) if len(values) else "indicator"
    unit = str(values["unit"].iloc[0]) if len(values) else ""
    line = (
        alt.Chart(values)
        .mark_line(point=alt.OverlayMarkDef(color="#333333", size=18), color="#333333")
        .encode(
            x=_x(domain),
            y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False), axis=_y_axis()),
            tooltip=[
                alt.Tooltip("period:N", title="quarter"),
                alt.Tooltip("value:Q", title=name, format=",.2f"),
            ],
        )
    )
    layered = _layer(line, turnover_rules(turnovers, domain=domain, labelled=labelled))
    return layered.resolve_scale(color="independent").properties(
        title=alt.TitleParams(name, subtitle=unit or alt.Undefined, anchor="start"),
        width=width,
        height=110,
    )


def change_spans_panel(
    spans: pd.DataFrame,
    turnovers: pd.DataFrame,
    *,
    domain: tuple[dt.date, dt.date] | None = None,
    width: Width = PANEL_WIDTH,
) -> alt.LayerChart:
    """Each structural change as stretches of its status, from adoption to reversal or as-of;
    the change's name written in full above its bar (no axis label to cut it short)."""
    frame = spans.assign(status_words=spans["status"].map(words))
    order = list(dict.fromkeys(frame.sort_values("start")["title"]))
    colours = {words(k): v for k, v in STATUS_COLOURS.items()}
    base = alt.Chart(frame)
    y = alt.Y("title:N", sort=order, title=None, axis=_y_axis(bare=True, labels=False))
    bars = base.mark_bar(height=12, yOffset=7).encode(
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
    text = base.mark_text(align="left", dx=3, yOffset=7, fontSize=9).encode(
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
    names = (
        alt.Chart(frame.drop_duplicates("title"))
        .mark_text(align="left", baseline="bottom", yOffset=-1, fontSize=11, color="#1d1d1f")
        .encode(x=alt.value(0), y=y, text="title:N")
    )
    layered = _layer(bars, text, names, turnover_rules(turnovers, domain=domain))
    return layered.resolve_scale(color="independent").properties(
        title=alt.TitleParams("Structural changes", anchor="start"),
        width=width,
        height=max(36 * len(order), 40),
    )


def decisions_panel(
    decisions: pd.DataFrame,
    turnovers: pd.DataFrame,
    *,
    domain: tuple[dt.date, dt.date] | None = None,
    width: Width = PANEL_WIDTH,
) -> alt.LayerChart:
    """Decisions by kind: costly reversals on their own row, shape and colour, named in the
    legend (words beside each shape)."""
    kinds = [k for k in DECISION_KINDS if k in set(decisions["kind"])]
    points = (
        alt.Chart(decisions)
        .mark_point(filled=True, size=140, opacity=0.9)
        .encode(
            x=_x(domain),
            y=alt.Y("kind:N", sort=list(DECISION_KINDS), title=None,
                    axis=_y_axis(bare=True, labels=False)),
            shape=alt.Shape(
                "kind:N",
                scale=_scale(DECISION_SHAPES, DECISION_KINDS),
                legend=alt.Legend(title=None, orient="bottom", values=kinds),
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
        title=alt.TitleParams("Decisions", anchor="start"), width=width, height=24 * rows + 10
    )


def phase_runs(phases: pd.DataFrame) -> pd.DataFrame:
    """Consecutive bands of the same phase merged into one run (one word per run)."""
    if phases.empty:
        return phases.assign(run=pd.Series(dtype="int64"))
    ordered = phases.sort_values("start").reset_index(drop=True)
    run = (ordered["phase"] != ordered["phase"].shift()).cumsum()
    return (
        ordered.assign(run=run)
        .groupby("run", as_index=False)
        .agg(phase=("phase", "first"), start=("start", "min"), end=("end", "max"))
    )


def phase_panel(
    phases: pd.DataFrame,
    turnovers: pd.DataFrame | None = None,
    *,
    domain: tuple[dt.date, dt.date] | None = None,
    width: Width = PANEL_WIDTH,
) -> alt.LayerChart:
    """The phase over time: one band per run of the same phase, coloured and named once."""
    runs = phase_runs(phases)
    frame = runs.assign(mid=runs["start"] + (runs["end"] - runs["start"]) / 2)
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
            alt.Tooltip("start:T", title="from", format="%Y-%m-%d"),
            alt.Tooltip("end:T", title="to", format="%Y-%m-%d"),
        ],
    )
    text = base.mark_text(fontSize=11, color="#111111").encode(
        x=_x(domain, field="mid"), y=y, text="phase:N"
    )
    layers: list[alt.Chart | alt.LayerChart] = [band, text]
    if turnovers is not None:
        layers.append(turnover_rules(turnovers, domain=domain))
    return (
        _layer(*layers)
        .resolve_scale(color="independent")
        .properties(title=alt.TitleParams("Phase", anchor="start"), width=width, height=26)
    )


def timeline_domain(timeline: Timeline) -> tuple[dt.date, dt.date]:
    """The one time axis every panel shares: from the first year drawn to the as-of date."""
    start = timeline.start or timeline.as_of or dt.date.today()
    end = timeline.as_of or dt.date.today()
    return dt.date(start.year, 1, 1), end


def timeline_panels(timeline: Timeline, *, width: Width = "container") -> list[alt.LayerChart]:
    """The persistence timeline as panels on one time axis (same domain, same y-axis width):
    the turnovers once at the top, the phase, each indicator, structural changes, decisions.
    Every panel carries a rule at every turnover, dashed by kind."""
    domain = timeline_domain(timeline)
    panels: list[alt.LayerChart] = []
    if len(timeline.turnovers):
        panels.append(turnovers_strip(timeline.turnovers, domain=domain, width=width))
    if len(timeline.phases):
        panels.append(
            phase_panel(timeline.phases, timeline.turnovers, domain=domain, width=width)
        )
    for _, values in timeline.values.groupby("indicator", sort=True):
        panels.append(indicator_panel(values, timeline.turnovers, domain=domain, width=width))
    if len(timeline.spans):
        panels.append(
            change_spans_panel(timeline.spans, timeline.turnovers, domain=domain, width=width)
        )
    if len(timeline.decisions):
        panels.append(
            decisions_panel(timeline.decisions, timeline.turnovers, domain=domain, width=width)
        )
    if not panels:
        row = pd.DataFrame({"date": [pd.Timestamp(domain[1])]})
        axis = alt.Chart(row).mark_point(opacity=0).encode(x=_x(domain), y=_row(row, ""))
        panels.append(axis.properties(width=width, height=30))
    return panels


def timeline_chart(timeline: Timeline, *, width: int = PANEL_WIDTH) -> alt.VConcatChart:
    """The persistence timeline as one chart: `timeline_panels` stacked on a shared x axis."""
    panels = timeline_panels(timeline, width=width)
    return alt.vconcat(*panels, spacing=14).resolve_scale(
        x="shared", color="independent", shape="independent", strokeDash="independent"
    )


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


def bayes_steps_chart(steps: pd.DataFrame) -> alt.LayerChart:
    """Confidence in each claim from its prior through each evidence item (Bayes' rule).

    `steps` has claim, step (0 is the prior), label (the evidence key, or "prior") and
    confidence; each step is named on the axis by its evidence item, each claim has its own
    dash as well as colour.
    """
    frame = steps.assign(
        claim_words="claim " + steps["claim"].astype(str),
        position=steps["step"].astype(str) + ". " + steps["label"].astype(str),
    )
    order = list(dict.fromkeys(frame.sort_values("step")["position"]))
    base = alt.Chart(frame).encode(
        x=alt.X(
            "position:N",
            sort=order,
            title="prior, then each evidence item in date order",
            axis=alt.Axis(labelAngle=-30, labelLimit=140),
        ),
        y=alt.Y("confidence:Q", title="confidence", scale=alt.Scale(domain=[0, 1])),
    )
    line = base.mark_line(point=alt.OverlayMarkDef(size=50)).encode(
        color=alt.Color("claim_words:N", title="claim", legend=alt.Legend(orient="top")),
        strokeDash=alt.StrokeDash("claim_words:N", title="claim"),
        tooltip=[
            alt.Tooltip("claim_words:N", title="claim"),
            alt.Tooltip("label:N", title="evidence"),
            alt.Tooltip("confidence:Q", title="confidence", format=".3f"),
        ],
    )
    values = base.mark_text(dy=-10, fontSize=10).encode(text=alt.Text("confidence:Q", format=".2f"))
    return _layer(line, values).properties(
        width="container",
        height=170,
        autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
    )
