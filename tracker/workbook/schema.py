"""The workbook format of interfaces.md, declared as data.

Every file (sheet) is a `Table` of `Column`s. The reader, the validator, the writer, the
importer and the analysis data set all read these declarations, so a column is described once.

`identity` names the columns that identify a row across imports: re-importing a row with the
same identity and the same values changes nothing; different values are a correction.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

from tracker import vocab

ColumnType = Literal["text", "key", "date", "period", "bool", "number", "probability", "choice"]


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType = "text"
    required: bool = False
    choices: tuple[str, ...] = ()
    # For a reference: the table whose key this column names (e.g. "institutions").
    ref: str | None = None
    default: str | None = None
    help: str = ""
    # For text stored in a bounded database column: the most characters it holds.
    max_length: int | None = None


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    identity: tuple[str, ...]
    help: str = ""
    # places.csv also takes any number of `context:NAME` number columns.
    open_prefix: str | None = None
    # Columns that date a row into a quarter (for quarter locks): a date or a period column.
    dated_by: str | None = None
    column_map: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "column_map", {c.name: c for c in self.columns})

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)


def _key(name: str = "key") -> Column:
    return Column(name, "key", required=True, help="a short stable identifier")


def _inst() -> Column:
    return Column("institution", "key", required=True, ref="institutions")


TABLES: tuple[Table, ...] = (
    Table(
        "places",
        (_key(), Column("name", required=True), Column("notes")),
        identity=("key",),
        open_prefix="context:",
        help="areas institutions serve, with context numbers in context:NAME columns",
    ),
    Table(
        "institutions",
        (
            _key(),
            Column("name", required=True),
            Column("kind", "choice", required=True, choices=vocab.INSTITUTION_KINDS),
            Column("place", "key", ref="places"),
            Column("parent", "key", ref="institutions"),
            Column("notes"),
        ),
        identity=("key",),
    ),
    Table(
        "indicators",
        (
            _key(),
            Column("name", required=True),
            Column("unit", required=True),
            Column("higher_is_better", "bool", required=True),
            Column("chain_link", "choice", choices=vocab.CHAIN_LINKS),
            Column("description"),
            Column("min", "number"),
            Column("max", "number"),
            Column(
                "tolerance",
                "number",
                help="the worsening allowed through a turnover, in the indicator's unit "
                "(absolute; empty: a share of |pre mean|, the indicator_tolerance parameter)",
            ),
        ),
        identity=("key",),
    ),
    Table(
        "leadership",
        (
            _inst(),
            Column("role", required=True),
            Column("holder", required=True),
            Column("start", "date", required=True),
            Column("end", "date"),
            Column("key_role", "bool", default="true"),
            Column("notes"),
            Column(
                "interim",
                "bool",
                help="an interim (acting) holder: part of the transition between two "
                "substantive holders, not a change of holder",
            ),
            Column(
                "shared",
                "bool",
                help="the role is co-held at this institution: tenures may overlap, and each "
                "co-holder's departure is a turnover",
            ),
        ),
        identity=("institution", "role", "start"),
        dated_by="start",
    ),
    Table(
        "partners",
        (
            _inst(),
            Column("partner", required=True),
            Column("start", "date", required=True),
            Column("end", "date"),
            Column("kind"),
            Column("notes"),
        ),
        identity=("institution", "partner", "start"),
        dated_by="start",
    ),
    Table(
        "activities",
        (
            _inst(),
            Column("kind", required=True),
            Column("title", required=True),
            Column("start", "date", required=True),
            Column("end", "date"),
            Column("notes"),
        ),
        identity=("institution", "title", "start"),
        dated_by="start",
    ),
    Table(
        "changes",
        (
            _key(),
            _inst(),
            Column("title", required=True),
            Column("kind", "choice", required=True, choices=vocab.CHANGE_KINDS),
            Column("adopted", "date", required=True),
            Column("chain_link", "choice", choices=vocab.CHAIN_LINKS),
            Column("culture_level", "choice", choices=vocab.CULTURE_LEVELS),
            Column("notes"),
        ),
        identity=("key",),
        dated_by="adopted",
    ),
    Table(
        "change_status",
        (
            Column("change", "key", required=True, ref="changes"),
            Column("date", "date", required=True),
            Column("status", "choice", required=True, choices=vocab.CHANGE_STATUSES),
            Column("evidence"),
            Column("notes"),
        ),
        identity=("change", "date"),
        dated_by="date",
    ),
    Table(
        "decisions",
        (
            _key(),
            _inst(),
            Column("date", "date", required=True),
            Column("title", required=True),
            Column("reverses_earlier", "bool", default="false"),
            Column("because_of_community", "bool", default="false"),
            Column("cost", "choice", choices=vocab.DECISION_COSTS, default="none"),
            Column("cost_note"),
            Column("evidence"),
        ),
        identity=("key",),
        dated_by="date",
    ),
    Table(
        "indicator_values",
        (
            _inst(),
            Column("indicator", "key", required=True, ref="indicators"),
            Column("period", "period", required=True),
            Column("value", "number", required=True),
            Column("source"),
            Column("note"),
        ),
        identity=("institution", "indicator", "period"),
        dated_by="period",
    ),
    Table(
        "observations",
        (
            _inst(),
            Column("period", "period", required=True),
            Column("narrative", required=True),
            Column("stage", "choice", choices=vocab.STAGES),
            Column("evidence"),
        ),
        identity=("institution", "period"),
        dated_by="period",
    ),
    Table(
        "factors",
        (
            _inst(),
            Column("title", required=True),
            Column("kind"),
            Column("start", "date", required=True),
            Column("end", "date"),
            Column("assessed_role", "choice", choices=vocab.ASSESSED_ROLES, default="unknown"),
            Column("notes"),
            Column(
                "link",
                "choice",
                choices=vocab.CHAIN_LINKS,
                help="the link of the causal chain the factor bears on (a major one lowers "
                "that link's strength)",
            ),
        ),
        identity=("institution", "title", "start"),
        dated_by="start",
    ),
    Table(
        "claims",
        (
            _key(),
            _inst(),
            Column("statement", required=True),
            Column("outcome"),
            Column("prior", "probability", default="0.5"),
            Column("notes"),
        ),
        identity=("key",),
    ),
    Table(
        "evidence",
        (
            _key(),
            _inst(),
            Column("title", required=True),
            Column("date", "date", required=True),
            Column("kind", "choice", choices=vocab.EVIDENCE_KINDS),
            Column("source"),
            Column("claim", "key", ref="claims"),
            Column("link", "choice", choices=vocab.CHAIN_LINKS),
            # The key of a structural change or a decision this evidence concerns.
            Column("record", "key"),
            Column("supports", "bool", default="true"),
            Column("test", "choice", choices=tuple(vocab.EVIDENCE_TESTS)),
            Column("sensitivity", "probability"),
            Column("type_i_error", "probability"),
            Column("observed", "bool", default="true"),
            Column("notes"),
        ),
        identity=("key",),
        dated_by="date",
    ),
    Table(
        "portfolios",
        (
            Column("portfolio", "key", required=True),
            _inst(),
            Column("name"),
        ),
        identity=("portfolio", "institution"),
    ),
    Table(
        "diagnostics",
        (
            _inst(),
            Column("date", "date", required=True),
            Column("leadership_commitment", "bool"),
            Column("realistic_timescale", "bool"),
            Column("structural_barriers_addressed", "bool"),
            Column("succession_plan", "bool"),
            Column("notes"),
        ),
        identity=("institution", "date"),
        dated_by="date",
    ),
    # Targets (tracker.analysis.targets): plans, not reports, so no quarter lock dates them.
    Table(
        "targets",
        (
            _inst(),
            Column("indicator", "key", required=True, ref="indicators"),
            Column("period", "period", required=True,
                   help="the quarter of the target, or the first quarter of its span"),
            Column("until", "period", help="the last quarter of a span (empty: one quarter)"),
            Column("value", "number", required=True),
            Column("kind", "choice", required=True, choices=vocab.TARGET_KINDS,
                   help="per_period: every quarter of the span; cumulative: the span's sum"),
            Column("comment"),
        ),
        identity=("institution", "indicator", "period"),
        help="targets for indicators, per quarter or over a span",
    ),
    Table(
        "persistence_targets",
        (
            _inst(),
            Column("change", "key", required=True, ref="changes"),
            Column("through", "choice", required=True, choices=vocab.PERSISTENCE_THROUGH,
                   default="next_turnover"),
            Column("comment"),
        ),
        identity=("institution", "change"),
        help="structural changes meant to stay in force through the next turnover",
    ),
)

# Text columns the database stores in a bounded VARCHAR (tracker.models' String(n)). PostgreSQL
# refuses a longer value and SQLite would keep it, so the validator refuses it on both, with the
# row named, before anything is compared or written (a --dry-run says what the real run says).
TEXT_LIMITS: dict[tuple[str, str], int] = {
    ("places", "name"): 300,
    ("institutions", "name"): 300,
    ("indicators", "name"): 300,
    ("indicators", "unit"): 100,
    ("leadership", "role"): 200,
    ("leadership", "holder"): 300,
    ("partners", "partner"): 300,
    ("partners", "kind"): 100,
    ("activities", "kind"): 100,
    ("activities", "title"): 300,
    ("changes", "title"): 300,
    ("decisions", "title"): 300,
    ("factors", "title"): 300,
    ("factors", "kind"): 100,
    ("evidence", "title"): 300,
    ("portfolios", "name"): 300,
}


def _with_text_limits(table: Table) -> Table:
    columns = tuple(
        replace(column, max_length=TEXT_LIMITS[(table.name, column.name)])
        if (table.name, column.name) in TEXT_LIMITS
        else column
        for column in table.columns
    )
    return replace(table, columns=columns)


TABLES = tuple(_with_text_limits(table) for table in TABLES)

TABLE_MAP: dict[str, Table] = {t.name: t for t in TABLES}
# Files an export writes for people to read and an import skips: the review state of each
# quarter (tracker.writes.quarter.review) changes only through its state machine, never by a
# workbook.
READ_ONLY_TABLES: dict[str, tuple[str, ...]] = {
    "quarter_review": (
        "institution", "period", "state", "submitted_by", "submitted_at", "approved_by",
        "approved_at", "returned_by", "returned_at", "return_reason",
    ),
}
TABLE_NAMES: tuple[str, ...] = tuple(t.name for t in TABLES)
