"""`GET /v1/portfolio-configurations`: which configurations of conditions go with an outcome
across a portfolio's institutions (QCA), as on the Portfolio page and in the portfolio report,
over what the token's user may read."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from tracker.analysis.params import Parameters
from tracker.analysis.qca.portfolio_configurations import (
    DEFAULT_CONDITIONS,
    DEFAULT_INCL_CUT,
    DEFAULT_OUTCOME,
)
from tracker.analysis.qca.portfolio_sets import CONDITION_KEYS, OUTCOME_KEYS
from tracker.api.auth import ActorDep, EngineDep
from tracker.api.docs import responses
from tracker.api.problems import ApiProblem

router = APIRouter(prefix="/v1")

_EXAMPLE: dict[str, Any] = {
    "portfolio": "place-based-culture",
    "outcome": "later_phase",
    "conditions": ["costly_reversal", "turnover", "many_changes"],
    "incl_cut": [0.8, 0.8],
    "solution": "conservative",
    "left_out": [],
    "unanswered": None,
    "sentences": ["Across these 10 institutions, 'in the later phase' is consistently found "
                  "with a costly reversal and a turnover and many structural changes (…)."],
    "caveats": ["A configuration is consistent with the outcome across these institutions: …"],
    "qca": {"truth_table": [], "solutions": [], "cautions": []},
}


@router.get(
    "/portfolio-configurations",
    summary="Configurations of conditions found with an outcome (QCA)",
    tags=["results"],
    responses=responses(_EXAMPLE, errors=(401, 404, 422)),
)
def portfolio_configurations_route(
    actor: ActorDep,
    engine: EngineDep,
    portfolio: Annotated[str | None, Query(description="A portfolio key (default: all).")] = None,
    outcome: Annotated[
        str, Query(description=f"One of {', '.join(OUTCOME_KEYS)}; ~ for its absence.")
    ] = DEFAULT_OUTCOME,
    conditions: Annotated[
        str,
        Query(description=f"Comma-separated, up to 10, from {', '.join(CONDITION_KEYS)}."),
    ] = ",".join(DEFAULT_CONDITIONS),
    incl_cut: Annotated[
        float, Query(ge=0.0, le=1.0, description="Consistency required for OUT 1.")
    ] = DEFAULT_INCL_CUT[0],
    solution: Annotated[
        Literal["conservative", "parsimonious"], Query(description="Which solution.")
    ] = "conservative",
    as_of: Annotated[
        dt.date | None, Query(description="Evaluate as of this date; nothing after it is used.")
    ] = None,
) -> Any:
    """The answer the Portfolio page's Configurations section gives, as JSON: the sentences,
    the caveats, the institutions left out, and under `qca` the document of `tracker qca
    --format json` (truth table with institutions named, models with their fit)."""
    from tracker.analysis.qca.portfolio_configurations import portfolio_configurations
    from tracker.analysis.qca.portfolio_sets import PortfolioSetError
    from tracker.store.portfolio import stored_portfolio

    names = tuple(name.strip() for name in conditions.split(",") if name.strip())
    try:
        summary = stored_portfolio(engine, actor, Parameters(as_of=as_of), portfolio)
    except KeyError:
        raise ApiProblem(
            404, f"no portfolio {portfolio!r} that you may read.", kind="portfolio"
        ) from None
    try:
        found = portfolio_configurations(
            summary,
            outcome=outcome,
            conditions=names,
            incl_cut=(incl_cut, incl_cut),
            solution=solution,
        )
    except PortfolioSetError as error:
        raise ApiProblem(422, str(error), kind="configurations") from None
    return {"portfolio": portfolio, **found.to_json()}
