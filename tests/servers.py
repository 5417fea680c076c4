"""Servers the tests start on this machine: a free loopback port, and `streamlit run
dashboard.py` on a database of the test's own (one per browser test module)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest

from tracker.config import PROJECT_ROOT

DASHBOARD = PROJECT_ROOT / "dashboard.py"
# Streamlit's first run imports and analyses; on a loaded 2-core machine that can take a while.
HEALTH_TIMEOUT_S = 90


def free_port() -> int:
    """A TCP port nothing listens on now (the kernel's choice), on the loopback address."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_healthy(base: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + HEALTH_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"streamlit exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as answer:
                if answer.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(
        f"streamlit did not answer within {HEALTH_TIMEOUT_S} s:\n{log.read_text()[-3000:]}"
    )


@contextmanager
def running_dashboard(
    database_url: str, folder: Path, *, environment: Mapping[str, str] | None = None
) -> Iterator[str]:
    """The dashboard on `database_url`, started as the tests' guide says (headless, no file
    watcher, loopback, a free port), its log in `folder`; yields its base URL and stops it."""
    port = free_port()
    log = folder / "streamlit.log"
    env = {
        **os.environ,
        "TRACKER_DATABASE_URL": database_url,
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        **(environment or {}),
    }
    command = [
        str(Path(sys.executable).parent / "streamlit"), "run", str(DASHBOARD),
        "--server.headless", "true", "--server.fileWatcherType", "none",
        "--server.port", str(port), "--server.address", "127.0.0.1",
    ]
    with log.open("wb") as output:
        server = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base, server, log)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
