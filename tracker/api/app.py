"""The FastAPI application: routers, problem details, and the OpenAPI document
(`/openapi.json`, browsable at `/docs`)."""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy import Engine

from tracker import __version__
from tracker.api import analysis, configurations, reads, writes
from tracker.api.bounds import RequestBounds
from tracker.api.docs_page import add_docs_page
from tracker.api.problems import install_problem_handlers

DESCRIPTION = """\
The tracker's data and results over HTTP: the same write layer, rules and scope as the
`tracker` command line and the dashboard.

* **Authentication**: `Authorization: Bearer TOKEN`, a token made with
  `tracker users token create NAME`. Every request acts as that user, exactly as `--as NAME`.
* **Lists** are paged: `?limit=N`, then `?cursor=` the `next` of the previous page.
* **Records** carry their `version`; one record's is its `ETag`. A write with `If-Match` (or a
  quarter set's `versions`) that no longer matches is refused with 412 and what changed.
* **Bounds**: a request with a body is authenticated before its body is read; a body over
  `TRACKER_API_MAX_BODY_BYTES` is refused with 413, as is a quarter set of more rows than
  `TRACKER_API_MAX_ROWS`.
* **Errors** are RFC 9457 problem details (`application/problem+json`) with the messages of
  the command line; a quarter set's problems name table, index and field.
"""


def create_app(engine: Engine) -> FastAPI:
    """The API over `engine` (a migrated database)."""
    app = FastAPI(
        title="tracker API",
        version=__version__,
        description=DESCRIPTION,
        # The docs page is served with its assets from the package (`docs_page`), not a CDN.
        docs_url=None,
        redoc_url=None,
        openapi_tags=[
            {"name": "access", "description": "Who the token acts as."},
            {"name": "read", "description": "Records, definitions, history and audit."},
            {"name": "results", "description": "Analysis, stories and portfolio summaries."},
            {"name": "write", "description": "Quarter sets and record corrections."},
            {"name": "quarters", "description": "Submitting and reopening quarters."},
        ],
    )
    app.state.engine = engine
    app.add_middleware(RequestBounds, engine=engine)
    install_problem_handlers(app)
    app.include_router(reads.router)
    app.include_router(analysis.router)
    app.include_router(configurations.router)
    app.include_router(writes.router)
    add_docs_page(app)
    return app
