"""``netral desk`` (the Desk Pilkada's reports), ``netral case dossier`` and ``netral dossier verify``.

Files are written to a temporary file beside ``--out`` and renamed into place only after the audit
event is committed, so a failed export leaves neither a partial file nor one the audit log does not know.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import typer
from sqlalchemy import select
from sqlalchemy.orm import Session

from core import keys
from core.errors import NetralError, NotFound
from core.models import DeskReport, Election
from core.models.users import Role
from core.reports import dossier, editing
from pipelines.cli.runtime import console, current_actor, runtime

app = typer.Typer(help="The Desk Pilkada's evaluation reports.", no_args_is_help=True)
dossier_app = typer.Typer(help="Referral dossiers of confirmed cases.", no_args_is_help=True)


def write_atomically(out: Path, make: Callable[[Session], bytes]) -> bytes:
    """Run ``make`` in one unit of work and put its bytes at ``out`` only once it committed."""
    if out.is_dir():
        raise NetralError(f"{out} is a directory; give the file to write")
    rt = runtime()
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with rt.session() as session, os.fdopen(fd, "wb") as fh:
            data = make(session)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return data


@app.command("list")
def list_reports() -> None:
    """Every report: id, election, status, period, title, the report it supersedes."""
    rt = runtime()
    with rt.session() as session:
        rows = session.execute(select(DeskReport, Election.slug).join(Election, Election.id == DeskReport.election_id)
                               .order_by(DeskReport.id)).all()
        for report, slug in rows:
            extra = f" (supersedes #{report.supersedes_id})" if report.supersedes_id else ""
            console.print(f"#{report.id}  {slug}  {report.status:<5}  {report.period_start} .. {report.period_end}  "
                          f"{report.title}{extra}", markup=False)
        if not rows:
            console.print("no desk reports yet", markup=False)


def _report(session: Session, slug: str, report_id: int | None) -> DeskReport:
    election = session.scalar(select(Election).where(Election.slug == slug))
    if election is None:
        raise NotFound(f"no election {slug!r} (see `netral election list`)")
    if report_id is not None:
        report = editing.get_report(session, report_id)
        if report.election_id != election.id:
            raise NotFound(f"report #{report_id} is not a report of {slug}")
        return report
    found = editing.reports_of(session, election.id)
    if not found:
        raise NotFound(f"election {slug} has no desk report yet")
    finals = [r for r in found if r.status == "final"]
    return (finals or found)[0]


@app.command("export")
def export(
    election: str = typer.Option(..., "--election", help="Slug of the election."),
    report_id: int | None = typer.Option(None, "--report", help="Report id (default: the newest final, "
                                         "else the newest draft)."),
    fmt: str = typer.Option(..., "--format", help="docx, pdf or xlsx."),
    out: Path = typer.Option(..., "--out", help="File to write."),
    named: bool = typer.Option(False, "--named", help="Case annex with names and NIPs (an admin's export)."),
) -> None:
    """Export a report; audited with the file's SHA-256."""
    from core.reports import exporting  # openpyxl/docx load only for an export, not for `netral --help`

    rt = runtime()
    result: list[exporting.ExportFile] = []

    def make(session: Session) -> bytes:
        report = _report(session, election, report_id)
        file = exporting.export(session, rt.settings, report, fmt.lower(), current_actor(), Role.ADMIN, named=named)
        result.append(file)
        return file.data

    data = write_atomically(out, make)
    console.print(f"{out}: {len(data)} bytes, sha256 {result[0].sha256} (audited as desk_report_export)",
                  markup=False)


def case_dossier(
    case_id: int = typer.Argument(..., help="The confirmed case."),
    to: str = typer.Option(..., "--to", help="bawaslu or bkn."),
    out: Path = typer.Option(..., "--out", help="The ZIP file to write."),
) -> None:
    """Make the signed referral dossier of a confirmed case (audited)."""
    rt = runtime()
    data = write_atomically(out, lambda session: dossier.make(session, rt.settings, case_id, to.lower(),
                                                              current_actor()))
    console.print(f"{out}: {len(data)} bytes; check it with `netral dossier verify {out}` "
                  "(public key: `netral keys show`)", markup=False)


@dossier_app.command("verify")
def verify(
    file: Path = typer.Argument(..., help="The dossier ZIP."),
    public_key: Path | None = typer.Option(None, "--public-key", help="PEM public key of the sender "
                                           "(default: this installation's)."),
) -> None:
    """Check the manifest's signature and every file's SHA-256; exit 1 naming what differs."""
    if not file.is_file():
        raise NetralError(f"{file}: no such file")
    pem = public_key.read_bytes() if public_key else keys.public_key_pem(runtime().settings.data_dir).encode()
    result = dossier.verify(file.read_bytes(), pem)
    if result.problem:
        console.print(f"{file}: {result.problem}", markup=False)
    console.print(f"signature: {'valid' if result.signature_ok else 'INVALID'}", markup=False)
    for label, names in (("changed", result.changed), ("added", result.added), ("removed", result.removed)):
        for name in names:
            console.print(f"{label}: {name}", markup=False)
    if not result.ok:
        raise typer.Exit(1)
    console.print(f"{file}: dossier intact", markup=False)
