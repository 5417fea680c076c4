"""How each workbook table maps onto the schema: its model, and its reference columns.

A reference column holds a key in the workbook (`institution`, `place`, `change`...) and an id
in the database; the mapping says which model's `key` it resolves against.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

from sqlalchemy import Table as DatabaseTable

from tracker import models
from tracker.workbook.schema import TABLE_MAP, Table


@dataclass(frozen=True)
class Ref:
    """Workbook column `column` is stored as `id_column`: the id of the `target` row so keyed."""

    column: str
    id_column: str
    target: type[models.Base]


@dataclass(frozen=True)
class TableMapping:
    table: Table
    model: type[models.Base]
    refs: tuple[Ref, ...] = ()
    # Workbook columns stored in the model's own column of the same name.
    plain: tuple[str, ...] = field(default=())

    @property
    def name(self) -> str:
        return self.table.name

    @property
    def ref_map(self) -> dict[str, Ref]:
        return {r.column: r for r in self.refs}


def stored_table(mapping: TableMapping) -> DatabaseTable:
    """The database table a workbook table is stored in."""
    return cast(DatabaseTable, mapping.model.__table__)


def _mapping(name: str, model: type[models.Base], *refs: Ref) -> TableMapping:
    table = TABLE_MAP[name]
    ref_columns = {r.column for r in refs}
    special = {"record"} if name == "evidence" else set()
    if name == "portfolios":
        special = {"portfolio", "name"}
    plain = tuple(
        c.name for c in table.columns if c.name not in ref_columns and c.name not in special
    )
    return TableMapping(table=table, model=model, refs=refs, plain=plain)


INSTITUTION = Ref("institution", "institution_id", models.Institution)

# In dependency order: a table only refers to tables above it (institutions' parents are
# resolved after all institutions are in).
MAPPINGS: tuple[TableMapping, ...] = (
    _mapping("places", models.Place),
    _mapping(
        "institutions",
        models.Institution,
        Ref("place", "place_id", models.Place),
        Ref("parent", "parent_id", models.Institution),
    ),
    _mapping("indicators", models.Indicator),
    _mapping("portfolios", models.PortfolioMember, INSTITUTION),
    _mapping("leadership", models.LeadershipTenure, INSTITUTION),
    _mapping("partners", models.PartnerEngagement, INSTITUTION),
    _mapping("activities", models.Activity, INSTITUTION),
    _mapping("changes", models.StructuralChange, INSTITUTION),
    _mapping(
        "change_status", models.ChangeStatus, Ref("change", "change_id", models.StructuralChange)
    ),
    _mapping("decisions", models.Decision, INSTITUTION),
    _mapping(
        "indicator_values",
        models.IndicatorValue,
        INSTITUTION,
        Ref("indicator", "indicator_id", models.Indicator),
    ),
    _mapping("observations", models.Observation, INSTITUTION),
    _mapping("factors", models.InfluencingFactor, INSTITUTION),
    _mapping("claims", models.ContributionClaim, INSTITUTION),
    _mapping(
        "evidence",
        models.EvidenceItem,
        INSTITUTION,
        Ref("claim", "claim_id", models.ContributionClaim),
    ),
    _mapping("diagnostics", models.CommissioningDiagnostic, INSTITUTION),
    _mapping(
        "targets", models.Target, INSTITUTION, Ref("indicator", "indicator_id", models.Indicator)
    ),
    _mapping(
        "persistence_targets",
        models.PersistenceTarget,
        INSTITUTION,
        Ref("change", "change_id", models.StructuralChange),
    ),
)

MAPPING_BY_NAME: dict[str, TableMapping] = {m.name: m for m in MAPPINGS}

# Tables whose rows are named by a `key` column that other tables refer to.
KEYED_MODELS: dict[str, type[models.Base]] = {
    "places": models.Place,
    "institutions": models.Institution,
    "indicators": models.Indicator,
    "changes": models.StructuralChange,
    "decisions": models.Decision,
    "claims": models.ContributionClaim,
    "portfolios": models.Portfolio,
}
