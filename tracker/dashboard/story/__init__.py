"""The contribution story page family: the story as a view (`story_view`) and the chart of
confidence in each claim (`bayes_chart`, pure). Imports the analysis, the reports' shared pieces
and the shared dashboard modules.
"""
