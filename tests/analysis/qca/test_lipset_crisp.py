"""Lipset's data, crisp sets: R's QCA published results (inst/staticdocs of QCA 3.23).

The crisp table is made here from the raw values with the thresholds of the data set's help page,
and must equal R's LC; the solutions are those R prints for `truthTable(LC, "SURV")` and
`minimize(...)`, with every figure of fit.
"""

from __future__ import annotations

import pandas as pd

from tracker.analysis.qca.calibration import calibrate, parse_rule
from tracker.analysis.qca.configurations import analyse_configurations

from .conftest import LIPSET
from .figures import model_row, table_rows, term_cases, term_rows

THRESHOLDS = ("DEV>=550", "URB>=50", "LIT>=75", "IND>=30", "STB<10", "SURV>0")


def calibrated(raw: pd.DataFrame) -> pd.DataFrame:
    rules = [parse_rule(text) for text in THRESHOLDS]
    return pd.DataFrame(
        {rule.column: calibrate(raw[rule.column].to_numpy(), rule) for rule in rules},
        index=raw.index,
    )


def test_the_help_page_thresholds_turn_the_raw_values_into_rs_crisp_table(
    lipset_raw, lipset_crisp
):
    pd.testing.assert_frame_equal(calibrated(lipset_raw), lipset_crisp.astype(float))


def test_truth_table_rows_numbered_as_r_with_their_cases(lipset_raw):
    result = analyse_configurations(calibrated(lipset_raw), outcome="SURV", conditions=LIPSET)
    assert table_rows(result) == [
        (1, "0", 3, "0.000", "0.000", "GR,PT,ES"),
        (2, "0", 2, "0.000", "0.000", "IT,RO"),
        (5, "0", 2, "0.000", "0.000", "HU,PL"),
        (6, "0", 1, "0.000", "0.000", "EE"),
        (22, "1", 2, "1.000", "1.000", "FI,IE"),
        (23, "0", 1, "0.000", "0.000", "AU"),
        (24, "1", 2, "1.000", "1.000", "FR,SE"),
        (31, "0", 1, "0.000", "0.000", "DE"),
        (32, "1", 4, "1.000", "1.000", "BE,CZ,NL,UK"),
    ]
    assert len(result.table.remainder_ids()) == 32 - 9


def test_conservative_solution_with_every_figure_of_fit(lipset_raw):
    result = analyse_configurations(calibrated(lipset_raw), outcome="SURV", conditions=LIPSET)
    (model,) = result.models
    assert model.expression == "DEV*~URB*LIT*STB + DEV*LIT*IND*STB"
    assert term_rows(model) == [
        ("DEV*~URB*LIT*STB", "1.000", "1.000", "0.500", "0.250"),
        ("DEV*LIT*IND*STB", "1.000", "1.000", "0.750", "0.500"),
    ]
    assert model_row(model) == ("1.000", "1.000", "1.000")
    assert term_cases(model) == ["FI,IE; FR,SE", "FR,SE; BE,CZ,NL,UK"]


def test_parsimonious_solution_and_its_simplifying_assumptions(lipset_raw):
    result = analyse_configurations(
        calibrated(lipset_raw), outcome="SURV", conditions=LIPSET, solution="parsimonious"
    )
    (model,) = result.models
    assert model.expression == "DEV*STB"
    assert term_rows(model)[0][:4] == ("DEV*STB", "1.000", "1.000", "1.000")
    assert model_row(model) == ("1.000", "1.000", "1.000")
    assert term_cases(model) == ["FI,IE; FR,SE; BE,CZ,NL,UK"]
    assert result.solution.simplifying_assumptions == {"M1": (18, 20, 26, 28, 30)}


def test_negated_outcome_conservative_and_parsimonious(lipset_raw):
    data = calibrated(lipset_raw)
    conservative = analyse_configurations(data, outcome="~SURV", conditions=LIPSET)
    assert [m.expression for m in conservative.models] == ["~DEV*~URB*~IND + DEV*LIT*IND*~STB"]
    parsimonious = analyse_configurations(
        data, outcome="~SURV", conditions=LIPSET, solution="parsimonious"
    )
    (model,) = parsimonious.models
    assert model.expression == "~DEV + ~STB"
    assert term_rows(model) == [
        ("~DEV", "1.000", "1.000", "0.800", "0.300"),
        ("~STB", "1.000", "1.000", "0.700", "0.200"),
    ]
    assert model_row(model) == ("1.000", "1.000", "1.000")
    assert term_cases(model) == ["GR,PT,ES; IT,RO; HU,PL; EE", "GR,PT,ES; HU,PL; AU; DE"]
