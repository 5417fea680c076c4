"""A declared mapping (TOML) from a source's records to the workbook's tables.

Every setting is declared once in `SETTINGS` with the sources it applies to and its help text;
the README's table of settings is checked against it. A mapping is validated as a whole: every
problem at once, each located by its key in the TOML file (``indicators."grp/turnover".unit``).
"""

from __future__ import annotations

import csv
import tomllib
from collections.abc import Mapping as MappingType
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tracker import vocab
from tracker.sources.records import SourceRefused
from tracker.workbook.column_types import KEY_PATTERN
from tracker.workbook.problems import Problem

FORMS = ("kobo", "odk")
VALUES = ("dhis2", "adx")
GRANTS = ("360giving",)
SOURCE_NAMES = (*FORMS, *VALUES, *GRANTS)
# The review states each form tool writes, as this product names them (see the readers), and
# which of them are imported when the mapping does not say.
STATES = {
    "kobo": ("approved", "not_approved", "on_hold", "not_checked"),
    "odk": ("received", "hasIssues", "edited", "approved", "rejected"),
}
DEFAULT_STATES = {
    "kobo": ("approved", "on_hold", "not_checked"),
    "odk": ("received", "hasIssues", "edited", "approved"),
}
MONTHLY = ("refuse", "sum", "mean", "last")


@dataclass(frozen=True)
class Setting:
    key: str
    sources: tuple[str, ...]
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("source", SOURCE_NAMES, "which source the mapping reads: kobo, odk, dhis2, adx or "
            "360giving (must agree with --from)"),
    Setting("label", SOURCE_NAMES, "the text written in indicator_values' source column "
            "(default: the tool's name)"),
    Setting("states", FORMS, "the review states imported; submissions in other states are "
            "skipped and counted (kobo: approved, not_approved, on_hold, not_checked; odk: "
            "received, hasIssues, edited, approved, rejected)"),
    Setting("institution.field", FORMS, "the field that names the institution (its key, or "
            "an identifier the crosswalk translates)"),
    Setting("institution.crosswalk", SOURCE_NAMES, "a table from the source's identifiers "
            "(DHIS2 orgUnit UID or code, 360Giving org-id, a form's site code) to institution "
            "keys"),
    Setting("institution.crosswalk_file", SOURCE_NAMES, "the same table as a CSV file (columns "
            "id,institution), relative to the mapping"),
    Setting("institution.unmatched", SOURCE_NAMES, "refuse (default): an identifier outside the "
            "crosswalk is a problem; skip: the record is skipped and counted"),
    Setting("unmapped", VALUES, "refuse (default): a data element the mapping does not name "
            "is a problem; skip: its values are skipped and counted"),
    Setting("period.field", FORMS, "the field that holds the quarter (YYYYQn) or a date in it"),
    Setting("period.from", FORMS, "field (default when period.field is given) or "
            "submission_date: the quarter of the submission date"),
    Setting("period.monthly", VALUES, "monthly periods (yyyyMM, P1M): refuse (default), or "
            "sum / mean of the quarter's three months, or last (the quarter's third month)"),
    Setting("indicators.FIELD.indicator", (*FORMS, *VALUES), "the indicator key the field (a "
            "form field, or a DHIS2 data element UID or code) gives values of"),
    Setting("indicators.FIELD.unit", (*FORMS, *VALUES), "the unit the values are in: must be "
            "the indicator's unit (a check, not a conversion)"),
    Setting("indicators.FIELD.category_option_combo", VALUES, "only values of this category "
            "option combination (DHIS2 UID; ADX: the category attributes as name=value,…)"),
    Setting("observations.narrative", FORMS, "text fields joined into the quarter's narrative"),
    Setting("observations.stage", FORMS, "a field holding the implementation stage"),
    Setting("evidence.field", FORMS, "a file field: each file named becomes an evidence item"),
    Setting("evidence.kind", FORMS, "the evidence kind (default document)"),
    Setting("evidence.title", FORMS, "the evidence title (default: the field and file name)"),
    Setting("evidence.repeat", FORMS, "the repeat group the file field is in (one item per "
            "repeat row)"),
    Setting("partners.partner", GRANTS, "funder (default: the funding organisation's name) or "
            "a fixed partner name"),
    Setting("partners.kind", GRANTS, "the partner kind written (default funder)"),
)


@dataclass(frozen=True)
class IndicatorRule:
    key: str  # the form field or data element
    indicator: str
    unit: str | None
    category_option_combo: str | None


@dataclass(frozen=True)
class EvidenceRule:
    field: str
    kind: str
    title: str | None
    repeat: str | None


@dataclass(frozen=True)
class SourceMapping:
    """A validated mapping (see `SETTINGS`)."""

    path: Path
    source: str
    label: str | None = None
    states: tuple[str, ...] = ()
    institution_field: str | None = None
    crosswalk: MappingType[str, str] | None = None
    unmatched: str = "refuse"
    unmapped: str = "refuse"
    period_field: str | None = None
    period_from: str = "field"
    monthly: str = "refuse"
    indicators: tuple[IndicatorRule, ...] = ()
    narrative: tuple[str, ...] = ()
    stage: str | None = None
    evidence: tuple[EvidenceRule, ...] = ()
    partner: str = "funder"
    partner_kind: str = "funder"

    def institution_of(self, identifier: str) -> str | None:
        """The institution key an identifier names (None when outside the crosswalk)."""
        if self.crosswalk is None:
            return identifier
        return self.crosswalk.get(identifier)

    def source_of(self, institution: str) -> str | None:
        """The source identifier of an institution (the crosswalk reversed)."""
        if self.crosswalk is None:
            return institution
        for identifier, key in self.crosswalk.items():
            if key == institution:
                return identifier
        return None


class _Checker:
    def __init__(self, path: Path, source: str) -> None:
        self.path, self.source = path, source
        self.problems: list[Problem] = []

    def problem(self, key: str, message: str) -> None:
        self.problems.append(Problem(f"{self.path.name}, key {key}", None, None, message))

    def known(self, table: MappingType[str, Any], prefix: str, names: tuple[str, ...]) -> None:
        for name in table:
            setting = f"{prefix}{name}"
            allowed = [s.key for s in SETTINGS if self.source in s.sources]
            if setting not in allowed and not any(
                a.startswith(f"{setting}.") for a in allowed
            ):
                listed = ", ".join(names) or "none"
                self.problem(setting, f"is not a setting of a {self.source} mapping "
                             f"(settings here: {listed})")

    def text(self, table: MappingType[str, Any], name: str, key: str) -> str | None:
        value = table.get(name)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem(key, f"must be text, not {value!r}")
            return None
        return value.strip()

    def texts(self, table: MappingType[str, Any], name: str, key: str) -> tuple[str, ...]:
        value = table.get(name, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.problem(key, f"must be a list of text, not {value!r}")
            return ()
        return tuple(value)

    def choice(self, table: MappingType[str, Any], name: str, key: str,
               choices: tuple[str, ...], default: str) -> str:
        value = self.text(table, name, key)
        if value is None:
            return default
        if value not in choices:
            self.problem(key, f"{value!r} is not one of {', '.join(choices)}")
            return default
        return value

    def section(self, data: MappingType[str, Any], name: str) -> dict[str, Any]:
        value = data.get(name, {})
        if not isinstance(value, dict):
            self.problem(name, "must be a table ([" + name + "])")
            return {}
        return value


def _names(source: str, prefix: str) -> tuple[str, ...]:
    return tuple(
        s.key[len(prefix):].split(".")[0] for s in SETTINGS
        if source in s.sources and s.key.startswith(prefix)
    )


def load_mapping(path: Path) -> SourceMapping:
    """Read and check a mapping file; `WorkbookRefused` lists every problem, located by key."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        problem = Problem(str(path), None, None, f"cannot read it: {error}")
        raise SourceRefused([problem]) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise SourceRefused([Problem(path.name, None, None, f"is not TOML: {error}")]) from None
    source = data.get("source")
    if source not in SOURCE_NAMES:
        raise SourceRefused([Problem(f"{path.name}, key source", None, None,
                                       f"must be one of {', '.join(SOURCE_NAMES)}, not "
                                       f"{source!r}")])
    check = _Checker(path, source)
    check.known(data, "", _names(source, ""))
    mapping: dict[str, Any] = {"path": path, "source": source,
                               "label": check.text(data, "label", "label")}
    if source in FORMS:
        states = check.texts(data, "states", "states") or DEFAULT_STATES[source]
        for state in states:
            if state not in STATES[source]:
                check.problem("states", f"{state!r} is not a {source} review state "
                              f"({', '.join(STATES[source])})")
        mapping["states"] = states
    mapping.update(_institution(check, check.section(data, "institution")))
    mapping.update(_period(check, check.section(data, "period")))
    if source not in GRANTS:
        mapping["indicators"] = _indicators(check, check.section(data, "indicators"))
    if source in FORMS:
        observations = check.section(data, "observations")
        check.known(observations, "observations.", _names(source, "observations."))
        mapping["narrative"] = check.texts(observations, "narrative", "observations.narrative")
        mapping["stage"] = check.text(observations, "stage", "observations.stage")
        mapping["evidence"] = _evidence(check, data.get("evidence", []))
        if not (mapping["indicators"] or mapping["narrative"] or mapping["evidence"]):
            check.problem("indicators", "the mapping maps no field: name indicators, "
                          "observations.narrative or evidence")
    elif source in VALUES:
        mapping["unmapped"] = check.choice(data, "unmapped", "unmapped", ("refuse", "skip"),
                                           "refuse")
        if not mapping["indicators"]:
            check.problem("indicators", "the mapping maps no data element")
    if source in GRANTS:
        partners = check.section(data, "partners")
        check.known(partners, "partners.", _names(source, "partners."))
        mapping["partner"] = check.text(partners, "partner", "partners.partner") or "funder"
        mapping["partner_kind"] = check.text(partners, "kind", "partners.kind") or "funder"
    if check.problems:
        raise SourceRefused(check.problems)
    return SourceMapping(**mapping)


def _institution(check: _Checker, table: dict[str, Any]) -> dict[str, Any]:
    check.known(table, "institution.", _names(check.source, "institution."))
    out: dict[str, Any] = {
        "unmatched": check.choice(table, "unmatched", "institution.unmatched",
                                  ("refuse", "skip"), "refuse"),
    }
    if check.source in FORMS:
        out["institution_field"] = check.text(table, "field", "institution.field")
        if out["institution_field"] is None:
            check.problem("institution.field", "is required: the field naming the institution")
    crosswalk = table.get("crosswalk")
    file = check.text(table, "crosswalk_file", "institution.crosswalk_file")
    pairs: dict[str, str] = {}
    if crosswalk is not None:
        if not isinstance(crosswalk, dict):
            check.problem("institution.crosswalk", "must be a table of identifier = institution")
        else:
            pairs.update(crosswalk)
    if file is not None:
        pairs.update(_crosswalk_file(check, check.path.parent / file))
    for identifier, key in pairs.items():
        if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
            check.problem(f'institution.crosswalk."{identifier}"',
                          f"{key!r} is not an institution key")
    if crosswalk is None and file is None and check.source not in FORMS:
        check.problem("institution.crosswalk", "is required: a table from the source's "
                      "identifiers to institution keys")
    out["crosswalk"] = pairs if (crosswalk is not None or file is not None) else None
    return out


def _crosswalk_file(check: _Checker, path: Path) -> dict[str, str]:
    key = "institution.crosswalk_file"
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError) as error:
        check.problem(key, f"cannot read {path.name}: {error}")
        return {}
    if not rows or [c.strip() for c in rows[0][:2]] != ["id", "institution"]:
        check.problem(key, f"{path.name} must start with the header id,institution")
        return {}
    pairs = {}
    for number, row in enumerate(rows[1:], start=2):
        if len(row) < 2 or not row[0].strip():
            check.problem(key, f"{path.name} row {number}: needs an id and an institution")
            continue
        pairs[row[0].strip()] = row[1].strip()
    return pairs


def _period(check: _Checker, table: dict[str, Any]) -> dict[str, Any]:
    check.known(table, "period.", _names(check.source, "period."))
    if check.source in VALUES:
        return {"monthly": check.choice(table, "monthly", "period.monthly", MONTHLY, "refuse")}
    if check.source not in FORMS:
        return {}
    field = check.text(table, "field", "period.field")
    default = "field" if field else "submission_date"
    period_from = check.choice(table, "from", "period.from", ("field", "submission_date"),
                               default)
    if period_from == "field" and field is None:
        check.problem("period.field", "is required with period.from = \"field\"")
    return {"period_field": field, "period_from": period_from}


def _indicators(check: _Checker, table: dict[str, Any]) -> tuple[IndicatorRule, ...]:
    rules = []
    for name, rule in table.items():
        key = f'indicators."{name}"'
        if isinstance(rule, str):
            rule = {"indicator": rule}
        if not isinstance(rule, dict):
            check.problem(key, "must be an indicator key or a table { indicator = …, unit = … }")
            continue
        for setting in rule:
            allowed = _names(check.source, "indicators.FIELD.")
            if setting not in allowed:
                check.problem(f"{key}.{setting}", f"is not a setting of an indicator here "
                              f"({', '.join(allowed)})")
        indicator = check.text(rule, "indicator", f"{key}.indicator")
        if indicator is None:
            check.problem(f"{key}.indicator", "is required: the indicator key")
            continue
        if not KEY_PATTERN.fullmatch(indicator):
            check.problem(f"{key}.indicator", f"{indicator!r} is not an indicator key")
        rules.append(IndicatorRule(
            name, indicator, check.text(rule, "unit", f"{key}.unit"),
            check.text(rule, "category_option_combo", f"{key}.category_option_combo"),
        ))
    return tuple(rules)


def _evidence(check: _Checker, items: Any) -> tuple[EvidenceRule, ...]:
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list):
        check.problem("evidence", "must be [[evidence]] tables")
        return ()
    rules = []
    for number, item in enumerate(items, start=1):
        key = f"evidence[{number}]"
        if not isinstance(item, dict):
            check.problem(key, "must be a table with field = …")
            continue
        check.known(item, "evidence.", _names(check.source, "evidence."))
        field = check.text(item, "field", f"{key}.field")
        if field is None:
            check.problem(f"{key}.field", "is required: the file field")
            continue
        kind = check.choice(item, "kind", f"{key}.kind", vocab.EVIDENCE_KINDS, "document")
        rules.append(EvidenceRule(field, kind, check.text(item, "title", f"{key}.title"),
                                  check.text(item, "repeat", f"{key}.repeat")))
    return tuple(rules)
