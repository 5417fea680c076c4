"""Three institutions whose every record carries its institution's tag, two portfolios, and one
user per role: so that a test can look for another institution's data in any output by
searching for its tag.

    alder  (Alder Council)   in portfolio fund-one     evaluator eve writes for it
    birch  (Birch Academy)   in portfolio fund-one     institution viewer ivy reads it
    cedar  (Cedar Police)    in portfolio fund-two     funder fay reads fund-two

Each tag appears only in its own institution's rows (keys, names, holders, titles, narratives,
places). Indicator definitions are shared by everyone and carry no tag.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from tracker.access import local_operator
from tracker.users import add_user
from tracker.writes.imports.importer import import_workbook

TAGS = ("alder", "birch", "cedar")
NAMES = {"alder": "Alder Council", "birch": "Birch Academy", "cedar": "Cedar Police"}
PORTFOLIOS = {"fund-one": ("alder", "birch"), "fund-two": ("cedar",)}
PORTFOLIO_NAMES = {"fund-one": "Fund One", "fund-two": "Fund Two"}
PASSWORD = "a long test password"


@dataclass(frozen=True)
class Role:
    """A user of the scenario, what they may read and what must never reach them."""

    user: str
    role: str
    institutions: tuple[str, ...] = ()
    portfolios: tuple[str, ...] = ()

    @property
    def readable(self) -> tuple[str, ...]:
        if self.role == "admin":
            return TAGS
        if self.role == "funder":
            return tuple(t for p in self.portfolios for t in PORTFOLIOS[p])
        return self.institutions

    @property
    def forbidden(self) -> tuple[str, ...]:
        """Words that must appear in none of this user's outputs."""
        if self.role == "admin":
            return ()
        hidden = [t for t in TAGS if t not in self.readable]
        hidden += [NAMES[t] for t in hidden]
        for portfolio in PORTFOLIOS:
            if portfolio not in self.portfolios:
                hidden += [portfolio, PORTFOLIO_NAMES[portfolio]]
        return tuple(hidden)


ADMIN = Role("ann", "admin")
EVALUATOR = Role("eve", "evaluator", institutions=("alder",))
VIEWER = Role("ivy", "institution", institutions=("birch",))
FUNDER = Role("fay", "funder", portfolios=("fund-two",))
ROLES = (ADMIN, EVALUATOR, VIEWER, FUNDER)
SCOPED = (EVALUATOR, VIEWER, FUNDER)


def leaks(text: str, role: Role) -> list[str]:
    """The forbidden words of `role` found in `text` (case-insensitive)."""
    lowered = text.lower()
    return [word for word in role.forbidden if word.lower() in lowered]


def write_csvs(folder: Path, tables: Mapping[str, Sequence[Mapping[str, Any]]]) -> Path:
    """A workbook folder with one CSV per table (columns from the first row)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return folder


def _quarters(first_year: int, years: int) -> Iterable[str]:
    for year in range(first_year, first_year + years):
        for quarter in range(1, 5):
            yield f"{year}Q{quarter}"


def workbook_tables() -> dict[str, list[dict[str, Any]]]:
    """The scenario's workbook, table by table."""
    t: dict[str, list[dict[str, Any]]] = {name: [] for name in (
        "places", "institutions", "indicators", "portfolios", "leadership", "partners",
        "changes", "change_status", "decisions", "indicator_values", "observations", "claims",
        "evidence",
    )}
    t["indicators"].append({"key": "staff_turnover", "name": "Staff turnover", "unit": "%",
                            "higher_is_better": "false"})
    for tag in TAGS:
        t["places"].append({"key": f"{tag}-town", "name": f"{tag.title()} Town"})
        t["institutions"].append({"key": tag, "name": NAMES[tag], "kind": "local_authority",
                                  "place": f"{tag}-town", "notes": f"{tag} notes"})
        t["leadership"] += [
            {"institution": tag, "role": "chief_executive", "holder": f"{tag} first chief",
             "start": "2015-01-01", "end": "2018-03-31"},
            {"institution": tag, "role": "chief_executive", "holder": f"{tag} second chief",
             "start": "2018-04-01", "end": ""},
        ]
        t["partners"].append({"institution": tag, "partner": f"{tag} partner org",
                              "start": "2016-01-01", "end": "2020-06-30"})
        t["changes"].append({"key": f"{tag}-hiring", "institution": tag,
                             "title": f"{tag} hiring criteria", "kind": "hiring_criteria",
                             "adopted": "2016-06-01"})
        t["change_status"] += [
            {"change": f"{tag}-hiring", "date": "2019-06-30", "status": "in_force"},
            {"change": f"{tag}-hiring", "date": "2021-09-30", "status": "in_force"},
        ]
        t["decisions"].append({"key": f"{tag}-budget", "institution": tag,
                               "date": "2019-02-01", "title": f"{tag} budget panel reversed",
                               "reverses_earlier": "true", "because_of_community": "true",
                               "cost": "budget", "cost_note": f"{tag} cost"})
        for i, period in enumerate(_quarters(2016, 6)):
            t["indicator_values"].append({"institution": tag, "indicator": "staff_turnover",
                                          "period": period, "value": str(20 - i % 5),
                                          "source": f"{tag} HR"})
        t["observations"].append({"institution": tag, "period": "2020Q1",
                                  "narrative": f"{tag} narrative of the quarter",
                                  "stage": "installation"})
        t["claims"].append({"key": f"{tag}-claim", "institution": tag,
                            "statement": f"{tag} practice is consistent with the programme"})
        t["evidence"].append({"key": f"{tag}-interview", "institution": tag,
                              "title": f"{tag} interview", "date": "2020-01-15",
                              "kind": "interview", "claim": f"{tag}-claim",
                              "link": "individual_practice", "record": f"{tag}-hiring",
                              "supports": "true", "test": "hoop"})
    for portfolio, members in PORTFOLIOS.items():
        t["portfolios"] += [{"portfolio": portfolio, "institution": tag,
                             "name": PORTFOLIO_NAMES[portfolio]} for tag in members]
    return t


def load_scenario(engine: Engine, folder: Path) -> None:
    """Import the scenario's workbook and add one user per role (password `PASSWORD`)."""
    import_workbook(engine, write_csvs(folder, workbook_tables()), actor=local_operator())
    for role in ROLES:
        add_user(engine, role.user, role=role.role, password=PASSWORD, actor=local_operator(),
                 institutions=role.institutions, portfolios=role.portfolios)
