"""The parts of a contribution story other than its chain: the question (step 1), the
influencing factors (step 4), the sentences of steps 3 to 5, the challenges to the story and
what would strengthen it (`stories` assembles them).

Every sentence about persistence is built from the tests' own counts (`verdict_words`): a
change is described by how many of its tests gave each verdict, never by its summary alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from tracker.analysis.persistence import UNTESTED_SENTENCE
from tracker.analysis.results import InstitutionResult
from tracker.analysis.story_chain import text_or_none
from tracker.analysis.story_links import NEXT_EVIDENCE, EvidenceLine, LinkStory
from tracker.analysis.verdict_words import changes_sentence, counts_phrase, verdict_counts

ROLE_WORDS = {
    "not_significant": "not a significant influence",
    "partial": "a partial influence alongside the work",
    "major": "a major influence alongside the work",
    "unknown": "of an influence not yet assessed",
}


@dataclass(frozen=True)
class Question:
    """Step 1: the question the story answers, and the claim it comes from (if any)."""

    text: str
    claim: str | None = None
    statement: str | None = None  # the evaluator's words
    outcome: str | None = None  # the evaluator's words
    prior: float | None = None


@dataclass(frozen=True)
class FactorLine:
    """Step 4: one influencing factor (`title` and `notes` are the evaluator's)."""

    title: str
    kind: str | None
    start: str | None
    end: str | None
    assessed_role: str
    notes: str | None
    sentence: str
    link: str | None = None


@dataclass(frozen=True)
class Challenge:
    """A challenge to the story: a rival explanation or a weakness the evaluator must answer."""

    topic: str  # e.g. "factor 'Austerity'", "evidence e3", "change c1"
    text: str


def count_words(n: int, noun: str, *, verb: bool = True) -> str:
    """ "1 evidence item is", "2 evidence items are" (or without the verb)."""
    words = f"{n} {noun}" if n == 1 else f"{n} {noun}s"
    if not verb:
        return words
    return f"{words} is" if n == 1 else f"{words} are"


def factors_sentence(factors: list[FactorLine]) -> str:
    if not factors:
        return (
            "No other influencing factor is recorded. A contribution story weighs the other "
            "forces at work (austerity, inspection pressure, budget constraint, staff turnover): "
            "record them and assess their role."
        )
    counts = {role: sum(f.assessed_role == role for f in factors) for role in ROLE_WORDS}
    parts = [f"{n} {role.replace('_', ' ')}" for role, n in counts.items() if n]
    return (
        f"{count_words(len(factors), 'other influencing factor')} recorded alongside the work, "
        f"as assessed "
        f"by the evaluator: " + ", ".join(parts) + "."
    )


def evidence_sentence(evidence: list[EvidenceLine], as_of: dt.date | None) -> str:
    if not evidence:
        return "No evidence item is recorded yet."
    n_for = sum(item.direction == "for" for item in evidence)
    on_chain = sum(item.link is not None for item in evidence)
    independent = sum(item.kind in ("independent_evaluation", "peer_review") for item in evidence)
    when = "" if as_of is None else f" on or before {as_of.isoformat()}"
    return (
        f"{count_words(len(evidence), 'evidence item')} recorded{when}: {n_for} for and "
        f"{len(evidence) - n_for} against; {on_chain} attached to a link of the causal chain; "
        f"{independent} from an independent evaluation or peer review."
    )


def persistence_sentence(result: InstitutionResult) -> str:
    """Step 5 in one sentence: the turnovers, each change by its tests' verdicts
    (`verdict_words`), the phase and the diagnostic answer."""
    turnovers = len(result.turnovers)
    return (
        f"{count_words(turnovers, 'turnover', verb=False)} (leadership changes and partner "
        f"withdrawals) as of the as-of date. {changes_sentence(result.changes)} Phase: "
        f"{result.phase.phase}. Diagnostic question: {result.diagnostic.answer}."
    )


def question_for(name: str, claim: pd.Series | None) -> Question:
    if claim is None:
        return Question(
            text=(
                f"Is the evidence consistent with the work with {name}'s communities having "
                f"contributed to a change in how the institution works, one that survives the "
                f"departure of its leaders and partners, and how strong is the evidence for each "
                f"link of the causal chain?"
            )
        )
    prior = claim["prior"]
    return Question(
        text=(
            f"Is it reasonable to conclude that the work contributed to the change stated in "
            f"claim {claim['key']}, alongside other influencing factors, and how strong is the "
            f"evidence for each link of the causal chain?"
        ),
        claim=str(claim["key"]),
        statement=text_or_none(claim["statement"]),
        outcome=text_or_none(claim["outcome"]),
        prior=None if pd.isna(prior) else float(prior),
    )


def challenges(
    factors: list[FactorLine],
    evidence: list[EvidenceLine],
    chain: tuple[LinkStory, ...],
    result: InstitutionResult,
) -> tuple[Challenge, ...]:
    """Rival explanations and weaknesses, in the order of Mayne's step 4."""
    out: list[Challenge] = []
    labels = {link.link: link.label for link in chain}
    for factor in factors:
        if factor.assessed_role != "major":
            continue
        where = f" on the link '{labels[factor.link]}'" if factor.link in labels else ""
        out.append(
            Challenge(
                f"factor '{factor.title}'",
                f"A rival explanation: '{factor.title}' is assessed as a major influence"
                f"{where}, alongside the work. The story holds only as far as the evidence "
                "shows a contribution from the work beyond what this factor would explain.",
            )
        )
    for item in evidence:
        if item.direction != "against":
            continue
        on = f"the link '{labels[item.link]}'" if item.link in labels else "the story"
        out.append(
            Challenge(
                f"evidence {item.key}",
                f"Evidence item {item.key} ({item.date or 'undated'}) is against {on}: "
                + (
                    "what the story expected was sought and not found."
                    if item.supports
                    else "evidence for a rival account was found."
                ),
            )
        )
    for change in result.changes:
        if change.summary == "untested" and change.status in ("in_force", "weakened"):
            out.append(
                Challenge(
                    f"change {change.change}",
                    f"Change {change.change} has not been through a turnover: "
                    f"{UNTESTED_SENTENCE} It may depend on the people now in post.",
                )
            )
        elif change.summary in ("unconfirmed", "too_early"):
            words = "unconfirmed" if change.summary == "unconfirmed" else "too early to judge"
            out.append(
                Challenge(
                    f"change {change.change}",
                    f"Change {change.change}: its persistence through a turnover is {words}, "
                    "so the story cannot yet say it outlasts the people who made it.",
                )
            )
        elif change.summary == "persisted":
            # Persisted through some turnovers, but others have not been judged yet: the
            # story must not read as if it held through all of them.
            counts = verdict_counts(test.verdict for test in change.tests)
            if any(v in counts for v in ("too_early", "unconfirmed")):
                out.append(
                    Challenge(
                        f"change {change.change}",
                        f"Change {change.change}: {counts_phrase(counts)}; the turnovers not "
                        "yet judged may still show it reversed.",
                    )
                )
    return tuple(out)


def strengthen(chain: tuple[LinkStory, ...], result: InstitutionResult) -> tuple[str, ...]:
    """The next evidence to seek, per link that is not strong (Mayne's steps 5 and 6)."""
    out: list[str] = []
    for link in chain:
        if link.strength == "strong":
            continue
        decisive = (
            "a decisive item for it (a likelihood ratio of at least 10, such as a smoking-gun "
            "or doubly-decisive test passed)"
        )
        extra = ""
        if "R5" in link.strength_rules:
            extra = " and an answer to the hoop test it failed"
        if link.major_factors:
            extra += " and evidence that tells the work's contribution apart from " + ", ".join(
                f"'{title}'" for title in link.major_factors
            )
        out.append(
            f"For the link '{link.label}' ({link.strength}): seek "
            f"{NEXT_EVIDENCE[link.link]}, including {decisive}{extra}."
        )
    return tuple(out)
