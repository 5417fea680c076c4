"""Idempotent imports with provenance: an edit made in the tool is a correction with history
naming the tool and the record; any other change of a stored value, and any bad record or
mapping, is refused with every problem located and nothing written. On SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, text

from tests.commands.conftest import Tracker

MAPPING = """
source = "{source}"
[institution]
field = "{institution}"
[period]
field = "{period}"
[indicators]
"{field}" = {{ indicator = "staff_turnover", unit = "%" }}
"""
KOBO_HEADER = "site,quarter,turnover,meta/rootUuid,_id,_uuid,_submission_time,_validation_status"
ODK_HEADER = "SubmissionDate,site,quarter,turnover,meta-instanceID,KEY,ReviewState,Edits"


def _setup(tmp_path: Path, tracker: Tracker) -> None:
    book = tmp_path / "book"
    book.mkdir()
    (book / "institutions.csv").write_text(
        "key,name,kind\nwigan-council,Wigan Council,local_authority\n"
        "hillside-school,Hillside School,school\n")
    (book / "indicators.csv").write_text(
        "key,name,unit,higher_is_better\nstaff_turnover,Staff turnover,%,false\n")
    assert tracker("import", str(book)).exit_code == 0


def _write(tmp_path: Path, name: str, content: str) -> str:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return str(path)


def _rows(engine: Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def _values(engine: Engine) -> list[tuple[object, ...]]:
    return _rows(engine, "SELECT period, value, version FROM indicator_values ORDER BY period")


def test_a_kobo_submission_edited_in_kobo_is_a_correction_naming_kobo_and_the_submission(
    tmp_path: Path, tracker: Tracker, engine: Engine
) -> None:
    _setup(tmp_path, tracker)
    mapping = _write(tmp_path, "kobo.toml", MAPPING.format(
        source="kobo", institution="site", period="quarter", field="turnover"))
    first = _write(tmp_path, "v1.csv", f"{KOBO_HEADER}\nwigan-council,2026Q3,8.9,"
                   "uuid:root-1,412,uuid:aaa-1,2026-10-06T08:31:09,\n")
    assert tracker("import", first, "--from", "kobo", "--mapping", mapping).exit_code == 0
    again = tracker("import", first, "--from", "kobo", "--mapping", mapping)
    assert "Nothing to change" in again.stdout and _values(engine) == [("2026Q3", 8.9, 1)]
    # Edited in Kobo: a new _uuid, the same rootUuid.
    edited = _write(tmp_path, "v2.csv", f"{KOBO_HEADER}\nwigan-council,2026Q3,9.4,"
                    "uuid:root-1,412,uuid:bbb-2,2026-10-06T08:31:09,validation_status_approved\n")
    ran = tracker("import", edited, "--from", "kobo", "--mapping", mapping)
    assert ran.exit_code == 0, ran.stderr
    assert "1 corrected" in ran.stdout
    assert _values(engine) == [("2026Q3", 9.4, 2)]
    reasons = _rows(engine, "SELECT reason FROM audit_log WHERE action = 'correct'")
    assert reasons == [("KoboToolbox record root-1 was edited in KoboToolbox (version aaa-1 "
                        "replaced by bbb-2)",)]
    assert _rows(engine, "SELECT source, source_id, source_version FROM source_records") == [
        ("kobo", "root-1", "bbb-2")]


def test_an_odk_edit_is_a_correction_and_a_value_changed_by_hand_is_not_overwritten(
    tmp_path: Path, tracker: Tracker, engine: Engine
) -> None:
    _setup(tmp_path, tracker)
    mapping = _write(tmp_path, "odk.toml", MAPPING.format(
        source="odk", institution="site", period="quarter", field="turnover"))
    first = _write(tmp_path, "v1.csv", f"{ODK_HEADER}\n2026-10-09T11:20:31Z,hillside-school,"
                   "2026Q3,17.2,uuid:one,uuid:one,,0\n")
    assert tracker("import", first, "--from", "odk", "--mapping", mapping).exit_code == 0
    edited = _write(tmp_path, "v2.csv", f"{ODK_HEADER}\n2026-10-09T11:20:31Z,hillside-school,"
                    "2026Q3,12.7,uuid:two,uuid:one,edited,1\n")
    assert tracker("import", edited, "--from", "odk", "--mapping", mapping).exit_code == 0
    assert _values(engine) == [("2026Q3", 12.7, 2)]
    assert "ODK Central record uuid:one was edited" in _rows(
        engine, "SELECT reason FROM audit_log WHERE action = 'correct'")[0][0]
    # Corrected by hand since: importing the same export again must not undo it.
    book = tmp_path / "fix"
    book.mkdir()
    (book / "indicator_values.csv").write_text(
        "institution,indicator,period,value\nhillside-school,staff_turnover,2026Q3,12.2\n")
    fixed = tracker("import", str(book), "--correct", "--reason", "typo in the form")
    assert fixed.exit_code == 0, fixed.stderr
    refused = tracker("import", edited, "--from", "odk", "--mapping", mapping)
    assert refused.exit_code == 1
    assert "v2.csv, row 2, column \"value\": would change the stored value '12.2'" in refused.stderr
    assert _values(engine) == [("2026Q3", 12.2, 3)]


def test_bad_records_are_all_refused_at_once_located_by_file_record_and_field(
    tmp_path: Path, tracker: Tracker, engine: Engine
) -> None:
    _setup(tmp_path, tracker)
    mapping = _write(tmp_path, "dhis2.toml", """
source = "dhis2"
[institution.crosswalk]
OU1 = "wigan-council"
[indicators]
DE1 = { indicator = "staff_turnover", unit = "%" }
""")
    values = _write(tmp_path, "set.json", """{"orgUnit": "OU1", "dataValues": [
 {"dataElement": "DE1", "period": "2026Q3", "value": "8.9"},
 {"dataElement": "DE9", "period": "2026Q3", "value": "1"},
 {"dataElement": "DE1", "period": "2026Q2", "orgUnit": "OU7", "value": "2"},
 {"dataElement": "DE1", "period": "2026W30", "value": "3"},
 {"dataElement": "DE1", "period": "202604", "value": "4"},
 {"dataElement": "DE1", "period": "2026Q1", "value": "n/a"}]}""")
    ran = tracker("import", values, "--from", "dhis2", "--mapping", mapping)
    assert ran.exit_code == 1
    assert "Traceback" not in ran.stderr
    assert ran.stderr.startswith("The import has 5 problems:")
    for expected in (
        "set.json, dataValues[2] (DE9 2026Q3 OU1), column \"dataElement\": 'DE9' is not in",
        "set.json, dataValues[3] (DE1 2026Q2 OU7), column \"orgUnit\": 'OU7' is not in the "
        "mapping's institution crosswalk",
        "set.json, dataValues[4] (DE1 2026W30 OU1), column \"period\": '2026W30' is neither",
        "set.json, dataValues[5] (DE1 202604 OU1), column \"period\": '202604' is a month",
        "set.json, dataValues[6] (DE1 2026Q1 OU1), column \"value\": 'n/a' is not a number",
        "Nothing was written.",
    ):
        assert expected in ran.stderr
    assert _values(engine) == []
    assert _rows(engine, "SELECT count(*) FROM source_records") == [(0,)]


def test_a_bad_mapping_is_refused_with_each_problem_located_by_its_key(
    tmp_path: Path, tracker: Tracker
) -> None:
    _setup(tmp_path, tracker)
    mapping = _write(tmp_path, "bad.toml", """
source = "kobo"
states = ["approved", "maybe"]
colour = "blue"
[institution]
crosswalk = { "A1" = "not a key" }
[period]
from = "sometime"
[indicators]
turnover = { indicator = "staff_turnover", unit = "per cent" }
morale = { indicator = "morale" }
""")
    export = _write(tmp_path, "x.csv", f"{KOBO_HEADER}\n")
    ran = tracker("import", export, "--from", "kobo", "--mapping", mapping)
    assert ran.exit_code == 1
    for expected in (
        "bad.toml, key states: 'maybe' is not a kobo review state",
        "bad.toml, key colour: is not a setting of a kobo mapping",
        "bad.toml, key institution.field: is required",
        "bad.toml, key institution.crosswalk.\"A1\": 'not a key' is not an institution key",
        "bad.toml, key period.from: 'sometime' is not one of field, submission_date",
    ):
        assert expected in ran.stderr
    fixed = Path(mapping).read_text()
    fixed = fixed.replace('states = ["approved", "maybe"]\ncolour = "blue"\n', "").replace(
        'crosswalk = { "A1" = "not a key" }', 'field = "site"').replace(
        'from = "sometime"', 'field = "quarter"')
    Path(mapping).write_text(fixed)
    ran = tracker("import", export, "--from", "kobo", "--mapping", mapping)
    assert ran.exit_code == 1
    assert ("bad.toml, key indicators.\"turnover\".unit: the values are in 'per cent' but "
            "staff_turnover is measured in '%'") in ran.stderr
    assert "bad.toml, key indicators.\"morale\".indicator: 'morale' is not an indicator" in (
        ran.stderr)
    assert "x.csv, row 1, column \"turnover\"" not in ran.stderr


GRANTS = """{{"grants": [{{"id": "360G-npf-1", "title": "Facilitation",
  "awardDate": "2020-02-14", "dateModified": "{modified}",
  "plannedDates": [{{"startDate": "2020-04-01", "endDate": "{end}"}}],
  "recipientOrganization": [{{"id": "GB-LAE-WGN"}}],
  "fundingOrganization": [{{"name": "Northern Places Fund"}}]}}]}}"""


def test_a_grant_extended_in_360giving_corrects_the_engagement_end_naming_the_grant(
    tmp_path: Path, tracker: Tracker, engine: Engine
) -> None:
    _setup(tmp_path, tracker)
    mapping = _write(tmp_path, "g.toml", 'source = "360giving"\n[institution]\n'
                     'crosswalk = { "GB-LAE-WGN" = "wigan-council" }\n')
    first = _write(tmp_path, "g1.json", GRANTS.format(modified="2020-02-14", end="2023-03-31"))
    assert tracker("import", first, "--from", "360giving", "--mapping", mapping).exit_code == 0
    later = _write(tmp_path, "g2.json", GRANTS.format(modified="2023-01-10", end="2024-03-31"))
    ran = tracker("import", later, "--from", "360giving", "--mapping", mapping)
    assert ran.exit_code == 0, ran.stderr
    assert [(str(r[0]), r[1]) for r in _rows(
        engine, 'SELECT "end", version FROM partner_engagements')] == [("2024-03-31", 2)]
    assert _rows(engine, "SELECT reason FROM audit_log WHERE action = 'correct'") == [(
        "360Giving record 360G-npf-1 was edited in 360Giving (version 2020-02-14 replaced by "
        "2023-01-10)",)]



def test_an_edit_whose_id_changed_is_recognised_by_the_version_it_deprecates(
    tmp_path: Path, tracker: Tracker, engine: Engine
) -> None:
    _setup(tmp_path, tracker)
    mapping = _write(tmp_path, "odk.toml", MAPPING.format(
        source="odk", institution="site", period="quarter", field="turnover"))
    header = f"{ODK_HEADER},meta-deprecatedID"
    first = _write(tmp_path, "v1.csv", f"{header}\n2026-10-09T11:20:31Z,hillside-school,"
                   "2026Q3,17.2,uuid:one,uuid:one,,0,\n")
    assert tracker("import", first, "--from", "odk", "--mapping", mapping).exit_code == 0
    # An export that keys a submission by its current instance: the edit names the one it
    # replaces in meta-deprecatedID.
    edited = _write(tmp_path, "v2.csv", f"{header}\n2026-10-09T11:20:31Z,hillside-school,"
                    "2026Q3,12.7,uuid:two,uuid:two,edited,1,uuid:one\n")
    ran = tracker("import", edited, "--from", "odk", "--mapping", mapping)
    assert ran.exit_code == 0, ran.stderr
    assert _values(engine) == [("2026Q3", 12.7, 2)]
    assert _rows(engine, "SELECT reason FROM audit_log WHERE action = 'correct'") == [(
        "ODK Central record uuid:two was edited in ODK Central (version uuid:one replaced by "
        "uuid:two)",)]
    assert _rows(engine, "SELECT source_id, source_version FROM source_records") == [
        ("uuid:two", "uuid:two")]
