"""The README documents every command, setting, analysis parameter and workbook file."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from tracker.analysis.params import parameter_help
from tracker.cli import app
from tracker.config import SETTINGS
from tracker.sources.mapping import SETTINGS as SOURCE_SETTINGS
from tracker.workbook.schema import TABLE_NAMES

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _command_paths() -> list[str]:
    root = typer.main.get_command(app)
    paths: list[str] = []

    def walk(command: object, prefix: str) -> None:
        children = getattr(command, "commands", None)
        if children:
            for name, child in children.items():
                walk(child, f"{prefix} {name}".strip())
        else:
            paths.append(prefix)

    walk(root, "")
    return sorted(paths)


@pytest.mark.parametrize("command", _command_paths())
def test_every_command_is_in_the_readme(command: str) -> None:
    assert f"tracker {command}" in README


@pytest.mark.parametrize("name", [p.name for p in parameter_help()])
def test_every_analysis_parameter_is_in_the_readme(name: str) -> None:
    assert f"`{name}`" in README


@pytest.mark.parametrize("setting", [s.env for s in SETTINGS])
def test_every_setting_is_in_the_readme(setting: str) -> None:
    assert setting in README


@pytest.mark.parametrize("table", TABLE_NAMES)
def test_every_workbook_file_is_in_the_readme(table: str) -> None:
    assert f"`{table}`" in README


@pytest.mark.parametrize("setting", [s.key for s in SOURCE_SETTINGS])
def test_every_source_mapping_setting_is_in_the_readme(setting: str) -> None:
    assert f"`{setting}`" in README
