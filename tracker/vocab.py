"""The controlled vocabularies of the domain (product.md, interfaces.md).

Each is a tuple in a meaningful order (the causal chain runs from engagement to basic
assumption; implementation stages follow Fixsen et al. 2005), so that reports can sort by it.
"""

from __future__ import annotations

INSTITUTION_KINDS = (
    "local_authority",
    "school",
    "trust",
    "health",
    "police",
    "voluntary",
    "other",
)

# The theory of change every claim is tested against, in causal order.
CHAIN_LINKS = (
    "engagement",
    "individual_practice",
    "team_norms",
    "structural_embedding",
    "basic_assumption",
)

CHAIN_LINK_LABELS = {
    "engagement": "sustained professional engagement",
    "individual_practice": "individual practice change",
    "team_norms": "team norms",
    "structural_embedding": "structural embedding",
    "basic_assumption": "basic assumption change",
}

CHANGE_KINDS = (
    "hiring_criteria",
    "performance_framework",
    "governance",
    "policy",
    "role_definition",
    "structure",
    "practice",
    "language",
    "other",
)

# Schein (2010): what organisations show, what they say, what they do when no one is watching.
CULTURE_LEVELS = ("artefact", "espoused_value", "basic_assumption")

CHANGE_STATUSES = ("in_force", "weakened", "reversed", "superseded")
# Statuses that end a change's life: a reversed or superseded change is no longer tested.
ENDING_STATUSES = ("reversed", "superseded")

DECISION_COSTS = ("none", "budget", "power", "reputation", "time", "other")

# Fixsen et al. (2005) implementation stages.
STAGES = (
    "exploration",
    "installation",
    "initial_implementation",
    "full_implementation",
    "innovation",
    "sustainability",
)

ASSESSED_ROLES = ("not_significant", "partial", "major", "unknown")

EVIDENCE_KINDS = (
    "document",
    "interview",
    "survey",
    "admin_data",
    "peer_review",
    "independent_evaluation",
    "observation",
)

# Process-tracing tests with their default sensitivity P(E|H) and type I error P(E|not H).
EVIDENCE_TESTS = {
    "hoop": (0.95, 0.6),
    "smoking_gun": (0.3, 0.02),
    "doubly_decisive": (0.95, 0.02),
    "straw_in_the_wind": (0.6, 0.4),
}

PHASES = ("early", "middle", "later")
CHANGE_VERDICTS = ("persisted", "reversed", "too_early", "unconfirmed")
CHANGE_SUMMARIES = ("persisted", "reversed_after_turnover", "too_early", "unconfirmed", "untested")
INDICATOR_VERDICTS = ("held", "declined", "insufficient_data")
TURNOVER_KINDS = ("leadership", "partner_withdrawal")

ROLES = ("admin", "evaluator", "reviewer", "institution", "funder")

# The review of an institution's quarter (tracker.writes.quarter.review): who may move it where
# is the table `TRANSITIONS` there. A quarter without a submission row is `open`.
QUARTER_STATES = ("open", "submitted", "returned", "approved")
# States in which nothing dated in the quarter may be written.
LOCKED_STATES = ("submitted", "approved")
COMMENT_KINDS = ("comment", "return", "reopen", "approve")

TARGET_KINDS = ("per_period", "cumulative")
# How long a persistence target asks a change to stay in force.
PERSISTENCE_THROUGH = ("next_turnover",)
TARGET_VERDICTS = ("met", "not_met", "not_yet_due")
