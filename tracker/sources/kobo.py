"""KoboToolbox exports: the CSV export (`;` or `,`; XML-name or label headers; an optional HXL
hashtag row; groups joined with "/"; select_multiple as one column or split 0/1 columns), the
XLSX export (repeat groups as child sheets with `_index`, `_parent_index`,
`_submission__uuid`) and the API's JSON submissions (`results`).

Identifiers: a submission's lasting id is `meta/rootUuid` where the export has it (an edited
submission keeps it and gets a new `_uuid`), else its `_id` (which an edit keeps too), else
`_uuid`; its version is `_uuid`.
`_validation_status` (the uid `validation_status_approved` or its label "Approved") becomes the
state approved, not_approved, on_hold or not_checked (no status set: empty, or `{}` as the
CSV export writes it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from tracker.sources.delimited import json_text, read_delimited, read_json
from tracker.sources.records import Submissions, record_problem
from tracker.workbook.problems import Problem

_STATES = {
    "": "not_checked",
    "{}": "not_checked",  # the CSV export's empty status object: no status set
    "validation_status_approved": "approved",
    "approved": "approved",
    "validation_status_not_approved": "not_approved",
    "not approved": "not_approved",
    "validation_status_on_hold": "on_hold",
    "on hold": "on_hold",
}


def read_kobo(path: Path) -> Submissions:
    """Read a KoboToolbox export (.csv, .xlsx or .json)."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        return _from_json(path)
    if suffix == ".xlsx":
        return _from_xlsx(path)
    frame, problems = read_delimited(path)
    if problems:
        return Submissions(path.name, pd.DataFrame(), problems)
    return _submissions(path.name, _without_hxl(frame))


def _without_hxl(frame: pd.DataFrame) -> pd.DataFrame:
    """The export's optional HXL row (hashtags under the header) is not a submission."""
    if len(frame) == 0:
        return frame
    first = [v.strip() for v in frame.iloc[0] if v.strip()]
    if first and all(v.startswith("#") for v in first):
        return frame.iloc[1:]
    return frame


def _strip_uuid(values: pd.Series) -> pd.Series:
    return values.str.strip().str.removeprefix("uuid:")


def _submissions(
    file: str, frame: pd.DataFrame, records: pd.Series | None = None
) -> Submissions:
    problems: list[Problem] = []
    if "_uuid" not in frame.columns:
        return Submissions(file, pd.DataFrame(), [Problem(
            file, 1, "_uuid", "a KoboToolbox export has a _uuid column: export with the "
            "submission's metadata (the _uuid, _submission_time and _validation_status columns)"
        )])
    # KoboToolbox's CSV export writes "n/a" for a question the form skipped: no answer.
    out = frame.replace("n/a", "")
    version = _strip_uuid(out["_uuid"])
    # An edit in Kobo keeps `meta/rootUuid` and `_id` and changes `_uuid`: the first of them
    # the export holds is the submission's lasting id.
    if "meta/rootUuid" in out.columns:
        root = _strip_uuid(out["meta/rootUuid"])
    elif "_id" in out.columns:
        ids = out["_id"].str.strip()
        root = ("_id " + ids).where(ids != "", "")
    else:
        root = version
    out["_record"] = (
        records if records is not None
        else pd.Series([f"row {n}" for n in out.index], index=out.index)
    )
    out["_source_id"] = root.where(root != "", version)
    out["_version"] = version
    if "meta/deprecatedID" in out.columns:
        out["_previous"] = _strip_uuid(out["meta/deprecatedID"])
    status = out.get("_validation_status", pd.Series("", index=out.index)).str.strip()
    state = status.str.lower().map(_STATES)
    for index in state[state.isna()].index:
        problems.append(record_problem(
            file, out.at[index, "_record"], "_validation_status",
            f"{status[index]!r} is not a KoboToolbox validation status",
        ))
    out["_state"] = state.fillna("not_checked")
    out["_submitted"] = out.get("_submission_time", pd.Series("", index=out.index)).str[:10]
    for index in out.index[version == ""]:
        problems.append(record_problem(file, out.at[index, "_record"], "_uuid", "is empty"))
    return Submissions(file, out, problems)


def _from_json(path: Path) -> Submissions:
    data, problems = read_json(path)
    if problems:
        return Submissions(path.name, pd.DataFrame(), problems)
    results = data.get("results") if isinstance(data, dict) else data
    if not isinstance(results, list) or not all(isinstance(r, dict) for r in results):
        return Submissions(path.name, pd.DataFrame(), [Problem(
            path.name, None, None, "is not KoboToolbox submissions (a list, or an object "
            "with results: a list of submissions)")])
    rows: list[dict[str, str]] = []
    repeat_rows: dict[str, list[dict[str, str]]] = {}
    for submission in results:
        row = {}
        for key, value in submission.items():
            if key == "_validation_status":
                status = value.get("uid", "") if isinstance(value, dict) else value
                row[key] = json_text(status)
            elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
                _repeat(key, value, str(submission.get("_uuid", "")), repeat_rows)
            elif not isinstance(value, dict | list) or key in ("_tags", "_notes"):
                row[key] = json_text(value)
        rows.append(row)
    frame = pd.DataFrame(rows, dtype=object).fillna("")
    labels = pd.Series(
        [f"submission {r.get('_uuid', '?')}" for r in rows], index=frame.index, dtype=object
    )
    submissions = _submissions(path.name, frame, labels)
    roots = _roots(submissions)
    for name, children in repeat_rows.items():
        child = pd.DataFrame(children, dtype=object).fillna("")
        child["_parent"] = child["_parent"].str.removeprefix("uuid:").map(lambda u: roots.get(u, u))
        submissions.repeats[name] = child
    return submissions


def _roots(submissions: Submissions) -> dict[str, str]:
    """A submission's `_uuid` → its lasting id (a repeat row names its parent by `_uuid`)."""
    if "_version" not in submissions.frame.columns:
        return {}
    frame = submissions.frame
    return dict(zip(frame["_version"], frame["_source_id"], strict=True))


def _repeat(
    name: str, items: list[dict[str, Any]], parent: str, out: dict[str, list[dict[str, str]]]
) -> None:
    for number, item in enumerate(items, start=1):
        row = {k: json_text(v) for k, v in item.items() if not isinstance(v, dict | list)}
        row["_parent"] = parent
        row["_record"] = f"submission {parent}, {name} {number}"
        out.setdefault(name, []).append(row)


def _from_xlsx(path: Path) -> Submissions:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        return Submissions(path.name, pd.DataFrame(), [Problem(
            path.name, None, None, f"cannot be read as an .xlsx workbook: {error}")])
    sheets = {}
    for sheet in book.worksheets:
        cells = [[json_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        if cells:
            header = [h.strip() for h in cells[0]]
            frame = pd.DataFrame(cells[1:], columns=header, dtype=object).fillna("")
            frame.index = pd.RangeIndex(2, len(frame) + 2, name="row")
            sheets[sheet.title] = frame
    book.close()
    if not sheets:
        return Submissions(path.name, pd.DataFrame(), [Problem(path.name, None, None, "is empty")])
    main_name, *children = sheets
    main = _without_hxl(sheets[main_name])
    labels = pd.Series([f"row {n}" for n in main.index], index=main.index, dtype=object)
    submissions = _submissions(f"{path.name} [{main_name}]", main, labels)
    roots = _roots(submissions)
    for name in children:
        child = sheets[name]
        if "_submission__uuid" not in child.columns:
            continue
        child = child.copy()
        child["_parent"] = _strip_uuid(child["_submission__uuid"]).map(lambda u: roots.get(u, u))
        child["_record"] = [f"{path.name} [{name}] row {n}" for n in child.index]
        submissions.repeats[name] = child
    return submissions
