"""The readers take the exports as the tools write them (separators, header styles, HXL rows,
split select_multiple columns, JSON and OData shapes, ADX periods, positional DHIS2 CSV)."""

from __future__ import annotations

import json
from pathlib import Path

from tracker.sources.adx import adx_period, read_adx
from tracker.sources.dhis2 import read_dhis2
from tracker.sources.kobo import read_kobo
from tracker.sources.odk import read_odk


def test_kobo_csv_with_commas_labels_and_split_select_multiple(tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    path.write_text(
        "Site,What did you do?/coaching,What did you do?/training,_id,_uuid,"
        "_submission_time,_validation_status\n"
        "wigan-council,1,1,7,uuid:a,2026-10-06T08:31:09,On Hold\n"
        "wigan-council,0,0,8,uuid:b,2026-10-07T08:31:09,\n")
    subs = read_kobo(path)
    assert subs.problems == []
    assert subs.field_text("What did you do?").tolist() == ["coaching training", ""]
    assert subs.frame["_state"].tolist() == ["on_hold", "not_checked"]
    assert subs.frame["_source_id"].tolist() == ["_id 7", "_id 8"]
    assert subs.frame["_record"].tolist() == ["row 2", "row 3"]


def test_kobo_hxl_row_is_not_a_submission_and_an_unknown_status_is_located(
    tmp_path: Path
) -> None:
    path = tmp_path / "hxl.csv"
    path.write_text("site;_uuid;_validation_status\n#org;;\nwigan-council;u1;Maybe\n")
    subs = read_kobo(path)
    assert len(subs.frame) == 1
    assert [str(p) for p in subs.problems] == [
        "hxl.csv, row 3, column \"_validation_status\": 'Maybe' is not a KoboToolbox "
        "validation status"]


def test_kobo_api_json_with_validation_object_root_uuid_and_repeat(tmp_path: Path) -> None:
    path = tmp_path / "api.json"
    path.write_text(json.dumps({"count": 1, "results": [{
        "_id": 9, "_uuid": "uuid:new", "meta/rootUuid": "uuid:root", "site": "wigan-council",
        "_submission_time": "2026-10-06T08:31:09", "turnover": 8.9,
        "_validation_status": {"uid": "validation_status_approved", "label": "Approved"},
        "photos": [{"photos/file": "a.jpg"}, {"photos/file": "b.jpg"}],
    }]}))
    subs = read_kobo(path)
    row = subs.frame.iloc[0]
    assert (row["_source_id"], row["_version"], row["_state"], row["turnover"]) == (
        "root", "new", "approved", "8.9")
    assert row["_record"] == "submission uuid:new"
    assert subs.repeats["photos"]["photos/file"].tolist() == ["a.jpg", "b.jpg"]
    assert set(subs.repeats["photos"]["_parent"]) == {"root"}


def test_odk_odata_json_flattens_groups_with_dashes(tmp_path: Path) -> None:
    path = tmp_path / "odata.json"
    path.write_text(json.dumps({"value": [{
        "__id": "uuid:first", "site": {"institution": "wigan-council"},
        "meta": {"instanceID": "uuid:second"},
        "__system": {"submissionDate": "2026-10-09T11:20:31.512Z", "reviewState": "edited",
                     "edits": 1},
        "visits@odata.navigationLink": "Submissions('uuid:first')/visits",
    }]}))
    subs = read_odk(path)
    row = subs.frame.iloc[0]
    assert (row["site-institution"], row["_source_id"], row["_version"], row["_state"],
            row["_submitted"]) == ("wigan-council", "uuid:first", "uuid:second", "edited",
                                   "2026-10-09")


def test_dhis2_csv_without_header_skips_deleted_values(tmp_path: Path) -> None:
    path = tmp_path / "values.csv"
    path.write_text("DE1,2026Q3,OU1,COC,AOC,8.9,admin,2026-10-01,,false,false\n"
                    "DE2,2026Q3,OU1,COC,AOC,1,admin,2026-10-01,,false,true\n")
    values = read_dhis2(path)
    assert values.frame[["data_element", "value", "_record"]].values.tolist() == [
        ["DE1", "8.9", "row 1"]]


def test_adx_periods_and_disaggregation_attributes(tmp_path: Path) -> None:
    assert adx_period("2024-04-01/P3M") == "2024Q2"
    assert adx_period("2024-02-01/P1M") == "202402"
    assert adx_period("2024-02-01/P3M") == "2024-02-01/P3M"
    path = tmp_path / "m.xml"
    path.write_text('<adx xmlns="urn:ihe:qrph:adx:2015"><group orgUnit="OU" '
                    'period="2024-01-01/P3M"><dataValue dataElement="DE" sex="F" '
                    'value="3"/></group></adx>')
    row = read_adx(path).frame.iloc[0]
    assert (row["period"], row["category_option_combo"], row["value"]) == ("2024Q1", "sex=F", "3")


def test_kobo_xlsx_repeat_sheet_photos_become_one_evidence_item_each(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from tracker.sources.forms import translate_submissions
    from tracker.sources.mapping import load_mapping

    book = Workbook()
    main = book.active
    main.title = "Quarterly check-in"
    main.append(["site", "quarter", "_id", "_uuid", "_submission_time", "_validation_status",
                 "_index"])
    main.append(["wigan-council", "2026Q3", 412, "uuid-a", "2026-10-06T08:31:09", "", 1])
    photos = book.create_sheet("photos")
    photos.append(["photos/file", "_index", "_parent_table_name", "_parent_index",
                   "_submission__id", "_submission__uuid"])
    photos.append(["a.jpg", 1, "Quarterly check-in", 1, 412, "uuid-a"])
    photos.append(["b.jpg", 2, "Quarterly check-in", 1, 412, "uuid-a"])
    path = tmp_path / "export.xlsx"
    book.save(path)
    mapping = tmp_path / "m.toml"
    mapping.write_text('source = "kobo"\n[institution]\nfield = "site"\n[period]\n'
                       'field = "quarter"\n[[evidence]]\nfield = "photos/file"\n'
                       'repeat = "photos"\nkind = "document"\n')
    out = translate_submissions(read_kobo(path), load_mapping(mapping),
                                institutions={"wigan-council"}, label="Kobo")
    assert out.problems == []
    evidence = out.tables["evidence"]
    assert evidence[["key", "institution", "title", "date"]].values.tolist() == [
        ["kobo-_id-412-photos-file-1", "wigan-council", "photos/file: a.jpg", "2026-10-06"],
        ["kobo-_id-412-photos-file-2", "wigan-council", "photos/file: b.jpg", "2026-10-06"],
    ]
    assert out.origins["evidence"]["_record"].tolist() == [
        "export.xlsx [photos] row 2", "export.xlsx [photos] row 3"]


def test_odk_zip_export_reads_the_submissions_and_their_repeat_csv(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "form.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("form.csv", "SubmissionDate,site,meta-instanceID,KEY,ReviewState\n"
                         "2026-10-09T11:20:31Z,wigan-council,uuid:1,uuid:1,\n")
        archive.writestr("form-visits.csv", "visit,PARENT_KEY,KEY\n"
                         "home,uuid:1,uuid:1/visits[1]\n")
    subs = read_odk(path)
    assert subs.problems == []
    assert subs.frame["_state"].tolist() == ["received"]
    assert subs.repeats["visits"][["visit", "_parent"]].values.tolist() == [["home", "uuid:1"]]


def test_tracker_sources_lists_every_source_with_what_it_reads() -> None:
    from typer.testing import CliRunner

    from tracker.cli import app

    listed = CliRunner().invoke(app, ["sources"])
    assert listed.exit_code == 0
    for name in ("kobo", "odk", "dhis2", "adx", "360giving"):
        assert f"\n{name} " in f"\n{listed.stdout}"
    assert "reads: dataValueSets JSON" in listed.stdout
    assert "mapping: source, label, states, institution.field" in listed.stdout


def test_a_form_quarter_from_the_submission_date_and_institutions_from_a_crosswalk_file(
    tmp_path: Path
) -> None:
    from tracker.sources.forms import translate_submissions
    from tracker.sources.mapping import load_mapping

    (tmp_path / "sites.csv").write_text("id,institution\nSITE-7,wigan-council\n")
    mapping = tmp_path / "m.toml"
    mapping.write_text('source = "odk"\n[institution]\nfield = "site"\n'
                       'crosswalk_file = "sites.csv"\n[period]\nfrom = "submission_date"\n'
                       '[indicators]\nturnover = "staff_turnover"\n')
    export = tmp_path / "odk.csv"
    export.write_text("SubmissionDate,site,turnover,meta-instanceID,KEY,ReviewState\n"
                      "2026-11-02T10:00:00Z,SITE-7,8.9,uuid:1,uuid:1,\n"
                      "2026-11-03T10:00:00Z,SITE-9,7.1,uuid:2,uuid:2,\n")
    out = translate_submissions(read_odk(export), load_mapping(mapping),
                                institutions={"wigan-council"}, label="ODK")
    assert out.tables["indicator_values"][["institution", "period", "value"]].values.tolist() \
        == [["wigan-council", "2026Q4", "8.9"]]
    assert [str(p) for p in out.problems] == [
        "odk.csv, row 3, column \"site\": 'SITE-9' is not in the mapping's institution crosswalk"]
