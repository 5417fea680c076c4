"""What an actor may read: the single place where read scope is decided.

- an administrator reads everything;
- an evaluator, a reviewer and an institution viewer read the institutions assigned to them;
- a funder reads the institutions of their portfolios.

Portfolios themselves (which institutions a funder follows, and the portfolio's name) are read
only by administrators and by the funders of that portfolio: an institution's viewer does not
learn which funders follow it, and a funder does not learn of another funder's portfolio even
when it shares an institution.

The audit log follows the same rule (`audit_scope`): a non-administrator sees the entries
about records of the institutions they may read, the entries about their own account (their
logins, their password changes), and the entries of their own actions. Everything else (other
people's imports, which name only a file and counts; other accounts; logins of others) is seen
by administrators only. Indicator definitions are shared by everyone, so entries about them
are visible to all.

A funder reads a quarter's reported values (`QUARTERLY_TABLES`) only once it is approved
(submitted ones too with TRACKER_FUNDERS_SEE_SUBMITTED): `readable_quarters` says which, and every
door that reads records, their history or the audit log asks `RecordScope.allows` (records and
history) or `AuditScope.allows` (the audit log, where a quarter's review comments follow the same
rule), so that no door can forget it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from tracker import models
from tracker.access import Actor, PermissionRefused

if TYPE_CHECKING:
    from tracker.dataset import Dataset
    from tracker.quarter_use import QuarterUse


def readable_institutions(session: Session, actor: Actor) -> set[str] | None:
    """The keys of the institutions `actor` may read; None means every institution."""
    if actor.is_admin:
        return None
    keys = (
        set(actor.institutions)
        if actor.role in ("evaluator", "reviewer", "institution")
        else set()
    )
    if actor.role == "funder" and actor.portfolios:
        stmt = (
            select(models.Institution.key)
            .join(models.PortfolioMember,
                  models.PortfolioMember.institution_id == models.Institution.id)
            .join(models.Portfolio, models.Portfolio.id == models.PortfolioMember.portfolio_id)
            .where(models.Portfolio.key.in_(sorted(actor.portfolios)))
        )
        keys |= set(session.scalars(stmt))
    return keys


# The tables of a quarter's reported values: what a funder reads only once the quarter is approved.
QUARTERLY_TABLES = ("indicator_values", "observations")
# Audit entries about a quarter's values or its review thread, keyed "institution|…|period".
_QUARTER_KEYED = frozenset({*QUARTERLY_TABLES, "quarter_comments"})


def readable_quarters(session: Session, actor: Actor) -> frozenset[tuple[str, str]] | None:
    """The quarters (institution, period) whose reported values `actor` reads; None: every one.

    A funder reads approved quarters (and submitted ones with TRACKER_FUNDERS_SEE_SUBMITTED);
    every other role reads every quarter of the institutions it may read.
    """
    if actor.role != "funder":
        return None
    from tracker.config import setting_bool
    from tracker.writes.quarter.review import quarter_states

    wanted = {"approved", "submitted"} if setting_bool("TRACKER_FUNDERS_SEE_SUBMITTED") else {
        "approved"
    }
    states = quarter_states(session, institutions=readable_institutions(session, actor))
    return frozenset(quarter for quarter, state in states.items() if state in wanted)


def quarter_of(record_key: str) -> tuple[str, str]:
    """(institution, period) of a quarterly record key ("wigan|trust|2024Q3", "wigan|2024Q3")."""
    parts = record_key.split("|")
    return parts[0], parts[-1]


@dataclass(frozen=True)
class RecordScope:
    """Which of the readable institutions' records `actor` reads (see the module docstring)."""

    portfolios: frozenset[str] | None
    quarters: frozenset[tuple[str, str]] | None

    def allows(self, table: str, record_key: str, values: Mapping[str, Any]) -> bool:
        """True when the record `record_key` of `table` (its columns `values`) may be read."""
        if table == "portfolios" and self.portfolios is not None:
            return values.get("portfolio") in self.portfolios
        if table in QUARTERLY_TABLES and self.quarters is not None:
            return quarter_of(record_key) in self.quarters
        return True


def record_scope(session: Session, actor: Actor) -> RecordScope:
    """The records `actor` reads of the institutions `require_institution` lets them read."""
    portfolios = readable_portfolios(actor)
    return RecordScope(
        portfolios=None if portfolios is None else frozenset(portfolios),
        quarters=readable_quarters(session, actor),
    )


def readable_portfolios(actor: Actor) -> set[str] | None:
    """The keys of the portfolios `actor` may read; None means every portfolio."""
    if actor.is_admin:
        return None
    return set(actor.portfolios) if actor.role == "funder" else set()


def may_read_portfolio(actor: Actor, key: object) -> bool:
    """Whether `actor` may read portfolio `key` (its name and members)."""
    readable = readable_portfolios(actor)
    return readable is None or key in readable


def require_institution(session: Session, actor: Actor, key: str) -> None:
    """Refuse unless `actor` may read institution `key`.

    The refusal reads the same whether the institution exists or not, so that a scoped user
    cannot probe for other institutions' keys.
    """
    readable = readable_institutions(session, actor)
    if readable is None:
        return
    if key not in readable:
        raise PermissionRefused(f"{actor.name} may not read an institution {key!r}.")


def readable_dataset(session: Session, actor: Actor) -> Dataset:
    """Everything `actor` may read, as the typed frames the analysis, reports and exports use.

    A funder reads a quarter's reported values only once it is approved (`tracker.quarter_use`).
    """
    return readable_dataset_and_quarters(session, actor)[0]


def readable_dataset_and_quarters(
    session: Session, actor: Actor, *, include_submitted: bool | None = None,
    institution: str | None = None,
) -> tuple[Dataset, QuarterUse | None]:
    """`readable_dataset`, and for a funder which quarters it holds (None for other roles).

    `include_submitted` (default: TRACKER_FUNDERS_SEE_SUBMITTED) lets a funder also read
    submitted quarters not yet approved, marked as such. With `institution`, only that one
    (refused unless `actor` may read it), read by one query per table.
    """
    # pandas is imported here, not with the module: reading stored results needs only scope.
    from tracker.queries import load_dataset

    readable = readable_institutions(session, actor)
    if institution is not None:
        require_institution(session, actor, institution)
        readable = {institution}
    dataset = load_dataset(session, institutions=readable)
    portfolios = readable_portfolios(actor)
    if portfolios is not None:
        members = dataset["portfolios"]
        dataset.frames["portfolios"] = members[members["portfolio"].isin(portfolios)].reset_index(
            drop=True
        )
    if actor.role != "funder":
        return dataset, None
    from tracker.config import setting_bool
    from tracker.quarter_use import funders_view
    from tracker.writes.quarter.review import quarter_states

    if include_submitted is None:
        include_submitted = setting_bool("TRACKER_FUNDERS_SEE_SUBMITTED")
    states = quarter_states(session, institutions=readable)
    return funders_view(dataset, states, include_submitted=include_submitted)


# Tables whose record key starts with the institution key ("wigan|resident_trust|2024Q3").
_INSTITUTION_FIRST = frozenset({
    "institutions", "leadership", "partners", "activities", "indicator_values", "observations",
    "factors", "diagnostics", "quarter_submissions", "leadership_confirmations",
    "quarter_comments", "targets", "persistence_targets",
})
# Tables whose record key is their own key, owned by one institution.
_KEYED: dict[str, Any] = {
    "changes": models.StructuralChange,
    "decisions": models.Decision,
    "claims": models.ContributionClaim,
    "evidence": models.EvidenceItem,
}
# Definitions every institution shares and every user reads.
_SHARED = frozenset({"indicators"})


@dataclass(frozen=True)
class AuditScope:
    """Which audit entries a non-administrator may see (see the module docstring)."""

    actor: str
    institutions: frozenset[str]
    portfolios: frozenset[str]
    places: frozenset[str]
    keys: dict[str, frozenset[str]] = field(default_factory=dict)
    # For a funder: the quarters whose values and review thread they read (None: every one).
    quarters: frozenset[tuple[str, str]] | None = None

    def allows(self, *, actor: str, table_name: str | None, record_key: str | None) -> bool:
        """True when an entry by `actor` about `table_name`/`record_key` may be shown."""
        if actor == self.actor:
            return True
        if table_name is None or record_key is None:
            return False
        first, _, rest = record_key.partition("|")
        if table_name in ("users", "api_tokens"):
            return record_key == self.actor
        if table_name in _SHARED:
            return True
        if table_name in _QUARTER_KEYED and self.quarters is not None:
            return quarter_of(record_key) in self.quarters
        if table_name in _INSTITUTION_FIRST:
            return first in self.institutions
        if table_name in _KEYED:
            return record_key in self.keys.get(table_name, frozenset())
        if table_name == "change_status":
            return first in self.keys.get("changes", frozenset())
        if table_name == "portfolios":
            return first in self.portfolios and rest in self.institutions
        if table_name == "places":
            return record_key in self.places
        return False


def audit_scope(session: Session, actor: Actor) -> AuditScope | None:
    """The audit entries `actor` may see; None means every entry (administrators)."""
    institutions = readable_institutions(session, actor)
    if institutions is None:
        return None
    keys = {
        table: frozenset(session.scalars(_owned_keys(model, institutions)))
        for table, model in _KEYED.items()
    }
    places = frozenset(
        session.scalars(
            select(models.Place.key)
            .join(models.Institution, models.Institution.place_id == models.Place.id)
            .where(models.Institution.key.in_(sorted(institutions)))
        )
    )
    return AuditScope(
        actor=actor.name,
        institutions=frozenset(institutions),
        portfolios=frozenset(readable_portfolios(actor) or ()),
        places=places,
        keys=keys,
        quarters=readable_quarters(session, actor),
    )


def _owned_keys(model: Any, institutions: Iterable[str]) -> Select[Any]:
    return (
        select(model.key)
        .join(models.Institution, models.Institution.id == model.institution_id)
        .where(models.Institution.key.in_(sorted(institutions)))
    )
