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
from tracker.analysis.results import AnalysisResult, InstitutionResult
from tracker.analysis.story_chain import (
    causal_chain,
    evidence_lines,
    iso_or_none,
    text_or_none,
)
from tracker.analysis.story_gaps import Gap, story_gaps
from tracker.analysis.story_links import EvidenceLine, LinkStory
from tracker.analysis.story_parts import (
    ROLE_WORDS,
    Challenge,
    FactorLine,
    Question,
    challenges,
    evidence_sentence,
    factors_sentence,
    persistence_sentence,
    question_for,
    strengthen,
)
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
                    f"{ROLE_WORDS.get(role, ROLE_WORDS['unknown'])}."
                ),
            )
        )
    return lines


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
    question = question_for(name, chosen)

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
        evidence_sentence=evidence_sentence(evidence, as_of),
        factors=tuple(factors),
        factors_sentence=factors_sentence(factors),
        result=analysis,
        persistence_sentence=persistence_sentence(analysis),
        gaps=story_gaps(analysis, chain, trails, window_months=result.parameters.window_months),
        confidence=tuple(trails),
        warnings=_warnings(dataset, institution, as_of, question, evidence, factors),
        challenges=challenges(factors, evidence, chain, analysis),
        strengthen=strengthen(chain, analysis),
    )


def institution_stories(dataset: Dataset, result: AnalysisResult, institution: str) -> list[Story]:
    """The institution's story, then one story per claim of the institution (by claim key)."""
    claims = dataset["claims"][dataset["claims"]["institution"] == institution]
    stories = [institution_story(dataset, result, institution)]
    for key in sorted(claims["key"].dropna()):
        stories.append(institution_story(dataset, result, institution, claim=str(key)))
    return stories
