"""Refusals in the page's own terms: a list, one problem an item, each naming the field as the
form labels it, with what to do on the page (the checkbox, the field, the button) instead of
command-line options, and without commands the user may not run.

The write layer words its refusals for every caller (the CLI included); this module is the one
place that turns them into page wording, so the forms only say which field each column is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st

from tracker.dashboard.text import plain
from tracker.workbook.problems import Problem, WorkbookRefused

# Command-line wording → page wording, per place the refusal is shown ("form": a record form
# of Log a quarter; "upload": the workbook upload, which has the corrections checkbox).
_CLI_PHRASES: tuple[tuple[str, dict[str, str]], ...] = (
    (
        r";? ?to correct it, import again with --correct --reason TEXT(?: \(the old value is kept "
        r"in history\))?",
        {
            "form": "; to change it, say why in the reason field (the old value is kept in "
            "history)",
            "upload": "; to correct it, tick \u201cIt corrects stored values\u201d and give a "
            "reason (the old value is kept in history)",
        },
    ),
    (
        r"\(tracker quarter reopen[^)]*\)",
        {
            "form": "(ask an administrator: \u201cRequest reopening\u201d at the top of the page)",
            "upload": "(ask an administrator: \u201cRequest reopening\u201d at the top of the "
            "page)",
        },
    ),
    (
        r"--correct needs --reason TEXT",
        {
            "form": "a change of a stored value needs a reason",
            "upload": "\u201cIt corrects stored values\u201d needs a reason for the corrections",
        },
    ),
    (
        r"--(?:retract|restore) needs --reason TEXT",
        {"form": "retracting or restoring a row needs a reason (why it is retracted or "
         "restored)", "upload": "retracting or restoring rows needs a reason"},
    ),
    (r"\(?--reason TEXT\)?", {"form": "(a reason)", "upload": "(a reason)"}),
    (
        r"`?tracker [a-z]+ [a-z]+[^`.;)]*`?",
        {"form": "an administrator", "upload": "an administrator"},
    ),
)


def page_wording(message: str, *, place: str = "form") -> str:
    """A write layer's message with command-line options replaced by the page's terms."""
    text = message
    for pattern, replacement in _CLI_PHRASES:
        text = re.sub(pattern, replacement.get(place, replacement["form"]), text)
    return text.strip()


@dataclass(frozen=True)
class Refusal:
    """A refusal as the page lists it: one line per problem."""

    lines: tuple[str, ...]

    def markdown(self) -> str:
        items = "\n".join(f"- {plain(line)}" for line in self.lines)
        return f"**Nothing was saved.**\n\n{items}"


def _problem_line(problem: Problem, fields: Mapping[str, str], place: str) -> str:
    message = page_wording(problem.message, place=place)
    if problem.column is None:
        return message[:1].upper() + message[1:]
    field = fields.get(problem.column, problem.column.replace("_", " "))
    where = f"\u201c{field}\u201d"
    if place == "upload" and problem.row is not None:
        where = f"{problem.file}, row {problem.row}, {where}"
    return f"{where}: {message}"


def refusal(
    error: Exception, *, fields: Mapping[str, str] | None = None, place: str = "form"
) -> Refusal:
    """The lines of a refusal: every workbook problem (naming its field), or the message."""
    if isinstance(error, WorkbookRefused):
        lines = tuple(_problem_line(p, fields or {}, place) for p in error.problems)
        return Refusal(lines or (str(error),))
    return Refusal((page_wording(str(error), place=place),))


def show_refusal(
    error: Exception,
    *,
    fields: Mapping[str, str] | None = None,
    place: str = "form",
    into: Any = None,
) -> None:
    """The refusal as a list, in `into` (a placeholder beside the button that caused it), else
    where it is called."""
    target = st if into is None else into
    target.error(refusal(error, fields=fields, place=place).markdown(), icon=":material/block:")
