"""Fixtures of the results store's tests."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from sqlalchemy import Engine

from tracker.access import Actor, local_operator
from tracker.analysis.params import Parameters
from tracker.analysis.run import analyse
from tracker.db import read_session
from tracker.generate import write_sample
from tracker.scope import readable_dataset


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated portfolio of 24 institutions over 4 years (written once per module)."""
    path = tmp_path_factory.mktemp("portfolio") / "workbook"
    write_sample(path, institutions=24, years=4, seed=11)
    return path


def fresh_json(
    engine: Engine, actor: Actor | None = None, params: Parameters | None = None
) -> object:
    """What `tracker analyse --fresh --format json` gives `actor` (default: the local
    operator), as JSON values: what every stored result is compared with."""
    with read_session(engine) as session:
        dataset = readable_dataset(session, actor or local_operator())
    return orjson.loads(orjson.dumps(analyse(dataset, params or Parameters()).to_json()))
