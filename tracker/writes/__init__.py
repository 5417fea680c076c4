"""The write layer: every change to the database goes through here, one transaction per action.

Three rooms: `quarter/` (an institution's quarter through its life: state, review, locks,
submission, reopening, checklist, due board, reminders), `imports/` (rows in: the workbook import,
the dashboard's forms, planning, applying, plausibility warnings) and `history/` (what was there
before: versions, the audit log, retraction, conflicts, staleness of stored results).
`permissions.py`, the hook every write passes, sits here beside them. The write layer may import
models, db, scope, workbook, analysis (pure) and the store's staleness hooks; never the dashboard,
the API, the commands or the reports.
"""
