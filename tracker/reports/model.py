"""The report model: what a report says, as a list of typed blocks that every renderer reads.

A report (a contribution story, or a portfolio summary) is built once as a `Report` — headings,
paragraphs, tables, lists, quotes and figures — and each format renders that same model
(`tracker.reports.registry`): Markdown, HTML, Word and PDF differ only in markup, never in
content. Text is kept as plain text here; escaping is each renderer's business.

Each `Text` says whether the product wrote it (`generated=True`: it must pass the language
check, `language.check_language`) or an evaluator did (their titles, statements, narratives:
shown as written). `Report.generated_texts` lists every product-written sentence.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2
    generated: bool = True


@dataclass(frozen=True)
class Text:
    """A paragraph: an optional bold `lead` ("As of:") then the text."""

    text: str
    lead: str = ""
    generated: bool = True


@dataclass(frozen=True)
class Quote:
    text: str


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]
    generated: bool = True


@dataclass(frozen=True)
class Table:
    """Rows of cells (any value: `blocks.plain` turns each into text); `empty` when none."""

    headers: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    empty: str = ""
    # Which columns hold evaluator-written text (not language-checked), by header.
    evaluator_columns: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Figure:
    """A chart or diagram: a Vega-Lite spec drawn by `figures.render` to SVG or PNG.

    `kind` says what it is ("chain" for the theory-of-change diagram, "indicator" for an
    indicator with its turnovers); `alt` is the sentence that describes it for a reader who
    cannot see it (and in the Markdown, which carries no image).
    """

    kind: str
    title: str
    spec: dict[str, Any]
    alt: str


Block = Heading | Text | Quote | Bullets | Table | Figure


@dataclass(frozen=True)
class Report:
    """A titled report: its blocks in reading order, plus what its file is called."""

    title: str
    blocks: tuple[Block, ...]
    file_stem: str  # e.g. "story-northdale", "portfolio-fund-a"
    headline: tuple[str, ...] = field(default=())

    def figures(self, kind: str | None = None) -> list[Figure]:
        return [b for b in self.blocks if isinstance(b, Figure) and kind in (None, b.kind)]

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def generated_texts(self) -> list[str]:
        """Every sentence the product wrote in this report (each must pass the language check)."""
        return list(_generated(self.blocks))


def _generated(blocks: Sequence[Block]) -> Iterator[str]:
    for block in blocks:
        if isinstance(block, Heading | Text):
            if isinstance(block, Text) and block.lead:
                yield block.lead
            if block.generated:
                yield block.text
        elif isinstance(block, Bullets) and block.generated:
            yield from block.items
        elif isinstance(block, Quote):
            yield block.text
        elif isinstance(block, Figure):
            yield block.alt
        elif isinstance(block, Table):
            if not block.rows and block.empty:
                yield block.empty
            keep = [h not in block.evaluator_columns for h in block.headers]
            for row in block.rows:
                yield from (
                    cell for cell, k in zip(row, keep, strict=False) if k and isinstance(cell, str)
                )


def section(title: str, *blocks: Block | Sequence[Block] | None) -> list[Block]:
    """A level-2 heading followed by the blocks (nested lists flattened, None dropped)."""
    out: list[Block] = [Heading(title)]
    for block in blocks:
        if block is None:
            continue
        if isinstance(block, Heading | Text | Quote | Bullets | Table | Figure):
            out.append(block)
        else:
            out.extend(block)
    return out
