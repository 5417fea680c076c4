"""The portfolio summary from the results store: each institution's portfolio parts are kept
beside its analysis, so that the summary of 25,000 institutions after one write is one
institution's refresh and a sum, never a new analysis of everything (issue 11).

`stored_portfolio(engine, actor, params, portfolio)`: the summary an actor may read, fresh. The
parts' document format is `tracker.store.portfolio_parts`, shared with the refresh that writes
them.
"""

from __future__ import annotations

from sqlalchemy import Engine

from tracker.access import Actor
from tracker.analysis.params import Parameters
from tracker.analysis.portfolio import PortfolioSummary, portfolio_members, summarise_portfolio
from tracker.db import read_session
from tracker.queries import read_table
from tracker.scope import readable_institutions, readable_portfolios
from tracker.store.portfolio_parts import parts_from_documents
from tracker.store.read import stored_results


def stored_portfolio(
    engine: Engine,
    actor: Actor,
    params: Parameters | None = None,
    portfolio: str | None = None,
) -> PortfolioSummary:
    """The summary of `portfolio` (None: every institution `actor` may read) from fresh stored
    results: what is stale among its members is refreshed first, only that.

    Raises KeyError for a portfolio that is not recorded or that `actor` may not read.
    """
    params = params or Parameters()
    with read_session(engine) as session:
        scope = readable_institutions(session, actor)
        institutions = read_table(session, "institutions", institutions=scope)
        portfolios = read_table(session, "portfolios", institutions=scope)
    allowed = readable_portfolios(actor)
    if allowed is not None:
        portfolios = portfolios[portfolios["portfolio"].isin(allowed)].reset_index(drop=True)
    members = None if portfolio is None else portfolio_members(portfolios, portfolio)
    results = stored_results(engine, actor, params, institutions=members)
    parts = parts_from_documents(results.portfolio_documents())
    return summarise_portfolio(
        parts,
        institutions=institutions,
        portfolios=portfolios,
        parameters=params,
        portfolio=portfolio,
    )
