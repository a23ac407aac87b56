"""What every command needs: settings read once, the database, and one error handler.

Commands are thin: they parse options, open one session scope, call a use-case function that returns
data, and print it. Errors that carry meaning (:class:`core.errors.NetralError`) are rendered here
once, with their exit code, instead of a traceback.
"""

from __future__ import annotations

import getpass
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import typer
from rich.console import Console
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from typer.core import TyperGroup

from core import migrate
from core.db import engine_from_settings, make_session_factory, session_scope
from core.errors import InputFileError, NetralError
from core.settings import Settings, get_settings
from nlp.errors import NlpError

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def report_error(error: NetralError) -> None:
    """Print a meaningful error for a person: every located problem on its own line."""
    if isinstance(error, InputFileError):
        for problem in error.problems:
            err_console.print(str(problem), markup=False)
        err_console.print(f"{len(error.problems)} error(s); nothing was written.", markup=False)
    else:
        err_console.print(f"error: {error}", markup=False)


class NetralGroup(TyperGroup):
    """The top-level command group: the one place NetralError becomes a message and an exit code."""

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]  # typer vendors click
        try:
            return super().invoke(ctx)
        except NetralError as exc:
            report_error(exc)
            raise typer.Exit(exc.exit_code) from exc
        except NlpError as exc:  # nlp is pure and has its own error family
            err_console.print(f"error: {exc}", markup=False)
            raise typer.Exit(exc.exit_code) from exc


class DatabaseNotReady(NetralError):
    """The database is missing tables or behind the code's migrations."""


@dataclass
class Runtime:
    """Settings and the database for one command invocation."""

    settings: Settings

    @cached_property
    def engine(self) -> Engine:
        return engine_from_settings(self.settings)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        return make_session_factory(self.engine)

    @property
    def url(self) -> str:
        return self.settings.resolved_database_url

    def require_current_schema(self) -> None:
        """Refuse to work on a database that the migrations have not brought up to date."""
        at, heads = migrate.current(self.engine), migrate.heads()
        if at not in heads:
            raise DatabaseNotReady(
                f"database {self.engine.url.render_as_string(hide_password=True)} is at revision "
                f"{at or '(empty)'}, the code expects {', '.join(heads)}: run `netral db upgrade`")

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work on an up-to-date database."""
        self.require_current_schema()
        with session_scope(self.sessions) as session:
            yield session


def runtime() -> Runtime:
    """The runtime of this process (settings are read from the environment once)."""
    settings = get_settings()
    logging.basicConfig(level=settings.log_level.upper(), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if settings.log_level.upper() != "DEBUG":  # libraries' request-level chatter is not progress
        for name in ("alembic", "httpx", "httpcore", "urllib3", "scrapy", "asyncio"):
            logging.getLogger(name).setLevel(logging.WARNING)
    return Runtime(settings)


def current_actor() -> str:
    """Who runs the command, for the audit log."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"
