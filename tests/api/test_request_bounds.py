"""Every request is bounded, over real HTTP (`serving`, as `tracker serve-api` serves it):

- a request with a body is authenticated before its body is read;
- a body over TRACKER_API_MAX_BODY_BYTES is refused with 413 problem details, whether it says
  its length or streams it; a quarter set over TRACKER_API_MAX_ROWS rows likewise;
- X-Forwarded-For counts only from TRACKER_TRUSTED_PROXIES (default none), and failed tokens
  are throttled per token id as well as per address.

Each test gets its own copy of one migrated database holding the sample (throttling counts
what the audit log holds).
"""

from __future__ import annotations

import json
import shutil
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.api.conftest import serving
from tracker.access import local_operator
from tracker.config import sample_data_path
from tracker.db import make_engine
from tracker.migrate import upgrade
from tracker.tokens import create_token
from tracker.users import MAX_FAILED_LOGINS, add_user
from tracker.writes.imports.importer import import_workbook

PROBLEM = "application/problem+json"


@dataclass
class Server:
    base: str
    token: str

    @property
    def port(self) -> int:
        return int(self.base.rsplit(":", 1)[1])

    def auth(self, token: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token or self.token}"}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bounds") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    import_workbook(engine, sample_data_path(), actor=local_operator())
    engine.dispose()
    return path


@pytest.fixture
def server(template: Path, tmp_path: Path) -> Iterator[Server]:
    path = tmp_path / "tracker.db"
    shutil.copy(template, path)
    engine = make_engine(f"sqlite:///{path}")
    operator = local_operator()
    add_user(engine, "ana", role="evaluator", password=None, actor=operator,
             institutions=("wigan-council",))
    token, _ = create_token(engine, "ana", actor=operator)
    with serving(engine) as base:
        yield Server(base=base, token=token)
    engine.dispose()


def _raw_request(server: Server, head: str, body: bytes = b"") -> tuple[int, bytes]:
    """Send a request head (and perhaps part of a body) and read the answer, with a short
    timeout: a server that waits for the rest of the body never answers in time."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(head.encode() + b"\r\n" + body)
        answer = b""
        while b"\r\n\r\n" not in answer or len(answer) < answer.find(b"\r\n\r\n") + 4 + int(
            _header(answer, "content-length") or 0
        ):
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    status = int(answer.split(b" ", 2)[1])
    return status, answer.split(b"\r\n\r\n", 1)[1]


def _header(answer: bytes, name: str) -> str | None:
    for line in answer.split(b"\r\n\r\n", 1)[0].split(b"\r\n")[1:]:
        key, _, value = line.decode("latin-1").partition(":")
        if key.strip().lower() == name:
            return value.strip()
    return None


def _head(path: str, length: int, *headers: str) -> str:
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json",
             f"Content-Length: {length}", *headers]
    return "\r\n".join(lines) + "\r\n"


def test_a_request_without_a_token_is_refused_before_its_body_is_read(server: Server) -> None:
    # 154 MB announced, only 10 bytes sent: the answer comes without waiting for the rest.
    status, body = _raw_request(server, _head("/v1/quarter-sets", 154_000_000), b'{"tables":')
    assert status == 401
    assert "Bearer" in json.loads(body)["detail"]


def test_a_wrong_token_is_refused_before_the_body_is_read(server: Server) -> None:
    head = _head("/v1/quarter-sets", 154_000_000, "Authorization: Bearer trk_000000000000_"
                 + "x" * 43)
    status, body = _raw_request(server, head, b'{"tables":')
    assert status == 401
    assert json.loads(body)["status"] == 401


def test_a_body_announced_over_the_cap_is_refused_with_413_unread(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_API_MAX_BODY_BYTES", "5000")
    status, body = _raw_request(
        server, _head("/v1/quarter-sets", 154_000_000, f"Authorization: Bearer {server.token}"),
        b'{"tables":',
    )
    assert status == 413
    problem = json.loads(body)
    assert problem["status"] == 413 and "TRACKER_API_MAX_BODY_BYTES" in problem["detail"]


def test_a_streamed_body_over_the_cap_is_refused_with_413(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_API_MAX_BODY_BYTES", "5000")

    def chunks() -> Iterator[bytes]:  # no Content-Length: sent chunked
        yield b'{"tables": {"observations": [' + b'{"narrative": "xxxxxxxxxx"},' * 400
        yield b'{}]}}'

    response = httpx.post(f"{server.base}/v1/quarter-sets?dryRun=true", content=chunks(),
                          headers={**server.auth(), "Content-Type": "application/json"})
    assert response.status_code == 413, response.text
    assert response.headers["content-type"] == PROBLEM
    assert "5,000 bytes" in response.json()["detail"]


def test_a_quarter_set_over_the_row_cap_is_refused_with_413(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_API_MAX_ROWS", "3")
    rows = [{"institution": "wigan-council", "indicator": "staff_turnover",
             "period": f"2011Q{q}", "value": 0.5} for q in range(1, 5)]
    response = httpx.post(f"{server.base}/v1/quarter-sets?dryRun=true",
                          json={"tables": {"indicator_values": rows}}, headers=server.auth())
    assert response.status_code == 413, response.text
    assert "4 rows, more than 3 (TRACKER_API_MAX_ROWS)" in response.json()["detail"]
    del rows[-1]
    response = httpx.post(f"{server.base}/v1/quarter-sets?dryRun=true",
                          json={"tables": {"indicator_values": rows}}, headers=server.auth())
    assert response.status_code == 200, response.text


def _wrong(server: Server, forwarded: str | None = None, token: str | None = None) -> int:
    headers = server.auth(token or "trk_000000000000_" + "x" * 43)
    if forwarded:
        headers["X-Forwarded-For"] = forwarded
    return httpx.get(f"{server.base}/v1/me", headers=headers).status_code


def test_forwarded_headers_from_an_untrusted_client_change_nothing(server: Server) -> None:
    # Each wrong token names another address: all are counted against the real one.
    codes = [_wrong(server, f"10.0.0.{n}") for n in range(MAX_FAILED_LOGINS)]
    assert codes == [401] * MAX_FAILED_LOGINS
    assert _wrong(server, "10.0.0.99") == 429
    # ... and the client is throttled whatever address it names, even with a good token.
    answer = httpx.get(f"{server.base}/v1/me",
                       headers={**server.auth(), "X-Forwarded-For": "10.9.9.9"})
    assert answer.status_code == 429


def test_forwarded_headers_count_from_a_trusted_proxy(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_TRUSTED_PROXIES", "127.0.0.1")
    for _ in range(MAX_FAILED_LOGINS):
        assert _wrong(server, "203.0.113.7") == 401
    assert _wrong(server, "203.0.113.7") == 429
    # Another client behind the same proxy is not locked out by the first one's failures.
    answer = httpx.get(f"{server.base}/v1/me",
                       headers={**server.auth(), "X-Forwarded-For": "203.0.113.8"})
    assert answer.status_code == 200, answer.text


def test_failed_tokens_are_throttled_per_token_id_across_addresses(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_TRUSTED_PROXIES", "127.0.0.1")
    token_id = server.token.split("_")[1]
    guessed = f"trk_{token_id}_" + "y" * 43
    for n in range(MAX_FAILED_LOGINS):
        assert _wrong(server, f"198.51.100.{n}", token=guessed) == 401
    # The next guess of that token's secret, from yet another address, is throttled.
    assert _wrong(server, "198.51.100.200", token=guessed) == 429


def _quarter_set(server: Server, table: str, row: str, *, dry_run: bool) -> httpx.Response:
    body = '{"tables": {"' + table + '": [' + row + ']}}'
    return httpx.post(f"{server.base}/v1/quarter-sets?dryRun={str(dry_run).lower()}",
                      content=body, headers={**server.auth(), "Content-Type": "application/json"})


@pytest.mark.parametrize(("table", "row", "field"), [
    ("observations", '{"institution": "wigan-council", "period": "2011Q1", "stage": '
     '"full_implementation", "narrative": "minutes \\ud800 of the board"}',
     "body.tables.observations.0.narrative"),
    ("indicator_values", '{"institution": "wigan-council", "indicator": "staff_turnover", '
     '"period": "2011Q1", "value": ' + "9" * 400 + "}",
     "body.tables.indicator_values.0.value"),
], ids=["lone-surrogate", "400-digit-number"])
def test_a_cell_no_store_can_hold_is_a_422_naming_its_field_in_the_dry_run_and_the_write(
    server: Server, table: str, row: str, field: str
) -> None:
    for dry_run in (True, False):
        response = _quarter_set(server, table, row, dry_run=dry_run)
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == PROBLEM
        assert [e["field"] for e in response.json()["errors"]] == [field]
        assert field in response.json()["detail"]


@pytest.mark.parametrize("period", ["2101Q1", "２０２５Q1", "1899Q4", "2025Q5", "2025q1"])
@pytest.mark.parametrize("action", ["submit", "approve", ""])
def test_a_quarter_in_a_path_that_is_not_one_is_a_422_naming_the_period(
    server: Server, period: str, action: str
) -> None:
    path = f"/v1/institutions/wigan-council/quarters/{period}" + (f"/{action}" if action else "")
    response = (httpx.post if action else httpx.get)(f"{server.base}{path}", headers=server.auth())
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "path.period"
    assert "is not a quarter written YYYYQn" in response.json()["detail"]
