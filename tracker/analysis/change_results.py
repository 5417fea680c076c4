"""What the analysis says about structural changes: the turnovers that test them, each test's
verdict, and each change's summary (product.md, persistence rules).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from tracker.analysis.json_values import JsonDict, json_date


@dataclass(frozen=True)
class TurnoverRef:
    """A turnover event: a change of holder in a key role, or a partner withdrawal."""

    kind: str  # vocab.TURNOVER_KINDS
    date: dt.date
    role: str | None = None  # leadership only
    partner: str | None = None  # partner_withdrawal only
    outgoing: str | None = None  # the holder who left (leadership) or the partner
    incoming: str | None = None  # the next holder, None when the role was left vacant
    reason: str = ""
    # The quarters its indicator tests compare, said once here rather than in every test.
    indicator_quarters: str = ""

    @property
    def label(self) -> str:
        """A short human label, e.g. "chief_executive turnover on 2018-03-31"."""
        if self.kind == "leadership":
            return f"{self.role} turnover on {self.date.isoformat()}"
        return f"withdrawal of partner {self.partner} on {self.date.isoformat()}"

    def ref_json(self) -> JsonDict:
        """The identifying shape used inside tests: {"kind", "role" | "partner", "date"}."""
        return dict(self._ref)

    @cached_property
    def _ref(self) -> JsonDict:
        # Every test of a turnover repeats its reference: built once per turnover.
        out: JsonDict = {"kind": self.kind}
        if self.kind == "leadership":
            out["role"] = self.role
        else:
            out["partner"] = self.partner
        out["date"] = json_date(self.date)
        return out

    def to_json(self) -> JsonDict:
        out = self.ref_json()
        out["outgoing"] = self.outgoing
        out["incoming"] = self.incoming
        out["reason"] = self.reason
        out["indicator_quarters"] = self.indicator_quarters
        return out


@dataclass(frozen=True)
class ChangeTest:
    """One turnover testing one structural change (product.md, persistence rules)."""

    turnover: TurnoverRef
    verdict: str  # vocab.CHANGE_VERDICTS
    window_end: dt.date
    reason: str
    weakened: bool = False
    # The status record that decided the verdict (None for too_early / unconfirmed).
    decided_by_date: dt.date | None = None
    decided_by_status: str | None = None

    def to_json(self) -> JsonDict:
        decided = (
            None
            if self.decided_by_date is None
            else {"date": json_date(self.decided_by_date), "status": self.decided_by_status}
        )
        return {
            "turnover": self.turnover.ref_json(),
            "verdict": self.verdict,
            "window_end": json_date(self.window_end),
            "weakened": self.weakened,
            "decided_by": decided,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class ChangeResult:
    """A structural change: its status as of the as-of date and its persistence summary."""

    change: str
    title: str
    kind: str
    adopted: dt.date
    status: str  # vocab.CHANGE_STATUSES, as of the as-of date
    summary: str  # vocab.CHANGE_SUMMARIES
    summary_reason: str
    tests: tuple[ChangeTest, ...] = ()
    chain_link: str | None = None
    culture_level: str | None = None

    def to_json(self) -> JsonDict:
        return {
            "change": self.change,
            "title": self.title,
            "kind": self.kind,
            "adopted": json_date(self.adopted),
            "chain_link": self.chain_link,
            "culture_level": self.culture_level,
            "status": self.status,
            "summary": self.summary,
            "summary_reason": self.summary_reason,
            "tests": [test.to_json() for test in self.tests],
        }
