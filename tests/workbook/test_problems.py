from tracker.workbook.problems import Problem, WorkbookRefused


def test_problem_reads_like_a_spreadsheet_location() -> None:
    problem = Problem("indicator_values.csv", 7, "value", '"abc" is not a number')
    assert str(problem) == 'indicator_values.csv, row 7, column "value": "abc" is not a number'


def test_problem_in_an_xlsx_sheet_names_workbook_and_sheet() -> None:
    problem = Problem("workbook.xlsx [leadership]", 3, "start", "a value is required")
    assert str(problem) == 'workbook.xlsx [leadership], row 3, column "start": a value is required'


def test_problem_without_row_or_column_names_only_the_file() -> None:
    assert str(Problem("evidnce.csv", None, None, "unknown file")) == "evidnce.csv: unknown file"
    assert str(Problem("changes.csv", 4, None, "ragged")) == "changes.csv, row 4: ragged"


def test_refusal_lists_every_problem_when_few() -> None:
    problems = [Problem("changes.csv", row, "kind", "bad kind") for row in (2, 3)]
    refused = WorkbookRefused(problems)
    assert refused.problems == problems
    lines = refused.report().splitlines()
    assert lines[0] == "The workbook has 2 problems:"
    assert lines[1:] == [f"  {problems[0]}", f"  {problems[1]}"]
    assert str(refused) == refused.report()


def test_refusal_caps_the_listing_but_counts_every_problem() -> None:
    problems = [Problem("indicator_values.csv", row, "value", "bad") for row in range(2, 1002)]
    refused = WorkbookRefused(problems)
    lines = refused.report(limit=200).splitlines()
    assert lines[0] == "The workbook has 1000 problems:"
    assert len(lines) == 1 + 200 + 1
    assert lines[-1] == "  … and 800 more problems"
    assert len(refused.problems) == 1000
