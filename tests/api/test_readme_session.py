"""The README's curl session, run as written against `tracker serve-api` (a subprocess on a
free port; the block's own `tracker serve-api &` line is what this starts)."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tracker.access import local_operator
from tracker.config import sample_data_path
from tracker.db import make_engine
from tracker.migrate import upgrade
from tracker.users import add_user
from tracker.writes.imports.importer import import_workbook

README = Path(__file__).resolve().parents[2] / "README.md"
BIN = Path(sys.executable).parent


def _session() -> list[str]:
    text = README.read_text(encoding="utf-8")
    block = re.search(r"<!-- api-session:start -->\n```bash\n(.*?)```\n<!-- api-session:end -->",
                      text, re.S)
    assert block, "the README has no API session block"
    return block[1].splitlines()


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    # SQLite only: the HTTP tests run both databases; this one checks the documented session.
    return f"sqlite:///{tmp_path / 'tracker.db'}"


@pytest.fixture
def served(database_url: str) -> Iterator[str]:
    """`tracker serve-api` over the sample, with ana (evaluator of wigan-council)."""
    engine = make_engine(database_url)
    upgrade(engine)
    import_workbook(engine, sample_data_path(), actor=local_operator())
    add_user(engine, "ana", role="evaluator", password=None, actor=local_operator(),
             institutions=["wigan-council"])
    engine.dispose()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [str(BIN / "tracker"), "serve-api", "--port", str(port), "--db", database_url],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/openapi.json", timeout=2)
                break
            except httpx.TransportError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("tracker serve-api did not start") from None
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.mark.slow
def test_the_readme_session_posts_a_quarter_set_reads_the_analysis_and_is_refused_another(
    served: str, database_url: str
) -> None:
    lines = [line for line in _session() if not line.startswith("tracker serve-api")]
    env = {**os.environ, "API": served, "TRACKER_DATABASE_URL": database_url,
           "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    ran = subprocess.run(["bash", "-euo", "pipefail", "-c", "\n".join(lines)], env=env,
                         capture_output=True, text=True, timeout=300)
    assert ran.returncode == 0, ran.stderr + ran.stdout
    decoder = json.JSONDecoder()
    documents, text = [], ran.stdout.strip()
    while text:
        document, end = decoder.raw_decode(text)
        documents.append(document)
        text = text[end:].strip()
    dry, real, read_back, analysis, refused = documents
    assert dry["dry_run"] and not dry["written"]
    assert dry["tables"]["indicator_values"]["new"] == 2
    assert real["written"] and real["tables"]["indicator_values"]["new"] == 2
    assert sorted(i["values"]["value"] for i in read_back["items"]) == [11.2, 41]
    assert {i["version"] for i in read_back["items"]} == {1}
    assert [i["institution"] for i in analysis["institutions"]] == ["wigan-council"]
    assert refused["status"] == 403
    assert refused["detail"] == "ana may not read an institution 'test-valley-council'."
