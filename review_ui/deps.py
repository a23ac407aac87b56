"""Request dependencies: one database session per request, the logged-in user, and role checks.

Routes commit at the end of their use case (``db.commit()``); anything uncommitted is rolled back when
the request ends. :func:`require` is the single way a route states which roles may use it; the
authorisation-matrix test enumerates every route against every role.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker

from core import accounts
from core.models import Role, User
from core.settings import Settings
from review_ui.security import SESSION_COOKIE

ALL_ROLES = tuple(Role)
DECIDERS = (Role.ADMIN, Role.REVIEWER)
CASE_READERS = (Role.ADMIN, Role.REVIEWER, Role.AUDITOR)


class LoginRequired(Exception):
    """No valid session: send the browser to the login page."""


class Forbidden(Exception):
    """Logged in, but the role may not use this route."""


def get_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


def get_db(request: Request) -> Iterator[Session]:
    """One session per request; closing it rolls back whatever was not committed.

    (``close`` rather than ``rollback`` so loaded objects, e.g. the user an error page shows, stay readable.)
    """
    factory: sessionmaker[Session] = request.app.state.sessions
    with factory() as session:
        yield session


def optional_user(request: Request, db: Session = Depends(get_db)) -> User | None:
    """The logged-in user, if any (also kept on ``request.state.user`` for templates)."""
    user = accounts.session_user(db, request.cookies.get(SESSION_COOKIE))
    request.state.user = user
    return user


def require(*roles: Role) -> Callable[..., User]:
    """A dependency that returns the user when logged in with one of ``roles``."""
    allowed = frozenset(roles)

    def dependency(user: User | None = Depends(optional_user)) -> User:
        if user is None:
            raise LoginRequired()
        if user.role not in allowed:
            raise Forbidden()
        return user

    dependency.allowed_roles = allowed  # type: ignore[attr-defined]
    return dependency
