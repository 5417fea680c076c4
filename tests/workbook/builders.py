"""A small valid workbook covering every table, and helpers to write variants of it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import openpyxl

from tracker.dataset import Dataset
from tracker.workbook.problems import Problem
from tracker.workbook.read import read_workbook
from tracker.workbook.validate import validate_workbook

# Two institutions of the Northdale case, enough for every rule to have something to check.
VALID: dict[str, str] = {
    "places": ("key,name,notes,context:fsm_share\nnorthdale,Northdale,,0.31\n"),
    "institutions": (
        "key,name,kind,place,parent,notes\n"
        "northdale-council,Northdale Council,local_authority,northdale,,\n"
        "hill-trust,Hill Trust,trust,northdale,,\n"
        "hill-school,Hill School,school,northdale,hill-trust,\n"
    ),
    "indicators": (
        "key,name,unit,higher_is_better,chain_link,description\n"
        "staff_turnover,Staff turnover,percent,false,team_norms,\n"
        'resident_trust,Resident trust,score,true,,"Survey, annual"\n'
    ),
    "leadership": (
        "institution,role,holder,start,end,key_role,notes\n"
        "northdale-council,chief_executive,A. Smith,2016-01-04,2018-03-31,,\n"
        "northdale-council,chief_executive,B. Jones,2018-04-01,,yes,\n"
        "hill-school,headteacher,C. Patel,2017-09-01,,false,\n"
    ),
    "partners": (
        "institution,partner,start,end,kind,notes\n"
        "northdale-council,civic-lab,2016-06-01,2020-06-30,facilitation,\n"
    ),
    "activities": (
        "institution,kind,title,start,end,notes\n"
        "northdale-council,training,Listening training,2016-09-01,2016-12-31,\n"
    ),
    "changes": (
        "key,institution,title,kind,adopted,chain_link,culture_level,notes\n"
        "c-hiring,northdale-council,Hiring criteria ask for community work,hiring_criteria,"
        "2017-05-01,structural_embedding,artefact,\n"
    ),
    "change_status": (
        "change,date,status,evidence,notes\nc-hiring,2019-06-30,in_force,e-review,\n"
    ),
    "decisions": (
        "key,institution,date,title,reverses_earlier,because_of_community,cost,cost_note,evidence\n"
        "d-budget-panel,northdale-council,2019-02-01,Budget panel reinstated,true,true,budget,"
        "£40k a year,\n"
    ),
    "indicator_values": (
        "institution,indicator,period,value,source,note\n"
        "northdale-council,resident_trust,2017Q4,61,survey,\n"
        "northdale-council,resident_trust,2018Q1,62.5,survey,\n"
        "hill-school,staff_turnover,2018Q1,0.125,admin,\n"
    ),
    "observations": (
        "institution,period,narrative,stage,evidence\n"
        'northdale-council,2018Q2,"The new chief executive kept the panel;\n'
        '""listening"" continues.",installation,\n'
    ),
    "factors": (
        "institution,title,kind,start,end,assessed_role,notes\n"
        "northdale-council,Austerity,balancing_force,2010-06-01,,partial,\n"
    ),
    "claims": (
        "key,institution,statement,outcome,prior,notes\n"
        "claim-1,northdale-council,The programme contributed to community voice,,0.5,\n"
    ),
    "evidence": (
        "key,institution,title,date,kind,source,claim,link,record,supports,test,sensitivity,"
        "type_i_error,observed,notes\n"
        "e-review,northdale-council,Peer review 2019,2019-06-30,peer_review,LGA,claim-1,"
        "structural_embedding,c-hiring,true,hoop,,,true,\n"
        "e-minutes,northdale-council,Cabinet minutes,2019-02-01,document,,claim-1,,"
        "d-budget-panel,,,0.7,0.2,,\n"
    ),
    "portfolios": (
        "portfolio,institution,name\n"
        "north-fund,northdale-council,North Fund\n"
        "north-fund,hill-school,North Fund\n"
    ),
    "diagnostics": (
        "institution,date,leadership_commitment,realistic_timescale,"
        "structural_barriers_addressed,succession_plan,notes\n"
        "northdale-council,2018-01-15,true,true,false,no,\n"
    ),
}


def write_csv_folder(
    folder: Path, tables: Mapping[str, str | bytes], *, base: Mapping[str, str] = VALID
) -> Path:
    """The valid workbook with some files replaced (text or bytes) or added, as CSV files."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in {**base, **tables}.items():
        target = folder / (name if "." in name else f"{name}.csv")
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8", newline="")
    return folder


def write_xlsx(path: Path, sheets: Mapping[str, Sequence[Sequence[object]]]) -> Path:
    """An .xlsx with one sheet per entry, rows of typed cells as given."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    return path


def read_and_validate(
    path: Path, *, known_keys: Mapping[str, set[str]] | None = None
) -> tuple[Dataset, list[Problem]]:
    return validate_workbook(read_workbook(path), known_keys=known_keys)


def located(problems: Sequence[Problem]) -> list[tuple[str, int | None, str | None]]:
    """Where each problem is: (file, row, column)."""
    return [(problem.file, problem.row, problem.column) for problem in problems]
