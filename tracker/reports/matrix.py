"""The change × turnover matrix: which structural change survived which turnover, at a glance.

Rows are an institution's structural changes, columns its turnovers in date order, and each
cell the verdict of that turnover's test of that change as a symbol *and* a word ("✔ persisted",
"✘ reversed"); a change adopted after a turnover (or one no test reached) reads "– no test".
"""

from __future__ import annotations

from tracker.analysis.results import InstitutionResult, TurnoverRef

VERDICT_SYMBOLS = {
    "persisted": "✔",
    "reversed": "✘",
    "too_early": "◷",
    "unconfirmed": "?",
}
NO_TEST = "– no test"


def turnover_heading(turnover: TurnoverRef) -> str:
    """A column heading: what changed and when, e.g. "chief executive changed 2018-03-31"."""
    if turnover.kind == "leadership":
        what = f"{(turnover.role or 'key role').replace('_', ' ')} changed"
    else:
        what = f"{turnover.partner or 'partner'} withdrew"
    return f"{what} {turnover.date.isoformat()}"


def verdict_cell(verdict: str) -> str:
    return f"{VERDICT_SYMBOLS.get(verdict, '·')} {verdict.replace('_', ' ')}"


def change_turnover_matrix(
    result: InstitutionResult, *, with_keys: bool = True
) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """(headers, rows): "change" then one column per turnover; one row per change (its title,
    and with `with_keys` its key)."""
    turnovers = sorted(result.turnovers, key=lambda t: (t.date, t.kind, t.role or t.partner or ""))
    headers = ("change", *(turnover_heading(t) for t in turnovers))
    rows = []
    for change in result.changes:
        verdicts = {t.turnover: t.verdict for t in change.tests}
        cells = [verdict_cell(verdicts[t]) if t in verdicts else NO_TEST for t in turnovers]
        name = f"{change.title} ({change.change})" if with_keys else change.title
        rows.append((name, *cells))
    return headers, tuple(rows)
