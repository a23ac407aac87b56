"""``netral demo``: the main job on the embedded default, as far as it exists today.

It migrates the embedded SQLite database, imports the example roster and election and prints what the
registries hold. Later stages (local servers, nightly scan, cases) join it as they land.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from core import migrate
from core.registry.election_import import import_election
from core.registry.queries import get_election, roster_summary
from core.registry.roster_import import import_roster
from pipelines.cli.election import print_election
from pipelines.cli.roster import print_import_report
from pipelines.cli.runtime import console, current_actor, runtime


def demo(
    roster: Path = typer.Option(Path("examples/roster.csv"), help="Roster file to import."),
    election: Path = typer.Option(Path("examples/election.yaml"), help="Election file to import."),
) -> None:
    """Set up the embedded database, import the example regency and print what it holds."""
    rt = runtime()
    console.rule("netral demo")
    console.print(f"database: {rt.engine.url.render_as_string(hide_password=True)}", markup=False)
    migrate.upgrade_url(rt.url)
    with rt.session() as session:
        election_report = import_election(session, election, actor=current_actor())
        roster_report = import_roster(session, roster, actor=current_actor())
    console.print(f"election {election_report.slug}: {len(election_report.changes)} change(s)")
    print_import_report(roster_report, dry_run=False)
    with rt.session() as session:
        summary = roster_summary(session)
        console.rule("Roster")
        console.print(f"{summary.active_employees} active employees "
                      f"({', '.join(f'{k} {v}' for k, v in sorted(summary.by_type.items()))}), "
                      f"{summary.active_accounts} declared accounts")
        table = Table("Unit kerja", "Employees")
        for unit, count in sorted(summary.by_unit.items()):
            table.add_row(unit, str(count))
        console.print(table)
        console.print("Accounts by platform: " + ", ".join(
            f"{k} {v}" for k, v in sorted(summary.accounts_by_platform.items())))
        console.rule("Election")
        print_election(get_election(session, election_report.slug))
    console.rule("Next")
    console.print("netral roster list --unit Pendidikan   # the roster\n"
                  "netral roster show <NIP>              # one employee\n"
                  "netral election show                  # pairs, accounts, calendar\n"
                  "(the nightly scan, cases and the review UI join this demo as they land)")
