"""An institution's quarter through its life: open, submitted, returned, approved, reopened.

Here: the quarter's state and confirmations (`state`), the review state machine declared as data
(`review`), quarter locks (`locks`), submission with its summary (`submission`), requests to reopen
(`reopening`), what is still missing (`checklist`), what is due and for whom (`due_board`,
`reminders`) and the stored rows a quarter's forms start from (`stored_rows`). It may import
`tracker.writes.history` (audit, staleness) and `tracker.writes.permissions`; the import room
imports from here (locks), never the other way round.
"""
