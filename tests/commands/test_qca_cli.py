"""`tracker qca` on a case table: R's QCA published data sets through the command, every figure
compared with R's printout (see tests/analysis/qca/README.md), and clear refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from tracker.cli import app

DATA = Path(__file__).resolve().parents[1] / "analysis" / "qca"
LIPSET = "DEV,URB,LIT,IND,STB"
CRISP = ["DEV>=550", "URB>=50", "LIT>=75", "IND>=30", "STB<10", "SURV>0"]
FUZZY_ANCHORS = ["DEV=400,550,900", "URB=25,50,65", "LIT=50,75,90", "IND=20,30,40", "SURV=-9,0,10"]


def qca(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["qca", *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def qca_json(*args: str) -> dict:
    code, stdout, stderr = qca(*args, "--format", "json")
    assert code == 0, stderr
    return json.loads(stdout)


def calibrations(rules: list[str]) -> list[str]:
    return [part for rule in rules for part in ("--calibrate", rule)]


def fit(model: dict) -> list[tuple]:
    keys = ("inclS", "PRI", "covS", "covU")
    return [(t["term"], *(f"{t[k]:.3f}" for k in keys)) for t in model["terms"]]


def model_fit(model: dict) -> tuple[str, ...]:
    return tuple(f"{model[k]:.3f}" for k in ("inclS", "PRI", "covS"))


def test_raw_lipset_calibrated_crisp_gives_rs_conservative_and_parsimonious():
    raw = str(DATA / "LR.csv")
    args = [raw, "--outcome", "SURV", "--conditions", LIPSET, *calibrations(CRISP)]
    conservative = qca_json(*args)
    assert [(r["id"], r["OUT"], r["n"], r["cases"]) for r in conservative["truth_table"]] == [
        (1, "0", 3, ["GR", "PT", "ES"]),
        (2, "0", 2, ["IT", "RO"]),
        (5, "0", 2, ["HU", "PL"]),
        (6, "0", 1, ["EE"]),
        (22, "1", 2, ["FI", "IE"]),
        (23, "0", 1, ["AU"]),
        (24, "1", 2, ["FR", "SE"]),
        (31, "0", 1, ["DE"]),
        (32, "1", 4, ["BE", "CZ", "NL", "UK"]),
    ]
    (model,) = conservative["solutions"]
    assert model["expression"] == "DEV*~URB*LIT*STB + DEV*LIT*IND*STB"
    assert fit(model) == [
        ("DEV*~URB*LIT*STB", "1.000", "1.000", "0.500", "0.250"),
        ("DEV*LIT*IND*STB", "1.000", "1.000", "0.750", "0.500"),
    ]
    assert model_fit(model) == ("1.000", "1.000", "1.000")
    assert conservative["parameters"]["calibrate"] == CRISP

    parsimonious = qca_json(*args, "--solution", "parsimonious")
    (model,) = parsimonious["solutions"]
    assert model["expression"] == "DEV*STB"
    assert model_fit(model) == ("1.000", "1.000", "1.000")
    assert model["terms"][0]["cases"] == ["FI", "IE", "FR", "SE", "BE", "CZ", "NL", "UK"]
    (assumed,) = parsimonious["simplifying_assumptions"]
    assert assumed["model"] == "M1"
    assert [row["id"] for row in assumed["rows"]] == [18, 20, 26, 28, 30]
    assert assumed["rows"][0] == {"id": 18, "DEV": 1, "URB": 0, "LIT": 0, "IND": 0, "STB": 1}


def test_fuzzy_calibration_of_the_raw_values_gives_rs_fuzzy_memberships(tmp_path):
    raw = pd.read_csv(DATA / "LR.csv", index_col="case")
    published = pd.read_csv(DATA / "LF.csv", index_col="case")
    # LF's STB is not derivable from LR's cabinet counts (see the fuzzy tests): taken as given
    mixed = raw.assign(STB=published["STB"])
    path = tmp_path / "lipset.csv"
    mixed.to_csv(path)
    document = qca_json(
        str(path), "--outcome", "SURV", "--conditions", LIPSET, "--incl-cut", "0.8",
        *calibrations(FUZZY_ANCHORS),
    )
    memberships = pd.DataFrame(document["memberships"]).set_index("case")
    pd.testing.assert_frame_equal(
        memberships.round(2), published, check_names=False, check_dtype=False
    )


@pytest.mark.parametrize(
    ("solution", "expression", "terms", "whole"),
    [
        (
            "conservative",
            "DEV*URB*LIT*IND*STB + DEV*~URB*LIT*~IND*STB",
            [
                ("DEV*URB*LIT*IND*STB", "0.904", "0.886", "0.454", "0.393"),
                ("DEV*~URB*LIT*~IND*STB", "0.804", "0.719", "0.265", "0.204"),
            ],
            ("0.870", "0.843", "0.658"),
        ),
        (
            "parsimonious",
            "DEV*~IND + URB*STB",
            [
                ("DEV*~IND", "0.815", "0.721", "0.284", "0.194"),
                ("URB*STB", "0.874", "0.845", "0.520", "0.430"),
            ],
            ("0.850", "0.819", "0.714"),
        ),
        (
            "intermediate",
            "DEV*URB*LIT*STB + DEV*LIT*~IND*STB",
            [
                ("DEV*URB*LIT*STB", "0.901", "0.879", "0.468", "0.378"),
                ("DEV*LIT*~IND*STB", "0.814", "0.721", "0.282", "0.191"),
            ],
            ("0.866", "0.839", "0.660"),
        ),
    ],
)
def test_rs_fuzzy_lipset_every_solution_and_figure(solution, expression, terms, whole):
    document = qca_json(
        str(DATA / "LF.csv"), "--outcome", "SURV", "--conditions", LIPSET, "--incl-cut", "0.8",
        "--solution", solution, "--dir-exp", "DEV=1,URB=1,LIT=1,IND=1,STB=1",
    )
    (model,) = document["solutions"]
    assert model["expression"] == expression
    assert fit(model) == terms
    assert model_fit(model) == whole
    assert document["parameters"]["incl_cut"] == [0.8, 0.8]


def test_rs_tied_models_are_all_reported():
    document = qca_json(
        str(DATA / "CVF.csv"), "--outcome", "PROTEST",
        "--conditions", "DEMOC,ETHFRACT,GEOCON,POLDIS,NATPRIDE",
        "--incl-cut", "0.8", "--solution", "parsimonious", "--necessity",
    )
    assert [m["model"] for m in document["solutions"]] == ["M1", "M2", "M3", "M4"]
    assert [[t["covU"] for t in m["terms"]] for m in document["solutions"]] == [
        pytest.approx([0.132, 0.065, 0.040, 0.085], abs=5e-4),
        pytest.approx([0.122, 0.070, 0.040, 0.085], abs=5e-4),
        pytest.approx([0.136, 0.065, 0.085, 0.045], abs=5e-4),
        pytest.approx([0.126, 0.065, 0.085, 0.045], abs=5e-4),
    ]
    assert [model_fit(m) for m in document["solutions"]] == [
        ("0.877", "0.777", "0.805"),
        ("0.877", "0.777", "0.805"),
        ("0.879", "0.782", "0.810"),
        ("0.879", "0.782", "0.810"),
    ]
    assert document["essential"] == ["~NATPRIDE", "DEMOC*GEOCON*POLDIS"]
    necessity = {n["condition"]: n for n in document["necessity"]}
    assert f"{necessity['GEOCON']['inclN']:.3f}" == "0.904"
    assert f"{necessity['~NATPRIDE']['RoN']:.3f}" == "0.952"


def test_the_table_prints_the_truth_table_and_the_model_as_r_does():
    code, stdout, _ = qca(
        str(DATA / "LC.csv"), "--outcome", "SURV", "--conditions", LIPSET
    )
    assert code == 0
    assert "M1: DEV*~URB*LIT*STB + DEV*LIT*IND*STB => SURV" in stdout
    assert "32  1    1    1    1    1    1    4  1.000  1.000  BE,CZ,NL,UK" in stdout


@pytest.fixture
def bad_table(tmp_path: Path) -> Path:
    path = tmp_path / "cases.csv"
    path.write_text("case,A,B,Y\none,0.2,0.9,1\ntwo,1.7,0.1,0\nthree,0.8,x,1\n")
    return path


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--conditions", "A,C", "--outcome", "Y"], "cases.csv: no column 'C' (columns: A, B, Y)"),
        (
            ["--conditions", "A", "--outcome", "Y"],
            "cases.csv row 3, column 'A': 1.7 is not a membership between 0 and 1",
        ),
        (
            ["--conditions", "B", "--outcome", "Y", "--calibrate", "B>=0.5"],
            "cases.csv row 4, column 'B': 'x' is not a number",
        ),
        (
            ["--conditions", "A", "--outcome", "Y", "--calibrate", "A=3,1,2"],
            "the crossover must lie strictly between",
        ),
        (["--conditions", "A", "--outcome", "Y", "--incl-cut", "0.6,0.8"], "exceeds the first"),
        (
            ["--conditions", "A", "--outcome", "Y", "--calibrate", "A>=1", "--solution", "fast"],
            "unknown solution 'fast'",
        ),
        (
            ["--conditions", "A", "--outcome", "Y", "--calibrate", "A>=1",
             "--solution", "intermediate"],
            "needs directional expectations",
        ),
        (
            ["--conditions", ",".join(f"C{i}" for i in range(11)), "--outcome", "Y"],
            "more than 10",
        ),
    ],
)
def test_bad_input_is_refused_naming_file_row_and_column(bad_table, args, says):
    code, stdout, stderr = qca(str(bad_table), *args)
    assert code == 1
    assert says in stderr
    assert "Traceback" not in stderr
    assert stdout == ""


def test_a_missing_file_is_refused(tmp_path):
    code, _, stderr = qca(str(tmp_path / "none.csv"), "--outcome", "Y", "--conditions", "A")
    assert code == 1
    assert "none.csv" in stderr


def test_a_portfolio_of_the_sample_through_the_command(tracker):
    assert tracker("sample", "load").exit_code == 0
    ran = tracker(
        "qca", "--portfolio", "place-based-culture", "--outcome", "later_phase",
        "--conditions", "costly_reversal,turnover,many_changes", "--incl-cut", "0.8",
        "--format", "json",
    )
    assert ran.exit_code == 0, ran.stderr
    document = json.loads(ran.stdout)
    assert document["parameters"]["portfolio"] == "place-based-culture"
    assert [m["expression"] for m in document["solutions"]] == [
        "costly_reversal*turnover*many_changes"
    ]
    assert document["solutions"][0]["terms"][0]["cases"] == ["Wigan Council"]
    assert document["left_out"] == []
    persisted = tracker(
        "qca", "--portfolio", "place-based-culture", "--outcome", "persisted",
        "--conditions", "costly_reversal", "--format", "json",
    )
    assert json.loads(persisted.stdout)["left_out"]  # no tested change: left out, named


def test_a_funder_analyses_only_portfolios_they_may_read(tracker):
    assert tracker("sample", "load").exit_code == 0
    added = tracker(
        "users", "add", "fay", "--role", "funder", "--portfolio", "fictional-demo",
        "--password-stdin", stdin="a long enough password 1\n",
    )
    assert added.exit_code == 0, added.stderr
    args = ["--outcome", "later_phase", "--conditions", "costly_reversal", "--as", "fay"]
    refused = tracker("qca", "--portfolio", "place-based-culture", *args)
    assert refused.exit_code == 1
    assert "no portfolio 'place-based-culture' that you may read" in refused.stderr
    # their own portfolio is read as funders read (approved quarters only), and they are told
    # which quarters were used
    own = tracker("qca", "--portfolio", "fictional-demo", *args)
    assert own.stderr.startswith("Quarters used: ")
    assert " approved" in own.stderr.splitlines()[0]
