"""The HTTP API (`tracker serve-api`): a third thin door onto the same layer as the CLI and the
dashboard. Every endpoint calls the write layer (`tracker.writes`), the read scope
(`tracker.scope`), the analysis and the reports; no business rule lives here, only HTTP:
authentication, paging, JSON shapes, status codes and RFC 9457 problem details.
"""
