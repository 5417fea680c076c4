"""360Giving Data Standard grants (JSON: a package whose `grants` list holds grants with `id`,
`title`, `recipientOrganization[].id`, `fundingOrganization[].name`,
`plannedDates[].startDate/endDate` or `plannedDates[].duration` in months, `awardDate`,
`dateModified`).

A grant becomes a partner engagement of the recipient institution: the funder works with it
from the planned start (or the award date) to the planned end, whose passing is a partner
withdrawal.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from tracker.sources.delimited import read_json
from tracker.sources.records import Grant, Grants, record_problem
from tracker.workbook.problems import Problem


def _date(
    value: Any, file: str, record: str, field: str, problems: list[Problem]
) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        problems.append(record_problem(file, record, field, f"{value!r} is not a date"))
        return None


def _end_of(start: dt.date | None, duration: Any) -> dt.date | None:
    """The last day of a grant of `duration` months (plannedDates.duration) from `start`."""
    if start is None or isinstance(duration, bool) or not isinstance(duration, int | float):
        return None
    months = start.month - 1 + int(duration)
    year, month = start.year + months // 12, months % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day) - dt.timedelta(days=1)


def _ids(items: Any, key: str) -> tuple[str, ...]:
    if not isinstance(items, list):
        return ()
    return tuple(str(i[key]).strip() for i in items if isinstance(i, dict) and i.get(key))


def read_360giving(path: Path) -> Grants:
    """Read a 360Giving JSON data package."""
    data, problems = read_json(path)
    if problems:
        return Grants(path.name, [], problems)
    grants = data.get("grants") if isinstance(data, dict) else None
    if not isinstance(grants, list) or not all(isinstance(g, dict) for g in grants):
        return Grants(path.name, [], [Problem(path.name, None, "grants", (
            "a 360Giving data package is an object whose grants is a list of grants"))])
    out = []
    for number, grant in enumerate(grants, start=1):
        record = f"grant {grant.get('id') or f'number {number}'}"
        planned = grant.get("plannedDates") or [{}]
        planned = planned[0] if isinstance(planned, list) and planned else {}
        if not grant.get("id"):
            problems.append(record_problem(path.name, record, "id", "is missing"))
        recipients = _ids(grant.get("recipientOrganization"), "id")
        if not recipients:
            problems.append(record_problem(path.name, record, "recipientOrganization",
                                           "names no recipient organisation id"))
        start = _date(planned.get("startDate"), path.name, record, "plannedDates.startDate",
                      problems)
        award_date = _date(grant.get("awardDate"), path.name, record, "awardDate", problems)
        # Publishers often give a duration in months and no end date.
        end = _date(planned.get("endDate"), path.name, record, "plannedDates.endDate",
                    problems) or _end_of(start or award_date, planned.get("duration"))
        out.append(Grant(
            record=record,
            id=str(grant.get("id") or ""),
            title=str(grant.get("title") or ""),
            recipients=recipients,
            funders=_ids(grant.get("fundingOrganization"), "name"),
            start=start,
            end=end,
            award_date=award_date,
            # Without dateModified, the grant's content versions it.
            modified=str(grant.get("dateModified") or hashlib.sha256(
                json.dumps(grant, sort_keys=True).encode()).hexdigest()[:16]),
        ))
    return Grants(path.name, out, problems)
