"""The persistence timeline on a page: its charts (`charts`, Altair specifications, pure), the
change × turnover matrix and chart panels (`matrix_view`), the blocks beside the chart
(`change_blocks`) and the phase over time (`phase_history`, pure). The frames it draws are the
analysis' (`tracker.analysis.timeline`, pure, shared with the story report). Imports the analysis
and the shared dashboard modules.
"""
