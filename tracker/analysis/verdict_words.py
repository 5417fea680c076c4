"""Summary sentences built from the persistence tests' own counts.

A headline is what a funder reads, so it never says more than the tests: each change is
described by how many of its tests gave each verdict, every verdict named ("Hiring criteria:
persisted through 1 turnover; 3 too early to judge"), never by its summary word alone (a change
whose summary is `persisted` may have one test that persisted and three that are too early).
The story's headline, its step 5, the report's "At a glance" and the portfolio's sentence all
use these functions, so a sentence and the tables beside it count the same tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

# The verdicts of a persistence test (vocab.PERSISTENCE_VERDICTS), in the order a sentence names
# them: what was found first, then what cannot be judged yet.
VERDICT_ORDER = ("persisted", "reversed", "unconfirmed", "too_early")


class _Test(Protocol):
    @property
    def verdict(self) -> str: ...


class _Change(Protocol):
    @property
    def title(self) -> str: ...

    @property
    def tests(self) -> Sequence[_Test]: ...


def _turnovers(n: int) -> str:
    return f"{n} turnover" if n == 1 else f"{n} turnovers"


def verdict_phrase(verdict: str, n: int) -> str:
    """One verdict's count in words: "persisted through 1 turnover", "3 too early to judge"."""
    if verdict == "persisted":
        return f"persisted through {_turnovers(n)}"
    if verdict == "reversed":
        return f"reversed within the window after {_turnovers(n)}"
    if verdict == "unconfirmed":
        return (
            f"{n} unconfirmed (no status recorded after the window)"
            if n != 1
            else "1 unconfirmed (no status recorded after the window)"
        )
    if verdict == "too_early":
        return f"{n} too early to judge"
    return f"{n} {verdict.replace('_', ' ')}"


def verdict_counts(verdicts: Iterable[str]) -> dict[str, int]:
    """How many tests gave each verdict, in `VERDICT_ORDER` (verdicts with none left out)."""
    found: dict[str, int] = {}
    for verdict in verdicts:
        found[verdict] = found.get(verdict, 0) + 1
    ordered = {v: found[v] for v in VERDICT_ORDER if v in found}
    ordered.update({v: n for v, n in found.items() if v not in ordered})
    return ordered


def counts_phrase(counts: Mapping[str, int]) -> str:
    """ "persisted through 1 turnover; 3 too early to judge" (every verdict with a test)."""
    return "; ".join(verdict_phrase(verdict, n) for verdict, n in counts.items() if n)


def change_phrase(change: _Change) -> str:
    """A change by its tests: "Hiring criteria: persisted through 1 turnover; 3 too early to
    judge", or "...: untested (no turnover has tested it yet)"."""
    counts = verdict_counts(test.verdict for test in change.tests)
    if not counts:
        return f"{change.title}: untested (no turnover has tested it yet)"
    return f"{change.title}: {counts_phrase(counts)}"


def changes_sentence(changes: Sequence[_Change]) -> str:
    """Every change by its tests, in one sentence (the story's headline)."""
    if not changes:
        return "No structural change is recorded yet."
    n = len(changes)
    head = "1 structural change" if n == 1 else f"{n} structural changes"
    return f"{head}, by the tests of each: " + ". ".join(change_phrase(c) for c in changes) + "."


def verdicts_sentence(verdicts: Mapping[str, int]) -> str:
    """The tests of many changes by verdict: "Of 12 persistence tests: 4 persisted, 6 too early
    to judge, 2 reversed" (a portfolio's counts)."""
    total = sum(verdicts.values())
    if not total:
        return "No persistence test has been made yet."
    counts = verdict_counts(v for v, n in verdicts.items() for _ in range(int(n)))
    words = {
        "persisted": "persisted",
        "reversed": "reversed within the window",
        "unconfirmed": "unconfirmed",
        "too_early": "too early to judge",
    }
    parts = [f"{n} {words.get(v, v.replace('_', ' '))}" for v, n in counts.items()]
    label = "persistence test" if total == 1 else "persistence tests"
    return f"Of {total} {label}: " + ", ".join(parts) + "."
