"""Rows in: the workbook import and every other caller that writes rows.

The pipeline validate → plan → permission → apply → audit lives in `importer`; `plan` decides which
rows are new, unchanged or corrections; `apply` and `bulk` write them; `table_mapping` says how a
workbook table maps onto the schema; `rows` and `uploads` serve the dashboard's forms and upload;
`plausible` raises plausibility warnings; `tenures`, `memberships`, `record_keys` and `values` are
the rules and conversions the import needs. It may import `tracker.writes.quarter` (locks),
`tracker.writes.history` (audit, conflicts, staleness) and `tracker.writes.permissions`.
"""
