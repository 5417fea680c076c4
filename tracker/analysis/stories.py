"""Contribution stories: Mayne's contribution analysis, assembled from the data.

A `Story` follows six steps, for an institution or for one of its contribution claims:
1. the cause-effect question (from the claim, or a default question about the institution);
2. the theory of change: each link of the causal chain with its evidence for and against,
   assumptions, risks and strength (`story_links`);
3. the evidence gathered;
4. the other influencing factors, with the evaluator's assessment of each;
5. the persistence tests, the phase and the diagnostic answer, with their reasons;
6. the gaps, and the evidence to seek next;
then, completing Mayne's steps in his order: the **challenges to the story** (rival
explanations: every major influencing factor, every item of evidence against, untested and
unconfirmed persistence) and **what would strengthen it** (the next evidence to seek for each
link that is not strong); plus the Bayes confidence trail of each claim (`bayes`).

Every sentence the product writes here uses contribution language (`Story.generated_texts`
passes `language.check_language`); text the evaluator wrote (titles, statements, notes,
narratives) is kept apart in its own fields, and any attribution language in it comes back as a
gentle warning with a suggested rewording, never a refusal. Nothing dated after the as-of date
is used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd

from tracker.analysis.confidence_trail import ConfidenceTrail, confidence_trail
from tracker.analysis.language import LanguageFinding, language_warnings
from tracker.analysis.params import Parameters
from tracker.analysis.persistence import UNTESTED_SENTENCE
from tracker.analysis.results import AnalysisResult, InstitutionResult
from tracker.analysis.story_chain import (
    causal_chain,
    evidence_lines,
    iso_or_none,
    text_or_none,
)
from tracker.analysis.story_gaps import Gap, story_gaps
from tracker.analysis.story_links import NEXT_EVIDENCE, EvidenceLine, LinkStory
from tracker.dataset import Dataset
from tracker.periods import period_of

STEP_TITLES = (
    "1. The cause-effect question",
    "2. The theory of change",
    "3. The evidence gathered",
    "4. Other influencing factors",
    "5. Persistence through turnover, phase and diagnostic",
    "6. Gaps and the next evidence to seek",
)
CHALLENGES_TITLE = "Challenges to the story (rival explanations)"
STRENGTHEN_TITLE = "What would strengthen the story"
# Mayne's order: assess the story and its challenges (step 4 of his), then seek what would
# strengthen it (his steps 5 and 6).
MAYNE_ORDER = (*STEP_TITLES[:5], CHALLENGES_TITLE, STEP_TITLES[5], STRENGTHEN_TITLE)

_ROLE_WORDS = {
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


@dataclass(frozen=True)
class Story:
    """A contribution story for an institution, or for one of its claims."""

    institution: str
    name: str
    as_of: dt.date | None
    parameters: Parameters
    question: Question
    chain: tuple[LinkStory, ...]
    evidence: tuple[EvidenceLine, ...]
    evidence_sentence: str
    factors: tuple[FactorLine, ...]
    factors_sentence: str
    result: InstitutionResult
    persistence_sentence: str
    gaps: tuple[Gap, ...]
    confidence: tuple[ConfidenceTrail, ...]
    warnings: tuple[tuple[str, LanguageFinding], ...]
    challenges: tuple[Challenge, ...] = ()
    strengthen: tuple[str, ...] = ()

    @property
    def claim(self) -> str | None:
        return self.question.claim

    def generated_texts(self) -> list[str]:
        """Every sentence the product wrote for this story (each must pass the language check)."""
        texts = [self.question.text, self.evidence_sentence, self.factors_sentence]
        for link in self.chain:
            texts.extend(link.texts())
        texts.extend(f.sentence for f in self.factors)
        texts.append(self.persistence_sentence)
        texts.extend(_result_texts(self.result))
        for gap in self.gaps:
            texts.extend((gap.text, gap.next_evidence))
        for trail in self.confidence:
            texts.append(trail.sentence)
            texts.append(trail.assumption)
            texts.extend(trail.warnings)
            texts.extend(step.sentence for step in trail.steps)
            texts.extend(skip.reason for skip in trail.skipped)
        texts.extend(challenge.text for challenge in self.challenges)
        texts.extend(self.strengthen)
        return texts

    def to_json(self) -> dict[str, Any]:
        return {
            "institution": self.institution,
            "name": self.name,
            "as_of": None if self.as_of is None else self.as_of.isoformat(),
            "parameters": self.parameters.to_json(),
            "question": vars(self.question),
            "chain": [_link_json(link) for link in self.chain],
            "evidence": [vars(item) | {"direction": item.direction} for item in self.evidence],
            "evidence_sentence": self.evidence_sentence,
            "factors": [vars(item) for item in self.factors],
            "factors_sentence": self.factors_sentence,
            "analysis": self.result.to_json(),
            "persistence_sentence": self.persistence_sentence,
            "gaps": [vars(gap) for gap in self.gaps],
            "confidence": [trail.to_json() for trail in self.confidence],
            "warnings": [
                {"where": where, "phrase": f.phrase, "suggestion": f.suggestion}
                for where, f in self.warnings
            ],
            "challenges": [vars(item) for item in self.challenges],
            "strengthen": list(self.strengthen),
        }


def _link_json(link: LinkStory) -> dict[str, Any]:
    return {
        "link": link.link,
        "label": link.label,
        "strength": link.strength,
        "strength_reason": link.strength_reason,
        "strength_rules": list(link.strength_rules),
        "major_factors": list(link.major_factors),
        "evidence_for": [item.key for item in link.evidence_for],
        "evidence_against": [item.key for item in link.evidence_against],
        "records": [vars(record) for record in link.records],
        "assumptions": list(link.assumptions),
        "risks": list(link.risks),
    }


def _result_texts(result: InstitutionResult) -> Iterator[str]:
    """The sentences the core analysis wrote that a story shows."""
    yield result.phase.explanation
    yield result.phase.suggested_stage_reason
    yield from (sentence for _, sentence in result.criteria.reasons)
    yield result.diagnostic.sentence
    for change in result.changes:
        yield change.summary_reason
        yield from (test.reason for test in change.tests)
    for indicator in result.indicators:
        yield indicator.rule
        yield from (test.reason for test in indicator.tests)
    yield from (item.reason for item in result.practice)


def _visible(frame: pd.DataFrame, column: str, as_of: dt.date | None) -> pd.DataFrame:
    rows = frame
    if as_of is not None:
        rows = rows[~(rows[column] > pd.Timestamp(as_of))]
    return rows


def _factors(dataset: Dataset, institution: str, as_of: dt.date | None) -> list[FactorLine]:
    rows = dataset["factors"][dataset["factors"]["institution"] == institution]
    rows = _visible(rows, "start", as_of).sort_values(["start", "title"], kind="stable")
    lines = []
    for row in rows.itertuples(index=False):
        role = text_or_none(row.assessed_role) or "unknown"
        start, end = iso_or_none(row.start), iso_or_none(row.end)
        if end is not None and as_of is not None and end > as_of.isoformat():
            end = None
        kind = (text_or_none(row.kind) or "influencing factor").replace("_", " ")
        span = f"from {start} to {end}" if end else f"from {start}, still present"
        lines.append(
            FactorLine(
                title=text_or_none(row.title) or "",
                kind=text_or_none(row.kind),
                start=start,
                end=end,
                assessed_role=role,
                notes=text_or_none(row.notes),
                link=text_or_none(row.link),
                sentence=(
                    f"A {kind} {span}, assessed by the evaluator as "
                    f"{_ROLE_WORDS.get(role, _ROLE_WORDS['unknown'])}."
                ),
            )
        )
    return lines


def _count(n: int, noun: str, *, verb: bool = True) -> str:
    """ "1 evidence item is", "2 evidence items are" (or without the verb)."""
    words = f"{n} {noun}" if n == 1 else f"{n} {noun}s"
    if not verb:
        return words
    return f"{words} is" if n == 1 else f"{words} are"


def _factors_sentence(factors: list[FactorLine]) -> str:
    if not factors:
        return (
            "No other influencing factor is recorded. A contribution story weighs the other "
            "forces at work (austerity, inspection pressure, budget constraint, staff turnover): "
            "record them and assess their role."
        )
    counts = {role: sum(f.assessed_role == role for f in factors) for role in _ROLE_WORDS}
    parts = [f"{n} {role.replace('_', ' ')}" for role, n in counts.items() if n]
    return (
        f"{_count(len(factors), 'other influencing factor')} recorded alongside the work, "
        f"as assessed "
        f"by the evaluator: " + ", ".join(parts) + "."
    )


def _evidence_sentence(evidence: list[EvidenceLine], as_of: dt.date | None) -> str:
    if not evidence:
        return "No evidence item is recorded yet."
    n_for = sum(item.direction == "for" for item in evidence)
    on_chain = sum(item.link is not None for item in evidence)
    independent = sum(item.kind in ("independent_evaluation", "peer_review") for item in evidence)
    when = "" if as_of is None else f" on or before {as_of.isoformat()}"
    return (
        f"{_count(len(evidence), 'evidence item')} recorded{when}: {n_for} for and "
        f"{len(evidence) - n_for} against; {on_chain} attached to a link of the causal chain; "
        f"{independent} from an independent evaluation or peer review."
    )


def _persistence_sentence(result: InstitutionResult) -> str:
    summaries = [change.summary for change in result.changes]
    if not summaries:
        changes = "No structural change is recorded."
    else:
        counts = {s: summaries.count(s) for s in dict.fromkeys(summaries)}
        changes = (
            f"{_count(len(summaries), 'structural change', verb=False)}: "
            + ", ".join(f"{n} {summary.replace('_', ' ')}" for summary, n in counts.items())
            + "."
        )
    turnovers = len(result.turnovers)
    return (
        f"{_count(turnovers, 'turnover', verb=False)} (leadership changes and partner "
        f"withdrawals) as of the as-of "
        f"date. {changes} Phase: {result.phase.phase}. Diagnostic question: "
        f"{result.diagnostic.answer}."
    )


def _question(name: str, claim: pd.Series | None) -> Question:
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


def _warnings(
    dataset: Dataset,
    institution: str,
    as_of: dt.date | None,
    question: Question,
    evidence: list[EvidenceLine],
    factors: list[FactorLine],
) -> tuple[tuple[str, LanguageFinding], ...]:
    texts: list[tuple[str, str | None]] = [
        (f"claim {question.claim} statement", question.statement),
        (f"claim {question.claim} outcome", question.outcome),
    ]
    texts += [(f"evidence {item.key} title", item.title) for item in evidence]
    texts += [(f"factor '{item.title}' notes", item.notes) for item in factors]
    observations = dataset["observations"]
    observations = observations[observations["institution"] == institution]
    for row in observations.sort_values("period").itertuples(index=False):
        # Quarters written YYYYQn sort as text in time order.
        if as_of is None or str(row.period) <= period_of(as_of):
            texts.append((f"narrative {row.period}", text_or_none(row.narrative)))
    return tuple(language_warnings(texts))


def institution_story(
    dataset: Dataset, result: AnalysisResult, institution: str, *, claim: str | None = None
) -> Story:
    """The contribution story of an institution, or of one of its claims.

    Uses the institution's analysis in `result` (KeyError if it was not analysed) and its rows in
    `dataset` dated on or before its as-of date. With `claim`, the question is the claim's, the
    evidence is the claim's own plus the institution's evidence attached to no claim, and the
    confidence trail is the claim's; without it, all the institution's evidence is used and
    every claim's confidence trail is shown.
    """
    analysis = result.institution(institution)
    as_of = analysis.as_of
    names = dataset["institutions"].set_index("key")["name"]
    name = str(names.get(institution, institution))
    claims = dataset["claims"][dataset["claims"]["institution"] == institution]
    claims = claims.sort_values("key", kind="stable")
    chosen: pd.Series | None = None
    if claim is not None:
        match = claims[claims["key"] == claim]
        if match.empty:
            raise KeyError(f"claim {claim!r} is not recorded for institution {institution!r}")
        chosen = match.iloc[0]

    rows = dataset["evidence"][dataset["evidence"]["institution"] == institution]
    rows = _visible(rows, "date", as_of)
    if claim is not None:
        rows = rows[(rows["claim"] == claim) | rows["claim"].isna()]
    evidence = evidence_lines(rows)
    factors = _factors(dataset, institution, as_of)
    question = _question(name, chosen)

    trails = []
    for item in claims.itertuples(index=False):
        if claim is not None and item.key != claim:
            continue
        own = rows[rows["claim"] == item.key]
        trails.append(
            confidence_trail(
                own,
                prior=None if pd.isna(item.prior) else float(str(item.prior)),
                claim=str(item.key),
                as_of=as_of,
            )
        )
    major: dict[str, list[str]] = {}
    for factor in factors:
        if factor.assessed_role == "major" and factor.link:
            major.setdefault(factor.link, []).append(factor.title)
    chain = causal_chain(dataset, analysis, evidence, major)
    return Story(
        institution=institution,
        name=name,
        as_of=as_of,
        parameters=result.parameters,
        question=question,
        chain=chain,
        evidence=tuple(evidence),
        evidence_sentence=_evidence_sentence(evidence, as_of),
        factors=tuple(factors),
        factors_sentence=_factors_sentence(factors),
        result=analysis,
        persistence_sentence=_persistence_sentence(analysis),
        gaps=story_gaps(analysis, chain, trails, window_months=result.parameters.window_months),
        confidence=tuple(trails),
        warnings=_warnings(dataset, institution, as_of, question, evidence, factors),
        challenges=_challenges(factors, evidence, chain, analysis),
        strengthen=_strengthen(chain, analysis),
    )


def _challenges(
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
    return tuple(out)


def _strengthen(chain: tuple[LinkStory, ...], result: InstitutionResult) -> tuple[str, ...]:
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


def institution_stories(dataset: Dataset, result: AnalysisResult, institution: str) -> list[Story]:
    """The institution's story, then one story per claim of the institution (by claim key)."""
    claims = dataset["claims"][dataset["claims"]["institution"] == institution]
    stories = [institution_story(dataset, result, institution)]
    for key in sorted(claims["key"].dropna()):
        stories.append(institution_story(dataset, result, institution, claim=str(key)))
    return stories
