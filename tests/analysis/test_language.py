"""The language check: contribution language passes, attribution language is found and reworded."""

from __future__ import annotations

import pytest

from tracker.analysis.language import (
    check_language,
    language_warnings,
    passes_language_check,
    suggest_rewording,
)


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("The programme caused a rise in resident trust.", "caused"),
        ("Coaching causes better supervision.", "causes"),
        ("The rise was due to the programme.", "due to"),
        ("Staff morale improved owing to the partnership.", "owing to"),
        ("The new panel resulted in fewer complaints.", "resulted in"),
        ("The reform results in more community voice.", "results in"),
        ("The training led to changed practice.", "led to"),
        ("The fall in turnover is attributable to the coaching.", "attributable to"),
        ("We sought the attribution of the change to one partner.", "attribution of"),
        ("The survey proved that the council changed.", "proved"),
        ("This is proof that the approach works.", "proof that"),
        ("Attendance rose because of the programme.", "because of the programme"),
        ("Trust rose because of Reach's coaching.", "because of Reach's coaching"),
        ("The programme explains 40% of the improvement.", "40% of the improvement"),
        ("Half of the effect came from supervision.", "Half of the effect"),
        ("Thanks to the partner, the directorate exists.", "Thanks to"),
        ("The coaching directly produced the new framework.", "directly produced"),
        ("The impact of the programme was a ten point rise.", "The impact of"),
        ("As a result of the training, staff listen more.", "As a result of"),
    ],
)
def test_attribution_phrase_is_found_with_its_position(text: str, phrase: str) -> None:
    findings = check_language(text)
    assert [f.phrase for f in findings] == [phrase]
    found = findings[0]
    assert text[found.start : found.end] == phrase


@pytest.mark.parametrize(
    "text",
    [
        "The evidence is consistent with the programme having contributed to the rise.",
        "Resident trust rose alongside the programme; evidence suggests a contribution.",
        "The council reversed the decision because of work with the community.",
        "The decision was taken because of work with the community, at a cost to the budget.",
        "The cause-effect question asks what the work contributed to.",
        "Each link of the causal chain is listed with its evidence.",
        "The review is due to report in March and is due to be published later.",
        "The change proved durable through two turnovers.",
        "The reform proved to be popular with residents.",
        "The closure happened because of austerity.",
        "This report does not show that the programme caused the change.",
        "We cannot establish that the coaching led to the new norms.",
        "The rise cannot be attributed to any single partner.",
        "There is no proof that one leader made the difference.",
        "The panel was not caused by the inspection.",
        "Forty per cent of the changes were tested by a turnover.",
        "",
    ],
)
def test_contribution_language_and_negated_claims_pass(text: str) -> None:
    assert check_language(text) == []
    assert passes_language_check(text)


def test_matching_is_case_insensitive_and_word_bounded() -> None:
    assert [f.phrase for f in check_language("IT WAS CAUSED BY THE PROGRAMME")] == ["CAUSED BY"]
    assert check_language("An uncaused event; a misled reader; unproven hunches.") == []


def test_not_only_is_an_intensifier_not_a_negation() -> None:
    findings = check_language("The coaching not only caused a rise, it lasted.")
    assert [f.phrase for f in findings] == ["caused"]


def test_negation_in_an_earlier_clause_does_not_exempt_a_later_claim() -> None:
    findings = check_language("Not every school engaged, but the training caused the change.")
    assert [f.phrase for f in findings] == ["caused"]


def test_overlapping_phrases_make_one_finding() -> None:
    findings = check_language("The rise was caused by the programme.")
    assert [(f.phrase, f.rule) for f in findings] == [("caused by", "caused_by")]


def test_findings_come_in_reading_order() -> None:
    text = "Thanks to the partner, coaching led to changes that resulted in trust."
    assert [f.phrase for f in check_language(text)] == ["Thanks to", "led to", "resulted in"]


def test_suggest_rewording_uses_contribution_language() -> None:
    assert (
        suggest_rewording("The rise was due to the programme.")
        == "The rise was consistent with a contribution from the programme."
    )
    assert suggest_rewording("The training led to changed practice.") == (
        "The training contributed to changed practice."
    )
    assert suggest_rewording("Coaching causes better supervision.") == (
        "Coaching contributes to better supervision."
    )
    assert (
        suggest_rewording("Thanks to the partner, it lasted.")
        == "Alongside the partner, it lasted."
    )
    assert suggest_rewording("It explains 40% of the improvement.") == (
        "It explains part of the improvement."
    )


def test_reworded_text_passes_the_check() -> None:
    texts = [
        "The programme caused a rise. The rise was due to coaching, which led to new norms.",
        "Because of the programme, 30% of the improvement is attributable to the partner.",
        "The impact of the training was large; it proved that the model works.",
    ]
    for text in texts:
        assert passes_language_check(suggest_rewording(text)), suggest_rewording(text)


def test_text_without_findings_is_returned_unchanged() -> None:
    text = "Evidence suggests the panel contributed to new hiring criteria."
    assert suggest_rewording(text) == text


def test_finding_message_is_a_gentle_warning_with_the_suggestion() -> None:
    (finding,) = check_language("The coaching caused it.")
    assert "caused" in finding.message
    assert '"contributed to"' in finding.message


def test_language_warnings_name_where_each_phrase_was_written() -> None:
    warnings = language_warnings(
        [("narrative 2024Q1", "Trust grew thanks to the coaching."), ("claim c1", None)]
    )
    assert [(label, f.phrase) for label, f in warnings] == [("narrative 2024Q1", "thanks to")]
