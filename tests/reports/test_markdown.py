"""Markdown reports: a contribution story and a portfolio summary, with every number shown."""

from __future__ import annotations

import pytest

from tests.builders import Scenario, combine
from tracker.analysis.bayes import shown_probability
from tracker.analysis.language import check_language
from tracker.analysis.params import Parameters
from tracker.analysis.portfolio import portfolio_summary
from tracker.analysis.run import analyse
from tracker.analysis.stories import Story, institution_stories
from tracker.dataset import Dataset
from tracker.reports.blocks import DISCLAIMER, md
from tracker.reports.markdown import portfolio_markdown, stories_markdown


def northdale() -> Scenario:
    return (
        Scenario("northdale", name="Northdale Council")
        .tenure("chief_executive", "A", "2014-01-01", "2018-03-31")
        .tenure("chief_executive", "B", "2018-04-01")
        .change("c-hiring", adopted="2016-01-01", chain_link="structural_embedding")
        .status("c-hiring", "2019-06-01", "in_force")
        .change("c-panel", adopted="2017-01-01", kind="governance", chain_link="team_norms")
        .status("c-panel", "2018-09-01", "reversed")
        .costly_reversal("d-budget", "2019-05-01")
        .indicator("trust")
        .values("trust", "2016Q1", [50, 52, 53, 55, 56, 58, 60, 61, 62, 63, 64, 65, 66, 67])
        .factor("Austerity", "2012-01-01", kind="balancing_force", assessed_role="major")
        .diagnostics("2019-01-01", leadership_commitment=True, succession_plan=False)
        .claim("cl1", "Residents now share budget decisions.", prior=0.4)
        .evidence("e-coach", "2016-06-01", claim="cl1", link="engagement", test="hoop")
        .evidence(
            "e-eval",
            "2019-09-01",
            claim="cl1",
            link="structural_embedding",
            kind="independent_evaluation",
            test="smoking_gun",
        )
        .in_portfolio("fund-a", name="Fund A")
    )


def stories_of(dataset: Dataset, institution: str = "northdale") -> list[Story]:
    result = analyse(dataset, Parameters(), include_its=True)
    return institution_stories(dataset, result, institution)


@pytest.fixture(scope="module")
def story_report() -> str:
    return stories_markdown(stories_of(northdale().build()))


def test_story_report_states_the_as_of_date_parameters_and_disclaimer(story_report: str) -> None:
    assert "**As of:** 2019-09-01." in story_report
    assert "| window\\_months | 12 |" in story_report
    assert "| indicator\\_tolerance | 0.1 |" in story_report
    assert md(DISCLAIMER) in story_report


def test_story_report_follows_the_six_steps_in_order(story_report: str) -> None:
    headings = [
        "## 1. The cause-effect question",
        "## 2. The theory of change",
        "## 3. The evidence gathered",
        "## 4. Other influencing factors",
        "## 5. Persistence through turnover, phase and diagnostic",
        "## 6. Gaps and the next evidence to seek",
    ]
    positions = [story_report.index(heading) for heading in headings]
    assert positions == sorted(positions)


def test_story_report_shows_every_verdict_with_its_reason() -> None:
    stories = stories_of(northdale().build())
    report = stories_markdown(stories)
    result = stories[0].result
    for change in result.changes:
        assert md(change.summary_reason) in report
        for test in change.tests:
            assert f"| {md(test.verdict)} |" in report
            assert md(test.reason) in report
    for indicator in result.indicators:
        for compared in indicator.tests:
            assert md(compared.reason) in report
    assert md(result.phase.explanation) in report
    assert md(result.diagnostic.sentence) in report


def test_story_report_states_each_indicators_rule_once_and_each_turnovers_quarters() -> None:
    stories = stories_of(northdale().build())
    report = stories_markdown(stories)
    result = stories[0].result
    (trust,) = result.indicators
    assert trust.tests and trust.rule
    # The rule is said once, beside the indicator's tests; their reasons do not repeat it.
    assert report.count(md(trust.rule)) == 1
    assert f"trust: {md(trust.rule)}" in report
    for turnover in result.turnovers:
        assert md(turnover.indicator_quarters) in report


def test_story_report_shows_every_bayes_number() -> None:
    stories = stories_of(northdale().build())
    report = stories_markdown(stories)
    (trail,) = stories[0].confidence
    assert "Prior: 0.4000 (the claim's prior)." in report
    for step in trail.steps:
        row = (
            f"| {md(step.evidence)} | {md(step.title)} | {step.date} | {md(step.test)} | "
            f"{step.sensitivity:.2f} | {step.type_i_error:.2f} | yes | for | "
            f"{md(step.source)} | {shown_probability(step.before)} | "
            f"{shown_probability(step.after)} |"
        )
        assert row in report
    assert md(trail.sentence) in report


def test_story_report_text_passes_language_check(story_report: str) -> None:
    assert check_language(story_report) == []


def test_each_claim_gets_its_own_section_after_the_institution(story_report: str) -> None:
    assert story_report.index("# Claim cl1") > story_report.index("## 6. Gaps")
    assert "Residents now share budget decisions." in story_report


def test_attribution_in_a_narrative_is_noted_with_a_suggestion() -> None:
    scenario = northdale().observation("2019Q1", narrative="Trust rose because of the programme.")
    report = stories_markdown(stories_of(scenario.build()))
    assert "## Language notes on the evaluator's text" in report
    assert "| narrative 2019Q1 | because of the programme | alongside the programme |" in report


def test_evaluator_text_cannot_become_markup() -> None:
    scenario = northdale().evidence(
        "e-odd", "2018-01-01", title="# [click](http://example.org) <b>bold</b> | *x*"
    )
    report = stories_markdown(stories_of(scenario.build()))
    # The colon of an address is escaped too, so that no renderer turns it into a bare link.
    assert "\\# \\[click\\](http\\://example.org) \\<b\\>bold\\</b\\> \\| \\*x\\*" in report
    assert "[click](" not in report
    assert "http://example.org" not in report


def test_no_story_is_refused() -> None:
    with pytest.raises(ValueError, match="no story"):
        stories_markdown([])


def portfolio_report() -> str:
    school = (
        Scenario("westmoor", kind="school", name="Westmoor School")
        .tenure("headteacher", "H", "2015-01-01", "2019-06-30")
        .change("c-attend", adopted="2016-01-01", kind="policy")
        .in_portfolio("fund-a")
    )
    dataset = combine(northdale(), school)
    result = analyse(dataset, Parameters())
    return portfolio_markdown(portfolio_summary(dataset, result, portfolio="fund-a"))


def test_portfolio_report_lists_every_phase_verdict_and_summary_with_zeros() -> None:
    report = portfolio_report()
    assert "# Portfolio summary: Fund A" in report
    for row in ("| early | 1 |", "| middle | 0 |", "| later | 1 |"):
        assert row in report
    for row in ("| persisted | 1 |", "| reversed | 1 |", "| unconfirmed | 0 |"):
        assert row in report
    assert "| untested | 0 |" in report
    assert "have been tested by a turnover (n = 3)." in report


def test_portfolio_report_gives_the_reason_for_each_institution_at_risk() -> None:
    report = portfolio_report()
    assert (
        "| westmoor | Westmoor School | headteacher | the key role headteacher has been vacant "
        "since 2019-06-30 (no successor recorded); no succession plan is recorded in the "
        "commissioning diagnostics |"
    ) in report


def test_portfolio_report_shows_survival_caveats_and_parameters() -> None:
    report = portfolio_report()
    assert "## Survival of structural changes" in report
    assert "few changes: read as descriptive only" in report
    assert "| window\\_months | 12 |" in report
    assert md(DISCLAIMER) in report
    assert check_language(report) == []
