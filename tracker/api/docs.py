"""What the OpenAPI document says about responses: an example for every status an endpoint
gives (a test fails when an endpoint has no description or no example)."""

from __future__ import annotations

from typing import Any

from tracker.api.problems import PROBLEM_JSON, TITLES, TYPE_BASE

_PROBLEM_EXAMPLES = {
    400: "'x' is not a cursor of this list: use the `next` given.",
    401: "Authentication refused: unknown, revoked or expired token.",
    403: "ana may not read an institution 'wigan-council'.",
    404: "There is no institution 'nowhere'.",
    409: "wigan-council 2025Q1 is already locked (submitted by ana at 2025-04-02 09:14 UTC).",
    412: "indicator_values wigan-council|staff_turnover|2025Q1 was written by someone else "
         "after you read it (version 1): changed by ben at 2025-04-02 09:20 UTC: value 3 → 4. "
         "Nothing was applied: reload it and repeat your change if it still applies.",
    413: "The quarter set holds 12,000 rows, more than 10,000 (TRACKER_API_MAX_ROWS): post them "
         "in batches.",
    422: "The request does not have the expected shape.",
    428: "A write to a record needs If-Match: the ETag of the version you read.",
    429: "Too many failed authentications from 127.0.0.1: try again in about 14 minute(s).",
}


def problem_example(status: int, detail: str | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "type": TYPE_BASE + str(status), "title": TITLES[status], "status": status,
        "detail": detail or _PROBLEM_EXAMPLES[status], "instance": "/v1/…", **extra,
    }


def responses(
    example: Any, *, errors: tuple[int, ...] = (401, 403), media: str = "application/json",
    problems: dict[int, dict[str, Any]] | None = None, headers: dict[str, Any] | None = None,
) -> dict[int | str, dict[str, Any]]:
    """The `responses` of an endpoint: its success example and a problem example per error."""
    success: dict[str, Any] = {"content": {media: {"example": example}}}
    if headers:
        success["headers"] = headers
    documented: dict[int | str, dict[str, Any]] = {200: success}
    # 422: FastAPI's own refusal of a request of the wrong shape (as problem details here).
    statuses = sorted({*errors, 422, *((429,) if 401 in errors else ())})
    for status in statuses:
        body = (problems or {}).get(status) or problem_example(status)
        documented[status] = {
            "description": TITLES[status],
            "content": {PROBLEM_JSON: {"example": body}},
        }
    return documented
