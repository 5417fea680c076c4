"""Results out: the analysis (the JSON of `tracker analyse`), the portfolio summary and the
contribution story (JSON, Markdown or HTML), over what the token's user may read."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Query
from fastapi.responses import Response
from sqlalchemy import Engine, select

from tracker import models
from tracker.access import Actor
from tracker.analysis.params import Parameters
from tracker.api.auth import ActorDep, EngineDep
from tracker.api.docs import responses
from tracker.api.paging import CursorQuery, decode_cursor, encode_cursor
from tracker.api.problems import ApiProblem
from tracker.api.reads import InstitutionPath
from tracker.api.records import readable_institution
from tracker.dataset import Dataset
from tracker.db import read_session
from tracker.scope import readable_dataset, readable_institutions

router = APIRouter(prefix="/v1")

AsOfQuery = Annotated[
    dt.date | None, Query(description="Evaluate as of this date; nothing after it is used.")
]
WindowQuery = Annotated[
    int, Query(ge=0, description="Months after a turnover in which a reversal counts.")
]
ToleranceQuery = Annotated[
    float, Query(ge=0.0, description="Indicator tolerance, as a share of |pre-turnover mean|.")
]
ParentTurnoversQuery = Annotated[bool, Query(
    description="Count a turnover at an institution's parent (a trust's chief executive) as a "
    "turnover of each member too (as `--parent-turnovers`).")]
AnalysisLimit = Annotated[int, Query(ge=1, le=200, description="Institutions per page.")]

_PARAMETERS = {"window_months": 12, "indicator_tolerance": 0.1, "as_of": None}
_INSTITUTION_RESULT = {"institution": "wigan-council", "as_of": "2025-03-31",
                       "phase": "embedding", "changes": [], "indicators": []}


def _dataset(engine: Engine, actor: Actor) -> Dataset:
    with read_session(engine) as session:
        return readable_dataset(session, actor)


def _readable(engine: Engine, actor: Actor, institution: str) -> None:
    with read_session(engine) as session:
        readable_institution(session, actor, institution)


FreshQuery = Annotated[bool, Query(
    description="Analyse the records now, bypassing the results store (as `--fresh`).")]
ItsQuery = Annotated[bool, Query(
    description="Also fit segmented regressions; analyses now (as `--its`, slow at scale).")]


def _page_keys(engine: Engine, actor: Actor, cursor: str | None, limit: int) -> list[str]:
    """The keys of the institutions `actor` may read after the cursor: at most `limit` + 1."""
    after = decode_cursor(cursor)
    with read_session(engine) as session:
        readable = readable_institutions(session, actor)
        stmt = select(models.Institution.key).order_by(models.Institution.key)
        if after:
            stmt = stmt.where(models.Institution.key > str(after[0]))
        if readable is None:
            return list(session.scalars(stmt.limit(limit + 1)))
        return [k for k in session.scalars(stmt) if k in readable][: limit + 1]


def _documents(
    engine: Engine, actor: Actor, params: Parameters, keys: list[str], *, fresh: bool, its: bool
) -> list[dict[str, Any]]:
    """Each institution's analysis: from the results store (recomputing only what is stale),
    or analysed now with `fresh` or `its`, as `tracker analyse` does."""
    if not keys:
        return []
    if fresh or its:
        from tracker.analysis.run import analyse

        result = analyse(_dataset(engine, actor), params, institutions=keys, include_its=its)
        return [i.to_json(with_its=its) for i in result.each_institution()]
    from tracker.store import stored_results

    results = stored_results(engine, actor, params, institutions=keys)
    return [orjson.loads(document) for _, document in results.documents()]


@router.get("/analysis", summary="Analysis results, a page of institutions", tags=["results"],
            responses=responses({"parameters": _PARAMETERS, "items": [_INSTITUTION_RESULT],
                                 "next": None}, errors=(400, 401)))
def analysis(
    actor: ActorDep, engine: EngineDep, as_of: AsOfQuery = None, window_months: WindowQuery = 12,
    tolerance: ToleranceQuery = 0.1, fresh: FreshQuery = False, its: ItsQuery = False,
    limit: AnalysisLimit = 20, cursor: CursorQuery = None,
    parent_turnovers: ParentTurnoversQuery = False,
) -> dict[str, Any]:
    """The analysis of the institutions you may read, a page at a time: each item is one
    element of `institutions` in `tracker analyse --format json` (from the results store),
    with the same parameters."""
    params = Parameters(window_months=window_months, indicator_tolerance=tolerance, as_of=as_of,
                        parent_turnovers=parent_turnovers)
    keys = _page_keys(engine, actor, cursor, limit)
    chosen = keys[:limit]
    items = _documents(engine, actor, params, chosen, fresh=fresh, its=its)
    more = len(keys) > limit
    return {"parameters": params.to_json(), "items": items,
            "next": encode_cursor([chosen[-1]]) if more and chosen else None}


@router.get("/institutions/{institution}/analysis", summary="One institution's analysis",
            tags=["results"],
            responses=responses({"parameters": _PARAMETERS, "institutions": [_INSTITUTION_RESULT]},
                                errors=(401, 403, 404)))
def institution_analysis(
    actor: ActorDep, engine: EngineDep, institution: InstitutionPath, as_of: AsOfQuery = None,
    window_months: WindowQuery = 12, tolerance: ToleranceQuery = 0.1, fresh: FreshQuery = False,
    its: ItsQuery = False, parent_turnovers: ParentTurnoversQuery = False,
) -> dict[str, Any]:
    """Exactly `tracker analyse --institution KEY --format json` (from the results store;
    `fresh` or `its` analyse now)."""
    _readable(engine, actor, institution)
    params = Parameters(window_months=window_months, indicator_tolerance=tolerance, as_of=as_of,
                        parent_turnovers=parent_turnovers)
    return {"parameters": params.to_json(),
            "institutions": _documents(engine, actor, params, [institution], fresh=fresh,
                                       its=its)}


_MEDIA = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
FormatQuery = Annotated[
    Literal["json", "md", "html", "docx", "pdf"],
    Query(description="json, or a report as `tracker report --format`: md, html, docx, pdf."),
]


def _rendered(content: bytes | str, format: str) -> Response:
    return Response(content, media_type=_MEDIA[format])


@router.get("/institutions/{institution}/story", summary="The contribution story",
            tags=["results"],
            responses={**responses({"institution": "wigan-council", "stories": [
                {"institution": "wigan-council", "change": "wigan-deal",
                 "claim": "The Deal changed how the council commissions."}]},
                errors=(401, 403, 404)),
                200: {"content": {
                    "application/json": {"example": {"institution": "wigan-council",
                                                     "stories": []}},
                    "text/markdown": {"example": "# Wigan Council\n\n…"},
                    "text/html": {"example": "<!doctype html><html>…</html>"}}}})
def story(
    actor: ActorDep, engine: EngineDep, institution: InstitutionPath, format: FormatQuery = "json",
    as_of: AsOfQuery = None,
) -> Any:
    """The contribution story of an institution: JSON, or the report of
    `tracker report --institution KEY --format md|html|docx|pdf`."""
    from tracker.analysis.run import analyse
    from tracker.analysis.stories import institution_stories
    from tracker.reports.render import render_report

    _readable(engine, actor, institution)
    params = Parameters(as_of=as_of)
    dataset = _dataset(engine, actor)
    if format != "json":
        return _rendered(
            render_report(dataset, params, institution=institution, format=format), format
        )
    result = analyse(dataset, params, institutions=[institution], include_its=True)
    stories = institution_stories(dataset, result, institution)
    return {"institution": institution, "stories": [s.to_json() for s in stories]}


@router.get("/portfolio-summary", summary="The portfolio summary", tags=["results"],
            responses={**responses({"portfolio": "north-west", "institutions": 12},
                                   errors=(401, 404)),
                       200: {"content": {
                           "application/json": {"example": {"portfolio": "north-west"}},
                           "text/markdown": {"example": "# Portfolio north-west\n\n…"},
                           "text/html": {"example": "<!doctype html><html>…</html>"}}}})
def portfolio(
    actor: ActorDep, engine: EngineDep,
    portfolio: Annotated[str | None, Query(description="A portfolio key (default: all).")] = None,
    format: FormatQuery = "json", as_of: AsOfQuery = None,
) -> Any:
    """The summary of a portfolio you may read (default: everything you may read), as
    `tracker report --portfolio KEY`: JSON, or the report as md, html, docx or pdf."""
    from tracker.reports.render import render_portfolio_report
    from tracker.store.portfolio import stored_portfolio

    params = Parameters(as_of=as_of)
    # From the results store: only what changed since the last read is analysed again.
    try:
        summary = stored_portfolio(engine, actor, params, portfolio)
    except KeyError:
        raise ApiProblem(
            404, f"no portfolio {portfolio!r} that you may read.", kind="portfolio"
        ) from None
    if format == "json":
        return summary.to_json()
    return _rendered(render_portfolio_report(summary, format), format)
