"""The turnovers on the persistence timeline: a rule at each one on every panel, and the strip
above the panels that names them (each kind by its dash and marker as well as its colour).
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

from tracker.dashboard.chart_style import colour_scale, layer
from tracker.dashboard.labels import (
    TURNOVER_COLOURS,
)
from tracker.dashboard.timeline.time_axis import PANEL_WIDTH, Width, shared_y_axis, time_x

TURNOVER_LEGEND = {"leadership": "leadership change", "partner_withdrawal": "partner withdrawal"}


# Each turnover kind has its own dash and its own marker shape: never told by colour alone.
TURNOVER_DASHES = {"leadership": [6, 3], "partner_withdrawal": [2, 2]}


TURNOVER_SHAPES = {"leadership": "triangle-down", "partner_withdrawal": "diamond"}


TURNOVER_SYMBOLS = {"leadership": "▼", "partner_withdrawal": "◆"}


# Two turnovers closer than this share of the time axis go on separate lanes of the top strip.
LANE_GAP = 0.05


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


def kind_dash(*, legend: bool) -> alt.StrokeDash:
    return alt.StrokeDash(
        "kind_words:N",
        scale=colour_scale({TURNOVER_LEGEND[k]: v for k, v in TURNOVER_DASHES.items()}),
        legend=alt.Legend(title="Turnover", orient="top") if legend else None,
    )


def kind_colour(*, legend: bool) -> alt.Color:
    return alt.Color(
        "kind_words:N",
        scale=colour_scale({TURNOVER_LEGEND[k]: v for k, v in TURNOVER_COLOURS.items()}),
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
            x=time_x(domain),
            strokeDash=kind_dash(legend=labelled),
            color=kind_colour(legend=labelled),
            tooltip=[
                alt.Tooltip("number:N", title="turnover"),
                alt.Tooltip("label:N", title="what"),
                alt.Tooltip("date:T", title="date", format="%Y-%m-%d"),
            ],
        )
    )
    return layer(rule)


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
    y = alt.Y("lane:O", title=None, axis=shared_y_axis(bare=True, labels=False))
    base = alt.Chart(frame)
    markers = base.mark_point(filled=True, size=110, opacity=1).encode(
        x=time_x(domain, axis=False),
        y=y,
        shape=alt.Shape(
            "kind_words:N",
            scale=colour_scale({TURNOVER_LEGEND[k]: v for k, v in TURNOVER_SHAPES.items()}),
            legend=alt.Legend(title=None, orient="bottom", direction="horizontal"),
        ),
        color=kind_colour(legend=False),
        tooltip=[
            alt.Tooltip("number:N", title="turnover"),
            alt.Tooltip("label:N", title="what"),
            alt.Tooltip("date:T", title="date", format="%Y-%m-%d"),
        ],
    )
    numbers = base.mark_text(align="left", dx=8, fontSize=12, fontWeight="bold").encode(
        x=time_x(domain, axis=False), y=y, text="number:N"
    )
    rules = turnover_rules(turnovers, domain=domain)
    return (
        layer(rules, markers, numbers)
        .resolve_scale(color="shared")
        .properties(
            title=alt.TitleParams("Turnovers", anchor="start"), width=width, height=20 * lanes
        )
    )
