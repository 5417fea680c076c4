"""The synthetic portfolio generator: deterministic, valid, and rich enough to show every
verdict and phase the analysis can give."""

from __future__ import annotations

import filecmp
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from tracker import vocab
from tracker.access import local_operator
from tracker.analysis.run import analyse
from tracker.cli import app
from tracker.dataset import Dataset, typed_frame
from tracker.db import read_session
from tracker.generate import generate_dataset, write_sample
from tracker.generate.indicators import INDICATORS
from tracker.generate.population import kind_counts
from tracker.generate.writer import write_csv_workbook
from tracker.queries import load_dataset
from tracker.workbook.read import read_workbook
from tracker.workbook.schema import TABLE_MAP
from tracker.workbook.validate import validate_workbook
from tracker.writes.imports.importer import import_workbook

PORTFOLIO = {"institutions": 60, "years": 10}


@pytest.fixture(scope="module")
def portfolio() -> Dataset:
    return generate_dataset(**PORTFOLIO, seed=11)


@pytest.fixture(scope="module")
def verdicts(portfolio: Dataset) -> dict[str, Counter[str]]:
    result = analyse(portfolio).to_json()["institutions"]
    return {
        "phase": Counter(i["phase"] for i in result),
        "change": Counter(
            t["verdict"] for i in result for c in i["changes"] for t in c["tests"]
        ),
        "summary": Counter(c["summary"] for i in result for c in i["changes"]),
        "indicator": Counter(
            t["verdict"] for i in result for x in i["indicators"] for t in x["tests"]
        ),
        "turnover": Counter(t["kind"] for i in result for t in i["turnovers"]),
    }


def test_the_same_seed_gives_the_same_data_set() -> None:
    first = generate_dataset(institutions=30, years=4, seed=5)
    second = generate_dataset(institutions=30, years=4, seed=5)
    for name in first:
        pd.testing.assert_frame_equal(first[name], second[name], obj=name)


def test_another_seed_gives_another_data_set() -> None:
    first = generate_dataset(institutions=30, years=4, seed=5)
    other = generate_dataset(institutions=30, years=4, seed=6)
    assert not first["indicator_values"]["value"].equals(other["indicator_values"]["value"])
    assert not first["leadership"]["start"].equals(other["leadership"]["start"])


def test_the_same_seed_writes_the_same_files_byte_for_byte(tmp_path: Path) -> None:
    write_sample(tmp_path / "a", institutions=25, years=3, seed=9)
    write_sample(tmp_path / "b", institutions=25, years=3, seed=9)
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir())
    match, mismatch, errors = filecmp.cmpfiles(tmp_path / "a", tmp_path / "b", names, shallow=False)
    assert (mismatch, errors) == ([], [])
    assert len(match) == len(TABLE_MAP)


@pytest.mark.parametrize(
    ("institutions", "years"), [(1, 1), (7, 2), (60, 10), (120, 5)]
)
def test_written_workbook_passes_the_validator_with_no_problem(
    tmp_path: Path, institutions: int, years: int
) -> None:
    written = write_sample(tmp_path / "w", institutions=institutions, years=years, seed=1)
    raw = read_workbook(tmp_path / "w")
    dataset, problems = validate_workbook(raw)
    assert [str(p) for p in problems] == []
    for name in dataset:
        assert len(dataset[name]) == len(written[name]), name
    assert len(dataset["institutions"]) == institutions


def test_frames_are_what_typed_frame_makes_of_them(portfolio: Dataset) -> None:
    for name in portfolio:
        frame = portfolio[name]
        expected = typed_frame(TABLE_MAP[name], frame)
        pd.testing.assert_frame_equal(frame.reset_index(drop=True), expected, obj=name)


def test_identities_are_unique_as_the_importer_requires(portfolio: Dataset) -> None:
    for name in portfolio:
        identity = list(TABLE_MAP[name].identity)
        assert not portfolio[name].duplicated(identity).any(), name


def test_kinds_follow_england_mostly_schools_with_every_kind_present() -> None:
    counts = kind_counts(2_000)
    assert sum(counts.values()) == 2_000
    assert counts["school"] == max(counts.values())
    assert set(counts) == set(vocab.INSTITUTION_KINDS)
    assert all(count >= 1 for count in kind_counts(7).values())


def test_several_key_roles_with_tenures_of_a_few_years(portfolio: Dataset) -> None:
    leadership = portfolio["leadership"]
    key = leadership[leadership["key_role"].astype(bool)]
    roles = key.groupby("institution")["role"].nunique()
    assert (roles >= 3).all()
    ended = key.dropna(subset=["end"])
    days = (ended["end"] - ended["start"]).dt.days
    assert 2.5 < days.median() / 365.25 < 8
    assert (days >= 364).all()  # a tenure lasts at least a year
    # Some ends are missing while a successor exists (the implied end), some roles are not key.
    assert (~leadership["key_role"].astype(bool)).any()
    assert (leadership["notes"].notna() & leadership["end"].isna()).any()


def test_partner_engagements_that_end(portfolio: Dataset) -> None:
    partners = portfolio["partners"]
    assert partners["end"].notna().any() and partners["end"].isna().any()
    assert (partners["end"].dropna() > partners.loc[partners["end"].notna(), "start"]).all()


def test_several_indicators_per_institution_every_quarter_mostly(portfolio: Dataset) -> None:
    values = portfolio["indicator_values"]
    per_institution = values.groupby("institution")["indicator"].nunique()
    assert per_institution.min() >= 1 and per_institution.median() >= 8
    expected = PORTFOLIO["institutions"] * len(INDICATORS) * 4 * PORTFOLIO["years"]
    assert 0.6 * expected < len(values) < expected


def test_nothing_is_dated_after_the_last_quarter(portfolio: Dataset) -> None:
    last = pd.Timestamp("2025-12-31")
    for name in portfolio:
        table = TABLE_MAP[name]
        for column in table.columns:
            if column.type == "date":
                assert (portfolio[name][column.name].dropna() <= last).all(), (name, column.name)


def _share_within_a_year_after_a_turnover(dates: pd.DataFrame, leadership: pd.DataFrame) -> float:
    """Of the (institution, date) rows, the share dated within a year after a key turnover."""
    key = leadership[leadership["key_role"].astype(bool)].dropna(subset=["end"])
    numbered = dates.reset_index(drop=True).reset_index(names="row")
    pairs = numbered.merge(key[["institution", "end"]], on="institution")
    gap = (pairs["date"] - pairs["end"]).dt.days
    soon = pairs.assign(soon=(gap > 0) & (gap <= 365)).groupby("row")["soon"].any()
    return float(soon.reindex(range(len(dates)), fill_value=False).mean())


def test_reversals_come_more_often_soon_after_a_turnover() -> None:
    dataset = generate_dataset(institutions=400, years=10, seed=3)
    statuses = dataset["change_status"].merge(
        dataset["changes"][["key", "institution"]], left_on="change", right_on="key"
    )
    ends = statuses[statuses["status"].isin(vocab.ENDING_STATUSES)][["institution", "date"]]
    # The same institutions on dates drawn at random from the decade: the share by chance.
    days = np.random.default_rng(0).integers(0, 3652, len(ends))
    chance = ends.assign(date=pd.Timestamp("2016-01-01") + pd.to_timedelta(days, unit="D"))
    observed = _share_within_a_year_after_a_turnover(ends, dataset["leadership"])
    by_chance = _share_within_a_year_after_a_turnover(chance, dataset["leadership"])
    assert len(ends) > 100
    assert observed > by_chance + 0.3


def test_every_verdict_and_phase_occurs_at_sixty_institutions(
    verdicts: dict[str, Counter[str]],
) -> None:
    assert set(verdicts["phase"]) == set(vocab.PHASES)
    assert set(verdicts["change"]) == set(vocab.CHANGE_VERDICTS)
    assert set(verdicts["summary"]) == set(vocab.CHANGE_SUMMARIES)
    assert set(verdicts["indicator"]) == set(vocab.INDICATOR_VERDICTS)
    assert set(verdicts["turnover"]) == set(vocab.TURNOVER_KINDS)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_phase_and_change_verdict_occurs_whatever_the_seed(seed: int) -> None:
    result = analyse(generate_dataset(**PORTFOLIO, seed=seed)).to_json()["institutions"]
    assert {i["phase"] for i in result} == set(vocab.PHASES)
    tests = {t["verdict"] for i in result for c in i["changes"] for t in c["tests"]}
    assert tests == set(vocab.CHANGE_VERDICTS)


def test_costly_reversals_answer_the_diagnostic_question_for_some_not_all(
    portfolio: Dataset,
) -> None:
    decisions = portfolio["decisions"]
    costly = (
        decisions["reverses_earlier"].astype(bool)
        & decisions["because_of_community"].astype(bool)
        & (decisions["cost"] != "none")
    )
    share = decisions.loc[costly, "institution"].nunique() / PORTFOLIO["institutions"]
    assert 0.1 < share < 0.9


def test_some_narratives_use_attribution_language_for_the_checker_to_catch() -> None:
    narratives = generate_dataset(institutions=300, years=10, seed=2)["observations"]["narrative"]
    assert narratives.str.contains("caused").any()
    assert narratives.str.contains("consistent with").any()


def test_generate_command_writes_a_workbook_and_says_how_many_rows(tmp_path: Path) -> None:
    target = tmp_path / "synthetic"
    result = CliRunner().invoke(
        app, ["sample", "generate", str(target), "--institutions", "12", "--years", "2",
              "--seed", "4"]
    )
    assert result.exit_code == 0, result.output
    assert "Wrote" in result.output and str(target) in result.output
    assert (target / "indicator_values.csv").is_file()
    # Piped output (as here) shows no progress.
    assert "Generating" not in result.output
    expected = generate_dataset(institutions=12, years=2, seed=4)
    assert f"{expected.row_count():,} rows" in result.output


def test_generate_command_refuses_a_folder_that_holds_files(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me")
    result = CliRunner().invoke(
        app, ["sample", "generate", str(tmp_path), "--institutions", "3", "--years", "1"]
    )
    assert result.exit_code == 1
    assert (tmp_path / "notes.txt").read_text() == "keep me"
    assert not (tmp_path / "institutions.csv").exists()


def test_generate_command_needs_a_size() -> None:
    result = CliRunner().invoke(app, ["sample", "generate", "somewhere", "--years", "1"])
    assert result.exit_code == 2


def test_indicator_values_drop_after_leadership_turnovers(
    verdicts: dict[str, Counter[str]],
) -> None:
    tested = verdicts["indicator"]["held"] + verdicts["indicator"]["declined"]
    # Drops are common but not the rule: both verdicts are well represented.
    assert 0.1 < verdicts["indicator"]["declined"] / tested < 0.6


def test_values_are_numbers_with_one_decimal(portfolio: Dataset) -> None:
    values = portfolio["indicator_values"]["value"].to_numpy()
    assert np.allclose(values * 10, np.round(values * 10))
    assert (values >= 0).all()


def test_a_synthetic_workbook_imports_whole_on_both_databases(
    engine: Engine, tmp_path: Path
) -> None:
    written = write_sample(tmp_path / "w", institutions=15, years=3, seed=8)
    import_workbook(engine, tmp_path / "w", actor=local_operator())
    with read_session(engine) as session:
        stored = load_dataset(session)
    for name in written:
        assert len(stored[name]) == len(written[name]), name


def test_the_fast_writer_quotes_and_spells_cells_as_the_format_reads_them(
    tmp_path: Path,
) -> None:
    tricky = 'St Mary\'s "Upper", Ærø\nSchool'
    dataset = Dataset.from_frames(
        {
            "places": pd.DataFrame(
                {"key": ["p1"], "name": ["Ærø, upper"], "context:fsm_share": [0.25]}
            ),
            "institutions": pd.DataFrame(
                {"key": ["a", "b"], "name": [tricky, "Plain"], "kind": ["school", "trust"],
                 "place": ["p1", None], "parent": ["b", None]}
            ),
            "leadership": pd.DataFrame(
                {"institution": ["a"], "role": ["headteacher"], "holder": ["A, B"],
                 "start": [pd.Timestamp("2019-01-31")], "end": [pd.NaT], "key_role": [False]}
            ),
            "indicators": pd.DataFrame(
                {"key": ["x"], "name": ["X"], "unit": ["%"], "higher_is_better": [True]}
            ),
            "indicator_values": pd.DataFrame(
                {"institution": ["a", "a"], "indicator": ["x", "x"],
                 "period": ["2020Q1", "2020Q2"], "value": [12.0, 0.1]}
            ),
        }
    )
    write_csv_workbook(dataset, tmp_path / "w")
    values = (tmp_path / "w" / "indicator_values.csv").read_text()
    assert "a,x,2020Q1,12,," in values  # "12", not "12.0", as workbook.cells spells it
    read, problems = validate_workbook(read_workbook(tmp_path / "w"))
    assert problems == []
    for name in ("places", "institutions", "leadership", "indicators", "indicator_values"):
        pd.testing.assert_frame_equal(
            read[name].reset_index(drop=True), dataset[name].reset_index(drop=True), obj=name
        )
