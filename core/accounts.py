"""Review-UI accounts: argon2 passwords, login with throttling, and server-side sessions.

Sessions are rows (:class:`UserSession`) holding the SHA-256 of a random cookie token, so logging out or
deactivating an account ends access at once, and a copy of the table grants nothing. Throttling counts
failed :class:`LoginAttempt` rows per username and per client address within a window; while throttled,
the password is not even checked (no oracle for guessing).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, joinedload

from core import audit
from core.errors import NetralError, NotFound
from core.models import LoginAttempt, Role, User, UserSession, utcnow
from core.settings import Settings

log = logging.getLogger(__name__)
_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """A hash to verify against when the user is unknown (same time as a wrong password).

    Made on first use, not at import: hashing costs ~0.1 s and every `netral` command imports this module."""
    return _hasher.hash(secrets.token_urlsafe(16))


class AccountError(NetralError):
    """An account could not be created or changed; ``key`` names the rule (the web app words it)."""

    def __init__(self, message: str, key: str = "invalid") -> None:
        super().__init__(message)
        self.key = key


class LoginThrottled(NetralError):
    """Too many failed logins recently for this username or address."""


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    if len(password) < 8:
        raise AccountError("a password needs at least 8 characters", "password")
    return _hasher.hash(password)


def create_user(session: Session, username: str, role: str, password: str, display_name: str | None = None,
                actor: str = "system") -> User:
    """Add an active account (audited)."""
    username = username.strip().lower()
    if not username or len(username) > 64 or not all(c.isalnum() or c in "._-" for c in username):
        raise AccountError("a username is 1-64 letters, digits, '.', '_' or '-'", "username")
    if role not in {r.value for r in Role}:
        raise AccountError(f"role must be one of {', '.join(r.value for r in Role)}", "role")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise AccountError(f"user {username} already exists", "exists")
    user = User(username=username, display_name=(display_name or username).strip(), role=role,
                password_hash=hash_password(password), active=True)
    session.add(user)
    session.flush()
    audit.record(session, actor, "user.add", object_type="user", object_id=user.id,
                 details={"username": username, "role": role})
    return user


def get_user(session: Session, username: str) -> User:
    """The account named ``username``."""
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise NotFound(f"no user {username}")
    return user


def list_users(session: Session) -> list[User]:
    """Every account, by username."""
    return list(session.scalars(select(User).order_by(User.username)))


def _keep_an_admin(session: Session, user: User) -> None:
    """Refuse to take away the last active administrator (nobody could manage accounts in the UI).

    The active admins' rows are locked (PostgreSQL), so two administrators removing each other at the same
    moment cannot both succeed.
    """
    if user.role != Role.ADMIN or not user.active:
        return
    admins = session.scalars(select(User.id).where(User.role == Role.ADMIN, User.active.is_(True))
                             .with_for_update()).all()
    if set(admins) <= {user.id}:
        raise AccountError("the last active admin cannot be deactivated or lose the admin role", "last_admin")


def deactivate_user(session: Session, username: str, actor: str = "system") -> User:
    """Deactivate an account and end its sessions (audited); the last active admin is kept."""
    user = get_user(session, username)
    _keep_an_admin(session, user)
    user.active = False
    session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    audit.record(session, actor, "user.deactivate", object_type="user", object_id=user.id,
                 details={"username": user.username})
    session.flush()
    return user


def reactivate_user(session: Session, username: str, actor: str = "system") -> User:
    """Let a deactivated account log in again (audited); its old sessions stay ended."""
    user = get_user(session, username)
    user.active = True
    audit.record(session, actor, "user.reactivate", object_type="user", object_id=user.id,
                 details={"username": user.username})
    session.flush()
    return user


def set_role(session: Session, username: str, role: str, actor: str = "system") -> User:
    """Change an account's role (audited with the old and new role); the last active admin is kept.

    Sessions continue: every request reads the role afresh, so the change applies at the next click.
    """
    if role not in {r.value for r in Role}:
        raise AccountError(f"role must be one of {', '.join(r.value for r in Role)}", "role")
    user = get_user(session, username)
    if user.role == role:
        return user
    if role != Role.ADMIN:
        _keep_an_admin(session, user)
    old, user.role = user.role, role
    audit.record(session, actor, "user.role", object_type="user", object_id=user.id,
                 details={"username": user.username, "from": old, "to": role})
    session.flush()
    return user


def reset_password(session: Session, username: str, password: str, actor: str = "system",
                   keep_token: str | None = None) -> User:
    """Set a new password (same rules and hash as :func:`create_user`) and end the account's sessions.

    A reset usually follows a forgotten or leaked password, so whoever holds an old session is logged out;
    ``keep_token`` spares the caller's own session when administrators reset their own password.
    """
    user = get_user(session, username)
    user.password_hash = hash_password(password)
    ended = delete(UserSession).where(UserSession.user_id == user.id)
    if keep_token:
        ended = ended.where(UserSession.token_hash != _token_hash(keep_token))
    session.execute(ended)
    audit.record(session, actor, "user.password_reset", object_type="user", object_id=user.id,
                 details={"username": user.username})
    session.flush()
    return user


def _throttled(session: Session, username: str, client: str, settings: Settings, now: datetime) -> bool:
    since = now - timedelta(minutes=settings.login_window_minutes)
    failures = select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.at >= since, LoginAttempt.success.is_(False))
    by_user = session.scalar(failures.where(LoginAttempt.username == username)) or 0
    by_client = session.scalar(failures.where(LoginAttempt.client == client)) or 0
    return by_user >= settings.login_max_failures or by_client >= settings.login_ip_max_failures


def authenticate(session: Session, username: str, password: str, client: str, settings: Settings,
                 now: datetime | None = None) -> User | None:
    """The active user with this password, or None; raises :class:`LoginThrottled` when throttled.

    Every attempt is recorded (the caller commits, also on failure, so throttling sees it).
    """
    now = now or utcnow()
    username = username.strip().lower()[:64]
    client = client[:64]
    if _throttled(session, username, client, settings, now):
        session.add(LoginAttempt(at=now, username=username, client=client, success=False))
        log.warning("login throttled for %r from %s", username, client)
        raise LoginThrottled("too many failed logins; try again later")
    user = session.scalar(select(User).where(User.username == username))
    try:
        ok: bool = _hasher.verify(user.password_hash if user else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        ok = False
    ok = ok and user is not None and user.active
    session.add(LoginAttempt(at=now, username=username, client=client, success=ok))
    if not ok or user is None:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.last_login_at = now
    audit.record(session, user.username, "user.login", object_type="user", object_id=user.id,
                 details={"client": client})
    return user


@dataclass(frozen=True)
class NewSession:
    """The cookie token (shown once, never stored) and its row."""

    token: str
    row: UserSession


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(session: Session, user: User, settings: Settings, now: datetime | None = None) -> NewSession:
    """Start a login session for ``user`` (and drop expired sessions and year-old login attempts)."""
    now = now or utcnow()
    session.execute(delete(UserSession).where(UserSession.expires_at <= now))
    session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - timedelta(days=365)))
    token = secrets.token_urlsafe(32)
    row = UserSession(token_hash=_token_hash(token), user_id=user.id, created_at=now,
                      expires_at=now + timedelta(hours=settings.session_hours))
    session.add(row)
    session.flush()
    return NewSession(token, row)


def session_user(session: Session, token: str | None, now: datetime | None = None) -> User | None:
    """The active user of a valid, unexpired session token, or None."""
    if not token:
        return None
    row = session.scalar(select(UserSession).where(UserSession.token_hash == _token_hash(token))
                         .options(joinedload(UserSession.user)))
    if row is None or row.expires_at <= (now or utcnow()) or not row.user.active:
        return None
    return row.user


def close_session(session: Session, token: str | None) -> None:
    """Log out: delete the session row (the cookie becomes worthless)."""
    if token:
        session.execute(delete(UserSession).where(UserSession.token_hash == _token_hash(token)))
