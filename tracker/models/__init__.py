"""The schema: SQLAlchemy 2 typed models for the whole domain of product.md, by area.

`from tracker import models` then `models.Institution` is how the code reads it; each area is a
module: `base` (what every table shares), `cases` (the records of a case), `evidence` (the
contribution analysis), `portfolios` (portfolios and targets), `quarters` (the quarter's life),
`accounts` (users, tokens, sessions), `history` (versions, audit, schema versions) and
`results_store` (stored analyses). Every area imports `base` only.

Conventions:
- every constraint has a name (`NAMING_CONVENTION`), so migrations can alter them on SQLite too;
- vocabularies are portable enums: a VARCHAR with a named CHECK constraint, the same on SQLite
  and PostgreSQL (no native PostgreSQL ENUM types to migrate);
- every domain row carries `version`, `recorded_at`, `recorded_by` and `reason`; changing a row
  first copies its previous version into `record_versions`, so no value is ever destroyed;
- rows are identified across imports by natural keys (the workbook's identity columns), which
  are unique constraints here.
"""

from __future__ import annotations

from tracker.models.accounts import ApiToken, BrowserSession, User, UserInstitution, UserPortfolio
from tracker.models.base import (
    KEY_LENGTH,
    NAMING_CONVENTION,
    Base,
    Retractable,
    Versioned,
    choice,
    date_in_domain,
    period_in_domain,
)
from tracker.models.cases import (
    Activity,
    ChangeStatus,
    Decision,
    Indicator,
    IndicatorValue,
    Institution,
    LeadershipTenure,
    Observation,
    PartnerEngagement,
    Place,
    StructuralChange,
)
from tracker.models.evidence import (
    CommissioningDiagnostic,
    ContributionClaim,
    EvidenceItem,
    InfluencingFactor,
)
from tracker.models.history import AuditEntry, RecordVersion, SchemaVersion, SourceRecord
from tracker.models.portfolios import PersistenceTarget, Portfolio, PortfolioMember, Target
from tracker.models.quarters import (
    LeadershipConfirmation,
    QuarterComment,
    QuarterSubmission,
    ReminderSent,
    ReopeningRequest,
    SubmissionNote,
)
from tracker.models.results_store import AnalysisDataVersion, StoredAnalysis

__all__ = [
    "KEY_LENGTH",
    "NAMING_CONVENTION",
    "Activity",
    "AnalysisDataVersion",
    "ApiToken",
    "AuditEntry",
    "Base",
    "BrowserSession",
    "ChangeStatus",
    "CommissioningDiagnostic",
    "ContributionClaim",
    "Decision",
    "EvidenceItem",
    "Indicator",
    "IndicatorValue",
    "InfluencingFactor",
    "Institution",
    "LeadershipConfirmation",
    "LeadershipTenure",
    "Observation",
    "PartnerEngagement",
    "PersistenceTarget",
    "Place",
    "Portfolio",
    "PortfolioMember",
    "QuarterComment",
    "QuarterSubmission",
    "RecordVersion",
    "ReminderSent",
    "ReopeningRequest",
    "Retractable",
    "SchemaVersion",
    "SourceRecord",
    "StoredAnalysis",
    "StructuralChange",
    "SubmissionNote",
    "Target",
    "User",
    "UserInstitution",
    "UserPortfolio",
    "Versioned",
    "choice",
    "date_in_domain",
    "period_in_domain",
]
