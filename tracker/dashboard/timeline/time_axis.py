"""The time axis every panel of the persistence timeline shares, and the y axis of one width
that lines the panels up.
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

PANEL_WIDTH = 560


# Every timeline panel's y axis takes exactly this width, so that the time axes line up (in one
# chart, and across the separate full-width panels of the page).
Y_EXTENT = 48


Width = int | str  # pixels, or "container" (the panel fills the page's width)


def shared_y_axis(*, bare: bool = False, labels: bool = True) -> alt.Axis:
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


def one_row_y(frame: pd.DataFrame, label: str) -> alt.Y:
    """A one-row y axis named `label`: gives a panel without a y field the shared axis width."""
    frame["row"] = label
    return alt.Y("row:N", title=None, axis=shared_y_axis(bare=True, labels=False))


def time_x(
    domain: tuple[dt.date, dt.date] | None, *, field: str = "date", axis: bool = True
) -> alt.X:
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
