"""``netral roster``: import the employee roster and look at it."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from core.registry.nip import format_nip
from core.registry.queries import get_employee, list_employees
from core.registry.roster_import import RosterImportReport, import_roster
from pipelines.cli.runtime import console, current_actor, err_console, runtime

app = typer.Typer(help="Employee roster: import from CSV/XLSX, list, show, export one person's data.",
                  no_args_is_help=True)


def print_import_report(report: RosterImportReport, *, dry_run: bool) -> None:
    """Warnings to stderr, changes and counts to stdout."""
    for warning in report.warnings:
        err_console.print(f"warning: {warning}", markup=False)
    for change in report.changes:
        console.print(change, markup=False)
    verb = "would change" if dry_run else "changed"
    console.print(
        f"{report.path}: {verb}: employees +{report.employees_created} ~{report.employees_updated} "
        f"-{report.employees_deactivated} (unchanged {report.employees_unchanged}); accounts "
        f"+{report.accounts_created} reactivated {report.accounts_reactivated} -{report.accounts_deactivated}; "
        f"{len(report.warnings)} warning(s)" + (" — dry run, nothing written" if dry_run else ""), markup=False)


@app.command("import")
def import_(
    file: Path = typer.Argument(..., help="Roster file (.csv or .xlsx); columns in docs/roster.md."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print what would change; write nothing."),
    sync: bool = typer.Option(False, "--sync", help="Deactivate employees and accounts absent from the file."),
) -> None:
    """Import (upsert) the roster in one transaction: any error and nothing is written."""
    rt = runtime()
    with rt.session() as session:
        report = import_roster(session, file, sync=sync, actor=current_actor())
        if dry_run:
            session.rollback()
    print_import_report(report, dry_run=dry_run)


@app.command("list")
def list_(
    unit: str = typer.Option(None, help="Only units whose name contains this."),
    employee_type: str = typer.Option(None, "--type", help="PNS, PPPK or NON_ASN."),
    platform: str = typer.Option(None, help="Only employees with an active account on this platform."),
    include_inactive: bool = typer.Option(False, "--all", help="Include deactivated employees."),
    search: str = typer.Option(None, help="Only names containing this."),
) -> None:
    """List employees with their declared accounts."""
    rt = runtime()
    with rt.session() as session:
        employees = list_employees(session, unit=unit, employee_type=employee_type, platform=platform,
                                   include_inactive=include_inactive, search=search)
        table = Table("NIP / ID", "Name", "Type", "Unit", "Accounts")
        for e in employees:
            accounts = ", ".join(f"{a.platform}:{a.handle}" for a in e.accounts if a.active)
            table.add_row(e.id_number, e.name + ("" if e.active else " (inactive)"), e.employee_type, e.unit, accounts)
    console.print(table)
    console.print(f"{len(employees)} employee(s)")


@app.command("show")
def show(number: str = typer.Argument(..., help="NIP, NI PPPK or staff number (spaces allowed).")) -> None:
    """Show one employee and every account they declared."""
    rt = runtime()
    with rt.session() as session:
        e = get_employee(session, number)
        console.print(f"[bold]{e.name}[/bold] ({e.employee_type}{'' if e.active else ', inactive'})")
        console.print(f"number:   {format_nip(e.id_number) if e.employee_type != 'NON_ASN' else e.id_number}")
        console.print(f"unit:     {e.unit}")
        console.print(f"position: {e.position or '-'}")
        if e.birth_date:
            console.print(f"born:     {e.birth_date.isoformat()}  gender: {e.gender or '?'}  "
                          f"appointed: {e.appointment}")
        table = Table("Platform", "Handle", "Platform id", "Declared", "Active")
        for a in e.accounts:
            table.add_row(a.platform, a.handle, a.platform_id or "-",
                          a.declared_on.isoformat() if a.declared_on else "-", "yes" if a.active else "no")
        console.print(table)
