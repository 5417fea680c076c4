"""Step 2 of a contribution story: the causal chain assembled from the data.

Evidence items, structural changes and practice indicators are placed on the links of the
causal chain (`tracker.vocab.CHAIN_LINKS`) they evidence, with the risks the data shows; the
rule that weighs them is in `story_links`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from tracker.analysis.results import InstitutionResult
from tracker.analysis.story_links import EvidenceLine, LinkStory, RecordOnLink, link_story
from tracker.dataset import Dataset
from tracker.vocab import CHAIN_LINKS


def text_or_none(value: Any) -> str | None:
    """A cell as text, or None when it is empty."""
    if value is None or value is pd.NA or (not isinstance(value, str) and pd.isna(value)):
        return None
    return str(value)


def iso_or_none(value: Any) -> str | None:
    """A date cell as an ISO string, or None when it is empty."""
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date().isoformat()


def _number(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _flag(value: Any, default: bool) -> bool:
    return default if value is None or pd.isna(value) else bool(value)


def evidence_lines(rows: pd.DataFrame) -> list[EvidenceLine]:
    """The evidence rows as story lines, in date then key order."""
    rows = rows.sort_values(["date", "key"], na_position="last", kind="stable")
    return [
        EvidenceLine(
            key=str(row.key),
            title=text_or_none(row.title) or "",
            date=iso_or_none(row.date),
            kind=text_or_none(row.kind),
            source=text_or_none(row.source),
            link=text_or_none(row.link),
            record=text_or_none(row.record),
            claim=text_or_none(row.claim),
            supports=_flag(row.supports, True),
            observed=_flag(row.observed, True),
            test=text_or_none(row.test),
            sensitivity=_number(row.sensitivity),
            type_i_error=_number(row.type_i_error),
        )
        for row in rows.itertuples(index=False)
    ]


def _change_records(result: InstitutionResult) -> dict[str, list[RecordOnLink]]:
    by_link: dict[str, list[RecordOnLink]] = {}
    for change in result.changes:
        if change.chain_link is None:
            continue
        verdicts = [test.verdict for test in change.tests]
        ended = change.status in ("reversed", "superseded")
        if change.summary == "reversed_after_turnover" or ended:
            direction: str | None = "against"
        elif change.status in ("in_force", "weakened"):
            direction = "for"
        else:
            direction = None
        status = change.status.replace("_", " ")
        tested = (
            f"{verdicts.count('persisted')} of {len(verdicts)} turnover tests say persisted"
            if verdicts
            else "no turnover has tested it yet"
        )
        by_link.setdefault(change.chain_link, []).append(
            RecordOnLink(
                record=change.change,
                kind="change",
                title=change.title,
                direction=direction,
                corroborating=change.summary == "persisted",
                sentence=(f"Change {change.change}: {status} as of the as-of date; {tested}."),
            )
        )
    return by_link


def _indicator_records(
    dataset: Dataset, result: InstitutionResult
) -> dict[str, list[RecordOnLink]]:
    definitions = dataset["indicators"].drop_duplicates("key").set_index("key")
    tests = {item.indicator: item for item in result.indicators}
    practice = {item.indicator: item for item in result.practice}
    by_link: dict[str, list[RecordOnLink]] = {}
    for key in sorted(set(tests) | set(practice)):
        if key not in definitions.index or text_or_none(definitions.at[key, "chain_link"]) is None:
            continue
        verdicts = [test.verdict for test in tests[key].tests] if key in tests else []
        improved = key in practice and practice[key].improved
        judged = [v for v in verdicts if v != "insufficient_data"]
        direction: str | None = None
        if "declined" in judged:
            direction = "against"
        elif improved or judged:
            direction = "for"
        parts = [
            "improved beyond the tolerance over the record"
            if improved
            else "no improvement beyond the tolerance over the record"
        ]
        if judged:
            parts.append(f"held through {judged.count('held')} of {len(judged)} turnovers")
        link = str(definitions.at[key, "chain_link"])
        by_link.setdefault(link, []).append(
            RecordOnLink(
                record=key,
                kind="indicator",
                title=text_or_none(definitions.at[key, "name"]) or key,
                direction=direction,
                corroborating=False,
                sentence=f"Practice indicator {key}: " + "; ".join(parts) + ".",
            )
        )
    return by_link


def _link_risks(result: InstitutionResult) -> dict[str, list[str]]:
    """Risks seen in the data, per link (the standard ones are in `story_links`)."""
    risks: dict[str, list[str]] = {link: [] for link in CHAIN_LINKS}
    for turnover in result.turnovers:
        if turnover.kind == "partner_withdrawal":
            risks["engagement"].append(
                f"Partner {turnover.partner} withdrew on {turnover.date.isoformat()}."
            )
    for change in result.changes:
        if change.summary == "reversed_after_turnover" and change.chain_link:
            risks[change.chain_link].append(
                f"Change {change.change} was reversed after a turnover."
            )
    plan = result.diagnostic.commissioning
    if plan is None or plan.succession_plan is not True:
        risks["structural_embedding"].append(
            "No succession plan is recorded for when the champion leaves."
        )
    if not result.diagnostic.costly_reversal:
        risks["basic_assumption"].append(
            "No decision is recorded as reversed because of work with the community at a cost."
        )
    return risks


def _decision_records(result: InstitutionResult) -> list[RecordOnLink]:
    """Decisions that answer the diagnostic question yes: evidence of a basic-assumption shift."""
    return [
        RecordOnLink(
            record=flags.decision,
            kind="decision",
            title=flags.title,
            direction="for",
            corroborating=False,
            sentence=(
                f"Decision {flags.decision} ({flags.date.isoformat()}) reversed an earlier "
                "decision in response to work with the community, at a cost to the institution."
            ),
        )
        for flags in result.diagnostic.flags
        if flags.satisfies
    ]


def causal_chain(
    dataset: Dataset,
    result: InstitutionResult,
    evidence: list[EvidenceLine],
    major_factors: dict[str, list[str]] | None = None,
) -> tuple[LinkStory, ...]:
    """Every link of the causal chain, in causal order, with its evidence and strength.

    `major_factors` maps a link to the titles of the major influencing factors assessed on it.
    """
    major = major_factors or {}
    change_links = {c.change: c.chain_link for c in result.changes if c.chain_link}
    changes = _change_records(result)
    indicators = _indicator_records(dataset, result)
    changes.setdefault("basic_assumption", []).extend(_decision_records(result))
    risks = _link_risks(result)
    links = []
    for link in CHAIN_LINKS:
        on_link = [
            item
            for item in evidence
            if item.link == link
            or (
                item.link is None
                and item.record is not None
                and change_links.get(item.record) == link
            )
        ]
        links.append(
            link_story(
                link,
                evidence=on_link,
                records=changes.get(link, []) + indicators.get(link, []),
                risks=risks[link],
                major_factors=major.get(link, []),
            )
        )
    return tuple(links)
