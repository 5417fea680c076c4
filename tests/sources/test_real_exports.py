"""Real exports, written by the tools themselves (taken from their own public repositories: see
tests/sources/real_exports/README.md), imported with mappings written from the documentation
alone (the "Sources" section of docs/administrator.md): values land as the mapping says, a
second import changes nothing, an edit made in the tool is a correction with history, and a bad
record is refused, located, with nothing written.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from tests.commands.conftest import Tracker

REAL = Path(__file__).resolve().parent / "real_exports"


def _rows(engine: Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def _values(engine: Engine) -> list[tuple[object, ...]]:
    return _rows(engine, (
        "SELECT i.key, d.key, v.period, v.value, v.version, v.source FROM indicator_values v"
        " JOIN institutions i ON i.id = v.institution_id JOIN indicators d"
        " ON d.id = v.indicator_id ORDER BY i.key, d.key, v.period"))


def _import(tracker: Tracker, source: str, export: Path, mapping: Path | None = None) -> str:
    ran = tracker("import", str(export), "--from", source, "--mapping",
                  str(mapping or REAL / source / "mapping.toml"))
    assert ran.exit_code == 0, ran.stderr
    return ran.stdout


@pytest.fixture
def followed(tracker: Tracker) -> Tracker:
    """The institutions and indicators the real exports' mappings name."""
    assert tracker("import", str(REAL / "workbook")).exit_code == 0
    return tracker


def test_a_dhis2_data_value_set_lands_as_mapped_and_again_changes_nothing(
    followed: Tracker, engine: Engine
) -> None:
    export = REAL / "dhis2" / "dataValues_bulk.json"
    first = _import(followed, "dhis2", export)
    # 150 values: two are mapped, the other data elements (and category option combinations)
    # are skipped as `unmapped = "skip"` says; 201912 is the third month of 2019Q4.
    assert "150 records read" in first and "148 data element not in the mapping" in first
    assert _values(engine) == [
        ("bo-district", "budget_spent", "2019Q4", 2000.0, 1, "DHIS2 (Sierra Leone demo)"),
        ("bo-district", "staff_trained", "2019Q4", 1000.0, 1, "DHIS2 (Sierra Leone demo)"),
    ]
    # Provenance: DHIS2's identity of the value, versioned by lastUpdated where the export
    # gives one, else by the value.
    assert _rows(engine, "SELECT source, source_id, source_version FROM source_records"
                 " ORDER BY source_id") == [
        ("dhis2", "BjDrgVrkBI3|2019Q4|O6uvpzGd5pu|oPcWGgS2Liz", "1000.0"),
        ("dhis2", "OCuA0tI3BCi|2019Q4|O6uvpzGd5pu|HllvX50cXC0", "2019-09-02T15:45:24.476+0000"),
    ]
    assert "Nothing to change" in _import(followed, "dhis2", export)
    assert len(_values(engine)) == 2


def test_a_dhis2_value_changed_since_without_last_updated_is_a_correction(
    followed: Tracker, engine: Engine, tmp_path: Path
) -> None:
    """DHIS2 leaves lastUpdated out of values it has none for (80 of the real set's): the
    value versions them, so the same value changed in a later export is an edit made in DHIS2
    (the later export here is the real one with that value changed)."""
    export = REAL / "dhis2" / "dataValues_bulk.json"
    _import(followed, "dhis2", export)
    data = json.loads(export.read_text(encoding="utf-8"))
    changed = next(v for v in data["dataValues"] if v["dataElement"] == "BjDrgVrkBI3"
                   and v["categoryOptionCombo"] == "oPcWGgS2Liz")
    assert "lastUpdated" not in changed
    changed["value"] = "1200"
    later = tmp_path / "dataValues_later.json"
    later.write_text(json.dumps(data, indent=2), encoding="utf-8")
    assert "1 corrected" in _import(followed, "dhis2", later)
    assert ("bo-district", "staff_trained", "2019Q4", 1200.0, 2,
            "DHIS2 (Sierra Leone demo)") in _values(engine)
    assert _rows(engine, "SELECT reason FROM audit_log WHERE action = 'correct'") == [(
        "DHIS2 record BjDrgVrkBI3|2019Q4|O6uvpzGd5pu|oPcWGgS2Liz was edited in DHIS2 (version "
        "1000.0 replaced by 1200.0)",)]


def test_a_dhis2_mapping_naming_a_yes_no_and_a_yearly_element_is_refused_located(
    followed: Tracker, engine: Engine, tmp_path: Path
) -> None:
    mapping = tmp_path / "dhis2.toml"
    mapping.write_text((REAL / "dhis2" / "mapping.toml").read_text(encoding="utf-8") + (
        'Md3xk3vlABx = { indicator = "budget_spent", unit = "leones" }\n'
        'tpz77FcntKx = { indicator = "staff_trained", unit = "people" }\n'), encoding="utf-8")
    ran = followed("import", str(REAL / "dhis2" / "dataValues_bulk.json"), "--from", "dhis2",
                   "--mapping", str(mapping))
    assert ran.exit_code == 1
    for expected in (
        "dataValues_bulk.json, dataValues[1] (tpz77FcntKx 2018 O6uvpzGd5pu), column "
        "\"period\": '2018' is neither a quarter (yyyyQn) nor a month (yyyyMM)",
        "dataValues_bulk.json, dataValues[73] (Md3xk3vlABx 201912 O6uvpzGd5pu), column "
        "\"value\": 'true' is not a number",
        "Nothing was written.",
    ):
        assert expected in ran.stderr
    assert _values(engine) == []


def test_a_kobo_csv_export_lands_as_mapped_with_its_empty_status_and_n_a_read_as_no_answer(
    followed: Tracker, engine: Engine
) -> None:
    """KoboToolbox's CSV export writes `{}` as the validation status of a submission nobody
    has reviewed and `n/a` for a question the form skipped (here the picture)."""
    export = REAL / "kobo" / "tutorial_w_repeats.csv"
    assert ",{}\n" in export.read_text(encoding="utf-8")
    first = _import(followed, "kobo", export)
    assert "1 records read" in first and "Skipped" not in first
    # The quarter of the submission date (2013-02-18); the first child of the repeat group,
    # flattened into `children[1]/…` columns.
    assert _values(engine) == [
        ("bobs-household", "eldest_child_age", "2013Q1", 12.0, 1, "KoboToolbox (tutorial form)"),
        ("bobs-household", "respondent_age", "2013Q1", 25.0, 1, "KoboToolbox (tutorial form)"),
    ]
    assert _rows(engine, "SELECT count(*) FROM evidence_items") == [(0,)]
    assert set(_rows(engine, "SELECT source, source_id, source_version FROM source_records")) == {
        ("kobo", "b31c6ac2-b8ca-4180-914f-c844fa10ed3b", "b31c6ac2-b8ca-4180-914f-c844fa10ed3b")}
    assert "Nothing to change" in _import(followed, "kobo", export)
    assert len(_values(engine)) == 2


def test_odk_central_csv_exports_land_as_mapped_without_meta_instance_id_column(
    followed: Tracker, engine: Engine
) -> None:
    """ODK Central's own CSV exports of a form without meta/instanceID (so without a
    meta-instanceID column); the second holds a submission Central could not decrypt
    (Status "missing encrypted form data", no fields) and a rejected one."""
    export = REAL / "odk" / "mytestform.csv"
    assert "meta-instanceID" not in export.read_text(encoding="utf-8")
    first = _import(followed, "odk", export)
    assert "3 records read" in first and "1 institution not in the crosswalk" in first
    assert _values(engine) == [
        ("alices-household", "respondent_age", "2018Q1", 30.0, 1, "ODK Central (mytestform)"),
        ("bobs-household", "respondent_age", "2018Q1", 34.0, 1, "ODK Central (mytestform)"),
    ]
    assert _rows(engine, "SELECT source, source_id, source_version FROM source_records"
                 " ORDER BY source_id") == [("odk", "one", "one"), ("odk", "two", "two")]
    assert "Nothing to change" in _import(followed, "odk", export)
    states = _import(followed, "odk", REAL / "odk" / "mytestform_review_states.csv")
    assert "1 state rejected, 1 status missing encrypted form data" in states
    assert "Nothing to change" in states
    assert len(_values(engine)) == 2


def test_an_odk_submission_central_could_not_decrypt_is_skipped_not_refused(
    followed: Tracker, engine: Engine, tmp_path: Path
) -> None:
    mapping = tmp_path / "odk.toml"
    mapping.write_text((REAL / "odk" / "mapping.toml").read_text(encoding="utf-8").replace(
        'unmatched = "skip"', ""), encoding="utf-8")
    ran = followed("import", str(REAL / "odk" / "mytestform_review_states.csv"), "--from",
                   "odk", "--mapping", str(mapping))
    assert ran.exit_code == 0, ran.stderr
    assert "Skipped 2" in ran.stdout and _values(engine) == []


def test_real_360giving_grants_with_a_duration_become_engagements_ending_in_a_withdrawal(
    followed: Tracker, engine: Engine
) -> None:
    """Esmée Fairbairn Foundation's grants as published (GrantNav's test data) give
    `plannedDates` as a duration in months only: the engagement ends the day before the
    duration has run from the award date, and that end is a partner withdrawal."""
    export = REAL / "360giving" / "grantnav-20180903134856.json"
    first = _import(followed, "360giving", export)
    assert "5 records read" in first and "3 recipient not in the crosswalk" in first
    engagements = _rows(engine, (
        "SELECT i.key, p.partner, p.start, p.end, p.kind, p.notes FROM partner_engagements p"
        " JOIN institutions i ON i.id = p.institution_id ORDER BY i.key"))
    assert [(e[0], e[1], str(e[2]), str(e[3]), e[4], e[5]) for e in engagements] == [
        ("effervescent", "Esmée Fairbairn Foundation", "2017-11-21", "2019-11-20", "funder",
         "360Giving grant 360G-EFF-16-3315: Grant to Effervescent"),
        ("philharmonia-orchestra", "Esmée Fairbairn Foundation", "2017-11-02", "2020-11-01",
         "funder", "360Giving grant 360G-EFF-16-3357: Grant to Philharmonia Orchestra"),
    ]
    assert set(_rows(engine, "SELECT source, source_id, source_version FROM source_records")) == {
        ("360giving", "360G-EFF-16-3315", "2018-08-24T13:12:00.000Z"),
        ("360giving", "360G-EFF-16-3357", "2018-08-24T13:12:00.000Z")}
    assert "Nothing to change" in _import(followed, "360giving", export)
    analysed = followed("analyse", "--institution", "effervescent", "--format", "json")
    turnovers = json.loads(analysed.stdout)["institutions"][0]["turnovers"]
    assert [(t["kind"], t["partner"], t["date"]) for t in turnovers] == [
        ("partner_withdrawal", "Esmée Fairbairn Foundation", "2019-11-20")]


def test_dhis2s_own_adx_export_of_two_months_is_refused_located_and_its_import_test_lands(
    followed: Tracker, engine: Engine
) -> None:
    """exportB.adx.xml is the ADX DHIS2 writes in its own export test: January and February
    2020 only, so no quarter can be made of its months (`period.monthly = "sum"` needs all
    three): refused, located, nothing written. importB.adx.xml, the ADX message of DHIS2's own
    import test, has quarters (`2021-01-01/P3M`) and a mechanism per group: its value lands."""
    refused = followed("import", str(REAL / "adx" / "exportB.adx.xml"), "--from", "adx",
                       "--mapping", str(REAL / "adx" / "mapping.toml"))
    assert refused.exit_code == 1
    assert ('exportB.adx.xml, group 4, dataValue 1, column "period": 2020Q1 of MalNummmmmm at '
            "D4566666666 has 1 of its 3 months (group 4, dataValue 1): a sum needs all three"
            ) in refused.stderr
    assert "Nothing was written." in refused.stderr and _values(engine) == []
    export = REAL / "adx" / "importB.adx.xml"
    first = _import(followed, "adx", export)
    # Only the reasons that skipped something are named.
    assert ("Skipped 8 (not imported, as the mapping says): 8 data element not in the "
            "mapping.") in first
    assert "0 organisation unit" not in first
    assert _values(engine) == [
        ("bo-district", "malaria_cases", "2021Q1", 20.0, 1, "ADX (DHIS2 malaria data set)")]
    assert _rows(engine, "SELECT source_id, source_version FROM source_records") == [
        ("MalNummmmmm|2021Q1|D4566666666|age=over5,sex=F", "20")]
    assert "Nothing to change" in _import(followed, "adx", export)
