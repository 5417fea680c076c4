"""What the method refuses, and why."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tracker.analysis.qca.configurations import analyse_configurations
from tracker.analysis.qca.solutions import QcaError


def test_more_than_ten_conditions_is_refused_for_limited_diversity():
    names = [f"C{i}" for i in range(11)]
    data = pd.DataFrame(np.ones((3, 12)), columns=[*names, "Y"])
    with pytest.raises(QcaError, match=r"more than 10.*limited diversity"):
        analyse_configurations(data, outcome="Y", conditions=names)


def test_ten_conditions_are_solved_and_a_planted_configuration_found():
    rng = np.random.default_rng(7)
    names = [f"C{i}" for i in range(10)]
    data = pd.DataFrame(rng.integers(0, 2, size=(400, 10)).astype(float), columns=names)
    planted = np.maximum(
        np.minimum(data["C0"], data["C1"]), np.minimum(1 - data["C2"], data["C3"])
    )
    data["Y"] = planted
    result = analyse_configurations(
        data, outcome="Y", conditions=names, solution="parsimonious"
    )
    assert [m.expression for m in result.models] == ["C0*C1 + ~C2*C3"]


def test_nothing_to_explain_says_so(lipset_crisp):
    with pytest.raises(QcaError, match="nothing to explain"):
        analyse_configurations(
            lipset_crisp.assign(SURV=0), outcome="SURV", conditions=["DEV", "URB"]
        )


def test_intermediate_needs_directional_expectations(lipset_fuzzy):
    with pytest.raises(QcaError, match="directional expectations"):
        analyse_configurations(
            lipset_fuzzy, outcome="SURV", conditions=["DEV", "URB"], solution="intermediate"
        )
