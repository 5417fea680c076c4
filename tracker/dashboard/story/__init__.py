"""The contribution story page family: the story as a view (`story_view`). Imports the analysis,
the reports' shared pieces and the shared dashboard modules.
"""
