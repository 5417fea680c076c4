"""Issue 23, case 3: `tracker analyse --parent-turnovers` counts a trust's chief executive
leaving as a turnover of each of its schools, from the results store and fresh alike."""

from __future__ import annotations

import json
from pathlib import Path

from tests.commands.conftest import SAMPLE, Tracker

WORKBOOK = {
    "institutions": "key,name,kind,parent\n"
    "hill-trust,Hill Trust,trust,\n"
    "lone-trust,Lone Trust,trust,\n"
    "hill-school,Hill School,school,hill-trust\n"
    "lone-school,Lone School,school,lone-trust\n",
    "leadership": "institution,role,holder,start,end\n"
    "hill-trust,chief_executive,A. Smith,2015-01-01,2019-12-31\n"
    "hill-trust,chief_executive,B. Jones,2020-01-01,\n"
    "lone-trust,chief_executive,C. Patel,2015-01-01,\n"
    "hill-school,headteacher,D. Khan,2014-09-01,\n",
    "changes": "key,institution,title,kind,adopted\n"
    "c-panel,hill-school,Parent panel,other,2018-01-01\n",
    "change_status": "change,date,status\nc-panel,2021-06-30,in_force\n",
}


def _school(tracker: Tracker, *flags: str) -> dict[str, object]:
    ran = tracker("analyse", "--format", "json", "--as-of", "2022-01-01", *flags)
    assert ran.exit_code == 0, ran.stderr
    analysed = json.loads(ran.stdout)
    assert analysed["parameters"]["parent_turnovers"] == ("--parent-turnovers" in flags)
    return {item["institution"]: item for item in analysed["institutions"]}


def test_a_trusts_turnover_counts_for_its_school_with_parent_turnovers(
    tracker: Tracker, tmp_path: Path
) -> None:
    folder = tmp_path / "wb"
    folder.mkdir()
    for table, text in WORKBOOK.items():
        (folder / f"{table}.csv").write_text(text, encoding="utf-8")
    assert tracker("import", str(folder)).exit_code == 0
    assert _school(tracker)["hill-school"]["turnovers"] == []
    for flags in (("--parent-turnovers",), ("--parent-turnovers", "--fresh")):
        by_key = _school(tracker, *flags)
        turnovers = by_key["hill-school"]["turnovers"]
        assert [(t["role"], t["date"]) for t in turnovers] == [  # type: ignore[union-attr,index]
            ("chief_executive of parent hill-trust", "2019-12-31")
        ]
        # A school whose trust has had no turnover yet is analysed (this crashed).
        assert by_key["lone-school"]["turnovers"] == []
    refreshed = tracker("results", "refresh", "--parent-turnovers")
    assert refreshed.exit_code == 0, refreshed.stderr


def test_the_sample_is_analysed_with_parent_turnovers(tracker: Tracker) -> None:
    assert tracker("import", str(SAMPLE)).exit_code == 0
    by_key = _school(tracker, "--parent-turnovers")
    assert by_key["hillcrest-academy"]["turnovers"]
