"""Issue 23, case 3, over the API: `parent_turnovers=true` is a parameter of the analysis routes,
echoed with the others, for a school in a trust (the sample's Hillcrest Academy, whose trust
has had no turnover: this crashed), from the results store and fresh."""

from __future__ import annotations

import pytest

from tests.api.conftest import Api


@pytest.mark.parametrize("fresh", ["false", "true"])
def test_a_school_in_a_trust_is_analysed_with_parent_turnovers(api: Api, fresh: str) -> None:
    answer = api.request(
        "admin",
        "GET",
        "/v1/institutions/hillcrest-academy/analysis",
        params={"parent_turnovers": "true", "fresh": fresh},
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["parameters"]["parent_turnovers"] is True
    (school,) = body["institutions"]
    assert school["institution"] == "hillcrest-academy" and school["turnovers"]
    page = api.request("admin", "GET", "/v1/analysis", params={"parent_turnovers": "true"})
    assert page.status_code == 200 and page.json()["parameters"]["parent_turnovers"] is True
