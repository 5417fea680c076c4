"""What an import did, or would do: per table, rows new, corrected and unchanged, and the
plausibility warnings about incoming values."""

from __future__ import annotations

from dataclasses import dataclass, field

from tracker.writes.imports.plan import TablePlan
from tracker.writes.imports.plausible import ValueDoubt
from tracker.writes.imports.spellings import SpellingDoubt

WARNING_LIMIT = 50


@dataclass
class ImportReport:
    source: str
    dry_run: bool
    plans: dict[str, TablePlan] = field(default_factory=dict)
    # Plausibility warnings about incoming indicator values and names spelled two ways (never
    # a refusal).
    warnings: list[ValueDoubt | SpellingDoubt] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(not p.is_empty for p in self.plans.values())

    def counts(self) -> dict[str, dict[str, int]]:
        return {
            name: {
                "new": len(plan.new),
                "corrected": len(plan.corrections),
                "unchanged": plan.unchanged,
            }
            for name, plan in self.plans.items()
        }

    def summary(self) -> str:
        lines = []
        for name, c in self.counts().items():
            lines.append(
                f"  {name + '.csv':<22} {c['new']:>8} new  {c['corrected']:>6} corrected  "
                f"{c['unchanged']:>8} unchanged"
            )
        if self.dry_run:
            head = "Dry run: nothing was written. The import would make these changes:"
        elif self.changed:
            head = f"Imported {self.source}:"
        else:
            head = f"Nothing to change: {self.source} matches what is stored."
        return "\n".join([head, *lines, *self.warning_lines()])

    def warning_lines(self, limit: int = WARNING_LIMIT) -> list[str]:
        """The plausibility warnings, one a line (values are written all the same)."""
        if not self.warnings:
            return []
        count = len(self.warnings)
        lines = [
            f"Plausibility warnings ({count}; the values are written all the same: add a note "
            "to a value if it is right):"
        ]
        lines.extend(f"  {w}" for w in self.warnings[:limit])
        if count > limit:
            lines.append(f"  … and {count - limit} more")
        return lines
