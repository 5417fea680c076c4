"""The curl session of the API's documentation (docs/api.md), run whole as written (#24, 8): on a
new database it loads the sample, adds ana and her token, starts `tracker serve-api` on a free
port (`PORT`) and waits for it, then posts, reads and is refused."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

API_DOCS = Path(__file__).resolve().parents[2] / "docs" / "api.md"
BIN = Path(sys.executable).parent


def _session() -> list[str]:
    text = API_DOCS.read_text(encoding="utf-8")
    block = re.search(r"<!-- api-session:start -->\n```bash\n(.*?)```\n<!-- api-session:end -->",
                      text, re.S)
    assert block, "docs/api.md has no API session block"
    return block[1].splitlines()


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    # SQLite only: the HTTP tests run both databases; this one checks the documented session.
    return f"sqlite:///{tmp_path / 'tracker.db'}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow
def test_the_readme_session_posts_a_quarter_set_reads_the_analysis_and_is_refused_another(
    database_url: str,
) -> None:
    # The block whole, as written: it loads the sample, adds ana, starts the API and waits.
    lines = _session()
    env = {**os.environ, "PORT": str(_free_port()), "TRACKER_DATABASE_URL": database_url,
           "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    ran = subprocess.run(["bash", "-euo", "pipefail", "-c", "\n".join(lines)], env=env,
                         capture_output=True, text=True, timeout=300)
    assert ran.returncode == 0, ran.stderr + ran.stdout
    assert "ana: evaluator for wigan-council" in ran.stdout
    # The commands' own lines first (the sample's summary, the new user), then the API's JSON.
    decoder = json.JSONDecoder()
    documents, text = [], ran.stdout[ran.stdout.index("{"):].strip()
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
