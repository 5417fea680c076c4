"""Reading: institutions, indicators, an institution's records, one record (with its ETag),
the history of values and the audit log. Scope is `tracker.scope`'s, as for `--as USER`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response
from sqlalchemy import select

from tracker import models
from tracker.api.auth import ActorDep, EngineDep
from tracker.api.docs import responses
from tracker.api.paging import CursorQuery, LimitQuery, decode_cursor, encode_cursor, page
from tracker.api.problems import ApiProblem
from tracker.api.records import (
    RECORD_TABLES,
    check_record_table,
    etag,
    readable_institution,
    readable_records,
    record_items,
)
from tracker.db import read_session
from tracker.queries import read_table
from tracker.scope import readable_institutions
from tracker.writes.history.audit_log import audit_entries
from tracker.writes.history.versions import institution_history

router = APIRouter(prefix="/v1")

InstitutionPath = Annotated[str, Path(description="The institution's key.",
                                      examples=["wigan-council"])]
TablePath = Annotated[str, Path(description=f"A table of records: {', '.join(RECORD_TABLES)}.",
                                examples=["indicator_values"])]
RecordPath = Annotated[str, Path(description="The record key (identity columns joined by |).",
                                 examples=["wigan-council|staff_turnover|2025Q1"])]

_INSTITUTION = {
    "record": "wigan-council", "version": 1,
    "values": {"key": "wigan-council", "name": "Wigan Council", "kind": "local_authority",
               "place": "wigan"},
}
_VALUE = {
    "record": "wigan-council|staff_turnover|2025Q1", "version": 2,
    "values": {"institution": "wigan-council", "indicator": "staff_turnover",
               "period": "2025Q1", "value": 0.61, "source": "resident survey", "note": None},
}


@router.get("/me", summary="Who the token acts as", tags=["access"],
            responses=responses({"name": "ana", "role": "evaluator",
                                 "institutions": ["wigan-council"], "portfolios": []},
                                errors=(401,)))
def me(actor: ActorDep) -> dict[str, Any]:
    """The user this token acts as: their role and scope (exactly as `--as USER`)."""
    return {"name": actor.name, "role": actor.role, "institutions": sorted(actor.institutions),
            "portfolios": sorted(actor.portfolios)}


@router.get("/institutions", summary="Institutions you may read", tags=["read"],
            responses=responses({"items": [_INSTITUTION], "next": None}, errors=(400, 401)))
def list_institutions(
    actor: ActorDep, engine: EngineDep, limit: LimitQuery = 100, cursor: CursorQuery = None,
) -> dict[str, Any]:
    """The institutions you may read, by key, a page at a time (follow `next`)."""
    after = decode_cursor(cursor)
    with read_session(engine) as session:
        readable = readable_institutions(session, actor)
        stmt = select(models.Institution.key).order_by(models.Institution.key)
        if after:
            stmt = stmt.where(models.Institution.key > str(after[0]))
        if readable is None:
            keys = list(session.scalars(stmt.limit(limit + 1)))
        else:
            keys = [k for k in session.scalars(stmt) if k in readable][: limit + 1]
        chosen = keys[:limit]
        frame = read_table(session, "institutions", institutions=chosen, with_ids=True)
    items = sorted(record_items("institutions", frame), key=lambda i: i["record"])
    more = len(keys) > limit
    return {"items": items, "next": encode_cursor([chosen[-1]]) if more and chosen else None}


@router.get("/indicators", summary="Indicator definitions", tags=["read"],
            responses=responses({"items": [{
                "record": "staff_turnover", "version": 1,
                "values": {"key": "staff_turnover", "name": "Residents who trust the council",
                           "unit": "share", "direction": "higher_is_better"},
            }], "next": None}, errors=(400, 401)))
def list_indicators(
    actor: ActorDep, engine: EngineDep, limit: LimitQuery = 100, cursor: CursorQuery = None,
) -> dict[str, Any]:
    """Every indicator definition (shared by all institutions, read by every user)."""
    with read_session(engine) as session:
        frame = read_table(session, "indicators", with_ids=True)
    items, next_cursor = page(record_items("indicators", frame), key=lambda i: [i["record"]],
                              cursor=cursor, limit=limit)
    return {"items": items, "next": next_cursor}


@router.get("/institutions/{institution}/records/{table}", summary="An institution's records",
            tags=["read"],
            responses=responses({"items": [_VALUE], "next": None}, errors=(400, 401, 403, 404)))
def list_records(
    actor: ActorDep, engine: EngineDep, institution: InstitutionPath, table: TablePath,
    period: Annotated[str | None, Query(description="Only this quarter (YYYYQn).")] = None,
    limit: LimitQuery = 100, cursor: CursorQuery = None,
) -> dict[str, Any]:
    """The rows of one workbook table for one institution, each with its record key and
    `version` (send it back as `If-Match` or in a quarter set's `versions`)."""
    check_record_table(table)
    with read_session(engine) as session:
        readable_institution(session, actor, institution)
        frame = read_table(session, table, institutions=[institution], with_ids=True)
        if period is not None and "period" in frame.columns:
            frame = frame[frame["period"] == period]
        items = readable_records(session, actor, table, record_items(table, frame))
    chosen, next_cursor = page(items, key=lambda i: [i["record"]], cursor=cursor, limit=limit)
    return {"items": chosen, "next": next_cursor}


@router.get("/institutions/{institution}/records/{table}/{record}", summary="One record",
            tags=["read"],
            responses=responses(_VALUE, errors=(401, 403, 404),
                                headers={"ETag": {"description": "The record's version",
                                                  "schema": {"type": "string"}}}))
def get_record(
    actor: ActorDep, engine: EngineDep, institution: InstitutionPath, table: TablePath,
    record: RecordPath, response: Response,
) -> dict[str, Any]:
    """One record with its version as the `ETag` (give it as `If-Match` when you change it)."""
    item = find_record(actor, engine, institution, table, record)
    response.headers["ETag"] = etag(item["version"])
    return item


def find_record(
    actor: Any, engine: Any, institution: str, table: str, record: str
) -> dict[str, Any]:
    check_record_table(table)
    with read_session(engine) as session:
        readable_institution(session, actor, institution)
        frame = read_table(session, table, institutions=[institution], with_ids=True)
        items = readable_records(session, actor, table, record_items(table, frame))
    found = next((i for i in items if i["record"] == record), None)
    if found is None:
        raise ApiProblem(404, f"{institution} has no {table} record {record!r}.", kind="record")
    return found


@router.get("/institutions/{institution}/history", summary="History of values", tags=["read"],
            responses=responses({"items": [{
                "table": "indicator_values", "record": "wigan-council|staff_turnover|2025Q1",
                "version": 1, "current": False, "data": {"value": 0.58},
                "recorded_by": "ana", "recorded_at": "2025-04-02T09:14:00+00:00",
                "reason": None,
            }], "next": None}, errors=(400, 401, 403, 404)))
def history(
    actor: ActorDep, engine: EngineDep, institution: InstitutionPath,
    table: Annotated[str, Query(description="The workbook table.")] = "indicator_values",
    indicator: Annotated[str | None, Query(description="Only this indicator.")] = None,
    period: Annotated[str | None, Query(description="Only this quarter (YYYYQn).")] = None,
    limit: LimitQuery = 100, cursor: CursorQuery = None,
) -> dict[str, Any]:
    """Every version of an institution's values (as `tracker history --format json`): who
    recorded each, when and why, oldest first per record."""
    check_record_table(table)
    with read_session(engine) as session:
        readable_institution(session, actor, institution)
        versions = institution_history(session, institution=institution, table=table,
                                       indicator=indicator, period=period)
        items = readable_records(session, actor, table, [v.to_json() for v in versions],
                                 values="data")
    chosen, next_cursor = page(items, key=lambda i: [i["record"], i["version"]], cursor=cursor,
                               limit=limit)
    return {"items": chosen, "next": next_cursor}


@router.get("/audit", summary="The audit log", tags=["read"],
            responses=responses({"items": [{
                "id": 41, "at": "2025-04-02T09:14:00+00:00", "actor": "ana", "action": "add",
                "table": "indicator_values", "record": "wigan-council|staff_turnover|2025Q1",
                "before": None, "after": {"value": 0.61}, "reason": None,
                "detail": {"source": "api", "version": 1},
            }], "next": None}, errors=(400, 401)))
def audit(
    actor: ActorDep, engine: EngineDep,
    since: Annotated[dt.date | None, Query(description="From this day on (UTC).")] = None,
    limit: LimitQuery = 100, cursor: CursorQuery = None,
) -> dict[str, Any]:
    """The audit entries you may see (as `tracker audit --format json`), oldest first."""
    after = decode_cursor(cursor)
    if after is not None and not (len(after) == 1 and isinstance(after[0], int)):
        raise ApiProblem(400, f"{cursor!r} is not a cursor of this list: use the `next` given.",
                         kind="cursor")
    with read_session(engine) as session:
        entries = audit_entries(session, actor=actor, since=since,
                                after=after[0] if after else None, limit=limit + 1)
    items = [e.to_json() for e in entries[:limit]]
    more = len(entries) > limit
    return {"items": items, "next": encode_cursor([items[-1]["id"]]) if more else None}
