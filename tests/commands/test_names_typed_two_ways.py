"""Issue 23, cases 1 and 2: one person, one role, however they are typed.

Holders, partners and roles are compared as a person reads them (`tracker.identity`): a name
typed with two spaces, in lower case or in another Unicode form is the same holder (no
turnover is invented); a role typed `chief_executive` on one row and `Chief Executive` on the
next is one role (the change of holder is a turnover). Characters a reader cannot see, and
letters of another script that look like the name's own, are refused with the row, the column
and the code point; two spellings of one name at one institution give a warning naming both.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from tests.builders import Scenario
from tests.commands.conftest import Tracker
from tracker.analysis.params import Parameters
from tracker.analysis.run import analyse
from tracker.identity import identity_text, lookalike_character, unseen_character

# Spellings a reader takes for "Jane Smith" (or "José Álvarez"), accepted by the import.
ACCEPTED = {
    "two-spaces": ("Jane Smith", "Jane  Smith"),
    "lower-case": ("Jane Smith", "jane smith"),
    "nfc-then-nfd": (
        unicodedata.normalize("NFC", "José Álvarez"),
        unicodedata.normalize("NFD", "José Álvarez"),
    ),
    "underscore": ("Jane Smith", "Jane_Smith"),
}
# Spellings that look the same but are not: refused by the import.
REFUSED = {
    "variation-selector": ("Jane Smith\ufe0f", "U+FE0F"),
    "braille-blank": ("Jane\u2800Smith", "U+2800"),
    "khmer-vowel-inherent": ("Jane Smit\u17b4h", "U+17B4"),
    "cyrillic-e": ("Jan\u0435 Smith", "U+0435"),
}

INSTITUTIONS = "key,name,kind\n"
LEADERSHIP = "institution,role,holder,start,end\n"
CHANGES = "key,institution,title,kind,adopted\n"
STATUS = "change,date,status\n"


def _workbook(folder: Path, leadership: list[str], institutions: list[str]) -> Path:
    folder.mkdir(parents=True)
    (folder / "institutions.csv").write_text(
        INSTITUTIONS + "".join(f"{key},{key.title()},local_authority\n" for key in institutions),
        encoding="utf-8",
    )
    (folder / "leadership.csv").write_text(LEADERSHIP + "".join(leadership), encoding="utf-8")
    (folder / "changes.csv").write_text(
        CHANGES + "".join(f"c-{key},{key},Panel,other,2016-01-01\n" for key in institutions),
        encoding="utf-8",
    )
    (folder / "change_status.csv").write_text(
        STATUS + "".join(f"c-{key},2021-06-30,in_force\n" for key in institutions),
        encoding="utf-8",
    )
    return folder


def test_a_holder_typed_two_ways_is_one_holder_and_a_role_typed_two_ways_one_role(
    tracker: Tracker, tmp_path: Path
) -> None:
    rows = []
    for key, (first, second) in ACCEPTED.items():
        rows.append(f"{key},chief_executive,{first},2015-01-01,2018-06-30\n")
        rows.append(f"{key},chief_executive,{second},2018-07-01,\n")
    # Case 2: the role typed two ways, a real change of holder between the rows.
    rows.append("roles,chief_executive,A. Smith,2015-01-01,2018-06-30\n")
    rows.append("roles,Chief Executive,B. Jones,2018-07-01,\n")
    folder = _workbook(tmp_path / "wb", rows, [*ACCEPTED, "roles"])
    ran = tracker("import", str(folder))
    assert ran.exit_code == 0, ran.stderr
    # The import warns about each name spelled two ways, naming both spellings and their rows.
    assert '"Jane Smith" (row 2) and "Jane  Smith" (row 3) are read as one holder' in ran.stdout
    assert '"chief_executive" (row 10) and "Chief Executive" (row 11) are read as one role' in (
        ran.stdout
    )
    analysed = json.loads(tracker("analyse", "--format", "json", "--as-of", "2022-01-01").stdout)
    by_key = {item["institution"]: item for item in analysed["institutions"]}
    for key in ACCEPTED:
        assert by_key[key]["turnovers"] == [], key
        # No turnover tested the change: it has not persisted through one.
        assert all(change["tests"] == [] for change in by_key[key]["changes"]), key
    handed = by_key["roles"]["turnovers"]
    assert len(handed) == 1
    assert handed[0]["outgoing"] == "A. Smith" and handed[0]["incoming"] == "B. Jones"
    assert handed[0]["date"] == "2018-06-30"


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_name_with_an_unseen_or_lookalike_character_is_refused(
    case: str, tracker: Tracker, tmp_path: Path
) -> None:
    typed, code = REFUSED[case]
    rows = [
        "nd,chief_executive,Jane Smith,2015-01-01,2018-06-30\n",
        f"nd,chief_executive,{typed},2018-07-01,\n",
    ]
    ran = tracker("import", str(_workbook(tmp_path / "wb", rows, ["nd"])))
    assert ran.exit_code == 1
    assert "leadership.csv" in ran.stderr and "row 3" in ran.stderr and "holder" in ran.stderr
    assert code in ran.stderr
    assert "Traceback" not in ran.stderr


def test_a_partner_and_a_role_are_checked_like_a_holder(tracker: Tracker, tmp_path: Path) -> None:
    folder = _workbook(
        tmp_path / "wb", ["nd,chi\u0435f_executive,Jane Smith,2015-01-01,\n"], ["nd"]
    )
    (folder / "partners.csv").write_text(
        "institution,partner,start,end\nnd,civic\u200blab,2016-01-01,\n", encoding="utf-8"
    )
    ran = tracker("import", str(folder))
    assert ran.exit_code == 1
    assert "row 2" in ran.stderr and "role" in ran.stderr and "U+0435" in ran.stderr
    assert "partner" in ran.stderr and "U+200B" in ran.stderr


@pytest.mark.parametrize(
    "second",
    [
        "Jane  Smith",
        "jane smith",
        "JANE SMITH",
        "Jane Smith\ufe0f",
        "Jane\u2800Smith",
        "Jane Smith\u17b4",
        "Jan\u0435 Smith",
        "Jane Smith\u200b",
    ],
)
def test_the_analysis_reads_a_name_as_a_person_does(second: str) -> None:
    dataset = (
        Scenario("nd")
        .tenure("chief_executive", "Jane Smith", "2015-01-01", "2018-06-30")
        .tenure("Chief Executive", second, "2018-07-01")
        .tenure("Chief-Executive", "B. Jones", "2020-01-01")
        .change("c1", adopted="2016-01-01")
        .status("c1", "2021-06-30", "in_force")
        .build()
    )
    result = analyse(dataset, Parameters())
    events = result.turnovers
    # One turnover only: Jane Smith's departure when B. Jones took over, shown as first typed.
    assert list(events["outgoing"]) == ["Jane Smith"]
    assert list(events["incoming"]) == ["B. Jones"]
    assert list(events["role"]) == ["chief_executive"]


def test_identity_text_and_what_is_refused() -> None:
    assert identity_text("Chief  Executive") == identity_text("chief_executive")
    assert identity_text("chief-executive") == "chief executive"
    assert unseen_character("Jane Smith") is None
    assert unseen_character("José Álvarez") is None
    assert lookalike_character("Иван Петров") is None  # wholly Cyrillic: not a lookalike
    assert lookalike_character("José Álvarez") is None
    found = lookalike_character("Jan\u0435 Smith")
    assert found is not None and found.character == "\u0435" and found.looks_like == "e"
