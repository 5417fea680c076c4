"""The contribution story as a view: the theory-of-change diagram first, the headline, then
Mayne's six steps as sections with tables and filters, the Bayes steps as a chart, the
parameters folded away; downloads in every report format from the same report model.

Product-written sentences go through `say` (Markdown with every syntax character escaped);
text an evaluator wrote is shown as data (tables) or with `st.text`, never as Markdown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from tracker.analysis.stories import STEP_TITLES, Story
from tracker.analysis.story_links import LinkStory
from tracker.dashboard.labels import EVIDENCE_DIRECTIONS, phase_label, verdict_label, words
from tracker.dashboard.story.bayes_chart import bayes_steps_chart
from tracker.dashboard.text import plain
from tracker.dataset import Dataset
from tracker.reports.blocks import parameters_rows
from tracker.reports.chain_diagram import chain_dot, confidence_line
from tracker.reports.matrix import change_turnover_matrix
from tracker.reports.model import Report
from tracker.reports.registry import RENDERERS, as_bytes, render
from tracker.reports.story_report import caveats, latest_narratives, persisted_sentence
from tracker.reports.story_sections import (
    BAYES_HEADERS,
    CHALLENGES_TITLE,
    STRENGTHEN_TITLE,
    confidence_method,
    link_counts,
    trail_rows,
)

# The funder's pack first: Word and PDF, then the web formats.
DOWNLOAD_ORDER = ("docx", "pdf", "html", "md")
DOWNLOAD_ICONS = {
    "docx": ":material/description:",
    "pdf": ":material/picture_as_pdf:",
    "html": ":material/html:",
    "md": ":material/notes:",
}


def say(text: str) -> None:
    """A sentence the product wrote, as text (Markdown syntax in it is escaped)."""
    st.markdown(plain(text))


def show_downloads(report: Callable[[], Report], *, stem: str) -> None:
    """One button per report format; each file is built only when its button is pressed."""
    columns = st.columns(len(DOWNLOAD_ORDER))
    for column, name in zip(columns, DOWNLOAD_ORDER, strict=True):
        renderer = RENDERERS[name]
        column.download_button(
            f"{renderer.label} (.{renderer.extension})",
            data=lambda name=name: as_bytes(render(report(), name)),  # type: ignore[misc]
            file_name=f"{stem}.{renderer.extension}",
            mime=renderer.mime,
            icon=DOWNLOAD_ICONS.get(name),
            on_click="ignore",
            width="stretch",
        )


def show_headline(story: Story) -> None:
    result = story.result
    phase, diagnostic, persisted = st.columns([1, 1, 2])
    phase.metric("Phase", phase_label(result.phase.phase))
    diagnostic.metric(
        "Costly reversal (diagnostic)",
        result.diagnostic.answer,
        help="Has the institution reversed a decision in response to the work, at a cost to "
        "itself? " + result.diagnostic.sentence,
    )
    with persisted:
        st.markdown("**What persisted**")
        say(persisted_sentence(story))
    line = confidence_line(story)
    if line:
        st.caption(plain(line))


def _evidence_frame(story: Story, link: LinkStory | None = None) -> pd.DataFrame:
    items = story.evidence if link is None else (*link.evidence_for, *link.evidence_against)
    return pd.DataFrame(
        {
            "key": [i.key for i in items],
            "date": [i.date for i in items],
            "link": [words(i.link) if i.link else "–" for i in items],
            "for / against": [
                EVIDENCE_DIRECTIONS[i.direction == "for"] for i in items
            ],
            "kind": [words(i.kind) for i in items],
            "test": [words(i.test) if i.test else "–" for i in items],
            "observed": ["yes" if i.observed else "sought, not found" for i in items],
            "title": [i.title for i in items],
            "source": [i.source or "" for i in items],
        }
    )


def show_link(story: Story, link: LinkStory) -> None:
    """One link opened: its strength and reason, what its counts are made of, its evidence."""
    st.markdown(f"**{plain(link.label)}: {plain(link.strength)}**")
    say(link.strength_reason)
    say(f"For: {link_counts(link, 'for')}. Against: {link_counts(link, 'against')}.")
    evidence = _evidence_frame(story, link)
    if len(evidence):
        st.dataframe(evidence, hide_index=True, width="stretch")
    if link.records:
        st.dataframe(
            pd.DataFrame(
                {
                    "record": [r.record for r in link.records],
                    "kind": [r.kind for r in link.records],
                    "title": [r.title for r in link.records],
                    "reading": [r.sentence for r in link.records],
                }
            ),
            hide_index=True,
            width="stretch",
        )
    with st.expander("Assumptions and risks of this link"):
        for text in (*link.assumptions, *link.risks):
            say(f"• {text}")


def show_diagram(story: Story) -> None:
    """The live theory of change, with a chooser beside it that opens a link's evidence."""
    diagram, detail = st.columns([3, 2], gap="medium")
    with diagram:
        st.graphviz_chart(chain_dot(story), width="stretch")
        st.caption(
            "Each link is coloured and worded by its strength, with its counts of evidence for "
            "and against; a dashed border marks a gap (step 6)."
        )
    with detail:
        labels = {link.link: f"{link.label} · {link.strength}" for link in story.chain}
        if not labels:
            say("No causal chain.")
            return
        chosen = st.radio(
            "Open the evidence of a link",
            list(labels),
            format_func=labels.__getitem__,
            key=f"link-{story.institution}-{story.claim}",
        )
        link = next(item for item in story.chain if item.link == chosen)
        show_link(story, link)


def show_question(story: Story) -> None:
    st.subheader(STEP_TITLES[0], anchor=False)
    say(story.question.text)
    if story.question.claim is not None:
        st.markdown(f"**Claim {plain(story.question.claim)}, as stated by the evaluator:**")
        st.text(story.question.statement or "")


def show_chain_table(story: Story) -> None:
    st.subheader(STEP_TITLES[1], anchor=False)
    st.dataframe(
        pd.DataFrame(
            {
                "link": [link.label for link in story.chain],
                "strength": [link.strength for link in story.chain],
                "for": [link.n_for for link in story.chain],
                "against": [link.n_against for link in story.chain],
                "for is made of": [link_counts(link, "for") for link in story.chain],
                "against is made of": [link_counts(link, "against") for link in story.chain],
            }
        ),
        hide_index=True,
        width="stretch",
    )


def show_evidence(story: Story) -> None:
    st.subheader(STEP_TITLES[2], anchor=False)
    say(story.evidence_sentence)
    frame = _evidence_frame(story)
    if frame.empty:
        return
    by_link, by_direction, by_kind = st.columns(3)
    links = by_link.multiselect("Link", sorted(frame["link"].unique()), key="filter-link")
    directions = by_direction.multiselect(
        "For or against", sorted(frame["for / against"].unique()), key="filter-direction"
    )
    kinds = by_kind.multiselect("Kind", sorted(frame["kind"].unique()), key="filter-kind")
    shown = frame
    if links:
        shown = shown[shown["link"].isin(links)]
    if directions:
        shown = shown[shown["for / against"].isin(directions)]
    if kinds:
        shown = shown[shown["kind"].isin(kinds)]
    st.caption(f"{len(shown)} of {len(frame)} evidence items shown.")
    st.dataframe(shown, hide_index=True, width="stretch")


def show_factors(story: Story) -> None:
    st.subheader(STEP_TITLES[3], anchor=False)
    say(story.factors_sentence)
    if story.factors:
        st.dataframe(
            pd.DataFrame(
                {
                    "factor": [f.title for f in story.factors],
                    "kind": [words(f.kind) for f in story.factors],
                    "from": [f.start for f in story.factors],
                    "to": [f.end or "still present" for f in story.factors],
                    "assessed role": [words(f.assessed_role) for f in story.factors],
                    "notes": [f.notes or "" for f in story.factors],
                }
            ),
            hide_index=True,
            width="stretch",
        )


def matrix_frame(story: Story) -> pd.DataFrame:
    headers, rows = change_turnover_matrix(story.result, with_keys=False)
    return pd.DataFrame(list(rows), columns=list(headers))


def show_persistence(story: Story) -> None:
    st.subheader(STEP_TITLES[4], anchor=False)
    say(story.persistence_sentence)
    matrix = matrix_frame(story)
    if len(matrix) and len(matrix.columns) > 1:
        st.markdown("**Which change survived which turnover**")
        st.dataframe(matrix, hide_index=True, width="stretch")
    result = story.result
    for change in result.changes:
        # Each change's reading in full (a table would cut the reason short).
        st.markdown(f"**{verdict_label(change.summary)}** · {plain(change.title)}")
        st.caption(plain(change.summary_reason))
    say(f"Phase {result.phase.phase}: {result.phase.explanation}")
    say(f"Diagnostic question, answer {result.diagnostic.answer}: {result.diagnostic.sentence}")


def show_gaps(story: Story) -> None:
    st.subheader(STEP_TITLES[5], anchor=False)
    if not story.gaps:
        say("No gap is found in the recorded data.")
        return
    for gap in story.gaps:
        with st.container(border=True):
            st.markdown(f"**{plain(gap.topic)}** · {plain(gap.text)}")
            say(f"Next evidence to seek: {gap.next_evidence}")


def show_challenges(story: Story) -> None:
    challenges = tuple(getattr(story, "challenges", ()) or ())
    if not challenges:
        return
    st.subheader(CHALLENGES_TITLE, anchor=False)
    for challenge in challenges:
        with st.container(border=True):
            st.markdown(f"**{plain(challenge.topic)}**")
            say(challenge.text)


def show_strengthen(story: Story) -> None:
    items = tuple(getattr(story, "strengthen", ()) or ())
    if not items:
        return
    st.subheader(STRENGTHEN_TITLE, anchor=False)
    for item in items:
        say(f"• {item}")


def bayes_frame(story: Story) -> pd.DataFrame:
    """Prior, then each evidence item, for every claim: one point per step."""
    rows = []
    for trail in story.confidence:
        rows.append({"claim": trail.claim, "step": 0, "label": "prior", "confidence": trail.prior})
        for n, step in enumerate(trail.steps, start=1):
            rows.append(
                {"claim": trail.claim, "step": n, "label": step.evidence, "confidence": step.after}
            )
    return pd.DataFrame(rows, columns=["claim", "step", "label", "confidence"])


def show_confidence(story: Story) -> None:
    st.subheader("Confidence in each claim", anchor=False)
    if not story.confidence:
        say("No contribution claim is recorded for this institution.")
        return
    frame = bayes_frame(story)
    if frame["step"].max() > 0:
        st.altair_chart(bayes_steps_chart(frame), width="stretch")
    for trail in story.confidence:
        say(f"Claim {trail.claim}: {trail.sentence}")
        for note in (getattr(trail, "assumption", ""), *(getattr(trail, "warnings", ()) or ())):
            if note:
                st.caption(plain(note))
        if trail.steps:
            with st.expander(plain(f"Every number behind claim {trail.claim}")):
                st.dataframe(
                    pd.DataFrame(list(trail_rows(trail)), columns=list(BAYES_HEADERS)),
                    hide_index=True,
                    width="stretch",
                )
    st.caption(plain(confidence_method()))


def show_narratives(story: Story, dataset: Dataset) -> None:
    st.subheader("Narrative of the latest quarters", anchor=False)
    narratives = latest_narratives(dataset, story.institution, story.as_of)
    if not narratives:
        say("No quarterly narrative is recorded yet.")
        return
    say("The evaluator's own words, newest first:")
    for period, text in narratives:
        st.markdown(f"**{plain(period)}**")
        st.text(text)


def show_caveats_and_parameters(story: Story) -> None:
    st.subheader("Caveats", anchor=False)
    for text in caveats(story):
        say(f"• {text}")
    with st.expander("Parameters used"):
        st.dataframe(
            pd.DataFrame(
                list(parameters_rows(story.parameters)), columns=["parameter", "value", "meaning"]
            ).astype(str),
            hide_index=True,
            width="stretch",
        )


def show_story(story: Story, dataset: Dataset) -> None:
    """The whole story view of one institution or claim."""
    show_headline(story)
    st.divider()
    show_diagram(story)
    show_question(story)
    show_chain_table(story)
    show_evidence(story)
    show_factors(story)
    show_persistence(story)
    show_narratives(story, dataset)
    show_challenges(story)
    show_gaps(story)
    show_strengthen(story)
    show_confidence(story)
    show_caveats_and_parameters(story)


def choose_story(stories: Sequence[Story]) -> Story:
    """The institution's story, or one of its claims' stories."""
    if len(stories) == 1:
        return stories[0]
    labels = ["the institution", *(f"claim {s.claim}" for s in stories[1:])]
    chosen = st.segmented_control(
        "Story of", list(range(len(stories))), format_func=labels.__getitem__, default=0,
        key="story-of",
    )
    return stories[int(chosen or 0)]

