"""Contribution tracing: updating confidence in a contribution claim by Bayes' rule.

Each evidence item that carries probabilities updates the confidence that the claim holds (H):
- evidence observed: p' = p·s / (p·s + (1−p)·α);
- evidence sought and absent: p' = p·(1−s) / (p·(1−s) + (1−p)·(1−α));
where s = P(E|H) (sensitivity) and α = P(E|not H) (type I error). After each step confidence is
held within [0.01, 0.99]: no finite body of evidence makes a contribution claim certain, and a
certainty could not be moved by later evidence. The starting prior is held within the same bounds
for the same reason.

Where the probabilities come from (in this order):
- explicit `sensitivity` / `type_i_error` on the evidence row, always read as P(E|H) and
  P(E|not H) for the claim, each overriding the preset separately;
- otherwise the preset of the row's `test` (`tracker.vocab.EVIDENCE_TESTS`). A preset describes a
  test *of the hypothesis the evidence speaks to*: for an item recorded against the claim
  (`supports` false) that hypothesis is the rival one, so the preset's two numbers swap
  (P(E|H) = α, P(E|not H) = s). An observed smoking gun against the claim thus lowers confidence
  sharply instead of raising it;
- a row with neither a test nor both probabilities does not update confidence; it is listed as
  skipped with the reason.

Steps run in evidence date order, then key, and every number is kept for audit.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from tracker.vocab import EVIDENCE_TESTS

DEFAULT_PRIOR = 0.5
FLOOR = 0.01
CEILING = 0.99

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
    """The confidence after one evidence item, held within [0.01, 0.99].

    When the evidence is impossible under both hypotheses (a zero denominator), it carries no
    information and the confidence is unchanged.
    """
    if observed:
        for_h, for_not_h = sensitivity, type_i_error
    else:
        for_h, for_not_h = 1.0 - sensitivity, 1.0 - type_i_error
    denominator = prior * for_h + (1.0 - prior) * for_not_h
    if denominator <= 0:
        return clamp(prior)
    return clamp(prior * for_h / denominator)


@dataclass(frozen=True)
class EvidenceProbabilities:
    """The two probabilities an evidence item updates with, and where they came from."""

    sensitivity: float  # P(E|H)
    type_i_error: float  # P(E|not H)
    source: str  # e.g. "hoop preset", "explicit", "smoking-gun preset, swapped: against the claim"


def _number(value: Any) -> float | None:
    if value is None or value is pd.NA:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def _flag(value: Any, *, default: bool) -> bool:
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


@dataclass(frozen=True)
class BayesStep:
    """One update of confidence by one evidence item, with every number behind it."""

    evidence: str
    title: str
    date: dt.date | None
    test: str | None
    sensitivity: float
    type_i_error: float
    observed: bool
    supports: bool
    source: str
    before: float
    after: float

    @property
    def likelihood_ratio(self) -> float:
        """How much more likely this finding is if the claim holds than if it does not."""
        if self.observed:
            numerator, denominator = self.sensitivity, self.type_i_error
        else:
            numerator, denominator = 1.0 - self.sensitivity, 1.0 - self.type_i_error
        return math.inf if denominator == 0 else numerator / denominator

    @property
    def sentence(self) -> str:
        """The step in words, with its numbers, for a reviewer to audit."""
        test = TEST_LABELS.get(self.test or "", "evidence item")
        seen = "observed" if self.observed else "sought and not found"
        direction = "raises" if self.after > self.before else "lowers"
        if self.after == self.before:
            direction = "leaves"
        return (
            f"{self.evidence} ({test}, {seen}; P(E|H) {self.sensitivity:.2f}, "
            f"P(E|not H) {self.type_i_error:.2f}, {self.source}) {direction} confidence "
            f"from {self.before:.3f} to {self.after:.3f}."
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "evidence": self.evidence,
            "title": self.title,
            "date": None if self.date is None else self.date.isoformat(),
            "test": self.test,
            "sensitivity": self.sensitivity,
            "type_i_error": self.type_i_error,
            "observed": self.observed,
            "supports": self.supports,
            "source": self.source,
            "before": round(self.before, 6),
            "after": round(self.after, 6),
        }


@dataclass(frozen=True)
class SkippedEvidence:
    """An evidence item that did not update confidence, and why."""

    evidence: str
    title: str
    reason: str


@dataclass(frozen=True)
class ConfidenceTrail:
    """The prior, each step and the resulting confidence that a claim holds."""

    prior: float
    steps: tuple[BayesStep, ...] = ()
    skipped: tuple[SkippedEvidence, ...] = ()
    claim: str | None = None
    prior_source: str = ""

    @property
    def posterior(self) -> float:
        return self.steps[-1].after if self.steps else self.prior

    @property
    def words(self) -> str:
        return confidence_words(self.posterior)

    @property
    def sentence(self) -> str:
        """The result in words, e.g. "... from a prior of 0.500 to 0.870: likely".

        Three decimals, so that a value just under a band's bound (0.895) does not read as the
        bound itself (0.90) beside the words of the band below.
        """
        if not self.steps:
            return (
                f"No evidence item carries probabilities, so confidence stays at the prior of "
                f"{self.prior:.3f} ({confidence_words(self.prior)})."
            )
        items = "item" if len(self.steps) == 1 else "items"
        return (
            f"Taking {len(self.steps)} evidence {items} in date order, confidence that the "
            f"claim holds moves from a prior of {self.prior:.3f} to {self.posterior:.3f}: "
            f"{self.words}."
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "claim": self.claim,
            "prior": round(self.prior, 6),
            "prior_source": self.prior_source,
            "steps": [step.to_json() for step in self.steps],
            "skipped": [
                {"evidence": s.evidence, "title": s.title, "reason": s.reason} for s in self.skipped
            ],
            "posterior": round(self.posterior, 6),
            "words": self.words,
        }


def _text(value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _date(value: Any) -> dt.date | None:
    if value is None or value is pd.NaT or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def confidence_trail(
    evidence: pd.DataFrame,
    *,
    prior: float | None = None,
    claim: str | None = None,
    as_of: dt.date | None = None,
) -> ConfidenceTrail:
    """Update confidence in a claim by each evidence row, in date then key order.

    `evidence` has the columns of the `evidence` table (typically the rows of one claim);
    rows dated after `as_of` are not used. A missing prior is the default 0.5.
    """
    if prior is None or math.isnan(prior):
        start, prior_source = DEFAULT_PRIOR, f"default prior {DEFAULT_PRIOR:.2f}"
    else:
        start, prior_source = clamp(prior), "the claim's prior"
        if start != prior:
            prior_source += f" ({prior:g}, held within [{FLOOR}, {CEILING}])"
    rows = evidence
    if as_of is not None and len(rows):
        rows = rows[~(rows["date"] > pd.Timestamp(as_of))]
    rows = rows.sort_values(["date", "key"], na_position="last", kind="stable")
    steps: list[BayesStep] = []
    skipped: list[SkippedEvidence] = []
    current = start
    for row in rows.itertuples(index=False):
        key, title = _text(row.key), _text(row.title)
        test = _text(row.test) or None
        supports = _flag(row.supports, default=True)
        probabilities = evidence_probabilities(
            test=test,
            sensitivity=_number(row.sensitivity),
            type_i_error=_number(row.type_i_error),
            supports=supports,
        )
        if probabilities is None:
            skipped.append(
                SkippedEvidence(key, title, "no test and no pair of probabilities recorded")
            )
            continue
        pair = (probabilities.sensitivity, probabilities.type_i_error)
        if not all(0.0 <= p <= 1.0 for p in pair):
            skipped.append(SkippedEvidence(key, title, "probabilities outside 0 to 1"))
            continue
        observed = _flag(row.observed, default=True)
        after = bayes_update(
            current,
            sensitivity=probabilities.sensitivity,
            type_i_error=probabilities.type_i_error,
            observed=observed,
        )
        steps.append(
            BayesStep(
                evidence=key,
                title=title,
                date=_date(row.date),
                test=test,
                sensitivity=probabilities.sensitivity,
                type_i_error=probabilities.type_i_error,
                observed=observed,
                supports=supports,
                source=probabilities.source,
                before=current,
                after=after,
            )
        )
        current = after
    return ConfidenceTrail(
        prior=start,
        steps=tuple(steps),
        skipped=tuple(skipped),
        claim=claim,
        prior_source=prior_source,
    )
