"""Lipset's data, fuzzy sets (Ragin 2009, p. 112): R's QCA published results, incl.cut 0.8.

`minimize(ttLF, details = TRUE)`, with `include = "?"`, and with `dir.exp = DEV:STB`, as printed in
QCA 3.23's rendered examples: every term's inclS, PRI, covS and covU and the model's fit, to the
three decimals R prints.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tracker.analysis.qca.calibration import calibrate, parse_rule
from tracker.analysis.qca.configurations import analyse_configurations

from .conftest import LIPSET
from .figures import model_row, term_cases, term_rows

ALL_PRESENT = dict.fromkeys(LIPSET, 1)

# Ragin's anchors (full exclusion, crossover, full inclusion) that give LF from the raw LR values
# with the direct method, log-odds ±3 at the anchors. LF's STB cannot be made from LR's cabinet
# counts with any three anchors (its memberships are not monotone in log-odds per cabinet), so
# it is not checked here.
ANCHORS = (
    "DEV=400,550,900",
    "URB=25,50,65",
    "LIT=50,75,90",
    "IND=20,30,40",
    "SURV=-9,0,10",
)


def run(data: pd.DataFrame, solution: str):
    return analyse_configurations(
        data,
        outcome="SURV",
        conditions=LIPSET,
        incl_cut=(0.8, 0.8),
        solution=solution,
        expectations=ALL_PRESENT,
    )


def test_direct_calibration_of_the_raw_values_gives_rs_fuzzy_memberships(lipset_raw, lipset_fuzzy):
    for text in ANCHORS:
        rule = parse_rule(text)
        memberships = calibrate(lipset_raw[rule.column].to_numpy(), rule)
        np.testing.assert_array_equal(
            np.round(memberships, 2), lipset_fuzzy[rule.column].to_numpy(), err_msg=text
        )


def test_truth_table_at_incl_cut_08_has_six_cases_in_positive_rows(lipset_fuzzy):
    result = run(lipset_fuzzy, "conservative")
    # R: "n OUT = 1/0/C: 6/12/0"
    assert sum(row.n for row in result.table.rows if row.out == "1") == 6
    assert sum(row.n for row in result.table.rows if row.out == "0") == 12
    assert [row.id for row in result.table.rows if row.out == "1"] == [22, 32]


def test_conservative(lipset_fuzzy):
    (model,) = run(lipset_fuzzy, "conservative").models
    assert model.expression == "DEV*URB*LIT*IND*STB + DEV*~URB*LIT*~IND*STB"
    assert term_rows(model) == [
        ("DEV*URB*LIT*IND*STB", "0.904", "0.886", "0.454", "0.393"),
        ("DEV*~URB*LIT*~IND*STB", "0.804", "0.719", "0.265", "0.204"),
    ]
    assert model_row(model) == ("0.870", "0.843", "0.658")


def test_parsimonious(lipset_fuzzy):
    (model,) = run(lipset_fuzzy, "parsimonious").models
    assert model.expression == "DEV*~IND + URB*STB"
    assert term_rows(model) == [
        ("DEV*~IND", "0.815", "0.721", "0.284", "0.194"),
        ("URB*STB", "0.874", "0.845", "0.520", "0.430"),
    ]
    assert model_row(model) == ("0.850", "0.819", "0.714")
    assert term_cases(model) == ["FI,IE", "BE,CZ,NL,UK"]


def test_intermediate_with_every_condition_expected_present(lipset_fuzzy):
    result = run(lipset_fuzzy, "intermediate")
    (model,) = result.models
    assert model.origin == "C1P1"
    assert model.expression == "DEV*URB*LIT*STB + DEV*LIT*~IND*STB"
    assert term_rows(model) == [
        ("DEV*URB*LIT*STB", "0.901", "0.879", "0.468", "0.378"),
        ("DEV*LIT*~IND*STB", "0.814", "0.721", "0.282", "0.191"),
    ]
    assert model_row(model) == ("0.866", "0.839", "0.660")
    assert term_cases(model) == ["BE,CZ,NL,UK", "FI,IE"]
