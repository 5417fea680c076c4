"""`tracker results refresh` from the command line, on SQLite and PostgreSQL: it recomputes
what is stale and only that, says so in one line, refreshes what funders read with
`--funders`, and is refused to anyone but an administrator."""

from __future__ import annotations

from tests.commands.conftest import SAMPLE, Tracker


def test_refresh_recomputes_the_stale_results_and_then_nothing(tracker: Tracker) -> None:
    assert tracker("import", str(SAMPLE)).exit_code == 0
    first = tracker("results", "refresh")
    assert first.exit_code == 0, first.stderr
    computed = int(first.stdout.split("Recomputed ", 1)[1].split(" ", 1)[0])
    assert computed > 0
    again = tracker("results", "refresh")
    assert again.stdout.startswith(f"Recomputed 0 result(s); {computed} already fresh;")
    everything = tracker("results", "refresh", "--all")
    assert everything.stdout.startswith(f"Recomputed {computed} result(s); 0 already fresh;")


def test_refresh_with_funders_also_refreshes_what_funders_read(tracker: Tracker) -> None:
    assert tracker("import", str(SAMPLE)).exit_code == 0
    ran = tracker("results", "refresh", "--funders")
    assert ran.exit_code == 0, ran.stderr
    lines = ran.stdout.strip().splitlines()
    assert lines[0].startswith("Recomputed ")
    assert lines[1].startswith("Funders' view (approved quarters): recomputed ")
    assert not lines[1].startswith("Funders' view (approved quarters): recomputed 0 ")
    again = tracker("results", "refresh", "--funders").stdout.strip().splitlines()
    assert again[1].startswith("Funders' view (approved quarters): recomputed 0 result(s)")


def test_only_an_administrator_may_refresh(tracker: Tracker) -> None:
    assert tracker("import", str(SAMPLE)).exit_code == 0
    added = tracker("users", "add", "eve", "--role", "evaluator", "--institution",
                    "wigan-council", "--no-password")
    assert added.exit_code == 0, added.stderr
    refused = tracker("results", "refresh", "--as", "eve")
    assert refused.exit_code == 1
    assert "may not refresh results; administrators may" in refused.stderr
