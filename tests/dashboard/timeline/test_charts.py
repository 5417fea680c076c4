"""Chart specs: what each chart draws, read back from its Vega-Lite spec."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from tests.analysis.test_timeline import northdale, timeline_of
from tests.dashboard.vega import dates_drawn, frames_of_dict, marks
from tracker.dashboard.portfolio.portfolio_charts import (
    phase_counts_chart,
    survival_chart,
    verdict_counts_chart,
)
from tracker.dashboard.timeline.phase_history import phase_stretches
from tracker.dashboard.timeline.timeline_panels import phase_runs, timeline_chart
from tracker.dashboard.timeline.turnover_marks import turnover_key

TURNOVER_DATES = {dt.date(2018, 3, 31), dt.date(2020, 6, 30)}


def test_every_panel_of_the_timeline_carries_a_rule_at_each_turnover() -> None:
    dataset = northdale().costly_reversal("d-keep", "2017-03-01").build()
    chart = timeline_chart(timeline_of(dataset))
    spec = chart.to_dict()
    rules = dates_drawn(spec, frames_of_dict(spec), "rule", "date")
    # the turnovers strip, indicator, structural changes, decisions: one rule layer each
    assert len(rules) == 4
    assert all(drawn == TURNOVER_DATES for drawn in rules)


def test_timeline_numbers_each_turnover_once_at_the_top_and_names_it_in_the_key() -> None:
    timeline = timeline_of(northdale().build())
    spec = timeline_chart(timeline).to_dict()
    frames = frames_of_dict(spec)
    top = spec["vconcat"][0]
    assert top["title"]["text"] == "Turnovers"
    numbered = []
    for kind, view, data in marks(spec):
        if kind == "text" and view["encoding"]["text"]["field"] == "number":
            assert data is not None
            numbered.append(list(frames[data["name"]]["number"]))
    assert numbered == [["1", "2"]]  # once, in the top strip only
    key = turnover_key(timeline.turnovers)
    assert key[0].startswith("1 ▼ chief executive changed, 2018-03-31")
    assert key[1].startswith("2 ◆ Civic Lab withdrew, 2020-06-30")


def test_turnover_kinds_differ_by_dash_and_shape_not_colour_only() -> None:
    spec = timeline_chart(timeline_of(northdale().build())).to_dict()
    dashes = [
        view["encoding"]["strokeDash"]["scale"]
        for kind, view, _ in marks(spec)
        if kind == "rule" and "strokeDash" in view.get("encoding", {})
    ]
    rules = [view for kind, view, _ in marks(spec) if kind == "rule"]
    assert len(dashes) == len(rules) == 3  # strip, indicator, structural changes
    for scale in dashes:
        by_kind = dict(zip(scale["domain"], map(tuple, scale["range"]), strict=True))
        assert by_kind["leadership change"] != by_kind["partner withdrawal"]
    shapes = [
        view["encoding"]["shape"]["scale"]
        for kind, view, _ in marks(spec["vconcat"][0])
        if kind == "point" and "shape" in view.get("encoding", {})
    ]
    by_kind = dict(zip(shapes[0]["domain"], shapes[0]["range"], strict=True))
    assert by_kind["leadership change"] != by_kind["partner withdrawal"]


def test_panels_share_one_time_axis_and_one_y_axis_width() -> None:
    timeline = timeline_of(northdale().build())
    domains, extents = set(), set()
    for _kind, view, _ in marks(timeline_chart(timeline).to_dict()):
        x = view.get("encoding", {}).get("x", {})
        if "scale" in x:
            domains.add(tuple(x["scale"]["domain"]))
        axis = view.get("encoding", {}).get("y", {}).get("axis")
        if axis:
            extents.add((axis["minExtent"], axis["maxExtent"]))
    assert len(domains) == 1
    assert len(extents) == 1


def test_change_names_are_written_in_full_above_their_spans() -> None:
    timeline = timeline_of(northdale().build())
    spec = timeline_chart(timeline).to_dict()
    frames = frames_of_dict(spec)
    names = set()
    for kind, view, data in marks(spec):
        if kind == "text" and view["encoding"]["text"]["field"] == "title":
            assert data is not None
            names |= set(frames[data["name"]]["title"])
    assert names == set(timeline.spans["title"])


def test_a_run_of_the_same_phase_is_one_band_with_one_word() -> None:
    stretches = phase_stretches(
        [dt.date(2016, 12, 31), dt.date(2017, 12, 31), dt.date(2018, 12, 31)],
        ["middle", "middle", "later"],
    )
    runs = phase_runs(stretches)
    assert list(runs["phase"]) == ["middle", "later"]


def test_timeline_without_turnovers_draws_no_rule_but_still_draws() -> None:
    dataset = northdale().build()
    chart = timeline_chart(timeline_of(dataset, as_of=dt.date(2017, 12, 31)))
    spec = chart.to_dict()
    assert all(drawn == set() for drawn in dates_drawn(spec, frames_of_dict(spec), "rule", "date"))


def test_structural_changes_write_their_status_in_words_on_each_span() -> None:
    spec = timeline_chart(timeline_of(northdale().build())).to_dict()
    frames = frames_of_dict(spec)
    written = set()
    for kind, view, data in marks(spec):
        if kind == "text" and view["encoding"]["text"]["field"] == "status_words":
            assert data is not None
            written |= set(frames[data["name"]]["status_words"])
    assert written == {"in force", "weakened", "reversed"}


def test_the_phase_band_is_drawn_on_top_and_names_each_phase() -> None:
    timeline = timeline_of(northdale().build()).with_phases(
        phase_stretches([dt.date(2016, 12, 31), dt.date(2017, 12, 31)], ["early", "middle"])
    )
    spec = timeline_chart(timeline).to_dict()
    first = spec["vconcat"][1]
    assert first["title"]["text"] == "Phase"
    texts = [view for kind, view, _ in marks(first) if kind == "text"]
    assert texts[0]["encoding"]["text"]["field"] == "phase"


def test_costly_reversals_have_their_own_shape() -> None:
    dataset = northdale().decision("d-close", "2016-02-01").costly_reversal("d-keep", "2017-03-01")
    spec = timeline_chart(timeline_of(dataset.build())).to_dict()
    shapes = [
        view["encoding"]["shape"]["scale"]
        for kind, view, _ in marks(spec)
        if kind == "point" and view.get("encoding", {}).get("shape", {}).get("field") == "kind"
    ]
    assert len(shapes) == 1
    by_kind = dict(zip(shapes[0]["domain"], shapes[0]["range"], strict=True))
    assert by_kind["costly reversal"] != by_kind["decision"]


def test_counts_charts_write_each_count_beside_its_named_bar() -> None:
    counts = pd.DataFrame({"phase": ["early", "middle", "later"], "institutions": [3, 1, 0]})
    spec = phase_counts_chart(counts).to_dict()
    frames = frames_of_dict(spec)
    texts = [(view, data) for kind, view, data in marks(spec) if kind == "text"]
    assert texts[0][0]["encoding"]["text"]["field"] == "institutions"
    drawn = frames[texts[0][1]["name"]]
    assert dict(zip(drawn["label"], drawn["institutions"], strict=True)) == {
        "early": 3, "middle": 1, "later": 0,
    }


def test_verdict_chart_lists_every_verdict_in_words() -> None:
    counts = pd.DataFrame(
        {"verdict": ["persisted", "reversed", "too_early", "unconfirmed"], "tests": [2, 1, 0, 1]}
    )
    spec = verdict_counts_chart(counts).to_dict()
    bar = next(view for kind, view, _ in marks(spec) if kind == "bar")
    assert bar["encoding"]["y"]["sort"] == ["persisted", "reversed", "too early", "unconfirmed"]


def test_survival_curves_differ_by_dash_as_well_as_colour() -> None:
    curves = pd.DataFrame(
        {
            "group": ["tested by a turnover"] * 2 + ["not tested by a turnover"] * 2,
            "months": [0.0, 12.0, 0.0, 12.0],
            "survival": [1.0, 0.8, 1.0, 0.9],
            "ci_lower": [1.0, 0.5, 1.0, 0.6],
            "ci_upper": [1.0, 1.0, 1.0, 1.0],
            "at_risk": [5, 4, 5, 4],
            "events": [0, 1, 0, 1],
        }
    )
    spec = survival_chart(curves).to_dict()
    line = next(view for kind, view, _ in marks(spec) if kind == "line")
    assert line["encoding"]["strokeDash"]["field"] == "group"
    assert line["mark"]["interpolate"] == "step-after"


def test_single_charts_size_their_plot_area_so_bars_never_vanish() -> None:
    counts = pd.DataFrame({"phase": ["early", "middle", "later"], "institutions": [3, 1, 0]})
    # Streamlit's default for a single chart ("fit") squeezes the plot to fit the title in.
    assert phase_counts_chart(counts).to_dict()["autosize"] == {"type": "pad"}
