"""Issue 25: a retraction answers the same whether a key is stored at another institution or
nowhere at all: an evaluator of wigan-council who names test-valley-council's decision learns
nothing that a made-up key would not tell them. Through `tracker import --retract`, dry run and
real, as the evaluator typed it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.commands.conftest import SAMPLE, Tracker

SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
THEIRS = "d-tv-2021-neighbourhood-service"  # stored, at test-valley-council
MISSING = "d-tv-2021-no-such-decision"
HEADER = "key,institution,date,title,reverses_earlier,because_of_community,cost,cost_note,evidence"


def _decision(folder: Path, key: str) -> Path:
    folder.mkdir()
    (folder / "decisions.csv").write_text(
        f"{HEADER}\n{key},wigan-council,2021-02-17,Earlier decision on a neighbourhood service "
        "(illustrative),false,false,none,,Illustrative\n", encoding="utf-8")
    return folder


@SQLITE_ONLY
def test_retracting_another_institution_s_key_reads_as_retracting_a_missing_one(
    tracker: Tracker, tmp_path: Path, database_url: str
) -> None:
    assert tracker("import", str(SAMPLE)).exit_code == 0
    assert tracker("users", "add", "eve", "--role", "evaluator", "--institution",
                   "wigan-council", "--no-password").exit_code == 0
    answers = {}
    for key in (THEIRS, MISSING):
        workbook = _decision(tmp_path / key, key)
        for dry_run in (("--dry-run",), ()):
            ran = tracker("import", str(workbook), "--retract", "--reason", "duplicate",
                          *dry_run, "--as", "eve")
            assert ran.exit_code == 1
            assert "Traceback" not in ran.stderr
            answers[key, dry_run] = ran.stderr.replace(str(workbook), "WORKBOOK").replace(
                key, "KEY")
    for dry_run in (("--dry-run",), ()):
        assert answers[THEIRS, dry_run] == answers[MISSING, dry_run]
        assert "no stored row has this identity (KEY): nothing to retract" in answers[
            THEIRS, dry_run]
        assert "test-valley" not in answers[THEIRS, dry_run]
