"""What was there before, and who changed it: nothing a write does is lost.

`versions` reads every version of a record; `audit` writes one audit entry per write and
`audit_log` reads them back; `retraction` takes rows out of every read without deleting them and
restores them; `conflicts` refuses the second of two writers; `staleness` marks stored analysis
results stale. The lowest room of the write layer: it imports models, db and scope only, never the
quarter or import rooms.
"""
