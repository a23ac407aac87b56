"""``netral keys``: the installation's signing key (public half only)."""

from __future__ import annotations

import typer

from core import keys
from pipelines.cli.runtime import runtime

app = typer.Typer(help="The installation's keys (dossier and audit-checkpoint signatures).", no_args_is_help=True)


@app.command("show")
def show() -> None:
    """Print the public Ed25519 key, for an institution that receives dossiers or checkpoints."""
    rt = runtime()
    typer.echo(keys.public_key_pem(rt.settings.data_dir), nl=False)
