"""The sections of a contribution story in Markdown, one function per step of the story."""

from __future__ import annotations

from tracker.analysis.bayes import CONFIDENCE_SCALE, ConfidenceTrail
from tracker.analysis.results import InstitutionResult
from tracker.analysis.stories import STEP_TITLES, Story
from tracker.analysis.story_links import EvidenceLine, LinkStory
from tracker.reports.blocks import bullets, md, number, section, table


def question_section(story: Story) -> str:
    question = story.question
    blocks = [md(question.text)]
    if question.claim is not None:
        stated = [
            f"**Claim {md(question.claim)}, as stated by the evaluator:** {md(question.statement)}"
        ]
        if question.outcome:
            stated.append(f"**Outcome:** {md(question.outcome)}")
        blocks.append("\n\n".join(stated))
    return section(STEP_TITLES[0], *blocks)


def _evidence_item(item: EvidenceLine) -> str:
    details = ", ".join(
        md(part) for part in (item.date, item.kind, item.test and f"{item.test} test") if part
    )
    seen = "" if item.observed else " (sought, not found)"
    return f"{md(item.key)} ({details}){seen}: {md(item.title)}"


def _link_block(link: LinkStory) -> str:
    lines = [
        f"### {md(link.label)}: {md(link.strength)}",
        md(link.strength_reason),
        "**Evidence for:**\n\n"
        + (bullets(_evidence_item(i) for i in link.evidence_for) or md("None recorded.")),
        "**Evidence against:**\n\n"
        + (bullets(_evidence_item(i) for i in link.evidence_against) or md("None recorded.")),
    ]
    if link.records:
        lines.append(
            "**Changes, decisions and indicators on this link:**\n\n"
            + bullets(
                md(r.sentence) if r.title == r.record else f"{md(r.sentence)} ({md(r.title)})"
                for r in link.records
            )
        )
    lines.append("**Assumptions:**\n\n" + bullets(md(a) for a in link.assumptions))
    lines.append("**Risks:**\n\n" + bullets(md(r) for r in link.risks))
    return "\n\n".join(lines)


def chain_section(story: Story) -> str:
    summary = table(
        ("link", "strength", "for", "against"),
        ((link.label, link.strength, link.n_for, link.n_against) for link in story.chain),
        empty="No causal chain.",
    )
    return section(STEP_TITLES[1], summary, *(_link_block(link) for link in story.chain))


def evidence_section(story: Story) -> str:
    rows = (
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
    headers = ("key", "date", "kind", "link", "for/against", "test", "observed", "title", "source")
    return section(
        STEP_TITLES[2],
        md(story.evidence_sentence),
        table(headers, rows, empty="No evidence item is recorded."),
    )


def factors_section(story: Story) -> str:
    rows = (
        (f.title, f.kind, f.start, f.end or "still present", f.assessed_role, f.sentence, f.notes)
        for f in story.factors
    )
    headers = ("factor", "kind", "from", "to", "assessed role", "reading", "notes")
    return section(
        STEP_TITLES[3],
        md(story.factors_sentence),
        table(headers, rows, empty="No influencing factor is recorded."),
    )


def _phase_block(result: InstitutionResult) -> str:
    phase = result.phase
    criteria = table(
        ("criterion", "met", "reason"),
        (
            (name.replace("_", " "), getattr(result.criteria, name), reason)
            for name, reason in result.criteria.reasons
        ),
        empty="No criteria recorded.",
    )
    stages = table(
        ("quarter", "evaluator's stage", "moved backwards", "note"),
        ((s.period, s.stage, s.moved_backwards, s.note) for s in phase.stage_history),
        empty="The evaluator has recorded no implementation stage.",
    )
    return "\n\n".join(
        [
            f"### Phase: {md(phase.phase)}",
            md(phase.explanation),
            criteria,
            f"**Suggested implementation stage:** {md(phase.suggested_stage)}. "
            f"{md(phase.suggested_stage_reason)}",
            stages,
        ]
    )


def _diagnostic_block(result: InstitutionResult) -> str:
    diagnostic = result.diagnostic
    decisions = table(
        ("decision", "date", "title", "answers yes", "lacks"),
        (
            (d.decision, d.date, d.title, d.satisfies, ", ".join(d.missing))
            for d in diagnostic.flags
        ),
        empty="No decision is recorded.",
    )
    plan = diagnostic.commissioning
    commissioning = (
        md("No commissioning diagnostics are recorded.")
        if plan is None
        else table(
            ("question", "answer"),
            (
                ("leadership commitment genuine and senior enough", plan.leadership_commitment),
                ("timescale realistic (three to seven years)", plan.realistic_timescale),
                ("structural barriers addressed", plan.structural_barriers_addressed),
                ("a plan for when the champion leaves", plan.succession_plan),
            ),
            empty="",
        )
        + f"\n\n{md(f'Commissioning diagnostics as answered on {plan.date.isoformat()}.')}"
    )
    return "\n\n".join(
        [
            f"### Diagnostic question: {md(diagnostic.answer)}",
            md(diagnostic.sentence),
            decisions,
            "**Commissioning diagnostics:**",
            commissioning,
        ]
    )


def _changes_block(result: InstitutionResult) -> str:
    blocks = ["### Structural changes through each turnover"]
    if not result.changes:
        blocks.append(md("No structural change is recorded."))
    for change in result.changes:
        blocks.append(
            f"**{md(change.change)}** ({md(change.title)}; {md(change.kind)}, adopted "
            f"{md(change.adopted)}): status {md(change.status)}, summary "
            f"**{md(change.summary)}**. {md(change.summary_reason)}"
        )
        if change.tests:
            blocks.append(
                table(
                    ("turnover", "window ends", "verdict", "weakened", "reason"),
                    (
                        (t.turnover.label, t.window_end, t.verdict, t.weakened, t.reason)
                        for t in change.tests
                    ),
                    empty="",
                )
            )
    return "\n\n".join(blocks)


def _indicators_block(result: InstitutionResult) -> str:
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
    tests = table(
        (
            "indicator",
            "turnover",
            "pre mean",
            "post mean",
            "n pre / post",
            "verdict",
            "reason",
            "segmented regression",
        ),
        rows,
        empty="No practice indicator has been compared around a turnover.",
    )
    practice = table(
        ("indicator", "improved", "early mean", "late mean", "reason"),
        (
            (p.indicator, p.improved, number(p.early_mean), number(p.late_mean), p.reason)
            for p in result.practice
        ),
        empty="No practice indicator values are recorded.",
    )
    return "\n\n".join(["### Practice indicators", tests, "**Practice change:**", practice])


def persistence_section(story: Story) -> str:
    result = story.result
    turnovers = table(
        ("kind", "role or partner", "date", "outgoing", "incoming", "reason"),
        (
            (t.kind, t.role or t.partner, t.date, t.outgoing, t.incoming, t.reason)
            for t in result.turnovers
        ),
        empty="No turnover is recorded as of the as-of date.",
    )
    return section(
        STEP_TITLES[4],
        md(story.persistence_sentence),
        _phase_block(result),
        _diagnostic_block(result),
        "### Turnovers",
        turnovers,
        _changes_block(result),
        _indicators_block(result),
    )


def gaps_section(story: Story) -> str:
    return section(
        STEP_TITLES[5],
        table(
            ("topic", "gap", "next evidence to seek"),
            ((g.topic, g.text, g.next_evidence) for g in story.gaps),
            empty="No gap is found in the recorded data.",
        ),
    )


def _trail_block(trail: ConfidenceTrail) -> str:
    steps = table(
        (
            "step",
            "evidence",
            "title",
            "date",
            "test",
            "P(E|H)",
            "P(E|not H)",
            "observed",
            "for/against",
            "probabilities from",
            "before",
            "after",
        ),
        (
            (
                n,
                s.evidence,
                s.title,
                s.date,
                s.test or "",
                number(s.sensitivity),
                number(s.type_i_error),
                s.observed,
                "for" if s.supports else "against",
                s.source,
                number(s.before, 4),
                number(s.after, 4),
            )
            for n, s in enumerate(trail.steps, start=1)
        ),
        empty="No evidence item carries a test or probabilities.",
    )
    blocks = [
        f"### Claim {md(trail.claim)}",
        md(f"Prior: {trail.prior:.4f} ({trail.prior_source})."),
        steps,
        f"**Result:** {md(trail.sentence)}",
    ]
    if trail.skipped:
        blocks.append(
            "**Not used for updating:**\n\n"
            + bullets(f"{md(s.evidence)} ({md(s.title)}): {md(s.reason)}" for s in trail.skipped)
        )
    return "\n\n".join(blocks)


def confidence_section(story: Story) -> str:
    scale = ", ".join(
        f"below {bound:g}: {words}" if bound != float("inf") else f"otherwise: {words}"
        for bound, words in CONFIDENCE_SCALE
    )
    method = (
        "Confidence that a claim holds is updated by Bayes' rule, one evidence item at a time in "
        "date order: observed evidence multiplies the odds by P(E|H) / P(E|not H), evidence "
        "sought and not found by (1 - P(E|H)) / (1 - P(E|not H)); after each step confidence is "
        f"held within 0.01 and 0.99. In words: {scale}."
    )
    trails = [_trail_block(trail) for trail in story.confidence]
    if not trails:
        trails = [md("No contribution claim is recorded for this institution.")]
    return section("Confidence in each claim (contribution tracing)", md(method), *trails)


def warnings_section(story: Story) -> str:
    if not story.warnings:
        return ""
    rows = (
        (where, finding.phrase, finding.suggestion, finding.explanation)
        for where, finding in story.warnings
    )
    return section(
        "Language notes on the evaluator's text",
        md(
            "These phrases in text written by the evaluator read as attribution language. "
            "They are shown as written; a contribution rewording is suggested for each."
        ),
        table(("where", "phrase", "suggestion", "why"), rows, empty=""),
    )
