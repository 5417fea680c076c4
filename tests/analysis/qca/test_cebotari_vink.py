"""Cebotari & Vink (2013) fuzzy data: tied models, necessity and the negated outcome's truth table,
as R's QCA 3.23 prints them (inst/staticdocs/minimize.html, pof.html, truthTable.html)."""

from __future__ import annotations

from tracker.analysis.qca.configurations import analyse_configurations

from .conftest import CEBOTARI_VINK
from .figures import model_row, term_rows, three


def test_parsimonious_has_four_tied_models_each_with_its_own_unique_coverage(cebotari_vink):
    result = analyse_configurations(
        cebotari_vink,
        outcome="PROTEST",
        conditions=CEBOTARI_VINK,
        incl_cut=(0.8, 0.8),
        solution="parsimonious",
    )
    assert [m.expression for m in result.models] == [
        "~NATPRIDE + DEMOC*GEOCON*POLDIS + ~DEMOC*ETHFRACT*POLDIS + DEMOC*ETHFRACT*GEOCON",
        "~NATPRIDE + DEMOC*GEOCON*POLDIS + ~DEMOC*ETHFRACT*POLDIS + DEMOC*ETHFRACT*~POLDIS",
        "~NATPRIDE + DEMOC*GEOCON*POLDIS + DEMOC*ETHFRACT*GEOCON + ETHFRACT*GEOCON*POLDIS",
        "~NATPRIDE + DEMOC*GEOCON*POLDIS + DEMOC*ETHFRACT*~POLDIS + ETHFRACT*GEOCON*POLDIS",
    ]
    assert result.solution.essential == (
        (2, 2, 2, 2, 0),  # ~NATPRIDE
        (1, 2, 1, 1, 2),  # DEMOC*GEOCON*POLDIS
    )
    inclusion = {
        "~NATPRIDE": ("0.899", "0.807", "0.597"),
        "DEMOC*GEOCON*POLDIS": ("0.906", "0.805", "0.342"),
        "~DEMOC*ETHFRACT*POLDIS": ("0.842", "0.718", "0.299"),
        "DEMOC*ETHFRACT*GEOCON": ("0.935", "0.826", "0.480"),
        "DEMOC*ETHFRACT*~POLDIS": ("0.932", "0.773", "0.417"),
        "ETHFRACT*GEOCON*POLDIS": ("0.869", "0.786", "0.365"),
    }
    unique = [
        ("0.132", "0.065", "0.040", "0.085"),
        ("0.122", "0.070", "0.040", "0.085"),
        ("0.136", "0.065", "0.085", "0.045"),
        ("0.126", "0.065", "0.085", "0.045"),
    ]
    for model, expected_unique in zip(result.models, unique, strict=True):
        rows = term_rows(model)
        assert [row[1:4] for row in rows] == [inclusion[row[0]] for row in rows]
        assert tuple(row[4] for row in rows) == expected_unique
    assert [model_row(m) for m in result.models] == [
        ("0.877", "0.777", "0.805"),
        ("0.877", "0.777", "0.805"),
        ("0.879", "0.782", "0.810"),
        ("0.879", "0.782", "0.810"),
    ]


def test_necessity_of_each_condition_and_its_negation(cebotari_vink):
    result = analyse_configurations(
        cebotari_vink,
        outcome="PROTEST",
        conditions=CEBOTARI_VINK,
        incl_cut=(0.8, 0.8),
        with_necessity=True,
    )
    printed = {
        n.condition: (three(n.incl_n), three(n.ron), three(n.cov_n)) for n in result.necessity
    }
    assert printed == {
        "DEMOC": ("0.741", "0.758", "0.713"),
        "ETHFRACT": ("0.680", "0.830", "0.755"),
        "GEOCON": ("0.904", "0.492", "0.624"),
        "POLDIS": ("0.518", "0.878", "0.744"),
        "NATPRIDE": ("0.708", "0.523", "0.539"),
        "~DEMOC": ("0.564", "0.736", "0.601"),
        "~ETHFRACT": ("0.661", "0.684", "0.614"),
        "~GEOCON": ("0.317", "0.873", "0.601"),
        "~POLDIS": ("0.631", "0.517", "0.493"),
        "~NATPRIDE": ("0.597", "0.952", "0.899"),
    }


def test_truth_table_of_the_negated_outcome(cebotari_vink):
    result = analyse_configurations(
        cebotari_vink, outcome="~PROTEST", conditions=CEBOTARI_VINK, incl_cut=(0.8, 0.8)
    )
    rows = {row.id: (row.out, row.n, three(row.incl), three(row.pri)) for row in result.table.rows}
    # R's printout (sorted by incl there), every row it shows
    assert {i: rows[i] for i in (10, 6, 28, 14, 2, 20, 8, 22, 30, 5, 27, 16)} == {
        10: ("1", 1, "0.976", "0.914"),
        6: ("1", 1, "0.953", "0.852"),
        28: ("1", 1, "0.933", "0.775"),
        14: ("1", 3, "0.929", "0.816"),
        2: ("1", 4, "0.922", "0.818"),
        20: ("1", 1, "0.902", "0.714"),
        8: ("1", 1, "0.902", "0.705"),
        22: ("1", 4, "0.846", "0.597"),
        30: ("1", 2, "0.843", "0.333"),
        5: ("1", 2, "0.823", "0.416"),
        27: ("0", 1, "0.776", "0.217"),
        16: ("0", 1, "0.742", "0.409"),
    }
