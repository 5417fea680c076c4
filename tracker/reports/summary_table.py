"""`tracker analyse --format table`: one line per institution, from the summary rows.

Plain aligned text, written as it is built: the table of 25,000 institutions is a few
megabytes and takes as long as the JSON (the details of one institution: `--institution`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from tracker.analysis.params import Parameters

# (heading, how a summary row shows under it)
_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("institution", lambda r: r["institution"]),
    ("as of", lambda r: r["as_of"] or "–"),
    ("phase", lambda r: r["phase"]),
    ("in force", lambda r: _yes(r["structural_change_in_force"])),
    ("persisted", lambda r: _yes(r["persisted_through_turnover"])),
    ("practice", lambda r: _yes(r["practice_change"])),
    ("costly reversal", lambda r: _yes(r["costly_reversal"])),
    ("suggested stage", lambda r: r["suggested_stage"]),
    ("turnovers", lambda r: str(r["turnovers"])),
    (
        "changes persisted/reversed/all",
        lambda r: f"{r['changes_persisted']}/{r['changes_reversed']}/{r['changes']}",
    ),
    (
        "indicator tests declined/all",
        lambda r: f"{r['indicator_tests_declined']}/{r['indicator_tests']}",
    ),
)
_RIGHT = frozenset({"turnovers", "changes persisted/reversed/all", "indicator tests declined/all"})


def _yes(flag: object) -> str:
    return "yes" if flag else "no"


def summary_table_lines(parameters: Parameters, rows: Sequence[Mapping[str, Any]]) -> Iterator[str]:
    """The lines of the summary table (each without its newline)."""
    parameter_text = ", ".join(f"{k}={v}" for k, v in parameters.to_json().items())
    yield f"Parameters: {parameter_text}"
    yield f"{len(rows)} institution(s); details of one: --institution KEY."
    cells = [[show(row) for _, show in _COLUMNS] for row in rows]
    headings = [heading for heading, _ in _COLUMNS]
    widths = [len(h) for h in headings]
    for line in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, line, strict=True)]

    def joined(values: Sequence[str]) -> str:
        parts = [
            v.rjust(w) if h in _RIGHT else v.ljust(w)
            for h, v, w in zip(headings, values, widths, strict=True)
        ]
        return "  ".join(parts).rstrip()

    yield joined(headings)
    yield "  ".join("-" * w for w in widths)
    for line in cells:
        yield joined(line)
