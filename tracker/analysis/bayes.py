"""Contribution tracing: updating confidence in a contribution claim by Bayes' rule.

Each evidence item that carries probabilities multiplies the odds that the claim holds (H) by
its likelihood ratio, so confidence is kept in log-odds and the items' log likelihood ratios
add up:
- evidence observed: LR = s / α;
- evidence sought and absent: LR = (1 − s) / (1 − α);
where s = P(E|H) (sensitivity) and α = P(E|not H) (type I error). Nothing is clamped between
steps, so the result is Bayes' rule exactly and does not depend on the order of the items; the
steps are shown in evidence date order, then key, each with its numbers. A result above 0.99
is shown as "> 0.99" (below 0.01 as "< 0.01") rather than a rounded or clamped number. Only
the starting prior is held within [0.01, 0.99]: a prior of 0 or 1 could not be moved by any
evidence.

Updating item by item assumes the items are **conditionally independent given the claim** (and
given its negation): two items from one source may carry the same information twice, so the
trail warns when two items share a source.

Where the probabilities come from (in this order):
- explicit `sensitivity` / `type_i_error` on the evidence row, always read as P(E|H) and
  P(E|not H) for the claim, each overriding the preset separately;
- otherwise the preset of the row's `test` (`tracker.vocab.EVIDENCE_TESTS`). A preset describes a
  test *of the hypothesis the evidence speaks to*: for an item recorded against the claim
  (`supports` false) that hypothesis is the rival one, so the preset's two numbers swap
  (P(E|H) = α, P(E|not H) = s). An observed smoking gun against the claim thus lowers confidence
  sharply instead of raising it;
- a row with neither a test nor both probabilities does not update confidence; it is listed as
  skipped with the reason. So is a row whose direction contradicts its numbers (for the claim
  needs P(E|H) ≥ P(E|not H), against it P(E|H) ≤ P(E|not H)): the import refuses such a row.

**Direction**, the same in every table: an item is *for* the claim when what was expected was
found (supporting evidence observed, or contrary evidence sought and not found), *against*
otherwise (`evidence_direction`). An item is **decisive** when its likelihood ratio is at least
`DECISIVE_RATIO` (10) or at most 1 / `DECISIVE_RATIO` (0.1): defined here, once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from tracker.vocab import EVIDENCE_TESTS

DEFAULT_PRIOR = 0.5
FLOOR = 0.01
CEILING = 0.99
# A likelihood ratio at least this (or at most its inverse) makes an item decisive.
DECISIVE_RATIO = 10.0

INDEPENDENCE_ASSUMPTION = (
    "Updating item by item assumes the evidence items are conditionally independent given the "
    "claim (and given its negation); items that share a source may carry the same information "
    "twice."
)


def evidence_direction(*, supports: bool, observed: bool) -> str:
    """ "for" when what was expected was found, else "against" (module docstring)."""
    return "for" if supports == observed else "against"


def likelihood_ratio(*, sensitivity: float, type_i_error: float, observed: bool) -> float:
    """P(finding | H) / P(finding | not H) for what was found (observed or sought and absent)."""
    if observed:
        numerator, denominator = sensitivity, type_i_error
    else:
        numerator, denominator = 1.0 - sensitivity, 1.0 - type_i_error
    if denominator == 0:
        return 1.0 if numerator == 0 else math.inf
    return numerator / denominator


# Likelihood ratios are quotients of probabilities typed to two decimals: 0.70 / 0.07 is 10 on
# paper but 9.999999999999998 in binary floating point. Ratios within this relative tolerance of
# the threshold count as reaching it.
RATIO_TOLERANCE = 1e-9


def is_decisive(ratio: float) -> bool:
    """Whether a likelihood ratio is decisive: ≥ `DECISIVE_RATIO` or ≤ 1 / `DECISIVE_RATIO`
    (each compared within `RATIO_TOLERANCE`, so 0.70 / 0.07 is decisive)."""
    low = 1.0 / DECISIVE_RATIO
    return (
        ratio >= DECISIVE_RATIO
        or ratio <= low
        or math.isclose(ratio, DECISIVE_RATIO, rel_tol=RATIO_TOLERANCE)
        or math.isclose(ratio, low, rel_tol=RATIO_TOLERANCE)
    )


def shown_probability(probability: float) -> str:
    """A confidence as shown: three decimals, or "> 0.99" / "< 0.01" at the extremes."""
    if probability > CEILING:
        return "> 0.99"
    if probability < FLOOR:
        return "< 0.01"
    return f"{probability:.3f}"


def log_odds(probability: float) -> float:
    if probability <= 0:
        return -math.inf
    if probability >= 1:
        return math.inf
    return math.log(probability / (1.0 - probability))


def probability_of(log_odds: float) -> float:
    if log_odds == math.inf:
        return 1.0
    if log_odds == -math.inf:
        return 0.0
    # 1 / (1 + e^-x), written to avoid overflow for large |x|.
    if log_odds >= 0:
        return 1.0 / (1.0 + math.exp(-log_odds))
    odds = math.exp(log_odds)
    return odds / (1.0 + odds)


# The verbal scale for a confidence: the first band whose upper bound the value is below.
CONFIDENCE_SCALE: tuple[tuple[float, str], ...] = (
    (0.1, "very unlikely"),
    (0.33, "unlikely"),
    (0.66, "about as likely as not"),
    (0.9, "likely"),
    (math.inf, "very likely"),
)

TEST_LABELS = {
    "hoop": "hoop test",
    "smoking_gun": "smoking-gun test",
    "doubly_decisive": "doubly-decisive test",
    "straw_in_the_wind": "straw-in-the-wind test",
}


def confidence_words(probability: float) -> str:
    """The scale in words: < 0.1 very unlikely, < 0.33 unlikely, < 0.66 about as likely as not,
    < 0.9 likely, ≥ 0.9 very likely."""
    for bound, words in CONFIDENCE_SCALE:
        if probability < bound:
            return words
    return CONFIDENCE_SCALE[-1][1]


def clamp(probability: float) -> float:
    """Hold a confidence within [FLOOR, CEILING]."""
    return min(CEILING, max(FLOOR, probability))


def bayes_update(prior: float, *, sensitivity: float, type_i_error: float, observed: bool) -> float:
    """The confidence after one evidence item, by Bayes' rule (no clamping).

    When the evidence is impossible under both hypotheses (a zero denominator), it carries no
    information and the confidence is unchanged.
    """
    ratio = likelihood_ratio(sensitivity=sensitivity, type_i_error=type_i_error, observed=observed)
    return probability_of(log_odds(prior) + log_ratio(ratio))


def log_ratio(ratio: float) -> float:
    if ratio == 0:
        return -math.inf
    return math.inf if ratio == math.inf else math.log(ratio)


@dataclass(frozen=True)
class EvidenceProbabilities:
    """The two probabilities an evidence item updates with, and where they came from."""

    sensitivity: float  # P(E|H)
    type_i_error: float  # P(E|not H)
    source: str  # e.g. "hoop preset", "explicit", "smoking-gun preset, swapped: against the claim"


def number_or_none(value: Any) -> float | None:
    if value is None or value is pd.NA:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def flag_or_default(value: Any, *, default: bool) -> bool:
    if value is None or value is pd.NA:
        return default
    if isinstance(value, float) and math.isnan(value):
        return default
    return bool(value)


def evidence_probabilities(
    *,
    test: str | None,
    sensitivity: float | None,
    type_i_error: float | None,
    supports: bool = True,
) -> EvidenceProbabilities | None:
    """P(E|H) and P(E|not H) for one evidence item, or None when it cannot update confidence.

    Explicit values override the preset one by one; presets swap for evidence against the claim
    (module docstring).
    """
    preset_s: float | None = None
    preset_a: float | None = None
    source_parts: list[str] = []
    if test in EVIDENCE_TESTS:
        preset_s, preset_a = EVIDENCE_TESTS[test]
        label = TEST_LABELS[test].removesuffix(" test")
        if supports:
            source_parts.append(f"{label} preset")
        else:
            preset_s, preset_a = preset_a, preset_s
            source_parts.append(f"{label} preset, swapped as the item is against the claim")
    s = sensitivity if sensitivity is not None else preset_s
    a = type_i_error if type_i_error is not None else preset_a
    if s is None or a is None:
        return None
    if sensitivity is not None and type_i_error is not None:
        source_parts = ["explicit"]
    elif sensitivity is not None:
        source_parts.append("explicit sensitivity")
    elif type_i_error is not None:
        source_parts.append("explicit type I error")
    return EvidenceProbabilities(sensitivity=s, type_i_error=a, source="; ".join(source_parts))
