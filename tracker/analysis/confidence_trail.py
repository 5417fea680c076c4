"""The confidence trail of a contribution claim: each evidence item's update by Bayes' rule
(`tracker.analysis.bayes` holds the rule, the presets and what makes an item decisive), in
evidence date order, with every number behind it and a warning when two items share a source.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from tracker.analysis.bayes import (
    CEILING,
    DEFAULT_PRIOR,
    FLOOR,
    INDEPENDENCE_ASSUMPTION,
    TEST_LABELS,
    clamp,
    confidence_words,
    evidence_direction,
    evidence_probabilities,
    flag_or_default,
    is_decisive,
    likelihood_ratio,
    log_odds,
    log_ratio,
    number_or_none,
    probability_of,
    shown_probability,
)


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
    current = log_odds(start)
    has_source = "source" in rows
    for row in rows.itertuples(index=False):
        key, title = _text(row.key), _text(row.title)
        test = _text(row.test) or None
        supports = flag_or_default(row.supports, default=True)
        probabilities = evidence_probabilities(
            test=test,
            sensitivity=number_or_none(row.sensitivity),
            type_i_error=number_or_none(row.type_i_error),
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
        observed = flag_or_default(row.observed, default=True)
        ratio = likelihood_ratio(sensitivity=pair[0], type_i_error=pair[1], observed=observed)
        after = current + log_ratio(ratio)
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
                before=probability_of(current),
                after=probability_of(after),
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
