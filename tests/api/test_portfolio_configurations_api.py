"""`GET /v1/portfolio-configurations`: the Portfolio page's Configurations answer over HTTP,
scoped to what the token's user may read."""

from __future__ import annotations

from tests.api.conftest import Api


def test_the_default_question_on_the_sample(api: Api) -> None:
    response = api.get("admin", "/v1/portfolio-configurations")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["outcome"] == "later_phase"
    assert body["conditions"] == ["costly_reversal", "turnover", "many_changes"]
    assert [m["expression"] for m in body["qca"]["solutions"]] == [
        "costly_reversal*turnover*many_changes"
    ]
    assert body["sentences"][0].startswith("Across these 10 institutions")
    rows = {row["id"]: row["cases"] for row in body["qca"]["truth_table"]}
    assert rows[8] == ["Northdale Council", "Wigan Council"]
    assert body["sets"]["many_changes"] == {"label": "many structural changes", "kind": "fuzzy"}


def test_a_chosen_question_and_institutions_left_out(api: Api) -> None:
    response = api.get(
        "admin",
        "/v1/portfolio-configurations",
        params={
            "portfolio": "place-based-culture", "outcome": "persisted",
            "conditions": "costly_reversal,repeated_turnover", "incl_cut": 0.9,
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["portfolio"] == "place-based-culture"
    assert body["incl_cut"] == [0.9, 0.9]
    assert body["left_out"]
    assert body["qca"]["parameters"]["incl_cut"] == [0.9, 0.9]
    parsimonious = api.get(
        "admin", "/v1/portfolio-configurations",
        params={"outcome": "persisted", "conditions": "costly_reversal",
                "solution": "parsimonious"},
    ).json()
    # every institution with a tested change has OUT 1: said, not failed
    assert parsimonious["qca"] is None
    assert parsimonious["unanswered"].startswith("No configuration can be given")


def test_unknown_sets_and_unreadable_portfolios_are_refused(api: Api) -> None:
    unknown = api.get(
        "admin", "/v1/portfolio-configurations", params={"conditions": "weather"}
    )
    assert unknown.status_code == 422
    assert "no portfolio condition 'weather'" in unknown.json()["detail"]
    other = api.get(
        "funder", "/v1/portfolio-configurations", params={"portfolio": "place-based-culture"}
    )
    assert other.status_code == 404
    assert api.get(None, "/v1/portfolio-configurations").status_code == 401
