"""ODK Central exports: the CSV export (`SubmissionDate`, fields with groups joined by "-",
`meta-instanceID`, `KEY`, `ReviewState`, `Edits`; repeat groups in their own CSV files with
`PARENT_KEY`: a folder or the .zip Central downloads) and OData JSON (`value`: submissions with
`__id` and `__system`).

Identifiers: a submission's lasting id is `KEY` (OData `__id`), the id of its first version,
which an edit keeps; its version is `meta-instanceID` (OData `meta.instanceID`), which an edit
changes (and `Edits` counts); a form without meta/instanceID has no such column, and its
version is then `KEY` with the edit count. `ReviewState` is received (empty), hasIssues,
edited, approved or rejected. A row with a `Status` (Central could not decrypt the
submission) holds no data: it is skipped and counted.
"""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd

from tracker.sources.delimited import json_text, read_delimited, read_json
from tracker.sources.records import Submissions, record_problem
from tracker.workbook.problems import Problem

_REVIEW_STATES = ("received", "hasIssues", "edited", "approved", "rejected")
_NEEDED = ("KEY", "SubmissionDate")


def read_odk(path: Path) -> Submissions:
    """Read an ODK Central export: a .csv, a folder or .zip of CSVs, or OData .json."""
    if path.suffix.lower() == ".json":
        return _from_odata(path)
    if path.suffix.lower() == ".zip":
        with tempfile.TemporaryDirectory() as folder:
            try:
                with zipfile.ZipFile(path) as archive:
                    archive.extractall(folder)
            except zipfile.BadZipFile as error:
                problem = Problem(path.name, None, None, str(error))
                return Submissions(path.name, pd.DataFrame(), [problem])
            return _from_folder(Path(folder), label=path.name)
    if path.is_dir():
        return _from_folder(path, label=path.name)
    frame, problems = read_delimited(path)
    if problems:
        return Submissions(path.name, pd.DataFrame(), problems)
    return _submissions(path.name, frame)


def _from_folder(folder: Path, *, label: str) -> Submissions:
    files = sorted(folder.rglob("*.csv"))
    frames = {f: read_delimited(f) for f in files}
    main = [f for f, (frame, _) in frames.items() if "KEY" in frame.columns
            and "PARENT_KEY" not in frame.columns]
    if len(main) != 1:
        return Submissions(label, pd.DataFrame(), [Problem(
            label, None, None, "an ODK Central export holds one submissions CSV (with KEY and "
            f"no PARENT_KEY); found {len(main)}")])
    frame, problems = frames[main[0]]
    submissions = _submissions(f"{label} [{main[0].name}]", frame)
    submissions.problems[:0] = problems
    for file, (child, child_problems) in frames.items():
        if "PARENT_KEY" not in child.columns:
            continue
        submissions.problems += child_problems
        name = file.stem.removeprefix(f"{main[0].stem}-")
        child = child.copy()
        # A child's PARENT_KEY is its submission's KEY (or, nested, another child's KEY).
        child["_parent"] = child["PARENT_KEY"].str.split("/").str[0]
        child["_record"] = [f"{file.name} row {n}" for n in child.index]
        submissions.repeats[name] = child
    return submissions


def _submissions(file: str, frame: pd.DataFrame, records: list[str] | None = None) -> Submissions:
    missing = [c for c in _NEEDED if c not in frame.columns]
    if missing:
        return Submissions(file, pd.DataFrame(), [Problem(
            file, 1, c, "an ODK Central CSV export has this column") for c in missing])
    out = frame.copy()
    out["_record"] = records if records is not None else [f"row {n}" for n in out.index]
    out["_source_id"] = out["KEY"].str.strip()
    # A form without meta/instanceID has no meta-instanceID column: Central's KEY and edit
    # count then tell its versions apart.
    edits = out.get("Edits", pd.Series("", index=out.index)).str.strip()
    versions = out["_source_id"] + (" edit " + edits).where(~edits.isin(("", "0")), "")
    if "meta-instanceID" in out.columns:
        instance = out["meta-instanceID"].str.strip()
        versions = instance.where(instance != "", versions)
    out["_version"] = versions
    if "meta-deprecatedID" in out.columns:
        out["_previous"] = out["meta-deprecatedID"].str.strip()
    state = out.get("ReviewState", pd.Series("", index=out.index)).str.strip()
    out["_state"] = state.where(state != "", "received")
    out["_submitted"] = out["SubmissionDate"].str[:10]
    # Status: empty, or why Central has no data of the submission ("missing encrypted form
    # data", "not decrypted"); such a row's fields are all empty.
    out["_unreadable"] = out.get("Status", pd.Series("", index=out.index)).str.strip()
    problems = [
        record_problem(file, out.at[i, "_record"], "ReviewState",
                       f"{out.at[i, '_state']!r} is not an ODK Central review state")
        for i in out.index[~out["_state"].isin(_REVIEW_STATES)]
    ]
    problems += [record_problem(file, out.at[i, "_record"], "KEY", "is empty")
                 for i in out.index[out["_source_id"] == ""]]
    return Submissions(file, out, problems)


def _flatten(value: dict[str, Any], prefix: str, row: dict[str, str]) -> None:
    for key, item in value.items():
        if key.endswith("@odata.navigationLink") or key in ("__system",):
            continue
        name = f"{prefix}{key}"
        if isinstance(item, dict):
            _flatten(item, f"{name}-", row)
        else:
            row[name] = json_text(item)


def _from_odata(path: Path) -> Submissions:
    data, problems = read_json(path)
    if problems:
        return Submissions(path.name, pd.DataFrame(), problems)
    values = data.get("value") if isinstance(data, dict) else None
    if not isinstance(values, list) or not all(isinstance(v, dict) for v in values):
        return Submissions(path.name, pd.DataFrame(), [Problem(
            path.name, None, None, "is not ODK Central OData (an object whose value is a list "
            "of submissions)")])
    rows = []
    for submission in values:
        system = submission.get("__system") or {}
        row: dict[str, str] = {}
        _flatten(submission, "", row)
        row["KEY"] = row.pop("__id", "")
        row["SubmissionDate"] = json_text(system.get("submissionDate"))
        row["ReviewState"] = json_text(system.get("reviewState"))
        row["Edits"] = json_text(system.get("edits"))
        rows.append(row)
    frame = pd.DataFrame(rows, dtype=object).fillna("")
    for column in _NEEDED:
        if column not in frame.columns:
            frame[column] = ""
    return _submissions(path.name, frame, [f"submission {r['KEY']}" for r in rows])
