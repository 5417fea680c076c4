"""Export: everything the acting user may read, written in the workbook format."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from sqlalchemy import Engine

from tracker.access import Actor
from tracker.db import read_session
from tracker.scope import readable_dataset, readable_institutions
from tracker.workbook.write import write_workbook
from tracker.writes.quarter.review import review_rows


def export_workbook(
    engine: Engine,
    path: Path,
    *,
    actor: Actor,
    format: Literal["csv", "xlsx"] | str = "csv",
    overwrite: bool = False,
) -> int:
    """Write the actor's readable data to `path`; returns the number of rows written."""
    with read_session(engine) as session:
        dataset = readable_dataset(session, actor)
        review = review_rows(session, institutions=readable_institutions(session, actor))
    write_workbook(
        dataset, path, format="xlsx" if format == "xlsx" else "csv", overwrite=overwrite,
        read_only={"quarter_review": review},
    )
    return dataset.row_count()
