"""``netral cases``: see the cases the scan opened, before (or beside) the review UI."""

from __future__ import annotations

import typer
from rich.table import Table

from core import audit
from core.case_queries import CaseFilter, get_case, list_cases
from pipelines.cli.runtime import console, current_actor, runtime

app = typer.Typer(help="Cases opened by the nightly scan: list and show.", no_args_is_help=True)


@app.command("list")
def list_(
    status: str = typer.Option(None, help="detected, in_triage, confirmed, dismissed, ..."),
    unit: str = typer.Option(None, help="Unit name contains this."),
    platform: str = typer.Option(None, help="bluesky, mastodon, youtube, x, facebook, ..."),
    code: str = typer.Option(None, help="A candidate violation code, e.g. KE-4."),
    limit: int = typer.Option(200, help="At most this many rows."),
) -> None:
    """List cases, highest priority first (no NIP: use `cases show` for one case)."""
    rt = runtime()
    with rt.session() as session:
        cases = list_cases(session, CaseFilter(status=status, unit=unit, platform=platform, code=code, limit=limit))
        table = Table("#", "Status", "Platform", "Unit", "Codes", "Score", "Pair", "Stance", "Priority")
        for c in cases:
            table.add_row(str(c.id), c.status, c.platform, c.employee.unit, ", ".join(c.candidate_codes),
                          "-" if c.score is None else f"{c.score:.2f}", str(c.pair_number or "-"),
                          c.stance or "-", f"{c.priority:.3f}")
    console.print(table)
    console.print(f"{len(cases)} case(s)")


@app.command("show")
def show(case_id: int = typer.Argument(..., help="Case number.")) -> None:
    """Show one case: the employee, the target content, the interactions and the history (audited)."""
    rt = runtime()
    with rt.session() as session:
        c = get_case(session, case_id)
        audit.record(session, current_actor(), "case.view", object_type="case", object_id=c.id,
                     details={"via": "cli", "identity_shown": True})
        console.print(f"[bold]Case #{c.id}[/bold]  status {c.status}  platform {c.platform}  "
                      f"priority {c.priority:.3f}")
        console.print(f"employee: {c.employee.name} ({c.employee.employee_type}, {c.employee.unit})", markup=False)
        console.print(f"codes: {', '.join(c.candidate_codes)}  score: {c.score}  pair: {c.pair_number}  "
                      f"stance: {c.stance}  model: {c.model_version}", markup=False)
        console.print(f"rule elements: {'; '.join(str(e) for e in c.rule_elements)}", markup=False)
        if c.target_content is not None:
            t = c.target_content
            console.print(f"target: {t.url or t.native_id} by {t.author_handle} at {t.created_at}"
                          f"{' (deleted)' if t.deleted else ''}", markup=False)
            console.print(f"  “{t.text}”", markup=False)
        for link in c.links:
            i = link.interaction
            own = f" — “{i.own_content.text}”" if i.own_content is not None else ""
            console.print(f"  {i.kind} at {i.occurred_at} ({i.native_id}){own}", markup=False)
        for e in c.events:
            console.print(f"  {e.at:%Y-%m-%d %H:%M} {e.actor}: {e.action} {e.from_status or ''}→{e.to_status or ''} "
                          f"{e.note or ''}", markup=False)
