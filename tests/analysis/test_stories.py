"""Contribution stories: Mayne's six steps assembled from the data, in contribution language."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from tests.builders import Scenario
from tracker.analysis.language import check_language
from tracker.analysis.params import Parameters
from tracker.analysis.run import analyse
from tracker.analysis.stories import Story, institution_stories, institution_story
from tracker.analysis.story_links import LinkStory, link_strength
from tracker.dataset import Dataset
from tracker.vocab import CHAIN_LINKS


def northdale() -> Scenario:
    """A council whose hiring criteria persisted through a chief executive turnover."""
    return (
        Scenario("northdale", name="Northdale Council")
        .tenure("chief_executive", "A", "2014-01-01", "2018-03-31")
        .tenure("chief_executive", "B", "2018-04-01")
        .partner("civic-lab", "2015-01-01")
        .change("c-hiring", adopted="2016-01-01", chain_link="structural_embedding")
        .status("c-hiring", "2019-06-01", "in_force")
        .costly_reversal("d-budget-panel", "2019-05-01")
        .diagnostics("2019-01-01", succession_plan=True)
        .claim("cl1", "The council now shares budget decisions with residents.", prior=0.5)
        .evidence(
            "e-eval",
            "2019-09-01",
            link="structural_embedding",
            kind="independent_evaluation",
            claim="cl1",
            test="smoking_gun",
        )
        .evidence("e-coaching", "2016-06-01", link="engagement", claim="cl1", test="hoop")
    )


def story_of(scenario: Scenario, *, claim: str | None = None, **params: Any) -> Story:
    dataset = scenario.build()
    result = analyse(dataset, Parameters(**params))
    return institution_story(dataset, result, scenario.institution, claim=claim)


def link(story: Story, name: str) -> LinkStory:
    return next(item for item in story.chain if item.link == name)


def test_story_text_passes_language_check() -> None:
    scenario = (
        northdale()
        .tenure("director", "C", "2015-01-01", "2020-01-31")
        .change("c-panel", adopted="2017-01-01", kind="governance", chain_link="team_norms")
        .status("c-panel", "2018-09-01", "reversed")
        .change("c-language", adopted="2019-01-01", kind="language")
        .indicator("trust")
        .values("trust", "2016Q1", [50, 51, 53, 55, 54, 56, 58, 59, 61, 62, 62, 64, 65, 66])
        .factor("Austerity", "2012-01-01", kind="balancing_force", assessed_role="major")
        .evidence("e-survey", "2018-02-01", link="team_norms", supports=False, test="hoop")
        .claim("cl2", "Resident trust rose alongside the work.", prior=0.3)
    )
    dataset = scenario.build()
    result = analyse(dataset, Parameters())
    stories = institution_stories(dataset, result, "northdale")
    assert [story.claim for story in stories] == [None, "cl1", "cl2"]
    for story in stories:
        texts = story.generated_texts()
        assert len(texts) > 30
        failing = {text: check_language(text) for text in texts if check_language(text)}
        assert failing == {}


def test_story_follows_the_causal_chain_in_order() -> None:
    story = story_of(northdale())
    assert [item.link for item in story.chain] == list(CHAIN_LINKS)
    assert story.chain[0].label == "sustained professional engagement"


def test_link_with_independent_evidence_and_persisted_change_is_strong() -> None:
    embedding = link(story_of(northdale()), "structural_embedding")
    assert [item.key for item in embedding.evidence_for] == ["e-eval"]
    assert [(r.record, r.direction) for r in embedding.records] == [("c-hiring", "for")]
    assert embedding.strength == "strong"


def test_link_with_one_uncorroborated_item_is_moderate() -> None:
    engagement = link(story_of(northdale()), "engagement")
    assert (engagement.n_for, engagement.n_against) == (1, 0)
    assert engagement.strength == "moderate"


def test_link_without_evidence_says_no_evidence_and_is_a_gap() -> None:
    story = story_of(northdale())
    team_norms = link(story, "team_norms")
    assert team_norms.strength == "no evidence"
    gap = next(gap for gap in story.gaps if gap.topic == "link team_norms")
    assert "No evidence is recorded" in gap.text
    assert "peer review" in gap.next_evidence


def test_supporting_evidence_sought_and_not_found_counts_against() -> None:
    story = story_of(
        northdale().evidence("e-absent", "2017-01-01", link="team_norms", observed=False)
    )
    team_norms = link(story, "team_norms")
    assert [item.key for item in team_norms.evidence_against] == ["e-absent"]
    assert team_norms.strength == "weak"


def test_reversed_change_counts_against_its_link() -> None:
    story = story_of(
        northdale()
        .change("c-panel", adopted="2017-01-01", kind="governance", chain_link="team_norms")
        .status("c-panel", "2018-09-01", "reversed")
    )
    team_norms = link(story, "team_norms")
    assert [(r.record, r.direction) for r in team_norms.records] == [("c-panel", "against")]
    assert team_norms.strength == "weak"
    assert any("c-panel" in risk for risk in team_norms.risks)


def test_costly_reversal_supports_the_basic_assumption_link() -> None:
    basic = link(story_of(northdale()), "basic_assumption")
    assert [(r.kind, r.record, r.direction) for r in basic.records] == [
        ("decision", "d-budget-panel", "for")
    ]


@pytest.mark.parametrize(
    "n_for, n_against, decisive, strength",
    [
        (0, 0, False, "no evidence"),
        (2, 0, True, "strong"),
        (2, 0, False, "moderate"),
        (1, 0, True, "moderate"),
        (3, 1, True, "moderate"),
        (1, 1, False, "weak"),
        (0, 2, False, "weak"),
    ],
)
def test_link_strength_rule(n_for: int, n_against: int, decisive: bool, strength: str) -> None:
    found = link_strength(n_for=n_for, n_against=n_against, decisive=["e1"] if decisive else [])
    assert found[0] == strength


def test_a_link_with_no_positive_evidence_is_never_strong() -> None:
    assert link_strength(n_for=0, n_against=0, decisive=[])[0] == "no evidence"
    assert link_strength(n_for=5, n_against=0, decisive=[])[0] == "moderate"


def test_a_failed_hoop_test_makes_a_link_weak_at_best_and_is_named() -> None:
    strength, reason, rules = link_strength(
        n_for=4, n_against=1, decisive=["e1"], failed_hoops=["e-hoop"]
    )
    assert strength == "weak"
    assert "R5" in rules and "e-hoop" in reason


def test_a_major_influencing_factor_on_a_link_lowers_it_and_is_named() -> None:
    strength, reason, rules = link_strength(
        n_for=3, n_against=0, decisive=["e1"], major_factors=["Austerity"]
    )
    assert strength == "moderate"
    assert rules == ("R2", "R6") and "'Austerity'" in reason


def test_decisive_is_decided_by_the_likelihood_ratio_not_the_label() -> None:
    scenario = (
        northdale()
        .evidence(
            "e-weak-gun",
            "2019-10-01",
            link="engagement",
            test="smoking_gun",
            sensitivity=0.3,
            type_i_error=0.2,
        )
        .evidence("e-strong", "2019-11-01", link="engagement", sensitivity=0.9, type_i_error=0.05)
    )
    engagement = link(story_of(scenario), "engagement")
    assert [item.key for item in engagement.evidence_for if item.decisive_for] == ["e-strong"]
    assert engagement.strength == "strong"
    assert "e-strong" in engagement.strength_reason


def test_every_link_shows_the_rule_it_applied() -> None:
    story = story_of(northdale())
    assert all(link.strength_rules for link in story.chain)
    assert all(link.strength_reason.startswith("R") for link in story.chain)


def test_the_story_names_its_challenges_and_what_would_strengthen_it() -> None:
    scenario = (
        northdale()
        .factor("Austerity", "2015-01-01", assessed_role="major", link="structural_embedding")
        .evidence("e-against", "2019-02-01", link="team_norms", supports=False)
        .change("c-new", adopted="2019-01-01")
    )
    story = story_of(scenario)
    topics = [challenge.topic for challenge in story.challenges]
    assert "factor 'Austerity'" in topics
    assert "evidence e-against" in topics
    assert "change c-new" in topics
    embedding = link(story, "structural_embedding")
    assert embedding.strength == "moderate" and "R6" in embedding.strength_rules
    assert any("structural embedding" in line or "'Austerity'" in line for line in story.strengthen)
    assert all(check_language(text) == [] for text in story.generated_texts())


def test_default_question_is_about_the_institution() -> None:
    story = story_of(northdale())
    assert story.question.claim is None
    assert "Northdale Council" in story.question.text
    assert "contributed" in story.question.text


def test_claim_story_asks_the_claims_question_and_traces_its_confidence() -> None:
    scenario = (
        northdale()
        .claim("cl2", "Another claim.")
        .evidence("e-other", "2017-01-01", claim="cl2", link="team_norms", test="doubly_decisive")
    )
    story = story_of(scenario, claim="cl1")
    assert story.question.claim == "cl1"
    assert story.question.statement == "The council now shares budget decisions with residents."
    assert "e-other" not in [item.key for item in story.evidence]
    (trail,) = story.confidence
    assert trail.claim == "cl1"
    assert [step.evidence for step in trail.steps] == ["e-coaching", "e-eval"]
    assert trail.prior == 0.5
    assert trail.posterior > 0.9


def test_institution_story_shows_every_claims_confidence_trail() -> None:
    story = story_of(northdale().claim("cl2", "Another claim.", prior=0.2))
    assert [trail.claim for trail in story.confidence] == ["cl1", "cl2"]
    gap = next(gap for gap in story.gaps if gap.topic == "claim cl2")
    assert "stays at its prior" in gap.text


def test_unknown_claim_is_refused() -> None:
    dataset = northdale().build()
    result = analyse(dataset, Parameters())
    with pytest.raises(KeyError, match="cl9"):
        institution_story(dataset, result, "northdale", claim="cl9")


def test_evidence_and_factors_after_the_as_of_date_are_not_used() -> None:
    story = story_of(
        northdale().factor("Inspection", "2021-01-01", assessed_role="partial"),
        as_of=dt.date(2019, 6, 30),
    )
    assert "e-eval" not in [item.key for item in story.evidence]
    assert story.factors == ()


def test_influencing_factors_carry_the_evaluators_assessment() -> None:
    story = story_of(
        northdale().factor("Austerity", "2012-01-01", kind="balancing_force", assessed_role="major")
    )
    (factor,) = story.factors
    assert (factor.title, factor.assessed_role) == ("Austerity", "major")
    assert "major influence alongside the work" in factor.sentence
    assert "1 major" in story.factors_sentence


def test_no_factors_recorded_asks_for_them() -> None:
    assert "No other influencing factor is recorded" in story_of(northdale()).factors_sentence


def test_untested_change_is_a_gap_saying_untested_persistence_is_not_persistence() -> None:
    story = story_of(northdale().change("c-new", adopted="2019-02-01"))
    gap = next(gap for gap in story.gaps if gap.topic == "change c-new")
    assert "Untested persistence is not persistence." in gap.text


def test_missing_succession_plan_is_a_gap() -> None:
    story = story_of(northdale().diagnostics("2019-03-01", succession_plan=False))
    gap = next(gap for gap in story.gaps if gap.topic == "succession plan")
    assert "2019-03-01" in gap.text
    assert "succession plan" not in [g.topic for g in story_of(northdale()).gaps]


def test_no_costly_reversal_is_a_gap() -> None:
    scenario = (
        Scenario("eastfield")
        .tenure("headteacher", "A", "2015-01-01")
        .change("c1", adopted="2016-01-01")
    )
    story = story_of(scenario)
    assert any(gap.topic == "diagnostic question" for gap in story.gaps)


def test_persistence_step_carries_the_analysis_with_reasons() -> None:
    story = story_of(northdale())
    (change,) = story.result.changes
    assert change.summary == "persisted"
    assert change.tests[0].reason
    assert story.result.phase.phase == "later"
    assert "Phase: later" in story.persistence_sentence
    assert "Diagnostic question: yes" in story.persistence_sentence


def test_attribution_in_evaluator_narrative_is_a_warning_not_a_refusal() -> None:
    scenario = northdale().observation("2019Q1", narrative="Trust rose thanks to the coaching.")
    story = story_of(scenario)
    ((where, finding),) = story.warnings
    assert where == "narrative 2019Q1"
    assert finding.phrase == "thanks to"
    assert finding.suggestion == "alongside"


def test_story_json_is_plain() -> None:
    data = json.loads(json.dumps(story_of(northdale(), claim="cl1").to_json()))
    assert data["question"]["claim"] == "cl1"
    assert [item["link"] for item in data["chain"]] == list(CHAIN_LINKS)
    assert data["confidence"][0]["steps"][0]["evidence"] == "e-coaching"


def test_empty_story_for_an_institution_with_little_recorded() -> None:
    dataset = Dataset.from_frames({"institutions": Scenario("quiet").build()["institutions"]})
    result = analyse(dataset, Parameters())
    story = institution_story(dataset, result, "quiet")
    assert all(item.strength == "no evidence" for item in story.chain)
    assert story.evidence_sentence == "No evidence item is recorded yet."
