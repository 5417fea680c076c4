"""The sections of a contribution story as report blocks, one function per step of the story.

Each function returns a list of `model` blocks; the renderers (`registry`) turn them into
Markdown, HTML, Word or PDF. Counts and the lists that follow them always agree: a link's
"1 for" is named as "1 change, no evidence item" when the one is a change.
"""

from __future__ import annotations

from tracker.analysis.bayes import CONFIDENCE_SCALE, shown_probability
from tracker.analysis.confidence_trail import ConfidenceTrail
from tracker.analysis.results import InstitutionResult
from tracker.analysis.stories import STEP_TITLES, Story
from tracker.analysis.story_links import EvidenceLine, LinkStory
from tracker.reports.blocks import number, plain
from tracker.reports.model import Block, Bullets, Heading, Table, Text, section

EVALUATOR_COLUMNS = frozenset({"title", "source", "notes", "factor", "name"})


def question_section(story: Story) -> list[Block]:
    question = story.question
    blocks: list[Block] = [Text(question.text)]
    if question.claim is not None:
        blocks.append(
            Text(
                question.statement or "",
                lead=f"Claim {question.claim}, as stated by the evaluator:",
                generated=False,
            )
        )
        if question.outcome:
            blocks.append(Text(question.outcome, lead="Outcome:", generated=False))
    return section(STEP_TITLES[0], blocks)


def _evidence_item(item: EvidenceLine) -> str:
    details = ", ".join(
        plain(part) for part in (item.date, item.kind, item.test and f"{item.test} test") if part
    )
    seen = "" if item.observed else " (sought, not found)"
    return f"{item.key} ({details}){seen}: {item.title}"


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def link_counts(link: LinkStory, direction: str) -> str:
    """What a link's count for (or against) is made of, e.g. "1 change, no evidence item"."""
    items = link.evidence_for if direction == "for" else link.evidence_against
    records = [r for r in link.records if r.direction == direction]
    parts = []
    for kind in ("change", "decision", "indicator"):
        n = sum(r.kind == kind for r in records)
        if n:
            parts.append(_plural(n, kind))
    parts.append(_plural(len(items), "evidence item") if items else "no evidence item")
    return ", ".join(parts)


def _link_blocks(link: LinkStory) -> list[Block]:
    blocks: list[Block] = [
        Heading(f"{link.label}: {link.strength}", level=3),
        Text(link.strength_reason),
    ]
    for direction, items in (("for", link.evidence_for), ("against", link.evidence_against)):
        blocks.append(Text(link_counts(link, direction) + ".", lead=f"Evidence {direction}:"))
        if items:
            blocks.append(Bullets(tuple(_evidence_item(i) for i in items), generated=False))
    if link.records:
        blocks.append(Text("", lead="Changes, decisions and indicators on this link:"))
        blocks.append(
            Bullets(
                tuple(
                    r.sentence if r.title == r.record else f"{r.sentence} ({r.title})"
                    for r in link.records
                ),
                generated=False,
            )
        )
    blocks.append(Text("", lead="Assumptions:"))
    blocks.append(Bullets(tuple(link.assumptions)))
    blocks.append(Text("", lead="Risks:"))
    blocks.append(Bullets(tuple(link.risks)))
    return blocks


def chain_table(story: Story) -> Table:
    return Table(
        ("link", "strength", "for", "against"),
        tuple((link.label, link.strength, link.n_for, link.n_against) for link in story.chain),
        empty="No causal chain.",
    )


def chain_section(story: Story, *, diagram: Block | None = None) -> list[Block]:
    return section(
        STEP_TITLES[1],
        diagram,
        chain_table(story),
        *(_link_blocks(link) for link in story.chain),
    )


EVIDENCE_HEADERS = (
    "key", "date", "kind", "link", "for/against", "test", "observed", "title", "source",
)


def evidence_rows(story: Story) -> tuple[tuple[object, ...], ...]:
    return tuple(
        (
            item.key,
            item.date,
            item.kind,
            item.link,
            item.direction,
            item.test,
            "yes" if item.observed else "no",
            item.title,
            item.source,
        )
        for item in story.evidence
    )


def evidence_section(story: Story) -> list[Block]:
    return section(
        STEP_TITLES[2],
        Text(story.evidence_sentence),
        Table(
            EVIDENCE_HEADERS,
            evidence_rows(story),
            empty="No evidence item is recorded.",
            evaluator_columns=EVALUATOR_COLUMNS,
        ),
    )


def factors_section(story: Story) -> list[Block]:
    rows = tuple(
        (f.title, f.kind, f.start, f.end or "still present", f.assessed_role, f.sentence, f.notes)
        for f in story.factors
    )
    headers = ("factor", "kind", "from", "to", "assessed role", "reading", "notes")
    return section(
        STEP_TITLES[3],
        Text(story.factors_sentence),
        Table(
            headers,
            rows,
            empty="No influencing factor is recorded.",
            evaluator_columns=EVALUATOR_COLUMNS,
        ),
    )


def _phase_blocks(result: InstitutionResult) -> list[Block]:
    phase = result.phase
    return [
        Heading(f"Phase: {phase.phase}", level=3),
        Text(phase.explanation),
        Table(
            ("criterion", "met", "reason"),
            tuple(
                (name.replace("_", " "), getattr(result.criteria, name), reason)
                for name, reason in result.criteria.reasons
            ),
            empty="No criteria recorded.",
        ),
        Text(
            f"{phase.suggested_stage}. {phase.suggested_stage_reason}",
            lead="Suggested implementation stage:",
        ),
        Table(
            ("quarter", "evaluator's stage", "moved backwards", "note"),
            tuple((s.period, s.stage, s.moved_backwards, s.note) for s in phase.stage_history),
            empty="The evaluator has recorded no implementation stage.",
            evaluator_columns=frozenset({"note"}),
        ),
    ]


def _diagnostic_blocks(result: InstitutionResult) -> list[Block]:
    diagnostic = result.diagnostic
    blocks: list[Block] = [
        Heading(f"Diagnostic question: {diagnostic.answer}", level=3),
        Text(diagnostic.sentence),
        Table(
            ("decision", "date", "title", "answers yes", "lacks"),
            tuple(
                (d.decision, d.date, d.title, d.satisfies, ", ".join(d.missing))
                for d in diagnostic.flags
            ),
            empty="No decision is recorded.",
            evaluator_columns=EVALUATOR_COLUMNS,
        ),
        Text("", lead="Commissioning diagnostics:"),
    ]
    plan = diagnostic.commissioning
    if plan is None:
        blocks.append(Text("No commissioning diagnostics are recorded."))
        return blocks
    blocks.append(
        Table(
            ("question", "answer"),
            (
                ("leadership commitment genuine and senior enough", plan.leadership_commitment),
                ("timescale realistic (three to seven years)", plan.realistic_timescale),
                ("structural barriers addressed", plan.structural_barriers_addressed),
                ("a plan for when the champion leaves", plan.succession_plan),
            ),
        )
    )
    blocks.append(Text(f"Commissioning diagnostics as answered on {plan.date.isoformat()}."))
    return blocks


def _changes_blocks(result: InstitutionResult) -> list[Block]:
    blocks: list[Block] = [Heading("Structural changes through each turnover", level=3)]
    if not result.changes:
        blocks.append(Text("No structural change is recorded."))
    for change in result.changes:
        blocks.append(
            Text(
                f"{change.title} ({change.kind}, adopted {plain(change.adopted)}).",
                lead=f"{change.change}:",
                generated=False,
            )
        )
        blocks.append(
            Text(f"Status {change.status}, summary {change.summary}. {change.summary_reason}")
        )
        if change.tests:
            blocks.append(
                Table(
                    ("turnover", "window ends", "verdict", "weakened", "reason"),
                    tuple(
                        (t.turnover.label, t.window_end, t.verdict, t.weakened, t.reason)
                        for t in change.tests
                    ),
                )
            )
    return blocks


def _indicators_blocks(result: InstitutionResult) -> list[Block]:
    rows = []
    for indicator in result.indicators:
        for t in indicator.tests:
            its = t.its.sentence if t.its is not None else ""
            rows.append(
                (
                    indicator.indicator,
                    t.turnover.label,
                    number(t.pre_mean),
                    number(t.post_mean),
                    f"{t.n_pre} / {t.n_post}",
                    t.verdict,
                    t.reason,
                    its,
                )
            )
    headers = (
        "indicator", "turnover", "pre mean", "post mean", "n pre / post", "verdict", "reason",
        "segmented regression",
    )
    # The rule each indicator's tests follow, once per indicator (the reasons say the rest).
    rules = tuple(
        f"{indicator.indicator}: {indicator.rule}" for indicator in result.indicators
        if indicator.tests
    )
    rule_blocks: list[Block] = (
        [Text("", lead="The rule of each indicator:"), Bullets(rules)] if rules else []
    )
    return [
        Heading("Practice indicators", level=3),
        Table(
            headers,
            tuple(rows),
            empty="No practice indicator has been compared around a turnover.",
        ),
        *rule_blocks,
        Text("", lead="Practice change:"),
        Table(
            ("indicator", "improved", "early mean", "late mean", "reason"),
            tuple(
                (p.indicator, p.improved, number(p.early_mean), number(p.late_mean), p.reason)
                for p in result.practice
            ),
            empty="No practice indicator values are recorded.",
        ),
    ]


def persistence_section(story: Story, *, figures: list[Block] | None = None) -> list[Block]:
    result = story.result
    turnovers = Table(
        ("kind", "role or partner", "date", "outgoing", "incoming", "reason",
         "indicator quarters compared"),
        tuple(
            (t.kind, t.role or t.partner, t.date, t.outgoing, t.incoming, t.reason,
             t.indicator_quarters)
            for t in result.turnovers
        ),
        empty="No turnover is recorded as of the as-of date.",
        evaluator_columns=frozenset({"outgoing", "incoming"}),
    )
    return section(
        STEP_TITLES[4],
        Text(story.persistence_sentence),
        _phase_blocks(result),
        _diagnostic_blocks(result),
        Heading("Turnovers", level=3),
        turnovers,
        _changes_blocks(result),
        figures,
        _indicators_blocks(result),
    )


def gaps_table(story: Story) -> Table:
    return Table(
        ("topic", "gap", "next evidence to seek"),
        tuple((g.topic, g.text, g.next_evidence) for g in story.gaps),
        empty="No gap is found in the recorded data.",
    )


def gaps_section(story: Story) -> list[Block]:
    return section(STEP_TITLES[5], gaps_table(story))


BAYES_HEADERS = (
    "step", "evidence", "title", "date", "test", "P(E|H)", "P(E|not H)", "observed",
    "for/against", "probabilities from", "before", "after",
)


def trail_rows(trail: ConfidenceTrail) -> tuple[tuple[object, ...], ...]:
    return tuple(
        (
            n,
            s.evidence,
            s.title,
            s.date,
            s.test or "",
            number(s.sensitivity),
            number(s.type_i_error),
            s.observed,
            # The same direction as the evidence table (`bayes.evidence_direction`).
            s.direction,
            s.source,
            shown_probability(s.before),
            shown_probability(s.after),
        )
        for n, s in enumerate(trail.steps, start=1)
    )


def _trail_blocks(trail: ConfidenceTrail) -> list[Block]:
    blocks: list[Block] = [
        Heading(f"Claim {trail.claim}", level=3),
        Text(f"Prior: {trail.prior:.4f} ({trail.prior_source})."),
        Table(
            BAYES_HEADERS,
            trail_rows(trail),
            empty="No evidence item carries a test or probabilities.",
            evaluator_columns=EVALUATOR_COLUMNS,
        ),
        Text(trail.sentence, lead="Result:"),
    ]
    assumption = getattr(trail, "assumption", "")
    if assumption:
        blocks.append(Text(assumption, lead="Assumption:"))
    warnings = tuple(getattr(trail, "warnings", ()) or ())
    if warnings:
        blocks.append(Bullets(warnings))
    if trail.skipped:
        blocks.append(Text("", lead="Not used for updating:"))
        blocks.append(
            Bullets(
                tuple(f"{s.evidence} ({s.title}): {s.reason}" for s in trail.skipped),
                generated=False,
            )
        )
    return blocks


CONFIDENCE_TITLE = "Confidence in each claim (contribution tracing)"


def confidence_method() -> str:
    scale = ", ".join(
        f"below {bound:g}: {words}" if bound != float("inf") else f"otherwise: {words}"
        for bound, words in CONFIDENCE_SCALE
    )
    return (
        "Confidence that a claim holds is updated by Bayes' rule in log-odds: observed evidence "
        "multiplies the odds by P(E|H) / P(E|not H), evidence sought and not found by "
        "(1 - P(E|H)) / (1 - P(E|not H)); nothing is clamped between steps, so the order of the "
        "items does not change the result, and a confidence above 0.99 is shown as \"> 0.99\". "
        f"In words: {scale}."
    )


def confidence_section(story: Story) -> list[Block]:
    trails: list[Block] = [b for trail in story.confidence for b in _trail_blocks(trail)]
    if not trails:
        trails = [Text("No contribution claim is recorded for this institution.")]
    return section(CONFIDENCE_TITLE, Text(confidence_method()), trails)


def warnings_section(story: Story) -> list[Block]:
    if not story.warnings:
        return []
    rows = tuple(
        (where, finding.phrase, finding.suggestion, finding.explanation)
        for where, finding in story.warnings
    )
    return section(
        "Language notes on the evaluator's text",
        Text(
            "These phrases in text written by the evaluator read as attribution language. "
            "They are shown as written; a contribution rewording is suggested for each."
        ),
        Table(
            ("where", "phrase", "suggestion", "why"),
            rows,
            evaluator_columns=frozenset({"where", "phrase"}),
        ),
    )


CHALLENGES_TITLE = "Challenges to the story (rival explanations)"
STRENGTHEN_TITLE = "What would strengthen the story"


def challenges_section(story: Story) -> list[Block]:
    """Mayne's challenges to the story, where the analysis provides them (`Story.challenges`)."""
    challenges = tuple(getattr(story, "challenges", ()) or ())
    if not challenges:
        return []
    return section(
        CHALLENGES_TITLE,
        Table(
            ("topic", "challenge"),
            tuple((c.topic, c.text) for c in challenges),
            evaluator_columns=frozenset({"topic"}),
        ),
    )


def strengthen_section(story: Story) -> list[Block]:
    """What would strengthen the story, where the analysis provides it (`Story.strengthen`)."""
    items = tuple(getattr(story, "strengthen", ()) or ())
    if not items:
        return []
    return section(STRENGTHEN_TITLE, Bullets(items))
