"""A source's records through its mapping: the dispatch by record shape, and the mapping's
checks against the database (indicators that exist, in the unit the mapping says)."""

from __future__ import annotations

from collections.abc import Mapping

from tracker.sources.forms import translate_submissions
from tracker.sources.grants import translate_grants
from tracker.sources.mapping import SourceMapping
from tracker.sources.records import DataValues, Grants, Records, Submissions
from tracker.sources.translation import Translation
from tracker.sources.values import translate_values
from tracker.workbook.problems import Problem


def mapping_problems(mapping: SourceMapping, units: Mapping[str, str]) -> list[Problem]:
    """The mapping's indicators that this database does not have, or whose unit differs."""
    problems = []
    for rule in mapping.indicators:
        key = f'indicators."{rule.key}"'
        where = f"{mapping.path.name}, key {key}"
        if rule.indicator not in units:
            problems.append(Problem(f"{where}.indicator", None, None,
                                    f"{rule.indicator!r} is not an indicator of this database"))
        elif rule.unit is not None and rule.unit != units[rule.indicator]:
            problems.append(Problem(f"{where}.unit", None, None, (
                f"the values are in {rule.unit!r} but {rule.indicator} is measured in "
                f"{units[rule.indicator]!r}: convert them in the source, or map another "
                "indicator")))
    return problems


def translate(
    records: Records, mapping: SourceMapping, *, institutions: set[str],
    units: Mapping[str, str], label: str,
) -> Translation:
    """The workbook rows of these records, with every problem of the mapping and the records."""
    if isinstance(records, Submissions):
        out = translate_submissions(records, mapping, institutions=institutions, label=label)
    elif isinstance(records, DataValues):
        out = translate_values(records, mapping, institutions=institutions, label=label)
    else:
        assert isinstance(records, Grants)
        out = translate_grants(records, mapping, institutions=institutions)
    out.problems[:0] = mapping_problems(mapping, units)
    return out
