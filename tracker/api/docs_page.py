"""The API's browsable docs at `/docs`, with no outside request: Swagger UI's script and style
are served from the installed `swagger-ui-py` package (its `static/` folder, Swagger UI 5, which
reads OpenAPI 3.1) at `/docs/assets/`, not from a CDN, so the page works without internet."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/docs/assets"


def swagger_ui_folder() -> Path:
    """The folder of Swagger UI's distribution files in the installed package."""
    from importlib.util import find_spec

    # Located, not imported: only its files are used (its web-framework handlers are not).
    spec = find_spec("swagger_ui")
    if spec is None or spec.origin is None:
        raise RuntimeError("swagger-ui-py is missing: run `make install`.")
    return Path(spec.origin).parent / "static"


def add_docs_page(app: FastAPI) -> None:
    """`/docs` (Swagger UI over `/openapi.json`) and its assets, served by the API itself."""
    app.mount(ASSETS, StaticFiles(directory=swagger_ui_folder()), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} — docs",
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon-32x32.png",
        )
