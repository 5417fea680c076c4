"""Check one table of a raw workbook: its header, every cell, and the rules within a row.

Rules that need other tables (references) live in `validate`. Each check works on whole
columns; only the problems found are visited one by one.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from tracker import vocab
from tracker.identity import NAME_COLUMNS, identity_column, lookalike_message
from tracker.workbook import nesting
from tracker.workbook.column_types import (
    KEY_PATTERN,
    KEY_RULE,
    ParsedColumn,
    control_character_message,
    invisible_cells,
    invisible_character_message,
    lookalike_cells,
    parse_column,
    parse_number,
    trimmed,
)
from tracker.workbook.problems import Problem
from tracker.workbook.raw import HEADER_ROW
from tracker.workbook.schema import Table

_REQUIRED = "a value is required"
# Tables whose rows have a span: the end may be empty (still running) but not before the start.
_SPAN = ("start", "end")


@dataclass
class CheckedTable:
    """One table after checking: trimmed text, typed values, problems and rejected rows.

    `text` holds every declared column (an absent optional column is all "", then defaults)
    plus the `context:` columns, indexed by spreadsheet row number.
    """

    table: Table
    source: str
    text: pd.DataFrame
    present: frozenset[str]
    context: list[str]
    # Whether every required column is in the header: without one, no row is usable.
    complete: bool
    # The empty cells of each column, after trimming (none once a default has filled them).
    empty: dict[str, pd.Series]
    problems: list[Problem]
    # Rows with a problem: they are left out of the data set.
    rejected: pd.Series
    parsed: dict[str, ParsedColumn] = field(default_factory=dict)

    def flag(self, mask: pd.Series, column: str, explain: Callable[[str], str]) -> None:
        """A problem for every row in `mask`, explained from the cell's text in `column`."""
        if not mask.any():
            return
        cells = self.text.loc[mask, column]
        self.problems.extend(
            Problem(self.source, int(row), column, explain(value)) for row, value in cells.items()
        )
        self.rejected = self.rejected | mask

    def flag_rows(self, rows: pd.Index, column: str, messages: Iterable[str]) -> None:
        """A problem for each of `rows`, with its own message (for rules across cells)."""
        self.problems.extend(
            Problem(self.source, int(row), column, message)
            for row, message in zip(rows, messages, strict=True)
        )
        self.rejected.loc[rows] = True

    def usable(self, column: str) -> pd.Series:
        """Cells of `column` that are filled in and valid (for checks across rows or tables)."""
        return self.parsed[column].usable()

    def sorted_problems(self) -> list[Problem]:
        """By row, then column order; the header's problems (row 1) stay in header order."""
        order = {name: position for position, name in enumerate(self.text.columns)}

        def position(problem: Problem) -> tuple[int, int]:
            if problem.row is None or problem.row == HEADER_ROW:
                return (problem.row or 0, 0)
            return (problem.row, order.get(problem.column or "", len(order)))

        return sorted(self.problems, key=position)

    def dataset_frame(self) -> pd.DataFrame:
        """The typed rows without any problem (none when a required column is missing).

        The index (named ``row``) keeps each row's spreadsheet row number.
        """
        keep = ~self.rejected if self.complete else pd.Series(False, index=self.text.index)
        # The parsers already give the data set's dtypes (see `tracker.dataset`); passing ten
        # million rows through `typed_frame` again would only cost time. Without a rejected row
        # the parsed columns are taken as they are (copy=False): no copy of ten million rows.
        everything = bool(keep.all())
        frame = pd.DataFrame(
            {
                name: parsed.values if everything else parsed.values[keep]
                for name, parsed in self.parsed.items()
            },
            copy=False,
        )
        frame.index = pd.Index(self.text.index[keep.to_numpy()], dtype="int64", name="row")
        return frame


def _always(message: str) -> Callable[[str], str]:
    """An explanation that does not depend on the cell's text."""
    return lambda _text: message


def check_table(table: Table, raw: pd.DataFrame, source: str) -> CheckedTable:
    """Every check that needs only this table; references are checked by the caller."""
    header_problems, context = _check_header(table, raw, source)
    present = frozenset(name for name in raw.columns if name in table.column_map)
    text, empty, control = _trimmed_text(table, raw, present, context)
    checked = CheckedTable(
        table,
        source,
        text,
        present,
        context,
        complete=all(name in present for name in table.required),
        empty=empty,
        problems=header_problems,
        rejected=pd.Series(False, index=text.index),
    )
    for name, mask in control.items():
        checked.flag(mask, name, control_character_message)
    _check_invisible(checked, control)
    _check_cells(checked)
    _check_span(checked)
    _check_own_parent(checked)
    _check_test_probabilities(checked)
    _check_evidence_direction(checked)
    _check_nested_tenures(checked)
    _check_duplicates(checked)
    return checked


# Besides the identity columns: the people and organisations whose changes are turnovers.
_NAMED = ("holder", "partner")


def _check_invisible(checked: CheckedTable, control: dict[str, pd.Series]) -> None:
    """Invisible characters in a text column that identifies a row or names a person."""
    table = checked.table
    for name in dict.fromkeys((*table.identity, *_NAMED)):
        column = table.column_map.get(name)
        if column is None or column.type != "text" or name not in checked.present:
            continue
        # A control character is already reported for this cell.
        found = invisible_cells(checked.text[name])
        if name in control:
            found &= ~control[name]
        checked.flag(found, name, invisible_character_message)
        if name in NAME_COLUMNS:
            # A cell already refused for an unseen character is not looked at again.
            checked.flag(
                lookalike_cells(checked.text[name]) & ~found, name, lookalike_message
            )


def _check_header(table: Table, raw: pd.DataFrame, source: str) -> tuple[list[Problem], list[str]]:
    problems: list[Problem] = []
    context: list[str] = []
    for name in raw.columns:
        if name in table.column_map:
            continue
        if table.open_prefix and name.startswith(table.open_prefix):
            if KEY_PATTERN.fullmatch(name[len(table.open_prefix) :]):
                context.append(name)
            else:
                problems.append(
                    Problem(
                        source,
                        HEADER_ROW,
                        name,
                        f"a context column is named {table.open_prefix}NAME, where NAME "
                        f"follows the rule for keys: {KEY_RULE}",
                    )
                )
            continue
        problems.append(Problem(source, HEADER_ROW, name, _unknown_column(table, name)))
    problems.extend(
        Problem(source, HEADER_ROW, name, "this required column is missing")
        for name in table.required
        if name not in raw.columns
    )
    return problems, sorted(context)


def _unknown_column(table: Table, name: str) -> str:
    names = [column.name for column in table.columns]
    if name.startswith("context:"):
        return "context: columns belong only in places"
    same_but_case = [known for known in names if known.lower() == name.lower()]
    guess = same_but_case or difflib.get_close_matches(name, names, n=1)
    hint = f'did you mean "{guess[0]}"? ' if guess else ""
    return f"unknown column ({hint}the columns are: {', '.join(names)})"


def _trimmed_text(
    table: Table, raw: pd.DataFrame, present: frozenset[str], context: list[str]
) -> tuple[pd.DataFrame, dict[str, pd.Series], dict[str, pd.Series]]:
    """Declared and context columns with cells trimmed, rows with nothing in them dropped; per
    column the empty cells; per text column the cells that hold control characters."""
    columns: dict[str, pd.Series] = {}
    empty: dict[str, pd.Series] = {}
    control: dict[str, pd.Series] = {}
    for name in [column.name for column in table.columns] + context:
        if name not in present and name not in context:
            columns[name] = pd.Series("", index=raw.index, dtype=object)
            empty[name] = pd.Series(True, index=raw.index)
        elif _is_number_column(table, name):
            # Numbers are parsed in bulk whatever their spaces, and are mostly distinct: a
            # plain strip is cheaper than working per distinct value.
            columns[name] = raw[name].str.strip()
            empty[name] = columns[name] == ""
        else:
            columns[name], empty[name], control[name] = trimmed(raw[name])
    filled = ~np.logical_and.reduce([mask.to_numpy() for mask in empty.values()])
    # copy=False and no selection when every row has something: at ten million rows, each
    # copy of the text frame costs half a gigabyte.
    text = pd.DataFrame(columns, index=raw.index, copy=False)
    if filled.all():
        return text, empty, control
    return (
        text[filled],
        {name: mask[filled] for name, mask in empty.items()},
        {name: mask[filled] for name, mask in control.items()},
    )


def _is_number_column(table: Table, name: str) -> bool:
    column = table.column_map.get(name)
    return column is None or column.type in ("number", "probability")


def _check_cells(checked: CheckedTable) -> None:
    text, empty = checked.text, checked.empty
    for column in checked.table.columns:
        name = column.name
        if column.required and name in checked.present:
            checked.flag(empty[name], name, _always(_REQUIRED))
        if column.default is not None:
            text[name] = text[name].where(~empty[name], column.default)
            empty[name] = pd.Series(False, index=text.index)
        parsed = parse_column(column, text[name], empty[name])
        checked.parsed[name] = parsed
        checked.flag(parsed.bad, name, parsed.explain)
    for name in checked.context:
        parsed = parse_number(text[name], empty[name])
        checked.parsed[name] = parsed
        checked.flag(parsed.bad, name, parsed.explain)


def _check_span(checked: CheckedTable) -> None:
    start, end = _SPAN
    if start not in checked.parsed or end not in checked.parsed:
        return
    starts, ends = checked.parsed[start].values, checked.parsed[end].values
    before = checked.usable(start) & checked.usable(end) & (ends < starts)
    spans = checked.text.loc[before, [start, end]]
    checked.flag_rows(
        spans.index,
        end,
        (
            f"the end {last} is before the start {first}"
            for first, last in spans.itertuples(index=False)
        ),
    )


def _check_own_parent(checked: CheckedTable) -> None:
    if "parent" not in checked.parsed or "key" not in checked.parsed:
        return
    text = checked.text
    own = ~checked.empty["parent"] & (text["parent"] == text["key"])
    checked.flag(own, "parent", _always("an institution cannot be its own parent"))


def _check_test_probabilities(checked: CheckedTable) -> None:
    """Sensitivity and type I error come as a pair, unless a test supplies both."""
    pair = ("sensitivity", "type_i_error")
    if not all(name in checked.parsed for name in (*pair, "test")):
        return
    empty = checked.empty
    tests = ", ".join(vocab.EVIDENCE_TESTS)
    for given, missing in (pair, pair[::-1]):
        alone = empty["test"] & ~empty[given] & empty[missing]
        message = (
            f"{given} is given without {missing}: give both, or a test ({tests}) that supplies them"
        )
        checked.flag(alone, missing, _always(message))


def _may_repeat(text: pd.DataFrame, identity: list[str], usable: np.ndarray) -> bool:
    """False when no two usable rows share an identity (cheap at ten million rows: integer
    codes of the identity, sorted in place); True when some may (then they are looked at)."""
    combined: np.ndarray | None = None
    for name in identity:
        codes = pd.factorize(text[name])[0].astype(np.int64)
        if combined is None:
            combined = codes
        else:
            # Wrapping around on overflow can only make two rows look alike, never hide a repeat.
            combined *= int(codes.max(initial=0)) + 1
            combined += codes
    if combined is None:
        return False
    found = combined[usable]
    found.sort()
    return bool((found[1:] == found[:-1]).any())


def _check_duplicates(checked: CheckedTable) -> None:
    """Two rows with the same identity: the later one names the earlier one."""
    identity = list(checked.table.identity)
    if not all(name in checked.present for name in identity):
        return
    usable = pd.concat([checked.usable(name) for name in identity], axis=1).all(axis=1)
    # Names and roles are compared as a person reads them (`tracker.identity`).
    compared = checked.text[identity].copy()
    for name in identity:
        if name in NAME_COLUMNS:
            compared[name] = identity_column(compared[name])
    if not _may_repeat(compared, identity, usable.to_numpy()):
        return
    keys = compared.loc[usable, identity]
    repeated = keys[keys.duplicated(keep=False)]
    if repeated.empty:
        return
    rows = pd.Series(repeated.index, index=repeated.index)
    first = rows.groupby([repeated[name] for name in identity], sort=False).transform("first")
    later = first[first != rows]
    what = " and ".join(identity)
    checked.flag_rows(
        later.index,
        identity[-1],
        (f"repeats row {row} (same {what}): each row must be unique" for row in later),
    )


def _check_nested_tenures(checked: CheckedTable) -> None:
    """A tenure wholly inside another holder's tenure in the same role is refused, unless the
    role is shared (`tracker.workbook.nesting`); the import plan applies the same rule against
    the stored tenures."""
    if checked.table.name != "leadership":
        return
    if not all(name in checked.parsed for name in nesting.COLUMNS):
        return
    usable = checked.usable("institution") & checked.usable("role") & checked.usable("start")
    usable &= checked.usable("holder")
    if not usable.any():
        return
    frame = pd.DataFrame(
        {
            "institution": checked.text["institution"],
            "role": checked.text["role"],
            "holder": checked.text["holder"],
            "start": checked.parsed["start"].values,
            "end": checked.parsed["end"].values,
            "shared": pd.Series(checked.parsed["shared"].values, index=checked.text.index),
        },
        index=checked.text.index,
    )[usable]
    pairs = nesting.nested_tenures(frame)
    if pairs:
        rows = frame.to_dict("index")
        checked.flag_rows(
            pd.Index([inner for inner, _ in pairs]),
            "start",
            (_nested_message(rows[inner], rows[outer], outer) for inner, outer in pairs),
        )


def _nested_message(inner: Mapping[Any, Any], outer: Mapping[Any, Any], outer_row: int) -> str:
    return (
        f"this tenure of {nesting.tenure_words(inner)} lies wholly inside row {outer_row} "
        f"({nesting.tenure_words(outer).split(' by ', 1)[1]}); {nesting.ADVICE}"
    )


def _check_evidence_direction(checked: CheckedTable) -> None:
    """An evidence item's direction and its numbers agree: for the claim (`supports` true)
    needs P(E|H) >= P(E|not H), against it P(E|H) <= P(E|not H), where the numbers are the
    explicit ones or the test's preset (swapped for an item against the claim)."""
    names = ("supports", "test", "sensitivity", "type_i_error")
    if checked.table.name != "evidence" or not all(name in checked.parsed for name in names):
        return
    supports = (
        pd.Series(checked.parsed["supports"].values, index=checked.text.index)
        .astype("boolean")
        .fillna(True)
        .astype(bool)
    )
    test = checked.text["test"]
    preset_h = test.map({name: pair[0] for name, pair in vocab.EVIDENCE_TESTS.items()})
    preset_not_h = test.map({name: pair[1] for name, pair in vocab.EVIDENCE_TESTS.items()})
    preset_h, preset_not_h = (
        preset_h.where(supports, preset_not_h),
        preset_not_h.where(supports, preset_h),
    )
    given_h = pd.Series(checked.parsed["sensitivity"].values, index=test.index, dtype=float)
    given_not_h = pd.Series(checked.parsed["type_i_error"].values, index=test.index, dtype=float)
    if given_h.isna().all() and given_not_h.isna().all():
        return
    p_h = given_h.fillna(preset_h.astype(float))
    p_not_h = given_not_h.fillna(preset_not_h.astype(float))
    usable = checked.usable("sensitivity") | checked.usable("type_i_error")
    contradicts = usable & p_h.notna() & p_not_h.notna()
    contradicts &= (supports & (p_h < p_not_h)) | (~supports & (p_h > p_not_h))
    shown = pd.DataFrame({"h": p_h, "not_h": p_not_h, "supports": supports})[contradicts]
    checked.flag_rows(
        shown.index,
        "supports",
        (
            f"supports is {str(bool(item.supports)).lower()} (the item is "
            f"{'for' if item.supports else 'against'} the claim) but its numbers say the "
            f"opposite: P(E|H) {item.h:g} is {'below' if item.supports else 'above'} "
            f"P(E|not H) {item.not_h:g}. Evidence for the claim is more likely if it holds; "
            "evidence against, less likely. Correct the direction or the numbers (sensitivity "
            "and type_i_error are always P(E|H) and P(E|not H) for the claim)"
            for item in shown.itertuples()
        ),
    )
