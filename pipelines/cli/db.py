"""``netral db``: migrate the schema and check it."""

from __future__ import annotations

import typer

from core import migrate
from pipelines.cli.runtime import console, runtime

app = typer.Typer(help="Database schema: upgrade, downgrade, current revision.", no_args_is_help=True)


@app.command("upgrade")
def upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Apply the migrations up to REVISION (default: the newest)."""
    rt = runtime()
    migrate.upgrade_url(rt.url)
    migrate.upgrade(rt.url, revision)
    console.print(f"database at revision {migrate.current(rt.engine)}")


@app.command("downgrade")
def downgrade(revision: str = typer.Argument(..., help="Target revision, or 'base' to remove every table.")) -> None:
    """Undo migrations down to REVISION."""
    rt = runtime()
    migrate.downgrade(rt.url, revision)
    console.print(f"database at revision {migrate.current(rt.engine) or '(empty)'}")


@app.command("current")
def current() -> None:
    """Print the database's revision and the code's newest one."""
    rt = runtime()
    console.print(f"database: {migrate.current(rt.engine) or '(empty)'}; code: {', '.join(migrate.heads())}")
