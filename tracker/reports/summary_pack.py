"""The summary pack: the funder's pack worth forwarding, at most six pages.

In reading order: the answer (phase, diagnostic, what persisted), the change × turnover matrix,
the theory-of-change diagram, the indicators, what is missing, the caveats. Sample data says so
on page 1. Words wherever a person reads: vocabulary codes (``too_early``) are written as words,
and record keys appear only in the small print at the end. The full story
(`story_report.story_report`) is the other pack, for whoever wants every link and step.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from tracker.analysis.stories import Story
from tracker.dataset import Dataset
from tracker.reports.model import Block, Bullets, Figure, Heading, Quote, Report, Table, Text
from tracker.reports.story_report import (
    caveats,
    chain_figure,
    headline,
    indicator_figures,
    make_section,
    matrix_table,
)
from tracker.reports.story_sections import gaps_table

ILLUSTRATIVE = (
    "Illustrative sample data: the four cases of the article with invented dates, values and "
    "decisions, plus fictional institutions. Do not read it as evidence about real places."
)
_MARKERS = re.compile(r"\b(?:illustrative|fictional)\b", re.IGNORECASE)
# A vocabulary code as stored: lower-case words joined by underscores ("too_early").
_CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
# At most this many indicator charts keep the pack within six pages.
MAX_CHARTS = 4


# A record key in parentheses after its name ("The Wigan Deal (wigan-deal)").
_KEY_AFTER_NAME = re.compile(r"\s*\((?:[a-z0-9]+-)+[a-z0-9]+\)")


class Wording:
    """Writes a text for a person: record keys become their names (the record's title, the
    indicator's name), keys shown after a name are dropped, vocabulary codes become words."""

    def __init__(self, dataset: Dataset | None, *, short_claims: bool = False) -> None:
        names: dict[str, str] = {}
        if dataset is not None:
            for table, column in (("changes", "title"), ("indicators", "name"),
                                  ("evidence", "title"), ("decisions", "title"),
                                  ("claims", "statement"), ("institutions", "name")):
                frame = dataset[table]
                if column in frame:
                    names |= {str(k): str(v) for k, v in zip(frame["key"], frame[column],
                                                             strict=True) if isinstance(v, str)}
            if short_claims:  # a diagram's subtitle has no room for the claim's statement
                names |= {str(k): "the contribution claim" for k in dataset["claims"]["key"]}
        self.names = names
        keys = sorted(names, key=len, reverse=True)
        self._keys = re.compile(
            r"(?<![\w-])(?:claim |change |indicator )?(" + "|".join(map(re.escape, keys))
            + r")(?![\w-])") if keys else None

    def __call__(self, text: str) -> str:
        text = _KEY_AFTER_NAME.sub("", text)
        if self._keys is not None:
            text = self._keys.sub(lambda m: f"\u201c{self.names[m.group(1)]}\u201d", text)
        return _CODE.sub(lambda m: m.group(0).replace("_", " "), text)

    def value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self(value)
        if isinstance(value, dict):
            return {k: self.value(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.value(v) for v in value]
        return value

    def block(self, block: Block) -> Block:
        if isinstance(block, Table):
            return Table(
                tuple(self(str(h)) for h in block.headers),
                tuple(tuple(self.value(v) for v in row) for row in block.rows),
                empty=self(block.empty), evaluator_columns=block.evaluator_columns,
            )
        if isinstance(block, Bullets):
            return Bullets(tuple(self(item) for item in block.items))
        if isinstance(block, Figure):
            return Figure(block.kind, self(block.title), self.value(block.spec),
                          self(block.alt))
        return block


def in_words(text: str) -> str:
    """Every vocabulary code in `text` written as words: "too_early" → "too early"."""
    return Wording(None)(text)


def is_illustrative(dataset: Dataset | None) -> bool:
    """Whether an institution's notes mark it as illustrative or fictional (the sample's)."""
    if dataset is None:
        return False
    notes = dataset["institutions"]["notes"]
    return bool(notes.dropna().astype(str).str.contains(_MARKERS).any())


def summary_report(
    stories: Story | Sequence[Story],
    *,
    dataset: Dataset | None = None,
    quarters_used: Sequence[str] = (),
    illustrative: bool | None = None,
) -> Report:
    """The summary pack of an institution's story (see the module docstring). `illustrative`:
    None decides from the institution's notes."""
    story = stories if isinstance(stories, Story) else next(iter(stories))
    sample = is_illustrative(dataset) if illustrative is None else illustrative
    words = Wording(dataset)
    as_of = "no dated record" if story.as_of is None else story.as_of.isoformat()
    charts = indicator_figures(story, dataset)[:MAX_CHARTS] if dataset is not None else []
    gaps = gaps_table(story)
    blocks: list[Block] = [
        Heading(f"Contribution story: {story.name}", level=1, generated=False),
        *([Quote(ILLUSTRATIVE)] if sample else []),
        Text(f"{as_of}. Nothing dated after this date is used.", lead="As of:"),
        *make_section("The answer", words.block(Bullets(headline(story)))),
        *(make_section("Quarters used", Bullets(tuple(quarters_used))) if quarters_used else []),
        Heading("Which change survived which turnover", level=2),
        words.block(matrix_table(story)),
        Heading("Theory of change", level=2),
        Wording(dataset, short_claims=True).block(chain_figure(story)),
        *([Heading("Indicators", level=2), *(words.block(c) for c in charts)] if charts else []),
        Heading("What is missing", level=2),
        words.block(Table(gaps.headers[:2], tuple(row[:2] for row in gaps.rows), empty=gaps.empty,
                      evaluator_columns=gaps.evaluator_columns)),
        *make_section("Caveats", Bullets(caveats(story))),
        Quote(f"Small print: institution key {story.institution}. The full story (every link "
              "of the theory of change with its evidence, the confidence steps and the "
              "parameters) is the full pack: tracker report --pack full, or Full story on the "
              "Contribution story page."),
    ]
    return Report(
        title=f"Contribution story: {story.name}",
        blocks=tuple(blocks),
        file_stem=f"summary-{story.institution}",
        headline=headline(story),
    )
