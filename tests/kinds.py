"""What a test needs, read from what its module and its fixtures' modules import, so that the
inner loop (`make check`) can leave out every test that needs a database, a browser or a child
process without each test having to say so.

A test is marked
- `database` when its module or a module defining one of its fixtures imports SQLAlchemy, a
  database driver or the project's database modules (`tracker.db`, `tracker.migrate`);
- `process` when one of them starts processes or servers (`subprocess`, `multiprocessing`,
  `tests.servers`) or runs the dashboard's scripts (`streamlit.testing`);
- `browser` when one of them drives Chromium (`playwright`).
`make check` runs the rest: `pytest -m "not database and not process and not browser and not
postgres and not slow"`.
"""

from __future__ import annotations

import ast
import functools
import sys
from pathlib import Path

import pytest

# Marker → modules (or packages) whose import says the test needs it.
NEEDS: dict[str, tuple[str, ...]] = {
    "database": ("sqlalchemy", "psycopg", "sqlite3", "tracker.db", "tracker.migrate"),
    "process": ("subprocess", "multiprocessing", "tests.servers", "streamlit.testing"),
    "browser": ("playwright",),
}


@functools.cache
def imported_names(path: Path) -> frozenset[str]:
    """Every module a file imports (at any depth of the file), as written: `a.b` for
    `import a.b` and for `from a.b import c`, `a.b.c` too."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return frozenset(names)


def needs_of(names: frozenset[str]) -> set[str]:
    return {
        marker
        for marker, modules in NEEDS.items()
        for name in names
        if any(name == module or name.startswith(module + ".") for module in modules)
    }


def _module_file(module_name: str) -> Path | None:
    module = sys.modules.get(module_name)
    found = getattr(module, "__file__", None)
    return Path(found) if found else None


def mark_by_needs(items: list[pytest.Item]) -> None:
    """Add the `database`, `process` and `browser` markers a test's imports call for."""
    for item in items:
        files = {Path(str(item.fspath))}
        fixture_info = getattr(item, "_fixtureinfo", None)
        for definitions in (fixture_info.name2fixturedefs.values() if fixture_info else ()):
            for definition in definitions:
                where = _module_file(getattr(definition.func, "__module__", ""))
                if where is not None and where.is_relative_to(Path(__file__).parent):
                    files.add(where)
        needs: set[str] = set()
        for path in files:
            needs |= needs_of(imported_names(path))
        for marker in sorted(needs):
            item.add_marker(getattr(pytest.mark, marker))
