"""`analyse`: the one entry point from a `Dataset` to an `AnalysisResult`.

Data flows one way: the as-of date of each institution, then its turnovers, then what each
turnover tested (structural changes and practice indicators), the diagnostic question, and the
phase built from all of them. Pure: no database, no files, no printing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

from tracker.analysis.asof import as_of_dates, institution_keys
from tracker.analysis.assemble import Frames, InstitutionAssembler, ItsKey, its_key
from tracker.analysis.diagnostic import (
    commissioning_as_of,
    decision_flags,
    diagnostic_answers,
)
from tracker.analysis.indicators import indicator_tests, practice_change, visible_values
from tracker.analysis.params import Parameters
from tracker.analysis.persistence import change_summaries, persistence_tests
from tracker.analysis.phases import phase_criteria, stage_history, suggested_stages
from tracker.analysis.results import AnalysisResult, ItsEstimate
from tracker.analysis.turnovers import turnovers
from tracker.dataset import Dataset
from tracker.periods import date_period_indexes

ITS_COLUMNS = (
    "institution",
    "indicator",
    "turnover_kind",
    "role",
    "partner",
    "turnover_date",
    "fitted",
    "n_pre",
    "n_post",
    "level_change",
    "level_low",
    "level_high",
    "slope_change",
    "slope_low",
    "slope_high",
    "sentence",
)


def analyse(
    dataset: Dataset,
    params: Parameters | None = None,
    *,
    institutions: Iterable[str] | None = None,
    include_its: bool = False,
    today: dt.date | None = None,
) -> AnalysisResult:
    """Persistence tests, indicator tests, diagnostics and phases for every institution.

    `institutions` restricts the analysis to those keys (ValueError naming any key the data set
    does not hold). `include_its` also fits a segmented regression per indicator test: it is
    slow, meant for one institution or a report. Nothing dated after an institution's as-of
    date is used (see `asof.as_of_dates`); `today` (default: the system date) bounds the
    default as-of date.
    """
    params = params or Parameters()
    parent_leadership: pd.DataFrame | None = None
    if institutions is not None:
        wanted = sorted(set(institutions))
        unknown = sorted(set(wanted) - set(institution_keys(dataset)))
        if unknown:
            raise ValueError(f"unknown institution(s): {', '.join(unknown)}")
        # A parent's tenures stay visible to its members (`parent_turnovers`).
        parents = dataset["institutions"].loc[
            dataset["institutions"]["key"].isin(wanted), "parent"
        ]
        leadership = dataset["leadership"]
        parent_leadership = leadership[leadership["institution"].isin(set(parents.dropna()))]
        dataset = dataset.institutions_only(wanted)

    as_of = as_of_dates(dataset, params, today=today)
    events = turnovers(
        dataset,
        as_of,
        gap_days=params.renewal_gap_days,
        parent_turnovers=params.parent_turnovers,
        parent_leadership=parent_leadership,
    )
    tests = persistence_tests(
        changes=dataset["changes"],
        statuses=dataset["change_status"],
        turnovers=events,
        as_of=as_of,
        window_months=params.window_months,
    )
    changes = change_summaries(
        changes=dataset["changes"], statuses=dataset["change_status"], tests=tests, as_of=as_of
    )
    visible, indicators = visible_values(dataset["indicator_values"], as_of), dataset["indicators"]
    # Sentences for millions of indicator tests are rendered only for the objects shown.
    indicator_frame = indicator_tests(
        visible=visible, indicators=indicators, turnovers=events, params=params, with_reasons=False
    )
    practice = practice_change(
        visible=visible, indicators=indicators, params=params, with_reasons=False
    )
    flags = decision_flags(decisions=dataset["decisions"], as_of=as_of)
    answers = diagnostic_answers(flags, as_of)
    criteria = phase_criteria(
        changes=changes, change_tests=tests, practice=practice, answers=answers, as_of=as_of
    )
    stages = suggested_stages(
        changes=changes,
        change_tests=tests,
        activities=dataset["activities"],
        partners=dataset["partners"],
        as_of=as_of,
    )
    phases = criteria.merge(stages, on="institution")
    frames = Frames(
        as_of=as_of,
        turnovers=events,
        change_tests=tests,
        changes=changes,
        indicator_tests=indicator_frame,
        practice=practice,
        phases=phases,
        decisions=flags,
        answers=answers,
        commissioning=commissioning_as_of(diagnostics=dataset["diagnostics"], as_of=as_of),
        stage_history=stage_history(
            observations=dataset["observations"], turnovers=events, as_of=as_of
        ),
        indicator_names=dict(zip(indicators["key"], indicators["name"], strict=True)),
        params=params,
    )
    estimates = _its_estimates(visible, indicator_frame, params) if include_its else {}
    return AnalysisResult(
        parameters=params,
        source=InstitutionAssembler(frames, estimates),
        include_its=include_its,
        as_of=as_of.rename_axis("institution").reset_index(),
        turnovers=events,
        change_tests=tests,
        changes=changes,
        indicator_tests=indicator_frame,
        practice=practice,
        phases=phases,
        decisions=flags,
        commissioning=frames.commissioning,
        stage_history=frames.stage_history,
        its=_its_frame(estimates),
    )


def _its_estimates(
    visible: pd.DataFrame, tests: pd.DataFrame, params: Parameters
) -> dict[ItsKey, ItsEstimate]:
    """A segmented regression per indicator test (a Python loop per series: only on request)."""
    # statsmodels takes a second to import: only for --its and stories.
    from tracker.analysis.its import segmented_regression

    series = dict(iter(visible.groupby(["institution", "indicator"])))
    quarters = date_period_indexes(tests["turnover_date"])
    # Each fit is limited to the span between the neighbouring turnovers (distinct quarters).
    neighbours: dict[str, list[int]] = {}
    for institution, quarter in zip(tests["institution"], quarters, strict=True):
        neighbours.setdefault(str(institution), []).append(int(quarter))
    ordered = {key: sorted(set(values)) for key, values in neighbours.items()}
    out: dict[ItsKey, ItsEstimate] = {}
    for row, quarter in zip(tests.to_dict("records"), quarters, strict=True):
        around = ordered[str(row["institution"])]
        position = around.index(int(quarter))
        span = (
            around[position - 1] if position > 0 else None,
            around[position + 1] if position + 1 < len(around) else None,
        )
        out[its_key(row)] = segmented_regression(
            series[(row["institution"], row["indicator"])],
            turnover_quarter=int(quarter),
            turnover_label=str(row["turnover_label"]),
            params=params,
            span=span,
        )
    return out


def _its_frame(estimates: dict[ItsKey, ItsEstimate]) -> pd.DataFrame:
    rows = [
        {
            **dict(zip(ITS_COLUMNS[:6], key, strict=True)),
            "fitted": item.fitted,
            "n_pre": item.n_pre,
            "n_post": item.n_post,
            "level_change": item.level_change,
            "level_low": item.level_low,
            "level_high": item.level_high,
            "slope_change": item.slope_change,
            "slope_low": item.slope_low,
            "slope_high": item.slope_high,
            "sentence": item.sentence,
        }
        for key, item in estimates.items()
    ]
    return pd.DataFrame(rows, columns=list(ITS_COLUMNS))
