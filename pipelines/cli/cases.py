"""``netral cases``: see the cases (one per person and Pilkada) with their incidents, beside the review UI."""

from __future__ import annotations

import json
from enum import StrEnum

import typer
from rich.table import Table

from core import audit
from core.case_queries import CaseFilter, case_records, get_case
from core.registry.queries import get_election
from pipelines.cli.runtime import console, current_actor, runtime

app = typer.Typer(help="Cases (one per person and Pilkada) and their incidents: list and show.",
                  no_args_is_help=True)


class Format(StrEnum):
    table = "table"
    json = "json"


@app.command("list")
def list_(
    status: str = typer.Option(None, help="detected, in_triage, confirmed, dismissed, ..."),
    unit: str = typer.Option(None, help="Unit name contains this."),
    platform: str = typer.Option(None, help="An incident on this platform: bluesky, mastodon, youtube, x, ..."),
    code: str = typer.Option(None, help="An incident with this candidate violation code, e.g. KE-4."),
    contest: str = typer.Option(None, help="An incident in this contest (its slug)."),
    election: str = typer.Option(None, help="Only this Pilkada (its id)."),
    limit: int = typer.Option(200, help="At most this many cases (0: all)."),
    fmt: Format = typer.Option(Format.table, "--format", help="table, or json: one JSON object per line."),
) -> None:
    """List cases, highest priority first, with their incident count, contests, platforms and codes (no names or
    NIPs: use `cases show` for one case). Filters on platform, code and contest match any incident."""
    rt = runtime()
    with rt.session() as session:
        election_id = get_election(session, election).id if election else None
        found = case_records(session, CaseFilter(status=status, unit=unit, platform=platform, code=code,
                                                 contest=contest, election_id=election_id, limit=0))
        records = sorted(found, key=lambda r: (-r.priority, r.id))
        records = records[:limit] if limit else records
    if fmt == Format.json:
        for record in records:
            typer.echo(json.dumps(record.as_json(), ensure_ascii=False))
        return
    table = Table("#", "Pilkada", "Status", "Incidents", "Contests", "Platforms", "Unit", "Codes", "Heaviest",
                  "Priority")
    for r in records:
        table.add_row(str(r.id), r.election or "-", r.status, str(len(r.incidents)), ", ".join(r.contests) or "-",
                      ", ".join(r.platforms), r.unit, ", ".join(r.codes), r.heaviest_code or "-", f"{r.priority:.3f}")
    console.print(table)
    console.print(f"{len(records)} case(s), {sum(len(r.incidents) for r in records)} incident(s)")


@app.command("show")
def show(case_id: int = typer.Argument(..., help="Case number (a case number from before one case per person "
                                                 "and Pilkada finds the case its incident is in).")) -> None:
    """Show one case: the employee, every incident with its target, interactions, marks and outcome, and the
    history (audited)."""
    rt = runtime()
    with rt.session() as session:
        c = get_case(session, case_id)
        audit.record(session, current_actor(), "case.view", object_type="case", object_id=c.id,
                     details={"via": "cli", "identity_shown": True, "version": c.version})
        slug = c.election.slug if c.election is not None else "-"
        console.print(f"[bold]Case #{c.id}[/bold]  Pilkada {slug}  status {c.status}  version {c.version}  "
                      f"priority {c.priority:.3f}  incidents {len(c.incidents)}", markup=True)
        if c.previous_case_id:
            console.print(f"follows case #{c.previous_case_id} (repeat conduct)", markup=False)
        console.print(f"employee: {c.employee.name} ({c.employee.employee_type}, {c.employee.unit})", markup=False)
        console.print(f"codes: {', '.join(str(x) for x in c.candidate_codes)}", markup=False)
        for i in c.incidents:
            state = i.outcome or "open"
            extra = " tambahan" if i.supplementary else ""
            console.print(f"- incident #{i.id} [{state}{extra}] {i.platform} contest {i.contest or '-'} "
                          f"pair {i.pair_number or '-'} stance {i.stance or '-'} score {i.score} "
                          f"codes {', '.join(str(x) for x in i.candidate_codes)}", markup=False)
            if i.outcome_reason:
                console.print(f"  reason: {i.outcome_reason}", markup=False)
            console.print(f"  rule elements: {'; '.join(str(e) for e in i.rule_elements)}", markup=False)
            if i.target_content is not None:
                t = i.target_content
                console.print(f"  target: {t.url or t.native_id} by {t.author_handle} at {t.created_at}"
                              f"{' (deleted)' if t.deleted else ''}", markup=False)
                console.print(f"    “{t.text}”", markup=False)
            for link in i.links:
                inter = link.interaction
                own = f" — “{inter.own_content.text}”" if inter.own_content is not None else ""
                when = (f"at {inter.occurred_at}" if inter.occurred_at is not None
                        else f"(time not given by the platform; first seen {inter.fetched_at})")
                gone = (f" [withdrawn: seen {inter.fetched_at}, gone by {inter.deleted_at}]"
                        if inter.deleted_at is not None else "")
                console.print(f"    {inter.kind} {when} ({inter.native_id}){gone}{own}", markup=False)
            for m in i.marks:
                console.print(f"    look {m.stage} by {m.reviewer}: {m.mark}{' — ' + m.reason if m.reason else ''}",
                              markup=False)
        for e in c.events:
            about = f" [incident #{e.incident_id}]" if e.incident_id else ""
            console.print(f"  {e.at:%Y-%m-%d %H:%M} {e.actor}: {e.action}{about} {e.from_status or ''}→"
                          f"{e.to_status or ''} {e.note or ''}", markup=False)
