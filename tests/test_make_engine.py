"""Issue 25: an engine on a SQLite `file:` URI (uri=true, e.g. a read-only copy) makes no folder
named "file:" where the command runs; a plain path still gets its folder made."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from tracker.db import make_engine


def test_a_file_uri_makes_no_stray_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stored = tmp_path / "data" / "tracker.db"
    plain = make_engine(f"sqlite:///{stored}")
    with plain.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
    plain.dispose()
    assert stored.is_file()
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    engine = make_engine(f"sqlite:///file:{stored}?mode=ro&uri=true")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t")).scalar() == 0
    engine.dispose()
    assert list(here.iterdir()) == []
