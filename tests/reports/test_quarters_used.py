"""A funder's pack says which quarters it uses and which were left out and why (#24, 4), in
every format: the same lines the pages show (`QuarterUse.lines`)."""

from __future__ import annotations

import io

from tests.reports.test_markdown import northdale
from tracker.analysis.params import Parameters
from tracker.analysis.run import analyse
from tracker.analysis.stories import institution_stories
from tracker.quarter_use import QuarterUse
from tracker.reports.registry import render
from tracker.reports.story_report import story_report


def test_the_funders_pack_lists_the_quarters_left_out_and_why() -> None:
    use = QuarterUse(
        approved=(("northdale", "2024Q1"),),
        submitted_shown=(),
        not_approved=(("northdale", "2024Q2"), ("northdale", "2024Q3"), ("northdale", "2024Q4"),
                      ("northdale", "2025Q1")),
        left_out_states=(("northdale", "2024Q2", "open"), ("northdale", "2024Q3", "open"),
                         ("northdale", "2024Q4", "open"), ("northdale", "2025Q1", "returned")),
    )
    lines = use.lines()
    assert lines[1] == (
        "4 quarter(s) with values not yet approved were left out: never submitted for review: "
        "northdale 2024Q2–2024Q4 (3 quarters); returned for corrections: northdale 2025Q1."
    )
    dataset = northdale().build()
    stories = institution_stories(dataset, analyse(dataset, Parameters()), "northdale")
    report = story_report(stories, dataset=dataset, quarters_used=lines)
    rendered = render(report, "md")
    markdown = rendered.decode() if isinstance(rendered, bytes) else str(rendered)
    assert "Quarters used" in markdown and "returned for corrections: northdale 2025Q1" in markdown
    from pypdf import PdfReader

    pdf = PdfReader(io.BytesIO(render(report, "pdf")))  # type: ignore[arg-type]
    first = " ".join(pdf.pages[0].extract_text().split())
    assert "Quarters used" in first and "never submitted for review" in first
    plain = story_report(stories, dataset=dataset)
    assert "Quarters used" not in str(render(plain, "md"))
