"""A contribution story as a report model: the headline first, then Mayne's six steps.

The same `Report` is rendered as Markdown, HTML, Word and PDF (`registry`). It holds: the
headline (phase, diagnostic answer, what persisted), the theory-of-change diagram, the six
steps, the change × turnover matrix, the indicator charts with every turnover marked, the
narrative of the latest quarters (the evaluator's words), the gaps and the evidence to seek
next, the caveats, and the parameters used; then each claim's own steps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from tracker.analysis.params import Parameters
from tracker.analysis.stories import Story
from tracker.analysis.timeline import institution_timeline
from tracker.analysis.verdict_words import changes_sentence
from tracker.dataset import Dataset
from tracker.periods import period_of
from tracker.reports.blocks import DISCLAIMER, parameters_rows
from tracker.reports.chain_diagram import chain_alt, chain_spec
from tracker.reports.figures import indicator_spec
from tracker.reports.matrix import change_turnover_matrix
from tracker.reports.model import Block, Bullets, Figure, Heading, Quote, Report, Table, Text
from tracker.reports.model import section as make_section
from tracker.reports.story_sections import (
    chain_section,
    challenges_section,
    confidence_section,
    evidence_section,
    factors_section,
    gaps_section,
    persistence_section,
    question_section,
    strengthen_section,
    warnings_section,
)

LATEST_QUARTERS = 4
UNTESTED_CAVEAT = (
    "Untested persistence is not persistence: a change that no turnover has tested is reported "
    "as untested, and a test whose window has not ended is too early to judge."
)
ITS_CAVEAT = (
    "Segmented regressions are supporting evidence only: other influences on the same quarters "
    "are not ruled out."
)


def story_title(story: Story) -> str:
    return f"Contribution story: {story.name} ({story.institution})"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def persisted_sentence(story: Story) -> str:
    """Each change by its tests' verdicts, every verdict named (`verdict_words`): never more
    than the tests say."""
    return changes_sentence(story.result.changes)


def headline(story: Story) -> tuple[str, ...]:
    """Three lines: the phase, the diagnostic answer, what persisted."""
    result = story.result
    return (
        f"Phase: {result.phase.phase}.",
        f"Diagnostic question (has the institution reversed a decision in response to the "
        f"work at a cost to itself?): {result.diagnostic.answer}.",
        persisted_sentence(story),
    )


def chain_figure(story: Story) -> Figure:
    return Figure("chain", f"Theory of change: {story.name}", chain_spec(story), chain_alt(story))


def matrix_table(story: Story) -> Table:
    headers, rows = change_turnover_matrix(story.result)
    empty = (
        "No structural change is recorded."
        if not story.result.changes
        else "No turnover is recorded as of the as-of date, so no change has been tested."
    )
    return Table(
        headers,
        rows if len(headers) > 1 else (),
        empty=empty,
        evaluator_columns=frozenset({"change"}),
    )


def indicator_figures(story: Story, dataset: Dataset) -> list[Block]:
    """One chart per indicator, every turnover marked with a dash per kind."""
    timeline = institution_timeline(dataset, story.result)
    start = timeline.start
    end = story.as_of
    domain = (start, end) if start is not None and end is not None else None
    blocks: list[Block] = []
    for key, values in timeline.values.groupby("indicator", sort=True):
        name = str(values["name"].iloc[0])
        unit = str(values["unit"].iloc[0])
        n = len(timeline.turnovers)
        blocks.append(
            Figure(
                "indicator",
                name,
                indicator_spec(name, unit, values, timeline.turnovers, domain=domain),
                f"Quarterly values of indicator {key} with {_count(n, 'turnover')} marked.",
            )
        )
    return blocks


def latest_narratives(
    dataset: Dataset, institution: str, as_of: dt.date | None, quarters: int = LATEST_QUARTERS
) -> list[tuple[str, str]]:
    """The evaluator's narratives of the latest quarters (on or before as-of), newest first."""
    rows = dataset["observations"]
    rows = rows[(rows["institution"] == institution) & rows["narrative"].notna()]
    if as_of is not None:
        rows = rows[rows["period"].astype(str) <= period_of(as_of)]
    rows = rows.sort_values("period", ascending=False).head(quarters)
    return [(str(r.period), str(r.narrative)) for r in rows.itertuples(index=False)]


def narrative_section(story: Story, dataset: Dataset) -> list[Block]:
    narratives = latest_narratives(dataset, story.institution, story.as_of)
    blocks: list[Block] = []
    if not narratives:
        blocks.append(Text("No quarterly narrative is recorded yet."))
    else:
        blocks.append(
            Text(
                f"The evaluator's narrative of the latest {_count(len(narratives), 'quarter')}, "
                "newest first, as written."
            )
        )
        blocks.extend(Text(text, lead=f"{period}:", generated=False) for period, text in narratives)
    return make_section("Narrative of the latest quarters", blocks)


def caveats(story: Story) -> tuple[str, ...]:
    items = [DISCLAIMER, UNTESTED_CAVEAT]
    if any(t.its is not None for i in story.result.indicators for t in i.tests):
        items.append(ITS_CAVEAT)
    if story.as_of is not None:
        items.append(f"Nothing dated after {story.as_of.isoformat()} is used.")
    return tuple(items)


def parameters_section(params: Parameters) -> list[Block]:
    return make_section(
        "Parameters used",
        Table(("parameter", "value", "meaning"), parameters_rows(params), empty="No parameters."),
    )


def _claim_blocks(story: Story) -> list[Block]:
    blocks: list[Block] = [Heading(f"Claim {story.claim}", level=1)]
    blocks += question_section(story)
    blocks += chain_section(story, diagram=chain_figure(story))
    blocks += evidence_section(story)
    blocks += confidence_section(story)
    return blocks


def story_report(
    stories: Story | Sequence[Story],
    params: Parameters | None = None,
    *,
    dataset: Dataset | None = None,
    quarters_used: Sequence[str] = (),
) -> Report:
    """The report of an institution's story (and its claims' stories, after it).

    `quarters_used`: for a funder's pack, which quarters it reads and which were left out and
    why (`tracker.quarter_use.QuarterUse.lines`), said near the top.

    With `dataset` (the institution's records), the indicator charts and the narratives of the
    latest quarters are included; without it, the report holds everything the stories carry.
    """
    items = [stories] if isinstance(stories, Story) else list(stories)
    if not items:
        raise ValueError("no story to render")
    story, claims = items[0], items[1:]
    as_of = "no dated record" if story.as_of is None else story.as_of.isoformat()
    lines = headline(story)
    figures = indicator_figures(story, dataset) if dataset is not None else []
    blocks: list[Block] = [
        Heading(story_title(story), level=1, generated=False),
        Text(f"{as_of}. Nothing dated after this date is used.", lead="As of:"),
        *(make_section("Quarters used", Bullets(tuple(quarters_used))) if quarters_used else []),
        *make_section("At a glance", Bullets(lines)),
        Quote(DISCLAIMER),
        *question_section(story),
        *chain_section(story, diagram=chain_figure(story)),
        *evidence_section(story),
        *factors_section(story),
        *persistence_section(
            story,
            figures=[
                Heading("Which change survived which turnover", level=3),
                matrix_table(story),
                *figures,
            ],
        ),
    ]
    if dataset is not None:
        blocks += narrative_section(story, dataset)
    # Mayne's order: the challenges to the story, the gaps, then what would strengthen it.
    blocks += challenges_section(story)
    blocks += gaps_section(story)
    blocks += strengthen_section(story)
    blocks += confidence_section(story)
    blocks += warnings_section(story)
    blocks += make_section("Caveats", Bullets(caveats(story)))
    blocks += parameters_section(params or story.parameters)
    for claim in claims:
        blocks += _claim_blocks(claim)
    return Report(
        title=story_title(story),
        blocks=tuple(blocks),
        file_stem=f"story-{story.institution}",
        headline=lines,
    )


def narratives_frame(dataset: Dataset, institution: str, as_of: dt.date | None) -> pd.DataFrame:
    """The latest quarters' narratives as a frame (quarter, narrative), for the page."""
    rows = latest_narratives(dataset, institution, as_of)
    return pd.DataFrame(rows, columns=["quarter", "narrative"])
