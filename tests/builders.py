"""Scenario builders: make a case in a few lines and get a `Dataset` back.

    dataset = (
        Scenario("northdale")
        .tenure("chief_executive", "A", "2015-01-01", "2018-03-31")
        .tenure("chief_executive", "B", "2018-04-01")
        .change("c1", adopted="2016-01-01")
        .status("c1", "2019-04-01", "in_force")
        .build()
    )

Every method returns the scenario, so calls chain. Dates are ISO strings (or `date`s), periods
`YYYYQn`. Several institutions: `combine(Scenario("a")..., Scenario("b")...)`. Only the columns a
test cares about need to be given; the rest take the workbook defaults.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Self

import pandas as pd

from tracker.dataset import Dataset
from tracker.periods import period_from_index, period_index

DateLike = str | dt.date | None
Row = dict[str, Any]


def _date(value: DateLike) -> pd.Timestamp | None:
    return None if value is None else pd.Timestamp(value)


class Scenario:
    """One institution and everything recorded about it."""

    def __init__(
        self, institution: str, *, name: str | None = None, kind: str = "local_authority"
    ) -> None:
        self.institution = institution
        self.rows: dict[str, list[Row]] = {}
        self._add("institutions", key=institution, name=name or institution.title(), kind=kind)

    def _add(self, table: str, **values: Any) -> Self:
        self.rows.setdefault(table, []).append(values)
        return self

    def _own(self, table: str, **values: Any) -> Self:
        return self._add(table, institution=self.institution, **values)

    def place(self, key: str, *, name: str | None = None, **context: float) -> Self:
        """The place the institution serves, with context numbers (e.g. fsm_share=0.7)."""
        self.rows["institutions"][0]["place"] = key
        extra = {f"context:{k}": v for k, v in context.items()}
        return self._add("places", key=key, name=name or key.title(), **extra)

    def tenure(
        self,
        role: str,
        holder: str,
        start: DateLike,
        end: DateLike = None,
        *,
        key_role: bool = True,
        interim: bool = False,
        shared: bool = False,
    ) -> Self:
        return self._own(
            "leadership",
            role=role,
            holder=holder,
            start=_date(start),
            end=_date(end),
            key_role=key_role,
            interim=interim,
            shared=shared,
        )

    def partner(self, partner: str, start: DateLike, end: DateLike = None, **extra: Any) -> Self:
        return self._own("partners", partner=partner, start=_date(start), end=_date(end), **extra)

    def activity(
        self, title: str, start: DateLike, end: DateLike = None, *, kind: str = "training"
    ) -> Self:
        return self._own("activities", kind=kind, title=title, start=_date(start), end=_date(end))

    def change(
        self,
        key: str,
        *,
        adopted: DateLike,
        kind: str = "hiring_criteria",
        title: str | None = None,
        **extra: Any,
    ) -> Self:
        return self._own(
            "changes", key=key, title=title or key, kind=kind, adopted=_date(adopted), **extra
        )

    def status(self, change: str, date: DateLike, status: str, **extra: Any) -> Self:
        return self._add("change_status", change=change, date=_date(date), status=status, **extra)

    def decision(
        self,
        key: str,
        date: DateLike,
        *,
        reverses_earlier: bool = False,
        because_of_community: bool = False,
        cost: str | None = "none",
        title: str | None = None,
        **extra: Any,
    ) -> Self:
        return self._own(
            "decisions",
            key=key,
            date=_date(date),
            title=title or key,
            reverses_earlier=reverses_earlier,
            because_of_community=because_of_community,
            cost=cost,
            **extra,
        )

    def costly_reversal(self, key: str, date: DateLike, *, cost: str = "budget") -> Self:
        """A decision that answers the diagnostic question `yes`."""
        return self.decision(
            key, date, reverses_earlier=True, because_of_community=True, cost=cost
        )

    def indicator(self, key: str, *, higher_is_better: bool = True, unit: str = "%") -> Self:
        return self._add(
            "indicators", key=key, name=key, unit=unit, higher_is_better=higher_is_better
        )

    def values(
        self,
        indicator: str,
        first_period: str,
        values: Sequence[float | None] | Mapping[str, float],
    ) -> Self:
        """Values of consecutive quarters from `first_period` (a `None` skips a quarter).

        A mapping of period to value may be given instead (then `first_period` is ignored).
        """
        if isinstance(values, Mapping):
            pairs: Iterable[tuple[str, float | None]] = values.items()
        else:
            start = period_index(first_period)
            pairs = ((period_from_index(start + i), v) for i, v in enumerate(values))
        for period, value in pairs:
            if value is not None:
                self._own("indicator_values", indicator=indicator, period=period, value=value)
        return self

    def observation(
        self, period: str, *, stage: str | None = None, narrative: str = "A quarter's notes."
    ) -> Self:
        return self._own("observations", period=period, narrative=narrative, stage=stage)

    def diagnostics(self, date: DateLike, **answers: bool | str | None) -> Self:
        return self._own("diagnostics", date=_date(date), **answers)

    def factor(self, title: str, start: DateLike, end: DateLike = None, **extra: Any) -> Self:
        return self._own("factors", title=title, start=_date(start), end=_date(end), **extra)

    def evidence(self, key: str, date: DateLike, *, title: str | None = None, **extra: Any) -> Self:
        return self._own("evidence", key=key, date=_date(date), title=title or key, **extra)

    def claim(self, key: str, statement: str, **extra: Any) -> Self:
        return self._own("claims", key=key, statement=statement, **extra)

    def in_portfolio(self, portfolio: str, *, name: str | None = None) -> Self:
        return self._own("portfolios", portfolio=portfolio, name=name)

    def target(
        self, indicator: str, period: str, value: float, *, until: str | None = None,
        kind: str = "per_period", comment: str | None = None,
    ) -> Self:
        return self._own("targets", indicator=indicator, period=period, until=until,
                         value=value, kind=kind, comment=comment)

    def persistence_target(self, change: str, *, comment: str | None = None) -> Self:
        return self._own("persistence_targets", change=change, through="next_turnover",
                         comment=comment)

    def build(self) -> Dataset:
        return combine(self)


def combine(*scenarios: Scenario) -> Dataset:
    """One data set from several scenarios (shared indicators are declared once)."""
    rows: dict[str, list[Row]] = {}
    for scenario in scenarios:
        for table, table_rows in scenario.rows.items():
            rows.setdefault(table, []).extend(table_rows)
    frames = {table: _with_defaults(table, pd.DataFrame(r)) for table, r in rows.items()}
    for table in ("indicators", "places"):
        if table in frames:
            frames[table] = frames[table].drop_duplicates(subset=["key"])
    return Dataset.from_frames(frames)


_DEFAULTS: dict[str, dict[str, Any]] = {
    "leadership": {"key_role": True},
    "decisions": {"reverses_earlier": False, "because_of_community": False, "cost": "none"},
    "claims": {"prior": 0.5},
    "factors": {"assessed_role": "unknown"},
    "evidence": {"supports": True, "observed": True},
}


def _with_defaults(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    # The workbook reader applies schema defaults; hand-built frames get the same ones here.
    for column, default in _DEFAULTS.get(table, {}).items():
        if column not in frame:
            frame[column] = default
        else:
            frame[column] = frame[column].where(frame[column].notna(), default)
    return frame
