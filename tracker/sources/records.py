"""What a source's reader hands on: its records, as read, before any mapping.

Three shapes, because the tools hold three kinds of thing:

- `Submissions` (KoboToolbox, ODK Central): one record per filled-in form, its fields by name
  (group paths joined with "/" in Kobo, "-" in ODK's CSV), with the tool's own identifiers,
  review state and submission date;
- `DataValues` (DHIS2 data value sets, ADX): one record per value of a data element, period,
  organisation unit and category option combination;
- `Grants` (360Giving): one record per grant, from a funder to a recipient organisation.

Every record carries `record`: how a person finds it in the file (``row 7`` for a CSV row, the
submission id for JSON), so that every problem can name it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from tracker.workbook.problems import Problem, WorkbookRefused

# Columns every `Submissions.frame` has besides the form's own fields.
SUBMISSION_META = ("_record", "_source_id", "_version", "_state", "_submitted")
# The columns of `DataValues.frame`.
DATA_VALUE_COLUMNS = (
    "_record", "data_element", "period", "org_unit", "category_option_combo",
    "attribute_option_combo", "value", "comment", "last_updated",
)


class SourceRefused(WorkbookRefused):
    """A source import refused (its mapping, its records, or the write): every problem."""

    what = "The import"


def record_problem(file: str, record: object, field_name: str | None, message: str) -> Problem:
    """A problem located by file, record (``row 7`` or a submission id) and field."""
    record = str(record)
    if record.startswith("row ") and record[4:].isdigit():
        return Problem(file, int(record[4:]), field_name, message)
    return Problem(f"{file}, {record}", None, field_name, message)


@dataclass
class Submissions:
    """Form submissions: `frame` holds every field as text ("" when empty), plus
    `_record` (where it is), `_source_id` (the submission's lasting id: Kobo `meta/rootUuid`
    or `_uuid`, ODK `KEY`/`__id`), `_version` (this version's id: Kobo `_uuid`, ODK
    `meta-instanceID`), `_state` (the review state, normalised: see each reader) and
    `_submitted` (the submission date, ISO); a reader may add `_unreadable` (why the tool holds
    no data of a submission, e.g. ODK Central's Status "missing encrypted form data"): such
    submissions are skipped and counted."""

    file: str
    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    # Repeat groups: group name → its rows, with `_parent` (the parent's `_source_id`).
    repeats: dict[str, pd.DataFrame] = field(default_factory=dict)

    def has_field(self, name: str) -> bool:
        return name in self.frame.columns or bool(self.split_columns(name))

    def split_columns(self, name: str) -> list[str]:
        """A select_multiple exported as one 0/1 column per option (`name/option`)."""
        prefix = f"{name}/"
        return [c for c in self.frame.columns if isinstance(c, str) and c.startswith(prefix)]

    def field_text(self, name: str) -> pd.Series:
        """A field's text per submission; a select_multiple split into 0/1 columns is joined
        back into the space-separated options the one-column export writes."""
        if name in self.frame.columns:
            return self.frame[name]
        columns = self.split_columns(name)
        chosen = [
            self.frame[c].str.strip().isin(("1", "1.0")).map({True: c[len(name) + 1:], False: ""})
            for c in columns
        ]
        joined = pd.concat(chosen, axis=1).apply(lambda r: " ".join(v for v in r if v), axis=1)
        return joined.astype(object)


@dataclass
class DataValues:
    """Aggregate data values, one per row of `frame` (columns `DATA_VALUE_COLUMNS`, text)."""

    file: str
    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Grant:
    """One 360Giving grant (the fields this product reads)."""

    record: str
    id: str
    title: str
    recipients: tuple[str, ...]
    funders: tuple[str, ...]
    start: dt.date | None
    end: dt.date | None
    award_date: dt.date | None
    modified: str


@dataclass
class Grants:
    file: str
    grants: list[Grant]
    problems: list[Problem] = field(default_factory=list)


Records = Submissions | DataValues | Grants
