"""Contribution stories and portfolio summaries rendered as Markdown (pure functions).

Each report states the parameters used, the as-of date, every verdict with its reason, every
Bayes number, and the standard contribution-language disclaimer. Text written by evaluators is
escaped (`blocks.md`) so that it reads as text, never as markup.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from tracker.analysis.params import Parameters
from tracker.analysis.portfolio import PortfolioSummary
from tracker.analysis.stories import Story
from tracker.analysis.survival import SurvivalResult
from tracker.reports.blocks import (
    DISCLAIMER,
    bullets,
    md,
    number,
    parameters_table,
    plain,
    section,
    table,
)
from tracker.reports.story_sections import (
    chain_section,
    confidence_section,
    evidence_section,
    factors_section,
    gaps_section,
    persistence_section,
    question_section,
    warnings_section,
)

# Months at which survival is read off the Kaplan–Meier curves for the report.
SURVIVAL_READINGS = (12, 24, 36, 60, 84)


def _join(*blocks: str) -> str:
    return "\n\n".join(block for block in blocks if block) + "\n"


def story_title(story: Story) -> str:
    return f"Contribution story: {story.name} ({story.institution})"


def _as_of_line(story: Story) -> str:
    as_of = "no dated record" if story.as_of is None else story.as_of.isoformat()
    return f"**As of:** {md(as_of)}. Nothing dated after this date is used."


def _claim_block(story: Story) -> str:
    """A claim's own story, after the institution's: question, chain, evidence, confidence."""
    return "\n\n".join(
        [
            f"# Claim {md(story.claim)}",
            question_section(story),
            chain_section(story),
            evidence_section(story),
            confidence_section(story),
        ]
    )


def stories_markdown(stories: Story | Sequence[Story], params: Parameters | None = None) -> str:
    """An institution's contribution story as Markdown.

    Takes one `Story`, or the list from `stories.institution_stories` (the institution's story
    first, then one per claim: each claim gets its own question, chain, evidence and
    confidence trail after the institution's full story). `params` are the parameters shown as
    used; by default the stories' own (the ones their analysis ran with).
    """
    items = [stories] if isinstance(stories, Story) else list(stories)
    if not items:
        raise ValueError("no story to render")
    story, claims = items[0], items[1:]
    return _join(
        f"# {md(story_title(story))}",
        _as_of_line(story),
        f"> {md(DISCLAIMER)}",
        section("Parameters used", parameters_table(params or story.parameters)),
        question_section(story),
        chain_section(story),
        evidence_section(story),
        factors_section(story),
        persistence_section(story),
        gaps_section(story),
        confidence_section(story),
        warnings_section(story),
        *(_claim_block(claim) for claim in claims),
    )


def _counts_table(frame: pd.DataFrame, headers: tuple[str, str]) -> str:
    return table(headers, frame.itertuples(index=False), empty="Nothing to count.")


def _survival_at(curves: pd.DataFrame, group: str, months: float) -> tuple[str, str]:
    """Survival and its 95% interval at a time, read off the step curve ('' past follow-up)."""
    curve = curves[curves["group"] == group]
    if curve.empty or months > curve["months"].max():
        return "", ""
    row = curve[curve["months"] <= months].iloc[-1]
    interval = f"{number(row['ci_lower'])} to {number(row['ci_upper'])}"
    return number(row["survival"]), interval


def survival_block(survival: SurvivalResult) -> str:
    groups = table(
        ("group", "changes", "reversed or superseded", "caveat"),
        ((g.group, g.n, g.events, g.caveat or "") for g in survival.groups),
        empty="",
    )
    rows = []
    for group in survival.groups:
        for months in SURVIVAL_READINGS:
            value, interval = _survival_at(survival.curves, group.group, months)
            if value:
                rows.append((group.group, months, value, interval))
    readings = table(
        ("group", "months since adoption", "share still in force", "95% interval"),
        rows,
        empty="No change has been followed long enough for a reading.",
    )
    method = (
        "Kaplan–Meier estimates: a change is followed from its adoption to its first reversed "
        "or superseded status record, or to the as-of date if none."
    )
    return "\n\n".join([md(method), groups, readings, md(survival.logrank_sentence)])


def _as_of_range(summary: PortfolioSummary) -> str:
    if summary.parameters.as_of is not None:
        return f"**As of:** {md(summary.parameters.as_of)} for every institution."
    dates = summary.institutions["as_of"].dropna()
    if dates.empty:
        return "**As of:** no dated record."
    first, last = plain(dates.min().date()), plain(dates.max().date())
    return (
        f"**As of:** each institution's latest dated record ({md(first)} to {md(last)}); "
        "see the table of institutions."
    )


def portfolio_markdown(summary: PortfolioSummary) -> str:
    """A portfolio summary as Markdown: counts, share tested, at risk, survival, institutions."""
    risks = table(
        ("institution", "name", "roles", "reasons"),
        (
            (row.institution, row.name, row.roles, row.reasons)
            for row in summary.at_risk.itertuples(index=False)
        ),
        empty="No institution is at risk by this rule.",
    )
    risk_rule = (
        "At risk: a key role vacant (its latest tenure ended and no successor) or changing (a "
        "tenure recorded to end after the as-of date, or ended in the last two quarters), with "
        "no succession plan in the latest commissioning diagnostics."
    )
    drill = table(
        tuple(column.replace("_", " ") for column in summary.institutions.columns),
        summary.institutions.itertuples(index=False),
        empty="No institution is in this portfolio's analysis.",
    )
    return _join(
        f"# {md('Portfolio summary: ' + summary.title)}",
        _as_of_range(summary),
        f"> {md(DISCLAIMER)}",
        section("Parameters used", parameters_table(summary.parameters)),
        section(
            "Institutions by phase",
            md(f"{summary.n_institutions} institutions."),
            _counts_table(summary.phase_counts, ("phase", "institutions")),
        ),
        section(
            "Persistence tests by verdict",
            _counts_table(summary.verdict_counts, ("verdict", "tests")),
        ),
        section(
            "Structural changes by summary",
            md(summary.tested_sentence),
            _counts_table(summary.summary_counts, ("summary", "changes")),
        ),
        section("Institutions at risk", md(risk_rule), risks),
        section("Survival of structural changes", survival_block(summary.survival)),
        section(
            "Institutions",
            md(
                "Each institution's persistence tests, phase criteria and diagnostic answer, "
                "every one with its reason, are in its own contribution story."
            ),
            drill,
        ),
        section("Caveats", bullets(md(caveat) for caveat in summary.caveats)),
    )
