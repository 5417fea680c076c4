"""A `Dataset`: one typed pandas frame per workbook table.

This is the single shape in which data travels between rooms: the workbook reader produces one
from files, `queries` produces one from the database (scoped to the acting user), the analysis
consumes one, the workbook writer exports one.

Column types (from `workbook.schema`):
- text, key, choice: object dtype holding `str`, or `None` when empty;
- date: `datetime64[ns]`, `NaT` when empty;
- period: `str` such as ``"2024Q3"``;
- bool: pandas nullable ``"boolean"`` (defaults from the schema are already applied);
- number, probability: ``float64``, `NaN` when empty.
`places` also carries one float column per `context:NAME`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

import pandas as pd

from tracker.workbook.schema import TABLE_MAP, TABLE_NAMES, Column, Table

_DTYPES = {
    "date": "datetime64[ns]",
    "bool": "boolean",
    "number": "float64",
    "probability": "float64",
}


def column_dtype(column: Column) -> str:
    return _DTYPES.get(column.type, "object")


def empty_frame(table: Table) -> pd.DataFrame:
    return pd.DataFrame({c.name: pd.Series([], dtype=column_dtype(c)) for c in table.columns})


def typed_frame(table: Table, frame: pd.DataFrame) -> pd.DataFrame:
    """Give `frame` the dtypes of `table` (missing declared columns are added empty).

    Values must already be valid (the reader validates); this only sets the dtypes, so that
    frames built by hand in tests and frames read from the database look the same.
    """
    out = pd.DataFrame(index=pd.RangeIndex(len(frame)))
    source = frame.reset_index(drop=True)
    for column in table.columns:
        values = source[column.name] if column.name in source else pd.Series([None] * len(source))
        if column.type == "date":
            out[column.name] = pd.to_datetime(values).astype("datetime64[ns]")
        elif column.type == "bool":
            out[column.name] = values.astype("boolean")
        elif column.type in ("number", "probability"):
            out[column.name] = pd.to_numeric(values).astype("float64")
        else:
            # Vectorised: missing cells become None (not NaN) without a loop per cell.
            cells = values.to_numpy(dtype=object, copy=True)
            cells[values.isna().to_numpy()] = None
            out[column.name] = pd.Series(cells, dtype=object)
    if table.open_prefix:
        for name in source.columns:
            if str(name).startswith(table.open_prefix):
                out[name] = pd.to_numeric(source[name]).astype("float64")
    return out


@dataclass
class Dataset(Mapping[str, pd.DataFrame]):
    """One frame per table name of the workbook format; absent tables are empty frames."""

    frames: dict[str, pd.DataFrame] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in self.frames:
            if name not in TABLE_MAP:
                raise KeyError(f"unknown table {name!r}")
        for name in TABLE_NAMES:
            if name not in self.frames:
                self.frames[name] = empty_frame(TABLE_MAP[name])

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.frames[name]

    def __iter__(self) -> Iterator[str]:
        return iter(TABLE_NAMES)

    def __len__(self) -> int:
        return len(TABLE_NAMES)

    @classmethod
    def from_frames(cls, frames: Mapping[str, pd.DataFrame]) -> Dataset:
        """Build a data set from loosely typed frames (e.g. written by hand in a test)."""
        return cls({name: typed_frame(TABLE_MAP[name], frame) for name, frame in frames.items()})

    def row_count(self) -> int:
        return sum(len(frame) for frame in self.frames.values())

    def institutions_only(self, keys: Iterable[str]) -> Dataset:
        """The rows that belong to the given institutions (and the shared indicator table)."""
        wanted = set(keys)
        out: dict[str, pd.DataFrame] = {}
        institutions = self.frames["institutions"]
        kept_institutions = institutions[institutions["key"].isin(wanted)]
        out["institutions"] = kept_institutions.reset_index(drop=True)
        places = self.frames["places"]
        out["places"] = places[places["key"].isin(set(kept_institutions["place"].dropna()))]
        out["indicators"] = self.frames["indicators"]
        changes = self.frames["changes"]
        kept_changes = changes[changes["institution"].isin(wanted)]
        out["changes"] = kept_changes
        status = self.frames["change_status"]
        out["change_status"] = status[status["change"].isin(set(kept_changes["key"]))]
        for name in TABLE_NAMES:
            if name not in out:
                frame = self.frames[name]
                out[name] = frame[frame["institution"].isin(wanted)]
        return Dataset({k: v.reset_index(drop=True) for k, v in out.items()})
