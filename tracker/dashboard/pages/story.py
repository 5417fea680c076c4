"""Funder › Contribution story: the institution's story (Mayne's contribution analysis) — the
causal chain with evidence per link, influencing factors, persistence tests, confidence with
every number, gaps and the evidence to seek next — downloadable as Markdown and HTML."""

import streamlit as st

from tracker.dashboard import frame
from tracker.reports.html import stories_html
from tracker.reports.markdown import stories_markdown

data = frame.open_page(
    "Contribution story",
    intro="What the evidence is consistent with, link by link, with what is still missing. "
    "Contribution, never attribution.",
)
if data is None:
    st.stop()

institution = frame.choose_institution(data)
params = data.params
stories = data.stories(institution)
story_md = stories_markdown(stories, params)

markdown_file, html_file, timeline = st.columns(3)
markdown_file.download_button(
    "Download as Markdown",
    data=story_md,
    file_name=f"story-{institution}.md",
    mime="text/markdown",
    icon=":material/description:",
    on_click="ignore",
)
html_file.download_button(
    "Download as HTML",
    data=lambda: stories_html(stories, params),
    file_name=f"story-{institution}.html",
    mime="text/html",
    icon=":material/html:",
    on_click="ignore",
)
with timeline:
    frame.link_to(
        "timeline", "See the persistence timeline", institution=institution, actor=data.actor,
        icon=":material/timeline:",
    )
st.caption(frame.rules_caption(params))
st.divider()
with st.container(border=True):
    st.markdown(story_md)
