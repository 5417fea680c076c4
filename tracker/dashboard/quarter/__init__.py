"""The "Log a quarter" page family: the quarter picker and checklist (`quarter_page`), the lock and
reopening panel (`lock_panel`), the value grid (`value_grid`), the record forms (`record_forms`),
the upload of a workbook or another tool's export (`workbook_upload`, `source_upload`) and
refusals in the page's own terms (`refusals`). Imports the write layer and the shared dashboard
modules; no other page family.
"""
