"""A tenure wholly inside another holder's tenure in the same role is refused whichever import
brings it (issue 10): the second workbook is judged against the tenures already stored."""

from __future__ import annotations

from pathlib import Path

from tests.commands.conftest import Tracker

INSTITUTIONS = "key,name,kind\nnorthdale-council,Northdale Council,local_authority\n"
LEADERSHIP = "institution,role,holder,start,end,shared\n"


def workbook(folder: Path, leadership: str, *, institutions: bool = True) -> Path:
    folder.mkdir(parents=True)
    if institutions:
        (folder / "institutions.csv").write_text(INSTITUTIONS)
    (folder / "leadership.csv").write_text(LEADERSHIP + leadership)
    return folder


def stored_holders(tracker: Tracker, tmp_path: Path) -> list[str]:
    out = tmp_path / "export"
    assert tracker("export", str(out)).exit_code == 0
    rows = (out / "leadership.csv").read_text().splitlines()[1:]
    header = (out / "leadership.csv").read_text().splitlines()[0].split(",")
    return sorted(row.split(",")[header.index("holder")] for row in rows)


def test_a_tenure_imported_later_inside_a_stored_one_is_refused(
    tracker: Tracker, tmp_path: Path
) -> None:
    first = workbook(tmp_path / "a", "northdale-council,chief_executive,A,2015-01-01,2020-12-31,\n")
    assert tracker("import", str(first)).exit_code == 0
    second = workbook(
        tmp_path / "b", "northdale-council,chief_executive,Co,2016-01-01,2017-06-30,\n",
        institutions=False,
    )
    ran = tracker("import", str(second))
    assert ran.exit_code == 1
    assert "leadership.csv" in ran.stderr and "row 2" in ran.stderr and "start" in ran.stderr
    assert "wholly inside the stored tenure of chief_executive by A" in ran.stderr
    assert "Traceback" not in ran.stderr
    assert stored_holders(tracker, tmp_path) == ["A"]


def test_a_tenure_imported_later_around_a_stored_one_is_refused(
    tracker: Tracker, tmp_path: Path
) -> None:
    first = workbook(
        tmp_path / "a", "northdale-council,chief_executive,Co,2016-01-01,2017-06-30,\n"
    )
    assert tracker("import", str(first)).exit_code == 0
    second = workbook(
        tmp_path / "b", "northdale-council,chief_executive,A,2015-01-01,2020-12-31,\n",
        institutions=False,
    )
    ran = tracker("import", str(second))
    assert ran.exit_code == 1
    assert "would hold the stored tenure of chief_executive by Co" in ran.stderr
    assert stored_holders(tracker, tmp_path) == ["Co"]


def test_a_later_successor_and_a_shared_role_are_accepted(
    tracker: Tracker, tmp_path: Path
) -> None:
    first = workbook(
        tmp_path / "a",
        "northdale-council,chief_executive,A,2015-01-01,2018-12-31,\n"
        "northdale-council,headteacher,H,2015-01-01,2020-12-31,true\n",
    )
    assert tracker("import", str(first)).exit_code == 0
    second = workbook(
        tmp_path / "b",
        "northdale-council,chief_executive,B,2018-06-01,,\n"
        "northdale-council,headteacher,Co,2016-01-01,2017-06-30,\n",
        institutions=False,
    )
    ran = tracker("import", str(second))
    assert ran.exit_code == 0, ran.stderr
    assert stored_holders(tracker, tmp_path) == ["A", "B", "Co", "H"]
