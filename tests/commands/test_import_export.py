"""`tracker import` and `tracker export`: all or nothing, identity, corrections with history, and
the export → import → export round trip — on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from sqlalchemy import Engine, func, select

from tests.commands.conftest import SAMPLE, Tracker
from tracker import models
from tracker.models import AuditEntry, RecordVersion
from tracker.workbook.schema import READ_ONLY_TABLES


def _count(engine: Engine, model: type[models.Base]) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(model)).scalar_one())


def _copy_sample(tmp_path: Path, name: str = "wb") -> Path:
    target = tmp_path / name
    shutil.copytree(SAMPLE, target)
    (target / "README.md").unlink()
    return target


def _replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_export_import_export_is_identical(
    tracker: Tracker, engine: Engine, tmp_path: Path
) -> None:
    assert tracker("sample", "load").exit_code == 0
    first = tmp_path / "first"
    assert tracker("export", str(first)).exit_code == 0
    # into a second, empty database of the same kind
    other_url = tracker.url.replace("tracker.db", "other.db")
    if other_url == tracker.url:  # PostgreSQL: a second export from the same data is the check
        second = tmp_path / "second"
        assert tracker("export", str(second)).exit_code == 0
    else:
        other = Tracker(other_url)
        assert other("db", "upgrade").exit_code == 0
        assert other("import", str(first)).exit_code == 0
        second = tmp_path / "second"
        assert other("export", str(second)).exit_code == 0
    for file in sorted(first.iterdir()):
        if file.stem in READ_ONLY_TABLES and other_url != tracker.url:
            # The review state is written for people to read; an import never sets it (only the
            # review's state machine does), so the second database's has no row.
            assert (second / file.name).read_text().count("\n") == 1, file.name
            continue
        assert file.read_bytes() == (second / file.name).read_bytes(), file.name


def test_sqlite_and_postgresql_give_identical_exports(tmp_path: Path, request) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import _postgres_schema_url

    schema = request.getfixturevalue("postgres_schema")
    outputs = []
    for name, url in (
        ("sqlite", f"sqlite:///{tmp_path / 'a.db'}"),
        ("postgres", _postgres_schema_url(schema)),
    ):
        cli = Tracker(url)
        assert cli("db", "upgrade").exit_code == 0
        assert cli("sample", "load").exit_code == 0
        assert cli("export", str(tmp_path / name)).exit_code == 0
        outputs.append(tmp_path / name)
    for file in sorted(outputs[0].iterdir()):
        if file.stem in READ_ONLY_TABLES:
            # Each load approves the sample's history when it runs: the same quarters, states and
            # people, at two different moments.
            assert _without_times(file) == _without_times(outputs[1] / file.name), file.name
            continue
        assert file.read_bytes() == (outputs[1] / file.name).read_bytes(), file.name


def _without_times(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [{k: v for k, v in row.items() if not k.endswith("_at")} for row in rows]


def test_identical_reimport_changes_nothing(tracker: Tracker, engine: Engine) -> None:
    tracker("sample", "load")
    audits, values = _count(engine, AuditEntry), _count(engine, models.IndicatorValue)
    again = tracker("import", str(SAMPLE))
    assert again.exit_code == 0
    assert "Nothing to change" in again.stdout
    assert _count(engine, AuditEntry) == audits
    assert _count(engine, models.IndicatorValue) == values


def test_changed_value_is_refused_without_correct(
    tracker: Tracker, engine: Engine, tmp_path: Path
) -> None:
    tracker("sample", "load")
    workbook = _copy_sample(tmp_path)
    _replace_in(workbook / "indicators.csv", "%", "percent")
    before = _count(engine, AuditEntry)
    refused = tracker("import", str(workbook))
    assert refused.exit_code == 1
    assert "indicators.csv, row" in refused.stderr
    assert 'column "unit"' in refused.stderr
    assert "--correct" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert _count(engine, AuditEntry) == before


def test_correction_with_reason_keeps_the_old_value_in_history(
    tracker: Tracker, engine: Engine, tmp_path: Path
) -> None:
    tracker("sample", "load")
    workbook = tmp_path / "fix"
    workbook.mkdir()
    (workbook / "indicators.csv").write_text(
        (SAMPLE / "indicators.csv").read_text(encoding="utf-8").replace("%", "percent", 1),
        encoding="utf-8",
    )
    no_reason = tracker("import", str(workbook), "--correct")
    assert no_reason.exit_code == 1
    assert "--reason" in no_reason.stderr
    done = tracker("import", str(workbook), "--correct", "--reason", "unit was mistyped")
    assert done.exit_code == 0, done.stderr
    with engine.connect() as conn:
        kept = conn.execute(select(RecordVersion)).one()
        audit = conn.execute(select(AuditEntry).where(AuditEntry.action == "correct")).one()
    assert kept.table_name == "indicators"
    assert "%" in str(kept.data["unit"])
    assert kept.version == 1
    assert audit.reason == "unit was mistyped"
    assert audit.before["unit"] != audit.after["unit"]


def test_dry_run_writes_nothing(tracker: Tracker, engine: Engine) -> None:
    ran = tracker("import", str(SAMPLE), "--dry-run")
    assert ran.exit_code == 0
    assert "Dry run" in ran.stdout
    assert _count(engine, models.Institution) == 0
    assert _count(engine, AuditEntry) == 0


def test_every_problem_is_reported_at_once_and_nothing_is_written(
    tracker: Tracker, engine: Engine, tmp_path: Path
) -> None:
    workbook = _copy_sample(tmp_path)
    _replace_in(workbook / "leadership.csv", "2012-", "2012/")
    values = workbook / "indicator_values.csv"
    lines = values.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = lines[5].split(",")
    row[header.index("value")] = "lots"
    lines[5] = ",".join(row)
    values.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ran = tracker("import", str(workbook))
    assert ran.exit_code == 1
    assert "leadership.csv, row" in ran.stderr
    assert 'indicator_values.csv, row 6, column "value"' in ran.stderr
    assert "Nothing was written" in ran.stderr
    assert _count(engine, models.Institution) == 0


def test_byte_order_mark_and_crlf_are_accepted(
    tracker: Tracker, engine: Engine, tmp_path: Path
) -> None:
    workbook = tmp_path / "excel"
    workbook.mkdir()
    for name in ("places.csv", "institutions.csv"):
        text = (SAMPLE / name).read_text(encoding="utf-8")
        (workbook / name).write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    ran = tracker("import", str(workbook))
    assert ran.exit_code == 0, ran.stderr
    assert _count(engine, models.Institution) > 0


def test_xlsx_round_trip(tracker: Tracker, tmp_path: Path) -> None:
    tracker("sample", "load")
    book = tmp_path / "all.xlsx"
    assert tracker("export", str(book), "--format", "xlsx").exit_code == 0
    again = tracker("import", str(book))
    assert again.exit_code == 0, again.stderr
    assert "Nothing to change" in again.stdout


def test_missing_workbook_is_refused_clearly(tracker: Tracker, tmp_path: Path) -> None:
    ran = tracker("import", str(tmp_path / "nowhere"))
    assert ran.exit_code == 1
    assert "nowhere" in ran.stderr
    assert "Traceback" not in ran.stderr


def test_export_refuses_to_overwrite(tracker: Tracker, tmp_path: Path) -> None:
    tracker("sample", "load")
    target = tmp_path / "out"
    assert tracker("export", str(target)).exit_code == 0
    again = tracker("export", str(target))
    assert again.exit_code == 1
    assert "Traceback" not in again.stderr
