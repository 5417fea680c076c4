"""The OpenAPI document, served at /openapi.json with docs at /docs: a test fails when an
endpoint has no description or no example, or a parameter has no description."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.api.conftest import serving
from tracker.db import make_engine
from tracker.migrate import upgrade

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('openapi') / 'tracker.db'}")
    upgrade(engine)
    with serving(engine) as base:
        docs = httpx.get(f"{base}/docs")
        assert docs.status_code == 200 and "swagger" in docs.text.lower()
        yield httpx.get(f"{base}/openapi.json").json()
    engine.dispose()


def _operations(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"{method.upper()} {path}", operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def _schema(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if ref:
        found: dict[str, Any] = document["components"]["schemas"][ref.rsplit("/", 1)[-1]]
        return found
    return schema


def test_the_document_lists_the_endpoints_of_the_issue(document: dict[str, Any]) -> None:
    names = {name for name, _ in _operations(document)}
    assert {
        "GET /v1/institutions", "GET /v1/indicators",
        "GET /v1/institutions/{institution}/records/{table}",
        "GET /v1/analysis", "GET /v1/institutions/{institution}/analysis",
        "GET /v1/portfolio-summary", "GET /v1/institutions/{institution}/story",
        "GET /v1/portfolio-configurations",
        "GET /v1/institutions/{institution}/history", "GET /v1/audit",
        "POST /v1/quarter-sets", "PUT /v1/institutions/{institution}/records/{table}/{record}",
        "POST /v1/institutions/{institution}/quarters/{period}/submit",
        "POST /v1/institutions/{institution}/quarters/{period}/reopen",
    } <= names
    assert document["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"


def test_every_endpoint_has_a_description_and_an_example(document: dict[str, Any]) -> None:
    missing = []
    for name, operation in _operations(document):
        if not operation.get("description", "").strip():
            missing.append(f"{name}: no description")
        success = operation["responses"].get("200", {}).get("content", {})
        if not any("example" in media or "examples" in media for media in success.values()):
            missing.append(f"{name}: no example response")
        for status, response in operation["responses"].items():
            if status != "200" and not any(
                "example" in m for m in response.get("content", {}).values()
            ):
                missing.append(f"{name}: no example of its {status} problem")
        body = operation.get("requestBody")
        if body:
            schema = _schema(document, body["content"]["application/json"]["schema"])
            if "examples" not in schema and "example" not in schema:
                missing.append(f"{name}: no example request body")
        for parameter in operation.get("parameters", []):
            if not parameter.get("description"):
                missing.append(f"{name}: parameter {parameter['name']} has no description")
    assert missing == []


def test_every_list_is_paged_with_a_cursor(document: dict[str, Any]) -> None:
    for name, operation in _operations(document):
        example = operation["responses"]["200"]["content"].get("application/json", {})
        if "items" in (example.get("example") or {}):
            params = {p["name"] for p in operation.get("parameters", [])}
            assert {"cursor", "limit"} <= params, name
