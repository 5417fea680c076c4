"""Step 6 of a contribution story: the gaps, and the evidence to seek next.

A gap is something the story cannot yet say: a link of the causal chain without evidence or
with weak evidence; a structural change whose persistence is untested, too early to judge or
unconfirmed; a missing succession plan; no costly reversal; an indicator with too few values
around a turnover; a claim whose evidence carries no probabilities. Each comes with the evidence
that would close it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tracker.analysis.confidence_trail import ConfidenceTrail
from tracker.analysis.persistence import UNTESTED_SENTENCE
from tracker.analysis.results import InstitutionResult
from tracker.analysis.story_links import NEXT_EVIDENCE, LinkStory


@dataclass(frozen=True)
class Gap:
    """Something the story cannot yet say, and what to seek to say it."""

    topic: str  # e.g. "link team_norms", "change c1", "succession plan"
    text: str
    next_evidence: str


def _link_gaps(chain: Sequence[LinkStory]) -> list[Gap]:
    gaps = []
    for link in chain:
        topic = f"link {link.link}"
        if link.strength == "no evidence":
            gaps.append(
                Gap(
                    topic,
                    f"No evidence is recorded for the link '{link.label}'.",
                    f"Seek {NEXT_EVIDENCE[link.link]}.",
                )
            )
        elif link.strength == "weak":
            gaps.append(
                Gap(
                    topic,
                    f"The evidence for the link '{link.label}' is weak ({link.n_for} for, "
                    f"{link.n_against} against).",
                    "Seek corroboration from an independent source (an independent evaluation, "
                    f"peer review or administrative data): {NEXT_EVIDENCE[link.link]}.",
                )
            )
    return gaps


def _change_gaps(result: InstitutionResult, window_months: int) -> list[Gap]:
    gaps = []
    window = f"{window_months}-month"
    for change in result.changes:
        topic = f"change {change.change}"
        if change.summary == "untested" and change.status in ("in_force", "weakened"):
            gaps.append(
                Gap(
                    topic,
                    f"Change {change.change} has not been tested by a turnover. "
                    f"{UNTESTED_SENTENCE}",
                    "Record its status after the next leadership change or partner withdrawal.",
                )
            )
        for test in change.tests:
            end = test.window_end.isoformat()
            if test.verdict == "unconfirmed":
                gaps.append(
                    Gap(
                        topic,
                        f"Change {change.change}: no status record confirms it after the "
                        f"{window} window following the {test.turnover.label} (ended {end}).",
                        f"Confirm its status with a status record dated on or after {end}.",
                    )
                )
            elif test.verdict == "too_early":
                gaps.append(
                    Gap(
                        topic,
                        f"Change {change.change}: too early to judge its persistence through "
                        f"the {test.turnover.label}; the window ends on {end}.",
                        f"Record its status on or after {end}.",
                    )
                )
    return gaps


def _diagnostic_gaps(result: InstitutionResult) -> list[Gap]:
    gaps = []
    plan = result.diagnostic.commissioning
    if plan is None or plan.succession_plan is not True:
        where = (
            "No commissioning diagnostics are recorded, so no succession plan is either."
            if plan is None
            else f"The latest commissioning diagnostics ({plan.date.isoformat()}) do not record "
            "a succession plan."
        )
        gaps.append(
            Gap(
                "succession plan",
                where,
                "Ask whether there is a plan for when the institutional champion leaves, and "
                "record the answer in the commissioning diagnostics.",
            )
        )
    if not result.diagnostic.costly_reversal:
        gaps.append(
            Gap(
                "diagnostic question",
                "No decision is recorded as reversed because of work with the community at a "
                "cost to the institution: calling the work culture change would be premature.",
                "Look for decisions the institution reversed in response to the community, and "
                "record what each cost it (budget, power, reputation, time).",
            )
        )
    return gaps


def _indicator_gaps(result: InstitutionResult) -> list[Gap]:
    gaps = []
    for indicator in result.indicators:
        for test in indicator.tests:
            if test.verdict == "insufficient_data":
                gaps.append(
                    Gap(
                        f"indicator {indicator.indicator}",
                        f"Indicator {indicator.indicator}: too few values around the "
                        f"{test.turnover.label} to compare ({test.n_pre} before, "
                        f"{test.n_post} after).",
                        "Record its values for the quarters before and after the turnover.",
                    )
                )
    return gaps


def _confidence_gaps(trails: Sequence[ConfidenceTrail]) -> list[Gap]:
    if not trails:
        return [
            Gap(
                "claims",
                "No contribution claim is recorded, so no confidence can be traced.",
                "State the contribution claim, its prior, and the evidence that would test it.",
            )
        ]
    return [
        Gap(
            f"claim {trail.claim}",
            f"No evidence item of claim {trail.claim} carries a test or probabilities, so "
            "confidence stays at its prior.",
            "Classify the key evidence items as hoop, smoking-gun, doubly-decisive or "
            "straw-in-the-wind tests, or give their probabilities.",
        )
        for trail in trails
        if not trail.steps
    ]


def story_gaps(
    result: InstitutionResult,
    chain: Sequence[LinkStory],
    trails: Sequence[ConfidenceTrail],
    *,
    window_months: int,
) -> tuple[Gap, ...]:
    """Every gap of a story, in the order of the steps they belong to."""
    return (
        *_link_gaps(chain),
        *_change_gaps(result, window_months),
        *_indicator_gaps(result),
        *_diagnostic_gaps(result),
        *_confidence_gaps(trails),
    )
