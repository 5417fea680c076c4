"""360Giving grants through a mapping into partner engagements: the funder works with the
recipient institution from the grant's planned start (or its award date) to its planned end,
whose passing is a partner withdrawal; consecutive grants of one funder (renewals) merge into
one engagement as for any partner rows that touch or overlap."""

from __future__ import annotations

import pandas as pd

from tracker.sources.mapping import SourceMapping
from tracker.sources.records import Grants, record_problem
from tracker.sources.translation import Translation


def translate_grants(
    grants: Grants, mapping: SourceMapping, *, institutions: set[str]
) -> Translation:
    out = Translation(grants.file, problems=list(grants.problems), records=len(grants.grants))
    if out.problems:
        return out
    rows = []
    for grant in grants.grants:
        matched = [(r, mapping.institution_of(r)) for r in grant.recipients]
        institution = next((key for _, key in matched if key is not None), None)
        if institution is None:
            if mapping.unmatched == "skip":
                out.skipped["recipient not in the crosswalk"] += 1
                continue
            out.problems.append(record_problem(
                grants.file, grant.record, "recipientOrganization.id",
                f"{', '.join(grant.recipients)} is not in the mapping's institution crosswalk"))
            continue
        if institution not in institutions:
            out.problems.append(record_problem(
                grants.file, grant.record, "recipientOrganization.id",
                f"{institution!r} (the crosswalk's institution) is not an institution of this "
                "database"))
        partner = grant.funders[0] if mapping.partner == "funder" and grant.funders else (
            None if mapping.partner == "funder" else mapping.partner)
        if partner is None:
            out.problems.append(record_problem(
                grants.file, grant.record, "fundingOrganization.name", "names no funder"))
            continue
        start = grant.start or grant.award_date
        if start is None:
            out.problems.append(record_problem(
                grants.file, grant.record, "plannedDates.startDate",
                "the grant has neither a planned start date nor an award date"))
            continue
        rows.append({
            "institution": institution, "partner": partner[:300], "start": start.isoformat(),
            "end": grant.end.isoformat() if grant.end else "", "kind": mapping.partner_kind,
            "notes": f"360Giving grant {grant.id}" + (f": {grant.title}" if grant.title else ""),
            "_record": grant.record, "_source_id": grant.id, "_version": grant.modified,
        })
    out.add("partners", pd.DataFrame(rows))
    out.check_duplicates()
    return out
