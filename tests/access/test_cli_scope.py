"""Role × command line entry point: allowed or refused, and never another institution's or
portfolio's data in the output (JSON, tables, Markdown, HTML, exported files, messages).

Every command runs through `tracker.cli.app` with `--db` and `--as`, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from tests.access.scenario import (
    ADMIN,
    EVALUATOR,
    FUNDER,
    PORTFOLIOS,
    ROLES,
    TAGS,
    Role,
    leaks,
    write_csvs,
)
from tracker.cli import app

runner = CliRunner()


@dataclass(frozen=True)
class Outcome:
    code: int
    output: str  # standard output and standard error
    files: str = ""  # the text of any file the command wrote


def tracker(url: str, role: Role, *args: str, stdin: str | None = None) -> Outcome:
    result = runner.invoke(app, [*args, "--db", url, "--as", role.user], input=stdin)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Outcome(result.exit_code, result.stdout + result.stderr)


def _folder_text(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.csv")))


def _xlsx_text(path: Path) -> str:
    book = openpyxl.load_workbook(path, read_only=True)
    cells = [str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
             for c in row if c is not None]
    return "\n".join([*book.sheetnames, *cells])


def _values_workbook(folder: Path, institution: str, value: str = "7") -> Path:
    return write_csvs(folder, {"indicator_values": [
        {"institution": institution, "indicator": "staff_turnover", "period": "2030Q1",
         "value": value, "source": "test"}
    ]})


# Who may do what: the rules of product.md ("Access") as a function of role and key.
def reads(role: Role, tag: str) -> bool:
    return tag in role.readable


def writes(role: Role, tag: str) -> bool:
    return role.role == "admin" or (role.role == "evaluator" and tag in role.institutions)


def reads_portfolio(role: Role, portfolio: str) -> bool:
    return role.role == "admin" or portfolio in role.portfolios


# Each entry point: (name, key it names or None, command runner, whether the role may).
EntryPoint = tuple[str, str | None, Callable[[str, Role, Path], Outcome], Callable[[Role], bool]]


def _export(fmt: str) -> Callable[[str, Role, Path], Outcome]:
    def run(url: str, role: Role, tmp: Path) -> Outcome:
        target = tmp / ("out.xlsx" if fmt == "xlsx" else "out")
        result = tracker(url, role, "export", str(target), "--format", fmt)
        text = _xlsx_text(target) if fmt == "xlsx" else _folder_text(target)
        return Outcome(result.code, result.output, text)

    return run


def _report_to_file(*args: str) -> Callable[[str, Role, Path], Outcome]:
    def run(url: str, role: Role, tmp: Path) -> Outcome:
        target = tmp / "report.html"
        result = tracker(url, role, "report", *args, "--format", "html", "-o", str(target))
        text = target.read_text(encoding="utf-8") if target.exists() else ""
        return Outcome(result.code, result.output, text)

    return run


def _import(tag: str, *extra: str) -> Callable[[str, Role, Path], Outcome]:
    def run(url: str, role: Role, tmp: Path) -> Outcome:
        return tracker(url, role, "import", str(_values_workbook(tmp / "in", tag)), *extra)

    return run


def _submit(tag: str) -> Callable[[str, Role, Path], Outcome]:
    # One quarter per role, so that each role's submission is its own.
    period = {"ann": "2031Q1", "eve": "2031Q2", "ivy": "2031Q3", "fay": "2031Q4"}

    def run(url: str, role: Role, tmp: Path) -> Outcome:
        return tracker(url, role, "quarter", "submit", "--institution", tag,
                       "--period", period[role.user])

    return run


def _plain(*args: str) -> Callable[[str, Role, Path], Outcome]:
    return lambda url, role, tmp: tracker(url, role, *args)


def _add_user(url: str, role: Role, tmp: Path) -> Outcome:
    return tracker(url, role, "users", "add", f"new-{role.user}", "--role", "institution",
                   "--institution", "alder", "--password-stdin", stdin="another password\n")


ENTRY_POINTS: list[EntryPoint] = [
    ("analyse --format json", None, _plain("analyse", "--format", "json"), lambda r: True),
    ("analyse --format table", None, _plain("analyse", "--format", "table"), lambda r: True),
    ("report (portfolio summary, md)", None, _plain("report", "--format", "md"), lambda r: True),
    ("export csv", None, _export("csv"), lambda r: True),
    ("export xlsx", None, _export("xlsx"), lambda r: True),
    ("audit --format json", None, _plain("audit", "--format", "json"), lambda r: True),
    ("audit --format csv", None, _plain("audit", "--format", "csv"), lambda r: True),
    ("quarter due", None, _plain("quarter", "due", "--period", "2020Q1"), lambda r: True),
    ("users list", None, _plain("users", "list"), lambda r: r.role == "admin"),
    ("users add", None, _add_user, lambda r: r.role == "admin"),
]
for _tag in TAGS:
    ENTRY_POINTS += [
        (f"analyse --institution {_tag}", _tag,
         _plain("analyse", "--institution", _tag, "--format", "json"),
         lambda r, t=_tag: reads(r, t)),
        (f"report --institution {_tag}", _tag, _report_to_file("--institution", _tag),
         lambda r, t=_tag: reads(r, t)),
        (f"history --institution {_tag}", _tag,
         _plain("history", "--institution", _tag, "--format", "json"),
         lambda r, t=_tag: reads(r, t)),
        (f"history --institution {_tag} --table portfolios", _tag,
         _plain("history", "--institution", _tag, "--table", "portfolios", "--format", "json"),
         lambda r, t=_tag: reads(r, t)),
        (f"import values of {_tag}", _tag, _import(_tag), lambda r, t=_tag: writes(r, t)),
        (f"import --dry-run values of {_tag}", _tag, _import(_tag, "--dry-run"),
         lambda r, t=_tag: writes(r, t)),
        (f"quarter submit {_tag}", _tag, _submit(_tag), lambda r, t=_tag: writes(r, t)),
    ]
for _portfolio in PORTFOLIOS:
    ENTRY_POINTS.append(
        (f"report --portfolio {_portfolio}", _portfolio, _report_to_file("--portfolio", _portfolio),
         lambda r, p=_portfolio: reads_portfolio(r, p))
    )


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.role)
@pytest.mark.parametrize("entry", ENTRY_POINTS, ids=lambda e: e[0])
def test_role_entry_point_allowed_or_refused_without_leaks(
    scenario_url: str, role: Role, entry: EntryPoint, tmp_path: Path
) -> None:
    name, named_key, run, allowed = entry
    outcome = run(scenario_url, role, tmp_path)
    expected = 0 if allowed(role) else 1
    assert outcome.code == expected, f"{role.user}: {name}\n{outcome.output}"
    text = outcome.output + outcome.files
    if expected == 1:
        # A refusal may repeat the key the user typed; nothing else of it.
        text = text.replace(named_key or "\0", "")
        assert "Refused" in outcome.output
    assert leaks(text, role) == [], f"{role.user}: {name} leaked\n{text}"


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.role)
def test_analysis_json_holds_exactly_the_readable_institutions(
    scenario_url: str, role: Role
) -> None:
    outcome = tracker(scenario_url, role, "analyse", "--format", "json")
    analysed = {i["institution"] for i in json.loads(outcome.output)["institutions"]}
    assert analysed == set(role.readable)


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.role)
def test_export_holds_the_readable_institutions_and_only_their_portfolios(
    scenario_url: str, role: Role, tmp_path: Path
) -> None:
    assert tracker(scenario_url, role, "export", str(tmp_path / "out")).code == 0
    institutions = (tmp_path / "out" / "institutions.csv").read_text().splitlines()[1:]
    assert {line.split(",")[0] for line in institutions} == set(role.readable)
    portfolios_file = tmp_path / "out" / "portfolios.csv"
    exported = portfolios_file.read_text() if portfolios_file.exists() else ""
    for portfolio in PORTFOLIOS:
        assert (portfolio in exported) == reads_portfolio(role, portfolio)


def test_a_refused_correction_does_not_show_the_stored_value(
    scenario_url: str, tmp_path: Path
) -> None:
    # birch's staff turnover in 2016Q1 is stored as 20; eve may not write for birch.
    workbook = write_csvs(tmp_path / "in", {"indicator_values": [
        {"institution": "birch", "indicator": "staff_turnover", "period": "2016Q1",
         "value": "55", "source": "birch HR"}
    ]})
    outcome = tracker(scenario_url, EVALUATOR, "import", str(workbook))
    assert outcome.code == 1
    assert "not assigned to: birch" in outcome.output
    assert "stored value" not in outcome.output and "'20'" not in outcome.output


def test_an_evaluator_cannot_attach_evidence_to_another_institutions_claim(
    scenario_url: str, tmp_path: Path
) -> None:
    workbook = write_csvs(tmp_path / "in", {"evidence": [
        {"key": "alder-sneaky", "institution": "alder", "title": "alder note",
         "date": "2021-01-01", "claim": "birch-claim"}
    ]})
    outcome = tracker(scenario_url, EVALUATOR, "import", str(workbook))
    assert outcome.code == 1
    assert "birch-claim" in outcome.output and "may write and refer to records" in outcome.output


def test_an_evaluator_cannot_record_a_status_of_another_institutions_change(
    scenario_url: str, tmp_path: Path
) -> None:
    workbook = write_csvs(tmp_path / "in", {"change_status": [
        {"change": "cedar-hiring", "date": "2023-03-31", "status": "reversed"}
    ]})
    outcome = tracker(scenario_url, EVALUATOR, "import", str(workbook))
    assert outcome.code == 1 and "cedar-hiring" in outcome.output


@pytest.mark.parametrize(
    "command",
    [
        ["history", "--institution", "KEY"],
        ["analyse", "--institution", "KEY"],
        ["report", "--institution", "KEY"],
        ["quarter", "submit", "--institution", "KEY", "--period", "2032Q1"],
    ],
    ids=lambda c: " ".join(c[:2]),
)
def test_asking_for_an_institution_that_does_not_exist_reads_like_a_forbidden_one(
    scenario_url: str, command: list[str]
) -> None:
    def refusal(key: str) -> str:
        outcome = tracker(scenario_url, EVALUATOR, *[key if a == "KEY" else a for a in command])
        assert outcome.code == 1
        return outcome.output.replace(key, "KEY")

    assert refusal("cedar") == refusal("nowhere")


def test_importing_for_an_institution_that_does_not_exist_reads_like_a_forbidden_one(
    scenario_url: str, tmp_path: Path
) -> None:
    outputs = [
        tracker(scenario_url, EVALUATOR, "import", str(_values_workbook(tmp_path / key, key)))
        .output.replace(key, "KEY").replace(str(tmp_path), "TMP")
        for key in ("cedar", "nowhere")
    ]
    assert outputs[0] == outputs[1] and "not assigned to: KEY" in outputs[0]


@pytest.mark.parametrize("command", [["analyse"], ["export", "x"], ["audit"], ["report"]])
def test_an_unknown_or_disabled_user_is_refused(scenario_url: str, command: list[str]) -> None:
    ghost = Role("ghost", "admin")
    outcome = tracker(scenario_url, ghost, *command)
    assert outcome.code == 1 and "no user 'ghost'" in outcome.output


def test_without_as_the_local_operator_reads_everything(scenario_url: str) -> None:
    result = runner.invoke(app, ["analyse", "--format", "json", "--db", scenario_url])
    analysed = {i["institution"] for i in json.loads(result.stdout)["institutions"]}
    assert analysed == set(TAGS)


def test_a_funder_reads_only_the_portfolios_they_fund(scenario_url: str, tmp_path: Path) -> None:
    report = tmp_path / "fund-two.md"
    outcome = tracker(scenario_url, FUNDER, "report", "--portfolio", "fund-two", "-o", str(report))
    assert outcome.code == 0
    text = report.read_text(encoding="utf-8")
    assert "Cedar Police" in text and leaks(text, FUNDER) == []
    assert tracker(scenario_url, ADMIN, "report", "--portfolio", "fund-one").code == 0
