"""axe-core (npm, `package.json`; `make install` runs `npm ci`) run in a page the browser tests
have open: the serious and critical violations of WCAG 2 A and AA it finds, one line each."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tracker.config import PROJECT_ROOT

AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
_RUN = """async () => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa"]}});
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}, ${v.nodes.length} element(s)), e.g. `
      + `${v.nodes[0].html.slice(0, 120)}: `
      + v.nodes[0].failureSummary.split("\\n").slice(1).join(" ").trim());
}"""


def axe_script() -> Path:
    """The axe-core script; skips (fails with TRACKER_REQUIRE_BROWSER) when npm has not
    installed it."""
    if not AXE.is_file():
        why = f"{AXE} is missing: run `make install` (npm ci) for the accessibility check"
        if os.environ.get("TRACKER_REQUIRE_BROWSER"):
            pytest.fail(why)
        pytest.skip(why)
    return AXE


def serious_violations(page: Any, script: Path) -> list[str]:
    """What axe-core finds seriously wrong on the page as it is now."""
    page.add_script_tag(path=str(script))
    found: list[str] = page.evaluate(_RUN)
    return found
