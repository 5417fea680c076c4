"""One API server per test module, over real HTTP: uvicorn on a free loopback port in a thread,
httpx as the client, the sample workbook loaded once, one token per role. On SQLite and
PostgreSQL (the PostgreSQL leg skips, as everywhere, where no server answers)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import Engine

from tests.conftest import _postgres_schema_url, fresh_postgres_schema
from tracker.access import local_operator
from tracker.api.app import create_app
from tracker.config import sample_data_path
from tracker.db import make_engine
from tracker.migrate import upgrade
from tracker.tokens import create_token
from tracker.users import add_user
from tracker.writes.imports.importer import import_workbook

# role in the tests → (user name, role, institutions, portfolios)
USERS = {
    "admin": ("root", "admin", (), ()),
    "evaluator": ("ana", "evaluator", ("wigan-council",), ()),
    "reviewer": ("rita", "reviewer", ("wigan-council",), ()),
    "viewer": ("wendy", "institution", ("wigan-council",), ()),
    "funder": ("fay", "funder", (), ("fictional-demo",)),
    "other": ("otto", "evaluator", ("test-valley-council",), ()),
}


@dataclass
class Api:
    """A running API over a database holding the sample, and a token per role."""

    base: str
    engine: Engine
    url: str
    tokens: dict[str, str] = field(default_factory=dict)

    def user(self, role: str) -> str:
        return USERS[role][0]

    def request(self, role: str | None, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}))
        if role is not None:
            headers["Authorization"] = f"Bearer {self.tokens[role]}"
        with httpx.Client(base_url=self.base, timeout=60) as client:
            return client.request(method, path, headers=headers, **kwargs)

    def get(self, role: str | None, path: str, **kwargs: Any) -> httpx.Response:
        return self.request(role, "GET", path, **kwargs)

    def post(self, role: str | None, path: str, **kwargs: Any) -> httpx.Response:
        return self.request(role, "POST", path, **kwargs)


@contextmanager
def serving(engine: Engine) -> Iterator[str]:
    """The API over `engine` on a free loopback port, in a thread; yields its base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    # As `tracker serve-api`: uvicorn believes no forwarded header (the app decides).
    config = uvicorn.Config(create_app(engine), log_level="warning", lifespan="off",
                            proxy_headers=False, forwarded_allow_ips="")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the API server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@contextmanager
def _database(kind: str, tmp: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp / 'tracker.db'}"
        return
    with fresh_postgres_schema() as schema:
        yield _postgres_schema_url(schema)


@pytest.fixture(scope="module",
                params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def api(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """The sample, five users (one per role) with a token each, and the API serving them."""
    with _database(request.param, tmp_path_factory.mktemp("api")) as url:
        engine = make_engine(url)
        upgrade(engine)
        operator = local_operator()
        import_workbook(engine, sample_data_path(), actor=operator)
        tokens = {}
        for role, (name, kind, institutions, portfolios) in USERS.items():
            add_user(engine, name, role=kind, password=None, actor=operator,
                     institutions=institutions, portfolios=portfolios)
            tokens[role], _ = create_token(engine, name, actor=operator)
        with serving(engine) as base:
            yield Api(base=base, engine=engine, url=url, tokens=tokens)
        engine.dispose()
