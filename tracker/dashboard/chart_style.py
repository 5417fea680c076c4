"""Altair helpers every chart of the dashboard shares: layers, a colour scale from a mapping,
and the sizing that gives the plotting area its width and height.

Chart specifications are plain functions from tidy frames to Altair charts (no Streamlit). Each
chart tells its categories by words as well as colour (axis labels, text marks, legends with
words, dash patterns), so that nothing is read from colour alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt

# Width and height size the plotting area, axes and titles come on top. (Streamlit's default
# for a single chart, "fit", squeezes the plot to make room for them: bars vanish.)
PLOT_AREA_SIZE = alt.AutoSizeParams(type="pad")


def layer(*charts: alt.Chart | alt.LayerChart) -> alt.LayerChart:
    return alt.LayerChart(layer=list(charts))


def colour_scale(colours: Mapping[str, Any], names: Sequence[str] | None = None) -> alt.Scale:
    keys = list(names or colours)
    return alt.Scale(domain=keys, range=[colours[key] for key in keys])
