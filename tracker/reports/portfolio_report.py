"""A portfolio summary as a report model: headline, counts, at-risk reasons in full, survival,
the institutions, the caveats; rendered in every format by `registry`."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from tracker.analysis.portfolio import PortfolioSummary
from tracker.analysis.qca.portfolio_configurations import (
    PortfolioConfigurations,
    portfolio_configurations,
)
from tracker.analysis.survival import SurvivalResult
from tracker.reports.blocks import DISCLAIMER, number, plain
from tracker.reports.model import Block, Bullets, Figure, Heading, Quote, Report, Table, Text
from tracker.reports.model import section as make_section
from tracker.reports.portfolio_configurations import configurations_section
from tracker.reports.story_report import parameters_section

# Months at which survival is read off the Kaplan–Meier curves for the report.
SURVIVAL_READINGS = (12, 24, 36, 60, 84)
RISK_RULE = (
    "At risk: a key role vacant (its latest tenure ended and no successor) or changing (a "
    "tenure recorded to end after the as-of date, or ended in the last two quarters), with "
    "no succession plan in the latest commissioning diagnostics."
)
_UNSAFE = re.compile(r"[^a-z0-9]+")


def file_stem(summary: PortfolioSummary) -> str:
    """A file name from the portfolio's name, e.g. "portfolio-fund-a" ("portfolio-all-...")."""
    words = _UNSAFE.sub("-", summary.title.lower()).strip("-") or "portfolio"
    return f"portfolio-{words}"[:80].rstrip("-")


def _survival_at(curves: pd.DataFrame, group: str, months: float) -> tuple[str, str]:
    """Survival and its 95% interval at a time, read off the step curve ('' past follow-up)."""
    curve = curves[curves["group"] == group]
    if curve.empty or months > curve["months"].max():
        return "", ""
    row = curve[curve["months"] <= months].iloc[-1]
    interval = f"{number(row['ci_lower'])} to {number(row['ci_upper'])}"
    return number(row["survival"]), interval


def survival_blocks(survival: SurvivalResult) -> list[Block]:
    rows = []
    for group in survival.groups:
        for months in SURVIVAL_READINGS:
            value, interval = _survival_at(survival.curves, group.group, months)
            if value:
                rows.append((group.group, months, value, interval))
    return [
        Text(
            "Kaplan–Meier estimates: a change is followed from its adoption to its first "
            "reversed or superseded status record, or to the as-of date if none."
        ),
        Table(
            ("group", "changes", "reversed or superseded", "caveat"),
            tuple((g.group, g.n, g.events, g.caveat or "") for g in survival.groups),
        ),
        Table(
            ("group", "months since adoption", "share still in force", "95% interval"),
            tuple(rows),
            empty="No change has been followed long enough for a reading.",
        ),
        Text(survival.logrank_sentence),
    ]


def as_of_text(summary: PortfolioSummary) -> str:
    if summary.parameters.as_of is not None:
        return f"{plain(summary.parameters.as_of)} for every institution."
    dates = summary.institutions["as_of"].dropna()
    if dates.empty:
        return "no dated record."
    first, last = plain(dates.min().date()), plain(dates.max().date())
    return (
        f"each institution's latest dated record ({first} to {last}); see the table of "
        "institutions."
    )


def headline(summary: PortfolioSummary) -> tuple[str, ...]:
    phases = ", ".join(
        f"{row.institutions} {row.phase}" for row in summary.phase_counts.itertuples(index=False)
    )
    n_risk = len(summary.at_risk)
    return (
        f"{summary.n_institutions} institutions by phase: {phases}.",
        summary.tested_sentence,
        "No institution is at risk by the rule below."
        if not n_risk
        else f"{n_risk} institution{'s are' if n_risk != 1 else ' is'} at risk.",
    )


def counts_spec(frame: pd.DataFrame, label: str, value: str, title: str) -> dict[str, Any]:
    """Horizontal bars with each count written beside its bar."""
    rows = [{label: str(r[0]), value: int(r[1])} for r in frame.itertuples(index=False)]
    encoding = {
        "y": {"field": label, "type": "nominal", "sort": None, "title": None},
        "x": {"field": value, "type": "quantitative", "title": value},
    }
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": {"text": title, "anchor": "start"},
        "width": 360,
        "height": {"step": 22},
        "data": {"values": rows},
        "layer": [
            {"mark": {"type": "bar", "color": "#2f5d62"}, "encoding": encoding},
            {
                "mark": {"type": "text", "align": "left", "dx": 4},
                "encoding": {**encoding, "text": {"field": value}},
            },
        ],
    }


def _risk_reasons(value: Any) -> str:
    if isinstance(value, tuple | list):
        return "; ".join(str(v) for v in value)
    return plain(value)


def portfolio_report(
    summary: PortfolioSummary, configurations: PortfolioConfigurations | None = None
) -> Report:
    """The portfolio summary as a report model; its Configurations section answers
    `configurations` (default: the page's opening question)."""
    lines = headline(summary)
    risks = Table(
        ("institution", "name", "roles", "reasons"),
        tuple(
            (row.institution, row.name, plain(row.roles), _risk_reasons(row.reasons))
            for row in summary.at_risk.itertuples(index=False)
        ),
        empty="No institution is at risk by this rule.",
        evaluator_columns=frozenset({"name"}),
    )
    drill = Table(
        tuple(column.replace("_", " ") for column in summary.institutions.columns),
        tuple(tuple(row) for row in summary.institutions.itertuples(index=False)),
        empty="No institution is in this portfolio's analysis.",
        evaluator_columns=frozenset({"name", "institution"}),
    )
    phase_figure = Figure(
        "counts",
        "Institutions by phase",
        counts_spec(summary.phase_counts, "phase", "institutions", "Institutions by phase"),
        "Institutions by phase: " + lines[0],
    )
    verdict_figure = Figure(
        "counts",
        "Persistence tests by verdict",
        counts_spec(summary.verdict_counts, "verdict", "tests", "Persistence tests by verdict"),
        "Persistence tests by verdict, one bar per verdict with its count.",
    )
    blocks: list[Block] = [
        Heading(f"Portfolio summary: {summary.title}", level=1, generated=False),
        Text(as_of_text(summary), lead="As of:"),
        *make_section("At a glance", Bullets(lines)),
        Quote(DISCLAIMER),
        *make_section(
            "Institutions by phase",
            Text(f"{summary.n_institutions} institutions."),
            phase_figure,
            Table(
                ("phase", "institutions"),
                tuple(tuple(r) for r in summary.phase_counts.itertuples(index=False)),
                empty="Nothing to count.",
            ),
        ),
        *make_section(
            "Persistence tests by verdict",
            verdict_figure,
            Table(
                ("verdict", "tests"),
                tuple(tuple(r) for r in summary.verdict_counts.itertuples(index=False)),
                empty="Nothing to count.",
            ),
        ),
        *make_section(
            "Structural changes by summary",
            Text(summary.tested_sentence),
            Table(
                ("summary", "changes"),
                tuple(tuple(r) for r in summary.summary_counts.itertuples(index=False)),
                empty="Nothing to count.",
            ),
        ),
        *make_section("Institutions at risk", Text(RISK_RULE), risks),
        *make_section("Survival of structural changes", survival_blocks(summary.survival)),
        *make_section(
            "Institutions",
            Text(
                "Each institution's persistence tests, phase criteria and diagnostic answer, "
                "every one with its reason, are in its own contribution story."
            ),
            drill,
        ),
        *configurations_section(configurations or portfolio_configurations(summary)),
        *make_section("Caveats", Bullets(tuple(summary.caveats))),
        *parameters_section(summary.parameters),
    ]
    return Report(
        title=f"Portfolio summary: {summary.title}",
        blocks=tuple(blocks),
        file_stem=file_stem(summary),
        headline=lines,
    )
