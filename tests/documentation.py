"""The documentation as the tests read it: the README and every page of docs/."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def documentation_files() -> list[Path]:
    return [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]


def documentation() -> str:
    """The README and every page of docs/, one text."""
    return "\n".join(path.read_text(encoding="utf-8") for path in documentation_files())
