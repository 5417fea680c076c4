"""`tracker serve-api`: the HTTP API (FastAPI, served by uvicorn)."""

from __future__ import annotations

from typing import Annotated

import typer

from tracker.commands.common import DbOption, engine_for, err


def serve_api_command(
    host: Annotated[
        str, typer.Option(help="Address to listen on (127.0.0.1: this machine only).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8502,
    db: DbOption = None,
) -> None:
    """Serve the HTTP API (OpenAPI at /openapi.json, docs at /docs); tokens authenticate."""
    import uvicorn

    from tracker.api.app import create_app

    engine = engine_for(db)
    err.print(f"tracker API on http://{host}:{port} (docs: http://{host}:{port}/docs)",
              markup=False)
    # uvicorn's own proxy headers are off: it would believe X-Forwarded-For from any local
    # client. The app decides (TRACKER_TRUSTED_PROXIES, `tracker.api.bounds`).
    uvicorn.run(create_app(engine), host=host, port=port, log_level="warning",
                proxy_headers=False, forwarded_allow_ips="")
