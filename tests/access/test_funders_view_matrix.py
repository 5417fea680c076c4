"""The funders' view at every door that reads records, their history or the audit log: every
read route and command × every role × a quarter in each review state.

A funder reads a quarter's reported values (and its review thread) only once the quarter is
approved; every other role that may read the institution reads every quarter. One seeded
database per backend (the sample, one user per role, a quarter of northdale-council in each
review state, each with a review comment), shared by the module, behind one API server.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx
import pytest
from typer.testing import CliRunner

from tests.api.conftest import _database, serving
from tracker.access import local_operator
from tracker.cli import app
from tracker.config import sample_data_path
from tracker.db import make_engine, read_session
from tracker.migrate import upgrade
from tracker.scope import readable_dataset_and_quarters
from tracker.tokens import create_token
from tracker.users import actor_for, add_user
from tracker.writes.imports.importer import import_workbook
from tracker.writes.quarter import review

INSTITUTION = "northdale-council"
# A quarter of northdale-council in each review state (each has values and a narrative).
STATES = {"2020Q3": "open", "2021Q3": "submitted", "2022Q1": "returned", "2024Q3": "approved"}
EVERY_QUARTER = frozenset(STATES)
APPROVED = frozenset({"2024Q3"})
# role → (user, role word, institutions, portfolios)
USERS = {
    "admin": ("root", "admin", (), ()),
    "evaluator": ("ana", "evaluator", (INSTITUTION,), ()),
    "reviewer": ("rita", "reviewer", (INSTITUTION,), ()),
    "viewer": ("wendy", "institution", (INSTITUTION,), ()),
    "funder": ("fay", "funder", (), ("fictional-demo",)),
    "other": ("otto", "evaluator", ("wigan-council",), ()),
}
# The quarters of northdale-council each role reads (None: refused the institution).
SEES: dict[str, frozenset[str] | None] = {
    "admin": EVERY_QUARTER, "evaluator": EVERY_QUARTER, "reviewer": EVERY_QUARTER,
    "viewer": EVERY_QUARTER, "funder": APPROVED, "other": None,
}
runner = CliRunner()


@dataclass
class Seeded:
    url: str
    base: str
    tokens: dict[str, str]

    def get(self, role: str, path: str) -> httpx.Response:
        with httpx.Client(base_url=self.base, timeout=60) as client:
            return client.get(path, headers={"Authorization": f"Bearer {self.tokens[role]}"})

    def cli(self, role: str, *args: str) -> tuple[int, str]:
        result = runner.invoke(app, [*args, "--db", self.url, "--as", USERS[role][0]])
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result.exit_code, result.stdout + result.stderr


@pytest.fixture(scope="module",
                params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def seeded(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    with _database(request.param, tmp_path_factory.mktemp("funders")) as url:
        engine = make_engine(url)
        upgrade(engine)
        operator = local_operator()
        import_workbook(engine, sample_data_path(), actor=operator)
        tokens = {}
        for role, (name, kind, institutions, portfolios) in USERS.items():
            add_user(engine, name, role=kind, password=None, actor=operator,
                     institutions=institutions, portfolios=portfolios)
            tokens[role], _ = create_token(engine, name, actor=operator)
        ana, rita = actor_for(engine, "ana"), actor_for(engine, "rita")
        for period, state in STATES.items():
            review.comment(engine, institution=INSTITUTION, period=period, actor=rita,
                           text=f"A word on {period}")
            if state == "open":
                continue
            review.submit(engine, institution=INSTITUTION, period=period, actor=ana)
            if state == "returned":
                review.return_(engine, institution=INSTITUTION, period=period, actor=rita,
                               comment="Please check the figures")
            elif state == "approved":
                review.approve(engine, institution=INSTITUTION, period=period, actor=rita)
        with serving(engine) as base:
            yield Seeded(url=url, base=base, tokens=tokens)
        engine.dispose()


def _quarter(record: str) -> str:
    return record.split("|")[-1]


def _northdale(records: list[str | None]) -> set[str]:
    """The quarters of northdale-council among record keys (of the quarterly tables)."""
    return {_quarter(r) for r in records if r and r.startswith(f"{INSTITUTION}|")}


def _api_records(table: str) -> Callable[[Seeded, str], set[str] | None]:
    def read(seeded: Seeded, role: str) -> set[str] | None:
        response = seeded.get(role, f"/v1/institutions/{INSTITUTION}/records/{table}?limit=1000")
        if response.status_code == 403:
            return None
        assert response.status_code == 200, response.text
        return {i["values"]["period"] for i in response.json()["items"]}
    return read


def _api_record(seeded: Seeded, role: str) -> set[str] | None:
    seen = set()
    for period in STATES:
        response = seeded.get(
            role, f"/v1/institutions/{INSTITUTION}/records/observations/{INSTITUTION}|{period}"
        )
        if response.status_code == 403:
            return None
        assert response.status_code in (200, 404), response.text
        if response.status_code == 200:
            seen.add(period)
    return seen


def _api_history(table: str) -> Callable[[Seeded, str], set[str] | None]:
    def read(seeded: Seeded, role: str) -> set[str] | None:
        response = seeded.get(role, f"/v1/institutions/{INSTITUTION}/history?table={table}"
                                    "&limit=1000")
        if response.status_code == 403:
            return None
        assert response.status_code == 200, response.text
        return {_quarter(i["record"]) for i in response.json()["items"]}
    return read


def _api_audit(seeded: Seeded, role: str) -> set[str] | None:
    records: list[str | None] = []
    path = "/v1/audit?limit=1000"
    while path:
        response = seeded.get(role, path)
        assert response.status_code == 200, response.text
        body = response.json()
        records += [e["record"] for e in body["items"]
                    if e["table"] in ("indicator_values", "observations", "quarter_comments")]
        path = f"/v1/audit?limit=1000&cursor={body['next']}" if body["next"] else ""
    return _northdale(records)


def _cli_history(table: str) -> Callable[[Seeded, str], set[str] | None]:
    def read(seeded: Seeded, role: str) -> set[str] | None:
        code, output = seeded.cli(role, "history", "--institution", INSTITUTION, "--table",
                                  table, "--format", "json")
        if code == 1 and "may not read" in output:
            return None
        assert code == 0, output
        return {_quarter(v["record"]) for v in json.loads(output)["versions"]}
    return read


def _cli_audit(seeded: Seeded, role: str) -> set[str] | None:
    code, output = seeded.cli(role, "audit", "--format", "json")
    assert code == 0, output
    entries = json.loads(output)["entries"]
    return _northdale([e["record"] for e in entries
                       if e["table"] in ("indicator_values", "observations", "quarter_comments")])


def _cli_review_thread(seeded: Seeded, role: str) -> set[str] | None:
    """`tracker quarter status`: the quarters whose review thread the role reads."""
    seen = set()
    for period in STATES:
        code, output = seeded.cli(role, "quarter", "status", "--institution", INSTITUTION,
                                  "--period", period, "--format", "json")
        if code == 1 and "may not read" in output:
            return None
        assert code == 0, output
        if json.loads(output)["comments"]:
            seen.add(period)
    return seen


def _dashboard_institution(seeded: Seeded, role: str) -> set[str] | None:
    """What the dashboard's pages about one institution read (`cached_institution_dataset`)."""
    from tracker.access import PermissionRefused

    engine = make_engine(seeded.url)
    try:
        with read_session(engine) as session:
            dataset, _ = readable_dataset_and_quarters(
                session, actor_for(engine, USERS[role][0]), institution=INSTITUTION
            )
    except PermissionRefused:
        return None
    finally:
        engine.dispose()
    return set(dataset["indicator_values"]["period"]) | set(dataset["observations"]["period"])


DOORS = {
    "GET records/indicator_values": _api_records("indicator_values"),
    "GET records/observations": _api_records("observations"),
    "GET one observation": _api_record,
    "GET history indicator_values": _api_history("indicator_values"),
    "GET history observations": _api_history("observations"),
    "GET audit": _api_audit,
    "tracker history indicator_values": _cli_history("indicator_values"),
    "tracker history observations": _cli_history("observations"),
    "tracker audit": _cli_audit,
    "tracker quarter status (thread)": _cli_review_thread,
    "dashboard institution pages": _dashboard_institution,
}


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("role", USERS)
def test_each_role_reads_at_each_door_the_quarters_its_role_may_read(
    seeded: Seeded, role: str, door: str
) -> None:
    seen = DOORS[door](seeded, role)
    expected = SEES[role]
    if door in ("GET audit", "tracker audit") and expected is None:
        expected = frozenset()  # the log is read by everyone: nothing of northdale in it
    if expected is None:
        assert seen is None, f"{role} read {INSTITUTION} at {door}"
        return
    assert seen is not None
    # Every quarter in STATES has values and a narrative, so each door shows exactly these.
    assert seen & EVERY_QUARTER == expected, f"{role} at {door}"
    if role == "funder":
        assert seen <= APPROVED, f"a funder read unapproved quarters at {door}: {seen}"


def test_a_funder_reads_submitted_quarters_when_the_setting_says_so(
    seeded: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_FUNDERS_SEE_SUBMITTED", "true")
    for door in ("tracker history observations", "GET history observations"):
        seen = DOORS[door](seeded, "funder")
        assert seen is not None
        assert seen & EVERY_QUARTER == {"2021Q3", "2024Q3"}, door


def test_the_matrix_covers_every_read_route_of_records_history_and_audit() -> None:
    from tracker.api.app import create_app

    paths = create_app(make_engine("sqlite://")).openapi()["paths"]
    reads = {p for p, ops in paths.items() if "get" in ops
             and ("records" in p or "history" in p or p.endswith("/audit"))}
    assert reads == {
        "/v1/institutions/{institution}/records/{table}",
        "/v1/institutions/{institution}/records/{table}/{record}",
        "/v1/institutions/{institution}/history",
        "/v1/audit",
    }

