"""What a request may cost before it is answered: who asks is known before a body is read,
and no body is read past TRACKER_API_MAX_BODY_BYTES.

A pure ASGI middleware, so that it runs before FastAPI reads and parses a body:

- the client's address is the connecting peer's; `X-Forwarded-For` counts only when that peer
  is one of TRACKER_TRUSTED_PROXIES (default: none), and then the address the nearest
  untrusted hop gave;
- a request that carries a body (POST, PUT, PATCH, DELETE) is authenticated from its
  `Authorization` header first: without a usable token it is refused (401, or 429 when
  throttled) and its body never read;
- a body larger than the cap (by its `Content-Length`, or as it streams in) is refused with 413
  problem details.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from tracker.config import setting, setting_int
from tracker.tokens import REFUSED, TokenRefused, authenticate_token

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

WITH_BODY = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class BodyTooLarge(HTTPException):
    """A request body over the cap: answered 413 (an HTTPException, so that FastAPI's reading
    of the body passes it on rather than calling it a parse error)."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            413,
            f"The request body is larger than {limit:,} bytes (TRACKER_API_MAX_BODY_BYTES): "
            "send fewer rows per request.",
        )
        self.limit = limit


def max_body_bytes() -> int:
    return setting_int("TRACKER_API_MAX_BODY_BYTES")


def trusted_proxies() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """The networks of TRACKER_TRUSTED_PROXIES (addresses or CIDR blocks, comma-separated)."""
    found = []
    for item in setting("TRACKER_TRUSTED_PROXIES").split(","):
        if item.strip():
            try:
                found.append(ipaddress.ip_network(item.strip(), strict=False))
            except ValueError as error:
                raise ValueError(
                    f"TRACKER_TRUSTED_PROXIES: {item.strip()!r} is not an address or network."
                ) from error
    return found


def _is_trusted(address: str, proxies: list[Any]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def client_address(scope: Scope) -> str:
    """The address throttling counts: the peer, or what trusted proxies say it forwarded."""
    peer = scope.get("client")
    address = str(peer[0]) if peer else "unknown"
    proxies = trusted_proxies()
    if not proxies or not _is_trusted(address, proxies):
        return address
    forwarded = [
        value.decode("latin-1") for name, value in scope.get("headers", ())
        if name.lower() == b"x-forwarded-for"
    ]
    hops = [hop.strip() for value in forwarded for hop in value.split(",") if hop.strip()]
    # Walk back from the nearest hop: the first one not a trusted proxy is the client.
    for hop in reversed(hops):
        if not _is_trusted(hop, proxies):
            return hop
    return hops[0] if hops else address


def _bearer(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name.lower() == b"authorization":
            scheme, _, credentials = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer" and credentials.strip():
                return credentials.strip()
    return None


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _problem(send: Send, scope: Scope, status: int, title: str, detail: str, kind: str,
                   headers: dict[str, str] | None = None) -> None:
    from tracker.api.problems import PROBLEM_JSON, TYPE_BASE

    body = json.dumps({"type": TYPE_BASE + kind, "title": title, "status": status,
                       "detail": detail, "instance": scope.get("path", "")}).encode()
    raw = [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode()),
           (b"connection", b"close")]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


class RequestBounds:
    """The middleware (see the module docstring); `engine` checks tokens."""

    def __init__(self, app: App, engine: Engine) -> None:
        self.app = app
        self.engine = engine

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = client_address(scope)
        state = scope.setdefault("state", {})
        state["client"] = client
        if scope["method"] not in WITH_BODY:
            await self.app(scope, receive, send)
            return
        token = _bearer(scope)
        try:
            if token is None:
                raise TokenRefused(f"{REFUSED.removesuffix('.')}: send Authorization: Bearer "
                                   "TOKEN.")
            state["actor"] = await run_in_threadpool(
                authenticate_token, self.engine, token, client=client
            )
        except TokenRefused as refused:
            if refused.retry_after is not None:
                await _problem(send, scope, 429, "Too many requests", str(refused), "throttled",
                               {"Retry-After": str(refused.retry_after)})
            else:
                await _problem(send, scope, 401, "Authentication needed", str(refused),
                               "unauthenticated", {"WWW-Authenticate": 'Bearer realm="tracker"'})
            return
        limit = max_body_bytes()
        length = _content_length(scope)
        if length is not None and length > limit:
            await _problem(send, scope, 413, "Content too large", BodyTooLarge(limit).detail,
                           "too-large")
            return
        await self.app(scope, _capped(receive, limit), send)


def _capped(receive: Receive, limit: int) -> Receive:
    """`receive`, raising `BodyTooLarge` once more than `limit` bytes of body came in."""
    seen = 0

    async def capped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge(limit)
        return message

    return capped
