"""When the "illustrative sample data" notice shows."""

from __future__ import annotations

import pandas as pd
import pytest

from tracker.config import sample_data_path
from tracker.dashboard.sample_notice import is_sample_data
from tracker.writes.imports.importer import fingerprint

REAL_NOTES = pd.Series(["Our council.", None])


def test_an_import_of_the_sample_folder_shows_the_notice() -> None:
    details = [{"source": str(sample_data_path()), "sha256": "x"}]
    assert is_sample_data(REAL_NOTES, details)


def test_an_import_of_a_copy_of_the_sample_is_known_by_its_fingerprint() -> None:
    details = [{"source": "/elsewhere/copy", "sha256": fingerprint(sample_data_path())}]
    assert is_sample_data(REAL_NOTES, details)


@pytest.mark.parametrize("note", ["Illustrative: the dates.", "Fictional.", "an ILLUSTRATIVE case"])
def test_institutions_marked_as_invented_show_the_notice(note: str) -> None:
    assert is_sample_data(pd.Series(["Our council.", note]), [])


def test_real_data_imported_from_elsewhere_shows_no_notice() -> None:
    details = [{"source": "/data/our-workbook", "sha256": "abc"}, None, {"counts": {}}]
    # "illustration" is not the marker word: only whole words count.
    assert not is_sample_data(pd.Series(["An illustration of our work.", None]), details)
