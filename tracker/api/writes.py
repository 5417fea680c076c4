"""Writing: a quarter set (rows of workbook tables, with `dryRun`), one record with
`If-Match`, and submitting and reopening a quarter. All through the write layer
(`tracker.writes`): validate → plan → permission → apply → audit, in one transaction, with
the token's user as the actor the audit log names."""

from __future__ import annotations

from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Header, Query, Response
from fastapi import Path as FastPath
from pydantic import BaseModel, ConfigDict, Field

from tracker.access import Actor
from tracker.api.auth import ActorDep, EngineDep
from tracker.api.docs import problem_example, responses
from tracker.api.inputs import Cell, Text, Whole, checked_quarter
from tracker.api.problems import ApiProblem
from tracker.api.reads import InstitutionPath, RecordPath, TablePath, find_record
from tracker.api.records import etag
from tracker.config import setting_int
from tracker.db import read_session
from tracker.workbook.problems import Problem, WorkbookRefused
from tracker.workbook.raw import HEADER_ROW
from tracker.workbook.schema import TABLE_MAP
from tracker.writes.history.conflicts import ConflictRefused, ExpectedVersions
from tracker.writes.imports.importer import ImportReport
from tracker.writes.imports.plan import record_key
from tracker.writes.imports.rows import write_rows
from tracker.writes.quarter import review
from tracker.writes.quarter.locks import LockedQuarterProblem, as_utc
from tracker.writes.quarter.state import QuarterState, quarter_state

router = APIRouter(prefix="/v1")
SOURCE = "api"


_ROWS_EXAMPLE: dict[str, Any] = {
    "indicator_values": [
        {"institution": "wigan-council", "indicator": "staff_turnover", "period": "2025Q2",
         "value": 0.63, "source": "resident survey"},
    ],
    "observations": [
        {"institution": "wigan-council", "period": "2025Q2", "stage": "full_implementation",
         "narrative": "Commissioning panel met the residents' forum."},
    ],
}


class QuarterSet(BaseModel):
    """Rows of one or more workbook tables: the same columns and rules as the workbook."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"tables": _ROWS_EXAMPLE}]})

    tables: dict[Text, list[dict[Text, Cell]]] = Field(
        description="table name → rows, each a mapping of the workbook's column names to cells "
        "(text, numbers, booleans; dates as YYYY-MM-DD, quarters as YYYYQn).",
    )
    correct: bool = Field(
        False, description="Allow rows that change stored values (as `import --correct`); the "
        "old values are kept in history. Needs `reason`.",
    )
    reason: Text | None = Field(None, description="Why the values are corrected (audited).")
    versions: dict[Text, dict[Text, Whole]] | None = Field(
        None, description="table → record key → the version you read: a record written since "
        "is refused with 412 and what changed.",
    )


class RecordWrite(BaseModel):
    """A record's new values (its workbook columns) and why they change."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "values": {"institution": "wigan-council", "indicator": "staff_turnover",
                   "period": "2025Q1", "value": 0.64},
        "reason": "survey re-weighted",
    }]})

    values: dict[Text, Cell] = Field(description="The record's columns (identity included).")
    reason: Text = Field(description="Why the value changes (kept in the audit log).")


class Reopening(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "late invoice data"}]})

    reason: Text = Field(description="Why the submitted quarter is reopened (audited).")


_SUMMARY = {
    "dry_run": True, "written": False,
    "tables": {"indicator_values": {"new": 1, "corrected": 0, "unchanged": 0},
               "observations": {"new": 1, "corrected": 0, "unchanged": 0}},
    "summary": "Dry run: nothing was written. The import would make these changes: …",
}
_BAD_ROW = problem_example(
    422, "The workbook has 1 problem:\n  api [indicator_values], row 2, column \"value\": "
    "'lots' is not a number\nNothing was written.",
    problems=[{"table": "indicator_values", "index": 0, "field": "value",
               "message": "'lots' is not a number"}],
)
_LOCKED = problem_example(
    409, "The workbook has 1 problem: … wigan-council 2025Q1 is locked (submitted by ana at "
    "2025-04-02 09:14 UTC) …\nNothing was written.",
    locks=[{"institution": "wigan-council", "period": "2025Q1", "submitted_by": "ana",
            "submitted_at": "2025-04-02T09:14:00+00:00"}],
    problems=[{"table": "indicator_values", "index": 0, "field": "period",
               "message": "wigan-council 2025Q1 is locked (submitted by ana at …)"}],
)


def _frames(tables: dict[str, list[dict[str, Cell]]]) -> dict[str, pd.DataFrame]:
    # object dtype: cells stay what the client sent (no float coercion of integers).
    return {name: pd.DataFrame(rows, dtype=object) for name, rows in tables.items()}


def _located(problem: Problem, tables: dict[str, str]) -> dict[str, Any]:
    """A problem located as the client posted it: table, index in its list, field."""
    index = None if problem.row is None else problem.row - HEADER_ROW - 1
    return {"table": tables.get(problem.file), "index": index, "field": problem.column,
            "message": problem.message}


def _refused_rows(refused: WorkbookRefused, table_names: list[str]) -> ApiProblem:
    tables = {f"{SOURCE} [{name}]": name for name in table_names}
    problems = [_located(p, tables) for p in refused.problems]
    detail = f"{refused.report()}\nNothing was written."
    locks = [p.lock for p in refused.problems if isinstance(p, LockedQuarterProblem) and p.lock]
    if locks and len(locks) == len(refused.problems):
        unique = {(lock.institution, lock.period): lock for lock in locks}
        return ApiProblem(409, detail, kind="locked", problems=problems, locks=[
            {"institution": lock.institution, "period": lock.period,
             "submitted_by": lock.submitted_by,
             "submitted_at": as_utc(lock.submitted_at).isoformat()}
            for lock in unique.values()
        ])
    return ApiProblem(422, detail, kind="invalid", problems=problems)


def _write(
    engine: Any, actor: Actor, tables: dict[str, list[dict[str, Cell]]], *, correct: bool,
    reason: str | None, versions: ExpectedVersions | None, dry_run: bool,
) -> ImportReport:
    try:
        return write_rows(engine, _frames(tables), actor=actor, correct=correct, reason=reason,
                          expected_versions=versions, source=SOURCE, dry_run=dry_run)
    except WorkbookRefused as refused:
        raise _refused_rows(refused, list(tables)) from refused
    except ConflictRefused as refused:
        # A record written since the version the client read: 412; two clients adding the
        # same record at once (no version was given for it): 409.
        status = 412 if versions else 409
        raise ApiProblem(status, str(refused), kind="changed") from refused


def _summary(report: ImportReport) -> dict[str, Any]:
    return {"dry_run": report.dry_run, "written": not report.dry_run and report.changed,
            "tables": report.counts(), "summary": report.summary()}


@router.post("/quarter-sets", summary="Post a quarter set (bulk rows, with dry run)",
             tags=["write"],
             responses=responses(_SUMMARY, errors=(401, 403, 409, 412, 413, 422),
                                 problems={422: _BAD_ROW, 409: _LOCKED}))
def post_quarter_set(
    actor: ActorDep, engine: EngineDep, body: QuarterSet,
    dry_run: Annotated[bool, Query(alias="dryRun", description="Check and report; write "
                                   "nothing.")] = False,
) -> dict[str, Any]:
    """Rows of one or more workbook tables, all or nothing, as `tracker import` would take
    them: the import summary (new, corrected, unchanged per table). Every problem is listed
    with its table, its index in that table's list and its field (422); rows in a submitted
    quarter give 409 with who submitted it; a changed value needs `correct` and `reason`."""
    rows = sum(len(r) for r in body.tables.values())
    if rows > setting_int("TRACKER_API_MAX_ROWS"):
        raise ApiProblem(413, f"The quarter set holds {rows:,} rows, more than "
                         f"{setting_int('TRACKER_API_MAX_ROWS'):,} (TRACKER_API_MAX_ROWS): post "
                         "them in batches.", kind="too-large")
    report = _write(engine, actor, body.tables, correct=body.correct, reason=body.reason,
                    versions=body.versions, dry_run=dry_run)
    return _summary(report)


def _if_match(header: str | None) -> int:
    if header is None:
        raise ApiProblem(428, "A write to a record needs If-Match: the ETag of the version you "
                         "read.", kind="if-match")
    tag = header.strip().removeprefix("W/").strip('"')
    if not tag.isdigit():
        raise ApiProblem(400, f"If-Match {header!r} is not an ETag this API gave (e.g. \"3\").",
                         kind="if-match")
    return int(tag)


@router.put("/institutions/{institution}/records/{table}/{record}", summary="Change a record",
            tags=["write"],
            responses=responses({"record": "wigan-council|staff_turnover|2025Q1", "version": 3,
                                 "values": {"value": 0.64}},
                                errors=(400, 401, 403, 404, 409, 412, 422, 428)))
def put_record(
    actor: ActorDep, engine: EngineDep, institution: InstitutionPath, table: TablePath,
    record: RecordPath, body: RecordWrite, response: Response,
    if_match: Annotated[str | None, Header(description="The ETag of the version you read.")]
    = None,
) -> dict[str, Any]:
    """Correct one record. `If-Match` must be the version you read: if someone wrote the
    record since, 412 says what changed; in a submitted quarter, 409 says who submitted it."""
    seen = _if_match(if_match)
    find_record(actor, engine, institution, table, record)
    key = record_key(TABLE_MAP[table], {c: body.values.get(c) for c in TABLE_MAP[table].identity})
    if key != record:
        raise ApiProblem(422, f"The values name the record {key!r}, not {record!r}: a record's "
                         "identity columns cannot change.", kind="identity")
    if body.values.get("institution", institution) != institution:
        raise ApiProblem(422, f"The values belong to {body.values.get('institution')!r}, not "
                         f"{institution!r}.", kind="identity")
    _write(engine, actor, {table: [body.values]}, correct=True, reason=body.reason,
           versions={table: {record: seen}}, dry_run=False)
    item = find_record(actor, engine, institution, table, record)
    response.headers["ETag"] = etag(item["version"])
    return item


def _when(moment: Any) -> str | None:
    return as_utc(moment).isoformat() if moment is not None else None


def _state_json(state: QuarterState) -> dict[str, Any]:
    lock = state.lock
    return {
        "institution": state.institution, "period": state.period, "state": state.state,
        "locked": state.locked, "description": state.describe(),
        "submitted_by": lock.submitted_by if lock else state.submitted_by,
        "submitted_at": _when(lock.submitted_at if lock else state.submitted_at),
        "approved_by": state.approved_by, "approved_at": _when(state.approved_at),
        "returned_by": state.returned_by, "returned_at": _when(state.returned_at),
        "return_reason": state.return_reason,
        "reopened_by": state.reopened_by, "reopened_at": _when(state.reopened_at),
        "reopen_reason": state.reopen_reason,
    }


PeriodPath = Annotated[str, FastPath(description="The quarter, written YYYYQn.",
                                     examples=["2025Q1"])]
_STATE = {"institution": "wigan-council", "period": "2025Q1", "state": "submitted",
          "locked": True, "description": "locked (submitted by ana at 2025-04-02 09:14 UTC)",
          "submitted_by": "ana", "submitted_at": "2025-04-02T09:14:00+00:00",
          "approved_by": None, "approved_at": None, "returned_by": None, "returned_at": None,
          "return_reason": None, "reopened_by": None, "reopened_at": None,
          "reopen_reason": None}


@router.get("/institutions/{institution}/quarters/{period}", summary="A quarter's state",
            tags=["quarters"], responses=responses(_STATE, errors=(401, 403, 404)))
def get_quarter(
    actor: ActorDep, engine: EngineDep, institution: InstitutionPath, period: PeriodPath,
) -> dict[str, Any]:
    """Whether an institution's quarter is open, submitted (locked, by whom) or reopened."""
    period = checked_quarter(period)
    from tracker.api.records import readable_institution

    with read_session(engine) as session:
        readable_institution(session, actor, institution)
        return _state_json(quarter_state(session, institution=institution, period=period))


@router.post("/institutions/{institution}/quarters/{period}/submit", summary="Submit a quarter",
             tags=["quarters"], responses=responses(_STATE, errors=(401, 403, 409)))
def submit(
    actor: ActorDep, engine: EngineDep, institution: InstitutionPath, period: PeriodPath,
) -> dict[str, Any]:
    """Submit (and so lock) a quarter, as `tracker quarter submit`; 409 when it already is."""
    period = checked_quarter(period)
    return _state_json(review.submit(engine, institution=institution, period=period,
                                     actor=actor))


@router.post("/institutions/{institution}/quarters/{period}/reopen", summary="Reopen a quarter",
             tags=["quarters"],
             responses=responses({**_STATE, "state": "open", "locked": False,
                                  "description": "open (reopened by root at …: late data)",
                                  "reopened_by": "root", "reopen_reason": "late data"},
                                 errors=(401, 403, 409)))
def reopen(
    actor: ActorDep, engine: EngineDep, institution: InstitutionPath, period: PeriodPath,
    body: Reopening,
) -> dict[str, Any]:
    """Reopen a submitted quarter with a reason (administrators), as `tracker quarter reopen`."""
    period = checked_quarter(period)
    return _state_json(review.reopen(engine, institution=institution, period=period,
                                     actor=actor, reason=body.reason))


class Returning(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "reason": "Q1 staff turnover looks like a typo: 130?"}]})

    reason: Text = Field(description="What to correct (as `--reason`: audited, and shown to "
                        "the evaluator in the quarter's thread).")


@router.post("/institutions/{institution}/quarters/{period}/approve",
             summary="Approve a quarter", tags=["quarters"],
             responses=responses({**_STATE, "state": "approved", "approved_by": "rita"},
                                 errors=(401, 403, 409)))
def approve(
    actor: ActorDep, engine: EngineDep, institution: InstitutionPath, period: PeriodPath,
) -> dict[str, Any]:
    """Approve a submitted quarter (reviewers and administrators, not its submitter), as
    `tracker quarter approve`; it stays locked."""
    period = checked_quarter(period)
    return _state_json(review.approve(engine, institution=institution, period=period,
                                      actor=actor))


@router.post("/institutions/{institution}/quarters/{period}/return",
             summary="Return a quarter for corrections", tags=["quarters"],
             responses=responses({**_STATE, "state": "returned", "locked": False,
                                  "returned_by": "rita", "return_reason": "typo?"},
                                 errors=(401, 403, 409)))
def return_quarter(
    actor: ActorDep, engine: EngineDep, institution: InstitutionPath, period: PeriodPath,
    body: Returning,
) -> dict[str, Any]:
    """Return a submitted quarter with a comment (reviewers and administrators, not its
    submitter), as `tracker quarter return`; it is open for corrections again."""
    period = checked_quarter(period)
    return _state_json(review.return_(engine, institution=institution, period=period,
                                      actor=actor, comment=body.reason))
