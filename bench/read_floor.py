"""The whole-process read floor: start Python, import pandas and SQLAlchemy, and read every
table the analysis reads into pandas (`pandas.read_sql` of `SELECT *`, as bench/floors.py's
in-process read floor does). Nothing else.

    python bench/read_floor.py URL TABLE [TABLE ...]
"""

from __future__ import annotations

import sys

import pandas as pd
from sqlalchemy import create_engine, text


def main(url: str, tables: list[str]) -> None:
    engine = create_engine(url)
    rows = 0
    with engine.connect() as connection:
        for table in tables:
            rows += len(pd.read_sql(text(f'SELECT * FROM "{table}"'), connection))
    print(rows)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
