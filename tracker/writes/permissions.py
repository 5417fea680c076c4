"""The permission hook every write passes through.

Administrators write anything; evaluators write only for the institutions assigned to them;
institution viewers and funders only read.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker import models
from tracker.access import Actor, PermissionRefused
from tracker.workbook.raw import RawWorkbook


def check_write(actor: Actor, institutions: Iterable[str], *, shared: bool = False) -> None:
    """Refuse unless `actor` may write rows of these institutions.

    `shared` marks definitions every institution uses (indicators, places, portfolios):
    only administrators change those.
    """
    if actor.is_admin:
        return
    if actor.role != "evaluator":
        raise PermissionRefused(f"{actor.name} ({actor.role}) may read but not write.")
    if shared:
        raise PermissionRefused(
            f"{actor.name} (evaluator) may not change shared definitions "
            "(places, institutions, indicators, portfolios); ask an administrator."
        )
    outside = sorted(set(institutions) - set(actor.institutions))
    if outside:
        raise PermissionRefused(
            f"{actor.name} (evaluator) is not assigned to: {', '.join(outside)}."
        )


# Definitions every institution shares: only administrators write them.
SHARED_DEFINITIONS = ("places", "institutions", "indicators", "portfolios")
# Tables whose rows are named by their own key and belong to one institution.
_OWNED_KEYED: dict[str, Any] = {
    "changes": models.StructuralChange,
    "decisions": models.Decision,
    "claims": models.ContributionClaim,
    "evidence": models.EvidenceItem,
}
# Columns that refer to another institution-owned record: table → column → tables it names.
_REFERENCES: dict[str, dict[str, tuple[str, ...]]] = {
    "change_status": {"change": ("changes",)},
    "evidence": {"claim": ("claims",), "record": ("changes", "decisions")},
    "persistence_targets": {"change": ("changes",)},
}
# Keys per IN (...) list: below SQLite's limit on bound parameters.
_KEY_CHUNK = 10_000


def check_workbook_scope(
    session: Session, actor: Actor, raw: RawWorkbook, *, retracting: bool = False
) -> None:
    """Refuse a workbook that names anything outside what `actor` may write, before it is
    validated or compared with stored values.

    Checking first means that a refused write reveals nothing: not a validation message about
    another institution's rows, not a stored value it would change. Institution viewers and
    funders are refused at once; an evaluator's workbook may only hold rows of the institutions
    assigned to them, and refer only to changes, decisions and claims of those institutions.
    The refusal reads the same whether a named institution or record exists or not.
    `check_write` still decides afterwards on what would actually change.

    `retracting`: the workbook names stored rows to retract or restore, so a key it names that
    is not a record of the actor's institutions is not refused here: the retraction, which looks
    only among those institutions' rows, answers "no stored row" for it, exactly as for a key
    that exists nowhere.
    """
    if actor.is_admin:
        return
    check_write(actor, [])
    # Shared definitions first, whatever their rows say: comparing them with what is stored
    # would tell an evaluator other places' names and context values, portfolio names, which
    # institution keys exist and who is whose parent.
    shared = [raw.source(name) for name in SHARED_DEFINITIONS
              if name in raw.tables and len(raw.tables[name])]
    if shared:
        raise PermissionRefused(
            f"{actor.name} (evaluator) may not write shared definitions (places, institutions, "
            f"indicators, portfolios), and the workbook holds rows of {', '.join(shared)}: "
            "leave those out (an administrator changes them); nothing was compared or written."
        )
    assigned = set(actor.institutions)
    named: set[str] = set()
    for name, frame in raw.tables.items():
        column = "key" if name == "institutions" else "institution"
        if column in frame.columns:
            named |= _cells(frame[column])
    outside = sorted(named - assigned)
    if outside:
        raise PermissionRefused(
            f"{actor.name} (evaluator) is not assigned to: {', '.join(outside)}."
        )
    foreign = _foreign_records(session, raw, assigned, defining=not retracting)
    if foreign:
        raise PermissionRefused(
            f"{actor.name} (evaluator) may write and refer to records of the institutions "
            f"assigned to them only; not: {', '.join(foreign)}."
        )


def _cells(column: pd.Series) -> set[str]:
    return {str(v).strip() for v in column if str(v).strip()}


def _foreign_records(
    session: Session, raw: RawWorkbook, assigned: set[str], *, defining: bool = True
) -> list[str]:
    """Keys the workbook defines or refers to that are not records of `assigned` institutions
    (stored under another institution, or unknown: the two read the same)."""
    defined = {t: _cells(raw.tables[t]["key"]) for t in _OWNED_KEYED
               if t in raw.tables and "key" in raw.tables[t].columns}
    referenced = {
        (table, column): _cells(raw.tables[table][column])
        for table, columns in _REFERENCES.items()
        for column in columns
        if table in raw.tables and column in raw.tables[table].columns
    }
    wanted = {t: set(keys) for t, keys in defined.items()}
    for (table, column), keys in referenced.items():
        for target in _REFERENCES[table][column]:
            wanted.setdefault(target, set()).update(keys)
    mine: dict[str, set[str]] = {}
    foreign: set[str] = set()
    for table, model in _OWNED_KEYED.items():
        keys = wanted.get(table, set())
        stored = _stored_owners(session, model, keys) if keys else {}
        # A record the workbook adds belongs to its row's institution (checked above).
        mine[table] = {k for k, owner in stored.items() if owner in assigned}
        mine[table] |= defined.get(table, set()) - set(stored)
        if defining:
            foreign |= defined.get(table, set()) - mine[table]
    for (table, column), keys in referenced.items():
        targets = _REFERENCES[table][column]
        foreign |= {k for k in keys if not any(k in mine[t] for t in targets)}
    return sorted(foreign)


def _stored_owners(session: Session, model: Any, keys: set[str]) -> dict[str, str]:
    owners: dict[str, str] = {}
    ordered = sorted(keys)
    for start in range(0, len(ordered), _KEY_CHUNK):
        chunk = ordered[start : start + _KEY_CHUNK]
        stmt = (
            select(model.key, models.Institution.key)
            .join(models.Institution, models.Institution.id == model.institution_id)
            .where(model.key.in_(chunk))
        )
        owners.update({str(row[0]): str(row[1]) for row in session.execute(stmt)})
    return owners
