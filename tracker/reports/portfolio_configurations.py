"""The "Configurations" section of the portfolio report (every format): the question asked, the
answer in words and in notation, the truth table with the institutions named, the simplifying
assumptions and the caveats, from `analysis.qca.portfolio_configurations`."""

from __future__ import annotations

from tracker.analysis.qca.portfolio_configurations import (
    PortfolioConfigurations,
    assumption_sentences,
    question,
    truth_table_records,
)
from tracker.reports.model import Block, Bullets, Table, Text
from tracker.reports.model import section as make_section


def configurations_section(found: PortfolioConfigurations) -> list[Block]:
    blocks: list[Block] = [Text(question(found), lead="The question:")]
    if found.unanswered:
        blocks.append(Text(found.unanswered))
    if found.sentences:
        blocks.append(Bullets(found.sentences))
    result = found.result
    if result is not None:
        notation = "; ".join(f"{m.expression} → {result.outcome}" for m in result.models)
        blocks.append(Text(notation, lead="In notation:"))
        records = truth_table_records(found)
        blocks.append(
            Table(
                tuple(records[0]) if records else ("configuration",),
                tuple(tuple(record.values()) for record in records),
                empty="No institution.",
                evaluator_columns=frozenset({"named"}),
            )
        )
        blocks.extend(Text(sentence) for sentence in assumption_sentences(found))
    if found.left_out:
        blocks.append(Text(", ".join(found.left_out), lead="Left out:", generated=False))
    blocks.append(Bullets(found.caveats))
    return make_section("Configurations", *blocks)
