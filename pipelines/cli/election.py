"""``netral election``: import the election registry and look at it."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from core.models import Election
from core.registry.election_import import import_election
from core.registry.queries import get_election, list_elections
from pipelines.cli.runtime import console, current_actor, runtime

app = typer.Typer(help="Election registry: pairs, ballot numbers, campaign accounts, calendar.",
                  no_args_is_help=True)


@app.command("import")
def import_(file: Path = typer.Argument(..., help="Election file (YAML); schema in docs/election.md.")) -> None:
    """Validate and import (upsert) an election file."""
    rt = runtime()
    with rt.session() as session:
        report = import_election(session, file, actor=current_actor())
    for change in report.changes:
        console.print(change, markup=False)
    console.print(f"election {report.slug}: {'created' if report.created else 'updated'}, "
                  f"{len(report.changes)} change(s)", markup=False)


def print_election(election: Election) -> None:
    """The election, its calendar and its pairs with their accounts."""
    console.print(f"[bold]{election.name}[/bold]  ({election.slug}, {election.region}, {election.timezone})")
    stages = [("candidates fixed", election.candidates_fixed),
              ("campaign", f"{election.campaign_start} → {election.campaign_end}"),
              ("quiet period", f"{election.quiet_start} → {election.quiet_end}"),
              ("voting day", election.voting_day)]
    for label, value in stages:
        console.print(f"  {label:<17} {value}")
    for contest in election.contests:
        table = Table("No.", "Pair", "Aliases", "Hashtags", "Parties", "Official accounts",
                      title=f"{contest.name} ({contest.slug}, {contest.kind})")
        for pair in contest.pairs:
            accounts = "\n".join(f"{a.platform}:{a.handle}" for a in pair.accounts)
            table.add_row(str(pair.number), f"{pair.candidate} – {pair.running_mate or '-'}", ", ".join(pair.aliases),
                          " ".join(pair.hashtags), ", ".join(pair.parties), accounts)
        console.print(table)


@app.command("show")
def show(slug: str = typer.Argument(None, help="Election id; default: the newest.")) -> None:
    """Show an election with its calendar, pairs and official campaign accounts."""
    rt = runtime()
    with rt.session() as session:
        print_election(get_election(session, slug))


@app.command("list")
def list_() -> None:
    """List imported elections."""
    rt = runtime()
    with rt.session() as session:
        for election in list_elections(session):
            console.print(f"{election.slug}  {election.name}  (voting {election.voting_day})", markup=False)
