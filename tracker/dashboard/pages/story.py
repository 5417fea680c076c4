"""Funder › Contribution story: the live theory of change first (each link coloured and worded
by its strength; choose a link to open its evidence), the headline (phase, diagnostic, what
persisted), then Mayne's six steps as sections, the Bayes steps as a chart, the caveats; the
parameters folded away. Downloadable as Word, PDF, HTML and Markdown from one report model."""

import streamlit as st

from tracker.dashboard import page_opening, targets_view
from tracker.dashboard.story import story_view
from tracker.reports.story_report import story_report
from tracker.reports.summary_pack import summary_report

data = page_opening.open_page(
    "Contribution story",
    intro="What the evidence is consistent with, link by link, with what is still missing. "
    "Contribution, never attribution.",
)
if data is None:
    st.stop()

institution = page_opening.choose_institution(data)
params = data.params
stories = data.stories(institution)
records = data.institution_dataset(institution)

used = targets_view.quarters_used(data, institution)  # a funder's: approved quarters only
# The summary pack (at most six pages) by default; the full story on request.
sample = data.is_sample()
full = st.radio(
    "Pack", [False, True], horizontal=True, key="story_pack",
    format_func=lambda f: "Full story (every link, step and parameter)" if f
    else "Summary (at most 6 pages)",
)
story_view.show_downloads(
    (lambda: story_report(stories, params, dataset=records, quarters_used=used)) if full
    else (lambda: summary_report(stories, dataset=records, quarters_used=used,
                                 illustrative=sample)),
    stem=f"story-{institution}" + ("-full" if full else ""),
)
if used:
    st.info("**Quarters used.** " + " ".join(used), icon=":material/filter_alt:")
page_opening.link_to(
    "timeline", "See the persistence timeline", institution=institution, actor=data.actor,
    icon=":material/timeline:",
)
st.caption(page_opening.rules_caption(params))
story = story_view.choose_story(stories)
story_view.show_story(story, records)
targets_view.show_targets(data, institution)
