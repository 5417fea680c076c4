"""The rules within the rows of one table: a span's end not before its start, an institution
not its own parent, a test's probabilities, the direction of evidence, leadership tenures
nested in one another, and rows repeated. Each works on whole columns of a `CheckedTable`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from tracker import vocab
from tracker.identity import NAME_COLUMNS, identity_column
from tracker.workbook import nesting
from tracker.workbook.checked_table import CheckedTable, always

# Tables whose rows have a span: the end may be empty (still running) but not before the start.
_SPAN = ("start", "end")


def check_span(checked: CheckedTable) -> None:
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


def check_own_parent(checked: CheckedTable) -> None:
    if "parent" not in checked.parsed or "key" not in checked.parsed:
        return
    text = checked.text
    own = ~checked.empty["parent"] & (text["parent"] == text["key"])
    checked.flag(own, "parent", always("an institution cannot be its own parent"))


def check_test_probabilities(checked: CheckedTable) -> None:
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
        checked.flag(alone, missing, always(message))


def check_evidence_direction(checked: CheckedTable) -> None:
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


def check_nested_tenures(checked: CheckedTable) -> None:
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


def check_duplicates(checked: CheckedTable) -> None:
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
