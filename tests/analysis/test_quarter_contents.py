"""What a reviewer approves (#24, 2): the quarter's values with their change from the quarter
before and their plausibility warnings, the narrative with its language warnings, and the
records dated in the quarter — nothing of other quarters."""

from __future__ import annotations

from tests.builders import Scenario
from tracker.analysis.quarter_contents import quarter_contents


def _northdale() -> Scenario:
    return (
        Scenario("northdale")
        .indicator("trust", unit="%")
        .values("trust", "2024Q1", [60, 61, 60, 62, 61, 60, 61, 6.2])  # 2025Q4: a typo
        .observation("2025Q4", narrative="The Wigan Deal caused the rise in resident trust.",
                     stage="full_implementation")
        .observation("2025Q3", narrative="Quiet.")
        .tenure("chief_executive", "A", "2015-01-01", "2025-11-30")
        .tenure("chief_executive", "B", "2025-12-01")
        .change("c1", adopted="2016-01-01")
        .status("c1", "2025-10-15", "weakened")
        .status("c1", "2019-04-01", "in_force")
        .evidence("e1", "2025-11-02", title="Minutes of the cabinet")
        .evidence("e0", "2024-01-02", title="An older item")
    )


def test_a_quarter_holds_its_values_with_the_change_from_the_quarter_before() -> None:
    contents = quarter_contents(_northdale().build(), institution="northdale", period="2025Q4")
    (line,) = contents.values
    assert (line.value, line.previous, line.previous_period) == (6.2, 61, "2025Q3")
    assert line.change is not None and round(line.change, 1) == -54.8
    assert [d.kind for d in line.doubts] == ["jump"]


def test_a_quarter_holds_its_narrative_with_the_attribution_warning() -> None:
    contents = quarter_contents(_northdale().build(), institution="northdale", period="2025Q4")
    assert contents.narrative == "The Wigan Deal caused the rise in resident trust."
    assert contents.stage == "full_implementation"
    assert [f.phrase for f in contents.language] == ["caused"]
    assert contents.warnings == 2


def test_a_quarter_holds_only_the_records_dated_in_it() -> None:
    contents = quarter_contents(_northdale().build(), institution="northdale", period="2025Q4")
    assert list(contents.evidence["title"]) == ["Minutes of the cabinet"]
    assert list(contents.leadership["holder"]) == ["A", "B"]  # one ends, one starts
    assert list(contents.status_records["status"]) == ["weakened"]
    assert list(contents.status_records["change"]) == ["c1"]


def test_a_quiet_quarter_has_no_warning() -> None:
    contents = quarter_contents(_northdale().build(), institution="northdale", period="2025Q3")
    assert contents.warnings == 0 and contents.narrative == "Quiet."
    assert contents.evidence.empty and contents.leadership.empty
