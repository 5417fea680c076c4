"""The portfolio summary from the results store is the summary of a fresh analysis: for the
sample, for a generated portfolio after writes, for one portfolio, and for a funder (who reads
approved quarters only); reading it refreshes only the institutions a write touched."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine

from tests.store.conftest import fresh_json
from tracker.access import Actor, local_operator
from tracker.analysis.params import Parameters
from tracker.analysis.portfolio import portfolio_summary
from tracker.analysis.portfolio_parts import portfolio_parts
from tracker.analysis.run import analyse
from tracker.config import PROJECT_ROOT
from tracker.db import read_session
from tracker.queries import load_dataset
from tracker.scope import readable_dataset
from tracker.store import refresh_results
from tracker.store.portfolio import stored_portfolio
from tracker.store.portfolio_parts import parts_from_documents, portfolio_documents
from tracker.writes.imports.importer import import_workbook

ADMIN = local_operator()
SAMPLE_PORTFOLIO = "place-based-culture"


def _fresh(engine: Engine, actor: Actor = ADMIN, portfolio: str | None = None,
           params: Parameters | None = None) -> dict[str, object]:
    """What the portfolio page showed before the store: analyse what the actor may read."""
    with read_session(engine) as session:
        dataset = readable_dataset(session, actor)
    result = analyse(dataset, params or Parameters())
    return portfolio_summary(dataset, result, portfolio=portfolio).to_json()


def test_the_stored_summary_of_the_sample_is_the_fresh_one(engine: Engine) -> None:
    import_workbook(engine, PROJECT_ROOT / "sample_data", actor=ADMIN)
    assert stored_portfolio(engine, ADMIN).to_json() == _fresh(engine)
    stored = stored_portfolio(engine, ADMIN, portfolio=SAMPLE_PORTFOLIO).to_json()
    assert stored == _fresh(engine, portfolio=SAMPLE_PORTFOLIO)
    assert stored["n_institutions"] > 0


def test_parts_read_back_from_their_documents_are_the_parts(
    portfolio: Path, engine: Engine
) -> None:
    import_workbook(engine, portfolio, actor=ADMIN)
    with read_session(engine) as session:
        dataset = load_dataset(session)
    parts = portfolio_parts(dataset, analyse(dataset))
    again = parts_from_documents(sorted(portfolio_documents(parts).items()))
    assert len(parts.durations) > 0 and len(parts.at_risk) > 0
    pd.testing.assert_frame_equal(again.rows, parts.rows, check_dtype=False)
    pd.testing.assert_frame_equal(again.at_risk, parts.at_risk, check_dtype=False)
    pd.testing.assert_frame_equal(again.durations, parts.durations, check_dtype=False)


def _write(folder: Path, table: str, header: list[str], row: dict[str, str]) -> Path:
    folder.mkdir(parents=True)
    with (folder / f"{table}.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerow(row)
    return folder


def test_after_writes_the_stored_summary_is_still_the_fresh_one(
    portfolio: Path, engine: Engine, tmp_path: Path
) -> None:
    import_workbook(engine, portfolio, actor=ADMIN)
    params = Parameters(window_months=9)
    assert stored_portfolio(engine, ADMIN, params).to_json() == _fresh(engine, params=params)
    # A change reversed: the survival curves, the verdicts and the phase may all move.
    with (portfolio / "change_status.csv").open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        header, statuses = list(reader.fieldnames or []), list(reader)
    status = dict(statuses[len(statuses) // 2])
    status.update(status="reversed", notes="reversed in a test")
    status["date"] = str(pd.Timestamp(status["date"]).date() + pd.DateOffset(days=40))[:10]
    import_workbook(engine, _write(tmp_path / "w1", "change_status", header, status),
                    actor=ADMIN, correct=True, reason="a test write")
    assert refresh_results(engine, params).computed == 1
    assert stored_portfolio(engine, ADMIN, params).to_json() == _fresh(engine, params=params)


def test_a_funder_reads_the_summary_of_approved_quarters_only(engine: Engine) -> None:
    import_workbook(engine, PROJECT_ROOT / "sample_data", actor=ADMIN)
    funder = Actor(name="fiona", role="funder", portfolios=frozenset({SAMPLE_PORTFOLIO}))
    stored = stored_portfolio(engine, funder, portfolio=SAMPLE_PORTFOLIO).to_json()
    assert stored == _fresh(engine, funder, portfolio=SAMPLE_PORTFOLIO)
    assert stored_portfolio(engine, funder).to_json() == _fresh(engine, funder)


def test_a_portfolio_the_actor_may_not_read_is_not_summarised(engine: Engine) -> None:
    import_workbook(engine, PROJECT_ROOT / "sample_data", actor=ADMIN)
    funder = Actor(name="fiona", role="funder", portfolios=frozenset({"another-portfolio"}))
    with pytest.raises(KeyError):
        stored_portfolio(engine, funder, portfolio=SAMPLE_PORTFOLIO)
    with pytest.raises(KeyError):
        stored_portfolio(engine, ADMIN, portfolio="no-such-portfolio")


def test_approving_a_quarter_refreshes_what_funders_read(engine: Engine) -> None:
    from tracker.store import stored_results
    from tracker.writes.quarter.review import approve, submit

    import_workbook(engine, PROJECT_ROOT / "sample_data", actor=ADMIN)
    funder = Actor(name="fiona", role="funder", portfolios=frozenset({SAMPLE_PORTFOLIO}))
    before = stored_results(engine, funder).document("wigan-council")
    with (PROJECT_ROOT / "sample_data" / "indicator_values.csv").open(encoding="utf-8") as handle:
        periods = sorted(
            row["period"] for row in csv.DictReader(handle) if row["institution"] == "wigan-council"
        )
    for period in sorted(set(periods))[:8]:
        submit(engine, institution="wigan-council", period=period,
               actor=Actor(name="ann", role="admin"))
        approve(engine, institution="wigan-council", period=period,
                actor=Actor(name="bob", role="admin"))
    after = stored_results(engine, funder)
    assert after.refreshed.computed == 1  # only the institution whose quarters were approved
    assert after.document("wigan-council") != before
    assert after.to_json() == fresh_json(engine, funder)
    assert stored_portfolio(engine, funder).to_json() == _fresh(engine, funder)

