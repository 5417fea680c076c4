"""Import refusals for records that contradict themselves (issue 10): a tenure wholly inside
another in a role that is not shared, and an evidence row whose direction and numbers disagree."""

from __future__ import annotations

from pathlib import Path

from tests.workbook.builders import located, read_and_validate, write_csv_folder
from tracker.workbook.problems import Problem

LEADERSHIP = "institution,role,holder,start,end,key_role,notes,interim,shared\n"
EVIDENCE = (
    "key,institution,title,date,kind,source,claim,link,record,supports,test,sensitivity,"
    "type_i_error,observed,notes\n"
)


def problems(tmp_path: Path, **tables: str) -> list[Problem]:
    return read_and_validate(write_csv_folder(tmp_path / "wb", tables))[1]


def test_a_tenure_wholly_inside_another_in_the_same_role_is_refused(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        leadership=LEADERSHIP
        + "northdale-council,chief_executive,A,2015-01-01,2020-12-31,,,,\n"
        + "northdale-council,chief_executive,Co,2016-01-01,2017-06-30,,,,\n",
    )
    assert located(found) == [("leadership.csv", 3, "start")]
    assert "wholly inside row 2" in found[0].message
    assert "shared = true" in found[0].message


def test_a_tenure_inside_another_is_accepted_when_the_role_is_shared(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        leadership=LEADERSHIP
        + "northdale-council,headteacher,A,2015-01-01,2020-12-31,,,,true\n"
        + "northdale-council,headteacher,Co,2016-01-01,2017-06-30,,,,\n",
    )
    assert found == []


def test_a_handover_overlap_and_an_interim_are_accepted(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        leadership=LEADERSHIP
        + "northdale-council,chief_executive,A,2015-01-01,2018-12-31,,,,\n"
        + "northdale-council,chief_executive,B,2018-06-01,2019-12-31,,,,\n"
        + "northdale-council,chief_executive,I,2020-01-01,2020-06-30,,,true,\n"
        + "northdale-council,chief_executive,C,2020-07-01,,,,,\n",
    )
    assert found == []


def test_evidence_against_the_claim_with_numbers_for_it_is_refused(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        evidence=EVIDENCE
        + "e1,northdale-council,Minutes,2019-02-01,document,,claim-1,,,false,,0.8,0.1,,\n"
        + "e2,northdale-council,Survey,2019-02-01,document,,claim-1,,,true,,0.1,0.8,,\n"
        + "e3,northdale-council,Review,2019-02-01,document,,claim-1,,,false,smoking_gun,,,,\n",
    )
    assert located(found) == [("evidence.csv", 2, "supports"), ("evidence.csv", 3, "supports")]
    assert "P(E|H) 0.8 is above P(E|not H) 0.1" in found[0].message
