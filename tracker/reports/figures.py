"""Figures for the report files: Vega-Lite specs drawn to SVG or PNG by vl-convert.

vl-convert-python is a self-contained wheel (Vega, Vega-Lite and a renderer inside): nothing to
install on the system. Text is set in DejaVu Sans, shipped in `tracker/reports/fonts/` and
registered with vl-convert, so that a machine with no fonts at all draws the same image.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path
from typing import Any

import pandas as pd

from tracker.reports.model import Figure

FONTS = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu Sans"
REGULAR_FONT = FONTS / "DejaVuSans.ttf"
BOLD_FONT = FONTS / "DejaVuSans-Bold.ttf"

# One dash and one shape per turnover kind, so that kinds never differ by colour alone.
TURNOVER_DASHES = {"leadership": [6, 3], "partner_withdrawal": [2, 2]}
TURNOVER_SHAPES = {"leadership": "triangle-down", "partner_withdrawal": "diamond"}
TURNOVER_WORDS = {"leadership": "leadership change", "partner_withdrawal": "partner withdrawal"}
TURNOVER_INK = {"leadership": "#CC79A7", "partner_withdrawal": "#E69F00"}


@functools.cache
def _converter() -> Any:
    import vl_convert

    vl_convert.register_font_directory(str(FONTS))
    return vl_convert


def _with_font(spec: dict[str, Any]) -> str:
    config = {"font": FONT, **spec.get("config", {})}
    return json.dumps({**spec, "config": config}, default=str)


def figure_svg(figure: Figure) -> str:
    """The figure as an SVG document (text as paths-free SVG text, in DejaVu Sans)."""
    return str(_converter().vegalite_to_svg(_with_font(figure.spec)))


def figure_png(figure: Figure, *, scale: float = 2.0) -> bytes:
    """The figure as a PNG image (`scale` 2: sharp when printed at its natural size).

    Drawn once per spec: the Word and the PDF file of the same report share the images."""
    return _png(_with_font(figure.spec), scale)


@functools.lru_cache(maxsize=64)
def _png(spec: str, scale: float) -> bytes:
    return bytes(_converter().vegalite_to_png(spec, scale=scale))


def _iso(value: Any) -> str:
    return pd.Timestamp(value).date().isoformat()


def indicator_spec(
    name: str,
    unit: str,
    values: pd.DataFrame,
    turnovers: pd.DataFrame,
    *,
    domain: tuple[dt.date, dt.date] | None = None,
    width: int = 460,
) -> dict[str, Any]:
    """One indicator's quarterly values with a rule at every turnover, dashed by kind.

    `values` has columns date, period, value; `turnovers` kind, date, label
    (`timeline_data.Timeline` frames).
    """
    points = [
        {"date": _iso(row.date), "period": str(row.period), "value": float(str(row.value))}
        for row in values.itertuples(index=False)
        if pd.notna(row.value)
    ]
    rules = [
        {
            "date": _iso(row.date),
            "label": str(row.label),
            "kind": TURNOVER_WORDS.get(str(row.kind), str(row.kind)),
        }
        for row in turnovers.itertuples(index=False)
    ]
    kinds = [TURNOVER_WORDS[k] for k in TURNOVER_WORDS]
    scale: dict[str, Any] = {}
    if domain is not None:
        scale = {"domain": [domain[0].isoformat(), domain[1].isoformat()]}
    x = {"field": "date", "type": "temporal", "title": None, "scale": scale,
         "axis": {"format": "%Y", "labelAngle": 0}}
    layers: list[dict[str, Any]] = [
        {
            "data": {"values": points},
            "mark": {"type": "line", "point": True, "color": "#333333"},
            "encoding": {
                "x": x,
                "y": {"field": "value", "type": "quantitative", "title": unit or None,
                      "scale": {"zero": False}},
            },
        }
    ]
    if rules:
        layers.append(
            {
                "data": {"values": rules},
                "mark": {"type": "rule", "strokeWidth": 2},
                "encoding": {
                    "x": x,
                    "strokeDash": {
                        "field": "kind", "type": "nominal", "title": "turnover",
                        "scale": {"domain": kinds,
                                  "range": [TURNOVER_DASHES[k] for k in TURNOVER_WORDS]},
                        "legend": {"orient": "top"},
                    },
                    "color": {
                        "field": "kind", "type": "nominal", "title": "turnover",
                        "scale": {"domain": kinds,
                                  "range": [TURNOVER_INK[k] for k in TURNOVER_WORDS]},
                        "legend": {"orient": "top"},
                    },
                },
            }
        )
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": {"text": name, "subtitle": unit or "", "anchor": "start"},
        "width": width,
        "height": 150,
        "layer": layers,
    }
