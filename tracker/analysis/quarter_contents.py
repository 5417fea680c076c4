"""What a reviewer approves: one institution's quarter as data, with the warnings beside it.

`quarter_contents(dataset, institution=…, period=…)` gathers the quarter's indicator values (each
with the value of the quarter before and the change, and the plausibility warnings of
`tracker.analysis.plausibility`), its narrative (with the attribution-language findings of
`tracker.analysis.language`), and the evidence, leadership tenures, decisions and status records
dated in it. Pure: a `Dataset` in, a dataclass out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from tracker.analysis.language import LanguageFinding, check_language
from tracker.analysis.plausibility import Doubt, indicator_range, value_warnings
from tracker.dataset import Dataset
from tracker.periods import period_end, period_index, period_start


@dataclass(frozen=True)
class ValueLine:
    """One indicator value of the quarter, with the one before it (None: none recorded)."""

    indicator: str
    name: str
    unit: str
    value: float
    previous: float | None
    previous_period: str | None
    doubts: tuple[Doubt, ...]

    @property
    def change(self) -> float | None:
        return None if self.previous is None else self.value - self.previous


@dataclass(frozen=True)
class QuarterContents:
    institution: str
    period: str
    values: tuple[ValueLine, ...]
    narrative: str | None
    stage: str | None
    language: tuple[LanguageFinding, ...]
    evidence: pd.DataFrame  # title, date, kind, source, claim, test, notes
    leadership: pd.DataFrame  # role, holder, start, end (tenures starting or ending in it)
    decisions: pd.DataFrame  # title, date, reverses_earlier, cost
    status_records: pd.DataFrame  # change (its title), date, status, evidence

    @property
    def warnings(self) -> int:
        """How many warnings a reviewer should read before approving."""
        return len(self.language) + sum(len(line.doubts) for line in self.values)


def _dated_in(frame: pd.DataFrame, column: str, period: str) -> pd.Series:
    first, last = pd.Timestamp(period_start(period)), pd.Timestamp(period_end(period))
    return frame[column].between(first, last)


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _value_lines(dataset: Dataset, institution: str, period: str) -> tuple[ValueLine, ...]:
    values = dataset["indicator_values"]
    own = values[values["institution"] == institution]
    definitions = dataset["indicators"].set_index("key")
    order = own.assign(_at=[period_index(p) for p in own["period"]]).sort_values("_at")
    at = period_index(period)
    lines = []
    for row in order[order["_at"] == at].itertuples():
        indicator = str(row.indicator)
        value = _number(row.value)
        if value is None:
            continue
        before = order[(order["indicator"] == indicator) & (order["_at"] < at)]
        history = [v for v in (_number(x) for x in before["value"]) if v is not None]
        definition: dict[str, object] = (
            dict(definitions.loc[indicator]) if indicator in definitions.index else {}
        )
        name = str(definition.get("name") or indicator)
        unit = str(definition.get("unit") or "")
        limits = indicator_range(name, unit, definition.get("min"), definition.get("max"))
        lines.append(ValueLine(
            indicator=indicator, name=name, unit=unit, value=value,
            previous=history[-1] if history else None,
            previous_period=str(before["period"].iloc[-1]) if len(before) else None,
            doubts=tuple(value_warnings(value, limits, history)),
        ))
    return tuple(sorted(lines, key=lambda line: line.name))


def quarter_contents(dataset: Dataset, *, institution: str, period: str) -> QuarterContents:
    """Everything recorded for `institution` in `period` that an approval vouches for."""
    observations = dataset["observations"]
    observed = observations[
        (observations["institution"] == institution) & (observations["period"] == period)
    ]
    narrative = None if observed.empty else observed.iloc[0]["narrative"]
    stage = None if observed.empty else observed.iloc[0]["stage"]
    narrative = str(narrative) if isinstance(narrative, str) and narrative.strip() else None
    evidence = dataset["evidence"]
    evidence = evidence[(evidence["institution"] == institution)
                        & _dated_in(evidence, "date", period)]
    leadership = dataset["leadership"]
    leadership = leadership[(leadership["institution"] == institution) & (
        _dated_in(leadership, "start", period) | _dated_in(leadership, "end", period)
    )]
    decisions = dataset["decisions"]
    decisions = decisions[(decisions["institution"] == institution)
                          & _dated_in(decisions, "date", period)]
    changes = dataset["changes"]
    own_changes = changes[changes["institution"] == institution]
    titles = dict(zip(own_changes["key"], own_changes["title"], strict=True))
    statuses = dataset["change_status"]
    statuses = statuses[statuses["change"].isin(list(titles)) & _dated_in(statuses, "date", period)]
    statuses = statuses.assign(change=[titles[c] for c in statuses["change"]])
    return QuarterContents(
        institution=institution,
        period=period,
        values=_value_lines(dataset, institution, period),
        narrative=narrative,
        stage=str(stage) if isinstance(stage, str) else None,
        language=tuple(check_language(narrative)),
        evidence=evidence.sort_values("date").reset_index(drop=True),
        leadership=leadership.sort_values("start").reset_index(drop=True),
        decisions=decisions.sort_values("date").reset_index(drop=True),
        status_records=statuses.sort_values("date").reset_index(drop=True),
    )
