"""What the numbers were measured on: the machine, its load and the libraries, recorded beside
every benchmark run (`bench/run.py`, `bench/whole_process.py`) and rendered by `bench/report.py`."""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
from pathlib import Path


def _first_line(path: str, prefix: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(prefix):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def _git(*args: str) -> str:
    try:
        done = subprocess.run(["git", *args], capture_output=True, text=True, check=True)
        return done.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def machine(postgres: str | None) -> dict[str, str]:
    """What the numbers were measured on."""
    import numpy
    import pandas
    import sqlalchemy

    memory_kib = _first_line("/proc/meminfo", "MemTotal").split()[0]
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    dirty = " (with uncommitted changes)" if _git("status", "--porcelain") else ""
    return {
        "nproc": str(cores),
        "cpu": _first_line("/proc/cpuinfo", "model name"),
        "memory": f"{int(memory_kib) / 1024 / 1024:.1f} GiB" if memory_kib.isdigit() else "?",
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": postgres or "not measured",
        "libraries": f"pandas {pandas.__version__}, numpy {numpy.__version__}, "
        f"SQLAlchemy {sqlalchemy.__version__}",
        "commit": (_git("rev-parse", "--short", "HEAD") or "unknown") + dirty,
    }
