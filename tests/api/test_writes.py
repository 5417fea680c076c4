"""Writing over real HTTP: quarter sets with dry run, corrections with reasons, 412 on a
stale version, 409 on a submitted quarter, bad rows located by table, index and field; the
audit log names the token's user for every write; revoked and expired tokens refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select, update

from tests.api.conftest import Api
from tracker import models
from tracker.access import local_operator
from tracker.tokens import create_token, revoke_tokens

MINE = "wigan-council"
RECORD = f"/v1/institutions/{MINE}/records/indicator_values/{MINE}|staff_turnover|2024Q2"


def _value(period: str, value: Any, indicator: str = "staff_turnover") -> dict[str, Any]:
    return {"institution": MINE, "indicator": indicator, "period": period, "value": value}


def _counts(api: Api) -> tuple[int, int]:
    with api.engine.connect() as conn:
        values = conn.execute(select(func.count()).select_from(models.IndicatorValue)).scalar()
        audit = conn.execute(select(func.count()).select_from(models.AuditEntry)).scalar()
    return int(values or 0), int(audit or 0)


def _audit_since(api: Api, after: int) -> list[tuple[str, str]]:
    with api.engine.connect() as conn:
        rows = conn.execute(select(models.AuditEntry.actor, models.AuditEntry.action)
                            .where(models.AuditEntry.id > after).order_by(models.AuditEntry.id))
        return [(str(a), str(b)) for a, b in rows]


def _last_audit_id(api: Api) -> int:
    with api.engine.connect() as conn:
        return int(conn.execute(select(func.max(models.AuditEntry.id))).scalar() or 0)


def test_a_dry_run_reports_new_corrected_and_unchanged_and_writes_nothing(api: Api) -> None:
    stored = api.get("evaluator", RECORD).json()["values"]
    other = api.get("evaluator", RECORD.replace("2024Q2", "2024Q3")).json()["values"]
    body = {"tables": {"indicator_values": [
        _value("2032Q1", 10.5), _value("2024Q2", stored["value"] + 1), other,
    ]}, "correct": True, "reason": "re-counted"}
    before = _counts(api)
    response = api.post("evaluator", "/v1/quarter-sets?dryRun=true", json=body)
    assert response.status_code == 200, response.text
    assert response.json()["dry_run"] is True and response.json()["written"] is False
    assert response.json()["tables"]["indicator_values"] == {
        "new": 1, "corrected": 1, "unchanged": 1}
    assert _counts(api) == before


def test_a_quarter_set_is_written_and_audited_as_the_token_s_user(api: Api) -> None:
    after = _last_audit_id(api)
    body = {"tables": {
        "indicator_values": [_value("2032Q2", 9.5), _value("2032Q2", 40, "community_input_share")],
        "observations": [{"institution": MINE, "period": "2032Q2", "stage": "full_implementation",
                          "narrative": "Panel met the residents' forum."}],
    }}
    response = api.post("evaluator", "/v1/quarter-sets", json=body)
    assert response.status_code == 200, response.text
    assert response.json()["written"] is True
    assert response.json()["tables"]["observations"]["new"] == 1
    listed = api.get("evaluator", f"/v1/institutions/{MINE}/records/indicator_values"
                     "?period=2032Q2").json()["items"]
    assert {i["values"]["value"] for i in listed} == {9.5, 40}
    assert _audit_since(api, after) == [("ana", "add")] * 3


def test_a_correction_needs_a_reason(api: Api) -> None:
    stored = api.get("evaluator", RECORD).json()["values"]
    body = {"tables": {"indicator_values": [{**stored, "value": stored["value"] + 2}]}}
    unreasoned = api.post("evaluator", "/v1/quarter-sets", json=body)
    assert unreasoned.status_code == 422
    assert "--correct --reason TEXT" in unreasoned.json()["problems"][0]["message"]
    no_reason = api.post("evaluator", "/v1/quarter-sets", json={**body, "correct": True})
    assert no_reason.status_code == 422
    assert no_reason.json()["problems"][0]["message"] == "--correct needs --reason TEXT"


def test_a_bad_row_is_located_by_table_index_and_field(api: Api) -> None:
    body = {"tables": {
        "indicator_values": [_value("2033Q1", 1.0), _value("2033Q2", "lots")],
        "observations": [{"institution": MINE, "period": "2033Q1", "stage": "nonsense",
                          "narrative": "x"}],
    }}
    before = _counts(api)
    response = api.post("evaluator", "/v1/quarter-sets?dryRun=true", json=body)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    located = {(p["table"], p["index"], p["field"]) for p in response.json()["problems"]}
    assert located == {("indicator_values", 1, "value"), ("observations", 0, "stage")}
    assert "Nothing was written." in response.json()["detail"]
    assert _counts(api) == before


def test_a_stale_version_is_refused_with_412_and_what_changed(api: Api) -> None:
    after = _last_audit_id(api)
    read = api.get("evaluator", RECORD)
    values, seen = read.json()["values"], read.headers["ETag"]
    first = api.request("evaluator", "PUT", RECORD, headers={"If-Match": seen},
                        json={"values": {**values, "value": 21.0}, "reason": "retyped"})
    assert first.status_code == 200, first.text
    assert first.headers["ETag"] == f'"{read.json()["version"] + 1}"'
    stale = api.request("admin", "PUT", RECORD, headers={"If-Match": seen},
                        json={"values": {**values, "value": 22.0}, "reason": "mine"})
    assert stale.status_code == 412
    assert "changed by ana" in stale.json()["detail"] and "→ 21" in stale.json()["detail"]
    in_a_set = api.post("admin", "/v1/quarter-sets", json={
        "tables": {"indicator_values": [{**values, "value": 23.0}]}, "correct": True,
        "reason": "mine", "versions": {"indicator_values": {read.json()["record"]:
                                                            read.json()["version"]}}})
    assert in_a_set.status_code == 412
    assert api.get("admin", RECORD).json()["values"]["value"] == 21.0
    missing = api.request("admin", "PUT", RECORD, json={"values": values, "reason": "x"})
    assert missing.status_code == 428
    assert _audit_since(api, after) == [("ana", "correct")]


def test_a_submitted_quarter_is_refused_with_409_and_who_submitted_it(api: Api) -> None:
    after = _last_audit_id(api)
    submitted = api.post("evaluator", f"/v1/institutions/{MINE}/quarters/2034Q1/submit")
    assert submitted.status_code == 200
    again = api.post("evaluator", f"/v1/institutions/{MINE}/quarters/2034Q1/submit")
    assert again.status_code == 409 and "submitted by ana" in again.json()["detail"]
    locked = api.post("evaluator", "/v1/quarter-sets",
                      json={"tables": {"indicator_values": [_value("2034Q1", 3.0)]}})
    assert locked.status_code == 409
    assert locked.json()["locks"][0]["submitted_by"] == "ana"
    assert locked.json()["problems"][0]["field"] == "period"
    reopened = api.post("admin", f"/v1/institutions/{MINE}/quarters/2034Q1/reopen",
                        json={"reason": "late data"})
    assert reopened.status_code == 200 and reopened.json()["locked"] is False
    assert api.post("evaluator", "/v1/quarter-sets", json={
        "tables": {"indicator_values": [_value("2034Q1", 3.0)]}}).status_code == 200
    assert _audit_since(api, after) == [
        ("ana", "submit"), ("root", "reopen"), ("ana", "add")]


def test_errors_are_problem_details_never_a_traceback(api: Api) -> None:
    broken = api.request("evaluator", "POST", "/v1/quarter-sets", content=b"{not json",
                         headers={"content-type": "application/json"})
    assert broken.status_code == 422 and broken.json()["status"] == 422
    unknown_table = api.post("evaluator", "/v1/quarter-sets",
                             json={"tables": {"invoices": [{"institution": MINE}]}})
    assert unknown_table.status_code == 422
    assert "'invoices' is not a table" in unknown_table.json()["detail"]
    for response in (broken, unknown_table, api.get("evaluator", "/v1/nowhere")):
        assert response.headers["content-type"] == "application/problem+json"
        assert "Traceback" not in response.text


def test_revoked_and_expired_tokens_are_refused(api: Api) -> None:
    operator = local_operator()
    revoked, info = create_token(api.engine, "ana", actor=operator)
    headers = {"Authorization": f"Bearer {revoked}"}
    assert api.get(None, "/v1/me", headers=headers).status_code == 200
    revoke_tokens(api.engine, "ana", actor=operator, token_id=info.id)
    refused = api.get(None, "/v1/me", headers=headers)
    assert refused.status_code == 401 and refused.headers["WWW-Authenticate"].startswith("Bearer")
    expired, info = create_token(api.engine, "ana", actor=operator)
    with api.engine.begin() as conn:
        conn.execute(update(models.ApiToken).where(models.ApiToken.token_id == info.id)
                     .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))
    assert api.get(None, "/v1/me", headers={"Authorization": f"Bearer {expired}"}
                   ).status_code == 401
    with api.engine.connect() as conn:
        why = [d["why"] for d in conn.scalars(select(models.AuditEntry.detail).where(
            models.AuditEntry.action == "token_failed"))]
    assert why == ["revoked", "expired"]


def test_repeated_failures_are_throttled_with_429(api: Api) -> None:
    # Runs last in this module: from now on this client is throttled.
    statuses = [api.get(None, "/v1/me", headers={"Authorization": "Bearer trk_wrong"})
                .status_code for _ in range(5)]
    assert 429 in statuses and set(statuses) <= {401, 429}
    throttled = api.get("evaluator", "/v1/me")
    assert throttled.status_code == 429 and int(throttled.headers["Retry-After"]) > 0
