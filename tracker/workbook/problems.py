"""Problems found in a workbook, and the refusal that carries them.

A `Problem` names where it is as a spreadsheet user would look for it: the file (for an `.xlsx`,
the workbook and sheet, e.g. ``workbook.xlsx [indicator_values]``), the row number the
spreadsheet shows (the header is row 1, the first data row is row 2) and the column name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# A refusal lists this many problems; the rest are counted, so a workbook with a million bad
# cells still gives a readable message.
REPORT_LIMIT = 200


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a workbook, located by file, row and column (row/column optional)."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        place = [self.file]
        if self.row is not None:
            place.append(f"row {self.row}")
        if self.column is not None:
            place.append(f'column "{self.column}"')
        return f"{', '.join(place)}: {self.message}"


def count_text(count: int) -> str:
    return f"{count} problem" if count == 1 else f"{count} problems"


def problems_report(
    problems: Iterable[Problem], *, limit: int = REPORT_LIMIT, what: str = "The workbook"
) -> str:
    """A text listing the problems, one a line, at most `limit` lines then "… and N more"."""
    listed = list(problems)
    lines = [f"{what} has {count_text(len(listed))}:"]
    lines.extend(f"  {problem}" for problem in listed[:limit])
    if len(listed) > limit:
        more = len(listed) - limit
        lines.append(f"  … and {more} more {'problem' if more == 1 else 'problems'}")
    return "\n".join(lines)


class WorkbookRefused(Exception):
    """Raised by whoever refuses a workbook; `problems` holds every problem found, not the first."""

    # How the report names what was refused.
    what = "The workbook"

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__(f"the workbook was refused: {count_text(len(self.problems))}")

    def report(self, *, limit: int = REPORT_LIMIT) -> str:
        """Every problem one a line (at most `limit` lines, then how many more there are)."""
        return problems_report(self.problems, limit=limit, what=self.what)

    def __str__(self) -> str:
        return self.report()
