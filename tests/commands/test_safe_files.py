"""Issue 16, files: `report -o` and `export` never replace a file unasked, never follow a
symbolic link at the target, leave no fragment, and refuse a wrong name clearly."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.commands.conftest import Tracker
from tracker import files

SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture
def loaded(tracker: Tracker) -> Tracker:
    assert tracker("sample", "load").exit_code == 0
    return tracker


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """A folder of its own (the test database lives in tmp_path)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@SQLITE_ONLY
def test_report_output_refuses_an_existing_file_unless_forced(
    loaded: Tracker, out: Path
) -> None:
    target = out / "story.md"
    target.write_text("my notes", encoding="utf-8")
    ran = loaded("report", "-o", str(target))
    assert ran.exit_code == 1
    assert "exists: choose a new name, or add --force" in ran.stderr
    assert target.read_text(encoding="utf-8") == "my notes"
    assert loaded("report", "-o", str(target), "--force").exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("#")
    assert [p.name for p in out.iterdir()] == ["story.md"]  # no temporary left


@SQLITE_ONLY
@pytest.mark.parametrize("command", [("report", "-o"), ("export", "--format", "xlsx")])
def test_a_symbolic_link_at_the_target_is_never_followed(
    loaded: Tracker, out: Path, command: tuple[str, ...]
) -> None:
    victim = out / "someone-elses.txt"
    victim.write_text("precious", encoding="utf-8")
    link = out / "out.xlsx"
    link.symlink_to(victim)
    args = [*command, str(link)] if command[0] == "report" else ["export", str(link), *command[1:]]
    for force in ((), ("--force",)):
        ran = loaded(*args, *force)
        assert ran.exit_code == 1
        assert "is a symbolic link" in ran.stderr
    assert victim.read_text(encoding="utf-8") == "precious"
    assert link.is_symlink()


@SQLITE_ONLY
def test_export_refuses_an_existing_xlsx_unless_forced(loaded: Tracker, out: Path) -> None:
    target = out / "all.xlsx"
    assert loaded("export", str(target), "--format", "xlsx").exit_code == 0
    ran = loaded("export", str(target), "--format", "xlsx")
    assert ran.exit_code == 1 and "add --force" in ran.stderr
    assert loaded("export", str(target), "--format", "xlsx", "--force").exit_code == 0


@SQLITE_ONLY
def test_export_xlsx_to_a_name_not_ending_in_xlsx_is_a_clear_refusal(
    loaded: Tracker, out: Path
) -> None:
    ran = loaded("export", str(out / "out.txt"), "--format", "xlsx")
    assert ran.exit_code == 1
    assert "an .xlsx workbook's name ends in .xlsx (e.g. out.xlsx)" in ran.stderr
    assert "Traceback" not in ran.stderr
    assert list(out.iterdir()) == []


def test_a_failed_write_leaves_the_target_as_it_was_and_no_fragment(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = out / "report.md"
    target.write_text("before", encoding="utf-8")

    def full_disk(descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space left"):
        files.write_atomically(target, b"x" * 10_000, force=True)
    assert target.read_text(encoding="utf-8") == "before"
    assert [p.name for p in out.iterdir()] == ["report.md"]
