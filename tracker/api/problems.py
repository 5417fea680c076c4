"""Errors as RFC 9457 problem details (`application/problem+json`), never a traceback.

The `detail` of a refusal is the message the CLI prints after "Refused: ", word for word.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

from tracker.access import PermissionRefused
from tracker.migrate import SchemaOutOfDate
from tracker.tokens import TokenRefused
from tracker.workbook.problems import WorkbookRefused
from tracker.writes.imports.apply import ConflictRefused
from tracker.writes.quarter.state import QuarterRefused

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://tracker.example/problems/"
log = logging.getLogger("tracker.api")

TITLES = {
    400: "Bad request",
    401: "Authentication needed",
    403: "Refused",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    413: "Content too large",
    422: "Unprocessable content",
    428: "Precondition required",
    429: "Too many requests",
    500: "Internal error",
    503: "Database unavailable",
}


class ApiProblem(Exception):
    """A refusal to answer with this status, detail and extension members."""

    def __init__(
        self, status: int, detail: str, *, kind: str | None = None,
        headers: Mapping[str, str] | None = None, **extensions: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.kind = kind
        self.headers = dict(headers or {})
        self.extensions = extensions


def problem_response(
    request: Request, status: int, detail: str, *, kind: str | None = None,
    headers: Mapping[str, str] | None = None, **extensions: Any,
) -> JSONResponse:
    body = {
        "type": TYPE_BASE + (kind or str(status)),
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        **extensions,
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _validation_errors(error: RequestValidationError) -> list[dict[str, Any]]:
    return [
        {"field": ".".join(str(part) for part in item.get("loc", ())),
         "message": str(item.get("msg", "")).removeprefix("Value error, ")}
        for item in error.errors()
    ]


def install_problem_handlers(app: FastAPI) -> None:
    """Turn every exception into problem details with the status it deserves."""

    @app.exception_handler(ApiProblem)
    async def api_problem(request: Request, error: ApiProblem) -> JSONResponse:
        return problem_response(request, error.status, error.detail, kind=error.kind,
                                headers=error.headers, **error.extensions)

    @app.exception_handler(TokenRefused)
    async def token_refused(request: Request, error: TokenRefused) -> JSONResponse:
        if error.retry_after is not None:
            return problem_response(request, 429, str(error), kind="throttled",
                                    headers={"Retry-After": str(error.retry_after)})
        return problem_response(request, 401, str(error), kind="unauthenticated",
                                headers={"WWW-Authenticate": 'Bearer realm="tracker"'})

    @app.exception_handler(PermissionRefused)
    async def permission_refused(request: Request, error: PermissionRefused) -> JSONResponse:
        return problem_response(request, 403, str(error), kind="forbidden")

    @app.exception_handler(QuarterRefused)
    async def quarter_refused(request: Request, error: QuarterRefused) -> JSONResponse:
        return problem_response(request, 409, str(error), kind="quarter")

    @app.exception_handler(ConflictRefused)
    async def conflict_refused(request: Request, error: ConflictRefused) -> JSONResponse:
        return problem_response(request, 409, str(error), kind="conflict")

    @app.exception_handler(WorkbookRefused)
    async def workbook_refused(request: Request, error: WorkbookRefused) -> JSONResponse:
        # Reached only by writes that do not locate rows (the quarter-set route does).
        return problem_response(request, 422, f"{error.report()}\nNothing was written.",
                                kind="invalid")

    @app.exception_handler(SchemaOutOfDate)
    async def schema_out_of_date(request: Request, error: SchemaOutOfDate) -> JSONResponse:
        return problem_response(request, 503, str(error), kind="schema")

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = _validation_errors(error)
        named = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:3])
        return problem_response(request, 422,
                                f"The request does not have the expected shape: {named}.",
                                kind="request", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        return problem_response(request, error.status_code, str(error.detail),
                                headers=error.headers)

    @app.exception_handler(OperationalError)
    async def database_unavailable(request: Request, error: OperationalError) -> JSONResponse:
        return problem_response(request, 503, f"The database could not be used: {error.orig}",
                                kind="database")

    @app.exception_handler(SQLAlchemyError)
    async def database_refused(request: Request, error: SQLAlchemyError) -> JSONResponse:
        log.exception("database error", exc_info=error)
        return problem_response(request, 500, "The database refused the request.",
                                kind="database")

    @app.exception_handler(Exception)
    async def internal_error(request: Request, error: Exception) -> JSONResponse:
        # The traceback goes to the server's log, never to the client.
        log.exception("internal error", exc_info=error)
        return problem_response(request, 500, "Internal error: the server's log says more.")
