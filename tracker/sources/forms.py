"""Form submissions (KoboToolbox, ODK Central) through a mapping into indicator values,
observations and evidence items: one submission gives an institution's quarter."""

from __future__ import annotations

import re

import pandas as pd

from tracker.sources.mapping import SourceMapping
from tracker.sources.records import Submissions, record_problem
from tracker.sources.translation import Translation, skip_counts
from tracker.workbook.problems import Problem

_QUARTER = re.compile(r"^\d{4}Q[1-4]$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-\d{2}")


def quarter_of(text: pd.Series) -> pd.Series:
    """YYYYQn as written, or the quarter of a date (ISO, possibly with a time); None when
    neither."""
    clean = text.str.strip()
    dates = clean.str.extract(_DATE)
    month = pd.to_numeric(dates[1], errors="coerce")
    from_date = dates[0] + "Q" + ((month - 1) // 3 + 1).astype("Int64").astype(str)
    valid_month = month.between(1, 12)
    return clean.where(clean.str.match(_QUARTER), from_date.where(valid_month))


def _missing_fields(subs: Submissions, mapping: SourceMapping, problems: list[Problem]) -> bool:
    wanted = {
        "institution.field": mapping.institution_field,
        "period.field": mapping.period_field if mapping.period_from == "field" else None,
        "observations.stage": mapping.stage,
    }
    wanted.update({f'indicators."{r.key}"': r.key for r in mapping.indicators})
    wanted.update({f"observations.narrative {n}": n for n in mapping.narrative})
    wanted.update({f"evidence {e.field}": e.field for e in mapping.evidence if e.repeat is None})
    missing = False
    for key, name in wanted.items():
        if name is not None and not subs.has_field(name):
            missing = True
            setting = key.split(" ")[0]
            problems.append(Problem(subs.file, 1, name, (
                f"the mapping ({setting}) names this field, which the export does not have")))
    return missing


def translate_submissions(
    subs: Submissions, mapping: SourceMapping, *, institutions: set[str], label: str
) -> Translation:
    """The workbook rows the mapping makes of these submissions (see the module docstring)."""
    out = Translation(subs.file, problems=list(subs.problems), records=len(subs.frame))
    if out.problems or _missing_fields(subs, mapping, out.problems):
        return out
    frame = subs.frame
    if "_unreadable" in frame.columns:
        # Submissions the tool holds no data of (ODK Central: not decrypted): skipped, counted.
        unreadable = frame["_unreadable"] != ""
        out.skipped += skip_counts(frame.loc[unreadable, "_unreadable"], "status")
        frame = frame[~unreadable]
    kept = frame["_state"].isin(mapping.states)
    out.skipped += skip_counts(frame.loc[~kept, "_state"], "state")
    frame = frame[kept]
    assert mapping.institution_field is not None
    named = subs.field_text(mapping.institution_field).loc[frame.index].str.strip()
    institution = named.map(mapping.institution_of) if mapping.crosswalk is not None else named
    unmatched = institution.isna() | (institution == "")
    if mapping.unmatched == "skip":
        out.skipped["institution not in the crosswalk"] += int(unmatched.sum())
    else:
        for i in frame.index[unmatched]:
            out.problems.append(record_problem(
                subs.file, frame.at[i, "_record"], mapping.institution_field,
                f"{named[i]!r} is not in the mapping's institution crosswalk"
                if mapping.crosswalk is not None else "names no institution"))
    # Records without an institution give no rows (skipped, or refused above).
    frame, institution = frame[~unmatched], institution[~unmatched]
    for i in frame.index[~institution.isin(institutions)]:
        out.problems.append(record_problem(
            subs.file, frame.at[i, "_record"], mapping.institution_field,
            f"{institution[i]!r} is not an institution of this database"))
    if mapping.period_from == "field":
        assert mapping.period_field is not None
        period_field = mapping.period_field
        period_text = subs.field_text(period_field).loc[frame.index]
    else:
        period_field, period_text = "_submitted", frame["_submitted"]
    period = quarter_of(period_text)
    for i in frame.index[period.isna()]:
        out.problems.append(record_problem(
            subs.file, frame.at[i, "_record"], period_field,
            f"{period_text[i]!r} is neither a quarter (YYYYQn) nor a date the mapping can place"))
    base = pd.DataFrame({
        "institution": institution, "period": period, "_record": frame["_record"],
        "_source_id": frame["_source_id"], "_version": frame["_version"],
        "_previous": frame.get("_previous", pd.Series("", index=frame.index)),
        "_submitted": frame["_submitted"],
    }, index=frame.index)
    _values(subs, mapping, base, out, label)
    _observations(subs, mapping, base, out)
    _evidence(subs, mapping, base, out)
    out.check_duplicates()
    return out


def _values(
    subs: Submissions, mapping: SourceMapping, base: pd.DataFrame, out: Translation, label: str
) -> None:
    for rule in mapping.indicators:
        text = subs.field_text(rule.key).loc[base.index].str.strip()
        given = text != ""
        number = pd.to_numeric(text.where(given), errors="coerce")
        for i in base.index[given & number.isna()]:
            out.problems.append(record_problem(
                subs.file, base.at[i, "_record"], rule.key, f"{text[i]!r} is not a number"))
        rows = base[given].assign(indicator=rule.indicator, value=text[given], source=label)
        out.add("indicator_values", rows[[
            "institution", "indicator", "period", "value", "source",
            "_record", "_source_id", "_version", "_previous"]])


def _observations(
    subs: Submissions, mapping: SourceMapping, base: pd.DataFrame, out: Translation
) -> None:
    if not mapping.narrative:
        return
    texts = [subs.field_text(n).loc[base.index].str.strip() for n in mapping.narrative]
    narrative = pd.concat(texts, axis=1).apply(lambda r: "\n\n".join(v for v in r if v), axis=1)
    rows = base.assign(narrative=narrative)
    if mapping.stage is not None:
        rows["stage"] = subs.field_text(mapping.stage).loc[base.index].str.strip()
    rows = rows[rows["narrative"] != ""]
    columns = ["institution", "period", "narrative", *(["stage"] if mapping.stage else [])]
    out.add("observations", rows[[*columns, "_record", "_source_id", "_version", "_previous"]])


def evidence_key(source: str, source_id: str, field: str, number: int | None = None) -> str:
    """A stable evidence key for a file field of a submission (a key: letters, digits, . _ -)."""
    clean = re.sub(r"[^A-Za-z0-9._-]+", "-", f"{source_id}-{field}").strip("-.")[:80]
    suffix = f"-{number}" if number is not None else ""
    return f"{source}-{clean}{suffix}"


def _evidence(
    subs: Submissions, mapping: SourceMapping, base: pd.DataFrame, out: Translation
) -> None:
    for rule in mapping.evidence:
        if rule.repeat is None:
            files = subs.field_text(rule.field).loc[base.index].str.strip()
            rows = base[files != ""].assign(_file=files[files != ""], _n=None)
            urls = subs.frame.get(f"{rule.field}_URL")
        else:
            rows, urls = _repeat_rows(subs, rule.repeat, rule.field, base, out)
        if len(rows) == 0:
            continue
        rows = rows.copy()
        rows["key"] = [
            evidence_key(mapping.source, s, rule.field, None if pd.isna(n) else int(n))
            for s, n in zip(rows["_source_id"], rows["_n"], strict=True)
        ]
        rows["title"] = (
            rule.title if rule.title else (rule.field + ": " + rows["_file"]).str[:300]
        )
        rows["date"] = rows["_submitted"]
        rows["kind"] = rule.kind
        source = rows["_file"]
        if urls is not None and rule.repeat is None:
            url = urls.loc[rows.index].str.strip()
            source = url.where(url != "", source)
        rows["source"] = source
        out.add("evidence", rows[["key", "institution", "title", "date", "kind", "source",
                                  "_record", "_source_id", "_version", "_previous"]])


def _repeat_rows(
    subs: Submissions, repeat: str, field: str, base: pd.DataFrame, out: Translation
) -> tuple[pd.DataFrame, pd.Series | None]:
    child = subs.repeats.get(repeat)
    if child is None or field not in child.columns:
        out.problems.append(Problem(subs.file, None, field, (
            f"the mapping names this field of the repeat group {repeat!r}, which the export "
            "does not have")))
        return base.iloc[0:0], None
    parents = base.reset_index(drop=True).set_index("_source_id", drop=False)
    child = child[child[field].str.strip() != ""]
    child = child[child["_parent"].isin(parents.index)]
    numbers = child.groupby("_parent").cumcount() + 1
    rows = parents.loc[child["_parent"]].reset_index(drop=True)
    rows["_file"] = child[field].str.strip().to_numpy()
    rows["_n"] = numbers.to_numpy()
    rows["_record"] = child["_record"].to_numpy()
    return rows, None

