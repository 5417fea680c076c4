"""`tracker export --format dhis2-json|adx --mapping`: the approved quarters' values with the
crosswalk reversed; the DHIS2 export re-imports into an empty database to the same values."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from tests.commands.conftest import Tracker
from tests.sources.conftest import ROOT, SAMPLE, SOURCES
from tracker.access import Actor
from tracker.writes.quarter.review import approve, submit

DHIS2 = ["import", "sample_data/sources/dhis2/data_values.json", "--from", "dhis2",
         "--mapping", "sample_data/sources/dhis2/mapping.toml"]


def _approve(engine: Engine, institution: str, period: str) -> None:
    submit(engine, institution=institution, period=period, actor=Actor("evaluator"))
    approve(engine, institution=institution, period=period, actor=Actor("reviewer"))


def _values(engine: Engine, period: str) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT i.key, d.key, v.value, v.note FROM indicator_values v JOIN institutions i"
            " ON i.id = v.institution_id JOIN indicators d ON d.id = v.indicator_id"
            " WHERE v.period = :p ORDER BY i.key, d.key"), {"p": period})]


@pytest.fixture
def approved(on_sample: Tracker, sample_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """The sample with the DHIS2 sample imported; Tees Valley's 2026Q3 approved, Eastmoor's
    only entered."""
    monkeypatch.chdir(ROOT)
    assert on_sample(*DHIS2).exit_code == 0
    _approve(sample_engine, "tees-valley-education", "2026Q3")
    return sample_engine


def test_the_dhis2_export_holds_the_approved_quarters_and_reimports_to_the_same_values(
    approved: Engine, on_sample: Tracker, tmp_path: Path, engine: Engine, database_url: str
) -> None:
    out = tmp_path / "set.json"
    ran = on_sample("export", str(out), "--format", "dhis2-json", "--mapping",
                    str(SOURCES / "dhis2" / "mapping.toml"))
    assert ran.exit_code == 0, ran.stderr
    document = json.loads(out.read_text())
    assert sorted(document) == ["dataValues"]
    assert [(v["dataElement"], v["period"], v["orgUnit"], v["value"], v.get("comment"))
            for v in document["dataValues"]] == [
        ("ComTrst01a", "2026Q3", "TvEdu0001a", "63.9", "Residents' panel pulse, n=388"),
        ("StfTurn001a", "2026Q3", "TvEdu0001a", "14.6", None),
    ]
    # An empty database with the sample's institutions and indicators, and no values.
    book = tmp_path / "book"
    book.mkdir()
    for name in ("places", "institutions", "indicators"):
        shutil.copy(SAMPLE / f"{name}.csv", book)
    empty = Tracker(database_url)
    assert empty("import", str(book)).exit_code == 0
    again = empty("import", str(out), "--from", "dhis2", "--mapping",
                  str(SOURCES / "dhis2" / "mapping.toml"))
    assert again.exit_code == 0, again.stderr
    assert _values(engine, "2026Q3") == [
        v for v in _values(approved, "2026Q3") if v[0] == "tees-valley-education"]


def test_the_adx_export_is_an_adx_message_of_the_approved_quarters(
    approved: Engine, on_sample: Tracker, tmp_path: Path
) -> None:
    mapping = tmp_path / "adx.toml"
    mapping.write_text((SOURCES / "dhis2" / "mapping.toml").read_text().replace(
        'source = "dhis2"', 'source = "adx"'))
    out = tmp_path / "message.xml"
    ran = on_sample("export", str(out), "--format", "adx", "--mapping", str(mapping))
    assert ran.exit_code == 0, ran.stderr
    root = ET.parse(out).getroot()
    groups = list(root)
    assert root.tag == "{urn:ihe:qrph:adx:2015}adx"
    assert [(g.get("orgUnit"), g.get("period")) for g in groups] == [
        ("TvEdu0001a", "2026-07-01/P3M")]
    assert sorted(v.get("dataElement") for v in groups[0]) == ["ComTrst01a", "StfTurn001a"]
