"""The data layer's scope: what each role reads (data sets, portfolios, the audit log) and what
an evaluator's workbook may hold, checked before anything of it is validated. On SQLite and
PostgreSQL (the audit rules also as a plain table)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, select

from tests.access.scenario import (
    EVALUATOR,
    FUNDER,
    PORTFOLIOS,
    ROLES,
    VIEWER,
    Role,
    load_scenario,
    write_csvs,
)
from tracker import models
from tracker.access import Actor, PermissionRefused, local_operator
from tracker.db import get_engine, read_session
from tracker.scope import AuditScope, audit_scope, readable_dataset, readable_institutions
from tracker.users import actor_for, add_user, set_portfolio_readers
from tracker.workbook.problems import WorkbookRefused
from tracker.writes.history.audit_log import audit_entries
from tracker.writes.imports.importer import import_workbook
from tracker.writes.imports.memberships import remove_portfolio_members
from tracker.writes.imports.rows import write_rows

ADMIN_ACTOR = local_operator()


def actor_of(role: Role) -> Actor:
    if role.role == "admin":
        return local_operator()
    return Actor(name=role.user, role=role.role, institutions=frozenset(role.institutions),
                 portfolios=frozenset(role.portfolios))


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.role)
def test_the_data_set_holds_only_what_the_role_reads(scenario_url: str, role: Role) -> None:
    with read_session(get_engine(scenario_url)) as session:
        dataset = readable_dataset(session, actor_of(role))
    assert set(dataset["institutions"]["key"]) == set(role.readable)
    for name in dataset:
        frame = dataset[name]
        if "institution" in frame.columns:
            assert set(frame["institution"]) <= set(role.readable), name
    assert set(dataset["places"]["key"]) == {f"{t}-town" for t in role.readable}
    assert set(dataset["change_status"]["change"]) == {f"{t}-hiring" for t in role.readable}
    expected_portfolios = set(PORTFOLIOS) if role.role == "admin" else set(role.portfolios)
    assert set(dataset["portfolios"]["portfolio"]) == expected_portfolios
    assert list(dataset["indicators"]["key"]) == ["staff_turnover"]  # shared by everyone


@pytest.mark.parametrize(
    ("actor", "table", "record", "seen"),
    [
        ("ann", "indicator_values", "birch|staff_turnover|2020Q1", False),
        ("ann", "indicator_values", "alder|staff_turnover|2020Q1", True),
        ("ann", "leadership_confirmations", "alder|2020Q1", True),
        ("ann", "quarter_submissions", "birch|2020Q1", False),
        ("ann", "changes", "alder-hiring", True),
        ("ann", "changes", "birch-hiring", False),
        ("ann", "change_status", "alder-hiring|2019-06-30", True),
        ("ann", "change_status", "birch-hiring|2019-06-30", False),
        ("ann", "evidence", "alder-interview", True),
        ("ann", "portfolios", "fund-one|alder", False),  # an evaluator reads no portfolio
        ("ann", "places", "alder-town", True),
        ("ann", "places", "birch-town", False),
        ("ann", "indicators", "staff_turnover", True),
        ("ann", "users", "eve", True),  # their own account: logins, password changes
        ("ann", "users", "ivy", False),
        ("ann", None, None, False),  # someone else's import: a file name and counts
        ("eve", None, None, True),  # their own import
        ("ann", "unknown_table", "alder", False),
    ],
)
def test_an_evaluator_sees_the_audit_entries_of_their_institutions(
    actor: str, table: str | None, record: str | None, seen: bool
) -> None:
    scope = AuditScope(
        actor="eve", institutions=frozenset({"alder"}), portfolios=frozenset(),
        places=frozenset({"alder-town"}),
        keys={"changes": frozenset({"alder-hiring"}), "evidence": frozenset({"alder-interview"})},
    )
    assert scope.allows(actor=actor, table_name=table, record_key=record) is seen


def test_a_funder_sees_membership_entries_of_their_own_portfolio_only() -> None:
    scope = AuditScope(actor="fay", institutions=frozenset({"cedar"}),
                       portfolios=frozenset({"fund-two"}), places=frozenset())
    assert scope.allows(actor="ann", table_name="portfolios", record_key="fund-two|cedar")
    assert not scope.allows(actor="ann", table_name="portfolios", record_key="fund-one|cedar")


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.role)
def test_the_audit_log_read_by_a_role_names_only_its_institutions(
    scenario_url: str, role: Role
) -> None:
    with read_session(get_engine(scenario_url)) as session:
        scope = audit_scope(session, actor_of(role))
        entries = audit_entries(session, actor=actor_of(role))
    assert (scope is None) == (role.role == "admin")
    assert entries  # everyone sees at least their own account's entries
    text = " ".join(str(e.to_json()) for e in entries)
    for tag in ("alder", "birch", "cedar"):
        if tag not in role.readable:
            assert tag not in text


@pytest.mark.parametrize("role", [VIEWER, FUNDER], ids=lambda r: r.role)
def test_a_reader_is_refused_before_the_workbook_is_even_validated(
    scenario_url: str, role: Role, tmp_path: Path
) -> None:
    workbook = write_csvs(tmp_path / "bad", {"indicator_values": [
        {"institution": role.readable[0], "indicator": "no-such", "period": "someday",
         "value": "lots"}
    ]})
    with pytest.raises(PermissionRefused, match="may read but not write"):
        import_workbook(get_engine(scenario_url), workbook, actor=actor_of(role), dry_run=True)


def test_an_evaluator_learns_nothing_from_rows_of_other_institutions(
    scenario_url: str, tmp_path: Path
) -> None:
    # The row equals birch's stored value: were it only compared, "unchanged" would tell.
    workbook = write_csvs(tmp_path / "same", {"indicator_values": [
        {"institution": "birch", "indicator": "staff_turnover", "period": "2016Q1",
         "value": "20", "source": "birch HR"}
    ]})
    with pytest.raises(PermissionRefused, match="not assigned to: birch"):
        import_workbook(get_engine(scenario_url), workbook, actor=actor_of(EVALUATOR),
                        dry_run=True)


def test_an_evaluator_writes_a_new_change_with_its_status_and_evidence(
    scenario_url: str, tmp_path: Path
) -> None:
    workbook = write_csvs(tmp_path / "own", {
        "changes": [{"key": "alder-language", "institution": "alder", "title": "alder words",
                     "kind": "language", "adopted": "2022-01-10"}],
        "change_status": [{"change": "alder-language", "date": "2023-01-10",
                           "status": "in_force"}],
        "evidence": [{"key": "alder-minutes", "institution": "alder", "title": "alder minutes",
                      "date": "2023-01-12", "record": "alder-budget",
                      "claim": "alder-claim"}],
    })
    report = import_workbook(get_engine(scenario_url), workbook, actor=actor_of(EVALUATOR))
    assert report.counts()["changes"]["new"] == 1


def test_an_evaluator_may_not_move_another_institutions_record_to_theirs(
    scenario_url: str, tmp_path: Path
) -> None:
    workbook = write_csvs(tmp_path / "move", {"decisions": [
        {"key": "birch-budget", "institution": "alder", "date": "2019-02-01",
         "title": "alder now"}
    ]})
    with pytest.raises(PermissionRefused, match="birch-budget"):
        import_workbook(get_engine(scenario_url), workbook, actor=actor_of(EVALUATOR),
                        correct=True, reason="mine now")


def test_the_dashboards_writes_are_scoped_the_same_way(scenario_url: str) -> None:
    rows = pd.DataFrame([{"institution": "cedar", "indicator": "staff_turnover",
                          "period": "2029Q1", "value": 5.0}])
    with pytest.raises(PermissionRefused, match="not assigned to: cedar"):
        write_rows(get_engine(scenario_url), {"indicator_values": rows},
                   actor=actor_of(EVALUATOR))
    with pytest.raises(PermissionRefused, match="may read but not write"):
        write_rows(get_engine(scenario_url), {"indicator_values": rows},
                   actor=actor_of(FUNDER))


@pytest.mark.usefixtures("fast_hashing")
def test_portfolio_members_and_funders_are_changed_by_administrators_only(
    engine: Engine, tmp_path: Path
) -> None:
    load_scenario(engine, tmp_path / "workbook")
    fay = actor_for(engine, "fay")
    with pytest.raises(PermissionRefused):
        remove_portfolio_members(engine, "fund-two", ["cedar"], actor=fay)
    with pytest.raises(PermissionRefused):
        set_portfolio_readers(engine, "fund-one", ["fay"], actor=fay)
    # An administrator gives fay fund-one too, then takes birch out of it.
    set_portfolio_readers(engine, "fund-one", ["fay"], actor=ADMIN_ACTOR, reason="new grant")
    fay = actor_for(engine, "fay")
    with read_session(engine) as session:
        assert readable_institutions(session, fay) == {"alder", "birch", "cedar"}
    removed = remove_portfolio_members(engine, "fund-one", ["birch", "cedar"], actor=ADMIN_ACTOR,
                                       reason="grant ended")
    assert removed == ["birch"]  # cedar was never a member of fund-one
    with read_session(engine) as session:
        assert readable_institutions(session, fay) == {"alder", "cedar"}
        kept = session.scalars(select(models.RecordVersion.data).where(
            models.RecordVersion.table_name == "portfolios")).all()
        audit = session.execute(select(models.AuditEntry.record_key, models.AuditEntry.reason)
                                .where(models.AuditEntry.action == "remove")).all()
    assert kept == [{"portfolio": "fund-one", "institution": "birch", "name": "Fund One"}]
    assert [tuple(a) for a in audit] == [("fund-one|birch", "grant ended")]


def test_only_funders_read_portfolios(engine: Engine, tmp_path: Path) -> None:
    load_scenario(engine, tmp_path / "workbook")
    with pytest.raises(PermissionRefused, match="Not funders: eve"):
        set_portfolio_readers(engine, "fund-one", ["eve"], actor=ADMIN_ACTOR)
    add_user(engine, "flo", role="funder", password=None, actor=ADMIN_ACTOR,
             portfolios=["fund-one"])
    assert set_portfolio_readers(engine, "fund-one", [], actor=ADMIN_ACTOR) == ["flo"]
    with read_session(engine) as session:
        assert readable_institutions(session, actor_for(engine, "flo")) == set()


def test_a_refused_import_by_a_reader_writes_nothing(scenario_url: str, tmp_path: Path) -> None:
    engine = get_engine(scenario_url)
    workbook = write_csvs(tmp_path / "v", {"indicator_values": [
        {"institution": "birch", "indicator": "staff_turnover", "period": "2028Q1", "value": "1"}
    ]})
    with pytest.raises((PermissionRefused, WorkbookRefused)):
        import_workbook(engine, workbook, actor=actor_of(VIEWER))
    with read_session(engine) as session:
        periods = session.scalars(select(models.IndicatorValue.period)).all()
    assert "2028Q1" not in periods
