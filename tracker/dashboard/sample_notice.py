"""The rule that decides whether the "illustrative sample data" notice is shown (pure).

The notice is shown when either holds:
1. the audit log records an import of the sample workbook: its source is the sample folder
   (`TRACKER_SAMPLE_DATA`, by default `sample_data/`) or its fingerprint is the sample's. This
   holds whoever reads and whatever they may see;
2. a readable institution's notes call it "Illustrative" or "Fictional": the sample marks every
   invented institution so, and the words travel with the data through export and re-import.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from tracker.config import sample_data_path

SAMPLE_MARKERS = re.compile(r"\b(?:illustrative|fictional)\b", re.IGNORECASE)
SAMPLE_NOTICE = (
    "Illustrative sample data: the four cases of the article with invented dates, values and "
    "decisions, plus fictional institutions. Do not read it as evidence about real places."
)


@functools.lru_cache(maxsize=4)
def _fingerprint(folder: str) -> str | None:
    from tracker.writes.imports.importer import fingerprint

    path = Path(folder)
    return fingerprint(path) if path.is_dir() else None


def imports_the_sample(import_details: Iterable[object]) -> bool:
    """Whether any of these audit details (of `import` entries) is an import of the sample."""
    sample = sample_data_path().resolve()
    for detail in import_details:
        if not isinstance(detail, dict):
            continue
        source = detail.get("source")
        if source and Path(str(source)).resolve() == sample:
            return True
        if detail.get("sha256") and detail["sha256"] == _fingerprint(str(sample)):
            return True
    return False


def notes_say_sample(notes: pd.Series) -> bool:
    """Whether any institution's notes mark it as illustrative or fictional."""
    return bool(notes.dropna().astype(str).str.contains(SAMPLE_MARKERS).any())


def is_sample_data(institution_notes: pd.Series, import_details: Iterable[object]) -> bool:
    """The module's rule: an import of the sample, or institutions marked as invented."""
    return imports_the_sample(import_details) or notes_say_sample(institution_notes)
