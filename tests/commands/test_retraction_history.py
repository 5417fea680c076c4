"""Issue 23, case 6: a retracted value has a history. After `tracker import … --retract
--reason …`, `tracker history` shows the retraction with who, when and why, and the versions
before it; after `--restore`, the restoration too (no `--include-retracted` needed)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.commands.conftest import Tracker

INSTITUTIONS = "key,name,kind\nnd,Northdale,local_authority\n"
INDICATORS = "key,name,unit,higher_is_better\ntrust,Resident trust,score,true\n"
VALUES = "institution,indicator,period,value\nnd,trust,2024Q1,{value}\n"


def _folder(path: Path, value: str, *, all_tables: bool = True) -> Path:
    path.mkdir()
    if all_tables:
        (path / "institutions.csv").write_text(INSTITUTIONS)
        (path / "indicators.csv").write_text(INDICATORS)
    (path / "indicator_values.csv").write_text(VALUES.format(value=value))
    return path


def test_history_shows_a_retraction_and_a_restoration_with_who_when_and_why(
    tracker: Tracker, tmp_path: Path
) -> None:
    assert tracker("import", str(_folder(tmp_path / "a", "6.1"))).exit_code == 0
    fixed = _folder(tmp_path / "b", "61", all_tables=False)
    assert tracker("import", str(fixed), "--correct", "--reason", "typed 6.1").exit_code == 0
    ran = tracker("import", str(fixed), "--retract", "--reason", "decimal point slipped")
    assert ran.exit_code == 0, ran.stderr
    args = ("history", "--institution", "nd", "--indicator", "trust", "--period", "2024Q1")
    shown = tracker(*args)
    assert shown.exit_code == 0, shown.stderr
    assert "No indicator_values recorded" not in shown.stdout
    lines = shown.stdout.splitlines()
    assert any("version 1:" in line and "value 6.1" in line for line in lines)
    assert any("version 2:" in line and "typed 6.1" in line for line in lines)
    retracted = next(line for line in lines if "version 3" in line)
    assert "RETRACTED" in retracted and "reason: decimal point slipped" in retracted
    assert "recorded by local:" in retracted

    assert tracker("import", str(fixed), "--restore", "--reason", "it was right").exit_code == 0
    payload = json.loads(tracker(*args, "--format", "json").stdout)
    events = [(v["version"], v["retracted"], v["event"], v["reason"]) for v in payload["versions"]]
    assert events == [
        (1, False, None, None),
        (2, False, None, "typed 6.1"),
        (3, True, "retracted", "decimal point slipped"),
        (4, False, "restored", "it was right"),
    ]
