"""The ``netral`` command: thin Typer commands over functions that return data."""

from __future__ import annotations

import typer

from core.settings_docs import render_settings_markdown, settings_rows
from pipelines.cli import audit as audit_cli
from pipelines.cli import cases, cases_export, db, election, flows, keys, report, roster, serve, subject_export, users
from pipelines.cli import crawl as crawl_cli
from pipelines.cli import desk as desk_cli
from pipelines.cli import nlp as nlp_cli
from pipelines.cli.backup import backup_cmd, restore_cmd
from pipelines.cli.demo import demo
from pipelines.cli.doctor import doctor
from pipelines.cli.runtime import NetralGroup, console

app = typer.Typer(
    cls=NetralGroup,
    help="netral — pemantauan netralitas ASN di media sosial selama Pilkada.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(db.app, name="db")
app.add_typer(roster.app, name="roster")
app.add_typer(election.app, name="election")
app.add_typer(cases.app, name="cases")
app.add_typer(cases.app, name="case", hidden=True)  # `netral case dossier ...` as issue 9 spells it
app.add_typer(report.app, name="report")
app.command("demo")(demo)
app.command("doctor")(doctor)
app.command("backup")(backup_cmd)
app.command("restore")(restore_cmd)
app.command("scan")(flows.scan)
app.command("purge")(flows.purge)
app.command("retrain")(flows.retrain_cmd)
app.add_typer(flows.flows_app, name="flows")
app.add_typer(nlp_cli.app, name="nlp")
app.command("classify")(nlp_cli.classify_cli)
app.command("serve")(serve.serve)
app.add_typer(users.app, name="users")
app.add_typer(keys.app, name="keys")
cases.app.command("export-decisions")(cases_export.export_decisions)
roster.app.command("export-subject")(subject_export.export_subject)
app.command("crawl")(crawl_cli.crawl)
app.add_typer(crawl_cli.evidence_app, name="evidence")
app.add_typer(desk_cli.app, name="desk")
app.add_typer(desk_cli.dossier_app, name="dossier")
cases.app.command("dossier")(desk_cli.case_dossier)
app.add_typer(cases.app, name="case", hidden=True)  # `netral case dossier ID` reads naturally

app.add_typer(audit_cli.app, name="audit")


@app.command("settings")
def settings_(markdown: bool = typer.Option(False, "--markdown", help="Print docs/settings.md.")) -> None:
    """List every setting with its environment variable, default and meaning."""
    if markdown:
        typer.echo(render_settings_markdown(), nl=False)
        return
    for env, default, text in settings_rows():
        console.print(f"{env}  (default {default})\n    {text}", markup=False)


def main() -> None:
    """Console-script entry point."""
    app()
