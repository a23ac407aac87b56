"""``netral demo``: the main job on the embedded default, as far as it exists today.

It migrates the embedded SQLite database, imports the example roster and election and prints what the
registries hold. Later stages (local servers, nightly scan, cases) join it as they land.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from core import migrate
from core.case_queries import case_records
from core.registry.election_import import import_election
from core.registry.queries import get_election, roster_summary
from core.registry.roster_import import import_roster
from core.reports import case_source
from pipelines.cli.election import print_election
from pipelines.cli.flows import print_summary
from pipelines.cli.roster import print_import_report
from pipelines.cli.runtime import console, current_actor, runtime
from pipelines.demo.run import run_demo_scan
from pipelines.prefect_env import configure_prefect


def demo(
    roster: Path = typer.Option(Path("examples/roster.csv"), help="Roster file to import."),
    election: Path = typer.Option(Path("examples/election.yaml"), help="Election file to import."),
    scan: bool = typer.Option(True, "--scan/--no-scan", help="Run the nightly scan on the local servers."),
) -> None:
    """Import the example regency, scan it once on local servers, and print what it found."""
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
    if scan:
        configure_prefect(rt.settings)
        console.rule("Nightly scan on local servers")
        started, result = run_demo_scan(rt.sessions, election_report.slug, roster, election,
                                        rt.settings.data_dir / "demo")
        for name, url in started["servers"].items():
            console.print(f"started {name} at {url}", markup=False)
        console.print("seeded: " + ", ".join(f"{k} {v}" for k, v in started["seeded"].items()), markup=False)
        print_summary(result)
        console.print("the local servers were stopped; nothing is left running", markup=False)
        with rt.session() as session:
            records = list(case_records(session))
        both = [r for r in records if len(r.contests) > 1]
        console.print(f"cases (one per person and Pilkada): {len(records)}, incidents: "
                      f"{sum(len(r.incidents) for r in records)}; {len(both)} case(s) have incidents in more "
                      "than one contest", markup=False)
    console.rule("Desk Pilkada: sample report")
    with rt.session() as session:
        from pipelines.demo.desk import run_desk_demo, write_files  # exports pull openpyxl: keep --help fast

        desk = run_desk_demo(session, rt.settings, get_election(session, election_report.slug))
    paths = write_files(desk, rt.settings.data_dir / "demo" / "report")
    console.print(f"confirmed by two demo reviewers (rina.demo, budi.demo): "
                  f"{', '.join(f'#{c}' for c in desk.confirmed) or 'none waiting'}; report #{desk.report_id} "
                  f"has an entry in every section but 9 and {desk.annex} confirmed case(s) in its annex",
                  markup=False)
    for fmt, path in paths.items():
        console.print(f"{fmt.upper():>4}: {path.resolve()}", markup=False)
    with rt.session() as session:
        confirmed = case_source.confirmed_cases(session, get_election(session, election_report.slug))
    if confirmed:
        dossier = rt.settings.data_dir / "demo" / f"dossier-{confirmed[0].case_id}.zip"
        console.print(f"referral dossier of a confirmed case: netral case dossier {confirmed[0].case_id} "
                      f"--to bawaslu --out {dossier.resolve()}", markup=False)
    console.rule("Next")
    console.print("netral cases list                     # the leads the scan opened (highest priority first)\n"
                  "netral cases show <N>                 # one case: employee, its incidents, evidence, codes\n"
                  "netral users add <name> --role reviewer  then  netral serve   # the review UI on 127.0.0.1:8000\n"
                  "netral roster list --unit Pendidikan   # the roster\n"
                  "netral election show                  # pairs, accounts, calendar", markup=False)
