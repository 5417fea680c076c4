"""`tracker history` and `tracker audit`: the versions of every value of an institution, and
the audit log."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Annotated, Any

import typer

from tracker.commands.common import (
    AsOption,
    DbOption,
    Refused,
    acting,
    engine_for,
    out,
)
from tracker.commands.quarter import InstitutionOption


def _history_lines(versions: list[Any], locks: dict[str, str]) -> list[str]:
    """Plain lines, one record then one line per version (readable in any terminal width)."""
    from tracker.workbook.schema import TABLE_MAP
    from tracker.writes.imports.values import text
    from tracker.writes.quarter.locks import when_text

    lines: list[str] = []
    previous = None
    for v in versions:
        if v.record_key != previous:
            previous = v.record_key
            period = v.data.get("period")
            lock = f" — quarter {period} {locks[period]}" if period in locks else ""
            lines.append(f"{v.table} {v.record_key}{lock}")
        identity = set(TABLE_MAP[v.table].identity)
        values = ", ".join(
            f"{k} {text(val)}" for k, val in v.data.items() if k not in identity and val is not None
        )
        state = " (current)" if v.current else ""
        if v.event == "retracted":
            state += " RETRACTED: out of every read and the analysis"
        elif v.event == "restored":
            state += " RESTORED: back in every read"
        elif v.retracted:
            state += " (retracted)"
        reason = f" — reason: {v.reason}" if v.reason else ""
        lines.append(
            f"  version {v.version}{state}: {values} — recorded by {v.recorded_by} at "
            f"{when_text(v.recorded_at)}{reason}"
        )
    return lines


def history_command(
    institution: InstitutionOption,
    indicator: Annotated[str | None, typer.Option(help="Only this indicator.")] = None,
    period: Annotated[str | None, typer.Option(help="Only this quarter (YYYYQn).")] = None,
    table: Annotated[
        str, typer.Option(help="The workbook table (indicator_values, observations, decisions…).")
    ] = "indicator_values",
    format: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    db: DbOption = None,
    as_user: AsOption = None,
) -> None:
    """Every version of an institution's values, with who recorded each, when and why."""
    from tracker.db import read_session
    from tracker.scope import record_scope, require_institution
    from tracker.workbook.schema import TABLE_MAP
    from tracker.writes.history.versions import institution_history
    from tracker.writes.quarter.locks import quarter_locks

    if format not in ("table", "json"):
        raise Refused(f"--format must be table or json, not {format!r}.")
    if table not in TABLE_MAP or table in ("places", "institutions", "indicators"):
        raise Refused(f"--table must be a table of an institution's records, not {table!r}.")
    engine = engine_for(db)
    actor = acting(engine, as_user)
    with read_session(engine) as session:
        require_institution(session, actor, institution)
        versions = institution_history(
            session, institution=institution, table=table, indicator=indicator, period=period
        )
        scope = record_scope(session, actor)
        versions = [v for v in versions if scope.allows(table, v.record_key, v.data)]
        locks = {
            p: lock.describe()
            for (_, p), lock in quarter_locks(session, institutions=[institution]).items()
        }
    if format == "json":
        payload = {
            "institution": institution,
            "table": table,
            "locked_quarters": locks,
            "versions": [v.to_json() for v in versions],
        }
        typer.echo(json.dumps(payload, indent=2))
        return
    if not versions:
        out.print(f"No {table} recorded for {institution} with these filters.", markup=False)
        return
    for line in _history_lines(versions, locks):
        out.print(line, markup=False)


def _since(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise Refused(f"--since must be a date written YYYY-MM-DD, not {value!r}.") from error


def audit_command(
    since: Annotated[
        str | None, typer.Option(help="Only entries from this day on (YYYY-MM-DD, UTC).")
    ] = None,
    format: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
    db: DbOption = None,
    as_user: AsOption = None,
) -> None:
    """The audit log: who wrote what, when, before and after, and why."""
    from tracker.db import read_session
    from tracker.writes.history.audit_log import audit_entries

    if format not in ("table", "json", "csv"):
        raise Refused(f"--format must be table, json or csv, not {format!r}.")
    day = _since(since)
    engine = engine_for(db)
    actor = acting(engine, as_user)
    with read_session(engine) as session:
        entries = [e.to_json() for e in audit_entries(session, actor=actor, since=day)]
    if format == "json":
        # Plain print: rich would wrap or colour a document that scripts parse.
        typer.echo(json.dumps({"since": since, "entries": entries}, indent=2))
    elif format == "csv":
        typer.echo(_audit_csv(entries), nl=False)
    else:
        for entry in entries:
            out.print(_audit_line(entry), markup=False)


_JSON_FIELDS = ("before", "after", "detail")


def _audit_csv(entries: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    columns = ["id", "at", "actor", "action", "table", "record", "reason", *_JSON_FIELDS]
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for entry in entries:
        row = {c: entry[c] for c in columns}
        for name in _JSON_FIELDS:
            row[name] = "" if entry[name] is None else json.dumps(entry[name], sort_keys=True)
        writer.writerow(row)
    return buffer.getvalue()


def _audit_line(entry: dict[str, Any]) -> str:
    """One entry as a line: when, who, what, which record, why, and what changed."""
    from tracker.writes.history.versions import differences, differences_text

    parts = [entry["at"][:19].replace("T", " ") + " UTC", entry["actor"], entry["action"]]
    record = " ".join(x for x in (entry["table"], entry["record"]) if x)
    if record:
        parts.append(record)
    before, after, detail = entry["before"], entry["after"], entry["detail"] or {}
    if before and after:
        parts.append(differences_text(differences(before, after)))
    elif after:
        parts.append(", ".join(f"{k} {v}" for k, v in after.items() if v is not None))
    if entry["action"] == "import":
        parts.append(f"from {detail.get('source')}")
    if entry["reason"]:
        parts.append(f"reason: {entry['reason']}")
    return "  ".join(parts)
