"""The live theory of change: a story's causal chain as a diagram, drawn from the evidence.

One list of `ChainNode`s (one per link of the chain, in order, with its strength, its counts of
evidence for and against, the changes and indicators attached, its gap) is drawn two ways:
Graphviz DOT for the dashboard (`st.graphviz_chart`, drawn in the browser) and a Vega-Lite spec
for the files (`figures.render` turns it into SVG or PNG with vl-convert, no system package).
Each link is coloured *and* worded by its strength; a link with a gap has a dashed border.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from tracker.analysis.stories import Story
from tracker.analysis.story_links import LinkStory

# Colour-blind-safe shades that darken with strength; the word is always written beside them.
STRENGTH_COLOURS = {
    "strong": "#0b6e4f",
    "moderate": "#56b4e9",
    "weak": "#f0e442",
    "no evidence": "#eeeeee",
}
STRENGTH_TEXT = {"strong": "#ffffff", "moderate": "#1d1d1f", "weak": "#1d1d1f"}
GAP_STRENGTHS = ("weak", "no evidence")


@dataclass(frozen=True)
class ChainNode:
    """One link of the causal chain as the diagram shows it."""

    link: str
    label: str
    strength: str
    n_for: int
    n_against: int
    changes: tuple[str, ...]
    indicators: tuple[str, ...]
    gap: str | None  # the story's gap on this link, if any

    @property
    def counts(self) -> str:
        return f"{self.n_for} for, {self.n_against} against"

    @property
    def attached(self) -> str:
        parts = []
        if self.changes:
            parts.append("changes: " + ", ".join(self.changes))
        if self.indicators:
            parts.append("indicators: " + ", ".join(self.indicators))
        return "; ".join(parts)


def _node(link: LinkStory, gaps: dict[str, str]) -> ChainNode:
    return ChainNode(
        link=link.link,
        label=link.label,
        strength=link.strength,
        n_for=link.n_for,
        n_against=link.n_against,
        changes=tuple(r.record for r in link.records if r.kind == "change"),
        indicators=tuple(r.record for r in link.records if r.kind == "indicator"),
        gap=gaps.get(link.link),
    )


def chain_nodes(story: Story) -> list[ChainNode]:
    """The story's chain, link by link, as the diagram draws it."""
    gaps = {
        gap.topic.removeprefix("link "): gap.text
        for gap in story.gaps
        if gap.topic.startswith("link ")
    }
    return [_node(link, gaps) for link in story.chain]


def confidence_line(story: Story) -> str:
    """The Bayes confidence of the story's claims, where any exists ('' otherwise)."""
    parts = [
        f"claim {trail.claim}: {trail.posterior:.2f} ({trail.words})"
        for trail in story.confidence
        if trail.steps
    ]
    return "Confidence, " + "; ".join(parts) + "." if parts else ""


def chain_alt(story: Story) -> str:
    """The diagram in one sentence, for a reader who cannot see it."""
    links = "; ".join(f"{n.label}: {n.strength} ({n.counts})" for n in chain_nodes(story))
    return f"The causal chain of {story.name}, link by link: {links}."


def _dot_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def chain_dot(story: Story) -> str:
    """The chain as Graphviz DOT: one box per link, top to bottom, an arrow between links."""
    lines = [
        "digraph chain {",
        '  graph [rankdir=TB, bgcolor="transparent", nodesep=0.3, ranksep=0.35];',
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11, '
        "margin=\"0.18,0.08\", width=3.6];",
        '  edge [color="#555555", arrowsize=0.8];',
    ]
    nodes = chain_nodes(story)
    for node in nodes:
        rows = [node.label, f"{node.strength} · {node.counts}"]
        if node.attached:
            rows.append(node.attached)
        if node.gap is not None:
            rows.append("gap: see step 6")
        label = "\\n".join(_dot_text(row) for row in rows)
        style = "rounded,filled,dashed" if node.gap is not None else "rounded,filled"
        lines.append(
            f'  "{_dot_text(node.link)}" [label="{label}", style="{style}", '
            f'fillcolor="{STRENGTH_COLOURS.get(node.strength, "#eeeeee")}", '
            f'fontcolor="{STRENGTH_TEXT.get(node.strength, "#1d1d1f")}", '
            f'tooltip="{_dot_text(node.gap or node.strength)}"];'
        )
    for first, second in itertools.pairwise(nodes):
        lines.append(f'  "{_dot_text(first.link)}" -> "{_dot_text(second.link)}";')
    lines.append("}")
    return "\n".join(lines)


BOX_WIDTH = 460
BOX_HEIGHT = 64
GAP = 26


def chain_spec(story: Story) -> dict[str, Any]:
    """The chain as a Vega-Lite spec (boxes stacked top to bottom, arrows between)."""
    nodes = chain_nodes(story)
    rows = []
    for i, node in enumerate(nodes):
        top = i * (BOX_HEIGHT + GAP)
        rows.append(
            {
                "x": 0,
                "x2": BOX_WIDTH,
                "y": top,
                "y2": top + BOX_HEIGHT,
                "label": node.label,
                "line2": f"{node.strength} · {node.counts}"
                + (" · gap: see step 6" if node.gap is not None else ""),
                "line3": node.attached,
                "strength": node.strength,
                "gap": node.gap is not None,
                "fill": STRENGTH_COLOURS.get(node.strength, "#eeeeee"),
                "ink": STRENGTH_TEXT.get(node.strength, "#1d1d1f"),
                "arrow_y": top + BOX_HEIGHT,
                "arrow_y2": top + BOX_HEIGHT + GAP - 4,
                "last": i == len(nodes) - 1,
            }
        )
    height = max(1, len(nodes)) * (BOX_HEIGHT + GAP) - GAP
    x = {"field": "x", "type": "quantitative", "axis": None,
         "scale": {"domain": [0, BOX_WIDTH], "nice": False}}
    y = {"field": "y", "type": "quantitative", "axis": None,
         "scale": {"domain": [0, height], "nice": False, "reverse": True}}

    def text_layer(field: str, offset: int, *, bold: bool = False) -> dict[str, Any]:
        return {
            "mark": {"type": "text", "align": "left", "baseline": "middle", "dx": 12,
                     "fontSize": 13 if bold else 11, "fontWeight": "bold" if bold else "normal",
                     "limit": BOX_WIDTH - 24},
            "transform": [{"calculate": f"datum.y + {offset}", "as": "ty"}],
            "encoding": {
                "x": x,
                "y": {**y, "field": "ty"},
                "text": {"field": field},
                "color": {"field": "ink", "type": "nominal", "scale": None},
            },
        }

    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": {"text": f"Theory of change: {story.name}",
                  "subtitle": confidence_line(story) or "No claim carries a Bayes confidence.",
                  "anchor": "start"},
        "width": BOX_WIDTH,
        "height": height,
        "config": {"view": {"stroke": None}, "font": "DejaVu Sans"},
        "data": {"values": rows},
        "layer": [
            # Two layers of boxes: solid, and dashed where the story has a gap on the link.
            *(
                {
                    "transform": [{"filter": test}],
                    "mark": {"type": "rect", "cornerRadius": 8, "strokeWidth": 2,
                             "strokeDash": dash, "stroke": "#555555"},
                    "encoding": {
                        "x": x,
                        "x2": {"field": "x2"},
                        "y": y,
                        "y2": {"field": "y2"},
                        "fill": {"field": "fill", "type": "nominal", "scale": None},
                    },
                }
                for test, dash in (("!datum.gap", [1, 0]), ("datum.gap", [6, 4]))
            ),
            {
                "transform": [{"filter": "!datum.last"}, {"calculate": str(BOX_WIDTH / 2),
                                                           "as": "mid"}],
                "mark": {"type": "rule", "strokeWidth": 2, "color": "#555555"},
                "encoding": {
                    "x": {**x, "field": "mid"},
                    "y": {**y, "field": "arrow_y"},
                    "y2": {"field": "arrow_y2"},
                },
            },
            {
                "transform": [{"filter": "!datum.last"}, {"calculate": str(BOX_WIDTH / 2),
                                                           "as": "mid"}],
                "mark": {"type": "point", "shape": "triangle-down", "filled": True, "size": 90,
                         "color": "#555555"},
                "encoding": {"x": {**x, "field": "mid"}, "y": {**y, "field": "arrow_y2"}},
            },
            text_layer("label", 16, bold=True),
            text_layer("line2", 34),
            text_layer("line3", 50),
        ],
    }
