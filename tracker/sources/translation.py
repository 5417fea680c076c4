"""What a mapping makes of a source's records: workbook tables of text cells, with each row's
origin (the record, its lasting source id and version), what was skipped, and every problem."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from tracker.sources.records import record_problem
from tracker.workbook.problems import Problem
from tracker.workbook.schema import TABLE_MAP

# `_previous`: the version an edit replaces, where the tool says so (ODK and Kobo
# `meta/deprecatedID`); "" otherwise.
ORIGIN_COLUMNS = ("_record", "_source_id", "_version", "_previous")


@dataclass
class Translation:
    """`tables`: workbook table → its rows as text cells (the workbook's column names);
    `origins`: the same tables' rows' `_record`, `_source_id` and `_version`, row by row;
    `skipped`: why records were skipped (e.g. ``state rejected``) → how many."""

    file: str
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    origins: dict[str, pd.DataFrame] = field(default_factory=dict)
    skipped: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    records: int = 0

    def add(self, table: str, rows: pd.DataFrame) -> None:
        """Add rows of a table (workbook columns plus the origin columns)."""
        if len(rows) == 0:
            return
        columns = [c for c in rows.columns if c not in ORIGIN_COLUMNS]
        cells = rows[columns].astype(object).fillna("").astype(str).reset_index(drop=True)
        origin = rows.reindex(columns=list(ORIGIN_COLUMNS)).fillna("").astype(str)
        origin = origin.reset_index(drop=True)
        if table in self.tables:
            cells = pd.concat([self.tables[table], cells], ignore_index=True)
            origin = pd.concat([self.origins[table], origin], ignore_index=True)
        self.tables[table] = cells
        self.origins[table] = origin

    def rows(self) -> int:
        return sum(len(t) for t in self.tables.values())

    def check_duplicates(self) -> None:
        """Two records giving the same row (e.g. two submissions of one institution's quarter
        for the same indicator): a problem naming both, since neither can win silently."""
        for name, frame in self.tables.items():
            identity = list(TABLE_MAP[name].identity)
            twice = frame.duplicated(identity, keep=False)
            if not twice.any():
                continue
            records = self.origins[name]["_record"]
            for _, group in frame[twice].groupby(identity, sort=False):
                first, *others = [records[i] for i in group.index]
                key = "|".join(group.iloc[0][c] for c in identity)
                for other in others:
                    self.problems.append(record_problem(
                        self.file, other, None,
                        f"gives {name} {key} again (also given by {first}): keep one of them "
                        "in the source, or skip one by its review state",
                    ))


def skip_counts(values: pd.Series, prefix: str) -> Counter[str]:
    return Counter({f"{prefix} {k}": int(v) for k, v in values.value_counts().items()})


def lookup(mapping: Mapping[str, str], values: pd.Series) -> pd.Series:
    return values.map(lambda v: mapping.get(v))
