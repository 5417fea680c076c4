"""Issue 23, case 4: a headline never says more than its tests. Every summary sentence (the
story's headline and step 5, the report's "At a glance", the portfolio's) is built from the
tests' own counts, each verdict named."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.builders import Scenario
from tracker.analysis.params import Parameters
from tracker.analysis.run import analyse
from tracker.analysis.stories import institution_story
from tracker.analysis.verdict_words import changes_sentence, verdicts_sentence


def test_the_portfolio_sentence_names_every_verdict() -> None:
    sentence = verdicts_sentence({"persisted": 1, "too_early": 3, "reversed": 0})
    assert sentence == "Of 4 persistence tests: 1 persisted, 3 too early to judge."


_VERDICT_PATTERNS = {
    "persisted": r"persisted through (\d+) turnovers?",
    "reversed": r"reversed within the window after (\d+) turnovers?",
    "unconfirmed": r"(\d+) unconfirmed",
    "too_early": r"(\d+) too early to judge",
}


def _claimed(sentence: str, title: str) -> dict[str, int]:
    """The counts a sentence states for the change `title`."""
    part = sentence.split(f"{title}: ", 1)[1].split(". ", 1)[0]
    found = {}
    for verdict, pattern in _VERDICT_PATTERNS.items():
        match = re.search(pattern, part)
        if match:
            found[verdict] = int(match.group(1))
    return found


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(
    gaps=st.lists(st.integers(min_value=2, max_value=30), min_size=0, max_size=5),
    statuses=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=110), st.sampled_from(["in_force", "reversed"])
        ),
        max_size=4,
    ),
    as_of_months=st.integers(min_value=6, max_value=120),
)
def test_no_summary_sentence_claims_more_than_its_tests(
    gaps: list[int], statuses: list[tuple[int, str]], as_of_months: int
) -> None:
    start = dt.date(2014, 1, 1)

    def month(n: int) -> dt.date:
        return dt.date(start.year + (start.month - 1 + n) // 12, (start.month - 1 + n) % 12 + 1, 1)

    scenario = Scenario("nd").change("c1", adopted=month(1).isoformat())
    scenario.rows["changes"][0]["title"] = "The panel"
    at = 0
    holders = [*gaps, None]
    for number, gap in enumerate(holders):
        begin = month(at)
        end = None if gap is None else month(at + gap) - dt.timedelta(days=1)
        scenario.tenure("chief_executive", f"H{number}", begin.isoformat(),
                        None if end is None else end.isoformat())
        at += gap or 0
    seen = set()
    for offset, status in statuses:
        if offset not in seen:
            seen.add(offset)
            scenario.status("c1", month(offset + 2).isoformat(), status)
    dataset = scenario.build()
    as_of = month(as_of_months)
    result = analyse(dataset, Parameters(as_of=as_of))
    (change,) = result.institution("nd").changes
    counts: dict[str, int] = {}
    for test in change.tests:
        counts[test.verdict] = counts.get(test.verdict, 0) + 1
    story = institution_story(dataset, result, "nd")
    for sentence in (changes_sentence([change]), story.persistence_sentence):
        assert _claimed(sentence, "The panel") == counts, sentence
        assert "every" not in sentence
        if not change.tests:
            assert "untested" in sentence
