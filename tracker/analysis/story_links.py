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

**Strength**, by this rule:
- `no evidence`: nothing for and nothing against;
- `strong`: at least two items for, nothing against, and at least one of them *corroborating*:
  an evidence item from an independent source (independent evaluation, peer review,
  administrative data), a smoking-gun or doubly-decisive test passed, or a structural change on
  the link that persisted through a turnover;
- `moderate`: otherwise, more items for than against;
- `weak`: everything else (as many or more items against as for).

The workbook records no assumptions per link, so each link carries the standard assumptions of
the theory of change (from the article) and the risks seen in the data.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.vocab import CHAIN_LINK_LABELS

STRENGTHS = ("strong", "moderate", "weak", "no evidence")
INDEPENDENT_KINDS = ("independent_evaluation", "peer_review", "admin_data")
DECISIVE_TESTS = ("smoking_gun", "doubly_decisive")

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

    @property
    def direction(self) -> str:
        """ "for" when what was expected was found (module docstring), else "against"."""
        return "for" if self.supports == self.observed else "against"

    @property
    def corroborating(self) -> bool:
        if self.direction != "for":
            return False
        passed_decisive = self.test in DECISIVE_TESTS and self.observed and self.supports
        return self.kind in INDEPENDENT_KINDS or passed_decisive


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


def link_strength(*, n_for: int, n_against: int, corroborated: bool) -> tuple[str, str]:
    """The strength of a link and the sentence that explains it (module docstring rule)."""
    counts = f"{n_for} for and {n_against} against"
    if n_for == 0 and n_against == 0:
        return "no evidence", "No evidence is recorded for or against this link."
    if n_for >= 2 and n_against == 0 and corroborated:
        return "strong", (
            f"Strong: {counts}, with corroboration from an independent source, a decisive test "
            f"or a change that persisted through a turnover."
        )
    if n_for > n_against:
        why = "nothing against but no corroboration yet" if n_against == 0 else "some against"
        return "moderate", f"Moderate: {counts} ({why})."
    return "weak", f"Weak: {counts}; the evidence for does not outweigh the evidence against."


def link_story(
    link: str,
    *,
    evidence: list[EvidenceLine],
    records: list[RecordOnLink],
    risks: list[str],
) -> LinkStory:
    """Assemble one link: split evidence by direction and judge the strength."""
    evidence_for = tuple(item for item in evidence if item.direction == "for")
    evidence_against = tuple(item for item in evidence if item.direction == "against")
    corroborated = any(item.corroborating for item in evidence_for) or any(
        r.corroborating and r.direction == "for" for r in records
    )
    n_for = len(evidence_for) + sum(r.direction == "for" for r in records)
    n_against = len(evidence_against) + sum(r.direction == "against" for r in records)
    strength, reason = link_strength(n_for=n_for, n_against=n_against, corroborated=corroborated)
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
    )
