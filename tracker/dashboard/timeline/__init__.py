"""The persistence timeline on a page: its panels (`timeline_panels`, Altair specifications,
pure) on the shared `time_axis` with the `turnover_marks`, the change × turnover matrix and
chart panels (`matrix_view`), the blocks beside the chart (`change_blocks`) and the phase over
time (`phase_history`, pure). The frames it draws are the analysis' (`tracker.analysis.timeline`,
pure, shared with the story report). Imports the analysis and the shared dashboard modules.
"""
