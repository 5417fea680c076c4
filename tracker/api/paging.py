"""Cursor paging for every list: `?limit=N&cursor=…`, answered with `items` and `next`.

A cursor is the position after the last item of a page (its sort key, as URL-safe base64 of
JSON), so a page never shifts when rows are added before it, and 25,000 institutions never come
in one response. Clients treat it as opaque.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import Annotated, Any, TypeVar

from fastapi import Query

from tracker.api.problems import ApiProblem

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000

T = TypeVar("T")

LimitQuery = Annotated[
    int, Query(ge=1, le=MAX_LIMIT, description=f"Items per page (at most {MAX_LIMIT}).")
]
CursorQuery = Annotated[
    str | None,
    Query(description="The `next` of the previous page; leave out for the first page."),
]


def encode_cursor(position: Sequence[Any]) -> str:
    text = json.dumps(list(position), separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> list[Any] | None:
    """The position a cursor stands for (None: the first page); 400 when it is not a cursor."""
    if cursor is None:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        position = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        position = None
    if not isinstance(position, list):
        raise ApiProblem(400, f"{cursor!r} is not a cursor of this list: use the `next` given.",
                         kind="cursor")
    return position


def page(
    items: Sequence[T], *, key: Callable[[T], Sequence[Any]], cursor: str | None, limit: int
) -> tuple[list[T], str | None]:
    """The items after the cursor (by `key`, ascending), at most `limit`, and the next cursor."""
    after = decode_cursor(cursor)
    ordered = sorted(items, key=lambda item: list(key(item)))
    if after is not None:
        try:
            ordered = [item for item in ordered if list(key(item)) > after]
        except TypeError as error:
            raise ApiProblem(400, f"{cursor!r} is not a cursor of this list: use the `next` "
                             "given.", kind="cursor") from error
    chosen = ordered[:limit]
    more = len(ordered) > limit
    return chosen, encode_cursor(key(chosen[-1])) if more and chosen else None


def page_body(items: list[Any], next_cursor: str | None) -> dict[str, Any]:
    return {"items": items, "next": next_cursor}
