"""Write a `Dataset` as a folder of workbook CSV files, fast enough for ten million values.

The cells are spelled as `workbook.cells` spells them (ISO dates, `true`/`false`, numbers in
their shortest form, empty cells for missing values). `workbook.write.write_workbook` writes the
same cells but also sorts every table and formats each number on its own, which takes about a
minute at national scale; here each column is turned into text in one vectorised step (each
distinct number formatted once) and pandas' CSV writer quotes what needs quoting.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from tracker.dataset import Dataset
from tracker.workbook.cells import number_text
from tracker.workbook.schema import TABLE_MAP, Column


def cell_texts(column: Column, values: pd.Series) -> pd.Series:
    """The cells of one typed column as the workbook format spells them ("" when empty)."""
    if column.type == "date":
        days = values.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
        text = np.datetime_as_string(days, unit="D").astype(object)
        text[np.isnat(days)] = ""
        return pd.Series(text, index=values.index, dtype=object)
    if column.type == "bool":
        flags = values.astype("boolean")
        text = np.where(flags.fillna(False).to_numpy(dtype=bool), "true", "false").astype(object)
        text[flags.isna().to_numpy()] = ""
        return pd.Series(text, index=values.index, dtype=object)
    if column.type in ("number", "probability"):
        return number_texts(values)
    return values.astype(object).where(values.notna(), "")


def number_texts(values: pd.Series) -> pd.Series:
    """Numbers as the format spells them (`cells.number_text`: `13.3`, `12`), "" when missing."""
    numbers = values.to_numpy(dtype=np.float64)
    # Formatting each distinct number once: indicator values repeat a great deal.
    uniques, codes = np.unique(numbers, return_inverse=True)
    texts = np.array([number_text(float(u)) for u in uniques], dtype=object)
    out = texts[codes.reshape(-1)]
    out[np.isnan(numbers)] = ""
    return pd.Series(out, index=values.index, dtype=object)


def table_texts(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """A table of the data set as text cells, declared columns first, then `context:` ones."""
    table = TABLE_MAP[name]
    texts = {c.name: cell_texts(c, frame[c.name]) for c in table.columns if c.name in frame}
    if table.open_prefix:
        for extra in frame.columns:
            if str(extra).startswith(table.open_prefix):
                texts[extra] = number_texts(frame[extra])
    return pd.DataFrame(texts)


def write_csv_workbook(dataset: Dataset, folder: Path) -> None:
    """Write every non-empty table of `dataset` to `folder` (created if missing)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in dataset:
        frame = dataset[name]
        if len(frame) == 0:
            continue
        table_texts(name, frame).to_csv(
            folder / TABLE_MAP[name].filename, index=False, lineterminator="\n"
        )
