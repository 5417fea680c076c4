"""One link of the causal chain in a contribution story: its evidence, assumptions, risks, strength.

The theory of change (product.md) runs sustained professional engagement → individual practice
change → team norms → structural embedding → basic assumption change. For each link the story
gathers what speaks for it and against it:

- **evidence items** whose `link` is this link (or, with no link, whose `record` is a change on
  this link). An item is *for* the link when what was expected was found: supporting evidence
  observed, or contrary evidence sought and not found; it is *against* when supporting evidence
  was sought and not found, or contrary evidence was observed;
- **structural changes** whose `chain_link` is this link: *for* when in force (in force or
  weakened) as of the as-of date, *against* when reversed or superseded, or reversed after a
  turnover;
- **decisions** that answer the diagnostic question yes (reversed an earlier decision because of
  work with the community, at a cost): *for* the basic-assumption link, as the article's sign
  that what the institution does, not only what it says, has shifted;
- **practice indicators** whose `chain_link` is this link: *for* when the indicator improved
  beyond the tolerance over the record, or held through every turnover that tested it with at
  least one such test; *against* when it declined after a turnover.

**Strength**, by these rules, applied in order (the README shows the same table; every link
names the rules it applied in `strength_rules` and its reason):
- R1 `no evidence`: nothing for and nothing against;
- R2 `strong`: at least two items for, nothing against, and among the evidence items for at
  least one *decisive* item (likelihood ratio ≥ `bayes.DECISIVE_RATIO`, i.e. 10, for what was
  found; defined once in `bayes`): strong needs positive evidence, and a count of weak items is
  never strong;
- R3 `moderate`: otherwise, more items for than against;
- R4 `weak`: everything else (as many or more items against as for);
- R5 a **failed hoop test** on the link (a hoop test of the link sought and not found, or a hoop
  against it observed) makes it `weak` at best, whatever else is recorded, and is named;
- R6 each **major influencing factor** assessed on the link (`factors.csv` `link`, assessed role
  `major`) lowers it one step (strong → moderate → weak), and is named: a rival explanation of
  the same change. A link with no evidence stays `no evidence` (R1 comes first), the factor
  named beside it.
Records (changes, decisions, indicators) count as items for or against but carry no likelihood
ratio, so they are never decisive.

The workbook records no assumptions per link, so each link carries the standard assumptions of
the theory of change (from the article) and the risks seen in the data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tracker.analysis.bayes import (
    DECISIVE_RATIO,
    evidence_direction,
    evidence_probabilities,
    is_decisive,
    likelihood_ratio,
)
from tracker.vocab import CHAIN_LINK_LABELS

STRENGTHS = ("strong", "moderate", "weak", "no evidence")
INDEPENDENT_KINDS = ("independent_evaluation", "peer_review", "admin_data")

# What must hold for each link to carry the change on (the article; Fixsen et al. 2005; Schein).
ASSUMPTIONS: dict[str, tuple[str, ...]] = {
    "engagement": (
        "Engagement is sustained and embedded over years (coaching, reflective supervision, "
        "peer learning), not a one-off training event.",
    ),
    "individual_practice": (
        "Professionals have the time, permission and supervision to change how they work.",
    ),
    "team_norms": (
        "Changed individual practice is shared and reinforced by teams, not held only by a few "
        "enthusiasts.",
    ),
    "structural_embedding": (
        "The structures that reward the old practice (performance frameworks, HR systems, "
        "hiring criteria, governance) are changed to protect the new one.",
    ),
    "basic_assumption": (
        "The institution acts on the changed assumptions when no one is watching, including "
        "when doing so costs it something.",
    ),
}

STANDARD_RISKS: dict[str, tuple[str, ...]] = {
    "engagement": ("The external partner withdraws before practice has changed.",),
    "individual_practice": ("Staff turnover takes changed practice away with the people.",),
    "team_norms": (
        "Balancing forces (inspection pressure, budget constraint) pull teams back to old norms.",
    ),
    "structural_embedding": (
        "The champion leaves and the structural changes are reversed or quietly dropped.",
    ),
    "basic_assumption": ("Espoused values change while basic assumptions do not.",),
}

# What to look for next when a link lacks evidence.
NEXT_EVIDENCE: dict[str, str] = {
    "engagement": (
        "records of sustained engagement over several years: coaching and supervision logs, "
        "peer learning attendance, partner reports"
    ),
    "individual_practice": (
        "observations of practice, staff interviews or surveys on how they now work"
    ),
    "team_norms": "team-level evidence: peer review, team records, surveys of shared norms",
    "structural_embedding": (
        "the documents of each structural change (hiring criteria, performance framework, "
        "governance papers) and a dated status record after each turnover"
    ),
    "basic_assumption": (
        "decisions reversed because of work with the community at a cost to the institution, "
        "and an independent evaluation"
    ),
}


@dataclass(frozen=True)
class EvidenceLine:
    """One evidence item as the story shows it (`title` and `source` are the evaluator's)."""

    key: str
    title: str
    date: str | None  # ISO date
    kind: str | None
    source: str | None
    link: str | None
    record: str | None
    claim: str | None
    supports: bool
    observed: bool
    test: str | None
    sensitivity: float | None = None
    type_i_error: float | None = None

    @property
    def direction(self) -> str:
        """ "for" when what was expected was found (module docstring), else "against"."""
        return evidence_direction(supports=self.supports, observed=self.observed)

    @property
    def ratio(self) -> float | None:
        """The likelihood ratio of what was found, or None without probabilities."""
        probabilities = evidence_probabilities(
            test=self.test,
            sensitivity=self.sensitivity,
            type_i_error=self.type_i_error,
            supports=self.supports,
        )
        if probabilities is None:
            return None
        return likelihood_ratio(
            sensitivity=probabilities.sensitivity,
            type_i_error=probabilities.type_i_error,
            observed=self.observed,
        )

    @property
    def decisive_for(self) -> bool:
        """Decisive for the link: a likelihood ratio of at least `DECISIVE_RATIO` (compared
        within `bayes.RATIO_TOLERANCE`, so 0.70 / 0.07 is 10)."""
        ratio = self.ratio
        return self.direction == "for" and ratio is not None and ratio > 1 and is_decisive(ratio)

    @property
    def failed_hoop(self) -> bool:
        """A hoop test the link had to pass, and did not."""
        return self.test == "hoop" and self.direction == "against"

    @property
    def corroborating(self) -> bool:
        """Kept for callers: the item is decisive for the link (rule R2)."""
        return self.decisive_for


@dataclass(frozen=True)
class RecordOnLink:
    """A structural change, decision or practice indicator on a link, and what it says for it."""

    record: str  # change, decision or indicator key
    kind: str  # "change", "decision" or "indicator"
    title: str  # the evaluator's title or name
    direction: str | None  # "for", "against" or None (says nothing either way yet)
    corroborating: bool
    sentence: str


@dataclass(frozen=True)
class LinkStory:
    """One link of the causal chain with its evidence for and against, and its strength."""

    link: str
    label: str
    evidence_for: tuple[EvidenceLine, ...]
    evidence_against: tuple[EvidenceLine, ...]
    records: tuple[RecordOnLink, ...]
    assumptions: tuple[str, ...]
    risks: tuple[str, ...]
    strength: str  # STRENGTHS
    strength_reason: str
    strength_rules: tuple[str, ...] = ()  # the rules applied, e.g. ("R3", "R6")
    major_factors: tuple[str, ...] = ()  # titles of major influencing factors on the link

    @property
    def n_for(self) -> int:
        return len(self.evidence_for) + sum(r.direction == "for" for r in self.records)

    @property
    def n_against(self) -> int:
        return len(self.evidence_against) + sum(r.direction == "against" for r in self.records)

    def texts(self) -> list[str]:
        """Every sentence the product wrote for this link."""
        return [
            self.strength_reason,
            *self.assumptions,
            *self.risks,
            *(record.sentence for record in self.records),
        ]


_LOWER = {"strong": "moderate", "moderate": "weak", "weak": "weak"}


def link_strength(
    *,
    n_for: int,
    n_against: int,
    decisive: Sequence[str] = (),
    failed_hoops: Sequence[str] = (),
    major_factors: Sequence[str] = (),
) -> tuple[str, str, tuple[str, ...]]:
    """The strength of a link, the sentence that explains it, and the rules applied.

    `decisive` names the evidence items for the link that are decisive; `failed_hoops` the hoop
    tests it failed; `major_factors` the major influencing factors assessed on it (module
    docstring, rules R1 to R6).
    """
    counts = f"{n_for} for and {n_against} against"
    if n_for == 0 and n_against == 0:
        # R1 comes first: with nothing recorded there is no strength for a factor to lower, so
        # a major factor is named beside "no evidence" (R6), never turned into "weak".
        reason = "R1: no evidence is recorded for or against this link"
        rules = ["R1"]
        for title in major_factors:
            rules.append("R6")
            reason += (
                f"; R6: a major influencing factor is assessed on this link ('{title}'), "
                "a rival explanation"
            )
        return "no evidence", reason + ".", tuple(rules)
    if n_for >= 2 and n_against == 0 and decisive:
        strength, rules = "strong", ["R2"]
        reason = (
            f"R2 strong: {counts}, including a decisive item ({', '.join(decisive)}: likelihood "
            f"ratio of at least {DECISIVE_RATIO:g})"
        )
    elif n_for > n_against:
        strength, rules = "moderate", ["R3"]
        why = "no decisive item for it yet" if n_against == 0 else "some against"
        reason = f"R3 moderate: {counts} ({why})"
    else:
        strength, rules = "weak", ["R4"]
        reason = f"R4 weak: {counts}; the evidence for does not outweigh the evidence against"
    if failed_hoops and strength != "weak":
        strength = "weak"
        rules.append("R5")
        reason += f"; R5: it failed a hoop test ({', '.join(failed_hoops)}), so it is weak at best"
    elif failed_hoops:
        rules.append("R5")
        reason += f"; R5: it failed a hoop test ({', '.join(failed_hoops)})"
    for title in major_factors:
        lowered = _LOWER[strength]
        rules.append("R6")
        reason += (
            f"; R6: a major influencing factor is assessed on this link ('{title}'), "
            f"a rival explanation, so it is lowered to {lowered}"
            if lowered != strength
            else f"; R6: a major influencing factor is assessed on this link ('{title}')"
        )
        strength = lowered
    return strength, reason[0].upper() + reason[1:] + ".", tuple(rules)


def link_story(
    link: str,
    *,
    evidence: list[EvidenceLine],
    records: list[RecordOnLink],
    risks: list[str],
    major_factors: Sequence[str] = (),
) -> LinkStory:
    """Assemble one link: split evidence by direction and judge the strength."""
    evidence_for = tuple(item for item in evidence if item.direction == "for")
    evidence_against = tuple(item for item in evidence if item.direction == "against")
    n_for = len(evidence_for) + sum(r.direction == "for" for r in records)
    n_against = len(evidence_against) + sum(r.direction == "against" for r in records)
    strength, reason, rules = link_strength(
        n_for=n_for,
        n_against=n_against,
        decisive=[item.key for item in evidence_for if item.decisive_for],
        failed_hoops=[item.key for item in evidence if item.failed_hoop],
        major_factors=major_factors,
    )
    return LinkStory(
        link=link,
        label=CHAIN_LINK_LABELS[link],
        evidence_for=evidence_for,
        evidence_against=evidence_against,
        records=tuple(records),
        assumptions=ASSUMPTIONS[link],
        risks=(*STANDARD_RISKS[link], *risks),
        strength=strength,
        strength_reason=reason,
        strength_rules=rules,
        major_factors=tuple(major_factors),
    )
