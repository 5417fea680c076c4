"""Refusals in the page's terms: one item per problem, the field named as the form labels it,
no command-line options and no commands."""

from __future__ import annotations

from tracker.dashboard.quarter.refusals import page_wording, refusal
from tracker.workbook.problems import Problem, WorkbookRefused


def test_a_refusal_lists_each_problem_with_the_field_the_form_shows() -> None:
    refused = WorkbookRefused(
        [
            Problem("dashboard [decisions]", 2, "title", "is required: fill it in."),
            Problem("dashboard [decisions]", 2, "date", "is not a date"),
        ]
    )
    shown = refusal(refused, fields={"title": "Decision", "date": "Date"})
    assert shown.lines == ("\u201cDecision\u201d: is required: fill it in.",
                           "\u201cDate\u201d: is not a date")
    assert shown.markdown().count("\n- ") == 2


def test_command_line_wording_becomes_page_wording() -> None:
    correction = (
        "would change the stored value '61' to '62' (northdale|trust|2024Q1); to correct it, "
        "import again with --correct --reason TEXT (the old value is kept in history)"
    )
    assert "--" not in page_wording(correction)
    assert "tick \u201cIt corrects stored values\u201d" in page_wording(correction, place="upload")
    lock = (
        "northdale 2024Q1 is locked (submitted by eve at 2026-12-01 10:00 UTC); nothing dated in "
        "a submitted quarter can be written until it is reopened (tracker quarter reopen "
        "--institution northdale --period 2024Q1 --reason TEXT)"
    )
    worded = page_wording(lock)
    assert "tracker quarter" not in worded and "Request reopening" in worded
    assert "--reason" not in page_wording("Reopening needs a reason (--reason TEXT).")
