"""The results store: stored results equal a fresh analysis, a write makes stale exactly the
institutions it touches, and scope filters stored rows without recomputing per user."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from tests.store.conftest import fresh_json
from tracker import models
from tracker.access import Actor, local_operator
from tracker.analysis.params import Parameters
from tracker.config import PROJECT_ROOT
from tracker.db import read_session
from tracker.store import refresh as refresh_module
from tracker.store import refresh_results, stored_results
from tracker.writes.imports.importer import import_workbook

ADMIN = local_operator()


def _stored(engine: Engine, actor: Actor = ADMIN, params: Parameters | None = None) -> object:
    return stored_results(engine, actor, params).to_json()


def _write_rows(folder: Path, table: str, header: list[str], rows: list[dict[str, str]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f"{table}.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return folder


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def test_stored_results_equal_a_fresh_analysis_on_the_sample(engine: Engine) -> None:
    import_workbook(engine, PROJECT_ROOT / "sample_data", actor=ADMIN)
    first = stored_results(engine, ADMIN)
    assert first.refreshed.computed == len(first.keys) > 0
    assert first.to_json() == fresh_json(engine)
    again = stored_results(engine, ADMIN)
    assert again.refreshed.computed == 0
    assert again.to_json() == fresh_json(engine)


def test_stored_results_equal_fresh_after_a_sequence_of_random_writes(
    engine: Engine, portfolio: Path, tmp_path: Path
) -> None:
    import_workbook(engine, portfolio, actor=ADMIN)
    params = Parameters(window_months=9)
    assert _stored(engine, params=params) == fresh_json(engine, params=params)
    header, values = _rows(portfolio / "indicator_values.csv")
    indicator_header, indicators = _rows(portfolio / "indicators.csv")
    draw = random.Random(5)
    for step in range(6):
        folder = tmp_path / f"write-{step}"
        if step == 3:
            # A shared definition: flipping an indicator's direction affects every user of it.
            row = dict(draw.choice(indicators))
            row["higher_is_better"] = "false" if row["higher_is_better"] == "true" else "true"
            _write_rows(folder, "indicators", indicator_header, [row])
            touched = {v["institution"] for v in values if v["indicator"] == row["key"]}
        else:
            row = dict(draw.choice(values))
            row["value"] = str(round(float(row["value"]) * draw.uniform(0.2, 1.8) + 1, 2))
            _write_rows(folder, "indicator_values", header, [row])
            touched = {row["institution"]}
        import_workbook(engine, folder, actor=ADMIN, correct=True, reason=f"test write {step}")
        report = refresh_results(engine, params)
        assert report.computed == len(touched)
        assert _stored(engine, params=params) == fresh_json(engine, params=params)


def test_a_write_marks_stale_only_the_institutions_it_touches(
    engine: Engine, portfolio: Path, tmp_path: Path
) -> None:
    import_workbook(engine, portfolio, actor=ADMIN)
    refresh_results(engine)
    header, values = _rows(portfolio / "indicator_values.csv")
    row = dict(values[0])
    row["value"] = str(float(row["value"]) + 7)
    import_workbook(
        engine,
        _write_rows(tmp_path / "w", "indicator_values", header, [row]),
        actor=ADMIN,
        correct=True,
        reason="a correction",
    )
    with read_session(engine) as session:
        states = refresh_module.result_states(session, refresh_module.parameters_key(Parameters()))
    assert {s.key for s in states if s.stale} == {row["institution"]}


def test_a_new_method_version_makes_every_result_stale(
    engine: Engine, portfolio: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_workbook(engine, portfolio, actor=ADMIN)
    assert refresh_results(engine).computed == 24
    monkeypatch.setattr(refresh_module, "ANALYSIS_METHOD_VERSION", 10_000)
    assert refresh_results(engine).computed == 24
    assert refresh_results(engine).computed == 0


def test_refresh_all_recomputes_every_result_once(engine: Engine, portfolio: Path) -> None:
    import_workbook(engine, portfolio, actor=ADMIN)
    refresh_results(engine)
    report = refresh_results(engine, everything=True, batch_size=5)
    assert (report.computed, report.fresh) == (24, 0)


def test_a_viewer_and_an_administrator_read_the_same_stored_rows(
    engine: Engine, portfolio: Path
) -> None:
    import_workbook(engine, portfolio, actor=ADMIN)
    everything = stored_results(engine, ADMIN)
    with read_session(engine) as session:
        member = models.PortfolioMember
        smallest = (
            select(models.Portfolio.key)
            .join(member, member.portfolio_id == models.Portfolio.id)
            .group_by(models.Portfolio.key)
            .order_by(func.count(), models.Portfolio.key)
            .limit(1)
        )
        portfolio_key = session.scalars(smallest).one()
    with read_session(engine) as session:
        members = set(
            session.scalars(
                select(models.Institution.key)
                .join(member, member.institution_id == models.Institution.id)
                .join(models.Portfolio, models.Portfolio.id == member.portfolio_id)
                .where(models.Portfolio.key == portfolio_key)
            )
        )
    viewer = Actor(name="vic", role="evaluator", institutions=frozenset(members))
    theirs = stored_results(engine, viewer)
    assert theirs.refreshed.computed == 0  # nothing recomputed for another user
    assert 0 < len(theirs.keys) < len(everything.keys)
    mine = {item["institution"]: item for item in everything.to_json()["institutions"]}
    assert theirs.to_json()["institutions"] == [mine[key] for key in theirs.keys]
    assert theirs.to_json() == fresh_json(engine, viewer)
    with read_session(engine) as session:
        stored = session.scalar(select(func.count()).select_from(models.StoredAnalysis))
    assert stored == len(everything.keys)  # one row per institution, not one per reader


def test_a_funder_reads_the_funders_view_stored_apart_and_shared_by_funders(
    engine: Engine, portfolio: Path
) -> None:
    """A funder reads approved quarters only (#15): that view is stored apart from the shared
    one, and a second funder reads the rows the first one's read stored."""
    import_workbook(engine, portfolio, actor=ADMIN)
    with read_session(engine) as session:
        portfolio_key = session.scalars(select(models.Portfolio.key).limit(1)).one()
    funder = Actor(name="fay", role="funder", portfolios=frozenset({portfolio_key}))
    theirs = stored_results(engine, funder)
    assert theirs.keys
    assert theirs.refreshed.computed == len(theirs.keys)
    assert theirs.to_json() == fresh_json(engine, funder)
    with read_session(engine) as session:
        keys = list(session.scalars(select(models.StoredAnalysis.params_key)))
    assert len(keys) == len(theirs.keys)
    assert all(key.endswith(":approved") for key in keys)  # none in the shared view
    other = Actor(name="fred", role="funder", portfolios=frozenset({portfolio_key}))
    again = stored_results(engine, other)
    assert again.refreshed.computed == 0
    assert again.to_json() == theirs.to_json()


def test_with_parent_turnovers_stored_equals_fresh_in_a_trust_and_its_schools(
    engine: Engine, portfolio: Path, tmp_path: Path
) -> None:
    """Issue 23, case 3: with `parent_turnovers` on, a trust's schools are analysed with the
    trust's turnovers (no crash), and when the trust's chief executive leaves, its schools fall
    stale and their stored results equal a fresh analysis."""
    import_workbook(engine, portfolio, actor=ADMIN)
    params = Parameters(parent_turnovers=True)
    assert _stored(engine, params=params) == fresh_json(engine, params=params)
    _, institutions = _rows(portfolio / "institutions.csv")
    members = {row["key"]: row["parent"] for row in institutions if row["parent"]}
    trust = sorted(set(members.values()))[0]
    schools = {key for key, parent in members.items() if parent == trust}
    header, tenures = _rows(portfolio / "leadership.csv")
    running = next(
        row for row in tenures
        if row["institution"] == trust and not row["end"] and row["key_role"] == "true"
    )
    ended = {**running, "end": "2025-06-30"}
    import_workbook(
        engine, _write_rows(tmp_path / "w", "leadership", header, [ended]), actor=ADMIN,
        correct=True, reason="the chief executive left",
    )
    with read_session(engine) as session:
        states = refresh_module.result_states(session, refresh_module.parameters_key(params))
    assert {s.key for s in states if s.stale} == {trust, *schools}
    report = refresh_results(engine, params)
    assert report.computed == 1 + len(schools)
    stored = _stored(engine, params=params)
    assert stored == fresh_json(engine, params=params)
    by_key = {item["institution"]: item for item in stored["institutions"]}  # type: ignore[index]
    for school in schools:
        seen = [t for t in by_key[school]["turnovers"] if t["date"] == "2025-06-30"]
        assert [t["role"] for t in seen] == [f"{running['role']} of parent {trust}"]


def test_with_parent_turnovers_the_sample_trust_and_school_are_analysed(engine: Engine) -> None:
    """A school whose trust has had no turnover yet (the sample's Hillcrest Academy) crashed."""
    import_workbook(engine, PROJECT_ROOT / "sample_data", actor=ADMIN)
    params = Parameters(parent_turnovers=True)
    assert _stored(engine, params=params) == fresh_json(engine, params=params)
