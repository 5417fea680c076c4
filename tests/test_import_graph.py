"""The house's layers, read from the source: no import circle (an import inside a function counts),
and no arrow from a lower room to a higher one (`tests/import_graph.py` reads the imports).

workbook → writes → store → analysis → reports → commands, api, dashboard: data flows one way.
The benchmarks (`bench/`) and the tests stand outside the product and may import any room: they
measure and check it as a user gets it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.import_graph import Import, all_imports, circles, within

# A room (left) never imports these rooms (right).
NEVER_IMPORTS: dict[str, tuple[str, ...]] = {
    # Pure: data frames in, data frames or dataclasses out.
    "tracker.analysis": (
        "tracker.writes", "tracker.store", "tracker.reports", "tracker.dashboard", "tracker.api",
        "tracker.commands",
    ),
    "tracker.writes": ("tracker.dashboard", "tracker.api", "tracker.commands", "tracker.reports"),
    "tracker.store": ("tracker.dashboard", "tracker.api", "tracker.commands"),
}
# Who may import the dashboard's pages and widgets: the router and the dashboard itself.
DASHBOARD = "tracker.dashboard"
DASHBOARD_IMPORTERS = ("dashboard", "tracker.dashboard")
# Third-party packages only one room may import.
ONLY_IMPORTED_BY: dict[str, tuple[str, ...]] = {
    "streamlit": ("dashboard", "tracker.dashboard"),
}
# Third-party packages a room never imports.
NEVER_IMPORTS_PACKAGES: dict[str, tuple[str, ...]] = {
    "tracker.analysis": ("sqlalchemy", "streamlit", "fastapi", "typer"),
}
OUTSIDE_THE_PRODUCT = ("bench",)


def _where(found: Import) -> str:
    kind = "in a function" if found.in_function else "at module level"
    return f"{found.importer} imports {found.imported} (line {found.line}, {kind})"


def upward_arrows(imports: list[Import]) -> list[str]:
    """Every import that breaks a rule of the layers, said in a line each."""
    broken = []
    for found in imports:
        if any(within(found.importer, room) for room in OUTSIDE_THE_PRODUCT):
            continue
        if found.external:
            allowed = ONLY_IMPORTED_BY.get(found.imported)
            if allowed and not any(within(found.importer, room) for room in allowed):
                broken.append(_where(found))
            for room, packages in NEVER_IMPORTS_PACKAGES.items():
                if within(found.importer, room) and found.imported in packages:
                    broken.append(_where(found))
            continue
        for room, higher in NEVER_IMPORTS.items():
            if within(found.importer, room) and any(within(found.imported, h) for h in higher):
                broken.append(_where(found))
        if within(found.imported, DASHBOARD) and not any(
            within(found.importer, room) for room in DASHBOARD_IMPORTERS
        ):
            broken.append(_where(found))
    return broken


@pytest.fixture(scope="module")
def imports() -> list[Import]:
    return all_imports()


def test_no_import_circle_at_module_or_function_level(imports: list[Import]) -> None:
    assert circles(imports) == []


def test_no_arrow_from_a_lower_room_to_a_higher_one(imports: list[Import]) -> None:
    assert upward_arrows(imports) == []


def test_the_graph_reads_the_rooms_it_guards(imports: list[Import]) -> None:
    """The rules are checked against real arrows: every guarded room imports something."""
    importers = {found.importer for found in imports}
    for room in [*NEVER_IMPORTS, DASHBOARD, "bench"]:
        assert any(within(importer, room) for importer in importers), room


def _tree(root: Path, files: dict[str, str]) -> list[Import]:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return all_imports(root)


def test_a_circle_hidden_inside_a_function_is_found(tmp_path: Path) -> None:
    imports = _tree(tmp_path, {
        "tracker/__init__.py": "",
        "tracker/writes/__init__.py": "",
        "tracker/writes/state.py": "def submit():\n    from tracker.writes import review\n",
        "tracker/writes/review.py": "from tracker.writes.state import submit\n",
    })
    assert circles(imports) == [["tracker.writes.review", "tracker.writes.state"]]


def test_a_circle_of_three_through_relative_imports_is_found(tmp_path: Path) -> None:
    imports = _tree(tmp_path, {
        "tracker/__init__.py": "",
        "tracker/store/__init__.py": "",
        "tracker/store/portfolio.py": "from .read import stored\n",
        "tracker/store/read.py": "from tracker.store.refresh import refresh\n",
        "tracker/store/refresh.py": "def save():\n    from . import portfolio\n",
    })
    assert circles(imports) == [
        ["tracker.store.portfolio", "tracker.store.read", "tracker.store.refresh"]
    ]


def test_an_import_only_for_type_checking_closes_no_circle(tmp_path: Path) -> None:
    imports = _tree(tmp_path, {
        "tracker/__init__.py": "",
        "tracker/a.py": "from tracker.b import B\n",
        "tracker/b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                        "    from tracker.a import A\n",
    })
    assert circles(imports) == []


def test_an_upward_arrow_inside_a_function_is_found(tmp_path: Path) -> None:
    imports = _tree(tmp_path, {
        "tracker/__init__.py": "",
        "tracker/analysis/__init__.py": "",
        "tracker/analysis/risk.py": "def at_risk():\n    from tracker.store.read import stored\n",
        "tracker/store/__init__.py": "",
        "tracker/store/read.py": "import pandas\n",
        "tracker/reports/__init__.py": "",
        "tracker/reports/story.py": "from tracker.dashboard.timeline import charts\n",
        "tracker/dashboard/__init__.py": "",
        "tracker/dashboard/timeline.py": "import streamlit as st\n",
        "tracker/queries.py": "import streamlit\n",
    })
    assert upward_arrows(imports) == [
        "tracker.analysis.risk imports tracker.store.read (line 2, in a function)",
        "tracker.queries imports streamlit (line 1, at module level)",
        "tracker.reports.story imports tracker.dashboard.timeline (line 1, at module level)",
    ]
