"""The documentation (the README and docs/) documents every command, setting, analysis parameter
and workbook file; the reference pages are what docs/generate.py writes from the declarations;
every command and setting the guides name exists."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import typer

from tests.documentation import DOCS, ROOT, documentation, documentation_files
from tracker.analysis.params import parameter_help
from tracker.cli import app
from tracker.config import SETTINGS
from tracker.workbook.schema import TABLE_NAMES

sys.path.insert(0, str(DOCS))
import generate

TEXT = documentation()
# The guides: everything but the generated reference (a command only there is explained nowhere).
GUIDES = "\n".join(
    path.read_text(encoding="utf-8")
    for path in documentation_files()
    if "reference" not in path.relative_to(ROOT).parts
)
# Environment variables of the test suite and CI, named in the guides but not settings of tracker.
TEST_ENVIRONMENT = {
    "TRACKER_TEST_POSTGRES_URL", "TRACKER_REQUIRE_POSTGRES", "TRACKER_REQUIRE_BROWSER",
}


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


COMMANDS = _command_paths()


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_a_guide(command: str) -> None:
    assert f"tracker {command}" in GUIDES


@pytest.mark.parametrize("name", [p.name for p in parameter_help()])
def test_every_analysis_parameter_is_documented(name: str) -> None:
    assert f"`{name}`" in TEXT


@pytest.mark.parametrize("setting", [s.env for s in SETTINGS])
def test_every_setting_is_documented(setting: str) -> None:
    assert setting in TEXT


@pytest.mark.parametrize("table", TABLE_NAMES)
def test_every_workbook_file_is_documented(table: str) -> None:
    assert f"`{table}`" in TEXT


@pytest.mark.parametrize("name", sorted(generate.PAGES))
def test_the_reference_page_is_what_its_declarations_write(name: str) -> None:
    written = (DOCS / "reference" / name).read_text(encoding="utf-8")
    assert written == generate.PAGES[name](), (
        f"docs/reference/{name} is out of date: run .venv/bin/python docs/generate.py"
    )


def test_every_setting_the_documentation_names_is_declared() -> None:
    named = set(re.findall(r"\bTRACKER_[A-Z0-9_]*[A-Z0-9]\b", TEXT))
    assert named - TEST_ENVIRONMENT <= {s.env for s in SETTINGS}


def test_every_command_the_documentation_names_exists() -> None:
    # `tracker WORD [WORD [WORD]]` where a command is written (in backticks, at the start of a
    # line, after `$ ` or `.venv/bin/`): the words must lead to a command, a group to one of its
    # commands (of `a|b|c`, the first is checked).
    unknown = set()
    word = r"(?: ([a-z][a-z-]*))?"
    pattern = r"(?:`|^|\$ |\.venv/bin/)tracker ([a-z][a-z-]*)" + word + word
    for match in re.finditer(pattern, TEXT, re.M):
        words = [word for word in match.groups() if word]
        for count in range(1, len(words) + 1):
            path = " ".join(words[:count])
            if path in COMMANDS:
                break
            if not any(command.startswith(path + " ") for command in COMMANDS):
                unknown.add(path)
                break
    assert unknown == set()


def test_the_guides_are_in_the_site_navigation() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    pages = {path.relative_to(DOCS).as_posix() for path in DOCS.rglob("*.md")}
    assert {page for page in pages if page not in config} == set()


def test_a_generated_page_names_every_option_of_a_command() -> None:
    page = generate.commands_page()
    assert "## `tracker analyse`" in page
    assert "| `--as-of` |" in page
    assert Path(ROOT / "docs" / "reference" / "commands.md").is_file()
