"""Two refreshers and a reader at once (PostgreSQL and SQLite): identical stored results, and
no institution analysed twice."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import Engine

from tracker.access import local_operator
from tracker.analysis.params import Parameters
from tracker.analysis.run import analyse
from tracker.db import read_session
from tracker.generate import write_sample
from tracker.scope import readable_dataset
from tracker.store import refresh as refresh_module
from tracker.store import refresh_results, stored_results
from tracker.writes.imports.importer import import_workbook

ADMIN = local_operator()


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("concurrent") / "workbook"
    write_sample(path, institutions=30, years=3, seed=3)
    return path


def test_two_refreshers_and_a_reader_share_the_work_and_agree(
    engine: Engine, portfolio: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_workbook(engine, portfolio, actor=ADMIN)
    analysed: Counter[str] = Counter()
    save = refresh_module._save
    lock = threading.Lock()

    def counting_save(
        session: Any, params: Any, key: str, states: list[Any], view: str
    ) -> None:
        with lock:
            analysed.update(state.key for state in states)
        save(session, params, key, states, view)

    monkeypatch.setattr(refresh_module, "_save", counting_save)
    start = threading.Barrier(3)
    outcomes: dict[str, Any] = {}
    errors: list[BaseException] = []

    def run(name: str, work: Any) -> None:
        try:
            start.wait()
            outcomes[name] = work()
        except BaseException as error:  # surfaced below, with the thread's name
            errors.append(error)

    threads = [
        threading.Thread(target=run, args=("first", lambda: refresh_results(engine, batch_size=3))),
        threading.Thread(
            target=run, args=("second", lambda: refresh_results(engine, batch_size=4))
        ),
        threading.Thread(target=run, args=("reader", lambda: stored_results(engine, ADMIN))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors
    assert sorted(analysed) == list(outcomes["reader"].keys)
    assert set(analysed.values()) == {1}  # every institution analysed exactly once
    reports = [outcomes["first"], outcomes["second"], outcomes["reader"].refreshed]
    assert sum(report.computed for report in reports) == 30
    with read_session(engine) as session:
        fresh = analyse(readable_dataset(session, ADMIN), Parameters())
    expected = orjson.loads(orjson.dumps(fresh.to_json()))
    assert outcomes["reader"].to_json() == expected
    assert stored_results(engine, ADMIN).to_json() == expected
