"""The persistence timeline: its frames (`timeline_series`, pure), its charts (`charts`, Altair
specifications, pure), the change × turnover matrix and chart panels (`matrix_view`), the blocks
beside the chart (`change_blocks`) and the phase over time (`phase_history`, pure). Imports the
analysis and the shared dashboard modules.
"""
