"""Reading a Vega-Lite spec back in tests: which marks draw which data.

Works on `chart.to_dict()` (datasets inlined as records) and on the spec Streamlit sends to the
browser (datasets moved out as Arrow tables): pass the datasets as frames by name.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from typing import Any

import pandas as pd
import pyarrow as pa


def _mark(node: Mapping[str, Any]) -> str | None:
    mark = node.get("mark")
    if isinstance(mark, str):
        return mark
    if isinstance(mark, Mapping):
        return mark.get("type")
    return None


def marks(
    node: Mapping[str, Any], data: Mapping[str, Any] | None = None
) -> Iterator[tuple[str, Mapping[str, Any], Mapping[str, Any] | None]]:
    """Every unit view under `node`: (mark type, the view, the data it draws, inherited)."""
    own = node.get("data", data)
    mark = _mark(node)
    if mark is not None:
        yield mark, node, own
    for key in ("layer", "vconcat", "hconcat", "concat"):
        for child in node.get(key, []):
            yield from marks(child, own)
    if "spec" in node:
        yield from marks(node["spec"], own)


def frames_of_dict(spec: Mapping[str, Any]) -> dict[str, pd.DataFrame]:
    return {name: pd.DataFrame(rows) for name, rows in spec.get("datasets", {}).items()}


def frames_of_proto(proto: Any) -> dict[str, pd.DataFrame]:
    """The named datasets of the chart proto Streamlit sends (Arrow IPC bytes), as frames."""
    out = {}
    for dataset in proto.datasets:
        table = pa.ipc.open_stream(dataset.data.data).read_all()
        out[dataset.name] = table.to_pandas()
    return out


def spec_of_proto(proto: Any) -> dict[str, Any]:
    return json.loads(proto.spec)


def dates_drawn(
    spec: Mapping[str, Any], frames: Mapping[str, pd.DataFrame], mark: str, field: str
) -> list[set[dt.date]]:
    """For each view drawing `mark`, the set of dates in `field` of the data it draws."""
    out = []
    for kind, _view, data in marks(spec):
        if kind != mark or data is None or "name" not in data:
            continue
        frame = frames[data["name"]]
        # An empty dataset travels as [] and so has no columns at all.
        drawn = frame[field] if field in frame else pd.Series([], dtype="datetime64[ns]")
        out.append(set(pd.to_datetime(drawn).dt.date))
    return out
