"""``netral users``: review-UI accounts (add, list, deactivate, unlock a login throttle)."""

from __future__ import annotations

import sys

import typer

from core import accounts
from core.models import Role
from pipelines.cli.runtime import console, current_actor, runtime

app = typer.Typer(help="Review-UI accounts: add, list, deactivate, unlock.", no_args_is_help=True)


@app.command("add")
def add(username: str = typer.Argument(..., help="Login name (letters, digits, . _ -)."),
        role: Role = typer.Option(..., "--role", help="admin, reviewer (BKPSDM), desk (Desk Pilkada) or auditor."),
        display_name: str = typer.Option("", "--name", help="Name shown in the UI (default: the username)."),
        password_stdin: bool = typer.Option(False, "--password-stdin",
                                            help="Read the password from the first line of standard input.")
        ) -> None:
    """Add an account; the password is asked for (or read from stdin) and stored as an argon2 hash."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    rt = runtime()
    with rt.session() as session:
        user = accounts.create_user(session, username, role.value, password, display_name or None,
                                    actor=current_actor())
        console.print(f"user {user.username} ({user.role}) added", markup=False)


@app.command("list")
def list_() -> None:
    """List accounts with their role and state."""
    rt = runtime()
    with rt.session() as session:
        for user in accounts.list_users(session):
            state = "active" if user.active else "inactive"
            last = user.last_login_at.isoformat(timespec="minutes") if user.last_login_at else "-"
            typer.echo("\t".join((user.username, user.role, state, user.display_name, f"last login {last}")))


@app.command("deactivate")
def deactivate(username: str = typer.Argument(..., help="The account to deactivate.")) -> None:
    """Deactivate an account and end its sessions at once."""
    rt = runtime()
    with rt.session() as session:
        user = accounts.deactivate_user(session, username, actor=current_actor())
        console.print(f"user {user.username} deactivated", markup=False)


@app.command("unlock")
def unlock(username: str = typer.Argument(..., help="The account whose login waits are cleared.")) -> None:
    """Clear the login throttle of an account on every address (audited; the attempts stay recorded)."""
    rt = runtime()
    with rt.session() as session:
        forgiven = accounts.unlock(session, username, actor=current_actor())
        console.print(f"user {username.strip().lower()} unlocked ({forgiven} failed logins no longer count)",
                      markup=False)


@app.command("set-unit")
def set_unit(username: str = typer.Argument(..., help="The reviewer's account."),
             unit: str = typer.Argument("", help="Roster unit they work in, as in the roster's Unit column; "
                                                 "empty clears it.")) -> None:
    """Record a reviewer's unit: cases about that unit's employees are then neither served to nor decided by
    them (recusal, NETRAL_RECUSAL)."""
    rt = runtime()
    with rt.session() as session:
        user = accounts.set_unit(session, username, unit, actor=current_actor())
        console.print(f"user {user.username}: unit {user.unit or '(none)'}", markup=False)
