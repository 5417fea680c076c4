"""The story's chart of confidence in each contribution claim, from its prior through each
evidence item (Bayes' rule).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from tracker.dashboard.chart_style import layer


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
    return layer(line, values).properties(
        width="container",
        height=170,
        autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
    )
