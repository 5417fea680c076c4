"""The results store: each institution's analysis, stored beside its records and refreshed
only when they change (issue 11).

- `stored_results(engine, actor, params, institutions=None)`: what an actor may read, fresh;
- `refresh_results(engine, params, institutions=None, everything=False)`: recompute what is
  stale (`tracker results refresh`);
- staleness is marked by the write layer (`tracker.writes.history.staleness`) and by
  `ANALYSIS_METHOD_VERSION` (`tracker.analysis.params`).
"""

from tracker.store.read import StoredResults, stored_results
from tracker.store.refresh import RefreshReport, refresh_results

__all__ = ["RefreshReport", "StoredResults", "refresh_results", "stored_results"]
