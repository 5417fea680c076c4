"""The language guard measured on a labelled corpus (tests/analysis/language_corpus.tsv).

Each line is a label (1: attribution language, 0: honest text) and a sentence an evaluator or
a generated text would write, including the issue's examples, negations, questions, quotations
and causes that are not the work. Print the scores with:

    .venv/bin/python -m tests.analysis.test_language_corpus
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tracker.analysis.language import check_language, suggest_rewording

CORPUS = Path(__file__).with_name("language_corpus.tsv")


def corpus() -> list[tuple[bool, str]]:
    rows = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, sentence = line.split("\t", 1)
        rows.append((label == "1", sentence))
    return rows


def scores() -> tuple[float, float, list[str], list[str]]:
    """Precision, recall, the sentences missed and the sentences wrongly flagged."""
    missed, wrong = [], []
    hits = 0
    flagged = 0
    for attribution, sentence in corpus():
        found = bool(check_language(sentence))
        flagged += found
        if attribution and found:
            hits += 1
        elif attribution:
            missed.append(sentence)
        elif found:
            wrong.append(sentence)
    positives = sum(label for label, _ in corpus())
    return hits / max(flagged, 1), hits / max(positives, 1), missed, wrong


def test_the_corpus_has_at_least_150_labelled_sentences_of_both_kinds() -> None:
    rows = corpus()
    assert len(rows) >= 150
    assert sum(label for label, _ in rows) >= 60
    assert sum(not label for label, _ in rows) >= 60


def test_precision_and_recall_on_the_corpus() -> None:
    precision, recall, missed, wrong = scores()
    assert recall >= 0.95, missed
    assert precision >= 0.95, wrong


# A rewording that leaves "contributed to X to VERB" (or "contributed to up") is not English.
_UNGRAMMATICAL = re.compile(
    r"contribut\w*\s+to\s+(?:[\w'’-]+\s+){1,5}?to\s+(?!the\b|a\b|an\b)[a-z]+\b(?<!ing)"
    r"|contribut\w*\s+to\s+(?:up|down)\b|evidence suggests that\b.*\bproof"
)


@pytest.mark.parametrize(
    "sentence", [sentence for attribution, sentence in corpus() if attribution]
)
def test_every_rewording_passes_and_reads_as_english(sentence: str) -> None:
    reworded = suggest_rewording(sentence)
    assert check_language(reworded) == [], reworded
    assert not _UNGRAMMATICAL.search(reworded), reworded


@pytest.mark.parametrize(
    "sentence, reworded",
    [
        (
            "The training caused staff morale to rise.",
            "The training contributed to staff morale rising.",
        ),
        (
            "Reflective supervision drove down staff turnover.",
            "Reflective supervision contributed to lowering staff turnover.",
        ),
        (
            "The partnership was responsible for the fall in exclusions.",
            "The partnership contributed to the fall in exclusions.",
        ),
        (
            "The rise was due to the programme.",
            "The rise was consistent with a contribution from the programme.",
        ),
        (
            "Exclusions fell due to the coaching programme.",
            "Exclusions fell alongside the coaching programme.",
        ),
        ("Attendance rose, no doubt thanks to Reach.", "Attendance rose, alongside Reach."),
        ("This is proof that the approach works.", "This is evidence that the approach works."),
        (
            "The programme was the reason attendance rose.",
            "The programme was among the reasons attendance rose.",
        ),
        (
            "The programme's effect was 5 points on the trust score.",
            "The change seen alongside the programme was 5 points on the trust score.",
        ),
    ],
)
def test_rewording_is_grammatical(sentence: str, reworded: str) -> None:
    assert suggest_rewording(sentence) == reworded


if __name__ == "__main__":
    precision, recall, missed, wrong = scores()
    rows = corpus()
    print(f"{len(rows)} sentences, {sum(label for label, _ in rows)} attribution")
    print(f"precision {precision:.3f}, recall {recall:.3f}")
    for sentence in missed:
        print("missed:", sentence)
    for sentence in wrong:
        print("wrongly flagged:", sentence)
