"""`tracker import PATH --from SOURCE --mapping MAPPING.toml`: a tool's export through its
mapping and into the write layer (scope, locks, plausibility warnings, corrections with
history, audit, staleness; one transaction, all or nothing).

The mapped rows become an in-memory workbook of text cells, exactly as a workbook file would
be read, so everything a workbook import checks is checked here too; problems the write layer
finds are told by the source's own file and record (row or submission id), not by the
in-memory workbook's rows.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine

from tracker.access import Actor
from tracker.db import read_session
from tracker.queries import existing_keys, indicator_units
from tracker.sources.mapping import VALUES, SourceMapping, load_mapping
from tracker.sources.provenance import SourceOrigins
from tracker.sources.records import SourceRefused, record_problem
from tracker.sources.registry import Source, source
from tracker.sources.translate import translate
from tracker.sources.translation import Translation
from tracker.workbook.problems import Problem, WorkbookRefused
from tracker.workbook.raw import HEADER_ROW, RawWorkbook
from tracker.writes.imports.importer import fingerprint, write_workbook_tables
from tracker.writes.imports.report import ImportReport


@dataclass
class SourceImport:
    """What a source import did (or, dry, would do)."""

    source: Source
    file: str
    records: int
    report: ImportReport
    skipped: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        lines = [f"{self.source.tool} export {self.file}: {self.records} records read."]
        skipped = +self.skipped  # without the reasons that skipped nothing
        if skipped:
            total = sum(skipped.values())
            detail = ", ".join(f"{count} {why}" for why, count in sorted(skipped.items()))
            lines.append(f"Skipped {total} (not imported, as the mapping says): {detail}.")
        lines.append(self.report.summary())
        return "\n".join(lines)


def _check_source(mapping: SourceMapping, name: str) -> None:
    if mapping.source == name or (mapping.source in VALUES and name in VALUES):
        return
    raise SourceRefused([Problem(f"{mapping.path.name}, key source", None, None, (
        f"the mapping is for {mapping.source}, not for --from {name}"))])


def _workbook(path: Path, translation: Translation) -> RawWorkbook:
    raw = RawWorkbook(path)
    for name, cells in translation.tables.items():
        frame = cells.copy()
        frame.index = pd.RangeIndex(HEADER_ROW + 1, HEADER_ROW + 1 + len(frame), name="row")
        raw.tables[name] = frame
        raw.sources[name] = f"{path.name} [{name}]"
    return raw


def _located(problems: list[Problem], raw: RawWorkbook, translation: Translation) -> list[Problem]:
    """The write layer's problems told by the source's file and record."""
    tables = {label: name for name, label in raw.sources.items()}
    located = []
    for problem in problems:
        table = tables.get(problem.file)
        if table is None or problem.row is None:
            located.append(problem)
            continue
        record = translation.origins[table]["_record"].iloc[problem.row - HEADER_ROW - 1]
        located.append(record_problem(translation.file, record, problem.column,
                                      f"{problem.message} ({table})"))
    return located


def import_from_source(
    engine: Engine, path: Path, *, source_name: str, mapping_path: Path, actor: Actor,
    dry_run: bool = False,
) -> SourceImport:
    """Import a tool's export all or nothing; `WorkbookRefused` lists every problem (of the
    mapping, the file's records and the write), each with file, record and field."""
    found = source(source_name)
    mapping = load_mapping(mapping_path)
    _check_source(mapping, source_name)
    if not path.exists():
        raise SourceRefused([Problem(str(path), None, None, "does not exist")])
    records = found.read(path)
    with read_session(engine) as session:
        institutions = existing_keys(session)["institutions"]
        units = indicator_units(session)
    label = mapping.label or found.tool
    translation = translate(records, mapping, institutions=institutions, units=units, label=label)
    if translation.problems:
        raise SourceRefused(translation.problems)
    raw = _workbook(path, translation)
    name = f"{found.tool} export {path.name}"
    try:
        report = write_workbook_tables(
            engine, raw, actor=actor, source=name, dry_run=dry_run,
            origins=SourceOrigins(found.name, found.tool, translation),
            import_detail={"source": name, "from": found.name, "sha256": fingerprint(path),
                           "mapping": mapping_path.name, "skipped": dict(translation.skipped)},
        )
    except WorkbookRefused as refused:
        raise SourceRefused(_located(refused.problems, raw, translation)) from None
    return SourceImport(found, path.name, translation.records, report, translation.skipped)
