"""Words and icons for the vocabularies, so that no verdict is told by colour alone.

Every verdict, summary, status and phase the dashboard shows carries a symbol *and* a word;
charts use the same colours everywhere (`*_COLOURS`, chosen to stay apart for the common
colour-vision deficiencies: blue/orange rather than green/red as the main contrast).
"""

from __future__ import annotations

# Symbols from the fonts every system has (no colour emoji: a browser without an emoji font
# would show empty boxes, and the symbol must never be the only cue anyway).
VERDICT_ICONS = {
    # structural-change verdicts (per test) and summaries (per change)
    "persisted": "✔",
    "reversed": "✘",
    "reversed_after_turnover": "✘",
    "too_early": "◷",
    "unconfirmed": "⁇",
    "untested": "◌",
    # indicator verdicts
    "held": "✔",
    "declined": "↘",
    "insufficient_data": "◌",
}

STATUS_ICONS = {"in_force": "■", "weakened": "◐", "reversed": "✘", "superseded": "↪"}
PHASE_ICONS = {"early": "◔", "middle": "◑", "later": "●"}
AT_RISK = "⚠ at risk"
COSTLY_REVERSAL = "◆ costly reversal"
YES, NO = "✔ yes", "✘ no"
EVIDENCE_DIRECTIONS = {True: "⊕ for", False: "⊖ against", None: "◌ not stated"}

# Colour-blind-safe (Okabe–Ito) colours; each always appears beside its word.
STATUS_COLOURS = {
    "in_force": "#0072B2",
    "weakened": "#E69F00",
    "reversed": "#D55E00",
    "superseded": "#999999",
}
PHASE_COLOURS = {"early": "#F0E442", "middle": "#56B4E9", "later": "#009E73"}
VERDICT_COLOURS = {
    "persisted": "#0072B2",
    "reversed": "#D55E00",
    "too_early": "#E69F00",
    "unconfirmed": "#999999",
}
TURNOVER_COLOURS = {"leadership": "#CC79A7", "partner_withdrawal": "#D55E00"}
DECISION_KINDS = ("costly reversal", "reversal", "because of the community", "decision")
DECISION_SHAPES = {
    "costly reversal": "diamond",
    "reversal": "triangle-up",
    "because of the community": "square",
    "decision": "circle",
}
DECISION_COLOURS = {
    "costly reversal": "#D55E00",
    "reversal": "#E69F00",
    "because of the community": "#56B4E9",
    "decision": "#999999",
}

def words(value: str | None) -> str:
    """A vocabulary word as prose: `reversed_after_turnover` → "reversed after turnover"."""
    if value is None:
        return "–"
    return value.replace("_", " ")


def verdict_label(verdict: str) -> str:
    """A verdict or summary with its icon, e.g. "✅ persisted"."""
    return f"{VERDICT_ICONS.get(verdict, '•')} {words(verdict)}"


def status_label(status: str) -> str:
    return f"{STATUS_ICONS.get(status, '•')} {words(status)}"


def phase_label(phase: str) -> str:
    return f"{PHASE_ICONS.get(phase, '•')} {words(phase)}"

