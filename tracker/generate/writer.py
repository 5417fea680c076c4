"""Write a `Dataset` as a folder of workbook CSV files, fast enough for ten million values.

The cells are spelled as `workbook.cells` spells them (ISO dates, `true`/`false`, numbers in
their shortest form, empty cells for missing values) and quoted as the `csv` module quotes them
(only a cell holding a comma, a quote or a line break, with inner quotes doubled).
`workbook.write.write_workbook` writes the same cells but sorts every table and formats each
value on its own, which takes about a minute at national scale. Here:

1. each column is reduced to its distinct cells and one code per row (`pd.factorize`), so a
   date, a number or a key is spelled once however often it occurs;
2. the distinct cells become a fixed-width byte array, and the rows of a chunk are laid side
   by side in one byte matrix, separators included, by numpy indexing;
3. the padding bytes (NUL, which no workbook cell may hold) are removed from the matrix's bytes
   in one pass, and the chunk is written.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from tracker.dataset import Dataset
from tracker.workbook.cells import number_text
from tracker.workbook.schema import TABLE_MAP, Column

CHUNK_ROWS = 500_000
_NEEDS_QUOTES = (",", '"', "\n", "\r")

Cells = tuple[np.ndarray, list[str]]  # a code per row, and the text of each code


def quoted(text: str) -> str:
    """A cell as the `csv` module writes it with minimal quoting."""
    if any(mark in text for mark in _NEEDS_QUOTES):
        return '"' + text.replace('"', '""') + '"'
    return text


def _distinct(values: pd.Series | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # Missing values get the code -1; they are moved to an empty cell at the end.
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes, np.asarray(uniques)


def _with_empty(codes: np.ndarray, texts: list[str]) -> Cells:
    """Codes where -1 (missing) points at an added empty cell."""
    return np.where(codes < 0, len(texts), codes), [*texts, ""]


def column_cells(column: Column | None, values: pd.Series) -> Cells:
    """One typed column as codes and the distinct cells' text (`None` column: a number)."""
    kind = "number" if column is None else column.type
    if kind == "date":
        codes, uniques = _distinct(values.to_numpy(dtype="datetime64[ns]"))
        days = uniques.astype("datetime64[D]")
        return _with_empty(codes, list(np.datetime_as_string(days, unit="D")))
    if kind == "bool":
        flags = values.astype("boolean")
        codes = np.where(flags.isna(), 2, np.where(flags.fillna(False), 1, 0))
        return codes.astype(np.int64), ["false", "true", ""]
    if kind in ("number", "probability"):
        codes, uniques = _distinct(values.to_numpy(dtype=np.float64))
        return _with_empty(codes, [number_text(float(u)) for u in uniques])
    codes, uniques = _distinct(values.astype(object))
    return _with_empty(codes, [quoted(str(u)) for u in uniques])


def _fixed_width(texts: list[str]) -> np.ndarray:
    encoded = [text.encode("utf-8") for text in texts]
    width = max(1, *(len(item) for item in encoded))
    return np.array(encoded, dtype=f"S{width}")


def write_table(path: Path, header: list[str], columns: list[Cells]) -> None:
    """Write one CSV file: the header, then one line per row of the coded `columns`."""
    rows = len(columns[0][0]) if columns else 0
    tables = [_fixed_width(texts) for _, texts in columns]
    widths = [table.dtype.itemsize for table in tables]
    line = sum(widths) + len(widths)  # a comma after each cell but the last, then "\n"
    with path.open("wb") as out:
        out.write((",".join(quoted(name) for name in header) + "\n").encode("utf-8"))
        for start in range(0, rows, CHUNK_ROWS):
            stop = min(start + CHUNK_ROWS, rows)
            block = np.zeros((stop - start, line), dtype=np.uint8)
            at = 0
            for (codes, _), table, width in zip(columns, tables, widths, strict=True):
                cells = table[codes[start:stop]]
                block[:, at : at + width] = cells.view(np.uint8).reshape(stop - start, width)
                at += width
                block[:, at] = ord(",")
                at += 1
            block[:, at - 1] = ord("\n")
            out.write(block.tobytes().replace(b"\0", b""))


def write_csv_workbook(dataset: Dataset, folder: Path) -> None:
    """Write every non-empty table of `dataset` to `folder` (created if missing), columns in
    the format's order (then `places`' context columns)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in dataset:
        frame = dataset[name]
        if len(frame) == 0:
            continue
        table = TABLE_MAP[name]
        header = [c.name for c in table.columns if c.name in frame]
        if table.open_prefix:
            header += [str(c) for c in frame.columns if str(c).startswith(table.open_prefix)]
        columns = [column_cells(table.column_map.get(h), frame[h]) for h in header]
        write_table(folder / table.filename, header, columns)
