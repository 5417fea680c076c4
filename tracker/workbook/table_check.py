"""Check one table of a raw workbook: its header, every cell, and the rules within a row.

Rules that need other tables (references) live in `validate`. Each check works on whole
columns; only the problems found are visited one by one.
"""

from __future__ import annotations

import difflib

import numpy as np
import pandas as pd

from tracker.identity import NAME_COLUMNS, lookalike_message
from tracker.workbook.checked_table import REQUIRED, CheckedTable, always
from tracker.workbook.column_types import (
    KEY_PATTERN,
    KEY_RULE,
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
from tracker.workbook.row_rules import (
    check_duplicates,
    check_evidence_direction,
    check_nested_tenures,
    check_own_parent,
    check_span,
    check_test_probabilities,
)
from tracker.workbook.schema import Table


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
    check_span(checked)
    check_own_parent(checked)
    check_test_probabilities(checked)
    check_evidence_direction(checked)
    check_nested_tenures(checked)
    check_duplicates(checked)
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
            checked.flag(empty[name], name, always(REQUIRED))
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
