"""A bounded fuzz of the API: requests drawn by Hypothesis from the OpenAPI document itself
(every operation, its path and query parameters and its body's schema), mixed with hostile
values (lone surrogates, 400-digit numbers, NaN, quarters out of range or in full-width digits,
keys of other institutions). No generated request may get a 500, and every refusal is problem
details.

In process (Starlette's test client over the app), on one copy of a database holding the
sample, as an administrator and as an evaluator.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.access import local_operator
from tracker.api.app import create_app
from tracker.config import sample_data_path
from tracker.db import make_engine
from tracker.migrate import upgrade
from tracker.tokens import create_token
from tracker.users import add_user
from tracker.writes.imports.importer import import_workbook

HOSTILE_TEXT = [
    "wigan-council", "test-valley-council", "no-such-institution", "indicator_values",
    "observations", "staff_turnover", "2025Q1", "2101Q1", "２０２５Q1", "1899Q4", "2025Q5", "",
    " ", "\ud800", "a\udfffb", "9" * 400, "-" * 300, "wigan-council|staff_turnover|2025Q3",
    "../../etc/passwd", "%00", "\x00", "[minutes](https://example.org)", "=cmd|' /C calc'!A0",
    "x" * 5000, "null", "true", "0x10", "1e999", "ｗｉｇａｎ",
]
HOSTILE_NUMBERS = [10**400, -(10**400), 2**63, 2**53 + 1, float("nan"), float("inf"), -0.0, 1e308]


def _text() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=30))


def _any_json() -> st.SearchStrategy[Any]:
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), _text(),
                        st.sampled_from(HOSTILE_NUMBERS))
    return st.recursive(scalars, lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(_text(), inner, max_size=3)), max_leaves=8)


class Schemas:
    """Hypothesis strategies for the schemas of one OpenAPI document."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.components = document.get("components", {}).get("schemas", {})

    def value(self, schema: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
        drawn = self._conforming(schema, depth)
        # Mostly what the schema asks for, sometimes anything at all.
        return st.one_of(drawn, drawn, drawn, _any_json()) if depth < 4 else drawn

    def _conforming(self, schema: dict[str, Any], depth: int) -> st.SearchStrategy[Any]:
        if "$ref" in schema:
            return self.value(self.components[schema["$ref"].rsplit("/", 1)[1]], depth + 1)
        for key in ("anyOf", "oneOf"):
            if key in schema:
                return st.one_of([self.value(s, depth + 1) for s in schema[key]])
        kind = schema.get("type")
        if kind == "object" or "properties" in schema or "additionalProperties" in schema:
            return self._object(schema, depth)
        if kind == "array":
            return st.lists(self.value(schema.get("items", {}), depth + 1), max_size=4)
        if kind == "integer":
            return st.one_of(st.integers(min_value=-5, max_value=2000),
                             st.sampled_from([0, -1, 10**400, 2**63]))
        if kind == "number":
            return st.one_of(st.floats(), st.sampled_from(HOSTILE_NUMBERS))
        if kind == "boolean":
            return st.booleans()
        if kind == "null":
            return st.none()
        if kind == "string":
            examples = [e for e in schema.get("examples", []) if isinstance(e, str)]
            return st.one_of(_text(), *([st.sampled_from(examples)] if examples else []))
        return _any_json()

    def _object(self, schema: dict[str, Any], depth: int) -> st.SearchStrategy[Any]:
        properties = schema.get("properties", {})
        required = set(schema.get("required", []))
        fixed = st.fixed_dictionaries(
            {k: self.value(v, depth + 1) for k, v in properties.items() if k in required},
            optional={k: self.value(v, depth + 1) for k, v in properties.items()
                      if k not in required},
        )
        extra = schema.get("additionalProperties")
        if not isinstance(extra, dict):
            return fixed
        keys = st.one_of(_text(), st.sampled_from(
            ["indicator_values", "observations", "institution", "indicator", "period", "value",
             "narrative", "stage", "note", "source"]))
        more = st.dictionaries(keys, self.value(extra, depth + 1), max_size=3)
        return st.tuples(fixed, more).map(lambda pair: {**pair[1], **pair[0]})


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict[str, str]]]:
    path: Path = tmp_path_factory.mktemp("fuzz") / "tracker.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    operator = local_operator()
    import_workbook(engine, sample_data_path(), actor=operator)
    add_user(engine, "ana", role="evaluator", password=None, actor=operator,
             institutions=("wigan-council",))
    add_user(engine, "root", role="admin", password=None, actor=operator)
    tokens = {name: create_token(engine, name, actor=operator)[0] for name in ("ana", "root")}
    with TestClient(create_app(engine), raise_server_exceptions=False) as test_client:
        yield test_client, tokens
    engine.dispose()


DOCUMENT = create_app(make_engine("sqlite://")).openapi()
SCHEMAS = Schemas(DOCUMENT)
OPERATIONS = [(path, method, operation) for path, methods in DOCUMENT["paths"].items()
              for method, operation in methods.items()]


def _rows() -> st.SearchStrategy[dict[str, Any]]:
    """Quarter sets whose rows are nearly right, so that hostile cells reach the write layer."""
    cell = st.one_of(_text(), st.sampled_from(HOSTILE_NUMBERS), st.floats(), st.integers(),
                     st.none(), st.booleans())
    common = {
        "institution": st.sampled_from(["wigan-council", "test-valley-council", "nowhere"]),
        "period": st.sampled_from(["2011Q1", "2011Q2", "2101Q1", "２０１１Q1", "2011q1"]),
    }
    value = st.fixed_dictionaries({
        **common, "indicator": st.sampled_from(["staff_turnover", "resident_trust", "nope"]),
        "value": cell}, optional={"source": cell, "note": cell})
    observation = st.fixed_dictionaries({
        **common, "stage": st.sampled_from(["full_implementation", "exploration", "x"]),
        "narrative": cell}, optional={"evidence": cell})
    return st.fixed_dictionaries(
        {"tables": st.fixed_dictionaries({}, optional={
            "indicator_values": st.lists(value, min_size=1, max_size=3),
            "observations": st.lists(observation, min_size=1, max_size=3)})},
        optional={"correct": st.booleans(), "reason": _text()},
    )


def _request(path: str, operation: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    parameters = operation.get("parameters", [])
    in_path = {p["name"]: SCHEMAS.value(p.get("schema", {})) for p in parameters
               if p["in"] == "path"}
    in_query = {p["name"]: SCHEMAS.value(p.get("schema", {})) for p in parameters
                if p["in"] == "query"}
    body_schema = (operation.get("requestBody", {}).get("content", {})
                   .get("application/json", {}).get("schema"))
    return st.fixed_dictionaries({
        "path": st.fixed_dictionaries(in_path),
        "query": st.fixed_dictionaries({}, optional=in_query),
        "body": (st.one_of(SCHEMAS.value(body_schema), _rows(), _rows()) if "quarter-sets" in path
                 else SCHEMAS.value(body_schema) if body_schema else st.none()),
        "user": st.sampled_from(["ana", "root"]),
    })


def _url(template: str, values: dict[str, Any], query: dict[str, Any]) -> str:
    def quoted(value: Any) -> str:
        text = value if isinstance(value, str) else json.dumps(value)
        return urllib.parse.quote(text, safe="", errors="surrogatepass")

    for name, value in values.items():
        template = template.replace("{" + name + "}", quoted(value))
    pairs = [f"{quoted(k)}={quoted(v)}" for k, v in query.items()]
    return template + ("?" + "&".join(pairs) if pairs else "")


@pytest.mark.parametrize(("path", "method", "operation"), OPERATIONS,
                         ids=[f"{m.upper()} {p}" for p, m, _ in OPERATIONS])
def test_no_generated_request_gets_a_500(
    client: tuple[TestClient, dict[str, str]], path: str, method: str,
    operation: dict[str, Any],
) -> None:
    test_client, tokens = client

    @settings(max_examples=40, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(request=_request(path, operation))
    def check(request: dict[str, Any]) -> None:
        url = _url(path, request["path"], request["query"])
        headers = {"Authorization": f"Bearer {tokens[request['user']]}",
                   "Content-Type": "application/json"}
        content = None
        if method in ("post", "put", "patch"):
            # ensure_ascii: lone surrogates travel as \ud800 escapes, NaN as NaN.
            content = json.dumps(request["body"]).encode()
        response = test_client.request(method.upper(), url, headers=headers, content=content)
        assert response.status_code < 500, f"{method.upper()} {url}: {response.text[:500]}"
        if response.status_code >= 400:
            assert response.headers["content-type"] == "application/problem+json", url

    check()
