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

import datetime as dt
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


def is_decisive(ratio: float) -> bool:
    """Whether a likelihood ratio is decisive: ≥ `DECISIVE_RATIO` or ≤ 1 / `DECISIVE_RATIO`."""
    return ratio >= DECISIVE_RATIO or ratio <= 1.0 / DECISIVE_RATIO


def shown_probability(probability: float) -> str:
    """A confidence as shown: three decimals, or "> 0.99" / "< 0.01" at the extremes."""
    if probability > CEILING:
        return "> 0.99"
    if probability < FLOOR:
        return "< 0.01"
    return f"{probability:.3f}"


def _log_odds(probability: float) -> float:
    if probability <= 0:
        return -math.inf
    if probability >= 1:
        return math.inf
    return math.log(probability / (1.0 - probability))


def _probability(log_odds: float) -> float:
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
    return _probability(_log_odds(prior) + _log_ratio(ratio))


def _log_ratio(ratio: float) -> float:
    if ratio == 0:
        return -math.inf
    return math.inf if ratio == math.inf else math.log(ratio)


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
    shared_source: str | None = None

    @property
    def likelihood_ratio(self) -> float:
        """How much more likely this finding is if the claim holds than if it does not."""
        return likelihood_ratio(
            sensitivity=self.sensitivity, type_i_error=self.type_i_error, observed=self.observed
        )

    @property
    def direction(self) -> str:
        """ "for" or "against" the claim, as every table shows it (`evidence_direction`)."""
        return evidence_direction(supports=self.supports, observed=self.observed)

    @property
    def decisive(self) -> bool:
        return is_decisive(self.likelihood_ratio)

    @property
    def sentence(self) -> str:
        """The step in words, with its numbers, for a reviewer to audit."""
        test = TEST_LABELS.get(self.test or "", "evidence item")
        seen = "observed" if self.observed else "sought and not found"
        ratio = self.likelihood_ratio
        moves = "raises" if ratio > 1 else "lowers" if ratio < 1 else "leaves"
        decisive = ", decisive" if self.decisive else ""
        return (
            f"{self.evidence} ({test}, {seen}, {self.direction} the claim; P(E|H) "
            f"{self.sensitivity:.2f}, P(E|not H) {self.type_i_error:.2f}, {self.source}; "
            f"likelihood ratio {ratio:.3g}{decisive}) {moves} confidence from "
            f"{shown_probability(self.before)} to {shown_probability(self.after)}."
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
            "direction": self.direction,
            "source": self.source,
            "likelihood_ratio": None
            if math.isinf(self.likelihood_ratio)
            else round(self.likelihood_ratio, 6),
            "decisive": self.decisive,
            "evidence_source": self.shared_source,
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
    warnings: tuple[str, ...] = ()
    assumption: str = INDEPENDENCE_ASSUMPTION

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
            f"Taking {len(self.steps)} evidence {items} by Bayes' rule (in log-odds, in any "
            f"order), confidence that the claim holds moves from a prior of {self.prior:.3f} "
            f"to {shown_probability(self.posterior)}: {self.words}."
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
            "posterior_shown": shown_probability(self.posterior),
            "words": self.words,
            "assumption": self.assumption,
            "warnings": list(self.warnings),
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
    # Log-odds add up: the running value is exact whatever the order (no clamping).
    current = _log_odds(start)
    has_source = "source" in rows
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
        if (supports and pair[0] < pair[1]) or (not supports and pair[0] > pair[1]):
            skipped.append(
                SkippedEvidence(
                    key,
                    title,
                    f"its direction ({'for' if supports else 'against'} the claim) contradicts "
                    f"its numbers (P(E|H) {pair[0]:g}, P(E|not H) {pair[1]:g})",
                )
            )
            continue
        observed = _flag(row.observed, default=True)
        ratio = likelihood_ratio(sensitivity=pair[0], type_i_error=pair[1], observed=observed)
        after = current + _log_ratio(ratio)
        if math.isnan(after):
            skipped.append(
                SkippedEvidence(
                    key,
                    title,
                    "it is conclusive against an earlier conclusive item (certainty "
                    "both ways): the two cannot both hold",
                )
            )
            continue
        source = _text(row.source).strip() if has_source else ""
        steps.append(
            BayesStep(
                evidence=key,
                title=title,
                date=_date(row.date),
                test=test,
                sensitivity=pair[0],
                type_i_error=pair[1],
                observed=observed,
                supports=supports,
                source=probabilities.source,
                before=_probability(current),
                after=_probability(after),
                shared_source=source or None,
            )
        )
        current = after
    return ConfidenceTrail(
        prior=start,
        steps=tuple(steps),
        skipped=tuple(skipped),
        claim=claim,
        prior_source=prior_source,
        warnings=_shared_source_warnings(steps),
    )


def _shared_source_warnings(steps: list[BayesStep]) -> tuple[str, ...]:
    """A warning per source that two or more items share (they may not be independent)."""
    by_source: dict[str, list[str]] = {}
    for step in steps:
        if step.shared_source:
            by_source.setdefault(step.shared_source.casefold(), []).append(step.evidence)
    warnings = []
    for items in by_source.values():
        if len(items) > 1:
            source = next(s.shared_source for s in steps if s.evidence == items[0])
            warnings.append(
                f"Items {', '.join(items)} share a source ({source}): they may not be "
                "conditionally independent given the claim, and together may count one piece "
                "of information more than once."
            )
    return tuple(warnings)
