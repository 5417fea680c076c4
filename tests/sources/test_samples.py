"""Each sample export imports with the command sample_data/sources/README.md shows, lands as
its mapping says, and changes nothing when imported again."""

from __future__ import annotations

import json
import re
import shlex

import pytest
from sqlalchemy import Engine, text

from tests.commands.conftest import Tracker
from tests.sources.conftest import ROOT, SOURCES

COMMANDS = [
    shlex.split(line)[1:]
    for line in (SOURCES / "README.md").read_text(encoding="utf-8").splitlines()
    if re.match(r"^tracker import \S+ --from ", line)
]


def _value(engine: Engine, institution: str, indicator: str, period: str) -> float | None:
    with engine.connect() as conn:
        return conn.execute(text(
            "SELECT v.value FROM indicator_values v JOIN institutions i ON i.id = v.institution_id"
            " JOIN indicators d ON d.id = v.indicator_id WHERE i.key = :i AND d.key = :d"
            " AND v.period = :p"), {"i": institution, "d": indicator, "p": period}).scalar()


def test_the_readme_shows_a_command_for_every_source() -> None:
    shown = {args[args.index("--from") + 1] for args in COMMANDS}
    assert shown == {"kobo", "odk", "dhis2", "adx", "360giving"}


@pytest.mark.parametrize("args", COMMANDS, ids=[a[1].split("/", 2)[2] for a in COMMANDS])
def test_the_sample_imports_with_the_readme_command_and_again_changes_nothing(
    args: list[str], on_sample: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    first = on_sample(*args)
    assert first.exit_code == 0, first.stderr
    assert "Imported" in first.stdout
    again = on_sample(*args)
    assert again.exit_code == 0, again.stderr
    assert "Nothing to change" in again.stdout


def test_kobo_values_observations_and_evidence_land_and_not_approved_is_skipped(
    on_sample: Tracker, sample_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    ran = on_sample(*COMMANDS[0])
    assert "Skipped 1" in ran.stdout and "state not_approved" in ran.stdout
    assert _value(sample_engine, "wigan-council", "staff_turnover", "2026Q3") == 8.9
    assert _value(sample_engine, "northdale-council", "staff_morale", "2026Q3") == 61
    assert _value(sample_engine, "test-valley-council", "staff_turnover", "2026Q3") is None
    with sample_engine.connect() as conn:
        narrative, stage = conn.execute(text(
            "SELECT o.narrative, o.stage FROM observations o JOIN institutions i"
            " ON i.id = o.institution_id WHERE i.key = 'northdale-council' AND o.period = '2026Q3'"
        )).one()
        # The select_multiple column joins the narrative after the summary.
        assert narrative.endswith("go to cabinet.\n\ntraining")
        assert stage == "initial_implementation"
        evidence = conn.execute(text(
            "SELECT title, source, date FROM evidence_items WHERE key LIKE 'kobo-%'")).all()
        sources = conn.execute(text(
            "SELECT source, source_id, table_name FROM source_records ORDER BY id")).all()
    assert [(e[0], str(e[2])) for e in evidence] == [
        ("Photo of the quarter's team meeting", "2026-10-06")]
    assert evidence[0][1].startswith("https://kf.kobotoolbox.org/")
    assert {s[0] for s in sources} == {"kobo"} and len(sources) == 7
    assert ("kobo", "_id 412", "indicator_values") in sources


def test_dhis2_monthly_values_are_averaged_into_the_quarter(
    on_sample: Tracker, sample_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    args = next(a for a in COMMANDS if a[1].endswith("data_values.csv"))
    assert on_sample(*args).exit_code == 0
    assert _value(sample_engine, "reach-school-a", "attendance", "2026Q3") == pytest.approx(
        (94.1 + 93.2 + 95.0) / 3)


def test_a_360giving_grant_that_ends_is_a_partner_withdrawal_that_tests_a_change(
    on_sample: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    args = next(a for a in COMMANDS if "360giving" in a)
    ran = on_sample(*args)
    assert "1 recipient not in the crosswalk" in ran.stdout
    analysed = on_sample("analyse", "--institution", "wigan-council", "--format", "json",
                         "--fresh")
    wigan = json.loads(analysed.stdout)["institutions"][0]
    withdrawals = [t for t in wigan["turnovers"] if t["kind"] == "partner_withdrawal"]
    assert [(t["partner"], t["date"]) for t in withdrawals] == [
        ("Northern Places Fund", "2023-03-31")]
    tested = [
        test for change in wigan["changes"] for test in change["tests"]
        if test["turnover"]["kind"] == "partner_withdrawal"
    ]
    assert tested and all(t["turnover"]["date"] == "2023-03-31" for t in tested)


def test_from_needs_a_mapping_and_a_mapping_needs_from(
    on_sample: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    export = "sample_data/sources/kobo/quarterly_check_in.csv"
    alone = on_sample("import", export, "--from", "kobo")
    assert alone.exit_code == 1 and "--from needs --mapping MAPPING.toml" in alone.stderr
    stray = on_sample("import", "sample_data", "--mapping", "sample_data/sources/kobo/mapping.toml")
    assert stray.exit_code == 1 and "--mapping goes with --from SOURCE" in stray.stderr
    wrong = on_sample("import", export, "--from", "odk", "--mapping",
                      "sample_data/sources/kobo/mapping.toml")
    assert wrong.exit_code == 1
    assert "mapping.toml, key source: the mapping is for kobo, not for --from odk" in wrong.stderr
    unknown = on_sample("import", export, "--from", "surveymonkey", "--mapping",
                        "sample_data/sources/kobo/mapping.toml")
    assert unknown.exit_code == 1
    assert "--from must be one of kobo, odk, dhis2, adx, 360giving" in unknown.stderr
