"""The `tracker` command line: thin commands over the write layer, queries, analysis and reports.

Exit status: 0 success; 1 refused (validation, conflict, lock, permission), with a message on
standard error saying what and where; 2 usage errors (Typer's own).
"""

from __future__ import annotations

import typer

from tracker.commands import (
    analysis,
    api,
    audit_trail,
    data,
    db,
    qca,
    quarter,
    reopening,
    results,
    sources,
    users,
)
from tracker.commands.common import refusals

app = typer.Typer(
    help="tracker: does institutional change survive leadership turnover and partner withdrawal?",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    # Plain help: Typer's Rich help imports a Markdown renderer and doubles the start.
    rich_markup_mode=None,
)
app.add_typer(db.app, name="db")
app.add_typer(data.sample_app, name="sample")
app.add_typer(users.app, name="users")
app.command("import")(refusals(data.import_command))
app.command("export")(refusals(data.export_command))
app.command("sources")(refusals(sources.sources_command))
app.command("analyse")(refusals(analysis.analyse_command))
app.command("report")(refusals(analysis.report_command))
app.command("qca")(refusals(qca.qca_command))
quarter.app.command("requests")(reopening.requests_command)
app.add_typer(quarter.app, name="quarter")
app.add_typer(results.app, name="results")
app.command("history")(refusals(audit_trail.history_command))
app.command("audit")(refusals(audit_trail.audit_command))
app.command("serve-api")(refusals(api.serve_api_command))
app.command("remind")(refusals(quarter.remind_command))

if __name__ == "__main__":  # pragma: no cover
    app()
