"""The panels of the persistence timeline, one per kind of record (indicator values, structural
changes, decisions, phases), on one time axis with a rule at every turnover.
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

from tracker.analysis.timeline import Timeline
from tracker.dashboard.chart_style import colour_scale, layer
from tracker.dashboard.labels import (
    DECISION_COLOURS,
    DECISION_KINDS,
    DECISION_SHAPES,
    PHASE_COLOURS,
    STATUS_COLOURS,
    words,
)
from tracker.dashboard.timeline.time_axis import (
    PANEL_WIDTH,
    Width,
    one_row_y,
    shared_y_axis,
    time_x,
)
from tracker.dashboard.timeline.turnover_marks import turnover_rules, turnovers_strip
from tracker.vocab import PHASES


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
            x=time_x(domain),
            y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False), axis=shared_y_axis()),
            tooltip=[
                alt.Tooltip("period:N", title="quarter"),
                alt.Tooltip("value:Q", title=name, format=",.2f"),
            ],
        )
    )
    layered = layer(line, turnover_rules(turnovers, domain=domain, labelled=labelled))
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
    y = alt.Y("title:N", sort=order, title=None, axis=shared_y_axis(bare=True, labels=False))
    bars = base.mark_bar(height=12, yOffset=7).encode(
        x=time_x(domain, field="start"),
        x2="end:T",
        y=y,
        color=alt.Color(
            "status_words:N",
            scale=colour_scale(colours),
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
        x=time_x(domain, field="start"),
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
    layered = layer(bars, text, names, turnover_rules(turnovers, domain=domain))
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
            x=time_x(domain),
            y=alt.Y("kind:N", sort=list(DECISION_KINDS), title=None,
                    axis=shared_y_axis(bare=True, labels=False)),
            shape=alt.Shape(
                "kind:N",
                scale=colour_scale(DECISION_SHAPES, DECISION_KINDS),
                legend=alt.Legend(title=None, orient="bottom", values=kinds),
            ),
            color=alt.Color(
                "kind:N", scale=colour_scale(DECISION_COLOURS, DECISION_KINDS), legend=None
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
    layered = layer(points, turnover_rules(turnovers, domain=domain))
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
    y = one_row_y(frame, "phase")
    base = alt.Chart(frame)
    band = base.mark_bar(height=22).encode(
        x=time_x(domain, field="start"),
        y=y,
        x2="end:T",
        color=alt.Color(
            # The phase is written on the band: no legend needed.
            "phase:N", scale=colour_scale(PHASE_COLOURS, PHASES), legend=None
        ),
        tooltip=[
            alt.Tooltip("phase:N", title="phase"),
            alt.Tooltip("start:T", title="from", format="%Y-%m-%d"),
            alt.Tooltip("end:T", title="to", format="%Y-%m-%d"),
        ],
    )
    text = base.mark_text(fontSize=11, color="#111111").encode(
        x=time_x(domain, field="mid"), y=y, text="phase:N"
    )
    layers: list[alt.Chart | alt.LayerChart] = [band, text]
    if turnovers is not None:
        layers.append(turnover_rules(turnovers, domain=domain))
    return (
        layer(*layers)
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
        axis = alt.Chart(row).mark_point(opacity=0).encode(x=time_x(domain), y=one_row_y(row, ""))
        panels.append(axis.properties(width=width, height=30))
    return panels


def timeline_chart(timeline: Timeline, *, width: int = PANEL_WIDTH) -> alt.VConcatChart:
    """The persistence timeline as one chart: `timeline_panels` stacked on a shared x axis."""
    panels = timeline_panels(timeline, width=width)
    return alt.vconcat(*panels, spacing=14).resolve_scale(
        x="shared", color="independent", shape="independent", strokeDash="independent"
    )
