"""Issue 23, case 4, through the command line: as of a date when a change has one test
`persisted` and three `too_early`, the story's "At a glance" says so, every verdict named, and
never that it "persisted through every turnover that tested it"."""

from __future__ import annotations

import json
from pathlib import Path

from tests.commands.conftest import Tracker

# A change adopted in 2015 and four chief executives leaving: the first turnover's window is
# over and a status confirms the change; the three later ones are within their windows.
LEADERSHIP = (
    "institution,role,holder,start,end\n"
    "nd,chief_executive,A,2014-01-01,2016-06-30\n"
    "nd,chief_executive,B,2016-07-01,2020-03-31\n"
    "nd,chief_executive,C,2020-04-01,2020-06-30\n"
    "nd,partner_lead,D,2014-01-01,2020-05-31\n"
    "nd,partner_lead,E,2020-06-01,\n"
    "nd,chief_executive,G,2020-07-01,\n"
)


def test_the_story_headline_says_what_the_tests_say(tracker: Tracker, tmp_path: Path) -> None:
    folder = tmp_path / "wb"
    folder.mkdir()
    (folder / "institutions.csv").write_text("key,name,kind\nnd,Northdale,local_authority\n")
    (folder / "leadership.csv").write_text(LEADERSHIP)
    (folder / "changes.csv").write_text(
        "key,institution,title,kind,adopted\nc-hiring,nd,Hiring criteria,other,2015-01-01\n"
    )
    (folder / "change_status.csv").write_text(
        "change,date,status\nc-hiring,2018-01-31,in_force\n"
    )
    assert tracker("import", str(folder)).exit_code == 0
    analysed = tracker("analyse", "--format", "json", "--as-of", "2020-12-31")
    (item,) = json.loads(analysed.stdout)["institutions"]
    verdicts = sorted(test["verdict"] for test in item["changes"][0]["tests"])
    assert verdicts == ["persisted", "too_early", "too_early", "too_early"]
    report = tracker("report", "--institution", "nd", "--as-of", "2020-12-31")
    assert report.exit_code == 0, report.stderr
    glance = report.stdout.split("At a glance", 1)[1].split("\n#", 1)[0]
    assert "Hiring criteria: persisted through 1 turnover; 3 too early to judge" in glance
    assert "every turnover" not in report.stdout
