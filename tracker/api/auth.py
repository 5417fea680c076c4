"""Who is asking: `Authorization: Bearer <token>` → the token's user, as `--as USER` would be."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine

from tracker.access import Actor
from tracker.tokens import REFUSED, TokenRefused, authenticate_token

bearer = HTTPBearer(
    auto_error=False,
    description="A token made with `tracker users token create NAME`.",
)


def engine_of(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


EngineDep = Annotated[Engine, Depends(engine_of)]


def acting_user(
    request: Request,
    engine: EngineDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Actor:
    """The token's user; 401 without a usable token, 429 after too many failures.

    A request with a body was authenticated before its body was read (`tracker.api.bounds`);
    the client's address is the one `tracker.api.bounds.client_address` decided."""
    known: Actor | None = getattr(request.state, "actor", None)
    if known is not None:
        return known
    client = getattr(request.state, "client", None) or (
        request.client.host if request.client else "unknown"
    )
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise TokenRefused(f"{REFUSED.removesuffix('.')}: send Authorization: Bearer TOKEN.")
    return authenticate_token(engine, credentials.credentials, client=client)


ActorDep = Annotated[Actor, Depends(acting_user)]
